/* tests/check_lint.c - warnings about valid scenarios that do nothing
 * (models/lint.h): the boundaries the command-line fixtures of
 * tests/warnings.sh do not pin down. A dated item on the last day of the
 * window is quiet, one on the horizon warns; the horizon in force counts
 * (as after --until); a zero or a unit is no bare number (of hours, or
 * of yuan below 10,000); background at
 * 1.5 times the capacity is quiet, above it warns; a filter that matches
 * one data center is quiet. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "models/lint.h"
#include "models/scenario.h"

static const char base[] =
    "start: 2025-01-01\n"
    "horizon: 10d\n"
    "cities:\n"
    "  - {name: jinan, region: east, arrivals: 2}\n"
    "datacenters:\n"
    "  - {name: jn-1, region: east, gpus: 100, price: 10,\n"
    "     background: {per_day: 1, gpus: 1, hours: 1h}}\n"
    "  - {name: xj-1, region: west, gpus: 100, price: 5, certified: false}\n"
    "programs:\n"
    "  - {name: p, city: jinan, budget: 10M, coverage: 0.5}\n";

typedef struct fixture {
    scn_doc   *doc;
    config    *cfg;
    lint_list  l;
} fixture;

/* Loads base with the sets; the horizon moved to horizon_h when > 0. */
static void load(fixture *f, const char *const *sets, size_t nsets, double horizon_h)
{
    sim_err err;
    sim_err_clear(&err);
    memset(f, 0, sizeof *f);
    f->doc = scn_load_string("t.yaml", base, strlen(base), sets, nsets, &err);
    if (!f->doc)
        ck_abort_msg("%s", err.msg);
    f->cfg = config_from_scenario(f->doc, &err);
    if (!f->cfg)
        ck_abort_msg("%s", err.msg);
    if (horizon_h > 0)
        f->cfg->horizon_h = horizon_h;
    ck_assert_int_eq(lint_scenario(f->cfg, f->doc, &f->l, &err), SIM_OK);
}

static void done(fixture *f)
{
    lint_list_fini(&f->l);
    ck_assert_ptr_null(f->l.msgs);
    config_free(f->cfg);
    scn_free(f->doc);
}

/* The number of warnings for base with one override. */
static size_t count(const char *set)
{
    fixture f;
    const char *sets[] = { set };
    load(&f, sets, set ? 1 : 0, 0);
    size_t n = f.l.n;
    done(&f);
    return n;
}

START_TEST(test_lint_base_is_quiet)
{
    ck_assert_uint_eq(count(NULL), 0);
}
END_TEST

START_TEST(test_lint_date_on_horizon_warns)
{
    /* the window is [2025-01-01, 2025-01-11): the 10th is in it */
    ck_assert_uint_eq(count("programs.p.timeline=[{date: 2025-01-10, add_budget: 1M}]"), 0);
    ck_assert_uint_eq(count("programs.p.timeline=[{date: 2025-01-11, add_budget: 1M}]"), 1);
    ck_assert_uint_eq(count("datacenters.jn-1.capacity=[{date: 2025-01-10, gpus: 200}]"), 0);
    ck_assert_uint_eq(count("datacenters.jn-1.capacity=[{date: 2025-01-11, gpus: 200}]"), 1);
    ck_assert_uint_eq(count("programs.p.window={open: 2025-01-10}"), 0);
    ck_assert_uint_eq(count("programs.p.window={open: 2025-01-11, close: 2025-02-01}"), 1);
}
END_TEST

START_TEST(test_lint_horizon_in_force)
{
    fixture f;
    const char *sets[] = { "programs.p.timeline=[{date: 2025-01-05, add_budget: 1M}]" };
    load(&f, sets, 1, 0);
    ck_assert_uint_eq(f.l.n, 0);
    done(&f);
    load(&f, sets, 1, 4 * 24.0);      /* as --until 2025-01-05 */
    ck_assert_uint_eq(f.l.n, 1);
    ck_assert_str_eq(f.l.msgs[0], "--set:1:29: programs[0].timeline[0].date: warning: "
                     "2025-01-05 is not before the end of the measurement window (2025-01-05): "
                     "this change does nothing that is measured");
    done(&f);
}
END_TEST

START_TEST(test_lint_bare_numbers)
{
    ck_assert_uint_eq(count("programs.p.approval_delay=0"), 0);
    ck_assert_uint_eq(count("programs.p.approval_delay=30d"), 0);
    ck_assert_uint_eq(count("programs.p.approval_delay=30h"), 0);
    ck_assert_uint_eq(count("programs.p.approval_delay=30"), 1);
    ck_assert_uint_eq(count("programs.p.approval_delay=0.5"), 1);
    ck_assert_uint_eq(count("programs.p.validity=8760"), 1);
    ck_assert_uint_eq(count("programs.p.approval_delay={dist: lognormal, median: 30d, "
                            "sigma: 1}"), 0);
    ck_assert_uint_eq(count("programs.p.approval_delay={dist: triangular, min: 1, mode: 30, "
                            "max: 3d}"), 2);
    /* job hours are meant in hours */
    ck_assert_uint_eq(count("firms={training: {hours: 200}}"), 0);
}
END_TEST

START_TEST(test_lint_bare_money)
{
    /* below 10,000 yuan without a unit: the M was probably left off */
    ck_assert_uint_eq(count("programs.p.budget=20"), 1);
    ck_assert_uint_eq(count("programs.p.budget=9999.5"), 1);
    ck_assert_uint_eq(count("programs.p.budget=10000"), 0);
    ck_assert_uint_eq(count("programs.p.budget=0"), 0);
    ck_assert_uint_eq(count("programs.p.budget=20M"), 0);
    ck_assert_uint_eq(count("programs.p.budget=20k"), 0);
    ck_assert_uint_eq(count("programs.p.budget=20 CNY"), 0);
    ck_assert_uint_eq(count("programs.p.budget=20 yuan"), 0);
    ck_assert_uint_eq(count("programs.p.budget=5,000"), 0);    /* written out in yuan */
    ck_assert_uint_eq(count("programs.p.cap_per_firm=500"), 1);
    ck_assert_uint_eq(count("programs.p.exhausted_below=500"), 0);
    ck_assert_uint_eq(count("programs.p.timeline=[{date: 2025-01-05, add_budget: 5, "
                            "cap_per_firm: 2}]"), 2);
    ck_assert_uint_eq(count("programs.p.appropriations={per_year: 8, from: 2025, to: 2025}"), 1);
    ck_assert_uint_eq(count("programs.p.appropriations=[{year: 2025, amount: 8}]"), 1);
    ck_assert_uint_eq(count("programs.p.appropriations=[{year: 2025, amount: 8M}]"), 0);
    ck_assert_uint_eq(count("investments=[{name: i, datacenter: jn-1, amount: 50, "
                            "cost_per_gpu: 250k, date: 2025-01-02}]"), 1);
    /* prices per GPU-hour are small numbers of yuan */
    ck_assert_uint_eq(count("datacenters.jn-1.price=8"), 0);
}
END_TEST

START_TEST(test_lint_bare_money_message)
{
    fixture f;
    const char *sets[] = { "programs.p.budget=20" };
    load(&f, sets, 1, 0);
    ck_assert_uint_eq(f.l.n, 1);
    ck_assert_str_eq(f.l.msgs[0], "--set:1:19: programs[0].budget: warning: a bare number is "
                     "yuan: 20 means 20 CNY (did you mean 20M?); write 20M for millions, 20k "
                     "for thousands, or 20 CNY to say yuan");
    done(&f);
}
END_TEST

START_TEST(test_lint_background_threshold)
{
    /* per_day / 24 x gpus x hours: 3600 / 24 x 1 x 1 = 150 = 1.5 x 100 */
    ck_assert_uint_eq(count("datacenters.jn-1.background.per_day=3600"), 0);
    ck_assert_uint_eq(count("datacenters.jn-1.background.per_day=3601"), 1);
    /* GPUs are whole: a mean below 1 counts as 1 */
    ck_assert_uint_eq(count("datacenters.jn-1.background.gpus=0.1"), 0);
}
END_TEST

START_TEST(test_lint_accepts)
{
    ck_assert_uint_eq(count("programs.p.accepts={region: west}"), 0);
    ck_assert_uint_eq(count("programs.p.accepts={datacenters: [xj-1]}"), 0);
    ck_assert_uint_eq(count("datacenters.jn-1.certified=false"), 1);
    ck_assert_uint_eq(count("datacenters.xj-1.region=east"), 0);
    ck_assert_uint_eq(count("programs.p.accepts={datacenters: []}"), 1);
}
END_TEST

START_TEST(test_lint_accepts_certified_message)
{
    fixture f;
    const char *sets[] = { "datacenters.jn-1.certified=false", "programs.p.accepts=certified" };
    load(&f, sets, 2, 0);
    ck_assert_uint_eq(f.l.n, 1);
    ck_assert_str_eq(f.l.msgs[0], "--set:2:20: programs[0].accepts: warning: no data center is "
                     "certified: the program's vouchers can pay no bill");
    done(&f);
}
END_TEST

static Suite *lint_suite(void)
{
    Suite *s = suite_create("lint");
    TCase *tc = tcase_create("lint");
    tcase_add_test(tc, test_lint_base_is_quiet);
    tcase_add_test(tc, test_lint_date_on_horizon_warns);
    tcase_add_test(tc, test_lint_horizon_in_force);
    tcase_add_test(tc, test_lint_bare_numbers);
    tcase_add_test(tc, test_lint_bare_money);
    tcase_add_test(tc, test_lint_bare_money_message);
    tcase_add_test(tc, test_lint_background_threshold);
    tcase_add_test(tc, test_lint_accepts);
    tcase_add_test(tc, test_lint_accepts_certified_message);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(lint_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
