/* tests/check_economy.c - the voucher economy on configs built in C:
 * hand-computed subsidies, budget exhaustion, tranches, lapse and return,
 * reneging, additionality, the ledger on a large random scenario, and
 * common random numbers across routing policies. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/economy.h"
#include "models/firm.h"
#include "sim/rng.h"
#include "tests/econ_fixture.h"

#define TOL 1e-6

/* A burst of arrivals at t0: about per_h / 1000 firms within a thousandth
 * of an hour, so every firm's times are known to that. */
static void burst(config *c, size_t city, double t0, double per_h)
{
    fx_bursts(c, city, 1, &t0, 0.001, per_h);
}

static void assert_ledger_ok(const fx_run *r)
{
    sim_err err = { 0 };
    ck_assert_msg(economy_check(r->e, &err) == SIM_OK, "%s", err.msg);
    ck_assert_double_eq(fx_scalar(r, "ledger_ok"), 1.0);
}

/* ---- money to the yuan ---- */

START_TEST(test_economy_subsidy_and_copay_exact)
{
    /* bill = 8 GPUs x 100 h x 10 = 8000; voucher = 0.8 x 800 x 10 = 6400
     * (or the cap); all firms identical */
    static const double cap[] = { INFINITY, 5000.0 };
    static const double sub[] = { 6400.0, 5000.0 };
    for (int i = 0; i < 2; i++) {
        config *c = fx_config(1, 1, 1);
        c->dcs[0].gpus[0].value = 1000;
        c->programs[0].cap_per_firm = cap[i];
        burst(c, 0, 1.0, 5000.0);
        fx_run *r = fx_run_new(c, 0);
        double n = fx_scalar(r, "firms_arrived");
        ck_assert_double_ge(n, 1.0);
        ck_assert_double_eq(fx_scalar(r, "firms_buying"), n);
        ck_assert_double_eq(fx_scalar(r, "firms_granted.p0"), n);
        ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), n * sub[i], TOL);
        ck_assert_double_eq_tol(fx_scalar(r, "copay_total"), n * (8000.0 - sub[i]), TOL);
        ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_total"), n * 800.0, TOL);
        ck_assert_double_eq_tol(fx_scalar(r, "revenue_total"), n * 8000.0, TOL);
        size_t last = r->nsamples - 1;
        ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "spent", 0, last), n * sub[i], TOL);
        ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "remaining", 0, last),
                                1e6 - n * sub[i], TOL);
        ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "lapsed", 0, last), 0.0, TOL);
        ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "committed", 0, last), 0.0, TOL);
        ck_assert_double_eq_tol(fx_series(r, GROUP_CITY, "subsidy", 0, last), n * sub[i], TOL);
        ck_assert_double_eq_tol(fx_series(r, GROUP_CITY, "copay", 0, last),
                                n * (8000.0 - sub[i]), TOL);
        ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "vouchers_active", 0, last), 0.0);
        assert_ledger_ok(r);
        fx_run_free(r);
        fx_free(c);
    }
}
END_TEST

/* ---- budgets ---- */

START_TEST(test_economy_budget_runs_out_at_exact_hour)
{
    /* ~10 firms arrive at 100 h, approval 10 h: vouchers of 6400 from a
     * budget of 22400 are 3 full, one of 3200, then refusals, at 110 h */
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].budget = 22400.0;
    c->programs[0].approval_delay_h = dist_fixed(10.0);
    burst(c, 0, 100.0, 10000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 5.0);
    double ex = fx_scalar(r, "exhaustion_h.p0");
    ck_assert_double_ge(ex, 110.0);
    ck_assert_double_le(ex, 110.001);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p0"), 4.0);
    size_t last = r->nsamples - 1;
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "refusals", 0, last), n - 4.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "applications", 0, last), n);
    /* sample 4 (96 h): nothing granted yet; sample 5 (120 h): all gone */
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "remaining", 0, 4), 22400.0);
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "remaining", 0, 5), 0.0, TOL);
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "committed", 0, 5), 22400.0, TOL);
    /* refused firms buy at full price (reservation 100 >= 10) */
    ck_assert_double_eq(fx_scalar(r, "firms_buying"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_deadweight"), 4.0);
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), 22400.0, TOL);
    ck_assert_double_eq_tol(fx_scalar(r, "copay_total"), n * 8000.0 - 22400.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_tranche_used_up_on_day_three)
{
    /* lottery rounds every day; two vouchers' worth at start, used up in
     * the round of day 1; a tranche of three vouchers on day 2 goes to
     * firms arriving then, in the round of day 3 */
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].budget = 12800.0;
    c->programs[0].allocation = ALLOC_LOTTERY;
    program_change *tl = fx_timeline(c, 0, 1);
    tl[0].t_h = 48.0;
    tl[0].add_budget = 19200.0;
    static const double t[] = { 1.0, 50.0 };
    fx_bursts(c, 0, 2, t, 0.001, 10000.0);
    fx_run *r = fx_run_new(c, 0);
    ck_assert_double_eq(fx_scalar(r, "exhaustion_h.p0"), 24.0);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p0"), 5.0);
    ck_assert_double_eq(r->t[3], 72.0);
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "remaining", 0, 1), 0.0, TOL);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "remaining", 0, 2), 19200.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "tranches", 0, 2), 19200.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "grants", 0, 2), 2.0);
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "remaining", 0, 3), 0.0, TOL);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "grants", 0, 3), 5.0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "refusals", 0, 3), n - 5.0);
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), 32000.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_lottery_window_opened_before_start)
{
    /* window opened 50 h before the start, rounds every 24 h: rounds at
     * -26 h and -2 h never happen; the first is at 22 h (once scheduled
     * in the past, which stopped the run) */
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].allocation = ALLOC_LOTTERY;
    c->programs[0].open_h = -50.0;
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    ck_assert_int_eq(r->rc, SIM_OK);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "grants", 0, 0), 0.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "grants", 0, 1), n);
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "committed", 0, 1), n * 6400.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_last_sample_after_jobs_ending_at_horizon)
{
    /* samples at 0 and 48 h (the horizon); lottery round at 24 h starts
     * jobs of 24 h that end at 48 h, scheduled after the last sample was:
     * the last row must include them, as the totals do */
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].allocation = ALLOC_LOTTERY;
    c->cities[0].firms.kind[JOB_TRAINING].hours = dist_fixed(24.0);
    c->horizon_h = 48.0;
    c->sample_h = 48.0;
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    ck_assert_uint_eq(r->nsamples, 2);
    ck_assert_double_eq(r->t[1], 48.0);
    /* bill 8 x 24 x 10 = 1920, subsidy 0.8 x 1920 = 1536 */
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), n * 1536.0, TOL);
    ck_assert_double_eq_tol(fx_series(r, GROUP_CITY, "subsidy", 0, 1), n * 1536.0, TOL);
    ck_assert_double_eq_tol(fx_series(r, GROUP_DATACENTER, "revenue", 0, 1), n * 1920.0, TOL);
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "running_jobs", 0, 1), 0.0);
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "committed", 0, 1), 0.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_lapse_versus_return)
{
    /* (a) coverage drops to 0.5 at 5 h, after the grants at ~1.5 h: the job
     * ending at ~101.5 h gets 4000 of the 6400; 2400 is left at the close.
     * (b) validity 50 h: the voucher expires before the job ends, whole. */
    for (int rule = 0; rule < 2; rule++)
        for (int expire = 0; expire < 2; expire++) {
            config *c = fx_config(1, 1, 1);
            c->dcs[0].gpus[0].value = 1000;
            c->programs[0].on_expiry = rule ? EXPIRY_RETURN : EXPIRY_LAPSE;
            if (expire) {
                c->programs[0].validity_h = 50.0;
            } else {
                program_change *tl = fx_timeline(c, 0, 1);
                tl[0].t_h = 5.0;
                tl[0].coverage = 0.5;
            }
            burst(c, 0, 1.0, 5000.0);
            fx_run *r = fx_run_new(c, 0);
            double n = fx_scalar(r, "firms_arrived");
            ck_assert_double_ge(n, 1.0);
            double paid = expire ? 0.0 : 4000.0, left = 6400.0 - paid;
            size_t last = r->nsamples - 1;
            ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), n * paid, TOL);
            ck_assert_double_eq_tol(fx_scalar(r, "copay_total"), n * (8000.0 - paid), TOL);
            ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "lapsed", 0, last),
                                    rule ? 0.0 : n * left, TOL);
            ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "remaining", 0, last),
                                    1e6 - n * paid - (rule ? 0.0 : n * left), TOL);
            ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "committed", 0, last), 0.0, TOL);
            /* while the vouchers are open (sample 1, 24 h) all is committed */
            ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "committed", 0, 1), n * 6400.0, TOL);
            ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "vouchers_active", 0, 1), n);
            assert_ledger_ok(r);
            fx_run_free(r);
            fx_free(c);
        }
}
END_TEST

/* ---- jobs ---- */

START_TEST(test_economy_reneging_abandons_firm)
{
    /* one 8-GPU center; each firm has 3 jobs of 8 GPUs x 100 h and waits
     * 10 h at most: the first firm runs all three, the others give up at
     * ~11.5 h and their vouchers (3 x 6400) lapse */
    config *c = fx_config(1, 1, 1);
    c->cities[0].firms.jobs = dist_fixed(3);
    c->cities[0].firms.patience_h = dist_fixed(10.0);
    burst(c, 0, 1.0, 10000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 3.0);
    ck_assert_double_eq(fx_scalar(r, "firms_buying"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_abandoned"), n - 1.0);
    ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_total"), 2400.0, TOL);
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), 19200.0, TOL);
    ck_assert_double_eq_tol(fx_scalar(r, "mean_wait_east_h"), 0.0, TOL);
    ck_assert(isnan(fx_scalar(r, "mean_wait_west_h")));
    /* the jobs behind those waits: the first firm's three; none in the west */
    ck_assert_double_eq(fx_scalar(r, "firm_jobs_started_east"), 3.0);
    ck_assert_double_eq(fx_scalar(r, "firm_jobs_started_west"), 0.0);
    /* before reneging (sample at 0 h nothing; at 24 h the queue is empty) */
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "waiting_jobs", 0, 1), 0.0);
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "running_jobs", 0, 1), 1.0);
    size_t last = r->nsamples - 1;
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "lapsed", 0, last),
                            (n - 1.0) * 19200.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* Background warm start: Poisson(rate x hours) = about 100 one-GPU jobs
 * already running at t = 0 on 1000 GPUs, so the first sample shows about
 * 10% busy; without it, none; and the arrivals after t = 0 are the same. */
START_TEST(test_economy_background_warm_start)
{
    double busy0[2], busy_late[2];
    for (int warm = 0; warm < 2; warm++) {
        config *c = fx_config(1, 1, 0);
        double t0[1] = { 0 }, g0[1] = { 1000 };
        fx_capacity(c, 0, 1, t0, g0);
        c->dcs[0].bg_rate = 10.0;
        c->dcs[0].bg_gpus = dist_fixed(1);
        c->dcs[0].bg_hours = dist_fixed(10);
        c->dcs[0].bg_patience_h = dist_fixed(1000);
        c->dcs[0].bg_warm = warm;
        c->horizon_h = 48;
        fx_run *r = fx_run_new(c, 0);
        ck_assert_int_eq(r->rc, SIM_OK);
        busy0[warm] = fx_series(r, GROUP_DATACENTER, "busy_gpus", 0, 0);
        busy_late[warm] = fx_series(r, GROUP_DATACENTER, "busy_gpus", 0, r->nsamples - 1);
        ck_assert_double_eq(fx_scalar(r, "ledger_ok"), 1.0);
        fx_run_free(r);
        fx_free(c);
    }
    ck_assert_double_eq(busy0[0], 0.0);
    ck_assert_double_ge(busy0[1], 60.0);      /* Poisson(100): 4 sd */
    ck_assert_double_le(busy0[1], 140.0);
    /* after the warm jobs (at most 10 h) are gone, the same arrivals run */
    ck_assert_double_eq(busy_late[0], busy_late[1]);
}
END_TEST

START_TEST(test_economy_queue_starts_next_after_head_reneges)
{
    /* 8 GPUs; a firm job holds all 8 until ~101.5 h. Background jobs of 4
     * GPUs (patience 10 h) queue behind; after reneging they go, and the
     * center ends the run with nothing waiting forever: every submitted
     * job is finished, running, waiting or abandoned. */
    config *c = fx_config(1, 1, 0);
    c->dcs[0].bg_rate = 0.5;
    c->dcs[0].bg_gpus = dist_fixed(4);
    c->dcs[0].bg_hours = dist_fixed(2);
    c->dcs[0].bg_patience_h = dist_fixed(10);
    burst(c, 0, 1.0, 1000.0);   /* probably one firm, maybe none or two */
    c->horizon_h = 300.0;
    fx_run *r = fx_run_new(c, 0);
    assert_ledger_ok(r);
    ck_assert_double_le(fx_series(r, GROUP_DATACENTER, "busy_gpus", 0, 2), 8.0);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_job_too_large_is_abandoned)
{
    config *c = fx_config(1, 2, 1);
    c->cities[0].firms.kind[JOB_TRAINING].gpus = dist_fixed(16);
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    ck_assert_double_eq(fx_scalar(r, "firms_buying"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_abandoned"), n);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_total"), 0.0);
    size_t last = r->nsamples - 1;
    /* the voucher (0.8 x 1600 GPU-h x 10) closes unused and lapses */
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "lapsed", 0, last), n * 12800.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);

    /* capacity growth to 16 GPUs before the firms come lets them run */
    static const double t[] = { 0.0, 0.5 }, g[] = { 8.0, 16.0 };
    fx_capacity(c, 1, 2, t, g);
    r = fx_run_new(c, 0);
    ck_assert_double_eq(fx_scalar(r, "firms_abandoned"), 0.0);
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "capacity_gpus", 1, 1), 16.0);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_utilization_and_energy)
{
    /* vouchers off: firms decide at arrival (within [1, 1.001) h) and run
     * 8 GPUs each for 100 h on a 1000-GPU center */
    config *c = fx_config(1, 1, 0);
    c->dcs[0].gpus[0].value = 1000;
    c->vouchers = 0;
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    double busy = 8.0 * n;
    ck_assert_double_eq_tol(fx_series(r, GROUP_DATACENTER, "utilization", 0, 2), busy / 1000.0, 1e-12);
    ck_assert_double_eq_tol(fx_series(r, GROUP_REGION, "utilization", REGION_EAST, 2), busy / 1000.0, 1e-12);
    ck_assert(isnan(fx_series(r, GROUP_REGION, "utilization", REGION_WEST, 2)));
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "busy_gpus", 0, 2), busy);
    /* energy = busy GPU-h x 0.5 kW x PUE 1.2; cost at 0.5 yuan/kWh */
    double e48 = busy * 47.0 * 0.6;
    ck_assert_double_eq_tol(fx_series(r, GROUP_DATACENTER, "energy", 0, 2), e48, busy * 0.001 * 0.6);
    ck_assert_double_eq_tol(fx_series(r, GROUP_DATACENTER, "energy_cost", 0, 2), 0.5 * e48, busy * 0.001);
    ck_assert_double_eq_tol(fx_scalar(r, "energy_kwh_total"), busy * 100.0 * 0.6, 1e-6);
    ck_assert_double_eq_tol(fx_scalar(r, "utilization_east"), busy * 100.0 / 1e6, 1e-12);
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "revenue", 0, 4), 0.0);
    ck_assert_double_eq_tol(fx_series(r, GROUP_DATACENTER, "revenue", 0, 5), 8000.0 * n, TOL);
    ck_assert(isnan(fx_scalar(r, "gini_subsidy")));
    ck_assert_double_eq(fx_scalar(r, "firms_deadweight"), 0.0);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* ---- decisions ---- */

/* A voucher good only at the dear center: net of it the firm would pay
 * more than full price elsewhere, so it gives the voucher back and buys at
 * full price (neither additional nor deadweight, no subsidy). Centers of
 * 100000 GPUs at 10 and 2 yuan: full-price reference 6; the voucher's 10,
 * with coverage 0.3 an effective 7; reservation 6.5. */
START_TEST(test_economy_declined_voucher_buys_at_full_price)
{
    config *c = fx_config(1, 2, 1);
    for (size_t d = 0; d < 2; d++)
        c->dcs[d].gpus[0].value = 100000;
    c->dcs[0].price = 10.0;
    c->dcs[1].price = 2.0;
    c->programs[0].accepts[1] = 0;
    c->programs[0].coverage = 0.3;
    c->cities[0].firms.reservation_price = dist_fixed(6.5);
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p0"), n);
    ck_assert_double_eq(fx_scalar(r, "vouchers_declined"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_buying"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_additional"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "firms_deadweight"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "subsidy_total"), 0.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "remaining", 0, r->nsamples - 1), 1e6);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_additional_and_deadweight)
{
    /* full price 10; voucher price (8000 - 6400) / 800 = 2. Reservation 9:
     * additional; 12: deadweight; 1: declines the voucher; 9 without a
     * program: does not buy */
    static const double res[] = { 9.0, 12.0, 1.0, 9.0 };
    config *c = fx_config(4, 1, 3);
    c->dcs[0].gpus[0].value = 100000;
    for (size_t i = 0; i < 4; i++) {
        c->cities[i].firms.reservation_price = dist_fixed(res[i]);
        burst(c, i, 1.0 + (double)i, 5000.0);
    }
    for (size_t p = 0; p < 3; p++)
        c->programs[p].city = p;
    fx_run *r = fx_run_new(c, 0);
    size_t last = r->nsamples - 1;
    double a[4];
    for (size_t i = 0; i < 4; i++) {
        a[i] = fx_series(r, GROUP_CITY, "firms_arrived", i, last);
        ck_assert_double_ge(a[i], 1.0);
    }
    ck_assert_double_eq(fx_scalar(r, "firms_arrived"), a[0] + a[1] + a[2] + a[3]);
    ck_assert_double_eq(fx_scalar(r, "firms_additional"), a[0]);
    ck_assert_double_eq(fx_scalar(r, "firms_deadweight"), a[1]);
    ck_assert_double_eq(fx_scalar(r, "firms_buying"), a[0] + a[1]);
    ck_assert_double_eq(fx_scalar(r, "vouchers_declined"), a[2]);
    ck_assert_double_eq(fx_series(r, GROUP_CITY, "firms_additional", 0, last), a[0]);
    ck_assert_double_eq(fx_series(r, GROUP_CITY, "firms_deadweight", 1, last), a[1]);
    ck_assert_double_eq(fx_series(r, GROUP_CITY, "firms_buying", 3, last), 0.0);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p2"), a[2]);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "remaining", 2, last), 1e6);
    ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_additional"), 800.0 * a[0], TOL);
    /* the same by program: p0 (city 0) has the additional firms, p1 the
     * deadweight ones, p2 (decliners) neither */
    static const char *const pn[] = { "p0", "p1", "p2" };
    for (size_t p = 0; p < 3; p++) {
        char k[64];
        snprintf(k, sizeof k, "firms_additional.%s", pn[p]);
        ck_assert_double_eq(fx_scalar(r, k), p == 0 ? a[0] : 0.0);
        snprintf(k, sizeof k, "firms_deadweight.%s", pn[p]);
        ck_assert_double_eq(fx_scalar(r, k), p == 1 ? a[1] : 0.0);
        snprintf(k, sizeof k, "gpu_hours_additional.%s", pn[p]);
        ck_assert_double_eq_tol(fx_scalar(r, k), p == 0 ? 800.0 * a[0] : 0.0, TOL);
    }
    ck_assert_double_eq_tol(fx_scalar(r, "deadweight_share"), a[1] / (a[0] + a[1]), 1e-12);
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_per_additional_gpu_hour"),
                            6400.0 * (a[0] + a[1]) / (800.0 * a[0]), 1e-9);
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_share_micro_small"), 1.0, 1e-12);
    /* granted firms got 6400 each, decliners 0: Gini of that mix */
    double g = a[2] / (a[0] + a[1] + a[2]);
    ck_assert_double_eq_tol(fx_scalar(r, "gini_subsidy"), g, 1e-9);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_program_eligibility_and_window)
{
    /* p0 is for medium firms only, p1 opens at 10 h, p2 is research-only:
     * micro general-track firms arriving at 1 h apply nowhere, those at
     * 30 h to p1 */
    config *c = fx_config(1, 1, 3);
    c->dcs[0].gpus[0].value = 100000;
    c->programs[0].eligible_size[SIZE_MICRO] = 0;
    c->programs[1].open_h = 10.0;
    c->programs[2].research_only = 1;
    static const double t[] = { 1.0, 30.0 };
    fx_bursts(c, 0, 2, t, 0.001, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    size_t last = r->nsamples - 1;
    double n1 = fx_series(r, GROUP_CITY, "firms_arrived", 0, 1);
    ck_assert_double_ge(n1, 1.0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "applications", 0, last), 0.0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "applications", 1, last), n - n1);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "applications", 2, last), 0.0);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* ---- a larger random scenario ---- */

static config *random_config(route_policy routing, double budget)
{
    config *c = fx_config(4, 6, 5);
    c->horizon_h = 2400.0;
    c->routing = routing;
    for (size_t i = 0; i < 4; i++) {
        city_cfg *ct = &c->cities[i];
        ct->region = i < 3 ? REGION_EAST : REGION_WEST;
        static const double t[] = { 0.0, 500.0, 1000.0 }, v[] = { 1.0, 0.0, 2.0 };
        free(ct->rate);
        ct->rate = malloc(3 * sizeof *ct->rate);
        for (int k = 0; k < 3; k++)
            ct->rate[k] = (step){ t[k], v[k] * (1.0 + 0.5 * (double)i) };
        ct->nrate = 3;
        firm_profile *fp = &ct->firms;
        fp->size_share[SIZE_MICRO] = 0.5;
        fp->size_share[SIZE_SMALL] = 0.35;
        fp->size_share[SIZE_MEDIUM] = 0.15;
        fp->research_share = 0.2;
        fp->jobs = (dist){ DIST_UNIFORM, 0.5, 4.0, 0.0 };
        fp->kind[JOB_TRAINING] = (job_profile){ 0.2, { DIST_UNIFORM, 1, 32, 0 },
                                                { DIST_LOGNORMAL, log(100.0), 1.0, 0 }, INFINITY };
        fp->kind[JOB_FINETUNE] = (job_profile){ 0.5, dist_fixed(8),
                                                { DIST_LOGNORMAL, log(24.0), 0.7, 0 }, INFINITY };
        fp->kind[JOB_INFERENCE] = (job_profile){ 0.3, dist_fixed(2),
                                                 { DIST_GAMMA, 4.0, 50.0, 0 }, 12.0 };
        fp->reservation_price = (dist){ DIST_LOGNORMAL, log(6.0), 0.5, 0 };
        fp->patience_h = (dist){ DIST_EXPONENTIAL, 72.0, 0, 0 };
    }
    for (size_t d = 0; d < 6; d++) {
        dc_cfg *dc = &c->dcs[d];
        dc->region = d < 3 ? REGION_EAST : REGION_WEST;
        dc->price = 4.0 + (double)d;
        dc->bg_rate = 0.2 + 0.1 * (double)d;
        dc->bg_gpus = (dist){ DIST_UNIFORM, 1, 16, 0 };
        dc->bg_hours = (dist){ DIST_EXPONENTIAL, 48, 0, 0 };
        dc->bg_patience_h = (dist){ DIST_EXPONENTIAL, 24, 0, 0 };
        for (size_t k = 0; k < 4; k++)
            dc->latency_ms[k] = dc->region == c->cities[k].region ? 5.0 + (double)d : 25.0;
        double t[] = { 0.0, 300.0 * (double)(d + 1) }, g[] = { 32.0 * (double)(d + 1), 64.0 * (double)(d + 1) };
        fx_capacity(c, d, 2, t, g);
    }
    for (size_t p = 0; p < 5; p++) {
        program_cfg *pc = &c->programs[p];
        pc->city = p % 4;
        pc->budget = budget;
        pc->coverage = 0.3 + 0.1 * (double)p;
        pc->cap_per_firm = p % 2 ? 20000.0 : INFINITY;
        pc->validity_h = 500.0 + 100.0 * (double)p;
        pc->approval_delay_h = (dist){ DIST_UNIFORM, 24, 72, 0 };
        pc->allocation = p % 2 ? ALLOC_LOTTERY : ALLOC_FCFS;
        pc->lottery_every_h = 168.0;
        pc->on_expiry = p % 3 ? EXPIRY_RETURN : EXPIRY_LAPSE;
        pc->research_only = p == 4;
        for (size_t d = 0; d < 6; d++)
            pc->accepts[d] = p == 1 ? d >= 3 : 1;
        program_change *tl = fx_timeline(c, p, 3);
        tl[0] = (program_change){ 400.0, budget / 2, NAN, NAN, 0 };
        tl[1] = (program_change){ 900.0, 0.0, 0.2, 5000.0, 0 };
        tl[2] = (program_change){ 1800.0, 0.0, NAN, NAN, p == 2 };
    }
    return c;
}

START_TEST(test_economy_ledger_holds_in_random_scenario)
{
    for (int pol = 0; pol < ROUTE_COUNT; pol++) {
        config *c = random_config((route_policy)pol, 200000.0);
        fx_run *r = fx_run_new(c, (uint64_t)pol);
        assert_ledger_ok(r);
        ck_assert_double_gt(fx_scalar(r, "firms_arrived"), 1000.0);
        ck_assert_double_gt(fx_scalar(r, "subsidy_total"), 0.0);
        ck_assert_double_gt(fx_scalar(r, "firms_abandoned"), 0.0);
        double spent = 0.0, granted = 0.0;
        size_t last = r->nsamples - 1;
        for (size_t p = 0; p < 5; p++) {
            spent += fx_series(r, GROUP_PROGRAM, "spent", p, last);
            granted += fx_series(r, GROUP_PROGRAM, "grants", p, last);
        }
        ck_assert_double_eq_tol(spent, fx_scalar(r, "subsidy_total"), 1e-3);
        ck_assert_double_gt(granted, 0.0);
        double g = fx_scalar(r, "gini_subsidy");
        ck_assert(g >= 0.0 && g <= 1.0);
        ck_assert_double_eq(fx_scalar(r, "events"), (double)sim_events_run(r->eng));
        for (size_t k = 0; k < r->nsamples; k++)
            for (size_t d = 0; d < 6; d++) {
                double u = fx_series(r, GROUP_DATACENTER, "utilization", d, k);
                ck_assert(u >= 0.0 && u <= 1.0 + 1e-12);
            }
        fx_run_free(r);
        fx_free(c);
    }
}
END_TEST

/* ---- reproducibility and common random numbers ---- */

static int same_doubles(const double *a, const double *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

START_TEST(test_economy_same_seed_same_series)
{
    config *c = random_config(ROUTE_LATENCY_AWARE, 200000.0);
    fx_run *a = fx_run_new(c, 3), *b = fx_run_new(c, 3), *d = fx_run_new(c, 4);
    ck_assert_uint_eq(a->nsamples, b->nsamples);
    ck_assert(same_doubles(a->v, b->v, a->nsamples * a->width));
    ck_assert(same_doubles(a->t, b->t, a->nsamples));
    ck_assert_uint_eq(a->nsamples, d->nsamples);
    ck_assert(!same_doubles(a->v, d->v, a->nsamples * a->width));
    ck_assert_double_ne(fx_scalar(a, "firms_arrived"), fx_scalar(d, "firms_arrived"));
    fx_run_free(a);
    fx_run_free(b);
    fx_run_free(d);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_routing_keeps_firms)
{
    /* with budgets that never run short, who arrives, applies, is granted
     * and buys does not depend on routing: every such series matches */
    static const char *const city_series[] = { "firms_arrived", "firms_buying",
                                               "firms_additional", "firms_deadweight" };
    static const char *const prog_series[] = { "applications", "grants" };
    config *c = random_config(ROUTE_NEAREST, 1e12);
    fx_run *base = fx_run_new(c, 0);
    for (int pol = 1; pol < ROUTE_COUNT; pol++) {
        c->routing = (route_policy)pol;
        fx_run *r = fx_run_new(c, 0);
        ck_assert_double_eq(fx_scalar(r, "firms_arrived"), fx_scalar(base, "firms_arrived"));
        ck_assert_double_eq(fx_scalar(r, "firms_buying"), fx_scalar(base, "firms_buying"));
        for (size_t k = 0; k < r->nsamples; k++) {
            for (size_t s = 0; s < 4; s++)
                for (size_t i = 0; i < 4; i++)
                    ck_assert_double_eq(fx_series(r, GROUP_CITY, city_series[s], i, k),
                                        fx_series(base, GROUP_CITY, city_series[s], i, k));
            for (size_t s = 0; s < 2; s++)
                for (size_t p = 0; p < 5; p++)
                    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, prog_series[s], p, k),
                                        fx_series(base, GROUP_PROGRAM, prog_series[s], p, k));
        }
        /* the routing does change where jobs go */
        int differs = 0;
        for (size_t d = 0; d < 6; d++)
            differs |= fx_series(r, GROUP_DATACENTER, "revenue", d, r->nsamples - 1)
                       != fx_series(base, GROUP_DATACENTER, "revenue", d, base->nsamples - 1);
        ck_assert(differs);
        ck_assert_double_eq(fx_scalar(r, "ledger_ok"), 1.0);
        fx_run_free(r);
    }
    fx_run_free(base);
    fx_free(c);
}
END_TEST

/* Streams are keyed by names: listing the cities in another order leaves
 * every city's firms as they were (common random numbers survive a
 * scenario that adds or reorders entities). */
START_TEST(test_economy_city_order_keeps_firms)
{
    static const char *const city_series[] = { "firms_arrived", "firms_buying",
                                               "firms_additional", "firms_deadweight" };
    config *c = random_config(ROUTE_LEAST_LOADED, 1e12);
    fx_run *base = fx_run_new(c, 0);
    /* swap cities 0 and 3 (and what refers to them by index) */
    city_cfg tmp = c->cities[0];
    c->cities[0] = c->cities[3];
    c->cities[3] = tmp;
    for (size_t d = 0; d < c->ndcs; d++) {
        double l = c->dcs[d].latency_ms[0];
        c->dcs[d].latency_ms[0] = c->dcs[d].latency_ms[3];
        c->dcs[d].latency_ms[3] = l;
    }
    for (size_t p = 0; p < c->nprograms; p++)
        if (c->programs[p].city == 0 || c->programs[p].city == 3)
            c->programs[p].city = 3 - c->programs[p].city;
    fx_run *r = fx_run_new(c, 0);
    static const size_t now_at[4] = { 3, 1, 2, 0 };   /* city i of base is now at now_at[i] */
    for (size_t k = 0; k < r->nsamples; k++)
        for (size_t s = 0; s < 4; s++)
            for (size_t i = 0; i < 4; i++)
                ck_assert_double_eq(fx_series(r, GROUP_CITY, city_series[s], now_at[i], k),
                                    fx_series(base, GROUP_CITY, city_series[s], i, k));
    ck_assert_double_eq(fx_scalar(r, "ledger_ok"), 1.0);
    fx_run_free(r);
    fx_run_free(base);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_firm_draws_depend_on_stream_only)
{
    config *c = random_config(ROUTE_NEAREST, 1.0);
    firm a = { 0 }, b = { 0 };
    sim_rng r1, r2;
    sim_rng_init(&r1, 7, 0, sim_rng_mix(2, 41));
    sim_rng_init(&r2, 7, 0, sim_rng_mix(2, 41));
    ck_assert_int_eq(firm_draw(&a, 2, &c->cities[2].firms, sim_rng_gsl(&r1)), SIM_OK);
    /* b's slot held another firm first: a reused slot draws the same */
    sim_rng_init(&r2, 7, 0, sim_rng_mix(2, 40));
    ck_assert_int_eq(firm_draw(&b, 2, &c->cities[2].firms, sim_rng_gsl(&r2)), SIM_OK);
    sim_rng_init(&r2, 7, 0, sim_rng_mix(2, 41));
    ck_assert_int_eq(firm_draw(&b, 2, &c->cities[2].firms, sim_rng_gsl(&r2)), SIM_OK);
    ck_assert_uint_eq(a.njobs, b.njobs);
    ck_assert_uint_ge(a.njobs, 1);
    for (uint32_t j = 0; j < a.njobs; j++) {
        ck_assert_int_eq(a.jobs[j].kind, b.jobs[j].kind);
        ck_assert_uint_eq(a.jobs[j].gpus, b.jobs[j].gpus);
        ck_assert_uint_ge(a.jobs[j].gpus, 1);
        ck_assert_double_eq(a.jobs[j].hours, b.jobs[j].hours);
    }
    ck_assert_double_eq(a.reservation, b.reservation);
    ck_assert_double_eq(a.patience_h, b.patience_h);
    ck_assert_double_eq(a.need_gpu_h, b.need_gpu_h);
    ck_assert(isnan(a.approval_h));
    firm_fini(&a);
    firm_fini(&b);
    fx_free(c);
}
END_TEST

START_TEST(test_economy_samples_end_at_horizon)
{
    config *c = fx_config(1, 1, 1);
    c->horizon_h = 100.0;
    fx_run *r = fx_run_new(c, 0);
    static const double want[] = { 0, 24, 48, 72, 96, 100 };
    ck_assert_uint_eq(r->nsamples, 6);
    for (size_t k = 0; k < 6; k++)
        ck_assert_double_eq(r->t[k], want[k]);
    ck_assert_double_eq(fx_scalar(r, "firms_arrived"), 0.0);
    ck_assert(isnan(fx_scalar(r, "exhaustion_h.p0")));
    ck_assert(isnan(fx_series(r, GROUP_REGION, "mean_wait", REGION_EAST, 5)));
    ck_assert_str_eq(economy_entity_name(r->e, GROUP_REGION, 1), "west");
    ck_assert_str_eq(economy_entity_name(r->e, GROUP_PROGRAM, 0), "p0");
    ck_assert_str_eq(economy_group_name(GROUP_CITY), "city");
    for (size_t i = 0; i < economy_scalar_count(r->e); i++) {
        const econ_scalar_def *d = economy_scalar(r->e, i);
        ck_assert(d->name && d->unit && d->desc && *d->desc);
    }
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* ---- the measurement window ---- */

static double sum_series(const fx_run *r, econ_group g, const char *name, size_t i)
{
    double s = 0.0;
    for (size_t k = 0; k < r->nsamples; k++)
        s += fx_series(r, g, name, i, k);
    return s;
}

/* With a warm-up, the window's flows and counts balance against the stocks
 * carried in: per center, jobs arrived - started - abandoned is the change
 * in the queue and started - finished the change in running jobs, to the
 * job; the ledger holds at every sample from the opening balance; the
 * cohort of firms is arrived = buying + not buying + pending; L = lambda W
 * holds for the queues up to the jobs queued across the window's edges. */
START_TEST(test_economy_warmup_window_balances)
{
    config *c = random_config(ROUTE_LATENCY_AWARE, 200000.0);
    c->warmup_h = 1500.0;
    fx_run *r = fx_run_new(c, 3);
    assert_ledger_ok(r);
    ck_assert_double_eq(r->t[0], 0.0);
    ck_assert_double_eq(r->t[r->nsamples - 1], c->horizon_h);
    size_t last = r->nsamples - 1;
    double lq = 0.0, wq = 0.0;
    for (size_t d = 0; d < 6; d++) {
        double arrived = sum_series(r, GROUP_DATACENTER, "jobs_arrived", d);
        double started = sum_series(r, GROUP_DATACENTER, "jobs_started", d);
        double finished = sum_series(r, GROUP_DATACENTER, "jobs_finished", d);
        double abandoned = sum_series(r, GROUP_DATACENTER, "jobs_abandoned", d);
        double w0 = fx_series(r, GROUP_DATACENTER, "waiting_jobs", d, 0);
        double w1 = fx_series(r, GROUP_DATACENTER, "waiting_jobs", d, last);
        double r0 = fx_series(r, GROUP_DATACENTER, "running_jobs", d, 0);
        double r1 = fx_series(r, GROUP_DATACENTER, "running_jobs", d, last);
        ck_assert_double_gt(arrived, 100.0);
        ck_assert_double_eq(arrived - started - abandoned, w1 - w0);
        ck_assert_double_eq(started - finished, r1 - r0);
        for (size_t k = 1; k < r->nsamples; k++)
            lq += fx_series(r, GROUP_DATACENTER, "mean_waiting", d, k) * (r->t[k] - r->t[k - 1]);
        wq += sum_series(r, GROUP_DATACENTER, "queue_time", d);
    }
    /* integral of the queue length = time in queue of the jobs that left it */
    ck_assert_double_gt(lq, 100.0);
    ck_assert_double_eq_tol(lq / wq, 1.0, 0.05);
    for (size_t p = 0; p < 5; p++) {
        double open = fx_series(r, GROUP_PROGRAM, "remaining", p, 0)
                      + fx_series(r, GROUP_PROGRAM, "committed", p, 0);
        ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "spent", p, 0), 0.0);
        for (size_t k = 0; k < r->nsamples; k++) {
            double in = open + fx_series(r, GROUP_PROGRAM, "tranches", p, k);
            double out = fx_series(r, GROUP_PROGRAM, "remaining", p, k)
                         + fx_series(r, GROUP_PROGRAM, "committed", p, k)
                         + fx_series(r, GROUP_PROGRAM, "spent", p, k)
                         + fx_series(r, GROUP_PROGRAM, "lapsed", p, k);
            ck_assert_double_eq_tol(in, out, 1.0);
        }
    }
    ck_assert_double_eq(fx_scalar(r, "firms_arrived"),
                        fx_scalar(r, "firms_buying") + fx_scalar(r, "firms_not_buying")
                        + fx_scalar(r, "firms_pending_decision"));
    ck_assert_double_eq(fx_series(r, GROUP_CITY, "firms_arrived", 0, 0), 0.0);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* A cool-down lets the window's applicants hear back and changes nothing
 * that happened inside the window. */
START_TEST(test_economy_cooldown_completes_decisions)
{
    config *c = random_config(ROUTE_NEAREST, 200000.0);
    c->warmup_h = 500.0;
    fx_run *a = fx_run_new(c, 1);
    c->cooldown_h = 400.0;
    fx_run *b = fx_run_new(c, 1);
    assert_ledger_ok(a);
    assert_ledger_ok(b);
    ck_assert_double_gt(fx_scalar(a, "firms_pending_decision"), 0.0);
    ck_assert_double_eq(fx_scalar(b, "firms_pending_decision"), 0.0);
    ck_assert_double_gt(fx_scalar(b, "firms_buying"), fx_scalar(a, "firms_buying"));
    /* the cool-down's buyers add to what is owed at the horizon */
    ck_assert_double_gt(fx_scalar(b, "gpu_hours_owed_at_horizon"),
                        fx_scalar(a, "gpu_hours_owed_at_horizon"));
    ck_assert_double_ge(fx_scalar(b, "gpu_hours_owed_at_horizon"),
                        fx_scalar(b, "gpu_hours_owed_additional"));
    static const char *const same[] = {
        "firms_arrived", "subsidy_total", "copay_total", "gpu_hours_total",
        "utilization_east", "utilization_west", "jobs_waiting_end", "jobs_running_end",
        "mean_wait_east_h", "revenue_total", "budget_left.p0", "exhaustion_h.p0",
        "gpu_hours_in_progress",
    };
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
        double x = fx_scalar(a, same[i]), y = fx_scalar(b, same[i]);
        ck_assert_msg((isnan(x) && isnan(y)) || x == y, "%s: %g != %g", same[i], x, y);
    }
    ck_assert_uint_eq(a->nsamples, b->nsamples);
    ck_assert(same_doubles(a->v, b->v, a->nsamples * a->width));
    fx_run_free(a);
    fx_run_free(b);
    fx_free(c);
}
END_TEST

/* Programs with no money are not there: every total is that of
 * vouchers: false, to the bit (the firms' draws do not depend on whether
 * they apply). */
START_TEST(test_economy_empty_programs_equal_no_vouchers)
{
    config *c = random_config(ROUTE_LATENCY_AWARE, 0.0);
    for (size_t p = 0; p < c->nprograms; p++)
        for (size_t k = 0; k < c->programs[p].ntimeline; k++)
            c->programs[p].timeline[k].add_budget = 0.0;
    c->warmup_h = 300.0;
    c->cooldown_h = 200.0;
    fx_run *a = fx_run_new(c, 2);
    c->vouchers = 0;
    fx_run *b = fx_run_new(c, 2);
    ck_assert_double_gt(fx_scalar(a, "firms_arrived"), 1000.0);
    for (size_t i = 0; i < economy_scalar_count(a->e); i++) {
        const char *name = economy_scalar(a->e, i)->name;
        if (strchr(name, '.'))              /* per program: differ by design */
            continue;
        double x = economy_scalar_value(a->e, i), y = economy_scalar_value(b->e, i);
        ck_assert_msg((isnan(x) && isnan(y)) || x == y, "%s: %g != %g", name, x, y);
    }
    ck_assert_double_eq(fx_scalar(a, "subsidy_total"), 0.0);
    ck_assert_double_eq(fx_series(a, GROUP_PROGRAM, "applications", 0, a->nsamples - 1), 0.0);
    ck_assert_double_gt(fx_series(a, GROUP_PROGRAM, "turned_away", 0, a->nsamples - 1), 0.0);
    fx_run_free(a);
    fx_run_free(b);
    fx_free(c);
}
END_TEST

/* Data vouchers pay for training data, to the yuan, and touch no GPU: 10 TB
 * at 1000 yuan/TB, reservation 800/TB, coverage 0.5: a 5000-yuan voucher
 * makes the net price 500/TB, so every firm buys, and only thanks to it. A
 * firm holds a compute and a data voucher at once. */
START_TEST(test_economy_data_voucher_pays_for_data)
{
    config *c = fx_config(1, 1, 2);
    c->dcs[0].gpus[0].value = 1000;
    data_profile *dp = &c->cities[0].firms.data;
    dp->share = 1.0;
    dp->amount = dist_fixed(10.0);
    dp->price = dist_fixed(1000.0);
    dp->reservation = dist_fixed(800.0);
    c->programs[1].kind = PROGRAM_DATA;
    c->programs[1].coverage = 0.5;
    c->programs[1].approval_delay_h = dist_fixed(5.0);
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p0"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p1"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_data_buying"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_data_additional"), n);
    ck_assert_double_eq(fx_scalar(r, "firms_data_deadweight"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "firms_additional.p1"), n);     /* the data program's */
    ck_assert_double_eq(fx_scalar(r, "firms_deadweight.p1"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_additional.p1"), 0.0);
    ck_assert_double_eq_tol(fx_scalar(r, "data_spend_total"), n * 10000.0, TOL);
    ck_assert_double_eq_tol(fx_scalar(r, "data_subsidy_total"), n * 5000.0, TOL);
    size_t last = r->nsamples - 1;
    ck_assert_double_eq_tol(fx_series(r, GROUP_PROGRAM, "spent", 1, last), n * 5000.0, TOL);
    ck_assert_double_eq_tol(fx_series(r, GROUP_CITY, "data_subsidy", 0, last), n * 5000.0, TOL);
    /* compute as in test_economy_subsidy_and_copay_exact: untouched */
    ck_assert_double_eq_tol(fx_scalar(r, "subsidy_total"), n * 6400.0, TOL);
    ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_total"), n * 800.0, TOL);
    assert_ledger_ok(r);
    fx_run_free(r);
    /* without the voucher nobody buys data (1000 > 800) */
    c->vouchers = 0;
    r = fx_run_new(c, 0);
    ck_assert_double_eq(fx_scalar(r, "firms_data_buying"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "data_spend_total"), 0.0);
    ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_total"), n * 800.0, TOL);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* A program that has run out turns firms away at once: they decide at
 * full price on arrival, with no approval delay. */
START_TEST(test_economy_empty_program_turns_away)
{
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].budget = 0.0;
    c->programs[0].approval_delay_h = dist_fixed(50.0);
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "turned_away", 0, r->nsamples - 1), n);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "applications", 0, r->nsamples - 1), 0.0);
    ck_assert_double_eq(fx_scalar(r, "firms_buying"), n);
    /* all jobs (8 GPUs x 100 h) started on arrival: by day 1 all were running */
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "busy_gpus", 0, 1), 8.0 * n);
    /* it ran out when the first firm found it empty (1 h), not at 0 h */
    ck_assert_double_ge(fx_scalar(r, "exhaustion_h.p0"), 1.0);
    ck_assert_double_le(fx_scalar(r, "exhaustion_h.p0"), 1.001);
    fx_run_free(r);
    /* when_empty: apply: they apply and are refused after the delay */
    c->programs[0].empty_apply = 1;
    r = fx_run_new(c, 0);
    ck_assert_double_eq(fx_series(r, GROUP_PROGRAM, "refusals", 0, r->nsamples - 1), n);
    ck_assert_double_eq(fx_series(r, GROUP_DATACENTER, "busy_gpus", 0, 1), 0.0);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* Budget 0 and the whole pool appropriated at the start date (the
 * multi-year scenarios' shape): the empty pool at 0 h, before the
 * appropriation of the same instant lands, is not a run-out. As in
 * test_economy_budget_runs_out_at_exact_hour, 22400 yuan are 3.5 vouchers
 * of 6400 granted at 110 h: it runs out then, for good. */
START_TEST(test_economy_appropriated_at_start_runs_out_at_exact_hour)
{
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].budget = 0.0;
    c->programs[0].approval_delay_h = dist_fixed(10.0);
    program_change *tl = fx_timeline(c, 0, 1);
    tl[0].t_h = 0.0;
    tl[0].add_budget = 22400.0;
    burst(c, 0, 100.0, 10000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 5.0);
    double ex = fx_scalar(r, "exhaustion_h.p0"), fin = fx_scalar(r, "exhaustion_final_h.p0");
    ck_assert_double_ge(ex, 110.0);
    ck_assert_double_le(ex, 110.001);
    ck_assert_double_eq(fin, ex);
    ck_assert_double_eq(fx_scalar(r, "firms_granted.p0"), 4.0);
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* Two budget years: t = 0 is 1970-12-02, so 1 January 1971 is at 720 h,
 * within the 1000 h horizon; `year_end: return`. Money returned at the
 * year end is not a run-out; the program runs out when an applicant then
 * finds it empty, and "for good" only if nothing refilled it. */
START_TEST(test_economy_year_end_return_is_not_a_run_out)
{
    for (int refill = 0; refill < 2; refill++) {
        config *c = fx_config(1, 1, 1);
        c->start_day = 335;                    /* 1970-12-02 */
        c->dcs[0].gpus[0].value = 1000;
        c->programs[0].budget = 0.0;
        c->programs[0].year_end_return = 1;
        c->programs[0].approval_delay_h = dist_fixed(10.0);
        program_change *tl = fx_timeline(c, 0, 2);
        tl[0].t_h = 0.0;                       /* 1970's pool: money left */
        tl[0].add_budget = 1e6;
        tl[1].t_h = 720.0;                     /* 1971's: none, or 2 vouchers */
        tl[1].add_budget = refill ? 12800.0 : 0.0;
        static const double t[] = { 100.0, 800.0 };
        fx_bursts(c, 0, 2, t, 0.001, 10000.0);
        fx_run *r = fx_run_new(c, 0);
        double ex = fx_scalar(r, "exhaustion_h.p0"), fin = fx_scalar(r, "exhaustion_final_h.p0");
        /* without a refill, the first firm of 800 h finds the pool empty;
         * with 2 vouchers' worth, the grants at 810 h use it up */
        double want = refill ? 810.0 : 800.0;
        ck_assert_msg(ex >= want && ex <= want + 0.001, "refill %d: run out at %g h", refill, ex);
        ck_assert_double_eq(fin, ex);
        ck_assert_double_gt(fx_series(r, GROUP_PROGRAM, "returned", 0, r->nsamples - 1), 0.0);
        assert_ledger_ok(r);
        fx_run_free(r);
        /* no applicant after the year end: it never ran out */
        fx_bursts(c, 0, 1, t, 0.001, 10000.0);
        r = fx_run_new(c, 0);
        ck_assert(isnan(fx_scalar(r, "exhaustion_h.p0")));
        ck_assert(isnan(fx_scalar(r, "exhaustion_final_h.p0")));
        fx_run_free(r);
        fx_free(c);
    }
}
END_TEST

/* Run out in the first year, refilled by the second year's appropriation:
 * it first ran out then, but not for good. */
START_TEST(test_economy_refilled_is_not_run_out_for_good)
{
    config *c = fx_config(1, 1, 1);
    c->start_day = 335;
    c->dcs[0].gpus[0].value = 1000;
    c->programs[0].budget = 0.0;
    c->programs[0].year_end_return = 1;
    c->programs[0].approval_delay_h = dist_fixed(10.0);
    program_change *tl = fx_timeline(c, 0, 2);
    tl[0].t_h = 0.0;
    tl[0].add_budget = 12800.0;
    tl[1].t_h = 720.0;
    tl[1].add_budget = 1e6;
    burst(c, 0, 100.0, 10000.0);
    fx_run *r = fx_run_new(c, 0);
    double ex = fx_scalar(r, "exhaustion_h.p0");
    ck_assert_double_ge(ex, 110.0);
    ck_assert_double_le(ex, 110.001);
    ck_assert(isnan(fx_scalar(r, "exhaustion_final_h.p0")));
    assert_ledger_ok(r);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* ---- what is owed at the horizon ---- */

/* One 8-GPU center; n firms arrive at 950 h (within 0.001 h), each with
 * two jobs of 8 GPUs x 100 h and a reservation price of 5 (full price 10,
 * net 2 with the voucher: every buyer is additional). With a 0.5 h
 * approval delay the first firm starts at 950.5 h: at the horizon (1000 h)
 * it has run 8 x 49.5 = 396 GPU-h of its first job, owes 8 x 50.5 = 404 of
 * it and its second job (800); the other firms owe both jobs, 1600 each.
 * No job has finished: total + owed + in progress = 1600 n. */
START_TEST(test_economy_owed_at_horizon_by_hand)
{
    config *c = fx_config(1, 1, 1);
    c->cities[0].firms.jobs = dist_fixed(2);
    c->cities[0].firms.reservation_price = dist_fixed(5.0);
    burst(c, 0, 950.0, 3000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 2.0);
    ck_assert_double_eq(fx_scalar(r, "firms_additional"), n);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_total"), 0.0);
    ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_in_progress"), 396.0, 0.01);
    double owed = fx_scalar(r, "gpu_hours_owed_at_horizon");
    ck_assert_double_eq_tol(owed, 1600.0 * n - 396.0, 0.01);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_owed_additional"), owed);
    ck_assert_double_eq_tol(owed + fx_scalar(r, "gpu_hours_in_progress"), 1600.0 * n, TOL);
    ck_assert_double_eq(fx_scalar(r, "jobs_running_end"), 1.0);
    ck_assert_double_eq(fx_scalar(r, "jobs_waiting_end"), n - 1.0);
    assert_ledger_ok(r);
    fx_run_free(r);
    /* at full price (reservation 100 > 10) the same firms owe the same
     * hours, none of them additional */
    c->cities[0].firms.reservation_price = dist_fixed(100.0);
    r = fx_run_new(c, 0);
    ck_assert_double_eq(fx_scalar(r, "firms_arrived"), n);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_owed_at_horizon"), owed);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_owed_additional"), 0.0);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* Jobs that end before the horizon owe nothing: n firms at 1 h, one job
 * each, on a center that holds them all, finish at 101.5 h. */
START_TEST(test_economy_owed_nothing_when_all_finished)
{
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    burst(c, 0, 1.0, 5000.0);
    fx_run *r = fx_run_new(c, 0);
    double n = fx_scalar(r, "firms_arrived");
    ck_assert_double_ge(n, 1.0);
    ck_assert_double_eq_tol(fx_scalar(r, "gpu_hours_total"), 800.0 * n, TOL);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_owed_at_horizon"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_owed_additional"), 0.0);
    ck_assert_double_eq(fx_scalar(r, "gpu_hours_in_progress"), 0.0);
    fx_run_free(r);
    fx_free(c);
}
END_TEST

/* Firms still awaiting their voucher at the horizon (arrived at 950 h,
 * approval 100 h): without a cool-down nothing is owed yet (they are
 * firms_pending_decision); with one they decide at 1050 h and buy, and
 * their two jobs each (1600 GPU-h a firm) are owed, to additional firms
 * with a reservation price of 5; nothing frozen at the horizon moves. */
START_TEST(test_economy_owed_includes_cooldown_decisions)
{
    config *c = fx_config(1, 1, 1);
    c->dcs[0].gpus[0].value = 1000;
    c->cities[0].firms.jobs = dist_fixed(2);
    c->programs[0].approval_delay_h = dist_fixed(100.0);
    burst(c, 0, 950.0, 3000.0);
    static const double res[] = { 5.0, 100.0 };
    for (int k = 0; k < 2; k++) {
        c->cities[0].firms.reservation_price = dist_fixed(res[k]);
        c->cooldown_h = 0.0;
        fx_run *a = fx_run_new(c, 0);
        c->cooldown_h = 200.0;
        fx_run *b = fx_run_new(c, 0);
        double n = fx_scalar(a, "firms_arrived");
        ck_assert_double_ge(n, 1.0);
        ck_assert_double_eq(fx_scalar(a, "firms_pending_decision"), n);
        ck_assert_double_eq(fx_scalar(a, "gpu_hours_owed_at_horizon"), 0.0);
        ck_assert_double_eq(fx_scalar(b, "firms_pending_decision"), 0.0);
        ck_assert_double_eq(fx_scalar(b, "firms_buying"), n);
        ck_assert_double_eq_tol(fx_scalar(b, "gpu_hours_owed_at_horizon"), 1600.0 * n, TOL);
        ck_assert_double_eq_tol(fx_scalar(b, "gpu_hours_owed_additional"),
                                k == 0 ? 1600.0 * n : 0.0, TOL);
        ck_assert_double_eq(fx_scalar(b, "gpu_hours_in_progress"), 0.0);
        ck_assert_double_eq(fx_scalar(b, "gpu_hours_total"), fx_scalar(a, "gpu_hours_total"));
        assert_ledger_ok(b);
        fx_run_free(a);
        fx_run_free(b);
    }
    fx_free(c);
}
END_TEST

static Suite *economy_suite(void)
{
    Suite *s = suite_create("economy");
    TCase *tm = tcase_create("money");
    tcase_add_test(tm, test_economy_subsidy_and_copay_exact);
    tcase_add_test(tm, test_economy_budget_runs_out_at_exact_hour);
    tcase_add_test(tm, test_economy_tranche_used_up_on_day_three);
    tcase_add_test(tm, test_economy_appropriated_at_start_runs_out_at_exact_hour);
    tcase_add_test(tm, test_economy_year_end_return_is_not_a_run_out);
    tcase_add_test(tm, test_economy_refilled_is_not_run_out_for_good);
    tcase_add_test(tm, test_economy_lapse_versus_return);
    tcase_add_test(tm, test_economy_lottery_window_opened_before_start);
    tcase_add_test(tm, test_economy_last_sample_after_jobs_ending_at_horizon);
    suite_add_tcase(s, tm);
    TCase *tj = tcase_create("jobs");
    tcase_add_test(tj, test_economy_reneging_abandons_firm);
    tcase_add_test(tj, test_economy_queue_starts_next_after_head_reneges);
    tcase_add_test(tj, test_economy_background_warm_start);
    tcase_add_test(tj, test_economy_job_too_large_is_abandoned);
    tcase_add_test(tj, test_economy_utilization_and_energy);
    tcase_add_test(tj, test_economy_owed_at_horizon_by_hand);
    tcase_add_test(tj, test_economy_owed_nothing_when_all_finished);
    tcase_add_test(tj, test_economy_owed_includes_cooldown_decisions);
    suite_add_tcase(s, tj);
    TCase *td = tcase_create("decisions");
    tcase_add_test(td, test_economy_additional_and_deadweight);
    tcase_add_test(td, test_economy_declined_voucher_buys_at_full_price);
    tcase_add_test(td, test_economy_program_eligibility_and_window);
    suite_add_tcase(s, td);
    TCase *tr = tcase_create("runs");
    tcase_set_timeout(tr, 120);
    tcase_add_test(tr, test_economy_ledger_holds_in_random_scenario);
    tcase_add_test(tr, test_economy_same_seed_same_series);
    tcase_add_test(tr, test_economy_routing_keeps_firms);
    tcase_add_test(tr, test_economy_firm_draws_depend_on_stream_only);
    tcase_add_test(tr, test_economy_city_order_keeps_firms);
    tcase_add_test(tr, test_economy_samples_end_at_horizon);
    tcase_add_test(tr, test_economy_warmup_window_balances);
    tcase_add_test(tr, test_economy_cooldown_completes_decisions);
    tcase_add_test(tr, test_economy_empty_programs_equal_no_vouchers);
    tcase_add_test(tr, test_economy_data_voucher_pays_for_data);
    tcase_add_test(tr, test_economy_empty_program_turns_away);
    suite_add_tcase(s, tr);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(economy_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
