/* models/economy.c - one replication of the voucher economy: event
 * handlers, firm and job pools, series and scalars.
 *
 * Firms and in-flight jobs live in pools (arrays with free lists, reused
 * slots), so the steady state allocates nothing. Payloads carry pool
 * indices; every event that names a firm is cancelled before the firm's
 * slot is freed. Budgets are program.c's, queues and load datacenter.c's,
 * routing broker.c's, a firm's draws firm.c's.
 *
 * Choices where scenarios/README.md is silent:
 * - A queued job starts inside the handler that frees the GPUs (job.end,
 *   job.renege of the head, dc.capacity), not through a job.start event.
 * - A lottery application joins the program's next round after its
 *   approval delay; rounds run at open + k * lottery_every (k >= 1).
 * - The approval delay is drawn from the program the firm would apply to
 *   even when vouchers are off (it is the firm's last draw, so nothing
 *   else moves); firms with no program decide at arrival.
 * - A firm granted a voucher that still does not buy gives it back at once
 *   (back to remaining whatever on_expiry says: it was never used).
 * - A job that no allowed center can hold (with a voucher: no accepted
 *   center) is abandoned with the firm; background jobs too big for their
 *   center are dropped and counted as abandoned.
 * - Vouchers of a program expire in grant order (validity is per
 *   program), so each program keeps one voucher.expire event pending, for
 *   the oldest open voucher, instead of one per voucher.
 * - copay is what firms pay on their bills, with or without a voucher, so
 *   subsidy + copay is the firms' whole spend. */
#include "models/economy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "models/broker.h"
#include "models/datacenter.h"
#include "models/firm.h"
#include "models/program.h"
#include "models/scenario.h"
#include "sim/rng.h"
#include "sim/stats.h"

#define NONE UINT32_MAX

/* Stream ids: a tag mixed with the key of the entity's name
 * (sim_rng_key), so adding, removing or reordering cities, data centers or
 * programs in a scenario leaves every other entity's numbers as they were;
 * a firm's stream mixes its city's firm key with its arrival number. */
#define STREAM_ARRIVALS 0x6172726976616c73ULL   /* "arrivals" */
#define STREAM_DC       0x6261636b67726e64ULL   /* "backgrnd" */
#define STREAM_PROGRAM  0x6c6f747465727921ULL   /* "lottery!" */
#define STREAM_WARM     0x7761726d73746172ULL   /* "warmstar" */
#define STREAM_FIRM     0x6669726d73212121ULL   /* "firms!!!" */
#define STREAM_APPROVAL 0x617070726f76616cULL   /* "approval" */

enum { EV_ARRIVE, EV_DECIDE, EV_END, EV_RENEGE, EV_EXPIRE, EV_CHANGE,
       EV_LOTTERY, EV_BG, EV_CAPACITY, EV_SAMPLE, EV_YEAR, EV_INVEST, EV_COUNT };

typedef struct pl2 {
    uint32_t a, b;
} pl2;

typedef enum { JOB_FREE = 0, JOB_QUEUED, JOB_GONE } job_state;

/* A job as it runs: what job.end needs, carried in its payload, so a
 * running job has no record of its own (the end of a job reads nothing
 * that another job's end brought into the cache but its center's state). */
typedef struct run_pl {
    uint32_t dc;
    uint32_t firm;         /* NONE: background */
    int64_t  gpus;
    double   hours;
} run_pl;

/* A job waiting in a center's queue, or reneged but still in its ring. */
typedef struct job {
    uint32_t   firm;       /* NONE: background */
    uint32_t   dc;
    int64_t    gpus;
    double     hours;
    double     submit_h;
    sim_handle renege;
    uint32_t   next_free;
    uint8_t    state;      /* job_state */
} job;

typedef struct city_state {
    sim_rng  rng;          /* arrival times */
    uint64_t firm_key;     /* its firms' streams: mixed with the arrival number */
    uint64_t nfirm;        /* arrivals since t = 0 (never reset: the firm's stream) */
    size_t   step;         /* the rate step arrivals have reached */
    /* the measurement window's cohort: firms arrived in it, and what they
     * decided (also in the cool-down) */
    uint64_t arrived, buying, additional, deadweight, not_buying, pending;
    uint64_t data_buying, data_additional, data_deadweight;
    /* flows in the window */
    double   subsidy, copay, gpu_hours;
    double   data_spend, data_subsidy;
} city_state;

/* Capacity bought with public money: its ledger (amount = pending +
 * committed + spent + returned) and its GPU-hours. Busy GPUs of a center
 * are attributed to its public GPUs in proportion to their share of its
 * capacity. */
typedef struct inv_state {
    double    pending, committed, spent, returned;   /* yuan */
    int       online;
    sim_twavg tw_used;      /* busy GPUs attributed to it */
    sim_twavg tw_avail;     /* its GPUs online */
} inv_state;

/* Job counts of a data center for Little's law, per sample interval. */
typedef struct dc_count {
    uint64_t  arrived, started, finished, abandoned;   /* this interval */
    double    queue_h;      /* time in queue of jobs that left it this interval */
    sim_twavg tw_waiting;   /* jobs waiting, time-weighted */
    double    s_arrived, s_started, s_finished, s_abandoned, s_queue_h, s_waiting;
} dc_count;

typedef struct region_state {
    double   wait_iv;      /* sum of firm job waits started this interval, h */
    uint64_t nwait_iv;
    double   wait_run;
    uint64_t nwait_run;
    double   wait_ab_run;  /* time in queue of abandoned firm jobs, h */
    uint64_t nwait_ab_run;
    double   util_sample;
    double   wait_sample;
    uint64_t waiting_sample;
} region_state;

struct economy {
    const config   *cfg;
    uint64_t        seed, rep;
    sim_engine     *eng;
    econ_sample_fn *on_sample;
    void           *sample_ctx;
    sim_type_id     ev[EV_COUNT];

    city_state     *city;
    dc_state       *dc;
    broker_index   *bx;             /* routes firm jobs; watches dc[] */
    dc_count       *cnt;
    int64_t        *pub_gpus;       /* [ndcs] public GPUs online */
    inv_state      *inv;            /* [ninvestments] */
    size_t          inv_base;       /* index of the first per-investment scalar */
    program_state  *prog;
    region_state    reg[REGION_COUNT];
    double          ref_full;       /* GPU-weighted mean price, all centers */

    firm           *firms;
    uint32_t        nfirms, capfirms, free_firm;
    job            *jobs;
    uint32_t        njobs, capjobs, free_job;
    double         *grantee;        /* subsidy received per granted firm */
    size_t          ngrantee, capgrantee;

    double          off_h;          /* start of the measurement window (= warm-up) */
    double          arr_end_h;      /* its end: the horizon; arrivals stop */
    double          end_h;          /* end of the run (with the cool-down) */
    int             measuring;      /* the window has started */
    int             snapped;        /* window scalars frozen at the horizon */
    double         *snap;           /* [nscalars] */
    /* calendar years of the window: per-year scalars when there are two or
     * more. yrec holds the cumulative flows at the window's start, at each
     * 1 January inside it and at the horizon (YR_COUNT + nprograms each). */
    int64_t         first_year;
    size_t          nyears;
    double         *yrec;
    size_t          nyrec;          /* rows recorded */
    size_t          year_base;      /* index of the first per-year scalar */
    double          last_sample_h;
    uint64_t        next_firm_id;
    uint64_t        firms_abandoned, vouchers_declined;
    uint64_t        jobs_submitted, jobs_finished, jobs_abandoned;
    double          subsidy_total, copay_total, gpu_hours_total;
    double          gpu_hours_additional, subsidy_deadweight, subsidy_micro_small;
    double          data_spend_total, data_subsidy_total;
    /* GPU-hours owed at the horizon (owed_scan): owed, of additional
     * firms, run of jobs in progress; then what firms awaiting a decision
     * at the horizon owe once they decide to buy (cool-down) */
    double          owed_h[3];
    double          owed_cool, owed_cool_add;
    int             owed_taken;     /* owed_h holds the horizon's values */

    econ_scalar_def *scalars;       /* one block with their names (scalar_list) */
    size_t          nscalars;
};

/* ---- series and scalars: the fixed lists ---- */

enum {
    S_DC_UTIL, S_DC_BUSY, S_DC_CAP, S_DC_RUNNING, S_DC_WAITING, S_DC_REVENUE,
    S_DC_ENERGY, S_DC_ENERGY_COST,
    S_DC_ARRIVED, S_DC_STARTED, S_DC_FINISHED, S_DC_ABANDONED, S_DC_MEAN_WAITING,
    S_DC_QUEUE_TIME, S_DC_PUBLIC,
    S_RG_UTIL, S_RG_WAITING, S_RG_WAIT,
    S_PG_REMAINING, S_PG_COMMITTED, S_PG_SPENT, S_PG_LAPSED, S_PG_TRANCHES,
    S_PG_ACTIVE, S_PG_APPLICATIONS, S_PG_GRANTS, S_PG_REFUSALS, S_PG_TURNED_AWAY,
    S_PG_RETURNED,
    S_CT_ARRIVED, S_CT_BUYING, S_CT_ADDITIONAL, S_CT_DEADWEIGHT, S_CT_SUBSIDY,
    S_CT_COPAY, S_CT_GPU_HOURS,
    S_CT_DATA_BUYING, S_CT_DATA_ADDITIONAL, S_CT_DATA_DEADWEIGHT, S_CT_DATA_SPEND,
    S_CT_DATA_SUBSIDY,
    S_COUNT
};

static const econ_series_def series_defs[S_COUNT] = {
    { GROUP_DATACENTER, "utilization", "1", "busy GPUs / capacity, time-weighted mean over the sample interval" },
    { GROUP_DATACENTER, "busy_gpus", "GPU", "GPUs running jobs at the sample time" },
    { GROUP_DATACENTER, "capacity_gpus", "GPU", "capacity at the sample time" },
    { GROUP_DATACENTER, "running_jobs", "jobs", "jobs running (firm and background)" },
    { GROUP_DATACENTER, "waiting_jobs", "jobs", "jobs waiting in the queue" },
    { GROUP_DATACENTER, "revenue", "CNY", "rent billed at job ends, cumulative" },
    { GROUP_DATACENTER, "energy", "kWh", "energy of busy GPUs incl. PUE, cumulative" },
    { GROUP_DATACENTER, "energy_cost", "CNY", "electricity cost, cumulative" },
    { GROUP_DATACENTER, "jobs_arrived", "jobs", "jobs that entered the center (started or queued) in the interval" },
    { GROUP_DATACENTER, "jobs_started", "jobs", "jobs started in the interval" },
    { GROUP_DATACENTER, "jobs_finished", "jobs", "jobs finished in the interval" },
    { GROUP_DATACENTER, "jobs_abandoned", "jobs", "queued jobs abandoned (patience ran out) in the interval" },
    { GROUP_DATACENTER, "mean_waiting", "jobs", "jobs waiting in the queue, time-weighted mean over the interval" },
    { GROUP_DATACENTER, "queue_time", "h", "time in queue of the jobs that left the queue (started or abandoned) in the interval, summed" },
    { GROUP_DATACENTER, "public_gpus", "GPU", "GPUs bought with public money (investments) online at the sample time" },
    { GROUP_REGION, "utilization", "1", "capacity-weighted utilization over the sample interval" },
    { GROUP_REGION, "waiting_jobs", "jobs", "jobs waiting in the region's queues" },
    { GROUP_REGION, "mean_wait", "h", "mean wait of firm jobs started in the interval (NaN if none)" },
    { GROUP_PROGRAM, "remaining", "CNY", "uncommitted budget" },
    { GROUP_PROGRAM, "committed", "CNY", "value left on open vouchers" },
    { GROUP_PROGRAM, "spent", "CNY", "subsidy paid, cumulative" },
    { GROUP_PROGRAM, "lapsed", "CNY", "unspent value of closed vouchers that lapsed, cumulative" },
    { GROUP_PROGRAM, "tranches", "CNY", "budget added by the timeline, cumulative" },
    { GROUP_PROGRAM, "vouchers_active", "vouchers", "vouchers open" },
    { GROUP_PROGRAM, "applications", "firms", "applications received, cumulative" },
    { GROUP_PROGRAM, "grants", "firms", "vouchers granted, cumulative" },
    { GROUP_PROGRAM, "refusals", "firms", "applications refused at decision (run out by then, or nothing to pay for), cumulative" },
    { GROUP_PROGRAM, "turned_away", "firms", "firms that found the program run out and did not apply, cumulative" },
    { GROUP_PROGRAM, "returned", "CNY", "uncommitted budget given back to the treasury at year ends (year_end: return), cumulative" },
    { GROUP_CITY, "firms_arrived", "firms", "firms arrived in the window, cumulative" },
    { GROUP_CITY, "firms_buying", "firms", "firms of the window that decided to buy compute, cumulative" },
    { GROUP_CITY, "firms_additional", "firms", "of those, buying only thanks to a voucher, cumulative" },
    { GROUP_CITY, "firms_deadweight", "firms", "of those, buying with a voucher, would have anyway, cumulative" },
    { GROUP_CITY, "subsidy", "CNY", "subsidy paid on the city's firms' bills, cumulative" },
    { GROUP_CITY, "copay", "CNY", "what the city's firms paid on their bills, cumulative" },
    { GROUP_CITY, "gpu_hours", "GPU-h", "GPU-hours of finished firm jobs, cumulative" },
    { GROUP_CITY, "firms_data_buying", "firms", "firms of the window that bought training data, cumulative" },
    { GROUP_CITY, "firms_data_additional", "firms", "of those, buying only thanks to a data voucher, cumulative" },
    { GROUP_CITY, "firms_data_deadweight", "firms", "of those, with a data voucher, would have bought anyway, cumulative" },
    { GROUP_CITY, "data_spend", "CNY", "training data bought (whole bill), cumulative" },
    { GROUP_CITY, "data_subsidy", "CNY", "data vouchers' share of those bills, cumulative" },
};

enum {
    T_FIRMS_ARRIVED, T_FIRMS_BUYING, T_FIRMS_ADDITIONAL, T_FIRMS_DEADWEIGHT,
    T_FIRMS_NOT_BUYING, T_FIRMS_PENDING,
    T_FIRMS_ABANDONED, T_VOUCHERS_DECLINED, T_SUBSIDY, T_COPAY, T_GPU_HOURS,
    T_GPU_HOURS_ADDITIONAL, T_GPU_HOURS_OWED, T_GPU_HOURS_OWED_ADD, T_GPU_HOURS_IN_PROGRESS,
    T_DEADWEIGHT_SHARE, T_SUBSIDY_PER_ADD_GPU_H,
    T_WAIT_EAST, T_WAIT_WEST, T_WAIT_ALL_EAST, T_WAIT_ALL_WEST,
    T_STARTED_EAST, T_STARTED_WEST,
    T_UTIL_EAST, T_UTIL_WEST, T_JOBS_WAITING_END, T_JOBS_RUNNING_END,
    T_DATA_BUYING, T_DATA_ADDITIONAL, T_DATA_DEADWEIGHT, T_DATA_SPEND, T_DATA_SUBSIDY,
    T_GINI, T_SHARE_MS,
    T_REVENUE, T_ENERGY, T_EVENTS, T_LEDGER_OK, T_COUNT
};

/* exhaustion_h, exhaustion_final_h, firms_granted, budget_left,
 * firms_additional, firms_deadweight, gpu_hours_additional */
enum { PER_PROGRAM = 7 };

/* With investments: these totals, then 2 per investment (used, idle). */
enum { IV_PUBLIC_GPUS, IV_GPU_H, IV_USED, IV_IDLE, IV_SPENT, IV_COST, IV_PER_YUAN_INV,
       IV_PER_YUAN_VOUCHER, IV_COUNT };
static const econ_scalar_def inv_defs[IV_COUNT] = {
    { "public_gpus_end", "GPU", "GPUs bought with public money online at the horizon" },
    { "public_gpu_hours", "GPU-h", "GPU-hours of public GPUs online in the window" },
    { "public_gpu_hours_used", "GPU-h", "busy GPU-hours attributed to public GPUs (their share of each center's capacity)" },
    { "public_gpu_hours_idle", "GPU-h", "public_gpu_hours - public_gpu_hours_used" },
    { "investment_spent", "CNY", "public money spent on GPUs online by the horizon (warm-up included)" },
    { "investment_cost_window", "CNY", "capital cost of the public GPU-hours of the window: cost per GPU x GPU-hours / lifetime" },
    { "gpu_hours_per_yuan_investment", "GPU-h/CNY", "public_gpu_hours_used / investment_cost_window" },
    { "gpu_hours_per_yuan_vouchers", "GPU-h/CNY", "gpu_hours_additional / subsidy_total (for the net effect compare with the counterfactual)" },
};

/* Flows kept per calendar year (then each program's spent). */
enum { YR_SUBSIDY, YR_DATA_SUBSIDY, YR_GPU_HOURS, YR_BUSY_EAST, YR_CAP_EAST, YR_BUSY_WEST,
       YR_CAP_WEST, YR_COUNT };
/* The per-year scalars: these, then spent.<program>.YYYY per program. */
enum { YS_SUBSIDY, YS_DATA_SUBSIDY, YS_GPU_HOURS, YS_UTIL_EAST, YS_UTIL_WEST, YS_COUNT };
static const econ_scalar_def year_defs[YS_COUNT] = {
    { "subsidy_total", "CNY", "subsidy paid on bills in the calendar year (within the window)" },
    { "data_subsidy_total", "CNY", "data vouchers paid in the calendar year (within the window)" },
    { "gpu_hours_total", "GPU-h", "GPU-hours of finished firm jobs in the calendar year (within the window)" },
    { "utilization_east", "1", "utilization of eastern centers in the calendar year (within the window)" },
    { "utilization_west", "1", "utilization of western centers in the calendar year (within the window)" },
};

/* Scalars of the window's cohort of firms, counted until the end of the
 * run (through the cool-down), and of the whole run; the others are
 * frozen at the horizon. */
static int scalar_is_cohort(size_t i, size_t per_program_end)
{
    switch (i) {
    case T_FIRMS_BUYING: case T_FIRMS_ADDITIONAL: case T_FIRMS_DEADWEIGHT:
    case T_FIRMS_NOT_BUYING: case T_FIRMS_PENDING: case T_VOUCHERS_DECLINED:
    case T_DATA_BUYING: case T_DATA_ADDITIONAL: case T_DATA_DEADWEIGHT:
    case T_GPU_HOURS_OWED: case T_GPU_HOURS_OWED_ADD:
    case T_EVENTS: case T_LEDGER_OK:
        return 1;
    }
    size_t k = (i - T_COUNT) % PER_PROGRAM;     /* firms_granted, _additional, _deadweight */
    return i >= T_COUNT && i < per_program_end && (k == 2 || k == 4 || k == 5);
}

static const econ_scalar_def total_defs[T_COUNT] = {
    { "firms_arrived", "firms", "firms arrived in all cities in the window" },
    { "firms_buying", "firms", "firms of the window that bought compute (decisions in the cool-down included)" },
    { "firms_additional", "firms", "of those, buying only thanks to a voucher" },
    { "firms_deadweight", "firms", "of those, with a voucher, would have bought anyway" },
    { "firms_not_buying", "firms", "firms of the window that decided not to buy compute" },
    { "firms_pending_decision", "firms", "firms of the window still waiting for a voucher decision at the end of the run" },
    { "firms_abandoned", "firms", "buying firms that gave up (patience, or no center fits a job)" },
    { "vouchers_declined", "vouchers", "vouchers given back by firms of the window: they would not buy with them (they may buy at full price)" },
    { "subsidy_total", "CNY", "subsidy paid on bills" },
    { "copay_total", "CNY", "what firms paid on their bills" },
    { "gpu_hours_total", "GPU-h", "GPU-hours of finished firm jobs" },
    { "gpu_hours_additional", "GPU-h", "GPU-hours of finished jobs of additional firms" },
    /* what is still owed at the horizon (owed_scan; output/README.md says
     * it whole: the file pads every description to the longest, 115) */
    { "gpu_hours_owed_at_horizon", "GPU-h",
      "GPU-hours owed to firms at the horizon: rest of running jobs, queued and unsubmitted jobs, cool-down buyers' jobs" },
    { "gpu_hours_owed_additional", "GPU-h", "of those, the GPU-hours owed to additional firms" },
    { "gpu_hours_in_progress", "GPU-h",
      "GPU-hours already run, by the horizon, of firm jobs still running then (not in gpu_hours_total)" },
    { "deadweight_share", "1", "share of the subsidy paid to deadweight firms" },
    { "subsidy_per_additional_gpu_hour", "CNY/GPU-h", "subsidy_total / gpu_hours_additional" },
    { "mean_wait_east_h", "h", "mean queue wait of firm jobs started in the east" },
    { "mean_wait_west_h", "h", "mean queue wait of firm jobs started in the west" },
    { "mean_wait_all_east_h", "h", "mean time in queue of firm jobs that left an eastern queue, abandoned ones included" },
    { "mean_wait_all_west_h", "h", "mean time in queue of firm jobs that left a western queue, abandoned ones included" },
    { "firm_jobs_started_east", "jobs", "firm jobs that started in the east in the window (the jobs behind mean_wait_east_h)" },
    { "firm_jobs_started_west", "jobs", "firm jobs that started in the west in the window (the jobs behind mean_wait_west_h)" },
    { "utilization_east", "1", "busy / capacity GPU-hours of eastern centers over the window" },
    { "utilization_west", "1", "busy / capacity GPU-hours of western centers over the window" },
    { "jobs_waiting_end", "jobs", "jobs (firm and background) waiting in queues at the horizon" },
    { "jobs_running_end", "jobs", "jobs (firm and background) running at the horizon" },
    { "firms_data_buying", "firms", "firms of the window that bought training data" },
    { "firms_data_additional", "firms", "of those, buying only thanks to a data voucher" },
    { "firms_data_deadweight", "firms", "of those, with a data voucher, would have bought anyway" },
    { "data_spend_total", "CNY", "training data bought (whole bills)" },
    { "data_subsidy_total", "CNY", "data vouchers' share of those bills" },
    { "gini_subsidy", "1", "Gini coefficient of the subsidy received by firms granted a voucher" },
    { "subsidy_share_micro_small", "1", "share of the subsidy paid to micro and small firms" },
    { "revenue_total", "CNY", "rent billed by all centers" },
    { "energy_kwh_total", "kWh", "energy used by all centers" },
    { "events", "events", "events the engine ran" },
    { "ledger_ok", "1", "1 when economy_check passes, else 0" },
};

static const char *const group_names[GROUP_COUNT] = { "datacenter", "region", "program", "city" };
static const char *const region_names[REGION_COUNT] = { "east", "west" };

static void year_record(economy *e, size_t k);
static double ratio_or_nan(double a, double b);
static double inv_value(const economy *e, size_t j);

/* Center di's busy GPUs or capacity changed: the GPU-hours of the public
 * GPUs there (their share of the capacity) follow. */
static void inv_touch(economy *e, uint32_t di)
{
    const dc_state *d = &e->dc[di];
    double t = sim_now(e->eng);
    for (size_t k = 0; k < e->cfg->ninvestments; k++) {
        const investment_cfg *ic = &e->cfg->investments[k];
        inv_state *v = &e->inv[k];
        if (ic->dc != di || !v->online)
            continue;
        double g = (double)ic->gpus;
        sim_twavg_set(&v->tw_avail, t, g);
        sim_twavg_set(&v->tw_used, t, d->capacity > 0
                      ? (double)d->busy * g / (double)d->capacity : 0.0);
    }
}

/* ---- pools ---- */

static uint32_t firm_alloc(economy *e)
{
    if (e->free_firm != NONE) {
        uint32_t i = e->free_firm;
        e->free_firm = e->firms[i].next_free;
        return i;
    }
    if (e->nfirms == e->capfirms) {
        uint32_t cap = e->capfirms ? 2 * e->capfirms : 1024;
        firm *f = realloc(e->firms, (size_t)cap * sizeof *f);
        if (!f)
            return NONE;
        memset(f + e->capfirms, 0, (size_t)(cap - e->capfirms) * sizeof *f);
        e->firms = f, e->capfirms = cap;
    }
    return e->nfirms++;
}

static void firm_release(economy *e, uint32_t i)
{
    e->firms[i].live = 0;
    e->firms[i].next_free = e->free_firm;
    e->free_firm = i;
}

static uint32_t job_alloc(economy *e)
{
    if (e->free_job != NONE) {
        uint32_t i = e->free_job;
        e->free_job = e->jobs[i].next_free;
        return i;
    }
    if (e->njobs == e->capjobs) {
        uint32_t cap = e->capjobs ? 2 * e->capjobs : 1024;
        job *j = realloc(e->jobs, (size_t)cap * sizeof *j);
        if (!j)
            return NONE;
        e->jobs = j, e->capjobs = cap;
    }
    return e->njobs++;
}

static void job_release(economy *e, uint32_t i)
{
    e->jobs[i].state = JOB_FREE;
    e->jobs[i].next_free = e->free_job;
    e->free_job = i;
}

static int grantee_add(economy *e, uint32_t *idx)
{
    if (e->ngrantee == e->capgrantee) {
        size_t cap = e->capgrantee ? 2 * e->capgrantee : 1024;
        double *g = realloc(e->grantee, cap * sizeof *g);
        if (!g)
            return SIM_ENOMEM;
        e->grantee = g, e->capgrantee = cap;
    }
    if (e->ngrantee >= NONE)
        return SIM_ENOMEM;
    e->grantee[e->ngrantee] = 0.0;
    *idx = (uint32_t)e->ngrantee++;
    return SIM_OK;
}

static int nomem(economy *e, const char *what)
{
    return sim_fail(e->eng, SIM_ENOMEM, "%s: out of memory", what);
}

/* Schedules event type ev (an EV_* index) at `at` (its handle in *h when h
 * is not NULL); on failure stops the run
 * with a message that tells a model bug (a time in the past or not a
 * number) from running out of memory. */
static int schedule_h(economy *e, double at, int ev, const void *payload, sim_handle *h,
                      const char *what)
{
    int rc = sim_schedule_h(e->eng, at, e->ev[ev], payload, h);
    if (rc == SIM_EINVAL)
        return sim_fail(e->eng, SIM_ECHECK, "%s: cannot schedule at t=%.6g h (now %.6g h): "
                        "a bug in the model", what, at, sim_now(e->eng));
    if (rc != SIM_OK)
        return nomem(e, what);
    return SIM_OK;
}

static int schedule(economy *e, double at, int ev, const void *payload, const char *what)
{
    return schedule_h(e, at, ev, payload, NULL, what);
}

/* ---- reference prices ---- */

/* GPU-weighted mean price over the centers with mask[i] (NULL: all);
 * NaN when they have no capacity. */
static double ref_price(const economy *e, const unsigned char *mask)
{
    double w = 0.0, wp = 0.0;
    for (size_t i = 0; i < e->cfg->ndcs; i++) {
        if (mask && !mask[i])
            continue;
        double g = (double)e->dc[i].capacity;
        w += g;
        wp += g * e->cfg->dcs[i].price;
    }
    return w > 0.0 ? wp / w : NAN;
}

static void refs_update(economy *e)
{
    e->ref_full = ref_price(e, NULL);
    for (size_t p = 0; p < e->cfg->nprograms; p++)
        e->prog[p].ref_price = ref_price(e, e->cfg->programs[p].accepts);
}

/* ---- data centers: starting and queueing ---- */

/* Starts job r, submitted at submit_h, on its center now. */
static int job_start(economy *e, const run_pl *r, double submit_h)
{
    dc_state *d = &e->dc[r->dc];
    double now = sim_now(e->eng);
    d->running++;
    dc_set_busy(d, now, d->busy + r->gpus);
    if (e->pub_gpus[r->dc])
        inv_touch(e, r->dc);
    e->cnt[r->dc].started++;
    e->cnt[r->dc].queue_h += now - submit_h;
    if (r->firm != NONE) {
        region_state *rg = &e->reg[e->cfg->dcs[r->dc].region];
        double w = now - submit_h;
        rg->wait_iv += w, rg->nwait_iv++;
        rg->wait_run += w, rg->nwait_run++;
        e->firms[r->firm].run_end_h = now + r->hours;
    }
    if (schedule(e, now + r->hours, EV_END, r, "job.end") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

/* Center di's count of waiting jobs changed now. */
static void waiting_changed(economy *e, uint32_t di)
{
    sim_twavg_set(&e->cnt[di].tw_waiting, sim_now(e->eng), (double)e->dc[di].waiting);
}

/* Starts jobs from the head of center di's queue while they fit, dropping
 * reneged entries; strict FIFO: a head that does not fit blocks the rest. */
static int dc_drain(economy *e, uint32_t di)
{
    dc_state *d = &e->dc[di];
    while (d->n) {
        uint32_t j = dc_queue_head(d);
        job *jb = &e->jobs[j];
        if (jb->state == JOB_GONE) {
            dc_queue_pop(d);
            job_release(e, j);
            continue;
        }
        if (jb->gpus > d->capacity - d->busy)
            break;
        dc_queue_pop(d);
        sim_cancel(e->eng, jb->renege);
        dc_wait_remove(d, jb->gpus);
        waiting_changed(e, di);
        run_pl r = { jb->dc, jb->firm, jb->gpus, jb->hours };
        double submit_h = jb->submit_h;
        job_release(e, j);
        int rc = job_start(e, &r, submit_h);
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

/* Job r arrives at its center now: starts at once, or waits (a job record
 * in the center's queue) for at most patience_h hours. */
static int dc_submit(economy *e, const run_pl *r, double patience_h)
{
    dc_state *d = &e->dc[r->dc];
    double now = sim_now(e->eng);
    e->cnt[r->dc].arrived++;
    if (dc_can_start(d, r->gpus))
        return job_start(e, r, now);
    uint32_t j = job_alloc(e);
    if (j == NONE)
        return nomem(e, "job pool");
    job *jb = &e->jobs[j];
    *jb = (job){ .firm = r->firm, .dc = r->dc, .gpus = r->gpus, .hours = r->hours,
                 .submit_h = now, .renege = SIM_HANDLE_NONE, .state = JOB_QUEUED };
    if (dc_queue_push(d, j) != SIM_OK)
        return nomem(e, "queue");
    dc_wait_add(d, r->gpus);
    waiting_changed(e, r->dc);
    pl2 pl = { j, 0 };
    if (schedule_h(e, now + patience_h, EV_RENEGE, &pl, &e->jobs[j].renege,
                   "job.renege") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

/* ---- firms ---- */

/* Closes firm fi's voucher if open; never_used sends the value back
 * whatever the program's on_expiry says. */
static void voucher_close(economy *e, firm *f, int never_used)
{
    if (!f->voucher_open)
        return;
    const program_cfg *pc = &e->cfg->programs[f->program];
    program_voucher_close(&e->prog[f->program], f->voucher_left,
                          never_used || pc->on_expiry == EXPIRY_RETURN);
    f->voucher_left = 0.0;
    f->voucher_open = 0;
}

/* Frees firm fi's slot once both its compute side and any data-voucher
 * application are over (pending events name the slot until then). */
static void firm_maybe_release(economy *e, uint32_t fi)
{
    const firm *f = &e->firms[fi];
    if (f->compute_done && !f->data_pending)
        firm_release(e, fi);
}

static void firm_done(economy *e, uint32_t fi)
{
    voucher_close(e, &e->firms[fi], 0);
    e->firms[fi].compute_done = 1;
    firm_maybe_release(e, fi);
}

static void firm_abandon(economy *e, uint32_t fi)
{
    e->firms_abandoned++;
    firm_done(e, fi);
}

/* Submits firm fi's next job, or closes the firm when none is left. */
static int firm_next_job(economy *e, uint32_t fi)
{
    firm *f = &e->firms[fi];
    if (f->next_job >= f->njobs) {
        firm_done(e, fi);
        return SIM_OK;
    }
    const job_spec *js = &f->jobs[f->next_job++];
    const config *cfg = e->cfg;
    broker_job bj = { f->city, js->kind, js->gpus,
                      cfg->cities[f->city].firms.kind[js->kind].latency_ms };
    e->jobs_submitted++;
    /* the same center as broker_route(cfg->routing, cfg, e->dc, allowed,
     * &bj) with allowed the program's accepts list when the voucher is open */
    long d = broker_index_route(e->bx, f->voucher_open ? f->program : -1, &bj);
    if (d < 0) {
        e->jobs_abandoned++;
        firm_abandon(e, fi);
        return SIM_OK;
    }
    run_pl r = { (uint32_t)d, fi, js->gpus, js->hours };
    f->run_end_h = NAN;                 /* queued, until job_start */
    return dc_submit(e, &r, f->patience_h);
}

/* Firm fi's decision, with a voucher worth v (0: refused or no program). */
static int firm_decide(economy *e, uint32_t fi, double v)
{
    firm *f = &e->firms[fi];
    city_state *cs = &e->city[f->city];
    int buys_full = e->ref_full <= f->reservation, buys = buys_full;
    f->decided = 1;
    if (f->cohort && f->program >= 0)
        cs->pending--;
    if (v > 0.0) {
        double ref_v = e->prog[f->program].ref_price;
        double eff = f->need_gpu_h > 0.0 ? (f->need_gpu_h * ref_v - v) / f->need_gpu_h : ref_v;
        if (eff <= f->reservation) {
            buys = 1;
            f->additional = !buys_full;
            f->deadweight = (uint8_t)buys_full;
        } else {
            /* The voucher's providers cost more, net, than buying anywhere
             * at full price: the firm gives it back and decides at full
             * price, as a refused firm does. */
            voucher_close(e, f, 1);
            if (f->cohort)
                e->vouchers_declined++;
        }
    }
    if (!buys) {
        if (f->cohort)
            cs->not_buying++;
        f->compute_done = 1;
        firm_maybe_release(e, fi);
        return SIM_OK;
    }
    if (f->owed_pending) {         /* decided in the cool-down: all its jobs owed */
        e->owed_cool += f->need_gpu_h;
        if (f->additional)
            e->owed_cool_add += f->need_gpu_h;
    }
    if (f->cohort) {
        cs->buying++;
        cs->additional += f->additional;
        cs->deadweight += f->deadweight;
        if (f->additional || f->deadweight) {   /* with its program's voucher */
            e->prog[f->program].cohort_additional += f->additional;
            e->prog[f->program].cohort_deadweight += f->deadweight;
        }
    }
    if (f->voucher_open) {
        program_state *ps = &e->prog[f->program];
        double at = sim_now(e->eng) + e->cfg->programs[f->program].validity_h;
        if (program_expiry_push(ps, at, fi, f->id) != SIM_OK)
            return nomem(e, "voucher expiry");
        if (!ps->exp_scheduled) {
            pl2 pl = { (uint32_t)f->program, 0 };
            if (schedule(e, at, EV_EXPIRE, &pl, "voucher.expire") != SIM_OK)
                return sim_engine_err(e->eng)->code;
            ps->exp_scheduled = 1;
        }
    }
    return firm_next_job(e, fi);
}

/* Grants firm fi what its program can give; returns the value (0: refused). */
static int firm_grant(economy *e, uint32_t fi, double *v)
{
    firm *f = &e->firms[fi];
    program_state *ps = &e->prog[f->program];
    double want = ps->coverage * f->need_gpu_h * ps->ref_price;
    if (ps->cap_per_firm < want)
        want = ps->cap_per_firm;
    if (!(want > 0.0))          /* also NaN: no accepted center has GPUs */
        want = 0.0;
    *v = program_grant(ps, want, sim_now(e->eng));
    if (*v > 0.0) {
        ps->cohort_grants += f->cohort;
        f->granted = 1;
        f->voucher_open = 1;
        f->voucher_left = *v;
        if (grantee_add(e, &f->grantee) != SIM_OK)
            return nomem(e, "grantees");
    }
    return SIM_OK;
}

/* Settles a finished job of firm fi billed bill yuan for gpu_h GPU-hours. */
static void firm_settle(economy *e, uint32_t fi, double bill, double gpu_h)
{
    firm *f = &e->firms[fi];
    city_state *cs = &e->city[f->city];
    double s = 0.0;
    if (f->voucher_open) {
        program_state *ps = &e->prog[f->program];
        s = program_spend(ps, &f->voucher_left, ps->coverage * bill);
    }
    double copay = bill - s;
    cs->subsidy += s, cs->copay += copay, cs->gpu_hours += gpu_h;
    e->subsidy_total += s, e->copay_total += copay, e->gpu_hours_total += gpu_h;
    if (f->additional) {
        e->gpu_hours_additional += gpu_h;
        e->prog[f->program].gpu_hours_additional += gpu_h;
    }
    if (f->deadweight)
        e->subsidy_deadweight += s;
    if (f->size == SIZE_MICRO || f->size == SIZE_SMALL)
        e->subsidy_micro_small += s;
    if (f->granted && f->grantee != NONE)
        e->grantee[f->grantee] += s;
}

/* ---- training data ---- */

/* Firm fi's training-data decision, with a data voucher worth v (0:
 * refused or no program): it buys when its net price per TB is at or
 * below what it would pay, at once and whole (no capacity involved); the
 * voucher pays its share of the bill and closes. */
static void data_decide(economy *e, uint32_t fi, double v)
{
    firm *f = &e->firms[fi];
    city_state *cs = &e->city[f->city];
    f->data_pending = 0;
    double bill = f->data_tb * f->data_price;
    int buys_full = f->data_tb > 0.0 && f->data_price <= f->data_res, buys = buys_full;
    int additional = 0, deadweight = 0;
    double s = 0.0;
    if (v > 0.0) {
        program_state *ps = &e->prog[f->data_program];
        const program_cfg *pc = &e->cfg->programs[f->data_program];
        double left = v;
        if (f->data_tb > 0.0 && (bill - v) / f->data_tb <= f->data_res) {
            buys = 1;
            additional = !buys_full, deadweight = buys_full;
            s = program_spend(ps, &left, ps->coverage * bill);
            program_voucher_close(ps, left, pc->on_expiry == EXPIRY_RETURN);
        } else {
            program_voucher_close(ps, left, 1);     /* never used: back */
            if (f->cohort)
                e->vouchers_declined++;
        }
    }
    if (buys) {
        cs->data_spend += bill, cs->data_subsidy += s;
        e->data_spend_total += bill, e->data_subsidy_total += s;
        if (f->cohort) {
            cs->data_buying++;
            cs->data_additional += additional;
            cs->data_deadweight += deadweight;
            if (additional || deadweight) {
                e->prog[f->data_program].cohort_additional += (uint64_t)additional;
                e->prog[f->data_program].cohort_deadweight += (uint64_t)deadweight;
            }
        }
    }
    firm_maybe_release(e, fi);
}

/* Grants firm fi a data voucher from its data program: coverage x the data
 * bill, up to the cap; returns the value (0: refused). */
static double data_grant(economy *e, uint32_t fi)
{
    firm *f = &e->firms[fi];
    program_state *ps = &e->prog[f->data_program];
    double want = ps->coverage * f->data_tb * f->data_price;
    if (ps->cap_per_firm < want)
        want = ps->cap_per_firm;
    if (!(want > 0.0))
        want = 0.0;
    double v = program_grant(ps, want, sim_now(e->eng));
    if (v > 0.0)
        ps->cohort_grants += f->cohort;
    return v;
}

/* ---- arrivals ---- */

/* Schedules city c's next arrival after t by inverting the cumulative
 * intensity of its piecewise-constant rate with one Exp(1) draw. The
 * rate's steps are dated from start; the first holds through the warm-up.
 * No arrivals after the horizon. */
static int schedule_arrival(economy *e, uint32_t c, double t)
{
    const city_cfg *cc = &e->cfg->cities[c];
    city_state *cs = &e->city[c];
    if (cc->nrate == 0)
        return SIM_OK;
    double x = gsl_ran_exponential(sim_rng_gsl(&cs->rng), 1.0);
    size_t i = cs->step;
    while (i + 1 < cc->nrate && e->off_h + cc->rate[i + 1].t_h <= t)
        i++;
    for (;;) {
        double end = i + 1 < cc->nrate ? e->off_h + cc->rate[i + 1].t_h : INFINITY;
        double lam = cc->rate[i].value;
        if (lam > 0.0) {
            double mass = lam * (end - t);
            if (x <= mass) {
                t += x / lam;
                break;
            }
            x -= mass;
        }
        if (i + 1 >= cc->nrate)
            return SIM_OK;              /* rate 0 from here on */
        t = end;
        i++;
    }
    cs->step = i;
    if (t > e->arr_end_h)
        return SIM_OK;
    pl2 pl = { c, 0 };
    if (schedule(e, t, EV_ARRIVE, &pl, "firm.arrive") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

/* The program firm f applies to at t for compute (data = 0) or training
 * data (data = 1): the first of its city of that kind, in config order,
 * that is open, takes the firm and has not run out. When every such
 * program has run out, the first of them that says `when_empty: apply`
 * (its applicants wait for a tranche, and are refused if none comes);
 * otherwise -1, and the first of them counts a firm turned away. */
static long program_for(economy *e, const firm *f, double t, int data)
{
    const config *cfg = e->cfg;
    long first = -1;
    for (size_t p = 0; p < cfg->nprograms; p++) {
        const program_cfg *pc = &cfg->programs[p];
        if (pc->city != f->city || e->prog[p].closed || (pc->kind == PROGRAM_DATA) != data)
            continue;
        if (!(t >= e->off_h + pc->open_h && t < e->off_h + pc->close_h))
            continue;
        if (!pc->eligible_size[f->size])
            continue;
        if (pc->research_only && f->track != TRACK_RESEARCH)
            continue;
        if (!program_is_empty(&e->prog[p]))
            return (long)p;
        if (first < 0)
            first = (long)p;
    }
    if (first < 0)
        return -1;
    if (cfg->programs[first].empty_apply)
        return first;
    program_turn_away(&e->prog[first], t);
    return -1;
}

static int on_arrive(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;                  /* the same as e->eng */
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    uint32_t c = pl.a;
    city_state *cs = &e->city[c];
    uint64_t n = cs->nfirm++;
    if (e->measuring)
        cs->arrived++;
    int rc = schedule_arrival(e, c, ev->time);
    if (rc != SIM_OK)
        return rc;
    uint32_t fi = firm_alloc(e);
    if (fi == NONE)
        return nomem(e, "firm pool");
    firm *f = &e->firms[fi];
    uint64_t key = sim_rng_mix(cs->firm_key, n);
    sim_rng r;
    sim_rng_init(&r, e->seed, e->rep, key);
    if (firm_draw(f, c, &e->cfg->cities[c].firms, sim_rng_gsl(&r)) != SIM_OK)
        return nomem(e, "firm jobs");
    f->id = e->next_firm_id++;
    f->cohort = (uint8_t)e->measuring;
    long p = -1, pd = -1;
    if (e->cfg->vouchers) {
        p = program_for(e, f, ev->time, 0);
        pd = f->wants_data ? program_for(e, f, ev->time, 1) : -1;
    }
    /* Approval delays come from streams of their own (one per kind), so
     * whether a firm applies moves none of its other draws. */
    if (pd >= 0) {
        sim_rng ra;
        sim_rng_init(&ra, e->seed, e->rep, sim_rng_mix(key, STREAM_APPROVAL + 1));
        firm_draw_approval(f, &e->cfg->programs[pd].approval_delay_h, sim_rng_gsl(&ra));
        f->data_program = (int32_t)pd;
        f->data_pending = 1;
        e->prog[pd].applications++;
        pl2 d = { fi, 1 };
        if (schedule(e, ev->time + f->approval_h, EV_DECIDE, &d, "firm.decide") != SIM_OK)
            return sim_engine_err(e->eng)->code;
    } else if (f->wants_data) {
        data_decide(e, fi, 0.0);
    }
    if (p < 0)
        return firm_decide(e, fi, 0.0);
    sim_rng ra;
    sim_rng_init(&ra, e->seed, e->rep, sim_rng_mix(key, STREAM_APPROVAL));
    firm_draw_approval(f, &e->cfg->programs[p].approval_delay_h, sim_rng_gsl(&ra));
    f->program = (int32_t)p;
    e->prog[p].applications++;
    cs->pending += f->cohort;
    pl2 d = { fi, 0 };
    if (schedule(e, ev->time + f->approval_h, EV_DECIDE, &d, "firm.decide") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

/* Program p's decision on firm fi's application (after the approval delay
 * or in a lottery round). */
static int decide_application(economy *e, uint32_t p, uint32_t fi)
{
    if (e->cfg->programs[p].kind == PROGRAM_DATA) {
        data_decide(e, fi, data_grant(e, fi));
        return SIM_OK;
    }
    double v;
    int rc = firm_grant(e, fi, &v);
    return rc != SIM_OK ? rc : firm_decide(e, fi, v);
}

static int on_decide(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    uint32_t fi = pl.a;
    int32_t p = pl.b ? e->firms[fi].data_program : e->firms[fi].program;
    if (e->cfg->programs[p].allocation == ALLOC_LOTTERY) {
        if (program_pending_push(&e->prog[p], fi) != SIM_OK)
            return nomem(e, "lottery");
        return SIM_OK;
    }
    return decide_application(e, (uint32_t)p, fi);
}

static int schedule_lottery(economy *e, uint32_t p, uint32_t k)
{
    const program_cfg *pc = &e->cfg->programs[p];
    if (!(pc->lottery_every_h > 0.0))
        return SIM_OK;
    /* a window that opened before the start: its first round from t = 0
     * on (an earlier one would be an event in the past) */
    double open = e->off_h + pc->open_h;
    if (open + (double)k * pc->lottery_every_h < 0.0) {
        double kmin = ceil(-open / pc->lottery_every_h);
        k = kmin < (double)UINT32_MAX ? (uint32_t)kmin : UINT32_MAX;
        while (k < UINT32_MAX && open + (double)k * pc->lottery_every_h < 0.0)
            k++;
    }
    /* rounds go on through the cool-down: applications made before the
     * horizon are decided */
    double t = e->off_h + pc->open_h + (double)k * pc->lottery_every_h;
    if (!(t >= 0.0) || t > e->end_h)
        return SIM_OK;
    pl2 pl = { p, k };
    if (schedule(e, t, EV_LOTTERY, &pl, "program.lottery") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

static int on_lottery(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    program_state *ps = &e->prog[pl.a];
    if (ps->npending > 1)
        gsl_ran_shuffle(sim_rng_gsl(&ps->rng), ps->pending, ps->npending, sizeof *ps->pending);
    size_t n = ps->npending;
    ps->npending = 0;                /* decisions never add applications */
    for (size_t i = 0; i < n; i++) {
        int rc = decide_application(e, pl.a, ps->pending[i]);
        if (rc != SIM_OK)
            return rc;
    }
    return schedule_lottery(e, pl.a, pl.b + 1);
}

/* ---- jobs ---- */

static int on_end(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    run_pl r;
    memcpy(&r, ev->payload, sizeof r);
    uint32_t di = r.dc, fi = r.firm;
    dc_state *d = &e->dc[di];
    double gpu_h = (double)r.gpus * r.hours;
    double bill = gpu_h * e->cfg->dcs[di].price;
    d->running--;
    dc_set_busy(d, ev->time, d->busy - r.gpus);
    if (e->pub_gpus[di])
        inv_touch(e, di);
    d->revenue += bill;
    e->jobs_finished++;
    e->cnt[di].finished++;
    int rc = dc_drain(e, di);       /* those waiting go before the firm's next job */
    if (rc != SIM_OK || fi == NONE)
        return rc;
    firm_settle(e, fi, bill, gpu_h);
    return firm_next_job(e, fi);
}

static int on_renege(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    job *jb = &e->jobs[pl.a];
    dc_state *d = &e->dc[jb->dc];
    uint32_t fi = jb->firm, di = jb->dc;
    jb->state = JOB_GONE;            /* released when it reaches the head */
    jb->firm = NONE;
    jb->renege = SIM_HANDLE_NONE;
    dc_wait_remove(d, jb->gpus);
    waiting_changed(e, di);
    e->jobs_abandoned++;
    double w = ev->time - jb->submit_h;
    e->cnt[di].abandoned++;
    e->cnt[di].queue_h += w;
    if (fi != NONE) {
        region_state *r = &e->reg[e->cfg->dcs[di].region];
        r->wait_ab_run += w, r->nwait_ab_run++;
    }
    if (fi != NONE)
        firm_abandon(e, fi);
    return dc_drain(e, di);
}

/* Closes program p's vouchers that expire now (in grant order), drops
 * entries of vouchers closed earlier, and schedules the next expiry. */
static int on_expire(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;                  /* the same as e->eng */
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    program_state *ps = &e->prog[pl.a];
    const program_expiry *x;
    ps->exp_scheduled = 0;
    while ((x = program_expiry_head(ps))) {
        firm *f = &e->firms[x->firm];
        int open = f->live && f->id == x->firm_id && f->voucher_open;
        if (open && x->at_h > ev->time)
            break;
        if (open)
            voucher_close(e, f, 0);
        program_expiry_pop(ps);
    }
    if (x) {
        if (schedule(e, x->at_h, EV_EXPIRE, &pl, "voucher.expire") != SIM_OK)
            return sim_engine_err(e->eng)->code;
        ps->exp_scheduled = 1;
    }
    return SIM_OK;
}

/* ---- programs, centers ---- */

static int on_change(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    program_change_apply(&e->prog[pl.a], &e->cfg->programs[pl.a].timeline[pl.b]);
    return SIM_OK;
}

static int schedule_bg(economy *e, uint32_t di, double t)
{
    const dc_cfg *c = &e->cfg->dcs[di];
    if (!(c->bg_rate > 0.0))
        return SIM_OK;
    t += gsl_ran_exponential(sim_rng_gsl(&e->dc[di].rng), 1.0 / c->bg_rate);
    if (t > e->arr_end_h)
        return SIM_OK;
    pl2 pl = { di, 0 };
    if (schedule(e, t, EV_BG, &pl, "bg.arrive") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

static int on_bg(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    uint32_t di = pl.a;
    const dc_cfg *c = &e->cfg->dcs[di];
    int rc = schedule_bg(e, di, ev->time);
    if (rc != SIM_OK)
        return rc;
    gsl_rng *r = sim_rng_gsl(&e->dc[di].rng);
    double g = dist_draw(&c->bg_gpus, r);
    double h = dist_draw(&c->bg_hours, r);
    double pat = dist_draw(&c->bg_patience_h, r);
    /* counts round up, at least 1; a draw beyond int64 (1e30, inf) is
     * simply too big for the center, not a wrapped negative count */
    int64_t gpus = !(g > 1.0) ? 1 : g < 9.0e18 ? (int64_t)ceil(g) : INT64_MAX;
    e->jobs_submitted++;
    if (gpus > e->dc[di].capacity) {
        e->jobs_abandoned++;
        return SIM_OK;
    }
    run_pl rj = { di, NONE, gpus, h > 0.0 ? h : 0.0 };
    return dc_submit(e, &rj, pat > 0.0 ? pat : 0.0);
}

/* Background demand already running at t = 0, as if it had been going on
 * for long (an M/G/inf system in equilibrium): Poisson(rate x mean hours)
 * jobs, each of a length drawn in proportion to its length (picked among
 * WARM_PICK draws by weight: the jobs found running are the long ones more
 * often) with a uniform share of it left. Jobs that do not fit are not
 * started. From its own stream, so the arrivals that follow are the same
 * with or without it. */
enum { WARM_PICK = 16 };

static int warm_start(economy *e, uint32_t di)
{
    const dc_cfg *c = &e->cfg->dcs[di];
    sim_rng rng;
    sim_rng_init(&rng, e->seed, e->rep, sim_rng_mix(STREAM_WARM, sim_rng_key(c->name)));
    gsl_rng *r = sim_rng_gsl(&rng);
    double mean_h = dist_mean(&c->bg_hours);
    if (!(c->bg_rate > 0.0 && mean_h > 0.0 && isfinite(mean_h)))
        return SIM_OK;
    unsigned n = gsl_ran_poisson(r, c->bg_rate * mean_h);
    for (unsigned k = 0; k < n; k++) {
        double g = dist_draw(&c->bg_gpus, r), len[WARM_PICK], sum = 0.0;
        for (int i = 0; i < WARM_PICK; i++) {
            double h = dist_draw(&c->bg_hours, r);
            len[i] = h > 0.0 && isfinite(h) ? h : 0.0;
            sum += len[i];
        }
        double u = gsl_rng_uniform(r) * sum, h = len[WARM_PICK - 1];
        for (int i = 0; i < WARM_PICK; i++)
            if ((u -= len[i]) < 0.0) {
                h = len[i];
                break;
            }
        double left = h * gsl_rng_uniform_pos(r);
        int64_t gpus = !(g > 1.0) ? 1 : g < 9.0e18 ? (int64_t)ceil(g) : INT64_MAX;
        if (!(sum > 0.0) || !dc_can_start(&e->dc[di], gpus))
            continue;
        e->jobs_submitted++;
        run_pl rj = { di, NONE, gpus, left };
        int rc = dc_submit(e, &rj, 0.0);         /* it fits: starts at once */
        if (rc != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

static int on_capacity(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    dc_set_capacity(&e->dc[pl.a], ev->time,
                    (int64_t)e->cfg->dcs[pl.a].gpus[pl.b].value + e->pub_gpus[pl.a]);
    inv_touch(e, pl.a);
    refs_update(e);
    return dc_drain(e, pl.a);
}

/* Investment pl.a: the decision (pl.b 0: the money is committed) or the
 * GPUs coming online (pl.b 1: spent on floor(amount / cost) GPUs, the
 * rest returned; the center's capacity grows). */
static int on_invest(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    const investment_cfg *ic = &e->cfg->investments[pl.a];
    inv_state *v = &e->inv[pl.a];
    if (pl.b == 0) {
        v->committed += v->pending;
        v->pending = 0.0;
        return SIM_OK;
    }
    double cost = (double)ic->gpus * ic->cost_per_gpu;
    v->spent += cost;
    v->returned += v->committed - cost;
    v->committed = 0.0;
    v->online = 1;
    dc_state *d = &e->dc[ic->dc];
    e->pub_gpus[ic->dc] += ic->gpus;
    dc_set_capacity(d, ev->time, d->capacity + ic->gpus);
    inv_touch(e, (uint32_t)ic->dc);
    refs_update(e);
    return dc_drain(e, (uint32_t)ic->dc);
}

/* ---- samples ---- */

/* The measurement window starts at t (the end of the warm-up): the
 * warm-up's interval is closed and dropped, and every flow and count
 * restarts from 0 while stocks (jobs running and waiting, vouchers, money
 * left) carry over. Firms that arrived before t are not the window's
 * cohort; their later decisions are not counted, their bills are. */
static void measure_start(economy *e, double t)
{
    const config *cfg = e->cfg;
    uint64_t stock = 0;
    for (size_t i = 0; i < cfg->ndcs; i++) {
        dc_state *d = &e->dc[i];
        dc_roll(d, &cfg->dcs[i], t, t - e->last_sample_h);
        d->busy_gpu_h = d->cap_gpu_h = d->revenue = d->energy_kwh = d->energy_cost = 0.0;
        dc_count *k = &e->cnt[i];
        k->arrived = k->started = k->finished = k->abandoned = 0;
        k->queue_h = 0.0;
        sim_twavg_roll(&k->tw_waiting, t);
        stock += d->running + d->waiting;
    }
    e->jobs_submitted = stock;
    e->jobs_finished = e->jobs_abandoned = 0;
    for (size_t c = 0; c < cfg->ncities; c++) {
        city_state *cs = &e->city[c];
        uint64_t nfirm = cs->nfirm;
        size_t rstep = cs->step;
        sim_rng rng = cs->rng;
        uint64_t key = cs->firm_key;
        *cs = (city_state){ .rng = rng, .firm_key = key, .nfirm = nfirm, .step = rstep };
    }
    for (size_t p = 0; p < cfg->nprograms; p++)
        program_measure_start(&e->prog[p], t);
    for (int r = 0; r < REGION_COUNT; r++) {
        region_state *rs = &e->reg[r];
        rs->wait_iv = rs->wait_run = rs->wait_ab_run = 0.0;
        rs->nwait_iv = rs->nwait_run = rs->nwait_ab_run = 0;
    }
    e->firms_abandoned = e->vouchers_declined = 0;
    e->subsidy_total = e->copay_total = e->gpu_hours_total = 0.0;
    e->gpu_hours_additional = e->subsidy_deadweight = e->subsidy_micro_small = 0.0;
    e->data_spend_total = e->data_subsidy_total = 0.0;
    e->ngrantee = 0;                /* the Gini is over the window's grants */
    for (uint32_t i = 0; i < e->nfirms; i++)
        e->firms[i].grantee = NONE;
    for (size_t k = 0; k < cfg->ninvestments; k++) {
        sim_twavg_roll(&e->inv[k].tw_used, t);
        sim_twavg_roll(&e->inv[k].tw_avail, t);
    }
    e->last_sample_h = t;
    e->measuring = 1;
    year_record(e, 0);
}

/* 1 January (pl.a: the year's index in the window, or NONE outside it):
 * programs with `year_end: return` give their uncommitted budget back,
 * before any appropriation of the new year (scheduled after this), and
 * the year's flows are recorded. */
static int on_year(sim_engine *eng, const sim_event *ev, void *state)
{
    (void)eng;
    economy *e = state;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    for (size_t p = 0; p < e->cfg->nprograms; p++)
        if (e->cfg->programs[p].year_end_return)
            program_year_end(&e->prog[p], ev->time);
    if (pl.a != NONE && e->measuring)
        year_record(e, pl.a);
    return SIM_OK;
}

/* GPU-hours owed at t (v[0]), of them to additional firms (v[1]), and
 * run by t of firm jobs still running (v[2]). A firm that has decided to
 * buy and is not done has one job in flight, jobs[next_job - 1], running
 * (run_end_h) or queued, and the jobs after it still to submit. Firms of
 * any arrival date, as gpu_hours_total counts their jobs. */
static void owed_scan(const economy *e, double t, double v[3])
{
    v[0] = v[1] = v[2] = 0.0;
    for (uint32_t i = 0; i < e->nfirms; i++) {
        const firm *f = &e->firms[i];
        if (!f->live || !f->decided || f->compute_done || f->next_job == 0)
            continue;
        const job_spec *js = &f->jobs[f->next_job - 1];
        double gh = (double)js->gpus * js->hours, owed = gh;
        if (isfinite(f->run_end_h)) {
            double left = (double)js->gpus * (f->run_end_h - t);
            owed = left < 0.0 ? 0.0 : left < gh ? left : gh;
            v[2] += gh - owed;
        }
        for (uint32_t k = f->next_job; k < f->njobs; k++)
            owed += (double)f->jobs[k].gpus * f->jobs[k].hours;
        v[0] += owed;
        if (f->additional)
            v[1] += owed;
    }
}

/* The horizon: what is owed now, and the firms awaiting a compute
 * decision, whose jobs are owed if they decide to buy (firm_decide). */
static void owed_take(economy *e, double t)
{
    owed_scan(e, t, e->owed_h);
    for (uint32_t i = 0; i < e->nfirms; i++) {
        firm *f = &e->firms[i];
        if (f->live && !f->decided && f->program >= 0)
            f->owed_pending = 1;
    }
    e->owed_taken = 1;
}

/* Owed scalar k (owed_scan's index) as of now: from the horizon on, the
 * horizon's values plus what firms deciding in the cool-down owe. */
static double owed_value(const economy *e, int k)
{
    if (e->owed_taken)
        return e->owed_h[k] + (k == 0 ? e->owed_cool : k == 1 ? e->owed_cool_add : 0.0);
    double v[3];
    owed_scan(e, e->eng ? sim_now(e->eng) : 0.0, v);
    return v[k];
}

static int on_sample(sim_engine *eng, const sim_event *ev, void *state)
{
    economy *e = state;
    const config *cfg = e->cfg;
    pl2 pl;
    memcpy(&pl, ev->payload, sizeof pl);
    /* The sample at the horizon is the window's last event: whatever else
     * is due then (a job ending at the horizon, scheduled after this
     * sample was) runs first, so the last row agrees with the totals. */
    if (ev->time >= e->arr_end_h && sim_next_time(eng) <= ev->time) {
        if (schedule(e, ev->time, EV_SAMPLE, &pl, "sample") != SIM_OK)
            return sim_engine_err(e->eng)->code;
        return SIM_OK;
    }
    double t = ev->time;
    if (pl.a == 0 && !pl.b)
        measure_start(e, t);
    /* The window's first row is taken after whatever else is due at its
     * first instant (1 January's year end and appropriations, a capacity
     * step), so that it shows the state the window opens with (the year's
     * pool, not the empty one before it is funded); the window starts,
     * and counts those events, before them as always. */
    if (pl.a == 0 && sim_next_time(eng) <= t) {
        pl.b = 1;
        if (schedule(e, t, EV_SAMPLE, &pl, "sample") != SIM_OK)
            return sim_engine_err(e->eng)->code;
        return SIM_OK;
    }
    double span = t - e->last_sample_h;
    double busy[REGION_COUNT] = { 0 }, cap[REGION_COUNT] = { 0 };
    uint64_t waiting[REGION_COUNT] = { 0 };
    for (size_t i = 0; i < cfg->ndcs; i++) {
        dc_state *d = &e->dc[i];
        dc_roll(d, &cfg->dcs[i], t, span);
        dc_count *k = &e->cnt[i];
        k->s_arrived = (double)k->arrived, k->s_started = (double)k->started;
        k->s_finished = (double)k->finished, k->s_abandoned = (double)k->abandoned;
        k->s_queue_h = k->queue_h;
        k->s_waiting = sim_twavg_roll(&k->tw_waiting, t);
        k->arrived = k->started = k->finished = k->abandoned = 0;
        k->queue_h = 0.0;
        region r = cfg->dcs[i].region;
        busy[r] += d->busy_sample;
        cap[r] += d->cap_sample;
        waiting[r] += d->waiting;
    }
    for (int r = 0; r < REGION_COUNT; r++) {
        region_state *rs = &e->reg[r];
        rs->util_sample = cap[r] > 0.0 ? busy[r] / cap[r] : NAN;
        rs->wait_sample = rs->nwait_iv ? rs->wait_iv / (double)rs->nwait_iv : NAN;
        rs->waiting_sample = waiting[r];
        rs->wait_iv = 0.0, rs->nwait_iv = 0;
    }
    e->last_sample_h = t;
    if (e->on_sample) {
        sim_err err = { 0 };
        int rc = e->on_sample(e->sample_ctx, e, t - e->off_h, &err);
        if (rc != SIM_OK)
            return sim_fail(eng, rc, "sample at t=%g h: %s", t - e->off_h,
                            err.code != SIM_OK ? err.msg : sim_strerror(rc));
    }
    if (t >= e->arr_end_h) {
        owed_take(e, t);
        year_record(e, e->nyears);
        for (size_t i = 0; i < e->nscalars; i++)      /* the window's totals */
            e->snap[i] = economy_scalar_value(e, i);
        e->snapped = 1;
        return SIM_OK;
    }
    double next = e->off_h + (double)(pl.a + 1) * cfg->sample_h;
    if (!(next < e->arr_end_h))
        next = e->arr_end_h;
    pl2 n = { pl.a + 1, 0 };
    if (schedule(e, next, EV_SAMPLE, &n, "sample") != SIM_OK)
        return sim_engine_err(e->eng)->code;
    return SIM_OK;
}

/* ---- public ---- */

static const sim_event_type ev_types[EV_COUNT] = {
    { "firm.arrive", sizeof(pl2), on_arrive },
    { "firm.decide", sizeof(pl2), on_decide },
    { "job.end", sizeof(run_pl), on_end },
    { "job.renege", sizeof(pl2), on_renege },
    { "voucher.expire", sizeof(pl2), on_expire },
    { "program.change", sizeof(pl2), on_change },
    { "program.lottery", sizeof(pl2), on_lottery },
    { "bg.arrive", sizeof(pl2), on_bg },
    { "dc.capacity", sizeof(pl2), on_capacity },
    { "sample", sizeof(pl2), on_sample },
    { "year", sizeof(pl2), on_year },
    { "investment", sizeof(pl2), on_invest },
};

/* The calendar years of cfg's window: the first, and how many. */
static size_t window_years(const config *cfg, int64_t *first_year)
{
    *first_year = scn_year_of_day(cfg->start_day);
    int64_t last_day = cfg->start_day + (int64_t)ceil(cfg->horizon_h / 24.0) - 1;
    return (size_t)(scn_year_of_day(last_day > cfg->start_day ? last_day : cfg->start_day)
                    - *first_year + 1);
}

/* The scalars of cfg over nyears calendar years from first_year, as one
 * malloc'd block (the defs, then their names), *n of them; where the
 * per-investment and per-year ones start. The one list both the economy
 * (scalars_init) and economy_scalar_list give. NULL: out of memory. */
static econ_scalar_def *scalar_list(const config *cfg, int64_t first_year, size_t nyears,
                                    size_t *n, size_t *inv_base, size_t *year_base)
{
    size_t np = cfg->nprograms, len = 0;
    for (size_t p = 0; p < np; p++)
        len += PER_PROGRAM * strlen(cfg->programs[p].name) + sizeof "exhaustion_h."
               + sizeof "exhaustion_final_h." + sizeof "firms_granted." + sizeof "budget_left."
               + sizeof "firms_additional." + sizeof "firms_deadweight."
               + sizeof "gpu_hours_additional.";
    size_t ny = nyears > 1 ? nyears : 0;
    for (size_t p = 0; p < np; p++)
        len += ny * (strlen(cfg->programs[p].name) + sizeof "spent..YYYYYY");
    for (size_t k = 0; k < YS_COUNT; k++)
        len += ny * (strlen(year_defs[k].name) + sizeof ".YYYYYY");
    size_t ni = cfg->ninvestments;
    for (size_t i = 0; i < ni; i++)
        len += 2 * strlen(cfg->investments[i].name) + sizeof "public_gpu_hours_used."
               + sizeof "public_gpu_hours_idle.";
    for (size_t k = 0; ni && k < IV_COUNT; k++)
        len += strlen(inv_defs[k].name) + 1;
    *inv_base = PER_PROGRAM * np + T_COUNT;
    *year_base = *inv_base + (ni ? IV_COUNT + 2 * ni : 0);
    *n = *year_base + ny * (YS_COUNT + np);
    econ_scalar_def *defs = malloc(*n * sizeof *defs + len + 1);
    if (!defs)
        return NULL;
    /* The totals first, then PER_PROGRAM per program: summaries read top down. */
    for (size_t i = 0; i < T_COUNT; i++)
        defs[i] = total_defs[i];
    char *s = (char *)(defs + *n);
    for (size_t p = 0; p < np; p++) {
        const char *name = cfg->programs[p].name;
        econ_scalar_def *d = &defs[T_COUNT + PER_PROGRAM * p];
        d[0] = (econ_scalar_def){ s, "h",
            "hours from start when it first ran out (a grant left, or an "
            "applicant found, less than exhausted_below; NaN: never)" };
        s += sprintf(s, "exhaustion_h.%s", name) + 1;
        d[1] = (econ_scalar_def){ s, "h",
            "when the money ran out for good: the last time it ran out, if not refilled "
            "before the horizon (NaN: money left)" };
        s += sprintf(s, "exhaustion_final_h.%s", name) + 1;
        d[2] = (econ_scalar_def){ s, "firms",
            "firms of the window granted a voucher by the program (cool-down included)" };
        s += sprintf(s, "firms_granted.%s", name) + 1;
        d[3] = (econ_scalar_def){ s, "CNY", "uncommitted budget at the horizon" };
        s += sprintf(s, "budget_left.%s", name) + 1;
        d[4] = (econ_scalar_def){ s, "firms",
            "of its grantees of the window, firms buying only thanks to its voucher "
            "(cool-down included)" };
        s += sprintf(s, "firms_additional.%s", name) + 1;
        d[5] = (econ_scalar_def){ s, "firms",
            "of its grantees of the window, firms using its voucher that would have bought "
            "anyway (cool-down included)" };
        s += sprintf(s, "firms_deadweight.%s", name) + 1;
        d[6] = (econ_scalar_def){ s, "GPU-h",
            "GPU-hours of finished jobs of its additional firms in the window "
            "(0 for a data program)" };
        s += sprintf(s, "gpu_hours_additional.%s", name) + 1;
    }
    /* Then, with investments, public capacity. */
    for (size_t k = 0; ni && k < IV_COUNT; k++) {
        defs[*inv_base + k] = (econ_scalar_def){ s, inv_defs[k].unit, inv_defs[k].desc };
        s += sprintf(s, "%s", inv_defs[k].name) + 1;
    }
    for (size_t i = 0; i < ni; i++) {
        econ_scalar_def *d = &defs[*inv_base + IV_COUNT + 2 * i];
        d[0] = (econ_scalar_def){ s, "GPU-h", "busy GPU-hours attributed to the investment's GPUs" };
        s += sprintf(s, "public_gpu_hours_used.%s", cfg->investments[i].name) + 1;
        d[1] = (econ_scalar_def){ s, "GPU-h", "GPU-hours its GPUs were online and idle" };
        s += sprintf(s, "public_gpu_hours_idle.%s", cfg->investments[i].name) + 1;
    }
    /* Then, over two or more calendar years, each year's flows. */
    for (size_t y = 0; y < ny; y++) {
        long long year = (long long)(first_year + (int64_t)y);
        econ_scalar_def *d = &defs[*year_base + y * (YS_COUNT + np)];
        for (size_t k = 0; k < YS_COUNT; k++) {
            d[k] = (econ_scalar_def){ s, year_defs[k].unit, year_defs[k].desc };
            s += sprintf(s, "%s.%lld", year_defs[k].name, year) + 1;
        }
        for (size_t p = 0; p < np; p++) {
            d[YS_COUNT + p] = (econ_scalar_def){ s, "CNY",
                "subsidy the program paid in the calendar year (within the window)" };
            s += sprintf(s, "spent.%s.%lld", cfg->programs[p].name, year) + 1;
        }
    }
    return defs;
}

static int scalars_init(economy *e)
{
    e->scalars = scalar_list(e->cfg, e->first_year, e->nyears, &e->nscalars, &e->inv_base,
                             &e->year_base);
    return e->scalars ? SIM_OK : SIM_ENOMEM;
}

econ_scalar_def *economy_scalar_list(const config *cfg, size_t *n)
{
    int64_t first_year;
    size_t nyears = window_years(cfg, &first_year), inv_base, year_base;
    return scalar_list(cfg, first_year, nyears, n, &inv_base, &year_base);
}

/* Records the cumulative flows of row k of yrec (k <= nyears). */
static void year_record(economy *e, size_t k)
{
    const config *cfg = e->cfg;
    size_t w = YR_COUNT + cfg->nprograms;
    if (k > e->nyears || !e->yrec)
        return;
    double *r = &e->yrec[k * w], t = sim_now(e->eng);
    r[YR_SUBSIDY] = e->subsidy_total;
    r[YR_DATA_SUBSIDY] = e->data_subsidy_total;
    r[YR_GPU_HOURS] = e->gpu_hours_total;
    r[YR_BUSY_EAST] = r[YR_CAP_EAST] = r[YR_BUSY_WEST] = r[YR_CAP_WEST] = 0.0;
    for (size_t d = 0; d < cfg->ndcs; d++) {
        int west = cfg->dcs[d].region == REGION_WEST;
        r[west ? YR_BUSY_WEST : YR_BUSY_EAST] += dc_busy_gpu_h(&e->dc[d], t);
        r[west ? YR_CAP_WEST : YR_CAP_EAST] += dc_cap_gpu_h(&e->dc[d], t);
    }
    for (size_t p = 0; p < cfg->nprograms; p++)
        r[YR_COUNT + p] = e->prog[p].spent;
    e->nyrec = k + 1;
}

/* Busy and online GPU-hours of investment k in the window so far. */
static void inv_hours(const economy *e, size_t k, double *used, double *avail)
{
    const inv_state *v = &e->inv[k];
    double t = e->eng ? sim_now(e->eng) : 0.0, span = t - v->tw_used.t_start;
    *used = span > 0.0 ? sim_twavg_mean(&v->tw_used, t) * span : 0.0;
    *avail = span > 0.0 ? sim_twavg_mean(&v->tw_avail, t) * span : 0.0;
}

/* Investment scalar j (IV_* then 2 per investment). */
static double inv_value(const economy *e, size_t j)
{
    const config *cfg = e->cfg;
    if (j >= IV_COUNT) {
        double used, avail;
        inv_hours(e, (j - IV_COUNT) / 2, &used, &avail);
        return (j - IV_COUNT) % 2 ? avail - used : used;
    }
    double gpus = 0.0, used = 0.0, avail = 0.0, spent = 0.0, cost = 0.0;
    for (size_t k = 0; k < cfg->ninvestments; k++) {
        double u, a;
        inv_hours(e, k, &u, &a);
        used += u, avail += a;
        spent += e->inv[k].spent;
        cost += cfg->investments[k].cost_per_gpu * a / cfg->investments[k].lifetime_h;
        if (e->inv[k].online)
            gpus += (double)cfg->investments[k].gpus;
    }
    switch (j) {
    case IV_PUBLIC_GPUS:      return gpus;
    case IV_GPU_H:            return avail;
    case IV_USED:             return used;
    case IV_IDLE:             return avail - used;
    case IV_SPENT:            return spent;
    case IV_COST:             return cost;
    case IV_PER_YUAN_INV:     return ratio_or_nan(used, cost);
    default:                  return ratio_or_nan(e->gpu_hours_additional, e->subsidy_total);
    }
}

/* Per-year scalar j of year y: the difference of two records. */
static double year_value(const economy *e, size_t y, size_t j)
{
    size_t w = YR_COUNT + e->cfg->nprograms;
    if (y + 1 >= e->nyrec)
        return NAN;
    const double *a = &e->yrec[y * w], *b = &e->yrec[(y + 1) * w];
    switch (j) {
    case YS_SUBSIDY:      return b[YR_SUBSIDY] - a[YR_SUBSIDY];
    case YS_DATA_SUBSIDY: return b[YR_DATA_SUBSIDY] - a[YR_DATA_SUBSIDY];
    case YS_GPU_HOURS:    return b[YR_GPU_HOURS] - a[YR_GPU_HOURS];
    case YS_UTIL_EAST:    return ratio_or_nan(b[YR_BUSY_EAST] - a[YR_BUSY_EAST],
                                              b[YR_CAP_EAST] - a[YR_CAP_EAST]);
    case YS_UTIL_WEST:    return ratio_or_nan(b[YR_BUSY_WEST] - a[YR_BUSY_WEST],
                                              b[YR_CAP_WEST] - a[YR_CAP_WEST]);
    default:              return b[YR_COUNT + j - YS_COUNT] - a[YR_COUNT + j - YS_COUNT];
    }
}

economy *economy_new(const config *cfg, uint64_t seed, uint64_t rep, sim_err *err)
{
    economy *e = calloc(1, sizeof *e);
    if (!e)
        goto nomem;
    e->cfg = cfg, e->seed = seed, e->rep = rep;
    e->free_firm = e->free_job = NONE;
    e->off_h = cfg->warmup_h;
    e->arr_end_h = cfg->warmup_h + cfg->horizon_h;
    e->end_h = e->arr_end_h + cfg->cooldown_h;
    e->nyears = window_years(cfg, &e->first_year);
    e->city = calloc(cfg->ncities ? cfg->ncities : 1, sizeof *e->city);
    /* on a line boundary: each center on lines of its own (datacenter.h) */
    size_t dcbytes = (cfg->ndcs ? cfg->ndcs : 1) * sizeof *e->dc;
    if ((e->dc = aligned_alloc(64, dcbytes)))
        memset(e->dc, 0, dcbytes);
    e->cnt = calloc(cfg->ndcs ? cfg->ndcs : 1, sizeof *e->cnt);
    e->prog = calloc(cfg->nprograms ? cfg->nprograms : 1, sizeof *e->prog);
    e->pub_gpus = calloc(cfg->ndcs ? cfg->ndcs : 1, sizeof *e->pub_gpus);
    e->inv = calloc(cfg->ninvestments ? cfg->ninvestments : 1, sizeof *e->inv);
    if (!e->city || !e->dc || !e->cnt || !e->prog || !e->pub_gpus || !e->inv)
        goto nomem;
    for (size_t k = 0; k < cfg->ninvestments; k++)
        e->inv[k].pending = cfg->investments[k].amount;
    for (size_t c = 0; c < cfg->ncities; c++) {
        uint64_t key = sim_rng_key(cfg->cities[c].name);
        e->city[c].firm_key = sim_rng_mix(STREAM_FIRM, key);
        sim_rng_init(&e->city[c].rng, seed, rep, sim_rng_mix(STREAM_ARRIVALS, key));
    }
    for (size_t i = 0; i < cfg->ndcs; i++) {
        uint64_t key = sim_rng_mix(STREAM_DC, sim_rng_key(cfg->dcs[i].name));
        if (dc_init(&e->dc[i], &cfg->dcs[i], seed, rep, key) != SIM_OK)
            goto nomem;
    }
    if (!(e->bx = broker_index_new(cfg, cfg->routing, e->dc)))
        goto nomem;
    for (size_t p = 0; p < cfg->nprograms; p++)
        program_init(&e->prog[p], &cfg->programs[p], seed, rep,
                     sim_rng_mix(STREAM_PROGRAM, sim_rng_key(cfg->programs[p].name)));
    for (int r = 0; r < REGION_COUNT; r++)
        e->reg[r].util_sample = e->reg[r].wait_sample = NAN;
    refs_update(e);
    if (scalars_init(e) != SIM_OK)
        goto nomem;
    if (!(e->snap = calloc(e->nscalars, sizeof *e->snap))
        || !(e->yrec = calloc((e->nyears + 1) * (YR_COUNT + cfg->nprograms), sizeof *e->yrec)))
        goto nomem;
    return e;
nomem:
    economy_free(e);
    sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "economy: out of memory");
    return NULL;
}

void economy_free(economy *e)
{
    if (!e)
        return;
    broker_index_free(e->bx);
    if (e->dc)
        for (size_t i = 0; i < e->cfg->ndcs; i++)
            dc_fini(&e->dc[i]);
    if (e->prog)
        for (size_t p = 0; p < e->cfg->nprograms; p++)
            program_fini(&e->prog[p]);
    for (uint32_t i = 0; i < e->nfirms; i++)
        firm_fini(&e->firms[i]);
    free(e->firms);
    free(e->jobs);
    free(e->grantee);
    free(e->city);
    free(e->dc);
    free(e->cnt);
    free(e->pub_gpus);
    free(e->inv);
    free(e->snap);
    free(e->yrec);
    free(e->prog);
    free(e->scalars);
    free(e);
}

void economy_on_sample(economy *e, econ_sample_fn *fn, void *ctx)
{
    e->on_sample = fn;
    e->sample_ctx = ctx;
}

static int schedule_all(economy *e);

int economy_register(economy *e, sim_engine *eng, sim_err *err)
{
    const config *cfg = e->cfg;
    int rc = SIM_OK;
    if (e->eng) {
        rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "economy_register: called twice");
        goto out;
    }
    if (!(cfg->sample_h > 0.0) || !(cfg->horizon_h >= 0.0)) {
        rc = sim_err_set(err, SIM_EINVAL, NULL, 0, 0,
                         "economy_register: sample interval and horizon must be positive");
        goto out;
    }
    e->eng = eng;
    rc = schedule_all(e);
    if (rc != SIM_OK) {
        if (sim_engine_err(eng)->code != SIM_OK)
            rc = sim_err_set(err, rc, NULL, 0, 0, "%s", sim_engine_err(eng)->msg);
        else
            rc = sim_err_set(err, rc, NULL, 0, 0, "economy_register: %s", sim_strerror(rc));
    }
out:
    return rc;
}

/* Prefetch hints (sim_set_prefetch): job.end reads its center's state
 * first, job.renege its job record. They change nothing. */
static uint32_t key_end(const void *payload)
{
    run_pl r;
    memcpy(&r, payload, sizeof r);
    return r.dc;
}

static uint32_t key_pl2(const void *payload)
{
    pl2 pl;
    memcpy(&pl, payload, sizeof pl);
    return pl.a;
}

static void prefetch_dc(uint32_t i, void *state)
{
    const economy *e = state;
    if (i < e->cfg->ndcs) {
        const dc_state *d = &e->dc[i];
        __builtin_prefetch(d);
        __builtin_prefetch(&d->tw_util);
        __builtin_prefetch(&d->tw_busy);
        __builtin_prefetch(&e->cnt[i]);
        __builtin_prefetch(&e->cfg->dcs[i].price);
    }
}

static void prefetch_bg(uint32_t i, void *state)
{
    const economy *e = state;
    if (i < e->cfg->ndcs) {
        const dc_state *d = &e->dc[i];
        const dc_cfg *c = &e->cfg->dcs[i];
        __builtin_prefetch(d);
        __builtin_prefetch(&d->rng);
        __builtin_prefetch(&c->bg_rate);
        __builtin_prefetch(&c->bg_hours);
        __builtin_prefetch(&c->bg_patience_h);
    }
}

static void prefetch_job(uint32_t i, void *state)
{
    const economy *e = state;
    if (i < e->capjobs) {
        __builtin_prefetch(&e->jobs[i]);
        __builtin_prefetch((const char *)&e->jobs[i] + sizeof(job) - 1);
    }
}

/* Registers the event types and schedules the first events. */
static int schedule_all(economy *e)
{
    const config *cfg = e->cfg;
    sim_engine *eng = e->eng;
    int rc = SIM_OK;
    for (int i = 0; i < EV_COUNT; i++)
        if ((rc = sim_register(eng, &ev_types[i], e, &e->ev[i])) != SIM_OK)
            return rc;
    /* job.end reads its center first, job.renege its job record: fetch
     * them early */
    if ((rc = sim_set_prefetch(eng, e->ev[EV_END], key_end, prefetch_dc)) != SIM_OK
        || (rc = sim_set_prefetch(eng, e->ev[EV_RENEGE], key_pl2, prefetch_job)) != SIM_OK
        || (rc = sim_set_prefetch(eng, e->ev[EV_BG], key_pl2, prefetch_bg)) != SIM_OK)
        return rc;
    for (uint32_t i = 0; i < cfg->ndcs; i++)
        if (cfg->dcs[i].bg_warm && (rc = warm_start(e, i)) != SIM_OK)
            return rc;
    pl2 pl = { 0, 0 };
    if ((rc = sim_schedule(eng, e->off_h, e->ev[EV_SAMPLE], &pl)) != SIM_OK)
        return rc;
    for (uint32_t c = 0; c < cfg->ncities; c++)
        if ((rc = schedule_arrival(e, c, 0.0)) != SIM_OK)
            return rc;
    for (uint32_t i = 0; i < cfg->ndcs; i++) {
        if ((rc = schedule_bg(e, i, 0.0)) != SIM_OK)
            return rc;
        for (size_t k = e->dc[i].next_step; k < cfg->dcs[i].ngpus; k++) {
            pl2 cp = { i, (uint32_t)k };
            double t = e->off_h + cfg->dcs[i].gpus[k].t_h;
            if (t <= e->arr_end_h
                && (rc = sim_schedule(eng, t, e->ev[EV_CAPACITY], &cp)) != SIM_OK)
                return rc;
        }
    }
    for (uint32_t k = 0; k < cfg->ninvestments; k++) {
        const investment_cfg *ic = &cfg->investments[k];
        double t0 = e->off_h + ic->date_h, t1 = t0 + ic->lead_h;
        pl2 a = { k, 0 }, b = { k, 1 };
        if ((rc = sim_schedule(eng, t0 > 0.0 ? t0 : 0.0, e->ev[EV_INVEST], &a)) != SIM_OK)
            return rc;
        if (t1 <= e->arr_end_h
            && (rc = sim_schedule(eng, t1 > 0.0 ? t1 : 0.0, e->ev[EV_INVEST], &b)) != SIM_OK)
            return rc;
    }
    /* every 1 January of the run, before the timelines (a year end goes
     * before the new year's appropriation) */
    int64_t y0 = scn_year_of_day(cfg->start_day - (int64_t)floor(e->off_h / 24.0));
    for (int64_t y = y0 + 1;; y++) {
        double t = e->off_h + (double)(scn_year_start_day(y) - cfg->start_day) * 24.0;
        if (t > e->end_h)
            break;
        if (t <= 0.0)
            continue;
        size_t k = (size_t)(y - e->first_year);
        pl2 yp = { t > e->off_h && t < e->arr_end_h ? (uint32_t)k : NONE, 0 };
        if ((rc = sim_schedule(eng, t, e->ev[EV_YEAR], &yp)) != SIM_OK)
            return rc;
    }
    for (uint32_t p = 0; p < cfg->nprograms; p++) {
        const program_cfg *pc = &cfg->programs[p];
        for (size_t k = 0; k < pc->ntimeline; k++) {
            pl2 cp = { p, (uint32_t)k };
            double t = e->off_h + pc->timeline[k].t_h;
            if (!(t > 0.0))
                t = 0.0;
            if (t <= e->arr_end_h
                && (rc = sim_schedule(eng, t, e->ev[EV_CHANGE], &cp)) != SIM_OK)
                return rc;
        }
        if (pc->allocation == ALLOC_LOTTERY && (rc = schedule_lottery(e, p, 1)) != SIM_OK)
            return rc;
    }
    return SIM_OK;
}

int economy_check(const economy *e, sim_err *err)
{
    const config *cfg = e->cfg;
    for (size_t p = 0; p < cfg->nprograms; p++) {
        int rc = program_ledger_check(&e->prog[p], cfg->programs[p].name, err);
        if (rc != SIM_OK)
            return rc;
    }
    for (size_t k = 0; k < cfg->ninvestments; k++) {
        const inv_state *v = &e->inv[k];
        double out = v->pending + v->committed + v->spent + v->returned;
        double tol = program_ledger_tol(cfg->investments[k].amount);
        if (!(fabs(cfg->investments[k].amount - out) <= tol) || v->returned < -tol)
            return sim_err_set(err, SIM_ECHECK, NULL, 0, 0,
                               "ledger: investment %s: amount %.0f != pending %.2f + committed "
                               "%.2f + spent %.2f + returned %.2f", cfg->investments[k].name,
                               cfg->investments[k].amount, v->pending, v->committed, v->spent,
                               v->returned);
    }
    uint64_t running = 0, waiting = 0;
    for (size_t i = 0; i < cfg->ndcs; i++) {
        const dc_state *d = &e->dc[i];
        if (d->overcap || d->busy > d->capacity || d->busy < 0)
            return sim_err_set(err, SIM_ECHECK, NULL, 0, 0,
                               "data center %s: %lld busy GPUs, capacity %lld (was above "
                               "capacity during the run)", cfg->dcs[i].name,
                               (long long)d->busy, (long long)d->capacity);
        running += d->running;
        waiting += d->waiting;
    }
    uint64_t accounted = e->jobs_finished + running + waiting + e->jobs_abandoned;
    if (accounted != e->jobs_submitted)
        return sim_err_set(err, SIM_ECHECK, NULL, 0, 0,
                           "jobs: %llu submitted != %llu finished + %llu running + "
                           "%llu waiting + %llu abandoned",
                           (unsigned long long)e->jobs_submitted,
                           (unsigned long long)e->jobs_finished, (unsigned long long)running,
                           (unsigned long long)waiting, (unsigned long long)e->jobs_abandoned);
    return SIM_OK;
}

size_t economy_group_size(const economy *e, econ_group g)
{
    switch (g) {
    case GROUP_DATACENTER: return e->cfg->ndcs;
    case GROUP_REGION:     return REGION_COUNT;
    case GROUP_PROGRAM:    return e->cfg->nprograms;
    case GROUP_CITY:       return e->cfg->ncities;
    case GROUP_COUNT:      break;
    }
    return 0;
}

const char *economy_entity_name(const economy *e, econ_group g, size_t i)
{
    if (i >= economy_group_size(e, g))
        return NULL;
    switch (g) {
    case GROUP_DATACENTER: return e->cfg->dcs[i].name;
    case GROUP_REGION:     return region_names[i];
    case GROUP_PROGRAM:    return e->cfg->programs[i].name;
    case GROUP_CITY:       return e->cfg->cities[i].name;
    case GROUP_COUNT:      break;
    }
    return NULL;
}

const char *economy_group_name(econ_group g)
{
    return (unsigned)g < GROUP_COUNT ? group_names[g] : "?";
}

size_t economy_series_count(const economy *e)
{
    (void)e;
    return S_COUNT;
}

const econ_series_def *economy_series(const economy *e, size_t i)
{
    (void)e;
    return i < S_COUNT ? &series_defs[i] : NULL;
}

void economy_series_row(const economy *e, size_t s, double *row)
{
    const config *cfg = e->cfg;
    if (s >= S_COUNT)
        return;
    size_t n = economy_group_size(e, series_defs[s].group);
    for (size_t i = 0; i < n; i++) {
        const dc_state *d = series_defs[s].group == GROUP_DATACENTER ? &e->dc[i] : NULL;
        const region_state *r = series_defs[s].group == GROUP_REGION ? &e->reg[i] : NULL;
        const program_state *p = series_defs[s].group == GROUP_PROGRAM ? &e->prog[i] : NULL;
        const city_state *c = series_defs[s].group == GROUP_CITY ? &e->city[i] : NULL;
        double v = NAN;
        switch (s) {
        case S_DC_UTIL:         v = d->util_sample; break;
        case S_DC_BUSY:         v = (double)d->busy; break;
        case S_DC_CAP:          v = (double)d->capacity; break;
        case S_DC_RUNNING:      v = d->running; break;
        case S_DC_WAITING:      v = d->waiting; break;
        case S_DC_REVENUE:      v = d->revenue; break;
        case S_DC_ENERGY:       v = d->energy_kwh; break;
        case S_DC_ENERGY_COST:  v = d->energy_cost; break;
        case S_DC_ARRIVED:      v = e->cnt[i].s_arrived; break;
        case S_DC_STARTED:      v = e->cnt[i].s_started; break;
        case S_DC_FINISHED:     v = e->cnt[i].s_finished; break;
        case S_DC_ABANDONED:    v = e->cnt[i].s_abandoned; break;
        case S_DC_MEAN_WAITING: v = e->cnt[i].s_waiting; break;
        case S_DC_QUEUE_TIME:   v = e->cnt[i].s_queue_h; break;
        case S_DC_PUBLIC:       v = (double)e->pub_gpus[i]; break;
        case S_RG_UTIL:         v = r->util_sample; break;
        case S_RG_WAITING:      v = (double)r->waiting_sample; break;
        case S_RG_WAIT:         v = r->wait_sample; break;
        case S_PG_REMAINING:    v = p->remaining; break;
        case S_PG_COMMITTED:    v = p->committed; break;
        case S_PG_SPENT:        v = p->spent; break;
        case S_PG_LAPSED:       v = p->lapsed; break;
        case S_PG_TRANCHES:     v = p->tranches; break;
        case S_PG_ACTIVE:       v = (double)p->vouchers_active; break;
        case S_PG_APPLICATIONS: v = (double)p->applications; break;
        case S_PG_GRANTS:       v = (double)p->grants; break;
        case S_PG_REFUSALS:     v = (double)p->refusals; break;
        case S_PG_TURNED_AWAY:  v = (double)p->turned_away; break;
        case S_PG_RETURNED:     v = p->returned; break;
        case S_CT_ARRIVED:      v = (double)c->arrived; break;
        case S_CT_BUYING:       v = (double)c->buying; break;
        case S_CT_ADDITIONAL:   v = (double)c->additional; break;
        case S_CT_DEADWEIGHT:   v = (double)c->deadweight; break;
        case S_CT_SUBSIDY:      v = c->subsidy; break;
        case S_CT_COPAY:        v = c->copay; break;
        case S_CT_GPU_HOURS:    v = c->gpu_hours; break;
        case S_CT_DATA_BUYING:  v = (double)c->data_buying; break;
        case S_CT_DATA_ADDITIONAL: v = (double)c->data_additional; break;
        case S_CT_DATA_DEADWEIGHT: v = (double)c->data_deadweight; break;
        case S_CT_DATA_SPEND:   v = c->data_spend; break;
        case S_CT_DATA_SUBSIDY: v = c->data_subsidy; break;
        }
        row[i] = v;
    }
    (void)cfg;
}

size_t economy_scalar_count(const economy *e)
{
    return e->nscalars;
}

const econ_scalar_def *economy_scalar(const economy *e, size_t i)
{
    return i < e->nscalars ? &e->scalars[i] : NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Gini coefficient of the subsidy received by granted firms. */
static double gini(const economy *e)
{
    size_t n = e->ngrantee;
    if (n == 0)
        return NAN;
    double *x = malloc(n * sizeof *x);
    if (!x)
        return NAN;
    memcpy(x, e->grantee, n * sizeof *x);
    qsort(x, n, sizeof *x, cmp_double);
    double sum = 0.0, wsum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
        wsum += (double)(i + 1) * x[i];
    }
    free(x);
    if (!(sum > 0.0))
        return NAN;
    return 2.0 * wsum / ((double)n * sum) - (double)(n + 1) / (double)n;
}

static double ratio_or_nan(double a, double b)
{
    return b > 0.0 ? a / b : NAN;
}

static double mean_or_nan(double sum, uint64_t n)
{
    return n ? sum / (double)n : NAN;
}

/* Scalar i as of now. */
static double scalar_now(const economy *e, size_t i)
{
    const config *cfg = e->cfg;
    if (i >= e->year_base) {
        size_t per = YS_COUNT + cfg->nprograms;
        return year_value(e, (i - e->year_base) / per, (i - e->year_base) % per);
    }
    if (i >= e->inv_base)
        return inv_value(e, i - e->inv_base);
    if (i >= T_COUNT) {
        const program_state *ps = &e->prog[(i - T_COUNT) / PER_PROGRAM];
        switch ((i - T_COUNT) % PER_PROGRAM) {
        case 0:  return ps->exhaustion_h - e->off_h;
        case 1:  return program_final_exhaustion_h(ps) - e->off_h;
        case 2:  return (double)ps->cohort_grants;
        case 3:  return ps->remaining;
        case 4:  return (double)ps->cohort_additional;
        case 5:  return (double)ps->cohort_deadweight;
        default: return ps->gpu_hours_additional;
        }
    }
    double t = e->eng ? sim_now(e->eng) : 0.0;
    uint64_t arrived = 0, buying = 0, additional = 0, deadweight = 0, not_buying = 0;
    uint64_t pending = 0, dbuy = 0, dadd = 0, ddw = 0;
    for (size_t c = 0; c < cfg->ncities; c++) {
        const city_state *cs = &e->city[c];
        arrived += cs->arrived;
        buying += cs->buying;
        additional += cs->additional;
        deadweight += cs->deadweight;
        not_buying += cs->not_buying;
        pending += cs->pending;
        dbuy += cs->data_buying;
        dadd += cs->data_additional;
        ddw += cs->data_deadweight;
    }
    uint64_t waiting = 0, running = 0;
    double busy[REGION_COUNT] = { 0 }, cap[REGION_COUNT] = { 0 };
    double revenue = 0.0, energy = 0.0;
    for (size_t d = 0; d < cfg->ndcs; d++) {
        region r = cfg->dcs[d].region;
        double b = dc_busy_gpu_h(&e->dc[d], t);
        busy[r] += b;
        cap[r] += dc_cap_gpu_h(&e->dc[d], t);
        revenue += e->dc[d].revenue;
        energy += b * cfg->dcs[d].gpu_kw * cfg->dcs[d].pue;
        waiting += e->dc[d].waiting;
        running += e->dc[d].running;
    }
    const region_state *re = &e->reg[REGION_EAST], *rw = &e->reg[REGION_WEST];
    switch (i) {
    case T_FIRMS_ARRIVED:        return (double)arrived;
    case T_FIRMS_BUYING:         return (double)buying;
    case T_FIRMS_ADDITIONAL:     return (double)additional;
    case T_FIRMS_DEADWEIGHT:     return (double)deadweight;
    case T_FIRMS_NOT_BUYING:     return (double)not_buying;
    case T_FIRMS_PENDING:        return (double)pending;
    case T_FIRMS_ABANDONED:      return (double)e->firms_abandoned;
    case T_VOUCHERS_DECLINED:    return (double)e->vouchers_declined;
    case T_SUBSIDY:              return e->subsidy_total;
    case T_COPAY:                return e->copay_total;
    case T_GPU_HOURS:            return e->gpu_hours_total;
    case T_GPU_HOURS_ADDITIONAL: return e->gpu_hours_additional;
    case T_GPU_HOURS_OWED:       return owed_value(e, 0);
    case T_GPU_HOURS_OWED_ADD:   return owed_value(e, 1);
    case T_GPU_HOURS_IN_PROGRESS: return owed_value(e, 2);
    case T_DEADWEIGHT_SHARE:     return ratio_or_nan(e->subsidy_deadweight, e->subsidy_total);
    case T_SUBSIDY_PER_ADD_GPU_H: return ratio_or_nan(e->subsidy_total, e->gpu_hours_additional);
    case T_WAIT_EAST:            return mean_or_nan(re->wait_run, re->nwait_run);
    case T_WAIT_WEST:            return mean_or_nan(rw->wait_run, rw->nwait_run);
    case T_WAIT_ALL_EAST:        return mean_or_nan(re->wait_run + re->wait_ab_run,
                                                    re->nwait_run + re->nwait_ab_run);
    case T_WAIT_ALL_WEST:        return mean_or_nan(rw->wait_run + rw->wait_ab_run,
                                                    rw->nwait_run + rw->nwait_ab_run);
    case T_STARTED_EAST:         return (double)re->nwait_run;
    case T_STARTED_WEST:         return (double)rw->nwait_run;
    case T_UTIL_EAST:            return ratio_or_nan(busy[REGION_EAST], cap[REGION_EAST]);
    case T_UTIL_WEST:            return ratio_or_nan(busy[REGION_WEST], cap[REGION_WEST]);
    case T_JOBS_WAITING_END:     return (double)waiting;
    case T_JOBS_RUNNING_END:     return (double)running;
    case T_DATA_BUYING:          return (double)dbuy;
    case T_DATA_ADDITIONAL:      return (double)dadd;
    case T_DATA_DEADWEIGHT:      return (double)ddw;
    case T_DATA_SPEND:           return e->data_spend_total;
    case T_DATA_SUBSIDY:         return e->data_subsidy_total;
    case T_GINI:                 return gini(e);
    case T_SHARE_MS:             return ratio_or_nan(e->subsidy_micro_small, e->subsidy_total);
    case T_REVENUE:              return revenue;
    case T_ENERGY:               return energy;
    case T_EVENTS:               return e->eng ? (double)sim_events_run(e->eng) : 0.0;
    case T_LEDGER_OK:            return economy_check(e, NULL) == SIM_OK ? 1.0 : 0.0;
    }
    return NAN;
}

double economy_scalar_value(const economy *e, size_t i)
{
    if (i >= e->nscalars)
        return NAN;
    if (e->snapped && !scalar_is_cohort(i, e->inv_base))
        return e->snap[i];
    return scalar_now(e, i);
}

double economy_end_h(const economy *e)
{
    return e->end_h;
}
