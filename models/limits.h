/* models/limits.h - what one replication of a scenario will cost, before
 * it runs.
 *
 * Config validation bounds each value (a horizon of at most 1000 years, a
 * sample interval of at least a minute, ...); a scenario of sane values can
 * still ask for more than a machine has (a million firms a day for a
 * year). lim_estimate reckons, from the config alone, the events, samples
 * and memory of one replication, by expected values (Little's law for what
 * is in flight at once): an upper figure that scales as the run does. It
 * counts every firm as applying, buying and running all its jobs; a run
 * counts 1.1 to 2.5 times fewer events for the shipped scenarios, and
 * many times fewer when demand exceeds capacity (firms give up on their
 * first job) or few firms buy (scenarios/README.md, "Limits"). lim_check refuses what exceeds the limits, at the
 * position of the key that drives the cost. scenarios/README.md ("Limits")
 * documents the model and the defaults; the command line raises them. */
#ifndef MODELS_LIMITS_H
#define MODELS_LIMITS_H

#include "models/config.h"
#include "models/scenario.h"
#include "sim/err.h"

/* Defaults, per replication. */
#define LIM_MAX_EVENTS   1e9                    /* events */
#define LIM_MAX_SAMPLES  1e7                    /* sample times */
#define LIM_MAX_MEMORY   (4.0 * 1073741824.0)   /* bytes: 4 GiB */

/* The most a limit may be raised to: what the counters and indices of
 * the run can hold (sample numbers are 32-bit). */
#define LIM_CEIL_EVENTS  1e15
#define LIM_CEIL_SAMPLES 1e9
#define LIM_CEIL_MEMORY  (1024.0 * 1099511627776.0)   /* 1 PiB */

typedef struct lim_limits {
    double max_events;
    double max_samples;
    double max_memory;       /* bytes */
} lim_limits;

typedef struct lim_estimate {
    double span_h;           /* simulated hours */
    double firms;            /* firm arrivals */
    double firm_jobs;        /* jobs the firms bring */
    double bg_jobs;          /* background arrivals */
    double warm_jobs;        /* background jobs running at the start */
    double lottery_rounds;
    double events;           /* all events of the engine */
    double samples;          /* sample times, the horizon's included */
    double columns;          /* series columns (entities x series) */
    double series_bytes;     /* samples x columns x 8 */
    double state_bytes;      /* firms and jobs in flight at once */
    double memory;           /* series_bytes + state_bytes */
} lim_estimate;

/* Fills l with the defaults above. */
void lim_defaults(lim_limits *l);

/* The estimate for one replication of c. Returns SIM_OK, or SIM_ENOMEM
 * (err filled). */
int lim_estimate_config(const config *c, lim_estimate *e, sim_err *err);

/* Estimates c (built from doc, whose nodes give the positions) into *e
 * and checks it against l: SIM_OK, or SIM_EINVAL with "file:line:col:
 * key: about N events per replication (...), more than the limit of M
 * (raise it with --max-events N)" at the key that contributes most. */
int lim_check(const config *c, const scn_doc *doc, const lim_limits *l, lim_estimate *e,
              sim_err *err);

/* A size for --max-memory: a number of bytes with an optional suffix k, M,
 * G, T (powers of 1024, optionally followed by "iB" or "B"), e.g. "4G",
 * "512MiB", "1.5T". SIM_OK, or SIM_EINVAL when s is not one. */
int lim_parse_size(const char *s, double *bytes);

/* A count for --max-events and --max-samples: a positive number such as
 * 2000000000 or 2e9. SIM_OK, or SIM_EINVAL. */
int lim_parse_count(const char *s, double *n);

/* "4 GiB", "12.5 MiB", "800 B" into buf. Returns buf. */
char *lim_format_bytes(double bytes, char *buf, size_t size);

#endif
