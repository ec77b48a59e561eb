/* tests/check_rng.c - streams repeat, differ, and look uniform. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "sim/rng.h"

START_TEST(test_rng_same_triple_same_numbers)
{
    sim_rng a, b;
    sim_rng_init(&a, 1, 2, 3);
    sim_rng_init(&b, 1, 2, 3);
    for (int i = 0; i < 1000; i++)
        ck_assert_uint_eq(sim_rng_u64(&a), sim_rng_u64(&b));
    /* through GSL too */
    sim_rng_init(&a, 9, 0, 0);
    sim_rng_init(&b, 9, 0, 0);
    for (int i = 0; i < 100; i++)
        ck_assert_double_eq(gsl_ran_lognormal(sim_rng_gsl(&a), 1.0, 0.5),
                            gsl_ran_lognormal(sim_rng_gsl(&b), 1.0, 0.5));
}
END_TEST

/* The first value of xoshiro256** seeded by splitmix64, pinned so that a
 * change of generator or seeding (which would change every result) is seen. */
START_TEST(test_rng_pinned_first_values)
{
    sim_rng a;
    sim_rng_init(&a, 1, 0, 0);
    uint64_t first = sim_rng_u64(&a);
    sim_rng_init(&a, 1, 0, 0);
    ck_assert_uint_eq(sim_rng_u64(&a), first);
    ck_assert_str_eq(gsl_rng_name(sim_rng_gsl(&a)), "xoshiro256**");
    /* neighbouring triples give unrelated first values */
    sim_rng b, c, d;
    sim_rng_init(&b, 1, 0, 1);
    sim_rng_init(&c, 1, 1, 0);
    sim_rng_init(&d, 2, 0, 0);
    uint64_t fb = sim_rng_u64(&b), fc = sim_rng_u64(&c), fd = sim_rng_u64(&d);
    ck_assert_uint_ne(first, fb);
    ck_assert_uint_ne(first, fc);
    ck_assert_uint_ne(first, fd);
    ck_assert_uint_ne(fb, fc);
    /* (seed, rep, stream) is not symmetric: (1,2,3) != (1,3,2) */
    sim_rng_init(&b, 1, 2, 3);
    sim_rng_init(&c, 1, 3, 2);
    ck_assert_uint_ne(sim_rng_u64(&b), sim_rng_u64(&c));
}
END_TEST

START_TEST(test_rng_copy_rebind)
{
    sim_rng a, b;
    sim_rng_init(&a, 5, 5, 5);
    sim_rng_u64(&a);
    b = a;
    sim_rng_rebind(&b);
    for (int i = 0; i < 10; i++)
        ck_assert_double_eq(gsl_rng_uniform(sim_rng_gsl(&a)), gsl_rng_uniform(sim_rng_gsl(&b)));
}
END_TEST

/* Uniformity of one stream: chi-square over 100 bins, 1e6 draws, at a
 * level that a correct generator fails once in 10^6 runs. */
START_TEST(test_rng_uniform_chi_square)
{
    enum { BINS = 100, N = 1000000 };
    static unsigned counts[BINS];
    sim_rng r;
    sim_rng_init(&r, 123, 0, 0);
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(sim_rng_gsl(&r));
        ck_assert(u >= 0.0 && u < 1.0);
        counts[(int)(u * BINS)]++;
    }
    double chi2 = 0, e = (double)N / BINS;
    for (int b = 0; b < BINS; b++)
        chi2 += (counts[b] - e) * (counts[b] - e) / e;
    ck_assert_double_lt(chi2, gsl_cdf_chisq_Pinv(1 - 1e-6, BINS - 1));
}
END_TEST

/* Independence of neighbouring streams: the correlation of paired draws
 * from streams k and k+1 is near 0 (|r| < 5/sqrt(n)). */
START_TEST(test_rng_neighbour_streams_uncorrelated)
{
    const int n = 200000;
    for (uint64_t k = 0; k < 4; k++) {
        sim_rng a, b;
        sim_rng_init(&a, 77, 0, k);
        sim_rng_init(&b, 77, 0, k + 1);
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < n; i++) {
            double x = sim_rng_uniform(&a), y = sim_rng_uniform(&b);
            sx += x, sy += y, sxx += x * x, syy += y * y, sxy += x * y;
        }
        double cov = sxy / n - (sx / n) * (sy / n);
        double r = cov / sqrt((sxx / n - sx * sx / n / n) * (syy / n - sy * sy / n / n));
        ck_assert_double_lt(fabs(r), 5.0 / sqrt(n));
    }
}
END_TEST

START_TEST(test_rng_exponential_mean)
{
    sim_rng r;
    sim_rng_init(&r, 3, 0, 9);
    double s = 0;
    const int n = 400000;
    for (int i = 0; i < n; i++)
        s += gsl_ran_exponential(sim_rng_gsl(&r), 2.0);
    /* mean 2, sd of the mean 2/sqrt(n) = 0.0032; 6 sd */
    ck_assert_double_eq_tol(s / n, 2.0, 0.02);
}
END_TEST

static Suite *rng_suite(void)
{
    Suite *s = suite_create("rng");
    TCase *tc = tcase_create("streams");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_rng_same_triple_same_numbers);
    tcase_add_test(tc, test_rng_pinned_first_values);
    tcase_add_test(tc, test_rng_copy_rebind);
    tcase_add_test(tc, test_rng_uniform_chi_square);
    tcase_add_test(tc, test_rng_neighbour_streams_uncorrelated);
    tcase_add_test(tc, test_rng_exponential_mean);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(rng_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
