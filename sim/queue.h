/* sim/queue.h - the pending-event set.
 *
 * A priority queue of (time, slot) entries that pops in order of time and,
 * among equal times, in push order (FIFO). Times pushed must not be earlier
 * than the last time popped (the engine's clock never runs backwards);
 * the implementation relies on that. The queue stores only the time and a
 * 32-bit slot; engine.c keeps the events themselves in a slab. */
#ifndef SIM_QUEUE_H
#define SIM_QUEUE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sim_queue sim_queue;

/* A new empty queue; NULL on ENOMEM. */
sim_queue *sim_queue_new(void);

/* Frees q; NULL is a no-op. */
void sim_queue_free(sim_queue *q);

/* If the queue is not empty and its first entry's time is <= limit, removes
 * it into *t and *slot and returns 1; otherwise returns 0. Returns -1 when
 * memory runs out while reorganising (the queue is unchanged). */
int sim_queue_pop_le(sim_queue *q, double limit, double *t, uint32_t *slot);

/* Bytes the queue holds from the allocator (blocks, the run, itself): it
 * grows with the number of entries pending, not with pushes and pops. */
size_t sim_queue_memory(const sim_queue *q);

/* Number of entries. */
size_t sim_queue_size(const sim_queue *q);

/* The time of the first entry; INFINITY when the queue is empty. */
double sim_queue_peek_time(const sim_queue *q);

/* ---- internals, for the inlined push and pop (queue.c owns them) ---- */

#ifndef SIM_QUEUE_DIGIT
#define SIM_QUEUE_DIGIT 4           /* bits per digit: 2 and 8 were slower */
#endif
#ifndef SIM_QUEUE_BLOCK_BYTES
#define SIM_QUEUE_BLOCK_BYTES 1024
#endif
#define SIM_QUEUE_RADIX    (1u << SIM_QUEUE_DIGIT)
#define SIM_QUEUE_BUCKETS  (1 + 64 / SIM_QUEUE_DIGIT * SIM_QUEUE_RADIX)  /* 0: keys equal to base */
#define SIM_QUEUE_WORDS    ((SIM_QUEUE_BUCKETS - 1 + 63) / 64)

typedef struct sim_queue_entry {
    uint64_t key;       /* bit pattern of the time */
    uint32_t slot;
    uint32_t tag;       /* the caller's (sim_queue_push_tag) */
} sim_queue_entry;

typedef struct sim_queue_bucket {
    sim_queue_entry *cur;   /* next free entry in the last block; NULL when empty */
    struct sim_queue_block *head;   /* first block */
    uint64_t min;           /* smallest key (UINT64_MAX when empty) */
    uint64_t pad;           /* 32 bytes: two buckets a cache line */
} sim_queue_bucket;

struct sim_queue {
    /* the run, from which almost every pop is taken: run[head..nrun) are
     * the smallest pending keys */
    sim_queue_entry *run;
    uint32_t head, nrun;
    size_t   size;          /* entries in the whole queue */
    uint64_t runmax;        /* keys <= runmax live in the run, larger ones in buckets */
    uint64_t base;          /* every pending key >= base; buckets are relative to it */
    uint32_t runcap;
    uint32_t pad;
    uint64_t nonempty[SIM_QUEUE_WORDS];  /* bit i-1 set when bucket i (1..) is not empty */
    struct sim_queue_block *pool;        /* free blocks, linked */
    size_t   npool;
    unsigned char *fresh, *fresh_end;    /* never used blocks of the last chunk */
    void   **chunks;        /* every chunk allocated, for sim_queue_free */
    size_t  *chunk_blocks;  /* blocks in each chunk */
    size_t   nchunks, capchunks;
    sim_queue_bucket b[SIM_QUEUE_BUCKETS];
};

/* The push when the entry goes to the run or its bucket needs a block. */
int sim_queue_push_slow(sim_queue *q, uint64_t k, uint32_t slot, uint32_t tag);

static inline uint64_t sim_queue_key(double t)
{
    uint64_t k;
    t += 0.0;                       /* -0.0 -> +0.0 */
    memcpy(&k, &t, sizeof k);
    return k;
}

/* The bucket of key k relative to base: 0 when equal, else 1 + the digit
 * in which they differ first (from the top) * RADIX + k's value there. */
static inline unsigned sim_queue_bucket_of(uint64_t k, uint64_t base)
{
    if (k == base)
        return 0;
    unsigned h = 63 - (unsigned)__builtin_clzll(k ^ base);
    unsigned lo = h & ~(SIM_QUEUE_DIGIT - 1u);   /* lowest bit of the digit */
    return 1 + (lo / SIM_QUEUE_DIGIT) * SIM_QUEUE_RADIX
           + (unsigned)((k >> lo) & (SIM_QUEUE_RADIX - 1));
}

/* The common case of a push of key k (sim_queue_key): the entry's bucket
 * has room in its last block (which also means the bucket is already
 * marked non-empty). Returns 1 when done, 0 when sim_queue_push_slow must
 * do it. */
static inline int sim_queue_push_fast(sim_queue *q, uint64_t k, uint32_t slot, uint32_t tag)
{
    if (k > q->runmax) {
        sim_queue_bucket *w = &q->b[sim_queue_bucket_of(k, q->base)];
        sim_queue_entry *c = w->cur;
        if ((uintptr_t)c & (SIM_QUEUE_BLOCK_BYTES - 1)) {
            *c = (sim_queue_entry){ k, slot, tag };
            w->cur = c + 1;
            if (k < w->min)
                w->min = k;
            q->size++;
            return 1;
        }
    }
    return 0;
}

/* Adds (t, slot) with a tag, a number the queue keeps beside it for
 * sim_queue_peek_tag (the engine's prefetch hints). t must be >= 0, not
 * NaN, and >= the time of the last pop (the engine checks this).
 * Returns 0, or -1 when memory runs out (the queue is unchanged). */
static inline int sim_queue_push_tag(sim_queue *q, double t, uint32_t slot, uint32_t tag)
{
    uint64_t k = sim_queue_key(t);
    if (sim_queue_push_fast(q, k, slot, tag))
        return 0;
    return sim_queue_push_slow(q, k, slot, tag);
}

/* sim_queue_push_tag with tag 0. */
static inline int sim_queue_push(sim_queue *q, double t, uint32_t slot)
{
    return sim_queue_push_tag(q, t, slot, 0);
}

/* The slot of the entry k pops after the next one, when it is in the run
 * (else UINT32_MAX): for prefetching. */
static inline uint32_t sim_queue_peek_ahead(const sim_queue *q, uint32_t k)
{
    uint32_t i = q->head + k;
    return i < q->nrun ? q->run[i].slot : UINT32_MAX;
}

/* True when the run is used up: the next pop refills it from the buckets
 * (so no entry of the new run has been peeked at yet). */
static inline int sim_queue_run_used_up(const sim_queue *q)
{
    return q->head == q->nrun;
}

/* The tag of the entry k pops after the next one, when it is in the run
 * (else 0). */
static inline uint32_t sim_queue_peek_tag(const sim_queue *q, uint32_t k)
{
    uint32_t i = q->head + k;
    return i < q->nrun ? q->run[i].tag : 0;
}

/* sim_queue_pop_le, inlined when the next entry is in the run. */
static inline int sim_queue_pop_le_inline(sim_queue *q, double limit, double *t,
                                          uint32_t *slot)
{
    uint32_t h = q->head;
    if (h == q->nrun)
        return sim_queue_pop_le(q, limit, t, slot);
    sim_queue_entry e = q->run[h];
    double et;
    memcpy(&et, &e.key, sizeof et);
    if (!(limit >= INFINITY) && et > limit)
        return 0;
    q->head = h + 1;
    q->size--;
    *t = et;
    *slot = e.slot;
    return 1;
}

#endif
