/* tests/check_select.c - KN and the feasibility check on simulated normal
 * data whose best system is known: the empirical probability of correct
 * selection over many macro-replications is at least 1 - alpha in the
 * slippage configuration (the hardest one for an indifference-zone
 * procedure), with and without common random numbers. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>

#include "sim/rng.h"
#include "sim/select.h"

/* One KN selection of k normal systems, means mu[i], sd sigma, correlation
 * rho between systems within a replication (common random numbers: a
 * shared normal plus an own one). Returns the chosen system; *reps gets
 * the observations used. pp: KN++ (variance updating). */
static size_t kn_once(size_t k, const double *mu, double sigma, double rho, unsigned n0,
                      double alpha, double delta, sim_rng *r, size_t *reps, int pp)
{
    sim_err err;
    sim_kn *kn = pp ? sim_knpp_new(k, n0, alpha, delta, &err)
                    : sim_kn_new(k, n0, alpha, delta, &err);
    ck_assert_ptr_nonnull(kn);
    size_t used = 0, nz = 0;
    double *z = NULL;       /* the shared part of replication j */
    while (!sim_kn_done(kn)) {
        size_t need = sim_kn_round(kn);
        if (need > nz) {
            z = realloc(z, need * sizeof *z);
            ck_assert_ptr_nonnull(z);
            while (nz < need)
                z[nz++] = gsl_ran_gaussian_ziggurat(sim_rng_gsl(r), 1.0);
        }
        for (size_t i = 0; i < k; i++) {
            if (!sim_kn_alive(kn, i))
                continue;
            while (sim_kn_count(kn, i) < need) {
                double e = gsl_ran_gaussian_ziggurat(sim_rng_gsl(r), 1.0);
                double zj = z[sim_kn_count(kn, i)];
                double x = mu[i] + sigma * (sqrt(rho) * zj + sqrt(1.0 - rho) * e);
                ck_assert_int_eq(sim_kn_add(kn, i, x), SIM_OK);
                used++;
            }
        }
        ck_assert_uint_gt(sim_kn_screen(kn), 0);
    }
    size_t best = sim_kn_best(kn);
    ck_assert(sim_kn_alive(kn, best));
    sim_kn_free(kn);
    free(z);
    if (reps)
        *reps = used;
    return best;
}

static double pcs(size_t k, size_t best, double gap, double sigma, double rho, unsigned n0,
                  double alpha, int macro, uint64_t seed, double *mean_reps, int pp)
{
    double *mu = calloc(k, sizeof *mu);
    ck_assert_ptr_nonnull(mu);
    mu[best] = gap;
    sim_rng r;
    int correct = 0;
    double reps = 0;
    for (int m = 0; m < macro; m++) {
        sim_rng_init(&r, seed, (uint64_t)m, 0x6b6e /* "kn" */);
        size_t used;
        correct += kn_once(k, mu, sigma, rho, n0, alpha, gap, &r, &used, pp) == best;
        reps += (double)used;
    }
    free(mu);
    if (mean_reps)
        *mean_reps = reps / macro;
    printf("%s k=%zu gap=%g rho=%g: PCS %.3f over %d, %.1f observations\n", pp ? "kn++" : "kn", k, gap, rho,
           (double)correct / macro, macro, reps / macro);
    return (double)correct / macro;
}

START_TEST(test_kn_eta_matches_the_paper)
{
    /* KN (2001): k = 10, n0 = 10, alpha = 0.05: eta = 1/2 [(2 0.05 / 9)^(-2/9) - 1] */
    double eta = sim_select_eta(0.05 / 9.0, 10);
    ck_assert_double_eq_tol(eta, 0.5 * (pow(0.1 / 9.0, -2.0 / 9.0) - 1.0), 1e-15);
    /* worked by hand: ln(9 / 0.1) = 4.49981, x 2/9 = 0.99996, e^ = 2.71817 */
    ck_assert_double_eq_tol(eta, 0.85908, 1e-4);
    sim_err err;
    sim_kn *kn = sim_kn_new(10, 10, 0.05, 1.0, &err);
    ck_assert_double_eq_tol(sim_kn_h2(kn), 2.0 * eta * 9.0, 1e-12);
    sim_kn_free(kn);
}
END_TEST

START_TEST(test_kn_slippage_pcs_independent)
{
    double reps;
    double p = pcs(5, 2, 0.5, 1.0, 0.0, 10, 0.05, 200, 11, &reps, 0);
    ck_assert_msg(p >= 0.95, "PCS %.3f < 0.95", p);
    /* the procedure stops well before its bound of about 5 x 91 observations */
    ck_assert_msg(reps < 5 * 91, "mean observations %.1f", reps);
}
END_TEST

START_TEST(test_kn_slippage_pcs_crn)
{
    /* common random numbers (rho 0.8): the differences vary less, so the
     * same guarantee costs fewer replications */
    double reps_crn, reps_ind;
    double p = pcs(10, 7, 0.25, 1.0, 0.8, 10, 0.05, 200, 12, &reps_crn, 0);
    ck_assert_msg(p >= 0.95, "PCS %.3f < 0.95", p);
    pcs(10, 7, 0.25, 1.0, 0.0, 10, 0.05, 50, 13, &reps_ind, 0);
    ck_assert_msg(reps_crn < 0.5 * reps_ind, "CRN %.0f vs independent %.0f observations",
                  reps_crn, reps_ind);
}
END_TEST

START_TEST(test_knpp_slippage_pcs)
{
    /* KN++: the same slippage configurations, independent and with common
     * random numbers; its guarantee is asymptotic, and it holds here, on
     * fewer observations than KN's (which keeps a first stage's
     * overestimated variances to the end) */
    double reps_pp, reps_kn;
    double p = pcs(5, 2, 0.5, 1.0, 0.0, 10, 0.05, 200, 11, &reps_pp, 1);
    ck_assert_msg(p >= 0.95, "PCS %.3f < 0.95", p);
    pcs(5, 2, 0.5, 1.0, 0.0, 10, 0.05, 200, 11, &reps_kn, 0);
    ck_assert_msg(reps_pp < reps_kn, "KN++ %.1f vs KN %.1f observations", reps_pp, reps_kn);
    p = pcs(10, 7, 0.25, 1.0, 0.8, 10, 0.05, 200, 12, &reps_pp, 1);
    ck_assert_msg(p >= 0.95, "PCS %.3f < 0.95", p);
}
END_TEST

START_TEST(test_knpp_updates_h2_and_falls_short_below_delta)
{
    /* h2 at the first screen uses beta = 1 - (1 - alpha)^(1/(k-1)) and n0 - 1
     * degrees of freedom, then r - 1 */
    sim_err err;
    sim_kn *kn = sim_knpp_new(10, 10, 0.05, 1.0, &err);
    double beta = 1.0 - pow(0.95, 1.0 / 9.0);
    ck_assert_double_eq_tol(sim_kn_h2(kn), 2.0 * sim_select_eta(beta, 10) * 9.0, 1e-12);
    for (size_t i = 0; i < 10; i++)
        for (int j = 0; j < 10; j++)
            sim_kn_add(kn, i, (double)((i * 7 + (size_t)j * 3) % 5));
    ck_assert_uint_gt(sim_kn_screen(kn), 1);
    for (size_t i = 0; i < 10; i++)
        if (sim_kn_alive(kn, i))
            sim_kn_add(kn, i, 1.0);
    sim_kn_screen(kn);
    ck_assert_double_eq_tol(sim_kn_h2(kn), 2.0 * sim_select_eta(beta, 11) * 10.0, 1e-12);
    sim_kn_free(kn);
    /* the negative control: a gap a fifth of delta, PCS well short */
    double *mu = calloc(10, sizeof *mu);
    mu[3] = 0.1;
    sim_rng r;
    int correct = 0;
    for (int m = 0; m < 200; m++) {
        sim_rng_init(&r, 14, (uint64_t)m, 1);
        correct += kn_once(10, mu, 1.0, 0.0, 10, 0.05, 0.5, &r, NULL, 1) == 3;
    }
    free(mu);
    ck_assert_msg(correct < 0.8 * 200, "PCS %.3f", correct / 200.0);
}
END_TEST

START_TEST(test_kn_minimum_gap_below_delta_is_no_failure_of_the_test)
{
    /* a negative control: with the gap a fifth of the indifference zone the
     * guarantee does not apply, and the empirical PCS falls well below
     * 1 - alpha - the PCS tests above can fail */
    double *mu = calloc(10, sizeof *mu);
    mu[3] = 0.1;
    sim_rng r;
    int correct = 0;
    for (int m = 0; m < 200; m++) {
        sim_rng_init(&r, 14, (uint64_t)m, 1);
        correct += kn_once(10, mu, 1.0, 0.0, 10, 0.05, 0.5, &r, NULL, 0) == 3;
    }
    free(mu);
    ck_assert_msg(correct < 0.8 * 200, "PCS %.3f", correct / 200.0);
}
END_TEST

START_TEST(test_kn_single_system_and_ties)
{
    sim_err err;
    sim_kn *kn = sim_kn_new(1, 3, 0.05, 1.0, &err);
    for (int j = 0; j < 3; j++)
        ck_assert_int_eq(sim_kn_add(kn, 0, j), SIM_OK);
    ck_assert_uint_eq(sim_kn_screen(kn), 1);
    ck_assert(sim_kn_done(kn));
    ck_assert_uint_eq(sim_kn_best(kn), 0);
    sim_kn_free(kn);
    /* two identical systems and a worse one: the identical pair can never
     * be told apart; the procedure stops and chooses the first */
    kn = sim_kn_new(3, 5, 0.05, 0.1, &err);
    size_t round = 0;
    while (!sim_kn_done(kn)) {
        ck_assert_uint_lt(++round, 10000);
        for (size_t i = 0; i < 3; i++)
            while (sim_kn_alive(kn, i) && sim_kn_count(kn, i) < sim_kn_round(kn)) {
                double c = (double)(sim_kn_count(kn, i) % 7);
                ck_assert_int_eq(sim_kn_add(kn, i, i == 2 ? c - 1.0 : c), SIM_OK);
            }
        sim_kn_screen(kn);
    }
    ck_assert_uint_eq(sim_kn_best(kn), 0);
    ck_assert(sim_kn_alive(kn, 1));
    ck_assert(!sim_kn_alive(kn, 2));
    ck_assert_uint_eq(sim_kn_eliminated_at(kn, 2), 5);  /* S2 = 0: out at once */
    sim_kn_free(kn);
}
END_TEST

START_TEST(test_kn_rejects_bad_input)
{
    sim_err err;
    ck_assert_ptr_null(sim_kn_new(3, 1, 0.05, 1.0, &err));
    ck_assert_ptr_null(sim_kn_new(3, 5, 0.0, 1.0, &err));
    ck_assert_ptr_null(sim_kn_new(3, 5, 0.05, 0.0, &err));
    ck_assert_ptr_null(sim_kn_new(0, 5, 0.05, 1.0, &err));
    sim_kn *kn = sim_kn_new(2, 2, 0.05, 1.0, &err);
    ck_assert_int_eq(sim_kn_add(kn, 0, NAN), SIM_EINVAL);
    ck_assert_int_eq(sim_kn_add(kn, 0, 1.0), SIM_OK);
    ck_assert_uint_eq(sim_kn_screen(kn), 0);      /* round not complete */
    ck_assert_int_eq(sim_kn_add(kn, 0, 1.0), SIM_OK);
    ck_assert_int_eq(sim_kn_add(kn, 0, 1.0), SIM_EINVAL);   /* ahead of the round */
    ck_assert_int_eq(sim_kn_add(kn, 5, 1.0), SIM_EINVAL);
    sim_kn_free(kn);
    sim_kn_free(NULL);
}
END_TEST

START_TEST(test_kn_max_reps_bounds_the_run)
{
    sim_rng r;
    sim_rng_init(&r, 15, 0, 2);
    double mu[4] = { 0, 0, 0, 0 };     /* all equal: the worst case for length */
    sim_err err;
    sim_kn *kn = sim_kn_new(4, 10, 0.05, 0.5, &err);
    while (!sim_kn_done(kn)) {
        for (size_t i = 0; i < 4; i++)
            while (sim_kn_alive(kn, i) && sim_kn_count(kn, i) < sim_kn_round(kn))
                sim_kn_add(kn, i, mu[i] + gsl_ran_gaussian_ziggurat(sim_rng_gsl(&r), 1.0));
        sim_kn_screen(kn);
        ck_assert_uint_le(sim_kn_round(kn), sim_kn_max_reps(kn));
    }
    sim_kn_free(kn);
}
END_TEST

/* Feasibility: k systems, one constraint, means at +-eps (half feasible,
 * half not): every decision right in at least 1 - alpha of the
 * macro-replications. */
START_TEST(test_feas_decisions_at_the_tolerance)
{
    size_t k = 6;
    double eps = 0.3;
    int all_right = 0;
    sim_err err;
    for (int m = 0; m < 200; m++) {
        sim_rng r;
        sim_rng_init(&r, 16, (uint64_t)m, 3);
        sim_feas *f = sim_feas_new(k, 1, 10, 0.05, &eps, &err);
        ck_assert_ptr_nonnull(f);
        int right = 1;
        for (size_t i = 0; i < k; i++) {
            double mu = i % 2 ? eps : -eps;
            while (sim_feas_status(f, i) == SIM_FEAS_UNDECIDED) {
                double y = mu + gsl_ran_gaussian_ziggurat(sim_rng_gsl(&r), 1.0);
                ck_assert_int_eq(sim_feas_add(f, i, &y), SIM_OK);
                ck_assert_uint_lt(sim_feas_count(f, i), 100000);
            }
            right &= sim_feas_status(f, i) == (i % 2 ? SIM_FEAS_INFEASIBLE : SIM_FEAS_FEASIBLE);
        }
        all_right += right;
        sim_feas_free(f);
    }
    printf("feasibility k=6 at +-eps: all decisions right in %d of 200\n", all_right);
    ck_assert_msg(all_right >= 0.95 * 200, "all right in %d of 200", all_right);
}
END_TEST

START_TEST(test_feas_one_infeasible_constraint_decides)
{
    double eps[2] = { 1.0, 1.0 };
    sim_err err;
    sim_feas *f = sim_feas_new(1, 2, 2, 0.05, eps, &err);
    double y0[2] = { -100.0, 50.0 }, y1[2] = { -100.0, 50.0 };
    ck_assert_int_eq(sim_feas_add(f, 0, y0), SIM_OK);
    ck_assert_int_eq(sim_feas_status(f, 0), SIM_FEAS_UNDECIDED);
    ck_assert_int_eq(sim_feas_add(f, 0, y1), SIM_OK);   /* S2 = 0: decided at once */
    ck_assert_int_eq(sim_feas_status(f, 0), SIM_FEAS_INFEASIBLE);
    ck_assert_int_eq(sim_feas_constraint(f, 0, 0), SIM_FEAS_FEASIBLE);
    ck_assert_int_eq(sim_feas_constraint(f, 0, 1), SIM_FEAS_INFEASIBLE);
    ck_assert_int_eq(sim_feas_add(f, 0, y1), SIM_EINVAL);  /* decided already */
    sim_feas_free(f);
    eps[0] = 0.0;
    ck_assert_ptr_null(sim_feas_new(1, 2, 2, 0.05, eps, &err));
}
END_TEST

static Suite *select_suite(void)
{
    Suite *s = suite_create("select");
    TCase *tc = tcase_create("kn");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_kn_eta_matches_the_paper);
    tcase_add_test(tc, test_kn_slippage_pcs_independent);
    tcase_add_test(tc, test_kn_slippage_pcs_crn);
    tcase_add_test(tc, test_knpp_slippage_pcs);
    tcase_add_test(tc, test_knpp_updates_h2_and_falls_short_below_delta);
    tcase_add_test(tc, test_kn_minimum_gap_below_delta_is_no_failure_of_the_test);
    tcase_add_test(tc, test_kn_single_system_and_ties);
    tcase_add_test(tc, test_kn_rejects_bad_input);
    tcase_add_test(tc, test_kn_max_reps_bounds_the_run);
    suite_add_tcase(s, tc);
    tc = tcase_create("feasibility");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_feas_decisions_at_the_tolerance);
    tcase_add_test(tc, test_feas_one_infeasible_constraint_decides);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(select_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
