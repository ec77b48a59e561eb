/* tools/cmd_summary.c - `vouchsim summary FILE.h5`: the run's scalars.
 *
 * With several runs: mean, 95% Student-t interval and the number of runs
 * with a value (from /summary); with one run: the value. Scalars named
 * "exhaustion_h.*" (hours until a budget ran out) are shown as calendar
 * dates when the file has a start_date attribute; runs in which the event
 * never happened count as "never". Then, per program, the budget run-out
 * dates over the runs in which they happen, and an MSER-5 steady-state
 * check of the region series, and with --by the tables per program, city
 * and region (tools/report.c). Formats: an aligned table for the terminal,
 * CSV (the scalar table, then a blank line and the run-out table, then a
 * blank line and the steady-state table, then the --by tables), or JSON
 * (NaN as null). A comparison file (/arms/<arm>) prints as compare
 * printed it; --arm NAME reads one arm as a file of its own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/config.h"
#include "output/fmt.h"
#include "output/reader.h"
#include "sim/stats.h"
#include "tools/args.h"
#include "tools/cmd.h"
#include "tools/report.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim summary FILE.h5 [--by program|city|region]... [--arm NAME]\n"
          "                        [--format table|csv|json]\n"
          "  Prints each scalar of the file: with several runs the mean, its 95%\n"
          "  confidence interval (Student t) and the runs with a value; with one run\n"
          "  the value; of a sweep of several points, pooled, the mean and the sd over\n"
          "  the runs and no intervals, in every table and format (CSV and JSON leave\n"
          "  them empty / null; sweep's own table gives each point's). exhaustion_h.*\n"
          "  scalars are shown as dates (root attribute\n"
          "  start_date). CSV and JSON carry the raw numbers (NaN: empty / null).\n"
          "  Then per program the budget run-out: the first and the final date, as\n"
          "  the mean over the runs in which it happens (\"in k of R runs\") with its\n"
          "  95% interval clipped to the window, else \"not exhausted\" and the money\n"
          "  left (budget_left.*; when a year-end return gave it back at the horizon,\n"
          "  what was left at the end of the last budget year, and budget_left after\n"
          "  the return). Last, a steady-state check: MSER-5 on the region\n"
          "  series (mean over runs) says whether a transient is left in the window.\n"
          "  CSV: three tables (scalars, run-out, steady state) split by blank lines.\n"
          "  --by program|city|region (several allowed, or program,city) adds a\n"
          "  table per section: per program the money (opening, tranches,\n"
          "  committed, spent, lapsed, returned, left at the horizon), firms granted,\n"
          "  additional, deadweight, subsidy per additional GPU-hour and run-out;\n"
          "  per city firms and money; per region utilization and waits with the\n"
          "  jobs behind them (in CSV after one more blank line; in JSON as \"by\").\n"
          "  On a comparison file (compare -o, run --counterfactual -o) prints\n"
          "  the comparison as compare does; --arm NAME summarises one arm.\n"
          "exit status: 0 ok, 1 run-time failure, 2 bad usage or a missing,\n"
          "  unreadable, foreign, malformed or corrupt input file\n", f);
}

enum { FMT_TABLE, FMT_CSV, FMT_JSON };

static int is_exhaustion(const char *name)
{
    return !strncmp(name, "exhaustion_", 11);   /* exhaustion_h., exhaustion_final_h. */
}

/* Human-readable numbers: no scientific notation for money. */
/* Display width of UTF-8 text (code points; CJK counted as 2). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE3 && *p <= 0xED ? 2 : 1;
    return w;
}

static void pad(const char *s, size_t w, int right)
{
    size_t sw = width(s);
    if (right)
        for (size_t i = sw; i < w; i++)
            putchar(' ');
    fputs(s, stdout);
    if (!right)
        for (size_t i = sw; i < w; i++)
            putchar(' ');
}

typedef struct cell {
    char c[5][128];     /* scalar, unit, mean/value, CI, n */
} cell;

/* ---- budget run-out dates ----
 *
 * exhaustion_h.<p> (first time the uncommitted budget fell below 1 yuan)
 * and exhaustion_final_h.<p> (when it ran out for good) are NaN in runs
 * where the event did not happen, so their plain mean over runs says
 * little and its t-interval can run past the horizon. Here each is shown
 * over the runs in which it happens ("in k of R runs"), as a mean date
 * with its 95% interval clipped to the window [start, last sample], and
 * the other runs as "not exhausted", with the mean of budget_left.<p>
 * (yuan left uncommitted at the horizon) over them when the file has it. */

typedef struct runout_when {
    unsigned k;            /* runs in which it happened */
    double   mean_h, lo_h, hi_h;   /* hours; lo/hi clipped to the window; NaN if k == 0 */
} runout_when;

typedef struct runout {
    char        program[128];
    unsigned    runs;
    runout_when first, final;
    int         has_final;     /* exhaustion_final_h.<p> in the file */
    int         has_left;      /* budget_left.<p> in the file */
    double      left_mean;     /* over the runs not exhausted at the end; NaN if none */
    /* A program with `year_end: return` whose window ends on 1 January gave
     * its money back at the horizon, so budget_left is what came after the
     * return (0, or money arriving at that instant). What was left at the
     * end of the last budget year is what was returned then: the step of
     * its `returned` series at the last sample. */
    int         returned_at_end;
    double      before_mean;   /* that step, over the same runs; NaN: no series */
    char        end_date[16];  /* the horizon, "YYYY-MM-DD" */
} runout;

static long scalar_index(const out_reader *r, const char *prefix, const char *program)
{
    size_t lp = strlen(prefix);
    for (size_t j = 0; j < out_reader_scalar_cols(r); j++) {
        const char *n = out_reader_scalar_name(r, j);
        if (!strncmp(n, prefix, lp) && !strcmp(n + lp, program))
            return (long)j;
    }
    return -1;
}

static void runout_stat(const out_reader *r, long col, double end_h, runout_when *w)
{
    sim_welford acc;
    sim_welford_init(&acc);
    size_t rows = out_reader_scalar_rows(r), cols = out_reader_scalar_cols(r);
    const double *v = out_reader_scalar_values(r);
    for (size_t i = 0; col >= 0 && i < rows; i++)
        if (isfinite(v[i * cols + (size_t)col]))
            sim_welford_add(&acc, v[i * cols + (size_t)col]);
    w->k = (unsigned)acc.n;
    w->mean_h = acc.n ? acc.mean : NAN;
    double h = sim_welford_ci(&acc, 0.95);
    if (acc.n == 1 || (acc.n > 1 && !isfinite(h)))
        h = 0.0;
    w->lo_h = acc.n ? fmax(0.0, acc.mean - h) : NAN;
    w->hi_h = acc.n ? acc.mean + h : NAN;
    if (isfinite(end_h) && acc.n)
        w->hi_h = fmin(w->hi_h, end_h);
}

/* Whether the window ends at 00:00 on 1 January (a year end under
 * `year_end: return` then returns the money at the horizon, before the
 * last sample) with the sample before it later than the previous
 * 1 January (so the last step of `returned` is that return alone). Fills
 * date with the horizon's date. */
static int ends_on_new_year(const out_reader *r, char date[16])
{
    const out_attr *sa = out_reader_attr_find(r, "start_date");
    size_t nt = out_reader_time_count(r);
    if (!sa || sa->kind != OUT_ATTR_STRING || nt < 2)
        return 0;
    const double *h = out_reader_time_hours(r);
    double end_h = h[nt - 1];
    if (cmd_date_after(sa->s, end_h, date) != 0 || strcmp(date + 4, "-01-01")
        || fmod(end_h, 24.0) != 0.0)
        return 0;
    return h[nt - 2] > end_h - 365.0 * 24.0;
}

/* The money program e (of the program entities) got back at the horizon in
 * run: the last step of its `returned` series. NaN when the file has no
 * such series (a --totals-only sweep) or it cannot be read. */
static double returned_at_horizon(const out_reader *r, size_t run, size_t e)
{
    const out_series_info *si = out_reader_series_find(r, "program", "returned");
    if (!si || si->rows < 2 || e >= si->cols)
        return NAN;
    double *buf = malloc(2 * si->cols * sizeof *buf);
    double d = NAN;
    if (buf && out_reader_series_read_rows(r, run, "program", "returned", si->rows - 2, 2, buf,
                                           NULL) == SIM_OK)
        d = buf[si->cols + e] - buf[e];
    free(buf);
    return d;
}

/* One entry per program with an exhaustion_h.<p> scalar (malloc'd). */
static runout *runout_collect(const out_reader *r, size_t *n)
{
    *n = 0;
    size_t cols = out_reader_scalar_cols(r), rows = out_reader_scalar_rows(r);
    size_t nt = out_reader_time_count(r);
    double end_h = nt ? out_reader_time_hours(r)[nt - 1] : NAN;
    const double *v = out_reader_scalar_values(r);
    runout *ro = calloc(cols + 1, sizeof *ro);
    if (!ro)
        return NULL;
    char end_date[16] = "";
    config *cfg = ends_on_new_year(r, end_date) ? rep_file_config(r) : NULL;
    size_t nent = 0;
    const char *const *ent = out_reader_entities(r, "program", &nent);
    for (size_t j = 0; j < cols; j++) {
        const char *name = out_reader_scalar_name(r, j);
        if (strncmp(name, "exhaustion_h.", 13) || strlen(name + 13) >= sizeof ro->program)
            continue;
        runout *x = &ro[(*n)++];
        snprintf(x->program, sizeof x->program, "%s", name + 13);
        x->runs = (unsigned)rows;
        runout_stat(r, (long)j, end_h, &x->first);
        long jf = scalar_index(r, "exhaustion_final_h.", x->program);
        runout_stat(r, jf, end_h, &x->final);
        x->has_final = jf >= 0;
        long jl = scalar_index(r, "budget_left.", x->program);
        x->has_left = jl >= 0;
        long pi = cfg ? config_program_index(cfg, x->program) : -1;
        x->returned_at_end = pi >= 0 && cfg->programs[pi].year_end_return;
        snprintf(x->end_date, sizeof x->end_date, "%s", end_date);
        size_t e = 0;
        while (e < nent && strcmp(ent[e], x->program))
            e++;
        sim_welford left, before;
        sim_welford_init(&left);
        sim_welford_init(&before);
        int unknown = 0;
        for (size_t i = 0; jl >= 0 && i < rows; i++) {
            int exhausted = jf >= 0 && isfinite(v[i * cols + (size_t)jf]);
            double b = v[i * cols + (size_t)jl];
            if (exhausted || !isfinite(b))
                continue;
            sim_welford_add(&left, b);
            if (x->returned_at_end) {
                double d = returned_at_horizon(r, out_reader_scalar_run(r, i), e);
                if (isfinite(d))
                    sim_welford_add(&before, d);
                else
                    unknown = 1;
            }
        }
        x->left_mean = left.n ? left.mean : NAN;
        x->before_mean = before.n && !unknown ? before.mean : NAN;
    }
    config_free(cfg);
    return ro;
}

/* ", 1,000 CNY left" after "not exhausted ...": budget_left, or with a
 * return at the horizon what was left before it (x->left_mean known). */
static void left_text(const runout *x, char *buf, size_t n)
{
    char m[48], b[48];
    cmd_fmt_num(x->left_mean, m, sizeof m);
    if (!x->returned_at_end) {
        snprintf(buf, n, ", %s CNY left", m);
        return;
    }
    if (isnan(x->before_mean)) {
        snprintf(buf, n, ", %s CNY left at the horizon, after the year-end return on %s (the "
                 "file has no series to tell how much was returned)", m, x->end_date);
        return;
    }
    cmd_fmt_num(x->before_mean, b, sizeof b);
    snprintf(buf, n, ", %s CNY left at the end of %d and returned on %s (%s CNY at the "
             "horizon)", b, atoi(x->end_date) - 1, x->end_date, m);
}

/* "2025-11-14 (95% CI 2025-11-02 .. 2025-11-26) in 4 of 4 runs" */
/* The mean date of w; with ci, its 95% interval (not for a sweep's pooled
 * runs, whose points differ: their dates are no sample of one date). */
static void runout_when_text(const char *start, const runout_when *w, unsigned runs, int ci,
                             char *buf, size_t n)
{
    char d[16], lo[16], hi[16];
    if (cmd_date_after(start, w->mean_h, d) != 0) {
        snprintf(buf, n, "in %u of %u runs", w->k, runs);
        return;
    }
    if (ci && w->k > 1 && cmd_date_after(start, w->lo_h, lo) == 0
        && cmd_date_after(start, w->hi_h, hi) == 0)
        snprintf(buf, n, "%s (95%% CI %s .. %s) in %u of %u runs", d, lo, hi, w->k, runs);
    else
        snprintf(buf, n, "%s in %u of %u runs", d, w->k, runs);
}

static void runout_print_table(const char *start, const runout *ro, size_t n, int pooled)
{
    if (n == 0)
        return;
    puts(pooled ? "\nbudget run-out (mean dates over the runs in which it happens, all points "
                  "pooled: no intervals)"
                : "\nbudget run-out (dates over the runs in which it happens; intervals end at the window's end):");
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (width(ro[i].program) > w)
            w = width(ro[i].program);
    for (size_t i = 0; i < n; i++) {
        const runout *x = &ro[i];
        char a[160], b[160], left[320] = "";
        fputs("  ", stdout);
        pad(x->program, w, 0);
        fputs("  ", stdout);
        /* Without exhaustion_final_h (older files) only the first time is known. */
        unsigned not_out = x->runs - (x->has_final ? x->final.k : x->first.k);
        if (x->has_left && isfinite(x->left_mean))
            left_text(x, left, sizeof left);
        if (x->first.k == 0) {
            printf("not exhausted in %u of %u runs%s\n", x->runs, x->runs, left);
            continue;
        }
        runout_when_text(start, &x->first, x->runs, !pooled, a, sizeof a);
        printf("first runs out %s", a);
        if (x->final.k) {
            runout_when_text(start, &x->final, x->runs, !pooled, b, sizeof b);
            printf("; for good %s", b);
        }
        if (not_out)
            printf("; not exhausted%s in %u of %u runs%s", x->has_final ? " at the end" : "",
                   not_out, x->runs, left);
        putchar('\n');
    }
}

static void runout_print_csv(const char *start, const runout *ro, size_t n)
{
    if (n == 0)
        return;
    puts("\nprogram,runs,runs_exhausted,first_date,first_lo_date,first_hi_date,first_h,"
         "runs_exhausted_final,final_date,final_lo_date,final_hi_date,final_h,"
         "runs_not_exhausted,budget_left_mean,left_before_return_mean");
    for (size_t i = 0; i < n; i++) {
        const runout *x = &ro[i];
        cmd_csv_str(stdout, x->program);
        printf(",%u", x->runs);
        const runout_when *ws[2] = { &x->first, &x->final };
        for (int k = 0; k < 2; k++) {
            printf(",%u", ws[k]->k);
            double h[3] = { ws[k]->mean_h, ws[k]->lo_h, ws[k]->hi_h };
            for (int m = 0; m < 3; m++) {
                char d[16];
                putchar(',');
                if (cmd_date_after(start, h[m], d) == 0)
                    fputs(d, stdout);
            }
            putchar(',');
            cmd_csv_num(stdout, ws[k]->mean_h);
        }
        printf(",%u,", x->runs - (x->has_final ? x->final.k : x->first.k));
        cmd_csv_num(stdout, x->left_mean);
        putchar(',');
        cmd_csv_num(stdout, x->returned_at_end ? x->before_mean : NAN);
        putchar('\n');
    }
}

static void json_date(const char *start, double h)
{
    char d[16];
    if (cmd_date_after(start, h, d) == 0)
        cmd_json_str(stdout, d);
    else
        fputs("null", stdout);
}

static void runout_print_json(const char *start, const runout *ro, size_t n)
{
    fputs(",\n  \"runout\": [", stdout);
    for (size_t i = 0; i < n; i++) {
        const runout *x = &ro[i];
        fputs(i ? ",\n    {\"program\": " : "\n    {\"program\": ", stdout);
        cmd_json_str(stdout, x->program);
        printf(", \"runs\": %u", x->runs);
        const char *pre[2] = { "", "_final" };
        const char *dn[2] = { "first", "final" };
        const runout_when *ws[2] = { &x->first, &x->final };
        for (int k = 0; k < 2; k++) {
            printf(", \"runs_exhausted%s\": %u, \"%s_date\": ", pre[k], ws[k]->k, dn[k]);
            json_date(start, ws[k]->mean_h);
            printf(", \"%s_lo_date\": ", dn[k]);
            json_date(start, ws[k]->lo_h);
            printf(", \"%s_hi_date\": ", dn[k]);
            json_date(start, ws[k]->hi_h);
            printf(", \"%s_h\": ", dn[k]);
            cmd_json_num(stdout, ws[k]->mean_h);
        }
        printf(", \"runs_not_exhausted\": %u, \"budget_left_mean\": ",
               x->runs - (x->has_final ? x->final.k : x->first.k));
        cmd_json_num(stdout, x->left_mean);
        printf(", \"left_before_return_mean\": ");
        cmd_json_num(stdout, x->returned_at_end ? x->before_mean : NAN);
        putchar('}');
    }
    fputs(n ? "\n  ]" : "]", stdout);
}

/* ---- steady-state check ----
 *
 * For the region series utilization, waiting_jobs and mean_wait, the mean
 * over runs (/series_stats, else the runs themselves) per region goes to
 * MSER-5 (sim_mser5). The sample at hour 0 is left out (it describes the
 * initial state, not an interval), and so are NaN samples (mean_wait in
 * an interval in which no job started), and constant series. A truncation
 * point within 10% of the samples counts as no transient (on a stationary
 * series MSER-5 wanders that far by chance); one at the last candidate (half the
 * window) means the series never settles: a trend, or a transient longer
 * than half the window. */

static const char *const steady_series[] = { "utilization", "waiting_jobs", "mean_wait" };
enum { STEADY_NSERIES = sizeof steady_series / sizeof steady_series[0] };
#define STEADY_NEGLIGIBLE 0.10

typedef enum { STEADY_OK, STEADY_TRANSIENT, STEADY_UNSETTLED, STEADY_TOO_SHORT, STEADY_CONSTANT,
               STEADY_NO_DATA } steady_verdict;

static const char *const steady_verdict_name[] = { "stationary", "transient", "no_settled_level",
                                                   "too_short", "constant", "no_data" };

typedef struct steady {
    char           series[64];   /* "utilization" (group region) */
    char           entity[128];
    size_t         samples;      /* finite samples used */
    size_t         trunc;        /* MSER-5 truncation point, in those samples */
    double         day;          /* days dropped: from the first used sample to the first kept */
    double         window_days;  /* days of the time axis */
    double         share;        /* trunc / samples */
    char           date[16];     /* date of the first sample kept */
    double         value;        /* a constant series: its value */
    steady_verdict verdict;
} steady;

/* The mean over runs of group/name (malloc'd rows x cols), or NULL. */
static double *steady_mean_series(const out_reader *r, const char *group, const char *name,
                                  size_t *rows, size_t *cols)
{
    sim_err err;
    double *m = NULL;
    if (out_reader_has_stats(r, group, name)) {
        if (out_reader_stats_read(r, group, name, OUT_STAT_MEAN, &m, rows, cols, &err) == 0)
            return m;
        return NULL;
    }
    size_t nr = out_reader_scalar_rows(r) ? out_reader_scalar_rows(r) : 1;
    double *sum = NULL;
    size_t *cnt = NULL;
    for (size_t i = 0; i < nr; i++) {
        size_t run = out_reader_scalar_rows(r) ? out_reader_scalar_run(r, i) : 0, rr, cc;
        double *d = NULL;
        if (out_reader_series_read(r, run, group, name, &d, &rr, &cc, &err) != 0)
            continue;
        if (!sum) {
            *rows = rr;
            *cols = cc;
            sum = calloc(rr * cc + 1, sizeof *sum);
            cnt = calloc(rr * cc + 1, sizeof *cnt);
            if (!sum || !cnt) {
                free(d);
                break;
            }
        }
        if (rr == *rows && cc == *cols)
            for (size_t k = 0; k < rr * cc; k++)
                if (isfinite(d[k])) {
                    sum[k] += d[k];
                    cnt[k]++;
                }
        free(d);
    }
    if (sum && cnt)
        for (size_t k = 0; k < *rows * *cols; k++)
            sum[k] = cnt[k] ? sum[k] / (double)cnt[k] : NAN;
    else {
        free(sum);
        sum = NULL;
    }
    free(cnt);
    return sum;
}

/* One entry per region series and entity (malloc'd), *n of them. */
static steady *steady_collect(const out_reader *r, size_t *n)
{
    *n = 0;
    size_t nt = out_reader_time_count(r), ne = 0;
    const double *hours = out_reader_time_hours(r);
    const char *const *ents = out_reader_entities(r, "region", &ne);
    steady *st = calloc(STEADY_NSERIES * ne + 1, sizeof *st);
    double *x = calloc(nt + 1, sizeof *x);
    size_t *at = calloc(nt + 1, sizeof *at);
    if (!st || !x || !at) {
        free(st);
        st = NULL;
        goto out;
    }
    for (int s = 0; s < STEADY_NSERIES; s++) {
        size_t rows = 0, cols = 0;
        double *m = steady_mean_series(r, "region", steady_series[s], &rows, &cols);
        if (!m || rows != nt || cols != ne) {
            free(m);
            continue;
        }
        for (size_t e = 0; e < ne; e++) {
            size_t k = 0;
            for (size_t t = 0; t < nt; t++)
                if (hours[t] > 0.0 && isfinite(m[t * ne + e])) {
                    x[k] = m[t * ne + e];
                    at[k++] = t;
                }
            size_t same = 1;
            while (same < k && x[same] == x[0])
                same++;
            steady *y = &st[(*n)++];
            snprintf(y->series, sizeof y->series, "%s", steady_series[s]);
            snprintf(y->entity, sizeof y->entity, "%s", ents[e]);
            y->samples = k;
            y->window_days = (hours[nt - 1] - hours[0]) / 24.0;
            if (k == 0 || same == k) {
                /* no data (a region without capacity, or where no job
                 * started), or constant: nothing to check, said so */
                y->verdict = k ? STEADY_CONSTANT : STEADY_NO_DATA;
                y->value = k ? x[0] : NAN;
                y->day = y->share = NAN;
                continue;
            }
            uint64_t d = 0;
            if (sim_mser5(x, k, &d, NULL) != SIM_OK) {
                y->verdict = STEADY_TOO_SHORT;
                y->day = y->share = NAN;
                continue;
            }
            y->trunc = (size_t)d;
            y->day = (hours[at[d]] - hours[at[0]]) / 24.0;
            y->share = (double)d / (double)k;
            snprintf(y->date, sizeof y->date, "%.10s", out_reader_time_date(r, at[d]));
            y->verdict = y->share <= STEADY_NEGLIGIBLE ? STEADY_OK
                         : d >= 5 * ((k / 5) / 2) ? STEADY_UNSETTLED : STEADY_TRANSIENT;
        }
        free(m);
    }
out:
    free(x);
    free(at);
    return st;
}

static void steady_print_table(const steady *st, size_t n)
{
    if (n == 0)
        return;
    puts("\nsteady state (MSER-5 on the mean over runs; the window is the recorded time axis):");
    for (size_t i = 0; i < n; i++) {
        const steady *y = &st[i];
        printf("  %s.%s: ", y->series, y->entity);
        switch (y->verdict) {
        case STEADY_TOO_SHORT:
            printf("%zu samples, too few for MSER-5 (10 or more)\n", y->samples);
            break;
        case STEADY_CONSTANT: {
            char v[48];
            int share = !strcmp(y->series, "utilization");
            out_fmt_num(share ? 100.0 * y->value : y->value, v, sizeof v);
            printf("constant (%s%s throughout): nothing to check\n", v, share ? "%" : "");
            break;
        }
        case STEADY_NO_DATA:
            printf("no value in any sample (%s): nothing to check\n",
                   !strcmp(y->series, "mean_wait") ? "no job started in the region"
                                                   : "no data");
            break;
        case STEADY_OK:
            printf("MSER-5 truncation after %.0f of %.0f days: no transient detected\n", y->day,
                   y->window_days);
            break;
        case STEADY_TRANSIENT:
            printf("MSER-5 truncation after %.0f days (keeps from %s, dropping %.0f%% of the window): "
                   "the warm-up looks too short; increase `warmup`\n", y->day, y->date,
                   100.0 * y->share);
            break;
        case STEADY_UNSETTLED:
            printf("MSER-5 truncation after %.0f days (keeps from %s, dropping %.0f%% of the window, the "
                   "most it looks at): no settled level; a trend, or a transient longer than "
                   "half the window\n", y->day, y->date, 100.0 * y->share);
            break;
        }
    }
    for (size_t i = 0; i < n; i++)
        if (st[i].verdict == STEADY_TRANSIENT || st[i].verdict == STEADY_UNSETTLED) {
            puts("  (to judge the warm-up, check the run without the policy: --set vouchers=false;"
                 "\n   a policy that starts at `start` moves the series by itself)");
            break;
        }
}

static void steady_print_csv(const steady *st, size_t n)
{
    if (n == 0)
        return;
    puts("\nsteady_series,entity,samples,truncation_samples,truncation_date,truncation_day,"
         "window_days,share,verdict");
    for (size_t i = 0; i < n; i++) {
        const steady *y = &st[i];
        printf("region/%s,", y->series);
        cmd_csv_str(stdout, y->entity);
        printf(",%zu,", y->samples);
        if (y->verdict < STEADY_TOO_SHORT)
            printf("%zu", y->trunc);
        printf(",%s,", y->date);
        cmd_csv_num(stdout, y->day);
        putchar(',');
        cmd_csv_num(stdout, y->window_days);
        putchar(',');
        cmd_csv_num(stdout, y->share);
        printf(",%s\n", steady_verdict_name[y->verdict]);
    }
}

static void steady_print_json(const steady *st, size_t n)
{
    fputs(",\n  \"steady_state\": [", stdout);
    for (size_t i = 0; i < n; i++) {
        const steady *y = &st[i];
        printf("%s    {\"series\": \"region/%s\", \"entity\": ", i ? ",\n" : "\n", y->series);
        cmd_json_str(stdout, y->entity);
        printf(", \"samples\": %zu, \"truncation_samples\": ", y->samples);
        if (y->verdict < STEADY_TOO_SHORT)
            printf("%zu", y->trunc);
        else
            fputs("null", stdout);
        fputs(", \"truncation_date\": ", stdout);
        if (*y->date)
            cmd_json_str(stdout, y->date);
        else
            fputs("null", stdout);
        fputs(", \"truncation_day\": ", stdout);
        cmd_json_num(stdout, y->day);
        fputs(", \"window_days\": ", stdout);
        cmd_json_num(stdout, y->window_days);
        fputs(", \"share\": ", stdout);
        cmd_json_num(stdout, y->share);
        printf(", \"verdict\": \"%s\"}", steady_verdict_name[y->verdict]);
    }
    fputs(n ? "\n  ]" : "]", stdout);
}

/* A comparison file: the arms (base first: the order of the root
 * attribute `arms`, else by name) as compare prints them. */
static int summary_compare(const char *path, char **arms, size_t narms, unsigned by, int fmt)
{
    if (narms != 2) {
        cmd_error("summary: %s: a comparison file with %zu arms; give --arm NAME", path, narms);
        return EXIT_INPUT;
    }
    out_reader *r[2] = { NULL, NULL };
    int status = EXIT_OK;
    for (int k = 0; k < 2; k++) {
        /* each arm checked as a run file is (in a child process first) */
        if (!(r[k] = cmd_reader_open_arm("summary", path, arms[k], 0, &status))) {
            out_reader_close(r[0]);
            return status;
        }
    }
    /* The base arm is the first of the root attribute arms="BASE POLICY"
     * (written by compare); by name otherwise. */
    char *order = out_file_attr_string(path, "/", "arms");
    if (order && !strncmp(order, arms[1], strlen(arms[1])) && order[strlen(arms[1])] == ' ') {
        out_reader *t = r[0];
        r[0] = r[1], r[1] = t;
        char *x = arms[0];
        arms[0] = arms[1], arms[1] = x;
    }
    free(order);
    rep_arm v[2];
    const char **names[2] = { NULL, NULL }, **units[2] = { NULL, NULL };
    char start[2][16];
    for (int k = 0; k < 2; k++) {
        size_t nc = out_reader_scalar_cols(r[k]);
        names[k] = calloc(nc + 1, sizeof *names[k]);
        units[k] = calloc(nc + 1, sizeof *units[k]);
        if (!names[k] || !units[k]) {
            status = EXIT_RUNTIME;
            continue;
        }
        for (size_t j = 0; j < nc; j++)
            names[k][j] = out_reader_scalar_name(r[k], j), units[k][j] = out_reader_scalar_unit(r[k], j);
        const out_attr *sa = out_reader_attr_find(r[k], "start_date");
        snprintf(start[k], sizeof start[k], "%.10s", sa && sa->kind == OUT_ATTR_STRING ? sa->s : "");
        const out_attr *sn = out_reader_attr_find(r[k], "scenario_name");
        size_t nt = out_reader_time_count(r[k]);
        v[k] = (rep_arm){ arms[k], sn && sn->kind == OUT_ATTR_STRING ? sn->s : "",
                          start[k][0] ? start[k] : NULL,
                          nt ? out_reader_time_hours(r[k])[nt - 1] : NAN,
                          out_reader_scalar_rows(r[k]), nc, names[k], units[k],
                          out_reader_scalar_values(r[k]), r[k] };
    }
    rep_row *rows = NULL;
    size_t n = 0;
    rep_notes notes;
    if (status == EXIT_OK && rep_compare_rows(&v[0], &v[1], by, &rows, &n, &notes) != 0)
        status = EXIT_RUNTIME;
    if (status == EXIT_OK) {
        if (fmt == FMT_TABLE)
            printf("%s: a comparison file (arms %s and %s; --arm NAME for one)\n", path,
                   arms[0], arms[1]);
        rep_compare_print(&v[0], &v[1], rows, n, &notes, fmt == FMT_CSV ? REP_FMT_CSV
                          : fmt == FMT_JSON ? REP_FMT_JSON : REP_FMT_TABLE, stdout);
    } else
        cmd_error("summary: out of memory");
    free(rows);
    for (int k = 0; k < 2; k++) {
        free(names[k]);
        free(units[k]);
        out_reader_close(r[k]);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("summary: cannot write the output");
        status = EXIT_RUNTIME;
    }
    return status;
}

int cmd_summary(int argc, char **argv)
{
    args opt;
    int prc = args_parse(&opt, argc, argv, OPT_FORMAT | OPT_BY | OPT_ARM, 1, 1, "FILE.h5", usage);
    if (prc != 0) {
        args_fini(&opt);
        return args_status(prc);
    }
    const char *path = opt.pos[0], *arm = opt.arm;
    int fmt = !opt.format || !strcmp(opt.format, "table") ? FMT_TABLE
              : !strcmp(opt.format, "csv") ? FMT_CSV : FMT_JSON;
    unsigned by = 0;
    int bad_by = rep_parse_by(opt.cmd, opt.by, opt.nby, &by);
    args_fini(&opt);
    if (bad_by)
        return EXIT_INPUT;
    int status = EXIT_OK;
    if (!arm) {
        char **arms = NULL;
        size_t narms = 0;
        out_file_children(path, "/arms", &arms, &narms);
        if (narms) {
            status = summary_compare(path, arms, narms, by, fmt);
            out_strv_free(arms, narms);
            return status;
        }
    }
    out_reader *r = cmd_reader_open_arm("summary", path, arm, 0, &status);
    if (!r)
        return status;
    rep_table *by_t[REP_SECTIONS] = { NULL };
    for (int k = 0; k < REP_SECTIONS; k++)
        if ((by & (1u << k)) && !(by_t[k] = rep_collect(r, (rep_section)k))) {
            for (int j = 0; j < k; j++)
                rep_table_free(by_t[j]);
            out_reader_close(r);
            return EXIT_RUNTIME;
        }
    size_t ns = out_reader_summary_count(r);
    size_t nruns = out_reader_scalar_rows(r);
    if (nruns == 0)
        nruns = out_reader_run_count(r);
    const out_attr *sa = out_reader_attr_find(r, "start_date");
    const char *start = sa && sa->kind == OUT_ATTR_STRING ? sa->s : NULL;
    const out_attr *sn = out_reader_attr_find(r, "scenario_name");
    const char *scen = sn ? sn->s : "";
    int several = nruns > 1;
    long long sweep_points = out_reader_sweep_points(r);
    int pooled = sweep_points > 1;
    int voff = arm && cmd_vouchers_off(r);
    size_t nro = 0, nst = 0;
    runout *ro = runout_collect(r, &nro);
    steady *st = steady_collect(r, &nst);
    if (!ro || !st) {
        cmd_error("summary: out of memory");
        free(ro);
        free(st);
        out_reader_close(r);
        return EXIT_RUNTIME;
    }
    /* A sweep's points pooled: no intervals in any format (the table says why). */
    for (size_t i = 0; pooled && i < nro; i++) {
        ro[i].first.lo_h = ro[i].first.hi_h = NAN;
        ro[i].final.lo_h = ro[i].final.hi_h = NAN;
    }
    /* With dates, the run-out section replaces the exhaustion rows of the table. */
    int hide_exhaustion = start && nro > 0;

    if (fmt == FMT_CSV) {
        puts("name,unit,mean,sd,ci95_lo,ci95_hi,n,n_missing,mean_date,ci95_lo_date,ci95_hi_date");
        for (size_t i = 0; i < ns; i++) {
            const out_summary_row *s = out_reader_summary(r, i);
            cmd_csv_str(stdout, s->name);
            putchar(',');
            cmd_csv_str(stdout, s->unit);
            double lo = pooled ? NAN : s->ci95_lo, hi = pooled ? NAN : s->ci95_hi;
            double v[4] = { s->mean, s->sd, lo, hi };
            for (int k = 0; k < 4; k++) {
                putchar(',');
                cmd_csv_num(stdout, v[k]);
            }
            printf(",%u,%u", s->n, s->n_missing);
            double dv[3] = { s->mean, lo, hi };
            for (int k = 0; k < 3; k++) {
                char d[16];
                putchar(',');
                if (is_exhaustion(s->name) && cmd_date_after(start, dv[k], d) == 0)
                    fputs(d, stdout);
            }
            putchar('\n');
        }
        runout_print_csv(start, ro, nro);
        steady_print_csv(st, nst);
        for (int k = 0; k < REP_SECTIONS; k++)
            if (by_t[k]) {
                putchar('\n');
                rep_table_print(by_t[k], REP_FMT_CSV, stdout);
            }
    } else if (fmt == FMT_JSON) {
        fputs("{\n  \"file\": ", stdout);
        cmd_json_str(stdout, path);
        fputs(",\n  \"scenario_name\": ", stdout);
        cmd_json_str(stdout, scen);
        if (arm) {
            fputs(",\n  \"arm\": ", stdout);
            cmd_json_str(stdout, arm);
            printf(",\n  \"vouchers\": %s", voff ? "false" : "true");
        }
        printf(",\n  \"runs\": %zu,\n  ", nruns);
        if (pooled)   /* the points pooled: intervals null */
            printf("\"sweep_points\": %lld,\n  ", sweep_points);
        fputs("\"start_date\": ", stdout);
        if (start)
            cmd_json_str(stdout, start);
        else
            fputs("null", stdout);
        fputs(",\n  \"scalars\": [", stdout);
        for (size_t i = 0; i < ns; i++) {
            const out_summary_row *s = out_reader_summary(r, i);
            fputs(i ? ",\n    {" : "\n    {", stdout);
            fputs("\"name\": ", stdout);
            cmd_json_str(stdout, s->name);
            fputs(", \"unit\": ", stdout);
            cmd_json_str(stdout, s->unit);
            const char *k[4] = { "mean", "sd", "ci95_lo", "ci95_hi" };
            double v[4] = { s->mean, s->sd, pooled ? NAN : s->ci95_lo,
                            pooled ? NAN : s->ci95_hi };
            for (int j = 0; j < 4; j++) {
                printf(", \"%s\": ", k[j]);
                cmd_json_num(stdout, v[j]);
            }
            printf(", \"n\": %u, \"n_missing\": %u", s->n, s->n_missing);
            char d[16];
            if (is_exhaustion(s->name)) {
                fputs(", \"mean_date\": ", stdout);
                if (cmd_date_after(start, s->mean, d) == 0)
                    cmd_json_str(stdout, d);
                else
                    fputs("null", stdout);
            }
            putchar('}');
        }
        fputs(ns ? "\n  ]" : "]", stdout);
        runout_print_json(start, ro, nro);
        steady_print_json(st, nst);
        if (by) {
            fputs(",\n  \"by\": [", stdout);
            int first = 1;
            for (int k = 0; k < REP_SECTIONS; k++)
                if (by_t[k]) {
                    fputs(first ? "\n    " : ",\n    ", stdout);
                    rep_table_print(by_t[k], REP_FMT_JSON, stdout);
                    first = 0;
                }
            fputs("\n  ]", stdout);
        }
        fputs("\n}\n", stdout);
    } else {
        if (arm)   /* one arm of a comparison: which, and whether vouchers were off */
            printf("%s, arm %s%s: ", path, arm,
                   voff ? " (vouchers=false: the scenario with vouchers switched off)" : "");
        else
            printf("%s: ", path);
        printf("%s%s%zu run%s\n", scen, *scen ? ", " : "", nruns, nruns == 1 ? "" : "s");
        if (pooled)
            printf("a sweep of %lld points: these statistics pool all of them, so they carry "
                   "no confidence intervals (the points differ, and share their random "
                   "numbers). Each point's replications are rows of /scalars, whose point and "
                   "varied keys /sweep/params gives by run: `vouchsim export %s --csv DIR` "
                   "writes them as one table (DIR/scalars.csv), `vouchsim plot %s --chart "
                   "response` draws each point's mean with its 95%% interval, and `vouchsim "
                   "sweep` printed each point's means with their 95%% intervals\n",
                   (long long)sweep_points, path, path);
        putchar('\n');
        cell *cells = calloc(ns + 1, sizeof *cells);
        if (!cells) {
            cmd_error("summary: out of memory");
            free(ro);
            free(st);
            out_reader_close(r);
            return EXIT_RUNTIME;
        }
        snprintf(cells[0].c[0], 128, "scalar");
        snprintf(cells[0].c[1], 128, "unit");
        snprintf(cells[0].c[2], 128, "%s", several ? "mean" : "value");
        snprintf(cells[0].c[3], 128, "%s", pooled ? "sd over runs" : several ? "95% CI" : "");
        snprintf(cells[0].c[4], 128, "%s", several ? "runs" : "");
        size_t nc = 0;   /* rows of the table */
        int clipped = 0;
        for (size_t i = 0; i < ns; i++) {
            const out_summary_row *s = out_reader_summary(r, i);
            if (hide_exhaustion && is_exhaustion(s->name))
                continue;
            cell *c = &cells[++nc];
            snprintf(c->c[0], 128, "%s", s->name);
            char a[48], b[48], d1[16], d2[16], d3[16];
            if (is_exhaustion(s->name) && start) {
                snprintf(c->c[1], 128, "date");
                if (s->n == 0)
                    snprintf(c->c[2], 128, "never");
                else if (cmd_date_after(start, s->mean, d1) == 0)
                    snprintf(c->c[2], 128, "%s", d1);
                if (several && !pooled && s->n > 1 && cmd_date_after(start, s->ci95_lo, d2) == 0
                    && cmd_date_after(start, s->ci95_hi, d3) == 0)
                    snprintf(c->c[3], 128, "%s .. %s", d2, d3);
            } else {
                /* the rule of output/fmt.h: shares as percentages, an
                 * interval of what cannot be negative clipped at 0 */
                int share = out_fmt_is_share(s->name, s->unit);
                double k = share ? 100.0 : 1.0;
                snprintf(c->c[1], 128, "%s", share ? "%" : s->unit);
                out_fmt_num(k * s->mean, a, sizeof a);
                snprintf(c->c[2], 128, "%s", s->n ? a : "-");
                if (pooled && s->n > 1) {
                    out_fmt_num(k * s->sd, a, sizeof a);
                    snprintf(c->c[3], 128, "%s", a);
                } else if (several && s->n > 1) {
                    clipped |= out_fmt_lower(k * s->ci95_lo, out_fmt_unit_nonneg(s->unit), "*",
                                             a, sizeof a);
                    out_fmt_num(k * s->ci95_hi, b, sizeof b);
                    snprintf(c->c[3], 128, "%s .. %s", a, b);
                }
            }
            if (several)
                snprintf(c->c[4], 128, s->n_missing ? (is_exhaustion(s->name) ? "%u (%u never)"
                                                                  : "%u (%u without)") : "%u",
                         s->n, s->n_missing);
            else if (s->n_missing && !is_exhaustion(s->name))
                snprintf(c->c[4], 128, "missing");   /* "never" is already the value */
        }
        size_t w[5] = { 0 };
        for (size_t i = 0; i <= nc; i++)
            for (int k = 0; k < 5; k++)
                if (width(cells[i].c[k]) > w[k])
                    w[k] = width(cells[i].c[k]);
        for (size_t i = 0; i <= nc; i++) {
            for (int k = 0; k < 5; k++) {
                if (!w[k])
                    continue;
                if (k)
                    fputs("  ", stdout);
                pad(cells[i].c[k], w[k], k >= 2 && k != 3);
            }
            putchar('\n');
            if (i == 0) {
                size_t tot = 0;
                for (int k = 0; k < 5; k++)
                    tot += w[k] ? w[k] + 2 : 0;
                for (size_t j = 0; j + 2 < tot; j++)
                    putchar('-');
                putchar('\n');
            }
        }
        if (ns == 0)
            puts("(no scalars in this file)");
        if (clipped)
            puts(REP_CLIP_NOTE);
        free(cells);
        runout_print_table(start, ro, nro, pooled);
        steady_print_table(st, nst);
        for (int k = 0; k < REP_SECTIONS; k++)
            if (by_t[k])
                rep_table_print(by_t[k], REP_FMT_TABLE, stdout);
    }
    for (int k = 0; k < REP_SECTIONS; k++)
        rep_table_free(by_t[k]);
    free(ro);
    free(st);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cmd_error("summary: cannot write the output");
        status = EXIT_RUNTIME;
    }
    out_reader_close(r);
    return status;
}
