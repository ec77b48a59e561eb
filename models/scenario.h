/* models/scenario.h - loading a YAML scenario into a checked tree.
 *
 * scn_load reads one YAML file with libyaml, follows `extends:` (a path
 * relative to the file; the child's keys override the parent's, mappings
 * merging key by key, sequences of named mappings merging by `name`,
 * anything else replaced), applies `--set key.path=value` overrides, and
 * returns an immutable tree in which every node remembers the file, line
 * and column it came from and its key path ("programs[2].coverage"; items
 * of named sequences too are named by index, as in editors' messages, while
 * --set may address them by name). An empty sequence in the child replaces
 * the parent's (so a child can clear a list); the merged tree has no
 * `extends` key. scn_copy_labeled applies overrides to a copy of a loaded
 * tree instead, so that many sets (a sweep's points) cost one read.
 *
 * Errors are reported as "path:line:col: key.path: message" (lines and
 * columns from 1) with code SIM_ESYNTAX (does not parse, several
 * documents, invalid UTF-8, nesting or aliases beyond bounds), SIM_EIO (a
 * file that cannot be read), SIM_ENOENT (extends to a missing file) or
 * SIM_EINVAL (duplicate keys, an extends cycle, a bad --set).
 *
 * The typed getters below check a value's type and range and report
 * errors at the value's own position. They leave *out untouched on error.
 * libyaml lives in scenario.c only; everything else sees this header. */
#ifndef MODELS_SCENARIO_H
#define MODELS_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef struct scn_doc scn_doc;
typedef struct scn_node scn_node;

typedef enum { SCN_SCALAR = 0, SCN_SEQ, SCN_MAP } scn_kind;

/* Bounds that keep hostile files cheap. */
#define SCN_MAX_DEPTH    64         /* nesting of mappings and sequences */
#define SCN_MAX_NODES    1000000    /* nodes after alias expansion, in all the
                                       files of an extends chain */
#define SCN_MAX_EXTENDS  16         /* length of an extends chain */
#define SCN_MAX_FILE_BYTES (16 << 20) /* a scenario file, and each file it
                                         extends; only regular files are read */
#define SCN_MAX_TEXT_BYTES (64 << 20) /* bytes of scalars (keys and values)
                                         after expanding aliases, in all the
                                         files of a chain; and bytes of all
                                         key paths together */

/* Loads path, follows extends, applies the nsets overrides "a.b[2].c=value"
 * (a value is parsed as YAML flow text, so "--set x=[1, 2]" works; keys of
 * named sequences may be addressed by name: "programs.shandong.budget"),
 * the i-th reported as "--set:i+1:COL" (the option's number, then the
 * column in its text).
 * An override of a key that does not exist is an error unless its parent
 * mapping exists (then the key is added, and schema checks judge it).
 * Returns NULL and fills err on failure. */
scn_doc *scn_load(const char *path, const char *const *sets, size_t nsets,
                  sim_err *err);

/* Where a set of scn_load_labeled came from, for its messages, which take
 * the form "NAME:LINE:COL: key.path: message". */
typedef struct scn_set_origin {
    const char *name;     /* the option ("--set", "--vary", "--seed") or, for
                             a place, a file; copied; NULL: "--set", the
                             set's number among the sets as its line */
    int         line;     /* the option's number among those of its name,
                             from 1 ("--vary:2:30": the second --vary), or
                             the line of a place */
    int         col;      /* 0: positions are columns of the set's own text
                             ("--set:1:22" at the value after
                             "programs[0].coverage="); > 0: a place: every
                             node of the value, and every message about it,
                             points at this column (a value of a --vary list,
                             an entry of a scenario's sweep: section) */
    int         key_col;  /* with col > 0: the column of the key path, for
                             messages about it (0: col) */
} scn_set_origin;

/* scn_load, with origins[i] (NULL for all "--set" in order) where sets[i]
 * came from: "--vary:2:30: programs[0].coverage: expected a number in
 * [0, 1], got 1.5"; from a place in a file (an entry of a scenario's
 * sweep: section) "s.yaml:11:27: programs[0].coverage: ...". */
scn_doc *scn_load_labeled(const char *path, const char *const *sets,
                          const scn_set_origin *origins, size_t nsets, sim_err *err);

/* A copy of doc with the nsets overrides applied as scn_load_labeled
 * applies them: for a doc loaded from a file without sets, the same tree,
 * and the same messages, as scn_load_labeled(file, sets, origins, nsets)
 * would give, without reading or parsing the file again (a sweep reads
 * its scenario once and makes each point from it). The copy owns its
 * memory: doc is not changed and may be freed first. Returns NULL and
 * fills err on failure. */
scn_doc *scn_copy_labeled(const scn_doc *doc, const char *const *sets,
                          const scn_set_origin *origins, size_t nsets, sim_err *err);

/* Parses YAML text held in memory as if read from `name` (no extends
 * relative paths beyond the current directory). For tests and for reading a
 * resolved scenario back from an output file. */
scn_doc *scn_load_string(const char *name, const char *text, size_t len,
                         const char *const *sets, size_t nsets, sim_err *err);

void scn_free(scn_doc *doc);

const scn_node *scn_root(const scn_doc *doc);

/* The resolved scenario as YAML text (after extends and --set, no
 * extends key), which scn_load_string reads back to an equal tree.
 * Returns a malloc'd NUL-terminated string, or NULL on ENOMEM. */
char *scn_dump(const scn_doc *doc);

/* The file the top-level scenario was read from. */
const char *scn_doc_path(const scn_doc *doc);

/* ---- nodes ---- */

scn_kind    scn_node_kind(const scn_node *n);
const char *scn_node_file(const scn_node *n);     /* file it came from */
int         scn_node_line(const scn_node *n);     /* from 1 */
int         scn_node_col(const scn_node *n);      /* from 1 */
const char *scn_node_keypath(const scn_node *n);  /* "" for the root */

/* The line and column of the character at byte off of scalar n's text,
 * when the text stands in the source as it is (a plain or quoted scalar on
 * one line without escapes: "0.3,0.5,1.5"'s third value); else, and for a
 * mapping or sequence, n's own line and column. */
void scn_node_text_pos(const scn_node *n, size_t off, int *line, int *col);

/* Scalar text, or NULL for a mapping or sequence. */
const char *scn_str(const scn_node *n);

/* Items of a sequence or entries of a mapping. */
size_t          scn_len(const scn_node *n);
const scn_node *scn_item(const scn_node *seq, size_t i);
const char     *scn_key(const scn_node *map, size_t i);
/* The key itself as a scalar node, for errors about the key ("unknown city
 * 'shangai'" in a mapping keyed by city). Its key path is the entry's. */
const scn_node *scn_key_node(const scn_node *map, size_t i);
const scn_node *scn_value(const scn_node *map, size_t i);

/* The value under key in a mapping, or NULL (also when map is not one). */
const scn_node *scn_get(const scn_node *map, const char *key);

/* Records an error at node n: "file:line:col: keypath: message". Returns
 * code. Use it for checks the getters cannot make. */
int scn_error(sim_err *err, int code, const scn_node *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Records "missing required key 'key'" at map, as the getters do, with a
 * hint: at the top level the keys a minimal scenario needs; in an item of
 * a file that extends another whose name no item of the parent has, that
 * it overrides nothing ("no program 'x' in p.yaml to override (did you
 * mean 'y'?); a new one needs 'city'"). Returns SIM_EINVAL. */
int scn_missing_key(sim_err *err, const scn_node *map, const char *key);

/* Checks that map is a mapping whose keys are all in known (NULL-
 * terminated). An unknown key is reported at its own position with the
 * nearest known key: "unknown key 'covrage' (did you mean 'coverage'?)". */
int scn_check_keys(const scn_node *map, const char *const *known, sim_err *err);

/* Requires map (a mapping) to be one and, with what != NULL, says so:
 * "expected a mapping (what), got a sequence". */
int scn_expect_map(const scn_node *n, const char *what, sim_err *err);
int scn_expect_seq(const scn_node *n, const char *what, sim_err *err);

/* ---- typed getters ----
 * Each reads map[key]. When the key is absent: with required != 0 it is an
 * error at the mapping ("missing required key 'budget'"), otherwise *out
 * gets def and SIM_OK is returned. A present value of the wrong type or out
 * of range is an error at the value: "expected a number in [0, 1], got 1.8".
 * The scn_parse_* forms read a node directly (for sequence items). */

int scn_get_double(const scn_node *map, const char *key, int required,
                   double def, double lo, double hi, double *out, sim_err *err);
int scn_parse_double(const scn_node *n, double lo, double hi, double *out, sim_err *err);

int scn_get_int(const scn_node *map, const char *key, int required,
                long long def, long long lo, long long hi, long long *out, sim_err *err);

/* true/false, yes/no, on/off. */
int scn_get_bool(const scn_node *map, const char *key, int required,
                 int def, int *out, sim_err *err);

/* A string (any scalar). *out points into the tree. */
int scn_get_string(const scn_node *map, const char *key, int required,
                   const char *def, const char **out, sim_err *err);

/* One of names (NULL-terminated); *out is its index. The error lists them:
 * "expected one of nearest, cheapest, ...; got 'nearst'". */
int scn_get_enum(const scn_node *map, const char *key, int required,
                 int def, const char *const *names, int *out, sim_err *err);

/* Money in yuan: 600000000, 600e6, 600M, 1.03B, 30k, 1,000,000 (commas),
 * optionally followed by "CNY" or "yuan". M = 1e6, B = 1e9, k = 1e3.
 * Must be >= 0 and at most SCN_MONEY_MAX: above 2^53 a double cannot
 * count single yuan, and the ledger (to the yuan) would lose vouchers. */
#define SCN_MONEY_MAX 9007199254740992.0
int scn_get_money(const scn_node *map, const char *key, int required,
                  double def, double *out, sim_err *err);
int scn_parse_money(const scn_node *n, double *out, sim_err *err);

/* A duration in hours: "30d", "12h", "90min", "2w", "6mo" (30 days), "1y"
 * (365 days); a bare number is hours. Must be >= 0 and finite. */
int scn_get_duration(const scn_node *map, const char *key, int required,
                     double def_h, double *out_h, sim_err *err);
int scn_parse_duration(const scn_node *n, double *out_h, sim_err *err);

/* An ISO date "2025-07-01" (checked: month 1-12, day within the month),
 * as days since 1970-01-01. */
int scn_get_date(const scn_node *map, const char *key, int required,
                 int64_t def, int64_t *out_day, sim_err *err);
int scn_parse_date(const scn_node *n, int64_t *out_day, sim_err *err);

/* The same parsers for text from the command line (--until, sweep
 * ranges): SIM_OK, or SIM_EINVAL when s is not one. */
int scn_date_from_string(const char *s, int64_t *out_day);

/* scn_date_from_string, with the reason a scenario's date would get in
 * why (size bytes): "expected a date YYYY-MM-DD, got 'x'", "no day 30 in
 * month 2 of 2025 in date '2025-02-30' (it has 28 days)". */
int scn_date_check(const char *s, int64_t *out_day, char *why, size_t size);
int scn_money_from_string(const char *s, double *out);
int scn_duration_from_string(const char *s, double *out_h);

/* Formats a day number as "YYYY-MM-DD" into buf (>= 11 bytes). */
char *scn_format_date(int64_t day, char *buf, size_t size);

/* The calendar year of a day (days since 1970-01-01), and the day on which
 * a year begins (1 January). */
int64_t scn_year_of_day(int64_t day);
int64_t scn_year_start_day(int64_t year);

/* The edit distance between two short strings (for "did you mean"). */
size_t scn_edit_distance(const char *a, const char *b);

#endif
