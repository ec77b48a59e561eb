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
#include "models/scenario.h"
#include "output/writer.h"
#include "tools/args.h"
#include "tools/arms.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/load.h"
#include "tools/par.h"
#include "tools/runner.h"
#include "tools/sweep_plan.h"

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
          "                    [--counterfactual [--by program|city|region]...] [--resume] [--force]\n"
          "                    [--quiet] [--strict] [--max-events N] [--max-samples N]\n"
          "                    [--max-memory SIZE]\n"
          "  Runs the scenario and writes its time series and totals to FILE.h5\n"
          "  (default: the scenario's base name with .h5, in this directory).\n"
          "  SCENARIO is a file, or the name of one here or shipped: china-2025\n"
          "  finds ./china-2025.yaml, else the installed one (vouchsim --version).\n"
          "  -o, --output FILE.h5 the output file\n"
          "  --seed N            seed of the random streams (default: the scenario's)\n"
          "  --set key=value     override one scenario value (repeatable), e.g.\n"
          "                      --set programs.shandong-compute.budget=1.03B\n"
          "  --until DATE        stop at the start of DATE (YYYY-MM-DD), which is not\n"
          "                      simulated: 2025-04-01 ends with 31 March\n"
          "  -r, --replications R independent replications (default: the scenario's)\n"
          "  -j, --jobs N        threads (default: the number of cores)\n"
          "  --counterfactual    also run with vouchers switched off, on the same\n"
          "                      random numbers, and print the paired differences;\n"
          "                      with -o FILE.h5 writes one comparison file (arms\n"
          "                      /arms/counterfactual and /arms/vouchers, as compare -o);\n"
          "                      --by program|city|region as for compare\n"
          "  --resume            keep the runs an interrupted run of the same command\n"
          "                      finished (FILE.h5.parts/) and do the rest (runs there\n"
          "                      of another scenario, --set, --seed or --until are\n"
          "                      run again, and the resume: line says how many)\n"
          "  --force             replace FILE.h5 if it exists, or start over an\n"
          "                      interrupted run's FILE.h5.parts/ (both are refused\n"
          "                      otherwise, exit 2: nothing is replaced silently)\n"
          "  -q, --quiet         no progress or report line on stderr\n"
          STRICT_USAGE
          LIMITS_USAGE
          "  -h, --help          this text;  -V, --version  the version\n"
          "  Options may come anywhere, as --seed=5, or as an unambiguous prefix\n"
          "  (--rep 2); short ones bundle (-qo x.h5); -- ends the options.\n"
          "exit status: 0 success, 1 run-time failure (also -o in a directory that\n"
          "  is missing or not writable), 2 bad input or usage (also -o naming a\n"
          "  directory, or under a file; both checked before anything runs),\n"
          "  130/143/129 interrupted (SIGINT/SIGTERM/SIGHUP: the finished runs are\n"
          "  kept; under nohup SIGHUP is ignored)\n", f);
}

int cmd_run(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_OUT | OPT_SEED | OPT_SET | OPT_UNTIL | OPT_REPS |
                         OPT_JOBS | OPT_QUIET | OPT_COUNTERFACTUAL | OPT_RESUME | OPT_STRICT | OPT_BY | OPT_FORCE, 1, 1,
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
        int st = arms_counterfactual(&a, argc, argv);
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

    if ((status = exp_load(a.pos[0], &a, &doc, &cfg)) != EXIT_OK)
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
    if ((status = cmd_out_check(NULL, out, CMD_OUT_FILE)) != EXIT_OK
        || (status = exp_output_check(out, &input, 1)) != EXIT_OK)
        goto out;
    status = EXIT_RUNTIME;
    for (unsigned r = 0; r < reps; r++)
        specs[r] = (run_spec){ cfg, cfg->seed, r, r, exp_run_id(doc, cfg, r), -1, NULL };
    exp_plan x = { doc, cfg, specs, reps, reps, out, a.resume, a.quiet, a.jobs, par_size(),
                   argc, argv, NULL, NULL, a.force, 0, NULL };
    if (exp_run(&x, &res, &err) != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        cmd_fsize_advice(err.msg, CMD_LESS_RUNS);
        status = err.code == SIM_EINVAL ? EXIT_INPUT : EXIT_RUNTIME;
        goto out;
    }
    if (!a.quiet) {
        char from[4200];
        snprintf(from, sizeof from, "%s.parts", out ? out : "");
        exp_report(cfg->name, &res, reps, exp_resumed(&res, reps), from, out);
    }
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
          "  --set key=value     override one scenario value (repeatable), as for run\n"
          "  --seed N            the seed to check, as for run (the estimate does not\n"
          "                      depend on it)\n"
          "  --until DATE        check against the end DATE instead of the horizon\n"
          STRICT_USAGE
          LIMITS_USAGE
          "exit status: 0 valid, 1 run-time failure, 2 not valid (or a warning with\n"
          "  --strict), or bad usage\n", f);
}

/* The estimate of models/limits.h for one replication, and the limits. */
static int print_estimate(const config *cfg, const args *a)
{
    lim_limits lim;
    lim_estimate est;
    sim_err err;
    char b1[32], b2[32];
    sim_err_clear(&err);
    exp_limits(a, &lim);
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
    int status = exp_load(a.pos[0], &a, &doc, &cfg);
    if (status == EXIT_OK)      /* every point its sweep: section would run */
        status = sweep_check(&a, doc, cfg);
    if (status == EXIT_OK) {
        char end[16];
        scn_format_date(cfg->start_day + (int64_t)floor(cfg->horizon_h / 24.0), end, sizeof end);
        char start[16];
        scn_format_date(cfg->start_day, start, sizeof start);
        printf("%s: ok: \"%s\", %s to %s, %zu %s, %zu data center%s, %zu program%s, routing %s%s\n",
               a.pos[0], cfg->name, start, end, cfg->ncities, cfg->ncities == 1 ? "city" : "cities",
               cfg->ndcs, cfg->ndcs == 1 ? "" : "s", cfg->nprograms, cfg->nprograms == 1 ? "" : "s",
               config_route_name(cfg->routing), cfg->vouchers ? "" : ", vouchers off");
        status = print_estimate(cfg, &a);
    }
    config_free(cfg);
    scn_free(doc);
    args_fini(&a);
    return status;
}
