/* models/datacenter.c - capacity, queue ring, load and energy of a center. */
#include "models/datacenter.h"

#include <math.h>
#include <stdlib.h>

#include "sim/err.h"

static double ratio(int64_t busy, int64_t cap)
{
    return cap > 0 ? (double)busy / (double)cap : 0.0;
}

int dc_init(dc_state *d, const dc_cfg *c, uint64_t seed, uint64_t rep,
            uint64_t stream)
{
    *d = (dc_state){ 0 };
    /* steps at or before t = 0 give the starting capacity */
    while (d->next_step < c->ngpus && c->gpus[d->next_step].t_h <= 0.0)
        d->capacity = (int64_t)c->gpus[d->next_step++].value;
    d->cap = 64;
    d->ring = malloc(d->cap * sizeof *d->ring);
    if (!d->ring)
        return SIM_ENOMEM;
    sim_twavg_init(&d->tw_util, 0.0, 0.0);
    sim_twavg_init(&d->tw_busy, 0.0, 0.0);
    sim_twavg_init(&d->tw_cap, 0.0, (double)d->capacity);
    d->util_sample = d->busy_sample = 0.0;
    d->cap_sample = (double)d->capacity;
    sim_rng_init(&d->rng, seed, rep, stream);
    return SIM_OK;
}

void dc_fini(dc_state *d)
{
    free(d->ring);
    d->ring = NULL;
}

int dc_queue_push(dc_state *d, uint32_t job)
{
    if (d->n == d->cap) {
        size_t cap = 2 * d->cap;
        uint32_t *r = malloc(cap * sizeof *r);
        if (!r)
            return SIM_ENOMEM;
        for (size_t i = 0; i < d->n; i++)
            r[i] = d->ring[(d->head + i) & (d->cap - 1)];
        free(d->ring);
        d->ring = r, d->cap = cap, d->head = 0;
    }
    d->ring[(d->head + d->n) & (d->cap - 1)] = job;
    d->n++;
    return SIM_OK;
}

void dc_queue_pop(dc_state *d)
{
    d->head = (d->head + 1) & (d->cap - 1);
    d->n--;
}

void dc_set_busy(dc_state *d, double t_h, int64_t busy)
{
    d->busy = busy;
    dc_watch_store(d, 0);
    if (busy > d->capacity)
        d->overcap = 1;
    sim_twavg_set(&d->tw_busy, t_h, (double)busy);
    sim_twavg_set(&d->tw_util, t_h, ratio(busy, d->capacity));
}

void dc_set_capacity(dc_state *d, double t_h, int64_t capacity)
{
    d->capacity = capacity;
    dc_touch(d);
    if (d->busy > capacity)
        d->overcap = 1;
    sim_twavg_set(&d->tw_cap, t_h, (double)capacity);
    sim_twavg_set(&d->tw_util, t_h, ratio(d->busy, capacity));
}

void dc_roll(dc_state *d, const dc_cfg *c, double t_h, double span)
{
    d->util_sample = sim_twavg_roll(&d->tw_util, t_h);
    d->busy_sample = sim_twavg_roll(&d->tw_busy, t_h);
    d->cap_sample = sim_twavg_roll(&d->tw_cap, t_h);
    if (span > 0.0) {
        double gpu_h = d->busy_sample * span;
        double kwh = gpu_h * c->gpu_kw * c->pue;
        d->busy_gpu_h += gpu_h;
        d->cap_gpu_h += d->cap_sample * span;
        d->energy_kwh += kwh;
        d->energy_cost += kwh * c->electricity_price;
    }
}

double dc_busy_gpu_h(const dc_state *d, double t_h)
{
    double span = t_h - d->tw_busy.t_start;
    return d->busy_gpu_h + (span > 0.0 ? sim_twavg_mean(&d->tw_busy, t_h) * span : 0.0);
}

double dc_cap_gpu_h(const dc_state *d, double t_h)
{
    double span = t_h - d->tw_cap.t_start;
    return d->cap_gpu_h + (span > 0.0 ? sim_twavg_mean(&d->tw_cap, t_h) * span : 0.0);
}
