/* models/config.c - the scenario schema: from a YAML tree to a config.
 *
 * Walks the tree of scenario.h key by key as scenarios/README.md documents
 * it, applies defaults, converts units (dates to hours from start, rates per
 * day to per hour, durations to hours, money to yuan) and checks ranges and
 * cross-references (cities, data centers, hubs), reporting the first problem
 * at its position. scenario.c does the YAML; the economy reads the result. */
#include "models/config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"

static const char *const top_keys[] = {
    "name", "description", "start", "horizon", "end", "seed", "replications",
    "sample_interval", "routing", "vouchers", "firms", "cities", "datacenters",
    "programs", "sweep", "warmup", "cooldown", "investments", "optimize", NULL
};
static const char *const investment_keys[] = {
    "name", "datacenter", "amount", "cost_per_gpu", "date", "lead_time", "lifetime", NULL
};
/* The `optimize` section is read by tools/cmd_optimize.c (through
 * config_schema_list), not here: its keys live here so that the schema and
 * the validator share one list. */
static const char *const optimize_keys[] = {
    "maximize", "minimize", "subject_to", "vary", "delta", "alpha", "n0", NULL
};
static const char *const profile_keys[] = {
    "sizes", "research_share", "jobs", "job_mix", "training", "finetune",
    "inference", "reservation_price", "patience", "data", NULL
};
static const char *const data_keys[] = { "share", "amount", "price", "reservation_price", NULL };
/* GPU counts are kept as doubles in steps; 2^53 is exact there and far
 * beyond any data center. */
#define MAX_GPUS (1LL << 53)

/* Sanity bounds on values that set how long a run loops or how much it
 * allocates (scenarios/README.md, "Limits"). They hold whatever --max-*
 * says: beyond them a value is a typo, not a scenario. */
#define MAX_HORIZON_Y    CONFIG_MAX_HORIZON_Y  /* years simulated */
#define MAX_HORIZON_H    (MAX_HORIZON_Y * 8760.0)
#define MIN_SAMPLE_H     (1.0 / 60.0)       /* one minute */
#define MAX_PER_DAY      1e9                /* arrivals a day, of a city or a center */
#define MAX_JOBS_FIRM    1e6                /* jobs of one firm (each is allocated) */
#define MAX_JOB_H        MAX_HORIZON_H      /* hours of one job */
/* Lists: the latency table is cities x data centers and the uniqueness
 * check compares every pair of names, so 30,000 cities and data centers
 * in a 3 MB file took minutes and gigabytes. */
#define MAX_CITIES       1000
#define MAX_DCS          2000
/* Programs: each adds 7 scalars (and one per calendar year) to the result
 * file's scalar table, which holds at most about 222 programs even with
 * one-character names over one year (tools/load.c checks the real size
 * before a run, output/writer.h OUT_SCALARS_MAX_BYTES): a longer list can
 * never run. */
#define MAX_PROGRAMS     250
/* Names of cities, data centers, programs and investments, and hubs, in
 * bytes: they become entity names and coordinates, and scalar names with
 * a prefix of up to 22 bytes (public_gpu_hours_used.NAME), which readers
 * take up to 256 bytes (output/reader.h); 128 leaves room for that and
 * for --set and --vary keys that name an item (cities.NAME.firms....). */
#define MAX_NAME         128

static const char *const job_keys[] = { "gpus", "hours", "latency_bound", NULL };
static const char *const city_keys[] = { "name", "region", "hub", "arrivals", "firms", NULL };
static const char *const arrival_keys[] = { "from", "per_day", NULL };
static const char *const dc_keys[] = {
    "name", "region", "hub", "gpus", "capacity", "price", "electricity_price", "pue",
    "gpu_power", "latency", "certified", "background", NULL
};
static const char *const capacity_keys[] = { "date", "gpus", NULL };
static const char *const background_keys[] = { "per_day", "gpus", "hours", "patience",
                                                "warm_start", NULL };
static const char *const program_keys[] = {
    "name", "city", "kind", "budget", "coverage", "cap_per_firm", "validity", "window",
    "approval_delay", "allocation", "lottery_every", "eligible_sizes", "research_only",
    "accepts", "on_expiry", "timeline", "exhausted_below", "when_empty", "appropriations",
    "year_end", NULL
};
static const char *const approp_keys[] = { "per_year", "from", "to", NULL };
static const char *const approp_item_keys[] = { "year", "amount", NULL };
static const char *const year_end_names[] = { "carry_over", "return", NULL };
static const char *const when_empty_names[] = { "turn_away", "apply", NULL };
static const char *const window_keys[] = { "open", "close", NULL };
static const char *const accepts_keys[] = { "datacenters", "region", "hub", NULL };
static const char *const accepts_names[] = { "certified", "any", NULL };
static const char *const change_keys[] = {
    "date", "add_budget", "coverage", "cap_per_firm", "close", NULL
};
static const char *const sweep_keys[] = { "design", "samples", "vary", NULL };

static const char *const region_names[] = { "east", "west", NULL };
static const char *const size_names[] = { "micro", "small", "medium", NULL };
static const char *const job_kind_names[] = { "training", "finetune", "inference", NULL };
static const char *const route_names[] = {
    "nearest", "cheapest", "least_loaded", "latency_aware", "west_first", NULL
};
static const char *const program_kind_names[] = { "compute", "data", "research", NULL };
static const char *const alloc_names[] = { "fcfs", "lottery", NULL };
static const char *const expiry_names[] = { "lapse", "return", NULL };
static const char *const design_names[] = { "grid", "lhs", "sobol", NULL };
static const char *const dist_names[] = {
    "fixed", "uniform", "exponential", "lognormal", "gamma", "normal", "triangular", NULL
};

/* Defaults of README.md. */
static const double default_sizes[SIZE_COUNT] = { 0.5, 0.35, 0.15 };
static const double default_mix[JOB_KIND_COUNT] = { 0.2, 0.5, 0.3 };
static const double default_job_gpus[JOB_KIND_COUNT] = { 8, 8, 2 };
static const double default_job_median_h[JOB_KIND_COUNT] = { 200, 24, 720 };
static const double default_job_sigma[JOB_KIND_COUNT] = { 1.0, 0.7, 0.5 };
static const double default_latency_bound[JOB_KIND_COUNT] = { INFINITY, INFINITY, 10 };
static const double default_electricity[REGION_COUNT] = { 0.6, 0.4 };
static const double default_pue[REGION_COUNT] = { 1.25, 1.2 };

#define SHARE_TOL 0.001

typedef enum { U_NUMBER = 0, U_DURATION, U_MONEY } unit;

/* ---- small helpers ---- */

static char *dupstr(const char *s, sim_err *err)
{
    char *p = strdup(s ? s : "");
    if (!p)
        sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    return p;
}

static int nomem(sim_err *err)
{
    return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
}

static const scn_node *pick(const scn_node *a, const scn_node *b, const char *key)
{
    const scn_node *n = scn_get(a, key);
    return n ? n : scn_get(b, key);
}

/* The closest of n names to s when close enough to be a typo, else NULL. */
static const char *suggest(const char *s, const char *const *names, size_t n)
{
    const char *best = NULL;
    size_t bd = (size_t)-1, len = strlen(s);
    for (size_t i = 0; i < n; i++) {
        size_t d = scn_edit_distance(s, names[i]);
        if (d < bd) {
            bd = d;
            best = names[i];
        }
    }
    return best && bd <= 2 && bd < len ? best : NULL;
}

static int unknown_ref(sim_err *err, const scn_node *n, const char *what, const char *s,
                       const char *const *names, size_t count)
{
    const char *near = suggest(s, names, count);
    if (near)
        return scn_error(err, SIM_EINVAL, n, "unknown %s '%s' (did you mean '%s'?)", what, s, near);
    return scn_error(err, SIM_EINVAL, n, "unknown %s '%s'", what, s);
}

static const char *date_text(int64_t day, char *buf)
{
    return scn_format_date(day, buf, 16);
}

static int parse_value(const scn_node *n, unit u, double *out, sim_err *err)
{
    switch (u) {
    case U_DURATION: return scn_parse_duration(n, out, err);
    case U_MONEY:    return scn_parse_money(n, out, err);
    default:         return scn_parse_double(n, 0.0, INFINITY, out, err);
    }
}

/* A parameter of a dist mapping in the unit of the key. */
static int dist_param(const scn_node *map, const char *key, unit u, double *out, sim_err *err)
{
    const scn_node *n = scn_get(map, key);
    if (!n)
        return scn_error(err, SIM_EINVAL, map, "missing required key '%s'", key);
    return parse_value(n, u, out, err);
}

/* A value (fixed) or a {dist: ...} mapping; see dist.h and the README. */
static int parse_dist(const scn_node *n, unit u, dist *out, sim_err *err)
{
    static const char *const keys[][5] = {
        [DIST_FIXED]       = { "dist", "value", NULL },
        [DIST_UNIFORM]     = { "dist", "min", "max", NULL },
        [DIST_EXPONENTIAL] = { "dist", "mean", NULL },
        [DIST_LOGNORMAL]   = { "dist", "median", "sigma", "mean", "sd" },
        [DIST_GAMMA]       = { "dist", "mean", "sd", NULL },
        [DIST_NORMAL]      = { "dist", "mean", "sd", NULL },
        [DIST_TRIANGULAR]  = { "dist", "min", "mode", "max", NULL },
    };
    int rc, k;
    double a = 0, b = 0, c = 0;
    dist d = { DIST_FIXED, 0, 0, 0 };
    if (scn_node_kind(n) == SCN_SCALAR) {
        if ((rc = parse_value(n, u, &a, err)))
            return rc;
        *out = dist_fixed(a);
        return SIM_OK;
    }
    if (scn_node_kind(n) != SCN_MAP)
        return scn_error(err, SIM_EINVAL, n, "expected a value or a distribution "
                         "{dist: ...}, got a sequence");
    if ((rc = scn_get_enum(n, "dist", 1, 0, dist_names, &k, err)))
        return rc;
    const char *known[6] = { NULL };
    memcpy(known, keys[k], sizeof keys[k]);
    if ((rc = scn_check_keys(n, known, err)))
        return rc;
    d.kind = (dist_kind)k;
    switch (d.kind) {
    case DIST_FIXED:
        if ((rc = dist_param(n, "value", u, &a, err)))
            return rc;
        d.a = a;
        break;
    case DIST_UNIFORM:
        if ((rc = dist_param(n, "min", u, &a, err)) || (rc = dist_param(n, "max", u, &b, err)))
            return rc;
        if (b < a)
            return scn_error(err, SIM_EINVAL, scn_get(n, "max"), "max is below min");
        d.a = a;
        d.b = b;
        break;
    case DIST_EXPONENTIAL:
        if ((rc = dist_param(n, "mean", u, &a, err)))
            return rc;
        if (a <= 0)
            return scn_error(err, SIM_EINVAL, scn_get(n, "mean"), "expected a mean > 0");
        d.a = a;
        break;
    case DIST_LOGNORMAL:
        if (scn_get(n, "median") || scn_get(n, "sigma")) {
            if (scn_get(n, "mean") || scn_get(n, "sd"))
                return scn_error(err, SIM_EINVAL, n, "give median and sigma, or mean and sd, "
                                 "not both");
            if ((rc = dist_param(n, "median", u, &a, err))
                || (rc = scn_get_double(n, "sigma", 1, 0, 0, INFINITY, &b, err)))
                return rc;
            if (a <= 0)
                return scn_error(err, SIM_EINVAL, scn_get(n, "median"), "expected a median > 0");
            d.a = log(a);
            d.b = b;
        } else {
            if ((rc = dist_param(n, "mean", u, &a, err)) || (rc = dist_param(n, "sd", u, &b, err)))
                return rc;
            if (a <= 0)
                return scn_error(err, SIM_EINVAL, scn_get(n, "mean"), "expected a mean > 0");
            double s2 = log1p(b * b / (a * a));
            d.a = log(a) - 0.5 * s2;
            d.b = sqrt(s2);
        }
        break;
    case DIST_GAMMA:
        if ((rc = dist_param(n, "mean", u, &a, err)) || (rc = dist_param(n, "sd", u, &b, err)))
            return rc;
        if (a <= 0)
            return scn_error(err, SIM_EINVAL, scn_get(n, "mean"), "expected a mean > 0");
        if (b <= 0)
            return scn_error(err, SIM_EINVAL, scn_get(n, "sd"), "expected an sd > 0");
        d.a = a * a / (b * b);
        d.b = b * b / a;
        break;
    case DIST_NORMAL:
        if ((rc = dist_param(n, "mean", u, &a, err)) || (rc = dist_param(n, "sd", u, &b, err)))
            return rc;
        d.a = a;
        d.b = b;
        break;
    case DIST_TRIANGULAR:
        if ((rc = dist_param(n, "min", u, &a, err)) || (rc = dist_param(n, "mode", u, &c, err))
            || (rc = dist_param(n, "max", u, &b, err)))
            return rc;
        if (c < a)
            return scn_error(err, SIM_EINVAL, scn_get(n, "mode"), "mode is below min");
        if (b < c)
            return scn_error(err, SIM_EINVAL, scn_get(n, "max"), "max is below mode");
        d.a = a;
        d.b = b;
        d.c = c;
        break;
    }
    *out = d;
    return SIM_OK;
}

static int get_dist(const scn_node *n, unit u, dist def, dist *out, sim_err *err)
{
    if (!n) {
        *out = def;
        return SIM_OK;
    }
    return parse_dist(n, u, out, err);
}

static dist lognormal(double median, double sigma)
{
    dist d = { DIST_LOGNORMAL, log(median), sigma, 0 };
    return d;
}

/* A value that one draw in a thousand exceeds at most: the 99.9th
 * percentile, exactly for the kinds that have a closed form, else
 * Cantelli's bound mean + sqrt(999) sd (gamma, whose tail with a small
 * shape is long). */
static double draw_high(const dist *d)
{
    switch (d->kind) {
    case DIST_FIXED:       return d->a;
    case DIST_UNIFORM:     return d->b;
    case DIST_TRIANGULAR:  return d->b;
    case DIST_EXPONENTIAL: return d->a * log(1000.0);
    case DIST_LOGNORMAL:   return exp(d->a + 3.0902 * d->b);
    case DIST_GAMMA:       return d->a * d->b + sqrt(999.0 * d->a) * d->b;
    case DIST_NORMAL:      return d->a + 3.0902 * d->b;
    }
    return NAN;
}

/* A sanity bound on a distribution whose draws set a loop's length or an
 * allocation's size: one draw in a thousand may not exceed max. n is the
 * value's node (NULL for a default, which is fine). */
static int check_draws(const scn_node *n, const dist *d, double max, const char *what,
                       sim_err *err)
{
    double high = draw_high(d);
    if (!n || high <= max)
        return SIM_OK;
    if (d->kind == DIST_FIXED)
        return scn_error(err, SIM_EINVAL, n, "%g %s is more than the limit of %g", high, what,
                         max);
    return scn_error(err, SIM_EINVAL, n, "one draw in a thousand is above %.3g %s, more than "
                     "the limit of %g", high, what, max);
}

/* Sanity bounds on the time axis: the number of samples and the events of
 * a run grow with horizon / sample_interval. */
static int check_time_axis(const scn_node *root, const config *c, sim_err *err)
{
    const scn_node *h = scn_get(root, "horizon"), *end = scn_get(root, "end");
    if (c->horizon_h > MAX_HORIZON_H) {
        if (end)
            return scn_error(err, SIM_EINVAL, end, "expected a date at most %d years after the "
                             "start, got %s", MAX_HORIZON_Y, scn_str(end));
        return scn_error(err, SIM_EINVAL, h, "expected a duration of at most %dy, got %s",
                         MAX_HORIZON_Y, scn_str(h));
    }
    if (c->sample_h < MIN_SAMPLE_H)
        return scn_error(err, SIM_EINVAL, scn_get(root, "sample_interval"),
                         "expected a duration of at least 1min, got %s",
                         scn_str(scn_get(root, "sample_interval")));
    return SIM_OK;
}

/* A {name: share, ...} mapping over names that sums to 1; missing = 0. */
static int parse_shares(const scn_node *n, const char *const *names, double *out, sim_err *err)
{
    int rc;
    double sum = 0;
    if ((rc = scn_check_keys(n, names, err)))
        return rc;
    for (size_t i = 0; names[i]; i++) {
        if ((rc = scn_get_double(n, names[i], 0, 0.0, 0.0, 1.0, &out[i], err)))
            return rc;
        sum += out[i];
    }
    if (fabs(sum - 1.0) > SHARE_TOL)
        return scn_error(err, SIM_EINVAL, n, "shares must sum to 1, got %g", sum);
    return SIM_OK;
}

/* A name: letters, digits, '-', '_', '.'. */
static int get_name(const scn_node *map, const char **out, sim_err *err)
{
    const char *s;
    int rc = scn_get_string(map, "name", 1, NULL, &s, err);
    if (rc)
        return rc;
    int ok = s[0] != '\0';
    for (const char *p = s; *p && ok; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
             || *p == '-' || *p == '_' || *p == '.';
    if (!ok)
        return scn_error(err, SIM_EINVAL, scn_get(map, "name"), "expected a name of letters, "
                         "digits, '-', '_' and '.', got '%s'", s);
    if (strlen(s) > MAX_NAME)
        return scn_error(err, SIM_EINVAL, scn_get(map, "name"), "expected a name of at most "
                         "%d characters, got %zu ('%.20s...')", MAX_NAME, strlen(s), s);
    *out = s;
    return SIM_OK;
}

/* A hub: any string of at most MAX_NAME bytes ("" when absent). */
static int get_hub(const scn_node *map, const char **out, sim_err *err)
{
    int rc = scn_get_string(map, "hub", 0, "", out, err);
    if (rc == SIM_OK && strlen(*out) > MAX_NAME)
        return scn_error(err, SIM_EINVAL, scn_get(map, "hub"), "expected a hub name of at "
                         "most %d bytes, got %zu", MAX_NAME, strlen(*out));
    return rc;
}

/* Names must be unique within a list: item i against those before it. */
static int check_unique(const scn_node *seq, size_t i, const char *what, sim_err *err)
{
    const scn_node *me = scn_get(scn_item(seq, i), "name");
    for (size_t j = 0; j < i; j++) {
        const scn_node *other = scn_get(scn_item(seq, j), "name");
        if (!strcmp(scn_str(other), scn_str(me)))
            return scn_error(err, SIM_EINVAL, me, "duplicate %s name '%s' (first at line %d)",
                             what, scn_str(me), scn_node_line(other));
    }
    return SIM_OK;
}

/* A list key: absent is empty; present must be a sequence. */
static int get_seq(const scn_node *map, const char *key, int required, size_t min,
                   const scn_node **out, sim_err *err)
{
    const scn_node *n = scn_get(map, key);
    int rc;
    *out = NULL;
    if (!n) {
        if (required)
            return scn_missing_key(err, map, key);
        return SIM_OK;
    }
    if ((rc = scn_expect_seq(n, NULL, err)))
        return rc;
    if (scn_len(n) < min)
        return scn_error(err, SIM_EINVAL, n, "expected at least %zu item%s", min,
                         min == 1 ? "" : "s");
    *out = n;
    return SIM_OK;
}

static int expect_map_or_null(const scn_node *n, const char *what, sim_err *err)
{
    return n ? scn_expect_map(n, what, err) : SIM_OK;
}

/* ---- firm profiles ---- */

/* The `data` section of a profile: key by key from the city's, else the
 * top-level one, else the defaults of scenarios/README.md. */
static int parse_data_profile(const scn_node *city, const scn_node *top, data_profile *d,
                              sim_err *err)
{
    const scn_node *n;
    int rc;
    if ((city && ((rc = scn_expect_map(city, "data profile", err))
                  || (rc = scn_check_keys(city, data_keys, err))))
        || (top && ((rc = scn_expect_map(top, "data profile", err))
                    || (rc = scn_check_keys(top, data_keys, err)))))
        return rc;
    d->share = 0;
    if ((n = pick(city, top, "share")) && (rc = scn_parse_double(n, 0, 1, &d->share, err)))
        return rc;
    if ((rc = get_dist(pick(city, top, "amount"), U_NUMBER, lognormal(20, 1.0), &d->amount, err))
        || (rc = get_dist(pick(city, top, "price"), U_NUMBER, lognormal(10000, 0.5), &d->price,
                          err))
        || (rc = get_dist(pick(city, top, "reservation_price"), U_NUMBER, lognormal(10000, 1.0),
                          &d->reservation, err)))
        return rc;
    return SIM_OK;
}

/* Each key comes from the city's profile, else the top-level one, else the
 * README's default; job profiles merge key by key the same way, while
 * `sizes` and `job_mix` are taken whole (they must sum to 1). */
static int parse_profile(const scn_node *city, const scn_node *top, firm_profile *fp,
                         sim_err *err)
{
    const scn_node *n;
    int rc;
    if ((city && (rc = scn_check_keys(city, profile_keys, err)))
        || (top && (rc = scn_check_keys(top, profile_keys, err))))
        return rc;

    if ((n = pick(city, top, "sizes"))) {
        if ((rc = parse_shares(n, size_names, fp->size_share, err)))
            return rc;
    } else {
        memcpy(fp->size_share, default_sizes, sizeof fp->size_share);
    }
    n = pick(city, top, "research_share");
    fp->research_share = 0;
    if (n && (rc = scn_parse_double(n, 0, 1, &fp->research_share, err)))
        return rc;
    if ((rc = get_dist(pick(city, top, "jobs"), U_NUMBER, dist_fixed(3), &fp->jobs, err))
        || (rc = check_draws(pick(city, top, "jobs"), &fp->jobs, MAX_JOBS_FIRM, "jobs per firm",
                             err)))
        return rc;
    double mix[JOB_KIND_COUNT];
    if ((n = pick(city, top, "job_mix"))) {
        if ((rc = parse_shares(n, job_kind_names, mix, err)))
            return rc;
    } else {
        memcpy(mix, default_mix, sizeof mix);
    }
    for (int k = 0; k < JOB_KIND_COUNT; k++) {
        const scn_node *jc = scn_get(city, job_kind_names[k]);
        const scn_node *jt = scn_get(top, job_kind_names[k]);
        job_profile *jp = &fp->kind[k];
        if ((jc && (rc = scn_check_keys(jc, job_keys, err)))
            || (jt && (rc = scn_check_keys(jt, job_keys, err))))
            return rc;
        jp->share = mix[k];
        if ((rc = get_dist(pick(jc, jt, "gpus"), U_NUMBER, dist_fixed(default_job_gpus[k]),
                           &jp->gpus, err))
            || (rc = get_dist(pick(jc, jt, "hours"), U_DURATION,
                              lognormal(default_job_median_h[k], default_job_sigma[k]),
                              &jp->hours, err))
            || (rc = check_draws(pick(jc, jt, "hours"), &jp->hours, MAX_JOB_H, "hours", err)))
            return rc;
        jp->latency_ms = default_latency_bound[k];
        if ((n = pick(jc, jt, "latency_bound"))
            && (rc = scn_parse_double(n, 0, INFINITY, &jp->latency_ms, err)))
            return rc;
    }
    if ((rc = get_dist(pick(city, top, "reservation_price"), U_NUMBER, lognormal(6, 0.5),
                       &fp->reservation_price, err)))
        return rc;
    dist pat = { DIST_EXPONENTIAL, 72.0, 0, 0 };
    if ((rc = get_dist(pick(city, top, "patience"), U_DURATION, pat, &fp->patience_h, err)))
        return rc;
    return parse_data_profile(scn_get(city, "data"), scn_get(top, "data"), &fp->data, err);
}

/* ---- cities ---- */

static int parse_arrivals(const scn_node *map, const config *c, city_cfg *city, sim_err *err)
{
    const scn_node *n = scn_get(map, "arrivals");
    int rc;
    char b1[16], b2[16];
    if (!n)
        return scn_missing_key(err, map, "arrivals");
    if (scn_node_kind(n) == SCN_SCALAR) {
        double per_day;
        if ((rc = scn_parse_double(n, 0, MAX_PER_DAY, &per_day, err)))
            return rc;
        if (!(city->rate = calloc(1, sizeof *city->rate)))
            return nomem(err);
        city->nrate = 1;
        city->rate[0].t_h = 0;
        city->rate[0].value = per_day / 24.0;
        return SIM_OK;
    }
    if (scn_node_kind(n) != SCN_SEQ)
        return scn_error(err, SIM_EINVAL, n, "expected a rate per day or a list of "
                         "{from: date, per_day: rate}, got a mapping");
    if (scn_len(n) == 0)
        return scn_error(err, SIM_EINVAL, n, "expected at least 1 item");
    if (!(city->rate = calloc(scn_len(n), sizeof *city->rate)))
        return nomem(err);
    int64_t prev = 0;
    for (size_t i = 0; i < scn_len(n); i++) {
        const scn_node *it = scn_item(n, i);
        int64_t day;
        double per_day;
        if ((rc = scn_check_keys(it, arrival_keys, err))
            || (rc = scn_get_date(it, "from", 1, 0, &day, err))
            || (rc = scn_get_double(it, "per_day", 1, 0, 0, MAX_PER_DAY, &per_day, err)))
            return rc;
        if (i == 0 && day != c->start_day)
            return scn_error(err, SIM_EINVAL, scn_get(it, "from"), "the first 'from' must be "
                             "the start date %s, got %s", date_text(c->start_day, b1),
                             date_text(day, b2));
        if (i > 0 && day <= prev)
            return scn_error(err, SIM_EINVAL, scn_get(it, "from"), "dates out of order: %s is "
                             "not after %s", date_text(day, b1), date_text(prev, b2));
        prev = day;
        city->rate[i].t_h = (double)(day - c->start_day) * 24.0;
        city->rate[i].value = per_day / 24.0;
        city->nrate = i + 1;
    }
    return SIM_OK;
}

static int parse_cities(const scn_node *root, config *c, sim_err *err)
{
    const scn_node *seq, *top_firms = scn_get(root, "firms");
    int rc;
    if ((rc = get_seq(root, "cities", 1, 1, &seq, err))
        || (rc = expect_map_or_null(top_firms, NULL, err)))
        return rc;
    if (!(c->cities = calloc(scn_len(seq), sizeof *c->cities)))
        return nomem(err);
    for (size_t i = 0; i < scn_len(seq); i++) {
        const scn_node *m = scn_item(seq, i);
        city_cfg *city = &c->cities[i];
        const char *name, *hub;
        int reg;
        c->ncities = i + 1;
        if ((rc = scn_check_keys(m, city_keys, err)) || (rc = get_name(m, &name, err))
            || (rc = check_unique(seq, i, "city", err))
            || (rc = scn_get_enum(m, "region", 1, 0, region_names, &reg, err))
            || (rc = get_hub(m, &hub, err)))
            return rc;
        if (!(city->name = dupstr(name, err)) || !(city->hub = dupstr(hub, err)))
            return SIM_ENOMEM;
        city->region = (region)reg;
        if ((rc = parse_arrivals(m, c, city, err)))
            return rc;
        const scn_node *f = scn_get(m, "firms");
        if ((rc = expect_map_or_null(f, NULL, err))
            || (rc = parse_profile(f, top_firms, &city->firms, err)))
            return rc;
    }
    return SIM_OK;
}

/* ---- data centers ---- */

static int parse_capacity(const scn_node *m, const config *c, dc_cfg *dc, long long gpus0,
                          sim_err *err)
{
    const scn_node *seq;
    int rc;
    char b1[16], b2[16];
    if ((rc = get_seq(m, "capacity", 0, 0, &seq, err)))
        return rc;
    size_t n = scn_len(seq);
    if (!(dc->gpus = calloc(n + 1, sizeof *dc->gpus)))
        return nomem(err);
    dc->gpus[0].t_h = 0;
    dc->gpus[0].value = (double)gpus0;
    dc->ngpus = 1;
    int64_t prev = c->start_day;
    long long prev_gpus = gpus0;
    for (size_t i = 0; i < n; i++) {
        const scn_node *it = scn_item(seq, i);
        int64_t day;
        long long g;
        if ((rc = scn_check_keys(it, capacity_keys, err))
            || (rc = scn_get_date(it, "date", 1, 0, &day, err))
            || (rc = scn_get_int(it, "gpus", 1, 0, 1, MAX_GPUS, &g, err)))
            return rc;
        if (day <= prev)
            return scn_error(err, SIM_EINVAL, scn_get(it, "date"), i == 0
                             ? "dates out of order: %s is not after the start %s"
                             : "dates out of order: %s is not after %s",
                             date_text(day, b1), date_text(prev, b2));
        if (g < prev_gpus)
            return scn_error(err, SIM_EINVAL, scn_get(it, "gpus"), "capacity may only grow: "
                             "%lld GPUs is fewer than the %lld before", g, prev_gpus);
        prev = day;
        prev_gpus = g;
        dc->gpus[i + 1].t_h = (double)(day - c->start_day) * 24.0;
        dc->gpus[i + 1].value = (double)g;
        dc->ngpus = i + 2;
    }
    return SIM_OK;
}

/* Names with their indices, sorted, for look-ups by binary search where a
 * scenario may name entities many times (latency maps, accepts lists): a
 * linear search per reference made crafted files of a few MB take
 * seconds. */
typedef struct name_ref {
    const char *name;
    size_t      idx;
} name_ref;

static int name_ref_cmp(const void *a, const void *b)
{
    return strcmp(((const name_ref *)a)->name, ((const name_ref *)b)->name);
}

/* The n names (borrowed) as a sorted index (malloc'd), or NULL on ENOMEM. */
static name_ref *name_index(const char *const *names, size_t n)
{
    name_ref *r = malloc((n ? n : 1) * sizeof *r);
    for (size_t i = 0; r && i < n; i++)
        r[i] = (name_ref){ names[i], i };
    if (r)
        qsort(r, n, sizeof *r, name_ref_cmp);
    return r;
}

/* The index of name, or -1 (names are unique: check_unique). */
static long name_find(const name_ref *r, size_t n, const char *name)
{
    name_ref key = { name, 0 };
    const name_ref *hit = bsearch(&key, r, n, sizeof *r, name_ref_cmp);
    return hit ? (long)hit->idx : -1;
}

static int parse_latency(const scn_node *m, const config *c, dc_cfg *dc, const char **names,
                         sim_err *err)
{
    const scn_node *lat = scn_get(m, "latency");
    int rc = SIM_OK;
    double def = NAN;
    size_t *at = NULL;          /* [ncities]: the entry of lat naming the city */
    name_ref *idx = NULL;
    if (!(dc->latency_ms = calloc(c->ncities ? c->ncities : 1, sizeof *dc->latency_ms)))
        return nomem(err);
    if (lat) {
        if ((rc = scn_expect_map(lat, "latency in ms by city", err))
            || (rc = scn_get_double(lat, "default", 0, NAN, 0, INFINITY, &def, err)))
            return rc;
        if (!(at = malloc((c->ncities ? c->ncities : 1) * sizeof *at))
            || !(idx = name_index(names, c->ncities))) {
            rc = nomem(err);
            goto out;
        }
        for (size_t j = 0; j < c->ncities; j++)
            at[j] = SIZE_MAX;
        for (size_t i = 0; i < scn_len(lat); i++) {
            const char *k = scn_key(lat, i);
            if (!strcmp(k, "default"))
                continue;
            long j = name_find(idx, c->ncities, k);
            if (j < 0) {
                rc = unknown_ref(err, scn_key_node(lat, i), "city", k, names, c->ncities);
                goto out;
            }
            at[j] = i;
        }
    }
    for (size_t j = 0; j < c->ncities; j++) {
        const city_cfg *city = &c->cities[j];
        double v;
        if (at && at[j] != SIZE_MAX) {
            if ((rc = scn_parse_double(scn_value(lat, at[j]), 0, INFINITY, &v, err)))
                goto out;
        } else if (!isnan(def)) {
            v = def;
        } else if (dc->hub[0] && !strcmp(dc->hub, city->hub)) {
            v = 5;
        } else {
            v = dc->region == city->region ? 10 : 20;   /* S17: east-west hubs <= 20 ms */
        }
        dc->latency_ms[j] = v;
    }
out:
    free(at);
    free(idx);
    return rc;
}

static int parse_background(const scn_node *m, dc_cfg *dc, sim_err *err)
{
    const scn_node *bg = scn_get(m, "background");
    int rc;
    double per_day = 0;
    dc->bg_rate = 0;
    dc->bg_gpus = dist_fixed(1);
    dc->bg_hours = dist_fixed(1);
    dc->bg_patience_h = dist_fixed(24);
    dc->bg_warm = 0;
    if (!bg)
        return SIM_OK;
    if ((rc = scn_check_keys(bg, background_keys, err))
        || (rc = scn_get_double(bg, "per_day", 1, 0, 0, MAX_PER_DAY, &per_day, err)))
        return rc;
    if (!scn_get(bg, "gpus"))
        return scn_error(err, SIM_EINVAL, bg, "missing required key 'gpus'");
    if (!scn_get(bg, "hours"))
        return scn_error(err, SIM_EINVAL, bg, "missing required key 'hours'");
    dc->bg_rate = per_day / 24.0;
    if ((rc = parse_dist(scn_get(bg, "gpus"), U_NUMBER, &dc->bg_gpus, err))
        || (rc = parse_dist(scn_get(bg, "hours"), U_DURATION, &dc->bg_hours, err))
        || (rc = check_draws(scn_get(bg, "hours"), &dc->bg_hours, MAX_JOB_H, "hours", err))
        || (rc = get_dist(scn_get(bg, "patience"), U_DURATION, dist_fixed(24),
                          &dc->bg_patience_h, err))
        || (rc = scn_get_bool(bg, "warm_start", 0, 1, &dc->bg_warm, err)))
        return rc;
    return SIM_OK;
}

/* The cities' names, NULL-terminated, for "did you mean" (malloc'd array
 * of borrowed strings; NULL on ENOMEM). */
static const char **city_name_list(const config *c)
{
    const char **names = calloc(c->ncities + 1, sizeof *names);
    for (size_t j = 0; names && j < c->ncities; j++)
        names[j] = c->cities[j].name;
    return names;
}

static int parse_datacenters(const scn_node *root, config *c, sim_err *err)
{
    const scn_node *seq;
    const char **city_names = NULL;
    int rc;
    if ((rc = get_seq(root, "datacenters", 1, 1, &seq, err)))
        return rc;
    if (!(c->dcs = calloc(scn_len(seq), sizeof *c->dcs))
        || !(city_names = city_name_list(c))) {
        rc = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < scn_len(seq); i++) {
        const scn_node *m = scn_item(seq, i);
        dc_cfg *dc = &c->dcs[i];
        const char *name, *hub;
        int reg;
        long long gpus;
        c->ndcs = i + 1;
        if ((rc = scn_check_keys(m, dc_keys, err)) || (rc = get_name(m, &name, err))
            || (rc = check_unique(seq, i, "data center", err))
            || (rc = scn_get_enum(m, "region", 1, 0, region_names, &reg, err))
            || (rc = get_hub(m, &hub, err)))
            goto out;
        if (!(dc->name = dupstr(name, err)) || !(dc->hub = dupstr(hub, err))) {
            rc = SIM_ENOMEM;
            goto out;
        }
        dc->region = (region)reg;
        if ((rc = scn_get_int(m, "gpus", 1, 0, 0, MAX_GPUS, &gpus, err))
            || (rc = parse_capacity(m, c, dc, gpus, err))
            || (rc = scn_get_double(m, "price", 1, 0, 0, INFINITY, &dc->price, err))
            || (rc = scn_get_double(m, "electricity_price", 0, default_electricity[reg], 0,
                                    INFINITY, &dc->electricity_price, err))
            || (rc = scn_get_double(m, "pue", 0, default_pue[reg], 1, INFINITY, &dc->pue, err))
            || (rc = scn_get_double(m, "gpu_power", 0, 0.7, 0, INFINITY, &dc->gpu_kw, err))
            || (rc = parse_latency(m, c, dc, city_names, err))
            || (rc = scn_get_bool(m, "certified", 0, 1, &dc->certified, err))
            || (rc = parse_background(m, dc, err)))
            goto out;
    }
out:
    free(city_names);
    return rc;
}

/* ---- programs ---- */

static int parse_accepts(const scn_node *m, const config *c, program_cfg *p, sim_err *err)
{
    const scn_node *n = scn_get(m, "accepts");
    const char **dc_names = NULL;
    name_ref *idx = NULL;
    int rc = SIM_OK;
    if (!(p->accepts = calloc(c->ndcs, 1)))
        return nomem(err);
    if (!n || scn_node_kind(n) == SCN_SCALAR) {
        int which = 0;
        if ((rc = scn_get_enum(m, "accepts", 0, 0, accepts_names, &which, err)))
            return rc;
        for (size_t i = 0; i < c->ndcs; i++)
            p->accepts[i] = which == 1 || c->dcs[i].certified;
        return SIM_OK;
    }
    if (scn_node_kind(n) != SCN_MAP)
        return scn_error(err, SIM_EINVAL, n, "expected certified, any, {datacenters: [...]}, "
                         "{region: ...} or {hub: ...}, got a sequence");
    if ((rc = scn_check_keys(n, accepts_keys, err)))
        return rc;
    if (scn_len(n) != 1)
        return scn_error(err, SIM_EINVAL, n, "expected one of datacenters, region or hub, "
                         "got %zu keys", scn_len(n));
    const char *k = scn_key(n, 0);
    const scn_node *v = scn_value(n, 0);
    if (!strcmp(k, "datacenters")) {
        if ((rc = scn_expect_seq(v, "names of data centers", err)))
            return rc;
        if (!(dc_names = calloc(c->ndcs + 1, sizeof *dc_names)))
            return nomem(err);
        for (size_t i = 0; i < c->ndcs; i++)
            dc_names[i] = c->dcs[i].name;
        if (!(idx = name_index(dc_names, c->ndcs))) {
            rc = nomem(err);
            goto out;
        }
        for (size_t i = 0; i < scn_len(v); i++) {
            const scn_node *it = scn_item(v, i);
            const char *s = scn_str(it);
            long j;
            if (!s) {
                rc = scn_error(err, SIM_EINVAL, it, "expected a data center name, got %s",
                               scn_node_kind(it) == SCN_MAP ? "a mapping" : "a sequence");
                goto out;
            }
            if ((j = name_find(idx, c->ndcs, s)) < 0) {
                rc = unknown_ref(err, it, "data center", s, dc_names, c->ndcs);
                goto out;
            }
            p->accepts[j] = 1;
        }
    } else if (!strcmp(k, "region")) {
        int reg;
        if ((rc = scn_get_enum(n, "region", 1, 0, region_names, &reg, err)))
            return rc;
        for (size_t i = 0; i < c->ndcs; i++)
            p->accepts[i] = c->dcs[i].region == (region)reg;
    } else {
        const char *hub;
        int any = 0;
        if ((rc = scn_get_string(n, "hub", 1, NULL, &hub, err)))
            return rc;
        for (size_t i = 0; i < c->ndcs; i++)
            any |= p->accepts[i] = !strcmp(c->dcs[i].hub, hub);
        if (!any) {
            if (!(dc_names = calloc(c->ndcs + 1, sizeof *dc_names)))
                return nomem(err);
            for (size_t i = 0; i < c->ndcs; i++)
                dc_names[i] = c->dcs[i].hub;
            rc = unknown_ref(err, v, "hub", hub, dc_names, c->ndcs);
        }
    }
out:
    free(dc_names);
    free(idx);
    return rc;
}

static int parse_timeline(const scn_node *m, const config *c, program_cfg *p, sim_err *err)
{
    const scn_node *seq;
    int rc;
    char b1[16], b2[16];
    if ((rc = get_seq(m, "timeline", 0, 0, &seq, err)))
        return rc;
    if (!scn_len(seq))
        return SIM_OK;
    if (!(p->timeline = calloc(scn_len(seq), sizeof *p->timeline)))
        return nomem(err);
    int64_t prev = c->start_day;
    for (size_t i = 0; i < scn_len(seq); i++) {
        const scn_node *it = scn_item(seq, i);
        program_change *ch = &p->timeline[i];
        int64_t day;
        if ((rc = scn_check_keys(it, change_keys, err))
            || (rc = scn_get_date(it, "date", 1, 0, &day, err)))
            return rc;
        if (day < prev)
            return scn_error(err, SIM_EINVAL, scn_get(it, "date"), i == 0
                             ? "dates out of order: %s is before the start %s"
                             : "dates out of order: %s is before %s",
                             date_text(day, b1), date_text(prev, b2));
        prev = day;
        ch->t_h = (double)(day - c->start_day) * 24.0;
        if (scn_len(it) < 2)
            return scn_error(err, SIM_EINVAL, it, "a timeline entry needs add_budget, coverage, "
                             "cap_per_firm or close");
        if ((rc = scn_get_money(it, "add_budget", 0, 0, &ch->add_budget, err))
            || (rc = scn_get_double(it, "coverage", 0, NAN, 0, 1, &ch->coverage, err))
            || (rc = scn_get_money(it, "cap_per_firm", 0, NAN, &ch->cap_per_firm, err))
            || (rc = scn_get_bool(it, "close", 0, 0, &ch->close, err)))
            return rc;
        p->ntimeline = i + 1;
    }
    return SIM_OK;
}

static int cmp_change(const void *a, const void *b)
{
    const program_change *x = a, *y = b;
    return (x->t_h > y->t_h) - (x->t_h < y->t_h);
}

/* Appends n appropriations (amount[i] on 1 January of year[i]) to p's
 * timeline and puts it back in time order (stable: at equal times the
 * timeline's own entries come first). */
static int add_appropriations(const config *c, program_cfg *p, size_t n, const long long *year,
                              const double *amount, sim_err *err)
{
    size_t old = p->ntimeline;
    program_change *tl = realloc(p->timeline, (old + n) * sizeof *tl);
    if (!tl)
        return nomem(err);
    p->timeline = tl;
    for (size_t i = 0; i < n; i++) {
        int64_t day = scn_year_start_day(year[i]);
        tl[old + i] = (program_change){ (double)(day - c->start_day) * 24.0, amount[i], NAN, NAN,
                                        0 };
    }
    p->ntimeline = old + n;
    /* insertion sort: stable, and timelines are short */
    for (size_t i = 1; i < p->ntimeline; i++) {
        program_change x = tl[i];
        size_t j = i;
        while (j > 0 && cmp_change(&tl[j - 1], &x) > 0) {
            tl[j] = tl[j - 1];
            j--;
        }
        tl[j] = x;
    }
    return SIM_OK;
}

/* `appropriations`: {per_year: money, from: year, to: year}, or a list of
 * {year: year, amount: money}; each is a tranche on 1 January of its year
 * (a year before start's adds its money during the warm-up). */
static int parse_appropriations(const scn_node *m, const config *c, program_cfg *p, sim_err *err)
{
    const scn_node *a = scn_get(m, "appropriations");
    long long years[200];
    double amounts[200];
    size_t n = 0;
    int rc;
    if (!a)
        return SIM_OK;
    if (scn_node_kind(a) == SCN_MAP) {
        long long from, to;
        double per_year;
        if ((rc = scn_check_keys(a, approp_keys, err))
            || (rc = scn_get_money(a, "per_year", 1, 0, &per_year, err))
            || (rc = scn_get_int(a, "from", 1, 0, 1900, 9999, &from, err))
            || (rc = scn_get_int(a, "to", 1, 0, 1900, 9999, &to, err)))
            return rc;
        if (to < from)
            return scn_error(err, SIM_EINVAL, scn_get(a, "to"),
                             "years out of order: to %lld is before from %lld", to, from);
        if (to - from >= (long long)(sizeof years / sizeof *years))
            return scn_error(err, SIM_EINVAL, scn_get(a, "to"),
                             "at most %zu years of appropriations", sizeof years / sizeof *years);
        for (long long y = from; y <= to; y++, n++)
            years[n] = y, amounts[n] = per_year;
    } else {
        const scn_node *seq;
        if ((rc = get_seq(m, "appropriations", 0, 1, &seq, err)))
            return rc;
        if (scn_len(seq) > sizeof years / sizeof *years)
            return scn_error(err, SIM_EINVAL, seq, "at most %zu appropriations",
                             sizeof years / sizeof *years);
        for (size_t i = 0; i < scn_len(seq); i++, n++) {
            const scn_node *it = scn_item(seq, i);
            if ((rc = scn_expect_map(it, "{year: YEAR, amount: MONEY}", err))
                || (rc = scn_check_keys(it, approp_item_keys, err))
                || (rc = scn_get_int(it, "year", 1, 0, 1900, 9999, &years[n], err))
                || (rc = scn_get_money(it, "amount", 1, 0, &amounts[n], err)))
                return rc;
            if (i > 0 && years[n] <= years[n - 1])
                return scn_error(err, SIM_EINVAL, scn_get(it, "year"),
                                 "years out of order: %lld after %lld", years[n], years[n - 1]);
        }
    }
    return add_appropriations(c, p, n, years, amounts, err);
}

static int parse_program(const scn_node *m, config *c, program_cfg *p, const char **city_names,
                         sim_err *err)
{
    const char *name, *city;
    int kind, alloc, expiry, rc;
    char b1[16], b2[16];
    if ((rc = scn_check_keys(m, program_keys, err)) || (rc = get_name(m, &name, err)))
        return rc;
    if (!(p->name = dupstr(name, err)))
        return SIM_ENOMEM;
    if ((rc = scn_get_string(m, "city", 1, NULL, &city, err)))
        return rc;
    long ci = config_city_index(c, city);
    if (ci < 0)
        return unknown_ref(err, scn_get(m, "city"), "city", city, city_names, c->ncities);
    p->city = (size_t)ci;
    if ((rc = scn_get_enum(m, "kind", 0, PROGRAM_COMPUTE, program_kind_names, &kind, err))
        || (rc = scn_get_money(m, "budget", !scn_get(m, "appropriations"), 0, &p->budget, err))
        || (rc = scn_get_double(m, "coverage", 1, 0, 0, 1, &p->coverage, err))
        || (rc = scn_get_money(m, "cap_per_firm", 0, INFINITY, &p->cap_per_firm, err))
        || (rc = scn_get_duration(m, "validity", 0, 365 * 24.0, &p->validity_h, err)))
        return rc;
    p->kind = (program_kind)kind;
    if (p->validity_h <= 0)
        return scn_error(err, SIM_EINVAL, scn_get(m, "validity"), "expected a duration > 0");

    /* window */
    const scn_node *w = scn_get(m, "window");
    int64_t end_day_ceil = c->start_day + (int64_t)ceil(c->horizon_h / 24.0);
    int64_t open = c->start_day, close = end_day_ceil;
    p->open_h = 0;
    p->close_h = INFINITY;      /* open to the end, also when --until moves the end */
    if (w) {
        if ((rc = scn_check_keys(w, window_keys, err))
            || (rc = scn_get_date(w, "open", 0, c->start_day, &open, err))
            || (rc = scn_get_date(w, "close", 0, end_day_ceil, &close, err)))
            return rc;
        if (close <= open)
            return scn_error(err, SIM_EINVAL, scn_get(w, "close") ? scn_get(w, "close") : w,
                             "dates out of order: the window closes on %s, not after it opens "
                             "on %s", date_text(close, b1), date_text(open, b2));
        p->open_h = (double)(open - c->start_day) * 24.0;
        if (scn_get(w, "close"))
            p->close_h = (double)(close - c->start_day) * 24.0;
    }

    dist delay = { DIST_UNIFORM, 30 * 24.0, 90 * 24.0, 0 };
    if ((rc = get_dist(scn_get(m, "approval_delay"), U_DURATION, delay, &p->approval_delay_h,
                       err))
        || (rc = scn_get_enum(m, "allocation", 0, ALLOC_FCFS, alloc_names, &alloc, err))
        || (rc = scn_get_duration(m, "lottery_every", 0, 30 * 24.0, &p->lottery_every_h, err)))
        return rc;
    p->allocation = (alloc_rule)alloc;
    if (scn_get(m, "lottery_every") && p->allocation != ALLOC_LOTTERY)
        return scn_error(err, SIM_EINVAL, scn_get(m, "lottery_every"),
                         "'lottery_every' applies only with allocation: lottery");
    if (p->lottery_every_h <= 0)
        return scn_error(err, SIM_EINVAL, scn_get(m, "lottery_every"), "expected a duration > 0");
    if (p->lottery_every_h < MIN_SAMPLE_H)      /* rounds are numbered in 32 bits */
        return scn_error(err, SIM_EINVAL, scn_get(m, "lottery_every"),
                         "expected a duration of at least 1min, got %s",
                         scn_str(scn_get(m, "lottery_every")));

    /* eligible sizes */
    const scn_node *es;
    if ((rc = get_seq(m, "eligible_sizes", 0, 1, &es, err)))
        return rc;
    for (int s = 0; s < SIZE_COUNT; s++)
        p->eligible_size[s] = es == NULL;
    for (size_t i = 0; i < scn_len(es); i++) {
        const scn_node *it = scn_item(es, i);
        const char *s = scn_str(it);
        int k = -1;
        for (int j = 0; s && size_names[j]; j++)
            if (!strcmp(s, size_names[j]))
                k = j;
        if (k < 0) {
            const char *near = s ? suggest(s, size_names, SIZE_COUNT) : NULL;
            if (near)
                return scn_error(err, SIM_EINVAL, it, "expected one of micro, small, medium; "
                                 "got '%s' (did you mean '%s'?)", s, near);
            return scn_error(err, SIM_EINVAL, it, "expected one of micro, small, medium; got %s%s%s",
                             s ? "'" : "", s ? s : "a collection", s ? "'" : "");
        }
        p->eligible_size[k] = 1;
    }

    if ((rc = scn_get_bool(m, "research_only", 0, p->kind == PROGRAM_RESEARCH, &p->research_only,
                           err))
        || (rc = parse_accepts(m, c, p, err))
        || (rc = scn_get_enum(m, "on_expiry", 0, EXPIRY_LAPSE, expiry_names, &expiry, err)))
        return rc;
    p->on_expiry = (expiry_rule)expiry;
    int when_empty;
    if ((rc = scn_get_money(m, "exhausted_below", 0, NAN, &p->exhausted_below, err))
        || (rc = scn_get_enum(m, "when_empty", 0, 0, when_empty_names, &when_empty, err)))
        return rc;
    if (scn_get(m, "exhausted_below") && !(p->exhausted_below >= 1.0))
        return scn_error(err, SIM_EINVAL, scn_get(m, "exhausted_below"),
                         "expected an amount of at least 1 yuan");
    p->empty_apply = when_empty == 1;
    int year_end;
    if ((rc = scn_get_enum(m, "year_end", 0, 0, year_end_names, &year_end, err)))
        return rc;
    p->year_end_return = year_end == 1;
    if ((rc = parse_timeline(m, c, p, err)))
        return rc;
    return parse_appropriations(m, c, p, err);
}

static int parse_programs(const scn_node *root, config *c, sim_err *err)
{
    const scn_node *seq;
    const char **city_names = NULL;
    int rc;
    if ((rc = get_seq(root, "programs", 0, 0, &seq, err)) || !scn_len(seq))
        return rc;
    if (!(c->programs = calloc(scn_len(seq), sizeof *c->programs))
        || !(city_names = city_name_list(c))) {
        rc = nomem(err);
        goto out;
    }
    for (size_t i = 0; i < scn_len(seq); i++) {
        c->nprograms = i + 1;
        if ((rc = parse_program(scn_item(seq, i), c, &c->programs[i], city_names, err))
            || (rc = check_unique(seq, i, "program", err)))
            goto out;
    }
out:
    free(city_names);
    return rc;
}

/* ---- investments ---- */

static int parse_investment(const scn_node *m, config *c, investment_cfg *iv, sim_err *err)
{
    const char *name, *dc;
    int64_t day;
    int rc;
    if ((rc = scn_check_keys(m, investment_keys, err)) || (rc = get_name(m, &name, err)))
        return rc;
    if (!(iv->name = dupstr(name, err)))
        return SIM_ENOMEM;
    if ((rc = scn_get_string(m, "datacenter", 1, NULL, &dc, err)))
        return rc;
    long di = config_dc_index(c, dc);
    if (di < 0) {
        const char **names = calloc(c->ndcs + 1, sizeof *names);
        if (!names)
            return nomem(err);
        for (size_t i = 0; i < c->ndcs; i++)
            names[i] = c->dcs[i].name;
        rc = unknown_ref(err, scn_get(m, "datacenter"), "data center", dc, names, c->ndcs);
        free(names);
        return rc;
    }
    iv->dc = (size_t)di;
    if ((rc = scn_get_money(m, "amount", 1, 0, &iv->amount, err))
        || (rc = scn_get_money(m, "cost_per_gpu", 1, 0, &iv->cost_per_gpu, err))
        || (rc = scn_get_date(m, "date", 0, c->start_day, &day, err))
        || (rc = scn_get_duration(m, "lead_time", 0, 180 * 24.0, &iv->lead_h, err))
        || (rc = scn_get_duration(m, "lifetime", 0, 5 * 365 * 24.0, &iv->lifetime_h, err)))
        return rc;
    if (!(iv->cost_per_gpu >= 1.0))
        return scn_error(err, SIM_EINVAL, scn_get(m, "cost_per_gpu"),
                         "expected at least 1 yuan per GPU");
    if (!(iv->lifetime_h > 0.0))
        return scn_error(err, SIM_EINVAL, scn_get(m, "lifetime"), "expected a duration > 0");
    double g = floor(iv->amount / iv->cost_per_gpu);
    if (g > (double)MAX_GPUS)
        return scn_error(err, SIM_EINVAL, scn_get(m, "amount"),
                         "buys %.3g GPUs, more than the limit of %lld", g, (long long)MAX_GPUS);
    iv->gpus = (int64_t)g;
    iv->date_h = (double)(day - c->start_day) * 24.0;
    return SIM_OK;
}

static int parse_investments(const scn_node *root, config *c, sim_err *err)
{
    const scn_node *seq;
    int rc;
    if ((rc = get_seq(root, "investments", 0, 0, &seq, err)) || !scn_len(seq))
        return rc;
    if (!(c->investments = calloc(scn_len(seq), sizeof *c->investments)))
        return nomem(err);
    for (size_t i = 0; i < scn_len(seq); i++) {
        c->ninvestments = i + 1;
        if ((rc = parse_investment(scn_item(seq, i), c, &c->investments[i], err))
            || (rc = check_unique(seq, i, "investment", err)))
            return rc;
    }
    return SIM_OK;
}

/* ---- sweep ---- */

static int parse_sweep(const scn_node *root, config *c, sim_err *err)
{
    const scn_node *sw = scn_get(root, "sweep");
    sweep_cfg *s = &c->sweep;
    int design, rc;
    long long samples = 0;
    if (!sw)
        return SIM_OK;
    if ((rc = scn_check_keys(sw, sweep_keys, err))
        || (rc = scn_get_enum(sw, "design", 0, SWEEP_GRID, design_names, &design, err)))
        return rc;
    s->design = (sweep_design)design;
    if (s->design == SWEEP_GRID) {
        if (scn_get(sw, "samples"))
            return scn_error(err, SIM_EINVAL, scn_get(sw, "samples"),
                             "'samples' applies only with design lhs or sobol");
    } else if ((rc = scn_get_int(sw, "samples", 1, 0, 1, 100000000, &samples, err))) {
        return rc;
    }
    s->samples = (unsigned)samples;
    const scn_node *vary = scn_get(sw, "vary");
    if (!vary)
        return scn_error(err, SIM_EINVAL, sw, "missing required key 'vary'");
    if ((rc = scn_expect_map(vary, "key path: \"LO:HI:N\"", err)))
        return rc;
    if (!scn_len(vary))
        return scn_error(err, SIM_EINVAL, vary, "expected at least one key path to vary");
    if (!(s->vars = calloc(scn_len(vary), sizeof *s->vars)))
        return nomem(err);
    for (size_t i = 0; i < scn_len(vary); i++) {
        const scn_node *v = scn_value(vary, i);
        const char *text = scn_str(v);
        sweep_var *sv = &s->vars[i];
        const char *want = s->design == SWEEP_GRID ? "\"LO:HI:N\" or a list v1,v2,..."
                                                   : "\"LO:HI\"";
        s->nvars = i + 1;
        char where[600];
        snprintf(where, sizeof where, "%s:%d:%d: %s", scn_node_file(v), scn_node_line(v),
                 scn_node_col(v), scn_node_keypath(v));
        if (!(sv->key = dupstr(scn_key(vary, i), err)) || !(sv->where = dupstr(where, err)))
            return nomem(err);
        /* A list, as --vary key=v1,v2,... takes it: a sequence of values
         * or a string with a comma or without a colon (grids only). */
        int list = scn_node_kind(v) == SCN_SEQ || (text && (strchr(text, ',')
                                                            || !strchr(text, ':')));
        if (list && s->design != SWEEP_GRID)
            return scn_error(err, SIM_EINVAL, v, "expected %s (design %s samples ranges; a "
                             "list of values needs design grid), got %s%s%s", want,
                             design_names[s->design], text ? "'" : "a list",
                             text ? text : "", text ? "'" : "");
        if (list && !text) {
            size_t len = 1;
            for (size_t j = 0; j < scn_len(v); j++) {
                const char *t = scn_str(scn_item(v, j));
                if (!t || !*t || strchr(t, ','))
                    return scn_error(err, SIM_EINVAL, scn_item(v, j), "expected a value "
                                     "(a number, an amount, a duration, a name or a boolean)");
                len += strlen(t) + 1;
            }
            if (!scn_len(v))
                return scn_error(err, SIM_EINVAL, v, "expected at least one value");
            if (!(sv->values = calloc(1, len)))
                return nomem(err);
            for (size_t j = 0; j < scn_len(v); j++) {
                if (j)
                    strcat(sv->values, ",");
                strcat(sv->values, scn_str(scn_item(v, j)));
            }
            continue;
        }
        if (list) {
            if (!(sv->values = dupstr(text, err)))
                return nomem(err);
            continue;
        }
        if (!text)
            return scn_error(err, SIM_EINVAL, v, "expected %s, got a mapping", want);
        const char *c1 = strchr(text, ':');
        const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        const char *c3 = c2 ? strchr(c2 + 1, ':') : NULL;
        int fields = !c1 ? 1 : !c2 ? 2 : !c3 ? 3 : 4;
        if ((s->design == SWEEP_GRID && fields != 3) || (s->design != SWEEP_GRID && fields != 2)
            || c1 == text || c1[1] == ':' || (c2 && !c2[1]) || (!c2 && !c1[1]))
            return scn_error(err, SIM_EINVAL, v, "expected %s, got '%s'", want, text);
        unsigned long n = 0;
        if (c2) {
            char *end;
            n = strtoul(c2 + 1, &end, 10);
            if (*end || n < 2 || n > 1000000)
                return scn_error(err, SIM_EINVAL, v, "expected N >= 2 grid points, got '%s'",
                                 c2 + 1);
        }
        const char *hi_end = c2 ? c2 : text + strlen(text);
        if (!(sv->lo = strndup(text, (size_t)(c1 - text)))
            || !(sv->hi = strndup(c1 + 1, (size_t)(hi_end - c1 - 1))))
            return nomem(err);
        sv->n = (unsigned)n;
    }
    return SIM_OK;
}

/* ---- the whole scenario ---- */

/* The lists' lengths, before anything is built from them. */
static int check_list_sizes(const scn_node *root, sim_err *err)
{
    static const struct { const char *key, *what; size_t max; } lists[] = {
        { "cities", "cities", MAX_CITIES },
        { "datacenters", "data centers", MAX_DCS },
        { "programs", "programs", MAX_PROGRAMS },
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        const scn_node *n = scn_get(root, lists[i].key);
        if (n && scn_len(n) > lists[i].max)
            return scn_error(err, SIM_EINVAL, n, "%zu %s, more than the limit of %zu",
                             scn_len(n), lists[i].what, lists[i].max);
    }
    return SIM_OK;
}

static int parse_top(const scn_doc *doc, config *c, sim_err *err)
{
    const scn_node *root = scn_root(doc);
    const char *name, *desc;
    long long seed, reps;
    int route, vouchers, rc;
    char def_name[256];

    /* the default name is the file's base name without its extension */
    const char *path = scn_doc_path(doc), *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    snprintf(def_name, sizeof def_name, "%s", base);
    char *dot = strrchr(def_name, '.');
    if (dot && dot != def_name)
        *dot = '\0';

    if ((rc = scn_check_keys(root, top_keys, err))
        || (rc = scn_get_string(root, "name", 0, def_name, &name, err))
        || (rc = scn_get_string(root, "description", 0, "", &desc, err)))
        return rc;
    if (!(c->name = dupstr(name, err)) || !(c->description = dupstr(desc, err)))
        return SIM_ENOMEM;
    if ((rc = scn_get_date(root, "start", 1, 0, &c->start_day, err)))
        return rc;
    const scn_node *end = scn_get(root, "end");
    if (end) {
        int64_t end_day;
        char b1[16], b2[16];
        if (scn_get(root, "horizon"))
            return scn_error(err, SIM_EINVAL, end, "give 'horizon' or 'end', not both");
        if ((rc = scn_parse_date(end, &end_day, err)))
            return rc;
        if (end_day <= c->start_day)
            return scn_error(err, SIM_EINVAL, end, "dates out of order: end %s is not after "
                             "start %s", date_text(end_day, b1), date_text(c->start_day, b2));
        c->horizon_h = (double)(end_day - c->start_day) * 24.0;
    } else {
        if ((rc = scn_get_duration(root, "horizon", 0, 365 * 24.0, &c->horizon_h, err)))
            return rc;
        if (c->horizon_h <= 0)
            return scn_error(err, SIM_EINVAL, scn_get(root, "horizon"), "expected a duration > 0");
    }
    if ((rc = scn_get_int(root, "seed", 0, 1, 0, LLONG_MAX, &seed, err))
        || (rc = scn_get_int(root, "replications", 0, 1, 1, 1000000, &reps, err))
        || (rc = scn_get_duration(root, "sample_interval", 0, 24.0, &c->sample_h, err)))
        return rc;
    if (c->sample_h <= 0)
        return scn_error(err, SIM_EINVAL, scn_get(root, "sample_interval"),
                         "expected a duration of at least 1min, got %s",
                         scn_str(scn_get(root, "sample_interval")));
    if ((rc = check_time_axis(root, c, err)))
        return rc;
    c->seed = (uint64_t)seed;
    c->replications = (unsigned)reps;
    if ((rc = scn_get_duration(root, "warmup", 0, 0, &c->warmup_h, err))
        || (rc = scn_get_duration(root, "cooldown", 0, 0, &c->cooldown_h, err)))
        return rc;
    if (c->warmup_h > MAX_HORIZON_H)
        return scn_error(err, SIM_EINVAL, scn_get(root, "warmup"),
                         "expected a duration of at most %dy, got %s", MAX_HORIZON_Y,
                         scn_str(scn_get(root, "warmup")));
    if (c->cooldown_h > MAX_HORIZON_H)
        return scn_error(err, SIM_EINVAL, scn_get(root, "cooldown"),
                         "expected a duration of at most %dy, got %s", MAX_HORIZON_Y,
                         scn_str(scn_get(root, "cooldown")));
    if ((rc = scn_get_enum(root, "routing", 0, ROUTE_LATENCY_AWARE, route_names, &route, err))
        || (rc = scn_get_bool(root, "vouchers", 0, 1, &vouchers, err)))
        return rc;
    c->routing = (route_policy)route;
    c->vouchers = vouchers;
    if ((rc = check_list_sizes(root, err))
        || (rc = parse_cities(root, c, err)) || (rc = parse_datacenters(root, c, err))
        || (rc = parse_programs(root, c, err)) || (rc = parse_investments(root, c, err))
        || (rc = parse_sweep(root, c, err)))
        return rc;
    return SIM_OK;
}

config *config_from_scenario(const struct scn_doc *doc, sim_err *err)
{
    config *c = calloc(1, sizeof *c);
    if (!c) {
        nomem(err);
        return NULL;
    }
    if (parse_top(doc, c, err)) {
        config_free(c);
        return NULL;
    }
    return c;
}

void config_free(config *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->ncities; i++) {
        free(c->cities[i].name);
        free(c->cities[i].hub);
        free(c->cities[i].rate);
    }
    for (size_t i = 0; i < c->ndcs; i++) {
        free(c->dcs[i].name);
        free(c->dcs[i].hub);
        free(c->dcs[i].gpus);
        free(c->dcs[i].latency_ms);
    }
    for (size_t i = 0; i < c->nprograms; i++) {
        free(c->programs[i].name);
        free(c->programs[i].accepts);
        free(c->programs[i].timeline);
    }
    for (size_t i = 0; i < c->sweep.nvars; i++) {
        free(c->sweep.vars[i].key);
        free(c->sweep.vars[i].lo);
        free(c->sweep.vars[i].hi);
        free(c->sweep.vars[i].values);
        free(c->sweep.vars[i].where);
    }
    free(c->cities);
    free(c->dcs);
    for (size_t i = 0; i < c->ninvestments; i++)
        free(c->investments[i].name);
    free(c->investments);
    free(c->programs);
    free(c->sweep.vars);
    free(c->name);
    free(c->description);
    free(c);
}

long config_city_index(const config *c, const char *name)
{
    for (size_t i = 0; i < c->ncities; i++)
        if (c->cities[i].name && !strcmp(c->cities[i].name, name))
            return (long)i;
    return -1;
}

long config_dc_index(const config *c, const char *name)
{
    for (size_t i = 0; i < c->ndcs; i++)
        if (c->dcs[i].name && !strcmp(c->dcs[i].name, name))
            return (long)i;
    return -1;
}

long config_investment_index(const config *c, const char *name)
{
    for (size_t i = 0; i < c->ninvestments; i++)
        if (!strcmp(c->investments[i].name, name))
            return (long)i;
    return -1;
}

long config_program_index(const config *c, const char *name)
{
    for (size_t i = 0; i < c->nprograms; i++)
        if (c->programs[i].name && !strcmp(c->programs[i].name, name))
            return (long)i;
    return -1;
}

const char *config_region_name(region r)
{
    return (unsigned)r < REGION_COUNT ? region_names[r] : "?";
}

const char *config_size_name(firm_size s)
{
    return (unsigned)s < SIZE_COUNT ? size_names[s] : "?";
}

const char *config_job_kind_name(job_kind k)
{
    return (unsigned)k < JOB_KIND_COUNT ? job_kind_names[k] : "?";
}

const char *config_route_name(route_policy p)
{
    return (unsigned)p < ROUTE_COUNT ? route_names[p] : "?";
}

char *config_format_time(const config *c, double t_h, char *buf, size_t size)
{
    long long min = llround(t_h * 60.0);
    long long day = min >= 0 ? min / 1440 : -((-min + 1439) / 1440);
    long long rem = min - day * 1440;
    char date[16];
    scn_format_date(c->start_day + day, date, sizeof date);
    if (rem == 0)
        snprintf(buf, size, "%s", date);
    else
        snprintf(buf, size, "%sT%02lld:%02lld", date, rem / 60, rem % 60);
    return buf;
}

/* ---- the lists above, by name, for the schema (models/schema.h) ---- */

const char *const *config_schema_list(const char *name)
{
    static const struct { const char *name; const char *const *list; } lists[] = {
        /* mappings: their known keys */
        { "top", top_keys }, { "profile", profile_keys }, { "data", data_keys },
        { "job", job_keys }, { "city", city_keys }, { "arrival", arrival_keys },
        { "datacenter", dc_keys }, { "capacity", capacity_keys },
        { "background", background_keys }, { "program", program_keys },
        { "appropriations", approp_keys }, { "appropriation", approp_item_keys },
        { "window", window_keys }, { "accepts", accepts_keys }, { "change", change_keys },
        { "sweep", sweep_keys }, { "investment", investment_keys },
        { "optimize", optimize_keys },
        /* enumerations: their names */
        { "enum:region", region_names }, { "enum:size", size_names },
        { "enum:job_kind", job_kind_names }, { "enum:routing", route_names },
        { "enum:program_kind", program_kind_names }, { "enum:allocation", alloc_names },
        { "enum:on_expiry", expiry_names }, { "enum:design", design_names },
        { "enum:dist", dist_names }, { "enum:accepts", accepts_names },
        { "enum:year_end", year_end_names }, { "enum:when_empty", when_empty_names },
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        if (!strcmp(lists[i].name, name))
            return lists[i].list;
    return NULL;
}
