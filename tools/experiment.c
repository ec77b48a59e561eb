/* tools/experiment.c - running a set of runs into one file, crash-safely,
 * on threads and MPI ranks (see experiment.h).
 *
 * Each run writes a fragment FILE.h5.parts/run-NNNN.h5 (temporary name,
 * renamed when whole) carrying its series, attributes, identity and
 * scalars. When every run is done, rank 0 builds FILE.h5 from the
 * fragments - the header, each /runs/NNNN copied as it is, then the
 * scalars, summary and series statistics - and removes the directory. An
 * interrupted experiment leaves the finished fragments; --resume keeps
 * those whose run_id matches and runs the rest. Under MPI, rank r runs the
 * runs with index % K == r; the fragments directory must be on a file
 * system every rank sees. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "output/reader.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/par.h"

/* Removes the fragments (finished and temporary) in dir; with rmdir_too
 * the directory itself when it is then empty. */
static void parts_clean(const char *dir, int rmdir_too)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, "run-", 4) && strncmp(de->d_name, ".run-", 5))
            continue;
        size_t n = strlen(dir) + strlen(de->d_name) + 2;
        char *p = malloc(n);
        if (p) {
            snprintf(p, n, "%s/%s", dir, de->d_name);
            unlink(p);
            free(p);
        }
    }
    closedir(d);
    if (rmdir_too)
        rmdir(dir);
}

/* Whether the fragment at path is whole and holds run_id. */
static int fragment_matches(const char *path, uint64_t run_id)
{
    if (access(path, R_OK) != 0)
        return 0;
    out_reader *r = out_reader_open(path, NULL);
    if (!r)
        return 0;
    char want[32];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)run_id);
    const out_attr *a = out_reader_attr_find(r, "run_id");
    int ok = a && a->kind == OUT_ATTR_STRING && !strcmp(a->s, want)
             && out_reader_scalar_rows(r) == 1;
    out_reader_close(r);
    return ok;
}

/* Reads into res (columns already set) the scalar row of every fragment
 * this process did not just write: the rows of its own runs are in res
 * already, the same doubles the fragments hold. */
static int collect(const char *parts, size_t n, const unsigned char *skip, unsigned rank,
                   unsigned nranks, runner_result *res, sim_err *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!skip[i] && (nranks <= 1 || i % nranks == rank))
            continue;
        char *path = runner_part_path(parts, i);
        if (!path)
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        out_reader *r = out_reader_open(path, err);
        if (!r) {
            free(path);
            return err && err->code ? err->code : SIM_EIO;
        }
        int rc = SIM_OK;
        if (out_reader_scalar_rows(r) != 1 || out_reader_scalar_cols(r) != res->ncols)
            rc = sim_err_set(err, SIM_EINVAL, path, 0, 0,
                             "fragment has %zu scalars, the experiment %zu",
                             out_reader_scalar_cols(r), res->ncols);
        for (size_t j = 0; rc == SIM_OK && j < res->ncols; j++)
            if (strcmp(out_reader_scalar_name(r, j), res->names[j]))
                rc = sim_err_set(err, SIM_EINVAL, path, 0, 0,
                                 "fragment scalar %zu is '%s', the experiment's '%s'", j,
                                 out_reader_scalar_name(r, j), res->names[j]);
        if (rc == SIM_OK)
            memcpy(res->values + i * res->ncols, out_reader_scalar_values(r),
                   res->ncols * sizeof(double));
        out_reader_close(r);
        free(path);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* Rank 0: FILE.h5 from the fragments. */
static int merge(const exp_plan *x, const char *parts, runner_result *res, sim_err *err)
{
    int rc;
    out_writer *w = out_writer_open(x->out, err);
    if (!w)
        return err && err->code ? err->code : SIM_EIO;
    /* The statistics use --jobs threads too; under MPI the other ranks only
     * wait for this merge, so rank 0 takes every core of its node. */
    out_writer_threads(w, x->nranks > 1 ? 0 : x->jobs);
    if ((rc = cmd_write_header(w, x->doc, x->cfg, x->argc, x->argv, x->reps, err)) != SIM_OK)
        goto fail;
    if (x->nranks > 1 && (rc = out_attr_int(w, "mpi_ranks", (int64_t)x->nranks, err)) != SIM_OK)
        goto fail;
    for (size_t i = 0; i < x->n; i++) {
        char *path = runner_part_path(parts, i);
        if (!path) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto fail;
        }
        rc = out_run_copy(w, i, path, err);
        free(path);
        if (rc != SIM_OK)
            goto fail;
    }
    if ((rc = cmd_finish(w, res, x->n, err)) != SIM_OK)
        goto fail;
    if (x->extra && (rc = x->extra(w, res, x->extra_ctx, err)) != SIM_OK)
        goto fail;
    return out_writer_close(w, 1, err);
fail:
    out_writer_close(w, 0, NULL);
    return rc;
}

/* Ctrl-C (or a scheduler's SIGTERM) during the runs: say how to go on. The
 * message is composed before the runs start, since a handler may only call
 * async-signal-safe functions; it is the one piece of process state here. */
static char interrupt_msg[PATH_MAX + 160];

static void on_interrupt(int sig)
{
    ssize_t n = write(2, interrupt_msg, strlen(interrupt_msg));
    (void)n;
    _exit(128 + sig);
}

static void catch_interrupts(const char *parts)
{
    snprintf(interrupt_msg, sizeof interrupt_msg,
             "\nvouchsim: interrupted; the finished runs are kept in %s/: run the same "
             "command with --resume to go on from them\n", parts);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

static void release_interrupts(void)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
}

/* Fails early, before any run, when out cannot be written: a directory,
 * a directory that does not exist or is not writable. */
static int check_output(const char *out, sim_err *err)
{
    struct stat st;
    if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
        return sim_err_set(err, SIM_EIO, out, 0, 0, "is a directory, not a file name");
    out_writer *w = out_writer_open(out, err);     /* makes and removes a temporary file */
    if (!w)
        return err && err->code ? err->code : SIM_EIO;
    return out_writer_close(w, 0, err);
}

int exp_run(const exp_plan *x, runner_result *res, sim_err *err)
{
    int rc = SIM_OK;
    unsigned rank = par_rank(), nranks = par_size();
    char *parts = NULL;
    unsigned char *skip = calloc(x->n ? x->n : 1, 1);
    memset(res, 0, sizeof *res);
    if (!skip)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    if (x->out) {
        size_t len = strlen(x->out) + 8;
        if (!(parts = malloc(len))) {
            free(skip);
            return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        }
        snprintf(parts, len, "%s.parts", x->out);
        if (rank == 0) {
            if ((rc = check_output(x->out, err)) != SIM_OK)
                ;
            else if (mkdir(parts, 0777) != 0 && errno != EEXIST)
                rc = sim_err_set(err, SIM_EIO, parts, 0, 0, "cannot create directory: %s",
                                 strerror(errno));
            else if (!x->resume)
                parts_clean(parts, 0);
            size_t reused = 0;
            for (size_t i = 0; rc == SIM_OK && x->resume && i < x->n; i++) {
                char *p = runner_part_path(parts, i);
                skip[i] = p && fragment_matches(p, x->specs[i].run_id);
                reused += skip[i];
                free(p);
            }
            if (rc == SIM_OK && x->resume && !x->quiet)
                fprintf(stderr, "vouchsim: resume: %zu of %zu runs done already in %s\n", reused,
                        x->n, parts);
        }
        rc = par_agree(rc, err);
        if (rc != SIM_OK)
            goto out;
        par_bcast_bytes(skip, x->n);
    }
    const char *stop = getenv("VOUCHSIM_TEST_STOP_AFTER");
    unsigned long long stop_after = 0;
    if (stop && cmd_parse_u64(stop, &stop_after) != 0)
        stop_after = 0;
    runner_opts ro = { x->jobs, rank == 0 && !x->quiet && isatty(2), parts, skip, rank,
                       nranks, (size_t)stop_after };
    if (parts && rank == 0)
        catch_interrupts(parts);
    rc = runner_run(x->specs, x->n, &ro, res, err);
    if (parts && rank == 0)
        release_interrupts();
    if ((rc = par_agree(rc, err)) != SIM_OK)
        goto out;
    res->events = par_sum_u64(res->events);
    res->secs = par_max_double(res->secs);
    if (!parts) {
        /* Scalars in memory: each rank holds its rows; zeros elsewhere add
         * nothing, so the sum is every rank's rows, bit for bit. */
        for (size_t i = 0; nranks > 1 && i < x->n; i++)
            if (i % nranks != rank)
                for (size_t j = 0; j < res->ncols; j++)
                    res->values[i * res->ncols + j] = 0.0;
        par_sum_doubles(res->values, x->n * res->ncols);
        goto out;
    }
    if (rank == 0) {
        int show = !x->quiet && isatty(2);
        if (show)
            fprintf(stderr, "\r  merging %zu runs into %s ...", x->n, x->out);
        rc = collect(parts, x->n, skip, rank, nranks, res, err);
        if (rc == SIM_OK)
            rc = merge(x, parts, res, err);
        if (rc == SIM_OK)
            parts_clean(parts, 1);
        if (show)
            fputs("\r\033[K", stderr);
    }
    rc = par_agree(rc, err);
    if (rc == SIM_OK)
        par_bcast_bytes(res->values, x->n * res->ncols * sizeof(double));
out:
    if (rc != SIM_OK) {
        /* A run that failed leaves nothing behind; one that is interrupted
         * (a signal, a killed job) never gets here, and --resume picks up
         * its fragments. */
        if (parts && rank == 0)
            parts_clean(parts, 1);
        runner_result_fini(res);
    }
    free(parts);
    free(skip);
    return rc;
}

uint64_t exp_run_id(const scn_doc *doc, const config *cfg, uint64_t rep)
{
    char *text = scn_dump(doc);
    uint64_t id = runner_run_id(text ? text : "", cfg->seed, rep, cfg->horizon_h,
                                PACKAGE_VERSION);
    free(text);
    return id;
}
