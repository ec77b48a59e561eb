/* sim/engine.h - the discrete-event engine: clock, event types, run loop.
 *
 * The engine knows nothing of any model. A model registers event types
 * (a name, a payload size, a handler) and schedules events that carry a
 * small payload the engine copies. Events run in (time, scheduling order):
 * two events at the same time run in the order they were scheduled, so a
 * run repeats to the bit. There is no global state; engines in different
 * threads never touch each other. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef double sim_time;            /* hours since the start of the run */
typedef uint32_t sim_type_id;       /* index of a registered event type */
typedef uint64_t sim_handle;        /* names one scheduled event, for sim_cancel */

#define SIM_PAYLOAD_MAX 56          /* bytes of payload an event may carry */
#define SIM_HANDLE_NONE ((sim_handle)0)

typedef struct sim_engine sim_engine;

typedef struct sim_event {
    sim_time     time;      /* when it runs (the engine's clock during the call) */
    sim_type_id  type;      /* its registered type */
    sim_handle   handle;    /* the handle sim_schedule_h returned */
    const void  *payload;   /* a copy of the scheduled payload, valid for the call */
} sim_event;

/* A handler returns SIM_OK to go on, or a negative SIM_E* code, which stops
 * sim_run and is returned by it (fill the engine's error with sim_fail). */
typedef int sim_handler_fn(sim_engine *eng, const sim_event *ev, void *state);

typedef struct sim_event_type {
    const char     *name;          /* "job.end", for traces and errors */
    size_t          payload_size;  /* bytes copied at schedule time, <= SIM_PAYLOAD_MAX */
    sim_handler_fn *handle;
} sim_event_type;

/* A prefetch hint for one event type (optional, sim_set_prefetch). When an
 * event of the type is scheduled, its key function reduces the payload to
 * a number below SIM_PREFETCH_KEYS (a job's or a center's index, say),
 * which the engine keeps beside the event's time in the pending-event set;
 * a few events before the event runs, the hint is called with that number
 * and the type's state, so the model can __builtin_prefetch the records
 * its handler will read while earlier events run. The engine does not read
 * the event's own record for it (that record is itself likely still on its
 * way from memory). The hint may also be called for an event cancelled
 * since, or not at all; neither function may change anything: results never
 * depend on whether or when they are called. */
#define SIM_PREFETCH_KEYS (1u << 24)
typedef uint32_t sim_prefetch_key_fn(const void *payload);
typedef void sim_prefetch_fn(uint32_t key, void *state);

/* Called before each event runs (tests and debugging). */
typedef void sim_trace_fn(void *ctx, const sim_event *ev);

/* A new engine with its clock at 0 and nothing scheduled. NULL on ENOMEM. */
sim_engine *sim_engine_new(void);

/* Frees the engine and whatever is still scheduled. NULL is a no-op. */
void sim_engine_free(sim_engine *eng);

/* Registers an event type. t is borrowed and must outlive the engine (it is
 * normally static const); state is passed to every call of t->handle.
 * Returns SIM_OK and the type's id, SIM_EINVAL if the payload is too large
 * or the handler missing, or SIM_ENOMEM. */
int sim_register(sim_engine *eng, const sim_event_type *t, void *state,
                 sim_type_id *id_out);

/* Installs (or with fn NULL removes) the prefetch hint of type id, for the
 * events scheduled from now on. Returns SIM_OK, or SIM_EINVAL if id is
 * unknown, or key is NULL while fn is not. Types from the 255th on take no
 * hint (SIM_EINVAL). A key of SIM_PREFETCH_KEYS or more means "nothing to
 * fetch". */
int sim_set_prefetch(sim_engine *eng, sim_type_id id, sim_prefetch_key_fn *key,
                     sim_prefetch_fn *fn);

/* Schedules an event of type id at time at, copying payload_size bytes from
 * payload (which may be NULL when the size is 0). Returns SIM_OK, SIM_EINVAL
 * if at is before now, not a number, or id unknown, or SIM_ENOMEM. */
int sim_schedule(sim_engine *eng, sim_time at, sim_type_id id,
                 const void *payload);

/* As sim_schedule, and stores in *h a handle that sim_cancel accepts. */
int sim_schedule_h(sim_engine *eng, sim_time at, sim_type_id id,
                   const void *payload, sim_handle *h);

/* Cancels a scheduled event so its handler never runs. Returns SIM_OK, or
 * SIM_ENOENT if h has run, was cancelled, or never was. */
int sim_cancel(sim_engine *eng, sim_handle h);

/* Runs events in order until none is left with time <= until, a handler
 * calls sim_stop, or a handler fails. When it returns having run out of
 * events before until, the clock is advanced to until (if finite).
 * Returns SIM_OK, or the failing handler's code (see sim_engine_err). */
int sim_run(sim_engine *eng, sim_time until);

/* As sim_run with no time limit, but returns after at most max_events
 * handler calls. */
int sim_run_n(sim_engine *eng, uint64_t max_events);

/* Asks sim_run to return once the current event's handler is done. */
void sim_stop(sim_engine *eng);

/* For a handler: records an error that stops the run; returns code. */
int sim_fail(sim_engine *eng, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The error a failing handler left (code SIM_OK when none). */
const sim_err *sim_engine_err(const sim_engine *eng);

sim_time sim_now(const sim_engine *eng);
uint64_t sim_events_run(const sim_engine *eng);   /* handlers called so far */
size_t   sim_pending(const sim_engine *eng);      /* scheduled, not cancelled */
/* The time of the next queued event (cancelled ones count too, so it may
 * be early); INFINITY when none. Lets a handler run after everything due
 * at its own time by rescheduling itself. */
sim_time sim_next_time(const sim_engine *eng);
const char *sim_type_name(const sim_engine *eng, sim_type_id id);

/* Installs fn (NULL to remove) to be called before every event. */
void sim_set_trace(sim_engine *eng, sim_trace_fn *fn, void *ctx);

#endif
