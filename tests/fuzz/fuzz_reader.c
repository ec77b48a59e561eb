/* tests/fuzz/fuzz_reader.c - fuzzes the result-file reader (output/reader.h).
 *
 * The input is written to a temporary .h5 file and read as `summary`,
 * `plot` and `export` read one: out_reader_open, then every attribute,
 * date, entity name, scalar and summary row, and every series of the
 * first runs with its statistics. Every string is walked and every number
 * read, so the sanitizers see a read past an end. A failure must come with
 * an error code and a message; a matrix read must give rows x cols values.
 * Crashes inside libhdf5 itself, on a file it accepts, are the library's:
 * each input is first read in a child (out_reader_verify_isolated), as the
 * commands do, and one that crashes it is refused, not read here. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output/reader.h"
#include "tests/fuzz/fuzz.h"

enum { MAX_RUNS = 3 };

static volatile double sink;   /* keeps the reads below from being optimized away */

static void walk_str(const char *what, const char *s)
{
    if (!s)
        fuzz_fail("%s is NULL", what);
    sink += (double)strlen(s);
}

static void check_failure(const char *what, const sim_err *err)
{
    if (err->code >= 0 || !err->msg[0])
        fuzz_fail("%s failed without an error (code %d, message '%s')", what, err->code,
                  err->msg);
}

static void walk_matrix(const char *what, int rc, double *m, size_t rows, size_t cols,
                        const sim_err *err)
{
    if (rc != SIM_OK) {
        check_failure(what, err);
        return;
    }
    if (rows && cols && !m)
        fuzz_fail("%s: %zu x %zu values but no data", what, rows, cols);
    if (cols && rows > SIZE_MAX / cols)
        fuzz_fail("%s: %zu x %zu overflows", what, rows, cols);
    for (size_t k = 0; k < rows * cols; k++)
        sink += m[k];
    free(m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("input.h5", data, size);
    if (!path)
        fuzz_fail("cannot write input.h5 in %s", fuzz_tmpdir());
    sim_err err;
    sim_err_clear(&err);
    /* as summary, plot and export do: read the file first in a child, so
     * that a crash inside libhdf5 on a corrupt file (its global heap, say)
     * becomes a refusal; only what passes is read here */
    if (out_reader_verify_isolated(path, OUT_VERIFY_RUNS | OUT_VERIFY_STATS, &err) != SIM_OK) {
        check_failure("out_reader_verify_isolated", &err);
        return 0;
    }
    sim_err_clear(&err);
    out_reader *r = out_reader_open(path, &err);
    if (!r) {
        check_failure("out_reader_open", &err);
        return 0;
    }
    walk_str("path", out_reader_path(r));

    for (size_t i = 0; i < out_reader_attr_count(r); i++) {
        const out_attr *a = out_reader_attr(r, i);
        walk_str("attribute name", a->name);
        walk_str("attribute text", a->s);
        sink += a->d + (double)a->i;
        if (out_reader_attr_find(r, a->name) == NULL)
            fuzz_fail("attribute '%s' is listed but not found", a->name);
    }
    /* what summary and plot look up by name */
    static const char *const looked_up[] = { "scenario_name", "start_date", "replications",
                                             "seed", "sweep", "kind", NULL };
    for (size_t i = 0; looked_up[i]; i++) {
        const out_attr *a = out_reader_attr_find(r, looked_up[i]);
        if (a)
            walk_str("attribute text", a->s);
    }

    size_t nt = out_reader_time_count(r);
    const double *hours = out_reader_time_hours(r);
    for (size_t i = 0; i < nt; i++) {
        sink += hours[i];
        walk_str("date", out_reader_time_date(r, i));
    }

    for (size_t g = 0; g < out_reader_group_count(r); g++) {
        const char *gname = out_reader_group_name(r, g);
        walk_str("group", gname);
        size_t n = 0;
        const char *const *names = out_reader_entities(r, gname, &n);
        for (size_t i = 0; i < n; i++)
            walk_str("entity", names[i]);
    }
    size_t n = 1;
    if (out_reader_entities(r, "no such group", &n) != NULL || n != 0)
        fuzz_fail("an unknown group has entities");

    size_t rows = out_reader_scalar_rows(r), cols = out_reader_scalar_cols(r);
    const double *sv = out_reader_scalar_values(r);
    for (size_t j = 0; j < cols; j++) {
        walk_str("scalar name", out_reader_scalar_name(r, j));
        walk_str("scalar unit", out_reader_scalar_unit(r, j));
        walk_str("scalar description", out_reader_scalar_desc(r, j));
    }
    for (size_t i = 0; i < rows; i++) {
        sink += out_reader_scalar_run(r, i);
        for (size_t j = 0; j < cols; j++)
            sink += sv[i * cols + j];
    }

    for (size_t i = 0; i < out_reader_summary_count(r); i++) {
        const out_summary_row *s = out_reader_summary(r, i);
        walk_str("summary name", s->name);
        walk_str("summary unit", s->unit);
        sink += s->mean + s->sd + s->ci95_lo + s->ci95_hi + s->n + s->n_missing;
    }

    size_t runs = out_reader_run_count(r);
    for (size_t i = 0; i < out_reader_series_count(r); i++) {
        const out_series_info *si = out_reader_series(r, i);
        walk_str("series group", si->group);
        walk_str("series name", si->name);
        walk_str("series unit", si->unit);
        walk_str("series description", si->desc);
        if (out_reader_series_find(r, si->group, si->name) == NULL)
            fuzz_fail("series %s/%s is listed but not found", si->group, si->name);
        for (size_t run = 0; run < runs && run < MAX_RUNS; run++) {
            double *m = NULL;
            size_t rr = 0, cc = 0;
            sim_err_clear(&err);
            int rc = out_reader_series_read(r, run, si->group, si->name, &m, &rr, &cc, &err);
            walk_matrix("out_reader_series_read", rc, m, rr, cc, &err);
        }
        if (out_reader_has_stats(r, si->group, si->name) > 0)
            for (int st = OUT_STAT_MEAN; st <= OUT_STAT_P95; st++) {
                double *m = NULL;
                size_t rr = 0, cc = 0;
                sim_err_clear(&err);
                int rc = out_reader_stats_read(r, si->group, si->name, (out_stat)st, &m, &rr,
                                               &cc, &err);
                walk_matrix("out_reader_stats_read", rc, m, rr, cc, &err);
            }
    }
    out_reader_close(r);
    return 0;
}

const char *const fuzz_default_dirs[] = { "tests/fuzz/seeds/reader", "?tests/fuzz/crashes/reader",
                                          "?tests/fuzz/pending/reader", NULL };
