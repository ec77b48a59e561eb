/* sim/engine.c - clock, event-type registry, event slab and run loop.
 *
 * Events live in a slab of fixed-size records indexed by a 32-bit slot;
 * queue.c orders (time, slot) pairs. A handle is (generation << 32 | slot):
 * the generation changes each time a slot is reused, so a stale handle is
 * recognised. Cancelling marks the record; the queue entry is dropped when
 * it comes up (lazy deletion), so cancel is O(1). */
#include "sim/engine.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/queue.h"

#define TYPE_CANCELLED UINT32_MAX   /* record's type when cancelled */
#define TYPE_FREE      (UINT32_MAX - 1)

typedef struct record {
    uint32_t type;                  /* event type, or TYPE_CANCELLED/FREE */
    uint32_t gen;                   /* bumped on every reuse of the slot */
    union {
        unsigned char bytes[SIM_PAYLOAD_MAX];
        double        align_d;
        uint64_t      align_u;
        void         *align_p;
    } payload;
} record;

typedef struct type_entry {
    sim_handler_fn       *handle;   /* copied from t: one load less per event */
    void                 *state;
    size_t                payload_size;
    const sim_event_type *t;
} type_entry;

struct sim_engine {
    sim_time     now;
    sim_queue   *q;
    record      *rec;            /* the slab */
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
    free(eng->rec);
    free(eng->free_slots);
    free(eng->types);
    free(eng);
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
    eng->types[eng->ntypes] = (type_entry){ t->handle, state, t->payload_size, t };
    if (id_out)
        *id_out = eng->ntypes;
    eng->ntypes++;
    return SIM_OK;
}

/* A free slot, growing the slab when none is left; UINT32_MAX on ENOMEM. */
static uint32_t slot_take(sim_engine *eng)
{
    if (eng->nfree)
        return eng->free_slots[--eng->nfree];
    if (eng->nrec == eng->caprec) {
        if (eng->caprec >= UINT32_MAX / 2)
            return UINT32_MAX;
        uint32_t cap = eng->caprec ? 2 * eng->caprec : 1024;
        record *r = realloc(eng->rec, (size_t)cap * sizeof *r);
        if (!r)
            return UINT32_MAX;
        eng->rec = r;
        uint32_t *f = realloc(eng->free_slots, (size_t)cap * sizeof *f);
        if (!f)
            return UINT32_MAX;
        eng->free_slots = f;
        eng->caprec = cap;
    }
    eng->rec[eng->nrec].gen = 0;
    return eng->nrec++;
}

static void slot_give(sim_engine *eng, uint32_t slot)
{
    eng->rec[slot].type = TYPE_FREE;
    eng->rec[slot].gen++;
    eng->free_slots[eng->nfree++] = slot;   /* capacity == caprec */
}

int sim_schedule_h(sim_engine *eng, sim_time at, sim_type_id id,
                   const void *payload, sim_handle *h)
{
    if (!(at >= eng->now) || id >= eng->ntypes)   /* also rejects NaN */
        return SIM_EINVAL;
    uint32_t slot = slot_take(eng);
    if (slot == UINT32_MAX)
        return SIM_ENOMEM;
    record *r = &eng->rec[slot];
    r->type = id;
    size_t sz = eng->types[id].payload_size;
    if (sz)
        memcpy(r->payload.bytes, payload, sz);   /* the rest of the record is never read */
    if (sim_queue_push(eng->q, at, slot) != 0) {
        slot_give(eng, slot);
        return SIM_ENOMEM;
    }
    if (h)
        *h = ((sim_handle)r->gen << 32 | slot) + 1;  /* never SIM_HANDLE_NONE */
    return SIM_OK;
}

int sim_schedule(sim_engine *eng, sim_time at, sim_type_id id,
                 const void *payload)
{
    return sim_schedule_h(eng, at, id, payload, NULL);
}

int sim_cancel(sim_engine *eng, sim_handle h)
{
    if (h == SIM_HANDLE_NONE)
        return SIM_ENOENT;
    h -= 1;
    uint32_t slot = (uint32_t)h, gen = (uint32_t)(h >> 32);
    if (slot >= eng->nrec)
        return SIM_ENOENT;
    record *r = &eng->rec[slot];
    if (r->gen != gen || r->type >= TYPE_FREE)
        return SIM_ENOENT;
    r->type = TYPE_CANCELLED;
    eng->ncancelled++;
    return SIM_OK;
}

static int run(sim_engine *eng, sim_time until, uint64_t max_events)
{
    unsigned char buf[SIM_PAYLOAD_MAX] __attribute__((aligned(16)));
    sim_event ev;
    double t;
    uint32_t slot;
    int rc = SIM_OK;

    eng->stop = 0;
    uint64_t last = eng->events_run + max_events;
    while (!eng->stop && eng->events_run < last) {
        int got = sim_queue_pop_le(eng->q, until, &t, &slot);
        if (got == 0)
            break;
        if (got < 0)
            return sim_fail(eng, SIM_ENOMEM, "out of memory in the event queue at t=%.6g h",
                            eng->now);
        record *r = &eng->rec[slot];
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
        memcpy(buf, r->payload.bytes, SIM_PAYLOAD_MAX);   /* fixed size: a few moves */
        ev.payload = buf;
        slot_give(eng, slot);            /* the handler may reuse it */
        uint32_t next = sim_queue_next_slot(eng->q);
        if (next != UINT32_MAX)          /* the next record is a likely cache miss */
            __builtin_prefetch(&eng->rec[next]);
        eng->now = t;
        if (eng->trace)
            eng->trace(eng->trace_ctx, &ev);
        eng->events_run++;
        rc = te->handle(eng, &ev, te->state);
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
