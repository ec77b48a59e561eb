/* models/program.h - a voucher program's budget, vouchers and ledger.
 *
 * Money moves between five pots: remaining (uncommitted budget), committed
 * (the value left on open vouchers), spent (subsidy paid on bills), lapsed
 * (unspent value of closed vouchers that did not return) and returned
 * (uncommitted budget given back at a year end). Every function here moves
 * an amount from one pot to another, so
 *     initial budget + tranches = remaining + committed + spent + lapsed
 *                                 + returned
 * holds by construction; program_ledger_check verifies it. Which firm holds
 * which voucher, and when, is economy.c's business. */
#ifndef MODELS_PROGRAM_H
#define MODELS_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "sim/err.h"
#include "sim/rng.h"

typedef struct program_state {
    double   initial;          /* budget at start, yuan */
    double   remaining;        /* uncommitted budget, yuan */
    double   committed;        /* value left on open vouchers, yuan */
    double   spent;            /* subsidy paid, yuan */
    double   lapsed;           /* unspent value of closed vouchers, yuan */
    double   tranches;         /* budget added by the timeline, yuan */
    double   returned;         /* uncommitted budget given back to the
                                  treasury at year ends, yuan */
    double   coverage;         /* current coverage rate */
    double   cap_per_firm;     /* current cap, yuan */
    int      closed;           /* closed by the timeline */
    double   empty_below;      /* yuan: less uncommitted than this is run out
                                  (the config's exhausted_below); NaN: the
                                  mean voucher granted */
    double   granted_sum;      /* value of all vouchers granted in the run */
    uint64_t granted_n;        /* and their number (never reset) */
    double   exhaustion_h;     /* first time it ran out: a grant left remaining
                                  < empty_below, or an application found it
                                  so; NaN until */
    double   last_exhaustion_h;/* latest time it ran out */
    int      empty;            /* ran out and not refilled since */
    double   ref_price;        /* GPU-weighted mean price of accepted DCs;
                                  NaN when none has capacity */
    uint64_t applications, grants, refusals, declined; /* declined: granted,
                                  but the firm did not buy */
    uint64_t turned_away;      /* firms that found it run out and did not apply */
    uint64_t cohort_grants;    /* grants to firms of the measurement window's
                                  cohort (economy.c counts them) */
    uint64_t cohort_additional, cohort_deadweight; /* of those, firms that
                                  bought only thanks to the voucher, and that
                                  would have bought anyway (economy.c) */
    double   gpu_hours_additional; /* GPU-hours of finished jobs of its
                                  additional firms in the window (economy.c) */
    uint64_t vouchers_active;
    uint32_t *pending;         /* lottery: firms waiting for the next round */
    size_t   npending, cappending;
    struct program_expiry *exp;/* open vouchers in grant order (ring) */
    size_t   exp_head, nexp, capexp;
    int      exp_scheduled;    /* an expiry event is pending */
    sim_rng  rng;              /* lottery draws */
} program_state;

/* A voucher in the expiry queue. Validity is the same for all of a
 * program's vouchers, so they expire in grant order: one event per program
 * for the queue's head replaces one per voucher. Entries of vouchers that
 * closed early are skipped (firm_id no longer matches, or closed). */
typedef struct program_expiry {
    double   at_h;             /* expiry time */
    uint32_t firm;             /* pool index */
    uint64_t firm_id;          /* the firm's unique number, to spot reuse */
} program_expiry;

/* Sets p to the start of a run of c. stream names p's random stream. */
void program_init(program_state *p, const program_cfg *c, uint64_t seed,
                  uint64_t rep, uint64_t stream);
void program_fini(program_state *p);

/* Commits a voucher worth min(want, remaining) at time t_h. Returns its
 * value, or 0 (a refusal, counted) when the program has run out (less than
 * empty_below uncommitted) or want is not positive. Records exhaustion_h
 * the first time a grant leaves, or an application finds, remaining below
 * empty_below. */
double program_grant(program_state *p, double want, double t_h);

/* The amount below which the program has run out: exhausted_below, or by
 * default the mean voucher it has granted so far (1 yuan before any), so
 * that sums too small for one more typical voucher do not count as money
 * left. */
static inline double program_empty_below(const program_state *p)
{
    if (p->empty_below >= 1.0)
        return p->empty_below;
    double m = p->granted_n ? p->granted_sum / (double)p->granted_n : 1.0;
    return m >= 1.0 ? m : 1.0;
}

/* True when the program has run out. */
static inline int program_is_empty(const program_state *p)
{
    return !(p->remaining >= program_empty_below(p));
}

/* A firm found the program run out at t_h and did not apply: counted in
 * turned_away, and the program has run out at t_h if it had not yet. */
void program_turn_away(program_state *p, double t_h);

/* When the money ran out for good: the latest time the program ran out, if
 * no tranche or returned voucher refilled it before the horizon; NaN when
 * it never ran out or was refilled afterwards (in a multi-year run: by the
 * next year's appropriation). */
double program_final_exhaustion_h(const program_state *p);

/* Starts the measurement window at t_h: the opening balance (remaining +
 * committed) becomes the initial budget, the flows (spent, lapsed,
 * tranches, counts) restart from 0, and a program that ran out in the
 * warm-up and was not refilled counts as run out at t_h. The ledger holds
 * across the reset. */
void program_measure_start(program_state *p, double t_h);

/* Pays min(amount, *left) from a voucher with *left yuan on it: moves it
 * from committed to spent and returns it. */
double program_spend(program_state *p, double *left, double amount);

/* Closes a voucher with left yuan unspent: back to remaining when
 * give_back, else lapsed. */
void program_voucher_close(program_state *p, double left, int give_back);

/* A year end under `year_end: return`: the uncommitted budget goes back
 * to the treasury (remaining -> returned) at t_h. This is not a run-out:
 * the next application that finds no money is (program_grant,
 * program_turn_away), so a pool emptied on 1 January and refilled by the
 * same instant's appropriation, or emptied at the horizon, never ran out. */
void program_year_end(program_state *p, double t_h);

/* Applies a timeline change (tranche, coverage, cap, close). */
void program_change_apply(program_state *p, const program_change *ch);

/* Appends firm to the lottery's waiting list. SIM_OK or SIM_ENOMEM. */
int program_pending_push(program_state *p, uint32_t firm);

/* Appends a voucher to the expiry queue. SIM_OK or SIM_ENOMEM. */
int program_expiry_push(program_state *p, double at_h, uint32_t firm, uint64_t firm_id);

/* The head of the expiry queue, or NULL when empty; and dropping it. */
static inline const program_expiry *program_expiry_head(const program_state *p)
{
    return p->nexp ? &p->exp[p->exp_head] : NULL;
}
void program_expiry_pop(program_state *p);

/* How far a ledger of this size (the money it holds, in yuan) may be off
 * and still balance: 1 yuan, or a trillionth of the money above 10^12 yuan,
 * where a double's rounding (an eighth of a yuan at 10^15) summed over
 * the run's transactions reaches a yuan. */
double program_ledger_tol(double money);

/* The ledger of p (named name): initial + tranches equals remaining +
 * committed + spent + lapsed + returned within program_ledger_tol of the
 * money, and no pot is below minus that. Returns SIM_OK or SIM_ECHECK
 * with a message naming the program and the amount. */
int program_ledger_check(const program_state *p, const char *name, sim_err *err);

#endif
