/* tools/cmd_optimize.c - `vouchsim optimize`: the best policy among
 * candidates, with a probability of correct selection.
 *
 * A candidate is the scenario with `--set key=value` overrides, one per
 * decision variable (as a sweep point is). Replication j of every
 * candidate uses the same seeds (common random numbers), so differences
 * between candidates are measured on the same firms. The objective and
 * the constraints are expressions over each run's scalars
 * (tools/optimize.h); the procedures are sim/select.h's:
 *
 *   1. With constraints on the runs' scalars, a sequential feasibility
 *      check at alpha/2 drops the candidates whose constraint means are
 *      on the wrong side of a bound (each decided within its tolerance).
 *      An exact constraint ({key} and numbers) is known before any run:
 *      the candidates that break it are never run, and it takes no alpha.
 *   2. KN at the rest of alpha selects the best feasible candidate within
 *      the indifference zone delta, adding replications only to the
 *      candidates still in contention.
 *
 * Ranges (--vary key=LO:HI) are first searched on a grid refined around
 * the incumbent, every point on the same m replications; the best few
 * points (finalists) then go through 1 and 2 on fresh replications
 * (m, m+1, ...), so the guarantee holds among the finalists, not over
 * the whole range.
 *
 * Runs go through exp_run (threads, MPI) in batches; the decisions take
 * the outputs one replication at a time in a fixed order, so they do not
 * depend on --jobs or on --batch (which only sets how far ahead the
 * batches simulate). 2 selects with KN++ instead (--procedure knpp).
 *
 * Every finished run's scalars go to a journal (OUT.journal, rank 0,
 * tools/optimize.h) in chunks, keyed by the candidate's identity and the
 * replication; --resume takes from it the runs it holds, so an
 * interrupted optimize goes on to the same decisions. --chart draws the
 * search and the selection (output/plot_search.c). */
#define _XOPEN_SOURCE 700     /* realpath */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "config.h"
#include "models/economy.h"
#include "output/fmt.h"
#include "output/plot.h"
#include "sim/select.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/load.h"
#include "tools/optimize.h"
#include "tools/par.h"

#define MAX_CANDIDATES 2000

typedef struct cand {
    char    *label;        /* "key=value key=value" */
    char   **setv;         /* [nvars] "key=value" */
    double  *x;            /* [nvars] numeric values (NaN for names) */
    config  *cfg;
    uint64_t rep0;         /* replication j runs as rep0 + j */
    uint64_t ident;        /* identity: run_id of its replication 0 (the journal's key) */
    unsigned search;       /* the range search's round that added it (1, 2, ...); 0: none */
    double  *y;            /* [ny x width]: objective, constraint LHS, constraint g */
    size_t   ny, cap;
    /* outcome of the selection */
    int      status;       /* ST_* */
    size_t   detail;       /* eliminated at round r, or the failing constraint */
    size_t   used;         /* replications the procedure looked at */
    /* sort keys (set_keys): summed constraint violation of the means, in
     * tolerances, and the mean objective signed so that larger is better */
    double   key_viol, key_score;
} cand;

enum { ST_NONE = 0, ST_CHOSEN, ST_ELIMINATED, ST_INFEASIBLE, ST_UNDECIDED, ST_SURVIVOR,
       ST_TIED };

typedef struct problem {
    args         a;
    const char  *scenario;
    scn_doc     *doc;          /* base, with the command's --set */
    scn_doc     *file;         /* the file without sets, read once: each
                                * candidate is a copy with its sets (NULL:
                                * each reads the file) */
    config      *cfg;
    char       **names;        /* the run's scalars */
    char       **units;        /* [nnames] their units, for the chart */
    size_t       nnames;
    int          maximize;
    const char  *obj_text;
    opt_expr    *obj;
    const char **con_text;
    opt_constraint *con;
    size_t       ns;
    opt_var     *vars;
    size_t       nvars;
    int          has_range;
    double       delta, alpha;
    int          knpp;         /* --procedure knpp: KN++ (variance updating) */
    unsigned     n0, batch, m, levels, rounds, finalists, max_reps;
    const char  *record, *format;
    char        *out;
    int          force;
    size_t       width;        /* 1 + 2 ns */
    /* from the scenario's optimize: section when the command line is silent */
    int          has_alpha, has_n0;
    const char **vary;         /* --vary specs, or the section's (vary_own) */
    size_t       nvary;
    char       **vary_own;
    const scn_node *obj_node;  /* where the section gave the objective, for errors */
    const scn_node **con_node; /* [ns], NULL entries for --subject-to */
    /* --resume: the journal of finished runs (rank 0), and the test hook */
    int          resume;
    opt_journal *journal;
    char        *journal_path;
    size_t       reused, journaled, stop_after;
    const char  *chart;
    /* spent */
    uint64_t     runs, events;
    double       secs;
    int          guarantee;    /* 0 when a cap stopped a decision */
    int          kn_capped;    /* the cap stopped the selection (KN) */
    /* the feasibility check left n_undecided candidates undecided at the
     * cap (select_best, undecided_advice): per constraint (index s), the
     * replications per candidate its test needs at the estimates and its
     * tolerance (0: none left undecided), and a tolerance that would
     * decide it in about half of --max-replications (NaN: only one larger
     * than a mean's distance from its bound would) */
    size_t       n_undecided;
    double      *und_reps, *und_tol;
    sim_err      err;
} problem;

static void usage(FILE *f)
{
    fputs("usage: vouchsim optimize SCENARIO (--maximize EXPR | --minimize EXPR)\n"
          "                         --vary key=v1,v2,...|LO:HI:N|LO:HI ... --delta D\n"
          "                         [--subject-to 'EXPR <= EXPR [tol EPS]']... [--alpha A]\n"
          "                         [--n0 N] [--max-replications N] [--batch B]\n"
          "                         [--procedure kn|knpp]\n"
          "                         [--search-replications M] [--levels L] [--rounds R]\n"
          "                         [--finalists F] [-o CHOSEN.yaml] [--force]\n"
          "                         [--record SEARCH.csv] [--chart SEARCH.png]\n"
          "                         [--resume] [--format table|csv|json]\n"
          "                         [--seed N] [--set key=value]... [--until DATE]\n"
          "                         [--jobs N] [--quiet]\n"
          "                         [--max-events N] [--max-samples N] [--max-memory SIZE]\n"
          "  Chooses the candidate policy with the best mean objective, on common random\n"
          "  numbers, with probability at least 1 - alpha of a correct selection when the\n"
          "  best is at least --delta better than the others (KN, Kim & Nelson 2001), and\n"
          "  constraints on means checked within their tolerances (Andradottir & Kim 2010).\n"
          "  EXPR: + - * / ( ) over the run's scalars (names as in `vouchsim summary`),\n"
          "        numbers (400M, 1.03B) and {key} for a numeric decision variable.\n"
          "  --vary key=v1,v2,...  a list (numbers, amounts, durations, names, booleans);\n"
          "         key=LO:HI:N    N levels; key=LO:HI a range, searched on a grid refined\n"
          "                        around the best point (--levels, default 5; --rounds,\n"
          "                        default 3; --search-replications, default n0), then the\n"
          "                        --finalists best points (default 5) are selected by KN.\n"
          "  --maximize EXPR, --minimize EXPR  the objective (one of them)\n"
          "  --subject-to 'EXPR <= EXPR [tol EPS]'  a constraint on means (repeatable)\n"
          "  --delta D             indifference zone, in the objective's unit (required)\n"
          "  --alpha A             1 - probability of correct selection (default 0.05)\n"
          "  --n0 N                first-stage replications (default 10)\n"
          "  --max-replications N  per candidate (default 1000); reaching it voids the\n"
          "                        guarantee, and the output says so\n"
          "  --procedure kn|knpp   the selection: KN (default), whose guarantee is exact\n"
          "                        for normal outputs with the first stage's variances;\n"
          "                        or KN++ (Kim & Nelson 2006), which re-estimates them at\n"
          "                        every stage and usually stops sooner, with a guarantee\n"
          "                        that holds asymptotically (as delta shrinks)\n"
          "  --batch B             runs simulated ahead per round (default 8): speed only\n"
          "  -o FILE               the chosen policy as a scenario that extends SCENARIO\n"
          "                        (default SCENARIO-optimized.yaml), named after it and\n"
          "                        all it sets: 'FILE (optimized: key=value ...; set:\n"
          "                        key=value ...)'; --force overwrites it, --record and\n"
          "                        --chart, and starts over an interrupted optimize's\n"
          "                        journal (refused without)\n"
          "  --record FILE.csv     every run's objective and constraints\n"
          "  --chart FILE.png      the search and the selection: each candidate's mean\n"
          "                        objective, 95% interval and replications, the chosen\n"
          "                        ringed, the infeasible crossed (.png, .svg or .pdf)\n"
          "  --resume              go on from the runs an interrupted optimize finished\n"
          "                        (kept in CHOSEN.yaml.journal): the same choice, table\n"
          "                        and record as without the interruption\n"
          "  --levels L, --rounds R, --search-replications M, --finalists F  the search\n"
          "  --format F            the ranking on stdout: table (default), csv or json\n"
          "                        (one row per candidate: status, replications, mean\n"
          "                        and 95% interval, and minus the chosen's; raw values)\n"
          "  --seed N, --set key=value, --until DATE  as for run, for every candidate\n"
          "  -j, --jobs N          threads;  -q, --quiet  no progress on stderr\n"
          "  -o, --output FILE     as -o above\n"
          "  --max-events N, --max-samples N, --max-memory SIZE  raise the limits of the\n"
          "                        cost estimate per replication (vouchsim run --help)\n"
          "  -h, --help, -V, --version; option forms as in vouchsim run --help\n"
          "  The scenario's optimize: section may hold the objective, subject_to, vary,\n"
          "  delta, alpha and n0; each option given here replaces its key.\n"
          "exit status: 0 success, 1 run-time failure or no feasible candidate\n"
          "             (also -o, --record or --chart in a directory that is\n"
          "             missing or not writable), 2 bad input or usage (also one\n"
          "             of them naming a directory, or under a file; both checked\n"
          "             before the first run), 130/143/129 interrupted\n"
          "             (SIGINT/SIGTERM/SIGHUP: the finished runs are kept in the\n"
          "             journal; under nohup SIGHUP is ignored)\n", f);
}

/* What optimize can write less of when a file size limit (ulimit -f)
 * refuses its journal or --record, which grow by a line per run
 * (cmd_fsize_advice, as run, compare and sweep say it). The chosen
 * scenario and the chart have nothing to drop: the advice says only to
 * raise the limit. */
#define LESS_OPT "a lower --max-replications or fewer candidates (--vary)"

/* ---- options ---- */

static int opt_double(const char *o, const char *v, double lo, double hi, double *out)
{
    char *end = NULL;
    double x = v ? strtod(v, &end) : NAN;
    if (v && (end == v || *end) && scn_money_from_string(v, &x) == SIM_OK)
        end = (char *)"";           /* 200k, 1.5M: the money suffixes */
    if (!v || end == v || *end || !(x > lo && x < hi)) {
        args_usage_error("optimize", "%s takes a number in (%g, %g), got '%s'", o, lo, hi,
                         v ? v : "");
        return -1;
    }
    *out = x;
    return 0;
}

static int opt_unsigned(const char *o, const char *v, unsigned long long lo,
                        unsigned long long hi, unsigned long long *out)
{
    if (!v || cmd_parse_u64(v, out) != 0 || *out < lo || *out > hi) {
        args_usage_error("optimize", "%s takes a whole number from %llu to %llu, got '%s'", o,
                         lo, hi, v ? v : "");
        return -1;
    }
    return 0;
}

/* The options through args_parse (tools/args.h: one table, getopt_long);
 * optimize's own come back in order in p->a.items and are checked here.
 * 0, 1 after --help or --version, -1 after a usage error was printed. */
static int parse_options(problem *p, int argc, char **argv)
{
    int rc = args_parse(&p->a, argc, argv, OPT_OUT | OPT_SEED | OPT_SET | OPT_UNTIL | OPT_JOBS |
                        OPT_QUIET | OPT_VARY | OPT_FORMAT | OPT_OPTIMIZE | OPT_RESUME |
                        OPT_CHART, 1, 1, "SCENARIO",
                        usage);
    if (rc != 0)
        return rc;
    rc = -1;
    const char **con = calloc(p->a.nitems + 1001, sizeof *con);
    p->con_node = calloc(p->a.nitems + 1001, sizeof *p->con_node);
    p->con_text = con;
    if (!con || !p->con_node) {
        cmd_error("out of memory");
        return -1;
    }
    p->alpha = 0.05;
    p->n0 = 10;
    p->batch = 8;
    p->levels = 5;
    p->rounds = 3;
    p->finalists = 5;
    p->max_reps = 1000;
    /* the numeric options: a number in (lo, hi) into *real, or a whole
     * number in [lo, hi] into *whole; *given says the command line set it */
    const struct {
        const char *name;
        double      lo, hi;
        double     *real;
        unsigned   *whole;
        int        *given;
    } nums[] = {
        { "--delta", 0.0, INFINITY, &p->delta, NULL, NULL },
        { "--alpha", 0.0, 0.5, &p->alpha, NULL, &p->has_alpha },
        { "--n0", 2, 100000, NULL, &p->n0, &p->has_n0 },
        { "--max-replications", 2, 10000000, NULL, &p->max_reps, NULL },
        { "--batch", 1, 100000, NULL, &p->batch, NULL },
        { "--search-replications", 1, 100000, NULL, &p->m, NULL },
        { "--levels", 2, 1000, NULL, &p->levels, NULL },
        { "--rounds", 1, 100, NULL, &p->rounds, NULL },
        { "--finalists", 1, MAX_CANDIDATES, NULL, &p->finalists, NULL },
    };
    const size_t nnums = sizeof nums / sizeof nums[0];
    for (size_t i = 0; i < p->a.nitems; i++) {
        char o[40];
        snprintf(o, sizeof o, "--%s", p->a.items[i].name);
        const char *v = p->a.items[i].value;
        size_t k = 0;
        while (k < nnums && strcmp(o, nums[k].name))
            k++;
        if (k < nnums) {
            unsigned long long u = 0;
            if (nums[k].real ? opt_double(o, v, nums[k].lo, nums[k].hi, nums[k].real)
                             : opt_unsigned(o, v, (unsigned long long)nums[k].lo,
                                            (unsigned long long)nums[k].hi, &u))
                goto out;
            if (nums[k].whole)
                *nums[k].whole = (unsigned)u;
            if (nums[k].given)
                *nums[k].given = 1;
        } else if (!strcmp(o, "--maximize") || !strcmp(o, "--minimize")) {
            if (!v || p->obj_text) {
                args_usage_error("optimize", "%s", v ? "give one objective" :
                                 "--maximize/--minimize need an expression");
                goto out;
            }
            p->maximize = o[2] == 'm' && o[3] == 'a';
            p->obj_text = v;
        } else if (!strcmp(o, "--subject-to")) {
            con[p->ns++] = v;
        } else if (!strcmp(o, "--procedure")) {
            if (!v || (strcmp(v, "kn") && strcmp(v, "knpp"))) {
                args_usage_error("optimize", "--procedure takes kn or knpp, got '%s'",
                                 v ? v : "");
                goto out;
            }
            p->knpp = !strcmp(v, "knpp");
        } else if (!strcmp(o, "--record")) {
            p->record = v;
        } else if (!strcmp(o, "--force")) {
            p->force = 1;
        }
    }
    rc = 0;
out:
    return rc;
}

/* ---- running ---- */

static int cand_grow(cand *c, size_t n, size_t width)
{
    if (n <= c->cap)
        return 0;
    size_t cap = c->cap ? c->cap : 16;
    while (cap < n)
        cap *= 2;
    double *y = realloc(c->y, cap * width * sizeof *y);
    if (!y)
        return -1;
    c->y = y;
    c->cap = cap;
    return 0;
}

/* The runs the journal holds and has made durable, for the message of an
 * interruption (see catch_interrupts). */
static volatile sig_atomic_t interrupt_kept;

/* Runs the n specs of one chunk, taking those the journal holds from it
 * (rank 0 reads it and tells the others), into vals[n x nnames]; the
 * runs simulated here are journaled (and made durable) before it
 * returns. */
static int run_chunk(problem *p, run_spec *specs, const uint64_t *ident, size_t n,
                     double *vals)
{
    size_t nc = p->nnames;
    unsigned char *known = calloc(n, 1);
    run_spec *todo = calloc(n, sizeof *todo);
    size_t *where = calloc(n, sizeof *where);
    int rc = SIM_OK;
    if (!known || !todo || !where) {
        rc = sim_err_set(&p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; p->journal && i < n; i++) {
        const double *row = opt_journal_find(p->journal, ident[i], specs[i].rep);
        if (row) {
            known[i] = 1;
            memcpy(vals + i * nc, row, nc * sizeof *row);
        }
    }
    par_bcast_bytes(known, n);
    par_bcast_bytes(vals, n * nc * sizeof *vals);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!known[i]) {
            todo[m] = specs[i];
            todo[m].index = m;
            where[m++] = i;
        } else {
            p->reused++;
        }
    if (!m)
        goto out;
    runner_result res;
    exp_plan x = { p->doc, p->cfg, todo, m, 1, NULL, 0, 1, p->a.jobs, par_size(), 0, NULL,
                   NULL, NULL, 0, 0, NULL };
    if ((rc = exp_run(&x, &res, &p->err)) != SIM_OK)
        goto out;
    p->runs += m;
    p->events += res.events;
    p->secs += res.secs;
    if (res.ncols != nc)
        rc = sim_err_set(&p->err, SIM_EINVAL, NULL, 0, 0, "a run has %zu scalars, the "
                         "scenario %zu", res.ncols, nc);
    for (size_t t = 0; rc == SIM_OK && t < m; t++)
        memcpy(vals + where[t] * nc, res.values + t * nc, nc * sizeof *vals);
    runner_result_fini(&res);
    if (rc != SIM_OK)
        goto out;
    /* SIGINT, SIGTERM and SIGHUP wait from the first line journaled to the count
     * the handler reads: one between would see no run kept and remove a
     * journal that holds finished runs. */
    sigset_t stop, old_mask;
    sigemptyset(&stop);
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        sigaddset(&stop, cmd_stop_signals[k]);
    sigprocmask(SIG_BLOCK, &stop, &old_mask);
    if (p->journal) {
        for (size_t t = 0; rc == SIM_OK && t < m; t++)
            rc = opt_journal_append(p->journal, ident[where[t]], todo[t].rep,
                                    vals + where[t] * nc, &p->err);
        if (rc == SIM_OK)
            rc = opt_journal_sync(p->journal, &p->err);
    }
    rc = par_agree(rc, &p->err);
    p->journaled += m;
    if (rc == SIM_OK && p->journal)      /* durable now: an interruption keeps them */
        interrupt_kept = (sig_atomic_t)(opt_journal_loaded(p->journal) + p->journaled);
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    if (rc == SIM_OK && p->stop_after && p->journaled >= p->stop_after) {
        fflush(NULL);
        _exit(1);       /* test hook: killed with these runs journaled */
    }
out:
    free(known);
    free(todo);
    free(where);
    return rc;
}

/* Simulates replications ny .. target[i]-1 of every candidate, in chunks
 * that are journaled as they finish (the chunks change nothing in the
 * results), and evaluates the objective and constraints. */
static int simulate(problem *p, cand **cs, size_t k, const size_t *target)
{
    size_t n = 0, nc = p->nnames;
    for (size_t i = 0; i < k; i++)
        if (target[i] > cs[i]->ny)
            n += target[i] - cs[i]->ny;
    if (!n)
        return SIM_OK;
    run_spec *specs = calloc(n, sizeof *specs);
    uint64_t *ident = calloc(n, sizeof *ident);
    double *vals = calloc(n * (nc ? nc : 1), sizeof *vals);
    int rc = SIM_OK;
    if (!specs || !ident || !vals) {
        rc = sim_err_set(&p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    size_t s = 0;
    for (size_t i = 0; i < k; i++) {
        if (target[i] > cs[i]->ny && cand_grow(cs[i], target[i], p->width)) {
            rc = sim_err_set(&p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        for (size_t j = cs[i]->ny; j < target[i]; j++, s++) {
            specs[s] = (run_spec){ cs[i]->cfg, cs[i]->cfg->seed, cs[i]->rep0 + j, s, 0, -1,
                                   NULL };
            ident[s] = cs[i]->ident;
        }
    }
    unsigned threads = p->a.jobs ? p->a.jobs : runner_cores();
    size_t chunk = 4 * (size_t)threads * par_size();
    if (chunk < 32)
        chunk = 32;
    for (size_t c0 = 0; c0 < n && rc == SIM_OK; c0 += chunk)
        rc = run_chunk(p, specs + c0, ident + c0, n - c0 < chunk ? n - c0 : chunk,
                       vals + c0 * nc);
    if (rc != SIM_OK)
        goto out;
    s = 0;
    for (size_t i = 0; i < k && rc == SIM_OK; i++)
        for (; cs[i]->ny < target[i]; cs[i]->ny++, s++) {
            const double *row = vals + s * nc;
            double *y = cs[i]->y + cs[i]->ny * p->width;
            y[0] = opt_expr_eval(p->obj, row, cs[i]->x);
            for (size_t c = 0; c < p->ns; c++) {
                y[1 + c] = opt_expr_eval(p->con[c].lhs, row, cs[i]->x);
                y[1 + p->ns + c] = opt_constraint_eval(&p->con[c], row, cs[i]->x);
            }
            for (size_t c = 0; c < p->width; c++)
                if (!isfinite(y[c])) {
                    rc = sim_err_set(&p->err, SIM_EINVAL, NULL, 0, 0,
                                     "%s %s is not a number in replication %llu of %s (a "
                                     "scalar that is missing in this run, or a division by "
                                     "zero)", c == 0 ? "the objective" : "constraint",
                                     c == 0 ? p->obj_text : p->con_text[(c - 1) % p->ns],
                                     (unsigned long long)(cs[i]->rep0 + cs[i]->ny),
                                     cs[i]->label[0] ? cs[i]->label : "the base scenario");
                    break;
                }
            if (rc != SIM_OK)
                break;
        }
out:
    free(specs);
    free(ident);
    free(vals);
    return rc;
}

/* How far ahead to simulate: B runs a round, spread over the active. */
/* What would decide the constraints the feasibility check left undecided
 * at the cap (sim/select.h, procedure F). Test (i, c) continues while
 * |T(r)| < R(r) = h2 S2 / (2 eps) - eps r / 2, T(r) = r gbar; with the
 * estimates (S2 over the first n0 replications, as the test has it; gbar
 * the mean violation so far) it stops at about
 *   r = h2 S2 / (2 eps (|gbar| + eps / 2)),
 * which a tolerance eps tiny against the spread (the default 1% of a
 * bound near 0: 0.01 CNY on a subsidy that varies by 100k) makes
 * astronomical however far the mean is from its bound; raising the cap
 * cannot help then, a larger tolerance does: eps(|gbar| + eps/2) =
 * h2 S2 / M decides in about M/2 replications (half the cap: the
 * estimate is a mean, and the margin keeps a noisy test within the cap
 * most of the time), and keeps the guarantee's
 * premise when it is at most |gbar| (each mean at least its tolerance
 * from its bound). Fills p->und_reps (the largest need over the
 * candidates) and p->und_tol (the largest such tolerance, NaN when it
 * passes a candidate's |gbar|); mina: [ns] scratch. */
static void undecided_advice(problem *p, cand **cs, size_t k, const sim_feas *f,
                             const size_t *est, size_t ne, const double *tol, double *mina)
{
    double h2 = sim_feas_h2(f), cap = (double)p->max_reps;
    for (size_t s = 0; s < p->ns; s++)
        mina[s] = INFINITY;
    for (size_t i = 0; i < k; i++) {
        if (sim_feas_status(f, i) != SIM_FEAS_UNDECIDED)
            continue;
        p->n_undecided++;
        size_t n = sim_feas_count(f, i);
        for (size_t c = 0; c < ne && n >= p->n0 && n <= cs[i]->ny; c++) {
            if (sim_feas_constraint(f, i, c) != SIM_FEAS_UNDECIDED)
                continue;
            const double *g = cs[i]->y + 1 + p->ns + est[c];
            double m0 = 0.0, ss = 0.0, gbar = 0.0;
            for (size_t j = 0; j < p->n0; j++)
                m0 += g[j * p->width];
            m0 /= (double)p->n0;
            for (size_t j = 0; j < p->n0; j++)
                ss += (g[j * p->width] - m0) * (g[j * p->width] - m0);
            for (size_t j = 0; j < n; j++)
                gbar += g[j * p->width];
            double s2 = ss / ((double)p->n0 - 1.0), a = fabs(gbar / (double)n);
            double eps = tol[c];
            double need = h2 * s2 / (2.0 * eps * (a + eps / 2.0));
            double q = 2.0 * h2 * s2 / cap;
            double e = q / (sqrt(a * a + q) + a);   /* sqrt(a^2 + q) - a, without cancelling */
            size_t s = est[c];
            if (need > p->und_reps[s])
                p->und_reps[s] = need;
            if (e > p->und_tol[s])
                p->und_tol[s] = e;
            if (a < mina[s])
                mina[s] = a;
        }
    }
    for (size_t s = 0; s < p->ns; s++)
        if (p->und_reps[s] > 0 && !(p->und_tol[s] <= mina[s]))
            p->und_tol[s] = NAN;
}

static void undecided_text(const problem *p, size_t s, char *buf, size_t n);

static size_t lookahead(const problem *p, size_t active)
{
    size_t l = active ? (p->batch + active - 1) / active : 1;
    return l ? l : 1;
}

/* The constraints on the runs' scalars, whose means the feasibility
 * check estimates; an exact one ({key} and numbers) is known before any
 * run and needs neither the check nor a share of alpha. */
static size_t n_estimated(const problem *p)
{
    size_t n = 0;
    for (size_t s = 0; s < p->ns; s++)
        n += !opt_constraint_exact(&p->con[s]);
    return n;
}

/* Feasibility check and KN among k candidates (their outcome fields are
 * set), none of which breaks an exact constraint (the caller settles
 * those unrun). The feasibility check, at alpha/2, takes the constraints
 * on the runs' scalars only; with none, KN selects at the whole alpha.
 * Returns SIM_OK; the chosen candidate is the one with ST_CHOSEN, if any
 * is feasible. */
static int select_best(problem *p, cand **cs, size_t k)
{
    int rc = SIM_OK;
    size_t ne = n_estimated(p);
    double alpha_f = ne ? p->alpha / 2.0 : 0.0, alpha_s = p->alpha - alpha_f;
    size_t *target = calloc(k, sizeof *target), *fed = calloc(k, sizeof *fed);
    cand **feas = calloc(k, sizeof *feas);
    double *tol = calloc(ne ? ne : 1, sizeof *tol), *g = calloc(ne ? ne : 1, sizeof *g);
    size_t *est = calloc(ne ? ne : 1, sizeof *est);    /* the check's c: constraint est[c] */
    sim_feas *f = NULL;
    sim_kn *kn = NULL;
    double *mina = NULL;        /* undecided_advice's scratch */
    if (!target || !fed || !feas || !tol || !g || !est) {
        rc = sim_err_set(&p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < k; i++)
        cs[i]->status = ST_NONE, cs[i]->used = 0, cs[i]->detail = 0;
    size_t nf = 0;
    if (ne) {
        for (size_t s = 0, c = 0; s < p->ns; s++)
            if (!opt_constraint_exact(&p->con[s])) {
                est[c] = s;
                tol[c++] = p->con[s].tol;
            }
        if (!(f = sim_feas_new(k, ne, p->n0, alpha_f, tol, &p->err))) {
            rc = p->err.code;
            goto out;
        }
        free(p->und_reps);
        free(p->und_tol);
        p->und_reps = calloc(p->ns, sizeof *p->und_reps);
        p->und_tol = calloc(p->ns, sizeof *p->und_tol);
        mina = calloc(p->ns, sizeof *mina);
        if (!p->und_reps || !p->und_tol || !mina) {
            rc = sim_err_set(&p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        int first = 1;
        for (;;) {
            size_t active = 0;
            for (size_t i = 0; i < k; i++)
                active += sim_feas_status(f, i) == SIM_FEAS_UNDECIDED && fed[i] < p->max_reps;
            if (!active)
                break;
            size_t la = lookahead(p, active);
            for (size_t i = 0; i < k; i++) {
                target[i] = 0;
                if (sim_feas_status(f, i) == SIM_FEAS_UNDECIDED && fed[i] < p->max_reps) {
                    size_t t = fed[i] + la;
                    if (t < p->n0)
                        t = p->n0;
                    target[i] = t < p->max_reps ? t : p->max_reps;
                }
            }
            if ((rc = simulate(p, cs, k, target)) != SIM_OK)
                goto out;
            for (size_t i = 0; i < k; i++)
                while (sim_feas_status(f, i) == SIM_FEAS_UNDECIDED && fed[i] < cs[i]->ny) {
                    const double *row = cs[i]->y + fed[i]++ * p->width + 1 + p->ns;
                    for (size_t c = 0; c < ne; c++)
                        g[c] = row[est[c]];
                    sim_feas_add(f, i, g);
                }
            if (first) {
                /* A test that the first stage's estimates say no cap will
                 * end (its tolerance tiny against the runs' spread) is
                 * said now, not after --max-replications runs of each
                 * candidate; the procedure goes on unchanged. */
                first = 0;
                undecided_advice(p, cs, k, f, est, ne, tol, mina);
                for (size_t c = 0; c < p->ns && par_rank() == 0; c++) {
                    char u[1600];
                    undecided_text(p, c, u, sizeof u);
                    if (*u && p->und_reps[c] > 100.0 * p->max_reps) {
                        cmd_printf(stderr, "optimize: after the first stage: %s; going on to "
                                   "the cap", u);
                        fputc('\n', stderr);
                    }
                }
                memset(p->und_reps, 0, p->ns * sizeof *p->und_reps);
                memset(p->und_tol, 0, p->ns * sizeof *p->und_tol);
                p->n_undecided = 0;
            }
        }
        for (size_t i = 0; i < k; i++) {
            cs[i]->used = fed[i];
            int st = sim_feas_status(f, i);
            if (st == SIM_FEAS_FEASIBLE) {
                feas[nf++] = cs[i];
            } else if (st == SIM_FEAS_INFEASIBLE) {
                cs[i]->status = ST_INFEASIBLE;
                for (size_t c = 0; c < ne; c++)
                    if (sim_feas_constraint(f, i, c) == SIM_FEAS_INFEASIBLE) {
                        cs[i]->detail = est[c];
                        break;
                    }
            } else {
                cs[i]->status = ST_UNDECIDED;
                p->guarantee = 0;
            }
        }
        undecided_advice(p, cs, k, f, est, ne, tol, mina);
    } else {
        for (size_t i = 0; i < k; i++)
            feas[nf++] = cs[i];
    }
    if (!nf)
        goto out;
    if (!(kn = p->knpp ? sim_knpp_new(nf, p->n0, alpha_s, p->delta, &p->err)
                       : sim_kn_new(nf, p->n0, alpha_s, p->delta, &p->err))) {
        rc = p->err.code;
        goto out;
    }
    size_t *kfed = fed;                 /* reused: observations fed to KN */
    memset(kfed, 0, k * sizeof *kfed);
    double sign = p->maximize ? 1.0 : -1.0;
    while (!sim_kn_done(kn)) {
        size_t r = sim_kn_round(kn);
        if (r > p->max_reps) {
            p->guarantee = 0;
            p->kn_capped = 1;
            break;
        }
        /* feed what is there, screening as rounds complete */
        int progressed = 1;
        while (progressed && !sim_kn_done(kn)) {
            progressed = 0;
            r = sim_kn_round(kn);
            int complete = 1;
            for (size_t i = 0; i < nf; i++) {
                if (!sim_kn_alive(kn, i))
                    continue;
                while (kfed[i] < r && kfed[i] < feas[i]->ny)
                    sim_kn_add(kn, i, sign * feas[i]->y[kfed[i]++ * p->width]);
                complete &= kfed[i] == r;
            }
            if (complete && r <= p->max_reps) {
                sim_kn_screen(kn);
                progressed = 1;
            }
        }
        if (sim_kn_done(kn) || sim_kn_round(kn) > p->max_reps)
            continue;
        size_t active = 0;
        for (size_t i = 0; i < nf; i++)
            active += sim_kn_alive(kn, i);
        size_t la = lookahead(p, active);
        memset(target, 0, k * sizeof *target);
        cand **alive = calloc(nf, sizeof *alive);
        size_t *t2 = calloc(nf, sizeof *t2), na = 0;
        if (!alive || !t2) {
            free(alive);
            free(t2);
            rc = sim_err_set(&p->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        r = sim_kn_round(kn);
        for (size_t i = 0; i < nf; i++)
            if (sim_kn_alive(kn, i)) {
                size_t t = r - 1 + la;
                alive[na] = feas[i];
                t2[na++] = t < p->max_reps ? t : p->max_reps;
            }
        rc = simulate(p, alive, na, t2);
        free(alive);
        free(t2);
        if (rc != SIM_OK)
            goto out;
    }
    size_t best = sim_kn_done(kn) ? sim_kn_best(kn) : sim_kn_leader(kn);
    for (size_t i = 0; i < nf; i++) {
        if (kfed[i] > feas[i]->used)
            feas[i]->used = kfed[i];
        if (i == best)
            feas[i]->status = ST_CHOSEN;
        else if (sim_kn_alive(kn, i))
            feas[i]->status = sim_kn_done(kn) ? ST_TIED : ST_SURVIVOR;
        else
            feas[i]->status = ST_ELIMINATED, feas[i]->detail = sim_kn_eliminated_at(kn, i);
    }
out:
    free(mina);
    sim_kn_free(kn);
    sim_feas_free(f);
    free(target);
    free(fed);
    free(feas);
    free(tol);
    free(g);
    free(est);
    return rc;
}

/* ---- candidates ---- */

static void cand_free(cand *c, size_t nvars)
{
    if (!c)
        return;
    for (size_t j = 0; c->setv && j < nvars; j++)
        free(c->setv[j]);
    free(c->setv);
    free(c->x);
    free(c->label);
    free(c->y);
    config_free(c->cfg);
    free(c);
}

/* A candidate with value text val[j] (for --set) and number x[j] of each
 * variable; loads and checks its scenario. NULL after printing why. */
static cand *cand_new(problem *p, char *const *setv, const double *x, int *status)
{
    cand *c = calloc(1, sizeof *c);
    const char **sets = malloc((p->a.nsets + p->nvars + 1) * sizeof *sets);
    *status = EXIT_RUNTIME;
    if (!c || !sets || !(c->setv = calloc(p->nvars ? p->nvars : 1, sizeof *c->setv))
        || !(c->x = calloc(p->nvars ? p->nvars : 1, sizeof *c->x))) {
        cmd_error("out of memory");
        goto fail;
    }
    size_t len = 1;
    for (size_t j = 0; j < p->nvars; j++) {
        if (!(c->setv[j] = strdup(setv[j]))) {
            cmd_error("out of memory");
            goto fail;
        }
        c->x[j] = x[j];
        len += strlen(setv[j]) + 1;
    }
    if (!(c->label = calloc(1, len))) {
        cmd_error("out of memory");
        goto fail;
    }
    for (size_t j = 0; j < p->nvars; j++) {
        if (j)
            strcat(c->label, " ");
        strcat(c->label, setv[j]);
    }
    for (size_t j = 0; j < p->a.nsets; j++)
        sets[j] = p->a.sets[j];
    for (size_t j = 0; j < p->nvars; j++)
        sets[p->a.nsets + j] = c->setv[j];
    args pa = p->a;
    pa.sets = sets;
    pa.nsets = p->a.nsets + p->nvars;
    pa.vary_sets = p->a.nvary ? p->nvars : 0;  /* messages name the option the user typed */
    scn_doc *doc = NULL;
    *status = p->file ? exp_load_from(p->file, &pa, &doc, &c->cfg)
                      : exp_load(p->scenario, &pa, &doc, &c->cfg);
    if (*status != EXIT_OK) {
        if (*status == EXIT_INPUT)
            cmd_error("optimize: candidate %s is not a valid scenario", c->label);
        goto fail;
    }
    char *text = scn_dump(doc);
    scn_free(doc);
    if (!text) {
        cmd_error("out of memory");
        *status = EXIT_RUNTIME;
        goto fail;
    }
    c->ident = runner_run_id(text, c->cfg->seed, 0, c->cfg->horizon_h, PACKAGE_VERSION);
    free(text);
    if (c->cfg->horizon_h != p->cfg->horizon_h || c->cfg->sample_h != p->cfg->sample_h) {
        cmd_error("optimize: candidate %s changes the horizon or sample_interval; the "
                  "decision variables may not", c->label);
        *status = EXIT_INPUT;
        goto fail;
    }
    free(sets);
    return c;
fail:
    free(sets);
    cand_free(c, p->nvars);
    return NULL;
}

typedef struct cand_list {
    cand  **v;
    size_t  n, cap;
} cand_list;

static int list_push(cand_list *l, cand *c)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        cand **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = c;
    return 0;
}

static cand *list_find(const cand_list *l, const char *label)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i]->label, label))
            return l->v[i];
    return NULL;
}

/* Adds the candidates of the full factorial over levels[j][0..nl[j]-1]
 * (value texts for --set and numbers) that are not in l yet. */
static int add_grid(problem *p, cand_list *l, char ***texts, double **nums, const size_t *nl,
                    unsigned search, cand_list *fresh)
{
    size_t total = 1;
    for (size_t j = 0; j < p->nvars; j++) {
        total *= nl[j];
        if (total > MAX_CANDIDATES) {
            cmd_error("optimize: more than %d candidates; vary fewer values", MAX_CANDIDATES);
            return EXIT_INPUT;
        }
    }
    char **setv = calloc(p->nvars ? p->nvars : 1, sizeof *setv);
    double *x = calloc(p->nvars ? p->nvars : 1, sizeof *x);
    size_t *idx = calloc(p->nvars ? p->nvars : 1, sizeof *idx);
    int status = EXIT_OK;
    if (!setv || !x || !idx) {
        cmd_error("out of memory");
        status = EXIT_RUNTIME;
        goto out;
    }
    for (size_t t = 0; t < total && status == EXIT_OK; t++) {
        size_t rem = t, len = 1;
        for (size_t j = p->nvars; j-- > 0;) {
            idx[j] = rem % nl[j];
            rem /= nl[j];
        }
        for (size_t j = 0; j < p->nvars; j++) {
            const char *key = p->vars[j].key, *val = texts[j][idx[j]];
            free(setv[j]);
            size_t n = strlen(key) + strlen(val) + 2;
            if (!(setv[j] = malloc(n))) {
                cmd_error("out of memory");
                status = EXIT_RUNTIME;
                goto out;
            }
            snprintf(setv[j], n, "%s=%s", key, val);
            x[j] = nums[j][idx[j]];
            len += n;
        }
        char *label = calloc(1, len);
        if (!label) {
            cmd_error("out of memory");
            status = EXIT_RUNTIME;
            goto out;
        }
        for (size_t j = 0; j < p->nvars; j++) {
            if (j)
                strcat(label, " ");
            strcat(label, setv[j]);
        }
        int known = list_find(l, label) != NULL;
        free(label);
        if (known)
            continue;
        cand *c = cand_new(p, setv, x, &status);
        if (!c)
            goto out;
        c->search = search;
        c->rep0 = 0;
        if (list_push(l, c) || (fresh && list_push(fresh, c))) {
            cand_free(c, p->nvars);
            cmd_error("out of memory");
            status = EXIT_RUNTIME;
            goto out;
        }
    }
out:
    for (size_t j = 0; setv && j < p->nvars; j++)
        free(setv[j]);
    free(setv);
    free(x);
    free(idx);
    return status;
}

/* ---- statistics for the report ---- */

typedef struct ci {
    double mean, lo, hi;
    size_t n;
} ci;

static ci interval(const double *y, size_t n, size_t stride, const double *z)
{
    ci r = { NAN, NAN, NAN, n };
    if (!n)
        return r;
    double m = 0.0;
    for (size_t j = 0; j < n; j++)
        m += y[j * stride] - (z ? z[j * stride] : 0.0);
    m /= (double)n;
    r.mean = m;
    if (n < 2)
        return r;
    double ss = 0.0;
    for (size_t j = 0; j < n; j++) {
        double d = y[j * stride] - (z ? z[j * stride] : 0.0) - m;
        ss += d * d;
    }
    double h = gsl_cdf_tdist_Pinv(0.975, (double)n - 1.0) * sqrt(ss / ((double)n - 1.0) / (double)n);
    r.lo = m - h;
    r.hi = m + h;
    return r;
}

/* The first exact constraint (no scalars: known before any run) that c
 * breaks, or ns when it breaks none. */
static size_t exact_broken(const problem *p, const cand *c)
{
    for (size_t s = 0; s < p->ns; s++)
        if (opt_constraint_exact(&p->con[s]) && opt_constraint_eval(&p->con[s], NULL, c->x) > 0.0)
            return s;
    return p->ns;
}

/* Search ranking: feasible on the means first, then by objective; the
 * infeasible by their summed violation in tolerances (a candidate that
 * breaks an exact constraint, never run, last). */
static double violation(const problem *p, const cand *c)
{
    double v = 0.0;
    if (exact_broken(p, c) < p->ns)
        return INFINITY;
    for (size_t s = 0; s < p->ns; s++) {
        ci g = interval(c->y + 1 + p->ns + s, c->ny, p->width, NULL);
        if (g.mean > 0.0)
            v += g.mean / p->con[s].tol;
    }
    return v;
}

static void set_keys(const problem *p, cand **cs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        cs[i]->key_viol = violation(p, cs[i]);
        cs[i]->key_score = (p->maximize ? 1.0 : -1.0)
                           * interval(cs[i]->y, cs[i]->ny, p->width, NULL).mean;
    }
}

static int by_search_rank(const void *a, const void *b)
{
    const cand *x = *(cand *const *)a, *y = *(cand *const *)b;
    double vx = x->key_viol, vy = y->key_viol;
    if ((vx > 0.0) != (vy > 0.0))
        return vx > 0.0 ? 1 : -1;
    if (vx > 0.0 && vx != vy)
        return vx < vy ? -1 : 1;
    if (x->key_score != y->key_score)
        return x->key_score > y->key_score ? -1 : 1;
    return strcmp(x->label, y->label);
}

static int status_order(int st)
{
    switch (st) {
    case ST_CHOSEN: return 0;
    case ST_TIED: return 1;
    case ST_SURVIVOR: return 1;
    case ST_ELIMINATED: return 2;
    case ST_UNDECIDED: return 3;
    default: return 4;
    }
}

static int by_outcome(const void *a, const void *b)
{
    const cand *x = *(cand *const *)a, *y = *(cand *const *)b;
    int ox = status_order(x->status), oy = status_order(y->status);
    if (ox != oy)
        return ox < oy ? -1 : 1;
    if (x->key_score != y->key_score)
        return x->key_score > y->key_score ? -1 : 1;
    return strcmp(x->label, y->label);
}

/* ---- range search ---- */

/* Levels of range variable v in [lo, hi]: L evenly spaced, whole when v
 * is, without repeats. Fills texts/nums (malloc'd); returns the count. */
static size_t range_levels(const opt_var *v, double lo, double hi, unsigned L, char ***texts,
                           double **nums)
{
    *texts = calloc(L, sizeof **texts);
    *nums = calloc(L, sizeof **nums);
    if (!*texts || !*nums)
        return 0;
    size_t n = 0;
    for (unsigned j = 0; j < L; j++) {
        double u = L > 1 ? (double)j / (double)(L - 1) : 0.5;
        double x = lo * (1.0 - u) + hi * u;
        if (v->whole) {
            x = round(x);
        } else {
            /* 12 significant digits: 0.675 from every path, not 0.67499999999999993 */
            char t[64];
            snprintf(t, sizeof t, "%.12g", x);
            x = strtod(t, NULL);
        }
        if (n && x == (*nums)[n - 1])
            continue;
        char buf[160];
        opt_var_set_text(v, x, buf, sizeof buf);
        if (!((*texts)[n] = strdup(buf + strlen(v->key) + 1)))
            return 0;
        (*nums)[n++] = x;
    }
    return n;
}

/* Grid refinement over the ranges (lists take all their values in the
 * first round, then keep the incumbent's); every point gets replications
 * 0..m-1. Fills finals with the best points, copied with rep0 = m. */
static int search(problem *p, cand_list *all, cand_list *finals)
{
    size_t nv = p->nvars;
    char ***texts = calloc(nv, sizeof *texts);
    double **nums = calloc(nv, sizeof *nums);
    size_t *nl = calloc(nv, sizeof *nl);
    double *lo = calloc(nv, sizeof *lo), *hi = calloc(nv, sizeof *hi);
    size_t *target = NULL;
    int status = EXIT_RUNTIME;
    if (!texts || !nums || !nl || !lo || !hi) {
        cmd_error("out of memory");
        goto out;
    }
    for (size_t j = 0; j < nv; j++)
        lo[j] = p->vars[j].lo, hi[j] = p->vars[j].hi;
    cand *best = NULL;
    for (unsigned round = 0; round < p->rounds; round++) {
        for (size_t j = 0; j < nv; j++) {
            const opt_var *v = &p->vars[j];
            for (size_t i = 0; texts[j] && i < nl[j]; i++)
                free(texts[j][i]);
            free(texts[j]);
            free(nums[j]);
            texts[j] = NULL;
            nums[j] = NULL;
            if (!v->range && round == 0) {
                nl[j] = v->n;
                texts[j] = calloc(v->n, sizeof *texts[j]);
                nums[j] = calloc(v->n, sizeof *nums[j]);
                for (size_t i = 0; texts[j] && nums[j] && i < v->n; i++) {
                    texts[j][i] = strdup(v->text[i]);
                    nums[j][i] = v->num[i];
                }
            } else if (!v->range) {
                /* the incumbent's value: after the key and '=' */
                const char *val = strchr(best->setv[j], '=') + 1;
                nl[j] = 1;
                texts[j] = calloc(1, sizeof *texts[j]);
                nums[j] = calloc(1, sizeof *nums[j]);
                if (texts[j] && nums[j]) {
                    texts[j][0] = strdup(val);
                    nums[j][0] = best->x[j];
                }
            } else {
                if (round > 0) {
                    double spacing = (hi[j] - lo[j]) / (double)(p->levels - 1);
                    double c = best->x[j];
                    lo[j] = fmax(v->lo, c - spacing);
                    hi[j] = fmin(v->hi, c + spacing);
                }
                nl[j] = range_levels(v, lo[j], hi[j], p->levels, &texts[j], &nums[j]);
            }
            if (!nl[j] || !texts[j] || !nums[j]) {
                cmd_error("out of memory");
                goto out;
            }
        }
        cand_list fresh = { NULL, 0, 0 };
        if ((status = add_grid(p, all, texts, nums, nl, round + 1, &fresh)) != EXIT_OK) {
            free(fresh.v);
            goto out;
        }
        status = EXIT_RUNTIME;
        free(target);
        target = calloc(fresh.n ? fresh.n : 1, sizeof *target);
        if (!target) {
            free(fresh.v);
            cmd_error("out of memory");
            goto out;
        }
        for (size_t i = 0; i < fresh.n; i++)
            target[i] = exact_broken(p, fresh.v[i]) < p->ns ? 0 : p->m;
        if (!p->a.quiet)
            fprintf(stderr, "optimize: search round %u: %zu new points x %u replications\n",
                    round + 1, fresh.n, p->m);
        int rc = simulate(p, fresh.v, fresh.n, target);
        free(fresh.v);
        if (rc != SIM_OK) {
            fprintf(stderr, "vouchsim: %s\n", p->err.msg);
            cmd_fsize_advice(p->err.msg, LESS_OPT);
            goto out;
        }
        set_keys(p, all->v, all->n);
        qsort(all->v, all->n, sizeof *all->v, by_search_rank);
        best = all->v[0];
    }
    size_t nfin = all->n < p->finalists ? all->n : p->finalists;
    for (size_t i = 0; i < nfin; i++) {
        const cand *s = all->v[i];
        if (exact_broken(p, s) < p->ns)
            break;              /* sorted last: the rest break one too */
        int st;
        cand *c = cand_new(p, s->setv, s->x, &st);
        if (!c) {
            status = st;
            goto out;
        }
        c->rep0 = p->m;
        if (list_push(finals, c)) {
            cand_free(c, nv);
            cmd_error("out of memory");
            goto out;
        }
    }
    status = EXIT_OK;
out:
    for (size_t j = 0; texts && j < nv; j++) {
        for (size_t i = 0; texts[j] && i < nl[j]; i++)
            free(texts[j][i]);
        free(texts[j]);
        free(nums ? nums[j] : NULL);
    }
    free(texts);
    free(nums);
    free(nl);
    free(lo);
    free(hi);
    free(target);
    return status;
}

/* ---- output ---- */

static const char *status_text(const problem *p, const cand *c, char *buf, size_t n)
{
    switch (c->status) {
    case ST_CHOSEN: return p->guarantee ? "chosen" : "chosen (stopped at the cap)";
    case ST_SURVIVOR: snprintf(buf, n, "survivor at the cap"); return buf;
    case ST_TIED: return "tied with the chosen (equal means, no variance in the difference)";
    case ST_ELIMINATED: snprintf(buf, n, "eliminated at %zu", c->detail); return buf;
    case ST_INFEASIBLE:
        snprintf(buf, n, "infeasible: %s%s", p->con_text[c->detail],
                 c->ny ? "" : " (exact: not run)");
        return buf;
    case ST_UNDECIDED: return "feasibility undecided at the cap";
    default: return "-";
    }
}

/* "mean [lo, hi]" by the rule of output/fmt.h: the lower bound of a
 * quantity that cannot be negative (nonneg) clipped at 0 and marked "0*".
 * Returns 1 when it clipped. */
static int print_ci(char *buf, size_t n, ci v, int nonneg)
{
    char m[48], l[48], h[48];
    cmd_fmt_num(v.mean, m, sizeof m);
    if (isnan(v.lo)) {
        snprintf(buf, n, "%s", m);
        return 0;
    }
    int clipped = out_fmt_lower(v.lo, nonneg, "*", l, sizeof l);
    cmd_fmt_num(v.hi, h, sizeof h);
    snprintf(buf, n, "%s [%s, %s]", m, l, h);
    return clipped;
}

static const char *scalar_unit(const problem *p, const char *text, size_t len);

/* Whether the expression text (an objective, a constraint's left side)
 * cannot be negative: one scalar of a unit that cannot be (a count,
 * hours, money: output/fmt.h); an expression of several is not known to
 * be, as the chart decides. */
static int expr_nonneg(const problem *p, const char *text, size_t len)
{
    return out_fmt_unit_nonneg(scalar_unit(p, text, len));
}

/* The length of constraint s's left side in its text. */
static size_t con_lhs_len(const problem *p, size_t s)
{
    const char *t = p->con_text[s];
    const char *op = strstr(t, "<="), *op2 = strstr(t, ">=");
    if (!op || (op2 && op2 < op))
        op = op2;
    return op ? (size_t)(op - t) : strlen(t);
}

/* x rounded up to two significant digits, written so that a constraint
 * takes it back ("93000", "0.0042"). */
static void tol_word(double x, char *buf, size_t n)
{
    double e = pow(10.0, floor(log10(x)) - 1.0);
    double v = ceil(x / e * (1.0 - 1e-12)) * e;
    if (v >= 1.0 && v < 1e15)
        snprintf(buf, n, "%.0f", v);
    else
        snprintf(buf, n, "%.2g", v);
}

/* What would decide constraint s, which the feasibility check left
 * undecided at the cap for some candidate (undecided_advice), as one
 * line: "'TEXT' (tolerance T unit): at these estimates its test needs
 * about N replications per candidate (--max-replications M), ...; a
 * larger tolerance decides sooner: --subject-to 'TEXT tol EPS' would
 * decide in about M/2 (...)", or, when no tolerance the means clear
 * would, "raise --max-replications to about that". Empty when s was
 * decided for every candidate. */
static void undecided_text(const problem *p, size_t s, char *buf, size_t n)
{
    buf[0] = '\0';
    if (!p->und_reps || !(p->und_reps[s] > 0))
        return;
    const char *text = p->con_text[s];
    size_t len = strlen(text);
    if (p->con[s].tol_given)                   /* the text without its "tol EPS" */
        for (const char *q = text; (q = strstr(q, "tol")) != NULL; q += 3)
            if (q > text && (q[-1] == ' ' || q[-1] == '\t') && (q[3] == ' ' || q[3] == '\t'))
                len = (size_t)(q - 1 - text);       /* as opt_constraint_parse finds it */
    char t[48], need[48], e[48];
    const char *unit = scalar_unit(p, text, con_lhs_len(p, s));
    cmd_fmt_num(p->con[s].tol, t, sizeof t);
    cmd_fmt_num(ceil(p->und_reps[s]), need, sizeof need);
    int w = snprintf(buf, n, "'%.*s' (tolerance %s%s%s): at these estimates its test needs "
                     "about %s replications per candidate (--max-replications %u)", (int)len,
                     text, t, unit ? " " : "", unit ? unit : "", need, p->max_reps);
    if (w < 0 || (size_t)w >= n)
        return;
    if (isnan(p->und_tol[s])) {
        snprintf(buf + w, n - (size_t)w, ": a mean this close to its bound needs them; raise "
                 "--max-replications to about that (a tolerance that decided within %u "
                 "would exceed the mean's distance from its bound)", p->max_reps);
        return;
    }
    tol_word(p->und_tol[s], e, sizeof e);
    /* more replications than this are no answer: the tolerance is the cause */
    int far = p->und_reps[s] > 100.0 * p->max_reps;
    snprintf(buf + w, n - (size_t)w, "%s: --subject-to '%.*s tol %s' would decide in about "
             "%u (the tolerance: how far from its bound a mean may be and still be judged "
             "either way, in the constraint's unit)",
             far ? ", however far the mean is from its bound, because the tolerance is small "
                   "against the runs' spread; a larger tolerance decides sooner"
                 : "; raise --max-replications to about that, or give a larger tolerance",
             (int)len, text, e, (p->max_reps + 1) / 2);
}

static void guarantee_text(const problem *p, char *buf, size_t n)
{
    char d[48];
    cmd_fmt_num(p->delta, d, sizeof d);
    /* The margin is asked of the constraints on the runs' scalars only: an
     * exact one ({key} and numbers) is known before any run, and a chosen
     * candidate may sit on its bound (a budget split that spends it all). */
    size_t ne = n_estimated(p), nexact = p->ns - ne;
    const char *margin = !ne ? ""
                         : nexact ? " and every constraint on the runs' scalars (not the exact "
                                    "ones, known before any run) has its mean at least its "
                                    "tolerance away from its bound"
                                  : " and every constraint mean is at least its tolerance away "
                                    "from its bound";
    if (!p->guarantee && p->n_undecided)
        snprintf(buf, n, "none: the feasibility of %zu candidate%s was undecided at "
                 "--max-replications %u (\"undecided:\" says what would decide it)%s",
                 p->n_undecided, p->n_undecided == 1 ? "" : "s", p->max_reps,
                 p->kn_capped ? ", and the cap stopped the selection too; raise it for the "
                                "guarantee" : "");
    else if (!p->guarantee)
        snprintf(buf, n, "none: --max-replications stopped a decision; raise it for the "
                 "guarantee");
    else
        snprintf(buf, n, "P(correct selection) >= %g%s when the best%s candidate's mean "
                 "objective is better than every other%s one's by delta = %s or more%s "
                 "(normal outputs; %s%s)%s", 1.0 - p->alpha,
                 p->knpp ? " asymptotically (as delta shrinks)" : "",
                 p->ns ? " feasible" : "", p->ns ? " feasible" : "", d,
                 margin,
                 p->knpp ? "KN++, Kim and Nelson 2006" : "KN, Kim and Nelson 2001",
                 ne ? "; feasibility, Andradottir and Kim 2010" : "",
                 p->has_range ? "; among the finalists of the search" : "");
}

static void report(const problem *p, cand **cs, size_t k, const cand_list *searched,
                   const char *written)
{
    set_keys(p, cs, k);
    qsort(cs, k, sizeof *cs, by_outcome);
    const cand *chosen = k && cs[0]->status == ST_CHOSEN ? cs[0] : NULL;
    size_t used = 0, sim = 0, searched_runs = 0;
    for (size_t i = 0; i < k; i++)
        used += cs[i]->used, sim += cs[i]->ny;
    for (size_t i = 0; searched && i < searched->n; i++)
        searched_runs += searched->v[i]->ny;
    char g[1024];
    guarantee_text(p, g, sizeof g);
    const char *fmt = p->format ? p->format : "table";
    if (!strcmp(fmt, "json")) {
        printf("{\"objective\": ");
        cmd_json_str(stdout, p->obj_text);
        printf(", \"sense\": \"%s\", \"delta\": ", p->maximize ? "maximize" : "minimize");
        cmd_json_num(stdout, p->delta);
        printf(", \"alpha\": ");
        cmd_json_num(stdout, p->alpha);
        printf(", \"n0\": %u, \"procedure\": \"%s\", \"constraints\": [", p->n0,
               p->knpp ? "knpp" : "kn");
        for (size_t s = 0; s < p->ns; s++) {
            printf("%s{\"text\": ", s ? ", " : "");
            cmd_json_str(stdout, p->con_text[s]);
            printf(", \"tolerance\": ");
            cmd_json_num(stdout, p->con[s].tol);
            printf("}");
        }
        printf("],\n \"candidates\": [\n");
        for (size_t i = 0; i < k; i++) {
            const cand *c = cs[i];
            char sb[512];
            ci o = interval(c->y, c->ny, p->width, NULL);
            size_t nc = chosen ? (c->ny < chosen->ny ? c->ny : chosen->ny) : 0;
            ci d = chosen && c != chosen ? interval(c->y, nc, p->width, chosen->y)
                                         : (ci){ NAN, NAN, NAN, 0 };
            printf("  {\"rank\": %zu, \"candidate\": ", i + 1);
            cmd_json_str(stdout, c->label);
            printf(", \"status\": ");
            cmd_json_str(stdout, status_text(p, c, sb, sizeof sb));
            printf(", \"replications_used\": %zu, \"replications_simulated\": %zu", c->used,
                   c->ny);
            printf(", \"objective\": {\"mean\": ");
            cmd_json_num(stdout, o.mean);
            printf(", \"ci95_lo\": ");
            cmd_json_num(stdout, o.lo);
            printf(", \"ci95_hi\": ");
            cmd_json_num(stdout, o.hi);
            printf("}, \"minus_chosen\": {\"mean\": ");
            cmd_json_num(stdout, d.mean);
            printf(", \"ci95_lo\": ");
            cmd_json_num(stdout, d.lo);
            printf(", \"ci95_hi\": ");
            cmd_json_num(stdout, d.hi);
            printf("}, \"constraints\": [");
            for (size_t s = 0; s < p->ns; s++) {
                ci cv = interval(c->y + 1 + s, c->ny, p->width, NULL);
                printf("%s{\"mean\": ", s ? ", " : "");
                cmd_json_num(stdout, cv.mean);
                printf(", \"ci95_lo\": ");
                cmd_json_num(stdout, cv.lo);
                printf(", \"ci95_hi\": ");
                cmd_json_num(stdout, cv.hi);
                printf("}");
            }
            printf("]}%s\n", i + 1 < k ? "," : "");
        }
        printf(" ],\n \"chosen\": ");
        if (chosen)
            cmd_json_str(stdout, chosen->label);
        else
            printf("null");
        printf(", \"replications_used\": %zu, \"replications_simulated\": %zu, "
               "\"search_replications\": %zu, \"guarantee\": %s, \"statement\": ", used, sim,
               searched_runs, p->guarantee && chosen ? "true" : "false");
        cmd_json_str(stdout, g);
        printf(", \"undecided\": [");
        for (size_t s = 0, first = 1; s < p->ns; s++) {
            char u[1600];
            undecided_text(p, s, u, sizeof u);
            if (!*u)
                continue;
            printf("%s{\"constraint\": ", first ? "" : ", ");
            cmd_json_str(stdout, p->con_text[s]);
            printf(", \"replications_needed\": ");
            cmd_json_num(stdout, ceil(p->und_reps[s]));
            printf(", \"tolerance_deciding_sooner\": ");
            cmd_json_num(stdout, p->und_tol[s]);
            printf(", \"advice\": ");
            cmd_json_str(stdout, u);
            printf("}");
            first = 0;
        }
        printf("], \"scenario\": ");
        if (written)
            cmd_json_str(stdout, written);
        else
            printf("null");
        printf("}\n");
        return;
    }
    if (!strcmp(fmt, "csv")) {
        printf("rank,candidate,status,replications_used,replications_simulated,"
               "objective_mean,objective_ci95_lo,objective_ci95_hi,minus_chosen_mean,"
               "minus_chosen_ci95_lo,minus_chosen_ci95_hi");
        for (size_t s = 0; s < p->ns; s++)
            printf(",c%zu_mean,c%zu_ci95_lo,c%zu_ci95_hi", s + 1, s + 1, s + 1);
        putchar('\n');
        for (size_t i = 0; i < k; i++) {
            const cand *c = cs[i];
            char sb[512];
            ci o = interval(c->y, c->ny, p->width, NULL);
            size_t nc = chosen ? (c->ny < chosen->ny ? c->ny : chosen->ny) : 0;
            ci d = chosen && c != chosen ? interval(c->y, nc, p->width, chosen->y)
                                         : (ci){ NAN, NAN, NAN, 0 };
            printf("%zu,", i + 1);
            cmd_csv_str(stdout, c->label);
            putchar(',');
            cmd_csv_str(stdout, status_text(p, c, sb, sizeof sb));
            printf(",%zu,%zu,", c->used, c->ny);
            double v[6] = { o.mean, o.lo, o.hi, d.mean, d.lo, d.hi };
            for (int j = 0; j < 6; j++) {
                cmd_csv_num(stdout, v[j]);
                if (j < 5)
                    putchar(',');
            }
            for (size_t s = 0; s < p->ns; s++) {
                ci cv = interval(c->y + 1 + s, c->ny, p->width, NULL);
                putchar(',');
                cmd_csv_num(stdout, cv.mean);
                putchar(',');
                cmd_csv_num(stdout, cv.lo);
                putchar(',');
                cmd_csv_num(stdout, cv.hi);
            }
            putchar('\n');
        }
        return;
    }
    printf("%s %s", p->maximize ? "maximize" : "minimize", p->obj_text);
    for (size_t s = 0; s < p->ns; s++) {
        char t[48];
        cmd_fmt_num(p->con[s].tol, t, sizeof t);
        printf("%s %s (tolerance %s)", s ? "," : " subject to", p->con_text[s], t);
    }
    char d[48];
    cmd_fmt_num(p->delta, d, sizeof d);
    printf("\n%zu candidate%s, n0 = %u, delta = %s, 1 - alpha = %g%s; means with 95%% "
           "intervals over each candidate's replications, differences paired\n\n", k,
           k == 1 ? "" : "s", p->n0, d, 1.0 - p->alpha,
           n_estimated(p) ? " (alpha split evenly between feasibility and selection)" : "");
    size_t w = 9;
    for (size_t i = 0; i < k; i++)
        if (strlen(cs[i]->label) > w)
            w = strlen(cs[i]->label);
    /* a constraint too long for its column is named by number, and given
     * whole above the table */
    for (size_t s = 0; s < p->ns; s++)
        if (strlen(p->con_text[s]) > 41)
            printf("constraint %zu: %s\n", s + 1, p->con_text[s]);
    printf("%4s  %-*s %6s  %-42s %-42s", "rank", (int)w, "candidate", "reps", "objective",
           "minus chosen");
    for (size_t s = 0; s < p->ns; s++) {
        char head[48];
        snprintf(head, sizeof head, "constraint %zu", s + 1);
        printf(" %-42s", strlen(p->con_text[s]) > 41 ? head : p->con_text[s]);
    }
    printf(" status\n");
    /* intervals of what cannot be negative clipped at 0 (output/fmt.h);
     * the differences from the chosen are not */
    int onn = expr_nonneg(p, p->obj_text, strlen(p->obj_text)), clipped = 0;
    for (size_t i = 0; i < k; i++) {
        const cand *c = cs[i];
        char ob[160], db[160], sb[512];
        clipped |= print_ci(ob, sizeof ob, interval(c->y, c->ny, p->width, NULL), onn);
        size_t nc = chosen ? (c->ny < chosen->ny ? c->ny : chosen->ny) : 0;
        if (chosen && c != chosen)
            print_ci(db, sizeof db, interval(c->y, nc, p->width, chosen->y), 0);
        else
            snprintf(db, sizeof db, "-");
        printf("%4zu  %-*s %6zu  %-42s %-42s", i + 1, (int)w, c->label[0] ? c->label : "-",
               c->ny, ob, db);
        for (size_t s = 0; s < p->ns; s++) {
            char cb[160];
            clipped |= print_ci(cb, sizeof cb, interval(c->y + 1 + s, c->ny, p->width, NULL),
                                expr_nonneg(p, p->con_text[s], con_lhs_len(p, s)));
            printf(" %-42s", cb);
        }
        printf(" %s\n", status_text(p, c, sb, sizeof sb));
    }
    if (clipped)
        printf("\n* clipped at 0: the 95%% interval reaches below 0, which this quantity cannot "
               "(few replications); --format csv|json keep the raw bound\n");
    printf("\n");
    if (chosen)
        printf("chosen: %s\n", chosen->label);
    else if (p->n_undecided)
        printf("chosen: none (no candidate was shown feasible: %zu undecided)\n",
               p->n_undecided);
    else
        printf("chosen: none (no candidate is feasible)\n");
    printf("replications: %zu used by the procedure, %zu simulated", used, sim);
    if (searched)
        printf(" (and %zu in the search of %zu points)", searched_runs, searched->n);
    printf("\nguarantee: %s\n", g);
    for (size_t s = 0; s < p->ns; s++) {
        char u[1600];
        undecided_text(p, s, u, sizeof u);
        if (*u)
            printf("undecided: %s\n", u);
    }
    if (written) {
        /* the hint is pasted into a shell: the program as invoked, the
         * file name quoted when it needs it */
        char prog[1100], file[4 * PATH_MAX + 3];
        cmd_program_word(prog, sizeof prog);
        if (cmd_shell_word(file, sizeof file, written, 0) < 0)
            snprintf(file, sizeof file, "%s", written);
        printf("scenario: %s (%s run %s)\n", written, prog, file);
    }
}

/* Every run's objective and constraints, as CSV (temporary file, renamed). */
static int write_record(const problem *p, const cand_list *searched, cand **cs, size_t k)
{
    size_t n = strlen(p->record) + 64;
    char *tmp = malloc(n);
    if (!tmp) {
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    const char *slash = strrchr(p->record, '/');
    int dl = slash ? (int)(slash - p->record + 1) : 0;
    snprintf(tmp, n, "%.*s.%s.tmp.%ld", dl, p->record, p->record + dl, (long)getpid());
    FILE *f = fopen(tmp, "w");
    if (!f) {
        int e = errno;
        cmd_error("%s: %s", tmp, strerror(e));
        cmd_fsize_advice(strerror(e), LESS_OPT);
        free(tmp);
        return EXIT_RUNTIME;
    }
    fprintf(f, "phase,candidate,replication,objective");
    for (size_t s = 0; s < p->ns; s++)
        fprintf(f, ",c%zu_lhs,c%zu_g", s + 1, s + 1);
    fputc('\n', f);
    for (int ph = 0; ph < 2; ph++) {
        size_t cnt = ph == 0 ? (searched ? searched->n : 0) : k;
        for (size_t i = 0; i < cnt; i++) {
            const cand *c = ph == 0 ? searched->v[i] : cs[i];
            for (size_t j = 0; j < c->ny; j++) {
                fprintf(f, "%s,", ph == 0 ? "search" : "selection");
                cmd_csv_str(f, c->label);
                fprintf(f, ",%llu,", (unsigned long long)(c->rep0 + j));
                cmd_csv_num(f, c->y[j * p->width]);
                for (size_t s = 0; s < p->ns; s++) {
                    fputc(',', f);
                    cmd_csv_num(f, c->y[j * p->width + 1 + s]);
                    fputc(',', f);
                    cmd_csv_num(f, c->y[j * p->width + 1 + p->ns + s]);
                }
                fputc('\n', f);
            }
        }
    }
    int bad = ferror(f) != 0;
    bad |= fflush(f) != 0;
    bad |= fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, p->record) != 0) {
        int e = errno ? errno : EIO;
        cmd_error("%s: %s", p->record, strerror(e));
        cmd_fsize_advice(strerror(e), LESS_OPT);
        unlink(tmp);
        free(tmp);
        return EXIT_RUNTIME;
    }
    free(tmp);
    return EXIT_OK;
}

/* The unit of the scalar named by text (spaces around it ignored), or
 * NULL when text is not one scalar (an expression). */
static const char *scalar_unit(const problem *p, const char *text, size_t len)
{
    while (len && *text == ' ')
        text++, len--;
    while (len && text[len - 1] == ' ')
        len--;
    for (size_t i = 0; p->units && i < p->nnames; i++)
        if (strlen(p->names[i]) == len && !strncmp(p->names[i], text, len))
            return p->units[i];
    return NULL;
}

/* The chart of the search (--chart): the searched points by round, the
 * finalists' selection, each constraint's left side and bound, the
 * replications. */
static int write_chart(const problem *p, const cand_list *searched, cand **cs, size_t k)
{
    size_t n = (searched ? searched->n : 0) + k;
    out_search_point *pts = calloc(n ? n : 1, sizeof *pts);
    char **shortl = calloc(n ? n : 1, sizeof *shortl);
    double *lhs = calloc((n ? n : 1) * 3 * (p->ns ? p->ns : 1), sizeof *lhs);
    out_search_bound *bounds = calloc(p->ns ? p->ns : 1, sizeof *bounds);
    char **lhs_text = calloc(p->ns ? p->ns : 1, sizeof *lhs_text);
    char *keys = NULL;
    if (!pts || !shortl || !lhs || !bounds || !lhs_text) {
        free(pts);
        free(shortl);
        free(lhs);
        free(bounds);
        free(lhs_text);
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    for (size_t s = 0; s < p->ns; s++) {
        const char *t = p->con_text[s];
        const char *op = strstr(t, "<=");
        const char *op2 = strstr(t, ">=");
        if (!op || (op2 && op2 < op))
            op = op2;
        size_t len = op ? (size_t)(op - t) : strlen(t);
        lhs_text[s] = strndup(t, len);
        bounds[s] = (out_search_bound){ t, lhs_text[s], scalar_unit(p, t, len), p->con[s].ge,
                                        opt_expr_is_const(p->con[s].rhs)
                                        ? opt_expr_eval(p->con[s].rhs, NULL, NULL) : NAN };
    }
    /* one numeric variable: on its axis; otherwise by candidate */
    int by_x = p->nvars == 1 && p->vars[0].kind != OPT_NAME;
    size_t m = 0;
    for (int ph = 0; ph < 2; ph++) {
        size_t cnt = ph == 0 ? (searched ? searched->n : 0) : k;
        for (size_t i = 0; i < cnt; i++) {
            const cand *c = ph == 0 ? searched->v[i] : cs[i];
            if (!c->ny)
                continue;      /* never run (an exact constraint): no estimate */
            ci o = interval(c->y, c->ny, p->width, NULL);
            out_search_point *q = &pts[m++];
            {
                /* the values alone ("17 nearest"); the keys name the axis */
                size_t len = 1;
                for (size_t j = 0; j < p->nvars; j++)
                    len += strlen(c->setv[j]) + 1;
                if (!(shortl[m - 1] = calloc(1, len)))
                    continue;
                for (size_t j = 0; j < p->nvars; j++) {
                    if (j)
                        strcat(shortl[m - 1], " ");
                    strcat(shortl[m - 1], strchr(c->setv[j], '=') + 1);
                }
                q->label = shortl[m - 1];
            }
            q->x = by_x ? c->x[0] : NAN;
            q->mean = o.mean;
            q->lo = o.lo;
            q->hi = o.hi;
            q->reps = c->ny;
            q->round = ph == 0 ? c->search : 0;
            for (size_t s = 0; s < p->ns; s++) {    /* each constraint's left side */
                ci l = interval(c->y + 1 + s, c->ny, p->width, NULL);
                double *v = lhs + (m - 1) * 3 * p->ns + 3 * s;
                v[0] = l.mean, v[1] = l.lo, v[2] = l.hi;
            }
            q->lhs = p->ns ? lhs + (m - 1) * 3 * p->ns : NULL;
            if (ph == 0)
                q->status = c->key_viol > 0.0 ? OUT_SEARCH_INFEASIBLE : OUT_SEARCH_OTHER;
            else
                q->status = c->status == ST_CHOSEN ? OUT_SEARCH_CHOSEN
                            : c->status == ST_INFEASIBLE ? OUT_SEARCH_INFEASIBLE
                            : OUT_SEARCH_OTHER;
        }
    }
    size_t kl = 1;
    for (size_t j = 0; j < p->nvars; j++)
        kl += strlen(p->vars[j].key) + 2;
    if ((keys = calloc(1, kl)))
        for (size_t j = 0; j < p->nvars; j++) {
            if (j)
                strcat(keys, ", ");
            strcat(keys, p->vars[j].key);
        }
    int rc = SIM_ENOMEM;
    sim_err err;
    sim_err_clear(&err);
    for (size_t i = 0; i < m; i++)
        if (!pts[i].label)
            m = 0;
    out_search_info info = { p->obj_text, scalar_unit(p, p->obj_text, strlen(p->obj_text)),
                             p->maximize, keys, bounds, p->ns };
    if (keys && m)
        rc = out_plot_search_info(pts, m, &info, p->chart, &err);
    else
        sim_err_set(&err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        free(shortl[i]);
    free(shortl);
    for (size_t s = 0; s < p->ns; s++)
        free(lhs_text[s]);
    free(lhs_text);
    free(bounds);
    free(lhs);
    free(keys);
    free(pts);
    if (rc != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        cmd_fsize_advice(err.msg, NULL);
        return rc == SIM_EINVAL ? EXIT_INPUT : EXIT_RUNTIME;
    }
    return EXIT_OK;
}

/* The --set that names the chosen policy after the base and everything
 * the file changes in it: name="BASE (optimized: CHOSEN; set: FIXED)",
 * CHOSEN the decision variables' values and FIXED the other values the
 * file sets (the command's --set, --seed, --until; "; set: ..." only when
 * there are any), each "key=value" as the file holds it. BASE is the
 * base's file name without its extension, or the name the command's
 * --set gives: not the base's own name:, which describes the base, whose
 * values the file changes ("c=100" beside gpus=18). A YAML double-quoted
 * scalar, so that any character of the names survives. malloc'd; NULL
 * when out of memory. */
static char *chosen_name_set(const problem *p, const char *chosen, const char *fixed)
{
    int named = 0;
    for (size_t i = 0; i < p->a.nsets; i++)
        named |= !strncmp(p->a.sets[i], "name=", 5);
    char stem[256];
    const char *slash = strrchr(p->scenario, '/');
    snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : p->scenario);
    char *dot = strrchr(stem, '.');
    if (dot && dot != stem)
        *dot = '\0';
    const char *parts[5] = { named ? p->cfg->name : stem, " (optimized: ", chosen,
                             *fixed ? "; set: " : "", fixed };
    size_t cap = sizeof "name=\"\")";
    for (int k = 0; k < 5; k++)
        cap += 4 * strlen(parts[k]);       /* a byte is at most \xNN */
    char *s = malloc(cap);
    if (!s)
        return NULL;
    size_t o = (size_t)snprintf(s, cap, "name=\"");
    for (int k = 0; k < 5; k++)
        for (const unsigned char *q = (const unsigned char *)parts[k]; *q; q++) {
            if (*q == '"' || *q == '\\') {
                s[o++] = '\\';
                s[o++] = (char)*q;
            } else if (*q < 0x20 || *q == 0x7f) {
                o += (size_t)snprintf(s + o, cap - o, "\\x%02x", *q);
            } else {
                s[o++] = (char)*q;
            }
        }
    snprintf(s + o, cap - o, ")\"");
    return s;
}

/* The sets that make the chosen policy: name_set (when not NULL; it
 * replaces a --set of the name, which the name it gives already holds),
 * the command's --set, --seed and --until, then the decision variables'. */
static const char **chosen_sets(const problem *p, const cand *c, const char *name_set,
                                size_t *n, char *seedbuf, size_t seedsize, char *untilbuf,
                                size_t untilsize)
{
    size_t ns = 0;
    const char **base = args_sets_with_seed(&p->a, &ns, seedbuf, seedsize);
    if (!base)
        return NULL;
    const char **s = realloc(base, (ns + 2 + p->nvars) * sizeof *s);
    if (!s) {
        free(base);
        return NULL;
    }
    if (name_set) {
        size_t kept = 0;
        for (size_t i = 0; i < ns; i++)
            if (strncmp(s[i], "name=", 5))
                s[kept++] = s[i];
        memmove(s + 1, s, kept * sizeof *s);
        s[0] = name_set;
        ns = kept + 1;
    }
    if (p->a.until) {
        /* --until sets the horizon (or the end date, if the base gives one) */
        if (scn_get(scn_root(p->doc), "end"))
            snprintf(untilbuf, untilsize, "end=%s", p->a.until);
        else
            snprintf(untilbuf, untilsize, "horizon=%.17gh", p->cfg->horizon_h);
        s[ns++] = untilbuf;
    }
    for (size_t j = 0; j < p->nvars; j++)
        s[ns++] = c->setv[j];
    *n = ns;
    return s;
}

/* " word" into buf (n bytes), in single quotes when the shell would read
 * it otherwise ("<=", spaces, braces...), so the command in the chosen
 * scenario's comment can be pasted back (cmd_shell_word). Returns the bytes
 * written; a word that does not fit is left out. */
static size_t shell_word(char *buf, size_t n, const char *w)
{
    if (n < 2) {
        if (n)
            buf[0] = '\0';
        return 0;
    }
    buf[0] = ' ';
    int k = cmd_shell_word(buf + 1, n - 1, w, 0);
    if (k < 0) {
        buf[0] = '\0';         /* does not fit: left out */
        return 0;
    }
    return (size_t)k + 1;
}

/* Writes the chosen policy to p->out: a scenario extending the base,
 * named after it and the choice (unless the name is a decision variable),
 * checked to resolve to exactly the chosen candidate before it is renamed
 * into place. */
static int write_scenario(problem *p, const cand *c, int argc, char **argv)
{
    char seedbuf[64], untilbuf[128];
    size_t n = 0;
    int name_varies = 0;
    for (size_t j = 0; j < p->nvars; j++)
        name_varies |= !strcmp(p->vars[j].key, "name");
    char *dir = NULL, *absdir = NULL, *absbase = NULL, *rel = NULL, *tmp = NULL, *hdr = NULL;
    char *want = NULL, *got = NULL, *name_set = NULL, *chosen_text = NULL, *fixed_text = NULL;
    const char **sets = NULL;
    scn_doc *wdoc = NULL, *gdoc = NULL;
    FILE *f = NULL;
    int status = EXIT_RUNTIME;
    sim_err err;
    sim_err_clear(&err);
    if (!name_varies) {
        /* the name says what the file sets: the sets without a name first
         * (the decision variables last), then the name from them */
        sets = chosen_sets(p, c, NULL, &n, seedbuf, sizeof seedbuf, untilbuf, sizeof untilbuf);
        if (!sets) {
            cmd_error("out of memory");
            goto out;
        }
        int rc = opt_overrides_text(p->doc, sets, n, n - p->nvars, "name", &chosen_text,
                                    &fixed_text, &err);
        free(sets);
        sets = NULL;
        if (rc != SIM_OK) {
            cmd_error("%s: %s", p->out, err.msg);
            status = rc == SIM_EINVAL ? EXIT_INPUT : EXIT_RUNTIME;
            goto out;
        }
        if (!(name_set = chosen_name_set(p, chosen_text, fixed_text))) {
            cmd_error("out of memory");
            goto out;
        }
    }
    sets = chosen_sets(p, c, name_set, &n, seedbuf, sizeof seedbuf, untilbuf, sizeof untilbuf);
    const char *slash = strrchr(p->out, '/');
    dir = slash ? strndup(p->out, slash == p->out ? 1 : (size_t)(slash - p->out)) : strdup(".");
    if (!sets || !dir) {
        cmd_error("out of memory");
        goto out;
    }
    if (!(absdir = realpath(dir, NULL)) || !(absbase = realpath(p->scenario, NULL))) {
        cmd_error("%s: %s", absdir ? p->scenario : dir, strerror(errno));
        goto out;
    }
    rel = opt_relpath(absdir, absbase);
    size_t tl = strlen(p->out) + 64;
    tmp = malloc(tl);
    size_t hl = 256;
    for (int i = 0; i < argc; i++)
        hl += 4 * strlen(argv[i]) + 3;      /* quoted: ' becomes '\'' */
    hdr = malloc(hl);
    if (!rel || !tmp || !hdr) {
        cmd_error("out of memory");
        goto out;
    }
    snprintf(tmp, tl, "%.*s.%s.tmp.%ld", slash ? (int)(slash - p->out + 1) : 0, p->out,
             slash ? slash + 1 : p->out, (long)getpid());
    size_t used = (size_t)snprintf(hdr, hl, "The policy chosen by vouchsim %s:\n "
                                   "vouchsim", PACKAGE_VERSION);
    for (int i = 0; i < argc && used < hl; i++)
        used += shell_word(hdr + used, hl - used, argv[i]);
    snprintf(hdr + used, hl - used, "\nchosen: %s", c->label);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        int e = errno;
        cmd_error("%s: %s", p->out, strerror(e));
        cmd_fsize_advice(strerror(e), NULL);
        if (fd >= 0)
            close(fd);
        goto out;
    }
    int rc = opt_yaml_write(f, hdr, rel, p->doc, sets, n, &err);
    int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    f = NULL;
    if (rc != SIM_OK || bad) {
        int e = errno ? errno : EIO;
        if (rc == SIM_OK) {
            cmd_error("%s: %s", p->out, strerror(e));
            cmd_fsize_advice(strerror(e), NULL);
        } else {
            cmd_error("%s: %s", p->out, err.msg);
            cmd_fsize_advice(err.msg, NULL);
        }
        status = rc == SIM_EINVAL ? EXIT_INPUT : EXIT_RUNTIME;
        goto out;
    }
    /* the file must resolve to the chosen candidate, key for key */
    if (!(gdoc = scn_load(tmp, NULL, 0, &err))) {
        cmd_error("%s: the written scenario does not load: %s", p->out, err.msg);
        goto out;
    }
    if (!(wdoc = scn_load(p->scenario, sets, n, &err))) {
        cmd_error("%s", err.msg);
        goto out;
    }
    want = scn_dump(wdoc);
    got = scn_dump(gdoc);
    if (!want || !got || strcmp(want, got)) {
        cmd_error("%s: the written scenario does not resolve to the chosen policy; not "
                  "written", p->out);
        goto out;
    }
    if (!p->force && access(p->out, F_OK) == 0) {
        cmd_error("%s: exists; not overwritten (use --force)", p->out);
        status = EXIT_INPUT;
        goto out;
    }
    if (rename(tmp, p->out) != 0) {
        cmd_error("%s: %s", p->out, strerror(errno));
        goto out;
    }
    status = EXIT_OK;
out:
    if (f)
        fclose(f);
    if (status != EXIT_OK && tmp)
        unlink(tmp);
    scn_free(wdoc);
    scn_free(gdoc);
    free(want);
    free(got);
    free(sets);
    free(name_set);
    free(chosen_text);
    free(fixed_text);
    free(dir);
    free(absdir);
    free(absbase);
    free(rel);
    free(tmp);
    free(hdr);
    return status;
}

/* ---- the scenario's optimize: section ---- */


/* Fills what the command line left open from the section (if any).
 * Prints the error (file:line:col) and returns EXIT_INPUT on bad input. */
static int read_section(problem *p)
{
    const scn_node *sec = scn_get(scn_root(p->doc), "optimize");
    sim_err *err = &p->err;
    if (!sec)
        return EXIT_OK;
    int rc = scn_check_keys(sec, config_schema_list("optimize"), err);
    const scn_node *mx = scn_get(sec, "maximize"), *mn = scn_get(sec, "minimize");
    if (rc == SIM_OK && mx && mn)
        rc = scn_error(err, SIM_EINVAL, mn, "give maximize or minimize, not both");
    if (rc == SIM_OK && !p->obj_text && (mx || mn)) {
        const char *t;
        if ((rc = scn_get_string(sec, mx ? "maximize" : "minimize", 1, NULL, &t, err)) == SIM_OK) {
            p->obj_text = t;
            p->maximize = mx != NULL;
            p->obj_node = mx ? mx : mn;
        }
    }
    const scn_node *st = scn_get(sec, "subject_to");
    if (rc == SIM_OK && st && !p->ns) {
        if (scn_str(st)) {
            p->con_text[p->ns] = scn_str(st);
            p->con_node[p->ns++] = st;
        } else if (scn_node_kind(st) == SCN_SEQ && scn_len(st) <= 1000) {
            for (size_t i = 0; i < scn_len(st) && rc == SIM_OK; i++) {
                const scn_node *c = scn_item(st, i);
                if (!scn_str(c))
                    rc = scn_error(err, SIM_EINVAL, c, "expected a constraint, "
                                   "'EXPR <= EXPR [tol EPS]'");
                p->con_text[p->ns] = scn_str(c);
                p->con_node[p->ns++] = c;
            }
        } else {
            rc = scn_error(err, SIM_EINVAL, st, "expected a constraint or a list of them");
        }
    }
    const scn_node *vy = scn_get(sec, "vary");
    if (rc == SIM_OK && vy && !p->nvary) {
        if ((rc = scn_expect_map(vy, "key path: \"v1,v2,...\", [v1, v2] or \"LO:HI\"", err)))
            goto out;
        size_t n = scn_len(vy);
        if (!(p->vary_own = calloc(n ? n : 1, sizeof *p->vary_own))
            || !(p->vary = calloc(n ? n : 1, sizeof *p->vary))) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < n && rc == SIM_OK; i++) {
            const scn_node *v = scn_value(vy, i);
            const char *key = scn_key(vy, i);
            size_t len = strlen(key) + 2;
            if (scn_str(v)) {
                len += strlen(scn_str(v));
            } else if (scn_node_kind(v) == SCN_SEQ && scn_len(v) >= 1) {
                for (size_t j = 0; j < scn_len(v) && rc == SIM_OK; j++) {
                    const char *t = scn_str(scn_item(v, j));
                    if (!t || strchr(t, ','))
                        rc = scn_error(err, SIM_EINVAL, scn_item(v, j),
                                       "expected a value without commas");
                    else
                        len += strlen(t) + 1;
                }
            } else {
                rc = scn_error(err, SIM_EINVAL, v, "expected \"v1,v2,...\", a list of values or "
                               "\"LO:HI\"");
            }
            if (rc != SIM_OK)
                break;
            char *spec = malloc(len);
            if (!spec) {
                rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            snprintf(spec, len, "%s=", key);
            if (scn_str(v))
                strcat(spec, scn_str(v));
            for (size_t j = 0; !scn_str(v) && j < scn_len(v); j++) {
                if (j)
                    strcat(spec, ",");
                strcat(spec, scn_str(scn_item(v, j)));
            }
            p->vary_own[i] = spec;
            p->vary[i] = spec;
            p->nvary = i + 1;
        }
    }
    const scn_node *d = scn_get(sec, "delta");
    if (rc == SIM_OK && d && !(p->delta > 0.0)) {
        double x = 0.0;
        if ((rc = scn_get_money(sec, "delta", 1, 0.0, &x, err)) == SIM_OK && !(x > 0.0))
            rc = scn_error(err, SIM_EINVAL, d, "expected a number > 0");
        p->delta = x;
    }
    if (rc == SIM_OK && scn_get(sec, "alpha") && !p->has_alpha) {
        double a = 0.0;
        if ((rc = scn_get_double(sec, "alpha", 1, 0.05, 1e-9, 0.5, &a, err)) == SIM_OK
            && !(a < 0.5))
            rc = scn_error(err, SIM_EINVAL, scn_get(sec, "alpha"), "expected alpha < 0.5");
        p->alpha = a;
    }
    if (rc == SIM_OK && scn_get(sec, "n0") && !p->has_n0) {
        long long n0 = 0;
        if ((rc = scn_get_int(sec, "n0", 1, 10, 2, 100000, &n0, err)) == SIM_OK)
            p->n0 = (unsigned)n0;
    }
out:
    if (rc != SIM_OK) {
        fprintf(stderr, "%s\n", err->msg);
        return rc == SIM_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    return EXIT_OK;
}

/* ---- interruption ---- */

/* The runs a journal holds: its lines after the header (0: none, or no
 * journal). */
static size_t journal_runs(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t lines = 0;
    for (int ch; (ch = getc(f)) != EOF;)
        lines += ch == '\n';
    fclose(f);
    return lines > 1 ? lines - 1 : 0;
}

/* Ctrl-C, a scheduler's SIGTERM or SIGHUP: the journal holds every finished
 * chunk; say how many runs it keeps and the command that goes on from them
 * (as run, compare and sweep do), or, when it keeps none, remove it and say
 * that nothing is kept. The messages are composed beforehand and the count
 * is kept as the chunks are journaled (a handler may only call
 * async-signal-safe functions); they are the one piece of process state
 * here. */
static char interrupt_msg[PATH_MAX + 200];     /* "vouchsim: interrupted: " */
static char interrupt_tail[PATH_MAX + 8400];   /* " kept in J; to go on ...\n  CMD\n" */
static char interrupt_none[PATH_MAX + 200];    /* nothing kept */
static char interrupt_journal[PATH_MAX + 16];
static struct sigaction interrupt_old[CMD_STOP_SIGNALS];   /* put back by release_interrupts */
static int interrupt_caught;

static void put_s(const char *s)
{
    ssize_t n = write(2, s, strlen(s));
    (void)n;
}

static void on_interrupt(int sig)
{
    long kept = interrupt_kept, k = kept;
    if (k <= 0) {
        unlink(interrupt_journal);      /* its header only */
        put_s(interrupt_none);
        _exit(128 + sig);
    }
    char num[40];
    size_t o = sizeof num;
    num[--o] = '\0';
    do
        num[--o] = (char)('0' + k % 10);
    while ((k /= 10) > 0 && o > 0);
    put_s(interrupt_msg);
    put_s(num + o);
    put_s(kept == 1 ? " finished run" : " finished runs");
    put_s(interrupt_tail);
    _exit(128 + sig);
}

/* "vouchsim optimize --resume ARGS..." for the command line argv (argv[0]
 * the command's name; "vouchsim" as invoked, cmd_program_word), --resume
 * right after the name (read as an option even after a "--"), not added
 * when argv holds it (or a prefix of it, --resu...); "" when it does not
 * fit in n bytes. */
static void resume_command(int argc, char **argv, char *buf, size_t n)
{
    char prog[4100];
    size_t need = cmd_program_word(prog, sizeof prog) + sizeof " --resume";
    int has = 0, ends = 0;
    for (int i = 0; i < argc; i++) {
        need += 4 * strlen(argv[i]) + 3;
        ends |= !strcmp(argv[i], "--");
        if (i > 0 && !ends && strlen(argv[i]) >= 6
            && !strncmp(argv[i], "--resume", strlen(argv[i])))
            has = 1;
    }
    if (argc < 1 || need >= n) {
        buf[0] = '\0';
        return;
    }
    size_t used = (size_t)snprintf(buf, n, "%s", prog);
    used += shell_word(buf + used, n - used, argv[0]);
    if (!has)
        used += shell_word(buf + used, n - used, "--resume");
    for (int i = 1; i < argc; i++)
        used += shell_word(buf + used, n - used, argv[i]);
}

static void catch_interrupts(const char *journal, size_t kept, int argc, char **argv)
{
    /* On a terminal the message starts on a line of its own (after the
     * "^C" the terminal echoes); elsewhere (a log, a pipe) stderr's first
     * line is the message itself. */
    const char *nl = isatty(2) ? "\n" : "";
    char cmd[8192];
    resume_command(argc, argv, cmd, sizeof cmd);
    if (!cmd_text_plain(cmd))
        cmd[0] = '\0';     /* printed escaped, it would not name the same files */
    snprintf(interrupt_msg, sizeof interrupt_msg, "%svouchsim: interrupted: ", nl);
    /* the journal's path escaped (the handler can only write); then the
     * command, whole */
    size_t room = cmd[0] ? strlen(cmd) + 4 : 0;
    size_t o = cmd_compose(interrupt_tail, sizeof interrupt_tail - room, "",
                           cmd[0] ? ":\n" : "\n", " kept in %s; to go on from them, run the "
                           "same command with --resume", journal);
    if (cmd[0])
        snprintf(interrupt_tail + o, sizeof interrupt_tail - o, "  %s\n", cmd);
    snprintf(interrupt_none, sizeof interrupt_none, "%svouchsim: interrupted before a run "
             "finished: nothing is kept (the same command starts over)\n", nl);
    snprintf(interrupt_journal, sizeof interrupt_journal, "%s", journal);
    interrupt_kept = (sig_atomic_t)kept;
    if (interrupt_caught)
        return;
    cmd_stop_catch(on_interrupt, 0, interrupt_old);   /* SIGHUP too, unless ignored (nohup) */
    interrupt_caught = 1;
}

static void release_interrupts(void)
{
    if (interrupt_caught)
        cmd_stop_release(interrupt_old);
    interrupt_caught = 0;
}

/* ---- the command ---- */

int cmd_optimize(int argc, char **argv)
{
    problem p;
    memset(&p, 0, sizeof p);
    p.guarantee = 1;
    sim_err_clear(&p.err);
    cand_list all = { NULL, 0, 0 }, finals = { NULL, 0, 0 };
    const char *made[2];        /* the chosen scenario and --record, once written */
    size_t nmade = 0;
    int status = EXIT_INPUT;
    int *numeric = NULL;
    const char **keys = NULL;
    int prc = parse_options(&p, argc, argv);
    if (prc != 0) {
        status = args_status(prc);
        goto done;
    }
    p.scenario = p.a.pos[0];
    p.format = p.a.format;
    p.resume = p.a.resume;
    p.chart = p.a.chart;
    p.vary = p.a.vary;
    p.nvary = p.a.nvary;
    if ((status = exp_load(p.scenario, &p.a, &p.doc, &p.cfg)) != EXIT_OK)
        goto done;
    if ((status = read_section(&p)) != EXIT_OK)
        goto done;
    /* The candidates' scenarios are copies of the file's tree, read and
     * parsed once, with all their sets applied in the order a load of the
     * file applies them: the same scenarios and messages (exp_load_from).
     * Should the file not load without the sets (it loaded with them),
     * each candidate reads it as before. */
    {
        sim_err ferr;
        sim_err_clear(&ferr);
        p.file = scn_load_labeled(p.scenario, NULL, NULL, 0, &ferr);
        if (!p.file && ferr.code == SIM_ENOMEM) {
            cmd_error("out of memory");
            status = EXIT_RUNTIME;
            goto done;
        }
    }
    status = EXIT_INPUT;
    if (!p.obj_text) {
        cmd_error("optimize: give the objective, --maximize EXPR or --minimize EXPR (or "
                  "optimize: maximize: in the scenario)");
        args_try_help("optimize");
        goto done;
    }
    if (!(p.delta > 0.0)) {
        cmd_error("optimize: give the indifference zone --delta D (in the objective's unit): "
                  "the smallest difference worth telling apart");
        args_try_help("optimize");
        goto done;
    }
    if (!p.nvary) {
        cmd_error("optimize: nothing to choose: give --vary key=v1,v2,... or key=LO:HI");
        args_try_help("optimize");
        goto done;
    }
    if (!p.m)
        p.m = p.n0;
    if (p.max_reps < p.n0) {
        cmd_error("optimize: --max-replications %u is below --n0 %u", p.max_reps, p.n0);
        args_try_help("optimize");
        goto done;
    }
    /* the run's scalars, by name */
    economy *e = economy_new(p.cfg, p.cfg->seed, 0, &p.err);
    if (!e) {
        cmd_error("%s", p.err.msg);
        status = EXIT_RUNTIME;
        goto done;
    }
    p.nnames = economy_scalar_count(e);
    p.names = calloc(p.nnames ? p.nnames : 1, sizeof *p.names);
    p.units = calloc(p.nnames ? p.nnames : 1, sizeof *p.units);
    for (size_t i = 0; p.names && p.units && i < p.nnames; i++) {
        p.names[i] = strdup(economy_scalar(e, i)->name);
        p.units[i] = strdup(economy_scalar(e, i)->unit ? economy_scalar(e, i)->unit : "");
    }
    economy_free(e);
    p.nvars = p.nvary;
    p.vars = calloc(p.nvars, sizeof *p.vars);
    numeric = calloc(p.nvars, sizeof *numeric);
    keys = calloc(p.nvars, sizeof *keys);
    p.con = calloc(p.ns ? p.ns : 1, sizeof *p.con);
    if (!p.names || !p.vars || !numeric || !keys || !p.con) {
        cmd_error("out of memory");
        status = EXIT_RUNTIME;
        goto done;
    }
    for (size_t j = 0; j < p.nvars; j++) {
        if (opt_var_parse(&p.vars[j], p.vary[j], &p.err) != SIM_OK) {
            cmd_error("optimize: %s", p.err.msg);
            if (!p.vary_own)
                args_try_help("optimize");
            goto done;
        }
        for (size_t i = 0; i < j; i++)
            if (!strcmp(p.vars[i].key, p.vars[j].key)) {
                cmd_error("optimize: --vary %s is given twice", p.vars[j].key);
                if (!p.vary_own)
                    args_try_help("optimize");
                goto done;
            }
        keys[j] = p.vars[j].key;
        numeric[j] = p.vars[j].kind != OPT_NAME;
        p.has_range |= p.vars[j].range;
    }
    if (!(p.obj = opt_expr_parse(p.obj_text, (const char *const *)p.names, p.nnames, keys,
                                 numeric, p.nvars, &p.err))) {
        if (p.obj_node) {
            sim_err e2;
            scn_error(&e2, p.err.code, p.obj_node, "%s", p.err.msg);
            fprintf(stderr, "%s\n", e2.msg);
        } else {
            cmd_error("optimize: --%s %s", p.maximize ? "maximize" : "minimize", p.err.msg);
            args_try_help("optimize");
        }
        goto done;
    }
    for (size_t s = 0; s < p.ns; s++)
        if (opt_constraint_parse(&p.con[s], p.con_text[s], (const char *const *)p.names,
                                 p.nnames, keys, numeric, p.nvars, &p.err) != SIM_OK) {
            if (p.con_node[s]) {
                sim_err e2;
                scn_error(&e2, p.err.code, p.con_node[s], "%s", p.err.msg);
                fprintf(stderr, "%s\n", e2.msg);
            } else {
                cmd_error("optimize: --subject-to %s", p.err.msg);
                args_try_help("optimize");
            }
            goto done;
        }
    p.width = 1 + 2 * p.ns;
    /* the output: not the input, not over an existing file without --force */
    p.out = p.a.out ? strdup(p.a.out) : cmd_default_output(p.scenario, "-optimized.yaml");
    if (!p.out) {
        cmd_error("out of memory");
        status = EXIT_RUNTIME;
        goto done;
    }
    /* every path it will write, before the first run (a directory, a
     * missing one: nothing run, as run, compare and sweep) */
    int oc = cmd_out_check(NULL, p.out, CMD_OUT_FILE);
    if (oc == EXIT_OK && p.record)
        oc = cmd_out_check(NULL, p.record, CMD_OUT_FILE);
    if (oc == EXIT_OK && p.chart)
        oc = cmd_out_check(NULL, p.chart, CMD_OUT_FILE);
    if (oc != EXIT_OK) {
        status = oc;
        goto done;
    }
    const char *inputs[1] = { p.scenario };
    if (exp_output_check(p.out, inputs, 1) != EXIT_OK)
        goto done;
    if (p.record && exp_output_check(p.record, inputs, 1) != EXIT_OK)
        goto done;
    if (!p.force && access(p.out, F_OK) == 0) {
        cmd_error("%s: exists; not overwritten (use --force, or -o another file)", p.out);
        goto done;
    }
    if (p.record && !p.force && access(p.record, F_OK) == 0) {
        cmd_error("%s: exists; not overwritten (use --force)", p.record);
        goto done;
    }
    if (p.chart) {
        const char *dot = strrchr(p.chart, '.');
        if (!dot || strchr(dot, '/') || (strcasecmp(dot, ".png") && strcasecmp(dot, ".svg")
                                         && strcasecmp(dot, ".pdf"))) {
            cmd_error("optimize: --chart %s: give a file name ending in .png, .svg or .pdf",
                      p.chart);
            goto done;
        }
        if (exp_output_check(p.chart, inputs, 1) != EXIT_OK)
            goto done;
        if (!p.force && access(p.chart, F_OK) == 0) {
            cmd_error("%s: exists; not overwritten (use --force)", p.chart);
            goto done;
        }
    }
    /* the journal of finished runs (rank 0 keeps it; the others ask) */
    const char *stop = getenv("VOUCHSIM_TEST_STOP_AFTER");
    unsigned long long stop_after = 0;
    if (stop && cmd_parse_u64(stop, &stop_after) == 0)
        p.stop_after = (size_t)stop_after;
    size_t jl = strlen(p.out) + 16;
    if (!(p.journal_path = malloc(jl))) {
        cmd_error("out of memory");
        status = EXIT_RUNTIME;
        goto done;
    }
    snprintf(p.journal_path, jl, "%s.journal", p.out);
    int jrc = SIM_OK;
    /* an interrupted optimize's runs: --resume continues, --force starts
     * over, nothing else discards them (as run, compare and sweep) */
    size_t held = p.resume || p.force ? 0 : journal_runs(p.journal_path);
    if (held) {
        if (par_rank() == 0)
            cmd_error("%s: holds %zu finished run%s of an interrupted optimize: --resume "
                      "continues it, --force starts over", p.journal_path, held,
                      held == 1 ? "" : "s");
        status = EXIT_INPUT;
        goto done;
    }
    if (par_rank() == 0) {
        if (!(p.journal = opt_journal_open(p.journal_path, p.nnames, p.resume, &p.err)))
            jrc = p.err.code ? p.err.code : SIM_EIO;
        else if (p.resume && !p.a.quiet) {
            cmd_printf(stderr, "optimize: resume: %zu finished run%s in %s",
                       opt_journal_loaded(p.journal),
                       opt_journal_loaded(p.journal) == 1 ? "" : "s", p.journal_path);
            fputc('\n', stderr);
        }
    }
    if (par_agree(jrc, &p.err) != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", p.err.msg);
        cmd_fsize_advice(p.err.msg, LESS_OPT);
        status = EXIT_RUNTIME;
        goto done;
    }
    if (par_rank() == 0)
        catch_interrupts(p.journal_path, opt_journal_loaded(p.journal), argc, argv);
    /* the candidates */
    cand **cs;
    size_t k;
    if (p.has_range) {
        if ((status = search(&p, &all, &finals)) != EXIT_OK)
            goto done;
        cs = finals.v;
        k = finals.n;
    } else {
        char ***texts = calloc(p.nvars, sizeof *texts);
        double **nums = calloc(p.nvars, sizeof *nums);
        size_t *nl = calloc(p.nvars, sizeof *nl);
        if (!texts || !nums || !nl) {
            free(texts);
            free(nums);
            free(nl);
            cmd_error("out of memory");
            status = EXIT_RUNTIME;
            goto done;
        }
        for (size_t j = 0; j < p.nvars; j++) {
            texts[j] = p.vars[j].text;
            nums[j] = p.vars[j].num;
            nl[j] = p.vars[j].n;
        }
        status = add_grid(&p, &finals, texts, nums, nl, 0, NULL);
        free(texts);
        free(nums);
        free(nl);
        if (status != EXIT_OK)
            goto done;
        cs = finals.v;
        k = finals.n;
    }
    status = EXIT_RUNTIME;
    /* exact constraints ({key} and numbers only) settle some candidates
     * before any run; the others go to the selection, in order */
    cand **run = calloc(k ? k : 1, sizeof *run);
    if (!run) {
        cmd_error("out of memory");
        goto done;
    }
    size_t nrun = 0;
    for (size_t i = 0; i < k; i++) {
        size_t b = exact_broken(&p, cs[i]);
        if (b < p.ns)
            cs[i]->status = ST_INFEASIBLE, cs[i]->detail = b, cs[i]->used = 0;
        else
            run[nrun++] = cs[i];
    }
    if (!p.a.quiet)
        fprintf(stderr, "optimize: selecting among %zu candidate%s (n0 = %u)%s\n", nrun,
                nrun == 1 ? "" : "s", p.n0, nrun < k ? "; the others break an exact "
                "constraint" : "");
    int src = nrun ? select_best(&p, run, nrun) : SIM_OK;
    free(run);
    if (src != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", p.err.msg);
        cmd_fsize_advice(p.err.msg, LESS_OPT);
        goto done;
    }
    const cand *chosen = NULL;
    for (size_t i = 0; i < k; i++)
        if (cs[i]->status == ST_CHOSEN)
            chosen = cs[i];
    int wrote = 0;
    if (chosen && par_rank() == 0) {
        if ((status = write_scenario(&p, chosen, argc, argv)) != EXIT_OK)
            goto done;
        wrote = 1;
        made[nmade++] = p.out;
    }
    if (p.record && par_rank() == 0
        && (status = write_record(&p, p.has_range ? &all : NULL, cs, k)) != EXIT_OK)
        goto done;
    if (p.record && par_rank() == 0)
        made[nmade++] = p.record;
    report(&p, cs, k, p.has_range ? &all : NULL, wrote ? p.out : NULL);
    if (p.chart && par_rank() == 0) {
        set_keys(&p, all.v, all.n);
        if ((status = write_chart(&p, p.has_range ? &all : NULL, cs, k)) != EXIT_OK)
            goto done;
        if (!p.a.quiet) {
            cmd_printf(stderr, "optimize: chart %s", p.chart);
            fputc('\n', stderr);
        }
    }
    if (!p.a.quiet) {
        fprintf(stderr, "optimize: %llu runs", (unsigned long long)p.runs);
        if (p.reused)
            fprintf(stderr, " (and %zu from the journal)", p.reused);
        fprintf(stderr, ", events=%llu, secs=%.3f, events_per_sec=%.0f\n",
                (unsigned long long)p.events, p.secs,
                p.secs > 0 ? (double)p.events / p.secs : 0.0);
    }
    /* the procedure is over: the journal has served */
    opt_journal_close(p.journal, 1);
    p.journal = NULL;
    if (!chosen && p.n_undecided) {
        cmd_error("optimize: no candidate was shown feasible: the feasibility of %zu was "
                  "undecided at --max-replications %u", p.n_undecided, p.max_reps);
        /* the table says what would decide it; csv and json here */
        for (size_t s = 0; p.format && strcmp(p.format, "table") && s < p.ns; s++) {
            char u[1600];
            undecided_text(&p, s, u, sizeof u);
            if (*u)
                cmd_error("undecided: %s", u);
        }
        status = EXIT_RUNTIME;
        goto done;
    }
    if (!chosen) {
        cmd_error("optimize: no candidate is feasible");
        status = EXIT_RUNTIME;
        goto done;
    }
    status = EXIT_OK;
done:
    if (status != EXIT_OK && nmade) {
        /* A write that failed after others takes them back: --resume
         * refuses outputs that exist, and writes them all again from the
         * journal. */
        for (size_t i = 0; i < nmade; i++)
            if (unlink(made[i]) == 0)
                cmd_error("%s removed: written before the failure, --resume writes it again",
                          made[i]);
    }
    if (p.journal) {
        /* stopped by an error: what finished stays for --resume */
        size_t kept = opt_journal_loaded(p.journal) + p.journaled;
        opt_journal_close(p.journal, kept == 0);
        if (kept)
            cmd_error("%zu finished run%s kept in %s for --resume", kept,
                      kept == 1 ? " is" : "s are", p.journal_path);
    }
    if (par_rank() == 0 && p.journal_path)
        release_interrupts();
    free(p.journal_path);
    free(p.und_reps);
    free(p.und_tol);
    for (size_t i = 0; i < all.n; i++)
        cand_free(all.v[i], p.nvars);
    for (size_t i = 0; i < finals.n; i++)
        cand_free(finals.v[i], p.nvars);
    free(all.v);
    free(finals.v);
    opt_expr_free(p.obj);
    for (size_t s = 0; p.con && s < p.ns; s++)
        opt_constraint_fini(&p.con[s]);
    free(p.con);
    free(p.con_text);
    free(p.con_node);
    for (size_t j = 0; p.vary_own && j < p.nvary; j++)
        free(p.vary_own[j]);
    free(p.vary_own);
    if (p.vary != p.a.vary)
        free(p.vary);
    for (size_t j = 0; p.vars && j < p.nvars; j++)
        opt_var_fini(&p.vars[j]);
    free(p.vars);
    free(numeric);
    free(keys);
    for (size_t i = 0; p.names && i < p.nnames; i++)
        free(p.names[i]);
    free(p.names);
    for (size_t i = 0; p.units && i < p.nnames; i++)
        free(p.units[i]);
    free(p.units);
    free(p.out);
    config_free(p.cfg);
    scn_free(p.doc);
    scn_free(p.file);
    args_fini(&p.a);
    return status;
}
