/* tools/cmd_plot.c - `vouchsim plot FILE.h5`: charts through gnuplot.
 *
 * One chart, or all of them (the default), each to its own file: with
 * -o base.png, "all" writes base_utilization.png, base_budget.png ...;
 * without -o, FILE_<chart>.png beside the input. With "all", charts whose
 * series the file lacks are skipped with a note. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/plot.h"
#include "output/reader.h"
#include "tools/args.h"
#include "tools/cmd.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim plot FILE.h5 [--chart CHART] [-o OUT.png|OUT.svg|OUT.pdf] [--arm NAME]\n"
          "  (--arm NAME: one arm of a comparison file, e.g. base or policy)\n"
          "  CHART: utilization, budget, spend, demand, wait, or all (default).\n"
          "  -o     the chart file; its extension picks the format. With --chart all,\n"
          "         each chart gets a suffix: OUT_utilization.png ... Default:\n"
          "         FILE_<chart>.png beside the input.\n"
          "  gnuplot is needed at run time ($VOUCHSIM_GNUPLOT overrides the PATH).\n"
          "exit status: 0 ok, 1 gnuplot missing or failed, or the chart cannot be\n"
          "  written (nothing is left at its path), 2 bad usage or a missing,\n"
          "  unreadable, foreign, malformed or corrupt input file, or a chart the\n"
          "  file has no data for\n", f);
}

int cmd_plot(int argc, char **argv)
{
    args a;
    if (args_parse(&a, argc, argv, OPT_CHART | OPT_OUT | OPT_ARM, 1) != 0 || a.help || a.npos != 1) {
        usage(a.help ? stdout : stderr);
        args_fini(&a);
        return a.help ? EXIT_OK : EXIT_INPUT;
    }
    const char *path = a.pos[0], *out = a.out, *chart = a.chart ? a.chart : "all";
    const char *arm = a.arm;
    args_fini(&a);
    out_chart one = OUT_CHART_UTILIZATION;
    int all = !strcmp(chart, "all");
    if (!all && out_chart_parse(chart, &one) != 0) {
        cmd_error("plot: unknown chart '%s' (utilization, budget, spend, demand, wait, all)", chart);
        return EXIT_INPUT;
    }
    if (out) {
        const char *dot = strrchr(out, '.');
        if (!dot || (strcmp(dot, ".png") && strcmp(dot, ".svg") && strcmp(dot, ".pdf"))) {
            cmd_error("plot: %s: unknown chart format: use .png, .svg or .pdf", out);
            return EXIT_INPUT;
        }
    }
    int status = EXIT_OK;
    out_reader *r = cmd_reader_open_arm(path, arm, OUT_VERIFY_FIRST_RUN | OUT_VERIFY_STATS, &status);
    if (!r)
        return status;
    char gp[1024];
    sim_err err;
    sim_err_clear(&err);
    if (out_gnuplot_find(gp, sizeof gp, &err) != SIM_OK) {
        cmd_error("%s", err.msg);
        out_reader_close(r);
        return EXIT_RUNTIME;
    }
    /* default base: the input without .h5, plus .png */
    char base[4096];
    if (out)
        snprintf(base, sizeof base, "%s", out);
    else {
        const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
        size_t len = dot && (!slash || dot > slash) ? (size_t)(dot - path) : strlen(path);
        snprintf(base, sizeof base, "%.*s.png", (int)len, path);
    }
    int drawn = 0;
    for (int c = 0; c < OUT_CHART_COUNT; c++) {
        if (!all && c != (int)one)
            continue;
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
        int rc = out_plot(r, (out_chart)c, dst, &err);
        if (rc == SIM_OK) {
            printf("%s\n", dst);
            drawn++;
        } else if (all && rc == SIM_ENOENT) {
            fprintf(stderr, "vouchsim: plot: skipped %s: %s\n", out_chart_name((out_chart)c), err.msg);
        } else {
            cmd_error("plot: %s", err.msg);
            status = rc == SIM_EINVAL || rc == SIM_ENOENT ? EXIT_INPUT : EXIT_RUNTIME;
            break;
        }
    }
    if (status == EXIT_OK && drawn == 0) {
        cmd_error("plot: %s: no chart could be drawn: the file has none of the series charts use", path);
        status = EXIT_INPUT;
    }
    out_reader_close(r);
    return status;
}
