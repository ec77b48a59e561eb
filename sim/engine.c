/* sim/engine.c - clock, event-type registry, event slab and run loop.
 *
 * Events live in a slab of fixed-size records indexed by a 32-bit slot;
 * queue.c orders (time, slot) pairs. A handle is (generation << 32 | slot):
 * the generation changes each time a slot is reused, so a stale handle is
 * recognised. Cancelling marks the record; the queue entry is dropped when
 * it comes up (lazy deletion), so cancel is O(1).
 *
 * A record is an 8-byte header (type, generation) and the payload; its size
 * (the stride) is the smallest power of two that holds the largest payload
 * registered so far (8 bytes for none, 64 for SIM_PAYLOAD_MAX), and the
 * slab starts on a 64-byte boundary, so no record straddles a cache line
 * and small payloads keep the slab small (the hold model: 8 bytes a pending
 * event instead of 64). Registering a type with a larger payload once
 * events exist re-lays the slab out at the larger stride.
 *
 * Memory ahead of time. A record is read once, when its event runs, long
 * after it was written: the run loop asks for the record of the event
 * AHEAD_RECORD pops ahead, and for all the first ones of a run just taken
 * from the queue's buckets (nothing of it was asked for yet: a run holds
 * about 20 events in the national model). A type's prefetch hint
 * (sim_set_prefetch) is called AHEAD_HINT pops ahead with a key its events
 * carry beside their time in the queue, so it needs nothing from the
 * event's own record.
 *
 * Scheduling, in the common case (a free slot, no prefetch key), is
 * inlined into sim_schedule and makes no call but the queue's rare slow
 * push (a tail call), so it needs no stack frame; the rest goes through
 * schedule_full. */
#include "sim/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/queue.h"

#define TYPE_CANCELLED UINT32_MAX   /* record's type when cancelled */
#define TYPE_FREE      (UINT32_MAX - 1)
#define LINE           64           /* cache line: the slab's alignment */
#define AHEAD_HINT     4            /* pops between a type's prefetch hint and the event */
#define AHEAD_RECORD   8            /* pops between prefetching a record and its use */
/* The tag an event carries in the queue: 0, or its type + 1 above
 * TAG_SHIFT bits of its prefetch key (sim_set_prefetch). */
#define TAG_SHIFT      24
#define TAG_TYPES      255          /* types that can take a hint */

typedef struct record {
    uint32_t type;                  /* event type, or TYPE_CANCELLED/FREE */
    uint32_t gen;                   /* bumped on every reuse of the slot */
    /* the payload follows (stride - 8 bytes, 8-byte aligned) */
} record;

typedef struct type_entry {
    sim_handler_fn       *handle;   /* copied from t: one load less per event */
    void                 *state;
    sim_prefetch_fn      *prefetch; /* optional hint (sim_set_prefetch) */
    sim_prefetch_key_fn  *key;      /* its key, taken at scheduling */
    size_t                payload_size;
    const sim_event_type *t;
} type_entry;

struct sim_engine {
    sim_time     now;
    sim_queue   *q;
    unsigned char *slab;         /* records of 1 << shift bytes, 64-byte aligned */
    unsigned char *stale;        /* a replaced slab the running handler's payload is in */
    int          in_handler;
    uint32_t     nprefetch;      /* types with a prefetch hint */
    unsigned     shift;          /* log2 of the stride: 3 (no payload) to 6 */
    uint32_t     nrec, caprec;
    uint32_t    *free_slots;     /* stack of reusable slots */
    uint32_t     nfree;
    size_t       ncancelled;     /* queue entries whose record is cancelled */
    type_entry  *types;
    uint32_t     ntypes, captypes;
    uint64_t     events_run;
    int          stop;
    sim_trace_fn *trace;
    void        *trace_ctx;
    sim_err      err;
};

sim_engine *sim_engine_new(void)
{
    sim_engine *eng = calloc(1, sizeof *eng);
    if (!eng)
        return NULL;
    eng->shift = 3;
    eng->q = sim_queue_new();
    if (!eng->q) {
        free(eng);
        return NULL;
    }
    return eng;
}

void sim_engine_free(sim_engine *eng)
{
    if (!eng)
        return;
    sim_queue_free(eng->q);
    free(eng->slab);
    free(eng->free_slots);
    free(eng->types);
    free(eng);
}

static inline record *rec_at(const sim_engine *eng, uint32_t slot)
{
    return (record *)(eng->slab + ((size_t)slot << eng->shift));
}

static inline unsigned char *payload_of(record *r)
{
    return (unsigned char *)r + sizeof *r;
}

/* A 64-byte-aligned block of n bytes (n > 0); NULL on ENOMEM. */
static void *alloc_lines(size_t n)
{
    return aligned_alloc(LINE, (n + LINE - 1) / LINE * LINE);
}

/* Replaces the slab by s. While a handler runs, its payload points into
 * the slab it started with, which is then freed only after the handler. */
static void slab_replace(sim_engine *eng, unsigned char *s)
{
    if (eng->in_handler && !eng->stale)
        eng->stale = eng->slab;
    else
        free(eng->slab);
    eng->slab = s;
}

/* Re-lays the slab out with records of 1 << shift bytes (shift > the
 * current one). On ENOMEM nothing changes. */
static int restride(sim_engine *eng, unsigned shift)
{
    if (eng->caprec) {
        unsigned char *s = alloc_lines((size_t)eng->caprec << shift);
        if (!s)
            return SIM_ENOMEM;
        size_t old = (size_t)1 << eng->shift;
        for (uint32_t i = 0; i < eng->nrec; i++)
            memcpy(s + ((size_t)i << shift), eng->slab + i * old, old);
        slab_replace(eng, s);
    }
    eng->shift = shift;
    return SIM_OK;
}

int sim_register(sim_engine *eng, const sim_event_type *t, void *state,
                 sim_type_id *id_out)
{
    if (!t || !t->handle || t->payload_size > SIM_PAYLOAD_MAX)
        return SIM_EINVAL;
    if (eng->ntypes >= TYPE_FREE)
        return SIM_EINVAL;
    if (eng->ntypes == eng->captypes) {
        uint32_t cap = eng->captypes ? 2 * eng->captypes : 16;
        type_entry *ty = realloc(eng->types, cap * sizeof *ty);
        if (!ty)
            return SIM_ENOMEM;
        eng->types = ty, eng->captypes = cap;
    }
    unsigned shift = eng->shift;
    while (((size_t)1 << shift) < sizeof(record) + t->payload_size)
        shift++;
    if (shift > eng->shift && restride(eng, shift) != SIM_OK)
        return SIM_ENOMEM;
    eng->types[eng->ntypes] = (type_entry){ t->handle, state, NULL, NULL, t->payload_size, t };
    if (id_out)
        *id_out = eng->ntypes;
    eng->ntypes++;
    return SIM_OK;
}

/* Grows the slab (and the free-slot stack) to twice its records. */
__attribute__((noinline))
static int slab_grow(sim_engine *eng)
{
    if (eng->caprec >= UINT32_MAX / 2)
        return SIM_ENOMEM;
    uint32_t cap = eng->caprec ? 2 * eng->caprec : 1024;
    /* aligned_alloc has no realloc: copy (each record moves O(1) times
     * amortised) */
    unsigned char *s = alloc_lines((size_t)cap << eng->shift);
    if (!s)
        return SIM_ENOMEM;
    uint32_t *f = realloc(eng->free_slots, (size_t)cap * sizeof *f);
    if (!f) {
        free(s);
        return SIM_ENOMEM;
    }
    if (eng->nrec)
        memcpy(s, eng->slab, (size_t)eng->nrec << eng->shift);
    slab_replace(eng, s);
    eng->free_slots = f;
    eng->caprec = cap;
    return SIM_OK;
}

int sim_set_prefetch(sim_engine *eng, sim_type_id id, sim_prefetch_key_fn *key,
                     sim_prefetch_fn *fn)
{
    if (id >= eng->ntypes || (fn && (!key || id >= TAG_TYPES)))
        return SIM_EINVAL;
    eng->types[id].prefetch = fn;
    eng->types[id].key = fn ? key : NULL;
    eng->nprefetch = 0;
    for (uint32_t i = 0; i < eng->ntypes; i++)
        eng->nprefetch += eng->types[i].prefetch != NULL;
    return SIM_OK;
}

/* A free slot, growing the slab when none is left; UINT32_MAX on ENOMEM. */
static inline uint32_t slot_take(sim_engine *eng)
{
    if (eng->nfree)
        return eng->free_slots[--eng->nfree];
    if (eng->nrec == eng->caprec && slab_grow(eng) != SIM_OK)
        return UINT32_MAX;
    rec_at(eng, eng->nrec)->gen = 0;
    return eng->nrec++;
}

/* Marks a slot's record free (its handle goes stale) ... */
static inline void slot_retire(sim_engine *eng, uint32_t slot)
{
    record *r = rec_at(eng, slot);
    r->type = TYPE_FREE;
    r->gen++;
}

/* ... and makes it available again (capacity of the stack == caprec). */
static inline void slot_release(sim_engine *eng, uint32_t slot)
{
    eng->free_slots[eng->nfree++] = slot;
}

static inline void slot_give(sim_engine *eng, uint32_t slot)
{
    slot_retire(eng, slot);
    slot_release(eng, slot);
}

/* Copies an event's payload of n bytes (<= SIM_PAYLOAD_MAX) into its
 * record: fixed-size moves, overlapping in the middle, instead of a call. */
static inline void copy_payload(unsigned char *d, const unsigned char *s, size_t n)
{
    if (n >= 8) {
        if (n <= 16) {
            memcpy(d, s, 8);
            memcpy(d + n - 8, s + n - 8, 8);
        } else if (n <= 32) {
            memcpy(d, s, 16);
            memcpy(d + n - 16, s + n - 16, 16);
        } else {
            memcpy(d, s, 32);
            memcpy(d + n - 32, s + n - 32, 32);
        }
    } else if (n >= 4) {
        memcpy(d, s, 4);
        memcpy(d + n - 4, s + n - 4, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    }
}

/* The handle of the event in slot (never SIM_HANDLE_NONE). */
static inline sim_handle handle_of(const sim_engine *eng, uint32_t slot)
{
    return ((sim_handle)rec_at(eng, slot)->gen << 32 | slot) + 1;
}

/* A new event's entry when the queue's fast push could not take it; on
 * failure the slot goes back and *h is left alone. */
__attribute__((noinline))
static int push_slow(sim_engine *eng, uint64_t k, uint32_t slot, uint32_t tag,
                     sim_handle *h)
{
    if (sim_queue_push_slow(eng->q, k, slot, tag) != 0) {
        slot_give(eng, slot);
        return SIM_ENOMEM;
    }
    if (h)
        *h = handle_of(eng, slot);
    return SIM_OK;
}

static int schedule_full(sim_engine *eng, sim_time at, sim_type_id id,
                         const void *payload, sim_handle *h);

/* Schedules an event. full = 0 is the common case, inlined into
 * sim_schedule and sim_schedule_h: a free slot, no prefetch key; it makes
 * no call but the push's rare slow path (a tail call), so it needs no
 * stack frame. Everything else goes to schedule_full (full = 1). */
static inline __attribute__((always_inline))
int schedule(sim_engine *eng, sim_time at, sim_type_id id, const void *payload,
             sim_handle *h, int full)
{
    if (!(at >= eng->now) || id >= eng->ntypes)   /* also rejects NaN */
        return SIM_EINVAL;
    const type_entry *te = &eng->types[id];
    uint32_t slot;
    if (full) {
        slot = slot_take(eng);
        if (slot == UINT32_MAX)
            return SIM_ENOMEM;
    } else {
        if (te->key || !eng->nfree)
            return schedule_full(eng, at, id, payload, h);
        slot = eng->free_slots[--eng->nfree];
    }
    record *r = rec_at(eng, slot);
    r->type = id;
    copy_payload(payload_of(r), payload, te->payload_size);  /* the rest is never read */
    uint32_t tag = 0;
    if (full && te->key) {
        uint32_t k = te->key(payload);
        if (k < SIM_PREFETCH_KEYS)
            tag = (id + 1) << TAG_SHIFT | k;
    }
    uint64_t k = sim_queue_key(at);
    if (sim_queue_push_fast(eng->q, k, slot, tag)) {
        if (h)
            *h = ((sim_handle)r->gen << 32 | slot) + 1;  /* never SIM_HANDLE_NONE */
        return SIM_OK;
    }
    return push_slow(eng, k, slot, tag, h);
}

__attribute__((noinline))
static int schedule_full(sim_engine *eng, sim_time at, sim_type_id id,
                         const void *payload, sim_handle *h)
{
    return schedule(eng, at, id, payload, h, 1);
}

int sim_schedule_h(sim_engine *eng, sim_time at, sim_type_id id,
                   const void *payload, sim_handle *h)
{
    return schedule(eng, at, id, payload, h, 0);
}

int sim_schedule(sim_engine *eng, sim_time at, sim_type_id id,
                 const void *payload)
{
    return schedule(eng, at, id, payload, NULL, 0);
}

int sim_cancel(sim_engine *eng, sim_handle h)
{
    if (h == SIM_HANDLE_NONE)
        return SIM_ENOENT;
    h -= 1;
    uint32_t slot = (uint32_t)h, gen = (uint32_t)(h >> 32);
    if (slot >= eng->nrec)
        return SIM_ENOENT;
    record *r = rec_at(eng, slot);
    if (r->gen != gen || r->type >= TYPE_FREE)
        return SIM_ENOENT;
    r->type = TYPE_CANCELLED;
    eng->ncancelled++;
    return SIM_OK;
}

/* Calls the prefetch hint an event's tag names (0: none). The type's hint
 * may have been removed since the event was scheduled. */
static inline void hint(const sim_engine *eng, uint32_t tag)
{
    if (tag) {
        const type_entry *te = &eng->types[(tag >> TAG_SHIFT) - 1];
        if (te->prefetch)
            te->prefetch(tag & (SIM_PREFETCH_KEYS - 1), te->state);
    }
}

static int run(sim_engine *eng, sim_time until, uint64_t max_events)
{
    sim_event ev;
    double t;
    uint32_t slot;
    int rc = SIM_OK;

    eng->stop = 0;
    uint64_t last = eng->events_run + max_events;
    while (!eng->stop && eng->events_run < last) {
        int fresh = sim_queue_run_used_up(eng->q);
        int got = sim_queue_pop_le_inline(eng->q, until, &t, &slot);
        if (got == 0)
            break;
        if (got < 0)
            return sim_fail(eng, SIM_ENOMEM, "out of memory in the event queue at t=%.6g h",
                            eng->now);
        record *r = rec_at(eng, slot);
        uint32_t type = r->type;
        if (type == TYPE_CANCELLED) {
            eng->ncancelled--;
            slot_give(eng, slot);
            continue;
        }
        const type_entry *te = &eng->types[type];
        ev.time = t;
        ev.type = type;
        ev.handle = ((sim_handle)r->gen << 32 | slot) + 1;
        /* The handler reads the payload in place: the slot's handle goes
         * stale now (cancelling the running event finds nothing), but the
         * slot is reused only after the handler, and a slab replaced during
         * the handler is freed only after it. No copy. */
        ev.payload = payload_of(r);
        slot_retire(eng, slot);
        /* Records a few pops ahead are likely cache misses: ask for them
         * now; and a little closer, let the event's type ask for the model
         * data its handler will read (its record arrived meanwhile). */
        uint32_t next;
        if (fresh) {            /* a new run: nothing of it asked for yet */
            for (uint32_t k = 0; k < AHEAD_RECORD
                     && (next = sim_queue_peek_ahead(eng->q, k)) != UINT32_MAX; k++)
                __builtin_prefetch(rec_at(eng, next));
            if (eng->nprefetch)
                for (uint32_t k = 0; k < AHEAD_HINT; k++)
                    hint(eng, sim_queue_peek_tag(eng->q, k));
        }
        next = sim_queue_peek_ahead(eng->q, AHEAD_RECORD);
        if (next != UINT32_MAX)
            __builtin_prefetch(rec_at(eng, next));
        if (eng->nprefetch)
            hint(eng, sim_queue_peek_tag(eng->q, AHEAD_HINT));
        eng->now = t;
        if (eng->trace)
            eng->trace(eng->trace_ctx, &ev);
        eng->events_run++;
        eng->in_handler = 1;
        rc = te->handle(eng, &ev, te->state);
        eng->in_handler = 0;
        slot_release(eng, slot);
        if (eng->stale) {
            free(eng->stale);
            eng->stale = NULL;
        }
        if (rc != SIM_OK) {
            if (eng->err.code == SIM_OK)
                sim_err_set(&eng->err, rc, NULL, 0, 0, "event %s at t=%.6g h failed: %s",
                            te->t->name, t, sim_strerror(rc));
            return rc;
        }
    }
    if (!eng->stop && eng->events_run < last && isfinite(until) && until > eng->now)
        eng->now = until;
    return SIM_OK;
}

int sim_run(sim_engine *eng, sim_time until)
{
    return run(eng, until, UINT64_MAX - eng->events_run);
}

int sim_run_n(sim_engine *eng, uint64_t max_events)
{
    return run(eng, INFINITY, max_events);
}

void sim_stop(sim_engine *eng)
{
    eng->stop = 1;
}

int sim_fail(sim_engine *eng, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(eng->err.msg, sizeof eng->err.msg, fmt, ap);
    va_end(ap);
    eng->err.code = code;
    return code;
}

const sim_err *sim_engine_err(const sim_engine *eng)
{
    return &eng->err;
}

sim_time sim_now(const sim_engine *eng)
{
    return eng->now;
}

uint64_t sim_events_run(const sim_engine *eng)
{
    return eng->events_run;
}

size_t sim_pending(const sim_engine *eng)
{
    return sim_queue_size(eng->q) - eng->ncancelled;
}

sim_time sim_next_time(const sim_engine *eng)
{
    return sim_queue_peek_time(eng->q);
}

const char *sim_type_name(const sim_engine *eng, sim_type_id id)
{
    return id < eng->ntypes ? eng->types[id].t->name : "?";
}

void sim_set_trace(sim_engine *eng, sim_trace_fn *fn, void *ctx)
{
    eng->trace = fn;
    eng->trace_ctx = ctx;
}
