/* tools/arms.c - two arms on common random numbers, their paired
 * differences and one file for both (see arms.h); `compare` and
 * `run --counterfactual` are its front ends.
 *
 * Both arms run replications 0..R-1 with the same seed, so replication r
 * of each arm sees the same firms with the same needs and prices (common
 * random numbers: the economy draws each firm's numbers from the firm's
 * own stream). The difference policy - base is then taken replication by
 * replication, and its Student-t interval is far narrower than the
 * interval of a difference of two independent means, which is also shown
 * (unpaired) so the gain is visible.
 *
 * With -o FILE.h5 both arms go into one file: each arm is first written
 * as an ordinary file FILE.h5.arms/LABEL.h5 (through the experiment
 * machinery: fragments, --resume, the lock), then FILE.h5 gets each arm
 * whole under /arms/LABEL and the paired differences of every total and
 * of every program, city and region measure as /compare/differences; the
 * directory is then removed. Without -o but with --by the arms go to a
 * temporary directory, for their series. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_cdf.h>

#include <errno.h>
#include <signal.h>
#include <sys/stat.h>

#include "config.h"
#include "output/reader.h"
#include "sim/stats.h"
#include "tools/arms.h"
#include "tools/cmd.h"
#include "tools/report.h"
#include "tools/experiment.h"
#include "tools/load.h"
#include "tools/par.h"

typedef struct arm {
    const char  *label;       /* "base", "policy" */
    scn_doc     *doc;
    config      *cfg;
    runner_result res;
} arm;

/* The arm's file in dir ("DIR/LABEL.h5", malloc'd). */
static char *arm_path(const char *dir, const char *label)
{
    size_t n = strlen(dir) + strlen(label) + 8;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s.h5", dir, label);
    return p;
}

/* path: the arm's file in dir, or both NULL (scalars only). */
static int run_arm(arm *a, unsigned reps, const args *opt, const char *path, const char *dir,
                   int argc, char **argv, sim_err *err)
{
    int rc = SIM_OK;
    run_spec *specs = calloc(reps, sizeof *specs);
    if (!specs)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    for (unsigned r = 0; r < reps; r++)
        specs[r] = (run_spec){ a->cfg, a->cfg->seed, r, r, exp_run_id(a->doc, a->cfg, r), -1,
                               NULL };
    exp_plan x = { a->doc, a->cfg, specs, reps, reps, path, opt->resume, opt->quiet, opt->jobs,
                   par_size(), argc, argv, NULL, NULL, opt->force, 0, dir };
    if ((rc = exp_run(&x, &a->res, err)) != SIM_OK)
        sim_err_prefix(err, "%s arm", a->label);
    free(specs);
    return rc;
}

/* --resume after an interruption in the policy arm: the base arm's file,
 * finished, is still in FILE.h5.arms/. It is kept when it holds these
 * runs (the same resolved scenario, seed, version and replications, run
 * i in row i), and res gets its scalars; 0 when it must run again. */
static int arm_done(const arm *a, unsigned reps, const char *path, runner_result *res)
{
    if (access(path, R_OK) != 0)
        return 0;
    out_reader *r = out_reader_open(path, NULL);
    if (!r)
        return 0;
    char *text = scn_dump(a->doc);
    const out_attr *sc = out_reader_attr_find(r, "scenario");
    const out_attr *sd = out_reader_attr_find(r, "seed");
    const out_attr *sv = out_reader_attr_find(r, "vouchsim_version");
    size_t nc = out_reader_scalar_cols(r);
    int ok = text && sc && sc->kind == OUT_ATTR_STRING && !strcmp(sc->s, text)
             && sd && sd->d == (double)a->cfg->seed && sv && sv->kind == OUT_ATTR_STRING
             && !strcmp(sv->s, PACKAGE_VERSION) && out_reader_scalar_rows(r) == reps
             && out_reader_time_count(r) == runner_grid(a->cfg, NULL) && nc > 0;
    for (size_t i = 0; ok && i < reps; i++)
        ok = out_reader_scalar_run(r, i) == i;
    free(text);
    if (ok) {
        memset(res, 0, sizeof *res);
        res->names = calloc(nc, sizeof *res->names);
        res->units = calloc(nc, sizeof *res->units);
        res->descs = calloc(nc, sizeof *res->descs);
        res->values = malloc(reps * nc * sizeof *res->values);
        ok = res->names && res->units && res->descs && res->values;
        if (ok) {
            res->ncols = nc;
            memcpy(res->values, out_reader_scalar_values(r), reps * nc * sizeof *res->values);
        }
        for (size_t j = 0; ok && j < nc; j++)
            ok = (res->names[j] = strdup(out_reader_scalar_name(r, j)))
                 && (res->units[j] = strdup(out_reader_scalar_unit(r, j)))
                 && (res->descs[j] = strdup(out_reader_scalar_desc(r, j)));
        if (!ok) {
            if (res->ncols)
                runner_result_fini(res);
            else {
                free(res->names), free(res->units), free(res->descs), free(res->values);
                memset(res, 0, sizeof *res);
            }
        }
    }
    out_reader_close(r);
    return ok;
}

/* The arm as the report sees it: its scalars and, with a file, its reader. */
static rep_arm arm_view(const arm *a, unsigned reps, const out_reader *r, char start[16])
{
    scn_format_date(a->cfg->start_day, start, 16);
    size_t nt = runner_grid(a->cfg, NULL);
    double *t = NULL;
    runner_grid(a->cfg, &t);
    double end_h = t && nt ? t[nt - 1] : NAN;
    free(t);
    return (rep_arm){ a->label, a->cfg->name, start, end_h, reps, a->res.ncols,
                      (const char *const *)a->res.names, (const char *const *)a->res.units,
                      a->res.values, r };
}

/* /compare/differences: one row per total and per section measure. */
static int write_differences(out_writer *w, const rep_row *rows, size_t n, sim_err *err)
{
    const char **name = calloc(n + 1, sizeof *name), **sec = calloc(n + 1, sizeof *sec);
    const char **ent = calloc(n + 1, sizeof *ent), **meas = calloc(n + 1, sizeof *meas);
    const char **unit = calloc(n + 1, sizeof *unit), **status = calloc(n + 1, sizeof *status);
    double *v = calloc(5 * n + 1, sizeof *v);
    uint32_t *u = calloc(4 * n + 1, sizeof *u);
    int rc;
    if (!name || !sec || !ent || !meas || !unit || !status || !v || !u) {
        rc = sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        name[i] = rows[i].name, sec[i] = rows[i].section, ent[i] = rows[i].entity;
        meas[i] = rows[i].measure, unit[i] = rows[i].unit;
        status[i] = rows[i].absent == 1 ? "absent in base"
                    : rows[i].absent == 2 ? "absent in policy" : "both";
        v[i] = rows[i].base, v[n + i] = rows[i].policy, v[2 * n + i] = rows[i].diff;
        v[3 * n + i] = rows[i].hw_paired, v[4 * n + i] = rows[i].hw_unpaired;
        u[i] = (uint32_t)rows[i].n, u[n + i] = (uint32_t)rows[i].nb;
        u[2 * n + i] = (uint32_t)rows[i].np, u[3 * n + i] = (uint32_t)rows[i].runs;
    }
    out_column cols[] = {
        { "total", OUT_COL_STRING, NULL, NULL, name, NULL },
        { "section", OUT_COL_STRING, NULL, NULL, sec, NULL },
        { "entity", OUT_COL_STRING, NULL, NULL, ent, NULL },
        { "measure", OUT_COL_STRING, NULL, NULL, meas, NULL },
        { "unit", OUT_COL_STRING, NULL, NULL, unit, NULL },
        { "base_mean", OUT_COL_DOUBLE, v, NULL, NULL, "as unit" },
        { "policy_mean", OUT_COL_DOUBLE, v + n, NULL, NULL, "as unit" },
        { "difference", OUT_COL_DOUBLE, v + 2 * n, NULL, NULL, "as unit" },
        { "paired_ci95_half", OUT_COL_DOUBLE, v + 3 * n, NULL, NULL, "as unit" },
        { "unpaired_ci95_half", OUT_COL_DOUBLE, v + 4 * n, NULL, NULL, "as unit" },
        { "n", OUT_COL_UINT32, NULL, u, NULL, "runs" },
        { "n_base", OUT_COL_UINT32, NULL, u + n, NULL, "runs" },
        { "n_policy", OUT_COL_UINT32, NULL, u + 2 * n, NULL, "runs" },
        { "runs", OUT_COL_UINT32, NULL, u + 3 * n, NULL, "runs" },
        { "status", OUT_COL_STRING, NULL, NULL, status, NULL },
    };
    rc = out_table_write(w, "/compare/differences", n, sizeof cols / sizeof cols[0], cols,
                         "policy - base per replication on common random numbers: means of "
                         "each arm over the runs with a value, mean difference over the runs "
                         "with both (n), 95% Student-t half-widths paired and unpaired (Welch); "
                         "status: both, absent in base, absent in policy", err);
out:
    free(name), free(sec), free(ent), free(meas), free(unit), free(status), free(v), free(u);
    return rc;
}

/* FILE.h5: both arm files whole under /arms/LABEL, and the differences. */
static int write_compare_file(const char *out, const arm *b, const arm *p, const char *pb,
                              const char *pp, unsigned reps, const rep_row *rows, size_t n,
                              sim_err *err)
{
    out_writer *w = out_writer_open(out, err);
    if (!w)
        return err && err->code ? err->code : SIM_EIO;
    char arms[160], start[16], name[300];
    snprintf(arms, sizeof arms, "%s %s", b->label, p->label);
    scn_format_date(b->cfg->start_day, start, sizeof start);
    if (!strcmp(b->cfg->name, p->cfg->name))
        snprintf(name, sizeof name, "%s", p->cfg->name);
    else
        snprintf(name, sizeof name, "%s vs %s", p->cfg->name, b->cfg->name);
    int rc = out_attr_string(w, "kind", "comparison", err);
    if (rc == SIM_OK)
        rc = out_attr_string(w, "arms", arms, err);
    if (rc == SIM_OK)
        rc = out_attr_string(w, "scenario_name", name, err);
    if (rc == SIM_OK)
        rc = out_attr_string(w, "start_date", start, err);
    if (rc == SIM_OK)
        rc = out_attr_int(w, "replications", (int64_t)reps, err);
    if (rc == SIM_OK)
        rc = out_attr_int(w, "seed", (int64_t)b->cfg->seed, err);
    char g[200];
    snprintf(g, sizeof g, "/arms/%s", b->label);
    if (rc == SIM_OK)
        rc = out_tree_copy(w, g, pb, err);
    snprintf(g, sizeof g, "/arms/%s", p->label);
    if (rc == SIM_OK)
        rc = out_tree_copy(w, g, pp, err);
    if (rc == SIM_OK)
        rc = write_differences(w, rows, n, err);
    if (rc != SIM_OK) {
        out_writer_close(w, 0, NULL);
        return rc;
    }
    return out_writer_close(w, 1, err);
}

/* Removes the arm files and their directory (when empty: --resume may
 * have left fragments in it). */
static void arms_clean(const char *dir, char *const paths[2])
{
    for (int k = 0; k < 2; k++)
        if (paths[k])
            unlink(paths[k]);
    if (dir)
        rmdir(dir);
}

/* ---- a signal while the comparison is finished ----
 * Once both arms have run, FILE.h5 is merged from them (seconds for many
 * replications) and the table printed. A SIGINT, SIGTERM or SIGHUP then
 * lets that finish: on_finish says so at once (async-signal-safe: write), and
 * finish_release ends with one line saying FILE.h5 is complete (exit 0).
 * The message is the one piece of process state here. */
static volatile sig_atomic_t finish_sig;
static char finish_msg[4400];

static void on_finish(int sig)
{
    if (finish_sig)
        return;
    finish_sig = sig;
    ssize_t w = write(2, finish_msg, strlen(finish_msg));
    (void)w;
}

static void finish_catch(const char *out, struct sigaction old[CMD_STOP_SIGNALS])
{
    /* on a terminal, off the line the echoed ^C is on */
    const char *nl = isatty(2) ? "\n" : "";
    if (out)
        cmd_compose(finish_msg, sizeof finish_msg, nl, "\n", "vouchsim: interrupted: finishing "
                    "%s first (it takes a few seconds), so that it is whole", out);
    else
        snprintf(finish_msg, sizeof finish_msg, "%svouchsim: interrupted: finishing the "
                 "comparison first\n", nl);
    finish_sig = 0;
    /* SA_RESTART: HDF5's reads and writes go on; SIGHUP too, unless
     * ignored (nohup) */
    cmd_stop_catch(on_finish, SA_RESTART, old);
}

/* Puts back the handlers of finish_catch; the exit status. */
static int finish_release(const char *out, const struct sigaction old[CMD_STOP_SIGNALS],
                          int status)
{
    cmd_stop_release(old);
    if (finish_sig && status == EXIT_OK) {
        fflush(stdout);
        if (out)
            cmd_error("interrupted while finishing %s: it is complete", out);
        else
            fprintf(stderr, "vouchsim: interrupted while finishing the comparison: it is "
                    "complete\n");
    }
    return status;
}

static int compare_arms(arm *b, arm *p, const args *a, int argc, char **argv)
{
    sim_err err;
    sim_err_clear(&err);
    unsigned reps = a->reps ? a->reps : (b->cfg->replications > 1 ? b->cfg->replications : 10);
    const char *format = a->format ? a->format : "table";
    int fmt = !strcmp(format, "csv") ? REP_FMT_CSV : !strcmp(format, "json") ? REP_FMT_JSON
              : REP_FMT_TABLE;
    unsigned mask = 0;
    if (rep_parse_by(a->cmd, a->by, a->nby, &mask) != 0)
        return EXIT_INPUT;
    if (b->cfg->seed != p->cfg->seed && !a->has_seed) {
        cmd_error("compare: the two scenarios have different seeds (%llu, %llu): common random "
                  "numbers need one; give --seed", (unsigned long long)b->cfg->seed,
                  (unsigned long long)p->cfg->seed);
        return EXIT_INPUT;
    }
    const char *inputs[2] = { scn_doc_path(b->doc), scn_doc_path(p->doc) };
    int oc = a->out ? cmd_out_check(NULL, a->out, CMD_OUT_FILE) : EXIT_OK;
    if (oc != EXIT_OK)
        return oc;
    if (a->out && exp_output_check(a->out, inputs, 2) != EXIT_OK)
        return EXIT_INPUT;
    if (a->out && !a->force && exp_output_exists(a->out, &err) != SIM_OK) {
        if (par_rank() == 0)
            fprintf(stderr, "vouchsim: %s\n", err.msg);
        return EXIT_INPUT;
    }
    if (a->out) {
        struct stat st;
        if (stat(a->out, &st) == 0 && S_ISDIR(st.st_mode)) {
            cmd_error("%s: is a directory, not a file name", a->out);
            return EXIT_RUNTIME;
        }
    }
    /* Where the arms' files go: FILE.h5.arms/, a temporary directory, or
     * nowhere (scalars only). */
    char *dir = NULL, *paths[2] = { NULL, NULL };
    int status = EXIT_RUNTIME, caught = 0, keep_arms = 0;
    struct sigaction old_sa[CMD_STOP_SIGNALS];
    if (a->out) {
        size_t len = strlen(a->out) + 8;
        if ((dir = malloc(len)))
            snprintf(dir, len, "%s.arms", a->out);
        if (dir && mkdir(dir, 0777) != 0 && errno != EEXIST) {
            cmd_error("%s: cannot create directory: %s", dir, strerror(errno));
            free(dir);
            return EXIT_RUNTIME;
        }
    } else if (mask) {
        /* Under MPI every rank must see it: the current directory, as for
         * -o (which must be on a shared file system), named by rank 0. */
        const char *tmp = getenv("TMPDIR");
        if (par_size() > 1 || !tmp || !*tmp)
            tmp = par_size() > 1 ? "." : "/tmp";
        enum { DIRMAX = 4096 };
        if ((dir = calloc(1, DIRMAX))) {
            int made = 1;
            snprintf(dir, DIRMAX, "%s/.vouchsim-compare.XXXXXX", tmp);
            if (par_rank() == 0 && !mkdtemp(dir))
                made = 0;
            par_bcast_bytes(&made, sizeof made);
            par_bcast_bytes(dir, DIRMAX);
            if (!made) {
                cmd_error("%s: cannot create a temporary directory: %s", dir, strerror(errno));
                free(dir);
                return EXIT_RUNTIME;
            }
        }
    }
    if ((a->out || mask) && !dir) {
        cmd_error("out of memory");
        return EXIT_RUNTIME;
    }
    if (dir && (!(paths[0] = arm_path(dir, b->label)) || !(paths[1] = arm_path(dir, p->label)))) {
        cmd_error("out of memory");
        goto out;
    }
    arm *arm2[2] = { b, p };
    for (int k = 0; k < 2; k++) {
        if (a->resume && paths[k] && par_size() <= 1 && arm_done(arm2[k], reps, paths[k],
                                                                &arm2[k]->res)) {
            if (!a->quiet)
                cmd_error("resume: the %s arm is done already in %s", arm2[k]->label,
                          paths[k]);
            continue;
        }
        if (run_arm(arm2[k], reps, a, paths[k], dir, argc, argv, &err) != SIM_OK) {
            keep_arms = a->resume && a->out;
            if (err.code == SIM_EINVAL) {     /* an earlier comparison's arm */
                status = EXIT_INPUT;
                keep_arms = 1;
            }
            if (err.code == SIM_EINVAL && !a->resume)
                cmd_error("%s/ holds the arms of an interrupted comparison: --resume "
                          "continues it, --force starts over", dir);
            else {
                fprintf(stderr, "vouchsim: %s\n", err.msg);
                cmd_fsize_advice(err.msg, CMD_LESS_RUNS);
            }
            goto out;
        }
    }
    if (par_rank() != 0) {      /* rank 0 reads, writes and prints */
        status = EXIT_OK;
        free(paths[0]);
        free(paths[1]);
        free(dir);
        return status;
    }
    /* Ctrl-C from here waits until FILE.h5 is whole (or removed) and the
     * arms are gone: nothing half-written is left behind. It says so at
     * once, and the command ends as it would have (see finish_release). */
    finish_catch(a->out, old_sa);
    caught = 1;
    out_reader *rb = NULL, *rp = NULL;
    if (dir && (!(rb = out_reader_open(paths[0], &err)) || !(rp = out_reader_open(paths[1], &err)))) {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        out_reader_close(rb);
        goto out;
    }
    char sb[16], sp[16];
    rep_arm vb = arm_view(b, reps, rb, sb), vp = arm_view(p, reps, rp, sp);
    /* The file holds every section; the screen those asked for. */
    unsigned all = (1u << REP_SECTIONS) - 1;
    rep_row *rows = NULL, *show = NULL;
    size_t n = 0, shown = 0;
    rep_notes notes;
    if (rep_compare_rows(&vb, &vp, a->out ? all : mask, &rows, &n, &notes) != 0
        || !(show = malloc((n + 1) * sizeof *show))) {
        cmd_error("out of memory");
        free(rows);
        out_reader_close(rb);
        out_reader_close(rp);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        int sec = rep_section_of(rows[i].section);
        if (sec < 0 || (mask & (1u << sec)))
            show[shown++] = rows[i];
    }
    int rc = SIM_OK;
    if (a->out)
        rc = write_compare_file(a->out, b, p, paths[0], paths[1], reps, rows, n, &err);
    if (rc == SIM_OK) {
        rep_compare_print(&vb, &vp, show, shown, &notes, fmt, stdout);
        status = EXIT_OK;
        if (!a->quiet) {
            runner_result both = b->res;
            both.events += p->res.events;
            both.secs += p->res.secs;
            size_t resumed = exp_resumed(&b->res, reps) + exp_resumed(&p->res, reps);
            exp_report("compare", &both, 2 * (size_t)reps, resumed, dir, a->out);
        }
    } else {
        fprintf(stderr, "vouchsim: %s\n", err.msg);
        cmd_fsize_advice(err.msg, CMD_LESS_RUNS);
    }
    free(rows);
    free(show);
    out_reader_close(rb);
    out_reader_close(rp);
out:
    if (!keep_arms)     /* a failed --resume keeps what it may reuse */
        arms_clean(dir, paths);
    if (caught)
        status = finish_release(a->out, old_sa, status);
    free(paths[0]);
    free(paths[1]);
    free(dir);
    return status;
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

int arms_compare(const char *base, const char *policy, const args *a, int argc, char **argv)
{
    arm b = { "base", NULL, NULL, { 0 } }, p = { "policy", NULL, NULL, { 0 } };
    int status = exp_load(base, a, &b.doc, &b.cfg);
    if (status == EXIT_OK)
        status = exp_load(policy, a, &p.doc, &p.cfg);
    if (status == EXIT_OK)
        status = compare_arms(&b, &p, a, argc, argv);
    arms_free(&b, &p);
    return status;
}

int arms_counterfactual(const args *a, int argc, char **argv)
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
    /* `run -o FILE.h5 --counterfactual` writes one comparison file, as
     * compare -o does: /arms/counterfactual and /arms/vouchers. */
    int status = exp_load(a->pos[0], &off, &b.doc, &b.cfg);
    if (status == EXIT_OK)
        status = exp_load(a->pos[0], a, &p.doc, &p.cfg);
    if (status == EXIT_OK)
        status = compare_arms(&b, &p, &off, argc, argv);
    arms_free(&b, &p);
    free(sets);
    return status;
}
