/* tools/cmd_sweep.c - `vouchsim sweep`: parameter sweeps and Sobol indices.
 *
 * A sweep is a set of points, each the scenario with extra `--set
 * key=value` overrides (so each point is validated like any scenario), and
 * R replications per point on the same seeds (common random numbers across
 * points). The points come from a design in the unit cube (sim/
 * sensitivity.h: a full-factorial grid, a Latin hypercube, or Saltelli's
 * scheme for Sobol indices) scaled to each key's range. Run index = point
 * x R + replication; every run lands in one file (tools/experiment.c),
 * with /sweep/params saying which values each run had. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/economy.h"
#include "models/schema.h"
#include "output/fmt.h"
#include "sim/rng.h"
#include "sim/sensitivity.h"
#include "sim/stats.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/load.h"
#include "tools/optimize.h"
#include "tools/par.h"
#include "tools/report.h"
#include "tools/sweep_plan.h"

static const char *const kind_unit[] = { "", "CNY", "h", "" };

/* The unit of a varied key's values: amounts in CNY, durations in hours,
 * numbers what the scenario format documents (models/schema.c,
 * schema_unit), names none. */
static const char *var_unit(const opt_var *o)
{
    return o->kind == OPT_NUMBER ? schema_unit(o->key) : kind_unit[o->kind];
}


/* Scalars shown per point, in this order, when the model has them. */
static const char *const headline[] = {
    "gpu_hours_total", "gpu_hours_owed_at_horizon", "firms_buying", "subsidy_total",
    "gpu_hours_additional", "deadweight_share", "utilization_west", "mean_wait_east_h", NULL
};

static void usage(FILE *f)
{
    fputs("usage: vouchsim sweep SCENARIO [--vary key=v1,v2,...|LO:HI:N|LO:HI]...\n"
          "                      [--design grid|lhs|sobol] [--samples N] [--replications R]\n"
          "                      [--jobs N] [--seed N] [--set key=value]... [--until DATE]\n"
          "                      [--bootstrap B] [-o FILE.h5] [--resume] [--force] [--quiet] [--strict]\n"
          "                      [--dry-run] [--totals-only]\n"
          "                      [--max-events N] [--max-samples N] [--max-memory SIZE]\n"
          "  Runs the scenario at many points, each with the varied keys set as by --set,\n"
          "  and writes every run to one file (default: SCENARIO-sweep.h5).\n"
          "  --vary key=v1,v2,...  grid: a factor's values: numbers, amounts (30M, 1.03B),\n"
          "                      durations (30d, 12h), names (routing=nearest,west_first)\n"
          "                      or booleans (vouchers=true,false); every combination\n"
          "                      over the keys, the last varying fastest\n"
          "  --vary key=LO:HI:N  grid: N evenly spaced levels from LO to HI\n"
          "  --vary key=LO:HI    lhs and sobol: the range (numbers, amounts or durations;\n"
          "                      a list, names above all, is refused: exit 2). Whole-\n"
          "                      number LO and HI give whole values. --vary replaces the\n"
          "                      scenario's sweep: section.\n"
          "  --design D          grid (default), lhs (Latin hypercube of --samples points)\n"
          "                      or sobol (Saltelli's N x (k+2) points, N = --samples;\n"
          "                      prints and stores Sobol indices S1 and ST per total)\n"
          "  --samples N         lhs: the number of points; sobol: the base sample N\n"
          "                      (default: the scenario's sweep: section; refused with grid)\n"
          "  --bootstrap B       sobol: resamples for the 95% intervals (default 500)\n"
          "  --replications R    replications per point (default: the scenario's)\n"
          "  --seed N            seed of the random streams, the same at every point\n"
          "                      (common random numbers), and of the Latin hypercube and\n"
          "                      the bootstrap (default: the scenario's)\n"
          "  --set key=value     override one scenario value at every point (repeatable)\n"
          "  --until DATE        stop every run at the start of DATE (YYYY-MM-DD), which\n"
          "                      is not simulated\n"
          "  --resume            keep the runs an interrupted sweep finished (runs of\n"
          "                      another command are run again, said on stderr)\n"
          "  --force             replace FILE.h5, or start over an interrupted sweep\n"
          "                      (refused otherwise: exit 2)\n"
          "  --strict            the scenario's warnings are errors (exit 2)\n"
          "  --dry-run           print every point's settings and the cost estimate, then\n"
          "                      exit without running or writing anything\n"
          "  --totals-only       write the scalars and sweep tables without the per-run\n"
          "                      series (a big design's file shrinks to kilobytes)\n"
          "  Before it starts the sweep prints (stderr, unless --quiet) its cost: runs,\n"
          "  estimated events and seconds, series and file size (models/limits.h).\n"
          "  --max-events N, --max-samples N, --max-memory SIZE  raise the limits of the\n"
          "                      cost estimate per replication (vouchsim run --help)\n"
          "  -r, -j, -q, -o       short for --replications, --jobs, --quiet, --output;\n"
          "  -h, --help, -V, --version; option forms as in vouchsim run --help\n"
          "exit status: 0 success, 1 run-time failure (also -o in a directory that\n"
          "  is missing or not writable), 2 bad input or usage (also -o naming a\n"
          "  directory, or under a file; both checked before anything runs),\n"
          "  130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP: the finished runs are\n"
          "  kept; under nohup SIGHUP is ignored)\n", f);
}


/* Means over replications of column c at each point (NaN when any is). */
static void point_means(const sweep *s, const runner_result *res, size_t c, double *y)
{
    for (size_t p = 0; p < s->npoints; p++) {
        double sum = 0.0;
        for (unsigned r = 0; r < s->reps; r++)
            sum += res->values[(p * s->reps + r) * res->ncols + c];
        y[p] = sum / s->reps;
    }
}

typedef struct sobol_out {
    size_t  nrows;             /* scalars x vars */
    const char **output, **param;
    double *v[6];              /* S1, lo, hi, ST, lo, hi */
} sobol_out;

static void sobol_out_free(sobol_out *o)
{
    free(o->output);
    free(o->param);
    for (int i = 0; i < 6; i++)
        free(o->v[i]);
}

static int sobol_compute(const sweep *s, const runner_result *res, sobol_out *o, sim_err *err)
{
    size_t k = s->k, m = res->ncols;
    o->nrows = m * k;
    o->output = calloc(o->nrows ? o->nrows : 1, sizeof *o->output);
    o->param = calloc(o->nrows ? o->nrows : 1, sizeof *o->param);
    for (int i = 0; i < 6; i++)
        o->v[i] = malloc((o->nrows ? o->nrows : 1) * sizeof(double));
    double *y = malloc(s->npoints * sizeof *y);
    int rc = SIM_OK;
    if (!o->output || !o->param || !y || !o->v[0] || !o->v[1] || !o->v[2] || !o->v[3]
        || !o->v[4] || !o->v[5]) {
        free(y);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t c = 0; c < m && rc == SIM_OK; c++) {
        point_means(s, res, c, y);
        size_t r0 = c * k;
        sim_sobol_jansen(k, s->n_base, y, o->v[0] + r0, o->v[3] + r0);
        rc = sim_sobol_bootstrap(k, s->n_base, y, s->nboot, 0.95, s->seed,
                                 sim_rng_mix(0x736f626f6c /* "sobol" */, c), o->v[1] + r0,
                                 o->v[2] + r0, o->v[4] + r0, o->v[5] + r0, err);
        for (size_t j = 0; j < k; j++) {
            o->output[r0 + j] = res->names[c];
            o->param[r0 + j] = s->vars[j].v.key;
        }
    }
    free(y);
    return rc;
}

typedef struct extra_ctx {
    const sweep *s;
    sobol_out   *sobol;
} extra_ctx;

static const char *const kind_names[] = { "number", "amount", "duration", "name" };

/* /sweep/vars, /sweep/params and, for sobol, /sobol/indices. */
static int write_tables(out_writer *w, const runner_result *res, void *ctx, sim_err *err)
{
    const extra_ctx *x = ctx;
    const sweep *s = x->s;
    size_t k = s->k, nruns = s->npoints * s->reps;
    int rc = SIM_OK;
    out_column *cols = calloc(k + 6, sizeof *cols);
    const char **keys = calloc(k, sizeof *keys), **los = calloc(k, sizeof *los),
               **his = calloc(k, sizeof *his), **units = calloc(k, sizeof *units),
               **kinds = calloc(k, sizeof *kinds), **values = calloc(k, sizeof *values);
    double *lo = malloc(k * sizeof *lo), *hi = malloc(k * sizeof *hi);
    uint32_t *levels = malloc(k * sizeof *levels);
    uint32_t *run = malloc(nruns * sizeof *run), *point = malloc(nruns * sizeof *point),
             *rep = malloc(nruns * sizeof *rep);
    double *vals = malloc(nruns * k * sizeof *vals);
    const char **texts = calloc(nruns * k + 1, sizeof *texts);
    if (!cols || !keys || !los || !his || !units || !kinds || !values || !lo || !hi || !levels
        || !run || !point || !rep || !vals || !texts) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t j = 0; j < k; j++) {
        const sweep_factor *v = &s->vars[j];
        keys[j] = v->v.key;
        los[j] = v->lo_text;
        his[j] = v->hi_text;
        units[j] = var_unit(&v->v);
        kinds[j] = kind_names[v->v.kind];
        values[j] = v->values ? v->values : "";
        lo[j] = v->v.lo;
        hi[j] = v->v.hi;
        levels[j] = v->v.range ? 0 : (uint32_t)v->v.n;
        if (!v->v.range) {
            lo[j] = hi[j] = NAN;
            for (size_t i = 0; i < v->v.n; i++) {
                if (!(v->v.num[i] >= lo[j]))
                    lo[j] = isnan(lo[j]) || v->v.num[i] < lo[j] ? v->v.num[i] : lo[j];
                if (!(v->v.num[i] <= hi[j]))
                    hi[j] = isnan(hi[j]) || v->v.num[i] > hi[j] ? v->v.num[i] : hi[j];
            }
        }
    }
    out_column vc[9] = {
        { "key", OUT_COL_STRING, NULL, NULL, keys, NULL },
        { "lo", OUT_COL_DOUBLE, lo, NULL, NULL, NULL },
        { "hi", OUT_COL_DOUBLE, hi, NULL, NULL, NULL },
        { "unit", OUT_COL_STRING, NULL, NULL, units, NULL },
        { "levels", OUT_COL_UINT32, NULL, levels, NULL, NULL },
        { "lo_text", OUT_COL_STRING, NULL, NULL, los, NULL },
        { "hi_text", OUT_COL_STRING, NULL, NULL, his, NULL },
        { "kind", OUT_COL_STRING, NULL, NULL, kinds, NULL },
        { "values", OUT_COL_STRING, NULL, NULL, values, NULL },
    };
    if ((rc = out_table_write(w, "/sweep/vars", k, 9, vc,
                              "one row per varied key: its kind (number, amount, duration, or "
                              "name: a categorical factor of names or booleans), smallest and "
                              "largest value in the key's unit (CNY, h, or a plain number; NaN "
                              "for names), number of listed values (0 for a range of lhs and "
                              "sobol), first and last value (or LO and HI) as given, and the "
                              "list of values as given", err)) != SIM_OK)
        goto out;
    for (size_t i = 0; i < nruns; i++) {
        size_t p = i / s->reps;
        run[i] = (uint32_t)i;
        point[i] = (uint32_t)p;
        rep[i] = (uint32_t)(i % s->reps);
        for (size_t j = 0; j < k; j++) {
            vals[j * nruns + i] = s->x[p * k + j];
            if (sweep_factor_categorical(&s->vars[j]))
                texts[j * nruns + i] = s->vars[j].v.text[s->lev[p * k + j]];
        }
    }
    cols[0] = (out_column){ "run", OUT_COL_UINT32, NULL, run, NULL, NULL };
    cols[1] = (out_column){ "point", OUT_COL_UINT32, NULL, point, NULL, NULL };
    cols[2] = (out_column){ "replication", OUT_COL_UINT32, NULL, rep, NULL, NULL };
    for (size_t j = 0; j < k; j++)
        cols[3 + j] = sweep_factor_categorical(&s->vars[j])
                      ? (out_column){ s->vars[j].v.key, OUT_COL_STRING, NULL, NULL,
                                      texts + j * nruns, NULL }
                      : (out_column){ s->vars[j].v.key, OUT_COL_DOUBLE, vals + j * nruns, NULL,
                                      NULL, var_unit(&s->vars[j].v) };
    if ((rc = out_table_write(w, "/sweep/params", nruns, k + 3, cols,
                              "one row per run (run = point x replications + replication): the "
                              "value of each varied key, in the key's unit, or as text for a "
                              "categorical key (names, booleans)", err)) != SIM_OK
        || (rc = out_obj_attr_string(w, "/sweep", "design", sweep_design_names[s->design], err))
        || (rc = out_obj_attr_double(w, "/sweep", "points", (double)s->npoints, err))
        || (rc = out_obj_attr_double(w, "/sweep", "replications", (double)s->reps, err))
        /* on the root too, so summary and plot can say that they pool points */
        || (rc = out_attr_int(w, "sweep_points", (int64_t)s->npoints, err)))
        goto out;
    if (x->sobol) {
        const sobol_out *o = x->sobol;
        if ((rc = sobol_compute(s, res, x->sobol, err)) != SIM_OK)
            goto out;
        out_column sc[8] = {
            { "output", OUT_COL_STRING, NULL, NULL, o->output, NULL },
            { "parameter", OUT_COL_STRING, NULL, NULL, o->param, NULL },
            { "S1", OUT_COL_DOUBLE, o->v[0], NULL, NULL, "1" },
            { "S1_lo", OUT_COL_DOUBLE, o->v[1], NULL, NULL, "1" },
            { "S1_hi", OUT_COL_DOUBLE, o->v[2], NULL, NULL, "1" },
            { "ST", OUT_COL_DOUBLE, o->v[3], NULL, NULL, "1" },
            { "ST_lo", OUT_COL_DOUBLE, o->v[4], NULL, NULL, "1" },
            { "ST_hi", OUT_COL_DOUBLE, o->v[5], NULL, NULL, "1" },
        };
        if ((rc = out_table_write(w, "/sobol/indices", o->nrows, 8, sc,
                                  "Sobol indices of each output scalar (mean over replications "
                                  "at each point) for each varied key: first-order S1 and total "
                                  "ST (Jansen), 95% bootstrap percentile intervals; NaN when the "
                                  "output is constant or missing at some point", err)) != SIM_OK
            || (rc = out_obj_attr_double(w, "/sobol", "base_samples", (double)s->n_base, err))
            || (rc = out_obj_attr_double(w, "/sobol", "bootstrap", (double)s->nboot, err))
            || (rc = out_obj_attr_double(w, "/sobol", "level", 0.95, err)))
            goto out;
    }
out:
    free(cols);
    free(keys);
    free(los);
    free(his);
    free(units);
    free(kinds);
    free(values);
    free(texts);
    free(lo);
    free(hi);
    free(levels);
    free(run);
    free(point);
    free(rep);
    free(vals);
    return rc;
}

/* The unit of key j's values in the point table (var_unit). */
static const char *key_unit(const sweep *s, size_t j)
{
    return var_unit(&s->vars[j].v);
}

/* Whether key j's values print as given rather than by output/fmt.h:
 * names and booleans, and a list whose levels the rule would print alike
 * (0.3001 and 0.3002 are both "0.3"). */
static int key_as_given(const sweep *s, size_t j)
{
    const opt_var *o = &s->vars[j].v;
    if (o->kind == OPT_NAME)
        return 1;
    for (size_t a = 0; !o->range && a < o->n; a++)
        for (size_t b = a + 1; b < o->n; b++) {
            char x[64], y[64];
            out_fmt_num(o->num[a], x, sizeof x);
            out_fmt_num(o->num[b], y, sizeof y);
            if (!strcmp(x, y))
                return 1;
        }
    return 0;
}

#define PT_CELL 256   /* bytes of a cell of the point table (cut short beyond) */

/* The point table: per point its varied keys (numbers by the rule of
 * output/fmt.h in the key's unit, names as given) and the headline totals'
 * means over the point's replications, a line of names and one of units
 * above; with several replications each mean's 95% Student-t half-width
 * on the line below, as the --by tables print them (an interval of what
 * cannot be negative that reaches below 0 as its bounds, clipped). */
static void print_points(const sweep *s, const runner_result *res)
{
    long cols[16];
    size_t nc = 0;
    for (size_t i = 0; headline[i] && nc < 16; i++) {
        long c = runner_col(res, headline[i]);
        if (c >= 0)
            cols[nc++] = c;
    }
    size_t ncell = 1 + s->k + nc, lines = 2 + 2 * s->npoints;
    char (*c)[PT_CELL] = calloc(lines * ncell, sizeof *c);
    int *share = calloc(nc + 1, sizeof *share), *given = calloc(s->k + 1, sizeof *given);
    double *y = malloc((s->npoints * nc + 1) * sizeof *y);
    size_t *w = calloc(ncell, sizeof *w);
    if (!c || !share || !given || !y || !w) {
        cmd_error("sweep: out of memory for the point table");
        goto out;
    }
#define CELL(l, k) c[(size_t)(l) * ncell + (k)]
    snprintf(CELL(0, 0), PT_CELL, "point");
    for (size_t j = 0; j < s->k; j++) {
        given[j] = key_as_given(s, j);
        snprintf(CELL(0, 1 + j), PT_CELL, "%s", s->vars[j].v.key);
        snprintf(CELL(1, 1 + j), PT_CELL, "%s", key_unit(s, j));
    }
    for (size_t i = 0; i < nc; i++) {
        const char *unit = res->units ? res->units[cols[i]] : "1";
        share[i] = out_fmt_is_share(res->names[cols[i]], unit);
        snprintf(CELL(0, 1 + s->k + i), PT_CELL, "%s", res->names[cols[i]]);
        snprintf(CELL(1, 1 + s->k + i), PT_CELL, "%s",
                 share[i] ? "%" : strcmp(unit, "1") ? unit : "");
        point_means(s, res, (size_t)cols[i], y + i * s->npoints);
    }
    int clipped = 0;
    for (size_t p = 0; p < s->npoints; p++) {
        size_t l = 2 + 2 * p;
        snprintf(CELL(l, 0), PT_CELL, "%zu", p);
        for (size_t j = 0; j < s->k; j++) {
            char buf[4200];
            const opt_var *o = &s->vars[j].v;
            if (given[j])
                snprintf(CELL(l, 1 + j), PT_CELL, "%s", sweep_point_text(s, p, j, buf, sizeof buf));
            else
                out_fmt_num(s->lev ? o->num[s->lev[p * s->k + j]] : s->x[p * s->k + j],
                            CELL(l, 1 + j), PT_CELL);
        }
        for (size_t i = 0; i < nc; i++) {   /* "-": no value; a wait over no jobs as compare says it */
            double k = share[i] ? 100.0 : 1.0, m = y[i * s->npoints + p];
            if (isnan(m) && !strncmp(res->names[cols[i]], "mean_wait", 9))
                snprintf(CELL(l, 1 + s->k + i), PT_CELL, "no jobs");
            else
                out_fmt_num(k * m, CELL(l, 1 + s->k + i), PT_CELL);
            if (s->reps < 2 || !isfinite(m))
                continue;
            sim_welford wf;
            sim_welford_init(&wf);
            for (unsigned r = 0; r < s->reps; r++)
                sim_welford_add(&wf, res->values[(p * s->reps + r) * res->ncols + (size_t)cols[i]]);
            double hw = sim_welford_ci(&wf, 0.95);
            if (!isfinite(hw) || hw <= 1e-9 * fabs(m))
                continue;   /* the same in every replication: no +- */
            char a[48], b[48];
            const char *unit = res->units ? res->units[cols[i]] : "1";
            if (m - hw < 0 && out_fmt_unit_nonneg(unit)) {
                clipped |= out_fmt_lower(k * (m - hw), 1, "*", a, sizeof a);
                out_fmt_num(k * (m + hw), b, sizeof b);
                snprintf(CELL(l + 1, 1 + s->k + i), PT_CELL, "%s .. %s", a, b);
            } else {
                out_fmt_num(k * hw, a, sizeof a);
                snprintf(CELL(l + 1, 1 + s->k + i), PT_CELL, "+-%s", a);
            }
        }
    }
    for (size_t l = 0; l < lines; l++)
        for (size_t k = 0; k < ncell; k++)
            if (strlen(CELL(l, k)) > w[k])
                w[k] = strlen(CELL(l, k));
    printf("%zu points x %u replication%s (%s); means over replications%s\n\n", s->npoints,
           s->reps, s->reps == 1 ? "" : "s", sweep_design_names[s->design],
           s->reps > 1 ? ", each with its 95% interval (+-half-width) on the line below" : "");
    for (size_t l = 0; l < lines; l++) {
        int any = 0;
        for (size_t k = 0; k < ncell; k++)
            any |= CELL(l, k)[0] != '\0';
        if (!any)
            continue;   /* a +- line with nothing to say, or no units at all */
        size_t len = 0;
        char row[16384];
        for (size_t k = 0; k < ncell && len < sizeof row; k++)
            len += (size_t)snprintf(row + len, sizeof row - len, "%s%*s", k ? "  " : "",
                                    (int)w[k], CELL(l, k));
        if (len >= sizeof row)
            len = sizeof row - 1;   /* cut short (snprintf stopped there) */
        while (len && row[len - 1] == ' ')
            row[--len] = '\0';
        puts(row);
    }
    if (clipped)
        printf("\n%s\n", REP_CLIP_NOTE);
    if (s->reps > 1 && s->npoints > 1)
        printf("\nEach +- is that point's own 95%% interval over its %u replications, not an "
               "interval for the difference between two points: replication i runs on the same "
               "random numbers at every point, so a difference between points is known far more "
               "precisely than these intervals suggest. For a paired difference with its "
               "interval, `vouchsim export FILE.h5 --csv DIR` and pair DIR/scalars.csv's rows of "
               "two points by replication, or `vouchsim compare` two scenario files that differ "
               "only in the point's keys (one `extends:` the other), which runs both on common "
               "random numbers (-r %u and the sweep's other --set as before).\n", s->reps,
               s->reps);
#undef CELL
out:
    free(c);
    free(share);
    free(given);
    free(y);
    free(w);
}

/* The half-width the README quotes for N of 500-1000: the note under the
 * Sobol table says which N brings the widest marked interval to it. */
#define SOBOL_TARGET_HW 0.05

/* Which of row i's indices are outside what an index can be: S1 < 0,
 * ST > 1, or S1 above ST's whole interval (true indices have
 * 0 <= S1 <= ST <= 1). Sets *s1 and *st; returns the half-width of the
 * widest interval among the marked ones (NaN: none is known, 0: none
 * marked). */
static double sobol_marks(const sobol_out *o, size_t i, int *s1, int *st)
{
    double S1 = o->v[0][i], S1_lo = o->v[1][i], S1_hi = o->v[2][i];
    double ST = o->v[3][i], ST_lo = o->v[4][i], ST_hi = o->v[5][i];
    int above = S1 > ST && S1 > ST_hi;      /* NaN bounds compare false */
    *s1 = S1 < 0.0 || above;
    *st = ST > 1.0;
    double h1 = (S1_hi - S1_lo) / 2.0, ht = (ST_hi - ST_lo) / 2.0, hw = 0.0;
    if (*s1)
        hw = h1;
    if (*st || above)
        hw = isnan(hw) || isnan(ht) ? NAN : fmax(hw, ht);
    return hw;
}

/* The smallest power of 2 at or above x (Sobol sequences are balanced at
 * powers of 2), at most 2^40. */
static double pow2_at_least(double x)
{
    double n = 1.0;
    while (n < x && n < 1099511627776.0)
        n *= 2.0;
    return n;
}

static void print_sobol(const sweep *s, const sobol_out *o)
{
    printf("Sobol indices: N = %zu base samples, %zu points x %u replication%s, 95%% bootstrap "
           "intervals (%u resamples)\n\n", s->n_base, s->npoints, s->reps,
           s->reps == 1 ? "" : "s", s->nboot);
    /* the names' columns as wide as their longest name (at least 36) */
    int wo = 36, wp = 36;
    for (size_t r = 0; r < o->nrows; r++) {
        if (isnan(o->v[0][r - r % s->k]))
            continue;   /* not printed */
        if ((int)strlen(o->output[r]) > wo)
            wo = (int)strlen(o->output[r]);
        if ((int)strlen(o->param[r]) > wp)
            wp = (int)strlen(o->param[r]);
    }
    printf("%-*s %-*s %8s  %19s %8s  %19s\n", wo, "output", wp, "parameter", "S1", "95%", "ST",
           "95%");
    size_t skipped = 0, marked = 0;
    double widest = 0.0;        /* half-width of the widest marked interval; NaN: unknown */
    for (size_t r = 0; r < o->nrows; r += s->k) {
        if (isnan(o->v[0][r])) {
            skipped++;
            continue;
        }
        for (size_t j = 0; j < s->k; j++) {
            char v[6][32];      /* the rule of output/fmt.h; printed as computed, never clipped */
            for (int q = 0; q < 6; q++)
                out_fmt_num(o->v[q][r + j], v[q], sizeof v[q]);
            int m1, mt;
            double hw = sobol_marks(o, r + j, &m1, &mt);
            if (m1 || mt) {
                marked++;
                widest = isnan(widest) || isnan(hw) ? NAN : fmax(widest, hw);
            }
            printf("%-*s %-*s %8s%c [%8s, %8s] %8s%c [%8s, %8s]\n", wo,
                   j ? "" : o->output[r + j], wp, o->param[r + j], v[0], m1 ? '*' : ' ', v[1],
                   v[2], v[3], mt ? '*' : ' ', v[4], v[5]);
        }
    }
    if (marked) {
        /* Half-widths shrink as 1/sqrt(N): N' = N (hw / target)^2. */
        char h[32], t[32];
        out_fmt_num(widest, h, sizeof h);
        out_fmt_num(SOBOL_TARGET_HW, t, sizeof t);
        printf("\n* outside what an index can be (S1 below 0, ST above 1, or S1 above ST's whole\n"
               "  interval), in %zu of %zu rows: sampling error of the estimators at N = %zu base\n"
               "  samples (true indices have 0 <= S1 <= ST <= 1), printed and stored as computed.\n",
               marked, o->nrows - skipped * s->k, s->n_base);
        if (isnan(widest))
            printf("  Some of their intervals are unknown; intervals narrow as 1/sqrt(N): a larger\n"
                   "  --samples tightens them.\n");
        else if (widest <= SOBOL_TARGET_HW)
            printf("  Their 95%% intervals are within +-%s already: read such an index as the\n"
                   "  bound it crosses (0 or 1, or S1 = ST).\n", t);
        else
            printf("  The widest 95%% interval among them is +-%s; intervals narrow as 1/sqrt(N),\n"
                   "  so --samples %.0f would bring it to about +-%s.\n", h,
                   pow2_at_least((double)s->n_base * (widest / SOBOL_TARGET_HW)
                                 * (widest / SOBOL_TARGET_HW)), t);
    }
    if (skipped)
        printf("\n(%zu outputs constant or missing at some point: no indices)\n", skipped);
}

/* What the sweep will cost, from the estimate of one replication at each
 * point (models/limits.h): events, seconds at a nominal rate, and the
 * series it writes; with what the file holds besides (scalars, datasets,
 * the scenario's text), the file's size. */
typedef struct cost {
    double events;             /* all runs */
    double samples;            /* sample times of one run */
    double columns;            /* series columns of one run (largest point) */
    double series_bytes;       /* all runs, uncompressed */
    double scalars;            /* scalars of one run */
    double series;             /* series datasets of one run */
    double text;               /* bytes of the scenario's text (a root attribute) */
} cost;

/* A nominal rate for the estimate of seconds: events per second per
 * thread (BENCHMARKS.md measures 1 to 3 million on one core). */
#define SWEEP_EVENTS_PER_SEC 1e6

static int sweep_cost(const sweep *s, const scn_doc *doc, cost *c)
{
    memset(c, 0, sizeof *c);
    for (size_t p = 0; p < s->npoints; p++) {
        lim_estimate e;
        sim_err err;
        sim_err_clear(&err);
        if (lim_estimate_config(s->cfgs[p], &e, &err) != SIM_OK) {
            cmd_error("sweep: %s", err.msg);
            return -1;
        }
        c->events += e.events * s->reps;
        c->series_bytes += e.series_bytes * s->reps;
        if (e.samples > c->samples)
            c->samples = e.samples;
        if (e.columns > c->columns)
            c->columns = e.columns;
    }
    /* the scalars and series a run records: the same list at every point */
    sim_err err;
    sim_err_clear(&err);
    economy *e = s->npoints ? economy_new(s->cfgs[0], s->cfgs[0]->seed, 0, &err) : NULL;
    if (e) {
        c->scalars = (double)economy_scalar_count(e);
        c->series = (double)economy_series_count(e);
        economy_free(e);
    }
    char *text = scn_dump(doc);
    c->text = text ? (double)strlen(text) : 0.0;
    free(text);
    return 0;
}

/* The file's size in bytes, modelled on measured files (HDF5 1.10;
 * tests/data/small.yaml, china-2025, china-2025-2030 and national.yaml,
 * 1 to 500 runs, with and without series; within 10% of each):
 *   - without series: the scenario's text, about 600 bytes a scalar (its
 *     names and descriptions, /summary) and 40 a sample (the time axis),
 *     once; per run a row of 8 bytes a scalar and 8 a varied key, and about
 *     460 for its group and attributes; 180 bytes a row of /sobol/indices;
 *   - with series besides: about 2.6 kB of metadata per dataset (chunk
 *     index, header, attributes: a run's series and 14 coordinate datasets,
 *     and the 3 statistics of each series, once, for several runs), and
 *     the data compressed to about 31% (a run's) and 37% (the statistics,
 *     3 times a run's). */
static double file_bytes(const sweep *s, const cost *c, int totals_only)
{
    double runs = (double)(s->npoints * s->reps), k = (double)s->k;
    double sobol_rows = s->design == SWEEP_SOBOL ? c->scalars * k : 0.0;
    double bytes = 4e3 + c->text + 600.0 * c->scalars + 40.0 * c->samples
                   + runs * (460.0 + 8.0 * c->scalars + 8.0 * k) + 180.0 * sobol_rows;
    if (totals_only)
        return bytes;
    double one = runs > 0 ? c->series_bytes / runs : 0.0;
    double stats = runs > 1 ? 1.0 : 0.0;        /* one run has no statistics */
    return bytes + 2600.0 * (runs * (c->series + 14.0) + stats * 3.0 * c->series)
           + 0.31 * c->series_bytes + stats * 1.1 * one;
}

/* The file's size is a model: the data's compression varies with the
 * scenario (a run without vouchers has series of zeros), so the estimate
 * is printed with this range around it, which held on every file measured. */
#define SWEEP_FILE_LO 0.8
#define SWEEP_FILE_HI 1.2

/* "1.05 GiB (0.84 to 1.26 GiB)" */
static const char *file_text(double bytes, char *buf, size_t size)
{
    char m[32], lo[32], hi[32];
    lim_format_bytes(bytes, m, sizeof m);
    lim_format_bytes(SWEEP_FILE_LO * bytes, lo, sizeof lo);
    lim_format_bytes(SWEEP_FILE_HI * bytes, hi, sizeof hi);
    snprintf(buf, size, "%s (%s to %s)", m, lo, hi);
    return buf;
}

/* "1.2 million", "350 thousand", "12" */
static const char *human(double x, char *buf, size_t size)
{
    if (x >= 1e9)
        snprintf(buf, size, "%.3g billion", x / 1e9);
    else if (x >= 1e6)
        snprintf(buf, size, "%.3g million", x / 1e6);
    else if (x >= 1e4)
        snprintf(buf, size, "%.3g thousand", x / 1e3);
    else
        snprintf(buf, size, "%.0f", x);
    return buf;
}

static void print_cost(FILE *f, const sweep *s, const cost *c, unsigned threads,
                       int totals_only)
{
    char b1[64], b2[64], b3[128], b4[128];
    size_t nruns = s->npoints * s->reps;
    double secs = c->events / (SWEEP_EVENTS_PER_SEC * threads);
    fprintf(f, "sweep: %zu point%s x %u replication%s = %zu run%s; estimated %s events, "
            "about %s s on %u thread%s (at a nominal 1 million events/s each; the rate "
            "varies with the scenario and the machine)\n", s->npoints,
            s->npoints == 1 ? "" : "s", s->reps, s->reps == 1 ? "" : "s", nruns,
            nruns == 1 ? "" : "s", human(c->events, b1, sizeof b1), human(secs, b2, sizeof b2),
            threads, threads == 1 ? "" : "s");
    if (totals_only)
        fprintf(f, "sweep: --totals-only: scalars and sweep tables, no series: a file of "
                "about %s\n", file_text(file_bytes(s, c, 1), b3, sizeof b3));
    else
        fprintf(f, "sweep: series of %s samples x %.0f columns per run, %s before "
                "compression; a file of about %s (--totals-only: about %s)\n",
                human(c->samples, b1, sizeof b1), c->columns,
                lim_format_bytes(c->series_bytes, b2, sizeof b2),
                file_text(file_bytes(s, c, 0), b3, sizeof b3),
                file_text(file_bytes(s, c, 1), b4, sizeof b4));
}

/* Every point's settings, one line each. */
static void print_design(const sweep *s)
{
    printf("%s design, %zu point%s:\n", sweep_design_names[s->design], s->npoints,
           s->npoints == 1 ? "" : "s");
    for (size_t p = 0; p < s->npoints; p++)
        printf("point %zu: %s\n", p, s->sets[p]);
}

int cmd_sweep(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_OUT | OPT_SEED | OPT_SET | OPT_UNTIL | OPT_REPS |
                         OPT_JOBS | OPT_QUIET | OPT_VARY | OPT_DESIGN | OPT_SAMPLES | OPT_RESUME | OPT_FORCE |
                         OPT_BOOTSTRAP | OPT_STRICT | OPT_DRY_RUN | OPT_TOTALS_ONLY, 1, 1,
                         "SCENARIO", usage);
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    sweep s;
    memset(&s, 0, sizeof s);
    scn_doc *doc = NULL;
    config *cfg = NULL;
    run_spec *specs = NULL;
    char *out = NULL;
    runner_result res;
    memset(&res, 0, sizeof res);
    sobol_out so;
    memset(&so, 0, sizeof so);
    sim_err err;
    sim_err_clear(&err);
    int status = exp_load(a.pos[0], &a, &doc, &cfg);
    if (status != EXIT_OK)
        goto done;
    status = EXIT_INPUT;
    s.reps = a.reps ? a.reps : cfg->replications;
    s.nboot = a.bootstrap ? a.bootstrap : 500;
    s.seed = cfg->seed;
    prc = sweep_vars(&s, &a, cfg);
    if (prc == 0)
        prc = sweep_points(&s, &a, cfg);
    if (prc != 0) {
        status = prc == -2 ? EXIT_RUNTIME : EXIT_INPUT;
        goto done;
    }
    if (a.bootstrap && s.design != SWEEP_SOBOL) {
        cmd_error("sweep: --bootstrap applies only with --design sobol");
        goto done;
    }
    status = EXIT_RUNTIME;
    size_t nruns = s.npoints * s.reps;
    out = a.out ? strdup(a.out) : cmd_default_output(a.pos[0], "-sweep.h5");
    specs = calloc(nruns, sizeof *specs);
    if (!out || !specs) {
        cmd_error("out of memory");
        goto done;
    }
    const char *input = a.pos[0];
    if ((status = cmd_out_check(NULL, out, CMD_OUT_FILE)) != EXIT_OK
        || (status = exp_output_check(out, &input, 1)) != EXIT_OK)
        goto done;
    if ((status = sweep_load(&s, &a, cfg, doc, specs)) != EXIT_OK)
        goto done;
    status = EXIT_RUNTIME;
    /* A fragment without series is not the run with them: --resume must
     * not mix the two in one file. */
    for (size_t i = 0; a.totals_only && i < nruns; i++)
        specs[i].run_id = sim_rng_mix(specs[i].run_id, 0x746f74616c73 /* "totals" */);
    cost cs;
    if (sweep_cost(&s, doc, &cs) != 0)
        goto done;
    unsigned threads = a.jobs ? a.jobs : runner_cores();
    /* refuse an output that is there before estimating what it would cost
     * (the plan checks again, under the output's lock) */
    if (!a.dry_run) {
        /* rank 0 decides for all (under mpirun the ranks must agree) */
        int frc = par_rank() == 0 ? exp_output_free(out, a.resume, a.force, &err) : SIM_OK;
        if (par_agree(frc, &err) != SIM_OK) {
            if (par_rank() == 0)
                fprintf(stderr, "vouchsim: %s\n", err.msg);
            status = err.code == SIM_EINVAL ? EXIT_INPUT : EXIT_RUNTIME;
            goto done;
        }
    }
    if (a.dry_run) {
        if (par_rank() == 0) {      /* under mpirun, once */
            print_design(&s);
            print_cost(stdout, &s, &cs, threads, a.totals_only);
            printf("sweep: --dry-run: nothing run, nothing written (would write %s)\n", out);
            if (exp_output_free(out, a.resume, a.force, &err) != SIM_OK)
                printf("sweep: without --dry-run it would refuse: %s\n", err.msg);
        }
        status = EXIT_OK;
        goto done;
    }
    if (!a.quiet && par_rank() == 0)
        print_cost(stderr, &s, &cs, threads, a.totals_only);
    extra_ctx xc = { &s, NULL };
    exp_plan x = { doc, cfg, specs, nruns, s.reps, out, a.resume, a.quiet, a.jobs, par_size(),
                   argc, argv, write_tables, &xc, a.force, a.totals_only, NULL };
    if (s.design == SWEEP_SOBOL) {
        /* The indices go into the file, so write_tables computes them from
         * the merged scalars (on rank 0, which alone prints). */
        xc.sobol = &so;
    }
    if (exp_run(&x, &res, &err) != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        cmd_fsize_advice(err.msg, "--totals-only (no series), fewer replications (-r) or "
                         "points, an earlier --until");
        if (err.code == SIM_EINVAL)
            status = EXIT_INPUT;
        goto done;
    }
    if (s.design == SWEEP_SOBOL)
        print_sobol(&s, &so);
    else
        print_points(&s, &res);
    if (!a.quiet) {
        char from[4200];
        snprintf(from, sizeof from, "%s.parts", out);
        exp_report("sweep", &res, nruns, exp_resumed(&res, nruns), from, out);
    }
    status = EXIT_OK;
done:
    sobol_out_free(&so);
    runner_result_fini(&res);
    sweep_free(&s);
    free(specs);
    free(out);
    config_free(cfg);
    scn_free(doc);
    args_fini(&a);
    return status;
}
