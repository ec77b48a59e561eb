/* tests/econ_fixture.h - configs built in C for the economy tests, and a
 * run that records every series at every sample. */
#ifndef TESTS_ECON_FIXTURE_H
#define TESTS_ECON_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "models/economy.h"
#include "sim/engine.h"

/* A config with n cities, data centers and programs, all with plain
 * defaults: cities east, no arrivals, firms micro, one training job of 8
 * GPUs x 100 h, reservation price 100, patience 1000 h; centers east, 8
 * GPUs, price 10, 0.5 yuan/kWh, PUE 1.2, 0.5 kW, 10 ms to every city;
 * programs of city 0, budget 1M, coverage 0.8, no cap, validity 10000 h,
 * approval 0.5 h, FCFS, lapse, accepting every center. Horizon 1000 h,
 * samples every 24 h, seed 1, routing nearest. */
config *fx_config(size_t ncities, size_t ndcs, size_t nprograms);
void fx_free(config *c);

/* City c's arrivals: per_h arrivals per hour in [t_k, t_k + width) for each
 * of the n starts t (in order), no arrivals otherwise. */
void fx_bursts(config *c, size_t city, size_t n, const double *t, double width,
               double per_h);
/* Capacity steps of center d: n (t_h, gpus) pairs, t[0] == 0. */
void fx_capacity(config *c, size_t d, size_t n, const double *t, const double *gpus);
/* A timeline of n entries for program p, all "no change" at t = 0; fill in. */
program_change *fx_timeline(config *c, size_t p, size_t n);

/* A run: the economy, its engine and every series row of every sample. */
typedef struct fx_run {
    economy    *e;
    sim_engine *eng;
    size_t      width;      /* values per sample */
    size_t      nsamples;
    double     *t;          /* [nsamples] */
    double     *v;          /* [nsamples * width] */
    size_t      cap;
    int         rc;         /* sim_run's result */
} fx_run;

/* Runs cfg (replication rep, cfg's seed) to its horizon. */
fx_run *fx_run_new(const config *cfg, uint64_t rep);
void fx_run_free(fx_run *r);

/* The value of scalar name; fails the test when there is none. */
double fx_scalar(const fx_run *r, const char *name);
/* Series group/name for entity i at sample k. */
double fx_series(const fx_run *r, econ_group g, const char *name, size_t i, size_t k);

#endif
