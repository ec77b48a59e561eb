/* models/program.c - budget pots of a voucher program and their ledger. */
#include "models/program.h"

#include <math.h>
#include <stdlib.h>

double program_ledger_tol(double money)
{
    double rel = 1e-12 * fabs(money);
    return rel > 1.0 ? rel : 1.0;
}

void program_init(program_state *p, const program_cfg *c, uint64_t seed,
                  uint64_t rep, uint64_t stream)
{
    *p = (program_state){ 0 };
    p->initial = p->remaining = c->budget;
    p->coverage = c->coverage;
    p->cap_per_firm = c->cap_per_firm;
    p->empty_below = c->exhausted_below >= 1.0 ? c->exhausted_below : NAN;
    p->exhaustion_h = p->last_exhaustion_h = NAN;
    p->ref_price = NAN;
    sim_rng_init(&p->rng, seed, rep, stream);
}

void program_fini(program_state *p)
{
    free(p->exp);
    p->exp = NULL;
    p->nexp = p->capexp = 0;
    free(p->pending);
    p->pending = NULL;
    p->npending = p->cappending = 0;
}

/* The program runs out at t_h when, from then on, applications would be
 * turned away for lack of money: a grant left it below empty_below, or an
 * application found it so (refused, or the firm turned away). An empty pool
 * alone is not a run-out: at the start before the first appropriation of
 * the same instant, nor after a year end returned the money. */
static void note_exhaustion(program_state *p, double t_h)
{
    if (program_is_empty(p) && !p->empty) {
        p->empty = 1;
        p->last_exhaustion_h = t_h;
        if (isnan(p->exhaustion_h))
            p->exhaustion_h = t_h;
    }
}

/* Money came back (a tranche, a voucher's unspent value). */
static void note_refill(program_state *p)
{
    if (!program_is_empty(p))
        p->empty = 0;
}

double program_final_exhaustion_h(const program_state *p)
{
    return p->empty ? p->last_exhaustion_h : NAN;
}

double program_grant(program_state *p, double want, double t_h)
{
    double v = want < p->remaining ? want : p->remaining;
    if (!(want > 0.0) || program_is_empty(p)) {
        p->refusals++;
        note_exhaustion(p, t_h);
        return 0.0;
    }
    p->remaining -= v;
    p->committed += v;
    p->grants++;
    p->granted_sum += v;
    p->granted_n++;
    p->vouchers_active++;
    note_exhaustion(p, t_h);
    return v;
}

double program_spend(program_state *p, double *left, double amount)
{
    double s = amount < *left ? amount : *left;
    if (!(s > 0.0))
        return 0.0;
    *left -= s;
    p->committed -= s;
    p->spent += s;
    return s;
}

void program_voucher_close(program_state *p, double left, int give_back)
{
    p->committed -= left;
    if (give_back) {
        p->remaining += left;
        note_refill(p);
    } else
        p->lapsed += left;
    p->vouchers_active--;
}

void program_turn_away(program_state *p, double t_h)
{
    p->turned_away++;
    note_exhaustion(p, t_h);
}

void program_measure_start(program_state *p, double t_h)
{
    int was_empty = p->empty;
    p->initial = p->remaining + p->committed;
    p->spent = p->lapsed = p->tranches = p->returned = 0.0;
    p->applications = p->grants = p->refusals = p->declined = 0;
    p->turned_away = p->cohort_grants = p->cohort_additional = p->cohort_deadweight = 0;
    p->gpu_hours_additional = 0.0;
    p->exhaustion_h = p->last_exhaustion_h = NAN;
    p->empty = 0;
    if (was_empty)              /* ran out in the warm-up, not refilled */
        note_exhaustion(p, t_h);
}

void program_year_end(program_state *p, double t_h)
{
    if (p->remaining > 0.0) {
        p->returned += p->remaining;
        p->remaining = 0.0;
    }
    (void)t_h;                  /* returning money is not running out: the
                                   next application that finds none is */
}

void program_change_apply(program_state *p, const program_change *ch)
{
    if (ch->add_budget > 0.0) {
        p->remaining += ch->add_budget;
        p->tranches += ch->add_budget;
        note_refill(p);
    }
    if (ch->coverage >= 0.0)          /* NaN or negative: keep */
        p->coverage = ch->coverage;
    if (ch->cap_per_firm >= 0.0)
        p->cap_per_firm = ch->cap_per_firm;
    if (ch->close)
        p->closed = 1;
}

int program_pending_push(program_state *p, uint32_t firm)
{
    if (p->npending == p->cappending) {
        size_t cap = p->cappending ? 2 * p->cappending : 64;
        uint32_t *q = realloc(p->pending, cap * sizeof *q);
        if (!q)
            return SIM_ENOMEM;
        p->pending = q, p->cappending = cap;
    }
    p->pending[p->npending++] = firm;
    return SIM_OK;
}

int program_expiry_push(program_state *p, double at_h, uint32_t firm, uint64_t firm_id)
{
    if (p->nexp == p->capexp) {
        size_t cap = p->capexp ? 2 * p->capexp : 64;
        program_expiry *q = malloc(cap * sizeof *q);
        if (!q)
            return SIM_ENOMEM;
        for (size_t i = 0; i < p->nexp; i++)
            q[i] = p->exp[(p->exp_head + i) & (p->capexp - 1)];
        free(p->exp);
        p->exp = q, p->capexp = cap, p->exp_head = 0;
    }
    p->exp[(p->exp_head + p->nexp) & (p->capexp - 1)] = (program_expiry){ at_h, firm, firm_id };
    p->nexp++;
    return SIM_OK;
}

void program_expiry_pop(program_state *p)
{
    p->exp_head = (p->exp_head + 1) & (p->capexp - 1);
    p->nexp--;
}

int program_ledger_check(const program_state *p, const char *name, sim_err *err)
{
    double in = p->initial + p->tranches;
    double out = p->remaining + p->committed + p->spent + p->lapsed + p->returned;
    double tol = program_ledger_tol(in);
    if (!(fabs(in - out) <= tol))
        return sim_err_set(err, SIM_ECHECK, NULL, 0, 0,
                           "ledger: program %s: initial %.0f + tranches %.0f != "
                           "remaining %.2f + committed %.2f + spent %.2f + lapsed %.2f "
                           "+ returned %.2f (off by %.2f CNY)", name, p->initial, p->tranches,
                           p->remaining, p->committed, p->spent, p->lapsed, p->returned,
                           in - out);
    static const char *const pot[] = { "remaining", "committed", "spent", "lapsed" };
    double v[] = { p->remaining, p->committed, p->spent, p->lapsed };
    for (int i = 0; i < 4; i++)
        if (!(v[i] >= -tol))
            return sim_err_set(err, SIM_ECHECK, NULL, 0, 0,
                               "ledger: program %s: %s is negative (%.2f CNY)",
                               name, pot[i], v[i]);
    return SIM_OK;
}
