/* output/plot.h - charts of a vouchsim file, drawn by gnuplot.
 *
 * gnuplot is found at run time: $VOUCHSIM_GNUPLOT when set, else `gnuplot`
 * on PATH. Data and a script go to a private directory
 * (.vouchsim-plot-XXXXXX) in the chart's directory, where gnuplot runs on
 * names vouchsim chose and writes the chart to its standard output; no
 * user path or name reaches the script except as a quoted title. The
 * chart's format follows the output's extension (.png: pngcairo, or png
 * when cairo is missing; .svg; .pdf: pdfcairo). Series are looked up by
 * group and name (the names charts expect are listed in output/README.md);
 * with several runs, lines show the mean across runs and bands the range
 * of the runs (fewer than OUT_PLOT_RANGE_RUNS) or their 5th to 95th
 * percentile (from /series_stats). */
#ifndef OUTPUT_PLOT_H
#define OUTPUT_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "output/reader.h"
#include "sim/err.h"

typedef enum {
    OUT_CHART_UTILIZATION = 0,  /* region/utilization (+ datacenter/utilization), % */
    OUT_CHART_BUDGET,           /* program budget remaining and spent, M CNY */
    OUT_CHART_SPEND,            /* city cumulative subsidy and co-payment, M CNY */
    OUT_CHART_DEMAND,           /* city firms arrived, buying, additional, deadweight */
    OUT_CHART_WAIT,             /* region mean wait, h */
    OUT_CHART_RESPONSE,         /* sweeps: a total against each varied key, 95% intervals */
    OUT_CHART_SOBOL,            /* Sobol designs: S1 and ST of a total per key, bootstrap intervals */
    OUT_CHART_DIFFERENCE,       /* comparisons: paired differences of totals, 95% intervals */
    OUT_CHART_UTIL_DIFFERENCE,  /* comparisons: region utilization, policy - base over time */
    OUT_CHART_COUNT
} out_chart;

/* With fewer runs than this (and at least 2), a chart's band is the
 * range of the runs (min to max, read from every run), labelled so; with
 * more, the 5th to 95th percentile of /series_stats. The caller verifies
 * every run of such a file before drawing (OUT_VERIFY_RUNS). */
enum { OUT_PLOT_RANGE_RUNS = 20 };

/* "utilization", ... */
const char *out_chart_name(out_chart c);
/* Returns 0 and sets *c, or -1 when s names no chart. */
int out_chart_parse(const char *s, out_chart *c);

/* What to draw. Entity selections (several names each; NULL/0: all)
 * apply to the series of their group; --region also selects the data
 * centers, cities and programs of that region, and --city the programs
 * of that city, when the file records the entities' coordinates
 * (/runs/0000/series/<group>/region, .../program/city). */
typedef struct out_plot_opts {
    const char *const *regions;
    size_t             nregions;
    const char *const *datacenters;
    size_t             ndatacenters;
    const char *const *cities;
    size_t             ncities;
    const char *const *programs;
    size_t             nprograms;
    const char        *outcome;     /* response, sobol: a scalar; NULL: firms_additional or the first */
    const char        *key;         /* response: one varied key; NULL: a panel per key */
    const char *const *outcomes;    /* difference: the rows (a total, or a measure of the */
    size_t             noutcomes;   /* selected entities); 0: the headline totals */
    const char        *arm;         /* series charts of one arm of a comparison file: what
                                     * the title says of it ("arm counterfactual, vouchers
                                     * off"); NULL: a file of its own */
    const size_t      *point;       /* a sweep's series charts: only the runs of this point
                                     * (from 0); NULL: every point's runs pooled */
} out_plot_opts;

/* Checks the names in o against the file: each selected name against
 * /entities/<group>, outcome against /scalars, key against /sweep/params.
 * SIM_EINVAL with "unknown data center 'wuhu-1' (did you mean
 * 'wuhu-a'?)" and the names the file has when there are few; SIM_ENOENT
 * when the file has no such group; SIM_EINVAL when point is set and the
 * file is no sweep or has no such point. note (may be NULL) gets what the
 * selection cannot do with this file ("region unknown: ..."), or "". */
int out_plot_check(const out_reader *r, const out_plot_opts *o, char *note, size_t note_size,
                   sim_err *err);

/* A comparison file (compare -o): its two arms, each read as a file of
 * its own (out_reader_open_group(path, "/arms/<arm>")), base first, and
 * its /compare/differences (NULL when absent). Borrowed. */
typedef struct out_plot_cmp {
    const out_reader *arm[2];       /* base, policy */
    const char       *name[2];      /* "base", "policy"; or "counterfactual", "vouchers" */
    const out_table  *diffs;
} out_plot_cmp;

/* out_plot_check for a comparison: entity names against either arm,
 * outcomes against the `total` and `measure` columns of
 * /compare/differences; --key is refused (not a sweep). */
int out_plot_cmp_check(const out_plot_cmp *a, const out_plot_opts *o, char *note,
                       size_t note_size, sim_err *err);

/* Draws chart c of a comparison into out_path. The series charts draw
 * both arms (dash by arm: policy solid, base dashed; colour by entity;
 * each arm's band); difference draws /compare/differences rows
 * (the headline totals and the run-out rows of the programs whose arms
 * differ in them, o->outcomes, or the measures of the selected regions,
 * cities and programs) as intervals around zero, a panel per unit; a
 * run-out row without a paired value (an arm never runs out) as a
 * timeline of the window, each arm's mean date with its 95% interval from
 * the arm's scalars or an arrow to the window's end; utilization-difference draws policy - base of region/utilization
 * (and of the data centers named) over time, the mean over the runs
 * paired by run index (= replication) with its 95% Student-t band.
 * Codes as out_plot_opts_draw; SIM_ENOENT for response and sobol. */
int out_plot_cmp_draw(const out_plot_cmp *a, out_chart c, const out_plot_opts *o,
                      const char *out_path, sim_err *err);

/* Does chart c need a comparison (difference, utilization-difference)? */
int out_chart_compares(out_chart c);

/* Finds gnuplot and copies its path to buf. SIM_ENOENT with the message
 * "gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox)"
 * (or naming $VOUCHSIM_GNUPLOT when that is set but not executable). */
int out_gnuplot_find(char *buf, size_t size, sim_err *err);

/* Asks the chart being drawn to stop: async-signal-safe (it sets a flag),
 * for a signal handler. A gnuplot running is killed and waited for, the
 * private directory removed, nothing renamed into place; the draw
 * functions then fail (SIM_EIO, "interrupted") and so do later calls. */
void out_plot_interrupt(void);

/* "dir/base_utilization.png" for base "dir/base.png" and chart c. Returns
 * 0, or -1 when buf is too small. */
int out_plot_path(const char *base, out_chart c, char *buf, size_t size);

/* Draws chart c of the file read by r into out_path. Returns SIM_OK;
 * SIM_EINVAL for an unknown extension; SIM_ENOENT when gnuplot or the
 * series the chart needs are missing; SIM_ELIB when gnuplot fails (its
 * first error lines in the message) or writes an incomplete chart; SIM_EIO
 * when a file cannot be written (the message names out_path and the
 * system's reason, "No space left on device"). The chart is written to a
 * temporary file, checked, fsynced and renamed to out_path: a failed chart
 * leaves nothing at out_path and no temporary file. */
int out_plot(const out_reader *r, out_chart c, const char *out_path, sim_err *err);
/* out_plot with a selection (o may be NULL: everything). SIM_ENOENT also
 * when the selection leaves the chart nothing to draw, or a response or
 * Sobol chart is asked of a file without /sweep/params or /sobol/indices. */
int out_plot_opts_draw(const out_reader *r, out_chart c, const out_plot_opts *o,
                       const char *out_path, sim_err *err);

/* ---- gnuplot for charts drawn elsewhere (output/plot_search.c) ---- */

/* Draws a w x h chart into out_path (.png, .svg or .pdf) as out_plot
 * does: in a private directory beside it, write(gp, dir, ctx, err) adds
 * its commands to the script gp (whose terminal is set, output standard
 * output) and its data files to dir; then gnuplot runs there, the chart is
 * checked whole, fsynced and renamed to out_path, and the directory is
 * removed (kept with VOUCHSIM_KEEP_PLOT_FILES). write returns SIM_OK or
 * sets err. Nothing is left at out_path on a failure. */
int out_chart_draw(const char *out_path, int w, int h,
                   int (*write)(FILE *gp, const char *dir, void *ctx, sim_err *err), void *ctx,
                   sim_err *err);

/* ---- the search chart of `vouchsim optimize` (output/plot_search.c) ---- */

enum { OUT_SEARCH_OTHER = 0, OUT_SEARCH_CHOSEN, OUT_SEARCH_INFEASIBLE };

/* One candidate as the chart shows it: in the search (round >= 1, its
 * estimate over the search's replications) or in the selection (round 0,
 * over the selection's fresh replications). */
typedef struct out_search_point {
    const char *label;      /* "key=value ..." (data only, never a command) */
    double      x;          /* the one numeric decision variable; NaN: by label */
    double      mean, lo, hi;   /* mean objective and its 95% interval (lo, hi NaN: none) */
    size_t      reps;       /* replications simulated */
    unsigned    round;      /* search round (1, 2, ...), 0: the selection */
    int         status;     /* OUT_SEARCH_* */
    const double *lhs;      /* per constraint of out_search_info: the mean of its left
                             * side and its 95% interval (3 numbers each, NaN: none);
                             * NULL: not known */
} out_search_point;

/* A constraint of the search, as the chart shows it. */
typedef struct out_search_bound {
    const char *text;       /* as given: "subsidy_total <= 390M tol 5M" (data only) */
    const char *lhs;        /* its left side as written: "subsidy_total" (data only) */
    const char *unit;       /* the left side's unit when it is one scalar; NULL: none */
    int         ge;         /* 1: lhs >= bound; 0: lhs <= bound */
    double      bound;      /* the right side when it is a number; NaN otherwise */
} out_search_bound;

/* What the search chart shows besides the points. */
typedef struct out_search_info {
    const char *objective;  /* as given: "gpu_hours_total" or an expression (data only) */
    const char *unit;       /* its unit when it is one scalar ("GPU-h", "CNY", "h", "1");
                             * NULL: an expression, drawn without a unit */
    int         maximize;
    const char *xname;      /* the x axis: the key or keys */
    const out_search_bound *bounds;
    size_t      nbounds;
} out_search_info;

/* Is a quantity of this unit never negative (counts, hours, GPU-hours,
 * money, shares: "firms", "h", "GPU-h", "CNY", "1" ...)? Charts draw its
 * intervals from 0 at the lowest (and say so); differences are never
 * clipped. NULL or an unknown unit: 0. */
int out_unit_nonneg(const char *unit);

/* Draws the search and the selection into out_path (.png, .svg, .pdf):
 * above, each candidate's mean objective with its 95% interval, the
 * search's rounds in shades, the selection's finalists in black, the
 * infeasible crossed in red and the chosen ringed and named beside its
 * ring; the y range covers every interval drawn (a mean beyond 4 spans of
 * the selection's intervals at the edge without its interval, an
 * interval reaching that far cut there and marked); the y axis labelled
 * with the objective and its unit (CNY in M CNY); under it, for each
 * constraint whose left side the points carry (lhs), a panel of that left
 * side with the bound as a dashed line (a bound on the objective itself
 * is drawn on the objective's panel), labelled along it where no point or
 * interval lies, else in the key; at the bottom, the replications each
 * candidate cost. Every constraint is stated in the title, centred on the
 * chart in lines that fit it. An interval of a quantity that cannot be negative
 * (out_unit_nonneg) is drawn from 0 at the lowest, and the legend says
 * so. x is the decision variable when every point has one, else the
 * candidates by label. The objective, the constraints, xname and the
 * labels go to gnuplot only as data. Written as out_plot writes
 * (temporary file, checked, fsynced, renamed); the same errors. */
int out_plot_search_info(const out_search_point *pts, size_t n, const out_search_info *info,
                         const char *out_path, sim_err *err);

/* out_plot_search_info without units or constraints. */
int out_plot_search(const out_search_point *pts, size_t n, const char *objective,
                    int maximize, const char *xname, const char *out_path, sim_err *err);

#endif
