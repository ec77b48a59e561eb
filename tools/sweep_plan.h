/* tools/sweep_plan.h - a sweep's plan: its factors (from --vary or the
 * scenario's sweep: section), the design's points, and the scenario
 * loaded at each point. `vouchsim sweep` runs the plan; `vouchsim
 * validate` loads it to check every point. */
#ifndef TOOLS_SWEEP_PLAN_H
#define TOOLS_SWEEP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "models/config.h"
#include "models/scenario.h"
#include "tools/args.h"
#include "tools/optimize.h"
#include "tools/runner.h"

/* A factor: a list of values (grid) or a range (lhs, sobol), parsed by
 * opt_var_parse as optimize's --vary is. */
typedef struct sweep_factor {
    opt_var  v;
    char    *lo_text, *hi_text;   /* range or first and last value, as given */
    char    *values;              /* list: "v1,v2,..." as given; NULL for a range */
} sweep_factor;

typedef struct sweep {
    sweep_design design;
    sweep_factor *vars;
    size_t       k;
    size_t       npoints;
    double      *x;           /* [npoints x k] values in the keys' units (NaN: a name) */
    size_t      *lev;         /* [npoints x k] list value of each key (grid); NULL else */
    unsigned     reps;
    size_t       n_base;      /* sobol: N */
    unsigned     nboot;
    uint64_t     seed;
    config     **cfgs;        /* [npoints] */
    char       **sets;        /* [npoints] "key=value key=value" */
} sweep;

/* "grid", "lhs", "sobol", by sweep_design. */
extern const char *const sweep_design_names[3];

/* 1 when v is a categorical factor: its values are names or booleans. */
int sweep_factor_categorical(const sweep_factor *v);

/* Frees what s holds (s itself is the caller's). */
void sweep_free(sweep *s);

/* The factors and design from a's --vary and --design or, without them,
 * the scenario's sweep: section. Prints the error; 0, -1 on bad input,
 * -2 out of memory. */
int sweep_vars(sweep *s, const args *a, const config *cfg);

/* The design's points in the factors' units. Prints the error; 0, -1 on
 * bad input, -2 out of memory. */
int sweep_points(sweep *s, const args *a, const config *cfg);

/* The text of factor j at point p, for tables: as set, without the key
 * (buf holds "key=value"). */
const char *sweep_point_text(const sweep *s, size_t p, size_t j, char *buf, size_t size);

/* Loads every point: the scenario with a's sets and the point's. Fills
 * specs (npoints x reps) unless NULL. The file is read and parsed once,
 * each point made from a copy of its tree (scn_copy_labeled). Returns
 * EXIT_OK or the status to exit with. */
int sweep_load(sweep *s, const args *a, const config *base, const scn_doc *bdoc,
               run_spec *specs);

/* For validate: loads every point of the scenario's sweep: section (none:
 * EXIT_OK) as `vouchsim sweep SCENARIO` would with a's --set, --seed and
 * --until, and prints the first error as sweep prints it. Returns
 * EXIT_OK, EXIT_INPUT or EXIT_RUNTIME. */
int sweep_check(const args *a, const scn_doc *doc, const config *cfg);

#endif
