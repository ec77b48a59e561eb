/* output/plot.c - charts through gnuplot (see plot.h).
 *
 * Each chart is one or more panels; a panel draws one series (group/name)
 * with a line per entity: the mean across runs, and a 5-95% band when the
 * file holds several runs. Values are scaled for reading: fractions to %,
 * yuan to millions of yuan.
 *
 * No path and no name the user or the file chose reaches gnuplot's
 * script: the data and the script go to a private directory
 * (.vouchsim-plot-XXXXXX, mkdtemp) in the chart's destination directory,
 * gnuplot runs there (fork, chdir, exec, no shell) on files vouchsim
 * named (plot.gp, d0.dat ...) and writes the chart to its standard
 * output (`set output` without a name), which vouchsim copies with
 * checked writes into chart.out in the same directory, checks, fsyncs
 * and renames to the final path. gnuplot treats `set output '|cmd'` and
 * data files named '<cmd' as pipes; neither can occur. Titles (scenario
 * and entity names from the file) are single-quoted gnuplot strings, in
 * which gnuplot expands nothing, with ' doubled and control characters
 * replaced by spaces. The private directory is removed afterwards. */
#include "output/plot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Writes s as a gnuplot single-quoted string: '' stands for ', nothing
 * else is special inside (no backquote, macro or escape expansion); a
 * control character (a newline would end the command) becomes a space. */
static void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '\'')
            fputc('\'', f);
        fputc(ch < 0x20 || ch == 0x7f ? ' ' : ch, f);
    }
    fputc('\'', f);
}

typedef struct plot_ctx {
    const out_reader *r;
    char              dir[4200];    /* private directory in the destination's */
    int               nfiles;
    int               bands;        /* several runs: draw 5-95% bands */
    size_t            nruns;
    FILE             *gp;           /* the script */
    const char       *out_path;     /* the chart's final path, for messages */
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
    char path[4300];
    snprintf(path, sizeof path, "%s/d%d.dat", c->dir, c->nfiles);
    FILE *f = fopen(path, "w");
    if (!f) {
        rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                         strerror(errno));
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
    int e = ferror(f) ? errno : 0;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        rc = sim_err_set(c->err, SIM_EIO, c->out_path, 0, 0, "cannot write %s: %s", path,
                         strerror(e));
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
            fprintf(gp, "%s'd%d.dat' using 1:%zu with lines lc rgb '#b0b0b0' lw 0.8 ",
                    first ? "" : ", \\\n     ", tfile, 2 + 3 * j);
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
            fprintf(gp, "%s'd%d.dat' using 1:%zu:%zu with filledcurves ",
                    first ? "" : ", \\\n     ", fileno_, 3 + 3 * j, 4 + 3 * j);
            if (!strcmp(name, "east"))
                fputs("fc rgb '#d95f02'", gp);
            else if (!strcmp(name, "west"))
                fputs("fc rgb '#1f78b4'", gp);
            else
                fprintf(gp, "fc rgb '%s'", palette[j % NPAL]);
            fputs(" notitle", gp);
            first = 0;
        }
        fprintf(gp, "%s'd%d.dat' using 1:%zu with lines ", first ? "" : ", \\\n     ",
                fileno_, 2 + 3 * j);
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
    char p[4600];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Writes n bytes to fd; 0, or -1 with errno. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Runs gnuplot in the private directory on plot.gp; its standard output
 * (the chart) is copied to out_fd, its messages go to gnuplot.log. */
static int run_gnuplot(plot_ctx *c, const char *gnuplot, int out_fd, const char *out_name)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return ctx_fail(c, SIM_EIO, "cannot run gnuplot: %s", strerror(errno));
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(pfd[0]);
        close(pfd[1]);
        return ctx_fail(c, SIM_ELIB, "cannot run %s: %s", gnuplot, strerror(e));
    }
    if (pid == 0) {             /* only async-signal-safe calls from here */
        if (chdir(c->dir) != 0)
            _exit(126);
        int in = open("/dev/null", O_RDONLY);
        int log = open("gnuplot.log", O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (in < 0 || log < 0 || dup2(in, 0) < 0 || dup2(pfd[1], 1) < 0 || dup2(log, 2) < 0)
            _exit(126);
        close(pfd[0]);
        char *argv[] = { (char *)gnuplot, (char *)"-d", (char *)"plot.gp", NULL };
        execv(gnuplot, argv);
        _exit(127);
    }
    close(pfd[1]);
    char buf[65536];
    int werr = 0;
    for (;;) {
        ssize_t n = read(pfd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (write_all(out_fd, buf, (size_t)n) != 0) {
            werr = errno;
            kill(pid, SIGTERM);
            break;
        }
    }
    close(pfd[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return ctx_fail(c, SIM_ELIB, "waiting for gnuplot: %s", strerror(errno));
    if (werr)
        return sim_err_set(c->err, SIM_EIO, out_name, 0, 0, "cannot write the chart: %s",
                           strerror(werr));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return SIM_OK;
    char msg[400] = "", log[4300];
    snprintf(log, sizeof log, "%s/gnuplot.log", c->dir);
    FILE *f = fopen(log, "r");
    if (f) {
        size_t n = fread(msg, 1, sizeof msg - 1, f);
        msg[n] = '\0';
        fclose(f);
        for (char *q = msg; *q; q++)
            if (*q == '\n')
                *q = ' ';
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) >= 126 && !*msg)
        snprintf(msg, sizeof msg, "cannot run %.300s", gnuplot);
    return ctx_fail(c, SIM_ELIB, "gnuplot failed (%s %d): %s",
                    WIFEXITED(status) ? "status" : "signal",
                    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), msg);
}

/* Does the chart in fd end as a whole file of its format does? gnuplot
 * does not always report a failed write, and a crash leaves half a file. */
static int chart_whole(int fd, const char *term)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size < 16)
        return 0;
    char head[8], tail[1025];
    size_t nt = st.st_size < 1024 ? (size_t)st.st_size : 1024;
    if (pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head
        || pread(fd, tail, nt, st.st_size - (off_t)nt) != (ssize_t)nt)
        return 0;
    tail[nt] = '\0';
    if (!strcmp(term, "png"))
        return !memcmp(head, "\x89PNG\r\n\x1a\n", 8) && nt >= 12
               && !memcmp(tail + nt - 12, "\0\0\0\0IEND\xae\x42\x60\x82", 12);
    for (size_t i = 0; i < nt; i++)     /* the text searches below stop at NUL bytes */
        if (!tail[i])
            tail[i] = ' ';
    if (!strcmp(term, "svg"))
        return strstr(tail, "</svg>") != NULL;
    return !memcmp(head, "%PDF", 4) && strstr(tail, "%%EOF") != NULL;
}

/* The destination directory of path: "dir" of "dir/x.png", "." of "x.png". */
static void dest_dir(const char *path, char *buf, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        snprintf(buf, size, ".");
    else if (slash == path)
        snprintf(buf, size, "/");
    else
        snprintf(buf, size, "%.*s", (int)(slash - path), path);
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
    plot_ctx c = { .r = r, .err = err, .out_path = out_path };
    c.nruns = out_reader_run_count(r);
    const out_attr *rep = out_reader_attr_find(r, "replications");
    /* the file's word, but never more than the runs it holds (and no
     * conversion of a huge or NaN double) */
    size_t reps = rep && rep->kind != OUT_ATTR_STRING && rep->d > 0 && rep->d < 1e9
                  ? (size_t)rep->d : c.nruns;
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

    char dd[4096];
    dest_dir(out_path, dd, sizeof dd);
    if (strlen(dd) + 32 >= sizeof c.dir)
        return sim_err_set(err, SIM_EINVAL, out_path, 0, 0, "path too long");
    snprintf(c.dir, sizeof c.dir, "%s/.vouchsim-plot-XXXXXX", dd);
    if (!mkdtemp(c.dir))
        return sim_err_set(err, SIM_EIO, out_path, 0, 0,
                           "cannot create a temporary directory in %s: %s", dd, strerror(errno));
    char script[4300], chart_tmp[4300];
    snprintf(script, sizeof script, "%s/plot.gp", c.dir);
    snprintf(chart_tmp, sizeof chart_tmp, "%s/chart.out", c.dir);
    int out_fd = -1;
    if (!(c.gp = fopen(script, "w"))) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", script,
                         strerror(errno));
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
    fputs("set output\n", gp);       /* standard output: vouchsim writes the file */

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
    int e = ferror(gp) ? errno : 0;
    if (fclose(gp) != 0 && !e)
        e = errno;
    if (e && rc == SIM_OK)
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", script, strerror(e));
    if (rc != SIM_OK)
        goto out;
    if ((out_fd = open(chart_tmp, O_RDWR | O_CREAT | O_EXCL, 0666)) < 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write %s: %s", chart_tmp,
                         strerror(errno));
        goto out;
    }
    if ((rc = run_gnuplot(&c, gnuplot, out_fd, out_path)))
        goto out;
    if (!chart_whole(out_fd, term)) {
        rc = sim_err_set(err, SIM_ELIB, out_path, 0, 0,
                         "gnuplot wrote no chart or an incomplete one");
        goto out;
    }
    if (fsync(out_fd) != 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write the chart: %s",
                         strerror(errno));
        goto out;
    }
    int fd = out_fd;
    out_fd = -1;
    if (close(fd) != 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write the chart: %s",
                         strerror(errno));
        goto out;
    }
    if (rename(chart_tmp, out_path) != 0) {
        rc = sim_err_set(err, SIM_EIO, out_path, 0, 0, "cannot write the chart: %s",
                         strerror(errno));
        goto out;
    }
    int dfd = open(dd, O_RDONLY);       /* make the rename durable */
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
out:
    if (out_fd >= 0)
        close(out_fd);
    if (!getenv("VOUCHSIM_KEEP_PLOT_FILES"))
        rm_tree(c.dir);
    return rc;
}
