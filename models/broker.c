/* models/broker.c - routing policies: nearest, cheapest, least loaded,
 * latency-aware, west-first. One pass over the centers per policy. */
#include "models/broker.h"

#include <math.h>

/* What a pass minimises over the candidate centers. */
typedef enum { KEY_LATENCY, KEY_PRICE, KEY_LOAD } key_kind;

/* Filters on top of "allowed and big enough". */
typedef enum { ONLY_ANY, ONLY_WITHIN_BOUND, ONLY_WEST_NOW } only_kind;

static long best(const config *cfg, const dc_state *dcs, const unsigned char *allowed,
                 const broker_job *job, key_kind key, only_kind only)
{
    long pick = -1;
    double pick_v = INFINITY;
    for (size_t i = 0; i < cfg->ndcs; i++) {
        const dc_state *d = &dcs[i];
        const dc_cfg *c = &cfg->dcs[i];
        if ((allowed && !allowed[i]) || d->capacity < job->gpus)
            continue;
        if (only == ONLY_WITHIN_BOUND && !(c->latency_ms[job->city] <= job->latency_ms))
            continue;
        if (only == ONLY_WEST_NOW && (c->region != REGION_WEST || !dc_can_start(d, job->gpus)))
            continue;
        double v = key == KEY_LATENCY ? c->latency_ms[job->city]
                 : key == KEY_PRICE ? c->price : dc_load(d);
        if (pick < 0 || v < pick_v)      /* strict: ties keep the lower index */
            pick = (long)i, pick_v = v;
    }
    return pick;
}

long broker_route(route_policy policy, const config *cfg, const dc_state *dcs,
                  const unsigned char *allowed, const broker_job *job)
{
    long i;
    switch (policy) {
    case ROUTE_NEAREST:
        return best(cfg, dcs, allowed, job, KEY_LATENCY, ONLY_ANY);
    case ROUTE_CHEAPEST:
        return best(cfg, dcs, allowed, job, KEY_PRICE, ONLY_ANY);
    case ROUTE_LEAST_LOADED:
        return best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_ANY);
    case ROUTE_LATENCY_AWARE:
        if (job->kind != JOB_INFERENCE)
            return best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_ANY);
        i = best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_WITHIN_BOUND);
        return i >= 0 ? i : best(cfg, dcs, allowed, job, KEY_LATENCY, ONLY_ANY);
    case ROUTE_WEST_FIRST:
        i = best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_WEST_NOW);
        return i >= 0 ? i : best(cfg, dcs, allowed, job, KEY_LOAD, ONLY_ANY);
    case ROUTE_COUNT:
        break;
    }
    return -1;
}
