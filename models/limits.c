/* models/limits.c - the cost of a replication, estimated from its config.
 *
 * Expected values, per replication (see limits.h and scenarios/README.md,
 * "Limits"): firms = the integral of each city's arrival rate over the
 * warm-up and the horizon, each bringing ceil(mean jobs) jobs; background jobs = rate x span;
 * warm-start jobs = rate x mean hours; samples = span / interval + 1.
 * Events: per firm 3 (arrival, decision, expiry) + 2 per job (end or
 * renege, and its submission's bookkeeping); per background job 2; one per
 * warm-start job, lottery round, dated change and sample. Memory: the
 * series (samples x columns x 8 bytes, which export and plot read whole)
 * and what is in flight at once by Little's law (firms: peak rate x
 * (approval delay + jobs x (mean hours + mean patience)); background jobs:
 * warm start + rate x (mean hours + mean patience)), a job waiting at most
 * its patience. The economy's own structures are not visible here, so a
 * job in flight is costed at JOB_BYTES, an upper figure. Nothing here
 * runs the model; economy_new is made once to count the series columns. */
#include "models/limits.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/economy.h"
#include "models/firm.h"

#define JOB_BYTES   128.0      /* a job, its queue slot and its pending events */
#define EVENT_BYTES 48.0       /* a pending event of the engine */

/* The simulated span. The one place to extend when the run covers more
 * than the horizon (a warm-up before it, a cool-down after). */
static double span_h(const config *c)
{
    return c->warmup_h + c->horizon_h + c->cooldown_h;
}

void lim_defaults(lim_limits *l)
{
    l->max_events = LIM_MAX_EVENTS;
    l->max_samples = LIM_MAX_SAMPLES;
    l->max_memory = LIM_MAX_MEMORY;
}

/* a x b with 0 x anything = 0 (no NaN from 0 x inf). */
static double mul(double a, double b)
{
    return a == 0.0 || b == 0.0 ? 0.0 : a * b;
}

/* The mean of a count drawn from d and rounded up, at least 1. */
static double count_mean(const dist *d)
{
    double m = dist_mean(d);
    if (isnan(m))
        return INFINITY;
    return m > 1.0 ? ceil(m) : 1.0;
}

/* The mean of a nonnegative quantity drawn from d (negative draws are 0). */
static double pos_mean(const dist *d)
{
    double m = dist_mean(d);
    return isnan(m) ? INFINITY : m > 0.0 ? m : 0.0;
}

/* Arrivals of city cc: their number, and in *peak the highest rate in
 * force (per hour) and in *peak_step its step. Firms arrive in the warm-up
 * and the horizon, not in the cool-down; in engine time a later step
 * starts warmup_h after its date (as economy.c schedules them). */
static double city_firms(const city_cfg *cc, const config *c, double *peak, size_t *peak_step)
{
    double n = 0.0, off = c->warmup_h, end = c->warmup_h + c->horizon_h;
    *peak = 0.0;
    *peak_step = 0;
    for (size_t k = 0; k < cc->nrate; k++) {
        /* the first rate (dated `start`) holds from the warm-up's beginning */
        double t0 = k == 0 ? 0.0 : off + cc->rate[k].t_h;
        double t1 = k + 1 < cc->nrate ? off + cc->rate[k + 1].t_h : end;
        if (t1 > end)
            t1 = end;
        if (t0 >= end)
            break;
        if (t1 > t0)
            n += mul(cc->rate[k].value, t1 - t0);
        if (cc->rate[k].value > *peak) {
            *peak = cc->rate[k].value;
            *peak_step = k;
        }
    }
    return n;
}

/* Mean hours of one of a firm's jobs, over the job mix. */
static double job_hours_mean(const firm_profile *fp)
{
    double h = 0.0;
    for (int k = 0; k < JOB_KIND_COUNT; k++)
        h += mul(fp->kind[k].share, pos_mean(&fp->kind[k].hours));
    return h;
}

/* Mean approval delay of the first program of city ci (0 when none). */
static double approval_mean(const config *c, size_t ci)
{
    for (size_t p = 0; p < c->nprograms; p++)
        if (c->programs[p].city == ci)
            return pos_mean(&c->programs[p].approval_delay_h);
    return 0.0;
}

/* Samples are recorded over the window only (not the warm-up or cool-down). */
static double samples_of(const config *c)
{
    double s = ceil(c->horizon_h / c->sample_h);
    return (s > 0.0 ? s : 0.0) + 1.0;
}

/* Series columns: entities x series, as the economy records them. */
static int count_columns(const config *c, double *cols, sim_err *err)
{
    economy *e = economy_new(c, 0, 0, err);
    if (!e)
        return err && err->code ? err->code : SIM_ENOMEM;
    double n = 0.0;
    for (size_t i = 0; i < economy_series_count(e); i++)
        n += (double)economy_group_size(e, economy_series(e, i)->group);
    economy_free(e);
    *cols = n;
    return SIM_OK;
}

/* What a contribution is, where its key is, and how much it adds. */
typedef struct blame {
    double          amount;
    const scn_node *node;
    char            what[160];
} blame;

static void consider(blame *b, double amount, const scn_node *node, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void consider(blame *b, double amount, const scn_node *node, const char *fmt, ...)
{
    /* NaN counts as the largest: it is the one to report */
    if (!(amount > b->amount) && !isnan(amount))
        return;
    if (isnan(b->amount))
        return;
    b->amount = amount;
    b->node = node;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->what, sizeof b->what, fmt, ap);
    va_end(ap);
}

static const scn_node *first_of(const scn_node *a, const scn_node *b, const scn_node *c)
{
    return a ? a : b ? b : c;
}

/* The nodes behind config entries (config keeps list order). */
static const scn_node *item(const scn_doc *doc, const char *list, size_t i)
{
    return doc ? scn_item(scn_get(scn_root(doc), list), i) : NULL;
}

static const scn_node *arrivals_node(const scn_doc *doc, size_t ci, size_t peak_k)
{
    const scn_node *it = item(doc, "cities", ci);
    const scn_node *a = scn_get(it, "arrivals");
    if (a && scn_node_kind(a) == SCN_SEQ)
        return first_of(scn_get(scn_item(a, peak_k), "per_day"), scn_item(a, peak_k), a);
    return first_of(a, it, NULL);
}

static const scn_node *jobs_node(const scn_doc *doc, size_t ci)
{
    const scn_node *it = item(doc, "cities", ci);
    const scn_node *own = scn_get(scn_get(it, "firms"), "jobs");
    const scn_node *top = doc ? scn_get(scn_get(scn_root(doc), "firms"), "jobs") : NULL;
    return first_of(own, top, NULL);
}

static const scn_node *bg_node(const scn_doc *doc, size_t di, const char *key)
{
    const scn_node *it = item(doc, "datacenters", di);
    const scn_node *bg = scn_get(it, "background");
    return first_of(scn_get(bg, key), bg, it);
}

static const scn_node *sample_node(const scn_doc *doc)
{
    const scn_node *r = doc ? scn_root(doc) : NULL;
    return first_of(scn_get(r, "sample_interval"),
                    first_of(scn_get(r, "horizon"), scn_get(r, "end"), NULL), r);
}

/* The estimate; with blames, also who contributes most to events and to
 * memory. */
static int estimate(const config *c, const scn_doc *doc, lim_estimate *e, blame *ev,
                    blame *mem, sim_err *err)
{
    double span = span_h(c);
    int rc;
    memset(e, 0, sizeof *e);
    e->span_h = span;
    e->samples = samples_of(c);
    e->events = e->samples;
    if (ev)
        consider(ev, e->samples, sample_node(doc), "%.3g samples", e->samples);

    for (size_t i = 0; i < c->ncities; i++) {
        const firm_profile *fp = &c->cities[i].firms;
        double peak;
        size_t peak_k;
        double firms = city_firms(&c->cities[i], c, &peak, &peak_k);
        double jobs = count_mean(&fp->jobs);
        double events = mul(firms, 3.0 + 2.0 * jobs);
        /* a job may wait up to the firm's patience before it runs */
        double life = approval_mean(c, i)
                      + mul(jobs, job_hours_mean(fp) + pos_mean(&fp->patience_h));
        double alive = mul(peak, life);
        if (!(alive <= firms))
            alive = firms;
        double bytes = mul(alive, sizeof(firm) + JOB_BYTES + 2 * EVENT_BYTES
                                  + jobs * sizeof(job_spec))
                       + mul(firms, sizeof(double));          /* subsidy per grantee */
        e->firms += firms;
        e->firm_jobs += mul(firms, jobs);
        e->events += events;
        e->state_bytes += bytes;
        if (ev) {
            /* blame the larger factor: many firms, or many jobs each */
            const scn_node *n = jobs > firms && jobs_node(doc, i) ? jobs_node(doc, i)
                                                                 : arrivals_node(doc, i, peak_k);
            consider(ev, events, n, "%.3g firms arriving in %s, %.3g job%s each", firms,
                     c->cities[i].name, jobs, jobs == 1.0 ? "" : "s");
        }
        if (mem)
            consider(mem, bytes, arrivals_node(doc, i, peak_k), "%.3g firms of %s in flight at "
                     "once, %.3g job%s each", alive, c->cities[i].name, jobs,
                     jobs == 1.0 ? "" : "s");
    }

    for (size_t i = 0; i < c->ndcs; i++) {
        const dc_cfg *d = &c->dcs[i];
        double arrivals = mul(d->bg_rate, span);
        double mean_h = pos_mean(&d->bg_hours);
        double warm = 0.0;
        if (d->bg_warm && d->bg_rate > 0.0 && mean_h > 0.0 && isfinite(mean_h))
            warm = d->bg_rate * mean_h;
        double alive = mul(d->bg_rate, mean_h + pos_mean(&d->bg_patience_h));
        if (!(alive <= arrivals))
            alive = arrivals;
        alive += warm;
        double bytes = alive * JOB_BYTES;
        e->bg_jobs += arrivals;
        e->warm_jobs += warm;
        e->events += 2.0 * arrivals + warm + (double)d->ngpus;
        e->state_bytes += bytes;
        if (ev) {
            consider(ev, 2.0 * arrivals, bg_node(doc, i, "per_day"),
                     "%.3g background jobs arriving at %s", arrivals, d->name);
            /* warm start: per_day / 24 x mean hours; the larger factor */
            consider(ev, warm, bg_node(doc, i, d->bg_rate > mean_h ? "per_day" : "hours"),
                     "%.3g background jobs running at %s at the start, per_day / 24 x mean "
                     "hours", warm, d->name);
        }
        if (mem)
            consider(mem, bytes, bg_node(doc, i, "per_day"), "%.3g background jobs of %s in "
                     "flight at once", alive, d->name);
    }

    for (size_t p = 0; p < c->nprograms; p++) {
        const program_cfg *pc = &c->programs[p];
        e->events += (double)pc->ntimeline;
        if (pc->allocation != ALLOC_LOTTERY || !(pc->lottery_every_h > 0.0))
            continue;
        double rounds = floor(span / pc->lottery_every_h) + 1.0;
        e->lottery_rounds += rounds;
        e->events += rounds;
        if (ev) {
            const scn_node *it = item(doc, "programs", p);
            consider(ev, rounds, first_of(scn_get(it, "lottery_every"),
                                          scn_get(it, "allocation"), it),
                     "%.3g lottery rounds of %s", rounds, pc->name);
        }
    }

    if ((rc = count_columns(c, &e->columns, err)) != SIM_OK)
        return rc;
    e->series_bytes = e->samples * (e->columns + 1.0) * sizeof(double);
    if (mem)
        consider(mem, e->series_bytes, sample_node(doc), "series: %.3g samples x %.0f columns",
                 e->samples, e->columns);
    e->memory = e->series_bytes + e->state_bytes;
    return SIM_OK;
}

int lim_estimate_config(const config *c, lim_estimate *e, sim_err *err)
{
    return estimate(c, NULL, e, NULL, NULL, err);
}

/* An error at n, or without a position when there is no node. */
static int refuse(sim_err *err, const scn_node *n, const char *msg)
{
    if (n)
        return scn_error(err, SIM_EINVAL, n, "%s", msg);
    return sim_err_set(err, SIM_EINVAL, NULL, 0, 0, "%s", msg);
}

int lim_check(const config *c, const scn_doc *doc, const lim_limits *l, lim_estimate *e,
              sim_err *err)
{
    blame ev = { -1.0, NULL, "" }, mem = { -1.0, NULL, "" };
    char msg[SIM_ERR_MSG_MAX - 200], b1[32], b2[32];
    int rc = estimate(c, doc, e, &ev, &mem, err);
    if (rc != SIM_OK)
        return rc;
    if (!(e->samples <= l->max_samples)) {
        snprintf(msg, sizeof msg, "about %.3g samples per replication (every %g h for %g h), "
                 "more than the limit of %.3g (raise it with --max-samples N)", e->samples,
                 c->sample_h, e->span_h, l->max_samples);
        return refuse(err, sample_node(doc), msg);
    }
    if (!(e->events <= l->max_events)) {
        snprintf(msg, sizeof msg, "about %.3g events per replication (%s), more than the limit "
                 "of %.3g (raise it with --max-events N)", e->events, ev.what, l->max_events);
        return refuse(err, ev.node, msg);
    }
    if (!(e->memory <= l->max_memory)) {
        snprintf(msg, sizeof msg, "about %s of memory per replication (%s), more than the "
                 "limit of %s (raise it with --max-memory SIZE)",
                 lim_format_bytes(e->memory, b1, sizeof b1), mem.what,
                 lim_format_bytes(l->max_memory, b2, sizeof b2));
        return refuse(err, mem.node, msg);
    }
    return SIM_OK;
}

/* A plain decimal number (digits, '.', exponent), finite and > 0; *end
 * gets what follows it. */
static int positive(const char *s, double *out, const char **end)
{
    const char *p = s;
    if (!isdigit((unsigned char)*p) && !(*p == '.' && isdigit((unsigned char)p[1])))
        return 0;
    char *e;
    double v = strtod(s, &e);
    for (const char *q = s; q < e; q++)
        if (!isdigit((unsigned char)*q) && !strchr(".eE+-", *q))
            return 0;
    if (e == s || !isfinite(v) || !(v > 0.0))
        return 0;
    *out = v;
    *end = e;
    return 1;
}

int lim_parse_count(const char *s, double *n)
{
    double v;
    const char *end;
    if (!s || !positive(s, &v, &end) || *end)
        return SIM_EINVAL;
    *n = floor(v);
    return *n >= 1.0 ? SIM_OK : SIM_EINVAL;
}

int lim_parse_size(const char *s, double *bytes)
{
    static const char units[] = "kMGTP";
    double v, mult = 1.0;
    const char *end;
    if (!s || !positive(s, &v, &end))
        return SIM_EINVAL;
    if (*end) {
        const char *u = strchr(units, *end == 'K' ? 'k' : *end);
        if (u && *end) {
            mult = pow(1024.0, (double)(u - units + 1));
            end++;
            if (!strcmp(end, "iB") || !strcmp(end, "B"))
                end += strlen(end);
        } else if (!strcmp(end, "B")) {
            end++;
        }
    }
    if (*end)
        return SIM_EINVAL;
    *bytes = v * mult;
    return isfinite(*bytes) ? SIM_OK : SIM_EINVAL;
}

char *lim_format_bytes(double bytes, char *buf, size_t size)
{
    static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int k = 0;
    while (bytes >= 1024.0 && k < 6) {
        bytes /= 1024.0;
        k++;
    }
    if (!isfinite(bytes))
        snprintf(buf, size, "an unbounded amount");
    else
        snprintf(buf, size, "%.3g %s", bytes, unit[k]);
    return buf;
}
