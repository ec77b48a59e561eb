/* tools/vouchsim.c - the vouchsim command: dispatches to a subcommand.
 *
 * Start-up turns off GSL's abort-on-error handler so that library failures
 * come back as status codes and are reported as errors with context. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "config.h"
#include "tools/cmd.h"
#include "tools/par.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} command;

static const command commands[] = {
    { "run", cmd_run, "run SCENARIO [-o FILE.h5] [--replications R] ...   run a scenario" },
    { "validate", cmd_validate, "validate SCENARIO                   check a scenario" },
    { "compare", cmd_compare, "compare BASE POLICY [--replications R]   paired comparison" },
    { "sweep", cmd_sweep, "sweep SCENARIO --vary key=LO:HI:N ...   parameter sweeps, Sobol indices" },
    { "bench", cmd_bench, "bench hold [--pending P] [--events E]   time the event kernel" },
    { "summary", cmd_summary, "summary FILE.h5 [--format table|csv|json]   scalars with 95% CIs" },
    { "plot", cmd_plot, "plot FILE.h5 [--chart NAME|all] [-o CHART.png|.svg|.pdf]   charts (gnuplot)" },
    { "export", cmd_export, "export FILE.h5 --csv DIR   scalars, summary and series as CSV" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vouchsim COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %s\n", commands[i].help);
    fprintf(f, "\n  --help      this text; `vouchsim COMMAND --help` for one command\n"
               "  --version   print the version\n\n"
               "exit status: 0 success, 1 run-time failure, 2 bad input or usage\n");
}

void cmd_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vouchsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

int cmd_parse_u64(const char *s, unsigned long long *out)
{
    if (!s || *s < '0' || *s > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

double cmd_now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_INPUT;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("vouchsim %s\n", PACKAGE_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    cmd_error("unknown command '%s' (try vouchsim --help)", argv[1]);
    return EXIT_INPUT;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    par_init(&argc, &argv);
    int status = dispatch(argc, argv);
    fflush(stdout);
    par_finalize();
    return status;
}
