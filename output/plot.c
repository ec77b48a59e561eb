/* output/plot.c - charts through gnuplot (see plot.h).
 *
 * Each chart is one or more panels; a panel draws one series (group/name)
 * with a line per entity: the mean across runs, and a 5-95% band when the
 * file holds several runs. Values are scaled for reading: fractions to %,
 * yuan to millions of yuan. The data and a script go to a temporary
 * directory that is removed afterwards; gnuplot runs with posix_spawn. */
#include "output/plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

typedef struct panel_def {
    const char *label;          /* "Budget remaining": panel title */
    const char *ylabel;         /* "Budget": the y axis, before the unit */
    const char *group;
    const char *name;           /* the series, as models/economy.c records it */
    int         percent;        /* a share: plotted in %, 0-100 */
} panel_def;

typedef struct chart_def {
    const char *name;
    const char *title;
    int         npanels;
    panel_def   panels[4];
} chart_def;

static const chart_def charts[OUT_CHART_COUNT] = {
    { "utilization", "Data-center utilization", 1,
      { { "Utilization", "Utilization", "region", "utilization", 1 } } },
    { "budget", "Voucher program budgets", 2,
      { { "Budget not yet committed to vouchers", "Uncommitted", "program", "remaining", 0 },
        { "Budget spent (cumulative)", "Spent", "program", "spent", 0 } } },
    { "spend", "Spend per city", 2,
      { { "Subsidy paid (cumulative)", "Subsidy", "city", "subsidy", 0 },
        { "Co-payment by firms (cumulative)", "Co-payment", "city", "copay", 0 } } },
    { "demand", "Firms per city", 4,
      { { "Firms arrived", "Firms", "city", "firms_arrived", 0 },
        { "Firms buying compute", "Firms", "city", "firms_buying", 0 },
        { "Additional firms (buy only with a voucher)", "Firms", "city", "firms_additional", 0 },
        { "Deadweight firms (would buy anyway)", "Firms", "city", "firms_deadweight", 0 } } },
    { "wait", "Mean waiting time for compute", 1,
      { { "Mean wait", "Mean wait", "region", "mean_wait", 0 } } },
};

/* Colour-blind-safe palette (ColorBrewer Dark2 and Paired picks). */
static const char *const palette[] = {
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e",
    "#e6ab02", "#a6761d", "#666666", "#1f78b4", "#b15928"
};
enum { NPAL = sizeof palette / sizeof palette[0], MAX_THIN = 60 };

const char *out_chart_name(out_chart c)
{
    return c < OUT_CHART_COUNT ? charts[c].name : "?";
}

int out_chart_parse(const char *s, out_chart *c)
{
    for (int i = 0; i < OUT_CHART_COUNT; i++)
        if (s && !strcmp(s, charts[i].name)) {
            *c = (out_chart)i;
            return 0;
        }
    return -1;
}

int out_gnuplot_find(char *buf, size_t size, sim_err *err)
{
    const char *env = getenv("VOUCHSIM_GNUPLOT");
    if (env && *env) {
        if (access(env, X_OK) != 0)
            return sim_err_set(err, SIM_ENOENT, NULL, 0, 0,
                               "gnuplot not found: VOUCHSIM_GNUPLOT=%s is not executable", env);
        snprintf(buf, size, "%s", env);
        return SIM_OK;
    }
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t len = strcspn(path, ":");
        if (len > 0 && (size_t)snprintf(buf, size, "%.*s/gnuplot", (int)len, path) < size
            && access(buf, X_OK) == 0)
            return SIM_OK;
        path += len;
        if (*path == ':')
            path++;
    }
    return sim_err_set(err, SIM_ENOENT, NULL, 0, 0,
                       "gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox)");
}

int out_plot_path(const char *base, out_chart c, char *buf, size_t size)
{
    const char *slash = strrchr(base, '/');
    const char *dot = strrchr(base, '.');
    if (!dot || (slash && dot < slash) || dot == (slash ? slash + 1 : base))
        dot = base + strlen(base);
    int n = snprintf(buf, size, "%.*s_%s%s", (int)(dot - base), base, out_chart_name(c), dot);
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* ---- gnuplot script helpers ---- */

/* Writes s as a gnuplot single-quoted string ('' stands for '). */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        if (*s != '\n')
            fputc(*s, f);
    }
    fputc('\'', f);
}

typedef struct plot_ctx {
    const out_reader *r;
    char              dir[256];     /* temporary directory */
    int               nfiles;
    int               bands;        /* several runs: draw 5-95% bands */
    size_t            nruns;
    FILE             *gp;           /* the script */
    sim_err          *err;
} plot_ctx;

static int ctx_fail(plot_ctx *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int ctx_fail(plot_ctx *c, int code, const char *fmt, ...)
{
    char what[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return sim_err_set(c->err, code, out_reader_path(c->r), 0, 0, "%s", what);
}

typedef struct scaled {
    double      factor;
    const char *unit;       /* as shown on the axis */
} scaled;

static scaled scale_for(const char *unit, int percent)
{
    scaled s = { 1.0, unit };
    if (percent && (!strcmp(unit, "1") || !strcmp(unit, "") || !strcmp(unit, "fraction")))
        s = (scaled){ 100.0, "%" };
    else if (percent)
        s.unit = "%";
    else if (!strcmp(unit, "CNY") || !strcmp(unit, "yuan"))
        s = (scaled){ 1e-6, "M CNY" };
    else if (!strcmp(unit, "1"))
        s.unit = "";
    return s;
}

/* The series of a panel, or NULL when the file does not have it. */
static const out_series_info *panel_series(const out_reader *r, const panel_def *p)
{
    return out_reader_series_find(r, p->group, p->name);
}

/* Reads the mean (or run 0) and, with bands, p05/p95 of a series. */
static int load_stats(plot_ctx *c, const out_series_info *s, double *m[3], size_t *rows,
                      size_t *cols)
{
    m[0] = m[1] = m[2] = NULL;
    int rc;
    if (out_reader_has_stats(c->r, s->group, s->name)) {
        for (int k = 0; k < 3; k++)
            if ((k == 0 || c->bands)
                && (rc = out_reader_stats_read(c->r, s->group, s->name, (out_stat)k, &m[k], rows,
                                               cols, c->err)))
                return rc;
        return SIM_OK;
    }
    c->bands = 0;
    return out_reader_series_read(c->r, 0, s->group, s->name, &m[0], rows, cols, c->err);
}

/* Writes data file d<N>.dat: date, then mean, p05, p95 per entity (scaled).
 * Returns the file number, or a negative SIM_E* code. Tracks the max. */
static int write_data(plot_ctx *c, const out_series_info *s, double factor, double *vmax,
                      double *vmin, size_t *ncols_out)
{
    double *m[3];
    size_t rows, cols;
    int rc = load_stats(c, s, m, &rows, &cols);
    if (rc)
        goto out;
    size_t nt = out_reader_time_count(c->r);
    if (rows > nt)
        rows = nt;
    char path[300];
    snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
    FILE *f = fopen(path, "w");
    if (!f) {
        rc = ctx_fail(c, SIM_EIO, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    for (size_t i = 0; i < rows; i++) {
        fputs(out_reader_time_date(c->r, i), f);
        for (size_t j = 0; j < cols; j++)
            for (int k = 0; k < 3; k++) {
                double v = m[k] ? m[k][i * cols + j] * factor : NAN;
                if (isfinite(v)) {
                    fprintf(f, " %.10g", v);
                    if (v > *vmax)
                        *vmax = v;
                    if (v < *vmin)
                        *vmin = v;
                } else
                    fputs(" NaN", f);
            }
        fputc('\n', f);
    }
    if (fclose(f) != 0) {
        rc = ctx_fail(c, SIM_EIO, "cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    *ncols_out = cols;
    rc = c->nfiles++;
out:
    for (int k = 0; k < 3; k++)
        free(m[k]);
    return rc;
}

/* Colour and dash of entity j named name: east and west get fixed ones. */
static void entity_style(FILE *f, const char *name, size_t j, double lw)
{
    if (!strcmp(name, "east"))
        fprintf(f, "lc rgb '#d95f02' dt 1 lw %.1f", lw);
    else if (!strcmp(name, "west"))
        fprintf(f, "lc rgb '#1f78b4' dt (12,5) lw %.1f", lw);
    else
        fprintf(f, "lc rgb '%s' dt %zu lw %.1f", palette[j % NPAL], 1 + (j / NPAL) % 5, lw);
}

static const char *y_format(double vmax, double vmin)
{
    double a = fmax(fabs(vmax), fabs(vmin));
    return a >= 10 ? "%.0f" : a >= 2 ? "%.1f" : "%.2f";
}

/* One panel: plot commands for series s (and thin lines of thin, if any). */
static int draw_panel(plot_ctx *c, const chart_def *cd, const panel_def *p,
                      const out_series_info *s, int single)
{
    FILE *gp = c->gp;
    scaled sc = scale_for(s->unit, p->percent);
    double vmax = -INFINITY, vmin = INFINITY;
    size_t cols = 0, tcols = 0;
    int fileno_ = write_data(c, s, sc.factor, &vmax, &vmin, &cols);
    if (fileno_ < 0)
        return fileno_;
    /* thin lines per data center under the utilization of regions */
    const out_series_info *thin = NULL;
    int tfile = -1;
    if (cd == &charts[OUT_CHART_UTILIZATION]) {
        thin = out_reader_series_find(c->r, "datacenter", "utilization");
        if (thin && thin->cols <= MAX_THIN) {
            int keep = c->bands;
            tfile = write_data(c, thin, scale_for(thin->unit, 1).factor, &vmax, &vmin, &tcols);
            c->bands = keep;
            if (tfile < 0)
                return tfile;
        }
    }
    size_t nent = 0, ntent = 0;
    const char *const *ent = out_reader_entities(c->r, s->group, &nent);
    const char *const *tent = thin ? out_reader_entities(c->r, thin->group, &ntent) : NULL;
    (void)tent;
    if (!single) {
        fputs("set title ", gp);
        gp_str(gp, p->label);
        fputs(" font ',11'\n", gp);
    }
    char ylabel[200];
    if (*sc.unit && strcmp(sc.unit, "firms") != 0)
        snprintf(ylabel, sizeof ylabel, "%s (%s)", p->ylabel, sc.unit);
    else
        snprintf(ylabel, sizeof ylabel, "%s", p->ylabel);
    fputs("set ylabel ", gp);
    gp_str(gp, ylabel);
    fputc('\n', gp);
    if (p->percent)
        fputs("set yrange [0:100]\nset format y '%.0f'\n", gp);
    else {
        fprintf(gp, "set yrange [%s:*]\n", vmin >= 0 || !isfinite(vmin) ? "0" : "*");
        fprintf(gp, "set format y '%s'\n", y_format(vmax, vmin));
    }
    fputs("plot ", gp);
    int first = 1;
    if (tfile >= 0) {
        for (size_t j = 0; j < tcols; j++) {
            fprintf(gp, "%s'%s/d%d.dat' using 1:%zu with lines lc rgb '#b0b0b0' lw 0.8 ",
                    first ? "" : ", \\\n     ", c->dir, tfile, 2 + 3 * j);
            if (j == 0)
                fputs("title 'each data center'", gp);
            else
                fputs("notitle", gp);
            first = 0;
        }
    }
    for (size_t j = 0; j < cols; j++) {
        const char *name = j < nent ? ent[j] : "?";
        if (c->bands) {
            fprintf(gp, "%s'%s/d%d.dat' using 1:%zu:%zu with filledcurves ",
                    first ? "" : ", \\\n     ", c->dir, fileno_, 3 + 3 * j, 4 + 3 * j);
            if (!strcmp(name, "east"))
                fputs("fc rgb '#d95f02'", gp);
            else if (!strcmp(name, "west"))
                fputs("fc rgb '#1f78b4'", gp);
            else
                fprintf(gp, "fc rgb '%s'", palette[j % NPAL]);
            fputs(" notitle", gp);
            first = 0;
        }
        fprintf(gp, "%s'%s/d%d.dat' using 1:%zu with lines ", first ? "" : ", \\\n     ",
                c->dir, fileno_, 2 + 3 * j);
        entity_style(gp, name, j, 2.0);
        fputs(" title ", gp);
        gp_str(gp, name);
        first = 0;
    }
    if (c->bands)
        fprintf(gp, ", \\\n     keyentry with filledcurves fc rgb '#909090' "
                    "title '5-95%% range, %zu runs'", c->nruns);
    fputc('\n', gp);
    return SIM_OK;
}

static int chart_format(const char *out_path, const char **term)
{
    const char *dot = strrchr(out_path, '.');
    const char *slash = strrchr(out_path, '/');
    if (!dot || (slash && dot < slash))
        return -1;
    if (!strcasecmp(dot, ".png"))
        *term = "png";
    else if (!strcasecmp(dot, ".svg"))
        *term = "svg";
    else if (!strcasecmp(dot, ".pdf"))
        *term = "pdf";
    else
        return -1;
    return 0;
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[600];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Runs gnuplot on the script; its output goes to dir/gnuplot.log. */
static int run_gnuplot(plot_ctx *c, const char *gnuplot, const char *script)
{
    char log[300];
    snprintf(log, sizeof log, "%s/gnuplot.log", c->dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = { (char *)gnuplot, (char *)script, NULL };
    pid_t pid;
    int e = posix_spawn(&pid, gnuplot, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (e != 0)
        return ctx_fail(c, SIM_ELIB, "cannot run %s: %s", gnuplot, strerror(e));
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return ctx_fail(c, SIM_ELIB, "waiting for gnuplot: %s", strerror(errno));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return SIM_OK;
    char msg[400] = "";
    FILE *f = fopen(log, "r");
    if (f) {
        size_t n = fread(msg, 1, sizeof msg - 1, f);
        msg[n] = '\0';
        fclose(f);
        for (char *q = msg; *q; q++)
            if (*q == '\n')
                *q = ' ';
    }
    return ctx_fail(c, SIM_ELIB, "gnuplot failed (%s %d): %s",
                    WIFEXITED(status) ? "status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), msg);
}

int out_plot(const out_reader *r, out_chart chart, const char *out_path, sim_err *err)
{
    if (chart >= OUT_CHART_COUNT)
        return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "unknown chart");
    const char *term;
    if (chart_format(out_path, &term) != 0)
        return sim_err_set(err, SIM_EINVAL, out_path, 0, 0,
                           "unknown chart format: use .png, .svg or .pdf");
    char gnuplot[1024];
    int rc = out_gnuplot_find(gnuplot, sizeof gnuplot, err);
    if (rc)
        return rc;
    const chart_def *cd = &charts[chart];
    plot_ctx c = { .r = r, .err = err };
    c.nruns = out_reader_run_count(r);
    const out_attr *rep = out_reader_attr_find(r, "replications");
    size_t reps = rep && rep->kind != OUT_ATTR_STRING && rep->d > 0 ? (size_t)rep->d : c.nruns;
    if (reps > c.nruns && c.nruns > 0)
        reps = c.nruns;
    c.nruns = reps;
    c.bands = reps > 1;

    const out_series_info *ps[4] = { NULL };
    int npanels = 0;
    for (int i = 0; i < cd->npanels; i++)
        if ((ps[i] = panel_series(r, &cd->panels[i])))
            npanels++;
    if (npanels == 0) {
        const panel_def *p = &cd->panels[0];
        return sim_err_set(err, SIM_ENOENT, out_reader_path(r), 0, 0,
                           "chart '%s' needs series %s/%s, which this file does not have",
                           cd->name, p->group, p->name);
    }
    if (out_reader_time_count(r) < 2)
        return sim_err_set(err, SIM_EINVAL, out_reader_path(r), 0, 0,
                           "chart '%s': fewer than 2 time samples", cd->name);

    const char *tmp = getenv("TMPDIR");
    snprintf(c.dir, sizeof c.dir, "%s/vouchsim-plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(c.dir))
        return sim_err_set(err, SIM_EIO, c.dir, 0, 0, "cannot create a temporary directory: %s",
                           strerror(errno));
    char script[300];
    snprintf(script, sizeof script, "%s/plot.gp", c.dir);
    if (!(c.gp = fopen(script, "w"))) {
        rc = ctx_fail(&c, SIM_EIO, "cannot write %s: %s", script, strerror(errno));
        goto out;
    }
    FILE *gp = c.gp;
    int rows = npanels <= 2 ? npanels : 2, cols = npanels <= 2 ? 1 : 2;
    int w = npanels > 2 ? 1400 : 1100, h = npanels == 1 ? 600 : 900;
    if (!strcmp(term, "png"))
        fprintf(gp, "if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
                    "  set terminal pngcairo size %d,%d font 'Sans,10' noenhanced\n"
                    "} else {\n  set terminal png size %d,%d noenhanced\n}\n", w, h, w, h);
    else if (!strcmp(term, "svg"))
        fprintf(gp, "set terminal svg size %d,%d font 'Sans,10' noenhanced background '#ffffff'\n",
                w, h);
    else
        fprintf(gp, "set terminal pdfcairo size %.1fin,%.1fin font 'Sans,9' noenhanced\n",
                w / 100.0, h / 100.0);
    fputs("set output ", gp);
    gp_str(gp, out_path);
    fputc('\n', gp);

    /* time axis from /time/date */
    const char *d0 = out_reader_time_date(r, 0);
    const double *hrs = out_reader_time_hours(r);
    double span_d = (hrs[out_reader_time_count(r) - 1] - hrs[0]) / 24.0;
    fprintf(gp, "set xdata time\nset timefmt '%s'\n",
            strlen(d0) >= 16 && d0[10] == 'T' ? "%Y-%m-%dT%H:%M" : "%Y-%m-%d");
    /* Panels two to a row are half as wide: shorter month labels there. */
    fprintf(gp, "set format x '%s'\n",
            span_d > 120 ? (npanels > 2 ? "%b %y" : "%b %Y") : span_d > 3 ? "%d %b" : "%d %b %H:%M");
    /* The whole run on every chart, also where a series starts with NaN
     * (no job waited yet). */
    fputs("set xrange [", gp);
    gp_str(gp, d0);
    fputc(':', gp);
    gp_str(gp, out_reader_time_date(r, out_reader_time_count(r) - 1));
    fputs("]\n", gp);
    fputs("set xtics rotate by -30 offset -1,0 nomirror\nset ytics nomirror\n"
          "set xlabel 'Date'\nset grid lc rgb '#e0e0e0'\nset border 3\n"
          "set key outside right top vertical Left reverse samplen 2 spacing 1.1\n"
          "set style fill transparent solid 0.22 noborder\nset datafile missing 'NaN'\n"
          "set lmargin 12\n", gp);

    const out_attr *sn = out_reader_attr_find(r, "scenario_name");
    char title[400];
    if (sn && *sn->s)
        snprintf(title, sizeof title, "%s: %s", sn->s, cd->title);
    else
        snprintf(title, sizeof title, "%s", cd->title);
    const out_attr *sw = out_reader_attr_find(r, "sweep_points");
    if (sw && sw->i > 1)        /* a sweep: the band is the spread over its points */
        snprintf(title + strlen(title), sizeof title - strlen(title),
                 " (%zu runs of %lld sweep points pooled: mean, 5-95%% range)", c.nruns,
                 (long long)sw->i);
    else if (c.bands)
        snprintf(title + strlen(title), sizeof title - strlen(title),
                 " (mean of %zu runs, 5-95%% band)", c.nruns);
    if (npanels == 1) {
        fputs("set title ", gp);
        gp_str(gp, title);
        fputs(" font ',13'\n", gp);
    } else {
        fprintf(gp, "set multiplot layout %d,%d title ", rows, cols);
        gp_str(gp, title);
        fputs(" font ',13'\n", gp);
    }
    for (int i = 0; i < cd->npanels && rc == SIM_OK; i++)
        if (ps[i])
            rc = draw_panel(&c, cd, &cd->panels[i], ps[i], npanels == 1);
    if (npanels > 1)
        fputs("unset multiplot\n", gp);
    fputs("set output\n", gp);
    if (fclose(gp) != 0 && rc == SIM_OK)
        rc = ctx_fail(&c, SIM_EIO, "cannot write %s: %s", script, strerror(errno));
    if (rc != SIM_OK)
        goto out;
    rc = run_gnuplot(&c, gnuplot, script);
    struct stat st;
    if (rc == SIM_OK && (stat(out_path, &st) != 0 || st.st_size == 0))
        rc = sim_err_set(err, SIM_ELIB, out_path, 0, 0, "gnuplot wrote no chart");
    if (rc != SIM_OK)
        unlink(out_path);
out:
    if (!getenv("VOUCHSIM_KEEP_PLOT_FILES"))
        rm_tree(c.dir);
    return rc;
}
