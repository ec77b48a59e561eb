/* tools/cmd_compare.c - `vouchsim compare`: paired policy comparisons.
 *
 * Both arms run replications 0..R-1 with the same seed, so replication r
 * of each arm sees the same firms with the same needs and prices (common
 * random numbers: the economy draws each firm's numbers from the firm's
 * own stream). The difference policy - base is then taken replication by
 * replication, and its Student-t interval is far narrower than the
 * interval of a difference of two independent means, which is also shown
 * (unpaired) so the gain is visible. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include "sim/stats.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/par.h"

/* Rows of the comparison, in this order; other scalars follow. */
static const char *const headline[] = {
    "gpu_hours_total", "firms_buying", "subsidy_total", "gpu_hours_additional",
    "firms_additional", "deadweight_share", "subsidy_per_additional_gpu_hour",
    "utilization_east", "utilization_west", "mean_wait_east_h", "mean_wait_west_h",
    NULL
};

typedef struct arm {
    const char  *label;       /* "base", "policy" */
    scn_doc     *doc;
    config      *cfg;
    runner_result res;
} arm;

typedef struct row {
    const char *name, *unit;
    double base, policy;       /* means */
    double diff, ci_paired, ci_unpaired;
    size_t n;                  /* replications with both values */
    size_t nb, np;             /* replications with a value, per arm */
} row;

static void usage(FILE *f)
{
    fputs("usage: vouchsim compare BASE.yaml POLICY.yaml [--replications R] [--jobs N]\n"
          "                        [--seed N] [--set key=value]... [--until DATE] [-o PREFIX]\n"
          "                        [--format table|csv|json] [--resume] [--quiet] [--strict]\n"
          "  Runs both scenarios on common random numbers and prints, for each\n"
          "  total, the mean of each arm and the paired difference POLICY - BASE\n"
          "  with its 95% interval (and the wider unpaired interval for contrast).\n"
          "  --set applies to both arms. With -o, writes PREFIX-base.h5 and\n"
          "  PREFIX-policy.h5 (ordinary run files for summary and plot).\n"
          "  --strict            the scenarios' warnings are errors (exit 2)\n"
          "  --max-events N, --max-samples N, --max-memory SIZE  raise the limits of the\n"
          "                      cost estimate per replication (vouchsim run --help)\n"
          "  -r, -j, -q, -o       short for --replications, --jobs, --quiet, --output;\n"
          "  -h, --help, -V, --version; option forms as in vouchsim run --help\n"
          "exit status: 0 success, 1 run-time failure, 2 bad input or usage\n", f);
}

static int run_arm(arm *a, unsigned reps, const args *opt, const char *prefix,
                   int argc, char **argv, sim_err *err)
{
    int rc = SIM_OK;
    char *path = NULL;
    run_spec *specs = calloc(reps, sizeof *specs);
    if (!specs)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (unsigned r = 0; r < reps; r++)
        specs[r] = (run_spec){ a->cfg, a->cfg->seed, r, r, exp_run_id(a->doc, a->cfg, r), -1,
                               NULL };
    if (prefix) {
        size_t n = strlen(prefix) + strlen(a->label) + 8;
        path = malloc(n);
        if (!path) {
            rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
            goto out;
        }
        snprintf(path, n, "%s-%s.h5", prefix, a->label);
    }
    exp_plan x = { a->doc, a->cfg, specs, reps, reps, path, opt->resume, opt->quiet, opt->jobs,
                   par_size(), argc, argv, NULL, NULL };
    if ((rc = exp_run(&x, &a->res, err)) != SIM_OK)
        sim_err_prefix(err, "%s arm", a->label);
out:
    free(path);
    free(specs);
    return rc;
}

/* Paired and unpaired statistics of column `name` over reps. Each arm's
 * mean is over its own finite values (an exhaustion time is NaN in a run
 * whose budget never ran out); the difference is over the replications
 * where both are finite. */
static int compare_col(const arm *b, const arm *p, size_t reps, const char *name, row *out)
{
    long cb = runner_col(&b->res, name), cp = runner_col(&p->res, name);
    if (cb < 0 || cp < 0)
        return -1;
    sim_welford wb, wp, wd;
    sim_welford_init(&wb);
    sim_welford_init(&wp);
    sim_welford_init(&wd);
    size_t nb = 0, np = 0;
    for (size_t r = 0; r < reps; r++) {
        double x = b->res.values[r * b->res.ncols + (size_t)cb];
        double y = p->res.values[r * p->res.ncols + (size_t)cp];
        if (!isnan(x))
            sim_welford_add(&wb, x), nb++;
        if (!isnan(y))
            sim_welford_add(&wp, y), np++;
        if (!isnan(x) && !isnan(y))
            sim_welford_add(&wd, y - x);
    }
    out->name = name;
    out->unit = b->res.units[cb];
    out->n = (size_t)wd.n;
    out->nb = nb;
    out->np = np;
    out->base = wb.n ? wb.mean : NAN;
    out->policy = wp.n ? wp.mean : NAN;
    out->diff = wd.n ? wd.mean : NAN;
    out->ci_paired = sim_welford_ci(&wd, 0.95);
    /* Unpaired: Welch's interval for the difference of the two means. */
    double vb = sim_welford_var(&wb) / (double)wb.n, vp = sim_welford_var(&wp) / (double)wp.n;
    double se = sqrt(vb + vp);
    double dof = (vb + vp) * (vb + vp) /
                 (vb * vb / (double)(wb.n - 1) + vp * vp / (double)(wp.n - 1));
    if (wb.n >= 2 && wp.n >= 2 && se > 0 && isfinite(dof))
        out->ci_unpaired = gsl_cdf_tdist_Pinv(0.975, dof) * se;
    else
        out->ci_unpaired = wb.n >= 2 && wp.n >= 2 ? 0.0 : NAN;
    return 0;
}

static void print_num(FILE *f, double v, int json)
{
    if (json)
        cmd_json_num(f, v);
    else
        cmd_csv_num(f, v);
}

/* An arm's mean exhaustion time as a date, "never", or "k/R runs". */
static void arm_date(const arm *a, double mean_h, size_t n, size_t reps, char buf[32])
{
    char start[16];
    scn_format_date(a->cfg->start_day, start, sizeof start);
    if (n == 0)
        snprintf(buf, 32, "never");
    else if (n < reps)
        snprintf(buf, 32, "%zu/%zu runs", n, reps);
    else if (cmd_date_after(start, mean_h, buf) != 0)
        snprintf(buf, 32, "?");
}

static void print_rows(const row *rows, size_t n, const char *format, size_t reps,
                       const arm *b, const arm *p)
{
    if (!strcmp(format, "csv")) {
        puts("name,unit,base_mean,policy_mean,diff_mean,diff_ci95_paired,diff_ci95_unpaired,n");
        for (size_t i = 0; i < n; i++) {
            cmd_csv_str(stdout, rows[i].name);
            putchar(',');
            cmd_csv_str(stdout, rows[i].unit);
            putchar(',');
            print_num(stdout, rows[i].base, 0), putchar(',');
            print_num(stdout, rows[i].policy, 0), putchar(',');
            print_num(stdout, rows[i].diff, 0), putchar(',');
            print_num(stdout, rows[i].ci_paired, 0), putchar(',');
            print_num(stdout, rows[i].ci_unpaired, 0);
            printf(",%zu\n", rows[i].n);
        }
    } else if (!strcmp(format, "json")) {
        fputs("{\"base\": ", stdout);
        cmd_json_str(stdout, b->cfg->name);
        fputs(", \"policy\": ", stdout);
        cmd_json_str(stdout, p->cfg->name);
        printf(", \"replications\": %zu, \"rows\": [\n", reps);
        for (size_t i = 0; i < n; i++) {
            fputs("  {\"name\": ", stdout);
            cmd_json_str(stdout, rows[i].name);
            fputs(", \"unit\": ", stdout);
            cmd_json_str(stdout, rows[i].unit);
            fputs(", \"base_mean\": ", stdout);
            print_num(stdout, rows[i].base, 1);
            fputs(", \"policy_mean\": ", stdout), print_num(stdout, rows[i].policy, 1);
            fputs(", \"diff_mean\": ", stdout), print_num(stdout, rows[i].diff, 1);
            fputs(", \"diff_ci95_paired\": ", stdout), print_num(stdout, rows[i].ci_paired, 1);
            fputs(", \"diff_ci95_unpaired\": ", stdout), print_num(stdout, rows[i].ci_unpaired, 1);
            printf(", \"n\": %zu}%s\n", rows[i].n, i + 1 < n ? "," : "");
        }
        puts("]}");
    } else {
        if (!strcmp(p->cfg->name, b->cfg->name))
            printf("%s: %s - %s, %zu replication%s on common random numbers\n\n", p->cfg->name,
                   p->label, b->label, reps, reps == 1 ? "" : "s");
        else
            printf("%s (%s) - %s (%s), %zu replication%s on common random numbers\n\n",
                   p->cfg->name, p->label, b->cfg->name, b->label, reps, reps == 1 ? "" : "s");
        printf("%-36s %-9s %15s %15s %14s %13s %13s\n", "total", "unit", b->label, p->label,
               "difference", "95% paired", "unpaired");
        for (size_t i = 0; i < n; i++) {
            char cp[48] = "NA", cu[48] = "NA";
            if (!isnan(rows[i].ci_paired))
                snprintf(cp, sizeof cp, "+-%.4g", rows[i].ci_paired);
            if (!isnan(rows[i].ci_unpaired))
                snprintf(cu, sizeof cu, "+-%.4g", rows[i].ci_unpaired);
            if (!strncmp(rows[i].name, "exhaustion_", 11)) {
                /* dates, and the difference in days */
                char db[32], dp[32], dd[24] = "NA";
                arm_date(b, rows[i].base, rows[i].nb, reps, db);
                arm_date(p, rows[i].policy, rows[i].np, reps, dp);
                if (!isnan(rows[i].diff))
                    snprintf(dd, sizeof dd, "%+.1f d", rows[i].diff / 24.0);
                if (!isnan(rows[i].ci_paired))
                    snprintf(cp, sizeof cp, "+-%.3g d", rows[i].ci_paired / 24.0);
                if (!isnan(rows[i].ci_unpaired))
                    snprintf(cu, sizeof cu, "+-%.3g d", rows[i].ci_unpaired / 24.0);
                printf("%-36s %-9s %15s %15s %14s %13s %13s\n", rows[i].name, "date",
                       db, dp, dd, cp, cu);
                continue;
            }
            char vb[40], vp[40], vd[40], tmp[40];
            cmd_fmt_num(rows[i].base, vb, sizeof vb);
            cmd_fmt_num(rows[i].policy, vp, sizeof vp);
            cmd_fmt_num(rows[i].diff, vd, sizeof vd);
            if (!isnan(rows[i].ci_paired)) {
                cmd_fmt_num(rows[i].ci_paired, tmp, sizeof tmp);
                snprintf(cp, sizeof cp, "+-%s", tmp);
            }
            if (!isnan(rows[i].ci_unpaired)) {
                cmd_fmt_num(rows[i].ci_unpaired, tmp, sizeof tmp);
                snprintf(cu, sizeof cu, "+-%s", tmp);
            }
            printf("%-36s %-9s %15s %15s %14s %13s %13s\n", rows[i].name, rows[i].unit,
                   vb, vp, vd, cp, cu);
        }
    }
}

static int compare_arms(arm *b, arm *p, const args *a, int argc, char **argv)
{
    sim_err err;
    sim_err_clear(&err);
    unsigned reps = a->reps ? a->reps : (b->cfg->replications > 1 ? b->cfg->replications : 10);
    const char *format = a->format ? a->format : "table";
    if (b->cfg->seed != p->cfg->seed && !a->has_seed) {
        cmd_error("compare: the two scenarios have different seeds (%llu, %llu): common random "
                  "numbers need one; give --seed", (unsigned long long)b->cfg->seed,
                  (unsigned long long)p->cfg->seed);
        return EXIT_INPUT;
    }
    if (a->out) {
        /* Neither arm's file may be one of the scenarios. */
        const char *inputs[2] = { scn_doc_path(b->doc), scn_doc_path(p->doc) };
        for (const arm *m = b; m; m = m == b ? p : NULL) {
            size_t len = strlen(a->out) + strlen(m->label) + 8;
            char *path = malloc(len);
            if (!path) {
                cmd_error("out of memory");
                return EXIT_RUNTIME;
            }
            snprintf(path, len, "%s-%s.h5", a->out, m->label);
            int st = exp_output_check(path, inputs, 2);
            free(path);
            if (st != EXIT_OK)
                return st;
        }
    }
    if (run_arm(b, reps, a, a->out, argc, argv, &err) != SIM_OK ||
        run_arm(p, reps, a, a->out, argc, argv, &err) != SIM_OK) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        return EXIT_RUNTIME;
    }
    size_t cap = b->res.ncols + 16, n = 0;
    row *rows = calloc(cap, sizeof *rows);
    if (!rows) {
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    for (size_t i = 0; headline[i]; i++)
        if (compare_col(b, p, reps, headline[i], &rows[n]) == 0)
            n++;
    for (size_t c = 0; c < b->res.ncols && n < cap; c++) {
        int seen = 0;
        for (size_t i = 0; headline[i]; i++)
            seen |= !strcmp(headline[i], b->res.names[c]);
        if (!seen && compare_col(b, p, reps, b->res.names[c], &rows[n]) == 0)
            n++;
    }
    print_rows(rows, n, format, reps, b, p);
    free(rows);
    if (!a->quiet) {
        runner_result both = b->res;
        both.events += p->res.events;
        both.secs += p->res.secs;
        cmd_report("compare", &both, 2 * (size_t)reps, NULL);
    }
    return EXIT_OK;
}

static void arms_free(arm *b, arm *p)
{
    runner_result_fini(&b->res);
    runner_result_fini(&p->res);
    config_free(b->cfg);
    config_free(p->cfg);
    scn_free(b->doc);
    scn_free(p->doc);
}

int cmd_compare(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_OUT | OPT_SEED | OPT_SET | OPT_UNTIL | OPT_REPS |
                         OPT_JOBS | OPT_QUIET | OPT_FORMAT | OPT_RESUME | OPT_STRICT, 2, 2,
                         "BASE.yaml POLICY.yaml", usage);
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    arm b = { "base", NULL, NULL, { 0 } }, p = { "policy", NULL, NULL, { 0 } };
    int status = cmd_load(a.pos[0], &a, &b.doc, &b.cfg);
    if (status == EXIT_OK)
        status = cmd_load(a.pos[1], &a, &p.doc, &p.cfg);
    if (status == EXIT_OK)
        status = compare_arms(&b, &p, &a, argc, argv);
    arms_free(&b, &p);
    args_fini(&a);
    return status;
}

int cmd_compare_counterfactual(const args *a, int argc, char **argv)
{
    arm b = { "counterfactual", NULL, NULL, { 0 } }, p = { "vouchers", NULL, NULL, { 0 } };
    args off = *a;
    const char **sets = malloc((a->nsets + 1) * sizeof *sets);
    if (!sets) {
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    for (size_t i = 0; i < a->nsets; i++)
        sets[i] = a->sets[i];
    sets[a->nsets] = "vouchers=false";
    off.sets = sets;
    off.nsets = a->nsets + 1;
    off.no_warn = 1;            /* the same scenario: its warnings come once */
    /* `run -o FILE.h5 --counterfactual` writes FILE-counterfactual.h5 and
     * FILE-vouchers.h5: -o names the prefix, as for compare. */
    char *prefix = NULL;
    if (a->out) {
        size_t n = strlen(a->out);
        if (n > 3 && !strcmp(a->out + n - 3, ".h5"))
            n -= 3;
        if (!(prefix = strndup(a->out, n))) {
            free(sets);
            cmd_error("out of memory");
            return EXIT_RUNTIME;
        }
        off.out = prefix;
    }
    int status = cmd_load(a->pos[0], &off, &b.doc, &b.cfg);
    if (status == EXIT_OK)
        status = cmd_load(a->pos[0], a, &p.doc, &p.cfg);
    if (status == EXIT_OK)
        status = compare_arms(&b, &p, &off, argc, argv);
    arms_free(&b, &p);
    free(sets);
    free(prefix);
    return status;
}
