/* sim/sensitivity.c - grid, Latin hypercube and Saltelli designs; Jansen's
 * Sobol estimators and their bootstrap (see sensitivity.h).
 *
 * What the points mean (which scenario key, which unit) is the caller's
 * business; here they are coordinates in the unit cube. */
#include "sim/sensitivity.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_qrng.h>

#include "sim/rng.h"
#include "sim/stats.h"

size_t sim_design_grid_size(size_t k, const unsigned *n)
{
    size_t total = k ? 1 : 0;
    for (size_t j = 0; j < k; j++)
        total *= n[j];
    return total;
}

void sim_design_grid(size_t k, const unsigned *n, double *out)
{
    size_t total = sim_design_grid_size(k, n);
    for (size_t p = 0; p < total; p++) {
        size_t rest = p;
        for (size_t jj = k; jj-- > 0;) {
            size_t level = rest % n[jj];
            rest /= n[jj];
            out[p * k + jj] = n[jj] > 1 ? (double)level / (double)(n[jj] - 1) : 0.0;
        }
    }
}

void sim_design_lhs(size_t k, size_t npts, uint64_t seed, uint64_t stream, double *out)
{
    sim_rng r;
    sim_rng_init(&r, seed, 0, stream);
    for (size_t j = 0; j < k; j++) {
        /* Strata 0..npts-1 in column j, then a Fisher-Yates shuffle. */
        for (size_t i = 0; i < npts; i++)
            out[i * k + j] = (double)i;
        for (size_t i = npts; i > 1; i--) {
            size_t s = (size_t)(sim_rng_u64(&r) % i);
            double t = out[(i - 1) * k + j];
            out[(i - 1) * k + j] = out[s * k + j];
            out[s * k + j] = t;
        }
        for (size_t i = 0; i < npts; i++)
            out[i * k + j] = (out[i * k + j] + sim_rng_uniform(&r)) / (double)npts;
    }
}

size_t sim_design_saltelli_size(size_t k, size_t n_base)
{
    return n_base * (k + 2);
}

int sim_design_saltelli(size_t k, size_t n_base, double *out, sim_err *err)
{
    if (k == 0 || k > SIM_SOBOL_MAX_VARS)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                           "Sobol sensitivity takes 1 to %d variables, got %zu",
                           SIM_SOBOL_MAX_VARS, k);
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    double *pt = malloc(2 * k * sizeof *pt);
    if (!q || !pt) {
        gsl_qrng_free(q);
        free(pt);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    gsl_qrng_get(q, pt);                 /* point 0: the origin */
    for (size_t r = 0; r < n_base; r++) {
        gsl_qrng_get(q, pt);
        memcpy(out + r * k, pt, k * sizeof *pt);                  /* A */
        memcpy(out + (n_base + r) * k, pt + k, k * sizeof *pt);   /* B */
    }
    for (size_t i = 0; i < k; i++)
        for (size_t r = 0; r < n_base; r++) {
            double *row = out + ((2 + i) * n_base + r) * k;
            memcpy(row, out + r * k, k * sizeof *row);
            row[i] = out[(n_base + r) * k + i];
        }
    gsl_qrng_free(q);
    free(pt);
    return SIM_OK;
}

/* The indices over the base rows idx[0..n-1] (with repeats). */
static void jansen_rows(size_t k, size_t n_base, const double *y, const size_t *idx,
                        size_t n, double *S, double *ST)
{
    sim_welford w;
    sim_welford_init(&w);
    int finite = 1;
    for (size_t r = 0; r < n; r++) {
        sim_welford_add(&w, y[idx[r]]);
        sim_welford_add(&w, y[n_base + idx[r]]);
    }
    for (size_t r = 0; r < n_base * (k + 2); r++)
        finite &= isfinite(y[r]) != 0;
    double v = sim_welford_var(&w) * (double)(w.n - 1) / (double)w.n;   /* population */
    for (size_t i = 0; i < k; i++) {
        if (!finite || !(v > 0)) {
            S[i] = ST[i] = NAN;
            continue;
        }
        const double *yab = y + (2 + i) * n_base;
        double sb = 0.0, sa = 0.0;
        for (size_t r = 0; r < n; r++) {
            double db = y[n_base + idx[r]] - yab[idx[r]];
            double da = y[idx[r]] - yab[idx[r]];
            sb += db * db;
            sa += da * da;
        }
        S[i] = 1.0 - sb / (2.0 * (double)n * v);
        ST[i] = sa / (2.0 * (double)n * v);
    }
}

void sim_sobol_jansen(size_t k, size_t n_base, const double *y, double *S, double *ST)
{
    size_t *idx = malloc((n_base ? n_base : 1) * sizeof *idx);
    if (!idx) {
        for (size_t i = 0; i < k; i++)
            S[i] = ST[i] = NAN;
        return;
    }
    for (size_t r = 0; r < n_base; r++)
        idx[r] = r;
    jansen_rows(k, n_base, y, idx, n_base, S, ST);
    free(idx);
}

int sim_sobol_bootstrap(size_t k, size_t n_base, const double *y, unsigned nboot,
                        double level, uint64_t seed, uint64_t stream,
                        double *S_lo, double *S_hi, double *ST_lo, double *ST_hi,
                        sim_err *err)
{
    size_t *idx = malloc((n_base ? n_base : 1) * sizeof *idx);
    double *bs = malloc((size_t)(nboot ? nboot : 1) * k * sizeof *bs);
    double *bst = malloc((size_t)(nboot ? nboot : 1) * k * sizeof *bst);
    double *S = malloc((k ? k : 1) * sizeof *S), *ST = malloc((k ? k : 1) * sizeof *ST);
    double *col = malloc((size_t)(nboot ? nboot : 1) * sizeof *col);
    int rc = SIM_OK;
    if (!idx || !bs || !bst || !S || !ST || !col) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    sim_rng r;
    sim_rng_init(&r, seed, 0, stream);
    for (unsigned b = 0; b < nboot; b++) {
        for (size_t i = 0; i < n_base; i++)
            idx[i] = (size_t)(sim_rng_u64(&r) % n_base);
        jansen_rows(k, n_base, y, idx, n_base, S, ST);
        for (size_t i = 0; i < k; i++) {
            bs[(size_t)b * k + i] = S[i];
            bst[(size_t)b * k + i] = ST[i];
        }
    }
    double plo = (1.0 - level) / 2.0, phi = (1.0 + level) / 2.0;
    for (int which = 0; which < 2; which++) {
        const double *src = which ? bst : bs;
        double *lo = which ? ST_lo : S_lo, *hi = which ? ST_hi : S_hi;
        for (size_t i = 0; i < k; i++) {
            int nan = nboot == 0;
            for (unsigned b = 0; b < nboot; b++) {
                col[b] = src[(size_t)b * k + i];
                nan |= isnan(col[b]);
            }
            if (nan) {
                lo[i] = hi[i] = NAN;
                continue;
            }
            lo[i] = sim_quantile(col, nboot, plo);
            hi[i] = sim_quantile(col, nboot, phi);
        }
    }
out:
    free(idx);
    free(bs);
    free(bst);
    free(S);
    free(ST);
    free(col);
    return rc;
}
