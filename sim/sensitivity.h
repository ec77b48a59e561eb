/* sim/sensitivity.h - experimental designs and variance-based sensitivity.
 *
 * Designs fill the unit cube [0, 1]^k (callers scale each column to its
 * range): a full-factorial grid, a seeded Latin hypercube, and Saltelli's
 * sampling for Sobol indices (matrices A and B from GSL's Sobol
 * quasi-random sequence in 2k dimensions, and the k matrices A_B^i, A with
 * column i taken from B). The Sobol indices come from Jansen's estimators
 * with bootstrap percentile intervals over the N base rows. Every matrix is
 * row-major, one row per point, k columns. Pure numbers: libc and GSL. */
#ifndef SIM_SENSITIVITY_H
#define SIM_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

/* Most variables for sim_design_saltelli: GSL's Sobol sequence has 40
 * dimensions, and Saltelli's scheme takes two per variable. */
#define SIM_SOBOL_MAX_VARS 20

/* Points of the full-factorial grid of n[0] x ... x n[k-1] levels. */
size_t sim_design_grid_size(size_t k, const unsigned *n);

/* The grid: level l of variable j (n[j] >= 2) is l / (n[j] - 1); the last
 * variable changes fastest (row p is p's mixed-radix digits). out holds
 * sim_design_grid_size(k, n) x k values. */
void sim_design_grid(size_t k, const unsigned *n, double *out);

/* A Latin hypercube of npts points: each column puts exactly one point in
 * each of the npts strata [i/npts, (i+1)/npts), at a uniform position
 * within it, the strata shuffled per column. Draws from the sim_rng stream
 * (seed, 0, stream), so the same arguments give the same design. out holds
 * npts x k values. */
void sim_design_lhs(size_t k, size_t npts, uint64_t seed, uint64_t stream, double *out);

/* Rows of Saltelli's design: N x (k + 2). */
size_t sim_design_saltelli_size(size_t k, size_t n_base);

/* Saltelli's design, in blocks of N rows: A (rows 0..N-1), B (rows N..2N-1),
 * then A_B^i for i = 0..k-1 (rows (2+i)N..(3+i)N-1): row r of A_B^i is row
 * r of A with column i from row r of B. A and B are the first and last k
 * coordinates of points 1..N of the 2k-dimensional Sobol sequence (point 0,
 * the origin, is skipped). Returns SIM_OK, SIM_EINVAL when k is 0 or above
 * SIM_SOBOL_MAX_VARS, or SIM_ENOMEM. */
int sim_design_saltelli(size_t k, size_t n_base, double *out, sim_err *err);

/* Jansen's estimators from the outputs y of the Saltelli design (same row
 * order, N x (k + 2) values): with V the variance of the 2N outputs of A
 * and B,
 *     S_i  = 1 - sum_r (y_B[r] - y_ABi[r])^2 / (2 N V)      (first order)
 *     ST_i =     sum_r (y_A[r] - y_ABi[r])^2 / (2 N V)      (total effect)
 * Fills S[k] and ST[k]; all NaN when V is 0 or any y is not finite. */
void sim_sobol_jansen(size_t k, size_t n_base, const double *y, double *S, double *ST);

/* Bootstrap percentile intervals at level (0.95) for the Jansen indices:
 * nboot resamples of the N base rows with replacement (drawn from the
 * sim_rng stream (seed, 0, stream)), the indices recomputed on each, and
 * the (1-level)/2 and (1+level)/2 quantiles (type 7) taken. Fills the
 * bounds arrays of k values (NaN where the indices are NaN). Returns
 * SIM_OK or SIM_ENOMEM. */
int sim_sobol_bootstrap(size_t k, size_t n_base, const double *y, unsigned nboot,
                        double level, uint64_t seed, uint64_t stream,
                        double *S_lo, double *S_hi, double *ST_lo, double *ST_hi,
                        sim_err *err);

#endif
