/* models/config.h - a scenario as validated, immutable structs.
 *
 * config.c reads the YAML tree of scenario.h into these structs, checking
 * every value and reporting errors as "path:line:col: key.path: message".
 * Times are hours from the scenario's start date (t = 0 at 00:00 of
 * start); money is yuan (CNY); prices are yuan per GPU-hour. The economy
 * (economy.h) only reads a config; one config serves many replications at
 * once, from several threads. scenarios/README.md documents every key. */
#ifndef MODELS_CONFIG_H
#define MODELS_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "models/dist.h"
#include "sim/err.h"

/* Region of a data center or city. */
typedef enum { REGION_EAST = 0, REGION_WEST = 1, REGION_COUNT } region;

/* Firm size classes (eligibility and the micro/small subsidy share). */
typedef enum { SIZE_MICRO = 0, SIZE_SMALL, SIZE_MEDIUM, SIZE_COUNT } firm_size;

/* Job kinds. Inference is latency-bound; training and fine-tuning are not. */
typedef enum { JOB_TRAINING = 0, JOB_FINETUNE, JOB_INFERENCE, JOB_KIND_COUNT } job_kind;

/* Broker routing policies of the national computing network. */
typedef enum {
    ROUTE_NEAREST = 0,     /* lowest latency to the firm's city */
    ROUTE_CHEAPEST,        /* lowest price per GPU-hour */
    ROUTE_LEAST_LOADED,    /* lowest (busy + queued GPUs) / capacity */
    ROUTE_LATENCY_AWARE,   /* inference: least loaded within its latency
                              bound; training and fine-tuning: least loaded
                              anywhere (so they may go west) */
    ROUTE_WEST_FIRST,      /* least loaded western center with room now,
                              else least loaded overall */
    ROUTE_COUNT
} route_policy;

typedef enum { ALLOC_FCFS = 0, ALLOC_LOTTERY } alloc_rule;

/* What becomes of a voucher's unspent value when it closes (expiry, or the
 * firm's last job done or abandoned). */
typedef enum { EXPIRY_LAPSE = 0, EXPIRY_RETURN } expiry_rule;

typedef enum { TRACK_GENERAL = 0, TRACK_RESEARCH } firm_track;

typedef enum { PROGRAM_COMPUTE = 0, PROGRAM_DATA, PROGRAM_RESEARCH } program_kind;

/* A step in a piecewise-constant schedule: value holds from t_h on. */
typedef struct step {
    double t_h;
    double value;
} step;

/* One kind of job a firm may run. */
typedef struct job_profile {
    double share;          /* share of a firm's jobs of this kind (sums to 1) */
    dist   gpus;           /* GPUs per job (rounded up to a whole GPU, >= 1) */
    dist   hours;          /* hours per job */
    double latency_ms;     /* latency bound; INFINITY when none */
} job_profile;

/* Training data a firm may buy (from a data exchange or vendor): no
 * data-center capacity is involved. Every firm draws all four values, in
 * this order, whether or not it wants data, so streams stay aligned. */
typedef struct data_profile {
    double share;          /* share of firms that want training data */
    dist   amount;         /* TB of data wanted */
    dist   price;          /* yuan per TB the vendor asks this firm */
    dist   reservation;    /* yuan per TB the firm would pay */
} data_profile;

/* What firms arriving in a city are like. */
typedef struct firm_profile {
    double      size_share[SIZE_COUNT];  /* shares of arrivals, sum to 1 */
    double      research_share;          /* share on the research track */
    dist        jobs;                    /* jobs per firm (rounded, >= 1) */
    job_profile kind[JOB_KIND_COUNT];
    dist        reservation_price;       /* yuan per GPU-hour the firm would pay */
    dist        patience_h;              /* how long a job may wait before the
                                            firm gives up */
    data_profile data;                   /* training data it may buy */
} firm_profile;

typedef struct city_cfg {
    char        *name;
    region       region;
    char        *hub;
    step        *rate;        /* firm arrivals per hour, piecewise; rate[0].t_h == 0 */
    size_t       nrate;
    firm_profile firms;
} city_cfg;

typedef struct dc_cfg {
    char   *name;
    region  region;
    char   *hub;
    step   *gpus;             /* capacity in GPUs, piecewise, never falling */
    size_t  ngpus;
    double  price;            /* yuan per GPU-hour */
    double  electricity_price;/* yuan per kWh */
    double  pue;              /* power usage effectiveness, >= 1 */
    double  gpu_kw;           /* power draw of a busy GPU, kW */
    double *latency_ms;       /* [ncities]: latency to each city */
    int     certified;        /* accepted by programs open to "certified" providers */
    /* background (non-voucher) demand: its own Poisson stream of jobs */
    double  bg_rate;          /* jobs per hour */
    dist    bg_gpus;
    dist    bg_hours;
    dist    bg_patience_h;
    int     bg_warm;          /* 1: start with background jobs already running */
} dc_cfg;

/* A dated change to a program. Fields that are NaN / negative leave the
 * value as it is. */
typedef struct program_change {
    double t_h;
    double add_budget;        /* yuan added (a tranche), 0 if none */
    double coverage;          /* new coverage rate, NaN to keep */
    double cap_per_firm;      /* new cap, NaN to keep */
    int    close;             /* 1: no new applications from t_h on */
} program_change;

typedef struct program_cfg {
    char          *name;
    size_t         city;           /* index into config.cities */
    program_kind   kind;
    double         budget;         /* initial budget, yuan (appropriations
                                      come as timeline entries) */
    double         coverage;       /* share of the bill paid, 0..1 */
    double         cap_per_firm;   /* yuan; INFINITY when none */
    double         validity_h;     /* voucher life from grant */
    double         open_h;         /* application window [open_h, close_h) */
    double         close_h;
    dist           approval_delay_h;
    alloc_rule     allocation;
    double         lottery_every_h;/* with ALLOC_LOTTERY: rounds every so often */
    int            eligible_size[SIZE_COUNT]; /* 1 when the size may apply */
    int            research_only;  /* 1: only research-track firms */
    unsigned char *accepts;        /* [ndcs]: 1 when the program pays bills there */
    expiry_rule    on_expiry;
    double         exhausted_below;/* yuan: with less uncommitted the program
                                      has run out (takes no applications
                                      unless empty_apply); NaN: the mean
                                      voucher it has granted (1 yuan before
                                      its first grant) */
    int            empty_apply;    /* 1: firms apply to a program that has
                                      run out (they wait for a tranche);
                                      0: they learn at once and decide at
                                      full price */
    int            year_end_return;/* 1: on each 1 January the uncommitted
                                      budget goes back to the treasury
                                      (year_end: return); 0: it carries over */
    program_change *timeline;      /* in time order; appropriations are
                                      entries with add_budget */
    size_t         ntimeline;
} program_cfg;

/* Capacity bought with public money: GPUs added to a data center (an
 * existing one, or a new one declared with `gpus: 0`) once built. */
typedef struct investment_cfg {
    char   *name;
    size_t  dc;               /* index into config.dcs */
    double  amount;           /* yuan committed */
    double  cost_per_gpu;     /* yuan per GPU, built and installed */
    int64_t gpus;             /* floor(amount / cost_per_gpu) */
    double  date_h;           /* decision: the money is committed */
    double  lead_h;           /* build time: GPUs online at date_h + lead_h */
    double  lifetime_h;       /* over which the capital cost is spread */
} investment_cfg;

/* One varied parameter of a sweep: key path (as for --set) and a range
 * or, for a grid, a list of values. lo, hi and the values are kept as
 * text so they take the key's unit ("30M", "60d") and names
 * ("west_first"); `vouchsim sweep` parses them as it parses --vary. */
typedef struct sweep_var {
    char    *key;             /* "programs.shandong.budget" */
    char    *lo, *hi;         /* "30M", "1.03B"; NULL for a list */
    unsigned n;               /* grid points (>= 2); 0 for lhs/sobol and lists */
    char    *values;          /* a list "v1,v2,..." (a YAML sequence joined); NULL: a range */
    char    *where;           /* "file:line:col: sweep.vary.KEY" of the value, for errors */
} sweep_var;

typedef enum { SWEEP_GRID = 0, SWEEP_LHS, SWEEP_SOBOL } sweep_design;

typedef struct sweep_cfg {
    sweep_design design;
    unsigned     samples;     /* lhs: points; sobol: base samples N */
    sweep_var   *vars;
    size_t       nvars;       /* 0: no sweep in the scenario */
} sweep_cfg;

typedef struct config {
    char        *name;
    char        *description;
    int64_t      start_day;        /* days since 1970-01-01 of t = 0 */
    double       horizon_h;        /* the measurement window is [0, horizon_h] */
    double       warmup_h;         /* simulated before start, never recorded */
    double       cooldown_h;       /* after the horizon: no arrivals, pending
                                      decisions and running jobs go on */
    double       sample_h;         /* sampling interval */
    uint64_t     seed;
    unsigned     replications;     /* default for `run` without --replications */
    route_policy routing;
    int          vouchers;         /* 0: programs switched off (counterfactual) */
    city_cfg    *cities;
    size_t       ncities;
    dc_cfg      *dcs;
    size_t       ndcs;
    program_cfg *programs;
    size_t       nprograms;
    investment_cfg *investments;
    size_t       ninvestments;
    sweep_cfg    sweep;
} config;

/* The longest run a scenario (or --until) may ask for, in years of 365
 * days: one sanity bound of scenarios/README.md, "Limits". */
#define CONFIG_MAX_HORIZON_Y 1000

struct scn_doc;

/* Builds a config from a loaded scenario, validating every key. Returns
 * NULL and fills err (code SIM_EINVAL, message with position) on bad input,
 * or NULL with SIM_ENOMEM. */
config *config_from_scenario(const struct scn_doc *doc, sim_err *err);

/* Frees c; NULL is a no-op. */
void config_free(config *c);

/* Index of the city / data center / program called name, or -1. */
long config_city_index(const config *c, const char *name);
long config_dc_index(const config *c, const char *name);
long config_program_index(const config *c, const char *name);
long config_investment_index(const config *c, const char *name);

/* Names for enum values, as written in scenarios ("east", "latency_aware"). */
const char *config_region_name(region r);
const char *config_size_name(firm_size s);
const char *config_job_kind_name(job_kind k);
const char *config_route_name(route_policy p);

/* The validator's own lists, for the scenario schema (models/schema.h):
 * the known keys of a mapping ("top", "program", "datacenter", ...) or the
 * names of an enumeration ("enum:region", "enum:routing", ...), as
 * NULL-terminated static arrays; NULL for an unknown name. */
const char *const *config_schema_list(const char *name);

/* Formats t_h as an ISO date ("2025-07-01") or, with hours, as
 * "2025-07-01T06:00" into buf (at least 20 bytes). Returns buf. */
char *config_format_time(const config *c, double t_h, char *buf, size_t size);

#endif
