/* tools/cmd_export.c - `vouchsim export FILE.h5 --csv DIR`: CSV for
 * spreadsheets.
 *
 * DIR/scalars.csv   run, then one column per scalar (one row per run)
 * DIR/summary.csv   one row per scalar: name, unit, mean, sd, ci95_lo,
 *                   ci95_hi, n, n_missing
 * DIR/series.csv    one row per series: file, group, name, unit, description
 * DIR/series/<group>_<name>.csv        date, hours, then one column per run
 *                   and entity: "east" with one run, "east (run 0)" ...
 * DIR/series/<group>_<name>_stats.csv  date, hours, then "east mean",
 *                   "east p05", "east p95" ... (files with /series_stats)
 * Dates are "YYYY-MM-DD", with " HH:MM" when not at midnight (Excel and
 * LibreOffice read them as dates),
 * numbers have 17 significant digits, and NaN is an empty cell. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/reader.h"
#include "tools/args.h"
#include "tools/cmd.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim export FILE.h5 --csv DIR [--arm NAME]\n"
          "  (--arm NAME: one arm of a comparison file, e.g. base or policy)\n"
          "  Writes DIR/scalars.csv, DIR/summary.csv, DIR/series.csv (an index) and\n"
          "  DIR/series/<group>_<name>.csv: date, hours, then one column per run and\n"
          "  entity; <group>_<name>_stats.csv holds mean, p05, p95 across runs.\n"
          "  Dates read as \"YYYY-MM-DD\" (\" HH:MM\" added when not midnight);\n"
          "  empty cells are NaN.\n"
          "exit status: 0 ok, 1 cannot write DIR, 2 bad usage or a missing,\n"
          "  unreadable or foreign input file\n", f);
}

typedef struct exporter {
    const out_reader *r;
    const char       *dir;
    sim_err           err;
} exporter;

static FILE *open_csv(const char *dir, const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        cmd_error("export: cannot write %s: %s", path, strerror(errno));
    return f;
}

static int close_csv(FILE *f, const char *path)
{
    if (ferror(f) | (fclose(f) != 0)) {
        cmd_error("export: cannot write %s: %s", path, strerror(errno));
        return -1;
    }
    return 0;
}

static void date_cell(FILE *f, const char *iso)
{
    char d[64];
    snprintf(d, sizeof d, "%s", iso);
    char *t = strchr(d, 'T');
    if (t)
        *t = ' ';
    cmd_csv_str(f, d);
}

static int write_scalars(exporter *x)
{
    char path[4200];
    FILE *f = open_csv(x->dir, "scalars.csv", path, sizeof path);
    if (!f)
        return -1;
    size_t rows = out_reader_scalar_rows(x->r), cols = out_reader_scalar_cols(x->r);
    const double *v = out_reader_scalar_values(x->r);
    fputs("run", f);
    for (size_t j = 0; j < cols; j++) {
        fputc(',', f);
        cmd_csv_str(f, out_reader_scalar_name(x->r, j));
    }
    fputc('\n', f);
    for (size_t i = 0; i < rows; i++) {
        fprintf(f, "%u", out_reader_scalar_run(x->r, i));
        for (size_t j = 0; j < cols; j++) {
            fputc(',', f);
            cmd_csv_num(f, v[i * cols + j]);
        }
        fputc('\n', f);
    }
    return close_csv(f, path);
}

static int write_summary(exporter *x)
{
    char path[4200];
    FILE *f = open_csv(x->dir, "summary.csv", path, sizeof path);
    if (!f)
        return -1;
    fputs("name,unit,mean,sd,ci95_lo,ci95_hi,n,n_missing\n", f);
    for (size_t i = 0; i < out_reader_summary_count(x->r); i++) {
        const out_summary_row *s = out_reader_summary(x->r, i);
        cmd_csv_str(f, s->name);
        fputc(',', f);
        cmd_csv_str(f, s->unit);
        double v[4] = { s->mean, s->sd, s->ci95_lo, s->ci95_hi };
        for (int k = 0; k < 4; k++) {
            fputc(',', f);
            cmd_csv_num(f, v[k]);
        }
        fprintf(f, ",%u,%u\n", s->n, s->n_missing);
    }
    return close_csv(f, path);
}

/* One series: per-run columns, and a _stats file when the file has them. */
static int write_series(exporter *x, const out_series_info *s, FILE *index)
{
    size_t nruns = out_reader_run_count(x->r), nent = 0;
    const char *const *ent = out_reader_entities(x->r, s->group, &nent);
    size_t nt = out_reader_time_count(x->r);
    const double *hours = out_reader_time_hours(x->r);
    double **data = calloc(nruns + 1, sizeof *data);
    char path[4200], name[600];
    int rc = -1;
    FILE *f = NULL;
    if (!data) {
        cmd_error("export: out of memory");
        return -1;
    }
    size_t rows = 0, cols = 0;
    for (size_t r = 0; r < nruns; r++) {
        size_t rr, cc;
        if (out_reader_series_read(x->r, r, s->group, s->name, &data[r], &rr, &cc, &x->err)) {
            cmd_error("export: %s", x->err.msg);
            goto out;
        }
        if (r == 0) {
            rows = rr;
            cols = cc;
        } else if (rr != rows || cc != cols) {
            cmd_error("export: %s: run %zu of %s/%s has another shape than run 0",
                      out_reader_path(x->r), r, s->group, s->name);
            goto out;
        }
    }
    if (rows > nt)
        rows = nt;
    snprintf(name, sizeof name, "series/%s_%s.csv", s->group, s->name);
    cmd_csv_str(index, name);
    fputc(',', index);
    cmd_csv_str(index, s->group);
    fputc(',', index);
    cmd_csv_str(index, s->name);
    fputc(',', index);
    cmd_csv_str(index, s->unit);
    fputc(',', index);
    cmd_csv_str(index, s->desc);
    fputc('\n', index);
    if (!(f = open_csv(x->dir, name, path, sizeof path)))
        goto out;
    fputs("date,hours", f);
    for (size_t r = 0; r < nruns; r++)
        for (size_t j = 0; j < cols; j++) {
            char h[300];
            const char *e = j < nent ? ent[j] : "?";
            if (nruns > 1)
                snprintf(h, sizeof h, "%s (run %zu)", e, r);
            else
                snprintf(h, sizeof h, "%s", e);
            fputc(',', f);
            cmd_csv_str(f, h);
        }
    fputc('\n', f);
    for (size_t i = 0; i < rows; i++) {
        date_cell(f, out_reader_time_date(x->r, i));
        fputc(',', f);
        cmd_csv_num(f, hours[i]);
        for (size_t r = 0; r < nruns; r++)
            for (size_t j = 0; j < cols; j++) {
                fputc(',', f);
                cmd_csv_num(f, data[r][i * cols + j]);
            }
        fputc('\n', f);
    }
    if (close_csv(f, path) != 0)
        goto out;
    if (out_reader_has_stats(x->r, s->group, s->name)) {
        double *st[3] = { NULL, NULL, NULL };
        static const char *const sn[3] = { "mean", "p05", "p95" };
        int ok = 1;
        for (int k = 0; k < 3 && ok; k++) {
            size_t rr, cc;
            if (out_reader_stats_read(x->r, s->group, s->name, (out_stat)k, &st[k], &rr, &cc, &x->err)) {
                cmd_error("export: %s", x->err.msg);
                ok = 0;
            } else if (rr < rows || cc != cols) {
                cmd_error("export: %s: /series_stats/%s/%s/%s is %zu x %zu, the runs' series %zu x %zu",
                          out_reader_path(x->r), s->group, s->name, sn[k], rr, cc, rows, cols);
                ok = 0;
            }
        }
        snprintf(name, sizeof name, "series/%s_%s_stats.csv", s->group, s->name);
        if (ok && (f = open_csv(x->dir, name, path, sizeof path))) {
            fputs("date,hours", f);
            for (size_t j = 0; j < cols; j++)
                for (int k = 0; k < 3; k++) {
                    char h[300];
                    snprintf(h, sizeof h, "%s %s", j < nent ? ent[j] : "?", sn[k]);
                    fputc(',', f);
                    cmd_csv_str(f, h);
                }
            fputc('\n', f);
            for (size_t i = 0; i < rows; i++) {
                date_cell(f, out_reader_time_date(x->r, i));
                fputc(',', f);
                cmd_csv_num(f, hours[i]);
                for (size_t j = 0; j < cols; j++)
                    for (int k = 0; k < 3; k++) {
                        fputc(',', f);
                        cmd_csv_num(f, st[k][i * cols + j]);
                    }
                fputc('\n', f);
            }
            if (close_csv(f, path) != 0)
                ok = 0;
        } else
            ok = 0;
        for (int k = 0; k < 3; k++)
            free(st[k]);
        if (!ok)
            goto out;
    }
    rc = 0;
out:
    for (size_t r = 0; r < nruns; r++)
        free(data[r]);
    free(data);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    args a;
    if (args_parse(&a, argc, argv, OPT_CSV | OPT_ARM, 1) != 0 || a.help || a.npos != 1 || !a.csv) {
        usage(a.help ? stdout : stderr);
        args_fini(&a);
        return a.help ? EXIT_OK : EXIT_INPUT;
    }
    const char *path = a.pos[0], *dir = a.csv, *arm = a.arm;
    args_fini(&a);
    int status = EXIT_OK;
    out_reader *r = cmd_reader_open_arm(path, arm, &status);
    if (!r)
        return status;
    exporter x = { r, dir, { 0, "" } };
    char sdir[4200];
    snprintf(sdir, sizeof sdir, "%s/series", dir);
    if (cmd_mkdir_p(sdir) != 0) {
        cmd_error("export: cannot create %s: %s", sdir, strerror(errno));
        out_reader_close(r);
        return EXIT_RUNTIME;
    }
    status = EXIT_RUNTIME;
    char ipath[4200];
    FILE *index = NULL;
    if (write_scalars(&x) || write_summary(&x) || !(index = open_csv(dir, "series.csv", ipath, sizeof ipath)))
        goto out;
    fputs("file,group,name,unit,description\n", index);
    for (size_t i = 0; i < out_reader_series_count(r); i++)
        if (write_series(&x, out_reader_series(r, i), index))
            goto out;
    FILE *f = index;
    index = NULL;
    if (close_csv(f, ipath) == 0) {
        status = EXIT_OK;
        printf("%s\n", dir);
    }
out:
    if (index)
        fclose(index);
    out_reader_close(r);
    return status;
}
