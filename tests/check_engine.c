/* tests/check_engine.c - run loop, ties, cancel, run-until, failures, threads. */
#include <check.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "sim/engine.h"
#include "sim/rng.h"

/* A note_log of the events a model saw: payload ids in order of running. */
typedef struct note_log {
    int      ids[64];
    double   times[64];
    int      n;
    int      stop_at;    /* call sim_stop when this id runs (0: never) */
    int      fail_at;    /* fail when this id runs (0: never) */
} note_log;

static int on_note(sim_engine *eng, const sim_event *ev, void *state)
{
    note_log *l = state;
    int id;
    memcpy(&id, ev->payload, sizeof id);
    ck_assert_int_lt(l->n, 64);
    l->ids[l->n] = id;
    l->times[l->n] = ev->time;
    l->n++;
    ck_assert_double_eq(sim_now(eng), ev->time);
    if (id == l->stop_at)
        sim_stop(eng);
    if (id == l->fail_at)
        return sim_fail(eng, SIM_ECHECK, "note %d failed on purpose", id);
    return SIM_OK;
}

static const sim_event_type note_type = { "note", sizeof(int), on_note };

static sim_engine *engine_with_log(note_log *l, sim_type_id *id)
{
    memset(l, 0, sizeof *l);
    sim_engine *eng = sim_engine_new();
    ck_assert_ptr_nonnull(eng);
    ck_assert_int_eq(sim_register(eng, &note_type, l, id), SIM_OK);
    return eng;
}

static void note_at(sim_engine *eng, sim_type_id id, double t, int n)
{
    ck_assert_int_eq(sim_schedule(eng, t, id, &n), SIM_OK);
}

START_TEST(test_engine_ties_run_fifo)
{
    note_log l;
    sim_type_id id;
    sim_engine *eng = engine_with_log(&l, &id);
    note_at(eng, id, 2.0, 1);
    note_at(eng, id, 1.0, 2);
    note_at(eng, id, 2.0, 3);
    note_at(eng, id, 1.0, 4);
    note_at(eng, id, 2.0, 5);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    int want[] = { 2, 4, 1, 3, 5 };
    ck_assert_int_eq(l.n, 5);
    for (int i = 0; i < 5; i++)
        ck_assert_int_eq(l.ids[i], want[i]);
    ck_assert_uint_eq(sim_events_run(eng), 5);
    ck_assert_uint_eq(sim_pending(eng), 0);
    sim_engine_free(eng);
}
END_TEST

START_TEST(test_engine_cancel_skips_event)
{
    note_log l;
    sim_type_id id;
    sim_engine *eng = engine_with_log(&l, &id);
    sim_handle h1, h2;
    int a = 1, b = 2, c = 3;
    ck_assert_int_eq(sim_schedule_h(eng, 1.0, id, &a, &h1), SIM_OK);
    ck_assert_int_eq(sim_schedule_h(eng, 2.0, id, &b, &h2), SIM_OK);
    ck_assert_int_eq(sim_schedule(eng, 3.0, id, &c), SIM_OK);
    ck_assert_uint_eq(sim_pending(eng), 3);
    ck_assert_int_eq(sim_cancel(eng, h2), SIM_OK);
    ck_assert_int_eq(sim_cancel(eng, h2), SIM_ENOENT);     /* twice */
    ck_assert_uint_eq(sim_pending(eng), 2);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(l.n, 2);
    ck_assert_int_eq(l.ids[0], 1);
    ck_assert_int_eq(l.ids[1], 3);
    ck_assert_int_eq(sim_cancel(eng, h1), SIM_ENOENT);     /* already ran */
    ck_assert_int_eq(sim_cancel(eng, SIM_HANDLE_NONE), SIM_ENOENT);
    sim_engine_free(eng);
}
END_TEST

/* A stale handle must not cancel the event that later reuses its slot. */
START_TEST(test_engine_stale_handle_after_reuse)
{
    note_log l;
    sim_type_id id;
    sim_engine *eng = engine_with_log(&l, &id);
    sim_handle h;
    int a = 1, b = 2;
    ck_assert_int_eq(sim_schedule_h(eng, 1.0, id, &a, &h), SIM_OK);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(sim_schedule(eng, 2.0, id, &b), SIM_OK);   /* reuses the slot */
    ck_assert_int_eq(sim_cancel(eng, h), SIM_ENOENT);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(l.n, 2);
    sim_engine_free(eng);
}
END_TEST

START_TEST(test_engine_run_until_stops_at_time)
{
    note_log l;
    sim_type_id id;
    sim_engine *eng = engine_with_log(&l, &id);
    note_at(eng, id, 1.0, 1);
    note_at(eng, id, 5.0, 2);
    note_at(eng, id, 5.0, 3);
    note_at(eng, id, 9.0, 4);
    ck_assert_double_eq(sim_next_time(eng), 1.0);
    ck_assert_int_eq(sim_run(eng, 5.0), SIM_OK);     /* events at 5 run */
    ck_assert_int_eq(l.n, 3);
    ck_assert_double_eq(sim_next_time(eng), 9.0);
    ck_assert_double_eq(sim_now(eng), 5.0);
    ck_assert_int_eq(sim_run(eng, 7.0), SIM_OK);     /* nothing: clock moves */
    ck_assert_int_eq(l.n, 3);
    ck_assert_double_eq(sim_now(eng), 7.0);
    ck_assert_int_eq(sim_schedule(eng, 6.0, id, &l.n), SIM_EINVAL);  /* past */
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(l.n, 4);
    ck_assert_double_eq(sim_now(eng), 9.0);
    ck_assert(isinf(sim_next_time(eng)));
    sim_engine_free(eng);
}
END_TEST

START_TEST(test_engine_handler_stop_and_fail)
{
    note_log l;
    sim_type_id id;
    sim_engine *eng = engine_with_log(&l, &id);
    l.stop_at = 2;
    l.fail_at = 4;
    for (int i = 1; i <= 5; i++)
        note_at(eng, id, (double)i, i);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(l.n, 2);
    ck_assert_double_eq(sim_now(eng), 2.0);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_ECHECK);
    ck_assert_int_eq(l.n, 4);
    ck_assert_str_eq(sim_engine_err(eng)->msg, "note 4 failed on purpose");
    sim_engine_free(eng);
}
END_TEST

START_TEST(test_engine_rejects_bad_arguments)
{
    note_log l;
    sim_type_id id;
    sim_engine *eng = engine_with_log(&l, &id);
    int x = 0;
    ck_assert_int_eq(sim_schedule(eng, NAN, id, &x), SIM_EINVAL);
    ck_assert_int_eq(sim_schedule(eng, -1.0, id, &x), SIM_EINVAL);
    ck_assert_int_eq(sim_schedule(eng, 1.0, id + 1, &x), SIM_EINVAL);
    static const sim_event_type big = { "big", SIM_PAYLOAD_MAX + 1, on_note };
    sim_type_id bid;
    ck_assert_int_eq(sim_register(eng, &big, NULL, &bid), SIM_EINVAL);
    ck_assert_str_eq(sim_type_name(eng, id), "note");
    sim_engine_free(eng);
    sim_engine_free(NULL);
}
END_TEST

/* ---- the slab: payloads read in place, growth, larger types later ---- */

/* A 56-byte payload: a tag repeated, so a torn or moved record shows. */
typedef struct wide {
    uint64_t w[7];
} wide;

typedef struct grower {
    sim_type_id wide_id, note_id;
    int         spawn;      /* events each wide event schedules */
    int         seen;
    sim_handle  self;       /* the running event's handle, from ev->handle */
    int         cancel_self_rc;
} grower;

static int on_wide(sim_engine *eng, const sim_event *ev, void *state)
{
    grower *g = state;
    wide before;
    memcpy(&before, ev->payload, sizeof before);
    g->cancel_self_rc = sim_cancel(eng, ev->handle);
    /* scheduling many events grows (and so moves) the slab under ev */
    for (int i = 0; i < g->spawn; i++) {
        int n = i;
        int rc = sim_schedule(eng, ev->time + 1.0, g->note_id, &n);
        if (rc)
            return rc;
    }
    ck_assert_int_eq(memcmp(&before, ev->payload, sizeof before), 0);
    for (int i = 0; i < 7; i++)
        ck_assert_uint_eq(before.w[i], 0x5151000000000000ULL + (uint64_t)g->seen);
    g->seen++;
    return SIM_OK;
}

static const sim_event_type wide_type = { "wide", sizeof(wide), on_wide };

static int on_nothing(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng, (void)ev, (void)state;
    return SIM_OK;
}

static const sim_event_type small_type = { "small", sizeof(int), on_nothing };

/* A handler whose own scheduling grows the slab still reads its payload
 * (the slab it started with lives until it returns); cancelling the
 * running event finds nothing; a type with a larger payload registered
 * after events exist keeps their payloads. */
START_TEST(test_engine_payload_survives_slab_growth)
{
    grower g = { .spawn = 5000 };
    sim_engine *eng = sim_engine_new();
    ck_assert_ptr_nonnull(eng);
    ck_assert_int_eq(sim_register(eng, &small_type, NULL, &g.note_id), SIM_OK);
    /* 3000 records: after the re-layout at 64 bytes a record the slab is
     * large enough for the allocator to map it on its own, so reading it
     * after it was freed would fault */
    for (int i = 0; i < 3000; i++)
        ck_assert_int_eq(sim_schedule(eng, 5.0, g.note_id, &i), SIM_OK);
    ck_assert_int_eq(sim_register(eng, &wide_type, &g, &g.wide_id), SIM_OK);
    for (int k = 0; k < 3; k++) {
        wide w;
        for (int i = 0; i < 7; i++)
            w.w[i] = 0x5151000000000000ULL + (uint64_t)k;
        ck_assert_int_eq(sim_schedule(eng, 1.0 + k, g.wide_id, &w), SIM_OK);
    }
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(g.seen, 3);
    ck_assert_int_eq(g.cancel_self_rc, SIM_ENOENT);
    ck_assert_uint_eq(sim_events_run(eng), 3 + 3000 + 3 * 5000);
    ck_assert_uint_eq(sim_pending(eng), 0);
    sim_engine_free(eng);
}
END_TEST

/* The small-stride records scheduled before a wider type was registered
 * keep their payloads through the re-layout. */
static int on_check_id(sim_engine *eng, const sim_event *ev, void *state)
{
    int *expect = state, id;
    (void)eng;
    memcpy(&id, ev->payload, sizeof id);
    ck_assert_int_eq(id, *expect);
    (*expect)++;
    return SIM_OK;
}

static const sim_event_type check_type = { "check", sizeof(int), on_check_id };

START_TEST(test_engine_restride_keeps_payloads)
{
    int expect = 0;
    grower g = { .spawn = 0 };
    sim_engine *eng = sim_engine_new();
    sim_type_id cid;
    ck_assert_int_eq(sim_register(eng, &check_type, &expect, &cid), SIM_OK);
    for (int i = 0; i < 3000; i++)
        ck_assert_int_eq(sim_schedule(eng, 10.0 + i, cid, &i), SIM_OK);
    ck_assert_int_eq(sim_register(eng, &wide_type, &g, &g.wide_id), SIM_OK);
    wide w;
    for (int i = 0; i < 7; i++)
        w.w[i] = 0x5151000000000000ULL;
    ck_assert_int_eq(sim_schedule(eng, 1.0, g.wide_id, &w), SIM_OK);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(expect, 3000);
    ck_assert_int_eq(g.seen, 1);
    sim_engine_free(eng);
}
END_TEST

/* ---- payloads of every size ---- */

/* Each size from 0 to SIM_PAYLOAD_MAX is a type of its own; a payload's
 * byte j of its event i is a pattern of (size, i, j), copied from a buffer
 * of exactly that size (a copy reading past it shows under valgrind or
 * ASan). Half the types take a prefetch hint, so both ways of scheduling
 * (with and without a key) copy. The handler checks every byte. */
typedef struct sized {
    size_t   size;
    uint32_t ran;
    uint32_t bad;
} sized;

static unsigned char size_pattern(size_t size, uint32_t i, size_t j)
{
    return (unsigned char)(size * 31 + i * 7 + j * 13 + 1);
}

static int on_sized(sim_engine *eng, const sim_event *ev, void *state)
{
    sized *z = state;
    const unsigned char *p = ev->payload;
    (void)eng;
    for (size_t j = 0; j < z->size; j++)
        z->bad += p[j] != size_pattern(z->size, z->ran, j);
    z->ran++;
    return SIM_OK;
}

static uint32_t sized_key(const void *payload)
{
    (void)payload;
    return 0;
}

static void sized_hint(uint32_t key, void *state)
{
    (void)key, (void)state;
}

START_TEST(test_engine_payload_every_size)
{
    enum { NS = SIM_PAYLOAD_MAX + 1, PER = 40 };
    static sim_event_type types[NS];
    sized z[NS];
    sim_type_id id[NS];
    sim_engine *eng = sim_engine_new();
    ck_assert_ptr_nonnull(eng);
    for (size_t s = 0; s < NS; s++) {
        types[s] = (sim_event_type){ "sized", s, on_sized };
        z[s] = (sized){ s, 0, 0 };
        ck_assert_int_eq(sim_register(eng, &types[s], &z[s], &id[s]), SIM_OK);
        if (s & 1)
            ck_assert_int_eq(sim_set_prefetch(eng, id[s], sized_key, sized_hint), SIM_OK);
    }
    /* event i of every size at time i: a size's events run in order */
    for (uint32_t i = 0; i < PER; i++)
        for (size_t s = 0; s < NS; s++) {
            unsigned char *buf = s ? malloc(s) : NULL;
            for (size_t j = 0; j < s; j++)
                buf[j] = size_pattern(s, i, j);
            ck_assert_int_eq(sim_schedule(eng, (double)i, id[s], buf), SIM_OK);
            free(buf);
        }
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    for (size_t s = 0; s < NS; s++) {
        ck_assert_uint_eq(z[s].ran, PER);
        ck_assert_msg(z[s].bad == 0, "size %zu: %u bytes wrong", s, z[s].bad);
    }
    sim_engine_free(eng);
}
END_TEST

/* ---- prefetch hints ---- */

typedef struct hint_log {
    int hinted[64];     /* ids hinted, in order */
    int nh;
    int ran[64];        /* ids run, in order */
    int nr;
    int hinted_before_run;  /* hints that came while the event was still pending */
} hint_log;

static uint32_t hint_key(const void *payload)
{
    int id;
    memcpy(&id, payload, sizeof id);
    return id == 125 ? SIM_PREFETCH_KEYS : (uint32_t)id;   /* 125: nothing to fetch */
}

static void on_hint(uint32_t key, void *state)
{
    hint_log *h = state;
    int id = (int)key;
    ck_assert_int_lt(h->nh, 64);
    h->hinted[h->nh++] = id;
    int done = 0;
    for (int i = 0; i < h->nr; i++)
        done |= h->ran[i] == id;
    h->hinted_before_run += !done;
}

static int on_hinted(sim_engine *eng, const sim_event *ev, void *state)
{
    hint_log *h = state;
    (void)eng;
    int id;
    memcpy(&id, ev->payload, sizeof id);
    h->ran[h->nr++] = id;
    return SIM_OK;
}

static const sim_event_type hinted_type = { "hinted", sizeof(int), on_hinted };

/* The hint of a type is called with the keys of its events before they
 * run, in the order they run, never for other types or for a key that says
 * nothing to fetch, and changes nothing. A cancelled event may be hinted. */
START_TEST(test_engine_prefetch_hint)
{
    hint_log h;
    memset(&h, 0, sizeof h);
    note_log l;
    sim_type_id hid, nid;
    sim_engine *eng = engine_with_log(&l, &nid);
    ck_assert_int_eq(sim_register(eng, &hinted_type, &h, &hid), SIM_OK);
    ck_assert_int_eq(sim_set_prefetch(eng, hid + 1, hint_key, on_hint), SIM_EINVAL);
    ck_assert_int_eq(sim_set_prefetch(eng, hid, NULL, on_hint), SIM_EINVAL);
    ck_assert_int_eq(sim_set_prefetch(eng, hid, hint_key, on_hint), SIM_OK);
    sim_handle cancelled;
    for (int i = 1; i <= 30; i++) {
        ck_assert_int_eq(sim_schedule(eng, (double)i, nid, &i), SIM_OK);  /* no hint */
        int k = 100 + i;
        ck_assert_int_eq(sim_schedule_h(eng, i + 0.5, hid, &k, i == 20 ? &cancelled : NULL),
                         SIM_OK);
    }
    ck_assert_int_eq(sim_cancel(eng, cancelled), SIM_OK);
    ck_assert_int_eq(sim_run(eng, INFINITY), SIM_OK);
    ck_assert_int_eq(l.n, 30);
    ck_assert_int_eq(h.nr, 29);
    ck_assert_int_gt(h.nh, 20);                 /* most were hinted ahead */
    ck_assert_int_eq(h.hinted_before_run, h.nh);
    for (int i = 0; i < h.nh; i++) {
        ck_assert_int_gt(h.hinted[i], 100);     /* only the hinted type */
        ck_assert_int_le(h.hinted[i], 130);
        ck_assert_int_ne(h.hinted[i], 125);     /* nothing to fetch: no call */
        if (i)
            ck_assert_int_gt(h.hinted[i], h.hinted[i - 1]);   /* in the order they run */
    }
    ck_assert_int_eq(sim_set_prefetch(eng, hid, NULL, NULL), SIM_OK);
    sim_engine_free(eng);
}
END_TEST

/* ---- two engines in two threads: identical traces ---- */

typedef struct chain {
    sim_rng     rng;
    sim_type_id id;
    uint64_t    hash;       /* FNV-1a over (time, payload) of every event */
} chain;

static void mix(uint64_t *h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        *h = (*h ^ b[i]) * 0x100000001b3ULL;
}

static int on_chain(sim_engine *eng, const sim_event *ev, void *state)
{
    chain *c = state;
    uint64_t k;
    memcpy(&k, ev->payload, sizeof k);
    mix(&c->hash, &ev->time, sizeof ev->time);
    mix(&c->hash, &k, sizeof k);
    /* 0..2 children, some at the same time (ties) */
    int m = (int)gsl_rng_uniform_int(sim_rng_gsl(&c->rng), 3);
    for (int i = 0; i < m && sim_pending(eng) < 2000; i++) {
        double dt = gsl_rng_uniform(sim_rng_gsl(&c->rng)) < 0.3 ? 0.0
                    : gsl_ran_exponential(sim_rng_gsl(&c->rng), 1.0);
        uint64_t child = k * 3 + (uint64_t)i;
        int rc = sim_schedule(eng, ev->time + dt, c->id, &child);
        if (rc)
            return rc;
    }
    return SIM_OK;
}

static const sim_event_type chain_type = { "chain", sizeof(uint64_t), on_chain };

static void *run_chain(void *arg)
{
    chain *c = arg;
    sim_engine *eng = sim_engine_new();
    sim_rng_init(&c->rng, 2024, 1, 5);
    c->hash = 0xcbf29ce484222325ULL;
    if (sim_register(eng, &chain_type, c, &c->id) != SIM_OK)
        return NULL;
    for (uint64_t k = 1; k <= 100; k++)
        sim_schedule(eng, (double)(k % 7), c->id, &k);
    sim_run(eng, 500.0);
    sim_engine_free(eng);
    return c;
}

START_TEST(test_engine_two_threads_identical_traces)
{
    chain a, b, solo;
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&ta, NULL, run_chain, &a), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, run_chain, &b), 0);
    ck_assert_int_eq(pthread_join(ta, NULL), 0);
    ck_assert_int_eq(pthread_join(tb, NULL), 0);
    run_chain(&solo);
    ck_assert_uint_eq(a.hash, b.hash);
    ck_assert_uint_eq(a.hash, solo.hash);
    ck_assert_uint_ne(a.hash, 0xcbf29ce484222325ULL);   /* something ran */
}
END_TEST

static Suite *engine_suite(void)
{
    Suite *s = suite_create("engine");
    TCase *tc = tcase_create("run");
    tcase_add_test(tc, test_engine_ties_run_fifo);
    tcase_add_test(tc, test_engine_cancel_skips_event);
    tcase_add_test(tc, test_engine_stale_handle_after_reuse);
    tcase_add_test(tc, test_engine_run_until_stops_at_time);
    tcase_add_test(tc, test_engine_handler_stop_and_fail);
    tcase_add_test(tc, test_engine_rejects_bad_arguments);
    tcase_add_test(tc, test_engine_payload_survives_slab_growth);
    tcase_add_test(tc, test_engine_restride_keeps_payloads);
    tcase_add_test(tc, test_engine_payload_every_size);
    tcase_add_test(tc, test_engine_prefetch_hint);
    suite_add_tcase(s, tc);
    TCase *tt = tcase_create("threads");
    tcase_set_timeout(tt, 60);
    tcase_add_test(tt, test_engine_two_threads_identical_traces);
    suite_add_tcase(s, tt);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(engine_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
