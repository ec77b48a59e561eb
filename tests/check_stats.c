/* tests/check_stats.c - Welford, time-weighted averages, t intervals,
 * quantiles, MSER-5 truncation. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "sim/stats.h"

START_TEST(test_welford_known_values)
{
    sim_welford w;
    sim_welford_init(&w);
    ck_assert(isnan(sim_welford_var(&w)));
    double x[] = { 2, 4, 4, 4, 5, 5, 7, 9 };
    for (int i = 0; i < 8; i++)
        sim_welford_add(&w, x[i]);
    ck_assert_uint_eq(w.n, 8);
    ck_assert_double_eq_tol(w.mean, 5.0, 1e-12);
    ck_assert_double_eq_tol(sim_welford_var(&w), 32.0 / 7.0, 1e-12);
}
END_TEST

/* Large offset: the naive sum-of-squares formula loses every digit here. */
START_TEST(test_welford_stable_with_offset)
{
    sim_welford w;
    sim_welford_init(&w);
    for (int i = 0; i < 1000; i++)
        sim_welford_add(&w, 1e9 + (i % 2));
    ck_assert_double_eq_tol(w.mean, 1e9 + 0.5, 1e-6);
    ck_assert_double_eq_tol(sim_welford_var(&w), 0.25 * 1000.0 / 999.0, 1e-9);
}
END_TEST

START_TEST(test_welford_merge_equals_single_pass)
{
    sim_welford a, b, all;
    sim_welford_init(&a);
    sim_welford_init(&b);
    sim_welford_init(&all);
    for (int i = 0; i < 100; i++) {
        double v = sin(i) * 10 + i;
        sim_welford_add(i < 37 ? &a : &b, v);
        sim_welford_add(&all, v);
    }
    sim_welford_merge(&a, &b);
    ck_assert_uint_eq(a.n, all.n);
    ck_assert_double_eq_tol(a.mean, all.mean, 1e-12);
    ck_assert_double_eq_tol(sim_welford_var(&a), sim_welford_var(&all), 1e-9);
}
END_TEST

/* 95% interval for n = 10, sd = 1: t(0.975, 9) = 2.262157 / sqrt(10). */
START_TEST(test_ci_student_t)
{
    sim_welford w;
    sim_welford_init(&w);
    /* ten values with sample sd exactly 1: +-a around 0 */
    double a = sqrt(9.0 / 10.0);
    for (int i = 0; i < 10; i++)
        sim_welford_add(&w, i % 2 ? a : -a);
    ck_assert_double_eq_tol(sim_welford_sd(&w), 1.0, 1e-12);
    ck_assert_double_eq_tol(sim_welford_ci(&w, 0.95), 2.262157 / sqrt(10.0), 1e-6);
    ck_assert(isnan(sim_welford_ci(&w, 1.5)));
}
END_TEST

START_TEST(test_twavg_piecewise)
{
    sim_twavg a;
    sim_twavg_init(&a, 0.0, 0.0);
    sim_twavg_set(&a, 2.0, 10.0);      /* 0 on [0,2) */
    sim_twavg_set(&a, 6.0, 4.0);       /* 10 on [2,6) */
    /* 4 on [6,10): area 0 + 40 + 16 = 56 over 10 */
    ck_assert_double_eq_tol(sim_twavg_mean(&a, 10.0), 5.6, 1e-12);
    ck_assert_double_eq_tol(sim_twavg_roll(&a, 10.0), 5.6, 1e-12);
    ck_assert_double_eq_tol(sim_twavg_mean(&a, 12.0), 4.0, 1e-12);   /* new window */
    ck_assert_double_eq_tol(sim_twavg_mean(&a, 10.0), 4.0, 1e-12);   /* empty window */
}
END_TEST

START_TEST(test_quantile_type7)
{
    double x[] = { 5, 1, 4, 2, 3 };
    ck_assert_double_eq_tol(sim_quantile(x, 5, 0.5), 3.0, 1e-12);
    ck_assert_double_eq_tol(sim_quantile(x, 5, 0.05), 1.2, 1e-12);
    ck_assert_double_eq_tol(sim_quantile(x, 5, 1.0), 5.0, 1e-12);
    ck_assert(isnan(sim_quantile(x, 0, 0.5)));
    /* x is sorted now: the same quantiles without sorting again */
    ck_assert_double_eq_tol(sim_quantile_sorted(x, 5, 0.05), 1.2, 1e-12);
    ck_assert_double_eq_tol(sim_quantile_sorted(x, 5, 0.95), 4.8, 1e-12);
    ck_assert(isnan(sim_quantile_sorted(x, 0, 0.5)));
}
END_TEST

/* The selection gives sim_quantile's value bit for bit (no zeros here,
 * whose sign may differ): samples of 1 to 300 values, continuous or with
 * many ties, already sorted or reversed, at the series statistics'
 * quantiles twice on one array (p05 then p95, as output/writer.c does),
 * and at the ends and random p; by hand on the type-7 example. */
START_TEST(test_quantile_select_matches_sort)
{
    double h[] = { 5, 1, 4, 2, 3 };
    ck_assert_double_eq_tol(sim_quantile_select(h, 5, 0.05), 1.2, 1e-12);
    ck_assert_double_eq_tol(sim_quantile_select(h, 5, 0.95), 4.8, 1e-12);
    ck_assert_double_eq_tol(sim_quantile_select(h, 5, 0.5), 3.0, 1e-12);
    ck_assert(isnan(sim_quantile_select(h, 0, 0.5)));
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20261130);
    enum { NMAX = 300 };
    double a[NMAX], b[NMAX], c[NMAX];
    size_t checked = 0;
    for (int trial = 0; trial < 4000; trial++) {
        uint64_t n = 1 + gsl_rng_uniform_int(r, trial < 2000 ? 70 : NMAX);
        int kind = trial % 4;
        for (uint64_t i = 0; i < n; i++) {
            double v = kind == 1 ? (double)(1 + gsl_rng_uniform_int(r, 4))    /* ties */
                                 : 1.0 + gsl_ran_lognormal(r, 0.0, 2.0);
            a[i] = v;
        }
        if (kind == 2)
            sim_quantile(a, n, 0.5);                    /* sorted */
        if (kind == 3)
            for (uint64_t i = 0; i < n / 2; i++) {      /* reversed */
                double t = a[i];
                a[i] = a[n - 1 - i];
                a[n - 1 - i] = t;
            }
        double ps[] = { 0.05, 0.95, 0.0, 1.0, 0.5, gsl_rng_uniform(r) };
        for (size_t k = 0; k < sizeof ps / sizeof *ps; k++) {
            memcpy(b, a, n * sizeof *a);
            memcpy(c, a, n * sizeof *a);
            double want = sim_quantile(b, n, ps[k]), got = sim_quantile_select(c, n, ps[k]);
            ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "n %llu p %g: %.17g, sort gives %.17g",
                          (unsigned long long)n, ps[k], got, want);
            checked++;
        }
        memcpy(b, a, n * sizeof *a);
        memcpy(c, a, n * sizeof *a);
        double w05 = sim_quantile(b, n, 0.05), w95 = sim_quantile_sorted(b, n, 0.95);
        double g05 = sim_quantile_select(c, n, 0.05), g95 = sim_quantile_select(c, n, 0.95);
        ck_assert(memcmp(&w05, &g05, sizeof w05) == 0 && memcmp(&w95, &g95, sizeof w95) == 0);
    }
    ck_assert_uint_eq(checked, 4000 * 6);
    gsl_rng_free(r);
}
END_TEST

/* By hand: batch means 10, 0, 1, 0 (each batch of 5 varies inside).
 * MSER(0) = 70.75 / 16, MSER(1) = (2/3) / 9, MSER(2) = 0.5 / 4: d* = 1
 * batch = 5 observations. The two values past the last batch are left out. */
START_TEST(test_mser5_hand_computed)
{
    double x[22] = { 8, 12, 10, 9, 11,  -1, 1, 0, 2, -2,  1, 1, 1, 0, 2,  0, 0, 0, 1, -1,
                     1000, -1000 };
    uint64_t d = 99;
    double s = -1;
    ck_assert_int_eq(sim_mser5(x, 22, &d, &s), SIM_OK);
    ck_assert_uint_eq(d, 5);
    ck_assert_double_eq_tol(s, (2.0 / 3.0) / 9.0, 1e-12);
}
END_TEST

/* A linear climb from 0 to 10 over 100 observations, then constant 10:
 * every batch after the climb has mean 10, so d* is the climb's end. */
START_TEST(test_mser5_linear_transient_then_constant)
{
    enum { N = 600, L = 100 };
    double x[N];
    for (int i = 0; i < N; i++)
        x[i] = i < L ? 10.0 * i / L : 10.0;
    uint64_t d = 0;
    double s = -1;
    ck_assert_int_eq(sim_mser5(x, N, &d, &s), SIM_OK);
    ck_assert_uint_eq(d, L);
    ck_assert_double_eq_tol(s, 0.0, 1e-12);
}
END_TEST

/* The same climb with noise (sd 1) on top: d* within a batch of its end. */
START_TEST(test_mser5_linear_transient_with_noise)
{
    enum { N = 1000, L = 150 };
    double x[N];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 20251130);
    for (int i = 0; i < N; i++)
        x[i] = (i < L ? 20.0 * i / L : 20.0) + gsl_ran_gaussian(g, 1.0);
    gsl_rng_free(g);
    uint64_t d = 0;
    ck_assert_int_eq(sim_mser5(x, N, &d, NULL), SIM_OK);
    ck_assert_uint_ge(d, L - 5);
    ck_assert_uint_le(d, L + 5);
}
END_TEST

/* Stationary noise: nothing to cut; d* stays near the start. */
START_TEST(test_mser5_pure_noise_near_zero)
{
    enum { N = 2000 };
    double x[N];
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    for (unsigned long seed = 1; seed <= 5; seed++) {
        gsl_rng_set(g, seed);
        for (int i = 0; i < N; i++)
            x[i] = 3.0 + gsl_ran_gaussian(g, 1.0);
        uint64_t d = N;
        ck_assert_int_eq(sim_mser5(x, N, &d, NULL), SIM_OK);
        ck_assert_uint_le(d, N / 10);
    }
    gsl_rng_free(g);
}
END_TEST

START_TEST(test_mser5_rejects_short_or_nan)
{
    double x[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    uint64_t d;
    ck_assert_int_eq(sim_mser5(x, 9, &d, NULL), SIM_EINVAL);
    ck_assert_int_eq(sim_mser5(x, 10, &d, NULL), SIM_OK);
    x[7] = NAN;
    ck_assert_int_eq(sim_mser5(x, 12, &d, NULL), SIM_EINVAL);
}
END_TEST

/* The budget left of a program whose policy arm adds a billion: the
 * operands differ by run, the policy's sums leave their last bits to
 * chance, and the differences must still be exactly 1e9, +-0. */
START_TEST(test_diff_constant_tranche_exact)
{
    double x[] = { 27391650.47349246, 27402113.25, 27380011.0078125 };
    double d[3], v = -1.0, mag = 0.0;
    for (int i = 0; i < 3; i++) {
        double y = x[i] + 1e9;
        d[i] = y - x[i];
        mag = fmax(mag, fabs(y));
    }
    d[1] = 1e9 + ldexp(1.0, -22);   /* the noise a run leaves */
    d[2] = 1e9 - ldexp(1.0, -23);
    ck_assert_int_eq(sim_diff_constant(d, 3, mag, &v), 1);
    ck_assert(v == 1e9);
    double same[] = { 0.1, 0.1, 0.1 };
    ck_assert_int_eq(sim_diff_constant(same, 3, 0.7, &v), 1);
    ck_assert(v == 0.1);
    double zero[] = { 0.0, 0.0 };
    ck_assert_int_eq(sim_diff_constant(zero, 2, 0.0, &v), 1);
    ck_assert(v == 0.0);
}
END_TEST

/* A real spread, however small beside the operands' noise it is not,
 * stays a spread; no differences are no number. */
START_TEST(test_diff_constant_spread_is_not)
{
    double d[] = { 1e9, 1e9 + 0.5, 1e9 - 0.25 };
    double v = -1.0;
    ck_assert_int_eq(sim_diff_constant(d, 3, 2e9, &v), 0);
    ck_assert(v == -1.0);
    double e[] = { 5.0, 5.001 };
    ck_assert_int_eq(sim_diff_constant(e, 2, 30e6, &v), 0);
    ck_assert_int_eq(sim_diff_constant(e, 0, 30e6, &v), 0);
    double n[] = { NAN, NAN };
    ck_assert_int_eq(sim_diff_constant(n, 2, 1.0, &v), 0);
}
END_TEST

static Suite *stats_suite(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("online");
    tcase_add_test(tc, test_welford_known_values);
    tcase_add_test(tc, test_welford_stable_with_offset);
    tcase_add_test(tc, test_welford_merge_equals_single_pass);
    tcase_add_test(tc, test_ci_student_t);
    tcase_add_test(tc, test_twavg_piecewise);
    tcase_add_test(tc, test_quantile_type7);
    tcase_add_test(tc, test_quantile_select_matches_sort);
    tcase_add_test(tc, test_diff_constant_tranche_exact);
    tcase_add_test(tc, test_diff_constant_spread_is_not);
    suite_add_tcase(s, tc);
    TCase *tm = tcase_create("mser5");
    tcase_add_test(tm, test_mser5_hand_computed);
    tcase_add_test(tm, test_mser5_linear_transient_then_constant);
    tcase_add_test(tm, test_mser5_linear_transient_with_noise);
    tcase_add_test(tm, test_mser5_pure_noise_near_zero);
    tcase_add_test(tm, test_mser5_rejects_short_or_nan);
    suite_add_tcase(s, tm);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(stats_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
