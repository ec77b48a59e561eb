/* tools/runner.h - running many replications of configs on a pool of threads.
 *
 * The wiring between the model and the output: each run gets its own
 * engine and economy (nothing shared but the borrowed config), its series
 * stream into a fragment file of its own as it samples (PARTS/run-NNNN.h5,
 * written under a temporary name and renamed when the run is complete), and
 * its scalars land in row `index` of the caller's table, so the results do
 * not depend on the number of threads, ranks or the order in which runs
 * finish. tools/experiment.c merges the fragments into the final file. */
#ifndef TOOLS_RUNNER_H
#define TOOLS_RUNNER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "output/writer.h"
#include "sim/err.h"

/* One run: a config, a seed and a replication number, and where it goes. */
typedef struct run_spec {
    const config *cfg;
    uint64_t      seed;
    uint64_t      rep;
    size_t        index;    /* run number in the file and row in the table */
    uint64_t      run_id;   /* identity (runner_run_id), attribute run_id */
    long          point;    /* sweep point (attribute `point`), -1: none */
    const char   *sets;     /* sweep overrides (attribute `set`), NULL: none */
} run_spec;

typedef struct runner_opts {
    unsigned    jobs;       /* threads; 0: the number of cores */
    int         progress;   /* 1: progress on stderr */
    const char *parts;      /* directory for the fragments; NULL: keep nothing but the scalars */
    const unsigned char *skip;  /* [n]: nonzero for runs done already (resume); NULL: none */
    unsigned    nranks;     /* > 1: the MPI ranks share the runs (runner_run is collective) */
    size_t      stop_after; /* test hook: _exit(1) once this many fragments are written (0: never) */
    int         no_series;  /* 1: fragments carry the scalars and attributes, no series */
    pthread_mutex_t *h5;    /* held around every HDF5 call of the fragment writers, shared with
                               the caller's writers (HDF5 may lack thread safety); NULL: the
                               pool's own */
} runner_opts;

typedef struct runner_result {
    size_t    ncols;        /* scalars per run (same for every config) */
    char    **names;        /* [ncols] */
    char    **units;
    char    **descs;
    double   *values;       /* [nruns x ncols], row = spec index; NaN rows for runs not done here */
    unsigned char *here;    /* [nruns]: 1 for the runs this process did */
    uint64_t  events;       /* over all runs */
    double    secs;         /* wall-clock */
} runner_result;

/* Runs the n specs (their indices must be 0..n-1, each once) that are not
 * skipped, the longest first (by lim_estimate's events), each on the next
 * free thread. With nranks > 1 the ranks share them dynamically: a thread
 * that is free takes the next run from a counter shared by all ranks
 * (par_counter), so which rank runs which run depends on timing, and
 * nothing else does; res->here says which rows are this process's. Only
 * the main thread calls MPI; without MPI_THREAD_FUNNELED (par_threads_ok)
 * the main thread runs the runs itself, one at a time. On success fills
 * res (free with runner_result_fini) and returns SIM_OK. On the first
 * failure (a ledger check, a write) the remaining runs are abandoned, on
 * every rank, and the error names the run: "run 3 (replication 3):
 * ledger: ...". Under MPI the return is this rank's own: the caller
 * agrees (par_agree). */
int runner_run(const run_spec *specs, size_t n, const runner_opts *opts,
               runner_result *res, sim_err *err);

void runner_result_fini(runner_result *res);

/* The order in which runner_run starts the n specs that skip does not
 * mark (skip NULL: all): longest first by lim_estimate's events, equal
 * costs in spec order; the same on every rank. Fills order (room for n)
 * with spec numbers and returns the count. */
size_t runner_order(const run_spec *specs, size_t n, const unsigned char *skip, size_t *order);

/* Index of the scalar called name in res, or -1. */
long runner_col(const runner_result *res, const char *name);

/* The sampling grid of a config: times 0, s, 2s, ... below the horizon,
 * then the horizon itself. Returns the count; fills times (malloc'd) when
 * it is not NULL. */
size_t runner_grid(const config *cfg, double **times);

/* Writes what every run of cfg shares: the sampling grid (/time, hours
 * and ISO dates) and the entity names of each group. */
int runner_write_header(out_writer *w, const config *cfg, sim_err *err);

/* A run's identity: FNV-1a (64 bits) over the resolved scenario text, then
 * the seed, replication, horizon (hours, %.17g) and vouchsim version as
 * decimal text, each field followed by a NUL byte. */
uint64_t runner_run_id(const char *scenario_text, uint64_t seed, uint64_t rep,
                       double horizon_h, const char *version);

/* runner_run_id in two steps, for the replications of one text: the hash
 * of the text (runner_text_hash), then the id of each replication from it
 * (runner_run_id_hashed); the same ids. */
uint64_t runner_text_hash(const char *scenario_text);
uint64_t runner_run_id_hashed(uint64_t text_hash, uint64_t seed, uint64_t rep,
                              double horizon_h, const char *version);

/* A run id as the files store it (attribute run_id): 16 lower-case hex
 * digits into buf (at least RUNNER_ID_TEXT bytes). Returns buf. */
enum { RUNNER_ID_TEXT = 17 };
char *runner_id_text(uint64_t run_id, char *buf);

/* "PARTS/run-NNNN.h5" (malloc'd). */
char *runner_part_path(const char *parts, size_t index);

/* Number of cores online (at least 1). */
unsigned runner_cores(void);

#endif
