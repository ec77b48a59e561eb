/* models/economy.h - the voucher economy: one replication of a scenario.
 *
 * An economy holds the state of one run: firms, vouchers, data centers,
 * program budgets, counters. It registers its event handlers with an
 * engine and schedules its first events; sim_run then drives it to the
 * horizon. It knows nothing of files: at each sample time it calls the
 * sample callback, which reads rows through economy_series_row, and at the
 * end economy_scalar gives the run's totals.
 *
 * Random numbers: every stream is derived from (seed, replication, id)
 * (sim/rng.h) with ids fixed by the entity's name, not by event order or
 * list position: one stream per city for arrival times, one per firm (city,
 * arrival number) for all of the firm's draws, made at arrival; one per
 * data center for background demand (and one for its warm start); one per
 * program for lottery draws. Two scenarios that differ only in policy, or
 * in entities added or reordered, therefore see the same firms with the
 * same needs and prices (common random numbers).
 *
 * Events: firm.arrive, firm.decide (after the approval delay), job.end,
 * job.renege (patience runs out), voucher.expire, program.change
 * (tranches, rate and cap changes, closing), program.lottery, bg.arrive,
 * dc.capacity, sample. A queued job starts inside the handler that frees
 * room for it (job.end, job.renege, dc.capacity), so there is no job.start
 * event; the sample at the horizon is the run's last event of the model. */
#ifndef MODELS_ECONOMY_H
#define MODELS_ECONOMY_H

#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "sim/engine.h"
#include "sim/err.h"

typedef struct economy economy;

/* Groups of entities a series is kept for. */
typedef enum {
    GROUP_DATACENTER = 0,   /* one column per data center, config order */
    GROUP_REGION,           /* east, west */
    GROUP_PROGRAM,          /* one column per program */
    GROUP_CITY,             /* one column per city */
    GROUP_COUNT
} econ_group;

typedef struct econ_series_def {
    econ_group  group;
    const char *name;       /* "utilization" */
    const char *unit;       /* "1", "GPU", "CNY", "jobs", "kWh", "h" */
    const char *desc;       /* one line, for the output file and README */
} econ_series_def;

typedef struct econ_scalar_def {
    const char *name;       /* "subsidy_total" or "exhaustion_h.shandong" */
    const char *unit;
    const char *desc;
} econ_scalar_def;

/* Called at each sample time t_h, in hours from start (0, sample_h,
 * 2 sample_h, ... and the horizon). Return SIM_OK, or an error code (with err filled) to stop. */
typedef int econ_sample_fn(void *ctx, const economy *e, double t_h, sim_err *err);

/* A new economy for replication rep of cfg (borrowed: it must outlive the
 * economy). NULL with err filled on ENOMEM. */
economy *economy_new(const config *cfg, uint64_t seed, uint64_t rep, sim_err *err);

void economy_free(economy *e);

/* Sets the sample callback (before economy_register). */
void economy_on_sample(economy *e, econ_sample_fn *fn, void *ctx);

/* Registers the handlers with eng and schedules the first events. Call
 * once; then sim_run(eng, economy_end_h(e)) runs the replication.
 *
 * Time inside the engine starts at the beginning of the warm-up: the
 * measurement window is [warmup_h, warmup_h + horizon_h], and the run goes
 * on for cooldown_h after it with no arrivals. Everything the economy
 * reports is in hours from `start` (the window's beginning): sample times,
 * run-out times. Flows (money, GPU-hours, utilization, job counts) are
 * those of the window; decisions are those of the window's cohort of
 * firms (arrived in the window), through the cool-down. */
int economy_register(economy *e, sim_engine *eng, sim_err *err);

/* When the run ends, in engine time: warm-up + horizon + cool-down. */
double economy_end_h(const economy *e);

/* The accounting checks of DESIGN.md, at the end of a run: for every
 * program, initial + tranches = remaining + committed + spent + lapsed to
 * within 1 yuan, and nothing negative; every submitted job finished,
 * running, waiting or abandoned; no data center ever above its capacity.
 * Returns SIM_OK, or SIM_ECHECK with a message naming the program or data
 * center and the amount. */
int economy_check(const economy *e, sim_err *err);

/* ---- what is recorded ---- */

/* Names of the entities of a group (n of them). */
size_t economy_group_size(const economy *e, econ_group g);
const char *economy_entity_name(const economy *e, econ_group g, size_t i);
const char *economy_group_name(econ_group g);  /* "datacenter", ... */

/* The series, the same list for every economy of a config. */
size_t economy_series_count(const economy *e);
const econ_series_def *economy_series(const economy *e, size_t i);

/* Fills row (economy_group_size of the series' group values) with series
 * i as of the current sample. Valid inside the sample callback. */
void economy_series_row(const economy *e, size_t i, double *row);

/* The run's scalars, valid after the run (and economy_check). */
size_t economy_scalar_count(const economy *e);
const econ_scalar_def *economy_scalar(const economy *e, size_t i);
double economy_scalar_value(const economy *e, size_t i);

/* The scalars an economy of cfg records, names, units and descriptions in
 * economy_scalar's order, without building one (the list is made by the
 * same code): what a result file will hold, checked before any run. *n
 * gets their count. One malloc'd block, names included: free() it. NULL
 * when memory runs out. */
econ_scalar_def *economy_scalar_list(const config *cfg, size_t *n);

#endif
