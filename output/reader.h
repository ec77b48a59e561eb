/* output/reader.h - reading a vouchsim HDF5 file back (summary, plot, export).
 *
 * out_reader_open loads the small parts at once (root attributes, time
 * axis, entities, scalars, summary, the list of series); series data is
 * read on demand. Everything returned as const belongs to the reader and
 * lives until out_reader_close. Not thread-safe: one reader per thread.
 * Knows nothing of vouchers: groups, series and scalars are names.
 *
 * The file is foreign input. Every size is checked before anything is
 * allocated: against the file's other contents (a series has one row per
 * sample of /time and one column per name of /entities/<group>; /summary
 * has at most one row per column of /scalars; /scalars one row per run)
 * and against the caps below, with overflow-checked products. A file that
 * breaks them gives SIM_EINVAL and one line: "FILE: /object: expected
 * ..., found ...". */
#ifndef OUTPUT_READER_H
#define OUTPUT_READER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef struct out_reader out_reader;

/* Caps on what a file may declare (vouchsim's own files stay far below). */
#define OUT_READ_MAX_SAMPLES  1000000u  /* /time: hourly samples for 114 years */
#define OUT_READ_MAX_ENTITIES 100000u   /* names in one /entities/<group> */
#define OUT_READ_MAX_GROUPS   256u      /* entity groups, and series groups */
#define OUT_READ_MAX_SERIES   4096u     /* series per run */
#define OUT_READ_MAX_RUNS     1000000u  /* /runs/NNNN groups, /scalars rows */
#define OUT_READ_MAX_SCALARS  10000u    /* /scalars columns, /summary rows */
#define OUT_READ_MAX_ATTRS    1000u     /* root attributes */
#define OUT_READ_MAX_NAME     256u      /* bytes of a name, unit or date */
#define OUT_READ_MAX_DESC     4096u     /* bytes of a description */
#define OUT_READ_MAX_TEXT     (16u << 20)   /* bytes of a root string attribute */
#define OUT_READ_MAX_CELLS    ((size_t)1 << 24) /* numbers in one series or table (128 MiB) */

typedef enum { OUT_ATTR_STRING, OUT_ATTR_DOUBLE, OUT_ATTR_INT } out_attr_kind;

typedef struct out_attr {
    const char   *name;
    out_attr_kind kind;
    const char   *s;        /* OUT_ATTR_STRING; else a printed form of the number */
    double        d;        /* the number (also for OUT_ATTR_INT); NaN for strings */
    int64_t       i;        /* OUT_ATTR_INT; else 0 */
} out_attr;

/* One series as found in run 0 (or /series_stats when there are no runs). */
typedef struct out_series_info {
    const char *group;      /* "region" */
    const char *name;       /* "utilization" */
    const char *unit;       /* "1", "CNY", "" when absent */
    const char *desc;
    size_t      rows;       /* samples */
    size_t      cols;       /* entities */
} out_series_info;

typedef struct out_summary_row {
    const char *name, *unit;
    double      mean, sd, ci95_lo, ci95_hi;   /* NaN when undefined */
    uint32_t    n, n_missing;
} out_summary_row;

typedef enum { OUT_STAT_MEAN = 0, OUT_STAT_P05, OUT_STAT_P95 } out_stat;

/* Opens path read-only. SIM_ENOENT: no such file, or an HDF5 file that is
 * not a vouchsim output ("FILE: not a vouchsim output file (no /time)");
 * SIM_EIO: unreadable, or not an HDF5 file; SIM_EINVAL: a vouchsim file
 * whose contents break the checks above, or that HDF5 cannot read;
 * SIM_ENOMEM. NULL on failure. Turns off HDF5's printing of its error
 * stack (H5Eset_auto2) for the process: failures come back as codes. */
out_reader *out_reader_open(const char *path, sim_err *err);
/* The same for the layout stored under group (absolute, e.g. "/arms/base"
 * in a comparison file) instead of the root; NULL group: the root. Paths
 * in messages are then relative to that group. SIM_ENOENT when the group
 * is absent. */
out_reader *out_reader_open_group(const char *path, const char *group, sim_err *err);

/* Whether path is an HDF5 file: 1 yes, 0 a readable regular file that is
 * not one (the "not an HDF5 file" of out_reader_open), -1 when it is not a
 * readable regular file. Reads its signature only; opens nothing. */
int out_file_is_hdf5(const char *path);

/* Names of the links directly under group (absolute) in the HDF5 file at
 * path (reached through hard links only; at most OUT_READ_MAX_GROUPS
 * names of at most OUT_READ_MAX_NAME bytes), sorted by name, as a
 * malloc'd array of malloc'd strings (free with out_strv_free); *n = 0
 * when the file, or the group, is not there. Returns 0, or -1 when the
 * listing fails (or breaks those caps). */
int out_file_children(const char *path, const char *group, char ***names, size_t *n);
void out_strv_free(char **v, size_t n);

/* The string attribute name of the object obj (absolute path) in the
 * HDF5 file at path (hard links only), malloc'd, or NULL when any of
 * them is not there or the value is longer than OUT_READ_MAX_DESC. */
char *out_file_attr_string(const char *path, const char *obj, const char *name);

/* NULL is a no-op. */
void out_reader_close(out_reader *r);
const char *out_reader_path(const out_reader *r);

/* Root attributes, in the file's name order. */
size_t out_reader_attr_count(const out_reader *r);
const out_attr *out_reader_attr(const out_reader *r, size_t i);
/* The attribute called name, or NULL. */
const out_attr *out_reader_attr_find(const out_reader *r, const char *name);
/* A sweep's points (root attribute sweep_points), 0 when the file is not
 * a sweep's. More than 1: its runs are several points' pooled, so their
 * spread is the design's and not an interval's. */
long long out_reader_sweep_points(const out_reader *r);

/* The time axis: n samples in hours and as ISO dates ("2025-07-01T00:00"). */
size_t out_reader_time_count(const out_reader *r);
const double *out_reader_time_hours(const out_reader *r);
const char *out_reader_time_date(const out_reader *r, size_t i);

/* Entity groups under /entities, and the names of one (NULL with *n = 0
 * when the group is unknown). */
size_t out_reader_group_count(const out_reader *r);
const char *out_reader_group_name(const out_reader *r, size_t i);
const char *const *out_reader_entities(const out_reader *r, const char *group, size_t *n);

/* Runs: the number of /runs/NNNN groups. */
size_t out_reader_run_count(const out_reader *r);

/* The scalar table: rows runs x cols columns, row-major; 0 x 0 when the
 * file has none. */
size_t out_reader_scalar_rows(const out_reader *r);
size_t out_reader_scalar_cols(const out_reader *r);
const char *out_reader_scalar_name(const out_reader *r, size_t j);
const char *out_reader_scalar_unit(const out_reader *r, size_t j);
const char *out_reader_scalar_desc(const out_reader *r, size_t j);
/* The run index of row i (the table's `run` column). */
uint32_t out_reader_scalar_run(const out_reader *r, size_t i);
const double *out_reader_scalar_values(const out_reader *r);

/* The summary table, one row per scalar. */
size_t out_reader_summary_count(const out_reader *r);
const out_summary_row *out_reader_summary(const out_reader *r, size_t i);

/* The series, sorted by group then name; out_reader_series_find gives the
 * one called group/name or NULL. */
size_t out_reader_series_count(const out_reader *r);
const out_series_info *out_reader_series(const out_reader *r, size_t i);
const out_series_info *out_reader_series_find(const out_reader *r, const char *group,
                                              const char *name);

/* Reads series group/name of run into a malloc'd rows x cols row-major
 * array (*data, to free). SIM_ENOENT when the run or series is absent;
 * SIM_EINVAL when it is not samples x entities of its group, or cannot be
 * read. */
int out_reader_series_read(const out_reader *r, size_t run, const char *group,
                           const char *name, double **data, size_t *rows,
                           size_t *cols, sim_err *err);

/* Reads /series_stats/group/name/{mean,p05,p95} likewise. SIM_ENOENT when
 * the file has no statistics for that series. */
int out_reader_stats_read(const out_reader *r, const char *group, const char *name,
                          out_stat stat, double **data, size_t *rows, size_t *cols,
                          sim_err *err);
int out_reader_has_stats(const out_reader *r, const char *group, const char *name);

/* Rows row0 .. row0 + nrows - 1 of series group/name of run (or of a
 * /series_stats dataset) into buf, nrows x cols of the series, row-major:
 * for reading a long series a block at a time. The same checks and codes
 * as out_reader_series_read; SIM_EINVAL when the rows are out of range. */
int out_reader_series_read_rows(const out_reader *r, size_t run, const char *group,
                                const char *name, size_t row0, size_t nrows, double *buf,
                                sim_err *err);
int out_reader_stats_read_rows(const out_reader *r, const char *group, const char *name,
                               out_stat stat, size_t row0, size_t nrows, double *buf,
                               sim_err *err);

/* What out_reader_verify reads besides what out_reader_open loads. */
enum {
    OUT_VERIFY_FIRST_RUN = 1u,  /* every series of run 0 */
    OUT_VERIFY_RUNS = 2u,       /* every series of every run */
    OUT_VERIFY_STATS = 4u,      /* every /series_stats dataset */
    OUT_VERIFY_DIFFERENCES = 8u /* /compare/differences of the file's root, when there */
};

/* Opens path, reads what `what` asks (every dataset the commands would
 * read), closes. Returns SIM_OK or the first error, as out_reader_open.
 * This is the entry point for a fuzzing harness: one call per file. */
int out_reader_verify(const char *path, unsigned what, sim_err *err);

/* out_reader_verify in a child process (fork), so that a file that
 * crashes the HDF5 library (libhdf5 1.10 can fault on some corrupt
 * B-tree and heap blocks) gives SIM_EINVAL "FILE: corrupt: the HDF5
 * library crashed reading it (signal N)" instead of killing the caller.
 * Otherwise returns what the child's out_reader_verify returned. Forks:
 * call it from a single-threaded process (the summary, plot and export
 * commands), before opening the file. */
int out_reader_verify_isolated(const char *path, unsigned what, sim_err *err);

/* ---- for charts ---- */

/* A table (a 1-D compound dataset such as /sweep/params or /sobol/indices)
 * read whole: numbers as doubles, fixed-length strings as strings. */
typedef struct out_table {
    size_t   nrows, ncols;
    char   **names;     /* column names */
    char   **units;     /* from the table's @units when it has one per column, else "" */
    double  *num;       /* nrows x ncols row-major; NaN in text columns */
    char  ***text;      /* per column: nrows strings, or NULL for a numeric column */
} out_table;

/* Reads the table at path. SIM_ENOENT when absent; SIM_EINVAL when it is
 * not a table of numbers and strings within the reader's caps. *t is to
 * free with out_table_free. */
int out_reader_table_read(const out_reader *r, const char *path, out_table **t, sim_err *err);
/* NULL is a no-op. */
void out_table_free(out_table *t);

/* An entity coordinate: the string dataset /runs/0000/series/<group>/<key>
 * (the region of each data center, the city of each program...), one per
 * name of /entities/<group>, into *values (to free with h5u_strv_free or
 * one free per string and of the array). SIM_ENOENT when the file has
 * none; SIM_EINVAL when it does not match the group. */
int out_reader_entity_coord(const out_reader *r, const char *group, const char *key,
                            char ***values, size_t *n, sim_err *err);

/* The runs behind /series_stats/<group>/<name> (its @runs), or -1. */
long long out_reader_stats_runs(const out_reader *r, const char *group, const char *name);
/* The same two for the layout under group (absolute, e.g. "/arms/base";
 * NULL: the root), as out_reader_open_group opens it. */
int out_reader_verify_group(const char *path, const char *group, unsigned what, sim_err *err);
int out_reader_verify_isolated_group(const char *path, const char *group, unsigned what,
                                     sim_err *err);

/* out_reader_table_read of a table at path from the file's root, also
 * when r reads an arm of a comparison file ("/compare/differences"). */
int out_reader_file_table_read(const out_reader *r, const char *path, out_table **t,
                               sim_err *err);

#endif
