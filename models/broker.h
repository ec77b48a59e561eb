/* models/broker.h - the national computing network's routing policies.
 *
 * broker_route picks the data center for one job from the centers a firm
 * may use, by the policy of config.h. It reads the centers' state and
 * changes nothing; queueing and starting are economy.c's. */
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

#endif
