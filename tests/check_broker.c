/* tests/check_broker.c - routing policies on hand-set center states, and
 * the routing index against the pass on random centers and loads. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

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

/* ---- the index against the pass ---- */

/* A random country: n centers, nc cities, np programs; latencies and
 * prices from short lists so that ties are common. */
typedef struct world {
    config       cfg;
    city_cfg    *cities;
    dc_cfg      *dcs;
    program_cfg *progs;
    dc_state    *st;
    double      *lat;          /* [n * nc] */
    unsigned char *acc;        /* [np * n] */
} world;

static double pick_d(gsl_rng *r, const double *v, size_t n)
{
    return v[gsl_rng_uniform_int(r, n)];
}

static void world_init(world *w, gsl_rng *r, size_t n, size_t nc, size_t np)
{
    static const double lats[] = { 0, 5, 5, 8, 10, 10, 20, 30, INFINITY };
    static const double prices[] = { 3, 4, 4, 5, 12, -0.0, 0.0 };
    static const double bounds[] = { 5, 10, 20, INFINITY };
    memset(w, 0, sizeof *w);
    w->cities = calloc(nc, sizeof *w->cities);
    w->dcs = calloc(n, sizeof *w->dcs);
    w->progs = calloc(np ? np : 1, sizeof *w->progs);
    w->st = calloc(n, sizeof *w->st);
    w->lat = calloc(n * nc, sizeof *w->lat);
    w->acc = calloc((np ? np : 1) * n, sizeof *w->acc);
    ck_assert(w->cities && w->dcs && w->progs && w->st && w->lat && w->acc);
    for (size_t c = 0; c < nc; c++)
        w->cities[c].firms.kind[JOB_INFERENCE].latency_ms = pick_d(r, bounds, 4);
    for (size_t i = 0; i < n; i++) {
        w->dcs[i].latency_ms = w->lat + i * nc;
        for (size_t c = 0; c < nc; c++)
            w->lat[i * nc + c] = pick_d(r, lats, sizeof lats / sizeof *lats);
        w->dcs[i].price = pick_d(r, prices, sizeof prices / sizeof *prices);
        w->dcs[i].region = gsl_rng_uniform(r) < 0.4 ? REGION_WEST : REGION_EAST;
        ck_assert_int_eq(dc_init(&w->st[i], &w->dcs[i], 1, 0, i), 0);
    }
    for (size_t p = 0; p < np; p++) {
        unsigned char *a = w->acc + p * n;
        double u = gsl_rng_uniform(r);
        w->progs[p].accepts = a;
        if (u < 0.15)
            w->progs[p].accepts = NULL;                      /* accepts all */
        else if (u < 0.35 && p > 0 && w->progs[p - 1].accepts)
            memcpy(a, w->progs[p - 1].accepts, n);           /* the same list */
        else
            for (size_t i = 0; i < n; i++)
                a[i] = (unsigned char)(gsl_rng_uniform(r) < (u < 0.6 ? 0.9 : 0.2) ? 1 + (i % 3) : 0);
    }
    w->cfg.cities = w->cities, w->cfg.ncities = nc;
    w->cfg.dcs = w->dcs, w->cfg.ndcs = n;
    w->cfg.programs = w->progs, w->cfg.nprograms = np;
}

static void world_fini(world *w)
{
    for (size_t i = 0; i < w->cfg.ndcs; i++)
        dc_fini(&w->st[i]);
    free(w->cities), free(w->dcs), free(w->progs), free(w->st), free(w->lat), free(w->acc);
}

/* Changes center i's state at t the way economy.c does, or by hand
 * followed by dc_touch. */
static void world_stir(world *w, gsl_rng *r, size_t i, double t)
{
    static const int64_t caps[] = { 0, 4, 8, 16, 100, 1000 };
    dc_state *d = &w->st[i];
    switch (gsl_rng_uniform_int(r, 6)) {
    case 0:
        dc_set_capacity(d, t, caps[gsl_rng_uniform_int(r, 6)]);
        break;
    case 1:
    case 2:
        dc_set_busy(d, t, d->capacity > 0 ? (int64_t)gsl_rng_uniform_int(r, (unsigned long)d->capacity + 1) : 0);
        break;
    case 3:
        dc_wait_add(d, 1 + (int64_t)gsl_rng_uniform_int(r, 40));
        break;
    case 4:
        if (d->waiting)
            dc_wait_remove(d, d->queued_gpus / d->waiting);
        break;
    default:            /* by hand, a load tie with another center */
        d->busy = w->st[gsl_rng_uniform_int(r, w->cfg.ndcs)].busy;
        d->capacity = d->busy + (int64_t)gsl_rng_uniform_int(r, 3) * 8;
        d->queued_gpus = 0, d->waiting = 0;
        dc_touch(d);
        break;
    }
}

static broker_job random_job(const world *w, gsl_rng *r)
{
    static const int64_t gpus[] = { 1, 2, 8, 16, 32, 100, 101, 1000, 2000 };
    broker_job j = { gsl_rng_uniform_int(r, w->cfg.ncities),
                     (job_kind)gsl_rng_uniform_int(r, JOB_KIND_COUNT),
                     gpus[gsl_rng_uniform_int(r, 9)], INFINITY };
    if (j.kind == JOB_INFERENCE)
        j.latency_ms = gsl_rng_uniform(r) < 0.9 ? w->cities[j.city].firms.kind[JOB_INFERENCE].latency_ms
                                                : 8.0;          /* not the city's bound */
    return j;
}

START_TEST(test_broker_index_matches_the_pass)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20261130);
    uint64_t routes = 0, passes = 0;
    for (int round = 0; round < 60; round++) {
        size_t n = 1 + gsl_rng_uniform_int(r, round < 10 ? 5 : 300);
        size_t nc = 1 + gsl_rng_uniform_int(r, 4), np = gsl_rng_uniform_int(r, 6);
        route_policy p = (route_policy)(round % ROUTE_COUNT);
        world w;
        world_init(&w, r, n, nc, np);
        for (size_t i = 0; i < n; i++)                  /* a starting state */
            for (int k = 0; k < 3; k++)
                world_stir(&w, r, i, 0.0);
        broker_index *bx = broker_index_new(&w.cfg, p, w.st);
        ck_assert_ptr_nonnull(bx);
        for (int it = 0; it < 400; it++) {
            /* mostly a few changes a job, at times many (most blocks
             * listed) */
            size_t nstir = gsl_rng_uniform_int(r, it % 50 < 10 ? 2 * n : 1 + n / 8);
            for (size_t k = 0; k < nstir; k++)
                world_stir(&w, r, gsl_rng_uniform_int(r, n), it);
            broker_job j = random_job(&w, r);
            long prog = np ? (long)gsl_rng_uniform_int(r, np + 1) - 1 : -1;
            const unsigned char *allowed = prog >= 0 ? w.progs[prog].accepts : NULL;
            long want = broker_route(p, &w.cfg, w.st, allowed, &j);
            long got = broker_index_route(bx, prog, &j);
            ck_assert_msg(got == want, "round %d job %d policy %d: index %ld, pass %ld",
                          round, it, (int)p, got, want);
        }
        uint64_t nr, npass;
        broker_index_counts(bx, &nr, &npass, NULL, NULL);
        routes += nr, passes += npass;
        broker_index_free(bx);
        world_fini(&w);
    }
    /* the index answered every job but those whose inference bound it
     * does not index (a tenth of latency-aware's inference jobs) */
    ck_assert_uint_eq(routes + passes, 60 * 400);
    ck_assert_uint_gt(routes, 23000);
    ck_assert_uint_gt(passes, 100);
    gsl_rng_free(r);
}
END_TEST

/* K copies of the same 60 centers (as tools/gen-national --scale K): the
 * least-loaded and latency-aware searches look at far fewer than K x 60
 * centers a job, and what they look at grows much more slowly than K. */
static double visits_per_job(size_t k, route_policy p)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 7);
    world base, w;
    world_init(&base, r, 60, 3, 2);
    world_init(&w, r, 60 * k, 3, 0);
    for (size_t i = 0; i < 60 * k; i++) {
        w.dcs[i].region = base.dcs[i % 60].region;
        w.dcs[i].price = base.dcs[i % 60].price;
        for (size_t c = 0; c < 3; c++)
            w.lat[i * 3 + c] = base.lat[(i % 60) * 3 + c];
        dc_set_capacity(&w.st[i], 0.0, 1000);
        dc_set_busy(&w.st[i], 0.0, (int64_t)gsl_rng_uniform_int(r, 1001));
    }
    for (size_t c = 0; c < 3; c++)
        w.cities[c].firms.kind[JOB_INFERENCE].latency_ms = 10;
    broker_index *bx = broker_index_new(&w.cfg, p, w.st);
    ck_assert_ptr_nonnull(bx);
    for (int it = 0; it < 2000; it++) {
        size_t i = gsl_rng_uniform_int(r, 60 * k);      /* a few centers change */
        dc_set_busy(&w.st[i], it, (int64_t)gsl_rng_uniform_int(r, 1001));
        broker_job j = random_job(&w, r);
        j.gpus = 8;
        ck_assert_int_eq(broker_index_route(bx, -1, &j),
                         broker_route(p, &w.cfg, w.st, NULL, &j));
    }
    uint64_t routes, visited;
    broker_index_counts(bx, &routes, NULL, &visited, NULL);
    broker_index_free(bx);
    world_fini(&w);
    world_fini(&base);
    gsl_rng_free(r);
    return (double)visited / (double)routes;
}

START_TEST(test_broker_index_cost_grows_slowly)
{
    static const route_policy ps[] = { ROUTE_LEAST_LOADED, ROUTE_LATENCY_AWARE, ROUTE_WEST_FIRST };
    for (int k = 0; k < 3; k++) {
        double v1 = visits_per_job(1, ps[k]), v32 = visits_per_job(32, ps[k]);
        ck_assert_msg(v32 < 60.0 * 32 / 20, "policy %d: %.1f visits a job for %d centers",
                      (int)ps[k], v32, 60 * 32);
        ck_assert_msg(v32 < 8 * v1, "policy %d: %.1f visits a job with 60 centers, %.1f with %d",
                      (int)ps[k], v1, v32, 60 * 32);
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
    TCase *ti = tcase_create("index");
    tcase_set_timeout(ti, 60);
    tcase_add_test(ti, test_broker_index_matches_the_pass);
    tcase_add_test(ti, test_broker_index_cost_grows_slowly);
    suite_add_tcase(s, ti);
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
