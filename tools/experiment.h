/* tools/experiment.h - the experiment machinery that run, compare, sweep
 * and optimize share: a plan of runs, run on threads and ranks, merged
 * into one file with its header and end, and the report line. It calls no
 * command (tests/layering.sh checks it): the commands are front ends. */
#ifndef TOOLS_EXPERIMENT_H
#define TOOLS_EXPERIMENT_H

#include "models/config.h"
#include "models/scenario.h"
#include "output/writer.h"
#include "tools/args.h"
#include "tools/runner.h"

/* Root attributes (scenario text, seed, command line...), time axis and
 * entity names. */
int exp_write_header(out_writer *w, const scn_doc *doc, const config *cfg,
                     int argc, char **argv, unsigned reps, sim_err *err);

/* Scalars table, summary, series statistics and the `finished` attribute. */
int exp_finish(out_writer *w, const runner_result *res, size_t nruns, sim_err *err);

/* The report line on stderr: the runs, events=N, secs=S, events_per_sec=N
 * and the file. resumed of the nruns runs were kept from an interrupted
 * command in `from` (FILE.h5.parts, FILE.h5.arms) and not run now: the
 * line says "N runs (M resumed from FROM, K run now)", and events and
 * seconds (res, which counts only the runs run here) are those of the K. */
void exp_report(const char *what, const runner_result *res, size_t nruns, size_t resumed,
                const char *from, const char *file);

/* How many of res's n runs this process did not run (kept by --resume):
 * the rows res->here does not mark; n when here is NULL (a result read
 * back from a file). */
size_t exp_resumed(const runner_result *res, size_t n);

/* A set of runs bound for one file (or for the scalars only). */
typedef struct exp_plan {
    const scn_doc *doc;        /* the file's header: scenario text, time axis */
    const config  *cfg;
    run_spec      *specs;      /* [n], index i at i */
    size_t         n;
    unsigned       reps;       /* root attribute `replications` */
    const char    *out;        /* final file; NULL: no file, scalars only */
    int            resume;     /* reuse fragments whose run_id matches */
    int            quiet;
    unsigned       jobs;       /* threads per process; 0: cores */
    unsigned       nranks;     /* MPI ranks (root attribute mpi_ranks when > 1) */
    int            argc;       /* the command line, for the `command` attribute */
    char         **argv;
    /* Rank 0, before the file is committed: more tables (sweep, sobol). */
    int          (*extra)(out_writer *w, const runner_result *res, void *ctx, sim_err *err);
    void          *extra_ctx;
    int            force;      /* replace a finished OUT, or start over its
                                  fragments without resume; otherwise both
                                  are refused (SIM_EINVAL: exit 2) */
    int            no_series;  /* 1: scalars and tables only, no per-run series */
    const char    *parent;     /* NULL, or the directory the command made for OUT
                                  (compare: FILE.h5.arms): interrupted before any
                                  run finished, the plan removes it too when that
                                  empties it */
} exp_plan;

/* Runs the plan's runs on this process's threads and, under MPI, spread
 * over the ranks (a free thread of any rank takes the next run); writes
 * the fragments OUT.parts/run-NNNN.h5 and merges them into OUT on rank 0,
 * or, without OUT, sums the scalars over the ranks. On success every rank holds all runs'
 * scalars in res. An interrupted plan leaves its finished fragments for
 * --resume (one interrupted before any run finished removes the fragments
 * directory: nothing is kept). Rank 0 locks OUT first (DIR/.NAME.lock, an fcntl lock held to
 * the end): while another process writes OUT, fails at once (SIM_EIO,
 * "OUT: is being written by process PID"). Holding it, removes the
 * temporary files of OUT and its fragments that other processes left. Collective under MPI: every rank calls it. The environment
 * variable VOUCHSIM_TEST_STOP_AFTER=N (for tests only) makes the process
 * exit(1) abruptly once it has written N fragments;
 * VOUCHSIM_TEST_TERM_IN_MERGE=1 makes it send itself SIGTERM in the merge,
 * after the first run is copied. */
int exp_run(const exp_plan *x, runner_result *res, sim_err *err);

/* Refuses (prints why, returns EXIT_INPUT) an output file that is one of
 * the n input files: the same file (device and inode), whatever the path,
 * symbolic link or hard link. EXIT_OK when out does not exist yet. */
int exp_output_check(const char *out, const char *const *inputs, size_t n);

/* SIM_EINVAL with "OUT: exists (SIZE, written DATE): --force replaces
 * it..." in err when out is a file already; SIM_OK when it is free. (The
 * plan does this check itself, under its lock, unless force.) */
int exp_output_exists(const char *out, sim_err *err);

/* What the plan refuses without force (SIM_EINVAL, the message in err),
 * checked now, before a command prints or runs anything: out exists
 * (exp_output_exists), OUT.parts holds finished runs and resume is 0, or
 * resume is 1 and out is complete. SIM_OK when force or out is NULL. The
 * plan checks again under its lock. */
int exp_output_free(const char *out, int resume, int force, sim_err *err);

/* The identity of replication rep of a loaded scenario (runner_run_id of
 * its resolved text, seed, horizon and this version). */
uint64_t exp_run_id(const scn_doc *doc, const config *cfg, uint64_t rep);

/* exp_run_id of replications 0 to reps-1 into ids[reps], the text dumped
 * and hashed once. SIM_OK or SIM_ENOMEM. */
int exp_run_ids(const scn_doc *doc, const config *cfg, unsigned reps, uint64_t *ids);

#endif
