/* tools/optimize.h - what `vouchsim optimize` parses and writes, apart
 * from running: objective and constraint expressions over a run's
 * scalars, decision variables (value lists and ranges), and the chosen
 * policy as a scenario that extends the base one.
 *
 * The expressions are a tiny arithmetic language, compiled to a postfix
 * program and evaluated without anything external:
 *     expr    := term (('+' | '-') term)*
 *     term    := unary (('*' | '/') unary)*
 *     unary   := ('-' | '+') unary | primary
 *     primary := NUMBER | NAME | '{' KEY '}' | '(' expr ')'
 * NUMBER is a decimal number, optionally with a money suffix (30k, 400M,
 * 1.03B); NAME a scalar of the run as `vouchsim summary` names it
 * (gpu_hours_total); {KEY} the value of a numeric decision variable
 * ({datacenters.mmc-100.gpus}). The statistics live in sim/select.h. */
#ifndef TOOLS_OPTIMIZE_H
#define TOOLS_OPTIMIZE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "models/scenario.h"
#include "sim/err.h"

/* ---- expressions ---- */

typedef struct opt_expr opt_expr;

#define OPT_EXPR_MAX_LEN 4096     /* characters of one expression */
#define OPT_EXPR_MAX_DEPTH 64     /* nesting of parentheses and unary signs */

/* Compiles text. Names resolve against names[nnames] (the run's scalars),
 * {KEY} against vars[nvars] (the decision variables' keys); numeric[j] is
 * 0 when variable j takes names, which an expression may then not use.
 * Returns NULL and fills err (SIM_ESYNTAX with the column, SIM_ENOMEM). */
opt_expr *opt_expr_parse(const char *text, const char *const *names, size_t nnames,
                         const char *const *vars, const int *numeric, size_t nvars,
                         sim_err *err);
void opt_expr_free(opt_expr *e);

/* The value on one run: scalars[] in the order of names, var[] in the
 * order of vars. Division by zero and missing scalars (NaN) give a
 * non-finite result, which the caller reports. */
double opt_expr_eval(const opt_expr *e, const double *scalars, const double *var);

/* 1 when the expression uses no scalar and no variable (a constant). */
int opt_expr_is_const(const opt_expr *e);
/* 1 when it uses a scalar of the run (else its value is known before any
 * run: opt_expr_eval may then be given NULL scalars). */
int opt_expr_uses_scalars(const opt_expr *e);

/* ---- constraints: "LHS <= RHS [tol EPS]" or "LHS >= RHS [tol EPS]" ---- */

typedef struct opt_constraint {
    opt_expr *lhs, *rhs;
    int       ge;          /* 1 for >= */
    double    tol;         /* tolerance (indifference zone), in LHS's unit */
    int       tol_given;
} opt_constraint;

/* Parses one constraint. Without `tol EPS` the tolerance is 1% of |RHS|
 * when RHS is a non-zero constant; otherwise `tol` is required. */
int opt_constraint_parse(opt_constraint *c, const char *text, const char *const *names,
                         size_t nnames, const char *const *vars, const int *numeric,
                         size_t nvars, sim_err *err);
void opt_constraint_fini(opt_constraint *c);

/* g such that the constraint holds when g <= 0: LHS - RHS (<=) or RHS -
 * LHS (>=). */
double opt_constraint_eval(const opt_constraint *c, const double *scalars, const double *var);

/* 1 when neither side uses a run's scalar: the constraint is exact, known
 * for a candidate before it runs ({key} and numbers only). */
int opt_constraint_exact(const opt_constraint *c);

/* ---- decision variables ---- */

typedef enum { OPT_NUMBER = 0, OPT_MONEY, OPT_DURATION, OPT_NAME } opt_kind;

typedef struct opt_var {
    char     *key;
    int       range;       /* 1: LO:HI, searched; 0: a finite list */
    size_t    n;           /* list: the values */
    char    **text;        /* [n] as given (names, booleans, numbers) */
    double   *num;         /* [n] value in the key's unit (NaN for names) */
    double    lo, hi;      /* range, in the key's unit */
    opt_kind  kind;
    int       whole;       /* every value a whole number */
} opt_var;

/* Parses "key=v1,v2,..." (a list of numbers, amounts, durations, names or
 * booleans), "key=LO:HI" (a range) or "key=LO:HI:N" (N evenly spaced
 * levels, a list). As in sweep, LO and HI written as whole numbers make
 * every value whole. Returns SIM_OK or SIM_EINVAL with the message. */
int opt_var_parse(opt_var *v, const char *spec, sim_err *err);
void opt_var_fini(opt_var *v);

/* "key=value" for --set of value x of a numeric variable (durations in
 * hours, "12h"; whole values rounded): into buf. */
void opt_var_set_text(const opt_var *v, double x, char *buf, size_t size);

/* ---- the chosen policy as a scenario ---- */

/* Writes to f a scenario that extends `extends` (a path as it should
 * appear in the file) and sets each of sets[nsets] ("key.path=value", as
 * for --set), resolved against doc (the base scenario, for the names of
 * items addressed by index). Keys become nested YAML mappings and named
 * list items (`- name: X`), which extends merges by name. header (may be
 * NULL) goes first as comment lines. SIM_EINVAL when a key cannot be
 * written so (an index into a list without names, a value with line
 * breaks); SIM_EIO on a failed write. */
int opt_yaml_write(FILE *f, const char *header, const char *extends, const scn_doc *doc,
                   const char *const *sets, size_t nsets, sim_err *err);

/* What sets[nsets] make of doc, as opt_yaml_write writes it (list items
 * by name, a key set twice holding its last value), as text for a name:
 * "path=value" per key set, joined by ", ", in the order the keys are
 * first set. The keys whose value comes from sets[first..] go to
 * *chosen, the others to *fixed (each malloc'd, "" when none); the
 * top-level key `skip` (NULL: none) is left out. Returns SIM_OK, or the
 * code and message of opt_yaml_write's checks. */
int opt_overrides_text(const scn_doc *doc, const char *const *sets, size_t nsets, size_t first,
                       const char *skip, char **chosen, char **fixed, sim_err *err);

/* The relative path from directory from_dir to file to (both absolute,
 * normalized, as realpath gives them): "../scenarios/x.yaml". malloc'd. */
char *opt_relpath(const char *from_dir, const char *to);

/* ---- the journal of finished runs, for --resume ---- */

/* A text file next to the output (OUT.journal): a header line with the
 * number of scalars, then one line per finished run: the candidate's
 * identity (16 hex digits), the replication, and the run's scalars as C99
 * hexadecimal floats, which read back bit for bit. Appended after every
 * batch and fsynced; a line torn by a crash is dropped on reading. */
typedef struct opt_journal opt_journal;

#define OPT_JOURNAL_MAGIC "vouchsim-optimize-journal 1"

/* Opens path. With resume, first reads the runs it holds (none when it
 * does not exist; a file with another header or another number of
 * scalars is started over, as is everything after a torn line); without,
 * starts it empty. Returns NULL and fills err (SIM_EIO with the path and
 * the system's reason, SIM_ENOMEM). */
opt_journal *opt_journal_open(const char *path, size_t ncols, int resume, sim_err *err);

/* The runs read at open (not those appended since). */
size_t opt_journal_loaded(const opt_journal *j);

/* The scalars of run (ident, rep) read at open, or NULL. */
const double *opt_journal_find(const opt_journal *j, uint64_t ident, uint64_t rep);

/* Appends a run (ncols scalars). SIM_EIO on a failed write. */
int opt_journal_append(opt_journal *j, uint64_t ident, uint64_t rep, const double *row,
                       sim_err *err);

/* Makes what was appended durable (flush and fsync). SIM_EIO on failure. */
int opt_journal_sync(opt_journal *j, sim_err *err);

/* Closes; with remove, deletes the file (the optimization finished). */
void opt_journal_close(opt_journal *j, int remove);

#endif
