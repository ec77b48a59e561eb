/* tools/arms.h - paired comparisons: two arms run on common random
 * numbers, their differences printed and, with -o, one file for both. */
#ifndef TOOLS_ARMS_H
#define TOOLS_ARMS_H

#include "tools/args.h"

/* `compare BASE POLICY`: loads both scenarios with a's overrides, runs R
 * replications of each on the same seeds, prints every total (and a's
 * --by sections) with paired and unpaired intervals, and with a->out
 * writes one file: /arms/base, /arms/policy and /compare/differences.
 * Returns an exit status (EXIT_*). */
int arms_compare(const char *base, const char *policy, const args *a, int argc, char **argv);

/* `run --counterfactual`: the scenario against itself with vouchers off
 * (arms "counterfactual" and "vouchers"), as arms_compare. */
int arms_counterfactual(const args *a, int argc, char **argv);

#endif
