/* output/plot_search.c - the chart of `vouchsim optimize`'s search and
 * selection (out_plot_search_info in plot.h).
 *
 * Above: each candidate's mean objective with its 95% interval, the search
 * rounds in shades of blue, the finalists' selection estimates (on fresh
 * replications) in black beside them, infeasible candidates crossed in
 * red, the chosen one ringed in green and named beside its ring (on the
 * side with the fewest other marks, inside the panel: place_label); the
 * y range covers every interval drawn (view_of); the y axis names the
 * objective and its unit (yuan in millions), and a bound on the objective
 * is a dashed red line, labelled along it where no mark lies, else in the
 * key (place_bound). Under it, a panel per constraint whose left side
 * the caller gives, with its bound, labelled alike. Below: the
 * replications each candidate cost, search and selection side by side.
 * The title, centred on the canvas in lines that fit it, states every
 * constraint. Intervals of a quantity that cannot be negative start
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

/* Writes s (as put_text cleans it) in lines of at most width characters,
 * broken at spaces, after a "; " where it can (a longer word is cut), each line followed by sep; at
 * most maxl lines, the last ending in "..." when s does not fit. Returns
 * the lines written. */
static size_t put_wrapped(FILE *f, const char *s, size_t width, size_t maxl, const char *sep)
{
    size_t nl = 0, len = s ? strlen(s) : 0, at = 0;
    while (at < len && nl < maxl) {
        while (at < len && s[at] == ' ')
            at++;
        if (at >= len)
            break;
        size_t end = len - at <= width ? len : at + width;
        if (end < len) {        /* back to the last space that keeps a word whole, */
            size_t sp = end;    /* after a "; " when one is in the line's second half */
            while (sp > at + width / 2 && !(s[sp] == ' ' && s[sp - 1] == ';'))
                sp--;
            if (!(sp > at + width / 2))
                for (sp = end; sp > at && s[sp] != ' ';)
                    sp--;
            if (sp > at)
                end = sp;
        }
        int last = nl + 1 == maxl && end < len;
        char line[1024];
        size_t n = end - at < sizeof line - 4 ? end - at : sizeof line - 4;
        if (last && n + 3 > width)
            n = width > 3 ? width - 3 : 0;
        memcpy(line, s + at, n);
        strcpy(line + n, last ? "..." : "");
        put_text(f, line);
        fputs(sep, f);
        nl++;
        at = end;
    }
    return nl;
}

static void put_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.17g", v);
    else
        fputs("NaN", f);
}

enum { BOUND_KEY_LINES = 3 };   /* a bound's words in the key: at most 3 lines */

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
    int         w, h;       /* the canvas, px */
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

/* Sets the y label from the string variable var ("name (unit), mean and
 * 95% interval"), in two lines when it is longer than the panel is high
 * (chars: its length; ph: the panel's height, px): it ran into the label
 * of the panel above. Set off to the left by the lines it has and when
 * the tic labels are wide (wide: y_format's answer): gnuplot
 * underestimates their width, and the label ran into them. */
static void ylabel_from(FILE *f, const char *var, size_t chars, double ph, int wide)
{
    int two = 7.0 * (double)chars > 0.95 * ph;
    if (two)
        fprintf(f, "set ylabel (strstrt(%s, ', mean') > 1 ? %s[1:strstrt(%s, ', mean') - 1]"
                   ".\"\\n\".'mean and 95%% interval' : %s)", var, var, var, var);
    else
        fprintf(f, "set ylabel %s", var);
    fprintf(f, " offset %.1f,0\n", -(wide ? 1.5 : 0.0) - (two ? 1.0 : 0.0));
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
 * needs (returns 1). */
static int y_format(double lo, double hi, FILE *f)
{
    double big = fmax(fabs(lo), fabs(hi));
    if (!(big >= 1e5) || !(hi > lo)) {
        fputs("set format y '%g'\n", f);
        return 0;
    }
    double e3 = pow(1000.0, floor(log10(big) / 3.0));
    double step = (hi - lo) / 6.0 / e3;
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step));
    fprintf(f, "set format y '%%.%ds%%c'\n", dec < 0 ? 0 : dec > 4 ? 4 : dec);
    return 1;
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

/* A panel's view of points with intervals. The core is the intervals of
 * the selection (all points' without one); a mean more than 4 core spans
 * beyond it (an unstable queue's cost) is off the scale: drawn as a
 * triangle at the edge, without its interval. Every other point's
 * interval is drawn whole, and the range covers it, unless it reaches
 * past those 4 spans too: then it is cut there and its end marked. */
typedef struct yview {
    double wlo, whi;        /* the window beyond which means are off the scale */
    double lo, hi;          /* the y range, padded */
    int    off;             /* some mean is off the scale */
    int    cut_lo, cut_hi;  /* some interval is cut at wlo, at whi */
} yview;

/* m, lo, hi: each point's mean and interval as drawn (scaled; from 0 for
 * a quantity that cannot be negative); core[i]: point i is in the core;
 * extra: values that stay in view (bounds; NaN ones are skipped). */
static void view_of(const double *m, const double *lo, const double *hi, const int *core,
                    size_t n, const double *extra, size_t nextra, int nonneg, yview *v)
{
    double clo = INFINITY, chi = -INFINITY;
    size_t ncore = 0;
    for (size_t i = 0; i < n; i++)
        ncore += core[i] && isfinite(m[i]);
    for (size_t i = 0; i < n; i++)
        if (isfinite(m[i]) && (core[i] || !ncore)) {
            clo = fmin(clo, lo[i]);
            chi = fmax(chi, hi[i]);
        }
    for (size_t k = 0; k < nextra; k++)
        if (isfinite(extra[k])) {
            clo = fmin(clo, extra[k]);
            chi = fmax(chi, extra[k]);
        }
    *v = (yview){ -INFINITY, INFINITY, INFINITY, -INFINITY, 0, 0, 0 };
    if (isfinite(clo) && chi > clo) {
        v->wlo = clo - 4 * (chi - clo);
        v->whi = chi + 4 * (chi - clo);
    }
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(m[i]))
            continue;
        if (m[i] > v->whi || m[i] < v->wlo) {
            v->off = 1;
            v->lo = fmin(v->lo, m[i] > v->whi ? v->whi : v->wlo);
            v->hi = fmax(v->hi, m[i] > v->whi ? v->whi : v->wlo);
            continue;
        }
        v->cut_lo |= lo[i] < v->wlo;
        v->cut_hi |= hi[i] > v->whi;
        v->lo = fmin(v->lo, fmax(lo[i], v->wlo));
        v->hi = fmax(v->hi, fmin(hi[i], v->whi));
    }
    for (size_t k = 0; k < nextra; k++)
        if (isfinite(extra[k])) {
            v->lo = fmin(v->lo, extra[k]);
            v->hi = fmax(v->hi, extra[k]);
        }
    pad_range(&v->lo, &v->hi, nonneg);
}

/* A point as the view draws it: 0 when its mean is off the scale (*lo,
 * *hi NaN: no interval), else 1 with its interval cut to the window. */
static int view_point(const yview *v, double m, double *lo, double *hi)
{
    if (!isfinite(m) || m > v->whi || m < v->wlo) {
        *lo = *hi = NAN;
        return 0;
    }
    *lo = fmax(*lo, v->wlo);
    *hi = fmin(*hi, v->whi);
    return 1;
}

/* Plot clauses marking the ends of intervals cut at the view's window
 * (view_of): a grey triangle pointing on, in search.dat and select.dat
 * (shifted by off); col is the low end's column, col + 1 the high's. */
static void cut_marks(FILE *f, const yview *v, int col, double off)
{
    for (int hi = 0; hi < 2; hi++) {
        if (!(hi ? v->cut_hi : v->cut_lo))
            continue;
        double w = hi ? v->whi : v->wlo;
        for (int sel = 0; sel < 2; sel++)
            fprintf(f, ", \\\n  '%s' using ($1 + %.17g):($%d %s %.17g ? $%d : NaN) with points "
                       "pt %d ps 1.2 lc rgb '#777777' %s", sel ? "select.dat" : "search.dat",
                    sel ? off : 0.0, col + hi, hi ? ">=" : "<=", w, col + hi, hi ? 9 : 11,
                    sel ? "notitle" : "title 'interval beyond the scale'");
    }
}

/* Where the chosen candidate's label goes: beside its ring, on the side
 * that covers the fewest other marks (points, intervals, bound lines and
 * their labels) and inside the panel (the key is outside it, on the
 * right). Sizes in pixels of the canvas: a 10-point character about 7 px
 * wide and 14 high, the ring (pt 6, ps 3.2) about 11 px in radius. */
typedef struct box {
    double x0, y0, x1, y1;
} box;

static int overlap(box a, box b)
{
    return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

typedef struct label_spot {
    double x, y;            /* the anchor, in data coordinates */
    int    just;            /* 0 left, 1 right, 2 centre */
    box    b;               /* the label, px from the panel's lower left corner */
} label_spot;

/* The panel: x in [xa, xb] over pw px, y in [ya, yb] over ph px. The
 * marks: n points at px[i] (x in data units) with mean m and interval
 * lo..hi as drawn (NaN: not drawn); nh horizontal lines at hy (data),
 * bounds whose labels are placed after this one (place_bound). The ring
 * at (cx, cy); the label is len characters long. */
static label_spot place_label(double xa, double xb, double pw, double ya, double yb, double ph,
                              const double *px, const double *m, const double *lo,
                              const double *hi, size_t n, const double *hy, size_t nh,
                              double cx, double cy, size_t len)
{
    static const struct { double dx, dy; int just; } cand[] = {
        { 15, 0, 0 }, { 11, -21, 0 }, { 11, 21, 0 }, { -15, 0, 1 }, { -11, -21, 1 },
        { -11, 21, 1 }, { 0, -25, 2 }, { 0, 25, 2 }, { 11, -38, 0 }, { 11, 38, 0 },
        { -11, -38, 1 }, { -11, 38, 1 }, { 0, -42, 2 }, { 0, 42, 2 },
    };
    double sx = pw / (xb - xa), sy = ph / (yb - ya);     /* px per data unit */
    double rx = (cx - xa) * sx, ry = (cy - ya) * sy;
    double wlab = 7.0 * (double)len, hlab = 14.0;
    size_t best = 0;
    double best_score = INFINITY;
    for (size_t c = 0; c < sizeof cand / sizeof cand[0]; c++) {
        double ax = rx + cand[c].dx, ay = ry + cand[c].dy;
        double x0 = cand[c].just == 0 ? ax : cand[c].just == 1 ? ax - wlab : ax - wlab / 2;
        box lb = { x0, ay - hlab / 2, x0 + wlab, ay + hlab / 2 };
        double score = 0;
        if (lb.x0 < 0 || lb.x1 > pw || lb.y0 < 0 || lb.y1 > ph)
            score += 100;
        if (overlap(lb, (box){ rx - 11, ry - 11, rx + 11, ry + 11 }))
            score += 10;
        for (size_t i = 0; i < n; i++) {
            if (!isfinite(m[i]) || !isfinite(px[i]))
                continue;
            double qx = (px[i] - xa) * sx, qy = (m[i] - ya) * sy;
            if (overlap(lb, (box){ qx - 6, qy - 6, qx + 6, qy + 6 }))
                score += 1;
            if (isfinite(lo[i]) && isfinite(hi[i])
                && overlap(lb, (box){ qx - 4, (lo[i] - ya) * sy, qx + 4, (hi[i] - ya) * sy }))
                score += 1;
        }
        for (size_t k = 0; k < nh; k++) {
            if (!isfinite(hy[k]))
                continue;
            double qy = (hy[k] - ya) * sy;
            if (lb.y0 < qy && qy < lb.y1)
                score += 0.5;
        }
        if (score < best_score)
            best_score = score, best = c;
    }
    double ax = rx + cand[best].dx, ay = ry + cand[best].dy;
    double x0 = cand[best].just == 0 ? ax : cand[best].just == 1 ? ax - wlab : ax - wlab / 2;
    return (label_spot){ cx + cand[best].dx / sx, cy + cand[best].dy / sy, cand[best].just,
                         { x0, ay - hlab / 2, x0 + wlab, ay + hlab / 2 } };
}

/* The marks a bound's label must not cover, as boxes in px from the
 * panel's lower left corner (x in [xa, xa + pw / sx], y from ya, sy px a
 * unit): each point's mean (search at x[i], the selection's at x[i] +
 * off) and its interval as the view draws them (view_point), a mean off
 * the scale at the edge it is drawn on. Appends to out, returns the
 * count. */
static size_t point_marks(box *out, const double *x, const double *m, const double *lo,
                          const double *hi, const out_search_point *pts, size_t n, double off,
                          const yview *v, double xa, double sx, double ya, double sy)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(m[i]) || !isfinite(x[i]))
            continue;
        double l = lo[i], h = hi[i];
        double qx = (x[i] + (pts[i].round == 0 ? off : 0.0) - xa) * sx;
        if (!view_point(v, m[i], &l, &h)) {     /* a triangle at the edge */
            double qy = ((m[i] > v->whi ? v->hi : v->lo) - ya) * sy;
            out[k++] = (box){ qx - 9, qy - 9, qx + 9, qy + 9 };
            continue;
        }
        double qy = (m[i] - ya) * sy;
        out[k++] = (box){ qx - 9, qy - 9, qx + 9, qy + 9 };   /* a cross is the widest */
        if (isfinite(l) && isfinite(h))
            out[k++] = (box){ qx - 6, (l - ya) * sy - 3, qx + 6, (h - ya) * sy + 3 };
    }
    return k;
}

/* Where a bound's label goes on its panel (pw x ph px): along its line,
 * qy px up, just above or below it, at the left end, the right end or
 * between, the first spot whose box (a 10-point character about 7 px wide,
 * 14 high) stays in the panel and meets none of the nm marks. Returns 0
 * with *out its box, or -1 when the line is covered all along (the label
 * then goes to the key, where nothing can cover it). */
static int place_bound(const box *marks, size_t nm, double pw, double ph, double qy,
                       size_t len, box *out)
{
    double wlab = 7.2 * (double)len + 4, hlab = 14.0, edge = 6.0;
    double room = pw - 2 * edge - wlab;
    if (room < 0)
        return -1;
    for (int pass = 0; pass < 2; pass++)        /* the ends first, then between */
        for (int side = 0; side < 2; side++) {
            double y0 = side == 0 ? qy + 3 : qy - 3 - hlab;
            if (y0 < 0 || y0 + hlab > ph)
                continue;
            int steps = pass == 0 ? 1 : 24;
            for (int k = 0; k <= steps; k++) {
                if (pass == 1 && (k == 0 || k == steps))
                    continue;
                double x0 = edge + room * (double)k / (double)steps;
                box b = { x0, y0, x0 + wlab, y0 + hlab };
                int free_ = 1;
                for (size_t i = 0; i < nm && free_; i++)
                    free_ = !overlap(b, marks[i]);
                if (free_) {
                    *out = b;
                    return 0;
                }
            }
        }
    return -1;
}

/* The plot clauses of bound b: its line, and its label where place_bound
 * put it (placed), or else the line's key entry in the label's words,
 * keylines lines of them (bkey<b>_<l>, read from bound<b>.dat). */
static void bound_clause(FILE *f, size_t b, int placed, size_t keylines)
{
    fprintf(f, "  'bound%zu.dat' using 1:2 with lines dt (8,5) lw 1.6 lc rgb '#d62728' ", b);
    if (placed)
        fprintf(f, "title 'constraint bound', \\\n  'bound%zu.dat' every ::0::0 using 5:6:3 "
                   "with labels left tc rgb '#d62728' notitle", b);
    else {
        fprintf(f, "title bkey%zu_0", b);
        for (size_t l = 1; l < keylines; l++)   /* the words go on, without a line */
            fprintf(f, ", \\\n  keyentry with lines lc rgb '#ffffff' title bkey%zu_%zu", b, l);
    }
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

    /* y: every interval drawn, the selection's being the core; a mean far
     * beyond it (an unstable queue's cost) is drawn at the edge (view_of).
     * Then the same per constraint drawn on a panel of its own: its left
     * side's mean and interval as drawn (bl: 3 x n per constraint) */
    int *core = calloc(n + 1, sizeof *core);
    double *bl = calloc(3 * n * (nb ? nb : 1) + 1, sizeof *bl);
    double *obound = calloc(nb + 1, sizeof *obound);
    yview *bview = calloc(nb + 1, sizeof *bview);
    int *bclipped = calloc(nb + 1, sizeof *bclipped);
    if (!core || !bl || !obound || !bview || !bclipped) {
        free(core), free(bl), free(obound), free(bview), free(bclipped);
        free(xs), free(where), free(bf), free(bshown);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        core[i] = pts[i].round == 0;
    for (size_t b = 0; b < nb; b++)     /* a bound on the objective stays in view */
        obound[b] = where[b] == B_OBJECTIVE ? info->bounds[b].bound * of : NAN;
    yview ov;
    view_of(ym, ylw, yhg, core, n, obound, nb, ononneg, &ov);
    double ylo = ov.lo, yhi = ov.hi;
    for (size_t b = 0; b < nb; b++) {
        double *m = bl + 3 * n * b, *lo = m + n, *hi = m + 2 * n;
        for (size_t i = 0; i < n; i++) {
            const double *l = pts[i].lhs ? pts[i].lhs + 3 * b : NULL;
            m[i] = l ? l[0] * bf[b] : NAN;
            lo[i] = l ? (isfinite(l[1]) ? l[1] : l[0]) * bf[b] : NAN;
            hi[i] = l ? (isfinite(l[2]) ? l[2] : l[0]) * bf[b] : NAN;
            if (out_unit_nonneg(info->bounds[b].unit) && lo[i] < 0) {
                lo[i] = 0;
                bclipped[b] = 1;
            }
        }
        double bb = info->bounds[b].bound * bf[b];
        view_of(m, lo, hi, core, n, &bb, 1, out_unit_nonneg(info->bounds[b].unit), &bview[b]);
    }

    int rc = SIM_OK;
    FILE *f = NULL;
    double *blx = NULL;     /* where each bound's label goes (x, then y: bly) */
    size_t *bkeyl = NULL;
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
     * lo and hi as drawn (NaN: the mean is off the scale), column 8 where
     * a mean off the scale is drawn, 9 the low end as computed, then per
     * constraint the mean of its left side and its interval as drawn
     * (10 + 3b ...) */
    for (int sel = 0; sel < 2; sel++) {
        if (!(f = open_in(dir, sel ? "select.dat" : "search.dat", path, sizeof path)))
            goto io;
        for (size_t i = 0; i < n; i++) {
            if ((pts[i].round == 0) != sel)
                continue;
            double lo = ylw[i], hi = yhg[i];
            int shown = view_point(&ov, ym[i], &lo, &hi);
            put_num(f, xs[i]);
            fputc('\t', f);
            put_num(f, ym[i]);
            fputc('\t', f);
            put_num(f, lo);
            fputc('\t', f);
            put_num(f, hi);
            fprintf(f, "\t%zu\t%u\t%d\t", pts[i].reps, pts[i].round, pts[i].status);
            put_num(f, shown || !isfinite(ym[i]) ? NAN : ym[i] > ov.whi ? yhi : ylo);
            fputc('\t', f);
            put_num(f, (isfinite(pts[i].lo) ? pts[i].lo : pts[i].mean) * of);
            for (size_t b = 0; b < nb; b++) {
                const double *m = bl + 3 * n * b;
                double blo = m[n + i], bhi = m[2 * n + i];
                view_point(&bview[b], m[i], &blo, &bhi);
                fputc('\t', f);
                put_num(f, m[i]);
                fputc('\t', f);
                put_num(f, blo);
                fputc('\t', f);
                put_num(f, bhi);
            }
            fputc('\n', f);
        }
        if (close_checked(f))
            goto io;
    }
    /* title.dat: the title, "minimize: OBJECTIVE" and "subject to ...",
     * in lines that fit the canvas (a 12-point character about 9.5 px
     * wide), centred on it: over the panel alone a long one ran off the
     * canvas's left edge */
    size_t tlines = 0;
    {
        size_t tw = (size_t)((x->w - 60) / 9.5), need = strlen(objective) + 16;
        for (size_t b = 0; b < nb; b++)
            need += strlen(info->bounds[b].text ? info->bounds[b].text : "?") + 2;
        char *t = malloc(need);
        if (!t) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        if (!(f = open_in(dir, "title.dat", path, sizeof path))) {
            free(t);
            goto io;
        }
        snprintf(t, need, "%s: %s", maximize ? "maximize" : "minimize", objective);
        tlines = put_wrapped(f, t, tw, 2, "\t");
        size_t at = 0;
        for (size_t b = 0; b < nb; b++) {
            const char *bt = info->bounds[b].text ? info->bounds[b].text : "?";
            at += (size_t)snprintf(t + at, need - at, "%s%s", b ? "; " : "subject to ", bt);
        }
        if (nb)
            tlines += put_wrapped(f, t, tw, 3, "\t");
        fputc('\n', f);
        free(t);
        if (close_checked(f))
            goto io;
    }

    /* the panels, top down: the objective, a panel per constraint drawn
     * on its own, the replications; heights in screen fractions, the
     * first starting under the title's lines (about 20 px each) */
    double top = fmin(0.93, 1.0 - (30.0 + 20.0 * (double)tlines) / x->h), bottom = 0.12;
    double gapy = 0.05;
    double wt = 3.0 + 2.0 * (double)npanels + 1.6;
    double unit_h = (top - bottom - gapy * (double)(npanels + 1)) / wt;
    double pw = 0.63 * x->w, xa = xmin - pad, sx = pw / (xmax + pad - xa);
    double ph0 = 3.0 * unit_h * x->h;       /* the objective's panel, px */
    /* the chosen candidate's label beside its ring: "chosen: 18", or
     * "chosen" when the name is long (the tic under it names it) */
    label_spot sp = { NAN, NAN, 0, { 0, 0, 0, 0 } };
    int named = 0;
    if (chosen < n) {
        size_t len = strlen(pts[chosen].label);
        named = len <= 30;
        double hy[64];
        size_t nh = 0;
        for (size_t b = 0; b < nb && nh < 64; b++)
            if (where[b] == B_OBJECTIVE)
                hy[nh++] = obound[b];
        double *px = calloc(3 * n + 1, sizeof *px), *plo = px + n, *phi = px + 2 * n;
        if (!px) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            px[i] = xs[i] + (pts[i].round == 0 && rounds ? off : 0.0);
            plo[i] = ylw[i], phi[i] = yhg[i];
            if (!view_point(&ov, ym[i], &plo[i], &phi[i]))
                px[i] = NAN;
        }
        sp = place_label(xa, xmax + pad, pw, ylo, yhi, ph0, px, ym, plo, phi, n, hy, nh,
                         px[chosen], ym[chosen], named ? len + 8 : 6);
        free(px);
    }
    /* each bound's label along its line where no mark is (place_bound),
     * in data coordinates (NaN: in the key) */
    blx = calloc(2 * nb + 1, sizeof *blx);
    double *bly = blx + nb;
    box *marks = calloc(2 * n + 2 * nb + 4, sizeof *marks);
    if (!blx || !marks) {
        free(marks);
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t b = 0; b < nb; b++) {
        blx[b] = bly[b] = NAN;
        if (where[b] == B_TITLE || !isfinite(info->bounds[b].bound))
            continue;
        int obj = where[b] == B_OBJECTIVE;
        const double *m = obj ? ym : bl + 3 * n * b, *lo = obj ? ylw : m + n,
                     *hi = obj ? yhg : m + 2 * n;
        const yview *v = obj ? &ov : &bview[b];
        double ph = obj ? ph0 : 2.0 * unit_h * x->h, sy = ph / (v->hi - v->lo);
        size_t nm = point_marks(marks, xs, m, lo, hi, pts, n, rounds ? off : 0.0, v, xa, sx,
                                v->lo, sy);
        if (obj && chosen < n) {
            double rx = (xs[chosen] + (rounds ? off : 0.0) - xa) * sx;
            double ry = (ym[chosen] - v->lo) * sy;
            marks[nm++] = (box){ rx - 13, ry - 13, rx + 13, ry + 13 };     /* the ring */
            marks[nm++] = sp.b;
        }
        for (size_t q = 0; obj && q < nb; q++)     /* the other bounds, their labels */
            if (q != b && where[q] == B_OBJECTIVE) {
                double qy = (obound[q] - v->lo) * sy;
                marks[nm++] = (box){ 0, qy - 2, pw, qy + 2 };
                if (q < b && isfinite(blx[q]))
                    marks[nm++] = (box){ (blx[q] - xa) * sx, (bly[q] - v->lo) * sy - 7,
                                         (blx[q] - xa) * sx + 7.2 * (double)(7 + strlen(
                                         info->bounds[q].text ? info->bounds[q].text : "?")),
                                         (bly[q] - v->lo) * sy + 7 };
            }
        double by = info->bounds[b].bound * bf[b];
        box lb;
        size_t len = 7 + strlen(info->bounds[b].text ? info->bounds[b].text : "?");
        if (place_bound(marks, nm, pw, ph, (by - v->lo) * sy, len, &lb) == 0) {
            blx[b] = xa + lb.x0 / sx;
            bly[b] = v->lo + (lb.y0 + lb.y1) / 2 / sy;
        }
    }
    free(marks);
    /* bound<b>.dat: the bound as a line across the x range, and its label
     * (data, never the script's text): x y label, the panel's axis label,
     * where the label goes (x y; NaN: in the key) and the key's words
     * then (up to BOUND_KEY_LINES lines of the key's width) */
    size_t keychars = (size_t)((0.26 * x->w - 55) / 7.2);    /* the key, right of the panel */
    bkeyl = calloc(nb + 1, sizeof *bkeyl);      /* each bound's lines in the key */
    if (!bkeyl) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t b = 0; b < nb; b++) {
        const out_search_bound *bd = &info->bounds[b];
        char name[40];
        snprintf(name, sizeof name, "bound%zu.dat", b);
        if (!(f = open_in(dir, name, path, sizeof path)))
            goto io;
        /* in the key, a bound too long for a line leaves out its left
         * side, which the panel's y axis names: "bound: <= 40.5 tol 0.25" */
        char key[600];
        const char *bt = bd->text ? bd->text : "?";
        size_t ll = bd->lhs ? strlen(bd->lhs) : 0;
        if (7 + strlen(bt) > keychars && ll && !strncmp(bt, bd->lhs, ll) && bt[ll])
            bt += ll;
        while (*bt == ' ')
            bt++;
        snprintf(key, sizeof key, "bound: %s", bt);
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
            fputc('\t', f);
            put_num(f, blx[b]);
            fputc('\t', f);
            put_num(f, bly[b]);
            fputc('\t', f);
            size_t kl = put_wrapped(f, key, keychars, BOUND_KEY_LINES, "\t");
            bkeyl[b] = kl;
            for (; kl < BOUND_KEY_LINES; kl++)
                fputc('\t', f);
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
          "xname = ''; chosen = ''; ylab = ''\n"
          "stats 'strings.dat' using (xname = strcol(2), chosen = strcol(3), "
          "ylab = strcol(4), 0) nooutput\n", f);
    fputs("ttl = ''\nstats 'title.dat' using (ttl = ", f);
    for (size_t l = 0; l < tlines; l++)
        fprintf(f, "%sstrcol(%zu)", l ? ".\"\\n\"." : "", l + 1);
    fputs(tlines ? ", 0) nooutput\n" : "'', 0) nooutput\n", f);
    fputs("set multiplot title ttl font ',12'\n"
          "set grid lc rgb '#e0e0e0'\nset border 3\nset tics nomirror\n"
          "set lmargin at screen 0.11\nset rmargin at screen 0.74\n", f);
    fprintf(f, "set xrange [%.17g:%.17g]\n", xmin - pad, xmax + pad);
    if (!by_x) {        /* a tic per candidate, named under the last panel (labels.dat) */
        fputs("set xtics (", f);
        for (size_t l = 0; l < (nlab ? nlab : 1); l++)
            fprintf(f, "%s'' %zu", l ? ", " : "", l);
        fputs(")\n", f);
    }
    /* above: the objective */
    double y1 = top, y0 = top - 3.0 * unit_h;
    fprintf(f, "set tmargin at screen %.4f\nset bmargin at screen %.4f\n", y1, y0);
    fprintf(f, "set yrange [%.17g:%.17g]\n", ylo, yhi);
    fputs("set format x ''\nunset xlabel\n"
          "set key outside right top vertical Left reverse samplen 1.5 spacing 1.2\n", f);
    ylabel_from(f, "ylab", strlen(ax), (y1 - y0) * x->h,
                y_format(ylo, yhi, f));         /* 76.5M, not 7.65e+07 */
    if (chosen < n)
        fprintf(f, "set label 1 %s at first %.17g, first %.17g %s front tc rgb '#2ca02c'\n",
                named ? "'chosen: '.chosen" : "'chosen'", sp.x, sp.y,
                sp.just == 0 ? "left" : sp.just == 1 ? "right" : "center");
    /* a bound whose line is covered all along says what it is in the key,
     * in words read from its data file */
    for (size_t b = 0; b < nb; b++)
        if (where[b] != B_TITLE && isfinite(info->bounds[b].bound) && !isfinite(blx[b]))
            for (size_t l = 0; l < bkeyl[b]; l++)
                fprintf(f, "bkey%zu_%zu = ''\nstats 'bound%zu.dat' every ::0::0 using "
                           "(bkey%zu_%zu = strcol(%zu), 0) nooutput\n", b, l, b, b, l, 7 + l);
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
    if (ov.off)
        fprintf(f, ", \\\n  'search.dat' using 1:8 with points pt 8 ps 1.4 lc rgb '#777777' "
                   "title 'mean off the scale'");
    cut_marks(f, &ov, 3, rounds ? off : 0.0);
    for (size_t b = 0; b < nb; b++)
        if (where[b] == B_OBJECTIVE) {
            fputs(first ? "" : ", \\\n", f);
            bound_clause(f, b, isfinite(blx[b]), bkeyl[b]);
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
                   "nooutput\n", b);
        char bax[600];
        axis_text(bax, sizeof bax, info->bounds[b].lhs ? info->bounds[b].lhs : "left side",
                  "left side", bshown[b]);
        double blo = bview[b].lo, bhi = bview[b].hi;
        ylabel_from(f, "blab", strlen(bax), (y1 - y0) * x->h, y_format(blo, bhi, f));
        fprintf(f, "set yrange [%.17g:%.17g]\n", blo, bhi);
        int c0 = 10 + 3 * (int)b;
        const char *biv = bclipped[b] ? " (intervals from 0)" : "";
        fprintf(f, "plot 'search.dat' using 1:%d:%d:%d with yerrorbars pt 7 ps 0.8 lw 1.1 "
                   "lc rgb '#6baed6' title 'search%s'", c0, c0 + 1, c0 + 2, rounds ? biv : "");
        if (nsel)
            fprintf(f, ", \\\n  'select.dat' using ($1 + %.17g):%d:%d:%d with yerrorbars pt 5 "
                       "ps 0.8 lw 1.3 lc rgb '#000000' title 'selection%s'", rounds ? off : 0.0,
                    c0, c0 + 1, c0 + 2, rounds ? "" : biv);
        if (bview[b].off)
            fprintf(f, ", \\\n  'search.dat' using 1:($%d > %.17g ? %.17g : $%d < %.17g ? %.17g "
                       ": NaN) with points pt 8 ps 1.4 lc rgb '#777777' title 'mean off the "
                       "scale'", c0, bview[b].whi, bhi, c0, bview[b].wlo, blo);
        cut_marks(f, &bview[b], c0 + 1, rounds ? off : 0.0);
        if (isfinite(info->bounds[b].bound)) {
            fputs(", \\\n", f);
            bound_clause(f, b, isfinite(blx[b]), bkeyl[b]);
        }
        fputs("\n", f);
    }
    /* below: the replications */
    y1 = y0 - gapy;
    fprintf(f, "unset title\nunset label 1\nunset key\n"
               "set tmargin at screen %.4f\nset bmargin at screen %.4f\n", y1, bottom);
    fputs("set ylabel 'replications' offset 0,0\nset autoscale y\nset yrange [0:*]\nset format y '%g'\n"
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
    free(blx);
    free(bkeyl);
    free(core), free(bl), free(obound), free(bview), free(bclipped);
    free(xs);
    free(where);
    free(bf);
    free(bshown);
    return SIM_OK;
io:
    rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", path,
                     strerror(errno ? errno : EIO));
out:
    free(blx);
    free(bkeyl);
    free(core), free(bl), free(obound), free(bview), free(bclipped);
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
    search_ctx x = { pts, n, info, out_path, 1100, 800 + 230 * (int)(ncp > 4 ? 4 : ncp) };
    return out_chart_draw(out_path, x.w, x.h, write_files, &x, err);
}

int out_plot_search(const out_search_point *pts, size_t n, const char *objective,
                    int maximize, const char *xname, const char *out_path, sim_err *err)
{
    out_search_info info = { objective, NULL, maximize, xname, NULL, 0 };
    return out_plot_search_info(pts, n, &info, out_path, err);
}
