/* models/firm.h - a firm (SME): what it draws at arrival, and its state.
 *
 * firm_draw makes all of a firm's random draws, in a fixed order, from the
 * firm's own stream, so a firm is the same in every scenario that shares
 * the seed. Decisions (buy or not, additionality) and the voucher live in
 * economy.c and program.c; this file only draws and holds. */
#ifndef MODELS_FIRM_H
#define MODELS_FIRM_H

#include <stdint.h>

#include <gsl/gsl_rng.h>

#include "models/config.h"
#include "sim/engine.h"

/* One job of a firm, as drawn at arrival. */
typedef struct job_spec {
    job_kind kind;
    uint32_t gpus;          /* >= 1 */
    double   hours;         /* run time, h */
} job_spec;

typedef struct firm {
    uint32_t   city;
    firm_size  size;
    firm_track track;
    int32_t    data_program;/* data program applied to, -1 none (here, where
                               it fills a hole: run_end_h keeps the size) */
    job_spec  *jobs;        /* [njobs], a buffer reused with the pool slot */
    uint32_t   njobs, jobs_cap;
    uint32_t   next_job;    /* index of the next job to submit */
    double     need_gpu_h;  /* sum of gpus x hours */
    double     reservation; /* yuan per GPU-hour */
    double     patience_h;
    double     approval_h;  /* delay of an application; NaN when none drawn */
    int32_t    program;     /* program applied to, -1 none */
    uint8_t    live;        /* slot in use */
    uint8_t    granted;     /* a voucher was granted */
    uint8_t    voucher_open;
    uint8_t    additional;  /* buys only thanks to the voucher */
    uint8_t    deadweight;  /* buys with a voucher, would have anyway */
    double     voucher_left;/* yuan left on the open voucher */
    uint8_t    wants_data;  /* wants to buy training data */
    uint8_t    data_pending;/* a data-voucher application awaits its decision */
    uint8_t    compute_done;/* compute side over: decided not to buy, or last
                               job done or abandoned */
    uint8_t    decided;     /* the compute decision is made */
    uint8_t    cohort;      /* arrived inside the measurement window */
    uint8_t    owed_pending;/* awaited its compute decision at the horizon: if
                               it buys (in the cool-down), its jobs are owed */
    double     run_end_h;   /* end of its job running now; NaN while the job
                               waits in a queue (what is owed at the horizon) */
    double     data_tb;     /* training data wanted, TB */
    double     data_price;  /* yuan per TB asked */
    double     data_res;    /* yuan per TB the firm would pay */
    uint64_t   id;          /* unique in the run (the pool reuses slots) */
    uint32_t   grantee;     /* index into economy's per-grantee subsidy */
    uint32_t   next_free;   /* pool free list */
} firm;

/* Draws size, track, jobs (count, then kind, GPUs, hours of each),
 * reservation price, patience, then the data draws (wants data, TB, price,
 * reservation per TB) from r, in that order. Resets the rest of
 * the firm's state (approval_h NaN, no program, no voucher); keeps its job
 * buffer, growing it when needed. Returns SIM_OK or SIM_ENOMEM. The caller
 * draws the approval delay next, from the same r, once it knows the program
 * (firm_draw_approval), so every later draw keeps its place. */
int firm_draw(firm *f, uint32_t city, const firm_profile *fp, gsl_rng *r);

/* Draws the approval delay (h, >= 0) from approval into f->approval_h. */
void firm_draw_approval(firm *f, const dist *approval, gsl_rng *r);

/* Frees the job buffer. */
void firm_fini(firm *f);

#endif
