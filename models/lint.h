/* models/lint.h - warnings about a valid scenario that does not do what it says.
 *
 * config.c refuses what is wrong; this module notes what is valid but
 * does nothing, or probably means something else: dated items after the
 * horizon in force (timeline entries, windows, capacity steps, arrival
 * changes, appropriations) or before the simulation begins, accepted-
 * provider filters that match no data center, bare numbers (hours) for
 * durations whose sensible unit is days, bare numbers below
 * LINT_MONEY_MIN (yuan) for budgets, caps, tranches and investments,
 * usually meant in millions, and background demand far above a data
 * center's capacity. scenarios/README.md ("Warnings") lists them.
 *
 * Warnings are collected, never printed: tools/ prints them and decides
 * (with --strict) whether they stop the command. Each message reads
 * "file:line:col: key.path: warning: message", at the value concerned. */
#ifndef MODELS_LINT_H
#define MODELS_LINT_H

#include <stddef.h>

#include "models/config.h"
#include "sim/err.h"

struct scn_doc;

typedef struct lint_list {
    char  **msgs;     /* [n] malloc'd messages, grouped by kind */
    size_t  n;
} lint_list;

/* Background demand is reported when its mean busy GPUs (Little's law:
 * per_day / 24 x mean GPUs x mean hours) exceed this multiple of the
 * capacity at start. */
#define LINT_BG_LOAD_MAX 1.5

/* An amount of money (a budget, a cap, a tranche, an investment) written
 * as a bare number below this many yuan is reported: 20 is 20 CNY, where
 * 20M was meant. */
#define LINT_MONEY_MIN 10000.0

/* Appends to out the warnings about c, which config_from_scenario built
 * from doc; c->horizon_h is the horizon in force (after --until). out must
 * be zeroed or hold earlier warnings. Returns SIM_OK or SIM_ENOMEM. */
int lint_scenario(const config *c, const struct scn_doc *doc, lint_list *out, sim_err *err);

/* Frees the messages; the list is empty afterwards. */
void lint_list_fini(lint_list *l);

#endif
