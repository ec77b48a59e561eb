/* sim/stats.c - Welford, time-weighted averages, t intervals, quantiles,
 * MSER-5 truncation points. */
#include "sim/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

void sim_welford_init(sim_welford *w)
{
    w->n = 0;
    w->mean = 0.0;
    w->m2 = 0.0;
}

void sim_welford_add(sim_welford *w, double x)
{
    w->n++;
    double d = x - w->mean;
    w->mean += d / (double)w->n;
    w->m2 += d * (x - w->mean);
}

void sim_welford_merge(sim_welford *a, const sim_welford *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    double n = (double)(a->n + b->n), d = b->mean - a->mean;
    a->m2 += b->m2 + d * d * (double)a->n * (double)b->n / n;
    a->mean += d * (double)b->n / n;
    a->n += b->n;
}

double sim_welford_var(const sim_welford *w)
{
    return w->n < 2 ? NAN : w->m2 / (double)(w->n - 1);
}

double sim_welford_sd(const sim_welford *w)
{
    return sqrt(sim_welford_var(w));
}

double sim_welford_ci(const sim_welford *w, double level)
{
    if (w->n < 2 || !(level > 0.0 && level < 1.0))
        return NAN;
    double t = gsl_cdf_tdist_Pinv(1.0 - (1.0 - level) / 2.0, (double)(w->n - 1));
    return t * sim_welford_sd(w) / sqrt((double)w->n);
}

int sim_diff_constant(const double *d, uint64_t n, double mag, double *value)
{
    if (n == 0)
        return 0;
    double lo = d[0], hi = d[0];
    for (uint64_t i = 1; i < n; i++) {
        if (!(d[i] >= lo))
            lo = d[i];
        if (!(d[i] <= hi))
            hi = d[i];
    }
    if (!isfinite(lo) || !isfinite(hi))
        return 0;
    if (lo == hi) {
        *value = lo;
        return 1;
    }
    if (!(mag > 0.0) || !isfinite(mag))
        return 0;
    int e = (int)floor(log10(mag)) - 11;   /* the 12th significant digit of mag */
    double q = pow(10.0, e);
    if (hi - lo > q)
        return 0;
    double mid = lo + (hi - lo) / 2.0;
    if (e < 0) {
        /* decimal rounding through text: 1000000000.0000005 -> "1000000000.00" */
        char buf[400];
        snprintf(buf, sizeof buf, "%.*f", -e > 300 ? 300 : -e, mid);
        *value = strtod(buf, NULL);
    } else {
        *value = round(mid / q) * q;
    }
    return 1;
}

void sim_twavg_init(sim_twavg *a, double t, double value)
{
    a->t_start = a->t_last = t;
    a->value = value;
    a->area = 0.0;
}

void sim_twavg_set(sim_twavg *a, double t, double value)
{
    a->area += a->value * (t - a->t_last);
    a->t_last = t;
    a->value = value;
}

double sim_twavg_mean(const sim_twavg *a, double t)
{
    double span = t - a->t_start;
    if (!(span > 0.0))
        return a->value;
    return (a->area + a->value * (t - a->t_last)) / span;
}

double sim_twavg_roll(sim_twavg *a, double t)
{
    double m = sim_twavg_mean(a, t);
    sim_twavg_init(a, t, a->value);
    return m;
}

double sim_quantile(double *x, uint64_t n, double p)
{
    if (n == 0)
        return NAN;
    gsl_sort(x, 1, (size_t)n);
    return gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, p);
}

double sim_quantile_sorted(const double *x, uint64_t n, double p)
{
    if (n == 0)
        return NAN;
    return gsl_stats_quantile_from_sorted_data(x, 1, (size_t)n, p);
}

/* Puts the k-th smallest of x[0..n) at x[k], with none greater before it
 * and none smaller after it (N. Wirth, Algorithms + Data Structures =
 * Programs, 1976, "Find"). */
static void select_kth(double *x, uint64_t n, uint64_t k)
{
    int64_t l = 0, m = (int64_t)n - 1, kk = (int64_t)k;
    while (l < m) {
        double pivot = x[kk];
        int64_t i = l, j = m;
        do {
            while (x[i] < pivot)
                i++;
            while (pivot < x[j])
                j--;
            if (i <= j) {
                double t = x[i];
                x[i] = x[j];
                x[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            l = i;
        if (kk < i)
            m = j;
    }
}

double sim_quantile_select(double *x, uint64_t n, double p)
{
    if (n == 0)
        return NAN;
    /* as gsl_stats_quantile_from_sorted_data, on the order statistics */
    const double index = p * (double)(n - 1);
    const uint64_t lhs = (uint64_t)index;
    const double delta = index - (double)lhs;
    select_kth(x, n, lhs);
    if (lhs == n - 1)
        return x[lhs];
    double next = x[lhs + 1];       /* the (lhs + 1)-th smallest: the least after lhs */
    for (uint64_t i = lhs + 2; i < n; i++)
        if (x[i] < next)
            next = x[i];
    return (1 - delta) * x[lhs] + delta * next;
}

int sim_mser5(const double *x, uint64_t n, uint64_t *trunc_out, double *stat_out)
{
    enum { BATCH = 5 };
    if (n < 2 * BATCH)
        return SIM_EINVAL;
    for (uint64_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return SIM_EINVAL;
    uint64_t m = n / BATCH, half = m / 2;
    /* Walk the batch means from the end with Welford, so that the sum of
     * squares of each suffix comes without cancellation. */
    sim_welford w;
    sim_welford_init(&w);
    uint64_t best = 0;
    double best_stat = INFINITY;
    for (uint64_t j = m; j-- > 0;) {
        double z = 0.0;
        for (int k = 0; k < BATCH; k++)
            z += x[j * BATCH + (uint64_t)k];
        sim_welford_add(&w, z / BATCH);
        if (j <= half) {
            double kk = (double)w.n;
            double s = w.m2 / (kk * kk);
            if (s <= best_stat) {   /* walking down, so ties go to the smaller d */
                best_stat = s;
                best = j;
            }
        }
    }
    *trunc_out = best * BATCH;
    if (stat_out)
        *stat_out = best_stat;
    return SIM_OK;
}
