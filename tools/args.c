/* tools/args.c - option parsing for every vouchsim command (getopt_long).
 *
 * The one table of options is below; args.h says what a command gets. */
#include "tools/args.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/limits.h"
#include "models/scenario.h"
#include "tools/cmd.h"
#include "tools/datadir.h"
#include "tools/report.h"

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
        args_usage_error(cmd, "%s takes a whole number from %llu to %llu, got '%s'",
                         opt, lo, hi, v ? v : "");
        return -1;
    }
    return 0;
}

/* --max-events N, --max-samples N or --max-memory SIZE into a. */
static int parse_limit(const char *cmd, const char *opt, const char *v, args *a)
{
    double x;
    if (!v) {
        args_usage_error(cmd, "%s needs a value", opt);
        return -1;
    }
    if (!strcmp(opt, "--max-memory")) {
        char b[32];
        if (!v || lim_parse_size(v, &x) != SIM_OK || x < 1048576.0 || x > LIM_CEIL_MEMORY) {
            args_usage_error(cmd, "--max-memory takes a size from 1M to %s such as "
                    "4G or 512M, got '%s'",
                    lim_format_bytes(LIM_CEIL_MEMORY, b, sizeof b), v ? v : "");
            return -1;
        }
        a->max_memory = x;
        return 0;
    }
    double ceil_n = !strcmp(opt, "--max-events") ? LIM_CEIL_EVENTS : LIM_CEIL_SAMPLES;
    if (!v || lim_parse_count(v, &x) != SIM_OK || x > ceil_n) {
        args_usage_error(cmd, "%s takes a number from 1 to %g such as 2e9, got '%s'",
                opt, ceil_n, v ? v : "");
        return -1;
    }
    if (!strcmp(opt, "--max-events"))
        a->max_events = x;
    else
        a->max_samples = x;
    return 0;
}

/* Every option, spelled once. A command takes those whose bit is in its
 * accept set; the limits come with OPT_SET, help and version with all. */
enum { ID_MAXEV = 256, ID_MAXSAMP, ID_MAXMEM, ID_BASE, ID_OWN = ID_BASE + 100 };
typedef struct opt_def {
    const char *name;
    char        shortc;        /* 0: long only */
    int         has_arg;
    unsigned    bit;           /* 0: always (help, version) */
    int         id;            /* getopt_long's val */
} opt_def;

static const opt_def defs[] = {
    { "help",           'h', no_argument,       0,                  'h' },
    { "version",        'V', no_argument,       0,                  'V' },
    { "output",         'o', required_argument, OPT_OUT,            'o' },
    { "seed",           0,   required_argument, OPT_SEED,           ID_BASE + 1 },
    { "set",            0,   required_argument, OPT_SET,            ID_BASE + 2 },
    { "until",          0,   required_argument, OPT_UNTIL,          ID_BASE + 3 },
    { "replications",   'r', required_argument, OPT_REPS,           'r' },
    { "jobs",           'j', required_argument, OPT_JOBS,           'j' },
    { "quiet",          'q', no_argument,       OPT_QUIET,          'q' },
    { "counterfactual", 0,   no_argument,       OPT_COUNTERFACTUAL, ID_BASE + 4 },
    { "vary",           0,   required_argument, OPT_VARY,           ID_BASE + 5 },
    { "design",         0,   required_argument, OPT_DESIGN,         ID_BASE + 6 },
    { "samples",        0,   required_argument, OPT_SAMPLES,        ID_BASE + 7 },
    { "resume",         0,   no_argument,       OPT_RESUME,         ID_BASE + 8 },
    { "bootstrap",      0,   required_argument, OPT_BOOTSTRAP,      ID_BASE + 9 },
    { "format",         0,   required_argument, OPT_FORMAT,         ID_BASE + 10 },
    { "chart",          0,   required_argument, OPT_CHART,          ID_BASE + 11 },
    { "csv",            0,   required_argument, OPT_CSV,            ID_BASE + 12 },
    { "max-events",     0,   required_argument, OPT_SET,            ID_MAXEV },
    { "max-samples",    0,   required_argument, OPT_SET,            ID_MAXSAMP },
    { "max-memory",     0,   required_argument, OPT_SET,            ID_MAXMEM },
    { "pending",        0,   required_argument, OPT_BENCH,          ID_BASE + 13 },
    { "events",         0,   required_argument, OPT_BENCH,          ID_BASE + 14 },
    { "strict",         0,   no_argument,       OPT_STRICT,         ID_BASE + 15 },
    { "keys",           0,   no_argument,       OPT_KEYS,           ID_BASE + 16 },
    { "by",             0,   required_argument, OPT_BY,             ID_BASE + 17 },
    { "arm",            0,   required_argument, OPT_ARM,            ID_BASE + 18 },
    { "force",          0,   no_argument,       OPT_FORCE,          ID_BASE + 19 },
    { "long",           0,   no_argument,       OPT_LONG,           ID_BASE + 20 },
    { "dry-run",        0,   no_argument,       OPT_DRY_RUN,        ID_BASE + 21 },
    { "totals-only",    0,   no_argument,       OPT_TOTALS_ONLY,    ID_BASE + 22 },
    /* optimize's own, checked by tools/cmd_optimize.c (args_item) */
    { "maximize",       0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 0 },
    { "minimize",       0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 1 },
    { "subject-to",     0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 2 },
    { "delta",          0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 3 },
    { "alpha",          0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 4 },
    { "n0",             0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 5 },
    { "max-replications", 0, required_argument, OPT_OPTIMIZE,       ID_OWN + 6 },
    { "batch",          0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 7 },
    { "search-replications", 0, required_argument, OPT_OPTIMIZE,    ID_OWN + 8 },
    { "levels",         0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 9 },
    { "rounds",         0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 10 },
    { "finalists",      0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 11 },
    { "record",         0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 12 },
    { "force",          0,   no_argument,       OPT_OPTIMIZE,       ID_OWN + 13 },
    { "procedure",      0,   required_argument, OPT_OPTIMIZE,       ID_OWN + 14 },
};
#define NDEFS (sizeof defs / sizeof defs[0])

void args_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "vouchsim %s: ", cmd);
    cmd_vputs(stderr, fmt, ap);
    fputc('\n', stderr);
    args_try_help(cmd);
    va_end(ap);
}

void args_try_help(const char *cmd)
{
    fprintf(stderr, "try 'vouchsim %s --help'\n", cmd);
}

int args_status(int parse_rc)
{
    return parse_rc > 0 ? EXIT_OK : EXIT_INPUT;
}

/* The option of getopt_long's val (NULL for none). */
static const opt_def *def_of(int id)
{
    for (size_t i = 0; i < NDEFS; i++)
        if (defs[i].id == id)
            return &defs[i];
    return NULL;
}

/* getopt_long returned '?' for word ("--x", "--x=v", or a bundle of short
 * options with optopt the letter): say which of unknown, ambiguous or
 * "takes no value" it was, in one line. */
static void bad_option(const char *cmd, const char *word, int optopt_c,
                       const struct option *lo)
{
    if (!word || strncmp(word, "--", 2) != 0) {
        args_usage_error(cmd, "unknown option '-%c'", optopt_c);
        return;
    }
    const char *name = word + 2;
    size_t n = strcspn(name, "=");
    size_t hits = 0;
    char list[256] = "";
    for (const struct option *o = lo; o->name; o++) {
        if (strncmp(o->name, name, n) != 0)
            continue;
        if (strlen(o->name) == n) {          /* exact: it was given a value */
            args_usage_error(cmd, "option '--%s' takes no value", o->name);
            return;
        }
        hits++;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s--%s", len ? ", " : "", o->name);
    }
    if (hits > 1)
        args_usage_error(cmd, "option '--%.*s' is ambiguous: %s", (int)n, name, list);
    else if (hits == 1)
        args_usage_error(cmd, "option '%.*s' takes no value", (int)(n + 2), word);
    else
        args_usage_error(cmd, "unknown option '--%.*s'", (int)n, name);
}

/* One option's value into a; 0 or -1 after the error was printed. */
static int take(args *a, const char *cmd, const opt_def *d, const char *v)
{
    unsigned long long u;
    char o[40];
    snprintf(o, sizeof o, "--%s", d->name);
    switch (d->id) {
    case 'o': a->out = v; break;
    case 'r':
        if (parse_unsigned(cmd, o, v, 1, 1000000, &u)) return -1;
        a->reps = (unsigned)u;
        break;
    case 'j':
        if (parse_unsigned(cmd, o, v, 1, 4096, &u)) return -1;
        a->jobs = (unsigned)u;
        break;
    case 'q': a->quiet = 1; break;
    case ID_MAXEV: case ID_MAXSAMP: case ID_MAXMEM:
        return parse_limit(cmd, o, v, a);
    case ID_BASE + 1:
        if (parse_unsigned(cmd, o, v, 0, INT64_MAX, &u)) return -1;
        a->seed = u, a->has_seed = 1;
        break;
    case ID_BASE + 2:
        if (!strchr(v, '=') || v[0] == '=') {     /* a key path before the '=' */
            args_usage_error(cmd, "--set takes key=value, got '%s'", v);
            return -1;
        }
        if (push(&a->sets, &a->nsets, v)) return -1;
        break;
    case ID_BASE + 3: {
        /* the scenario's check: a day the month does not have is named */
        int64_t day;
        char why[160];
        if (scn_date_check(v, &day, why, sizeof why) != SIM_OK) {
            args_usage_error(cmd, "--until: %s", why);
            return -1;
        }
        a->until = v;
        break;
    }
    case ID_BASE + 4: a->counterfactual = 1; break;
    case ID_BASE + 5:
        if (!strchr(v, '=') || v[0] == '=') {
            args_usage_error(cmd, "--vary takes key=v1,v2,... or key=LO:HI[:N], got '%s'", v);
            return -1;
        }
        if (push(&a->vary, &a->nvary, v)) return -1;
        break;
    case ID_BASE + 6: a->design = v; break;
    case ID_BASE + 17: {
        unsigned mask;      /* checked here, before any file is read */
        if (rep_parse_by(cmd, &v, 1, &mask) || push(&a->by, &a->nby, v)) return -1;
        break;
    }
    case ID_BASE + 18: a->arm = v; break;
    case ID_BASE + 19: a->force = 1; break;
    case ID_BASE + 20: a->long_form = 1; break;
    case ID_BASE + 21: a->dry_run = 1; break;
    case ID_BASE + 22: a->totals_only = 1; break;
    case ID_BASE + 7:
        if (parse_unsigned(cmd, o, v, 1, 10000000, &u)) return -1;
        a->samples = (unsigned)u;
        break;
    case ID_BASE + 8: a->resume = 1; break;
    case ID_BASE + 9:
        if (parse_unsigned(cmd, o, v, 10, 100000, &u)) return -1;
        a->bootstrap = (unsigned)u;
        break;
    case ID_BASE + 10:
        if (strcmp(v, "table") && strcmp(v, "csv") && strcmp(v, "json")) {
            args_usage_error(cmd, "--format must be table, csv or json, got '%s'", v);
            return -1;
        }
        a->format = v;
        break;
    case ID_BASE + 11: a->chart = v; break;
    case ID_BASE + 12: a->csv = v; break;
    case ID_BASE + 13:
        if (parse_unsigned(cmd, o, v, 1, 100000000, &u)) return -1;
        a->pending = u;
        break;
    case ID_BASE + 14:
        if (parse_unsigned(cmd, o, v, 1, UINT64_MAX, &u)) return -1;
        a->events = u;
        break;
    case ID_BASE + 15: a->strict = 1; break;
    case ID_BASE + 16: a->keys = 1; break;
    default:
        if (d->id >= ID_OWN) {      /* the command checks it */
            args_item *p = realloc(a->items, (a->nitems + 1) * sizeof *p);
            if (!p) {
                fprintf(stderr, "vouchsim %s: out of memory\n", cmd);
                return -1;
            }
            a->items = p;
            a->items[a->nitems].name = d->name;
            a->items[a->nitems++].value = d->has_arg == no_argument ? NULL : v;
        }
        break;
    }
    return 0;
}

static int add_pos(args *a, const char *cmd, size_t maxpos, const char *posnames,
                   const char *v)
{
    if (a->npos >= maxpos || a->npos >= sizeof a->pos / sizeof a->pos[0]) {
        args_usage_error(cmd, "unexpected argument '%s' (expected %s)", v, posnames);
        return -1;
    }
    a->pos[a->npos++] = v;
    return 0;
}

int args_parse(args *a, int argc, char **argv, unsigned accept, size_t minpos,
               size_t maxpos, const char *posnames, void (*usage)(FILE *))
{
    const char *cmd = argv[0];
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    struct option lo[NDEFS + 1];
    char so[2 * NDEFS + 3] = "-:";          /* in order, missing values as ':' */
    size_t nlo = 0, nso = 2;
    for (size_t i = 0; i < NDEFS; i++) {
        if (defs[i].bit && !(defs[i].bit & accept))
            continue;
        lo[nlo++] = (struct option){ defs[i].name, defs[i].has_arg, NULL, defs[i].id };
        if (defs[i].shortc) {
            so[nso++] = defs[i].shortc;
            if (defs[i].has_arg == required_argument)
                so[nso++] = ':';
        }
    }
    lo[nlo] = (struct option){ NULL, 0, NULL, 0 };
    so[nso] = '\0';

    /* getopt_long may permute what it is given: give it a copy */
    char **av = malloc(((size_t)argc + 1) * sizeof *av);
    if (!av) {
        fprintf(stderr, "vouchsim %s: out of memory\n", cmd);
        return -1;
    }
    memcpy(av, argv, (size_t)argc * sizeof *av);
    av[argc] = NULL;
    int rc = 0, c;
    opterr = 0;
    optind = 0;                               /* glibc: start afresh */
    while (rc == 0 && (c = getopt_long(argc, av, so, lo, NULL)) != -1) {
        const char *word = optind > 0 && optind <= argc ? av[optind - 1] : NULL;
        if (c == 1) {
            rc = add_pos(a, cmd, maxpos, posnames, optarg);
        } else if (c == '?') {
            bad_option(cmd, word, optopt, lo);
            rc = -1;
        } else if (c == ':') {
            const opt_def *d = def_of(optopt);
            if (d && (!d->shortc || (word && !strncmp(word, "--", 2))))
                args_usage_error(cmd, "--%s needs a value", d ? d->name : "?");
            else
                args_usage_error(cmd, "-%c needs a value", optopt);
            rc = -1;
        } else if (c == 'h') {
            usage(stdout);
            rc = 1;
        } else if (c == 'V') {
            datadir_print_version(stdout);
            rc = 1;
        } else {
            const opt_def *d = def_of(c);
            rc = d && take(a, cmd, d, optarg) == 0 ? 0 : -1;
        }
    }
    for (int i = optind; rc == 0 && i < argc; i++)   /* after "--" */
        rc = add_pos(a, cmd, maxpos, posnames, av[i]);
    free(av);
    if (rc == 0 && a->npos < minpos) {
        args_usage_error(cmd, "expected %s, got %zu argument%s", posnames, a->npos,
                         a->npos == 1 ? "" : "s");
        rc = -1;
    }
    /* scenarios by name: here first, then the shipped ones */
    for (size_t i = 0; rc == 0 && (accept & OPT_SET) && i < a->npos; i++) {
        if ((a->owned[i] = datadir_find_scenario(a->pos[i])))
            a->pos[i] = a->owned[i];
        else if (datadir_say_not_found(cmd, a->pos[i], stderr))
            rc = -1;
    }
    return rc;
}

void args_fini(args *a)
{
    free(a->sets);
    free(a->vary);
    free(a->by);
    a->by = NULL;
    a->nby = 0;
    free(a->items);
    a->items = NULL;
    a->nitems = 0;
    a->sets = NULL;
    a->vary = NULL;
    for (size_t i = 0; i < sizeof a->owned / sizeof a->owned[0]; i++) {
        free(a->owned[i]);
        a->owned[i] = NULL;
    }
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

/* The column of val in --vary option opt ("key=v1,v2,..." or
 * "key=LO:HI[:N]"): of the list's field val (trimmed as opt_var_parse
 * trims it), of LO or HI when val is one; else of the values' start. */
static int vary_value_col(const char *opt, const char *val)
{
    const char *rest = strchr(opt, '=');
    if (!rest)
        return 1;
    rest++;
    int list = strchr(rest, ',') || !strchr(rest, ':');
    char sep = list ? ',' : ':';
    size_t vlen = strlen(val);
    for (const char *q = rest, *end;; q = end + 1) {
        end = strchr(q, sep);
        size_t len = end ? (size_t)(end - q) : strlen(q);
        const char *f = q;
        while (len && *f == ' ')
            f++, len--;
        while (len && f[len - 1] == ' ')
            len--;
        if (len == vlen && !memcmp(f, val, len))
            return (int)(f - opt) + 1;
        if (!end || (!list && q != rest))
            break;          /* a range: LO and HI only, not N */
    }
    return (int)(rest - opt) + 1;
}

scn_set_origin *args_set_origins(const args *a, size_t n)
{
    scn_set_origin *o = calloc(n ? n : 1, sizeof *o);
    if (!o)
        return NULL;
    size_t nvary = a->vary_sets <= a->nsets ? a->vary_sets : 0, first = a->nsets - nvary;
    for (size_t i = 0; i < n; i++) {
        if (i < first) {
            o[i] = (scn_set_origin){ "--set", (int)(i + 1), 0, 0 };
        } else if (i < a->nsets) {
            size_t j = i - first;
            if (a->vary_origins) {
                o[i] = a->vary_origins[j];
                continue;
            }
            const char *eq = strchr(a->sets[i], '=');
            int col = a->nvary == nvary && eq ? vary_value_col(a->vary[j], eq + 1) : 0;
            o[i] = (scn_set_origin){ "--vary", (int)(j + 1), col, col ? 1 : 0 };
        } else {
            o[i] = (scn_set_origin){ "--seed", 1, 1, 1 };   /* "seed=N" of --seed N */
        }
    }
    return o;
}
