/* tests/check_queue.c - the pending-event set against a stable sort. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "sim/queue.h"
#include "sim/rng.h"

typedef struct item {
    double   t;
    uint32_t slot;   /* push order */
} item;

static int by_time_then_push(const void *a, const void *b)
{
    const item *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->slot < y->slot ? -1 : x->slot > y->slot;
}

/* Pushes n events with many exact ties (times on a coarse grid), pops all,
 * and compares with sorting by (time, push order). */
START_TEST(test_queue_million_matches_sort)
{
    const uint32_t n = 1000000;
    sim_rng r;
    sim_rng_init(&r, 42, 0, 0);
    item *want = malloc(n * sizeof *want);
    ck_assert_ptr_nonnull(want);
    sim_queue *q = sim_queue_new();
    for (uint32_t i = 0; i < n; i++) {
        /* half on a grid of 1000 values (ties), half continuous */
        double t = (i & 1) ? (double)(sim_rng_u64(&r) % 1000) : 1000.0 * sim_rng_uniform(&r);
        want[i] = (item){ t, i };
        ck_assert_int_eq(sim_queue_push(q, t, i), 0);
    }
    ck_assert_uint_eq(sim_queue_size(q), n);
    qsort(want, n, sizeof *want, by_time_then_push);
    for (uint32_t i = 0; i < n; i++) {
        double t;
        uint32_t slot;
        ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
        ck_assert_msg(t == want[i].t && slot == want[i].slot,
                      "pop %u: got (%g, %u), want (%g, %u)", i, t, slot, want[i].t, want[i].slot);
    }
    ck_assert_uint_eq(sim_queue_size(q), 0);
    double t;
    uint32_t slot;
    ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 0);
    sim_queue_free(q);
    free(want);
}
END_TEST

/* Interleaved pushes and pops, as the engine does (monotone times): the
 * output must still be sorted by (time, push order). */
START_TEST(test_queue_interleaved_monotone)
{
    sim_rng r;
    sim_rng_init(&r, 7, 0, 0);
    sim_queue *q = sim_queue_new();
    uint32_t next = 0;
    double now = 0.0;
    for (int i = 0; i < 5000; i++)
        ck_assert_int_eq(sim_queue_push(q, (double)(sim_rng_u64(&r) % 50), next++), 0);
    double last_t = -1.0;
    uint32_t last_slot = 0;
    for (int k = 0; k < 200000; k++) {
        double t;
        uint32_t slot;
        double peek = sim_queue_peek_time(q);
        ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
        ck_assert_double_eq(peek, t);
        ck_assert(t >= last_t);
        if (t == last_t)
            ck_assert_msg(slot > last_slot, "tie popped out of push order");
        last_t = t, last_slot = slot, now = t;
        /* 0, 1 or 2 new events, a third of them at exactly now */
        int m = (int)(sim_rng_u64(&r) % 3);
        for (int j = 0; j < m; j++) {
            double dt = (sim_rng_u64(&r) % 3 == 0) ? 0.0 : (double)(sim_rng_u64(&r) % 20);
            ck_assert_int_eq(sim_queue_push(q, now + dt, next++), 0);
        }
        if (sim_queue_size(q) == 0)
            ck_assert_int_eq(sim_queue_push(q, now + 1.0, next++), 0);
    }
    sim_queue_free(q);
}
END_TEST

/* Tags (sim_queue_push_tag) travel with their entries through every
 * move: the tag peeked k entries ahead is the one pushed with that slot,
 * and the order of pops is the same as without tags. */
static uint32_t tag_of(uint32_t slot)
{
    return (slot * 2654435761u) | 1u;
}

START_TEST(test_queue_tags_follow_entries)
{
    sim_rng r;
    sim_rng_init(&r, 7, 0, 0);
    sim_queue *q = sim_queue_new(), *plain = sim_queue_new();
    double now = 0.0;
    uint32_t next = 0, peeked = 0;
    for (int step = 0; step < 400000; step++) {
        if (sim_queue_size(q) < 20000 || sim_rng_uniform(&r) < 0.5) {
            double t = now + ((step & 3) ? 100.0 * sim_rng_uniform(&r) : (double)(step % 7));
            ck_assert_int_eq(sim_queue_push_tag(q, t, next, tag_of(next)), 0);
            ck_assert_int_eq(sim_queue_push(plain, t, next), 0);
            next++;
        } else {
            double t, tp;
            uint32_t slot, sp;
            ck_assert_int_eq(sim_queue_pop_le(q, INFINITY, &t, &slot), 1);
            ck_assert_int_eq(sim_queue_pop_le(plain, INFINITY, &tp, &sp), 1);
            ck_assert(t == tp && slot == sp);
            now = t;
            for (uint32_t k = 0; k < 8; k++) {
                uint32_t s = sim_queue_peek_ahead(q, k), tag = sim_queue_peek_tag(q, k);
                if (s == UINT32_MAX) {
                    ck_assert_uint_eq(tag, 0);
                    break;
                }
                ck_assert_uint_eq(tag, tag_of(s));
                peeked++;
            }
        }
    }
    ck_assert_uint_gt(peeked, 100000);
    sim_queue_free(q);
    sim_queue_free(plain);
}
END_TEST

START_TEST(test_queue_pop_le_respects_limit)
{
    sim_queue *q = sim_queue_new();
    ck_assert_int_eq(sim_queue_push(q, 5.0, 1), 0);
    ck_assert_int_eq(sim_queue_push(q, 2.0, 2), 0);
    double t;
    uint32_t slot;
    ck_assert_int_eq(sim_queue_pop_le(q, 1.0, &t, &slot), 0);
    ck_assert_uint_eq(sim_queue_size(q), 2);
    ck_assert_double_eq(sim_queue_peek_time(q), 2.0);
    ck_assert_int_eq(sim_queue_pop_le(q, 2.0, &t, &slot), 1);
    ck_assert_uint_eq(slot, 2);
    ck_assert_int_eq(sim_queue_pop_le(q, 4.999, &t, &slot), 0);
    ck_assert_int_eq(sim_queue_pop_le(q, 5.0, &t, &slot), 1);
    ck_assert_uint_eq(slot, 1);
    ck_assert_double_eq(t, 5.0);
    ck_assert(isinf(sim_queue_peek_time(q)));
    sim_queue_free(q);
}
END_TEST

START_TEST(test_queue_zero_and_huge_times)
{
    sim_queue *q = sim_queue_new();
    ck_assert_int_eq(sim_queue_push(q, 1e18, 1), 0);
    ck_assert_int_eq(sim_queue_push(q, 0.0, 2), 0);
    ck_assert_int_eq(sim_queue_push(q, 0.0, 3), 0);
    ck_assert_int_eq(sim_queue_push(q, 1e-300, 4), 0);
    uint32_t want[] = { 2, 3, 4, 1 };
    for (int i = 0; i < 4; i++) {
        double t;
        uint32_t slot;
        ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
        ck_assert_uint_eq(slot, want[i]);
    }
    sim_queue_free(q);
}
END_TEST

/* The hold model (each pop pushes one entry at now + Exp(1)) at a fixed
 * number pending: the queue's memory must not grow with the events run,
 * and must stay near 16 bytes an entry. */
START_TEST(test_queue_memory_flat_at_fixed_pending)
{
    const uint32_t n = 100000;
    sim_rng r;
    sim_rng_init(&r, 3, 0, 0);
    sim_queue *q = sim_queue_new();
    for (uint32_t i = 0; i < n; i++)
        ck_assert_int_eq(sim_queue_push(q, -log1p(-sim_rng_uniform(&r)), i), 0);
    size_t after[3] = { 0 };
    for (int round = 0; round < 3; round++) {
        for (uint32_t k = 0; k < 10 * n; k++) {
            double t;
            uint32_t slot;
            ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
            ck_assert_int_eq(sim_queue_push(q, t - log1p(-sim_rng_uniform(&r)), slot), 0);
        }
        after[round] = sim_queue_memory(q);
    }
    ck_assert_uint_eq(sim_queue_size(q), n);
    /* 16 bytes an entry, a partly filled block per non-empty bucket and the
     * blocks reserved for a split: well under 24 bytes an entry here */
    ck_assert_msg(after[2] < 24 * (size_t)n, "%zu bytes for %u entries", after[2], n);
    ck_assert_msg(after[2] <= after[0], "memory grew with events run: %zu then %zu",
                  after[0], after[2]);
    sim_queue_free(q);
}
END_TEST

/* Bursts of many equal times (everything due at one instant) followed by
 * later ones: FIFO within a burst, and a second burst as large as the
 * first reuses its memory (the queue holds what its peak needed, no more). */
START_TEST(test_queue_bursts_of_equal_times)
{
    sim_queue *q = sim_queue_new();
    uint32_t next = 0;
    double t;
    uint32_t slot;
    size_t peak = 0;
    for (int burst = 0; burst < 3; burst++) {
        double at = 7.0 + 2 * burst;
        uint32_t first = next;
        for (int i = 0; i < 50000; i++)
            ck_assert_int_eq(sim_queue_push(q, at, next++), 0);
        ck_assert_int_eq(sim_queue_push(q, at + 1.0, next++), 0);
        uint32_t later = next - 1, extra = next;
        for (uint32_t i = 0; i < 50000; i++) {
            ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
            ck_assert_double_eq(t, at);
            ck_assert_uint_eq(slot, first + i);
            if (i % 1000 == 0)  /* pushes at the current time join the burst's end */
                ck_assert_int_eq(sim_queue_push(q, at, next++), 0);
        }
        for (uint32_t i = extra; i < next; i++) {
            ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
            ck_assert_double_eq(t, at);
            ck_assert_uint_eq(slot, i);
        }
        size_t most = sim_queue_memory(q);
        ck_assert_int_eq(sim_queue_pop_le(q, 1e300, &t, &slot), 1);
        ck_assert_uint_eq(slot, later);
        ck_assert_uint_eq(sim_queue_size(q), 0);
        if (burst == 0)
            peak = most;
        else
            ck_assert_msg(most <= peak, "burst %d: %zu bytes after %zu", burst, most, peak);
    }
    sim_queue_free(q);
}
END_TEST

/* Against a plain reference (a list scanned for its smallest (time, push
 * order)): bursts of exactly 1, 31..33, 62..65 and 127 entries clustered
 * in one bucket (equal times, neighbouring bit patterns, or spread), so
 * that buckets of one full block, one entry more and one less, join the
 * run sorted, are split, or are taken whole; pops with limits below,
 * at and above the smallest time (nothing may change when nothing is
 * due); peeks between. */
typedef struct ref_item {
    double   t;
    uint32_t seq;
} ref_item;

static size_t ref_min(const ref_item *a, size_t n)
{
    size_t m = 0;
    for (size_t i = 1; i < n; i++)
        if (a[i].t < a[m].t || (a[i].t == a[m].t && a[i].seq < a[m].seq))
            m = i;
    return m;
}

START_TEST(test_queue_bucket_sizes_against_reference)
{
    static const uint32_t bursts[] = { 1, 31, 32, 33, 62, 63, 64, 65, 127 };
    const size_t cap = 4096;
    ref_item *ref = malloc(cap * sizeof *ref);
    ck_assert_ptr_nonnull(ref);
    size_t nref = 0;
    sim_rng r;
    sim_rng_init(&r, 11, 0, 0);
    sim_queue *q = sim_queue_new();
    uint32_t seq = 0;
    double now = 0.0;
    uint64_t popped = 0, refused = 0;
    for (int step = 0; step < 6000; step++) {
        uint64_t u = sim_rng_u64(&r);
        if (nref < 1500 && (u % 3 == 0 || nref == 0)) {
            uint32_t n = bursts[(u >> 8) % (sizeof bursts / sizeof *bursts)];
            double at = now + (double)((u >> 16) % 64) / 8.0;
            int shape = (int)((u >> 24) % 3);
            for (uint32_t j = 0; j < n; j++) {
                double t = at;
                if (shape == 1)         /* neighbouring bit patterns, shuffled */
                    t = nextafter(at, INFINITY) + 1e-12 * (double)(sim_rng_u64(&r) % n);
                else if (shape == 2)    /* spread over an hour */
                    t = at + sim_rng_uniform(&r);
                ref[nref++] = (ref_item){ t, seq };
                ck_assert_int_eq(sim_queue_push(q, t, seq), 0);
                seq++;
            }
        } else {
            size_t m = ref_min(ref, nref);
            ck_assert_double_eq(sim_queue_peek_time(q), ref[m].t);
            /* a limit below the smallest time: nothing happens */
            double t;
            uint32_t slot;
            if (u % 5 == 0) {
                ck_assert_int_eq(sim_queue_pop_le(q, nextafter(ref[m].t, -INFINITY), &t, &slot), 0);
                ck_assert_uint_eq(sim_queue_size(q), nref);
                refused++;
            }
            uint32_t k = 1 + (uint32_t)((u >> 8) % 80);
            for (uint32_t i = 0; i < k && nref; i++) {
                m = ref_min(ref, nref);
                double limit = (i & 1) ? ref[m].t : INFINITY;
                ck_assert_int_eq(sim_queue_pop_le(q, limit, &t, &slot), 1);
                ck_assert_msg(t == ref[m].t && slot == ref[m].seq,
                              "step %d: got (%.17g, %u), want (%.17g, %u)", step, t, slot,
                              ref[m].t, ref[m].seq);
                ref[m] = ref[--nref];
                now = t;
                popped++;
            }
        }
        ck_assert_uint_eq(sim_queue_size(q), nref);
    }
    ck_assert_uint_gt(popped, 100000);
    ck_assert_uint_gt(refused, 100);
    sim_queue_free(q);
    free(ref);
}
END_TEST

static Suite *queue_suite(void)
{
    Suite *s = suite_create("queue");
    TCase *tc = tcase_create("order");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_queue_million_matches_sort);
    tcase_add_test(tc, test_queue_interleaved_monotone);
    tcase_add_test(tc, test_queue_tags_follow_entries);
    tcase_add_test(tc, test_queue_pop_le_respects_limit);
    tcase_add_test(tc, test_queue_zero_and_huge_times);
    tcase_add_test(tc, test_queue_memory_flat_at_fixed_pending);
    tcase_add_test(tc, test_queue_bursts_of_equal_times);
    tcase_add_test(tc, test_queue_bucket_sizes_against_reference);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(queue_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
