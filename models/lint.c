/* models/lint.c - warnings about a valid scenario that does not do what it says.
 *
 * Reads the validated config (dates in hours from start, the horizon in
 * force) beside the YAML tree it came from (for positions and for the text
 * a value was written in), after config.c has accepted both; so every
 * lookup here succeeds and every list is as long as the config's. */
#include "models/lint.h"

#include <ctype.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/scenario.h"

/* Appends "file:line:col: key: warning: message" at node n. */
static int add(lint_list *l, const scn_node *n, sim_err *err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int add(lint_list *l, const scn_node *n, sim_err *err, const char *fmt, ...)
{
    char text[768];
    sim_err tmp;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    sim_err_clear(&tmp);
    scn_error(&tmp, SIM_EINVAL, n, "warning: %s", text);
    char **m = realloc(l->msgs, (l->n + 1) * sizeof *m);
    if (!m)
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    l->msgs = m;
    if (!(m[l->n] = strdup(tmp.msg)))
        return sim_err_set(err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
    l->n++;
    return SIM_OK;
}

void lint_list_fini(lint_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->msgs[i]);
    free(l->msgs);
    l->msgs = NULL;
    l->n = 0;
}

/* ---- dates ---- */

/* The end of the window as a date (or date and time). */
static char *horizon_text(const config *c, char *buf, size_t size)
{
    return config_format_time(c, c->horizon_h, buf, size);
}

/* A dated item at t_h (hours from start) that the window never sees. */
static int after_horizon(const config *c, double t_h)
{
    return t_h >= c->horizon_h;
}

/* Capacity steps, arrival-rate changes and timeline entries dated at or
 * after the horizon: the economy does not even schedule those after it. */
static int lint_dates(const config *c, const scn_node *root, lint_list *l, sim_err *err)
{
    char hz[32], d[32];
    int rc;
    horizon_text(c, hz, sizeof hz);
    const scn_node *dcs = scn_get(root, "datacenters");
    for (size_t i = 0; i < c->ndcs; i++) {
        const scn_node *cap = scn_get(scn_item(dcs, i), "capacity");
        for (size_t k = 1; k < c->dcs[i].ngpus; k++) {
            double t = c->dcs[i].gpus[k].t_h;
            if (after_horizon(c, t)
                && (rc = add(l, scn_get(scn_item(cap, k - 1), "date"), err,
                             "%s is not before the end of the measurement window (%s): "
                             "this capacity step changes nothing that is measured",
                             config_format_time(c, t, d, sizeof d), hz)))
                return rc;
        }
    }
    const scn_node *cities = scn_get(root, "cities");
    for (size_t i = 0; i < c->ncities; i++) {
        const scn_node *arr = scn_get(scn_item(cities, i), "arrivals");
        for (size_t k = 1; k < c->cities[i].nrate; k++) {
            double t = c->cities[i].rate[k].t_h;
            if (after_horizon(c, t)
                && (rc = add(l, scn_get(scn_item(arr, k), "from"), err,
                             "%s is not before the end of the measurement window (%s): "
                             "this arrival rate never applies",
                             config_format_time(c, t, d, sizeof d), hz)))
                return rc;
        }
    }
    return SIM_OK;
}

/* "the year 2023 begins" or "the years 2020 to 2024 begin". */
static void years_text(const long long y[2], char *buf, size_t size)
{
    if (y[0] == y[1])
        snprintf(buf, size, "the year %lld begins", y[0]);
    else
        snprintf(buf, size, "the years %lld to %lld begin", y[0], y[1]);
}

/* A program's timeline entries, window and appropriations. */
static int lint_program_dates(const config *c, size_t p, const scn_node *m, lint_list *l,
                              sim_err *err)
{
    const program_cfg *pc = &c->programs[p];
    char hz[32], d[32], b[32];
    int rc;
    horizon_text(c, hz, sizeof hz);
    const scn_node *tl = scn_get(m, "timeline");
    for (size_t k = 0; k < scn_len(tl); k++) {
        const scn_node *date = scn_get(scn_item(tl, k), "date");
        int64_t day;
        if (scn_parse_date(date, &day, NULL) != SIM_OK)
            continue;
        double t = (double)(day - c->start_day) * 24.0;
        if (after_horizon(c, t)
            && (rc = add(l, date, err, "%s is not before the end of the measurement window "
                         "(%s): this change does nothing that is measured",
                         config_format_time(c, t, d, sizeof d), hz)))
            return rc;
    }
    const scn_node *w = scn_get(m, "window");
    if (w && scn_get(w, "open") && after_horizon(c, pc->open_h)
        && (rc = add(l, scn_get(w, "open"), err, "applications open on %s, not before the end "
                     "of the measurement window (%s): no firm of the window can apply",
                     config_format_time(c, pc->open_h, d, sizeof d), hz)))
        return rc;
    if (w && scn_get(w, "close") && pc->close_h <= -c->warmup_h
        && (rc = add(l, scn_get(w, "close"), err, "applications close on %s, not after the "
                     "simulation begins (%s%s): the program never takes one",
                     config_format_time(c, pc->close_h, d, sizeof d),
                     config_format_time(c, -c->warmup_h, b, sizeof b),
                     c->warmup_h > 0 ? ", with the warm-up" : "")))
        return rc;

    /* appropriations: a tranche on 1 January of each year */
    const scn_node *a = scn_get(m, "appropriations");
    if (!a)
        return SIM_OK;
    long long y0 = 0, y1 = -1;
    const scn_node *at0 = NULL, *at1 = NULL;  /* where the first early / late year is */
    long long early[2] = { 0, 0 }, late[2] = { 0, 0 };  /* first and last year */
    int nearly = 0, nlate = 0;
    size_t n = scn_node_kind(a) == SCN_MAP ? 1 : scn_len(a);
    for (size_t i = 0; i < n; i++) {
        const scn_node *from, *to;
        if (a && scn_node_kind(a) == SCN_MAP) {
            from = scn_get(a, "from");
            to = scn_get(a, "to");
        } else {
            from = to = scn_get(scn_item(a, i), "year");
        }
        y0 = strtoll(scn_str(from), NULL, 10);
        y1 = strtoll(scn_str(to), NULL, 10);
        for (long long y = y0; y <= y1; y++) {
            double t = (double)(scn_year_start_day(y) - c->start_day) * 24.0;
            if (t < -c->warmup_h) {
                if (!nearly++)
                    at0 = from, early[0] = y;
                early[1] = y;
            } else if (after_horizon(c, t)) {
                if (!nlate++)
                    at1 = to, late[0] = y;
                late[1] = y;
            }
        }
    }
    char yrs[64];
    if (nearly) {
        years_text(early, yrs, sizeof yrs);
        if ((rc = add(l, at0, err, "%s before the simulation does (%s%s): %s money is added "
                      "when it begins", yrs, config_format_time(c, -c->warmup_h, b, sizeof b),
                      c->warmup_h > 0 ? ", with the warm-up" : "",
                      nearly == 1 ? "its" : "all their")))
            return rc;
    }
    if (nlate) {
        years_text(late, yrs, sizeof yrs);
        if ((rc = add(l, at1, err, "%s on or after the end of the measurement window (%s): "
                      "%s money is never measured", yrs, hz, nlate == 1 ? "its" : "their")))
            return rc;
    }
    return SIM_OK;
}

/* ---- accepted providers ---- */

static int lint_accepts(const config *c, size_t p, const scn_node *m, lint_list *l, sim_err *err)
{
    const program_cfg *pc = &c->programs[p];
    for (size_t i = 0; i < c->ndcs; i++)
        if (pc->accepts[i])
            return SIM_OK;
    const scn_node *n = scn_get(m, "accepts");
    if (!n)
        return add(l, m, err, "accepts certified providers (the default), but no data center is "
                   "certified: its vouchers can pay no bill");
    if (scn_str(n) && !strcmp(scn_str(n), "certified"))
        return add(l, n, err, "no data center is certified: the program's vouchers can pay no "
                   "bill");
    if (scn_node_kind(n) == SCN_MAP && scn_get(n, "region"))
        return add(l, scn_get(n, "region"), err, "no data center is in the %s: the program's "
                   "vouchers can pay no bill", scn_str(scn_get(n, "region")));
    return add(l, n, err, "matches no data center: the program's vouchers can pay no bill");
}

/* ---- units ---- */

/* A scalar that is a bare non-zero number (so, for a duration, hours). */
static int bare_number(const scn_node *n, double *v)
{
    const char *s = scn_str(n);
    char *end;
    if (!s)
        return 0;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || !(isdigit((unsigned char)*s) || *s == '.' || *s == '+'))
        return 0;
    *v = strtod(s, &end);
    while (isspace((unsigned char)*end))
        end++;
    return !*end && end != s && isfinite(*v) && *v != 0;
}

/* A duration written in hours where days are meant more often: a value,
 * or each time parameter of a {dist: ...}. */
static int lint_days(const scn_node *n, lint_list *l, sim_err *err)
{
    static const char *const params[] = { "value", "min", "max", "mode", "mean", "median", "sd" };
    double v;
    int rc;
    if (!n)
        return SIM_OK;
    if (scn_node_kind(n) == SCN_MAP) {
        for (size_t i = 0; i < sizeof params / sizeof *params; i++)
            if ((rc = lint_days(scn_get(n, params[i]), l, err)))
                return rc;
        return SIM_OK;
    }
    if (!bare_number(n, &v))
        return SIM_OK;
    return add(l, n, err, "a bare number is hours: %s means %g hours (%.3g days); write %sd for "
               "days, or %sh to say hours", scn_str(n), v, v / 24.0, scn_str(n), scn_str(n));
}

/* Every duration key whose sensible unit is days. */
static int lint_units(const scn_node *root, lint_list *l, sim_err *err)
{
    static const char *const top[] = { "horizon", "warmup", "cooldown" };
    static const char *const prog[] = { "validity", "approval_delay", "lottery_every" };
    int rc;
    for (size_t i = 0; i < sizeof top / sizeof *top; i++)
        if ((rc = lint_days(scn_get(root, top[i]), l, err)))
            return rc;
    if ((rc = lint_days(scn_get(scn_get(root, "firms"), "patience"), l, err)))
        return rc;
    const scn_node *cities = scn_get(root, "cities");
    for (size_t i = 0; i < scn_len(cities); i++)
        if ((rc = lint_days(scn_get(scn_get(scn_item(cities, i), "firms"), "patience"), l, err)))
            return rc;
    const scn_node *dcs = scn_get(root, "datacenters");
    for (size_t i = 0; i < scn_len(dcs); i++)
        if ((rc = lint_days(scn_get(scn_get(scn_item(dcs, i), "background"), "patience"), l,
                            err)))
            return rc;
    const scn_node *progs = scn_get(root, "programs");
    for (size_t i = 0; i < scn_len(progs); i++)
        for (size_t k = 0; k < sizeof prog / sizeof *prog; k++)
            if ((rc = lint_days(scn_get(scn_item(progs, i), prog[k]), l, err)))
                return rc;
    return SIM_OK;
}

/* An amount of money written as a bare number below LINT_MONEY_MIN: yuan,
 * where a budget of 20 meant 20M (20 CNY grants a voucher or two). */
static int lint_yuan(const scn_node *n, lint_list *l, sim_err *err)
{
    double v;
    if (!n || !bare_number(n, &v) || !(v < LINT_MONEY_MIN))
        return SIM_OK;
    const char *s = scn_str(n);
    while (isspace((unsigned char)*s))
        s++;
    return add(l, n, err, "a bare number is yuan: %s means %g CNY (did you mean %gM?); write "
               "%gM for millions, %gk for thousands, or %g CNY to say yuan", s, v, v, v, v, v);
}

/* Every amount of money a scenario gives in millions more often than in
 * yuan: a program's budget and cap_per_firm, its timeline's add_budget and
 * cap_per_firm, its appropriations (per_year or each amount), an
 * investment's amount and cost_per_gpu. (exhausted_below may be small.) */
static int lint_money(const scn_node *root, lint_list *l, sim_err *err)
{
    static const char *const prog[] = { "budget", "cap_per_firm" };
    static const char *const change[] = { "add_budget", "cap_per_firm" };
    static const char *const inv[] = { "amount", "cost_per_gpu" };
    int rc;
    const scn_node *progs = scn_get(root, "programs");
    for (size_t i = 0; i < scn_len(progs); i++) {
        const scn_node *m = scn_item(progs, i);
        for (size_t k = 0; k < sizeof prog / sizeof *prog; k++)
            if ((rc = lint_yuan(scn_get(m, prog[k]), l, err)))
                return rc;
        const scn_node *tl = scn_get(m, "timeline");
        for (size_t j = 0; j < scn_len(tl); j++)
            for (size_t k = 0; k < sizeof change / sizeof *change; k++)
                if ((rc = lint_yuan(scn_get(scn_item(tl, j), change[k]), l, err)))
                    return rc;
        const scn_node *a = scn_get(m, "appropriations");
        if (a && scn_node_kind(a) == SCN_MAP) {
            if ((rc = lint_yuan(scn_get(a, "per_year"), l, err)))
                return rc;
        } else {
            for (size_t j = 0; j < scn_len(a); j++)
                if ((rc = lint_yuan(scn_get(scn_item(a, j), "amount"), l, err)))
                    return rc;
        }
    }
    const scn_node *invs = scn_get(root, "investments");
    for (size_t i = 0; i < scn_len(invs); i++)
        for (size_t k = 0; k < sizeof inv / sizeof *inv; k++)
            if ((rc = lint_yuan(scn_get(scn_item(invs, i), inv[k]), l, err)))
                return rc;
    return SIM_OK;
}

/* Background demand far above capacity: mean busy GPUs by Little's law. */
static int lint_background(const config *c, const scn_node *root, lint_list *l, sim_err *err)
{
    const scn_node *dcs = scn_get(root, "datacenters");
    int rc;
    for (size_t i = 0; i < c->ndcs; i++) {
        const dc_cfg *dc = &c->dcs[i];
        if (!(dc->bg_rate > 0))
            continue;
        double gpus = fmax(1.0, dist_mean(&dc->bg_gpus));  /* jobs take whole GPUs, >= 1 */
        double busy = dc->bg_rate * gpus * dist_mean(&dc->bg_hours);
        double cap = dc->gpus[0].value;
        if (!(busy > LINT_BG_LOAD_MAX * cap))
            continue;
        const scn_node *pd = scn_get(scn_get(scn_item(dcs, i), "background"), "per_day");
        if ((rc = add(l, pd, err, "background demand of %.3g times the capacity (per_day %g x "
                      "%.3g GPUs x %.3g hours on average / 24 = %.6g GPUs busy, against %.0f): "
                      "check the units of per_day, gpus and hours", busy / cap,
                      dc->bg_rate * 24.0, gpus, dist_mean(&dc->bg_hours), busy, cap)))
            return rc;
    }
    return SIM_OK;
}

int lint_scenario(const config *c, const struct scn_doc *doc, lint_list *out, sim_err *err)
{
    const scn_node *root = scn_root(doc);
    int rc;
    if ((rc = lint_units(root, out, err)) || (rc = lint_money(root, out, err))
        || (rc = lint_dates(c, root, out, err))
        || (rc = lint_background(c, root, out, err)))
        return rc;
    const scn_node *progs = scn_get(root, "programs");
    for (size_t p = 0; p < c->nprograms; p++) {
        const scn_node *m = scn_item(progs, p);
        if ((rc = lint_program_dates(c, p, m, out, err)) || (rc = lint_accepts(c, p, m, out, err)))
            return rc;
    }
    return SIM_OK;
}
