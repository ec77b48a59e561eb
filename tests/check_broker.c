/* tests/check_broker.c - routing policies on hand-set center states. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "models/broker.h"

/* Four centers: 0 east near/expensive, 1 east cheap/busy, 2 west idle,
 * 3 west small. Latency to city 0: 5, 8, 30, 25 ms. */
typedef struct fixture {
    config   cfg;
    dc_cfg   dcs[4];
    double   lat[4][1];
    dc_state st[4];
} fixture;

static void setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    static const double lat[] = { 5, 8, 30, 25 }, price[] = { 12, 4, 6, 5 };
    static const int64_t cap[] = { 100, 100, 100, 4 }, busy[] = { 50, 90, 10, 0 };
    for (int i = 0; i < 4; i++) {
        f->lat[i][0] = lat[i];
        f->dcs[i].latency_ms = f->lat[i];
        f->dcs[i].price = price[i];
        f->dcs[i].region = i < 2 ? REGION_EAST : REGION_WEST;
        f->st[i].capacity = cap[i];
        f->st[i].busy = busy[i];
    }
    f->cfg.dcs = f->dcs;
    f->cfg.ndcs = 4;
    f->cfg.ncities = 1;
}

static long route(fixture *f, route_policy p, job_kind k, int64_t gpus,
                  const unsigned char *allowed)
{
    broker_job j = { 0, k, gpus, k == JOB_INFERENCE ? 10.0 : INFINITY };
    return broker_route(p, &f->cfg, f->st, allowed, &j);
}

START_TEST(test_broker_policies_pick_as_defined)
{
    fixture f;
    setup(&f);
    ck_assert_int_eq(route(&f, ROUTE_NEAREST, JOB_TRAINING, 8, NULL), 0);
    ck_assert_int_eq(route(&f, ROUTE_CHEAPEST, JOB_TRAINING, 8, NULL), 1);
    ck_assert_int_eq(route(&f, ROUTE_CHEAPEST, JOB_TRAINING, 2, NULL), 1);
    ck_assert_int_eq(route(&f, ROUTE_LEAST_LOADED, JOB_TRAINING, 8, NULL), 2);
    /* 3 is idle but too small for 8 GPUs; for 2 GPUs it is least loaded */
    ck_assert_int_eq(route(&f, ROUTE_LEAST_LOADED, JOB_TRAINING, 2, NULL), 3);
    ck_assert_int_eq(route(&f, ROUTE_LATENCY_AWARE, JOB_TRAINING, 8, NULL), 2);
    ck_assert_int_eq(route(&f, ROUTE_LATENCY_AWARE, JOB_INFERENCE, 8, NULL), 0);
    ck_assert_int_eq(route(&f, ROUTE_WEST_FIRST, JOB_TRAINING, 8, NULL), 2);
    /* queued GPUs count in the load */
    f.st[0].queued_gpus = 45;
    ck_assert_int_eq(route(&f, ROUTE_LATENCY_AWARE, JOB_INFERENCE, 8, NULL), 1);
}
END_TEST

START_TEST(test_broker_fallbacks_ties_and_exclusions)
{
    fixture f;
    setup(&f);
    static const unsigned char east[] = { 1, 1, 0, 0 }, west[] = { 0, 0, 1, 1 };
    /* inference with no center in bound falls back to nearest */
    ck_assert_int_eq(route(&f, ROUTE_LATENCY_AWARE, JOB_INFERENCE, 8, west), 2);
    f.lat[2][0] = 40;
    ck_assert_int_eq(route(&f, ROUTE_LATENCY_AWARE, JOB_INFERENCE, 2, west), 3);
    /* west-first: a western center that cannot start now is skipped */
    f.st[2].busy = 95;
    ck_assert_int_eq(route(&f, ROUTE_WEST_FIRST, JOB_TRAINING, 8, NULL), 0);
    f.st[2].busy = 10;
    f.st[2].waiting = 1;
    f.st[2].queued_gpus = 80;
    ck_assert_int_eq(route(&f, ROUTE_WEST_FIRST, JOB_TRAINING, 8, NULL), 0);
    ck_assert_int_eq(route(&f, ROUTE_WEST_FIRST, JOB_TRAINING, 2, NULL), 3);
    /* allowed set */
    ck_assert_int_eq(route(&f, ROUTE_LEAST_LOADED, JOB_TRAINING, 8, east), 0);
    ck_assert_int_eq(route(&f, ROUTE_CHEAPEST, JOB_TRAINING, 8, west), 2);
    /* ties go to the lowest index */
    f.st[1].busy = 50;
    ck_assert_int_eq(route(&f, ROUTE_LEAST_LOADED, JOB_TRAINING, 8, east), 0);
    f.lat[1][0] = 5;
    ck_assert_int_eq(route(&f, ROUTE_NEAREST, JOB_TRAINING, 8, NULL), 0);
    /* nothing big enough */
    for (int p = 0; p < ROUTE_COUNT; p++) {
        ck_assert_int_eq(route(&f, (route_policy)p, JOB_TRAINING, 101, NULL), -1);
        ck_assert_int_eq(route(&f, (route_policy)p, JOB_INFERENCE, 8, (const unsigned char *)"\0\0\0\1"), -1);
    }
}
END_TEST

static Suite *broker_suite(void)
{
    Suite *s = suite_create("broker");
    TCase *tc = tcase_create("route");
    tcase_add_test(tc, test_broker_policies_pick_as_defined);
    tcase_add_test(tc, test_broker_fallbacks_ties_and_exclusions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(broker_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
