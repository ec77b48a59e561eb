/* tools/vouchsim.c - the vouchsim command: dispatches to a subcommand.
 *
 * Start-up turns off GSL's abort-on-error handler so that library failures
 * come back as status codes and are reported as errors with context. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "config.h"
#include "models/scenario.h"
#include "tools/cmd.h"
#include "tools/datadir.h"

#if defined(__SANITIZE_ADDRESS__)
/* Built with --enable-sanitizers: libhdf5 1.10 leaks a few hundred bytes of
 * its own when it fails to open a corrupt file (tests/hostile.sh), and the
 * stacks LeakSanitizer records by default stop at "malloc <- libhdf5", so
 * the suppression names the whole library (as tests/fuzz/fuzz_util.c
 * does): a leak of memory HDF5 allocated for vouchsim goes unseen, leaks of
 * vouchsim's own allocations are reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libhdf5\n";
}

const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
}
#endif
#include "tools/par.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} command;

static const command commands[] = {
    { "run",      cmd_run,      "run a scenario, write its series and totals to HDF5" },
    { "validate", cmd_validate, "check a scenario, say what it holds and what a run costs" },
    { "compare",  cmd_compare,  "two scenarios on common random numbers: paired differences" },
    { "sweep",    cmd_sweep,    "a scenario over a grid, Latin hypercube or Sobol design" },
    { "optimize", cmd_optimize, "the best policy among candidates, with a guarantee (KN)" },
    { "summary",  cmd_summary,  "the totals of a file, with 95% intervals" },
    { "plot",     cmd_plot,     "charts of a file (gnuplot)" },
    { "export",   cmd_export,   "a file's totals and series as CSV" },
    { "bench",    cmd_bench,    "time the event kernel (hold model)" },
    { "schema",   cmd_schema,   "the JSON Schema of the scenario format" },
};

static void usage(FILE *f)
{
    fprintf(f, "usage: vouchsim COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n  -h, --help      this text; `vouchsim COMMAND --help` for one command\n"
               "  -V, --version   the version, and where scenarios are found by name\n\n"
               "exit status: 0 success, 1 run-time failure, 2 bad input or usage\n");
}

void cmd_vputs(FILE *f, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    /* an escape is at most 4 bytes a byte ("\x1b") */
    char *raw = malloc((size_t)n + 1), *esc = malloc(4 * (size_t)n + 1);
    if (raw && esc) {
        vsnprintf(raw, (size_t)n + 1, fmt, ap);
        sim_text_escape(esc, 4 * (size_t)n + 1, raw);
        fputs(esc, f);
    } else {
        fputs("(out of memory for the message)", f);
    }
    free(raw);
    free(esc);
}

size_t cmd_compose(char *buf, size_t n, const char *pre, const char *post, const char *fmt, ...)
{
    size_t lp = strlen(pre), lq = strlen(post);
    if (lp + lq >= n) {
        if (n)
            buf[0] = '\0';
        return 0;
    }
    memcpy(buf, pre, lp);
    /* escaping never shortens: n bytes of the raw message are enough */
    char *raw = malloc(n);
    size_t len = lp;
    if (raw) {
        va_list ap;
        va_start(ap, fmt);
        if (vsnprintf(raw, n, fmt, ap) < 0)
            raw[0] = '\0';
        va_end(ap);
        len += sim_text_escape(buf + lp, n - lp - lq, raw);
        free(raw);
    }
    memcpy(buf + len, post, lq + 1);
    return len + lq;
}

int cmd_text_plain(const char *s)
{
    size_t n = strlen(s);
    char *esc = malloc(4 * n + 1);      /* room for every byte escaped */
    int plain = esc && sim_text_escape(esc, 4 * n + 1, s) == n && !strcmp(esc, s);
    free(esc);
    return plain;
}

void cmd_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cmd_vputs(f, fmt, ap);
    va_end(ap);
}

void cmd_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vouchsim: ", stderr);
    cmd_vputs(stderr, fmt, ap);
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

/* "scenarios/china-2025.yaml" -> "china-2025.h5" (malloc'd). */
char *cmd_default_output(const char *scenario, const char *suffix)
{
    const char *base = strrchr(scenario, '/');
    base = base ? base + 1 : scenario;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml")))
        n = (size_t)(dot - base);
    size_t sz = n + strlen(suffix) + 1;
    char *out = malloc(sz);
    if (out)
        snprintf(out, sz, "%.*s%s", (int)n, base, suffix);
    return out;
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
    if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
        datadir_print_version(stdout);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    /* the nearest command, when a typo away: "rn", "sumary", "plto" */
    const char *near = NULL;
    size_t best = (size_t)-1;
    for (size_t i = 0; argv[1][0] != '-' && i < sizeof commands / sizeof commands[0]; i++) {
        size_t d = scn_edit_distance(argv[1], commands[i].name);
        if (d < best) {
            best = d;
            near = commands[i].name;
        }
    }
    const char *dot = strrchr(argv[1], '.');
    if (argv[1][0] == '-')
    {
        cmd_error("unknown option '%s'", argv[1]);
        fputs("try 'vouchsim --help'\n", stderr);
    }
    else if (dot && (!strcmp(dot, ".yaml") || !strcmp(dot, ".yml") || !strcmp(dot, ".h5")))
        /* a file where the command goes: the command that takes it */
        cmd_error("unknown command '%s': a %s comes after a command, e.g. vouchsim %s %s "
                  "(try vouchsim --help)", argv[1], strcmp(dot, ".h5") ? "scenario" : "file",
                  strcmp(dot, ".h5") ? "run" : "summary", argv[1]);
    else if (near && best <= 2 && best < strlen(argv[1]))
        cmd_error("unknown command '%s': did you mean %s? (try vouchsim --help)", argv[1], near);
    else
        cmd_error("unknown command '%s' (try vouchsim --help)", argv[1]);
    return EXIT_INPUT;
}

int main(int argc, char **argv)
{
    /* Under a file-size limit (ulimit -f), a write past it raises SIGXFSZ,
     * whose default action kills the process with no message and leaves the
     * temporary files behind. Ignored, the write fails with EFBIG instead,
     * and the checked path reports it and cleans up like a full disk. */
    signal(SIGXFSZ, SIG_IGN);
    gsl_set_error_handler_off();
    par_init(&argc, &argv);
    cmd_program_set(argc > 0 ? argv[0] : NULL);
    int status = dispatch(argc, argv);
    fflush(stdout);
    par_finalize();
    return status;
}
