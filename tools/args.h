/* tools/args.h - the options of every vouchsim command, parsed in one place.
 *
 * One table (tools/args.c) spells every option once; a command declares the
 * ones it takes as a bit set and they go through getopt_long: --opt=value,
 * unambiguous prefixes (--rep 2), bundled short options (-qo x.h5), `--`
 * ends the options, -h/--help and -V/--version everywhere. Positional
 * arguments may come anywhere and are collected in order; argv itself is
 * left as it was (the command line is recorded in output files). A usage
 * error prints one line and "try 'vouchsim CMD --help'". */
#ifndef TOOLS_ARGS_H
#define TOOLS_ARGS_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "models/scenario.h"

/* Which options a command accepts (bit set). */
enum {
    OPT_OUT = 1 << 0,          /* -o FILE */
    OPT_SEED = 1 << 1,         /* --seed N */
    OPT_SET = 1 << 2,          /* --set key=value (repeatable) */
    OPT_UNTIL = 1 << 3,        /* --until DATE */
    OPT_REPS = 1 << 4,         /* --replications R */
    OPT_JOBS = 1 << 5,         /* --jobs N */
    OPT_QUIET = 1 << 6,        /* --quiet */
    OPT_COUNTERFACTUAL = 1 << 7,
    OPT_VARY = 1 << 8,         /* --vary key=LO:HI[:N] (repeatable) */
    OPT_DESIGN = 1 << 9,       /* --design grid|lhs|sobol */
    OPT_SAMPLES = 1 << 10,     /* --samples N */
    OPT_RESUME = 1 << 11,      /* --resume */
    OPT_BOOTSTRAP = 1 << 12,   /* --bootstrap B */
    OPT_FORMAT = 1 << 13,      /* --format table|csv|json */
    OPT_CHART = 1 << 14,       /* --chart NAME */
    OPT_CSV = 1 << 15,         /* --csv DIR */
    OPT_BENCH = 1 << 16,       /* --pending P, --events E (bench hold) */
    OPT_STRICT = 1 << 17,      /* --strict: scenario warnings are errors */
    OPT_OPTIMIZE = 1 << 18,    /* optimize's own: --maximize EXPR ... --force,
                                  kept in order in items[] for cmd_optimize */
    OPT_KEYS = 1 << 19,        /* --keys (schema) */
    OPT_BY = 1 << 20,          /* --by program|city|region (repeatable) */
    OPT_ARM = 1 << 21,         /* --arm NAME (an arm of a comparison file) */
    OPT_FORCE = 1 << 22,       /* --force: replace an earlier result or export */
    OPT_LONG = 1 << 23,        /* --long (export: series as tidy rows) */
    OPT_DRY_RUN = 1 << 24,     /* --dry-run (sweep: print the design, run nothing) */
    OPT_TOTALS_ONLY = 1 << 25  /* --totals-only (sweep: no per-run series) */
};
/* Every command that takes OPT_SET reads a scenario, and so also takes the
 * limits of its estimate (models/limits.h): --max-events N, --max-samples
 * N, --max-memory SIZE. Its positional arguments are scenarios, found by
 * name as tools/datadir.h says. */

/* An option a command checks itself (OPT_OPTIMIZE): its long name without
 * the "--" and its value (NULL for a flag). */
typedef struct args_item {
    const char *name;
    const char *value;
} args_item;

typedef struct args {
    const char  *cmd;          /* the command's name, argv[0] of args_parse ("run"),
                                  for usage errors found later (--until) */
    const char  *pos[4];       /* positional arguments */
    size_t       npos;
    const char  *out;
    uint64_t     seed;
    int          has_seed;
    const char **sets;         /* --set values, in order (malloc'd array) */
    size_t       nsets;
    const char  *until;
    unsigned     reps;         /* 0: not given */
    unsigned     jobs;         /* 0: not given */
    int          quiet;
    int          counterfactual;
    const char **vary;
    size_t       nvary;
    const char  *design;
    unsigned     samples;
    int          resume;
    unsigned     bootstrap;
    const char  *format;
    const char  *chart;
    const char  *csv;
    const char **by;           /* --by values, in order (malloc'd array) */
    size_t       nby;
    const char  *arm;
    double       max_events;   /* 0: the default of models/limits.h */
    double       max_samples;
    double       max_memory;   /* bytes */
    unsigned long long pending; /* bench hold --pending (0: not given) */
    unsigned long long events;  /* bench hold --events (0: not given) */
    char        *owned[4];     /* resolved scenario paths behind pos[] */
    int          strict;       /* --strict seen */
    int          keys;         /* --keys seen */
    args_item   *items;        /* OPT_OPTIMIZE options as given, in order */
    size_t       nitems;
    int          no_warn;      /* not an option: cmd_load prints no warnings
                                  (a second load of the same scenario) */
    int          force;        /* --force seen */
    int          long_form;    /* --long seen */
    int          dry_run;      /* --dry-run seen */
    int          totals_only;  /* --totals-only seen */
    size_t       vary_sets;    /* not an option: the last vary_sets of sets are a
                                  sweep point's --vary values (messages say --vary) */
    const scn_set_origin *vary_origins; /* not an option: NULL, or for those
                                  vary_sets where each came from (the place of
                                  the scenario's sweep: entry, or of the value in
                                  its --vary): messages point there */
} args;

/* Parses argv[1..argc-1] (argv[0] is the command name, "run") with the
 * options in `accept`, expecting minpos..maxpos positional arguments named
 * `posnames` ("SCENARIO", "BASE.yaml POLICY.yaml") in messages. -h/--help
 * prints usage(stdout), -V/--version the version. Returns 0 to go on, 1
 * when help or the version was printed (exit 0), or -1 after a usage error
 * was printed on two lines (exit 2). argv is not reordered. */
int args_parse(args *a, int argc, char **argv, unsigned accept, size_t minpos,
               size_t maxpos, const char *posnames, void (*usage)(FILE *));

/* Prints the one-line usage error "vouchsim CMD: MESSAGE" and the line
 * "try 'vouchsim CMD --help'" to stderr. */
void args_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the line "try 'vouchsim CMD --help'" to stderr: the end of a
 * usage error a command printed itself (an error in what the command line
 * gave, found after args_parse; not one in the scenario's sections, which
 * names its file:line:col instead). */
void args_try_help(const char *cmd);

/* The exit status of a nonzero args_parse return: 0 after help, 2 after an
 * error. */
int args_status(int parse_rc);

void args_fini(args *a);

/* The sets plus "seed=N" when --seed was given, as one array for scn_load
 * (malloc'd; free it). */
const char **args_sets_with_seed(const args *a, size_t *n, char *seedbuf, size_t seedbuf_size);

/* For scn_load_labeled: where each of the n entries of args_sets_with_seed
 * came from (malloc'd; NULL when out of memory): the i-th --set is
 * "--set" line i; the last a->vary_sets of a->sets are a->vary_origins,
 * or without them, the j-th is "--vary" line j + 1, at the column of its
 * value in a->vary[j] (the list's value, or a range's LO or HI when it is
 * one; else the values' start); the seed is "--seed". */
scn_set_origin *args_set_origins(const args *a, size_t n);

#endif
