/* tests/econ_fixture.c - hand-built configs and recorded runs. */
#include "tests/econ_fixture.h"

#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dupname(const char *prefix, size_t i)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%s%zu", prefix, i);
    char *s = strdup(buf);
    ck_assert_ptr_nonnull(s);
    return s;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    ck_assert_ptr_nonnull(p);
    return p;
}

config *fx_config(size_t ncities, size_t ndcs, size_t nprograms)
{
    config *c = xcalloc(1, sizeof *c);
    c->name = strdup("test");
    c->description = strdup("");
    c->horizon_h = 1000.0;
    c->sample_h = 24.0;
    c->seed = 1;
    c->replications = 1;
    c->routing = ROUTE_NEAREST;
    c->vouchers = 1;
    c->ncities = ncities;
    c->cities = xcalloc(ncities, sizeof *c->cities);
    for (size_t i = 0; i < ncities; i++) {
        city_cfg *ct = &c->cities[i];
        ct->name = dupname("c", i);
        ct->region = REGION_EAST;
        ct->hub = strdup("");
        ct->nrate = 1;
        ct->rate = xcalloc(1, sizeof *ct->rate);
        firm_profile *fp = &ct->firms;
        fp->size_share[SIZE_MICRO] = 1.0;
        fp->jobs = dist_fixed(1);
        for (int k = 0; k < JOB_KIND_COUNT; k++) {
            fp->kind[k].gpus = dist_fixed(8);
            fp->kind[k].hours = dist_fixed(100);
            fp->kind[k].latency_ms = INFINITY;
        }
        fp->kind[JOB_TRAINING].share = 1.0;
        fp->kind[JOB_INFERENCE].latency_ms = 10.0;
        fp->reservation_price = dist_fixed(100);
        fp->patience_h = dist_fixed(1000);
    }
    c->ndcs = ndcs;
    c->dcs = xcalloc(ndcs, sizeof *c->dcs);
    for (size_t i = 0; i < ndcs; i++) {
        dc_cfg *d = &c->dcs[i];
        d->name = dupname("d", i);
        d->region = REGION_EAST;
        d->hub = strdup("");
        d->ngpus = 1;
        d->gpus = xcalloc(1, sizeof *d->gpus);
        d->gpus[0].value = 8;
        d->price = 10.0;
        d->electricity_price = 0.5;
        d->pue = 1.2;
        d->gpu_kw = 0.5;
        d->latency_ms = xcalloc(ncities, sizeof *d->latency_ms);
        for (size_t k = 0; k < ncities; k++)
            d->latency_ms[k] = 10.0;
        d->certified = 1;
        d->bg_gpus = dist_fixed(1);
        d->bg_hours = dist_fixed(1);
        d->bg_patience_h = dist_fixed(24);
    }
    c->nprograms = nprograms;
    c->programs = xcalloc(nprograms, sizeof *c->programs);
    for (size_t i = 0; i < nprograms; i++) {
        program_cfg *p = &c->programs[i];
        p->name = dupname("p", i);
        p->budget = 1e6;
        p->coverage = 0.8;
        p->cap_per_firm = INFINITY;
        p->validity_h = 10000.0;
        p->open_h = 0.0;
        p->close_h = INFINITY;
        p->approval_delay_h = dist_fixed(0.5);
        p->lottery_every_h = 24.0;
        p->exhausted_below = 1.0;       /* hand-computed cases: run out below a yuan */
        for (int s = 0; s < SIZE_COUNT; s++)
            p->eligible_size[s] = 1;
        p->accepts = xcalloc(ndcs, 1);
        memset(p->accepts, 1, ndcs);
    }
    return c;
}

void fx_free(config *c)
{
    config_free(c);     /* the fixture allocates what config.c would */
}

void fx_bursts(config *c, size_t city, size_t n, const double *t, double width,
               double per_h)
{
    city_cfg *ct = &c->cities[city];
    free(ct->rate);
    ct->rate = xcalloc(2 * n + 1, sizeof *ct->rate);
    size_t k = 0;
    ct->rate[k++] = (step){ 0.0, 0.0 };
    for (size_t i = 0; i < n; i++) {
        if (t[i] == 0.0)
            k = 0;
        ct->rate[k++] = (step){ t[i], per_h };
        ct->rate[k++] = (step){ t[i] + width, 0.0 };
    }
    ct->nrate = k;
}

void fx_capacity(config *c, size_t d, size_t n, const double *t, const double *gpus)
{
    dc_cfg *dc = &c->dcs[d];
    free(dc->gpus);
    dc->gpus = xcalloc(n, sizeof *dc->gpus);
    for (size_t i = 0; i < n; i++)
        dc->gpus[i] = (step){ t[i], gpus[i] };
    dc->ngpus = n;
}

program_change *fx_timeline(config *c, size_t p, size_t n)
{
    program_cfg *pc = &c->programs[p];
    free(pc->timeline);
    pc->timeline = xcalloc(n, sizeof *pc->timeline);
    for (size_t i = 0; i < n; i++)
        pc->timeline[i] = (program_change){ 0.0, 0.0, NAN, NAN, 0 };
    pc->ntimeline = n;
    return pc->timeline;
}

static int record(void *ctx, const economy *e, double t_h, sim_err *err)
{
    (void)err;
    fx_run *r = ctx;
    if (r->nsamples == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->t = realloc(r->t, r->cap * sizeof *r->t);
        r->v = realloc(r->v, r->cap * r->width * sizeof *r->v);
        ck_assert(r->t && r->v);
    }
    r->t[r->nsamples] = t_h;
    double *row = r->v + r->nsamples * r->width;
    for (size_t s = 0; s < economy_series_count(e); s++) {
        economy_series_row(e, s, row);
        row += economy_group_size(e, economy_series(e, s)->group);
    }
    r->nsamples++;
    return SIM_OK;
}

fx_run *fx_run_new(const config *cfg, uint64_t rep)
{
    fx_run *r = xcalloc(1, sizeof *r);
    sim_err err = { 0 };
    r->e = economy_new(cfg, cfg->seed, rep, &err);
    ck_assert_msg(r->e != NULL, "%s", err.msg);
    r->eng = sim_engine_new();
    ck_assert_ptr_nonnull(r->eng);
    for (size_t s = 0; s < economy_series_count(r->e); s++)
        r->width += economy_group_size(r->e, economy_series(r->e, s)->group);
    economy_on_sample(r->e, record, r);
    ck_assert_int_eq(economy_register(r->e, r->eng, &err), SIM_OK);
    r->rc = sim_run(r->eng, economy_end_h(r->e));
    ck_assert_msg(r->rc == SIM_OK, "%s", sim_engine_err(r->eng)->msg);
    return r;
}

void fx_run_free(fx_run *r)
{
    if (!r)
        return;
    economy_free(r->e);
    sim_engine_free(r->eng);
    free(r->t);
    free(r->v);
    free(r);
}

double fx_scalar(const fx_run *r, const char *name)
{
    for (size_t i = 0; i < economy_scalar_count(r->e); i++)
        if (!strcmp(economy_scalar(r->e, i)->name, name))
            return economy_scalar_value(r->e, i);
    ck_abort_msg("no scalar %s", name);
    return NAN;
}

double fx_series(const fx_run *r, econ_group g, const char *name, size_t i, size_t k)
{
    size_t off = 0;
    ck_assert_uint_lt(k, r->nsamples);
    for (size_t s = 0; s < economy_series_count(r->e); s++) {
        const econ_series_def *d = economy_series(r->e, s);
        if (d->group == g && !strcmp(d->name, name)) {
            ck_assert_uint_lt(i, economy_group_size(r->e, g));
            return r->v[k * r->width + off + i];
        }
        off += economy_group_size(r->e, d->group);
    }
    ck_abort_msg("no series %s.%s", economy_group_name(g), name);
    return NAN;
}
