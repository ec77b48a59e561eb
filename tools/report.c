/* tools/report.c - answers by program, city and region; paired differences
 * (see report.h).
 *
 * Where each number comes from (all per run, at the horizon unless said):
 *   program  opening = remaining + committed + spent + lapsed + returned
 *            - tranches (the ledger identity, so the money the program had
 *            at start; returned: given back at year ends, year_end: return);
 *            tranches, committed, spent, lapsed, returned, left (= remaining) from the
 *            last row of program/<name>; granted from firms_granted.<p>;
 *            additional and deadweight from firms_additional.<p> and
 *            firms_deadweight.<p> when the file has them, else from the
 *            city's firms_additional/firms_deadweight (firms_data_* for a
 *            data program) when the program is its city's only program of
 *            its kind (compute and research tracks count as one kind), else
 *            not available; subsidy per additional GPU-hour = spent /
 *            gpu_hours_additional.<p> when the file has that scalar; run-out
 *            from exhaustion_h.<p> and exhaustion_final_h.<p> (over the runs
 *            in which it happens, as in summary's run-out report).
 *   city     the last row of city/<name>: firm counts at the horizon
 *            (decisions made in the cool-down are in the totals, not here),
 *            money and GPU-hours (of jobs finished by the horizon; what was
 *            still owed then is the total gpu_hours_owed_at_horizon).
 *   region   utilization_<r> (busy / capacity GPU-hours over the window;
 *            from the series when the scalar is absent); mean_wait_<r>_h,
 *            the wait of firm jobs that started, with the count behind it
 *            from firm_jobs_started_<r> when the file has that scalar; and
 *            from the data-center series summed over the region's centers
 *            (the scenario text says which): jobs that left a queue
 *            (started or abandoned, firm and background), their mean time
 *            in queue, jobs abandoned, jobs waiting at the horizon.
 * A wait over no jobs is NaN and prints as "no jobs", never as 0. */
#include "tools/report.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "models/config.h"
#include "models/scenario.h"
#include "output/fmt.h"
#include "sim/stats.h"
#include "tools/args.h"
#include "tools/cmd.h"

static const char *const section_names[REP_SECTIONS] = { "program", "city", "region" };

const char *rep_section_name(rep_section s)
{
    return s < REP_SECTIONS ? section_names[s] : "";
}

int rep_section_of(const char *name)
{
    for (int k = 0; k < REP_SECTIONS; k++)
        if (!strcmp(name, section_names[k]))
            return k;
    return -1;
}

int rep_parse_by(const char *cmd, const char *const *by, size_t n, unsigned *mask)
{
    *mask = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = by[i];
        while (*s) {
            size_t len = strcspn(s, ",");
            int found = 0;
            for (int k = 0; k < REP_SECTIONS; k++)
                if (len == strlen(section_names[k]) && !strncmp(s, section_names[k], len)) {
                    *mask |= 1u << k;
                    found = 1;
                }
            if (!found) {
                /* a likely typo or plural: "programme", "cities" */
                char word[64], hint[64] = "";
                snprintf(word, sizeof word, "%.*s", (int)(len < 63 ? len : 63), s);
                size_t bd = (size_t)-1;
                const char *best = NULL;
                for (int k = 0; k < REP_SECTIONS; k++) {
                    size_t d = scn_edit_distance(word, section_names[k]);
                    if (d < bd)
                        bd = d, best = section_names[k];
                }
                if (best && bd < len && bd <= (len >= 6 ? 3u : 2u))
                    snprintf(hint, sizeof hint, " (did you mean '%s'?)", best);
                args_usage_error(cmd, "--by: expected program, city or region, got '%.*s'%s",
                                 (int)len, s, hint);
                return -1;
            }
            s += len;
            if (*s == ',')
                s++;
        }
    }
    return 0;
}

/* ---- measures ---- */

enum { M_SUM = 1, M_DATE = 2, M_PCT = 4, M_WAIT = 8 };

typedef struct rep_measure {
    const char *key;     /* csv/json and the difference table */
    const char *head;    /* table column */
    const char *unit;
    int         part;    /* sub-table */
    int         flags;   /* M_SUM: a total row adds it up; M_DATE: hours from start */
} rep_measure;

enum {
    PM_OPENING, PM_TRANCHES, PM_COMMITTED, PM_SPENT, PM_LAPSED, PM_RETURNED, PM_LEFT,
    PM_GRANTED, PM_ADDITIONAL, PM_DEADWEIGHT, PM_PER_ADD, PM_FIRST, PM_FINAL, PM_COUNT
};
static const rep_measure program_meas[PM_COUNT] = {
    { "opening", "opening", "CNY", 0, M_SUM },
    { "tranches", "+ tranches", "CNY", 0, M_SUM },
    { "committed", "committed", "CNY", 0, M_SUM },
    { "spent", "spent", "CNY", 0, M_SUM },
    { "lapsed", "lapsed", "CNY", 0, M_SUM },
    { "returned", "returned", "CNY", 0, M_SUM },
    { "left", "left", "CNY", 0, M_SUM },
    /* firm counts are not added up in the "all" row: a firm may hold a
     * compute and a data voucher (or two programs' of one city), so a sum
     * counts it twice; the totals count each firm once */
    { "firms_granted", "granted", "firms", 1, 0 },
    { "firms_additional", "additional", "firms", 1, 0 },
    { "firms_deadweight", "deadweight", "firms", 1, 0 },
    { "subsidy_per_additional_gpu_hour", "per add. GPU-h", "CNY/GPU-h", 1, 0 },
    { "runout_first_h", "first runs out", "date", 1, M_DATE },
    { "runout_final_h", "runs out for good", "date", 1, M_DATE },
};

enum {
    CM_ARRIVED, CM_BUYING, CM_ADDITIONAL, CM_DEADWEIGHT, CM_DATA_BUYING, CM_DATA_ADDITIONAL,
    CM_DATA_DEADWEIGHT, CM_SUBSIDY, CM_COPAY, CM_DATA_SPEND, CM_DATA_SUBSIDY, CM_GPU_HOURS,
    CM_COUNT
};
static const rep_measure city_meas[CM_COUNT] = {
    { "firms_arrived", "arrived", "firms", 0, M_SUM },
    { "firms_buying", "buying", "firms", 0, M_SUM },
    { "firms_additional", "additional", "firms", 0, M_SUM },
    { "firms_deadweight", "deadweight", "firms", 0, M_SUM },
    { "firms_data_buying", "data: buying", "firms", 0, M_SUM },
    { "firms_data_additional", "data: add.", "firms", 0, M_SUM },
    { "firms_data_deadweight", "data: dw.", "firms", 0, M_SUM },
    { "subsidy", "subsidy", "CNY", 1, M_SUM },
    { "copay", "co-pay", "CNY", 1, M_SUM },
    { "data_spend", "data spend", "CNY", 1, M_SUM },
    { "data_subsidy", "data subsidy", "CNY", 1, M_SUM },
    { "gpu_hours", "GPU-hours", "GPU-h", 1, M_SUM },
};
static const char *const city_series[CM_COUNT] = {
    "firms_arrived", "firms_buying", "firms_additional", "firms_deadweight",
    "firms_data_buying", "firms_data_additional", "firms_data_deadweight",
    "subsidy", "copay", "data_spend", "data_subsidy", "gpu_hours",
};

enum {
    RM_UTIL, RM_FIRM_WAIT, RM_FIRM_JOBS, RM_LEFT_QUEUE, RM_INCL_BG_WAIT, RM_ABANDONED,
    RM_WAITING_END, RM_COUNT
};
static const rep_measure region_meas[RM_COUNT] = {
    { "utilization", "utilization", "%", 0, M_PCT },
    { "firm_mean_wait_h", "firm jobs: wait", "h", 0, M_WAIT },
    { "firm_jobs_started", "firm jobs started", "jobs", 0, M_SUM },
    { "jobs_left_queue", "firm+bg: left queue", "jobs", 0, M_SUM },
    { "mean_wait_incl_background_h", "firm+bg: wait", "h", 0, M_WAIT },
    { "jobs_abandoned", "abandoned", "jobs", 0, M_SUM },
    { "jobs_waiting_end", "waiting at end", "jobs", 0, M_SUM },
};

struct rep_table {
    rep_section        sec;
    size_t             nent, nmeas, nruns;
    char             **ent;
    const rep_measure *meas;
    double            *v;          /* [(e * nmeas + m) * nruns + i] */
    unsigned char     *unk;        /* [e * nmeas + m]: 1 when the file lacks the source
                                    * (a wait then reads "-", not "no jobs") */
    char               start[16];  /* "" when the file has no start date */
    double             end_h;
    char               notes[4][320];
    size_t             nnotes;
    long long          sweep_points;   /* > 1: a sweep's points pooled, so no
                                        * intervals (the sd over the runs instead) */
};

static double *cell(const rep_table *t, size_t e, size_t m)
{
    return &t->v[(e * t->nmeas + m) * t->nruns];
}

static void note(rep_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(rep_table *t, const char *fmt, ...)
{
    if (t->nnotes >= sizeof t->notes / sizeof t->notes[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t->notes[t->nnotes++], sizeof t->notes[0], fmt, ap);
    va_end(ap);
}

static long scalar_col(const out_reader *r, const char *name)
{
    for (size_t j = 0; j < out_reader_scalar_cols(r); j++)
        if (!strcmp(out_reader_scalar_name(r, j), name))
            return (long)j;
    return -1;
}

static long scalar_col2(const out_reader *r, const char *prefix, const char *ent)
{
    char name[320];
    snprintf(name, sizeof name, "%s%s", prefix, ent);
    return scalar_col(r, name);
}

static double scalar_at(const out_reader *r, size_t i, long col)
{
    if (col < 0)
        return NAN;
    return out_reader_scalar_values(r)[i * out_reader_scalar_cols(r) + (size_t)col];
}

/* Reads group/name of run and returns the malloc'd matrix, or NULL. */
static double *series(const out_reader *r, size_t run, const char *group, const char *name,
                      size_t *rows, size_t *cols)
{
    double *d = NULL;
    if (out_reader_series_read(r, run, group, name, &d, rows, cols, NULL) != 0 || *rows == 0) {
        free(d);
        return NULL;
    }
    return d;
}

/* (report.h) */
config *rep_file_config(const out_reader *r)
{
    const out_attr *a = out_reader_attr_find(r, "scenario");
    if (!a || a->kind != OUT_ATTR_STRING)
        return NULL;
    sim_err err;
    scn_doc *doc = scn_load_string("(scenario in the file)", a->s, strlen(a->s), NULL, 0, &err);
    config *cfg = doc ? config_from_scenario(doc, &err) : NULL;
    scn_free(doc);
    return cfg;
}

static int same_class(program_kind a, program_kind b)
{
    return (a == PROGRAM_DATA) == (b == PROGRAM_DATA);
}

static void collect_program(rep_table *t, const out_reader *r, const config *cfg)
{
    enum { NSER = 6 };
    static const char *const pser[NSER] = { "remaining", "committed", "spent", "lapsed",
                                            "tranches", "returned" };
    size_t nr = t->nruns, ne = t->nent;
    int by_city = 0, unknown = 0, no_gpu = 0;
    for (size_t i = 0; i < nr; i++) {
        size_t run = out_reader_scalar_run(r, i);
        double *s[NSER] = { NULL };
        size_t rows[NSER] = { 0 }, cols[NSER] = { 0 };
        for (int k = 0; k < NSER; k++)
            s[k] = series(r, run, "program", pser[k], &rows[k], &cols[k]);
        size_t crow = 0, ccol = 0, drow = 0, dcol = 0, arow = 0, acol = 0, wrow = 0, wcol = 0;
        double *ca = series(r, run, "city", "firms_additional", &crow, &ccol);
        double *cd = series(r, run, "city", "firms_deadweight", &drow, &dcol);
        double *da = series(r, run, "city", "firms_data_additional", &arow, &acol);
        double *dd = series(r, run, "city", "firms_data_deadweight", &wrow, &wcol);
        for (size_t e = 0; e < ne; e++) {
            double last[NSER];
            for (int k = 0; k < NSER; k++)
                last[k] = s[k] && e < cols[k] ? s[k][(rows[k] - 1) * cols[k] + e] : NAN;
            /* to the fen: the sum of four balances carries rounding noise */
            /* a file from before year_end: return has no returned series:
             * nothing was returned (the row then reads "-") */
            double ret = isnan(last[5]) ? 0.0 : last[5];
            cell(t, e, PM_OPENING)[i] =
                round(100.0 * (last[0] + last[1] + last[2] + last[3] + ret - last[4])) / 100.0;
            cell(t, e, PM_TRANCHES)[i] = last[4];
            cell(t, e, PM_COMMITTED)[i] = last[1];
            cell(t, e, PM_SPENT)[i] = last[2];
            cell(t, e, PM_LAPSED)[i] = last[3];
            cell(t, e, PM_RETURNED)[i] = last[5];
            cell(t, e, PM_LEFT)[i] = last[0];
            const char *p = t->ent[e];
            cell(t, e, PM_GRANTED)[i] = scalar_at(r, i, scalar_col2(r, "firms_granted.", p));
            long ja = scalar_col2(r, "firms_additional.", p);
            long jd = scalar_col2(r, "firms_deadweight.", p);
            double add = NAN, dw = NAN;
            if (ja >= 0 && jd >= 0) {
                add = scalar_at(r, i, ja);
                dw = scalar_at(r, i, jd);
            } else {
                /* the city's counts, when no other program of its kind shares them */
                long pi = cfg ? config_program_index(cfg, p) : -1;
                int alone = pi >= 0;
                for (size_t q = 0; alone && q < cfg->nprograms; q++)
                    if (q != (size_t)pi && cfg->programs[q].city == cfg->programs[pi].city
                        && same_class(cfg->programs[q].kind, cfg->programs[pi].kind))
                        alone = 0;
                if (alone) {
                    size_t c = cfg->programs[pi].city;
                    int data = cfg->programs[pi].kind == PROGRAM_DATA;
                    double *xa = data ? da : ca, *xd = data ? dd : cd;
                    size_t ra = data ? arow : crow, na = data ? acol : ccol;
                    size_t rd = data ? wrow : drow, nd = data ? wcol : dcol;
                    if (xa && xd && c < na && c < nd) {
                        add = xa[(ra - 1) * na + c];
                        dw = xd[(rd - 1) * nd + c];
                        by_city = 1;
                    }
                } else
                    unknown = 1;
            }
            cell(t, e, PM_ADDITIONAL)[i] = add;
            cell(t, e, PM_DEADWEIGHT)[i] = dw;
            long jg = scalar_col2(r, "gpu_hours_additional.", p);
            double gh = scalar_at(r, i, jg);
            no_gpu |= jg < 0;
            cell(t, e, PM_PER_ADD)[i] = gh > 0 ? last[2] / gh : NAN;
            double f1 = scalar_at(r, i, scalar_col2(r, "exhaustion_h.", p));
            double f2 = scalar_at(r, i, scalar_col2(r, "exhaustion_final_h.", p));
            if (isfinite(t->end_h)) {   /* never past the window's end */
                f1 = f1 > t->end_h ? NAN : f1;
                f2 = f2 > t->end_h ? NAN : f2;
            }
            cell(t, e, PM_FIRST)[i] = f1;
            cell(t, e, PM_FINAL)[i] = f2;
        }
        for (int k = 0; k < NSER; k++)
            free(s[k]);
        free(ca), free(cd), free(da), free(dd);
    }
    if (ne && by_city)
        note(t, "additional and deadweight: the city's firms, for a program that is its city's "
                "only one of its kind (the file has no firms_additional.<program>)");
    if (ne && unknown)
        note(t, "additional and deadweight \"-\": a city with several programs of one kind; "
                "per program they need the scalars firms_additional.<program> and "
                "firms_deadweight.<program>");
    if (ne && no_gpu)
        note(t, "subsidy per additional GPU-hour of a program: spent / "
                "gpu_hours_additional.<program>, a scalar this file does not have (the total "
                "is subsidy_per_additional_gpu_hour)");
    if (ne)
        note(t, "money at the horizon; opening = left + committed + spent + lapsed + returned "
                "- tranches; run-out dates: mean over the runs in which it happens (k/R), never past the "
                "horizon");
    if (ne > 1)
        note(t, "all: the programs' money added up; not their firms, since a firm may hold "
                "vouchers of two programs (compute and data): the totals firms_buying, "
                "firms_additional... count each firm once");
}

static void collect_city(rep_table *t, const out_reader *r)
{
    for (size_t i = 0; i < t->nruns; i++) {
        size_t run = out_reader_scalar_run(r, i);
        for (size_t m = 0; m < CM_COUNT; m++) {
            size_t rows = 0, cols = 0;
            double *d = series(r, run, "city", city_series[m], &rows, &cols);
            for (size_t e = 0; e < t->nent; e++)
                cell(t, e, m)[i] = d && e < cols ? d[(rows - 1) * cols + e] : NAN;
            free(d);
        }
    }
    if (t->nent) {
        note(t, "at the horizon: firms deciding in the cool-down are counted in the totals "
                "(firms_buying...), not here");
        if (scalar_col(r, "gpu_hours_owed_at_horizon") >= 0)
            note(t, "GPU-hours: of firm jobs finished by the horizon; the compute still owed "
                    "then is the total gpu_hours_owed_at_horizon (gpu_hours_in_progress: what "
                    "jobs still running had run)");
        else
            note(t, "GPU-hours: of firm jobs finished by the horizon");
    }
}

static void collect_region(rep_table *t, const out_reader *r, const config *cfg)
{
    size_t ndc = 0;
    const char *const *dcs = out_reader_entities(r, "datacenter", &ndc);
    long *reg = calloc(ndc + 1, sizeof *reg);
    int have_map = cfg && reg;
    for (size_t k = 0; have_map && k < ndc; k++) {
        long di = config_dc_index(cfg, dcs[k]);
        reg[k] = -1;
        if (di >= 0)
            for (size_t e = 0; e < t->nent; e++)
                if (!strcmp(config_region_name(cfg->dcs[di].region), t->ent[e]))
                    reg[k] = (long)e;
    }
    int no_count = 0;
    const double *hours = out_reader_time_hours(r);
    size_t nt = out_reader_time_count(r);
    for (size_t i = 0; i < t->nruns; i++) {
        size_t run = out_reader_scalar_run(r, i);
        size_t ur = 0, uc = 0, wr = 0, wc = 0;
        double *u = series(r, run, "region", "utilization", &ur, &uc);
        double *w = series(r, run, "region", "waiting_jobs", &wr, &wc);
        static const char *const dn[3] = { "jobs_started", "jobs_abandoned", "queue_time" };
        double *d[3] = { NULL };
        size_t dr[3] = { 0 }, dc[3] = { 0 };
        for (int k = 0; have_map && k < 3; k++)
            d[k] = series(r, run, "datacenter", dn[k], &dr[k], &dc[k]);
        for (size_t e = 0; e < t->nent; e++) {
            const char *g = t->ent[e];
            char name[160];
            snprintf(name, sizeof name, "utilization_%s", g);
            double util = scalar_at(r, i, scalar_col(r, name));
            if (!isfinite(util) && u && ur == nt) {
                double num = 0, den = 0;   /* time-weighted over the intervals */
                for (size_t s = 1; s < ur; s++) {
                    double x = u[s * uc + e], dt = hours[s] - hours[s - 1];
                    if (isfinite(x) && dt > 0)
                        num += x * dt, den += dt;
                }
                util = den > 0 ? num / den : NAN;
            }
            cell(t, e, RM_UTIL)[i] = 100.0 * util;
            snprintf(name, sizeof name, "mean_wait_%s_h", g);
            long jw = scalar_col(r, name);
            cell(t, e, RM_FIRM_WAIT)[i] = scalar_at(r, i, jw);
            if (jw < 0)
                t->unk[e * t->nmeas + RM_FIRM_WAIT] = 1;
            snprintf(name, sizeof name, "firm_jobs_started_%s", g);
            long jc = scalar_col(r, name);
            no_count |= jc < 0;
            cell(t, e, RM_FIRM_JOBS)[i] = scalar_at(r, i, jc);
            double left = NAN, qt = NAN, ab = NAN;
            if (d[0] && d[1] && d[2]) {
                left = qt = ab = 0;
                for (size_t k = 0; k < ndc; k++) {
                    if (reg[k] != (long)e)
                        continue;
                    for (size_t s = 0; s < dr[0] && k < dc[0] && s < dr[1] && s < dr[2]; s++) {
                        double st = d[0][s * dc[0] + k], a = d[1][s * dc[1] + k];
                        double q = d[2][s * dc[2] + k];
                        left += (isfinite(st) ? st : 0) + (isfinite(a) ? a : 0);
                        ab += isfinite(a) ? a : 0;
                        qt += isfinite(q) ? q : 0;
                    }
                }
            }
            if (!isfinite(left))
                t->unk[e * t->nmeas + RM_INCL_BG_WAIT] = 1;
            cell(t, e, RM_LEFT_QUEUE)[i] = left;
            cell(t, e, RM_INCL_BG_WAIT)[i] = left > 0 ? qt / left : NAN;
            cell(t, e, RM_ABANDONED)[i] = ab;
            cell(t, e, RM_WAITING_END)[i] = w && e < wc ? w[(wr - 1) * wc + e] : NAN;
        }
        free(u), free(w);
        for (int k = 0; k < 3; k++)
            free(d[k]);
    }
    if (t->nent && no_count)
        note(t, "firm jobs started: the count behind the firm jobs' wait needs the scalar "
                "firm_jobs_started_<region>, which this file does not have");
    /* Three waits, said apart: the scalars mean_wait_<r>_h (here) and
     * mean_wait_all_<r>_h (firm jobs, abandoned included: not here), and
     * this table's own firm+bg wait (background jobs included). */
    int no_series = 0;   /* firm+bg needs the data centers' series */
    for (size_t e = 0; e < t->nent; e++)
        no_series |= t->unk[e * t->nmeas + RM_INCL_BG_WAIT];
    if (t->nent) {
        note(t, "firm jobs: wait (firm_mean_wait_h) = the scalar mean_wait_<region>_h: firm jobs "
                "that started in the window; abandoned firm jobs are in the scalar "
                "mean_wait_all_<region>_h, not here; background jobs are in neither");
        note(t, "firm+bg = firm and background jobs that left a queue in the window (started or "
                "abandoned): their count (jobs_left_queue) and mean time in queue "
                "(mean_wait_incl_background_h); abandoned (jobs_abandoned) and waiting at end "
                "(jobs_waiting_end) count both kinds too; \"no jobs\": none left a queue");
        if (no_series)
            note(t, "firm+bg, abandoned, waiting at end: \"-\" or left out: they are counted "
                    "from the series of the run (per data center and region), which this file "
                    "does not have (a file written with --totals-only has none)");
    }
    free(reg);
}

rep_table *rep_collect(const out_reader *r, rep_section s)
{
    rep_table *t = calloc(1, sizeof *t);
    if (!t) {
        cmd_error("out of memory");
        return NULL;
    }
    t->sec = s;
    t->meas = s == REP_PROGRAM ? program_meas : s == REP_CITY ? city_meas : region_meas;
    t->nmeas = s == REP_PROGRAM ? PM_COUNT : s == REP_CITY ? CM_COUNT : RM_COUNT;
    t->nruns = out_reader_scalar_rows(r);
    size_t ne = 0;
    const char *const *ents = out_reader_entities(r, section_names[s], &ne);
    const out_attr *sa = out_reader_attr_find(r, "start_date");
    if (sa && sa->kind == OUT_ATTR_STRING)
        snprintf(t->start, sizeof t->start, "%.10s", sa->s);
    t->sweep_points = out_reader_sweep_points(r);
    size_t nt = out_reader_time_count(r);
    t->end_h = nt ? out_reader_time_hours(r)[nt - 1] : NAN;
    if (t->nruns == 0 || ne == 0)
        return t;
    t->nent = ne;
    t->ent = calloc(ne, sizeof *t->ent);
    t->v = malloc(ne * t->nmeas * t->nruns * sizeof *t->v);
    t->unk = calloc(ne * t->nmeas, 1);
    if (!t->ent || !t->v || !t->unk) {
        rep_table_free(t);
        cmd_error("out of memory");
        return NULL;
    }
    for (size_t e = 0; e < ne; e++)
        if (!(t->ent[e] = strdup(ents[e]))) {
            rep_table_free(t);
            cmd_error("out of memory");
            return NULL;
        }
    for (size_t k = 0; k < ne * t->nmeas * t->nruns; k++)
        t->v[k] = NAN;
    config *cfg = s == REP_CITY ? NULL : rep_file_config(r);
    if (s == REP_PROGRAM)
        collect_program(t, r, cfg);
    else if (s == REP_CITY)
        collect_city(t, r);
    else
        collect_region(t, r, cfg);
    config_free(cfg);
    return t;
}

void rep_table_free(rep_table *t)
{
    if (!t)
        return;
    for (size_t e = 0; t->ent && e < t->nent; e++)
        free(t->ent[e]);
    free(t->ent);
    free(t->v);
    free(t->unk);
    free(t);
}

/* ---- statistics ---- */

static void values_of(const rep_table *t, size_t e, size_t m, double *out);

typedef struct stat1 {
    double mean, hw;    /* hw: 95% half-width, NaN when fewer than 2 values */
    double sd;          /* over the values, NaN when fewer than 2 */
    size_t n;
} stat1;

static stat1 stat_of(const double *x, size_t n)
{
    sim_welford w;
    sim_welford_init(&w);
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]))
            sim_welford_add(&w, x[i]);
    stat1 s = { w.n ? w.mean : NAN, sim_welford_ci(&w, 0.95),
                w.n >= 2 ? sim_welford_sd(&w) : NAN, (size_t)w.n };
    return s;
}

/* The statistics of entity e (or the sum, e == nent) and measure m. A
 * sweep's points pooled have no interval: its runs are not replications
 * of one thing (the points differ and share their random numbers). */
static stat1 stat_at(const rep_table *t, size_t e, size_t m, double *x)
{
    values_of(t, e, m, x);
    stat1 s = stat_of(x, t->nruns);
    if (t->sweep_points > 1)
        s.hw = NAN;
    return s;
}

/* The per-run values of entity e and measure m, or the sum over entities
 * (e == nent, for M_SUM measures; NaN where any entity lacks a value). */
static void values_of(const rep_table *t, size_t e, size_t m, double *out)
{
    if (e < t->nent) {
        memcpy(out, cell(t, e, m), t->nruns * sizeof *out);
        return;
    }
    for (size_t i = 0; i < t->nruns; i++) {
        out[i] = 0;
        for (size_t k = 0; k < t->nent; k++)
            out[i] += cell(t, k, m)[i];
    }
}

/* A value for a person: grouped number, "no jobs" for a wait over none,
 * a date "(k/R)" for run-out hours. */
static void fmt_value(const rep_table *t, size_t e, size_t m, stat1 s, size_t runs, char *buf,
                      size_t n)
{
    int fl = t->meas[m].flags;
    if (fl & M_DATE) {
        char d[16];
        if (s.n == 0)
            snprintf(buf, n, "not in %zu runs", runs);
        else if (t->start[0] && cmd_date_after(t->start, s.mean, d) == 0)
            snprintf(buf, n, "%s (%zu/%zu)", d, s.n, runs);
        else {
            char h[24];
            out_fmt_num(s.mean, h, sizeof h);
            if (snprintf(buf, n, "%s h (%zu/%zu)", h, s.n, runs) >= (int)n)
                buf[n - 1] = '\0';   /* cut short */
        }
        return;
    }
    if (s.n == 0) {
        int unknown = e < t->nent && t->unk[e * t->nmeas + m];
        snprintf(buf, n, "%s", fl & M_WAIT && !unknown ? "no jobs" : "-");
        return;
    }
    out_fmt_num(s.mean, buf, n);   /* M_PCT values are percentages already */
}

/* The 95% half-width line under a mean; every measure of these tables
 * is a quantity that cannot be negative, so an interval that reaches
 * below 0 is printed as its bounds, the lower one clipped at 0 and marked
 * ("0* .. 64"). Returns 1 when it clipped. */
static int fmt_hw(const rep_table *t, size_t m, stat1 s, char *buf, size_t n)
{
    char x[24], y[24];
    buf[0] = '\0';
    if (!isfinite(s.hw) || s.n < 2)
        return 0;
    if (s.hw <= 1e-9 * fabs(s.mean))
        return 0;   /* it does not vary (up to rounding noise): no line */
    if (t->meas[m].flags & M_DATE) {
        out_fmt_num(s.hw / 24.0, x, sizeof x);
        snprintf(buf, n, "+-%s d", x);
        return 0;
    }
    if (s.mean - s.hw < 0 && out_fmt_unit_nonneg(t->meas[m].unit)) {
        out_fmt_lower(s.mean - s.hw, 1, "*", x, sizeof x);
        out_fmt_num(s.mean + s.hw, y, sizeof y);
        snprintf(buf, n, "%.21s .. %.21s", x, y);
        return 1;
    }
    out_fmt_num(s.hw, x, sizeof x);
    snprintf(buf, n, "+-%s", x);
    return 0;
}

/* The line under a mean of a sweep's pooled runs: their sd ("sd 1,234"),
 * not an interval; nothing when it does not vary. */
static void fmt_sd(const rep_table *t, size_t m, stat1 s, char *buf, size_t n)
{
    char x[24];
    buf[0] = '\0';
    if (!isfinite(s.sd) || s.n < 2 || s.sd <= 1e-9 * fabs(s.mean))
        return;
    int date = t->meas[m].flags & M_DATE;
    out_fmt_num(date ? s.sd / 24.0 : s.sd, x, sizeof x);
    snprintf(buf, n, "sd %s%s", x, date ? " d" : "");
}

/* Display width of UTF-8 text (CJK counted as 2). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            w += *p >= 0xE3 && *p <= 0xED ? 2 : 1;
    return w;
}

static void pad(FILE *f, const char *s, size_t w, int right)
{
    size_t sw = width(s);
    if (right)
        for (size_t i = sw; i < w; i++)
            fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (size_t i = sw; i < w; i++)
            fputc(' ', f);
}

enum { CELL = 48 };

/* One table line: two spaces, then the n cells padded to their widths w
 * (left-aligned before column right_from, right-aligned from it), two
 * spaces apart, without trailing blanks. */
static void put_row(FILE *f, const char (*cells)[CELL], const size_t *w, size_t n,
                    size_t right_from)
{
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (!m)
        return;
    fputs("  ", m);
    for (size_t k = 0; k < n; k++) {
        if (k)
            fputs("  ", m);
        pad(m, cells[k], w[k], k >= right_from);
    }
    fclose(m);
    while (len && line[len - 1] == ' ')
        line[--len] = '\0';
    fprintf(f, "%s\n", line);
    free(line);
}

/* Whether any entity has a value of measure m in some run. */
static int has_values(const rep_table *t, size_t m)
{
    for (size_t e = 0; e < t->nent; e++)
        for (size_t i = 0; i < t->nruns; i++)
            if (isfinite(cell(t, e, m)[i]))
                return 1;
    return 0;
}

static void print_part(const rep_table *t, int part, FILE *f)
{
    size_t cols[16], nc = 0;
    /* a column the file has nothing for is left out (a note says why);
     * waits and dates stay: "no jobs" and "not in R runs" are answers */
    for (size_t m = 0; m < t->nmeas && nc < 16; m++)
        if (t->meas[m].part == part
            && (has_values(t, m) || (t->meas[m].flags & (M_DATE | M_WAIT))))
            cols[nc++] = m;
    int total = t->sec != REP_REGION && t->nent > 1;
    int sums = 0;   /* an "all" row only where some column adds up */
    for (size_t k = 0; k < nc; k++)
        sums |= t->meas[cols[k]].flags & M_SUM;
    total &= sums != 0;
    size_t nrow = t->nent + (size_t)total;
    int several = t->nruns > 1, clipped = 0;
    /* rows: header, units, then per entity a value line and a +- line */
    size_t lines = 2 + 2 * nrow;
    char (*c)[16][CELL] = calloc(lines, sizeof *c);
    double *x = malloc((t->nruns + 1) * sizeof *x);
    if (!c || !x) {
        free(c), free(x);
        return;
    }
    snprintf(c[0][0], CELL, "%s", section_names[t->sec]);
    for (size_t k = 0; k < nc; k++) {
        snprintf(c[0][k + 1], CELL, "%s", t->meas[cols[k]].head);
        snprintf(c[1][k + 1], CELL, "%s", t->meas[cols[k]].flags & M_DATE ? "(k/R runs)"
                                           : t->meas[cols[k]].unit);
    }
    for (size_t e = 0; e < nrow; e++) {
        snprintf(c[2 + 2 * e][0], CELL, "%s", e < t->nent ? t->ent[e] : "all");
        for (size_t k = 0; k < nc; k++) {
            size_t m = cols[k];
            if (e == t->nent && !(t->meas[m].flags & M_SUM))
                continue;
            stat1 s = stat_at(t, e, m, x);
            fmt_value(t, e, m, s, t->nruns, c[2 + 2 * e][k + 1], CELL);
            if (several && t->sweep_points > 1)
                fmt_sd(t, m, s, c[3 + 2 * e][k + 1], CELL);
            else if (several)
                clipped |= fmt_hw(t, m, s, c[3 + 2 * e][k + 1], CELL);
        }
    }
    size_t w[17] = { 0 };
    for (size_t l = 0; l < lines; l++)
        for (size_t k = 0; k <= nc; k++)
            if (width(c[l][k]) > w[k])
                w[k] = width(c[l][k]);
    for (size_t l = 0; l < lines; l++) {
        if (l >= 2 && (l - 2) % 2 == 1) {   /* the +- line: only when it says something */
            int any = 0;
            for (size_t k = 1; k <= nc; k++)
                any |= c[l][k][0] != '\0';
            if (!any)
                continue;
        }
        if (l >= 2 && total && l == 2 + 2 * t->nent) {
            size_t tot = 0;
            for (size_t k = 0; k <= nc; k++)
                tot += w[k] + 2;
            fputs("  ", f);
            for (size_t j = 0; j + 2 < tot; j++)
                fputc('-', f);
            fputc('\n', f);
        }
        put_row(f, (const char (*)[CELL])c[l], w, nc + 1, 1);
    }
    if (clipped)
        fprintf(f, "  %s\n", REP_CLIP_NOTE);
    free(c);
    free(x);
}

static void csv_row(FILE *f, const rep_table *t, const char *ent, size_t m, stat1 s)
{
    fprintf(f, "%s,", section_names[t->sec]);
    cmd_csv_str(f, ent);
    fputc(',', f);
    cmd_csv_str(f, t->meas[m].key);
    fputc(',', f);
    cmd_csv_str(f, t->meas[m].flags & M_DATE ? "h" : t->meas[m].unit);
    fputc(',', f);
    cmd_csv_num(f, s.mean);
    fputc(',', f);
    cmd_csv_num(f, s.hw);
    fprintf(f, ",%zu,%zu,", s.n, t->nruns);
    char d[16];
    if (t->meas[m].flags & M_DATE && s.n && t->start[0] && cmd_date_after(t->start, s.mean, d) == 0)
        fputs(d, f);
    fputc('\n', f);
}

void rep_table_print(const rep_table *t, int fmt, FILE *f)
{
    double *x = malloc((t->nruns + 1) * sizeof *x);
    if (!x)
        return;
    int total = t->sec != REP_REGION && t->nent > 1;
    size_t nrow = t->nent + (size_t)total;
    if (fmt == REP_FMT_CSV) {
        fputs("section,entity,measure,unit,mean,ci95_half,n,runs,date\n", f);
        for (size_t e = 0; e < nrow; e++)
            for (size_t m = 0; m < t->nmeas; m++) {
                if (e == t->nent && !(t->meas[m].flags & M_SUM))
                    continue;
                csv_row(f, t, e < t->nent ? t->ent[e] : "all", m, stat_at(t, e, m, x));
            }
    } else if (fmt == REP_FMT_JSON) {
        fprintf(f, "{\"section\": \"%s\", \"runs\": %zu, ", section_names[t->sec], t->nruns);
        if (t->sweep_points > 1)   /* pooled: ci95_half null */
            fprintf(f, "\"sweep_points\": %lld, ", t->sweep_points);
        fputs("\"rows\": [", f);
        for (size_t e = 0; e < nrow; e++) {
            fputs(e ? ",\n      {\"entity\": " : "\n      {\"entity\": ", f);
            cmd_json_str(f, e < t->nent ? t->ent[e] : "all");
            for (size_t m = 0; m < t->nmeas; m++) {
                if (e == t->nent && !(t->meas[m].flags & M_SUM))
                    continue;
                stat1 s = stat_at(t, e, m, x);
                fprintf(f, ", \"%s\": {\"unit\": ", t->meas[m].key);
                cmd_json_str(f, t->meas[m].flags & M_DATE ? "h" : t->meas[m].unit);
                fputs(", \"mean\": ", f);
                cmd_json_num(f, s.mean);
                fputs(", \"ci95_half\": ", f);
                cmd_json_num(f, s.hw);
                fputs(", \"sd\": ", f);
                cmd_json_num(f, s.sd);
                fprintf(f, ", \"n\": %zu", s.n);
                char d[16];
                if (t->meas[m].flags & M_DATE) {
                    fputs(", \"date\": ", f);
                    if (s.n && t->start[0] && cmd_date_after(t->start, s.mean, d) == 0)
                        cmd_json_str(f, d);
                    else
                        fputs("null", f);
                }
                fputc('}', f);
            }
            fputc('}', f);
        }
        fputs(nrow ? "\n    ]}" : "]}", f);
    } else {
        if (t->nent == 0) {
            fprintf(f, "\nby %s: none in this file\n", section_names[t->sec]);
            free(x);
            return;
        }
        int parts = 0;
        for (size_t m = 0; m < t->nmeas; m++)
            parts = t->meas[m].part + 1 > parts ? t->meas[m].part + 1 : parts;
        if (t->sweep_points > 1)
            fprintf(f, "\nby %s (means over %zu runs, all %lld points of the sweep pooled, "
                    "their sd below each mean that varies; no confidence intervals: the points "
                    "differ and share their random numbers):\n", section_names[t->sec],
                    t->nruns, t->sweep_points);
        else
            fprintf(f, "\nby %s (%s%zu run%s):\n", section_names[t->sec],
                    t->nruns > 1 ? "means over " : "", t->nruns, t->nruns == 1 ? "" : "s, "
                    "95% half-width below each mean that varies");
        for (int p = 0; p < parts; p++) {
            if (p)
                fputc('\n', f);
            print_part(t, p, f);
        }
        for (size_t k = 0; k < t->nnotes; k++)
            fprintf(f, "  note: %s\n", t->notes[k]);
    }
    free(x);
}

/* ---- paired differences ---- */

/* Rows of the comparison, in this order; other totals follow. */
static const char *const headline[] = {
    "gpu_hours_total", "firms_buying", "subsidy_total", "gpu_hours_additional",
    "firms_additional", "deadweight_share", "subsidy_per_additional_gpu_hour",
    "utilization_east", "utilization_west", "mean_wait_east_h", "mean_wait_west_h",
    NULL
};

/* Paired and unpaired statistics of two per-run vectors (either NULL for
 * an arm without the total). Each arm's mean is over its own finite
 * values; the difference over the runs where both are finite. */
static void diff_of(const double *b, const double *p, size_t runs, rep_row *o)
{
    sim_welford wb, wp, wd;
    sim_welford_init(&wb);
    sim_welford_init(&wp);
    sim_welford_init(&wd);
    for (size_t r = 0; r < runs; r++) {
        double x = b ? b[r] : NAN, y = p ? p[r] : NAN;
        if (isfinite(x))
            sim_welford_add(&wb, x);
        if (isfinite(y))
            sim_welford_add(&wp, y);
        if (isfinite(x) && isfinite(y))
            sim_welford_add(&wd, y - x);
    }
    o->runs = runs;
    o->absent = !b ? 1 : !p ? 2 : 0;
    o->nb = (size_t)wb.n;
    o->np = (size_t)wp.n;
    o->n = (size_t)wd.n;
    o->base = wb.n ? wb.mean : NAN;
    o->policy = wp.n ? wp.mean : NAN;
    o->diff = wd.n ? wd.mean : NAN;
    o->hw_paired = sim_welford_ci(&wd, 0.95);
    if (wd.n == 1)
        o->hw_paired = NAN;
    /* Differences that are one number up to the last bits of their
     * operands (a tranche of 1e9 on a budget left that differs by run)
     * are that number, +-0, not 1e9 + 4e-7 +-8e-7. */
    double *d = wd.n >= 2 ? malloc((size_t)wd.n * sizeof *d) : NULL, c, mag = 0.0;
    if (d) {
        size_t k = 0;
        for (size_t r = 0; r < runs; r++) {
            double x = b[r], y = p[r];
            if (isfinite(x) && isfinite(y)) {
                d[k++] = y - x;
                mag = fmax(mag, fmax(fabs(x), fabs(y)));
            }
        }
        if (sim_diff_constant(d, k, mag, &c)) {
            o->diff = c;
            o->hw_paired = 0.0;
        }
        free(d);
    }
    /* Unpaired: Welch's interval for the difference of the two means. */
    double vb = wb.n ? sim_welford_var(&wb) / (double)wb.n : NAN;
    double vp = wp.n ? sim_welford_var(&wp) / (double)wp.n : NAN;
    double se = sqrt(vb + vp);
    double dof = (vb + vp) * (vb + vp) /
                 (vb * vb / (double)(wb.n - 1) + vp * vp / (double)(wp.n - 1));
    if (wb.n >= 2 && wp.n >= 2 && se > 0 && isfinite(dof))
        o->hw_unpaired = gsl_cdf_tdist_Pinv(0.975, dof) * se;
    else
        o->hw_unpaired = wb.n >= 2 && wp.n >= 2 ? 0.0 : NAN;
}

static long arm_col(const rep_arm *a, const char *name)
{
    for (size_t j = 0; j < a->ncols; j++)
        if (!strcmp(a->names[j], name))
            return (long)j;
    return -1;
}

/* Column j of arm a as a vector of nruns (malloc'd). */
static double *arm_vec(const rep_arm *a, long j, size_t runs)
{
    if (j < 0)
        return NULL;
    double *v = malloc((runs + 1) * sizeof *v);
    for (size_t r = 0; v && r < runs; r++)
        v[r] = r < a->nruns ? a->values[r * a->ncols + (size_t)j] : NAN;
    return v;
}

typedef struct rows_buf {
    rep_row *v;
    size_t   n, cap;
} rows_buf;

static rep_row *rows_add(rows_buf *b)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 64;
        rep_row *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return NULL;
        b->v = v, b->cap = cap;
    }
    rep_row *r = &b->v[b->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static int total_row(rows_buf *out, const rep_arm *b, const rep_arm *p, const char *name,
                     size_t runs)
{
    long jb = arm_col(b, name), jp = arm_col(p, name);
    if (jb < 0 && jp < 0)
        return 0;
    rep_row *o = rows_add(out);
    double *vb = arm_vec(b, jb, runs), *vp = arm_vec(p, jp, runs);
    if (!o || (jb >= 0 && !vb) || (jp >= 0 && !vp)) {
        free(vb), free(vp);
        return -1;
    }
    diff_of(vb, vp, runs, o);
    snprintf(o->name, sizeof o->name, "%s", name);
    snprintf(o->section, sizeof o->section, "total");
    snprintf(o->measure, sizeof o->measure, "%s", name);
    snprintf(o->unit, sizeof o->unit, "%s", !strncmp(name, "exhaustion_", 11) ? "h"
             : jb >= 0 ? b->units[jb] : p->units[jp]);
    free(vb), free(vp);
    return 0;
}

static long table_ent(const rep_table *t, const char *name)
{
    for (size_t e = 0; t && e < t->nent; e++)
        if (!strcmp(t->ent[e], name))
            return (long)e;
    return -1;
}

static int section_rows(rows_buf *out, const rep_table *tb, const rep_table *tp, size_t runs)
{
    const rep_table *t = tb ? tb : tp;
    double *vb = malloc((runs + 1) * sizeof *vb), *vp = malloc((runs + 1) * sizeof *vp);
    int rc = vb && vp ? 0 : -1;
    /* entities of base, then those only in policy */
    for (int pass = 0; rc == 0 && pass < 2; pass++) {
        const rep_table *src = pass ? tp : tb;
        for (size_t e = 0; src && rc == 0 && e < src->nent; e++) {
            const char *name = src->ent[e];
            if (pass && table_ent(tb, name) >= 0)
                continue;
            long eb = table_ent(tb, name), ep = table_ent(tp, name);
            for (size_t m = 0; rc == 0 && m < t->nmeas; m++) {
                for (size_t r = 0; r < runs; r++)
                    vb[r] = eb >= 0 && r < tb->nruns ? cell(tb, (size_t)eb, m)[r] : NAN;
                for (size_t r = 0; r < runs; r++)
                    vp[r] = ep >= 0 && r < tp->nruns ? cell(tp, (size_t)ep, m)[r] : NAN;
                rep_row *o = rows_add(out);
                if (!o) {
                    rc = -1;
                    break;
                }
                diff_of(eb >= 0 ? vb : NULL, ep >= 0 ? vp : NULL, runs, o);
                o->unknown = (eb >= 0 && tb->unk[(size_t)eb * tb->nmeas + m])
                             | (ep >= 0 && tp->unk[(size_t)ep * tp->nmeas + m]) << 1;
                snprintf(o->section, sizeof o->section, "%s", section_names[t->sec]);
                snprintf(o->entity, sizeof o->entity, "%s", name);
                snprintf(o->measure, sizeof o->measure, "%s", t->meas[m].key);
                snprintf(o->name, sizeof o->name, "%s.%s.%s", section_names[t->sec], name,
                         t->meas[m].key);
                snprintf(o->unit, sizeof o->unit, "%s",
                         t->meas[m].flags & M_DATE ? "h" : t->meas[m].unit);
            }
        }
    }
    free(vb);
    free(vp);
    return rc;
}

/* Adds t's notes to the section's, each once. */
static void notes_add(rep_notes *notes, const rep_table *t)
{
    size_t cap = sizeof notes->text[0] / sizeof notes->text[0][0];
    for (size_t k = 0; t && k < t->nnotes; k++) {
        size_t *n = &notes->n[t->sec], i = 0;
        while (i < *n && strcmp(notes->text[t->sec][i], t->notes[k]))
            i++;
        if (i == *n && *n < cap)
            snprintf(notes->text[t->sec][(*n)++], sizeof notes->text[0][0], "%s", t->notes[k]);
    }
}

int rep_compare_rows(const rep_arm *b, const rep_arm *p, unsigned mask, rep_row **rows,
                     size_t *n, rep_notes *notes)
{
    rows_buf out = { NULL, 0, 0 };
    if (notes)
        memset(notes, 0, sizeof *notes);
    size_t runs = b->nruns > p->nruns ? b->nruns : p->nruns;
    int rc = 0;
    for (size_t i = 0; rc == 0 && headline[i]; i++)
        rc = total_row(&out, b, p, headline[i], runs);
    for (int pass = 0; pass < 2; pass++) {
        const rep_arm *a = pass ? p : b;
        for (size_t j = 0; rc == 0 && j < a->ncols; j++) {
            int seen = 0;
            for (size_t i = 0; headline[i]; i++)
                seen |= !strcmp(headline[i], a->names[j]);
            if (pass)
                seen |= arm_col(b, a->names[j]) >= 0;
            if (!seen)
                rc = total_row(&out, b, p, a->names[j], runs);
        }
    }
    for (int s = 0; rc == 0 && s < REP_SECTIONS; s++) {
        if (!(mask & (1u << s)) || !b->r || !p->r)
            continue;
        rep_table *tb = rep_collect(b->r, (rep_section)s), *tp = rep_collect(p->r, (rep_section)s);
        rc = tb && tp ? section_rows(&out, tb, tp, runs) : -1;
        if (rc == 0 && notes) {
            notes_add(notes, tb);
            notes_add(notes, tp);
        }
        rep_table_free(tb);
        rep_table_free(tp);
    }
    if (rc != 0) {
        free(out.v);
        return -1;
    }
    *rows = out.v;
    *n = out.n;
    return 0;
}

/* ---- printing a comparison ---- */

static int is_hours_date(const rep_row *r)
{
    return !strncmp(r->measure, "exhaustion_", 11) || !strncmp(r->measure, "runout_", 7);
}

/* An arm's mean time as a date over the runs in which it happens. */
static void arm_date(const rep_arm *a, double mean_h, size_t k, size_t runs, char *buf, size_t n)
{
    char d[16];
    if (k == 0)
        snprintf(buf, n, "not in %zu runs", runs);
    else if (a->start && cmd_date_after(a->start, mean_h, d) == 0)
        snprintf(buf, n, "%s (%zu/%zu)", d, k, runs);
    else {
        char h[32];
        out_fmt_num(mean_h, h, sizeof h);
        snprintf(buf, n, "%s h (%zu/%zu)", h, k, runs);
    }
}

static void row_cells(const rep_arm *b, const rep_arm *p, const rep_row *r, char c[7][64])
{
    char t[48];
    snprintf(c[0], 64, "%.63s", r->section[0] == 't' ? r->name : r->measure);
    snprintf(c[1], 64, "%s", is_hours_date(r) ? "date" : r->unit);
    snprintf(c[5], 64, "NA");
    snprintf(c[6], 64, "NA");
    if (is_hours_date(r)) {
        if (r->absent == 1)
            snprintf(c[2], 64, "absent");
        else
            arm_date(b, r->base, r->nb, r->runs, c[2], 64);
        if (r->absent == 2)
            snprintf(c[3], 64, "absent");
        else
            arm_date(p, r->policy, r->np, r->runs, c[3], 64);
        if (isfinite(r->diff)) {
            out_fmt_num(r->diff / 24.0, t, sizeof t);
            snprintf(c[4], 64, "%s%s d (%zu)", r->diff > 0 ? "+" : "", t, r->n);
        } else
            snprintf(c[4], 64, "-");
        if (isfinite(r->hw_paired)) {
            out_fmt_num(r->hw_paired / 24.0, t, sizeof t);
            snprintf(c[5], 64, "+-%s d", t);
        }
        if (isfinite(r->hw_unpaired)) {
            out_fmt_num(r->hw_unpaired / 24.0, t, sizeof t);
            snprintf(c[6], 64, "+-%s d", t);
        }
        return;
    }
    /* a share as a percentage, its difference in percentage points */
    const char *unit;
    double k = rep_diff_scale(r->name, r->unit, &unit);
    snprintf(c[1], 64, "%s", unit);
    out_fmt_num(k * r->base, c[2], 64);
    out_fmt_num(k * r->policy, c[3], 64);
    if (r->absent == 1)
        snprintf(c[2], 64, "absent");
    if (r->absent == 2)
        snprintf(c[3], 64, "absent");
    if (!strcmp(r->unit, "h") && strstr(r->measure, "wait")) {
        if (!r->absent && r->nb == 0 && !(r->unknown & 1))
            snprintf(c[2], 64, "no jobs");
        if (!r->absent && r->np == 0 && !(r->unknown & 2))
            snprintf(c[3], 64, "no jobs");
    }
    if (r->absent)
        snprintf(c[4], 64, "-");
    else
        out_fmt_num(k * r->diff, c[4], 64);
    if (isfinite(r->hw_paired)) {
        out_fmt_num(k * r->hw_paired, t, sizeof t);
        snprintf(c[5], 64, "+-%s", t);
    }
    if (isfinite(r->hw_unpaired)) {
        out_fmt_num(k * r->hw_unpaired, t, sizeof t);
        snprintf(c[6], 64, "+-%s", t);
    }
}

static void print_block(const rep_arm *b, const rep_arm *p, const rep_row *rows,
                        size_t from, size_t to, int indent, FILE *f)
{
    size_t w[7] = { 0 };
    char c[7][64];
    const char *head[7] = { indent ? "measure" : "total", "unit", b->label, p->label,
                            "difference", "95% paired", "unpaired" };
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = from; i <= to; i++) {
            if (i == from && pass == 1) {   /* the header first */
                fputs(indent ? "    " : "", f);
                for (int k = 0; k < 7; k++) {
                    if (k)
                        fputs("  ", f);
                    pad(f, head[k], w[k], k >= 2);
                }
                fputc('\n', f);
            }
            if (i == to) {
                for (int k = 0; pass == 0 && k < 7; k++)
                    if (width(head[k]) > w[k])
                        w[k] = width(head[k]);
                continue;
            }
            row_cells(b, p, &rows[i], c);
            for (int k = 0; pass == 0 && k < 7; k++)
                if (width(c[k]) > w[k])
                    w[k] = width(c[k]);
            if (pass == 0)
                continue;
            fputs(indent ? "    " : "", f);
            for (int k = 0; k < 7; k++) {
                if (k)
                    fputs("  ", f);
                pad(f, c[k], w[k], k >= 2);
            }
            fputc('\n', f);
        }
}

/* A section with more entities than this is printed as wide tables, one
 * row group per entity, instead of a block per entity. */
enum { REP_BLOCKS_MAX = 10 };

/* rows[from..to) of one section as wide tables: per part of the section's
 * measures, one column per measure, three lines per entity (base, policy,
 * change with its paired half-width). */
static void print_wide(const rep_arm *b, const rep_arm *p, const rep_row *rows, size_t from,
                       size_t to, FILE *f)
{
    const rep_measure *meas = NULL;
    size_t nmeas = 0;
    for (int k = 0; k < REP_SECTIONS; k++)
        if (!strcmp(rows[from].section, section_names[k])) {
            meas = k == REP_PROGRAM ? program_meas : k == REP_CITY ? city_meas : region_meas;
            nmeas = k == REP_PROGRAM ? PM_COUNT : k == REP_CITY ? CM_COUNT : RM_COUNT;
        }
    if (!meas)
        return;
    size_t nent = 0;
    for (size_t k = from; k < to; k++)
        nent += k == from || strcmp(rows[k].entity, rows[k - 1].entity) != 0;
    int parts = 0;
    for (size_t m = 0; m < nmeas; m++)
        parts = meas[m].part + 1 > parts ? meas[m].part + 1 : parts;
    size_t lines = 2 + 3 * nent;
    char (*c)[18][CELL] = calloc(lines, sizeof *c);
    if (!c)
        return;
    for (int part = 0; part < parts; part++) {
        size_t cols[16], nc = 0;
        for (size_t m = 0; m < nmeas && nc < 16; m++) {
            if (meas[m].part != part)
                continue;
            int any = (meas[m].flags & (M_DATE | M_WAIT)) != 0;
            for (size_t k = from; !any && k < to; k++)
                any = !strcmp(rows[k].measure, meas[m].key) && (rows[k].nb || rows[k].np);
            int present = 0;
            for (size_t k = from; !present && k < to; k++)
                present = !strcmp(rows[k].measure, meas[m].key);
            if (any && present)
                cols[nc++] = m;
        }
        if (!nc)
            continue;
        memset(c, 0, lines * sizeof *c);
        snprintf(c[0][0], CELL, "%s", rows[from].section);
        for (size_t k = 0; k < nc; k++) {
            snprintf(c[0][k + 2], CELL, "%s", meas[cols[k]].head);
            snprintf(c[1][k + 2], CELL, "%s", meas[cols[k]].flags & M_DATE ? "(k/R runs)"
                                               : meas[cols[k]].unit);
        }
        size_t e = 0;
        for (size_t k = from; k < to; e++) {
            size_t l = k;
            while (l < to && !strcmp(rows[l].entity, rows[k].entity))
                l++;
            char (*g)[18][CELL] = &c[2 + 3 * e];
            const char *tag = rows[k].absent == 1 ? " (absent from base)"
                              : rows[k].absent == 2 ? " (absent from policy)" : "";
            snprintf(g[0][0], CELL, "%.26s%.21s", rows[k].entity, tag);
            snprintf(g[0][1], CELL, "%s", b->label);
            snprintf(g[1][1], CELL, "%s", p->label);
            snprintf(g[2][1], CELL, "change");
            for (size_t q = 0; q < nc; q++)
                for (size_t r = k; r < l; r++) {
                    if (strcmp(rows[r].measure, meas[cols[q]].key))
                        continue;
                    char rc[7][64];
                    row_cells(b, p, &rows[r], rc);
                    snprintf(g[0][q + 2], CELL, "%.47s", rc[2]);
                    snprintf(g[1][q + 2], CELL, "%.47s", rc[3]);
                    if (strcmp(rc[5], "NA"))
                        snprintf(g[2][q + 2], CELL, "%.20s %.24s", rc[4], rc[5]);
                    else
                        snprintf(g[2][q + 2], CELL, "%.47s", rc[4]);
                }
            k = l;
        }
        size_t w[18] = { 0 };
        for (size_t l = 0; l < lines; l++)
            for (size_t k = 0; k < nc + 2; k++)
                if (width(c[l][k]) > w[k])
                    w[k] = width(c[l][k]);
        if (part)
            fputc('\n', f);
        for (size_t l = 0; l < lines; l++)
            put_row(f, (const char (*)[CELL])c[l], w, nc + 2, 2);
    }
    free(c);
}

double rep_diff_scale(const char *name, const char *unit, const char **shown)
{
    int share = out_fmt_is_share(name, unit);
    *shown = share ? "%" : unit;
    return share ? 100.0 : 1.0;
}

const char *rep_diff_status(const char *status, double nb, double np)
{
    if (strcmp(status, "both") != 0 || (nb != 0 && np != 0))
        return status;
    return nb == 0 && np == 0 ? "no value in either" : nb == 0 ? "no value in base"
                                                               : "no value in policy";
}

/* A row's unit and numbers (base, policy, difference, paired and unpaired
 * half-widths) and status as CSV and JSON give them. */
static const char *plain_row(const rep_row *r, double v[5])
{
    const char *unit;
    double k = rep_diff_scale(r->name, r->unit, &unit);
    v[0] = k * r->base;
    v[1] = k * r->policy;
    v[2] = k * r->diff;
    v[3] = k * r->hw_paired;
    v[4] = k * r->hw_unpaired;
    return unit;
}

static const char *plain_status(const rep_row *r)
{
    return rep_diff_status(r->absent == 1 ? "absent in base" : r->absent == 2 ? "absent in policy"
                           : "both", (double)r->nb, (double)r->np);
}

static void csv_compare(const rep_row *rows, size_t n, FILE *f)
{
    /* totals first: the header and columns of earlier versions, then status */
    fputs("name,unit,base_mean,policy_mean,diff_mean,diff_ci95_paired,diff_ci95_unpaired,n,"
          "status\n", f);
    size_t i = 0;
    for (; i < n && !strcmp(rows[i].section, "total"); i++) {
        const rep_row *r = &rows[i];
        double v[5];
        const char *unit = plain_row(r, v);
        cmd_csv_str(f, r->name);
        fputc(',', f);
        cmd_csv_str(f, unit);
        for (int k = 0; k < 5; k++) {
            fputc(',', f);
            cmd_csv_num(f, v[k]);
        }
        fprintf(f, ",%zu,%s\n", r->n, plain_status(r));
    }
    if (i == n)
        return;
    fputs("\nsection,entity,measure,unit,base_mean,policy_mean,diff_mean,diff_ci95_paired,"
          "diff_ci95_unpaired,n,n_base,n_policy,runs,status\n", f);
    for (; i < n; i++) {
        const rep_row *r = &rows[i];
        fprintf(f, "%s,", r->section);
        cmd_csv_str(f, r->entity);
        fputc(',', f);
        cmd_csv_str(f, r->measure);
        fputc(',', f);
        double v[5];
        cmd_csv_str(f, plain_row(r, v));
        for (int k = 0; k < 5; k++) {
            fputc(',', f);
            cmd_csv_num(f, v[k]);
        }
        fprintf(f, ",%zu,%zu,%zu,%zu,%s\n", r->n, r->nb, r->np, r->runs, plain_status(r));
    }
}

static void json_compare(const rep_arm *b, const rep_arm *p, const rep_row *rows, size_t n,
                         FILE *f)
{
    fputs("{\"base\": ", f);
    cmd_json_str(f, b->scenario);
    fputs(", \"policy\": ", f);
    cmd_json_str(f, p->scenario);
    fprintf(f, ", \"replications\": %zu, \"rows\": [\n", b->nruns > p->nruns ? b->nruns : p->nruns);
    for (size_t i = 0; i < n; i++) {
        const rep_row *r = &rows[i];
        fputs("  {\"name\": ", f);
        cmd_json_str(f, r->name);
        fputs(", \"section\": ", f);
        cmd_json_str(f, r->section);
        fputs(", \"entity\": ", f);
        cmd_json_str(f, r->entity);
        fputs(", \"measure\": ", f);
        cmd_json_str(f, r->measure);
        fputs(", \"unit\": ", f);
        double v[5];
        cmd_json_str(f, plain_row(r, v));
        const char *k[5] = { "base_mean", "policy_mean", "diff_mean", "diff_ci95_paired",
                             "diff_ci95_unpaired" };
        for (int j = 0; j < 5; j++) {
            fprintf(f, ", \"%s\": ", k[j]);
            cmd_json_num(f, v[j]);
        }
        fprintf(f, ", \"n\": %zu, \"n_base\": %zu, \"n_policy\": %zu, \"status\": \"%s\"}%s\n",
                r->n, r->nb, r->np, plain_status(r), i + 1 < n ? "," : "");
    }
    fputs("]}\n", f);
}

/* 1 when scalar name is a per-program total NAME.<program>, <program> a
 * name of /entities/program of either arm. Per-year (NAME.2026,
 * NAME.<program>.2026) and per-investment (NAME.<investment>) scalars are
 * not: they stay among the totals. */
static int program_total(const rep_arm *b, const rep_arm *p, const char *name)
{
    const char *dot = strchr(name, '.');
    if (!dot || !dot[1])
        return 0;
    const rep_arm *arm[2] = { b, p };
    for (int k = 0; k < 2; k++) {
        size_t ne = 0;
        const char *const *ents = arm[k]->r ? out_reader_entities(arm[k]->r, "program", &ne) : NULL;
        for (size_t e = 0; ents && e < ne; e++)
            if (!strcmp(ents[e], dot + 1))
                return 1;
    }
    return 0;
}

void rep_compare_print(const rep_arm *b, const rep_arm *p, const rep_row *rows, size_t n,
                       const rep_notes *notes, int fmt, FILE *f)
{
    if (fmt == REP_FMT_CSV) {
        csv_compare(rows, n, f);
        return;
    }
    if (fmt == REP_FMT_JSON) {
        json_compare(b, p, rows, n, f);
        return;
    }
    size_t runs = b->nruns > p->nruns ? b->nruns : p->nruns;
    if (!strcmp(p->scenario, b->scenario))
        fprintf(f, "%s: %s - %s, %zu replication%s on common random numbers\n\n", p->scenario,
                p->label, b->label, runs, runs == 1 ? "" : "s");
    else
        fprintf(f, "%s (%s) - %s (%s), %zu replication%s on common random numbers\n\n",
                p->scenario, p->label, b->scenario, b->label, runs, runs == 1 ? "" : "s");
    size_t nt = 0, absent = 0;
    while (nt < n && !strcmp(rows[nt].section, "total"))
        absent += rows[nt++].absent != 0;
    /* With the program section, the per-program totals (name.program) are
     * shown there, with the rest of each program's answers. */
    int by_program = 0;
    for (size_t i = nt; i < n; i++)
        by_program |= !strcmp(rows[i].section, "program");
    rep_row *keep = malloc((n + 1) * sizeof *keep);
    size_t nk = 0, dropped = 0;
    if (!keep)
        return;
    for (size_t i = 0; i < n; i++) {
        const rep_row *r = &rows[i];
        int per_program = i < nt && program_total(b, p, r->name);
        int empty = i >= nt && !r->absent && r->nb == 0 && r->np == 0 && !is_hours_date(r);
        if ((by_program && per_program) || empty) {
            dropped += empty;
            if (i < nt && r->absent)
                absent--;
            continue;
        }
        keep[nk++] = *r;
    }
    rows = keep;
    n = nk;
    nt = 0;
    while (nt < n && !strcmp(rows[nt].section, "total"))
        nt++;
    if (nt)
        print_block(b, p, rows, 0, nt, 0, f);
    if (by_program)
        fputs("(totals per program, name.<program>: under \"by program\")\n", f);
    if (absent)
        fprintf(f, "(\"absent\": %zu total%s recorded by one arm only, e.g. a program that only "
                "one scenario has)\n", absent, absent == 1 ? "" : "s");
    fputs("dates: the mean over the runs in which it happens (k/R); differences over the "
          "runs in which both do\n", f);
    int shares = 0;
    for (size_t i = 0; i < n; i++)
        shares |= out_fmt_is_share(rows[i].name, rows[i].unit) || !strcmp(rows[i].unit, "%");
    if (shares)
        fputs("%: shares as percentages, their differences in percentage points\n", f);
    for (size_t i = nt; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(rows[j].section, rows[i].section))
            j++;
        fprintf(f, "\nby %s:\n", rows[i].section);
        size_t nent = 0;
        for (size_t k = i; k < j; k++)
            nent += k == i || strcmp(rows[k].entity, rows[k - 1].entity) != 0;
        if (nent > REP_BLOCKS_MAX) {
            fprintf(f, "  (%zu %s: per %s its %s and %s value and the change %s - %s with "
                    "its 95%% paired half-width)\n", nent, rows[i].section[0] == 'c' ? "cities"
                    : rows[i].section[0] == 'r' ? "regions" : "programs", rows[i].section,
                    b->label, p->label, p->label, b->label);
            print_wide(b, p, rows, i, j, f);
        } else {
            for (size_t k = i; k < j;) {
                size_t l = k;
                while (l < j && !strcmp(rows[l].entity, rows[k].entity))
                    l++;
                const char *tag = rows[k].absent == 1 ? " (absent from base)"
                                  : rows[k].absent == 2 ? " (absent from policy)" : "";
                fprintf(f, "  %s%s\n", rows[k].entity, tag);
                print_block(b, p, rows, k, l, 1, f);
                k = l;
            }
        }
        int sec = rep_section_of(rows[i].section);
        for (size_t k = 0; notes && sec >= 0 && k < notes->n[sec]; k++)
            fprintf(f, "  note: %s\n", notes->text[sec][k]);
        i = j;
    }
    if (dropped)
        fprintf(f, "(%zu measure%s that neither arm records left out: subsidy per additional "
                "GPU-hour of a program needs the scalar gpu_hours_additional.<program>, the jobs "
                "behind a region's firm wait firm_jobs_started_<region>)\n", dropped,
                dropped == 1 ? "" : "s");
    free(keep);
}
