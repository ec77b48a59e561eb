/* output/plot_search.c - the chart of `vouchsim optimize`'s search and
 * selection (out_plot_search in plot.h).
 *
 * Above: each candidate's mean objective with its 95% interval, the search
 * rounds in shades of blue, the finalists' selection estimates (on fresh
 * replications) in black beside them, infeasible candidates crossed in
 * red, the chosen one ringed in green and named. Below: the replications
 * each candidate cost, search and selection side by side.
 *
 * gnuplot runs through plot.c's machinery (out_chart_draw) in a private
 * directory. No user string - the objective, the keys, the values -
 * reaches the script: they go to data files, which the script reads into
 * string variables with `stats`; the script's own text is vouchsim's. */
#include "output/plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A string for a tab-separated data file: tabs, line breaks and control
 * characters become spaces, double quotes (which gnuplot reads as
 * quoting) single ones. */
static void put_text(FILE *f, const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        fputc(c < 0x20 || c == 0x7f ? ' ' : c == '"' ? '\'' : c, f);
    }
}

static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("NaN", f);
}

static FILE *open_in(const char *dir, const char *name, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    return fopen(path, "w");
}

static int close_checked(FILE *f)
{
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    return bad ? -1 : 0;
}

static const char *const round_colour[] = { "#9ecae1", "#6baed6", "#3182bd", "#08519c",
                                            "#08306b" };

/* The data files and the script. */
/* What the chart shows (out_plot_search's arguments). */
typedef struct search_ctx {
    const out_search_point *pts;
    size_t      n;
    const char *objective, *xname, *out_path;
    int         maximize;
} search_ctx;

/* The data files into dir and the commands into gp (out_chart_draw). */
static int write_files(FILE *gp, const char *dir, void *ctx, sim_err *err)
{
    const search_ctx *x = ctx;
    const out_search_point *pts = x->pts;
    size_t n = x->n;
    const char *objective = x->objective, *xname = x->xname, *out_path = x->out_path;
    int maximize = x->maximize;
    char path[4400];
    int by_x = 1;
    unsigned rounds = 0;
    size_t chosen = n, nsel = 0;
    for (size_t i = 0; i < n; i++) {
        by_x &= isfinite(pts[i].x);
        if (pts[i].round > rounds)
            rounds = pts[i].round;
        if (pts[i].round == 0) {
            nsel++;
            if (pts[i].status == OUT_SEARCH_CHOSEN)
                chosen = i;
        }
    }
    /* x positions: the variable, or the labels in order of appearance */
    double *xs = calloc(n ? n : 1, sizeof *xs);
    if (!xs)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    size_t nlab = 0;
    for (size_t i = 0; i < n; i++) {
        if (by_x) {
            xs[i] = pts[i].x;
            continue;
        }
        xs[i] = -1;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(pts[j].label, pts[i].label)) {
                xs[i] = xs[j];
                break;
            }
        if (xs[i] < 0)
            xs[i] = (double)nlab++;
    }
    double xmin = INFINITY, xmax = -INFINITY, gap = INFINITY;
    for (size_t i = 0; i < n; i++) {
        xmin = fmin(xmin, xs[i]);
        xmax = fmax(xmax, xs[i]);
        for (size_t j = 0; j < i; j++)
            if (xs[j] != xs[i])
                gap = fmin(gap, fabs(xs[j] - xs[i]));
    }
    if (!isfinite(gap))
        gap = xmax > xmin ? xmax - xmin : 1.0;
    double pad = xmax > xmin ? 0.06 * (xmax - xmin) : 1.0;
    if (pad < 0.6 * gap)
        pad = 0.6 * gap;
    double off = 0.22 * gap;    /* the selection's estimate beside the search's */
    double bw = 0.4 * gap;

    /* y: the selection's intervals and the search's means; a search mean
     * far beyond them (an unstable queue's cost) is drawn at the edge */
    double ylo = INFINITY, yhi = -INFINITY, clo = INFINITY, chi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double lo = isfinite(pts[i].lo) ? pts[i].lo : pts[i].mean;
        double hi = isfinite(pts[i].hi) ? pts[i].hi : pts[i].mean;
        if (!isfinite(pts[i].mean))
            continue;
        if (pts[i].round == 0 || nsel == 0) {
            clo = fmin(clo, lo);
            chi = fmax(chi, hi);
        }
        ylo = fmin(ylo, pts[i].round ? pts[i].mean : lo);
        yhi = fmax(yhi, pts[i].round ? pts[i].mean : hi);
    }
    int clip = 0;
    if (isfinite(clo) && chi > clo) {
        double span = chi - clo;
        if (ylo < clo - 4 * span || yhi > chi + 4 * span) {
            clip = 1;
            ylo = fmax(ylo, clo - 4 * span);
            yhi = fmin(yhi, chi + 4 * span);
        }
    }
    if (!(yhi > ylo)) {
        double c = isfinite(ylo) ? ylo : 0.0;
        ylo = c - 1.0 - fabs(c) * 0.05;
        yhi = c + 1.0 + fabs(c) * 0.05;
    }
    double ypad = 0.06 * (yhi - ylo);
    ylo -= ypad;
    yhi += ypad;

    int rc = SIM_OK;
    FILE *f = NULL;
    /* strings.dat: the objective, the key and the chosen candidate */
    if (!(f = open_in(dir, "strings.dat", path, sizeof path)))
        goto io;
    put_text(f, objective);
    fputc('\t', f);
    put_text(f, xname ? xname : "candidate");
    fputc('\t', f);
    put_text(f, chosen < n ? pts[chosen].label : "none");
    fputc('\n', f);
    if (close_checked(f))
        goto io;
    /* search.dat and select.dat: x mean lo hi reps round|status feasible */
    for (int sel = 0; sel < 2; sel++) {
        if (!(f = open_in(dir, sel ? "select.dat" : "search.dat", path, sizeof path)))
            goto io;
        for (size_t i = 0; i < n; i++) {
            if ((pts[i].round == 0) != sel)
                continue;
            put_num(f, xs[i]);
            fputc('\t', f);
            put_num(f, pts[i].mean);
            fputc('\t', f);
            put_num(f, isfinite(pts[i].lo) ? pts[i].lo : pts[i].mean);
            fputc('\t', f);
            put_num(f, isfinite(pts[i].hi) ? pts[i].hi : pts[i].mean);
            fprintf(f, "\t%zu\t%u\t%d\t", pts[i].reps, pts[i].round, pts[i].status);
            /* column 8: where a mean off the scale is drawn */
            put_num(f, !clip || !isfinite(pts[i].mean) ? NAN : pts[i].mean > yhi ? yhi
                    : pts[i].mean < ylo ? ylo : NAN);
            fputc('\n', f);
        }
        if (close_checked(f))
            goto io;
    }
    /* labels.dat: tic labels when the candidates are not on a numeric axis */
    if (!(f = open_in(dir, "labels.dat", path, sizeof path)))
        goto io;
    for (size_t i = 0; !by_x && i < n; i++) {
        int first = 1;
        for (size_t j = 0; j < i; j++)
            first &= strcmp(pts[j].label, pts[i].label) != 0;
        if (!first)
            continue;
        put_num(f, xs[i]);
        fputc('\t', f);
        put_text(f, pts[i].label);
        fputc('\n', f);
    }
    if (!by_x && !nlab)
        fputs("0\t-\n", f);
    if (by_x)
        fputs("0\t-\n", f);
    if (close_checked(f))
        goto io;

    /* the script: vouchsim's text only */
    f = gp;
    fputs("set datafile separator '\\t'\nset datafile missing 'NaN'\n"
          "objective = ''; xname = ''; chosen = ''\n"
          "stats 'strings.dat' using (objective = strcol(1), xname = strcol(2), "
          "chosen = strcol(3), 0) nooutput\n"
          "set multiplot\n"
          "set grid lc rgb '#e0e0e0'\nset border 3\nset tics nomirror\n"
          "set lmargin at screen 0.09\nset rmargin at screen 0.74\n", f);
    fprintf(f, "set xrange [%.17g:%.17g]\n", xmin - pad, xmax + pad);
    if (!by_x)
        fputs("set xtics ('' 0)\n", f);      /* replaced by the labels' tics */
    /* above: the objective */
    fputs("set tmargin at screen 0.90\nset bmargin at screen 0.40\n", f);
    fprintf(f, "set title sprintf('%s: %%s', objective) font ',12'\n",
            maximize ? "maximize" : "minimize");
    fprintf(f, "set yrange [%.17g:%.17g]\n", ylo, yhi);
    fprintf(f, "set ylabel 'mean objective, 95%% interval'\nset format x ''\nunset xlabel\n"
               "set key outside right top vertical Left reverse samplen 1.5 spacing 1.2\n");
    if (chosen < n)
        fprintf(f, "set label 1 sprintf(\"chosen:\\n%%s\", chosen) at screen 0.75, screen 0.46 "
                   "left front tc rgb '#2ca02c'\n");
    fputs("plot \\\n", f);
    int first = 1;
    for (unsigned r = 1; r <= rounds; r++) {
        const char *col = round_colour[r - 1 < 5 ? r - 1 : 4];
        fprintf(f, "%s  'search.dat' using 1:($6 == %u ? $2 : NaN):3:4 with yerrorbars "
                   "pt 7 ps 0.9 lw 1.2 lc rgb '%s' title 'search round %u'",
                first ? "" : ", \\\n", r, col, r);
        first = 0;
    }
    if (nsel) {
        fprintf(f, "%s  'select.dat' using ($1 + %.17g):2:3:4 with yerrorbars pt 5 ps 0.8 "
                   "lw 1.4 lc rgb '#000000' title '%s'", first ? "" : ", \\\n", rounds ? off : 0.0,
                rounds ? "selection (fresh replications)" : "selection");
        first = 0;
        fprintf(f, ", \\\n  'select.dat' using ($1 + %.17g):($7 == %d ? $2 : NaN) with points "
                   "pt 6 ps 3.2 lw 2.5 lc rgb '#2ca02c' title 'chosen'", rounds ? off : 0.0,
                OUT_SEARCH_CHOSEN);
        fprintf(f, ", \\\n  'select.dat' using ($1 + %.17g):($7 == %d ? $2 : NaN) with points "
                   "pt 2 ps 2 lw 2.5 lc rgb '#d62728' title 'infeasible'", rounds ? off : 0.0,
                OUT_SEARCH_INFEASIBLE);
    }
    if (rounds)
        fprintf(f, ", \\\n  'search.dat' using 1:($7 == %d ? $2 : NaN) with points pt 2 ps 1.6 "
                   "lw 2 lc rgb '#d62728' title 'infeasible in the search (means)'",
                OUT_SEARCH_INFEASIBLE);
    if (clip)
        fprintf(f, ", \\\n  'search.dat' using 1:8 with points pt 8 ps 1.4 lc rgb '#777777' "
                   "title 'mean off the scale'");
    if (first)
        fputs("  NaN notitle", f);
    fputs("\n", f);
    /* below: the replications */
    fputs("unset title\nunset label 1\nunset key\n"
          "set tmargin at screen 0.36\nset bmargin at screen 0.12\n"
          "set ylabel 'replications'\nset autoscale y\nset yrange [0:*]\nset format x '%g'\n"
          "set xlabel xname\nset style fill solid 0.8 noborder\n", f);
    if (!by_x)
        fputs("set xtics rotate by 25 right\n", f);
    fprintf(f, "set boxwidth %.17g absolute\n", bw);
    fprintf(f, "set key outside right top vertical Left reverse samplen 1.5\n"
               "plot 'search.dat' using ($1 - %.17g):5 with boxes lc rgb '#6baed6' "
               "title 'search', \\\n"
               "  'select.dat' using ($1 + %.17g):5 with boxes lc rgb '#333333' "
               "title 'selection'", rounds ? bw / 2 : 0.0, rounds ? bw / 2 : 0.0);
    if (!by_x)
        fputs(", \\\n  'labels.dat' using 1:(NaN):xticlabels(2) notitle", f);
    fputs("\nunset multiplot\n", f);
    free(xs);
    return SIM_OK;
io:
    rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", path,
                     strerror(errno ? errno : EIO));
    free(xs);
    return rc;
}

int out_plot_search(const out_search_point *pts, size_t n, const char *objective,
                    int maximize, const char *xname, const char *out_path, sim_err *err)
{
    search_ctx x = { pts, n, objective, xname, out_path, maximize };
    return out_chart_draw(out_path, 1100, 800, write_files, &x, err);
}
