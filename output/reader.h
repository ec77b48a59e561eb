/* output/reader.h - reading a vouchsim HDF5 file back (summary, plot, export).
 *
 * out_reader_open loads the small parts at once (root attributes, time
 * axis, entities, scalars, summary, the list of series); series data is
 * read on demand. Everything returned as const belongs to the reader and
 * lives until out_reader_close. Not thread-safe: one reader per thread.
 * Knows nothing of vouchers: groups, series and scalars are names. */
#ifndef OUTPUT_READER_H
#define OUTPUT_READER_H

#include <stddef.h>
#include <stdint.h>

#include "sim/err.h"

typedef struct out_reader out_reader;

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
 * SIM_EIO: unreadable, or not an HDF5 file. NULL on failure. */
out_reader *out_reader_open(const char *path, sim_err *err);
/* The same for the layout stored under group (absolute, e.g. "/arms/base"
 * in a comparison file) instead of the root; NULL group: the root. Paths
 * in messages are then relative to that group. SIM_ENOENT when the group
 * is absent. */
out_reader *out_reader_open_group(const char *path, const char *group, sim_err *err);

/* Names of the links directly under group (absolute) in the HDF5 file at
 * path, sorted by name, as a malloc'd array of malloc'd strings (free with
 * out_strv_free); *n = 0 when the file, or the group, is not there.
 * Returns 0, or -1 when the listing fails. */
int out_file_children(const char *path, const char *group, char ***names, size_t *n);
void out_strv_free(char **v, size_t n);

/* The string attribute name of the object obj (absolute path) in the
 * HDF5 file at path, malloc'd, or NULL when any of them is not there. */
char *out_file_attr_string(const char *path, const char *obj, const char *name);

/* NULL is a no-op. */
void out_reader_close(out_reader *r);
const char *out_reader_path(const out_reader *r);

/* Root attributes, in the file's name order. */
size_t out_reader_attr_count(const out_reader *r);
const out_attr *out_reader_attr(const out_reader *r, size_t i);
/* The attribute called name, or NULL. */
const out_attr *out_reader_attr_find(const out_reader *r, const char *name);

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
 * array (*data, to free). SIM_ENOENT when the run or series is absent. */
int out_reader_series_read(const out_reader *r, size_t run, const char *group,
                           const char *name, double **data, size_t *rows,
                           size_t *cols, sim_err *err);

/* Reads /series_stats/group/name/{mean,p05,p95} likewise. SIM_ENOENT when
 * the file has no statistics for that series. */
int out_reader_stats_read(const out_reader *r, const char *group, const char *name,
                          out_stat stat, double **data, size_t *rows, size_t *cols,
                          sim_err *err);
int out_reader_has_stats(const out_reader *r, const char *group, const char *name);

#endif
