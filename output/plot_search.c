/* output/plot_search.c - the chart of `vouchsim optimize`'s search and
 * selection (out_plot_search_info in plot.h).
 *
 * Above: each candidate's mean objective with its 95% interval, the search
 * rounds in shades of blue, the finalists' selection estimates (on fresh
 * replications) in black beside them, infeasible candidates crossed in
 * red, the chosen one ringed in green and named; the y axis names the
 * objective and its unit (yuan in millions), and a bound on the objective
 * is a dashed red line. Under it, a panel per constraint whose left side
 * the caller gives, with its bound. Below: the replications each
 * candidate cost, search and selection side by side. The title states
 * every constraint. Intervals of a quantity that cannot be negative start
 * at 0 at the lowest (the data keep the computed end), and say so.
 *
 * gnuplot runs through plot.c's machinery (out_chart_draw) in a private
 * directory. No user string - the objective, the constraints, the keys,
 * the values - reaches the script: they go to data files, which the
 * script reads into string variables with `stats` or draws `with labels`;
 * the script's own text is vouchsim's. */
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

/* What the chart shows (out_plot_search_info's arguments). */
typedef struct search_ctx {
    const out_search_point *pts;
    size_t      n;
    const out_search_info *info;
    const char *out_path;
} search_ctx;

/* A unit as shown, and the factor to it: yuan in millions. */
static double unit_scale(const char *unit, const char **shown)
{
    *shown = unit && *unit ? unit : "";
    if (unit && (!strcmp(unit, "CNY") || !strcmp(unit, "yuan"))) {
        *shown = "M CNY";
        return 1e-6;
    }
    if (unit && !strcmp(unit, "1"))
        *shown = "share";
    return 1.0;
}

/* s without leading and trailing spaces equals t's? */
static int same_trimmed(const char *s, const char *t)
{
    while (*s == ' ')
        s++;
    while (*t == ' ')
        t++;
    size_t ls = strlen(s), lt = strlen(t);
    while (ls && s[ls - 1] == ' ')
        ls--;
    while (lt && t[lt - 1] == ' ')
        lt--;
    return ls == lt && !strncmp(s, t, ls);
}

/* "name (unit)", or "name" without a unit; a long name is what. */
static void axis_text(char *buf, size_t size, const char *name, const char *what,
                      const char *shown)
{
    while (*name == ' ')
        name++;
    size_t len = strlen(name);
    while (len && name[len - 1] == ' ')
        len--;
    if (len > 40 || !len)
        name = what, len = strlen(what);
    if (*shown)
        snprintf(buf, size, "%.*s (%s), mean and 95%% interval", (int)len, name, shown);
    else
        snprintf(buf, size, "%.*s, mean and 95%% interval", (int)len, name);
}

/* The y axis's number format for lo..hi: "%g", or for large numbers
 * gnuplot's mantissa and prefix ("76.5M") with the decimals the tic step
 * needs. */
static void y_format(double lo, double hi, FILE *f)
{
    double big = fmax(fabs(lo), fabs(hi));
    if (!(big >= 1e5) || !(hi > lo)) {
        fputs("set format y '%g'\n", f);
        return;
    }
    double e3 = pow(1000.0, floor(log10(big) / 3.0));
    double step = (hi - lo) / 6.0 / e3;
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step));
    fprintf(f, "set format y '%%.%ds%%c'\n", dec < 0 ? 0 : dec > 4 ? 4 : dec);
}

/* Widens [*lo, *hi] by 6% each side (an empty or one-point range around
 * its value first); a range of a non-negative quantity that starts at 0
 * or above stays at or above 0. */
static void pad_range(double *lo, double *hi, int nonneg)
{
    if (!(*hi > *lo)) {
        double c = isfinite(*lo) ? *lo : 0.0;
        *lo = c - 1.0 - fabs(c) * 0.05;
        *hi = c + 1.0 + fabs(c) * 0.05;
    }
    double pad = 0.06 * (*hi - *lo);
    int at0 = nonneg && *lo >= 0;
    *lo -= pad;
    *hi += pad;
    if (at0 && *lo < 0)
        *lo = 0;
}

/* The range of a constraint panel: the selection's intervals (all points'
 * without a selection) and the bound; a search mean far beyond (an
 * unstable queue's wait) is drawn at the edge. */
static void lhs_range(const out_search_point *pts, size_t n, size_t b, double f, double bound,
                      int nonneg, double *lo, double *hi)
{
    size_t nsel = 0;
    for (size_t i = 0; i < n; i++)
        nsel += pts[i].round == 0 && pts[i].lhs && isfinite(pts[i].lhs[3 * b]);
    double clo = INFINITY, chi = -INFINITY, alo = INFINITY, ahi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!pts[i].lhs || !isfinite(pts[i].lhs[3 * b]))
            continue;
        const double *l = pts[i].lhs + 3 * b;
        double m = l[0] * f, a = (isfinite(l[1]) ? l[1] : l[0]) * f;
        double z = (isfinite(l[2]) ? l[2] : l[0]) * f;
        if (pts[i].round == 0 || nsel == 0) {
            clo = fmin(clo, a);
            chi = fmax(chi, z);
        }
        alo = fmin(alo, pts[i].round ? m : a);
        ahi = fmax(ahi, pts[i].round ? m : z);
    }
    if (isfinite(bound)) {
        clo = fmin(clo, bound * f);
        chi = fmax(chi, bound * f);
    }
    if (isfinite(clo) && chi > clo) {
        double span = chi - clo;
        alo = fmax(fmin(alo, clo), clo - 4 * span);
        ahi = fmin(fmax(ahi, chi), chi + 4 * span);
    } else {
        alo = fmin(alo, clo);
        ahi = fmax(ahi, chi);
    }
    pad_range(&alo, &ahi, nonneg);
    *lo = alo;
    *hi = ahi;
}

/* The data files into dir and the commands into gp (out_chart_draw). */
static int write_files(FILE *gp, const char *dir, void *ctx, sim_err *err)
{
    const search_ctx *x = ctx;
    const out_search_point *pts = x->pts;
    size_t n = x->n;
    const out_search_info *info = x->info;
    const char *objective = info->objective ? info->objective : "objective";
    const char *xname = info->xname, *out_path = x->out_path;
    int maximize = info->maximize;
    size_t nb = info->bounds ? info->nbounds : 0;
    char path[4400];
    int by_x = 1;
    unsigned rounds = 0;
    size_t chosen = n, nsel = 0;
    const char *oshown;
    double of = unit_scale(info->unit, &oshown);
    int ononneg = out_unit_nonneg(info->unit);
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
    /* each constraint: on the objective's panel (its left side is the
     * objective), on a panel of its own (the points carry its left side),
     * or only in the title */
    enum { B_TITLE = 0, B_OBJECTIVE, B_PANEL };
    int *where = calloc(nb + 1, sizeof *where);
    double *bf = calloc(nb + 1, sizeof *bf);
    const char **bshown = calloc(nb + 1, sizeof *bshown);
    if (!where || !bf || !bshown) {
        free(where);
        free(bf);
        free(bshown);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    size_t npanels = 0;
    for (size_t b = 0; b < nb; b++) {
        const out_search_bound *bd = &info->bounds[b];
        bf[b] = unit_scale(bd->unit, &bshown[b]);
        int have = 0;
        for (size_t i = 0; i < n; i++)
            have |= pts[i].lhs && isfinite(pts[i].lhs[3 * b]);
        if (bd->lhs && same_trimmed(bd->lhs, objective) && isfinite(bd->bound)) {
            where[b] = B_OBJECTIVE;
            bf[b] = of;
        } else if (have) {
            where[b] = B_PANEL;
            npanels++;
        }
    }
    /* x positions: the variable, or the labels in order of appearance;
     * the objective as drawn: scaled, its intervals from 0 at the lowest
     * for a quantity that cannot be negative */
    double *xs = calloc(4 * (n ? n : 1), sizeof *xs);
    if (!xs) {
        free(where);
        free(bf);
        free(bshown);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    double *ym = xs + n, *ylw = xs + 2 * n, *yhg = xs + 3 * n;
    int oclipped = 0;
    size_t nlab = 0;
    for (size_t i = 0; i < n; i++) {
        ym[i] = pts[i].mean * of;
        ylw[i] = (isfinite(pts[i].lo) ? pts[i].lo : pts[i].mean) * of;
        yhg[i] = (isfinite(pts[i].hi) ? pts[i].hi : pts[i].mean) * of;
        if (ononneg && ylw[i] < 0) {
            ylw[i] = 0;
            oclipped = 1;
        }
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
        if (!isfinite(ym[i]))
            continue;
        if (pts[i].round == 0 || nsel == 0) {
            clo = fmin(clo, ylw[i]);
            chi = fmax(chi, yhg[i]);
        }
        ylo = fmin(ylo, pts[i].round ? ym[i] : ylw[i]);
        yhi = fmax(yhi, pts[i].round ? ym[i] : yhg[i]);
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
    for (size_t b = 0; b < nb; b++)     /* a bound on the objective stays in view */
        if (where[b] == B_OBJECTIVE) {
            ylo = fmin(ylo, info->bounds[b].bound * of);
            yhi = fmax(yhi, info->bounds[b].bound * of);
        }
    pad_range(&ylo, &yhi, ononneg);

    int rc = SIM_OK;
    FILE *f = NULL;
    /* strings.dat: the objective, the key, the chosen candidate, the y
     * axis's label, the constraints ("subject to ...") */
    if (!(f = open_in(dir, "strings.dat", path, sizeof path)))
        goto io;
    put_text(f, objective);
    fputc('\t', f);
    put_text(f, xname ? xname : "candidate");
    fputc('\t', f);
    put_text(f, chosen < n ? pts[chosen].label : "none");
    fputc('\t', f);
    char ax[600];
    axis_text(ax, sizeof ax, objective, "objective", oshown);
    put_text(f, ax);
    fputc('\t', f);
    for (size_t b = 0; b < nb; b++) {
        fputs(b ? "; " : "subject to ", f);
        put_text(f, info->bounds[b].text ? info->bounds[b].text : "?");
    }
    fputc('\n', f);
    if (close_checked(f))
        goto io;
    /* search.dat and select.dat: x mean lo hi reps round|status feasible;
     * column 8 where a mean off the scale is drawn, 9 the low end as
     * computed (3 the low end as drawn), then per constraint the mean of
     * its left side and its interval as drawn (10 + 3b ...) */
    int *bclipped = calloc(nb + 1, sizeof *bclipped);
    if (!bclipped)
        goto io;
    for (int sel = 0; sel < 2; sel++) {
        if (!(f = open_in(dir, sel ? "select.dat" : "search.dat", path, sizeof path)))
            goto io_b;
        for (size_t i = 0; i < n; i++) {
            if ((pts[i].round == 0) != sel)
                continue;
            put_num(f, xs[i]);
            fputc('\t', f);
            put_num(f, ym[i]);
            fputc('\t', f);
            put_num(f, ylw[i]);
            fputc('\t', f);
            put_num(f, yhg[i]);
            fprintf(f, "\t%zu\t%u\t%d\t", pts[i].reps, pts[i].round, pts[i].status);
            put_num(f, !clip || !isfinite(ym[i]) ? NAN : ym[i] > yhi ? yhi
                    : ym[i] < ylo ? ylo : NAN);
            fputc('\t', f);
            put_num(f, (isfinite(pts[i].lo) ? pts[i].lo : pts[i].mean) * of);
            for (size_t b = 0; b < nb; b++) {
                const double *l = pts[i].lhs ? pts[i].lhs + 3 * b : NULL;
                double m = l ? l[0] * bf[b] : NAN;
                double lo = l ? (isfinite(l[1]) ? l[1] : l[0]) * bf[b] : NAN;
                double hi = l ? (isfinite(l[2]) ? l[2] : l[0]) * bf[b] : NAN;
                if (out_unit_nonneg(info->bounds[b].unit) && lo < 0) {
                    lo = 0;
                    bclipped[b] = 1;
                }
                fputc('\t', f);
                put_num(f, m);
                fputc('\t', f);
                put_num(f, lo);
                fputc('\t', f);
                put_num(f, hi);
            }
            fputc('\n', f);
        }
        if (close_checked(f))
            goto io_b;
    }
    /* bound<b>.dat: the bound as a line across the x range, and its label
     * (data, never the script's text): x y label, then the panel's axis
     * label */
    for (size_t b = 0; b < nb; b++) {
        const out_search_bound *bd = &info->bounds[b];
        char name[40];
        snprintf(name, sizeof name, "bound%zu.dat", b);
        if (!(f = open_in(dir, name, path, sizeof path)))
            goto io_b;
        for (int e = 0; e < 2; e++) {
            put_num(f, e ? xmax + pad : xmin - pad);
            fputc('\t', f);
            put_num(f, isfinite(bd->bound) ? bd->bound * bf[b] : NAN);
            fputs("\tbound: ", f);
            put_text(f, bd->text ? bd->text : "?");
            fputc('\t', f);
            char bax[600];
            axis_text(bax, sizeof bax, bd->lhs ? bd->lhs : "left side", "left side",
                      bshown[b]);
            put_text(f, bax);
            fputc('\n', f);
        }
        if (close_checked(f))
            goto io_b;
    }
    /* labels.dat: tic labels when the candidates are not on a numeric axis */
    if (!(f = open_in(dir, "labels.dat", path, sizeof path)))
        goto io_b;
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
        goto io_b;

    /* the script: vouchsim's text only. The panels, top down: the
     * objective, a panel per constraint drawn on its own, the
     * replications; heights in screen fractions */
    double top = nb ? 0.88 : 0.90, bottom = 0.12, gapy = 0.05;
    double wt = 3.0 + 2.0 * (double)npanels + 1.6;
    double unit_h = (top - bottom - gapy * (double)(npanels + 1)) / wt;
    f = gp;
    fputs("set datafile separator '\\t'\nset datafile missing 'NaN'\n"
          "objective = ''; xname = ''; chosen = ''; ylab = ''; subj = ''\n"
          "stats 'strings.dat' using (objective = strcol(1), xname = strcol(2), "
          "chosen = strcol(3), ylab = strcol(4), subj = strcol(5), 0) nooutput\n"
          "set multiplot\n"
          "set grid lc rgb '#e0e0e0'\nset border 3\nset tics nomirror\n"
          "set lmargin at screen 0.11\nset rmargin at screen 0.74\n", f);
    fprintf(f, "set xrange [%.17g:%.17g]\n", xmin - pad, xmax + pad);
    if (!by_x)
        fputs("set xtics ('' 0)\n", f);      /* replaced by the labels' tics */
    /* above: the objective */
    double y1 = top, y0 = top - 3.0 * unit_h;
    fprintf(f, "set tmargin at screen %.4f\nset bmargin at screen %.4f\n", y1, y0);
    fprintf(f, "set title (subj eq '' ? sprintf('%s: %%s', objective) : "
               "sprintf(\"%s: %%s\\n%%s\", objective, subj)) font ',12'\n",
            maximize ? "maximize" : "minimize", maximize ? "maximize" : "minimize");
    fprintf(f, "set yrange [%.17g:%.17g]\n", ylo, yhi);
    fputs("set ylabel ylab\nset format x ''\nunset xlabel\n"
          "set key outside right top vertical Left reverse samplen 1.5 spacing 1.2\n", f);
    y_format(ylo, yhi, f);                      /* 76.5M, not 7.65e+07 */
    if (chosen < n)
        fprintf(f, "set label 1 sprintf(\"chosen:\\n%%s\", chosen) at screen 0.75, screen %.4f "
                   "left front tc rgb '#2ca02c'\n", y0 + 0.06);
    fputs("plot \\\n", f);
    int first = 1;
    const char *iv = oclipped ? " (intervals from 0)" : "";
    for (unsigned r = 1; r <= rounds; r++) {
        const char *col = round_colour[r - 1 < 5 ? r - 1 : 4];
        fprintf(f, "%s  'search.dat' using 1:($6 == %u ? $2 : NaN):3:4 with yerrorbars "
                   "pt 7 ps 0.9 lw 1.2 lc rgb '%s' title 'search round %u%s'",
                first ? "" : ", \\\n", r, col, r, r == 1 ? iv : "");
        first = 0;
    }
    if (nsel) {
        fprintf(f, "%s  'select.dat' using ($1 + %.17g):2:3:4 with yerrorbars pt 5 ps 0.8 "
                   "lw 1.4 lc rgb '#000000' title '%s%s'", first ? "" : ", \\\n",
                rounds ? off : 0.0, rounds ? "selection (fresh replications)" : "selection",
                rounds ? "" : iv);
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
    for (size_t b = 0; b < nb; b++)
        if (where[b] == B_OBJECTIVE) {
            fprintf(f, "%s  'bound%zu.dat' using 1:2 with lines dt (8,5) lw 1.6 "
                       "lc rgb '#d62728' title 'constraint bound', \\\n"
                       "  'bound%zu.dat' every ::0::0 using 1:2:3 with labels left "
                       "offset 1,0.7 tc rgb '#d62728' notitle", first ? "" : ", \\\n", b, b);
            first = 0;
        }
    if (first)
        fputs("  NaN notitle", f);
    fputs("\n", f);
    /* a panel per constraint whose left side the points carry */
    fputs("unset title\nunset label 1\nset autoscale y\nset format y '%g'\n", f);
    for (size_t b = 0; b < nb; b++) {
        if (where[b] != B_PANEL)
            continue;
        y1 = y0 - gapy;
        y0 = y1 - 2.0 * unit_h;
        fprintf(f, "set tmargin at screen %.4f\nset bmargin at screen %.4f\n", y1, y0);
        fprintf(f, "blab = ''\nstats 'bound%zu.dat' every ::0::0 using (blab = strcol(4), 0) "
                   "nooutput\nset ylabel blab\n", b);
        double blo, bhi;
        lhs_range(pts, n, b, bf[b], info->bounds[b].bound, out_unit_nonneg(info->bounds[b].unit),
                  &blo, &bhi);
        fprintf(f, "set yrange [%.17g:%.17g]\n", blo, bhi);
        y_format(blo, bhi, f);
        int c0 = 10 + 3 * (int)b;
        const char *biv = bclipped[b] ? " (intervals from 0)" : "";
        fprintf(f, "plot 'search.dat' using 1:%d:%d:%d with yerrorbars pt 7 ps 0.8 lw 1.1 "
                   "lc rgb '#6baed6' title 'search%s'", c0, c0 + 1, c0 + 2, rounds ? biv : "");
        if (nsel)
            fprintf(f, ", \\\n  'select.dat' using ($1 + %.17g):%d:%d:%d with yerrorbars pt 5 "
                       "ps 0.8 lw 1.3 lc rgb '#000000' title 'selection%s'", rounds ? off : 0.0,
                    c0, c0 + 1, c0 + 2, rounds ? "" : biv);
        fprintf(f, ", \\\n  'search.dat' using 1:($%d > %.17g ? %.17g : $%d < %.17g ? %.17g "
                   ": NaN) with points pt 8 ps 1.4 lc rgb '#777777' notitle", c0, bhi, bhi, c0,
                blo, blo);
        if (isfinite(info->bounds[b].bound))
            fprintf(f, ", \\\n  'bound%zu.dat' using 1:2 with lines dt (8,5) lw 1.6 "
                       "lc rgb '#d62728' title 'constraint bound', \\\n"
                       "  'bound%zu.dat' every ::0::0 using 1:2:3 with labels left "
                       "offset 1,0.7 tc rgb '#d62728' notitle", b, b);
        fputs("\n", f);
    }
    /* below: the replications */
    y1 = y0 - gapy;
    fprintf(f, "unset title\nunset label 1\nunset key\n"
               "set tmargin at screen %.4f\nset bmargin at screen %.4f\n", y1, bottom);
    fputs("set ylabel 'replications'\nset autoscale y\nset yrange [0:*]\nset format y '%g'\n"
          "set format x '%g'\nset xlabel xname\nset style fill solid 0.8 noborder\n", f);
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
    free(bclipped);
    free(xs);
    free(where);
    free(bf);
    free(bshown);
    return SIM_OK;
io_b:
    free(bclipped);
io:
    rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", path,
                     strerror(errno ? errno : EIO));
    free(xs);
    free(where);
    free(bf);
    free(bshown);
    return rc;
}

int out_plot_search_info(const out_search_point *pts, size_t n, const out_search_info *info,
                         const char *out_path, sim_err *err)
{
    size_t ncp = 0;
    for (size_t b = 0; info && info->bounds && b < info->nbounds; b++)
        for (size_t i = 0; i < n; i++)
            if (pts[i].lhs && isfinite(pts[i].lhs[3 * b])) {
                ncp++;
                break;
            }
    search_ctx x = { pts, n, info, out_path };
    return out_chart_draw(out_path, 1100, 800 + 230 * (int)(ncp > 4 ? 4 : ncp), write_files,
                          &x, err);
}

int out_plot_search(const out_search_point *pts, size_t n, const char *objective,
                    int maximize, const char *xname, const char *out_path, sim_err *err)
{
    out_search_info info = { objective, NULL, maximize, xname, NULL, 0 };
    return out_plot_search_info(pts, n, &info, out_path, err);
}
