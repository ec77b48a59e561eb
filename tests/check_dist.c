/* tests/check_dist.c - the distributions of models/dist.h against their
 * known means and supports (fixed seeds), and the kind names. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "models/dist.h"
#include "sim/rng.h"

enum { N = 200000 };

/* Sample mean and range of N draws of d from stream (42, 0, stream). */
static double sample(const dist *d, uint64_t stream, double *lo, double *hi)
{
    sim_rng r;
    sim_rng_init(&r, 42, 0, stream);
    double sum = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (int i = 0; i < N; i++) {
        double x = dist_draw(d, sim_rng_gsl(&r));
        sum += x;
        *lo = fmin(*lo, x);
        *hi = fmax(*hi, x);
    }
    return sum / N;
}

/* The sample mean is within 5 standard errors of the known mean. */
static void check_mean(dist d, double mean, double sd, double lo_bound, double hi_bound)
{
    double lo, hi;
    double m = sample(&d, (uint64_t)d.kind, &lo, &hi);
    ck_assert_double_eq_tol(dist_mean(&d), mean, 1e-12 * fmax(1.0, fabs(mean)));
    ck_assert_msg(fabs(m - mean) <= 5.0 * sd / sqrt((double)N),
                  "%s: sample mean %g, want %g", dist_kind_name(d.kind), m, mean);
    ck_assert_msg(lo >= lo_bound && hi <= hi_bound, "%s: draws in [%g, %g], want [%g, %g]",
                  dist_kind_name(d.kind), lo, hi, lo_bound, hi_bound);
}

START_TEST(test_dist_fixed_is_its_value)
{
    check_mean(dist_fixed(24), 24, 0, 24, 24);
}
END_TEST

START_TEST(test_dist_uniform_mean_and_support)
{
    dist d = { DIST_UNIFORM, 12, 36, 0 };
    check_mean(d, 24, 24 / sqrt(12.0), 12, 36);
}
END_TEST

START_TEST(test_dist_exponential_mean)
{
    dist d = { DIST_EXPONENTIAL, 24, 0, 0 };
    check_mean(d, 24, 24, 0, INFINITY);
}
END_TEST

START_TEST(test_dist_lognormal_mean)
{
    /* mu = log 24, sigma = 0.5: mean 24 e^{0.125}, variance (e^{0.25} - 1) mean^2 */
    dist d = { DIST_LOGNORMAL, log(24.0), 0.5, 0 };
    double mean = 24 * exp(0.125);
    check_mean(d, mean, mean * sqrt(exp(0.25) - 1), 0, INFINITY);
}
END_TEST

START_TEST(test_dist_gamma_mean)
{
    dist d = { DIST_GAMMA, 4, 6, 0 };          /* shape 4, scale 6: mean 24, sd 12 */
    check_mean(d, 24, 12, 0, INFINITY);
}
END_TEST

START_TEST(test_dist_normal_clipped_at_zero)
{
    dist d = { DIST_NORMAL, 24, 5, 0 };        /* P(x < 0) ~ 1e-6: mean 24 */
    check_mean(d, 24, 5, 0, INFINITY);
    dist neg = { DIST_NORMAL, -10, 1, 0 };      /* every draw clipped */
    double lo, hi;
    ck_assert_double_eq(sample(&neg, 9, &lo, &hi), 0.0);
}
END_TEST

START_TEST(test_dist_triangular_mean_and_support)
{
    dist d = { DIST_TRIANGULAR, 1, 20, 5 };    /* min 1, max 20, mode 5 */
    double var = (1 + 400 + 25 - 20 - 5 - 100) / 18.0;
    check_mean(d, 26 / 3.0, sqrt(var), 1, 20);
    dist flat = { DIST_TRIANGULAR, 7, 7, 7 };  /* max <= min: the minimum */
    double lo, hi;
    ck_assert_double_eq(sample(&flat, 8, &lo, &hi), 7.0);
}
END_TEST

START_TEST(test_dist_names_round_trip)
{
    for (int k = DIST_FIXED; k <= DIST_TRIANGULAR; k++)
        ck_assert_int_eq(dist_kind_from_name(dist_kind_name((dist_kind)k)), k);
    ck_assert_str_eq(dist_kind_name(DIST_LOGNORMAL), "lognormal");
    ck_assert_str_eq(dist_kind_name((dist_kind)99), "?");
    ck_assert_int_eq(dist_kind_from_name("weibull"), -1);
    dist bad = { (dist_kind)99, 1, 2, 3 };
    ck_assert(isnan(dist_mean(&bad)));
}
END_TEST

static Suite *dist_suite(void)
{
    Suite *s = suite_create("dist");
    TCase *tc = tcase_create("draws");
    tcase_add_test(tc, test_dist_fixed_is_its_value);
    tcase_add_test(tc, test_dist_uniform_mean_and_support);
    tcase_add_test(tc, test_dist_exponential_mean);
    tcase_add_test(tc, test_dist_lognormal_mean);
    tcase_add_test(tc, test_dist_gamma_mean);
    tcase_add_test(tc, test_dist_normal_clipped_at_zero);
    tcase_add_test(tc, test_dist_triangular_mean_and_support);
    suite_add_tcase(s, tc);
    TCase *tn = tcase_create("names");
    tcase_add_test(tn, test_dist_names_round_trip);
    suite_add_tcase(s, tn);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dist_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
