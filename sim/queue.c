/* sim/queue.c - pending-event priority queue: a monotone radix heap with
 * 16-way digits on the bit patterns of the event times, with a small sorted
 * "run" in front, its buckets kept in fixed-size blocks from a shared pool.
 *
 * Keys. For t >= 0 (with -0.0 made +0.0) the IEEE-754 bit pattern of a
 * double, read as a uint64, orders exactly like the double, so the queue
 * is a radix heap on uint64 keys. The key is read as 16 digits of 4 bits.
 * Bucket 0 holds keys equal to `base`; a key k != base goes to bucket
 * (g, v) where g is the highest digit in which k differs from base and v
 * is k's value of that digit (v > base's digit g, since k > base). Buckets
 * are ordered by (g, v), and every key in a bucket is below every key in a
 * later one. The engine's clock never runs backwards, so every pushed key
 * is >= the last popped one >= base, which is what a radix heap needs.
 * When the lowest bucket (g, v) is split around its minimum m, m becomes
 * the base: m agrees with the old base above digit g, so every other
 * bucket keeps its place, and the split keys, which agree with m in digits
 * g and above, all land in lower buckets. A split divides a key's distance
 * to the base by 16 where a binary radix heap divides it by 2, so a key
 * moves about a quarter as often (at 100,000 pending, about 3 times
 * instead of 12).
 *
 * The run. A sorted array of the smallest pending keys (those <= runmax);
 * pops read it front to back. When it is used up, the lowest non-empty
 * bucket either becomes the run (if it holds <= RUN_SORT entries: it is
 * insertion-sorted) or is split around its minimum. A push with a key
 * <= runmax is placed into the run after equal keys; when that would shift
 * more than RUN_SHIFT entries, the run's tail goes back to the buckets
 * instead, so a push costs O(1) amortised.
 *
 * Memory. A bucket is a chain of 1 KiB blocks (63 entries each); the
 * blocks of a bucket being split go back to a free pool one by one as they
 * are read, and the buckets being filled take them from there, so the
 * queue holds about 16 bytes per pending entry plus one partly filled
 * block per non-empty bucket, whatever the number of events run. Before a
 * split, enough blocks are reserved for its worst case, so a failure to
 * allocate leaves the queue unchanged.
 *
 * FIFO among equal times needs no sequence number: equal keys always sit
 * in the same container (which one depends only on the key, base and
 * runmax), pushes append, every move and the sort are stable, and run
 * inserts go after equal keys. tests/check_queue.c checks it against a
 * stable sort.
 *
 * Per event, the common push (its bucket has room: queue.h, inlined into
 * the engine's sim_schedule) and the common pop (from the run) touch no
 * bookkeeping beyond the entry, the bucket's tail and minimum, and the
 * size: a bucket is marked non-empty only when it becomes so, no count is
 * kept per bucket (one small enough to join the run is a single block,
 * counted by its fill), and no minimum is cached for peeks.
 *
 * Measured against a textbook binary heap in BENCHMARKS.md. engine.c calls
 * the handlers; this file only orders (time, slot) pairs. */
#include "sim/queue.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The tuning below was measured (instructions and CPU time of bench hold
 * at 1,000, 100,000 and 1,000,000 pending); -D overrides are for that
 * (SIM_QUEUE_DIGIT and SIM_QUEUE_BLOCK_BYTES in queue.h). */
#define DIGIT     SIM_QUEUE_DIGIT
#define RADIX     SIM_QUEUE_RADIX
#define LEVELS    (64 / DIGIT)
#define NBUCKETS  SIM_QUEUE_BUCKETS
#define NWORDS    SIM_QUEUE_WORDS
#ifndef RUN_SORT
#define RUN_SORT  32    /* a bucket this small may join the run, sorted */
#endif
#ifndef RUN_TAKE
#define RUN_TAKE  RUN_SORT  /* most entries a refill takes from the buckets */
#endif
#define RUN_SHIFT 32    /* most entries a push may shift inside the run */
#define BLOCK_BYTES SIM_QUEUE_BLOCK_BYTES
#define BLOCK_N   ((BLOCK_BYTES - 16) / 16)   /* entries in a block */
#define CHUNK_BLOCKS 64                 /* blocks allocated at once */
#ifndef PREFETCH_BYTES
#define PREFETCH_BYTES 512  /* of the next block of a chain being split */
#endif

typedef sim_queue_entry entry;
typedef sim_queue_bucket bucket;

/* BLOCK_BYTES-aligned, so the end of a block is recognised by the address
 * of the next free entry alone. */
typedef struct sim_queue_block {
    struct sim_queue_block *next;
    uint64_t      pad;
    entry         e[BLOCK_N];
} block;

_Static_assert(sizeof(block) == BLOCK_BYTES, "a block is BLOCK_BYTES");
_Static_assert((DIGIT & (DIGIT - 1)) == 0 && 64 % DIGIT == 0, "bucket_of needs a power-of-two DIGIT");
_Static_assert((BLOCK_BYTES & (BLOCK_BYTES - 1)) == 0, "blocks are aligned to their size");
_Static_assert(RUN_SORT <= BLOCK_N, "a bucket sorted into the run fits one block");

static inline uint64_t key_of(double t)
{
    return sim_queue_key(t);
}

static inline double time_of(uint64_t k)
{
    double t;
    memcpy(&t, &k, sizeof t);
    return t;
}

static inline unsigned bucket_of(uint64_t k, uint64_t base)
{
    return sim_queue_bucket_of(k, base);
}

/* The lowest bit of the digit that bucket i (>= 1) is about. */
static inline unsigned bucket_lowbit(unsigned i)
{
    return (i - 1) / RADIX * DIGIT;
}

static inline void mark(sim_queue *q, unsigned i)
{
    q->nonempty[(i - 1) / 64] |= 1ULL << ((i - 1) % 64);
}

static inline void unmark(sim_queue *q, unsigned i)
{
    q->nonempty[(i - 1) / 64] &= ~(1ULL << ((i - 1) % 64));
}

/* The lowest non-empty bucket >= 1; NBUCKETS when none. */
static inline unsigned lowest(const sim_queue *q)
{
    for (unsigned w = 0; w < NWORDS; w++)
        if (q->nonempty[w])
            return 1 + w * 64 + (unsigned)__builtin_ctzll(q->nonempty[w]);
    return NBUCKETS;
}

/* ---- the block pool ---- */

/* Makes at least need blocks available without further allocation.
 * Returns 0, or -1 on ENOMEM. */
__attribute__((noinline))
static int pool_reserve(sim_queue *q, size_t need)
{
    while (q->npool + (size_t)(q->fresh_end - q->fresh) / BLOCK_BYTES < need) {
        if (q->nchunks == q->capchunks) {
            size_t cap = q->capchunks ? 2 * q->capchunks : 16;
            void **c = realloc(q->chunks, cap * sizeof *c);
            if (!c)
                return -1;
            q->chunks = c;
            size_t *nb = realloc(q->chunk_blocks, cap * sizeof *nb);
            if (!nb)
                return -1;
            q->chunk_blocks = nb;
            q->capchunks = cap;
        }
        size_t n = need > CHUNK_BLOCKS ? need : CHUNK_BLOCKS;
        void *c = aligned_alloc(BLOCK_BYTES, n * BLOCK_BYTES);
        if (!c)
            return -1;
        q->chunks[q->nchunks] = c;
        q->chunk_blocks[q->nchunks++] = n;
        /* the rest of the current chunk goes to the pool first */
        while (q->fresh < q->fresh_end) {
            block *b = (block *)q->fresh;
            b->next = q->pool;
            q->pool = b;
            q->npool++;
            q->fresh += BLOCK_BYTES;
        }
        q->fresh = c;
        q->fresh_end = (unsigned char *)c + n * BLOCK_BYTES;
    }
    return 0;
}

/* A block (at least one must be available: pool_reserve). Recently freed
 * blocks first: they are likely still in cache. */
static inline block *pool_take(sim_queue *q)
{
    block *b;
    if (q->pool) {
        b = q->pool;
        q->pool = b->next;
        q->npool--;
    } else {
        b = (block *)q->fresh;
        q->fresh += BLOCK_BYTES;
    }
    b->next = NULL;
    return b;
}

static inline void pool_give(sim_queue *q, block *b)
{
    b->next = q->pool;
    q->pool = b;
    q->npool++;
}

/* Appends e to bucket i, marking it non-empty when it was empty; a block
 * must be available when its last one is full (the caller reserved). */
static inline void bucket_append(sim_queue *q, unsigned i, entry e)
{
    bucket *w = &q->b[i];
    entry *c = w->cur;
    if (((uintptr_t)c & (BLOCK_BYTES - 1)) == 0) {   /* empty, or the block is full */
        block *nb = pool_take(q);
        if (c) {
            ((block *)((uintptr_t)(c - 1) & ~(uintptr_t)(BLOCK_BYTES - 1)))->next = nb;
        } else {
            w->head = nb;
            if (i)
                mark(q, i);
        }
        c = nb->e;
    }
    *c++ = e;
    w->cur = c;
    if (e.key < w->min)
        w->min = e.key;
}

sim_queue *sim_queue_new(void)
{
    sim_queue *q = calloc(1, sizeof(sim_queue));
    if (q)
        for (unsigned i = 0; i < NBUCKETS; i++)
            q->b[i].min = UINT64_MAX;
    return q;
}

void sim_queue_free(sim_queue *q)
{
    if (!q)
        return;
    for (size_t i = 0; i < q->nchunks; i++)
        free(q->chunks[i]);
    free(q->chunks);
    free(q->chunk_blocks);
    free(q->run);
    free(q);
}

size_t sim_queue_memory(const sim_queue *q)
{
    size_t blocks = 0;
    for (size_t i = 0; i < q->nchunks; i++)
        blocks += q->chunk_blocks[i];
    return sizeof *q + blocks * BLOCK_BYTES + (size_t)q->runcap * sizeof(entry)
           + q->capchunks * (sizeof *q->chunks + sizeof *q->chunk_blocks);
}

size_t sim_queue_size(const sim_queue *q)
{
    return q->size;
}

/* Blocks that appending n entries to the buckets may need at most. */
static size_t blocks_for(size_t n)
{
    return (n < NBUCKETS ? n : NBUCKETS) + n / BLOCK_N + 1;
}

/* Appends src[0..n) to their buckets relative to q->base, stably. All or
 * nothing: on ENOMEM the buckets are as before. */
static int to_buckets(sim_queue *q, const entry *src, uint32_t n)
{
    if (pool_reserve(q, blocks_for(n)) != 0)
        return -1;
    uint64_t base = q->base;
    for (uint32_t j = 0; j < n; j++) {
        bucket_append(q, bucket_of(src[j].key, base), src[j]);
    }
    return 0;
}

static int run_reserve(sim_queue *q, uint64_t need)
{
    if (need <= q->runcap)
        return 0;
    uint64_t cap = q->runcap ? q->runcap : 64;
    while (cap < need)
        cap *= 2;
    if (cap > UINT32_MAX)
        return -1;
    entry *a = realloc(q->run, (size_t)cap * sizeof *a);
    if (!a)
        return -1;
    q->run = a;
    q->runcap = (uint32_t)cap;
    return 0;
}

__attribute__((noinline))
static int run_insert(sim_queue *q, entry e)
{
    entry *a = q->run;
    uint32_t n = q->nrun, head = q->head, p = n;
    uint32_t lim = n - head < RUN_SHIFT ? head : n - RUN_SHIFT;
    while (p > lim && a[p - 1].key > e.key)
        p--;
    if (p == lim && p > head && a[p - 1].key > e.key) {
        /* A long shift: send the tail (keys > e.key) back to the buckets. */
        uint32_t lo = head, hi = p;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (a[mid].key > e.key)
                hi = mid;
            else
                lo = mid + 1;
        }
        if (to_buckets(q, a + lo, n - lo) != 0)
            return -1;
        n = q->nrun = lo;
        p = lo;
        q->runmax = e.key;
    }
    if (n == q->runcap) {
        if (head > 0) {                     /* reuse the popped prefix */
            memmove(a, a + head, (size_t)(n - head) * sizeof *a);
            n -= head;
            p -= head;
            q->nrun = n;
            q->head = 0;
        } else if (run_reserve(q, (uint64_t)n + 1) != 0) {
            return -1;
        }
        a = q->run;
    }
    memmove(a + p + 1, a + p, (size_t)(n - p) * sizeof *a);
    a[p] = e;
    q->nrun = n + 1;
    return 0;
}

int sim_queue_push_slow(sim_queue *q, uint64_t k, uint32_t slot, uint32_t tag)
{
    entry e = { k, slot, tag };
    if (k <= q->runmax) {
        if (run_insert(q, e) != 0)
            return -1;
    } else {
        if (!q->pool && q->fresh == q->fresh_end && pool_reserve(q, 1) != 0)
            return -1;
        bucket_append(q, bucket_of(k, q->base), e);
    }
    q->size++;
    return 0;
}

/* The entries of bucket w when they fit in its first block, else more
 * than BLOCK_N (the count is not kept: it would cost a store a push). */
static inline uint32_t bucket_small_n(const bucket *w)
{
    const entry *c = w->cur;
    if (!c)
        return 0;
    if (((uintptr_t)(c - 1) & ~(uintptr_t)(BLOCK_BYTES - 1)) != (uintptr_t)w->head)
        return BLOCK_N + 1;
    return (uint32_t)(c - w->head->e);
}

/* The entries of bucket w. */
static uint32_t bucket_n(const bucket *w)
{
    uint32_t n = bucket_small_n(w);
    if (n <= BLOCK_N)
        return n;
    const block *bl = w->head;
    for (n = 0; bl->next; bl = bl->next)
        n += BLOCK_N;
    return n + (uint32_t)(w->cur - bl->e);
}

/* The smallest key of a non-empty bucket. */
static inline uint64_t bucket_min(const bucket *w)
{
    return w->min;
}

/* Asks for the lines of the block after bl, which a walk down the chain
 * reads next (the hardware does not follow the link). */
static inline void prefetch_next(const block *bl)
{
    const unsigned char *p = (const unsigned char *)bl->next;
    if (p)
        for (unsigned o = 0; o < BLOCK_BYTES && o < PREFETCH_BYTES; o += 64)
            __builtin_prefetch(p + o);
}

/* Detaches bucket i's chain, leaving it empty. */
static block *detach(sim_queue *q, unsigned i, entry **cur)
{
    bucket *w = &q->b[i];
    block *h = w->head;
    *cur = w->cur;
    w->head = NULL;
    w->cur = NULL;
    w->min = UINT64_MAX;
    if (i)
        unmark(q, i);
    return h;
}

/* Appends the contents of bucket i to the run, in order, and gives its
 * blocks back. The run must have room (run_reserve). */
static void take_into_run(sim_queue *q, unsigned i)
{
    entry *cur;
    block *bl = detach(q, i, &cur);
    entry *a = q->run + q->nrun;
    uint32_t k = 0;
    while (bl) {
        block *next = bl->next;
        entry *end = next ? bl->e + BLOCK_N : cur;
        memcpy(a + k, bl->e, (size_t)(end - bl->e) * sizeof *a);
        k += (uint32_t)(end - bl->e);
        pool_give(q, bl);
        bl = next;
    }
    q->nrun += k;
}

/* Appends bucket i (at most RUN_SORT entries: one block) to the run,
 * sorted by a stable insertion sort, and gives its block back. The run
 * must have room. Returns the number of entries. */
static uint32_t take_sorted(sim_queue *q, unsigned i)
{
    entry *cur;
    block *bl = detach(q, i, &cur);
    entry *a = q->run + q->nrun;
    const entry *src = bl->e;
    uint32_t n = (uint32_t)(cur - src);
    a[0] = src[0];
    for (uint32_t j = 1; j < n; j++) {
        entry x = src[j];
        uint32_t p = j;
        if (x.key < a[0].key) {         /* a new minimum: shift everything */
            for (; p > 0; p--)
                a[p] = a[p - 1];
        } else {                        /* a[0] stops the walk: no bound check */
            while (a[p - 1].key > x.key) {
                a[p] = a[p - 1];
                p--;
            }
        }
        a[p] = x;
    }
    pool_give(q, bl);
    q->nrun += n;
    return n;
}

/* The largest key bucket i (>= 1) can hold, relative to base. */
static uint64_t bucket_top(uint64_t base, unsigned i)
{
    unsigned lo = bucket_lowbit(i), hi = lo + DIGIT;
    uint64_t prefix = hi >= 64 ? 0 : base & ~((1ULL << hi) - 1);
    return prefix | ((uint64_t)((i - 1) % RADIX) << lo) | ((1ULL << lo) - 1);
}

/* Makes the run hold the smallest keys. Precondition: size > 0 and the run
 * is used up. On ENOMEM nothing has changed.
 *
 * The buckets in order cover consecutive ranges of keys, so the run may
 * take several small ones at once (each sorted on its own, their
 * concatenation is sorted) as long as it takes them all from the lowest
 * on: runmax is then the top of the last one's range. The new base, the
 * run's minimum, agrees with the old one on the digits that place every
 * later bucket, so those keep their places. */
static int refill(sim_queue *q)
{
    q->nrun = 0;
    q->head = 0;
    if (q->runcap > 4096 && q->size < q->runcap / 8) {
        /* a burst of equal times left a large run: give most of it back */
        entry *a = realloc(q->run, 4096 * sizeof *a);
        if (a) {
            q->run = a;
            q->runcap = 4096;
        }
    }
    for (;;) {
        uint32_t n0 = bucket_n(&q->b[0]);
        unsigned i = lowest(q);
        if (!n0 && bucket_small_n(&q->b[i]) > RUN_SORT) {
            /* Split around the minimum; every entry lands below i. The
             * chain's blocks go back to the pool as they are read, so the
             * worst case needs one block per bucket. */
            if (pool_reserve(q, NBUCKETS + 1) != 0)
                return -1;
            uint64_t m = bucket_min(&q->b[i]);
            entry *cur;
            block *bl = detach(q, i, &cur);
            q->base = m;
            while (bl) {
                block *next = bl->next;
                const entry *end = next ? bl->e + BLOCK_N : cur;
                prefetch_next(bl);
                for (const entry *e = bl->e; e < end; e++) {
                    bucket_append(q, bucket_of(e->key, m), *e);
                }
                pool_give(q, bl);
                bl = next;
            }
            continue;
        }
        if (run_reserve(q, (uint64_t)n0 + RUN_TAKE) != 0)
            return -1;
        if (n0) {
            take_into_run(q, 0);
            q->runmax = q->base;
        }
        uint32_t room = n0 < RUN_TAKE ? RUN_TAKE - n0 : 0;
        uint64_t base = q->base;
        unsigned last = 0;
        uint32_t ni;
        while (i < NBUCKETS && (ni = bucket_small_n(&q->b[i])) <= room && ni <= RUN_SORT) {
            room -= take_sorted(q, i);
            last = i;
            i = lowest(q);
        }
        if (last) {
            q->base = q->run[0].key;
            q->runmax = bucket_top(base, last);
        }
        return 0;
    }
}

/* The smallest key without restructuring (a refill before the pop would
 * raise base above keys that may still be pushed). size > 0. */
static uint64_t min_key(const sim_queue *q)
{
    if (q->head < q->nrun)
        return q->run[q->head].key;
    return q->b[0].cur ? q->base : bucket_min(&q->b[lowest(q)]);
}

double sim_queue_peek_time(const sim_queue *q)
{
    return q->size ? time_of(min_key(q)) : INFINITY;
}

/* sim_queue_pop_le when the run is used up. */
__attribute__((noinline))
static int pop_slow(sim_queue *q, double limit, double *t, uint32_t *slot)
{
    if (!q->size)
        return 0;
    if (!(limit >= INFINITY) && time_of(min_key(q)) > limit)
        return 0;
    if (refill(q) != 0)
        return -1;
    entry e = q->run[q->head++];
    q->size--;
    *t = time_of(e.key);
    *slot = e.slot;
    return 1;
}

int sim_queue_pop_le(sim_queue *q, double limit, double *t, uint32_t *slot)
{
    if (q->head == q->nrun)
        return pop_slow(q, limit, t, slot);
    entry e = q->run[q->head];
    if (!(limit >= INFINITY) && time_of(e.key) > limit)
        return 0;
    q->head++;
    q->size--;
    *t = time_of(e.key);
    *slot = e.slot;
    return 1;
}
