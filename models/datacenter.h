/* models/datacenter.h - a data center: capacity, busy GPUs, FIFO queue,
 * time-weighted load, energy and revenue.
 *
 * The queue is a ring buffer of job indices in arrival order. Jobs that
 * renege stay in the ring and are skipped when they reach the head (the
 * caller knows which jobs are gone), so reneging is O(1). Which job starts
 * when, and what a job is, is economy.c's business; routing is broker.c's.
 *
 * Energy accrues pro rata from the integral of busy GPUs, folded in at
 * each sample (dc_roll), so energy and utilization agree exactly.
 *
 * Every change to what routing reads (busy, capacity, waiting, queued
 * GPUs) goes through the functions below, which store it in the center's
 * watch, if any (dc_touch): the broker's routing index (broker.h) keeps
 * the centers' loads there and brings its tree up to date, before it
 * routes a job, only where they changed. */
#ifndef MODELS_DATACENTER_H
#define MODELS_DATACENTER_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "sim/rng.h"
#include "sim/stats.h"

/* What a routing index (broker.h) reads of the centers, kept by place (the
 * index's order of the centers): every change is stored there at once, so
 * the index never reads a center's record, and the place's block of
 * 2^shift places is listed, once, for the index to bring its tree up to
 * date before the next job, unless the block's least load stands (a load
 * above it, at another place than the one that held it: the tree's bound
 * is right; a change at that place lists the block too, though a bound
 * below the truth would cost searches time, never an answer). Plain stores:
 * the center's record is in the cache then, and nothing waits for them.
 * The index owns the arrays. */
typedef struct dc_watch {
    double        *load;      /* [place]: dc_load */
    int64_t       *cap;       /* [place]: capacity */
    int64_t       *free_;     /* [place]: free GPUs of a western center with
                                 nobody waiting, else INT64_MIN; NULL: not kept */
    uint32_t      *blocks;    /* blocks changed since the index looked, each once */
    size_t         n;         /* of them */
    unsigned char *listed;    /* [block]: 0 not on blocks; DC_LISTED_LOAD loads
                                 changed; DC_LISTED_CAP | _LOAD capacities too */
    unsigned       shift;     /* a place's block: place >> shift */
    const double   *least;    /* [block]: its least load at its last scan */
    const uint32_t *least_at; /* [block]: the place that held it */
} dc_watch;

/* Laid out for the cache: what a job's start and end read and write sits
 * in the first three 64-byte lines (counts and the watch; the time-weighted
 * busy and utilization; the background stream and the revenue), the rest
 * after; the size is a whole number of lines, so an array of centers on a
 * 64-byte boundary (economy.c allocates it so) keeps every center on its
 * own lines. */
typedef struct dc_state {
    int64_t   capacity;       /* GPUs now */
    int64_t   busy;           /* GPUs running jobs */
    int64_t   queued_gpus;    /* GPUs asked for by waiting jobs */
    uint32_t  running;        /* jobs running */
    uint32_t  waiting;        /* jobs waiting (not counting reneged ones) */
    dc_watch *watch;          /* NULL: nobody watches (dc_init) */
    uint32_t  place;          /* its place in the watch's arrays */
    uint8_t   west;           /* western: the watch keeps its free GPUs */
    int       overcap;        /* busy ever above capacity (a bug) */
    size_t    n;              /* ring: entries */
    /* line 2 */
    sim_twavg tw_util;        /* busy / capacity, this sample interval */
    sim_twavg tw_busy;        /* busy GPUs, this interval */
    /* line 3 */
    sim_rng   rng;            /* background demand */
    double    revenue;        /* yuan billed at job ends */
    uint32_t *ring;           /* queue of job indices, some maybe gone */
    /* the rest */
    size_t    head, cap;      /* ring: first slot, size (power of 2) */
    size_t    next_step;      /* next capacity step to apply */
    sim_twavg tw_cap;         /* capacity GPUs, this interval */
    double    busy_gpu_h;     /* busy GPU-hours up to the last sample */
    double    cap_gpu_h;      /* capacity GPU-hours up to the last sample */
    double    energy_kwh;     /* up to the last sample */
    double    energy_cost;    /* yuan, up to the last sample */
    double    util_sample;    /* utilization over the last closed interval */
    double    busy_sample;    /* mean busy, capacity over that interval */
    double    cap_sample;
    unsigned char pad_[16];   /* to a whole number of lines (checked below) */
} dc_state;

_Static_assert(sizeof(dc_state) % 64 == 0, "dc_state: a whole number of cache lines");
_Static_assert(offsetof(dc_state, tw_util) == 64 && offsetof(dc_state, rng) == 128
               && offsetof(dc_state, ring) + sizeof(uint32_t *) <= 192,
               "dc_state: the hot fields in the first three lines");

/* Starts d at time 0 with the capacity of c's first step. SIM_OK/ENOMEM. */
int  dc_init(dc_state *d, const dc_cfg *c, uint64_t seed, uint64_t rep,
             uint64_t stream);
void dc_fini(dc_state *d);

/* Appends job to the queue (the caller counts waiting). SIM_OK/ENOMEM. */
int dc_queue_push(dc_state *d, uint32_t job);

/* The job at the head of the queue; the queue must not be empty. */
static inline uint32_t dc_queue_head(const dc_state *d) { return d->ring[d->head]; }
void dc_queue_pop(dc_state *d);

/* (busy + queued GPUs) / capacity: the broker's load. */
static inline double dc_load(const dc_state *d)
{
    return d->capacity > 0 ? (double)(d->busy + d->queued_gpus) / (double)d->capacity
                           : INFINITY;
}

enum { DC_LISTED_LOAD = 1, DC_LISTED_CAP = 2 };

/* Stores d's load and free GPUs in its watch, if any, and lists its block
 * (with what: DC_LISTED_*); cap: its capacity too. */
static inline void dc_watch_store(dc_state *d, int cap)
{
    dc_watch *w = d->watch;
    if (!w)
        return;
    uint32_t k = d->place, b = k >> w->shift;
    double load = dc_load(d);
    w->load[k] = load;
    if (cap)
        w->cap[k] = d->capacity;
    if (w->free_)
        w->free_[k] = d->west && d->waiting == 0 ? d->capacity - d->busy : INT64_MIN;
    else if (!cap && load > w->least[b] && w->least_at[b] != k)
        return;                 /* the block's least load stands: nothing to list */
    if (!w->listed[b])
        w->blocks[w->n++] = b;
    w->listed[b] |= (unsigned char)(cap ? DC_LISTED_CAP | DC_LISTED_LOAD : DC_LISTED_LOAD);
}

/* Something routing reads of d has changed (any of busy, capacity,
 * waiting, queued GPUs): stores it all in d's watch, if any. */
static inline void dc_touch(dc_state *d)
{
    dc_watch_store(d, 1);
}

/* Busy GPUs or capacity change at t_h. */
void dc_set_busy(dc_state *d, double t_h, int64_t busy);
void dc_set_capacity(dc_state *d, double t_h, int64_t capacity);

/* A job of gpus GPUs starts waiting / stops waiting (started or gone). */
static inline void dc_wait_add(dc_state *d, int64_t gpus)
{
    d->waiting++;
    d->queued_gpus += gpus;
    dc_watch_store(d, 0);
}

static inline void dc_wait_remove(dc_state *d, int64_t gpus)
{
    d->waiting--;
    d->queued_gpus -= gpus;
    dc_watch_store(d, 0);
}

/* True when a job of gpus GPUs could start now without jumping the queue. */
static inline int dc_can_start(const dc_state *d, int64_t gpus)
{
    return d->waiting == 0 && d->capacity - d->busy >= gpus;
}

/* Closes the sample interval ending at t_h (span hours long): sets
 * util_sample, busy_sample, cap_sample and folds the interval's GPU-hours
 * into busy_gpu_h, cap_gpu_h, energy_kwh and energy_cost. */
void dc_roll(dc_state *d, const dc_cfg *c, double t_h, double span);

/* Busy GPU-hours up to t_h, including the open interval. */
double dc_busy_gpu_h(const dc_state *d, double t_h);
double dc_cap_gpu_h(const dc_state *d, double t_h);

#endif
