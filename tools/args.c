/* tools/args.c - shared option parsing for the vouchsim commands. */
#include "tools/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/limits.h"
#include "tools/cmd.h"

static int push(const char ***arr, size_t *n, const char *v)
{
    const char **p = realloc(*arr, (*n + 1) * sizeof *p);
    if (!p)
        return -1;
    p[(*n)++] = v;
    *arr = p;
    return 0;
}

static int parse_unsigned(const char *cmd, const char *opt, const char *v,
                          unsigned long long lo, unsigned long long hi,
                          unsigned long long *out)
{
    if (!v || cmd_parse_u64(v, out) != 0 || *out < lo || *out > hi) {
        fprintf(stderr, "vouchsim %s: %s takes a whole number from %llu to %llu, got '%s'\n",
                cmd, opt, lo, hi, v ? v : "");
        return -1;
    }
    return 0;
}

/* --max-events N, --max-samples N or --max-memory SIZE into a. */
static int parse_limit(const char *cmd, const char *opt, const char *v, args *a)
{
    double x;
    if (!v) {
        fprintf(stderr, "vouchsim %s: %s needs a value\n", cmd, opt);
        return -1;
    }
    if (!strcmp(opt, "--max-memory")) {
        char b[32];
        if (!v || lim_parse_size(v, &x) != SIM_OK || x < 1048576.0 || x > LIM_CEIL_MEMORY) {
            fprintf(stderr, "vouchsim %s: --max-memory takes a size from 1M to %s such as "
                    "4G or 512M, got '%s'\n", cmd,
                    lim_format_bytes(LIM_CEIL_MEMORY, b, sizeof b), v ? v : "");
            return -1;
        }
        a->max_memory = x;
        return 0;
    }
    double ceil_n = !strcmp(opt, "--max-events") ? LIM_CEIL_EVENTS : LIM_CEIL_SAMPLES;
    if (!v || lim_parse_count(v, &x) != SIM_OK || x > ceil_n) {
        fprintf(stderr, "vouchsim %s: %s takes a number from 1 to %g such as 2e9, got '%s'\n",
                cmd, opt, ceil_n, v ? v : "");
        return -1;
    }
    if (!strcmp(opt, "--max-events"))
        a->max_events = x;
    else
        a->max_samples = x;
    return 0;
}

int args_parse(args *a, int argc, char **argv, unsigned accept, size_t maxpos)
{
    const char *cmd = argv[0];
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        unsigned long long u;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            a->help = 1;
            return 0;
        }
        if (o[0] != '-' || !strcmp(o, "-")) {
            if (a->npos >= maxpos || a->npos >= sizeof a->pos / sizeof a->pos[0]) {
                fprintf(stderr, "vouchsim %s: unexpected argument '%s'\n", cmd, o);
                return -1;
            }
            a->pos[a->npos++] = o;
            continue;
        }
        if (!strcmp(o, "--max-events") || !strcmp(o, "--max-samples")
            || !strcmp(o, "--max-memory")) {
            if (!(accept & OPT_SET)) {
                fprintf(stderr, "vouchsim %s: unknown option '%s' (see vouchsim %s --help)\n",
                        cmd, o, cmd);
                return -1;
            }
            if (parse_limit(cmd, o, v, a))
                return -1;
            i++;
            continue;
        }
        unsigned bit = 0;
        int takes = 1;
        if (!strcmp(o, "-o") || !strcmp(o, "--output")) bit = OPT_OUT;
        else if (!strcmp(o, "--seed")) bit = OPT_SEED;
        else if (!strcmp(o, "--set")) bit = OPT_SET;
        else if (!strcmp(o, "--until")) bit = OPT_UNTIL;
        else if (!strcmp(o, "--replications") || !strcmp(o, "-r")) bit = OPT_REPS;
        else if (!strcmp(o, "--jobs") || !strcmp(o, "-j")) bit = OPT_JOBS;
        else if (!strcmp(o, "--quiet") || !strcmp(o, "-q")) bit = OPT_QUIET, takes = 0;
        else if (!strcmp(o, "--counterfactual")) bit = OPT_COUNTERFACTUAL, takes = 0;
        else if (!strcmp(o, "--vary")) bit = OPT_VARY;
        else if (!strcmp(o, "--design")) bit = OPT_DESIGN;
        else if (!strcmp(o, "--samples")) bit = OPT_SAMPLES;
        else if (!strcmp(o, "--resume")) bit = OPT_RESUME, takes = 0;
        else if (!strcmp(o, "--bootstrap")) bit = OPT_BOOTSTRAP;
        else if (!strcmp(o, "--format")) bit = OPT_FORMAT;
        else if (!strcmp(o, "--chart")) bit = OPT_CHART;
        else if (!strcmp(o, "--csv")) bit = OPT_CSV;
        else if (!strcmp(o, "--by")) bit = OPT_BY;
        else if (!strcmp(o, "--arm")) bit = OPT_ARM;
        else if (!strcmp(o, "--strict")) bit = OPT_STRICT, takes = 0;
        if (!(bit & accept)) {
            fprintf(stderr, "vouchsim %s: unknown option '%s' (see vouchsim %s --help)\n", cmd, o, cmd);
            return -1;
        }
        if (takes && !v) {
            fprintf(stderr, "vouchsim %s: %s needs a value\n", cmd, o);
            return -1;
        }
        switch (bit) {
        case OPT_OUT: a->out = v; break;
        case OPT_SEED:
            if (parse_unsigned(cmd, o, v, 0, INT64_MAX, &u)) return -1;
            a->seed = u, a->has_seed = 1;
            break;
        case OPT_SET:
            if (!strchr(v, '=')) {
                fprintf(stderr, "vouchsim %s: --set takes key=value, got '%s'\n", cmd, v);
                return -1;
            }
            if (push(&a->sets, &a->nsets, v)) return -1;
            break;
        case OPT_UNTIL: a->until = v; break;
        case OPT_REPS:
            if (parse_unsigned(cmd, o, v, 1, 1000000, &u)) return -1;
            a->reps = (unsigned)u;
            break;
        case OPT_JOBS:
            if (parse_unsigned(cmd, o, v, 1, 4096, &u)) return -1;
            a->jobs = (unsigned)u;
            break;
        case OPT_QUIET: a->quiet = 1; break;
        case OPT_COUNTERFACTUAL: a->counterfactual = 1; break;
        case OPT_VARY:
            if (!strchr(v, '=')) {
                fprintf(stderr, "vouchsim %s: --vary takes key=LO:HI[:N], got '%s'\n", cmd, v);
                return -1;
            }
            if (push(&a->vary, &a->nvary, v)) return -1;
            break;
        case OPT_DESIGN: a->design = v; break;
        case OPT_SAMPLES:
            if (parse_unsigned(cmd, o, v, 1, 10000000, &u)) return -1;
            a->samples = (unsigned)u;
            break;
        case OPT_RESUME: a->resume = 1; break;
        case OPT_FORMAT:
            if (strcmp(v, "table") && strcmp(v, "csv") && strcmp(v, "json")) {
                fprintf(stderr, "vouchsim %s: --format must be table, csv or json, got '%s'\n", cmd, v);
                return -1;
            }
            a->format = v;
            break;
        case OPT_CHART: a->chart = v; break;
        case OPT_CSV: a->csv = v; break;
        case OPT_BY:
            if (push(&a->by, &a->nby, v)) return -1;
            break;
        case OPT_ARM: a->arm = v; break;
        case OPT_STRICT: a->strict = 1; break;
        case OPT_BOOTSTRAP:
            if (parse_unsigned(cmd, o, v, 10, 100000, &u)) return -1;
            a->bootstrap = (unsigned)u;
            break;
        }
        i += takes;
    }
    return 0;
}

void args_fini(args *a)
{
    free(a->sets);
    free(a->vary);
    free(a->by);
    a->by = NULL;
    a->sets = NULL;
    a->vary = NULL;
}

const char **args_sets_with_seed(const args *a, size_t *n, char *seedbuf, size_t seedbuf_size)
{
    const char **s = malloc((a->nsets + 1) * sizeof *s);
    if (!s)
        return NULL;
    for (size_t i = 0; i < a->nsets; i++)
        s[i] = a->sets[i];
    *n = a->nsets;
    if (a->has_seed) {
        snprintf(seedbuf, seedbuf_size, "seed=%llu", (unsigned long long)a->seed);
        s[(*n)++] = seedbuf;
    }
    return s;
}
