/* tools/cmd_run.c - `vouchsim run` and `vouchsim validate`.
 *
 * run: scenario -> config -> R replications on a thread pool -> one HDF5
 * file (written under a temporary name, renamed when complete). validate:
 * the first two steps only. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "models/config.h"
#include "models/limits.h"
#include "models/lint.h"
#include "models/scenario.h"
#include "output/writer.h"
#include "tools/args.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/par.h"
#include "tools/runner.h"

/* The limit options, as every command that reads a scenario lists them. */
#define LIMITS_USAGE \
    "  --max-events N      refuse a scenario whose estimate per replication\n" \
    "  --max-samples N     exceeds these (defaults 1e9 events, 1e7 samples,\n" \
    "  --max-memory SIZE   4G of memory); raise them for big runs\n"

#define STRICT_USAGE \
    "  --strict            the scenario's warnings are errors (exit 2)\n"

static void run_usage(FILE *f)
{
    fputs("usage: vouchsim run SCENARIO [-o FILE.h5] [--seed N] [--set key=value]...\n"
          "                    [--until DATE] [--replications R] [--jobs N]\n"
          "                    [--counterfactual [--by program|city|region]...] [--resume] [--quiet]\n"
          "                    [--strict] [--max-events N] [--max-samples N] [--max-memory SIZE]\n"
          "  Runs the scenario and writes its time series and totals to FILE.h5\n"
          "  (default: the scenario's base name with .h5, in this directory).\n"
          "  SCENARIO is a file, or the name of one here or shipped: china-2025\n"
          "  finds ./china-2025.yaml, else the installed one (vouchsim --version).\n"
          "  -o, --output FILE.h5 the output file\n"
          "  --seed N            seed of the random streams (default: the scenario's)\n"
          "  --set key=value     override one scenario value (repeatable), e.g.\n"
          "                      --set programs.shandong-compute.budget=1.03B\n"
          "  --until DATE        stop at the start of DATE (YYYY-MM-DD)\n"
          "  -r, --replications R independent replications (default: the scenario's)\n"
          "  -j, --jobs N        threads (default: the number of cores)\n"
          "  --counterfactual    also run with vouchers switched off, on the same\n"
          "                      random numbers, and print the paired differences;\n"
          "                      with -o FILE.h5 writes one comparison file (arms\n"
          "                      /arms/counterfactual and /arms/vouchers, as compare -o);\n"
          "                      --by program|city|region as for compare\n"
          "  --resume            keep the runs an interrupted run of the same command\n"
          "                      finished (FILE.h5.parts/) and do the rest\n"
          "  -q, --quiet         no progress or report line on stderr\n"
          STRICT_USAGE
          LIMITS_USAGE
          "  -h, --help          this text;  -V, --version  the version\n"
          "  Options may come anywhere, as --seed=5, or as an unambiguous prefix\n"
          "  (--rep 2); short ones bundle (-qo x.h5); -- ends the options.\n"
          "exit status: 0 success, 1 run-time failure, 2 bad input or usage\n", f);
}

/* The limits of the estimate: the defaults, raised by --max-*. */
static void cmd_limits(const args *a, lim_limits *lim)
{
    lim_defaults(lim);
    if (a->max_events > 0)
        lim->max_events = a->max_events;
    if (a->max_samples > 0)
        lim->max_samples = a->max_samples;
    if (a->max_memory > 0)
        lim->max_memory = a->max_memory;
}

/* Prints the scenario's warnings (models/lint.h) to stderr, against the
 * horizon in force. EXIT_OK, or EXIT_INPUT when there are some and
 * --strict makes them errors (EXIT_RUNTIME when memory ran out). */
static int cmd_warnings(const config *cfg, const scn_doc *doc, const args *a)
{
    lint_list l = { NULL, 0 };
    sim_err err;
    sim_err_clear(&err);
    if (a->no_warn)
        return EXIT_OK;
    if (lint_scenario(cfg, doc, &l, &err) != SIM_OK) {
        lint_list_fini(&l);
        cmd_error("%s", err.msg);
        return EXIT_RUNTIME;
    }
    for (size_t i = 0; i < l.n; i++)
        fprintf(stderr, "%s\n", l.msgs[i]);
    int status = EXIT_OK;
    if (l.n && a->strict) {
        cmd_error("%zu warning%s, errors with --strict", l.n, l.n == 1 ? "" : "s");
        status = EXIT_INPUT;
    }
    lint_list_fini(&l);
    return status;
}

int cmd_load(const char *path, const args *a, scn_doc **doc_out, config **cfg_out)
{
    sim_err err;
    sim_err_clear(&err);
    char seedbuf[64];
    size_t nsets = 0;
    const char **sets = args_sets_with_seed(a, &nsets, seedbuf, sizeof seedbuf);
    if (!sets) {
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    scn_doc *doc = scn_load(path, sets, nsets, &err);
    free(sets);
    if (!doc) {
        fprintf(stderr, "%s\n", err.msg);
        return err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    config *cfg = config_from_scenario(doc, &err);
    if (!cfg) {
        fprintf(stderr, "%s\n", err.msg);
        scn_free(doc);
        return err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    if (a->until) {
        int64_t day;
        char start[16];
        scn_format_date(cfg->start_day, start, sizeof start);
        int bad = scn_date_from_string(a->until, &day) != SIM_OK;
        int far = !bad && day - cfg->start_day > (int64_t)CONFIG_MAX_HORIZON_Y * 365;
        if (bad || far || day <= cfg->start_day) {
            if (bad)
                cmd_error("--until: expected a date YYYY-MM-DD, got '%s'", a->until);
            else if (far)
                cmd_error("--until: expected a date at most %d years after the scenario's "
                          "start (%s), got '%s'", CONFIG_MAX_HORIZON_Y, start, a->until);
            else
                cmd_error("--until: expected a date (YYYY-MM-DD) after the scenario's start "
                          "(%s), got '%s'", start, a->until);
            config_free(cfg);
            scn_free(doc);
            return EXIT_INPUT;
        }
        cfg->horizon_h = (double)(day - cfg->start_day) * 24.0;
    }
    /* what a replication would cost, against the limits (after --until) */
    lim_limits lim;
    lim_estimate est;
    cmd_limits(a, &lim);
    if (lim_check(cfg, doc, &lim, &est, &err) != SIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        config_free(cfg);
        scn_free(doc);
        return err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    /* after the limits: a scenario refused for its cost says only why */
    int st = cmd_warnings(cfg, doc, a);
    if (st != EXIT_OK) {
        config_free(cfg);
        scn_free(doc);
        return st;
    }
    *doc_out = doc;
    *cfg_out = cfg;
    return EXIT_OK;
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

static void iso_now(char *buf, size_t size)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int cmd_write_header(out_writer *w, const scn_doc *doc, const config *cfg,
                     int argc, char **argv, unsigned reps, sim_err *err)
{
    int rc;
    char buf[64], host[256] = "";
    char *text = scn_dump(doc);
    if (!text)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    size_t cmdlen = 1;
    for (int i = 0; i < argc; i++)
        cmdlen += strlen(argv[i]) + 1;
    char *cmdline = calloc(1, cmdlen + 9);
    if (!cmdline) {
        free(text);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    strcpy(cmdline, "vouchsim");
    for (int i = 0; i < argc; i++) {
        strcat(cmdline, " ");
        strcat(cmdline, argv[i]);
    }
    iso_now(buf, sizeof buf);
    gethostname(host, sizeof host - 1);
    char start[16];
    scn_format_date(cfg->start_day, start, sizeof start);
    if ((rc = out_attr_string(w, "scenario", text, err)) ||
        (rc = out_attr_string(w, "scenario_name", cfg->name, err)) ||
        (rc = out_attr_string(w, "scenario_path", scn_doc_path(doc), err)) ||
        (rc = out_attr_int(w, "seed", (int64_t)cfg->seed, err)) ||
        (rc = out_attr_int(w, "replications", (int64_t)reps, err)) ||
        (rc = out_attr_string(w, "vouchsim_version", PACKAGE_VERSION, err)) ||
        (rc = out_attr_string(w, "command", cmdline, err)) ||
        (rc = out_attr_string(w, "started", buf, err)) ||
        (rc = out_attr_string(w, "host", host, err)) ||
        (rc = out_attr_string(w, "start_date", start, err)) ||
        (rc = out_attr_double(w, "horizon_h", cfg->horizon_h, err)) ||
        (rc = out_attr_double(w, "warmup_h", cfg->warmup_h, err)) ||
        (rc = out_attr_double(w, "cooldown_h", cfg->cooldown_h, err)) ||
        (rc = out_attr_double(w, "sample_h", cfg->sample_h, err)) ||
        (rc = out_attr_string(w, "routing", config_route_name(cfg->routing), err)))
        goto out;
    rc = runner_write_header(w, cfg, err);
out:
    free(text);
    free(cmdline);
    return rc;
}

int cmd_finish(out_writer *w, const runner_result *res, size_t nruns, sim_err *err)
{
    char buf[64];
    int rc = out_scalars_write(w, nruns, res->ncols, (const char *const *)res->names,
                               (const char *const *)res->units,
                               (const char *const *)res->descs, res->values, err);
    if (rc == SIM_OK)
        rc = out_series_stats_write(w, nruns, err);
    iso_now(buf, sizeof buf);
    if (rc == SIM_OK)
        rc = out_attr_string(w, "finished", buf, err);
    return rc;
}

void cmd_report(const char *what, const runner_result *res, size_t nruns, const char *file)
{
    fprintf(stderr, "vouchsim: %s: %zu run%s, events=%llu, secs=%.3f, events_per_sec=%.0f%s%s\n",
            what, nruns, nruns == 1 ? "" : "s", (unsigned long long)res->events, res->secs,
            res->secs > 0 ? (double)res->events / res->secs : 0.0,
            file ? ", wrote " : "", file ? file : "");
}

int cmd_run(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_OUT | OPT_SEED | OPT_SET | OPT_UNTIL | OPT_REPS |
                         OPT_JOBS | OPT_QUIET | OPT_COUNTERFACTUAL | OPT_RESUME | OPT_STRICT | OPT_BY, 1, 1,
                         "SCENARIO", run_usage);
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    if (a.nby && !a.counterfactual) {
        cmd_error("run: --by goes with --counterfactual (for a run file: vouchsim summary "
                  "FILE.h5 --by ...)");
        args_fini(&a);
        return EXIT_INPUT;
    }
    if (a.counterfactual) {
        int st = cmd_compare_counterfactual(&a, argc, argv);
        args_fini(&a);
        return st;
    }

    int status = EXIT_RUNTIME;
    scn_doc *doc = NULL;
    config *cfg = NULL;
    run_spec *specs = NULL;
    runner_result res;
    memset(&res, 0, sizeof res);
    char *out = NULL;
    sim_err err;
    sim_err_clear(&err);

    if ((status = cmd_load(a.pos[0], &a, &doc, &cfg)) != EXIT_OK)
        goto out;
    status = EXIT_RUNTIME;
    unsigned reps = a.reps ? a.reps : cfg->replications;
    out = a.out ? strdup(a.out) : cmd_default_output(a.pos[0], ".h5");
    specs = calloc(reps, sizeof *specs);
    if (!out || !specs) {
        cmd_error("out of memory");
        goto out;
    }
    const char *input = a.pos[0];
    if ((status = exp_output_check(out, &input, 1)) != EXIT_OK)
        goto out;
    status = EXIT_RUNTIME;
    for (unsigned r = 0; r < reps; r++)
        specs[r] = (run_spec){ cfg, cfg->seed, r, r, exp_run_id(doc, cfg, r), -1, NULL };
    exp_plan x = { doc, cfg, specs, reps, reps, out, a.resume, a.quiet, a.jobs, par_size(),
                   argc, argv, NULL, NULL };
    if (exp_run(&x, &res, &err) != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        goto out;
    }
    if (!a.quiet)
        cmd_report(cfg->name, &res, reps, out);
    status = EXIT_OK;
out:
    runner_result_fini(&res);
    free(specs);
    free(out);
    config_free(cfg);
    scn_free(doc);
    args_fini(&a);
    return status;
}

static void validate_usage(FILE *f)
{
    fputs("usage: vouchsim validate SCENARIO [--set key=value]... [--seed N] [--until DATE]\n"
          "                         [--strict]\n"
          "                         [--max-events N] [--max-samples N] [--max-memory SIZE]\n"
          "  Checks the scenario and prints what it holds and what one replication\n"
          "  would cost (events, samples, memory). Exit 0 when valid, 2 with\n"
          "  file:line:col: key: message when not. What is valid but does nothing\n"
          "  (or probably means something else) gets file:line:col: key: warning:\n"
          "  message lines on stderr, with exit 0.\n"
          "  --until DATE        check against the end DATE instead of the horizon\n"
          STRICT_USAGE
          LIMITS_USAGE, f);
}

/* The estimate of models/limits.h for one replication, and the limits. */
static int print_estimate(const config *cfg, const args *a)
{
    lim_limits lim;
    lim_estimate est;
    sim_err err;
    char b1[32], b2[32];
    sim_err_clear(&err);
    cmd_limits(a, &lim);
    if (lim_estimate_config(cfg, &est, &err) != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        return EXIT_RUNTIME;
    }
    printf("  per replication, about: %.3g events, %.0f samples, %s of memory "
           "(limits %.3g, %.3g, %s)\n", est.events, est.samples,
           lim_format_bytes(est.memory, b1, sizeof b1), lim.max_events, lim.max_samples,
           lim_format_bytes(lim.max_memory, b2, sizeof b2));
    return EXIT_OK;
}

int cmd_validate(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_SET | OPT_SEED | OPT_UNTIL | OPT_STRICT, 1, 1, "SCENARIO", validate_usage);
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    scn_doc *doc = NULL;
    config *cfg = NULL;
    int status = cmd_load(a.pos[0], &a, &doc, &cfg);
    if (status == EXIT_OK) {
        char end[16];
        scn_format_date(cfg->start_day + (int64_t)floor(cfg->horizon_h / 24.0), end, sizeof end);
        char start[16];
        scn_format_date(cfg->start_day, start, sizeof start);
        printf("%s: ok: \"%s\", %s to %s, %zu cities, %zu data centers, %zu programs, routing %s%s\n",
               a.pos[0], cfg->name, start, end, cfg->ncities, cfg->ndcs, cfg->nprograms,
               config_route_name(cfg->routing), cfg->vouchers ? "" : ", vouchers off");
        status = print_estimate(cfg, &a);
    }
    config_free(cfg);
    scn_free(doc);
    args_fini(&a);
    return status;
}
