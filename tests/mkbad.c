/* tests/mkbad.c - a corpus of hostile result files, for tests/hostile.sh:
 *     tests/mkbad GOOD.h5 OUTDIR [PREFIX [FLIPS]]
 *
 * Each file is GOOD.h5 (a vouchsim file, from tests/mkh5 or `run`) with
 * one thing broken, written as OUTDIR/PREFIX<kind>-<what>.h5:
 *   bad-*     broken so that summary, plot and export must all refuse it
 *             (huge or overflowing dimensions, wrong types, missing or
 *             inconsistent parts, truncations);
 *   badread-* broken in a part that plot and export read, summary not
 *             (/series_stats);
 *   badexp-*  broken in a part only export reads (a later run's series);
 *   flipheap-* one bit flipped in each fractal-heap direct block ("FHDB",
 *             where a dense group keeps its links): libhdf5 1.10.8 crashed
 *             on these when asked for links in sorted order;
 *   flip-*    20 bits flipped at positions drawn from a fixed LCG (seeds
 *             1..FLIPS, default 40): any exit status may be right (a flip in raw data
 *             changes a number), but never a crash or a hang;
 *   ok-*      odd but valid: titles with quotes, newlines, backquotes
 *             (the chart must be drawn and no command run).
 * Everything is deterministic: the same GOOD.h5 gives the same corpus.
 * Uses the HDF5 API directly, not output/writer.h, to write what the
 * writer never would. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

static const char *outdir, *prefix, *good;
static int failures;

static unsigned char *good_bytes;
static size_t good_size;

static void die(const char *what)
{
    fprintf(stderr, "mkbad: %s\n", what);
    exit(1);
}

static void out_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/%s%s.h5", outdir, prefix, name);
}

static void write_bytes(const char *name, const unsigned char *b, size_t n)
{
    char p[4096];
    out_path(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    if (!f || (n && fwrite(b, 1, n, f) != n) || fclose(f) != 0)
        die(p);
}

/* Copies GOOD to name, opens it read-write. */
static hid_t open_copy(const char *name)
{
    char p[4096];
    write_bytes(name, good_bytes, good_size);
    out_path(p, sizeof p, name);
    hid_t f = H5Fopen(p, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        die(p);
    return f;
}

static void done(const char *name, hid_t f, int ok)
{
    if (H5Fclose(f) < 0)
        ok = 0;
    if (!ok) {
        fprintf(stderr, "mkbad: could not make %s\n", name);
        failures++;
    }
}

/* Replaces path by an empty chunked dataset of type t and the given
 * dims (nothing written: HDF5 allocates nothing, reads give fill values). */
static int declare_chunked(hid_t f, const char *path, hid_t t, int rank, const hsize_t *dims,
                           const hsize_t *chunk_dims);

static int declare(hid_t f, const char *path, hid_t t, int rank, const hsize_t *dims)
{
    static const hsize_t one[3] = { 1, 1, 1 };
    return declare_chunked(f, path, t, rank, dims, one);
}

/* The same with chunks of chunk_dims (deflated, as the writer's). */
static int declare_chunked(hid_t f, const char *path, hid_t t, int rank, const hsize_t *dims,
                           const hsize_t *chunk_dims)
{
    if (H5Lexists(f, path, H5P_DEFAULT) > 0 && H5Ldelete(f, path, H5P_DEFAULT) < 0)
        return 0;
    hsize_t maxd[3] = { H5S_UNLIMITED, H5S_UNLIMITED, H5S_UNLIMITED };
    hid_t sp = H5Screate_simple(rank, dims, maxd);
    hid_t pl = H5Pcreate(H5P_DATASET_CREATE);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    int ok = sp >= 0 && pl >= 0 && H5Pset_chunk(pl, rank, chunk_dims) >= 0
             && H5Pset_deflate(pl, 4) >= 0;
    hid_t d = ok ? H5Dcreate2(f, path, t, sp, lcpl, pl, H5P_DEFAULT) : -1;
    ok = d >= 0;
    if (d >= 0)
        H5Dclose(d);
    if (sp >= 0)
        H5Sclose(sp);
    if (pl >= 0)
        H5Pclose(pl);
    H5Pclose(lcpl);
    return ok;
}

/* Replaces path by a contiguous dataset of type t holding data. */
static int put(hid_t f, const char *path, hid_t t, int rank, const hsize_t *dims,
               const void *data)
{
    if (H5Lexists(f, path, H5P_DEFAULT) > 0 && H5Ldelete(f, path, H5P_DEFAULT) < 0)
        return 0;
    hid_t sp = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t d = sp >= 0 ? H5Dcreate2(f, path, t, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT) : -1;
    int ok = d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) >= 0;
    if (d >= 0)
        H5Dclose(d);
    if (sp >= 0)
        H5Sclose(sp);
    H5Pclose(lcpl);
    return ok;
}

static hid_t str_type(size_t w)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, w);
    return t;
}

/* Rows of a dataset (its first dimension). */
static hsize_t rows_of(hid_t f, const char *path)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT);
    hsize_t dims[4] = { 0 };
    if (d >= 0) {
        hid_t sp = H5Dget_space(d);
        H5Sget_simple_extent_dims(sp, dims, NULL);
        H5Sclose(sp);
        H5Dclose(d);
    }
    return dims[0];
}

/* Sets a scalar string attribute of the root. */
static int root_str(hid_t f, const char *name, const char *value)
{
    if (H5Aexists(f, name) > 0)
        H5Adelete(f, name);
    hid_t t = str_type(strlen(value) + 1), sp = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(f, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    int ok = a >= 0 && H5Awrite(a, t, value) >= 0;
    if (a >= 0)
        H5Aclose(a);
    H5Sclose(sp);
    H5Tclose(t);
    return ok;
}

static const char *S1 = "/runs/0000/series/region/utilization";

static void make_structural(void)
{
    hid_t f;
    hsize_t T;
    {   /* the reported one: (2^62, 4) allocated 8 bytes and leaked heap memory */
        f = open_copy("bad-series-2e62x4");
        hsize_t d[2] = { (hsize_t)1 << 62, 4 };
        done("bad-series-2e62x4", f, declare(f, S1, H5T_IEEE_F64LE, 2, d));
    }
    {
        f = open_copy("bad-series-2e32x2e32");
        hsize_t d[2] = { (hsize_t)1 << 32, (hsize_t)1 << 32 };
        done("bad-series-2e32x2e32", f, declare(f, S1, H5T_IEEE_F64LE, 2, d));
    }
    {
        f = open_copy("bad-series-cols");
        T = rows_of(f, "/time/hours");
        hsize_t d[2] = { T, 7 };
        done("bad-series-cols", f, declare(f, S1, H5T_IEEE_F64LE, 2, d));
    }
    {
        f = open_copy("bad-series-rows");
        T = rows_of(f, "/time/hours");
        hsize_t d[2] = { T + 1000, 2 };
        done("bad-series-rows", f, declare(f, S1, H5T_IEEE_F64LE, 2, d));
    }
    {
        f = open_copy("bad-series-3d");
        T = rows_of(f, "/time/hours");
        hsize_t d[3] = { T, 2, 2 };
        done("bad-series-3d", f, declare(f, S1, H5T_IEEE_F64LE, 3, d));
    }
    {
        f = open_copy("bad-series-strings");
        T = rows_of(f, "/time/hours");
        hsize_t d[2] = { T, 2 };
        hid_t t = str_type(8);
        done("bad-series-strings", f, declare(f, S1, t, 2, d));
        H5Tclose(t);
    }
    {   /* the right shape in one 512 MiB chunk: HDF5 allocates whole chunks */
        f = open_copy("bad-series-chunk");
        T = rows_of(f, "/time/hours");
        hsize_t d[2] = { T, 2 }, ch[2] = { (hsize_t)1 << 14, (hsize_t)1 << 12 };
        done("bad-series-chunk", f, declare_chunked(f, S1, H5T_IEEE_F64LE, 2, d, ch));
    }
    {   /* /time/date in one chunk of 2^24 strings of 17 bytes (272 MiB) */
        f = open_copy("bad-time-chunk");
        T = rows_of(f, "/time/hours");
        hsize_t d[1] = { T }, ch[1] = { (hsize_t)1 << 24 };
        hid_t t = str_type(17);
        done("bad-time-chunk", f, declare_chunked(f, "/time/date", t, 1, d, ch));
        H5Tclose(t);
    }
    {   /* links are not followed: an external one opens a file of the file's
         * choosing (tests/hostile.sh makes bad-fifo.h5 a FIFO: a hang) */
        f = open_copy("bad-link-external");
        int ok = H5Ldelete(f, S1, H5P_DEFAULT) >= 0
                 && H5Lcreate_external("bad-fifo.h5", "/x", f, S1, H5P_DEFAULT, H5P_DEFAULT) >= 0;
        done("bad-link-external", f, ok);
    }
    {
        f = open_copy("bad-link-time-external");
        int ok = H5Ldelete(f, "/time/hours", H5P_DEFAULT) >= 0
                 && H5Lcreate_external("bad-fifo.h5", "/time/hours", f, "/time/hours",
                                       H5P_DEFAULT, H5P_DEFAULT) >= 0;
        done("bad-link-time-external", f, ok);
    }
    {
        f = open_copy("bad-link-soft");
        int ok = H5Ldelete(f, S1, H5P_DEFAULT) >= 0
                 && H5Lcreate_soft(S1, f, S1, H5P_DEFAULT, H5P_DEFAULT) >= 0;
        done("bad-link-soft", f, ok);
    }
    {   /* a later run's series: only export reads it */
        f = open_copy("badexp-run1-rows");
        T = rows_of(f, "/time/hours");
        hsize_t d[2] = { T - 1, 2 };
        done("badexp-run1-rows", f,
             declare(f, "/runs/0001/series/region/utilization", H5T_IEEE_F64LE, 2, d));
    }
    {
        f = open_copy("badexp-run1-missing");
        done("badexp-run1-missing", f,
             H5Ldelete(f, "/runs/0001/series/city/subsidy", H5P_DEFAULT) >= 0);
    }
    {   /* the band of the utilization chart, which plot and export read */
        f = open_copy("badread-stats-p95");
        T = rows_of(f, "/time/hours");
        hsize_t d[2] = { T, 3 };
        done("badread-stats-p95", f,
             declare(f, "/series_stats/region/utilization/p95", H5T_IEEE_F64LE, 2, d));
    }
    {   /* the reported 689 KB file whose /summary declares 2^26 rows */
        f = open_copy("bad-summary-2e26");
        hid_t d0 = H5Dopen2(f, "/summary", H5P_DEFAULT);
        hid_t t = H5Dget_type(d0);
        H5Dclose(d0);
        hsize_t d[1] = { (hsize_t)1 << 26 };
        done("bad-summary-2e26", f, declare(f, "/summary", t, 1, d));
        H5Tclose(t);
    }
    {
        f = open_copy("bad-summary-field-type");
        hid_t t = H5Tcreate(H5T_COMPOUND, 8 * sizeof(double));
        static const char *const fn[8] = { "name", "unit", "mean", "sd", "ci95_lo", "ci95_hi",
                                           "n", "n_missing" };
        for (int k = 0; k < 8; k++)
            H5Tinsert(t, fn[k], (size_t)k * sizeof(double), H5T_NATIVE_DOUBLE);
        double row[3][8] = { { 0 } };
        hsize_t d[1] = { 3 };
        done("bad-summary-field-type", f, put(f, "/summary", t, 1, d, row));
        H5Tclose(t);
    }
    {   /* counts that are not counts: (uint32_t)NaN is undefined */
        f = open_copy("bad-summary-count-nan");
        typedef struct { char name[32], unit[8]; double v[6]; } srow;
        hid_t s32 = str_type(32), s8 = str_type(8);
        hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(srow));
        H5Tinsert(t, "name", HOFFSET(srow, name), s32);
        H5Tinsert(t, "unit", HOFFSET(srow, unit), s8);
        static const char *const fn[6] = { "mean", "sd", "ci95_lo", "ci95_hi", "n", "n_missing" };
        for (int k = 0; k < 6; k++)
            H5Tinsert(t, fn[k], HOFFSET(srow, v) + (size_t)k * sizeof(double), H5T_NATIVE_DOUBLE);
        srow row[1] = { { "subsidy_total", "CNY", { 1, 1, 0, 2, NAN, 1e300 } } };
        hsize_t d[1] = { 1 };
        done("bad-summary-count-nan", f, put(f, "/summary", t, 1, d, row));
        H5Tclose(t);
        H5Tclose(s32);
        H5Tclose(s8);
    }
    {   /* more summary rows than /scalars has columns */
        f = open_copy("bad-summary-rows");
        hid_t d0 = H5Dopen2(f, "/summary", H5P_DEFAULT);
        hid_t t = H5Dget_type(d0);
        H5Dclose(d0);
        hsize_t d[1] = { 50 };
        done("bad-summary-rows", f, declare(f, "/summary", t, 1, d));
        H5Tclose(t);
    }
    {   /* the reported /time/hours of 2^28 samples (2 GB before the error) */
        f = open_copy("bad-time-2e28");
        hsize_t d[1] = { (hsize_t)1 << 28 };
        hid_t t = str_type(17);
        done("bad-time-2e28", f, declare(f, "/time/hours", H5T_IEEE_F64LE, 1, d)
                                     && declare(f, "/time/date", t, 1, d));
        H5Tclose(t);
    }
    {   /* within the cap, but every date empty (fill values) */
        f = open_copy("bad-time-fill");
        hsize_t d[1] = { 900000 };
        hid_t t = str_type(17);
        done("bad-time-fill", f, declare(f, "/time/hours", H5T_IEEE_F64LE, 1, d)
                                     && declare(f, "/time/date", t, 1, d));
        H5Tclose(t);
    }
    {
        f = open_copy("bad-time-date-count");
        T = rows_of(f, "/time/hours");
        hsize_t d[1] = { T - 1 };
        hid_t t = str_type(17);
        char *dates = calloc(T, 17);
        for (hsize_t i = 0; i < T; i++)
            snprintf(dates + i * 17, 17, "2025-01-01");
        done("bad-time-date-count", f, put(f, "/time/date", t, 1, d, dates));
        free(dates);
        H5Tclose(t);
    }
    {   /* dates are written into gnuplot's data files: only dates pass */
        f = open_copy("bad-time-date-text");
        T = rows_of(f, "/time/hours");
        hsize_t d[1] = { T };
        hid_t t = str_type(32);
        char *dates = calloc(T, 32);
        for (hsize_t i = 0; i < T; i++)
            snprintf(dates + i * 32, 32, "`touch pwned` '|x");
        done("bad-time-date-text", f, put(f, "/time/date", t, 1, d, dates));
        free(dates);
        H5Tclose(t);
    }
    {   /* a variable-length date whose stored length says 2 GiB (its top
         * bit set): libhdf5 allocates and clears that much before it reads
         * the string; the check must refuse it in bounded time and memory */
        f = open_copy("bad-time-date-vlen-length");
        hid_t d = H5Dopen2(f, "/time/date", H5P_DEFAULT), t = d >= 0 ? H5Dget_type(d) : -1;
        haddr_t off = d >= 0 ? H5Dget_offset(d) : HADDR_UNDEF;
        int ok = t >= 0 && H5Tis_variable_str(t) > 0 && off != HADDR_UNDEF;
        if (t >= 0)
            H5Tclose(t);
        if (d >= 0)
            H5Dclose(d);
        H5Fclose(f);
        /* element 0 on disk: a 4-byte little-endian length, then the heap ID */
        if (ok && off + 4 <= good_size) {
            unsigned char *b = malloc(good_size);
            if (!b)
                die("out of memory");
            memcpy(b, good_bytes, good_size);
            b[off + 3] |= 0x80;
            write_bytes("bad-time-date-vlen-length", b, good_size);
            free(b);
        } else {
            fprintf(stderr, "mkbad: could not make bad-time-date-vlen-length\n");
            failures++;
        }
    }
    {
        f = open_copy("bad-time-nan");
        T = rows_of(f, "/time/hours");
        hsize_t d[1] = { T };
        double *h = calloc(T, sizeof *h);
        for (hsize_t i = 0; i < T; i++)
            h[i] = i == 5 ? NAN : 24.0 * (double)i;
        done("bad-time-nan", f, put(f, "/time/hours", H5T_NATIVE_DOUBLE, 1, d, h));
        free(h);
    }
    {
        f = open_copy("bad-time-strings");
        T = rows_of(f, "/time/hours");
        hsize_t d[1] = { T };
        hid_t t = str_type(8);
        char *v = calloc(T, 8);
        done("bad-time-strings", f, put(f, "/time/hours", t, 1, d, v));
        free(v);
        H5Tclose(t);
    }
    {
        f = open_copy("bad-time-missing");
        done("bad-time-missing", f, H5Ldelete(f, "/time/date", H5P_DEFAULT) >= 0);
    }
    {
        f = open_copy("bad-entities-2e40");
        hsize_t d[1] = { (hsize_t)1 << 40 };
        hid_t t = str_type(16);
        done("bad-entities-2e40", f, declare(f, "/entities/region", t, 1, d));
        H5Tclose(t);
    }
    {   /* two names of a megabyte each */
        f = open_copy("bad-entities-wide");
        hsize_t d[1] = { 2 };
        size_t w = 1 << 20;
        hid_t t = str_type(w);
        char *v = calloc(2, w);
        memset(v, 'a', w - 1);
        memset(v + w, 'b', w - 1);
        done("bad-entities-wide", f, put(f, "/entities/region", t, 1, d, v));
        free(v);
        H5Tclose(t);
    }
    {   /* variable-length names, one of 100 kB */
        f = open_copy("bad-entities-vlen-long");
        hsize_t d[1] = { 2 };
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, H5T_VARIABLE);
        char *big = malloc(100001);
        memset(big, 'x', 100000);
        big[100000] = '\0';
        const char *v[2] = { "east", big };
        done("bad-entities-vlen-long", f, put(f, "/entities/region", t, 1, d, v));
        free(big);
        H5Tclose(t);
    }
    {
        f = open_copy("bad-entities-numbers");
        hsize_t d[1] = { 2 };
        double v[2] = { 1, 2 };
        done("bad-entities-numbers", f, put(f, "/entities/region", H5T_NATIVE_DOUBLE, 1, d, v));
    }
    {
        f = open_copy("bad-entities-missing");
        done("bad-entities-missing", f, H5Ldelete(f, "/entities/city", H5P_DEFAULT) >= 0);
    }
    {
        f = open_copy("bad-scalars-2e30");
        hid_t d0 = H5Dopen2(f, "/scalars", H5P_DEFAULT);
        hid_t t = H5Dget_type(d0);
        H5Dclose(d0);
        hsize_t d[1] = { (hsize_t)1 << 30 };
        done("bad-scalars-2e30", f, declare(f, "/scalars", t, 1, d));
        H5Tclose(t);
    }
    {
        f = open_copy("bad-scalars-not-table");
        hsize_t d[2] = { 3, 3 };
        double v[9] = { 0 };
        done("bad-scalars-not-table", f, put(f, "/scalars", H5T_NATIVE_DOUBLE, 2, d, v));
    }
    {   /* run numbers as doubles, one NaN: (uint32_t)NaN is undefined */
        f = open_copy("bad-scalars-run-nan");
        hsize_t R = rows_of(f, "/scalars");
        hid_t t = H5Tcreate(H5T_COMPOUND, 2 * sizeof(double));
        H5Tinsert(t, "run", 0, H5T_NATIVE_DOUBLE);
        H5Tinsert(t, "subsidy_total", sizeof(double), H5T_NATIVE_DOUBLE);
        double *v = calloc(2 * R, sizeof *v);
        for (hsize_t i = 0; i < R; i++)
            v[2 * i] = i == 1 ? NAN : (double)i;
        hsize_t d[1] = { R };
        done("bad-scalars-run-nan", f, put(f, "/scalars", t, 1, d, v));
        free(v);
        H5Tclose(t);
    }
    {   /* one unit for three columns */
        f = open_copy("bad-scalars-units");
        hid_t d0 = H5Dopen2(f, "/scalars", H5P_DEFAULT);
        H5Adelete(d0, "units");
        hsize_t d[1] = { 1 };
        hid_t t = str_type(4), sp = H5Screate_simple(1, d, NULL);
        hid_t a = H5Acreate2(d0, "units", t, sp, H5P_DEFAULT, H5P_DEFAULT);
        int ok = a >= 0 && H5Awrite(a, t, "CNY") >= 0;
        H5Aclose(a);
        H5Sclose(sp);
        H5Tclose(t);
        H5Dclose(d0);
        done("bad-scalars-units", f, ok);
    }
    {   /* more runs in /runs than rows in /scalars */
        f = open_copy("bad-runs-extra");
        hid_t g = H5Gcreate2(f, "/runs/9999", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        done("bad-runs-extra", f, g >= 0 && H5Gclose(g) >= 0);
    }
    {   /* a series whose name could not be a file name */
        f = open_copy("bad-series-name");
        done("bad-series-name", f,
             H5Lmove(f, S1, f, "/runs/0000/series/region/..", H5P_DEFAULT, H5P_DEFAULT) >= 0);
    }
    {
        f = open_copy("bad-series-name-newline");
        done("bad-series-name-newline", f,
             H5Lmove(f, S1, f, "/runs/0000/series/region/util\nset output '|touch pwned'",
                     H5P_DEFAULT, H5P_DEFAULT) >= 0);
    }
    {   /* the whole file replaced by a 1-D array at /time (no vouchsim file) */
        f = open_copy("bad-not-vouchsim");
        done("bad-not-vouchsim", f, H5Ldelete(f, "/time", H5P_DEFAULT) >= 0);
    }
    {   /* titles from the file: quotes, newlines, backquotes, gnuplot commands */
        f = open_copy("ok-title");
        int ok = root_str(f, "scenario_name",
                          "it's `touch pwned` $(touch pwned) @x\nset output '|touch pwned'\n'");
        hsize_t d[1] = { 2 };
        hid_t t = str_type(40);
        char v[2][40] = { "ea'st`touch pwned`", "we\nst');system('touch pwned" };
        ok = ok && put(f, "/entities/region", t, 1, d, v);
        H5Tclose(t);
        done("ok-title", f, ok);
    }
    {   /* replications = 1e300: was converted to size_t unchecked */
        f = open_copy("ok-replications-huge");
        if (H5Aexists(f, "replications") > 0)
            H5Adelete(f, "replications");
        double big = 1e300;
        hid_t sp = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, "replications", H5T_IEEE_F64LE, sp, H5P_DEFAULT, H5P_DEFAULT);
        int ok = a >= 0 && H5Awrite(a, H5T_NATIVE_DOUBLE, &big) >= 0;
        H5Aclose(a);
        H5Sclose(sp);
        done("ok-replications-huge", f, ok);
    }
}

static void make_truncations(void)
{
    const size_t cut[] = { 0, 8, 100, 512, 2048, good_size / 4, good_size / 2,
                           good_size * 9 / 10, good_size - 1 };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        char name[64];
        snprintf(name, sizeof name, "bad-trunc-%zu", cut[i]);
        write_bytes(name, good_bytes, cut[i]);
    }
}

static void make_heap_flips(void)
{
    unsigned char *b = malloc(good_size);
    if (!b)
        die("out of memory");
    int k = 0;
    for (size_t i = 0; i + 64 < good_size && k < 8; i++)
        if (!memcmp(good_bytes + i, "FHDB", 4)) {
            memcpy(b, good_bytes, good_size);
            b[i + 30] ^= 8;
            char name[64];
            snprintf(name, sizeof name, "flipheap-%d", k++);
            write_bytes(name, b, good_size);
        }
    free(b);
}

static void make_flips(unsigned nflips)
{
    unsigned char *b = malloc(good_size);
    if (!b)
        die("out of memory");
    for (unsigned seed = 1; seed <= nflips; seed++) {
        memcpy(b, good_bytes, good_size);
        uint64_t s = 0x9E3779B97F4A7C15ULL * seed;
        for (int k = 0; k < 20; k++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            uint64_t x = s >> 16;
            size_t pos = (size_t)(x % good_size);
            b[pos] ^= (unsigned char)(1u << ((x >> 40) & 7));
        }
        char name[64];
        snprintf(name, sizeof name, "flip-%02u", seed);
        write_bytes(name, b, good_size);
    }
    free(b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: mkbad GOOD.h5 OUTDIR [PREFIX [FLIPS]]\n");
        return 2;
    }
    good = argv[1];
    outdir = argv[2];
    prefix = argc > 3 ? argv[3] : "";
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    FILE *f = fopen(good, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0)
        die(good);
    long n = ftell(f);
    rewind(f);
    if (n <= 0 || !(good_bytes = malloc((size_t)n)) || fread(good_bytes, 1, (size_t)n, f) != (size_t)n)
        die(good);
    fclose(f);
    good_size = (size_t)n;
    make_structural();
    make_truncations();
    make_heap_flips();
    make_flips(argc > 4 ? (unsigned)atoi(argv[4]) : 40);
    free(good_bytes);
    return failures ? 1 : 0;
}
