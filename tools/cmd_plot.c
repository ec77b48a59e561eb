/* tools/cmd_plot.c - `vouchsim plot FILE.h5`: charts through gnuplot.
 *
 * One chart, or all of them (the default), each to its own file: with
 * -o base.png, "all" writes base_utilization.png, base_budget.png ...;
 * without -o, FILE_<chart>.png beside the input. With "all", charts whose
 * series the file lacks are skipped with a note (the response and Sobol
 * charts silently, on files that are not sweeps; the difference charts
 * on files that are not comparisons). A comparison file without --arm is
 * drawn by out_plot_cmp_draw from both arms, base first (the order of
 * its root attribute arms), and its /compare/differences. The entity selections
 * (--region, --datacenter, --city, --program) and --outcome, --key are
 * taken here, checked against the file by out_plot_check (exit 2 with a
 * suggestion), and passed to the charts.
 *
 * "all" is all-or-nothing: each chart is drawn into a staging directory
 * (.vouchsim-charts-XXXXXX beside the charts) and the charts are renamed
 * into place, with the stop signals blocked, only once every one is
 * drawn; an interrupt or a failure removes the staged charts, so the
 * directory never mixes this run's charts with older ones of the same
 * names. A chart "all" skips whose older file is there is named in a
 * note (it stays, from before).
 *
 * SIGINT, SIGTERM or SIGHUP (on_signal) stops the chart being drawn
 * (out_plot_interrupt: gnuplot killed and waited for, its private
 * directory removed) and ends with one line, exit 128 + the signal, that
 * names the chart being drawn and, with "all", the charts drawn before it,
 * which were discarded; one chart is never written. */
#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/scenario.h"
#include "output/plot.h"
#include "output/reader.h"
#include "tools/args.h"
#include "tools/cmd.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim plot FILE.h5 [--chart CHART] [-o OUT.png|OUT.svg|OUT.pdf] [--arm NAME]\n"
          "         [--region R]... [--datacenter NAME]... [--city NAME]... [--program NAME]...\n"
          "         [--outcome SCALAR]... [--key KEY] [--point N]\n"
          "  CHART: utilization, budget, spend, demand, wait, response, sobol,\n"
          "         difference, utilization-difference, or all (default: those the file\n"
          "         has data for; a typo, utilisation, says which it is near).\n"
          "         response: a total against each varied key of a sweep\n"
          "         (mean and 95% interval per point, means alone over more than 50\n"
          "         points or under 3 replications; on a grid of several keys a\n"
          "         line per level of the others, with no grid a binned mean line);\n"
          "         sobol: first and total Sobol indices of a total (a sweep with\n"
          "         --design sobol) over the keys' ranges.\n"
          "  A comparison file (compare -o, run --counterfactual -o) without --arm:\n"
          "         the series charts draw both arms (policy solid, base dashed, each\n"
          "         with its band); difference: the paired differences policy -\n"
          "         base of the totals of /compare/differences with 95% intervals (a\n"
          "         panel per unit); utilization-difference: policy - base of region\n"
          "         utilization over time, the mean over runs paired by replication\n"
          "         with its 95% interval.\n"
          "  --region east|west, --datacenter, --city, --program: draw only these\n"
          "         entities (repeat for several); --region also picks the region's\n"
          "         data centers, cities and programs, --city the city's programs, when\n"
          "         the file records them (and, without --region and --datacenter,\n"
          "         --city the cities' regions and their data centers on the\n"
          "         utilization and wait charts). Names are checked against the\n"
          "         file. On the difference chart: the measures of those regions,\n"
          "         cities, programs.\n"
          "  --outcome: the total (a /scalars column) of response and sobol charts\n"
          "         (default firms_additional); on the difference chart, repeatable:\n"
          "         its rows (a total, e.g. subsidy_total, a row such as\n"
          "         region.west.utilization, or a measure of the selected entities);\n"
          "         default the headline totals. --key: one varied key (default: each).\n"
          "  --point N: on a sweep, the series charts of point N's runs alone (N from\n"
          "         0, as sweep numbers them; default: every point's runs pooled).\n"
          "  --arm NAME: one arm of a comparison file, e.g. base or policy.\n"
          "  -o, --output OUT  the chart file; its extension picks the format. With\n"
          "         --chart all, each chart gets a suffix: OUT_utilization.png ...\n"
          "         Default: FILE_<chart>.png beside the input (checked as -o is).\n"
          "  gnuplot is needed at run time ($VOUCHSIM_GNUPLOT overrides the PATH).\n"
          "exit status: 0 ok, 1 gnuplot missing or failed, or the chart cannot be\n"
          "  written (nothing is left at its path; -o, or the default beside FILE, in\n"
          "  a directory that is missing or not writable: refused before FILE is\n"
          "  read), 2 bad usage (-o, or a default chart's name, naming a directory,\n"
          "  or -o under a file: refused before FILE is read) or a missing,\n"
          "  unreadable, foreign, malformed or corrupt input file, or a chart the\n"
          "  file has no data for, 130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP:\n"
          "  gnuplot stopped, the chart being drawn not written). --chart all writes\n"
          "  every chart or none: interrupted or failing, it discards the charts it\n"
          "  drew, and older charts of the same names stay as they were\n", f);
}

/* The plot-only options, taken out of argv before args_parse sees it. */
typedef struct plot_sel {
    const char **v[5];          /* region, datacenter, city, program, outcome */
    size_t       n[5];
    const char  *key;
    const char  *point;         /* --point N, as given */
} plot_sel;

static const char *const sel_opts[7] = { "--region", "--datacenter", "--city", "--program",
                                         "--outcome", "--key", "--point" };

/* Moves the selection options of argv into s; the rest stays in argv
 * (*argc shrinks). -1 after a message when one lacks its value. */
static int take_selection(int *argc, char **argv, plot_sel *s)
{
    int out = 1;
    for (int i = 1; i < *argc; i++) {
        int k = -1;
        const char *val = NULL;
        for (int o = 0; o < 7 && k < 0; o++) {
            size_t n = strlen(sel_opts[o]);
            if (!strcmp(argv[i], sel_opts[o])) {
                k = o;
                if (i + 1 >= *argc) {
                    cmd_error("plot: %s needs a value", sel_opts[o]);
                    return -1;
                }
                val = argv[++i];
            } else if (!strncmp(argv[i], sel_opts[o], n) && argv[i][n] == '=') {
                k = o;
                val = argv[i] + n + 1;
            }
        }
        if (k < 0) {
            if (!strcmp(argv[i], "--")) {       /* the rest is positional */
                while (i < *argc)
                    argv[out++] = argv[i++];
                break;
            }
            argv[out++] = argv[i];
            continue;
        }
        if (!*val) {
            cmd_error("plot: %s needs a value", sel_opts[k]);
            return -1;
        }
        if (k == 5)
            s->key = val;
        else if (k == 6)
            s->point = val;
        else {
            const char **nv = realloc(s->v[k], (s->n[k] + 1) * sizeof *nv);
            if (!nv) {
                cmd_error("plot: out of memory");
                return -1;
            }
            nv[s->n[k]++] = val;
            s->v[k] = nv;
        }
    }
    *argc = out;
    return 0;
}

static void sel_free(plot_sel *s)
{
    for (int k = 0; k < 5; k++)
        free(s->v[k]);
}

/* Does r hold so few runs that the charts' bands are their range, read
 * from every run (plot.c's MIN_RUNS_PCT)? */
static int few_runs(const out_reader *r)
{
    size_t n = out_reader_run_count(r);
    return n >= 2 && n < OUT_PLOT_RANGE_RUNS;
}

/* The arms of a comparison file, base first (the order of its root
 * attribute `arms`), opened as files of their own, and its
 * /compare/differences. Returns EXIT_OK or the status after a message. */
static int open_comparison(const char *path, char **arms, size_t narms, int all_runs,
                           out_reader *r[2], out_table **diffs)
{
    int status = EXIT_OK;
    if (narms != 2) {
        cmd_error("plot: %s: a comparison file with %zu arms; give --arm NAME", path, narms);
        return EXIT_INPUT;
    }
    char *order = out_file_attr_string(path, "/", "arms");
    if (order && !strncmp(order, arms[1], strlen(arms[1])) && order[strlen(arms[1])] == ' ') {
        char *x = arms[0];
        arms[0] = arms[1], arms[1] = x;
    }
    free(order);
    /* every run when utilization-difference reads them all and, with
     * the first arm, /compare/differences: read in the checking child first */
    for (int k = 0; k < 2; k++) {
        unsigned v = OUT_VERIFY_FIRST_RUN | OUT_VERIFY_STATS | (all_runs ? OUT_VERIFY_RUNS : 0)
                     | (k ? 0 : OUT_VERIFY_DIFFERENCES);
        if (!(r[k] = cmd_reader_open_arm("plot", path, arms[k], v, &status)))
            return status;
        if (!all_runs && few_runs(r[k])) {  /* the bands read every run */
            out_reader_close(r[k]);
            if (!(r[k] = cmd_reader_open_arm("plot", path, arms[k], v | OUT_VERIFY_RUNS, &status)))
                return status;
        }
    }
    sim_err err;
    sim_err_clear(&err);
    int rc = out_reader_file_table_read(r[0], "/compare/differences", diffs, &err);
    if (rc != SIM_OK && rc != SIM_ENOENT) {
        cmd_error("plot: %s", err.msg);
        return rc == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    return EXIT_OK;
}

/* the signal that stopped the plot, 0 if none: process state for
 * on_signal */
static volatile sig_atomic_t plot_sig;

static void on_signal(int sig)
{
    if (!plot_sig)
        plot_sig = sig;
    out_plot_interrupt();
}

static void block_stop(int how, sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        sigaddset(&set, cmd_stop_signals[k]);
    sigprocmask(how, &set, old);
}

/* The charts of "all", drawn into a staging directory first. */
typedef struct staging {
    char   dir[4200];           /* "": not staging */
    char   path[OUT_CHART_COUNT][4200];     /* the staged charts */
    char   dst[OUT_CHART_COUNT][4200];      /* where each goes */
    size_t n;
} staging;

/* Replaces the staged path in msg by the chart's own, so a message names
 * the file the user asked for. */
static void unstage_msg(char *msg, size_t size, const char *staged, const char *dst)
{
    char *at = strstr(msg, staged);
    if (!at)
        return;
    char tail[1024];
    snprintf(tail, sizeof tail, "%s", at + strlen(staged));
    snprintf(at, size - (size_t)(at - msg), "%s%s", dst, tail);
}

/* Removes the staged charts and the staging directory. */
static void stage_discard(staging *st)
{
    for (size_t i = 0; i < st->n; i++)
        unlink(st->path[i]);
    st->n = 0;
    if (*st->dir && rmdir(st->dir) != 0 && errno != ENOENT)
        cmd_error("plot: warning: cannot remove %s: %s", st->dir, strerror(errno));
    *st->dir = '\0';
}

int cmd_plot(int argc, char **argv)
{
    args a;
    plot_sel sel = { { NULL }, { 0 }, NULL, NULL };
    if (take_selection(&argc, argv, &sel) != 0) {
        sel_free(&sel);
        args_try_help("plot");
        return EXIT_INPUT;
    }
    int prc = args_parse(&a, argc, argv, OPT_CHART | OPT_OUT | OPT_ARM, 1, 1, "FILE.h5", usage);
    if (prc != 0) {
        args_fini(&a);
        sel_free(&sel);
        return args_status(prc);
    }
    out_plot_opts po = { sel.v[0], sel.n[0], sel.v[1], sel.n[1], sel.v[2], sel.n[2],
                         sel.v[3], sel.n[3], sel.n[4] ? sel.v[4][0] : NULL, sel.key,
                         sel.v[4], sel.n[4], NULL, NULL };
    size_t point = 0;
    if (sel.point) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(sel.point, &end, 10);
        if (!isdigit((unsigned char)*sel.point) || *end || errno || v > SIZE_MAX) {
            cmd_error("plot: --point: expected a point number (0, 1, ...), got '%s'", sel.point);
            args_fini(&a);
            sel_free(&sel);
            return EXIT_INPUT;
        }
        point = (size_t)v;
        po.point = &point;
    }
    char arm_label[200] = "";
    int status = EXIT_OK;
    const char *path = a.pos[0], *out = a.out, *chart = a.chart ? a.chart : "all";
    const char *arm = a.arm;
    args_fini(&a);
    staging *st = calloc(1, sizeof *st);    /* large: not on the stack */
    if (!st) {
        cmd_error("plot: out of memory");
        sel_free(&sel);
        return EXIT_RUNTIME;
    }
    struct sigaction old_sa[CMD_STOP_SIGNALS];
    cmd_stop_catch(on_signal, SA_RESTART, old_sa);
    char drawing[4200] = "";    /* the chart being drawn */
    char written[4200] = "";    /* the charts drawn, for the interrupted line */
    size_t nwritten = 0, nlisted = 0;
    int any_drawn = 0, committed = 0;
    out_chart one = OUT_CHART_UTILIZATION;
    int all = !strcmp(chart, "all");
    out_reader *r = NULL, *arms_r[2] = { NULL, NULL };
    out_table *diffs = NULL;
    char **arms = NULL;
    size_t narms = 0;
    if (!all && out_chart_parse(chart, &one) != 0) {
        /* a typo away from a chart ("utilisation", "budgte"): that one */
        static const char list[] = "utilization, budget, spend, demand, wait, response, "
                                   "sobol, difference, utilization-difference, all";
        const char *near = NULL;
        size_t best = SIZE_MAX;
        for (int c = 0; c <= OUT_CHART_COUNT; c++) {
            const char *name = c < OUT_CHART_COUNT ? out_chart_name((out_chart)c) : "all";
            size_t d = scn_edit_distance(chart, name);
            if (d < best)
                best = d, near = name;
        }
        if (near && best <= 2 && best < strlen(chart))
            cmd_error("plot: unknown chart '%s' (did you mean '%s'?); the charts: %s", chart,
                      near, list);
        else
            cmd_error("plot: unknown chart '%s' (%s)", chart, list);
        status = EXIT_INPUT;
        goto out;
    }
    if (out && (status = cmd_out_check("plot", out, CMD_OUT_FILE)) != EXIT_OK)
        goto out;
    /* default base: the input without .h5, plus .png */
    char base[4096];
    if (out)
        snprintf(base, sizeof base, "%s", out);
    else {
        const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
        size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
        snprintf(base, sizeof base, "%.*s.png", (int)len, path);
        /* the charts named after the input, checked as -o is: a directory
         * that is missing or not writable, a directory at a chart's name,
         * refused before the input is read (a path too long: at drawing) */
        for (int c = 0; c < OUT_CHART_COUNT; c++) {
            char dst[4200];
            if ((all || c == (int)one) && out_plot_path(base, (out_chart)c, dst, sizeof dst) == 0
                && (status = cmd_out_check("plot", dst, CMD_OUT_FILE)) != EXIT_OK)
                goto out;
        }
    }
    if (out) {
        const char *dot = strrchr(out, '.');
        if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg") && strcmp(dot, ".pdf"))) {
            cmd_error("plot: %s: unknown chart format: use .png, .svg or .pdf", out);
            status = EXIT_INPUT;
            goto out;
        }
    }
    out_file_children(path, "/arms", &arms, &narms);
    int cmp = narms > 0 && !arm;
    if (!cmp && !all && out_chart_compares(one)) {
        if (arm)
            cmd_error("plot: chart '%s' compares the arms of a comparison file: drop --arm %s",
                      chart, arm);
        else
            cmd_error("plot: %s: chart '%s' needs a comparison file (vouchsim compare -o, "
                      "run --counterfactual -o)", path, chart);
        status = EXIT_INPUT;
        goto out;
    }
    if (po.noutcomes > 1 && !cmp) {
        cmd_error("plot: --outcome once: several are for the difference chart of a comparison "
                  "file");
        status = EXIT_INPUT;
        goto out;
    }
    if (cmp) {
        if ((status = open_comparison(path, arms, narms, all || one == OUT_CHART_UTIL_DIFFERENCE,
                                      arms_r, &diffs)) != EXIT_OK)
            goto out;
    } else {
        unsigned v = OUT_VERIFY_FIRST_RUN | OUT_VERIFY_STATS;
        if (!(r = cmd_reader_open_arm("plot", path, arm, v, &status)))
            goto out;
        if (few_runs(r) || po.point) {  /* the bands read every run: check them all first */
            out_reader_close(r);
            if (!(r = cmd_reader_open_arm("plot", path, arm, v | OUT_VERIFY_RUNS, &status)))
                goto out;
        }
        cmd_arm_label(r, arm, arm_label, sizeof arm_label);
        po.arm = *arm_label ? arm_label : NULL;
    }
    /* A file written with --totals-only has no series: its series charts
     * are refused (or, with "all", skipped) saying so, not one by one as
     * missing series. */
    int no_series = !cmp && out_reader_series_count(r) == 0;
    if (no_series && !all && one < OUT_CHART_RESPONSE) {
        cmd_error("plot: %s has no series (it was written with --totals-only): chart '%s' "
                  "draws series; its totals draw with --chart response%s, or run it again "
                  "without --totals-only", path, chart,
                  out_reader_attr_find(r, "sweep_points") ? "" : " (on a sweep)");
        status = EXIT_INPUT;
        goto out;
    }
    if (no_series && all)
        cmd_error("plot: %s has no series (it was written with --totals-only): skipped the "
                  "series charts (utilization, budget, spend, demand, wait)", path);
    out_plot_cmp pc = { { arms_r[0], arms_r[1] }, { cmp ? arms[0] : NULL, cmp ? arms[1] : NULL },
                        diffs };
    char gp[1024], note[700];
    sim_err err;
    sim_err_clear(&err);
    if ((cmp ? out_plot_cmp_check(&pc, &po, note, sizeof note, &err)
             : out_plot_check(r, &po, note, sizeof note, &err)) != SIM_OK) {
        cmd_error("plot: %s", err.msg);
        status = EXIT_INPUT;
        goto out;
    }
    if (*note)
        cmd_error("plot: note: %s", note);
    long long npoints = cmp ? 0 : out_reader_sweep_points(r);
    if (po.point && (cmp || (!all && one >= OUT_CHART_RESPONSE))) {
        cmd_error(cmp ? "plot: %s: --point: not a sweep file (a comparison)"
                      : "plot: --point %s: it picks the runs the series charts draw; chart '%s' "
                        "draws every point: drop --point", cmp ? path : sel.point, chart);
        status = EXIT_INPUT;
        goto out;
    }
    if (!po.point && npoints > 1 && !no_series && (all || one < OUT_CHART_RESPONSE))
        cmd_error("plot: note: %s is a sweep of %lld points: the series charts pool the runs of "
                  "every point into one mean and band; --point N draws point N's runs alone "
                  "(0 to %lld, as `vouchsim sweep` numbers them)", path, npoints, npoints - 1);
    if (out_gnuplot_find(gp, sizeof gp, &err) != SIM_OK) {
        cmd_error("%s", err.msg);
        status = EXIT_RUNTIME;
        goto out;
    }
    if (all) {                  /* the staging directory beside the charts */
        const char *slash = strrchr(base, '/');
        int len = slash ? (int)(slash - base) : 1;
        snprintf(st->dir, sizeof st->dir, "%.*s/.vouchsim-charts-XXXXXX",
                 len, slash ? (slash == base ? "" : base) : ".");
        if (!mkdtemp(st->dir)) {
            cmd_error("plot: cannot make a staging directory in %.*s: %s", len,
                      slash ? (slash == base ? "/" : base) : ".", strerror(errno));
            *st->dir = '\0';
            status = EXIT_RUNTIME;
            goto out;
        }
    }
    int drawn = 0;
    for (int c = 0; c < OUT_CHART_COUNT && !plot_sig; c++) {
        if (!all && c != (int)one)
            continue;
        int sweep_chart = c == OUT_CHART_RESPONSE || c == OUT_CHART_SOBOL;
        if (all && (cmp ? sweep_chart : out_chart_compares((out_chart)c)))
            continue;           /* not this kind of file: nothing to say */
        if (all && no_series && c < OUT_CHART_RESPONSE)
            continue;           /* said once above */
        char dst[4200];
        if (all || !out) {
            if (out_plot_path(base, (out_chart)c, dst, sizeof dst) != 0) {
                cmd_error("plot: output path too long");
                status = EXIT_INPUT;
                break;
            }
        } else
            snprintf(dst, sizeof dst, "%s", out);
        sim_err_clear(&err);
        snprintf(drawing, sizeof drawing, "%s", dst);
        char *to = dst;
        if (all) {              /* the staged chart: its name in the staging directory */
            const char *name = strrchr(dst, '/');
            char staged[8400];
            int len = snprintf(staged, sizeof staged, "%s/%s", st->dir, name ? name + 1 : dst);
            if (len < 0 || (size_t)len >= sizeof st->path[0]) {
                cmd_error("plot: output path too long");
                status = EXIT_INPUT;
                break;
            }
            memcpy(st->path[st->n], staged, (size_t)len + 1);
            memcpy(st->dst[st->n], dst, strlen(dst) + 1);
            to = st->path[st->n];
        }
        int rc = cmp ? out_plot_cmp_draw(&pc, (out_chart)c, &po, to, &err)
                     : out_plot_opts_draw(r, (out_chart)c, &po, to, &err);
        if (all)
            unstage_msg(err.msg, sizeof err.msg, to, dst);
        if (plot_sig && rc != SIM_OK)
            break;
        drawing[0] = '\0';
        if (rc == SIM_OK) {
            if (all)
                st->n++;         /* listed once all are in place */
            else
                printf("%s\n", dst);
            drawn++;
            any_drawn = 1;
            size_t used = strlen(written);
            if (used + strlen(dst) + 3 < sizeof written - 40) {
                snprintf(written + used, sizeof written - used, "%s%s", used ? ", " : "", dst);
                nlisted++;
            }
            nwritten++;
        } else if (all && rc == SIM_ENOENT && !access(dst, F_OK)
                   && !(sweep_chart && !out_reader_attr_find(r, "sweep_points"))) {
            cmd_error("plot: skipped %s: %s; the %s there is older, from before: not redrawn",
                      out_chart_name((out_chart)c), err.msg, dst);
        } else if (all && rc == SIM_ENOENT && sweep_chart
                   && !out_reader_attr_find(r, "sweep_points")) {
            continue;           /* not a sweep: nothing to say */
        } else if (all && rc == SIM_ENOENT) {
            cmd_error("plot: skipped %s: %s", out_chart_name((out_chart)c), err.msg);
        } else {
            cmd_error("plot: %s", err.msg);
            cmd_fsize_advice(err.msg, NULL);
            status = rc == SIM_EINVAL || rc == SIM_ENOENT ? EXIT_INPUT : EXIT_RUNTIME;
            if (all && nwritten)
                cmd_error("plot: %s was not written; no chart written (--chart all writes "
                          "every chart or none): the %zu drawn before it were discarded: %s%s",
                          dst, nwritten, written, nlisted < nwritten ? " and more" : "");
            break;
        }
    }
    if (status == EXIT_OK && drawn == 0 && !plot_sig) {
        cmd_error("plot: %s: no chart could be drawn: the file has none of the series charts use", path);
        status = EXIT_INPUT;
    }
    if (*st->dir && status == EXIT_OK) {  /* every chart drawn: into place, not to be stopped */
        sigset_t old_mask;
        block_stop(SIG_BLOCK, &old_mask);
        size_t placed = 0;
        for (; placed < st->n && !plot_sig; placed++) {
            if (rename(st->path[placed], st->dst[placed]) != 0) {
                cmd_error("plot: cannot move the chart into place at %s: %s%s", st->dst[placed],
                          strerror(errno), placed ? "; the charts before it are there" : "");
                status = EXIT_RUNTIME;
                break;
            }
            printf("%s\n", st->dst[placed]);
        }
        /* what was not placed stays staged, removed below */
        memmove(st->path, st->path + placed, (st->n - placed) * sizeof st->path[0]);
        st->n -= placed;
        committed = !plot_sig && status == EXIT_OK;
        stage_discard(st);
        fflush(stdout);
        block_stop(SIG_SETMASK, &old_mask);     /* a signal now finds the work done */
    }
out:
    if (*st->dir)                /* interrupted or failed: the staged charts go */
        stage_discard(st);
    cmd_stop_release(old_sa);
    if (plot_sig && committed)
        plot_sig = 0;           /* it came after every chart was in place */
    if (plot_sig) {
        fflush(stdout);
        if (isatty(2))
            fputc('\n', stderr);   /* off the line the echoed ^C is on */
        /* what stays: the charts drawn before (their paths went to stdout) */
        char kept[4400], more[48] = "";
        if (nlisted < nwritten)
            snprintf(more, sizeof more, " and %zu more", nwritten - nlisted);
        if (!any_drawn)
            snprintf(kept, sizeof kept, "no %schart written", drawing[0] ? "other " : "");
        else if (all)           /* all or nothing: those drawn were discarded */
            snprintf(kept, sizeof kept, "no chart written (--chart all writes every chart or "
                     "none): the %zu drawn before %s were discarded: %s%s", nwritten,
                     drawing[0] ? "it" : "the interrupt", written, more);
        else
            snprintf(kept, sizeof kept, "written%s (%zu): %s%s", drawing[0] ? " before it" : "",
                     nwritten, written, more);
        if (drawing[0])
            cmd_error("plot: interrupted while drawing %s, which was not written (gnuplot "
                      "stopped, its temporary files removed); %s", drawing, kept);
        else
            cmd_error("plot: interrupted; %s", kept);
        status = 128 + plot_sig;
    }
    out_reader_close(r);
    out_reader_close(arms_r[0]);
    out_reader_close(arms_r[1]);
    out_table_free(diffs);
    out_strv_free(arms, narms);
    sel_free(&sel);
    free(st);
    return status;
}
