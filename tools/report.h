/* tools/report.h - the answers by program, city and region, and paired
 * differences, for `summary` and `compare`.
 *
 * A report table holds, for one section (program, city or region), one
 * value per entity, measure and run, taken from a file's series (the row
 * at the horizon), its scalars and its scenario text (which city a
 * program belongs to, which region a data center is in). Tables print as
 * aligned text (means, with the 95% half-width on a second line), CSV or
 * JSON. Two arms of a comparison give paired differences with their
 * intervals, one row per total or per entity and measure, which compare
 * prints and stores as /compare/differences. */
#ifndef TOOLS_REPORT_H
#define TOOLS_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "output/reader.h"

/* The footnote under a printed table in which an interval of a quantity
 * that cannot be negative (a count, a wait, GPU-hours, money) had its
 * lower bound below 0, shown as "0*" (output/fmt.h). */
#define REP_CLIP_NOTE \
    "* clipped at 0: the 95% interval reaches below 0, which this quantity cannot " \
    "(few runs); the file and --format csv|json keep the raw bound"

typedef enum { REP_PROGRAM = 0, REP_CITY, REP_REGION, REP_SECTIONS } rep_section;

struct config;

/* The scenario the file was run with (its `scenario` attribute), loaded as
 * a config (models/config.h; config_free() it), or NULL when the file has
 * none or it does not load. */
struct config *rep_file_config(const out_reader *r);

enum { REP_FMT_TABLE = 0, REP_FMT_CSV, REP_FMT_JSON };

/* "program", "city", "region". */
const char *rep_section_name(rep_section s);
/* The section named name ("program"...), or -1 ("total", unknown). */
int rep_section_of(const char *name);

/* Parses the values of --by (each "program", "city", "region" or
 * comma-separated lists of them) into a bit set (1 << rep_section).
 * Returns 0, or -1 after printing a usage error of command cmd ("summary"),
 * with a did-you-mean for a near miss ("programme"). */
int rep_parse_by(const char *cmd, const char *const *by, size_t n, unsigned *mask);

typedef struct rep_table rep_table;

/* The table of section s from the reader (NULL with an error printed when
 * memory runs out; a file without the section gives an empty table). */
rep_table *rep_collect(const out_reader *r, rep_section s);
void rep_table_free(rep_table *t);

/* Prints one table: FMT_TABLE as text, FMT_CSV as a table with the header
 * "section,entity,measure,unit,mean,ci95_half,n,runs" (no leading blank
 * line), FMT_JSON as an object {"section": ..., "rows": [...]}. */
void rep_table_print(const rep_table *t, int fmt, FILE *f);

/* One arm of a comparison: its scalars (nruns x ncols, row i = run i on
 * common random numbers) and, for the sections, its file. */
typedef struct rep_arm {
    const char        *label;       /* "base", "policy" */
    const char        *scenario;    /* scenario name */
    const char        *start;       /* "YYYY-MM-DD" or NULL: dates as hours */
    double             end_h;       /* last sample (hours), NaN: unknown */
    size_t             nruns, ncols;
    const char *const *names, *const *units;
    const double      *values;
    const out_reader  *r;           /* NULL: scalars only */
} rep_arm;

/* A paired difference policy - base of one total. */
typedef struct rep_row {
    char   name[224];      /* the scalar, or "section.entity.measure" */
    char   section[16];    /* "total", "program", "city", "region" */
    char   entity[128];    /* "" for totals */
    char   measure[64];
    char   unit[24];
    double base, policy;   /* means over the runs with a value */
    double diff;           /* mean of policy - base over runs with both */
    double hw_paired, hw_unpaired;   /* 95% half-widths; NaN when undefined */
    size_t n, nb, np;      /* runs with both values, with base's, policy's */
    size_t runs;           /* replications */
    int    absent;         /* 0: in both arms; 1: absent from base; 2: from policy */
    int    unknown;        /* bit 0 base, bit 1 policy: the file lacks the source */
} rep_row;

/* The notes of each section's table (what its numbers are: "at the
 * horizon: ..."), of either arm, each once. */
typedef struct rep_notes {
    char   text[REP_SECTIONS][8][320];
    size_t n[REP_SECTIONS];
} rep_notes;

/* Every total of either arm (headline totals first, then the others of
 * base, then those only in policy), then for each section in mask every
 * entity and measure of either arm. *rows is malloc'd; notes (NULL: not
 * wanted) gets the sections' notes. Returns 0, -1 on ENOMEM. */
int rep_compare_rows(const rep_arm *b, const rep_arm *p, unsigned mask, rep_row **rows,
                     size_t *n, rep_notes *notes);

/* How a row of paired differences reads in CSV and JSON, the same in
 * `summary`/`compare --format csv|json` and export's differences.csv
 * (the file's /compare/differences keeps what it holds; plot reads it):
 *
 * rep_diff_scale: a share kept as a fraction (out_fmt_is_share: unit "1"
 * on a name holding "share" or "utilization", the headline totals
 * utilization_east, deadweight_share...) is given in percent, its
 * difference and half-widths in percentage points, as the printed table
 * and its region rows (region.east.utilization, already "%") have it.
 * Returns the factor of the row's numbers, 100 or 1, and sets *shown to
 * the unit to write ("%" or unit; not copied).
 *
 * rep_diff_status: the file's status ("both", "absent in base", "absent
 * in policy"), except that "both" on a row with no value in any run of an
 * arm (nb or np 0: a region without firm jobs has no mean wait, a program
 * that never runs out no run-out hour) says which: "no value in base",
 * "no value in policy" or "no value in either". A static string. */
double rep_diff_scale(const char *name, const char *unit, const char **shown);
const char *rep_diff_status(const char *status, double nb, double np);

/* Prints the comparison of the rows (table, csv or json); in a table,
 * each section's notes (NULL: none) under it. CSV and JSON give shares
 * and statuses as rep_diff_scale and rep_diff_status say. */
void rep_compare_print(const rep_arm *b, const rep_arm *p, const rep_row *rows, size_t n,
                       const rep_notes *notes, int fmt, FILE *f);

#endif
