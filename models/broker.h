/* models/broker.h - the national computing network's routing policies.
 *
 * broker_route picks the data center for one job from the centers a firm
 * may use, by the policy of config.h, in one pass over the centers. It
 * reads the centers' state and changes nothing; queueing and starting are
 * economy.c's.
 *
 * broker_index gives the same answers without the pass: a tournament tree
 * over the centers keyed on (load, index), with per-subtree summaries
 * (largest capacity, largest free capacity of a western center with an
 * empty queue, which programs accept a center, which cities' inference
 * bound it meets) that let a search skip whole subtrees, and static
 * orders of the centers by price and by latency to each city. The
 * centers store their own load changes in the index's arrays as they
 * happen (datacenter.h, dc_touch) and list their blocks; before each job
 * the index brings the leaves of those blocks and the tree above them up
 * to date, so its cost follows the blocks that changed. */
#ifndef MODELS_BROKER_H
#define MODELS_BROKER_H

#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "models/datacenter.h"

/* A job to route: where it comes from and what it needs. */
typedef struct broker_job {
    size_t   city;          /* the firm's city (for latency) */
    job_kind kind;
    int64_t  gpus;
    double   latency_ms;    /* its bound; INFINITY when none */
} broker_job;

/* The index of the center for job under policy, among the centers with
 * allowed[i] != 0 (NULL: all) whose capacity is at least job->gpus; ties go
 * to the lowest index. -1 when no allowed center can ever hold the job. */
long broker_route(route_policy policy, const config *cfg, const dc_state *dcs,
                  const unsigned char *allowed, const broker_job *job);

/* A routing index for one policy over the centers of one run. */
typedef struct broker_index broker_index;

/* Builds the index of policy over dcs (cfg->ndcs centers, in their state
 * now), and makes them store their load changes in it: dcs[i].watch,
 * .place and .west are set. dcs must stay in place while the index lives;
 * every change to a center's busy, capacity, waiting or queued GPUs must
 * go through datacenter.h (dc_set_busy, dc_set_capacity, dc_wait_add,
 * dc_wait_remove) or be followed by dc_touch. NULL when out of memory. */
broker_index *broker_index_new(const config *cfg, route_policy policy, dc_state *dcs);

/* Frees bx (NULL: no-op). It does not touch the centers: free it before
 * them or clear their watch, as the caller prefers. */
void broker_index_free(broker_index *bx);

/* The center for job: exactly broker_route(policy, cfg, dcs, allowed,
 * job) with allowed = cfg->programs[program].accepts when program >= 0,
 * NULL (every center) when program < 0; ties alike. Brings the tree up to
 * date first. What the index does not hold (a latency-aware inference
 * job's bound other than its city's, a NaN price or latency) is answered
 * by the pass. */
long broker_index_route(broker_index *bx, long program, const broker_job *job);

/* What bx has done so far, for tests and benchmarks (how routing cost
 * grows with the number of centers): jobs it routed by the index, jobs it
 * left to the pass (what it does not hold: see broker_index_route), tree
 * nodes and centers its searches looked at, tree nodes its refreshes
 * recomputed (leaves and the nodes above them). Any pointer may be NULL. */
void broker_index_counts(const broker_index *bx, uint64_t *routes, uint64_t *passes,
                         uint64_t *visited, uint64_t *updated);

#endif
