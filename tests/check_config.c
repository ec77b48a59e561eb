/* tests/check_config.c - the scenario schema: defaults, unit conversions,
 * distributions, cross-references and one fixture per class of bad value,
 * each asserting the whole "file:line:col: key.path: message". */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "models/limits.h"
#include "models/scenario.h"

static void data_path(char *buf, size_t size, const char *name)
{
    const char *top = getenv("top_srcdir");
    snprintf(buf, size, "%s/tests/data/%s", top ? top : ".", name);
}

/* small.yaml with overrides; fails the test on error. */
static config *small(const char *const *sets, size_t nsets)
{
    char path[512];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, "small.yaml");
    scn_doc *d = scn_load(path, sets, nsets, &err);
    if (!d)
        ck_abort_msg("%s", err.msg);
    config *c = config_from_scenario(d, &err);
    if (!c)
        ck_abort_msg("%s", err.msg);
    scn_free(d);
    return c;
}

/* The message config_from_scenario gives for small.yaml with one override
 * (the file loads). */
static void small_error(const char *set, const char *msg)
{
    char path[512];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, "small.yaml");
    const char *sets[] = { set };
    scn_doc *d = scn_load(path, sets, 1, &err);
    if (!d)
        ck_abort_msg("%s", err.msg);
    ck_assert_ptr_null(config_from_scenario(d, &err));
    ck_assert_str_eq(err.msg, msg);
    ck_assert_int_eq(err.code, SIM_EINVAL);
    scn_free(d);
}

static void expect_config_error(const char *name, const char *suffix)
{
    char path[512], want[2048];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, name);
    scn_doc *d = scn_load(path, NULL, 0, &err);
    if (!d)
        ck_abort_msg("%s", err.msg);
    ck_assert_ptr_null(config_from_scenario(d, &err));
    snprintf(want, sizeof want, "%s%s", path, suffix);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(err.code, SIM_EINVAL);
    scn_free(d);
}

/* A scenario held in memory as "mem.yaml"; NULL and err on failure. */
static config *from_text(const char *text, sim_err *err)
{
    sim_err_clear(err);
    scn_doc *d = scn_load_string("mem.yaml", text, strlen(text), NULL, 0, err);
    if (!d)
        ck_abort_msg("%s", err->msg);
    config *c = config_from_scenario(d, err);
    scn_free(d);
    return c;
}

static const char minimal[] =
    "start: 2025-01-01\n"
    "cities: [{name: jinan, region: east, arrivals: 2}]\n"
    "datacenters: [{name: jn-1, region: east, gpus: 8, price: 10}]\n";

/* ---- bad input, one fixture per class ---- */

START_TEST(test_config_unknown_key_suggests)
{
    expect_config_error("bad_unknown_key.yaml",
                        ":10:5: programs[0].covrage: unknown key 'covrage' (did you mean 'coverage'?)");
}
END_TEST

START_TEST(test_config_wrong_type)
{
    expect_config_error("bad_type.yaml",
                        ":7:11: datacenters[0].gpus: expected an integer in [0, 2^53], got 'lots'");
}
END_TEST

START_TEST(test_config_coverage_out_of_range)
{
    expect_config_error("bad_coverage.yaml",
                        ":14:15: programs[2].coverage: expected a number in [0, 1], got 1.8");
}
END_TEST

START_TEST(test_config_negative_money)
{
    expect_config_error("bad_money.yaml",
                        ":9:13: programs[0].budget: expected an amount of money >= 0, got -5M");
}
END_TEST

START_TEST(test_config_dates_out_of_order)
{
    expect_config_error("bad_dates.yaml",
                        ":11:39: programs[0].window.close: dates out of order: the window closes "
                        "on 2025-03-01, not after it opens on 2025-06-01");
    expect_config_error("bad_date.yaml",
                        ":1:8: start: no day 29 in month 2 of 2025 in date '2025-02-29' "
                        "(it has 28 days)");
    expect_config_error("bad_arrivals.yaml",
                        ":6:16: cities[0].arrivals[0].from: the first 'from' must be the start "
                        "date 2025-01-01, got 2025-02-01");
}
END_TEST

START_TEST(test_config_unknown_city)
{
    expect_config_error("bad_city_ref.yaml",
                        ":8:11: programs[0].city: unknown city 'shangai' (did you mean 'shanghai'?)");
}
END_TEST

START_TEST(test_config_unknown_datacenter)
{
    expect_config_error("bad_dc_ref.yaml",
                        ":12:35: programs[0].accepts.datacenters[1]: unknown data center "
                        "'guizhuo-1' (did you mean 'guizhou-1'?)");
}
END_TEST

START_TEST(test_config_shares_sum_to_one)
{
    expect_config_error("bad_shares.yaml",
                        ":3:10: firms.sizes: shares must sum to 1, got 1.15");
}
END_TEST

START_TEST(test_config_capacity_only_grows)
{
    expect_config_error("bad_capacity.yaml",
                        ":11:34: datacenters[0].capacity[1].gpus: capacity may only grow: "
                        "300 GPUs is fewer than the 512 before");
}
END_TEST

START_TEST(test_config_names_unique)
{
    expect_config_error("bad_dup_name.yaml",
                        ":4:12: cities[1].name: duplicate city name 'jinan' (first at line 3)");
}
END_TEST

START_TEST(test_config_errors_from_overrides)
{
    small_error("datacenters[1].latency={shanghai: 30, shangai: 4}",
                "--set:1:39: datacenters[1].latency.shangai: unknown city 'shangai' "
                "(did you mean 'shanghai'?)");
    small_error("programs[0].lottery_every=14d",
                "--set:1:27: programs[0].lottery_every: 'lottery_every' applies only with "
                "allocation: lottery");
    small_error("programs[0].timeline[1].date=2025-02-01",
                "--set:1:30: programs[0].timeline[1].date: dates out of order: 2025-02-01 is "
                "before 2025-03-01");
    small_error("programs[0].timeline[0]={date: 2025-03-01}",
                "--set:1:25: programs[0].timeline[0]: a timeline entry needs add_budget, "
                "coverage, cap_per_firm or close");
    small_error("programs[0].eligible_sizes=[micro, smal]",
                "--set:1:36: programs[0].eligible_sizes[1]: expected one of micro, small, "
                "medium; got 'smal' (did you mean 'small'?)");
    small_error("programs[0].accepts={hub: guizou}",
                "--set:1:27: programs[0].accepts.hub: unknown hub 'guizou' (did you mean 'guizhou'?)");
    small_error("programs[0].accepts=some",
                "--set:1:21: programs[0].accepts: expected one of certified, any; got 'some'");
    small_error("routing=nearst",
                "--set:1:9: routing: expected one of nearest, cheapest, least_loaded, "
                "latency_aware, west_first; got 'nearst' (did you mean 'nearest'?)");
    small_error("end=2025-03-01",
                "--set:1:5: end: give 'horizon' or 'end', not both");
    small_error("datacenters[0].pue=0.9",
                "--set:1:20: datacenters[0].pue: expected a number >= 1, got 0.9");
    small_error("datacenters[1].capacity[0].date=2025-01-01",
                "--set:1:33: datacenters[1].capacity[0].date: dates out of order: 2025-01-01 "
                "is not after the start 2025-01-01");
    small_error("cities[0].arrivals={per_day: 3}",
                "--set:1:20: cities[0].arrivals: expected a rate per day or a list of "
                "{from: date, per_day: rate}, got a mapping");
    small_error("cities[1].name=bad name",
                "--set:1:16: cities[1].name: expected a name of letters, digits, '-', '_' "
                "and '.', got 'bad name'");
    small_error("programs[0].cap_per_firm=-1",
                "--set:1:26: programs[0].cap_per_firm: expected an amount of money >= 0, got -1");
    small_error("cities[0].region=north",
                "--set:1:18: cities[0].region: expected one of east, west; got 'north'");
    small_error("datacenters[0].background={per_day: 1, gpus: 2}",
                "--set:1:27: datacenters[0].background: missing required key 'hours'");
}
END_TEST

START_TEST(test_config_bad_dists)
{
    small_error("firms={jobs: {dist: lognorml, median: 3, sigma: 1}}",
                "--set:1:21: firms.jobs.dist: expected one of fixed, uniform, exponential, "
                "lognormal, gamma, normal, triangular; got 'lognorml' (did you mean 'lognormal'?)");
    small_error("firms={jobs: {dist: lognormal, median: 3, sd: 1}}",
                "--set:1:14: firms.jobs: give median and sigma, or mean and sd, not both");
    small_error("firms={jobs: {dist: uniform, min: 5, max: 1}}",
                "--set:1:43: firms.jobs.max: max is below min");
    small_error("firms={jobs: {dist: exponential, mean: 1, sd: 2}}",
                "--set:1:43: firms.jobs.sd: unknown key 'sd'");
    small_error("firms={jobs: {dist: exponential}}",
                "--set:1:14: firms.jobs: missing required key 'mean'");
    small_error("firms={patience: {dist: exponential, mean: 3x}}",
                "--set:1:44: firms.patience.mean: expected a duration such as 30d, 12h, 90min, "
                "2w, 6mo or 1y; got '3x'");
    small_error("firms={jobs: [1, 2]}",
                "--set:1:14: firms.jobs: expected a value or a distribution {dist: ...}, got a "
                "sequence");
}
END_TEST

START_TEST(test_config_sweep_errors)
{
    small_error("sweep={vary: {seed: '1:100'}}",
                "--set:1:21: sweep.vary.seed: expected \"LO:HI:N\" or a list v1,v2,..., "
                "got '1:100'");
    /* lists, as --vary takes them: grids only, no empty item */
    small_error("sweep={design: lhs, samples: 4, vary: {routing: [nearest, west_first]}}",
                "--set:1:49: sweep.vary.routing: expected \"LO:HI\" (design lhs samples ranges; "
                "a list of values needs design grid), got a list");
    small_error("sweep={design: sobol, samples: 4, vary: {seed: '1,2'}}",
                "--set:1:48: sweep.vary.seed: expected \"LO:HI\" (design sobol samples ranges; "
                "a list of values needs design grid), got '1,2'");
    small_error("sweep={vary: {routing: []}}",
                "--set:1:24: sweep.vary.routing: expected at least one value");
    small_error("sweep={vary: {routing: [nearest, [a]]}}",
                "--set:1:34: sweep.vary.routing[1]: expected a value (a number, an amount, a "
                "duration, a name or a boolean)");
    small_error("sweep={vary: {seed: '1:100:1'}}",
                "--set:1:21: sweep.vary.seed: expected N >= 2 grid points, got '1'");
    small_error("sweep={design: lhs, vary: {seed: '1:100'}}",
                "--set:1:7: sweep: missing required key 'samples'");
    small_error("sweep={design: sobol, samples: 8, vary: {seed: '1:100:3'}}",
                "--set:1:48: sweep.vary.seed: expected \"LO:HI\", got '1:100:3'");
    small_error("sweep={samples: 8, vary: {seed: '1:2:3'}}",
                "--set:1:17: sweep.samples: 'samples' applies only with design lhs or sobol");
}
END_TEST

/* ---- good input ---- */

START_TEST(test_config_small_converts_units)
{
    config *c = small(NULL, 0);
    ck_assert_str_eq(c->name, "small");
    ck_assert_str_eq(c->description, "");
    ck_assert_int_eq(c->start_day, 20089);
    ck_assert_double_eq(c->horizon_h, 180 * 24.0);
    ck_assert_uint_eq(c->seed, 7);

    ck_assert_uint_eq(c->ncities, 2);
    const city_cfg *sh = &c->cities[0], *gy = &c->cities[1];
    ck_assert_str_eq(sh->name, "shanghai");
    ck_assert_int_eq(sh->region, REGION_EAST);
    ck_assert_str_eq(sh->hub, "yangtze");
    ck_assert_uint_eq(sh->nrate, 1);
    ck_assert_double_eq_tol(sh->rate[0].value, 0.2, 1e-12);
    ck_assert_int_eq(gy->region, REGION_WEST);
    ck_assert_uint_eq(gy->nrate, 2);
    ck_assert_double_eq(gy->rate[0].t_h, 0);
    ck_assert_double_eq_tol(gy->rate[0].value, 0.05, 1e-12);
    ck_assert_double_eq(gy->rate[1].t_h, 90 * 24.0);
    ck_assert_double_eq_tol(gy->rate[1].value, 0.1, 1e-12);

    ck_assert_uint_eq(c->ndcs, 2);
    const dc_cfg *d0 = &c->dcs[0], *d1 = &c->dcs[1];
    ck_assert_uint_eq(d0->ngpus, 1);
    ck_assert_double_eq(d0->gpus[0].value, 512);
    ck_assert_double_eq(d0->price, 12);
    ck_assert_double_eq(d0->electricity_price, 0.6);
    ck_assert_double_eq(d0->pue, 1.25);
    ck_assert_double_eq(d0->gpu_kw, 0.7);
    ck_assert_double_eq(d0->latency_ms[0], 5);     /* same hub */
    ck_assert_double_eq(d0->latency_ms[1], 20);    /* across regions (S17) */
    ck_assert_int_eq(d0->certified, 1);
    ck_assert_double_eq(d0->bg_rate, 0);
    ck_assert_double_eq(d1->electricity_price, 0.4);
    ck_assert_double_eq(d1->pue, 1.2);
    ck_assert_uint_eq(d1->ngpus, 2);
    ck_assert_double_eq(d1->gpus[1].t_h, 59 * 24.0);
    ck_assert_double_eq(d1->gpus[1].value, 4096);
    ck_assert_double_eq(d1->latency_ms[0], 30);    /* given */
    ck_assert_double_eq(d1->latency_ms[1], 5);
    ck_assert_double_eq_tol(d1->bg_rate, 10.0 / 24.0, 1e-12);
    ck_assert_int_eq(d1->bg_gpus.kind, DIST_FIXED);
    ck_assert_double_eq(d1->bg_gpus.a, 4);
    ck_assert_int_eq(d1->bg_hours.kind, DIST_EXPONENTIAL);
    ck_assert_double_eq(d1->bg_hours.a, 48);
    ck_assert_double_eq(d1->bg_patience_h.a, 24);

    ck_assert_uint_eq(c->nprograms, 1);
    const program_cfg *p = &c->programs[0];
    ck_assert_str_eq(p->name, "shanghai-compute");
    ck_assert_uint_eq(p->city, 0);
    ck_assert_int_eq(p->kind, PROGRAM_COMPUTE);
    ck_assert_double_eq(p->budget, 6e8);
    ck_assert_double_eq(p->coverage, 0.8);
    ck_assert_double_eq(p->cap_per_firm, 5e6);
    ck_assert_double_eq(p->validity_h, 8760);
    ck_assert_double_eq(p->open_h, 31 * 24.0);
    ck_assert_double_eq(p->close_h, 151 * 24.0);
    ck_assert_int_eq(p->approval_delay_h.kind, DIST_UNIFORM);
    ck_assert_double_eq(p->approval_delay_h.a, 720);
    ck_assert_double_eq(p->approval_delay_h.b, 2160);
    ck_assert_int_eq(p->allocation, ALLOC_FCFS);
    for (int s = 0; s < SIZE_COUNT; s++)
        ck_assert_int_eq(p->eligible_size[s], 1);
    ck_assert_int_eq(p->research_only, 0);
    ck_assert_int_eq(p->accepts[0], 1);
    ck_assert_int_eq(p->accepts[1], 1);
    ck_assert_int_eq(p->on_expiry, EXPIRY_LAPSE);
    ck_assert_uint_eq(p->ntimeline, 2);
    ck_assert_double_eq(p->timeline[0].t_h, 59 * 24.0);
    ck_assert_double_eq(p->timeline[0].add_budget, 1.03e9);
    ck_assert(isnan(p->timeline[0].coverage));
    ck_assert(isnan(p->timeline[0].cap_per_firm));
    ck_assert_int_eq(p->timeline[0].close, 0);
    ck_assert_double_eq(p->timeline[1].t_h, 120 * 24.0);
    ck_assert_double_eq(p->timeline[1].add_budget, 0);
    ck_assert_double_eq(p->timeline[1].coverage, 0.5);
    ck_assert_int_eq(p->timeline[1].close, 1);
    ck_assert_uint_eq(c->sweep.nvars, 0);
    config_free(c);
}
END_TEST

START_TEST(test_config_defaults_applied)
{
    sim_err err;
    config *c = from_text(minimal, &err);
    if (!c)
        ck_abort_msg("%s", err.msg);
    ck_assert_str_eq(c->name, "mem");               /* the file name */
    ck_assert_double_eq(c->horizon_h, 8760);
    ck_assert_double_eq(c->sample_h, 24);
    ck_assert_uint_eq(c->seed, 1);
    ck_assert_uint_eq(c->replications, 1);
    ck_assert_int_eq(c->routing, ROUTE_LATENCY_AWARE);
    ck_assert_int_eq(c->vouchers, 1);
    ck_assert_uint_eq(c->nprograms, 0);
    const firm_profile *f = &c->cities[0].firms;
    ck_assert_double_eq(f->size_share[SIZE_MICRO], 0.5);
    ck_assert_double_eq(f->size_share[SIZE_SMALL], 0.35);
    ck_assert_double_eq(f->size_share[SIZE_MEDIUM], 0.15);
    ck_assert_double_eq(f->research_share, 0);
    ck_assert_int_eq(f->jobs.kind, DIST_FIXED);
    ck_assert_double_eq(f->jobs.a, 3);
    ck_assert_double_eq(f->kind[JOB_TRAINING].share, 0.2);
    ck_assert_double_eq(f->kind[JOB_FINETUNE].share, 0.5);
    ck_assert_double_eq(f->kind[JOB_INFERENCE].share, 0.3);
    ck_assert_double_eq(f->kind[JOB_TRAINING].gpus.a, 8);
    ck_assert_double_eq(f->kind[JOB_INFERENCE].gpus.a, 2);
    ck_assert_int_eq(f->kind[JOB_TRAINING].hours.kind, DIST_LOGNORMAL);
    ck_assert_double_eq_tol(f->kind[JOB_TRAINING].hours.a, log(200), 1e-12);
    ck_assert_double_eq(f->kind[JOB_TRAINING].hours.b, 1);
    ck_assert_double_eq_tol(f->kind[JOB_FINETUNE].hours.a, log(24), 1e-12);
    ck_assert_double_eq(f->kind[JOB_FINETUNE].hours.b, 0.7);
    ck_assert_double_eq_tol(f->kind[JOB_INFERENCE].hours.a, log(720), 1e-12);
    ck_assert(isinf(f->kind[JOB_TRAINING].latency_ms));
    ck_assert(isinf(f->kind[JOB_FINETUNE].latency_ms));
    ck_assert_double_eq(f->kind[JOB_INFERENCE].latency_ms, 10);
    ck_assert_double_eq_tol(f->reservation_price.a, log(6), 1e-12);
    ck_assert_double_eq(f->reservation_price.b, 0.5);
    ck_assert_int_eq(f->patience_h.kind, DIST_EXPONENTIAL);
    ck_assert_double_eq(f->patience_h.a, 72);
    ck_assert_double_eq(c->dcs[0].latency_ms[0], 10);   /* same region, no hub */
    config_free(c);

    char text[1024];
    snprintf(text, sizeof text, "%send: 2025-07-01\nname: t\ndescription: d\nvouchers: false\n"
             "replications: 20\nsample_interval: 12h\nrouting: west_first\n", minimal);
    c = from_text(text, &err);
    if (!c)
        ck_abort_msg("%s", err.msg);
    ck_assert_double_eq(c->horizon_h, 181 * 24.0);
    ck_assert_str_eq(c->description, "d");
    ck_assert_int_eq(c->vouchers, 0);
    ck_assert_uint_eq(c->replications, 20);
    ck_assert_double_eq(c->sample_h, 12);
    ck_assert_int_eq(c->routing, ROUTE_WEST_FIRST);
    config_free(c);

    snprintf(text, sizeof text, "%send: 2024-07-01\n", minimal);
    ck_assert_ptr_null(from_text(text, &err));
    ck_assert_str_eq(err.msg, "mem.yaml:4:6: end: dates out of order: end 2024-07-01 is not "
                              "after start 2025-01-01");
    ck_assert_ptr_null(from_text("start: 2025-01-01\ndatacenters: []\n", &err));
    ck_assert_str_eq(err.msg, "mem.yaml:1:1: missing required key 'cities': a scenario needs "
                              "at least the top-level keys start, cities and datacenters "
                              "(scenarios/README.md, \"A minimal scenario\")");
}
END_TEST

START_TEST(test_config_dists)
{
    const char *sets[] = {
        "firms={patience: {dist: exponential, mean: 7d}, jobs: {dist: gamma, mean: 10, sd: 5},"
        " reservation_price: {dist: triangular, min: 1, mode: 5, max: 20},"
        " training: {hours: {dist: uniform, min: 1d, max: 2d}},"
        " inference: {hours: {dist: lognormal, mean: 10, sd: 5}, latency_bound: 30},"
        " finetune: {hours: {dist: normal, mean: 1d, sd: 6h}, gpus: {dist: fixed, value: 4}}}",
    };
    config *c = small(sets, 1);
    const firm_profile *f = &c->cities[1].firms;
    ck_assert_int_eq(f->patience_h.kind, DIST_EXPONENTIAL);
    ck_assert_double_eq(f->patience_h.a, 168);
    ck_assert_int_eq(f->jobs.kind, DIST_GAMMA);
    ck_assert_double_eq_tol(f->jobs.a, 4, 1e-12);       /* shape mean²/sd² */
    ck_assert_double_eq_tol(f->jobs.b, 2.5, 1e-12);     /* scale sd²/mean */
    ck_assert_int_eq(f->reservation_price.kind, DIST_TRIANGULAR);
    ck_assert_double_eq(f->reservation_price.a, 1);
    ck_assert_double_eq(f->reservation_price.b, 20);
    ck_assert_double_eq(f->reservation_price.c, 5);
    ck_assert_int_eq(f->kind[JOB_TRAINING].hours.kind, DIST_UNIFORM);
    ck_assert_double_eq(f->kind[JOB_TRAINING].hours.a, 24);
    ck_assert_double_eq(f->kind[JOB_TRAINING].hours.b, 48);
    ck_assert_double_eq(f->kind[JOB_TRAINING].gpus.a, 8);      /* default kept */
    const dist *ln = &f->kind[JOB_INFERENCE].hours;
    double s2 = log(1 + 25.0 / 100.0);
    ck_assert_int_eq(ln->kind, DIST_LOGNORMAL);
    ck_assert_double_eq_tol(ln->b, sqrt(s2), 1e-12);
    ck_assert_double_eq_tol(ln->a, log(10) - s2 / 2, 1e-12);
    ck_assert_double_eq_tol(dist_mean(ln), 10, 1e-9);
    ck_assert_double_eq(f->kind[JOB_INFERENCE].latency_ms, 30);
    ck_assert_int_eq(f->kind[JOB_FINETUNE].hours.kind, DIST_NORMAL);
    ck_assert_double_eq(f->kind[JOB_FINETUNE].hours.a, 24);
    ck_assert_double_eq(f->kind[JOB_FINETUNE].hours.b, 6);
    ck_assert_int_eq(f->kind[JOB_FINETUNE].gpus.kind, DIST_FIXED);
    ck_assert_double_eq(f->kind[JOB_FINETUNE].gpus.a, 4);
    config_free(c);
}
END_TEST

START_TEST(test_config_city_profile_merges_key_by_key)
{
    const char *sets[] = {
        "firms={training: {gpus: 16}, sizes: {micro: 1}}",
        "cities[0].firms={jobs: 5, training: {hours: 10}, sizes: {small: 0.4, medium: 0.6}}",
    };
    config *c = small(sets, 2);
    const firm_profile *a = &c->cities[0].firms, *b = &c->cities[1].firms;
    ck_assert_double_eq(a->jobs.a, 5);
    ck_assert_double_eq(a->kind[JOB_TRAINING].gpus.a, 16);
    ck_assert_int_eq(a->kind[JOB_TRAINING].hours.kind, DIST_FIXED);
    ck_assert_double_eq(a->kind[JOB_TRAINING].hours.a, 10);
    ck_assert_double_eq(a->size_share[SIZE_MICRO], 0);
    ck_assert_double_eq(a->size_share[SIZE_MEDIUM], 0.6);
    ck_assert_double_eq(b->jobs.a, 3);
    ck_assert_double_eq(b->kind[JOB_TRAINING].gpus.a, 16);
    ck_assert_int_eq(b->kind[JOB_TRAINING].hours.kind, DIST_LOGNORMAL);
    ck_assert_double_eq(b->size_share[SIZE_MICRO], 1);
    config_free(c);
}
END_TEST

START_TEST(test_config_accepts)
{
    static const struct { const char *set; unsigned char want[2]; } cases[] = {
        { "programs[0].accepts=any", { 1, 1 } },
        { "datacenters[1].certified=false", { 1, 0 } },
        { "programs[0].accepts={region: west}", { 0, 1 } },
        { "programs[0].accepts={hub: yangtze}", { 1, 0 } },
        { "programs[0].accepts={datacenters: [gz-1]}", { 0, 1 } },
    };
    const char *lat[] = { "datacenters[0].latency={default: 40, guiyang: 33}" };
    config *cl = small(lat, 1);
    ck_assert_double_eq(cl->dcs[0].latency_ms[0], 40);
    ck_assert_double_eq(cl->dcs[0].latency_ms[1], 33);
    config_free(cl);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *sets[] = { cases[i].set };
        config *c = small(sets, 1);
        ck_assert_int_eq(c->programs[0].accepts[0], cases[i].want[0]);
        ck_assert_int_eq(c->programs[0].accepts[1], cases[i].want[1]);
        config_free(c);
    }
}
END_TEST

START_TEST(test_config_program_options)
{
    const char *sets[] = {
        "programs[0].allocation=lottery", "programs[0].lottery_every=2w",
        "programs[0].kind=research", "programs[0].eligible_sizes=[micro, small]",
        "programs[0].on_expiry=return", "programs[0].validity=6mo",
        "programs[0].window={open: 2025-03-01}",
        "programs[0].approval_delay={dist: lognormal, median: 30d, sigma: 0.5}",
    };
    config *c = small(sets, 8);
    const program_cfg *p = &c->programs[0];
    ck_assert_int_eq(p->allocation, ALLOC_LOTTERY);
    ck_assert_double_eq(p->lottery_every_h, 336);
    ck_assert_int_eq(p->kind, PROGRAM_RESEARCH);
    ck_assert_int_eq(p->research_only, 1);          /* default for research */
    ck_assert_int_eq(p->eligible_size[SIZE_MICRO], 1);
    ck_assert_int_eq(p->eligible_size[SIZE_MEDIUM], 0);
    ck_assert_int_eq(p->on_expiry, EXPIRY_RETURN);
    ck_assert_double_eq(p->validity_h, 4320);
    ck_assert_double_eq(p->open_h, 59 * 24.0);
    ck_assert(isinf(p->close_h));        /* open to the end, wherever that is */
    ck_assert_double_eq_tol(p->approval_delay_h.a, log(720), 1e-12);
    ck_assert(isinf(c->programs[0].cap_per_firm) == 0);
    config_free(c);
}
END_TEST

START_TEST(test_config_extends_child)
{
    char path[512];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, "child.yaml");
    scn_doc *d = scn_load(path, NULL, 0, &err);
    ck_assert_ptr_nonnull(d);
    config *c = config_from_scenario(d, &err);
    if (!c)
        ck_abort_msg("%s", err.msg);
    ck_assert_str_eq(c->name, "child");
    ck_assert_uint_eq(c->nprograms, 3);
    ck_assert_double_eq(c->programs[0].budget, 1.03e9);
    ck_assert_double_eq(c->programs[0].coverage, 0.5);
    ck_assert(isinf(c->programs[0].cap_per_firm));
    ck_assert_int_eq(c->programs[1].eligible_size[SIZE_MEDIUM], 0);
    ck_assert_int_eq(c->programs[2].research_only, 1);
    ck_assert_int_eq(config_program_index(c, "research"), 2);
    ck_assert_int_eq(config_dc_index(c, "gz-1"), 1);
    ck_assert_int_eq(config_city_index(c, "jinan"), 1);
    ck_assert_int_eq(config_city_index(c, "nowhere"), -1);
    ck_assert_double_eq(c->cities[0].firms.kind[JOB_TRAINING].gpus.a, 32);
    ck_assert_double_eq(c->cities[0].firms.kind[JOB_TRAINING].hours.a, 100);
    ck_assert_double_eq(c->cities[0].firms.jobs.a, 2);
    config_free(c);
    scn_free(d);
}
END_TEST

START_TEST(test_config_sweep)
{
    const char *sets[] = {
        "sweep={vary: {programs.shanghai-compute.budget: '30M:1.03B:5',"
        " 'programs[0].coverage': '0.5:0.9:3'}}",
    };
    config *c = small(sets, 1);
    ck_assert_int_eq(c->sweep.design, SWEEP_GRID);
    ck_assert_uint_eq(c->sweep.nvars, 2);
    ck_assert_str_eq(c->sweep.vars[0].key, "programs.shanghai-compute.budget");
    ck_assert_str_eq(c->sweep.vars[0].lo, "30M");
    ck_assert_str_eq(c->sweep.vars[0].hi, "1.03B");
    ck_assert_uint_eq(c->sweep.vars[0].n, 5);
    ck_assert_str_eq(c->sweep.vars[1].key, "programs[0].coverage");
    ck_assert_uint_eq(c->sweep.vars[1].n, 3);
    config_free(c);
    sets[0] = "sweep={design: lhs, samples: 64, vary: {seed: '1:100'}}";
    c = small(sets, 1);
    ck_assert_int_eq(c->sweep.design, SWEEP_LHS);
    ck_assert_uint_eq(c->sweep.samples, 64);
    ck_assert_str_eq(c->sweep.vars[0].lo, "1");
    ck_assert_str_eq(c->sweep.vars[0].hi, "100");
    ck_assert_uint_eq(c->sweep.vars[0].n, 0);
    ck_assert_ptr_null(c->sweep.vars[0].values);
    config_free(c);
    /* value lists, as --vary key=v1,v2,... takes them: a sequence joined,
     * a string with a comma or without a colon as written */
    sets[0] = "sweep={vary: {routing: [nearest, west_first], 'programs[0].coverage': '0.3,0.6',"
              " vouchers: false}}";
    c = small(sets, 1);
    ck_assert_uint_eq(c->sweep.nvars, 3);
    ck_assert_str_eq(c->sweep.vars[0].values, "nearest,west_first");
    ck_assert_ptr_null(c->sweep.vars[0].lo);
    ck_assert_str_eq(c->sweep.vars[1].values, "0.3,0.6");
    ck_assert_str_eq(c->sweep.vars[2].values, "false");
    ck_assert_str_eq(c->sweep.vars[0].where, "--set:1:24: sweep.vary.routing");
    config_free(c);
}
END_TEST

START_TEST(test_config_format_time_and_names)
{
    config *c = small(NULL, 0);
    char buf[32];
    ck_assert_str_eq(config_format_time(c, 0, buf, sizeof buf), "2025-01-01");
    ck_assert_str_eq(config_format_time(c, 30, buf, sizeof buf), "2025-01-02T06:00");
    ck_assert_str_eq(config_format_time(c, 90 * 24.0, buf, sizeof buf), "2025-04-01");
    ck_assert_str_eq(config_format_time(c, -24, buf, sizeof buf), "2024-12-31");
    ck_assert_str_eq(config_format_time(c, 1.5, buf, sizeof buf), "2025-01-01T01:30");
    config_free(c);
    ck_assert_str_eq(config_region_name(REGION_WEST), "west");
    ck_assert_str_eq(config_size_name(SIZE_MEDIUM), "medium");
    ck_assert_str_eq(config_job_kind_name(JOB_FINETUNE), "finetune");
    ck_assert_str_eq(config_route_name(ROUTE_LATENCY_AWARE), "latency_aware");
    ck_assert_str_eq(config_route_name(ROUTE_COUNT), "?");
    config_free(NULL);
}
END_TEST

/* ---- sanity bounds and the cost estimate (models/limits.h) ---- */

START_TEST(test_config_sanity_bounds)
{
    small_error("horizon=1e300",
                "--set:1:9: horizon: expected a duration of at most 1000y, got 1e300");
    {
        sim_err err;
        ck_assert_ptr_null(from_text("start: 2025-01-01\nend: 9999-01-01\n"
                                     "cities: [{name: a, region: east, arrivals: 1}]\n"
                                     "datacenters: [{name: d, region: east, gpus: 1, price: 1}]\n",
                                     &err));
        ck_assert_str_eq(err.msg, "mem.yaml:2:6: end: expected a date at most 1000 years after "
                                  "the start, got 9999-01-01");
    }
    small_error("sample_interval=1e-300",
                "--set:1:17: sample_interval: expected a duration of at least 1min, got 1e-300");
    {
        const char *sets[] = { "programs[0].allocation=lottery", "programs[0].lottery_every=1e-9" };
        char path[512];
        sim_err err;
        sim_err_clear(&err);
        data_path(path, sizeof path, "small.yaml");
        scn_doc *d = scn_load(path, sets, 2, &err);
        ck_assert_ptr_nonnull(d);
        ck_assert_ptr_null(config_from_scenario(d, &err));
        ck_assert_str_eq(err.msg, "--set:2:27: programs[0].lottery_every: expected a duration "
                                  "of at least 1min, got 1e-9");
        scn_free(d);
    }
    small_error("cities[0].arrivals=1e308",
                "--set:1:20: cities[0].arrivals: expected a number in [0, 1e+09], got 1e308");
    small_error("cities[1].arrivals[1].per_day=2e9",
                "--set:1:31: cities[1].arrivals[1].per_day: expected a number in [0, 1e+09], "
                "got 2e9");
    small_error("datacenters[1].background.per_day=1e10",
                "--set:1:35: datacenters[1].background.per_day: expected a number in "
                "[0, 1e+09], got 1e10");
    small_error("datacenters[1].background.hours=1e30",
                "--set:1:33: datacenters[1].background.hours: 1e+30 hours is more than the "
                "limit of 8.76e+06");
    small_error("firms={jobs: 1e9}",
                "--set:1:14: firms.jobs: 1e+09 jobs per firm is more than the limit of 1e+06");
    small_error("firms={training: {hours: {dist: exponential, mean: 1e7}}}",
                "--set:1:26: firms.training.hours: one draw in a thousand is above 6.91e+07 "
                "hours, more than the limit of 8.76e+06");
    small_error("firms={jobs: {dist: gamma, mean: 10, sd: 1e5}}",
                "--set:1:14: firms.jobs: one draw in a thousand is above 3.16e+06 jobs per "
                "firm, more than the limit of 1e+06");
    /* the fixture: a median of 1e300 once ran out of memory (exit 1) */
    expect_config_error("bad_jobs_median.yaml",
                        ":7:9: firms.jobs: one draw in a thousand is above 2.2e+301 jobs per "
                        "firm, more than the limit of 1e+06");
    {
        /* 1001 cities: the latency table and the name look-ups grow with them */
        size_t cap = 64 * 1024, used = 0;
        char *text = malloc(cap);
        ck_assert_ptr_nonnull(text);
        used += (size_t)snprintf(text, cap, "start: 2025-01-01\ncities:\n");
        for (int i = 0; i < 1001; i++)
            used += (size_t)snprintf(text + used, cap - used,
                                     "  - {name: c%d, region: east, arrivals: 0}\n", i);
        snprintf(text + used, cap - used,
                 "datacenters: [{name: d, region: east, gpus: 1, price: 1}]\n");
        sim_err err;
        ck_assert_ptr_null(from_text(text, &err));
        ck_assert_str_eq(err.msg, "mem.yaml:3:3: cities: 1001 cities, more than the limit of 1000");
        free(text);
    }
    /* at the bounds: fine */
    const char *ok[] = { "horizon=1000y", "sample_interval=1min", "firms={jobs: 1e6}" };
    config *c = small(ok, 3);
    ck_assert_double_eq(c->horizon_h, 8760000.0);
    config_free(c);
}
END_TEST

/* One city of 24 firms a day bringing 2 jobs each, one center with 48
 * background jobs a day of 10 h each, warm-started, 10 days sampled daily:
 * firms 240, firm jobs 480, background 480, warm 2/h x 10 h = 20,
 * samples 11; events 240 x (3 + 2 x 2) + 2 x 480 + 20 + 1 (the capacity
 * step) + 11 = 2672. */
START_TEST(test_config_estimate_known_counts)
{
    sim_err err;
    config *c = from_text("start: 2025-01-01\nhorizon: 10d\nfirms: {jobs: 2}\n"
                          "cities: [{name: a, region: east, arrivals: 24}]\n"
                          "datacenters: [{name: d, region: east, gpus: 100, price: 10, "
                          "background: {per_day: 48, gpus: 1, hours: 10}}]\n", &err);
    ck_assert_msg(c != NULL, "%s", err.msg);
    lim_estimate e;
    ck_assert_int_eq(lim_estimate_config(c, &e, &err), SIM_OK);
    ck_assert_double_eq_tol(e.span_h, 240.0, 1e-9);
    ck_assert_double_eq_tol(e.firms, 240.0, 1e-9);
    ck_assert_double_eq_tol(e.firm_jobs, 480.0, 1e-9);
    ck_assert_double_eq_tol(e.bg_jobs, 480.0, 1e-9);
    ck_assert_double_eq_tol(e.warm_jobs, 20.0, 1e-9);
    ck_assert_double_eq_tol(e.samples, 11.0, 1e-9);
    ck_assert_double_eq_tol(e.events, 2672.0, 1e-9);
    ck_assert_double_eq_tol(e.series_bytes, 11.0 * (e.columns + 1.0) * 8.0, 1e-9);
    ck_assert_double_gt(e.columns, 10.0);
    ck_assert_double_gt(e.state_bytes, 0.0);
    ck_assert_double_eq(e.memory, e.series_bytes + e.state_bytes);
    config_free(c);
}
END_TEST

/* lim_check on small.yaml with one override: the message, at the key. */
static void limit_error(const char *set, const lim_limits *lim, const char *msg)
{
    char path[512];
    sim_err err;
    sim_err_clear(&err);
    data_path(path, sizeof path, "small.yaml");
    const char *sets[] = { set };
    scn_doc *d = scn_load(path, sets, 1, &err);
    config *c = d ? config_from_scenario(d, &err) : NULL;
    if (!c)
        ck_abort_msg("%s", err.msg);
    lim_estimate e;
    ck_assert_int_eq(lim_check(c, d, lim, &e, &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, msg);
    config_free(c);
    scn_free(d);
}

START_TEST(test_config_limits_refuse_at_the_key)
{
    lim_limits lim;
    lim_defaults(&lim);
    limit_error("datacenters[1].background.per_day=1e9", &lim,
                "--set:1:35: datacenters[1].background.per_day: about 3.62e+11 events per "
                "replication (1.8e+11 background jobs arriving at gz-1), more than the limit "
                "of 1e+09 (raise it with --max-events N)");
    limit_error("cities[0].arrivals=1e7", &lim,
                "--set:1:20: cities[0].arrivals: about 1.62e+10 events per replication "
                "(1.8e+09 firms arriving in shanghai, 3 jobs each), more than the limit of "
                "1e+09 (raise it with --max-events N)");
    limit_error("firms={jobs: 1e6}", &lim,
                "--set:1:14: firms.jobs: about 2.38e+09 events per replication (864 firms "
                "arriving in shanghai, 1e+06 jobs each), more than the limit of 1e+09 (raise "
                "it with --max-events N)");
    lim.max_samples = 1e5;
    limit_error("sample_interval=1min", &lim,
                "--set:1:17: sample_interval: about 2.59e+05 samples per replication (every "
                "0.0166667 h for 4320 h), more than the limit of 1e+05 (raise it with "
                "--max-samples N)");
    lim_defaults(&lim);
    lim.max_memory = 16.0 * 1048576.0;
    limit_error("cities[0].arrivals=1000", &lim,
                "--set:1:20: cities[0].arrivals: about 45.9 MiB of memory per replication "
                "(1.1e+05 firms of shanghai in flight at once, 3 jobs each), more than the "
                "limit of 16 MiB (raise it with --max-memory SIZE)");
}
END_TEST

static Suite *config_suite(void)
{
    Suite *s = suite_create("config");
    TCase *te = tcase_create("errors");
    tcase_add_test(te, test_config_unknown_key_suggests);
    tcase_add_test(te, test_config_wrong_type);
    tcase_add_test(te, test_config_coverage_out_of_range);
    tcase_add_test(te, test_config_negative_money);
    tcase_add_test(te, test_config_dates_out_of_order);
    tcase_add_test(te, test_config_unknown_city);
    tcase_add_test(te, test_config_unknown_datacenter);
    tcase_add_test(te, test_config_shares_sum_to_one);
    tcase_add_test(te, test_config_capacity_only_grows);
    tcase_add_test(te, test_config_names_unique);
    tcase_add_test(te, test_config_errors_from_overrides);
    tcase_add_test(te, test_config_bad_dists);
    tcase_add_test(te, test_config_sweep_errors);
    tcase_add_test(te, test_config_sanity_bounds);
    tcase_add_test(te, test_config_limits_refuse_at_the_key);
    suite_add_tcase(s, te);
    TCase *tg = tcase_create("good");
    tcase_add_test(tg, test_config_small_converts_units);
    tcase_add_test(tg, test_config_defaults_applied);
    tcase_add_test(tg, test_config_dists);
    tcase_add_test(tg, test_config_city_profile_merges_key_by_key);
    tcase_add_test(tg, test_config_accepts);
    tcase_add_test(tg, test_config_program_options);
    tcase_add_test(tg, test_config_extends_child);
    tcase_add_test(tg, test_config_sweep);
    tcase_add_test(tg, test_config_format_time_and_names);
    tcase_add_test(tg, test_config_estimate_known_counts);
    suite_add_tcase(s, tg);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(config_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
