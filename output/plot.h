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
 * with several runs, lines show the mean across runs and bands the 5-95%
 * range (from /series_stats). */
#ifndef OUTPUT_PLOT_H
#define OUTPUT_PLOT_H

#include <stddef.h>

#include "output/reader.h"
#include "sim/err.h"

typedef enum {
    OUT_CHART_UTILIZATION = 0,  /* region/utilization (+ datacenter/utilization), % */
    OUT_CHART_BUDGET,           /* program budget remaining and spent, M CNY */
    OUT_CHART_SPEND,            /* city cumulative subsidy and co-payment, M CNY */
    OUT_CHART_DEMAND,           /* city firms arrived, buying, additional, deadweight */
    OUT_CHART_WAIT,             /* region mean wait, h */
    OUT_CHART_COUNT
} out_chart;

/* "utilization", ... */
const char *out_chart_name(out_chart c);
/* Returns 0 and sets *c, or -1 when s names no chart. */
int out_chart_parse(const char *s, out_chart *c);

/* Finds gnuplot and copies its path to buf. SIM_ENOENT with the message
 * "gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox)"
 * (or naming $VOUCHSIM_GNUPLOT when that is set but not executable). */
int out_gnuplot_find(char *buf, size_t size, sim_err *err);

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

#endif
