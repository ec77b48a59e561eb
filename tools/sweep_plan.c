/* tools/sweep_plan.c - a sweep's plan: factors, design points and the
 * scenario loaded at each point (tools/sweep_plan.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/economy.h"
#include "sim/rng.h"
#include "sim/sensitivity.h"
#include "tools/cmd.h"
#include "tools/experiment.h"
#include "tools/load.h"
#include "tools/sweep_plan.h"

const char *const sweep_design_names[3] = { "grid", "lhs", "sobol" };

/* 1 when v is a categorical factor: its values are names or booleans. */
int sweep_factor_categorical(const sweep_factor *v)
{
    return !v->v.range && v->v.kind == OPT_NAME;
}

/* Fills v from "key=v1,v2,...", "key=LO:HI:N" or "key=LO:HI" for the
 * design. Prints the error; -1 on bad input, -2 out of memory. */
/* Parses spec ("key=v1,v2,...", "key=LO:HI:N" or "key=LO:HI") as --vary
 * does. where: NULL for --vary; for the scenario's sweep: section, the
 * value's "file:line:col: sweep.vary.KEY", which then starts the error
 * in place of "sweep: --vary KEY". */
static int var_init(sweep_factor *v, const char *spec, sweep_design design, const char *where)
{
    sim_err err;
    sim_err_clear(&err);
    memset(v, 0, sizeof *v);
    int rc = opt_var_parse(&v->v, spec, &err);
    if (rc != SIM_OK) {
        const char *msg = err.msg;
        if (where && !strncmp(msg, "--vary ", 7) && strstr(msg, ": "))
            msg = strstr(msg, ": ") + 2;
        if (where) {
            cmd_error("%s: %s", where, msg);
        } else {
            cmd_error("sweep: %s", err.msg);
            if (rc != SIM_ENOMEM)
                args_try_help("sweep");
        }
        return rc == SIM_ENOMEM ? -2 : -1;
    }
    const opt_var *o = &v->v;
    const char *rest = strchr(spec, '=') + 1;
    char at[700];
    if (where)
        snprintf(at, sizeof at, "%s", where);
    else
        snprintf(at, sizeof at, "sweep: --vary %s", o->key);
    if (design == SWEEP_GRID && o->range) {
        cmd_error("%s: a grid needs values: key=LO:HI:N (N levels) or key=v1,v2,..., got '%s'",
                  at, rest);
        if (!where)
            args_try_help("sweep");
        return -1;
    }
    if (design != SWEEP_GRID && !o->range) {
        if (o->kind == OPT_NAME)
            cmd_error("%s: '%s' is a categorical factor (names or booleans); --design %s "
                      "samples ranges LO:HI only: use --design grid", at, rest,
                      sweep_design_names[design]);
        else
            cmd_error("%s: --design %s takes a range key=LO:HI, got '%s'", at,
                      sweep_design_names[design], rest);
        if (!where)
            args_try_help("sweep");
        return -1;
    }
    if (o->range) {
        const char *colon = strchr(rest, ':');
        v->lo_text = strndup(rest, (size_t)(colon - rest));
        v->hi_text = strdup(colon + 1);
    } else {
        v->lo_text = strdup(o->text[0]);
        v->hi_text = strdup(o->text[o->n - 1]);
        size_t len = 1;
        for (size_t i = 0; i < o->n; i++)
            len += strlen(o->text[i]) + 1;
        if ((v->values = calloc(1, len)))
            for (size_t i = 0; i < o->n; i++) {
                if (i)
                    strcat(v->values, ",");
                strcat(v->values, o->text[i]);
            }
        if (!v->values)
            return -2;
    }
    if (!v->lo_text || !v->hi_text)
        return -2;
    return 0;
}

static void var_fini(sweep_factor *v)
{
    opt_var_fini(&v->v);
    free(v->lo_text);
    free(v->hi_text);
    free(v->values);
}

void sweep_free(sweep *s)
{
    for (size_t j = 0; s->vars && j < s->k; j++)
        var_fini(&s->vars[j]);
    for (size_t p = 0; p < s->npoints; p++) {
        if (s->cfgs)
            config_free(s->cfgs[p]);
        if (s->sets)
            free(s->sets[p]);
    }
    free(s->vars);
    free(s->x);
    free(s->lev);
    free(s->cfgs);
    free(s->sets);
}

/* Out of memory while planning: a run-time failure, not bad input. */
static int oom(void)
{
    cmd_error("out of memory");
    return -2;
}

/* The variables and design from the command line or the scenario. */
int sweep_vars(sweep *s, const args *a, const config *cfg)
{
    if (a->design) {
        size_t d = 0;
        while (d < 3 && strcmp(a->design, sweep_design_names[d]))
            d++;
        if (d == 3) {
            cmd_error("sweep: --design must be grid, lhs or sobol, got '%s'", a->design);
            args_try_help("sweep");
            return -1;
        }
        s->design = (sweep_design)d;
    } else {
        s->design = a->nvary ? SWEEP_GRID : cfg->sweep.design;
    }
    s->k = a->nvary ? a->nvary : cfg->sweep.nvars;
    if (s->k == 0) {
        cmd_error("sweep: nothing to vary: give --vary key=v1,v2,... (or key=LO:HI:N) or a "
                  "sweep: section");
        args_try_help("sweep");
        return -1;
    }
    if (!(s->vars = calloc(s->k, sizeof *s->vars))) {
        return oom();
    }
    for (size_t j = 0; j < s->k; j++) {
        int rc;
        if (!a->nvary) {
            /* the scenario's sweep: section, "LO:HI:N", "LO:HI" or a list
             * "v1,v2,..." per key, parsed as --vary parses them */
            const sweep_var *sv = &cfg->sweep.vars[j];
            size_t len = strlen(sv->key) + (sv->values ? strlen(sv->values)
                                            : strlen(sv->lo) + strlen(sv->hi)) + 32;
            char *spec = malloc(len);
            if (!spec)
                return oom();
            if (sv->values)
                snprintf(spec, len, "%s=%s", sv->key, sv->values);
            else if (sv->n)
                snprintf(spec, len, "%s=%s:%s:%u", sv->key, sv->lo, sv->hi, sv->n);
            else
                snprintf(spec, len, "%s=%s:%s", sv->key, sv->lo, sv->hi);
            rc = var_init(&s->vars[j], spec, s->design, sv->where);
            free(spec);
        } else {
            rc = var_init(&s->vars[j], a->vary[j], s->design, NULL);
        }
        if (rc)
            return rc == -2 ? oom() : -1;
        for (size_t i = 0; i < j; i++)
            if (!strcmp(s->vars[i].v.key, s->vars[j].v.key)) {
                cmd_error("sweep: --vary %s is given twice", s->vars[j].v.key);
                if (a->nvary)
                    args_try_help("sweep");
                return -1;
            }
    }
    return 0;
}

/* The points of the design, in the keys' units. */
int sweep_points(sweep *s, const args *a, const config *cfg)
{
    size_t k = s->k;
    unsigned samples = a->samples ? a->samples : cfg->sweep.samples;
    if (s->design == SWEEP_GRID) {
        if (a->samples) {
            cmd_error("sweep: --samples applies only with --design lhs or sobol");
            args_try_help("sweep");
            return -1;
        }
        double total = 1;
        for (size_t j = 0; j < k; j++)
            total *= (double)s->vars[j].v.n;
        if (total > 1e7) {
            cmd_error("sweep: the grid has %.0f points; at most 10000000", total);
            return -1;
        }
        s->npoints = (size_t)total;
        s->x = malloc(s->npoints * k * sizeof *s->x);
        s->lev = malloc(s->npoints * k * sizeof *s->lev);
        if (!s->x || !s->lev)
            return oom();
        /* all combinations, the last key varying fastest */
        for (size_t p = 0; p < s->npoints; p++) {
            size_t rest = p;
            for (size_t jj = k; jj-- > 0;) {
                const opt_var *o = &s->vars[jj].v;
                size_t l = rest % o->n;
                rest /= o->n;
                s->lev[p * k + jj] = l;
                s->x[p * k + jj] = o->num[l];
            }
        }
        return 0;
    }
    if (!samples) {
        cmd_error("sweep: --design %s needs --samples N", sweep_design_names[s->design]);
        return -1;
    }
    if (s->design == SWEEP_LHS) {
        s->npoints = samples;
        s->x = malloc(s->npoints * k * sizeof *s->x);
        if (s->x)
            sim_design_lhs(k, samples, s->seed, 0x6c6873 /* "lhs" */, s->x);
    } else {
        sim_err err;
        sim_err_clear(&err);
        s->n_base = samples;
        s->npoints = sim_design_saltelli_size(k, samples);
        s->x = malloc(s->npoints * k * sizeof *s->x);
        if (s->x && sim_design_saltelli(k, samples, s->x, &err) != SIM_OK) {
            cmd_error("sweep: %s", err.msg);
            return -1;
        }
    }
    if (!s->x) {
        return oom();
    }
    for (size_t p = 0; p < s->npoints; p++)
        for (size_t j = 0; j < k; j++) {
            const opt_var *o = &s->vars[j].v;
            double u = s->x[p * k + j];
            double x = o->lo * (1.0 - u) + o->hi * u;
            s->x[p * k + j] = o->whole ? round(x) : x;
        }
    return 0;
}

/* "key=value" of key j at point p: the list's text as given, or the
 * sampled number (durations in hours). */
static void point_set(const sweep *s, size_t p, size_t j, char *buf, size_t size)
{
    const opt_var *o = &s->vars[j].v;
    if (s->lev)
        snprintf(buf, size, "%s=%s", o->key, o->text[s->lev[p * s->k + j]]);
    else
        opt_var_set_text(o, s->x[p * s->k + j], buf, size);
}

/* Bytes point_set needs. */
static size_t point_set_size(const sweep *s, size_t p, size_t j)
{
    const opt_var *o = &s->vars[j].v;
    return strlen(o->key) + (s->lev ? strlen(o->text[s->lev[p * s->k + j]]) : 64) + 2;
}

/* The text of key j at point p, for tables: as set, without the key. */
const char *sweep_point_text(const sweep *s, size_t p, size_t j, char *buf, size_t size)
{
    point_set(s, p, j, buf, size);
    return buf + strlen(s->vars[j].v.key) + 1;
}

/* The byte offset in text of field idx of a list split at sep, spaces
 * trimmed as opt_var_parse trims them; 0 when it has fewer. */
static size_t field_offset(const char *text, char sep, size_t idx)
{
    const char *q = text;
    for (size_t i = 0; i < idx; i++) {
        const char *c = strchr(q, sep);
        if (!c)
            return 0;
        q = c + 1;
    }
    while (*q == ' ')
        q++;
    return (size_t)(q - text);
}

/* Where point p's value of the scenario's sweep: entry j stands, for its
 * messages: the list's item (a YAML sequence's item, or the value in
 * "v1,v2,..."), a grid range's LO or HI at its first and last level, else
 * the entry's value. */
static scn_set_origin section_origin(const sweep *s, const scn_doc *doc, size_t p, size_t j)
{
    const scn_node *vary = scn_get(scn_get(scn_root(doc), "sweep"), "vary");
    const scn_node *v = vary && j < scn_len(vary) ? scn_value(vary, j) : NULL;
    if (!v)
        return (scn_set_origin){ NULL, 0, 0, 0 };
    int line = scn_node_line(v), col = scn_node_col(v);
    const char *text = scn_str(v);
    if (s->lev) {
        size_t l = s->lev[p * s->k + j], n = s->vars[j].v.n;
        if (scn_node_kind(v) == SCN_SEQ && l < scn_len(v)) {
            const scn_node *it = scn_item(v, l);
            return (scn_set_origin){ scn_node_file(it), scn_node_line(it),
                                     scn_node_col(it), 0 };
        }
        /* a list "v1,v2,..." as config.c tells it from a range "LO:HI:N" */
        if (text && (strchr(text, ',') || !strchr(text, ':')))
            scn_node_text_pos(v, field_offset(text, ',', l), &line, &col);
        else if (text && l + 1 == n)
            scn_node_text_pos(v, field_offset(text, ':', 1), &line, &col);
    }
    return (scn_set_origin){ scn_node_file(v), line, col, 0 };
}

/* Loads every point: the scenario with a's sets and the point's, each a
 * copy of the file's tree read once. Fills specs (npoints x reps) unless
 * NULL. Returns EXIT_OK or the status to exit with. */
int sweep_load(sweep *s, const args *a, const config *base, const scn_doc *bdoc,
                      run_spec *specs)
{
    size_t k = s->k;
    double *grid0 = NULL, *grid = NULL;
    scn_set_origin *places = NULL;
    scn_doc *file = NULL;
    size_t n0 = runner_grid(base, &grid0);
    args pa = *a;
    const char **sets = malloc((a->nsets + k) * sizeof *sets);
    char **buf = calloc(k, sizeof *buf);
    s->cfgs = calloc(s->npoints, sizeof *s->cfgs);
    s->sets = calloc(s->npoints, sizeof *s->sets);
    int status = EXIT_RUNTIME;
    if (!sets || !buf || !s->cfgs || !s->sets || !grid0) {
        cmd_error("out of memory");
        goto out;
    }
    for (size_t j = 0; j < a->nsets; j++)
        sets[j] = a->sets[j];
    pa.sets = sets;
    pa.nsets = a->nsets + k;
    pa.vary_sets = k;           /* messages name the option the user typed... */
    if (!a->nvary) {            /* ...or the value in the scenario's sweep: entry */
        if (!(places = calloc(k, sizeof *places))) {
            cmd_error("out of memory");
            goto out;
        }
        pa.vary_origins = places;
    }
    pa.no_warn = 1;             /* the points: the scenario's warnings came once */
    /* The file is read and parsed once; each point is a copy of its tree
     * with all the sets applied in the same order as a load of the file
     * would apply them, so scenarios and messages are the same. Should the
     * file not load without the sets (it loaded with them), each point
     * reads it as before. */
    sim_err err;
    sim_err_clear(&err);
    file = scn_load_labeled(pa.pos[0], NULL, NULL, 0, &err);
    if (!file && err.code == SIM_ENOMEM) {
        cmd_error("out of memory");
        goto out;
    }
    for (size_t p = 0; p < s->npoints; p++) {
        size_t len = 1;
        for (size_t j = 0; j < k; j++) {
            size_t n = point_set_size(s, p, j);
            free(buf[j]);
            if (!(buf[j] = malloc(n))) {
                cmd_error("out of memory");
                goto out;
            }
            point_set(s, p, j, buf[j], n);
            sets[a->nsets + j] = buf[j];
            len += n + 1;
        }
        if (!(s->sets[p] = calloc(1, len))) {
            cmd_error("out of memory");
            goto out;
        }
        for (size_t j = 0; j < k; j++) {
            if (j)
                strcat(s->sets[p], " ");
            strcat(s->sets[p], buf[j]);
        }
        for (size_t j = 0; places && j < k; j++)
            places[j] = section_origin(s, bdoc, p, j);
        scn_doc *doc = NULL;
        status = file ? exp_load_from(file, &pa, &doc, &s->cfgs[p])
                      : exp_load(pa.pos[0], &pa, &doc, &s->cfgs[p]);
        if (status != EXIT_OK) {
            if (status == EXIT_INPUT)
                cmd_error("sweep: point %zu (%s) is not a valid scenario: %s %s", p,
                          s->sets[p], s->lev ? "correct the" : "narrow the",
                          a->nvary ? (s->lev ? "--vary values" : "--vary ranges")
                                   : (s->lev ? "values of the scenario's sweep: section"
                                             : "ranges of the scenario's sweep: section"));
            goto out;
        }
        status = EXIT_RUNTIME;
        const config *c = s->cfgs[p];
        size_t n = runner_grid(c, &grid);
        int same = grid && n == n0 && !memcmp(grid, grid0, n * sizeof *grid);
        free(grid);
        grid = NULL;
        if (!same) {
            cmd_error("sweep: point %zu (%s) changes the sampling times; a sweep may not vary "
                      "the horizon or sample_interval", p, s->sets[p]);
            scn_free(doc);
            status = EXIT_INPUT;
            goto out;
        }
        if (specs) {
            /* the point's text dumped and hashed once for its replications */
            run_spec *sp = &specs[p * s->reps];
            uint64_t *ids = malloc((s->reps ? s->reps : 1) * sizeof *ids);
            if (!ids || exp_run_ids(doc, c, s->reps, ids) != SIM_OK) {
                free(ids);
                scn_free(doc);
                cmd_error("out of memory");
                goto out;
            }
            for (unsigned r = 0; r < s->reps; r++)
                sp[r] = (run_spec){ c, c->seed, r, p * s->reps + r, ids[r], (long)p,
                                    s->sets[p] };
            free(ids);
        }
        scn_free(doc);
    }
    status = EXIT_OK;
out:
    for (size_t j = 0; buf && j < k; j++)
        free(buf[j]);
    free(places);
    free(buf);
    free(sets);
    free(grid0);
    scn_free(file);
    return status;
}

int sweep_check(const args *a, const scn_doc *doc, const config *cfg)
{
    if (!cfg->sweep.nvars)
        return EXIT_OK;
    sweep s;
    memset(&s, 0, sizeof s);
    s.reps = 1;
    s.seed = cfg->seed;
    args sa = *a;               /* the section, as `sweep SCENARIO` runs it */
    sa.vary = NULL;
    sa.nvary = 0;
    sa.design = NULL;
    sa.samples = 0;
    int status = EXIT_INPUT;
    int prc = sweep_vars(&s, &sa, cfg);
    if (prc == 0)
        prc = sweep_points(&s, &sa, cfg);
    if (prc != 0) {
        status = prc == -2 ? EXIT_RUNTIME : EXIT_INPUT;
        goto out;
    }
    status = sweep_load(&s, &sa, cfg, doc, NULL);   /* no runs: no ids */
out:
    sweep_free(&s);
    return status;
}
