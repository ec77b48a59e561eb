/* sim/queue.c - pending-event priority queue: a monotone radix heap on the
 * bit patterns of the event times, with a small sorted "run" in front.
 *
 * Keys. For t >= 0 (with -0.0 made +0.0) the IEEE-754 bit pattern of a
 * double, read as a uint64, orders exactly like the double, so the queue
 * is a radix heap on uint64 keys. Bucket b (1..64) holds keys whose highest
 * bit differing from `base` is b-1; bucket 0 holds keys equal to base. All
 * keys in bucket i are below all keys in any bucket j > i. The engine's
 * clock never runs backwards, so every pushed key is >= the last popped
 * one >= base, which is what a radix heap needs.
 *
 * The run. A sorted array of the smallest pending keys (those <= runmax);
 * pops read it front to back. When it is used up, the lowest non-empty
 * bucket either becomes the run (if it holds <= RUN_SORT entries: it is
 * insertion-sorted) or is split around its minimum, as in a classical
 * radix heap, every entry landing in a lower bucket. A push with a key
 * <= runmax is placed into the run after equal keys; when that would shift
 * more than RUN_SHIFT entries, the run's tail goes back to the buckets
 * instead, so a push costs O(1) amortised.
 *
 * FIFO among equal times needs no sequence number: equal keys always sit
 * in the same container (which one depends only on the key, base and
 * runmax), pushes append, every move and the sort are stable, and run
 * inserts go after equal keys. tests/check_queue.c checks it against a
 * stable sort.
 *
 * Measured against a textbook binary heap in BENCHMARKS.md. engine.c calls
 * the handlers; this file only orders (time, slot) pairs. */
#include "sim/queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define RUN_SORT  32    /* a bucket this small becomes the run, sorted */
#define RUN_SHIFT 32    /* most entries a push may shift inside the run */
#define NBUCKETS  65

typedef struct entry {
    uint64_t key;       /* bit pattern of the time */
    uint32_t slot;
    uint32_t pad;
} entry;

typedef struct vec {
    entry   *a;
    uint32_t n, cap;
} vec;

struct sim_queue {
    uint64_t base;      /* every pending key >= base; buckets are relative to it */
    uint64_t nonempty;  /* bit b-1 set when bucket b (1..64) is not empty */
    uint64_t runmax;    /* keys <= runmax live in the run, larger ones in buckets */
    uint64_t peekkey;   /* cached minimum while the run is empty */
    int      peekvalid;
    uint32_t head;      /* next entry of the run to pop */
    size_t   size;
    vec      run;
    vec      b[NBUCKETS];
};

static inline uint64_t key_of(double t)
{
    uint64_t k;
    t += 0.0;                       /* -0.0 -> +0.0 */
    memcpy(&k, &t, sizeof k);
    return k;
}

static inline double time_of(uint64_t k)
{
    double t;
    memcpy(&t, &k, sizeof t);
    return t;
}

static inline unsigned bucket_of(uint64_t k, uint64_t base)
{
    return k == base ? 0 : 64 - (unsigned)__builtin_clzll(k ^ base);
}

static int vec_reserve(vec *v, uint64_t need)
{
    if (need <= v->cap)
        return 0;
    uint64_t cap = v->cap ? v->cap : 16;
    while (cap < need)
        cap *= 2;
    if (cap > UINT32_MAX)
        return -1;
    entry *a = realloc(v->a, (size_t)cap * sizeof *a);
    if (!a)
        return -1;
    v->a = a;
    v->cap = (uint32_t)cap;
    return 0;
}

sim_queue *sim_queue_new(void)
{
    return calloc(1, sizeof(sim_queue));
}

void sim_queue_free(sim_queue *q)
{
    if (!q)
        return;
    for (int i = 0; i < NBUCKETS; i++)
        free(q->b[i].a);
    free(q->run.a);
    free(q);
}

uint32_t sim_queue_next_slot(const sim_queue *q)
{
    return q->head < q->run.n ? q->run.a[q->head].slot : UINT32_MAX;
}

size_t sim_queue_size(const sim_queue *q)
{
    return q->size;
}

/* Appends src[0..n) to their buckets relative to base, stably. All or
 * nothing: on ENOMEM the buckets are as before. */
static int to_buckets(sim_queue *q, const entry *src, uint32_t n, uint64_t base)
{
    uint64_t ne = q->nonempty;
    for (uint32_t j = 0; j < n; j++) {
        unsigned b = bucket_of(src[j].key, base);
        vec *w = &q->b[b];
        if (w->n == w->cap && vec_reserve(w, (uint64_t)w->n + 1) != 0) {
            while (j-- > 0)
                q->b[bucket_of(src[j].key, base)].n--;
            return -1;
        }
        w->a[w->n++] = src[j];
        if (b)
            ne |= 1ULL << (b - 1);
    }
    q->nonempty = ne;
    return 0;
}

static int run_insert(sim_queue *q, entry e)
{
    vec *v = &q->run;
    uint32_t p = v->n;
    uint32_t lim = v->n - q->head < RUN_SHIFT ? q->head : v->n - RUN_SHIFT;
    while (p > lim && v->a[p - 1].key > e.key)
        p--;
    if (p == lim && p > q->head && v->a[p - 1].key > e.key) {
        /* A long shift: send the tail (keys > e.key) back to the buckets. */
        uint32_t lo = q->head, hi = p;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (v->a[mid].key > e.key)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (to_buckets(q, v->a + lo, v->n - lo, q->base) != 0)
            return -1;
        v->n = lo;
        p = lo;
        q->runmax = e.key;
    }
    if (v->n == v->cap) {
        if (q->head > 0) {                  /* reuse the popped prefix */
            memmove(v->a, v->a + q->head, (size_t)(v->n - q->head) * sizeof *v->a);
            v->n -= q->head;
            p -= q->head;
            q->head = 0;
        } else if (vec_reserve(v, (uint64_t)v->n + 1) != 0) {
            return -1;
        }
    }
    memmove(v->a + p + 1, v->a + p, (size_t)(v->n - p) * sizeof *v->a);
    v->a[p] = e;
    v->n++;
    return 0;
}

int sim_queue_push(sim_queue *q, double t, uint32_t slot)
{
    uint64_t k = key_of(t);
    entry e = { k, slot, 0 };
    if (k <= q->runmax) {
        if (run_insert(q, e) != 0)
            return -1;
    } else {
        unsigned b = bucket_of(k, q->base);
        vec *v = &q->b[b];
        if (v->n == v->cap && vec_reserve(v, (uint64_t)v->n + 1) != 0)
            return -1;
        v->a[v->n++] = e;
        if (b)
            q->nonempty |= 1ULL << (b - 1);
    }
    if (q->peekvalid && k < q->peekkey)
        q->peekkey = k;
    q->size++;
    return 0;
}

/* The smallest key of a non-empty vector. */
static uint64_t vec_min(const vec *v)
{
    uint64_t m = v->a[0].key;
    for (uint32_t j = 1; j < v->n; j++)
        if (v->a[j].key < m)
            m = v->a[j].key;
    return m;
}

static void take_as_run(sim_queue *q, vec *v)
{
    vec t = q->run;
    q->run = *v;
    *v = t;
    v->n = 0;
    q->head = 0;
}

/* Makes the run hold the smallest keys. Precondition: size > 0 and the run
 * is used up. On ENOMEM nothing has changed. */
static int refill(sim_queue *q)
{
    q->run.n = 0;
    q->head = 0;
    for (;;) {
        if (q->b[0].n) {
            take_as_run(q, &q->b[0]);
            q->runmax = q->base;
            return 0;
        }
        unsigned i = (unsigned)__builtin_ctzll(q->nonempty) + 1;
        vec *v = &q->b[i];
        if (v->n <= RUN_SORT) {
            q->nonempty &= ~(1ULL << (i - 1));
            take_as_run(q, v);
            entry *a = q->run.a;
            for (uint32_t j = 1; j < q->run.n; j++) {   /* stable insertion sort */
                entry e = a[j];
                uint32_t p = j;
                while (p > 0 && a[p - 1].key > e.key) {
                    a[p] = a[p - 1];
                    p--;
                }
                a[p] = e;
            }
            q->base = a[0].key;
            q->runmax = a[0].key | ((1ULL << (i - 1)) - 1);  /* top of bucket i's range */
            return 0;
        }
        uint64_t m = vec_min(v);
        if (to_buckets(q, v->a, v->n, m) != 0)           /* all land below i */
            return -1;
        q->nonempty &= ~(1ULL << (i - 1));
        v->n = 0;
        q->base = m;
    }
}

/* The smallest key without restructuring (a refill before the pop would
 * raise base above keys that may still be pushed). */
static uint64_t min_key(sim_queue *q)
{
    if (q->head < q->run.n)
        return q->run.a[q->head].key;
    if (!q->peekvalid) {
        if (q->b[0].n) {
            q->peekkey = q->base;
        } else {
            q->peekkey = vec_min(&q->b[__builtin_ctzll(q->nonempty) + 1]);
        }
        q->peekvalid = 1;
    }
    return q->peekkey;
}

double sim_queue_peek_time(const sim_queue *q)
{
    if (!q->size)
        return INFINITY;
    if (q->head < q->run.n)
        return time_of(q->run.a[q->head].key);
    if (q->peekvalid)
        return time_of(q->peekkey);
    if (q->b[0].n)
        return time_of(q->base);
    return time_of(vec_min(&q->b[__builtin_ctzll(q->nonempty) + 1]));
}

int sim_queue_pop_le(sim_queue *q, double limit, double *t, uint32_t *slot)
{
    if (!q->size)
        return 0;
    if (!(limit >= INFINITY) && time_of(min_key(q)) > limit)
        return 0;
    if (q->head == q->run.n && refill(q) != 0)
        return -1;
    entry e = q->run.a[q->head++];
    q->size--;
    q->peekvalid = 0;
    *t = time_of(e.key);
    *slot = e.slot;
    return 1;
}
