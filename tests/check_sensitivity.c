/* tests/check_sensitivity.c - grid, Latin hypercube, Saltelli design, Jansen
 * estimators (Ishigami function) and their bootstrap. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "sim/sensitivity.h"

static const double pi = 3.14159265358979323846;

START_TEST(test_grid_full_factorial_last_fastest)
{
    unsigned n[2] = { 3, 2 };
    ck_assert_uint_eq(sim_design_grid_size(2, n), 6);
    double g[12];
    sim_design_grid(2, n, g);
    static const double want[12] = { 0, 0, 0, 1, 0.5, 0, 0.5, 1, 1, 0, 1, 1 };
    for (int i = 0; i < 12; i++)
        ck_assert_double_eq_tol(g[i], want[i], 1e-15);
}
END_TEST

START_TEST(test_lhs_one_point_per_stratum_and_seeded)
{
    enum { K = 3, N = 50 };
    double a[N * K], b[N * K];
    sim_design_lhs(K, N, 42, 7, a);
    sim_design_lhs(K, N, 42, 7, b);
    for (int i = 0; i < N * K; i++)
        ck_assert(a[i] == b[i]);
    for (int j = 0; j < K; j++) {
        int seen[N] = { 0 };
        for (int i = 0; i < N; i++) {
            double x = a[i * K + j];
            ck_assert(x >= 0 && x < 1);
            seen[(int)(x * N)]++;
        }
        for (int s = 0; s < N; s++)
            ck_assert_int_eq(seen[s], 1);
    }
    sim_design_lhs(K, N, 43, 7, b);
    int differ = 0;
    for (int i = 0; i < N * K; i++)
        differ |= a[i] != b[i];
    ck_assert(differ);
}
END_TEST

START_TEST(test_saltelli_blocks)
{
    enum { K = 3, N = 16 };
    double *d = malloc(sim_design_saltelli_size(K, N) * K * sizeof *d);
    ck_assert_int_eq(sim_design_saltelli(K, N, d, NULL), SIM_OK);
    for (int i = 0; i < K; i++)
        for (int r = 0; r < N; r++)
            for (int j = 0; j < K; j++) {
                double ab = d[((2 + i) * N + r) * K + j];
                double src = j == i ? d[(N + r) * K + j] : d[r * K + j];
                ck_assert(ab == src);
            }
    for (int r = 0; r < 2 * N * K; r++)
        ck_assert(d[r] > 0 && d[r] < 1);
    ck_assert_int_eq(sim_design_saltelli(0, N, d, NULL), SIM_EINVAL);
    ck_assert_int_eq(sim_design_saltelli(SIM_SOBOL_MAX_VARS + 1, N, d, NULL), SIM_EINVAL);
    free(d);
}
END_TEST

static double ishigami(const double *u)
{
    double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1];
    double x3 = -pi + 2 * pi * u[2];
    return sin(x1) + 7.0 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

/* Ishigami (a = 7, b = 0.1): S = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424,
 * 0.2437). N = 8192 puts Jansen's estimates within 0.02. */
START_TEST(test_jansen_ishigami)
{
    enum { K = 3, N = 8192 };
    size_t rows = sim_design_saltelli_size(K, N);
    double *d = malloc(rows * K * sizeof *d), *y = malloc(rows * sizeof *y);
    ck_assert_int_eq(sim_design_saltelli(K, N, d, NULL), SIM_OK);
    for (size_t r = 0; r < rows; r++)
        y[r] = ishigami(d + r * K);
    double S[K], ST[K];
    sim_sobol_jansen(K, N, y, S, ST);
    static const double wS[K] = { 0.3139, 0.4424, 0.0 }, wST[K] = { 0.5576, 0.4424, 0.2437 };
    for (int i = 0; i < K; i++) {
        ck_assert_double_eq_tol(S[i], wS[i], 0.02);
        ck_assert_double_eq_tol(ST[i], wST[i], 0.02);
    }
    double slo[K], shi[K], tlo[K], thi[K];
    ck_assert_int_eq(sim_sobol_bootstrap(K, N, y, 200, 0.95, 1, 99, slo, shi, tlo, thi, NULL),
                     SIM_OK);
    for (int i = 0; i < K; i++) {
        ck_assert(slo[i] <= S[i] + 1e-9 && S[i] <= shi[i] + 1e-9);
        ck_assert(tlo[i] <= ST[i] + 1e-9 && ST[i] <= thi[i] + 1e-9);
        ck_assert(shi[i] - slo[i] < 0.1);
        ck_assert(thi[i] - tlo[i] < 0.1);
    }
    /* the same seed gives the same intervals */
    double slo2[K], shi2[K], tlo2[K], thi2[K];
    sim_sobol_bootstrap(K, N, y, 200, 0.95, 1, 99, slo2, shi2, tlo2, thi2, NULL);
    for (int i = 0; i < K; i++)
        ck_assert(slo[i] == slo2[i] && thi[i] == thi2[i]);
    free(d);
    free(y);
}
END_TEST

START_TEST(test_jansen_constant_output_is_nan)
{
    enum { K = 2, N = 8 };
    double y[N * (K + 2)];
    for (int i = 0; i < N * (K + 2); i++)
        y[i] = 5.0;
    double S[K], ST[K];
    sim_sobol_jansen(K, N, y, S, ST);
    ck_assert(isnan(S[0]) && isnan(ST[1]));
}
END_TEST

static Suite *sensitivity_suite(void)
{
    Suite *s = suite_create("sensitivity");
    TCase *tc = tcase_create("designs");
    tcase_add_test(tc, test_grid_full_factorial_last_fastest);
    tcase_add_test(tc, test_lhs_one_point_per_stratum_and_seeded);
    tcase_add_test(tc, test_saltelli_blocks);
    suite_add_tcase(s, tc);
    tc = tcase_create("indices");
    tcase_add_test(tc, test_jansen_ishigami);
    tcase_add_test(tc, test_jansen_constant_output_is_nan);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sensitivity_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
