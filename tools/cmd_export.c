/* tools/cmd_export.c - `vouchsim export FILE.h5 --csv DIR`: CSV for
 * spreadsheets.
 *
 * DIR/scalars.csv   run, then one column per scalar (one row per run); for
 *                   a sweep run, point, replication, the varied keys (the
 *                   design, /sweep/params), then the scalars: one
 *                   experiments-by-outcomes table
 * DIR/sobol.csv     a Sobol sweep's /sobol/indices
 * DIR/differences.csv  a comparison file's /compare/differences (the paired
 *                   differences with their half-widths; shares in %, and
 *                   a status that names an arm without a value, see
 *                   write_differences): alone without --arm, beside the
 *                   arm's files with it
 * DIR/summary.csv   one row per scalar: name, unit, mean, sd, ci95_lo,
 *                   ci95_hi, n, n_missing
 * DIR/series.csv    one row per series: file, group, name, unit, description
 * DIR/series/<group>_<name>.csv        date, hours, then one column per run
 *                   and entity: "east" with one run, "east (run 0)" ...
 * DIR/series/<group>_<name>_stats.csv  date, hours, then "east mean",
 *                   "east p05", "east p95", "east min", "east max" ... (files
 *                   with /series_stats; min and max over the runs, the band
 *                   plot draws under 20 runs, p05 and p95 the one from 20)
 * Dates are "YYYY-MM-DD", with " HH:MM" when not at midnight (Excel and
 * LibreOffice read them as dates),
 * numbers have the digits that read back as the same double, and NaN is an
 * empty cell. With --long the series go to DIR/series_long.csv instead, as
 * tidy rows: run, date, hours, group, entity, variable, value; it is many
 * times the .h5, so its size is estimated first (long_estimate), said on
 * stderr, and the export refused when it cannot fit in DIR's free space.
 *
 * DIR/vouchsim-export.txt lists the files an export wrote (after a line
 * "# arm: NAME" for one arm of a comparison). One DIR holds one export: a second export
 * into DIR that would mix with an earlier one (its manifest, or a file of
 * the names above) is refused unless --force, naming what the earlier one
 * was of (the arms of a comparison write files of the same names, so each
 * arm goes to a DIR of its own); --force replaces the earlier export, and
 * says so on stderr: its files that the new one does not rewrite are
 * removed once the new files are in place (only files of the manifest, or
 * of the names above when there is none).
 *
 * Every file is first written to a temporary file beside it
 * (.vouchsim-export-XXXXXX, mkstemp), every write and close checked and
 * fsynced; only when all are whole are they renamed into place. On any
 * failure (a full disk...) the temporary files and the directories the
 * export created are removed, and no CSV is left at a final path. DIR's
 * missing parents are created as by `mkdir -p`, each said on stderr once
 * the export is in place (a mistyped path shows), and removed, when
 * empty, on a failure or an interruption (live_top: the first of them).
 *
 * So on an interruption: SIGINT, SIGTERM or SIGHUP while the files are
 * written removes the temporary files and the directories the export
 * created (on_signal, async-signal-safe: unlink, rmdir, write) and exits
 * 128 + the signal with one line. The list of temporaries changes, and
 * the renames run, with the signals blocked; one that comes during the
 * renames lets them finish (the export is then whole: exit 0, saying so). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "output/reader.h"
#include "tools/args.h"
#include "tools/cmd.h"
#include "tools/report.h"

static void usage(FILE *f)
{
    fputs("usage: vouchsim export FILE.h5 --csv DIR [--arm NAME] [--long] [--force]\n"
          "  A comparison file (compare -o, run --counterfactual -o): DIR/differences.csv,\n"
          "  the paired differences policy - base with their 95% half-widths as\n"
          "  /compare/differences holds them (shares in %, status \"no value in base\",\n"
          "  \"... policy\" or \"... either\" where an arm has none); --arm NAME (base,\n"
          "  policy...) adds that arm's files below.\n"
          "  Writes DIR/scalars.csv (one row per run: run, then one column per scalar;\n"
          "  for a sweep run, point, replication and the varied keys first: the design\n"
          "  and the outcomes as one table), DIR/sobol.csv (a Sobol sweep's indices),\n"
          "  DIR/summary.csv, DIR/series.csv (an index) and\n"
          "  DIR/series/<group>_<name>.csv: date, hours, then one column per run and\n"
          "  entity; <group>_<name>_stats.csv holds mean, p05, p95, min, max across\n"
          "  runs (plot's bands: min..max under 20 runs, p05..p95 from 20).\n"
          "  --long      the series as tidy rows instead, in DIR/series_long.csv: run,\n"
          "              date, hours, group, entity, variable, value (no _stats files);\n"
          "              many times the .h5: its size is said on stderr first, and it\n"
          "              is refused (exit 1) when that cannot fit in DIR's free space\n"
          "  --force     replace an earlier export in DIR (without it, refused: exit 2)\n"
          "  One DIR holds one export: the arms of a comparison write files of the\n"
          "  same names, so export each arm to a DIR of its own (--arm base --csv\n"
          "  out-base, --arm policy --csv out-policy); a second export into a DIR is\n"
          "  refused, naming what the first was of, and --force replaces it.\n"
          "  DIR/vouchsim-export.txt lists the files written. DIR's missing parents\n"
          "  are created, each said on stderr (removed again, with a DIR it made,\n"
          "  if the export fails, also when a mkdir fails part way).\n"
          "  Dates read as \"YYYY-MM-DD\" (\" HH:MM\" added when not midnight); empty\n"
          "  cells are NaN; numbers carry the digits that read back as the same value.\n"
          "exit status: 0 ok, 1 cannot write DIR (nothing is left there; --long: no\n"
          "  room for it; a parent that is not writable: refused before FILE is\n"
          "  read), 2 bad usage (DIR, or a parent, a file: refused before FILE is\n"
          "  read), an earlier export in DIR without --force, or a missing,\n"
          "  unreadable, foreign or malformed input file, 130/143/129 interrupted\n"
          "  (SIGINT/SIGTERM/SIGHUP: DIR is as it was, also when FILE was still\n"
          "  being read)\n", f);
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
    out_table        *params;       /* a sweep's /sweep/params, or NULL */
} exporter;

/* The manifest: the files of the export, one a line, relative to DIR. */
#define MANIFEST "vouchsim-export.txt"

/* Files an export writes at the top of DIR (and series/ *.csv). */
static const char *const known[] = { "scalars.csv", "summary.csv", "series.csv",
                                     "series_long.csv", "sobol.csv", "differences.csv",
                                     MANIFEST, NULL };

/* ---- interruptions ----
 * on_signal is installed from the start (cmd_export): while the file is
 * read it removes nothing and says so; once the export writes, it removes
 * the export's temporaries (live->files, changed only with the signals
 * blocked) and the directories it created. The one piece of process
 * state here, changed only with the signals blocked. A child of the
 * process (the reader's check of the file, forked) leaves at once,
 * silent: the export is the parent's to report. */
static exporter *volatile live;
static char live_dir[4200], live_sdir[4200];
static char live_top[4200];     /* the first parent of DIR the export creates, or "" */
static int live_had_dir, live_had_sdir;
static char live_msg[4400];
static pid_t live_pid;

/* The length of dir without its trailing slashes (at least 1). */
static size_t trimmed_len(const char *dir)
{
    size_t n = 0;
    while (dir[n])
        n++;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    return n;
}

/* Removes the parents of dir the export created, from dir's parent up to
 * top (a prefix of dir), each if empty. Async-signal-safe (on_signal):
 * no library call but rmdir. */
static void rm_parents(const char *dir, const char *top)
{
    char p[4200];
    size_t n = trimmed_len(dir), t = 0;
    while (top[t])
        t++;
    if (t == 0 || n >= sizeof p)
        return;
    for (size_t i = 0; i < n; i++)
        p[i] = dir[i];
    for (;;) {
        while (n > 0 && p[n - 1] != '/')    /* drop the last part */
            n--;
        while (n > 1 && p[n - 1] == '/')
            n--;
        if (n < t || n == 0)
            break;
        p[n] = '\0';
        rmdir(p);
        if (n == t)
            break;
    }
}

/* The first parent of dir that does not exist, into top ("" when every
 * parent does): where `mkdir -p` starts creating. */
static void missing_parent(const char *dir, char *top, size_t size)
{
    size_t n = trimmed_len(dir);
    *top = '\0';
    for (size_t i = 1; i < n; i++) {
        if (dir[i] != '/' || dir[i - 1] == '/')
            continue;
        char p[4200];
        struct stat st;
        if (i >= sizeof p || i >= size)
            return;
        memcpy(p, dir, i);
        p[i] = '\0';
        if (stat(p, &st) != 0 && errno == ENOENT) {
            memcpy(top, p, i + 1);
            return;
        }
    }
}

static void on_signal(int sig)
{
    if (getpid() != live_pid)
        _exit(128 + sig);
    exporter *x = live;
    for (size_t i = 0; x && i < x->nfiles; i++)
        unlink(x->files[i].tmp);
    if (!live_had_sdir)
        rmdir(live_sdir);
    if (!live_had_dir)
        rmdir(live_dir);
    if (*live_top)
        rm_parents(live_dir, live_top);
    ssize_t w = write(2, live_msg, strlen(live_msg));
    (void)w;
    _exit(128 + sig);
}

static void block_signals(int how, sigset_t *old)
{
    sigset_t s;
    sigemptyset(&s);
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        sigaddset(&s, cmd_stop_signals[k]);
    sigprocmask(how, &s, old);
}

/* Opens a temporary file for DIR/name; path gets the final path. */
static FILE *open_csv(exporter *x, const char *name, char *path, size_t n)
{
    snprintf(path, n, "%s/%s", x->dir, name);
    sigset_t old;
    block_signals(SIG_BLOCK, &old);     /* mkstemp to the list: one step for on_signal */
    FILE *f = NULL;
    if (x->nfiles == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        pending *p = realloc(x->files, cap * sizeof *p);
        if (!p) {
            cmd_error("export: out of memory");
            goto out;
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
        goto out;
    }
    snprintf(tmp, dlen + 32, "%.*s%s.vouchsim-export-XXXXXX", (int)dlen, path, slash ? "/" : "");
    int fd = mkstemp(tmp);
    f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        int e = errno;
        cmd_error("export: %s: cannot write: %s", path, strerror(e));
        cmd_fsize_advice(strerror(e), NULL);
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        free(final);
        goto out;
    }
    mode_t um = umask(0);       /* mkstemp makes 0600; a CSV is an ordinary file */
    umask(um);
    fchmod(fd, 0666 & ~um);
    x->files[x->nfiles++] = (pending){ tmp, final };
out:
    sigprocmask(SIG_SETMASK, &old, NULL);
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
        cmd_fsize_advice(strerror(e), NULL);
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
            int e = errno;
            cmd_error("export: %s: cannot write: %s", p->final, strerror(e));
            cmd_fsize_advice(strerror(e), NULL);
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

/* The row of the sweep's /sweep/params for run, or -1. */
static long params_row(const out_table *t, uint32_t run)
{
    if (run < t->nrows && t->num[(size_t)run * t->ncols] == (double)run)
        return (long)run;
    for (size_t i = 0; i < t->nrows; i++)
        if (t->num[i * t->ncols] == (double)run)
            return (long)i;
    return -1;
}

/* Cell j of row i of table t (text or number; NaN and no row: empty). */
static void table_cell(FILE *f, const out_table *t, long i, size_t j)
{
    if (i < 0)
        return;
    if (t->text[j])
        cmd_csv_str(f, t->text[j][i]);
    else
        cmd_csv_num(f, t->num[(size_t)i * t->ncols + j]);
}

/* One row per run: run, the sweep's design columns (point, replication,
 * the varied keys), then the scalars. */
static int write_scalars(exporter *x)
{
    char path[4200];
    FILE *f = open_csv(x, "scalars.csv", path, sizeof path);
    if (!f)
        return -1;
    size_t rows = out_reader_scalar_rows(x->r), cols = out_reader_scalar_cols(x->r);
    const double *v = out_reader_scalar_values(x->r);
    const out_table *t = x->params;
    fputs("run", f);
    for (size_t j = 1; t && j < t->ncols; j++) {
        fputc(',', f);
        cmd_csv_str(f, t->names[j]);
    }
    for (size_t j = 0; j < cols; j++) {
        fputc(',', f);
        cmd_csv_str(f, out_reader_scalar_name(x->r, j));
    }
    fputc('\n', f);
    for (size_t i = 0; i < rows; i++) {
        uint32_t run = out_reader_scalar_run(x->r, i);
        fprintf(f, "%u", run);
        long pr = t ? params_row(t, run) : -1;
        for (size_t j = 1; t && j < t->ncols; j++) {
            fputc(',', f);
            table_cell(f, t, pr, j);
        }
        for (size_t j = 0; j < cols; j++) {
            fputc(',', f);
            cmd_csv_num(f, v[i * cols + j]);
        }
        fputc('\n', f);
    }
    return close_csv(f, path);
}

/* The header line of table t: its column names. */
static void put_names(FILE *f, const out_table *t)
{
    for (size_t j = 0; j < t->ncols; j++) {
        if (j)
            fputc(',', f);
        cmd_csv_str(f, t->names[j]);
    }
    fputc('\n', f);
}

/* A table of the file (/sobol/indices) as DIR/name: its columns, a row each. */
static int write_table(exporter *x, const char *name, const out_table *t)
{
    char path[4200];
    FILE *f = open_csv(x, name, path, sizeof path);
    if (!f)
        return -1;
    put_names(f, t);
    for (size_t i = 0; i < t->nrows; i++) {
        for (size_t j = 0; j < t->ncols; j++) {
            if (j)
                fputc(',', f);
            table_cell(f, t, (long)i, j);
        }
        fputc('\n', f);
    }
    return close_csv(f, path);
}

/* The column of t named name, or -1. */
static long column_of(const out_table *t, const char *name)
{
    for (size_t j = 0; j < t->ncols; j++)
        if (!strcmp(t->names[j], name))
            return (long)j;
    return -1;
}

/* /compare/differences as DIR/differences.csv, the table's columns and
 * rows with two readings of the file made plain for a spreadsheet, as
 * summary and compare --format csv|json give them (tools/report.h):
 *   - a share kept as a fraction (unit "1" on a share or utilization, the
 *     headline totals utilization_east...) is written as a percentage under
 *     the unit "%", its difference and half-widths in percentage points
 *     (rep_diff_scale): the unit its region rows (region.east.utilization)
 *     and the printed table use, so one quantity has one unit in the file;
 *   - status "both" (the measure exists in both arms) on a row that has no
 *     value in the runs of an arm (a region without firm jobs has no mean
 *     wait; a program that never runs out has no run-out hour) says so:
 *     "no value in base", "no value in policy", "no value in either"
 *     (rep_diff_status).
 * The file keeps its fractions and statuses (plot reads them). */
static int write_differences(exporter *x, const out_table *t)
{
    static const char *const scaled[] = { "base_mean", "policy_mean", "difference",
                                          "paired_ci95_half", "unpaired_ci95_half" };
    long total = column_of(t, "total"), unit = column_of(t, "unit");
    long status = column_of(t, "status"), nb = column_of(t, "n_base");
    long np = column_of(t, "n_policy");
    if (total < 0 || unit < 0 || !t->text[total] || !t->text[unit])
        total = unit = -1;
    if (status < 0 || nb < 0 || np < 0 || !t->text[status] || t->text[nb] || t->text[np])
        status = -1;
    char path[4200];
    FILE *f = open_csv(x, "differences.csv", path, sizeof path);
    if (!f)
        return -1;
    put_names(f, t);
    for (size_t i = 0; i < t->nrows; i++) {
        const char *shown = NULL;
        double k = unit >= 0 ? rep_diff_scale(t->text[total][i], t->text[unit][i], &shown) : 1.0;
        for (size_t j = 0; j < t->ncols; j++) {
            if (j)
                fputc(',', f);
            int scale = 0;
            for (size_t q = 0; k != 1.0 && !t->text[j] && q < sizeof scaled / sizeof *scaled; q++)
                scale |= !strcmp(t->names[j], scaled[q]);
            if ((long)j == unit)
                cmd_csv_str(f, shown);
            else if (scale)
                cmd_csv_num(f, k * t->num[i * t->ncols + j]);
            else if ((long)j == status)
                cmd_csv_str(f, rep_diff_status(t->text[j][i], t->num[i * t->ncols + (size_t)nb],
                                               t->num[i * t->ncols + (size_t)np]));
            else
                table_cell(f, t, (long)i, j);
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
    double *buf = malloc((block * width + 1) * sizeof *buf), *sb = NULL;
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
        /* mean, p05, p95 of /series_stats, and the range of the runs
         * (min, max: what the charts draw as the band under 20 runs) */
        static const char *const sn[5] = { "mean", "p05", "p95", "min", "max" };
        snprintf(name, sizeof name, "series/%s_%s_stats.csv", s->group, s->name);
        if (!(sb = malloc((3 * block * cols + 1) * sizeof *sb))) {
            cmd_error("export: out of memory");
            goto out;
        }
        if (!(f = open_csv(x, name, path, sizeof path)))
            goto out;
        fputs("date,hours", f);
        for (size_t j = 0; j < cols; j++)
            for (int k = 0; k < 5; k++) {
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
                                               sb + (size_t)k * nb * cols, &x->err)) {
                    reader_error(x);
                    fclose(f);
                    goto out;
                }
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
                for (size_t j = 0; j < cols; j++) {
                    for (int k = 0; k < 3; k++) {
                        fputc(',', f);
                        cmd_csv_num(f, sb[(size_t)k * nb * cols + i * cols + j]);
                    }
                    double lo = NAN, hi = NAN;   /* over the runs' finite values */
                    for (size_t r = 0; r < nruns; r++) {
                        double v = buf[r * nb * cols + i * cols + j];
                        if (isfinite(v)) {
                            lo = isnan(lo) || v < lo ? v : lo;
                            hi = isnan(hi) || v > hi ? v : hi;
                        }
                    }
                    fputc(',', f);
                    cmd_csv_num(f, lo);
                    fputc(',', f);
                    cmd_csv_num(f, hi);
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
    free(sb);
    return rc;
}

/* Every series as tidy rows in DIR/series_long.csv: run, date, hours,
 * group, entity, variable, value; the index rows name that file. */
static int write_long(exporter *x, FILE *index)
{
    char path[4200];
    size_t nruns = out_reader_run_count(x->r), ns = out_reader_series_count(x->r);
    const double *hours = out_reader_time_hours(x->r);
    double *buf = malloc(BLOCK_CELLS * sizeof *buf);
    FILE *f = buf ? open_csv(x, "series_long.csv", path, sizeof path) : NULL;
    if (!buf) {
        cmd_error("export: out of memory");
        return -1;
    }
    if (!f) {
        free(buf);
        return -1;
    }
    fputs("run,date,hours,group,entity,variable,value\n", f);
    for (size_t k = 0; k < ns; k++) {
        const out_series_info *s = out_reader_series(x->r, k);
        cmd_csv_str(index, "series_long.csv");
        const char *cells[4] = { s->group, s->name, s->unit, s->desc };
        for (int c = 0; c < 4; c++) {
            fputc(',', index);
            cmd_csv_str(index, cells[c]);
        }
        fputc('\n', index);
        size_t nent = 0, cols = s->cols;
        const char *const *ent = out_reader_entities(x->r, s->group, &nent);
        size_t block = cols ? BLOCK_CELLS / cols : s->rows;
        if (block == 0) {
            cmd_error("export: %s: %s/%s: %zu entities is too many for one block",
                      out_reader_path(x->r), s->group, s->name, cols);
            x->bad_input = 1;
            fclose(f);
            free(buf);
            return -1;
        }
        for (size_t r = 0; r < nruns; r++)
            for (size_t i0 = 0; i0 < s->rows; i0 += block) {
                size_t nb = s->rows - i0 < block ? s->rows - i0 : block;
                if (out_reader_series_read_rows(x->r, r, s->group, s->name, i0, nb, buf,
                                                &x->err)) {
                    reader_error(x);
                    fclose(f);
                    free(buf);
                    return -1;
                }
                for (size_t i = 0; i < nb; i++)
                    for (size_t j = 0; j < cols; j++) {
                        fprintf(f, "%zu,", r);
                        date_cell(f, out_reader_time_date(x->r, i0 + i));
                        fputc(',', f);
                        cmd_csv_num(f, hours[i0 + i]);
                        fputc(',', f);
                        cmd_csv_str(f, s->group);
                        fputc(',', f);
                        cmd_csv_str(f, j < nent ? ent[j] : "?");
                        fputc(',', f);
                        cmd_csv_str(f, s->name);
                        fputc(',', f);
                        cmd_csv_num(f, buf[i * cols + j]);
                        fputc('\n', f);
                    }
            }
    }
    free(buf);
    return close_csv(f, path);
}

/* Bytes of s as one CSV field (cmd_csv_str). */
static double csv_len(const char *s)
{
    if (!strpbrk(s, ",\"\r\n"))
        return (double)strlen(s);
    double n = (double)strlen(s) + 2;
    for (; *s; s++)
        n += *s == '"';
    return n;
}

/* The size of series_long.csv before it is written: rows, the bytes
 * without the values (exact: the run, date, hours, group, entity and
 * variable cells), and about (the values at the mean length they have in
 * the first run, read for this). Returns 0, or -1 (the reader's error is
 * in x->err). */
typedef struct long_size {
    double rows, fixed, about;
} long_size;

static int long_estimate(exporter *x, long_size *z)
{
    size_t nruns = out_reader_run_count(x->r), ns = out_reader_series_count(x->r);
    size_t nt = out_reader_time_count(x->r);
    const double *hours = out_reader_time_hours(x->r);
    char num[CMD_NUM_TEXT];
    double run_b = 0, time_b = 0;       /* "r," over the runs; "date,hours," over the times */
    for (size_t r = 0; r < nruns; r++)
        run_b += snprintf(num, sizeof num, "%zu", r) + 1;
    for (size_t i = 0; i < nt; i++) {
        const char *d = out_reader_time_date(x->r, i);
        time_b += (double)(d ? strlen(d) : 0) + (double)cmd_num_text(hours[i], num) + 2;
    }
    z->rows = z->fixed = z->about = 0;
    z->fixed = sizeof "run,date,hours,group,entity,variable,value\n" - 1;
    double *buf = malloc(BLOCK_CELLS * sizeof *buf);
    if (!buf) {
        sim_err_set(&x->err, SIM_ENOMEM, NULL, 0, 0, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < ns; k++) {
        const out_series_info *s = out_reader_series(x->r, k);
        size_t nent = 0, rows = s->rows, cols = s->cols;
        const char *const *ent = out_reader_entities(x->r, s->group, &nent);
        double ent_b = 0, cells = (double)rows * (double)cols;
        for (size_t j = 0; j < cols; j++)
            ent_b += csv_len(j < nent ? ent[j] : "?") + 1;
        double gv = csv_len(s->group) + 1 + csv_len(s->name) + 1;
        double tb = rows == nt ? time_b : time_b * (double)rows / (double)(nt ? nt : 1);
        z->rows += cells * (double)nruns;
        z->fixed += cells * run_b + (double)nruns * (double)cols * tb
                    + (double)nruns * (double)rows * ent_b + cells * (double)nruns * (gv + 1);
        /* the values, as the first run has them */
        double vb = 0;
        size_t block = cols ? BLOCK_CELLS / cols : rows;
        for (size_t i0 = 0; nruns && block && i0 < rows; i0 += block) {
            size_t nb = rows - i0 < block ? rows - i0 : block;
            if (out_reader_series_read_rows(x->r, 0, s->group, s->name, i0, nb, buf, &x->err)) {
                free(buf);
                return -1;
            }
            for (size_t c = 0; c < nb * cols; c++)
                vb += (double)cmd_num_text(buf[c], num);
        }
        z->about += vb * (double)nruns;
    }
    free(buf);
    z->about += z->fixed;
    return 0;
}

/* Bytes free to an unprivileged writer in the file system of dir, or of
 * the nearest directory above it that exists; -1 when unknown. */
static double free_bytes(const char *dir)
{
    char p[4200];
    snprintf(p, sizeof p, "%s", dir);
    struct statvfs v;
    while (statvfs(p, &v) != 0) {
        char *slash = strrchr(p, '/');
        if (errno != ENOENT || !strcmp(p, "."))
            return -1;
        if (!slash)
            snprintf(p, sizeof p, ".");
        else if (slash == p)
            slash[1] = '\0';
        else
            *slash = '\0';
    }
    return (double)v.f_bavail * (double)v.f_frsize;
}

/* "2.05 GB", "512 kB": bytes for a person, 3 significant digits. */
static void bytes_text(double b, char *buf, size_t n)
{
    static const char *const unit[] = { "bytes", "kB", "MB", "GB", "TB", "PB" };
    int u = 0;
    while (b >= 999.5 && u < 5)
        b /= 1000, u++;
    if (u == 0)
        snprintf(buf, n, "%.0f bytes", b);
    else
        snprintf(buf, n, "%.*f %s", b < 9.995 ? 2 : b < 99.95 ? 1 : 0, b, unit[u]);
}

/* A relative path a manifest may name: no "/" first, no ".." part, a CSV. */
static int safe_name(const char *n)
{
    size_t len = strlen(n);
    if (!len || n[0] == '/' || len < 5 || strcmp(n + len - 4, ".csv"))
        return 0;
    for (const char *p = n; *p; p++)
        if ((p == n || p[-1] == '/') && p[0] == '.' && p[1] == '.' && (!p[2] || p[2] == '/'))
            return 0;
    return 1;
}

typedef struct names {
    char  **v;
    size_t  n;
} names;

static int names_push(names *l, const char *s)
{
    char **p = realloc(l->v, (l->n + 1) * sizeof *p);
    if (!p)
        return -1;
    l->v = p;
    if (!(l->v[l->n] = strdup(s)))
        return -1;
    l->n++;
    return 0;
}

static void names_free(names *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* The manifest's line that names the arm an export of one arm of a
 * comparison wrote ("# arm: base"); exports of equal data write equal
 * manifests, so it does not name the file. */
#define FROM "# arm: "

/* The files of an earlier export in dir, relative to it: those its
 * manifest lists (and the manifest), or, without one, the files of the
 * names an export writes. from (of n bytes) gets the arm the earlier
 * export was of, as its manifest says ("" when none). 0, or -1 out of
 * memory. */
static int earlier_export(const char *dir, names *old, char *from, size_t n)
{
    char p[4200];
    struct stat st;
    from[0] = '\0';
    snprintf(p, sizeof p, "%s/%s", dir, MANIFEST);
    FILE *m = fopen(p, "r");
    if (m) {
        char line[1024];
        int rc = names_push(old, MANIFEST);
        while (rc == 0 && fgets(line, sizeof line, m)) {
            line[strcspn(line, "\r\n")] = '\0';
            if (!strncmp(line, FROM, strlen(FROM)) && !from[0])
                snprintf(from, n, "%s", line + strlen(FROM));
            int fits = snprintf(p, sizeof p, "%s/%s", dir, line) < (int)sizeof p;
            if (fits && line[0] != '#' && safe_name(line) && lstat(p, &st) == 0
                && S_ISREG(st.st_mode))
                rc = names_push(old, line);
        }
        fclose(m);
        return rc;
    }
    for (size_t i = 0; known[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, known[i]);
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && names_push(old, known[i]))
            return -1;
    }
    snprintf(p, sizeof p, "%s/series", dir);
    DIR *d = opendir(p);
    for (struct dirent *e; d && (e = readdir(d));) {
        char rel[600];
        size_t len = strlen(e->d_name);
        if (len < 5 || len > 500 || strcmp(e->d_name + len - 4, ".csv"))
            continue;
        snprintf(rel, sizeof rel, "series/%s", e->d_name);
        snprintf(p, sizeof p, "%s/%s", dir, rel);
        if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && names_push(old, rel)) {
            closedir(d);
            return -1;
        }
    }
    if (d)
        closedir(d);
    return 0;
}

/* The manifest, as the last file of the export: the arm it is of (from,
 * unless ""), then every file written. */
static int write_manifest(exporter *x, const char *from)
{
    char path[4200];
    size_t n = x->nfiles, dlen = strlen(x->dir) + 1;
    FILE *f = open_csv(x, MANIFEST, path, sizeof path);
    if (!f)
        return -1;
    fputs("# the files of a vouchsim export, one a line (vouchsim export --force replaces "
          "them)\n", f);
    if (from[0])
        fprintf(f, "%s%s\n", FROM, from);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s\n", x->files[i].final + dlen);
    return close_csv(f, path);
}

static int export_run(int argc, char **argv, const struct sigaction old_sa[CMD_STOP_SIGNALS]);

int cmd_export(int argc, char **argv)
{
    /* from the start: an export interrupted while it reads the file says
     * so, and that nothing was written */
    struct sigaction old_sa[CMD_STOP_SIGNALS];
    live = NULL;
    live_pid = getpid();
    live_had_dir = live_had_sdir = 1;       /* nothing of the export's to remove yet */
    snprintf(live_msg, sizeof live_msg, "%svouchsim: export: interrupted: nothing written\n",
             isatty(2) ? "\n" : "");
    cmd_stop_catch(on_signal, 0, old_sa);
    int status = export_run(argc, argv, old_sa);
    cmd_stop_release(old_sa);
    live = NULL;
    return status;
}

static int export_run(int argc, char **argv, const struct sigaction old_sa[CMD_STOP_SIGNALS])
{
    args a;
    int prc = args_parse(&a, argc, argv, OPT_CSV | OPT_ARM | OPT_FORCE | OPT_LONG, 1, 1,
                         "FILE.h5", usage);
    if (prc == 0 && !a.csv) {
        args_usage_error(argv[0], "--csv DIR is required");
        prc = -1;
    }
    if (prc != 0) {
        args_fini(&a);
        return args_status(prc);
    }
    const char *path = a.pos[0], *dir = a.csv, *arm = a.arm;
    int force = a.force, long_form = a.long_form;
    args_fini(&a);
    /* what every way out frees (at done) */
    int status = cmd_out_check("export", dir, CMD_OUT_DIR);
    if (status != EXIT_OK)
        return status;
    names old = { NULL, 0 }, gone = { NULL, 0 };
    out_reader *r = NULL;
    out_table *sobol = NULL, *diffs = NULL;
    exporter x = { NULL, dir, { 0, "" }, NULL, 0, 0, 0, NULL };
    char was[1100], from[1100];
    /* the arm this export is of, for its manifest (one line: no newline) */
    snprintf(from, sizeof from, "%s", arm ? arm : "");
    from[strcspn(from, "\r\n")] = '\0';
    if (earlier_export(dir, &old, was, sizeof was) != 0) {
        cmd_error("export: out of memory");
        status = EXIT_RUNTIME;
        goto done;
    }
    /* One DIR holds one export: the arms of a comparison write files of
     * the same names (scalars.csv, series/...), so a second arm into the
     * DIR of the first would replace it. Refused, saying so; --force
     * replaces, and says what it replaced. */
    int arms_clash = arm || was[0];
    if (old.n && !force) {
        cmd_error("export: %s/%s: an earlier export is in %s%s%s%s; --force replaces it, or "
                  "choose another DIR%s", dir, old.v[old.n > 1 && !strcmp(old.v[0], MANIFEST)],
                  dir, was[0] ? " (of arm " : "", was, was[0] ? ")" : "",
                  arms_clash ? " (each arm of a comparison writes files of the same names: "
                               "export each to a DIR of its own)" : "");
        status = EXIT_INPUT;
        goto done;
    }
    /* A comparison file: without --arm, its paired differences alone
     * (read through its first arm, checked as a run file is); with
     * --arm, that arm's files and the differences. */
    sigset_t mask;
    block_signals(SIG_BLOCK, &mask);
    cmd_compose(live_msg, sizeof live_msg, isatty(2) ? "\n" : "", "\n", "vouchsim: export: "
                "interrupted while reading %s: nothing written%s%s%s", path, old.n ? " (" : "",
                old.n ? dir : "", old.n ? " is as it was)" : "");
    sigprocmask(SIG_SETMASK, &mask, NULL);
    char **arms = NULL;
    size_t narms = 0;
    out_file_children(path, "/arms", &arms, &narms);
    int diff_only = narms > 0 && !arm;
    r = cmd_reader_open_arm("export", path, diff_only ? arms[0] : arm,
                                        diff_only ? 0 : OUT_VERIFY_RUNS | OUT_VERIFY_STATS,
                                        &status);
    char arm0[160] = "NAME";    /* for --long's note on a comparison file: an arm's
                                   name when it is plain text */
    if (diff_only && arms[0][0] && strlen(arms[0]) < sizeof arm0
        && strspn(arms[0], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
           == strlen(arms[0]))
        snprintf(arm0, sizeof arm0, "%s", arms[0]);
    out_strv_free(arms, narms);
    if (!r)
        goto done;
    x.r = r;
    if (narms > 0) {
        int rc = out_reader_file_table_read(r, "/compare/differences", &diffs, &x.err);
        if (rc != SIM_OK && !(rc == SIM_ENOENT && !diff_only)) {
            if (rc == SIM_ENOENT)
                sim_err_set(&x.err, SIM_EINVAL, path, 0, 0, "a comparison file without "
                            "/compare/differences: export one arm with --arm NAME");
            reader_error(&x);
            status = x.bad_input ? EXIT_INPUT : EXIT_RUNTIME;
            goto done;
        }
    }
    if (!arm && !diff_only) {
        int rc = out_reader_table_read(r, "/sweep/params", &x.params, &x.err);
        if (rc == SIM_OK && (x.params->ncols < 1 || strcmp(x.params->names[0], "run")
                             || x.params->text[0])) {
            rc = sim_err_set(&x.err, SIM_EINVAL, path, 0, 0, "/sweep/params: no run column "
                             "first");
        }
        if (rc == SIM_OK || rc == SIM_ENOENT)
            rc = out_reader_table_read(r, "/sobol/indices", &sobol, &x.err);
        if (rc != SIM_OK && rc != SIM_ENOENT) {
            reader_error(&x);
            status = x.bad_input ? EXIT_INPUT : EXIT_RUNTIME;
            goto done;
        }
    }
    /* A file written with --totals-only has no series: --long (series
     * only) is refused, and a plain export writes the totals without an
     * empty series/ and a header-only series.csv. */
    int no_series = !diff_only && out_reader_series_count(r) == 0;
    if (no_series && long_form) {
        cmd_error("export: %s has no series (it was written with --totals-only): --long "
                  "writes only series; export without --long for its totals (scalars.csv, "
                  "summary.csv)", path);
        status = EXIT_INPUT;
        goto done;
    }
    /* a comparison file keeps its series per arm: --long alone has no
     * series to write (the differences are written as usual) */
    if (long_form && diff_only)
        cmd_error("export: --long: %s is a comparison file, whose series are kept per arm: "
                  "only its differences are written; add --arm %s (or another arm) for that "
                  "arm's series in long form", path, arm0);
    /* --long is far larger than the file (a row per run, sample and entity,
     * each naming its date, group, entity and variable): its size first,
     * on stderr, and refused when it cannot fit */
    if (long_form && !diff_only) {
        long_size z;
        struct stat hs;
        if (long_estimate(&x, &z) != 0) {
            reader_error(&x);
            status = x.bad_input ? EXIT_INPUT : EXIT_RUNTIME;
            goto done;
        }
        char est[32], h5[32], low[32], avail[32], rows[48];
        double fb = free_bytes(dir);
        bytes_text(z.about, est, sizeof est);
        bytes_text(z.fixed, low, sizeof low);
        cmd_fmt_num(z.rows, rows, sizeof rows);
        int have_h5 = stat(path, &hs) == 0 && hs.st_size > 0;
        bytes_text(have_h5 ? (double)hs.st_size : 0, h5, sizeof h5);
        if (fb >= 0 && z.fixed > fb) {
            bytes_text(fb, avail, sizeof avail);
            cmd_error("export: --long: %s/series_long.csv needs at least %s (about %s, %s "
                      "rows), more than the %s free there: nothing written; free space, "
                      "export to another DIR, or export without --long (the wide files)", dir,
                      low, est, rows, avail);
            status = EXIT_RUNTIME;
            goto done;
        }
        if (have_h5)
            cmd_error("export: --long: %s/series_long.csv will take about %s (%s rows; %s is "
                      "%s)", dir, est, rows, path, h5);
        else
            cmd_error("export: --long: %s/series_long.csv will take about %s (%s rows)", dir,
                      est, rows);
    }
    char sdir[4200];
    snprintf(sdir, sizeof sdir, "%s/series", dir);
    struct stat st;
    int had_dir = stat(dir, &st) == 0, had_sdir = stat(sdir, &st) == 0;
    int flat = long_form || diff_only || no_series;   /* no series/ directory */
    block_signals(SIG_BLOCK, &mask);
    live = &x;
    snprintf(live_dir, sizeof live_dir, "%s", dir);
    snprintf(live_sdir, sizeof live_sdir, "%s", sdir);
    live_had_dir = had_dir;
    live_had_sdir = had_sdir;
    char top[4200];             /* the first parent of dir made here, or "" */
    missing_parent(dir, top, sizeof top);
    snprintf(live_top, sizeof live_top, "%s", top);
    cmd_compose(live_msg, sizeof live_msg, isatty(2) ? "\n" : "", "\n", "vouchsim: export: "
                "interrupted: %s is as it was (nothing written, the temporary files removed)",
                dir);
    sigprocmask(SIG_SETMASK, &mask, NULL);
    if (cmd_mkdir_p(flat ? dir : sdir) != 0) {
        cmd_error("export: cannot create %s: %s", flat ? dir : sdir, strerror(errno));
        block_signals(SIG_BLOCK, &mask);
        /* what it made before it failed: DIR (when series/ failed) and
         * DIR's parents, each if empty */
        if (!had_sdir)
            rmdir(sdir);
        if (!had_dir)
            rmdir(dir);
        if (*top)
            rm_parents(dir, top);
        *live_top = '\0';
        sigprocmask(SIG_SETMASK, &mask, NULL);
        cmd_stop_release(old_sa);
        live = NULL;
        status = EXIT_RUNTIME;
        goto done;
    }
    status = EXIT_RUNTIME;
    char ipath[4200];
    FILE *index = NULL;
    if (diffs && write_differences(&x, diffs))
        goto out;
    if (diff_only) {
        if (write_manifest(&x, from) == 0)
            status = EXIT_OK;
        goto out;
    }
    if (write_scalars(&x) || write_summary(&x) || (sobol && write_table(&x, "sobol.csv", sobol)))
        goto out;
    if (no_series) {
        cmd_error("export: %s has no series (it was written with --totals-only): wrote its "
                  "totals, no series.csv and no series/", path);
        if (write_manifest(&x, from) == 0)
            status = EXIT_OK;
        goto out;
    }
    if (!(index = open_csv(&x, "series.csv", ipath, sizeof ipath)))
        goto out;
    fputs("file,group,name,unit,description\n", index);
    if (long_form) {
        if (write_long(&x, index))
            goto out;
    } else {
        for (size_t i = 0; i < out_reader_series_count(r); i++)
            if (write_series(&x, out_reader_series(r, i), index))
                goto out;
    }
    FILE *f = index;
    index = NULL;
    if (close_csv(f, ipath) == 0 && write_manifest(&x, from) == 0)
        status = EXIT_OK;
out:;
    /* from here on the export is committed or removed as a whole: a
     * signal waits until it is */
    sigset_t old_mask, pend;
    block_signals(SIG_BLOCK, &old_mask);
    if (index)
        fclose(index);
    /* the files of the earlier export that this one does not rewrite */
    size_t dlen = strlen(dir) + 1;
    for (size_t i = 0; status == EXIT_OK && i < old.n; i++) {
        int kept = 0;
        for (size_t j = 0; j < x.nfiles && !kept; j++)
            kept = !strcmp(x.files[j].final + dlen, old.v[i]);
        if (!kept && names_push(&gone, old.v[i]) != 0) {
            cmd_error("export: out of memory");
            status = EXIT_RUNTIME;
        }
    }
    if (finish(&x, status == EXIT_OK) != 0)
        status = EXIT_RUNTIME;
    if (x.bad_input)
        status = EXIT_INPUT;
    if (status != EXIT_OK) {       /* leave no directory the export made */
        if (!had_sdir)
            rmdir(sdir);
        if (!had_dir)
            rmdir(dir);
        if (*top)               /* and the parents it made */
            rm_parents(dir, top);
    } else {
        /* the parents of DIR it made, each said (DIR itself is the export's) */
        size_t t = strlen(top), n = trimmed_len(dir);
        for (size_t i = t; t && i < n; i++)
            if (i == t || (dir[i] == '/' && dir[i - 1] != '/'))
                cmd_error("export: created directory %.*s", (int)i, dir);
        for (size_t i = 0; i < gone.n; i++) {
            char p[4200];
            snprintf(p, sizeof p, "%s/%s", dir, gone.v[i]);
            if (unlink(p) != 0 && errno != ENOENT)
                cmd_error("export: %s: cannot remove the earlier export's file: %s", p,
                          strerror(errno));
        }
        if (flat && had_sdir)
            rmdir(sdir);            /* the earlier export's, now empty (else it stays) */
        if (old.n)
            cmd_error("export: replaced the earlier export in %s%s%s%s", dir,
                      was[0] ? " (of arm " : "", was, was[0] ? ")" : "");
        printf("%s\n", dir);
    }
    int late = 0;
    sigpending(&pend);
    for (int k = 0; k < CMD_STOP_SIGNALS; k++)
        if (sigismember(&pend, cmd_stop_signals[k])) {
            late = 1;
            signal(cmd_stop_signals[k], SIG_IGN);   /* discards it when unblocked */
        }
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    cmd_stop_release(old_sa);
    live = NULL;
    *live_top = '\0';
    if (late && status == EXIT_OK)
        cmd_error("export: interrupted while finishing %s: the export is complete", dir);
done:
    names_free(&gone);
    names_free(&old);
    out_table_free(x.params);
    out_table_free(sobol);
    out_table_free(diffs);
    out_reader_close(r);
    return status;
}
