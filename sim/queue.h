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

/* Adds (t, slot) with a tag, a number the queue keeps beside it for
 * sim_queue_peek_tag (the engine's prefetch hints). t must be >= 0, not
 * NaN, and >= the time of the last pop (the engine checks this).
 * Returns 0, or -1 when memory runs out (the queue is unchanged). */
int sim_queue_push_tag(sim_queue *q, double t, uint32_t slot, uint32_t tag);

/* sim_queue_push_tag with tag 0. */
static inline int sim_queue_push(sim_queue *q, double t, uint32_t slot)
{
    return sim_queue_push_tag(q, t, slot, 0);
}

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

/* ---- internals, for the engine's inlined pop (queue.c owns them) ---- */

typedef struct sim_queue_entry {
    uint64_t key;       /* bit pattern of the time */
    uint32_t slot;
    uint32_t tag;       /* the caller's (sim_queue_push_tag) */
} sim_queue_entry;

/* The first member of struct sim_queue: the sorted run, from which almost
 * every pop is taken. */
typedef struct sim_queue_front {
    sim_queue_entry *run;   /* run[head..nrun) are the smallest pending keys */
    uint32_t head, nrun;
    size_t   size;          /* entries in the whole queue */
    int      peekvalid;     /* queue.c's cached minimum is valid */
} sim_queue_front;

/* The slot of the entry k pops after the next one, when it is in the run
 * (else UINT32_MAX): for prefetching. */
static inline uint32_t sim_queue_peek_ahead(const sim_queue *q, uint32_t k)
{
    const sim_queue_front *f = (const sim_queue_front *)q;
    uint32_t i = f->head + k;
    return i < f->nrun ? f->run[i].slot : UINT32_MAX;
}

/* True when the run is used up: the next pop refills it from the buckets
 * (so no entry of the new run has been peeked at yet). */
static inline int sim_queue_run_used_up(const sim_queue *q)
{
    const sim_queue_front *f = (const sim_queue_front *)q;
    return f->head == f->nrun;
}

/* The tag of the entry k pops after the next one, when it is in the run
 * (else 0). */
static inline uint32_t sim_queue_peek_tag(const sim_queue *q, uint32_t k)
{
    const sim_queue_front *f = (const sim_queue_front *)q;
    uint32_t i = f->head + k;
    return i < f->nrun ? f->run[i].tag : 0;
}

/* sim_queue_pop_le, inlined when the next entry is in the run. */
static inline int sim_queue_pop_le_inline(sim_queue *q, double limit, double *t,
                                          uint32_t *slot)
{
    sim_queue_front *f = (sim_queue_front *)q;
    uint32_t h = f->head;
    if (h == f->nrun)
        return sim_queue_pop_le(q, limit, t, slot);
    sim_queue_entry e = f->run[h];
    double et;
    memcpy(&et, &e.key, sizeof et);
    if (!(limit >= INFINITY) && et > limit)
        return 0;
    f->head = h + 1;
    f->size--;
    f->peekvalid = 0;
    *t = et;
    *slot = e.slot;
    return 1;
}

#endif
