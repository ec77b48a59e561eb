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
 * numbers have 17 significant digits, and NaN is an empty cell.
 *
 * Every file is first written to a temporary file beside it
 * (.vouchsim-export-XXXXXX, mkstemp), every write and close checked and
 * fsynced; only when all are whole are they renamed into place. On any
 * failure (a full disk...) the temporary files and the directories the
 * export created are removed, and no CSV is left at a final path. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
          "exit status: 0 ok, 1 cannot write DIR (nothing is left there), 2 bad usage\n"
          "  or a missing, unreadable, foreign or malformed input file\n", f);
}

typedef struct pending {
    char *tmp, *final;      /* written, to be renamed */
} pending;

typedef struct exporter {
    const out_reader *r;
    const char       *dir;
    sim_err           err;
    pending          *files;
    size_t            nfiles, cap;
    int               bad_input;    /* the file, not the disk, failed */
} exporter;

/* Opens a temporary file for DIR/name; path gets the final path. */
static FILE *open_csv(exporter *x, const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", x->dir, name);
    if (x->nfiles == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        pending *p = realloc(x->files, cap * sizeof *p);
        if (!p) {
            cmd_error("export: out of memory");
            return NULL;
        }
        x->files = p;
        x->cap = cap;
    }
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    char *tmp = malloc(dlen + 32), *final = strdup(path);
    if (!tmp || !final) {
        free(tmp);
        free(final);
        cmd_error("export: out of memory");
        return NULL;
    }
    snprintf(tmp, dlen + 32, "%.*s%s.vouchsim-export-XXXXXX", (int)dlen, path, slash ? "/" : "");
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        cmd_error("export: %s: cannot write: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        free(final);
        return NULL;
    }
    mode_t um = umask(0);       /* mkstemp makes 0600; a CSV is an ordinary file */
    umask(um);
    fchmod(fd, 0666 & ~um);
    x->files[x->nfiles++] = (pending){ tmp, final };
    return f;
}

/* Flushes, fsyncs and closes a file of open_csv. */
static int close_csv(FILE *f, const char *path)
{
    int e = 0;
    if (fflush(f) != 0 || ferror(f))
        e = errno ? errno : EIO;
    else if (fsync(fileno(f)) != 0)
        e = errno;
    if (fclose(f) != 0 && !e)
        e = errno;
    if (e) {
        cmd_error("export: %s: cannot write: %s", path, strerror(e));
        return -1;
    }
    return 0;
}

/* Renames every temporary file into place (commit) or removes them all. */
static int finish(exporter *x, int commit)
{
    int rc = 0;
    for (size_t i = 0; i < x->nfiles; i++) {
        pending *p = &x->files[i];
        if (commit && rc == 0 && rename(p->tmp, p->final) != 0) {
            cmd_error("export: %s: cannot write: %s", p->final, strerror(errno));
            rc = -1;
        }
        if (!commit || rc != 0)
            unlink(p->tmp);
        free(p->tmp);
        free(p->final);
    }
    free(x->files);
    x->files = NULL;
    x->nfiles = x->cap = 0;
    return rc;
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
    FILE *f = open_csv(x, "scalars.csv", path, sizeof path);
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
    FILE *f = open_csv(x, "summary.csv", path, sizeof path);
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

/* Numbers held at once while a series is written: a block of rows of
 * every run (a series is read a block at a time, however long). */
enum { BLOCK_CELLS = 1 << 20 };

static void reader_error(exporter *x)
{
    cmd_error("export: %s", x->err.msg);
    x->bad_input = x->err.code != SIM_ENOMEM;
}

/* One series: per-run columns, and a _stats file when the file has them. */
static int write_series(exporter *x, const out_series_info *s, FILE *index)
{
    size_t nruns = out_reader_run_count(x->r), nent = 0;
    const char *const *ent = out_reader_entities(x->r, s->group, &nent);
    const double *hours = out_reader_time_hours(x->r);
    size_t rows = s->rows, cols = s->cols;   /* samples x entities: checked by the reader */
    int has_stats = out_reader_has_stats(x->r, s->group, s->name);
    size_t width = (nruns > 3 ? nruns : 3) * cols;  /* numbers in one row of either file */
    char path[4200], name[600];
    if (cols && width / cols != (nruns > 3 ? nruns : 3))
        width = SIZE_MAX;
    if (width > (size_t)16 * BLOCK_CELLS) {
        cmd_error("export: %s: %s/%s: %zu runs x %zu entities is too wide for a CSV row",
                  out_reader_path(x->r), s->group, s->name, nruns, cols);
        x->bad_input = 1;
        return -1;
    }
    size_t block = width ? BLOCK_CELLS / width : rows;
    if (block == 0)
        block = 1;
    if (block > rows)
        block = rows;
    double *buf = malloc((block * width + 1) * sizeof *buf);
    int rc = -1;
    FILE *f = NULL;
    if (!buf) {
        cmd_error("export: out of memory");
        return -1;
    }
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
    if (!(f = open_csv(x, name, path, sizeof path)))
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
    for (size_t i0 = 0; i0 < rows; i0 += block) {
        size_t nb = rows - i0 < block ? rows - i0 : block;
        for (size_t r = 0; r < nruns; r++)
            if (out_reader_series_read_rows(x->r, r, s->group, s->name, i0, nb,
                                            buf + r * nb * cols, &x->err)) {
                reader_error(x);
                fclose(f);
                goto out;
            }
        for (size_t i = 0; i < nb; i++) {
            date_cell(f, out_reader_time_date(x->r, i0 + i));
            fputc(',', f);
            cmd_csv_num(f, hours[i0 + i]);
            for (size_t r = 0; r < nruns; r++)
                for (size_t j = 0; j < cols; j++) {
                    fputc(',', f);
                    cmd_csv_num(f, buf[r * nb * cols + i * cols + j]);
                }
            fputc('\n', f);
        }
    }
    if (close_csv(f, path) != 0)
        goto out;
    if (has_stats) {
        static const char *const sn[3] = { "mean", "p05", "p95" };
        snprintf(name, sizeof name, "series/%s_%s_stats.csv", s->group, s->name);
        if (!(f = open_csv(x, name, path, sizeof path)))
            goto out;
        fputs("date,hours", f);
        for (size_t j = 0; j < cols; j++)
            for (int k = 0; k < 3; k++) {
                char h[300];
                snprintf(h, sizeof h, "%s %s", j < nent ? ent[j] : "?", sn[k]);
                fputc(',', f);
                cmd_csv_str(f, h);
            }
        fputc('\n', f);
        for (size_t i0 = 0; i0 < rows; i0 += block) {
            size_t nb = rows - i0 < block ? rows - i0 : block;
            for (int k = 0; k < 3; k++)
                if (out_reader_stats_read_rows(x->r, s->group, s->name, (out_stat)k, i0, nb,
                                               buf + (size_t)k * nb * cols, &x->err)) {
                    reader_error(x);
                    fclose(f);
                    goto out;
                }
            for (size_t i = 0; i < nb; i++) {
                date_cell(f, out_reader_time_date(x->r, i0 + i));
                fputc(',', f);
                cmd_csv_num(f, hours[i0 + i]);
                for (size_t j = 0; j < cols; j++)
                    for (int k = 0; k < 3; k++) {
                        fputc(',', f);
                        cmd_csv_num(f, buf[(size_t)k * nb * cols + i * cols + j]);
                    }
                fputc('\n', f);
            }
        }
        if (close_csv(f, path) != 0)
            goto out;
    }
    rc = 0;
out:
    free(buf);
    return rc;
}

int cmd_export(int argc, char **argv)
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_CSV | OPT_ARM, 1, 1, "FILE.h5", usage);
    if (prc == 0 && !a.csv) {
        args_usage_error(argv[0], "--csv DIR is required");
        prc = -1;
    }
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    const char *path = a.pos[0], *dir = a.csv, *arm = a.arm;
    args_fini(&a);
    int status = EXIT_OK;
    out_reader *r = cmd_reader_open_arm(path, arm, OUT_VERIFY_RUNS | OUT_VERIFY_STATS, &status);
    if (!r)
        return status;
    exporter x = { r, dir, { 0, "" }, NULL, 0, 0, 0 };
    char sdir[4200];
    snprintf(sdir, sizeof sdir, "%s/series", dir);
    struct stat st;
    int had_dir = stat(dir, &st) == 0, had_sdir = stat(sdir, &st) == 0;
    if (cmd_mkdir_p(sdir) != 0) {
        cmd_error("export: cannot create %s: %s", sdir, strerror(errno));
        out_reader_close(r);
        return EXIT_RUNTIME;
    }
    status = EXIT_RUNTIME;
    char ipath[4200];
    FILE *index = NULL;
    if (write_scalars(&x) || write_summary(&x) || !(index = open_csv(&x, "series.csv", ipath, sizeof ipath)))
        goto out;
    fputs("file,group,name,unit,description\n", index);
    for (size_t i = 0; i < out_reader_series_count(r); i++)
        if (write_series(&x, out_reader_series(r, i), index))
            goto out;
    FILE *f = index;
    index = NULL;
    if (close_csv(f, ipath) == 0)
        status = EXIT_OK;
out:
    if (index)
        fclose(index);
    if (finish(&x, status == EXIT_OK) != 0)
        status = EXIT_RUNTIME;
    if (x.bad_input)
        status = EXIT_INPUT;
    if (status != EXIT_OK) {       /* leave no directory the export made */
        if (!had_sdir)
            rmdir(sdir);
        if (!had_dir)
            rmdir(dir);
    } else
        printf("%s\n", dir);
    out_reader_close(r);
    return status;
}
