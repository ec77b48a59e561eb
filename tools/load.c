/* tools/load.c - a scenario as every command that runs one loads it: the
 * file with the command line's --set, --seed and --until, checked against
 * the cost limits, its warnings printed (see load.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/economy.h"
#include "models/lint.h"
#include "output/writer.h"
#include "tools/cmd.h"
#include "tools/load.h"

/* The limits of the estimate: the defaults, raised by --max-*. */
void exp_limits(const args *a, lim_limits *lim)
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
static int load_warnings(const config *cfg, const scn_doc *doc, const args *a)
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

/* Whether the scalars a run of cfg records fit the result file's scalar
 * table (out_scalars_fit): checked before any run, since the table is
 * written at the end. SIM_OK, or SIM_EINVAL with a message at `programs`
 * (SIM_ENOMEM). The advice names the horizon only when the window spans
 * two calendar years or more (its scalars per year are then part of the
 * count), as --until when until (the option's text) set it. */
static int scalars_fit(const config *cfg, const scn_doc *doc, const char *until, sim_err *err)
{
    /* the names only: no economy is built (this runs per sweep point and
     * per optimize candidate) */
    size_t n = 0, bytes, most;
    econ_scalar_def *defs = economy_scalar_list(cfg, &n);
    const char **names = defs ? malloc((n ? n : 1) * sizeof *names) : NULL;
    if (!names) {
        free(defs);
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        names[i] = defs[i].name;
    int fits = out_scalars_fit(n, names, &bytes, &most);
    free(names);
    free(defs);
    if (fits)
        return SIM_OK;
    /* calendar years of the window, as the economy counts them: a scalar
     * per program and year (and 5 more a year) from two years on */
    int64_t last = cfg->start_day + (int64_t)ceil(cfg->horizon_h / 24.0) - 1;
    int64_t years = scn_year_of_day(last > cfg->start_day ? last : cfg->start_day)
                    - scn_year_of_day(cfg->start_day) + 1;
    size_t np = cfg->nprograms, longest = 0;
    for (size_t p = 0; p < np; p++)
        if (strlen(cfg->programs[p].name) > longest)
            longest = strlen(cfg->programs[p].name);
    const scn_node *root = scn_root(doc), *at = scn_get(root, "programs");
    char per[96] = "";
    if (years > 1)
        snprintf(per, sizeof per, " and 1 per program and calendar year, %lld years,",
                 (long long)years);
    const char *fewer = years <= 1 ? "fewer programs or shorter program names"
                        : until ? "fewer programs, shorter program names or an earlier --until"
                                : "fewer programs, shorter program names or a shorter horizon";
    return scn_error(err, SIM_EINVAL, at ? at : root,
                     "%zu programs give %zu scalars (7 per program%s with the totals), whose "
                     "names take %zu bytes of the result file's scalar table, more than the "
                     "%u it holds: about %zu scalars of names this long (programs named with "
                     "up to %zu characters); use %s (scenarios/README.md, \"Limits\")",
                     np, n, per, bytes, OUT_SCALARS_MAX_BYTES, most, longest, fewer);
}

/* exp_load, from base when not NULL (see exp_load_from). */
static int load(const char *path, const scn_doc *base, const args *a, scn_doc **doc_out,
                config **cfg_out)
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
    scn_set_origin *origins = args_set_origins(a, nsets);
    if (!origins) {
        free(sets);
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    scn_doc *doc = base ? scn_copy_labeled(base, sets, origins, nsets, &err)
                        : scn_load_labeled(path, sets, origins, nsets, &err);
    free(origins);
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
            /* a value the option's own check let through: a usage error all
             * the same, as args.c prints those */
            const char *cmd = a->cmd ? a->cmd : "run";
            if (bad)
                args_usage_error(cmd, "--until: expected a date YYYY-MM-DD, got '%s'",
                                 a->until);
            else if (far)
                args_usage_error(cmd, "--until: expected a date at most %d years after the "
                                 "scenario's start (%s), got '%s'", CONFIG_MAX_HORIZON_Y,
                                 start, a->until);
            else
                args_usage_error(cmd, "--until: expected a date (YYYY-MM-DD) after the "
                                 "scenario's start (%s), got '%s'", start, a->until);
            config_free(cfg);
            scn_free(doc);
            return EXIT_INPUT;
        }
        cfg->horizon_h = (double)(day - cfg->start_day) * 24.0;
    }
    /* what a replication would cost, against the limits (after --until) */
    lim_limits lim;
    lim_estimate est;
    exp_limits(a, &lim);
    if (lim_check(cfg, doc, &lim, &est, &err) != SIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        config_free(cfg);
        scn_free(doc);
        return err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    /* what the result file can hold, before any run: its scalar table is
     * written at the end */
    if (scalars_fit(cfg, doc, a->until, &err) != SIM_OK) {
        fprintf(stderr, "%s\n", err.msg);
        config_free(cfg);
        scn_free(doc);
        return err.code == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    /* after the limits: a scenario refused for its cost says only why */
    int st = load_warnings(cfg, doc, a);
    if (st != EXIT_OK) {
        config_free(cfg);
        scn_free(doc);
        return st;
    }
    *doc_out = doc;
    *cfg_out = cfg;
    return EXIT_OK;
}

int exp_load(const char *path, const args *a, scn_doc **doc, config **cfg)
{
    return load(path, NULL, a, doc, cfg);
}

int exp_load_from(const scn_doc *base, const args *a, scn_doc **doc, config **cfg)
{
    return load(scn_doc_path(base), base, a, doc, cfg);
}
