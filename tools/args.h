/* tools/args.h - the options that run, compare, sweep and validate share.
 *
 * One parser so that every command spells an option the same way and
 * reports the same errors. Positional arguments (scenario files) are
 * collected in order. */
#ifndef TOOLS_ARGS_H
#define TOOLS_ARGS_H

#include <stddef.h>
#include <stdint.h>

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
    OPT_STRICT = 1 << 16,      /* --strict: scenario warnings are errors */
    OPT_BY = 1 << 17,          /* --by program|city|region (repeatable) */
    OPT_ARM = 1 << 18          /* --arm NAME (an arm of a comparison file) */
};
/* Every command that takes OPT_SET reads a scenario, and so also takes the
 * limits of its estimate (models/limits.h): --max-events N, --max-samples
 * N, --max-memory SIZE. */

typedef struct args {
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
    int          help;         /* --help seen */
    int          strict;       /* --strict seen */
    int          no_warn;      /* not an option: cmd_load prints no warnings
                                  (a second load of the same scenario) */
} args;

/* Parses argv[1..argc-1] (argv[0] is the command name) accepting the
 * options in `accept` and at most maxpos positional arguments. Returns 0,
 * or -1 after printing "vouchsim CMD: ..." to stderr. */
int args_parse(args *a, int argc, char **argv, unsigned accept, size_t maxpos);

void args_fini(args *a);

/* The sets plus "seed=N" when --seed was given, as one array for scn_load
 * (malloc'd; free it). */
const char **args_sets_with_seed(const args *a, size_t *n, char *seedbuf, size_t seedbuf_size);

#endif
