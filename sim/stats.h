/* sim/stats.h - online statistics: running mean and variance (Welford),
 * time-weighted averages, and Student-t confidence intervals (GSL).
 *
 * All are plain values with no heap, updated one observation at a time. */
#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdint.h>

#include "sim/err.h"

/* Running mean and variance of observations (Welford's algorithm). */
typedef struct sim_welford {
    uint64_t n;      /* observations */
    double   mean;
    double   m2;     /* sum of squared deviations from the mean */
} sim_welford;

void   sim_welford_init(sim_welford *w);
void   sim_welford_add(sim_welford *w, double x);
/* Merges b into a, as if a had seen b's observations too (Chan et al.). */
void   sim_welford_merge(sim_welford *a, const sim_welford *b);
/* Sample variance (n - 1 in the denominator); NaN when n < 2. */
double sim_welford_var(const sim_welford *w);
double sim_welford_sd(const sim_welford *w);

/* Half-width of the two-sided Student-t confidence interval for the mean at
 * level (0.95 for 95%): t(1 - (1-level)/2, n-1) * sd / sqrt(n).
 * NaN when n < 2 or level is not in (0, 1). */
double sim_welford_ci(const sim_welford *w, double level);

/* Whether n paired differences d[i] = y_i - x_i, whose operands are at
 * most mag in magnitude, are one number up to rounding: either all equal,
 * or spread by no more than a unit in the 12th significant digit of mag
 * (floating sums of a run leave their last bits to chance, so y = x + 1e9
 * can give 1e9 + 2^-23). Then *value gets that number: the common value,
 * or the midpoint of the spread rounded to that digit (exactly 1e9), and
 * the function returns 1; the differences' mean is *value and their
 * variance 0. Else returns 0 and leaves *value. n == 0 returns 0. */
int sim_diff_constant(const double *d, uint64_t n, double mag, double *value);

/* Time-weighted average of a piecewise-constant quantity (utilization,
 * queue length): the value v holds from the time it is set until the next
 * change. */
typedef struct sim_twavg {
    double t_start;  /* start of the window */
    double t_last;   /* time of the last change */
    double value;    /* value since t_last */
    double area;     /* integral of the value over [t_start, t_last] */
} sim_twavg;

/* Starts a window at t with the quantity at value. */
void   sim_twavg_init(sim_twavg *a, double t, double value);
/* The quantity changes to value at time t (t >= the last change). */
void   sim_twavg_set(sim_twavg *a, double t, double value);
/* The average over [t_start, t]; the current value when the window is empty. */
double sim_twavg_mean(const sim_twavg *a, double t);
/* Closes the window at t and starts a new one there, keeping the value;
 * returns the closed window's average. For periodic samples. */
double sim_twavg_roll(sim_twavg *a, double t);

/* The p-quantile (0 <= p <= 1) of n values, by linear interpolation between
 * order statistics (as R's type 7). Sorts x in place. NaN when n == 0. */
double sim_quantile(double *x, uint64_t n, double p);
/* The same of n values already in increasing order (sim_quantile leaves
 * them so): several quantiles of one sample sort it once. */
double sim_quantile_sorted(const double *x, uint64_t n, double p);
/* The same value as sim_quantile (the same two order statistics, the same
 * interpolation; only the sign of a zero may differ, as -0.0 == 0.0), in
 * O(n) on average: x is reordered, not sorted (a selection, Wirth's), and
 * may be passed again for another p. For many small samples, such as the
 * runs of each sample of a series. */
double sim_quantile_select(double *x, uint64_t n, double p);

/* MSER-5 (White 1997; White, Cobb and Spratt 2000): where to truncate the
 * start of an output series so that the mean of the rest is least
 * disturbed by the initial transient. The n observations are averaged in
 * consecutive batches of 5 (m = n / 5 batches; the last n mod 5
 * observations are left out), and for each d = 0 .. m / 2 batches dropped
 * MSER(d) = sum_{j > d} (Z_j - mean_{j > d} Z)^2 / (m - d)^2; d* minimises
 * it (the smallest d on ties). *trunc_out gets d* in observations (5 d*),
 * *stat_out (may be NULL) the minimum. A d* at or near m / 2 means the
 * series has no settled second half: the window is too short to tell.
 * Returns SIM_OK, or SIM_EINVAL when n < 10 or a value is not finite. */
int sim_mser5(const double *x, uint64_t n, uint64_t *trunc_out, double *stat_out);

#endif
