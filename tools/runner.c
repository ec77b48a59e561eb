/* tools/runner.c - replications on a pool of threads (see runner.h).
 *
 * Workers take the next run from a list of the runs to do, longest first;
 * each run owns its engine, economy and fragment file. The only shared
 * things are the HDF5 lock (held around each HDF5 call of every fragment
 * writer), the result table (each run writes its own row) and the
 * progress counters (under the pool's mutex). Under MPI the position in
 * the list comes from a counter all ranks share (par_counter): a worker
 * that is free asks the main thread, the one thread that calls MPI, which
 * takes the next position for it; in between, the main thread lets MPI
 * progress. */
#include "tools/runner.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "models/economy.h"
#include "models/limits.h"
#include "models/scenario.h"
#include "sim/engine.h"
#include "tools/cmd.h"
#include "tools/par.h"

typedef struct pool {
    const run_spec    *specs;
    size_t             n;
    const runner_opts *opts;
    runner_result     *res;
    pthread_mutex_t    mu;
    pthread_cond_t     cv;
    pthread_mutex_t    h5;          /* HDF5 calls of all fragment writers ... */
    pthread_mutex_t   *h5lock;      /* ... this one, or the caller's (opts->h5) */
    int                bg;          /* fragment writers compress on a thread of their own */
    size_t            *order;       /* [todo]: the runs to do (spec numbers), longest first */
    size_t             todo;        /* runs to do, over all ranks */
    size_t             next;        /* next position in order (one process) */
    par_counter       *shared;      /* MPI: positions come from the ranks' counter */
    int                alone;       /* MPI without threads: the main thread runs the runs */
    size_t             want;        /* workers waiting for a position from the main thread */
    size_t            *ready;       /* [jobs]: positions the main thread took for them */
    size_t             nready;
    int                exhausted;   /* the shared counter is past the end */
    int                abandoned;   /* ... pushed there after a failure here */
    uint64_t           taken;       /* the shared counter's latest value (progress) */
    unsigned           nranks;
    size_t             done;        /* runs finished here */
    size_t             written;     /* fragments written (for stop_after) */
    uint64_t           events_live; /* events so far, finished runs and running ones */
    unsigned           running;     /* workers still going */
    uint64_t           events;      /* events of finished runs */
    double             sim_h;       /* simulated hours, all runs so far */
    int                failed;
    sim_err            err;         /* the first failure */
    pthread_cond_t     work;        /* workers: a position is ready, or no more */
} pool;

typedef struct sample_ctx {
    pool        *p;
    sim_engine  *eng;
    uint64_t     last_events;
    size_t       nseries;
    out_series **series;
    double      *row;
    double       last_h;
} sample_ctx;

static int on_sample(void *ctx, const economy *e, double t_h, sim_err *err)
{
    sample_ctx *sc = ctx;
    for (size_t i = 0; i < sc->nseries; i++) {
        if (!sc->series[i])
            continue;                       /* a group with no entities */
        economy_series_row(e, i, sc->row);
        int rc = out_series_append(sc->series[i], sc->row, err);
        if (rc != SIM_OK)
            return rc;
    }
    uint64_t ev = sim_events_run(sc->eng);
    pthread_mutex_lock(&sc->p->mu);
    sc->p->sim_h += t_h - sc->last_h;
    sc->p->events_live += ev - sc->last_events;
    pthread_mutex_unlock(&sc->p->mu);
    sc->last_events = ev;
    sc->last_h = t_h;
    return SIM_OK;
}

/* Checks that economy e records the same scalars as the table's columns. */
static int same_scalars(const economy *e, const runner_result *res, sim_err *err)
{
    if (economy_scalar_count(e) != res->ncols)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                           "runs of one experiment must record the same scalars");
    for (size_t i = 0; i < res->ncols; i++)
        if (strcmp(economy_scalar(e, i)->name, res->names[i]) != 0)
            return sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                               "runs of one experiment must record the same scalars ('%s' vs '%s')",
                               economy_scalar(e, i)->name, res->names[i]);
    return SIM_OK;
}

static int write_header_of(out_writer *w, const config *cfg, const economy *e, sim_err *err);

/* Root attributes of a fragment: enough for resume to recognise it. */
static int fragment_attrs(out_writer *w, const run_spec *sp, sim_err *err)
{
    char id[RUNNER_ID_TEXT];
    runner_id_text(sp->run_id, id);
    int rc;
    if ((rc = out_attr_string(w, "run_id", id, err)) != SIM_OK
        || (rc = out_attr_int(w, "run_index", (int64_t)sp->index, err)) != SIM_OK
        || (rc = out_run_attr_string(w, sp->index, "run_id", id, err)) != SIM_OK
        || (rc = out_run_attr_int(w, sp->index, "seed", (int64_t)sp->seed, err)) != SIM_OK
        || (rc = out_run_attr_double(w, sp->index, "replication", (double)sp->rep, err)) != SIM_OK)
        return rc;
    if (sp->point >= 0
        && (rc = out_run_attr_double(w, sp->index, "point", (double)sp->point, err)) != SIM_OK)
        return rc;
    if (sp->sets && (rc = out_run_attr_string(w, sp->index, "set", sp->sets, err)) != SIM_OK)
        return rc;
    return SIM_OK;
}

static int run_one(pool *p, const run_spec *sp, sim_err *err)
{
    int rc = SIM_OK;
    out_writer *w = NULL;
    char *path = NULL;
    sample_ctx sc = { p, NULL, 0, 0, NULL, NULL, 0.0 };
    sim_engine *eng = NULL;
    economy *e = economy_new(sp->cfg, sp->seed, sp->rep, err);
    if (!e)
        return err && err->code ? err->code : SIM_ENOMEM;
    eng = sim_engine_new();
    if (!eng) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    sc.eng = eng;
    if ((rc = same_scalars(e, p->res, err)) != SIM_OK)
        goto out;
    if (p->opts->parts) {
        if (!(path = runner_part_path(p->opts->parts, sp->index))) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        if (!(w = out_writer_open_locked(path, p->h5lock, err))) {
            rc = err && err->code ? err->code : SIM_EIO;
            goto out;
        }
        out_writer_no_sync(w);
        out_writer_background(w, p->bg);
        if ((rc = write_header_of(w, sp->cfg, e, err)) != SIM_OK
            || (rc = fragment_attrs(w, sp, err)) != SIM_OK)
            goto out;
        size_t maxn = 1;
        sc.nseries = p->opts->no_series ? 0 : economy_series_count(e);
        sc.series = calloc(sc.nseries ? sc.nseries : 1, sizeof *sc.series);
        for (int g = 0; g < GROUP_COUNT; g++)
            if (economy_group_size(e, (econ_group)g) > maxn)
                maxn = economy_group_size(e, (econ_group)g);
        sc.row = malloc(maxn * sizeof *sc.row);
        if (!sc.series || !sc.row) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < sc.nseries; i++) {
            const econ_series_def *d = economy_series(e, i);
            if (economy_group_size(e, d->group) == 0)
                continue;   /* no programs (mmc.yaml): no program series */
            sc.series[i] = out_series_open(w, sp->index, economy_group_name(d->group), d->name,
                                           d->unit, d->desc, economy_group_size(e, d->group), err);
            if (!sc.series[i]) {
                rc = err && err->code ? err->code : SIM_EIO;
                goto out;
            }
        }
        economy_on_sample(e, on_sample, &sc);
    }
    if ((rc = economy_register(e, eng, err)) != SIM_OK)
        goto out;
    rc = sim_run(eng, economy_end_h(e));
    if (rc != SIM_OK) {
        /* A failing sample callback filled err already; a model handler
         * left its message in the engine. */
        if (!err || err->code == SIM_OK)
            sim_err_set(err, rc, NULL, 0, 0, "%s", sim_engine_err(eng)->msg);
        goto out;
    }
    if ((rc = economy_check(e, err)) != SIM_OK)
        goto out;
    double *row = p->res->values + sp->index * p->res->ncols;
    for (size_t i = 0; i < p->res->ncols; i++)
        row[i] = economy_scalar_value(e, i);
    if (w) {
        for (size_t i = 0; i < sc.nseries; i++) {
            out_series *s = sc.series[i];
            sc.series[i] = NULL;
            if ((rc = out_series_close(s, err)) != SIM_OK)
                goto out;
        }
        if ((rc = out_scalars_write(w, 1, p->res->ncols, (const char *const *)p->res->names,
                                    (const char *const *)p->res->units,
                                    (const char *const *)p->res->descs, row, err)) != SIM_OK)
            goto out;
        out_writer *done = w;
        w = NULL;
        if ((rc = out_writer_close(done, 1, err)) != SIM_OK)
            goto out;
    }
    pthread_mutex_lock(&p->mu);
    uint64_t ev = sim_events_run(eng);
    p->events += ev;
    p->events_live += ev - sc.last_events;
    if (p->opts->parts && ++p->written == p->opts->stop_after) {
        /* Test hook (VOUCHSIM_TEST_STOP_AFTER): die as a crash would, with
         * other runs in flight. */
        _exit(1);
    }
    pthread_mutex_unlock(&p->mu);
out:
    for (size_t i = 0; i < sc.nseries && sc.series; i++)
        out_series_close(sc.series[i], NULL);
    if (w)
        out_writer_close(w, 0, NULL);
    free(path);
    free(sc.series);
    free(sc.row);
    sim_engine_free(eng);
    economy_free(e);
    return rc;
}

/* The next position in p->order for a worker: 1 and *pos, or 0 when
 * there is none left (or a run failed). Caller holds p->mu. */
static int take(pool *p, size_t *pos)
{
    if (p->failed)
        return 0;
    if (!p->shared) {
        if (p->next >= p->todo)
            return 0;
        *pos = p->next++;
        return 1;
    }
    if (p->alone) {                 /* this is the main thread: ask MPI */
        if (p->exhausted)
            return 0;
        pthread_mutex_unlock(&p->mu);
        uint64_t v = par_counter_add(p->shared, 1);
        pthread_mutex_lock(&p->mu);
        p->taken = v + 1;
        if (v >= p->todo) {
            p->exhausted = 1;
            return 0;
        }
        *pos = (size_t)v;
        return 1;
    }
    p->want++;
    pthread_cond_broadcast(&p->cv);             /* the main thread serves */
    while (!p->nready && !p->exhausted && !p->failed)
        pthread_cond_wait(&p->work, &p->mu);
    p->want--;
    if (!p->nready)
        return 0;
    *pos = p->ready[--p->nready];
    return 1;
}

/* Main thread, holding p->mu: takes positions from the shared counter for
 * the workers that wait; after a failure here, pushes the counter past
 * the end so that the other ranks start no more runs. */
static void serve(pool *p)
{
    while (p->shared && !p->alone) {
        if (p->failed && !p->abandoned) {
            p->abandoned = 1;
            pthread_mutex_unlock(&p->mu);
            par_counter_add(p->shared, p->todo);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        if (p->failed || p->exhausted || p->want <= p->nready)
            return;
        pthread_mutex_unlock(&p->mu);
        uint64_t v = par_counter_add(p->shared, 1);
        pthread_mutex_lock(&p->mu);
        p->taken = v + 1;
        if (v >= p->todo)
            p->exhausted = 1;
        else
            p->ready[p->nready++] = (size_t)v;
        pthread_cond_broadcast(&p->work);
    }
    if (p->alone && p->failed && !p->abandoned) {
        p->abandoned = 1;
        pthread_mutex_unlock(&p->mu);
        par_counter_add(p->shared, p->todo);
        pthread_mutex_lock(&p->mu);
    }
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        size_t pos;
        pthread_mutex_lock(&p->mu);
        if (!take(p, &pos)) {
            p->running--;
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        const run_spec *sp = &p->specs[p->order[pos]];
        pthread_mutex_unlock(&p->mu);

        sim_err err;
        sim_err_clear(&err);
        int rc = run_one(p, sp, &err);

        pthread_mutex_lock(&p->mu);
        if (rc == SIM_OK)
            p->res->here[sp->index] = 1;
        if (rc != SIM_OK && !p->failed) {
            p->failed = 1;
            p->err = err;
            if (p->err.code == SIM_OK)
                p->err.code = rc;
            sim_err_prefix(&p->err, "run %zu (replication %llu)", sp->index,
                           (unsigned long long)sp->rep);
            pthread_cond_broadcast(&p->work);
        }
        p->done++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

/* One line of progress, overwritten in place. Caller holds p->mu. */
static void show_progress(pool *p, double t0, double total_h)
{
    double secs = cmd_now_s() - t0;
    if (p->shared) {
        /* This rank sees its own runs and how many all ranks started. */
        size_t started = p->taken < p->todo ? (size_t)p->taken : p->todo;
        fprintf(stderr, "\r  runs %zu/%zu started on %u ranks, %zu done here  %.3g events/s "
                "here  ", started, p->todo, p->nranks, p->done,
                secs > 0 ? (double)p->events_live / secs : 0.0);
        fflush(stderr);
        return;
    }
    double frac = total_h > 0 ? p->sim_h / total_h : 0;
    double left = frac > 0.001 ? secs * (1.0 - frac) / frac : NAN;
    fprintf(stderr, "\r  runs %zu/%zu  %.3g events/s  %.0f simulated days/s  %.0f%%  ",
            p->done, p->todo, secs > 0 ? (double)p->events_live / secs : 0.0,
            secs > 0 ? p->sim_h / 24.0 / secs : 0.0, 100.0 * frac);
    if (isfinite(left))
        fprintf(stderr, "about %.0f s left   ", left);
    fflush(stderr);
}

unsigned runner_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1u;
}

size_t runner_grid(const config *cfg, double **times)
{
    size_t n = 0;
    while ((double)n * cfg->sample_h < cfg->horizon_h)
        n++;
    size_t total = n + 1;                    /* ... and the horizon */
    if (times) {
        *times = malloc(total * sizeof **times);
        if (!*times)
            return 0;
        for (size_t k = 0; k < n; k++)
            (*times)[k] = (double)k * cfg->sample_h;
        (*times)[n] = cfg->horizon_h;
    }
    return total;
}

int runner_write_header(out_writer *w, const config *cfg, sim_err *err)
{
    economy *e = economy_new(cfg, cfg->seed, 0, err);
    if (!e)
        return err && err->code ? err->code : SIM_ENOMEM;
    int rc = write_header_of(w, cfg, e, err);
    economy_free(e);
    return rc;
}

static const char *program_kind_name(program_kind k)
{
    switch (k) {
    case PROGRAM_COMPUTE:  return "compute";
    case PROGRAM_DATA:     return "data";
    case PROGRAM_RESEARCH: return "research";
    }
    return "?";
}

/* The entities' metadata from the config, as coordinates of the series
 * (the writer takes plain strings): each data center's region and hub,
 * each program's city and kind, each city's region and hub. The economy
 * lists entities in config order; a group whose names differ from the
 * config's gets no coordinates. */
static int write_entity_coords(out_writer *w, const config *cfg, const economy *e, sim_err *err)
{
    size_t nd = cfg->ndcs, np = cfg->nprograms, nc = cfg->ncities;
    size_t most = nd > np ? nd : np;
    most = most > nc ? most : nc;
    const char **a = calloc(most ? most : 1, sizeof *a), **b = calloc(most ? most : 1, sizeof *b);
    int rc = SIM_OK;
    if (!a || !b) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    int same = economy_group_size(e, GROUP_DATACENTER) == nd;
    for (size_t i = 0; same && i < nd; i++) {
        same = !strcmp(economy_entity_name(e, GROUP_DATACENTER, i), cfg->dcs[i].name);
        a[i] = config_region_name(cfg->dcs[i].region);
        b[i] = cfg->dcs[i].hub ? cfg->dcs[i].hub : "";
    }
    const char *dc = economy_group_name(GROUP_DATACENTER);
    if (same && nd
        && ((rc = out_entity_coord_write(w, dc, "region", nd, a, err)) != SIM_OK
            || (rc = out_entity_coord_write(w, dc, "hub", nd, b, err)) != SIM_OK))
        goto out;
    same = economy_group_size(e, GROUP_PROGRAM) == np;
    for (size_t i = 0; same && i < np; i++) {
        same = !strcmp(economy_entity_name(e, GROUP_PROGRAM, i), cfg->programs[i].name);
        a[i] = cfg->cities[cfg->programs[i].city].name;
        b[i] = program_kind_name(cfg->programs[i].kind);
    }
    const char *pg = economy_group_name(GROUP_PROGRAM);
    if (same && np
        && ((rc = out_entity_coord_write(w, pg, "city", np, a, err)) != SIM_OK
            || (rc = out_entity_coord_write(w, pg, "kind", np, b, err)) != SIM_OK))
        goto out;
    same = economy_group_size(e, GROUP_CITY) == nc;
    for (size_t i = 0; same && i < nc; i++) {
        same = !strcmp(economy_entity_name(e, GROUP_CITY, i), cfg->cities[i].name);
        a[i] = config_region_name(cfg->cities[i].region);
        b[i] = cfg->cities[i].hub ? cfg->cities[i].hub : "";
    }
    const char *cg = economy_group_name(GROUP_CITY);
    if (same && nc
        && ((rc = out_entity_coord_write(w, cg, "region", nc, a, err)) != SIM_OK
            || (rc = out_entity_coord_write(w, cg, "hub", nc, b, err)) != SIM_OK))
        goto out;
out:
    free(a);
    free(b);
    return rc;
}

static int write_header_of(out_writer *w, const config *cfg, const economy *e, sim_err *err)
{
    double *times = NULL;
    char **iso = NULL;
    int rc = SIM_OK;
    size_t n = runner_grid(cfg, &times);
    iso = calloc(n, sizeof *iso);
    if (!times || !iso) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t k = 0; k < n; k++) {
        iso[k] = malloc(32);
        if (!iso[k]) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        config_format_time(cfg, times[k], iso[k], 32);
    }
    if ((rc = out_time_write(w, n, times, (const char *const *)iso, err)) != SIM_OK)
        goto out;
    for (int g = 0; g < GROUP_COUNT; g++) {
        size_t m = economy_group_size(e, (econ_group)g);
        const char **names = calloc(m ? m : 1, sizeof *names);
        if (!names) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < m; i++)
            names[i] = economy_entity_name(e, (econ_group)g, i);
        rc = out_entities_write(w, economy_group_name((econ_group)g), m, names, err);
        free(names);
        if (rc != SIM_OK)
            goto out;
    }
    rc = write_entity_coords(w, cfg, e, err);
out:
    for (size_t k = 0; iso && k < n; k++)
        free(iso[k]);
    free(iso);
    free(times);
    return rc;
}

char *runner_id_text(uint64_t run_id, char *buf)
{
    snprintf(buf, RUNNER_ID_TEXT, "%016llx", (unsigned long long)run_id);
    return buf;
}

/* FNV-1a (64 bits) from state h over s and its NUL byte. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (const unsigned char *c = (const unsigned char *)s;; c++) {
        h ^= *c;
        h *= 0x100000001b3ULL;                      /* FNV prime */
        if (!*c)
            return h;
    }
}

uint64_t runner_text_hash(const char *scenario_text)
{
    return fnv1a(0xcbf29ce484222325ULL /* FNV-1a offset basis */, scenario_text);
}

uint64_t runner_run_id_hashed(uint64_t text_hash, uint64_t seed, uint64_t rep,
                              double horizon_h, const char *version)
{
    char buf[3][64];
    snprintf(buf[0], sizeof buf[0], "%llu", (unsigned long long)seed);
    snprintf(buf[1], sizeof buf[1], "%llu", (unsigned long long)rep);
    snprintf(buf[2], sizeof buf[2], "%.17g", horizon_h);
    uint64_t h = text_hash;
    for (int f = 0; f < 3; f++)
        h = fnv1a(h, buf[f]);
    return fnv1a(h, version);
}

uint64_t runner_run_id(const char *scenario_text, uint64_t seed, uint64_t rep,
                       double horizon_h, const char *version)
{
    return runner_run_id_hashed(runner_text_hash(scenario_text), seed, rep, horizon_h, version);
}

char *runner_part_path(const char *parts, size_t index)
{
    size_t n = strlen(parts) + 32;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/run-%04zu.h5", parts, index);
    return p;
}

long runner_col(const runner_result *res, const char *name)
{
    for (size_t i = 0; i < res->ncols; i++)
        if (!strcmp(res->names[i], name))
            return (long)i;
    return -1;
}

void runner_result_fini(runner_result *res)
{
    for (size_t i = 0; i < res->ncols; i++) {
        free(res->names ? res->names[i] : NULL);
        free(res->units ? res->units[i] : NULL);
        free(res->descs ? res->descs[i] : NULL);
    }
    free(res->names);
    free(res->units);
    free(res->descs);
    free(res->values);
    free(res->here);
    memset(res, 0, sizeof *res);
}

/* The scalar columns, from an economy of the first spec's config. */
static int columns(const run_spec *sp, runner_result *res, sim_err *err)
{
    economy *e = economy_new(sp->cfg, sp->seed, sp->rep, err);
    if (!e)
        return err && err->code ? err->code : SIM_ENOMEM;
    int rc = SIM_OK;
    size_t n = economy_scalar_count(e);
    res->names = calloc(n, sizeof(char *));
    res->units = calloc(n, sizeof(char *));
    res->descs = calloc(n, sizeof(char *));
    if (!res->names || !res->units || !res->descs) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    res->ncols = n;
    for (size_t i = 0; i < n; i++) {
        const econ_scalar_def *d = economy_scalar(e, i);
        res->names[i] = strdup(d->name);
        res->units[i] = strdup(d->unit);
        res->descs[i] = strdup(d->desc);
        if (!res->names[i] || !res->units[i] || !res->descs[i]) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
    }
out:
    economy_free(e);
    return rc;
}

/* Cost of a run for ordering them: lim_estimate's events (its span when
 * the estimate fails). */
static double run_cost(const config *cfg)
{
    lim_estimate e;
    if (lim_estimate_config(cfg, &e, NULL) != SIM_OK || !isfinite(e.events))
        return cfg->warmup_h + cfg->horizon_h + cfg->cooldown_h;
    return e.events;
}

typedef struct order_key {
    double cost;
    size_t spec;
} order_key;

/* Longest first; equal costs in spec order, so that every rank (and every
 * run of the command) has the same list. */
static int by_cost(const void *a, const void *b)
{
    const order_key *x = a, *y = b;
    if (x->cost != y->cost)
        return x->cost > y->cost ? -1 : 1;
    return (x->spec > y->spec) - (x->spec < y->spec);
}

size_t runner_order(const run_spec *specs, size_t n, const unsigned char *skip, size_t *order)
{
    order_key *k = malloc((n ? n : 1) * sizeof *k);
    size_t m = 0;
    const config *last = NULL;
    double cost = 0;
    for (size_t i = 0; i < n; i++) {
        if (skip && skip[specs[i].index])
            continue;
        if (!k) {                               /* no memory: spec order */
            order[m++] = i;
            continue;
        }
        if (specs[i].cfg != last)               /* replications share a config */
            cost = run_cost(last = specs[i].cfg);
        k[m++] = (order_key){ cost, i };
    }
    if (k) {
        qsort(k, m, sizeof *k, by_cost);
        for (size_t j = 0; j < m; j++)
            order[j] = k[j].spec;
        free(k);
    }
    return m;
}

/* p->order and p->todo: the specs not skipped, longest first; with ranks
 * but no shared counter, only this rank's share of them (every K-th). */
static int plan_order(pool *p, sim_err *err)
{
    p->order = malloc((p->n ? p->n : 1) * sizeof *p->order);
    if (!p->order)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    size_t m = runner_order(p->specs, p->n, p->opts->skip, p->order);
    unsigned rank = par_rank();
    int split = p->nranks > 1 && !p->shared;
    p->todo = 0;
    for (size_t j = 0; j < m; j++)
        if (!split || j % p->nranks == rank)
            p->order[p->todo++] = p->order[j];
    return SIM_OK;
}

int runner_run(const run_spec *specs, size_t n, const runner_opts *opts,
               runner_result *res, sim_err *err)
{
    memset(res, 0, sizeof *res);
    pool p;
    memset(&p, 0, sizeof p);
    p.specs = specs, p.n = n, p.opts = opts, p.res = res;
    p.nranks = opts->nranks > 1 ? opts->nranks : 1;
    /* Collective, so first: every rank gets here whatever fails below. */
    if (p.nranks > 1)
        p.shared = par_counter_new();
    p.alone = p.shared && !par_threads_ok();
    int rc = SIM_OK, sync = 0;
    pthread_t *tid = NULL;
    unsigned started = 0;
    if (n == 0) {
        rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "no runs to do");
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (specs[i].index >= n) {
            rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "run index %zu out of range",
                             specs[i].index);
            goto out;
        }
    if ((rc = columns(&specs[0], res, err)) != SIM_OK)
        goto out;
    res->values = malloc(n * (res->ncols ? res->ncols : 1) * sizeof *res->values);
    res->here = calloc(n, 1);
    if (!res->values || !res->here) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n * res->ncols; i++)
        res->values[i] = NAN;
    if ((rc = plan_order(&p, err)) != SIM_OK || p.todo == 0)
        goto out;

    unsigned jobs = p.alone ? 1 : opts->jobs ? opts->jobs : runner_cores();
    if (jobs > p.todo)
        jobs = (unsigned)p.todo;
    /* Fewer runs than half the cores (a single run, typically), and no
     * --jobs limit: each run's writer compresses on an idle core. */
    p.bg = !p.alone && !opts->jobs && 2 * jobs <= runner_cores();
    tid = calloc(jobs, sizeof *tid);
    p.ready = calloc(jobs, sizeof *p.ready);
    if (!tid || !p.ready) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_mutex_init(&p.h5, NULL);
    p.h5lock = opts->h5 ? opts->h5 : &p.h5;
    pthread_cond_init(&p.cv, NULL);
    pthread_cond_init(&p.work, NULL);
    sync = 1;
    double total_h = 0;
    for (size_t j = 0; j < p.todo; j++)
        total_h += specs[p.order[j]].cfg->horizon_h;
    double t0 = cmd_now_s();
    p.running = jobs;
    if (p.alone) {
        /* MPI without thread support: no thread but this one. */
        worker(&p);
        pthread_mutex_lock(&p.mu);
        serve(&p);
        pthread_mutex_unlock(&p.mu);
    } else {
        for (; started < jobs; started++)
            if (pthread_create(&tid[started], NULL, worker, &p) != 0)
                break;
        pthread_mutex_lock(&p.mu);
        p.running -= jobs - started;          /* threads that never started */
        if (started == 0) {
            p.failed = 1;
            sim_err_set(&p.err, SIM_ENOMEM, NULL, 0, 0, "cannot start a thread");
        }
        double shown = 0;
        for (;;) {
            serve(&p);
            if (p.running == 0)
                break;
            if (opts->progress || p.shared) {
                /* Under MPI, wake every 2 ms to let MPI progress the other
                 * ranks' requests on the counter (rank 0 holds it). */
                long nap = p.shared ? 2000000L : 250000000L;
                struct timespec ts;
                clock_gettime(CLOCK_REALTIME, &ts);
                ts.tv_nsec += nap;
                if (ts.tv_nsec >= 1000000000L)
                    ts.tv_sec++, ts.tv_nsec -= 1000000000L;
                if (pthread_cond_timedwait(&p.cv, &p.mu, &ts) != 0 && p.shared) {
                    pthread_mutex_unlock(&p.mu);
                    par_progress();
                    pthread_mutex_lock(&p.mu);
                }
                if (opts->progress && cmd_now_s() - shown >= 0.25) {
                    show_progress(&p, t0, total_h);
                    shown = cmd_now_s();
                }
            } else {
                pthread_cond_wait(&p.cv, &p.mu);
            }
        }
        pthread_mutex_unlock(&p.mu);
        for (unsigned i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
    }
    if (opts->progress)
        fputs("\r\033[K", stderr);
    res->events = p.events;
    res->secs = cmd_now_s() - t0;
    if (p.failed) {
        if (err)
            *err = p.err;
        rc = p.err.code ? p.err.code : SIM_ECHECK;
    }
out:
    if (p.shared) {
        /* A failure before the runs started: the other ranks start no more. */
        if (rc != SIM_OK && !p.abandoned)
            par_counter_add(p.shared, n + 1);
        par_counter_free(p.shared);
    }
    if (sync) {
        pthread_mutex_destroy(&p.mu);
        pthread_mutex_destroy(&p.h5);
        pthread_cond_destroy(&p.cv);
        pthread_cond_destroy(&p.work);
    }
    free(tid);
    free(p.ready);
    free(p.order);
    if (rc != SIM_OK)
        runner_result_fini(res);
    return rc;
}
