/* models/firm.c - a firm's draws at arrival. */
#include "models/firm.h"

#include <math.h>
#include <stdlib.h>

#include "sim/err.h"

#define FIRM_MAX_JOBS 1000000u

/* A whole count >= 1 from a draw (counts are rounded up). */
static uint32_t whole(double x)
{
    if (!(x > 1.0))
        return 1;
    if (x >= 4.0e9)
        return 4000000000u;
    return (uint32_t)ceil(x);
}

/* Index of the class a uniform u falls in, by cumulative shares; the last
 * class takes any rounding slack. */
static int pick(const double *share, int n, double u)
{
    double acc = 0.0;
    for (int i = 0; i < n - 1; i++) {
        acc += share[i];
        if (u < acc)
            return i;
    }
    return n - 1;
}

int firm_draw(firm *f, uint32_t city, const firm_profile *fp, gsl_rng *r)
{
    f->city = city;
    f->size = (firm_size)pick(fp->size_share, SIZE_COUNT, gsl_rng_uniform(r));
    f->track = gsl_rng_uniform(r) < fp->research_share ? TRACK_RESEARCH : TRACK_GENERAL;
    uint32_t n = whole(dist_draw(&fp->jobs, r));
    if (n > FIRM_MAX_JOBS)          /* a far tail draw (config bounds the 99.9th percentile) */
        n = FIRM_MAX_JOBS;
    if (n > f->jobs_cap) {
        uint32_t cap = f->jobs_cap ? f->jobs_cap : 4;
        while (cap < n)
            cap = cap > UINT32_MAX / 2 ? n : 2 * cap;
        job_spec *js = realloc(f->jobs, (size_t)cap * sizeof *js);
        if (!js)
            return SIM_ENOMEM;
        f->jobs = js, f->jobs_cap = cap;
    }
    f->njobs = n;
    double kshare[JOB_KIND_COUNT];
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        kshare[k] = fp->kind[k].share;
    f->need_gpu_h = 0.0;
    for (uint32_t i = 0; i < n; i++) {
        job_spec *j = &f->jobs[i];
        j->kind = (job_kind)pick(kshare, JOB_KIND_COUNT, gsl_rng_uniform(r));
        j->gpus = whole(dist_draw(&fp->kind[j->kind].gpus, r));
        double h = dist_draw(&fp->kind[j->kind].hours, r);
        j->hours = h > 0.0 ? h : 0.0;
        f->need_gpu_h += (double)j->gpus * j->hours;
    }
    f->reservation = dist_draw(&fp->reservation_price, r);
    double p = dist_draw(&fp->patience_h, r);
    f->patience_h = p > 0.0 ? p : 0.0;
    f->wants_data = gsl_rng_uniform(r) < fp->data.share;
    double tb = dist_draw(&fp->data.amount, r);
    f->data_tb = tb > 0.0 ? tb : 0.0;
    double price = dist_draw(&fp->data.price, r);
    f->data_price = price > 0.0 ? price : 0.0;
    f->data_res = dist_draw(&fp->data.reservation, r);
    f->data_program = -1;
    f->data_pending = f->compute_done = f->decided = f->cohort = f->owed_pending = 0;
    f->run_end_h = NAN;
    f->approval_h = NAN;
    f->next_job = 0;
    f->program = -1;
    f->live = 1;
    f->granted = f->voucher_open = f->additional = f->deadweight = 0;
    f->voucher_left = 0.0;
    f->grantee = UINT32_MAX;
    return SIM_OK;
}

void firm_draw_approval(firm *f, const dist *approval, gsl_rng *r)
{
    double a = dist_draw(approval, r);
    f->approval_h = a > 0.0 ? a : 0.0;
}

void firm_fini(firm *f)
{
    free(f->jobs);
    f->jobs = NULL;
    f->jobs_cap = 0;
}
