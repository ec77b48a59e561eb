/* tests/check_output.c - the HDF5 writer and reader: round trip through the
 * HDF5 API and through reader.c, identical datasets whatever the thread
 * interleaving, statistics by hand, temporary files, errors, and the
 * layout table of output/README.md. */
#include <check.h>
#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "output/plot.h"
#include "output/reader.h"
#include "output/writer.h"

enum { NT = 70, NRUNS = 3 };   /* 70 samples: more than one 64-row chunk */

static const char *const g1_names[] = { "a", "b" };
static const char *const g2_names[] = { "p", "q", "r" };

/* The known value of run r, sample i, column j of series k (0: g1/x, 1: g2/y). */
static double val(int k, size_t r, size_t i, size_t j)
{
    if (k == 1 && j == 2 && i == 5)
        return NAN;                          /* all runs NaN: stats NaN */
    if (k == 1 && j == 1 && i == 3 && r == 1)
        return NAN;                          /* one run NaN: skipped */
    return (double)r * 100.0 + (double)i + (double)j / 10.0 + (k ? 0.5 : 0.0);
}

static void make_tmpdir(char *dir, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, n, "%s/check_output.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void rm_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
    closedir(d);
    rmdir(dir);
}

static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    if (d)
        closedir(d);
    return n;
}

static const char *const g2_kind[] = { "compute", "data", "compute" };
static const char *const g2_home[] = { "上海", "west", "" };

/* ---- writing the synthetic file ---- */

typedef struct job {
    out_writer *w;
    size_t      runs[NRUNS];
    size_t      nruns;
    int         interleave;     /* 1: open all series, append row-wise */
    int         rc;
} job;

static int write_run(out_writer *w, size_t r, sim_err *err)
{
    out_series *x = out_series_open(w, r, "g1", "x", "1", "a share", 2, err);
    out_series *y = out_series_open(w, r, "g2", "y", "CNY", "money", 3, err);
    if (!x || !y)
        return -1;
    for (size_t i = 0; i < NT; i++) {
        double rx[2], ry[3];
        for (size_t j = 0; j < 2; j++)
            rx[j] = val(0, r, i, j);
        for (size_t j = 0; j < 3; j++)
            ry[j] = val(1, r, i, j);
        if (out_series_append(x, rx, err) || out_series_append(y, ry, err))
            return -1;
        if (i % 16 == 0)
            sched_yield();
    }
    if (out_series_close(x, err) || out_series_close(y, err))
        return -1;
    return out_run_attr_double(w, r, "seed", 7.0 + (double)r, err);
}

static void *job_run(void *arg)
{
    job *jb = arg;
    sim_err err;
    jb->rc = 0;
    for (size_t k = 0; k < jb->nruns; k++)
        if (write_run(jb->w, jb->runs[k], &err)) {
            jb->rc = -1;
            fprintf(stderr, "%s\n", err.msg);
        }
    return NULL;
}

/* Writes the synthetic file; runs go to two threads, in the given order,
 * the statistics to `threads` threads, and chunks to the writer's
 * background thread when bg != 0. */
/* The file's attributes, time axis and entities, as write_file has them. */
static void write_head(out_writer *w)
{
    sim_err err;
    double hours[NT];
    char buf[NT][32];
    const char *iso[NT];
    for (size_t i = 0; i < NT; i++) {
        hours[i] = 24.0 * (double)i;
        snprintf(buf[i], sizeof buf[i], "2025-%02d-%02dT00:00", 1 + (int)(i / 28), 1 + (int)(i % 28));
        iso[i] = buf[i];
    }
    ck_assert_int_eq(out_attr_string(w, "scenario_name", "unit-test", &err), SIM_OK);
    ck_assert_int_eq(out_attr_string(w, "start_date", "2025-01-01", &err), SIM_OK);
    ck_assert_int_eq(out_attr_double(w, "warmup_h", 0.0, &err), SIM_OK);
    ck_assert_int_eq(out_attr_double(w, "cooldown_h", 0.0, &err), SIM_OK);
    ck_assert_int_eq(out_attr_int(w, "replications", NRUNS, &err), SIM_OK);
    ck_assert_int_eq(out_attr_int(w, "seed", 7, &err), SIM_OK);
    ck_assert_int_eq(out_attr_string(w, "scenario", "name: unit-test\n", &err), SIM_OK);
    ck_assert_int_eq(out_attr_double(w, "sample_h", 24.0, &err), SIM_OK);
    ck_assert_int_eq(out_time_write(w, NT, hours, iso, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g1", 2, g1_names, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g2", 3, g2_names, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "kind", 3, g2_kind, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "home", 3, g2_home, &err), SIM_OK);
}

/* The scalars and the series statistics, as write_file has them. */
static void write_tail(out_writer *w)
{
    sim_err err;
    static const char *const names[] = { "alpha", "beta", "exhaustion_h.p" };
    static const char *const units[] = { "CNY", "firms", "h" };
    static const char *const descs[] = { "first", "second, with a NaN", "never in run 0" };
    double v[NRUNS * 3] = { 1, NAN, NAN, 2, 3, 48, 4, 5, 72 };
    ck_assert_int_eq(out_scalars_write(w, NRUNS, 3, names, units, descs, v, &err), SIM_OK);
    ck_assert_msg(out_series_stats_write(w, NRUNS, &err) == SIM_OK, "%s", err.msg);
}

/* Writes the synthetic file; runs go to two threads, in the given order,
 * the statistics to `threads` threads, and chunks to the writer's
 * background thread when bg != 0. */
static void write_file(const char *path, int reverse, unsigned threads, int bg)
{
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_msg(w != NULL, "%s", err.msg);
    out_writer_threads(w, threads);
    out_writer_background(w, bg);
    write_head(w);
    job a = { w, { 0, 2 }, 2, 0, 0 }, b = { w, { 1 }, 1, 0, 0 };
    if (reverse) {
        a.runs[0] = 2;
        a.runs[1] = 0;
    }
    pthread_t ta, tb;
    ck_assert_int_eq(pthread_create(&ta, NULL, job_run, reverse ? &b : &a), 0);
    ck_assert_int_eq(pthread_create(&tb, NULL, job_run, reverse ? &a : &b), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    ck_assert_int_eq(a.rc, 0);
    ck_assert_int_eq(b.rc, 0);
    write_tail(w);
    ck_assert_msg(out_writer_close(w, 1, &err) == SIM_OK, "%s", err.msg);
}

/* The same file from copies of src's runs (as an experiment merges its
 * fragments), keeping at most keep_max bytes of their chunks for the
 * statistics, on 2 threads; *kept: the series kept, *bytes their bytes. */
/* Copies src's runs into a new file at path, keeping at most keep_max
 * bytes of chunks for the statistics; with prep_at >= 0, their outputs
 * are made (out_series_stats_prepare) once run prep_at is copied. */
static void copy_file_prep(const char *path, const char *src, size_t keep_max, size_t *kept,
                           size_t *bytes, int prep_at)
{
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_msg(w != NULL, "%s", err.msg);
    out_writer_threads(w, 2);
    out_writer_keep_max(w, keep_max);
    write_head(w);
    for (size_t r = 0; r < NRUNS; r++) {
        ck_assert_msg(out_run_copy(w, r, src, &err) == SIM_OK, "%s", err.msg);
        if ((int)r == prep_at)
            ck_assert_msg(out_series_stats_prepare(w, NRUNS, &err) == SIM_OK, "%s", err.msg);
    }
    *kept = out_writer_kept(w, bytes);
    write_tail(w);
    ck_assert_uint_eq(out_writer_kept(w, NULL), 0);     /* let go with the statistics */
    ck_assert_msg(out_writer_close(w, 1, &err) == SIM_OK, "%s", err.msg);
}

static void copy_file(const char *path, const char *src, size_t keep_max, size_t *kept,
                      size_t *bytes)
{
    copy_file_prep(path, src, keep_max, kept, bytes, -1);
}

/* ---- reading back through the HDF5 API ---- */

static double *h5_read_matrix(hid_t f, const char *p, hsize_t dims[2])
{
    hid_t d = H5Dopen2(f, p, H5P_DEFAULT);
    ck_assert_msg(d >= 0, "no %s", p);
    hid_t sp = H5Dget_space(d);
    ck_assert_int_eq(H5Sget_simple_extent_ndims(sp), 2);
    H5Sget_simple_extent_dims(sp, dims, NULL);
    double *m = malloc((size_t)(dims[0] * dims[1]) * sizeof *m);
    ck_assert_int_ge(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m), 0);
    H5Sclose(sp);
    H5Dclose(d);
    return m;
}

static int same_double(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

START_TEST(test_output_round_trip_hdf5_api)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/rt.h5", dir);
    write_file(path, 0, 0, 0);
    ck_assert_int_eq(count_entries(dir), 1);      /* no temporary file left */
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    for (size_t r = 0; r < NRUNS; r++)
        for (int k = 0; k < 2; k++) {
            char p[128];
            snprintf(p, sizeof p, "/runs/%04zu/series/%s", r, k ? "g2/y" : "g1/x");
            hsize_t dims[2];
            double *m = h5_read_matrix(f, p, dims);
            ck_assert_uint_eq(dims[0], NT);
            ck_assert_uint_eq(dims[1], k ? 3 : 2);
            for (size_t i = 0; i < NT; i++)
                for (size_t j = 0; j < dims[1]; j++)
                    ck_assert_msg(same_double(m[i * dims[1] + j], val(k, r, i, j)),
                                  "%s[%zu,%zu]", p, i, j);
            free(m);
        }
    /* chunked, shuffled, deflated, unlimited rows, attributes */
    hid_t d = H5Dopen2(f, "/runs/0001/series/g2/y", H5P_DEFAULT);
    hid_t dcpl = H5Dget_create_plist(d);
    hsize_t chunk[2];
    ck_assert_int_eq(H5Pget_chunk(dcpl, 2, chunk), 2);
    ck_assert_uint_eq(chunk[0], 64);
    ck_assert_uint_eq(chunk[1], 3);
    ck_assert_int_eq(H5Pget_nfilters(dcpl), 2);
    ck_assert_int_eq(H5Pget_filter2(dcpl, 0, NULL, NULL, NULL, 0, NULL, NULL), H5Z_FILTER_SHUFFLE);
    ck_assert_int_eq(H5Pget_filter2(dcpl, 1, NULL, NULL, NULL, 0, NULL, NULL), H5Z_FILTER_DEFLATE);
    H5Pclose(dcpl);
    hid_t sp = H5Dget_space(d);
    hsize_t dims[2], maxd[2];
    H5Sget_simple_extent_dims(sp, dims, maxd);
    ck_assert(maxd[0] == H5S_UNLIMITED);
    H5Sclose(sp);
    char s[64];
    hid_t a = H5Aopen(d, "entities", H5P_DEFAULT);
    hid_t t = H5Aget_type(a);
    ck_assert_int_eq(H5Tget_class(t), H5T_STRING);
    ck_assert_int_le(H5Tget_size(t), sizeof s);
    ck_assert_int_ge(H5Aread(a, t, s), 0);
    ck_assert_str_eq(s, "/entities/g2");
    H5Tclose(t);
    H5Aclose(a);
    H5Dclose(d);
    /* /time/date: variable-length UTF-8 strings (netCDF's `string`) */
    d = H5Dopen2(f, "/time/date", H5P_DEFAULT);
    t = H5Dget_type(d);
    ck_assert_int_eq(H5Tis_variable_str(t), 1);
    ck_assert_int_eq(H5Tget_cset(t), H5T_CSET_UTF8);
    char *dates[NT];
    ck_assert_int_ge(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, dates), 0);
    ck_assert_str_eq(dates[0], "2025-01-01T00:00");
    hid_t dsp = H5Dget_space(d);
    H5Dvlen_reclaim(t, dsp, H5P_DEFAULT, dates);
    H5Sclose(dsp);
    H5Tclose(t);
    H5Dclose(d);
    /* /scalars: run uint32 + float64 columns */
    d = H5Dopen2(f, "/scalars", H5P_DEFAULT);
    t = H5Dget_type(d);
    ck_assert_int_eq(H5Tget_nmembers(t), 4);
    char *m0 = H5Tget_member_name(t, 0);
    ck_assert_str_eq(m0, "run");
    H5free_memory(m0);
    hid_t mt = H5Tget_member_type(t, 0);
    ck_assert_int_eq(H5Tget_class(mt), H5T_INTEGER);
    ck_assert_int_eq(H5Tget_size(mt), 4);
    H5Tclose(mt);
    typedef struct { double beta; } row;
    hid_t ct = H5Tcreate(H5T_COMPOUND, sizeof(row));
    H5Tinsert(ct, "beta", 0, H5T_NATIVE_DOUBLE);
    row rows[NRUNS];
    ck_assert_int_ge(H5Dread(d, ct, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows), 0);
    ck_assert(isnan(rows[0].beta));
    ck_assert_double_eq(rows[2].beta, 5.0);
    H5Tclose(ct);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_round_trip_reader)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/rt.h5", dir);
    write_file(path, 0, 0, 0);
    sim_err err;
    out_reader *r = out_reader_open(path, &err);
    ck_assert_msg(r != NULL, "%s", err.msg);
    ck_assert_uint_eq(out_reader_time_count(r), NT);
    ck_assert_double_eq(out_reader_time_hours(r)[3], 72.0);
    ck_assert_str_eq(out_reader_time_date(r, 0), "2025-01-01T00:00");
    ck_assert_str_eq(out_reader_attr_find(r, "scenario_name")->s, "unit-test");
    const out_attr *rep = out_reader_attr_find(r, "replications");
    ck_assert_int_eq(rep->kind, OUT_ATTR_INT);
    ck_assert_int_eq(rep->i, NRUNS);
    ck_assert_int_eq(out_reader_attr_find(r, "sample_h")->kind, OUT_ATTR_DOUBLE);
    ck_assert_ptr_null(out_reader_attr_find(r, "nope"));
    size_t n;
    const char *const *e = out_reader_entities(r, "g2", &n);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(e[2], "r");
    ck_assert_uint_eq(out_reader_group_count(r), 2);
    ck_assert_uint_eq(out_reader_run_count(r), NRUNS);
    ck_assert_uint_eq(out_reader_series_count(r), 2);
    const out_series_info *si = out_reader_series(r, 0);
    ck_assert_str_eq(si->group, "g1");
    ck_assert_str_eq(si->name, "x");
    ck_assert_str_eq(si->unit, "1");
    ck_assert_uint_eq(si->rows, NT);
    ck_assert_uint_eq(si->cols, 2);
    ck_assert_ptr_nonnull(out_reader_series_find(r, "g2", "y"));
    ck_assert_ptr_null(out_reader_series_find(r, "g2", "x"));
    double *m;
    size_t rows, cols;
    ck_assert_int_eq(out_reader_series_read(r, 2, "g2", "y", &m, &rows, &cols, &err), SIM_OK);
    ck_assert_uint_eq(rows, NT);
    ck_assert_uint_eq(cols, 3);
    for (size_t i = 0; i < NT; i++)
        for (size_t j = 0; j < 3; j++)
            ck_assert(same_double(m[i * 3 + j], val(1, 2, i, j)));
    free(m);
    ck_assert_int_eq(out_reader_series_read(r, 9, "g2", "y", &m, &rows, &cols, &err), SIM_ENOENT);
    /* scalars */
    ck_assert_uint_eq(out_reader_scalar_rows(r), NRUNS);
    ck_assert_uint_eq(out_reader_scalar_cols(r), 3);
    ck_assert_str_eq(out_reader_scalar_name(r, 1), "beta");
    ck_assert_str_eq(out_reader_scalar_unit(r, 1), "firms");
    ck_assert_str_eq(out_reader_scalar_desc(r, 1), "second, with a NaN");
    ck_assert_uint_eq(out_reader_scalar_run(r, 2), 2);
    ck_assert_double_eq(out_reader_scalar_values(r)[2 * 3 + 0], 4.0);
    ck_assert(isnan(out_reader_scalar_values(r)[0 * 3 + 1]));
    out_reader_close(r);
    out_reader_close(NULL);
    rm_dir(dir);
}
END_TEST

/* n variable-length strings of dataset d, joined by '|' (malloc'd). */
static char *vl_joined(hid_t d)
{
    hid_t t = H5Dget_type(d), sp = H5Dget_space(d);
    size_t n = (size_t)H5Sget_simple_extent_npoints(sp);
    char **v = calloc(n + 1, sizeof *v);
    ck_assert_int_eq(H5Tis_variable_str(t), 1);
    ck_assert_int_ge(H5Dread(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v), 0);
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(v[i]) + 1;
    char *out = calloc(len, 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            strcat(out, "|");
        strcat(out, v[i]);
    }
    H5Dvlen_reclaim(t, sp, H5P_DEFAULT, v);
    free(v);
    H5Sclose(sp);
    H5Tclose(t);
    return out;
}

/* Reads every dataset the file holds as doubles (or raw bytes for tables). */
static void compare_files(const char *p1, const char *p2)
{
    hid_t f1 = H5Fopen(p1, H5F_ACC_RDONLY, H5P_DEFAULT), f2 = H5Fopen(p2, H5F_ACC_RDONLY, H5P_DEFAULT);
    static const char *const paths[] = {
        "/runs/0000/series/g1/x", "/runs/0001/series/g1/x", "/runs/0002/series/g1/x",
        "/runs/0000/series/g2/y", "/runs/0001/series/g2/y", "/runs/0002/series/g2/y",
        "/series_stats/g1/x/mean", "/series_stats/g1/x/p05", "/series_stats/g1/x/p95",
        "/series_stats/g2/y/mean", "/series_stats/g2/y/p05", "/series_stats/g2/y/p95",
        "/time/hours", "/time/date", "/entities/g1", "/entities/g2", "/scalars", "/summary",
        "/run", "/scalar", "/runs/0002/series/g2/time", "/runs/0002/series/g2/g2",
        "/runs/0002/series/g2/kind", "/runs/0002/series/g2/home",
    };
    for (size_t k = 0; k < sizeof paths / sizeof paths[0]; k++) {
        hid_t d1 = H5Dopen2(f1, paths[k], H5P_DEFAULT), d2 = H5Dopen2(f2, paths[k], H5P_DEFAULT);
        ck_assert_msg(d1 >= 0 && d2 >= 0, "%s", paths[k]);
        hid_t t1 = H5Dget_type(d1), t2 = H5Dget_type(d2);
        ck_assert_int_gt(H5Tequal(t1, t2), 0);
        if (H5Tis_variable_str(t1) > 0) {
            char *a = vl_joined(d1), *b = vl_joined(d2);
            ck_assert_msg(strcmp(a, b) == 0, "%s differs", paths[k]);
            free(a);
            free(b);
            H5Tclose(t1);
            H5Tclose(t2);
            H5Dclose(d1);
            H5Dclose(d2);
            continue;
        }
        hsize_t n1 = H5Dget_storage_size(d1);
        size_t sz = H5Tget_size(t1);
        hid_t sp = H5Dget_space(d1);
        size_t np = (size_t)H5Sget_simple_extent_npoints(sp);
        H5Sclose(sp);
        char *b1 = calloc(np + 1, sz), *b2 = calloc(np + 1, sz);
        ck_assert_int_ge(H5Dread(d1, t1, H5S_ALL, H5S_ALL, H5P_DEFAULT, b1), 0);
        ck_assert_int_ge(H5Dread(d2, t2, H5S_ALL, H5S_ALL, H5P_DEFAULT, b2), 0);
        ck_assert_msg(memcmp(b1, b2, np * sz) == 0, "%s differs", paths[k]);
        ck_assert_uint_eq(n1, H5Dget_storage_size(d2));   /* same compressed bytes count */
        free(b1);
        free(b2);
        H5Tclose(t1);
        H5Tclose(t2);
        H5Dclose(d1);
        H5Dclose(d2);
    }
    H5Fclose(f1);
    H5Fclose(f2);
}

START_TEST(test_output_threads_bit_identical)
{
    char dir[512], p1[600], p2[600], p3[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(p1, sizeof p1, "%s/a.h5", dir);
    snprintf(p2, sizeof p2, "%s/b.h5", dir);
    snprintf(p3, sizeof p3, "%s/c.h5", dir);
    write_file(p1, 0, 1, 0);
    write_file(p2, 1, 4, 0);    /* statistics on 4 threads, on 1 above */
    write_file(p3, 1, 2, 1);    /* chunks compressed in the background */
    compare_files(p1, p2);
    compare_files(p1, p3);
    rm_dir(dir);
}
END_TEST

/* The statistics of copied runs are the same, bit for bit, whether the
 * runs' chunks were kept in memory when they were copied, none were, or
 * only some (the cap reached midway), and the same as those of the file
 * the runs were written to directly. */
START_TEST(test_output_series_stats_kept)
{
    char dir[512], src[600], p[3][600];
    make_tmpdir(dir, sizeof dir);
    snprintf(src, sizeof src, "%s/src.h5", dir);
    write_file(src, 0, 1, 0);
    size_t kept[3], bytes[3];
    for (int k = 0; k < 3; k++)
        snprintf(p[k], sizeof p[k], "%s/copy%d.h5", dir, k);
    copy_file(p[0], src, (size_t)1 << 30, &kept[0], &bytes[0]);
    ck_assert_uint_eq(kept[0], NRUNS * 2);              /* every run's g1/x and g2/y */
    ck_assert_uint_gt(bytes[0], 0);
    copy_file(p[1], src, 0, &kept[1], &bytes[1]);
    ck_assert_uint_eq(kept[1], 0);
    copy_file(p[2], src, bytes[0] / 2, &kept[2], &bytes[2]);
    ck_assert_uint_gt(kept[2], 0);
    ck_assert_uint_lt(kept[2], NRUNS * 2);
    ck_assert_uint_le(bytes[2], bytes[0] / 2);
    for (int k = 0; k < 3; k++)
        compare_files(src, p[k]);
    rm_dir(dir);
}
END_TEST

/* The statistics' outputs made ahead, while runs are still being copied
 * (as rank 0's copier does under MPI): the same datasets, kept chunks or
 * not; and the calls that cannot be. */
START_TEST(test_output_series_stats_prepared)
{
    char dir[512], src[600], p[4][600];
    make_tmpdir(dir, sizeof dir);
    snprintf(src, sizeof src, "%s/src.h5", dir);
    write_file(src, 0, 1, 0);
    size_t kept, bytes;
    for (int k = 0; k < 4; k++) {
        snprintf(p[k], sizeof p[k], "%s/prep%d.h5", dir, k);
        copy_file_prep(p[k], src, k < 2 ? (size_t)1 << 30 : 0, &kept, &bytes,
                       k % 2 ? 0 : NRUNS - 1);
        compare_files(src, p[k]);
    }
    sim_err err;
    char path[600];
    snprintf(path, sizeof path, "%s/bad.h5", dir);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    write_head(w);
    for (size_t r = 0; r < NRUNS; r++)
        ck_assert_int_eq(out_run_copy(w, r, src, &err), SIM_OK);
    ck_assert_int_eq(out_series_stats_prepare(w, 0, &err), SIM_EINVAL);
    ck_assert_int_eq(out_series_stats_prepare(w, NRUNS, &err), SIM_OK);
    ck_assert_int_eq(out_series_stats_prepare(w, NRUNS, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "prepared already"));
    ck_assert_int_eq(out_series_stats_write(w, NRUNS - 1, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "prepared for 3 runs, not 2"));
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_EIO);     /* failed: never committed */
    ck_assert_int_eq(count_entries(dir), 5);                      /* src and prep0-3 */
    /* prepared and never written: the commit fails, and leaves nothing */
    w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    write_head(w);
    ck_assert_int_eq(out_run_copy(w, 0, src, &err), SIM_OK);
    ck_assert_int_eq(out_series_stats_prepare(w, NRUNS, &err), SIM_OK);
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "prepared, never written"));
    ck_assert_int_eq(count_entries(dir), 5);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_series_stats_by_hand)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/st.h5", dir);
    write_file(path, 0, 0, 0);
    sim_err err;
    out_reader *r = out_reader_open(path, &err);
    ck_assert_ptr_nonnull(r);
    double *m[3];
    size_t rows, cols;
    for (int k = 0; k < 3; k++)
        ck_assert_int_eq(out_reader_stats_read(r, "g2", "y", (out_stat)k, &m[k], &rows, &cols, &err), SIM_OK);
    ck_assert_uint_eq(rows, NT);
    ck_assert_uint_eq(cols, 3);
    /* sample 10, column 0: runs give 10.5, 110.5, 210.5 */
    ck_assert_double_eq_tol(m[0][10 * 3 + 0], 110.5, 1e-12);
    ck_assert_double_eq_tol(m[1][10 * 3 + 0], 10.5 + 0.1 * 100.0, 1e-12);   /* type 7: h = 0.1 */
    ck_assert_double_eq_tol(m[2][10 * 3 + 0], 110.5 + 0.9 * 100.0, 1e-12);
    /* sample 3, column 1: run 1 is NaN, so 3.6 and 203.6 */
    ck_assert_double_eq_tol(m[0][3 * 3 + 1], 103.6, 1e-12);
    ck_assert_double_eq_tol(m[1][3 * 3 + 1], 3.6 + 0.05 * 200.0, 1e-12);
    ck_assert_double_eq_tol(m[2][3 * 3 + 1], 3.6 + 0.95 * 200.0, 1e-12);
    /* sample 5, column 2: NaN everywhere */
    for (int k = 0; k < 3; k++) {
        ck_assert(isnan(m[k][5 * 3 + 2]));
        free(m[k]);
    }
    ck_assert(out_reader_has_stats(r, "g1", "x"));
    ck_assert(!out_reader_has_stats(r, "g1", "nope"));
    out_reader_close(r);
    rm_dir(dir);
}
END_TEST

/* A run copied from a file HDF5 wrote its own way (other chunking, no
 * filters, contiguous): the statistics read it through HDF5's pipeline
 * instead of chunk by chunk, with the same results. */
START_TEST(test_output_series_stats_other_layouts)
{
    char dir[512], src[600], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(src, sizeof src, "%s/src.h5", dir);
    snprintf(path, sizeof path, "%s/st.h5", dir);
    hid_t f = H5Fcreate(src, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(f >= 0);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    for (int k = 0; k < 2; k++) {
        size_t nc = k ? 3 : 2;
        hsize_t dims[2] = { NT, nc }, ch[2] = { 10, nc };
        double *m = malloc(NT * nc * sizeof *m);
        for (size_t i = 0; i < NT; i++)
            for (size_t j = 0; j < nc; j++)
                m[i * nc + j] = val(k, 1, i, j);
        hid_t sp = H5Screate_simple(2, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
        if (k == 0)
            H5Pset_chunk(dcpl, 2, ch);      /* g1/x chunked 10 rows, unfiltered; g2/y contiguous */
        hid_t d = H5Dcreate2(f, k ? "/runs/0001/series/g2/y" : "/runs/0001/series/g1/x",
                             H5T_IEEE_F64LE, sp, lcpl, dcpl, H5P_DEFAULT);
        ck_assert(d >= 0);
        ck_assert(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, m) >= 0);
        H5Dclose(d);
        H5Pclose(dcpl);
        H5Sclose(sp);
        free(m);
    }
    H5Pclose(lcpl);
    H5Fclose(f);

    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    double hours[NT];
    char buf[NT][32];
    const char *iso[NT];
    for (size_t i = 0; i < NT; i++) {
        hours[i] = 24.0 * (double)i;
        snprintf(buf[i], sizeof buf[i], "d%zu", i);
        iso[i] = buf[i];
    }
    ck_assert_int_eq(out_time_write(w, NT, hours, iso, &err), SIM_OK);
    ck_assert_int_eq(write_run(w, 0, &err), 0);
    ck_assert_msg(out_run_copy(w, 1, src, &err) == SIM_OK, "%s", err.msg);
    ck_assert_msg(out_series_stats_write(w, 2, &err) == SIM_OK, "%s", err.msg);
    ck_assert_msg(out_writer_close(w, 1, &err) == SIM_OK, "%s", err.msg);

    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    for (int k = 0; k < 2; k++) {
        size_t nc = k ? 3 : 2;
        char p[128];
        hsize_t dims[2];
        snprintf(p, sizeof p, "/series_stats/%s/mean", k ? "g2/y" : "g1/x");
        double *m = h5_read_matrix(f, p, dims);
        ck_assert_uint_eq(dims[0], NT);
        for (size_t i = 0; i < NT; i++)
            for (size_t j = 0; j < nc; j++) {
                double a = val(k, 0, i, j), b = val(k, 1, i, j);
                double want = isnan(a) ? b : isnan(b) ? a : (a + b) / 2.0;
                ck_assert_msg(same_double(m[i * nc + j], want), "%s[%zu,%zu]", p, i, j);
            }
        free(m);
    }
    H5Fclose(f);
    rm_dir(dir);
}
END_TEST

/* Whether dataset path of f has scale path `scale` attached to dimension dim. */
static int attached(hid_t f, const char *path, const char *scale, unsigned dim)
{
    hid_t d = H5Dopen2(f, path, H5P_DEFAULT), s = H5Dopen2(f, scale, H5P_DEFAULT);
    ck_assert_msg(d >= 0 && s >= 0, "%s, %s", path, scale);
    htri_t r = H5DSis_attached(d, s, dim);
    H5Dclose(d);
    H5Dclose(s);
    return r > 0;
}

static char *attr_str(hid_t f, const char *path, const char *name)
{
    hid_t o = H5Oopen(f, path, H5P_DEFAULT);
    ck_assert_msg(o >= 0, "%s", path);
    ck_assert_msg(H5Aexists(o, name) > 0, "%s@%s", path, name);
    hid_t a = H5Aopen(o, name, H5P_DEFAULT), t = H5Aget_type(a);
    size_t n = H5Tget_size(t);
    char *s = calloc(n + 1, 1);
    ck_assert_int_ge(H5Aread(a, t, s), 0);
    H5Tclose(t);
    H5Aclose(a);
    H5Oclose(o);
    return s;
}

static void assert_attr(hid_t f, const char *path, const char *name, const char *want)
{
    char *s = attr_str(f, path, name);
    ck_assert_msg(!strcmp(s, want), "%s@%s is '%s', not '%s'", path, name, s, want);
    free(s);
}

/* Every series is attached to dimension scales beside it: `time` (CF) and
 * the entity names, with the entity coordinates named in `coordinates`;
 * the statistics groups link the coordinates of run 0 and attach to them;
 * /scalars is attached to /run, /summary to /scalar. This is what netCDF
 * and xarray read as dimensions (tests/xarray.sh reads them so). */
START_TEST(test_output_dimension_scales)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/dims.h5", dir);
    write_file(path, 0, 0, 0);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    for (int r = 0; r < NRUNS; r++) {
        char g[64], p[128], q[128];
        snprintf(g, sizeof g, "/runs/%04d/series/g2", r);
        snprintf(p, sizeof p, "%s/y", g);
        snprintf(q, sizeof q, "%s/time", g);
        ck_assert(attached(f, p, q, 0));
        snprintf(q, sizeof q, "%s/g2", g);
        ck_assert(attached(f, p, q, 1));
        snprintf(q, sizeof q, "%s/kind", g);
        hid_t k = H5Dopen2(f, q, H5P_DEFAULT), e = H5Dopen2(f, g, H5P_DEFAULT);
        char *kinds = vl_joined(k);
        ck_assert_str_eq(kinds, "compute|data|compute");
        free(kinds);
        H5Dclose(k);
        H5Gclose(e);
        snprintf(q, sizeof q, "%s/home", g);
        k = H5Dopen2(f, q, H5P_DEFAULT);
        kinds = vl_joined(k);
        ck_assert_str_eq(kinds, "上海|west|");
        free(kinds);
        H5Dclose(k);
        assert_attr(f, p, "units", "CNY");
        assert_attr(f, p, "long_name", "money");
        assert_attr(f, p, "coordinates", "kind home");
        snprintf(q, sizeof q, "%s/time", g);
        assert_attr(f, q, "units", "hours since 2025-01-01 00:00:00");
        assert_attr(f, q, "calendar", "standard");
        assert_attr(f, q, "standard_name", "time");
        assert_attr(f, q, "CLASS", "DIMENSION_SCALE");
        snprintf(p, sizeof p, "/runs/%04d/series/g1/x", r);
        snprintf(q, sizeof q, "/runs/%04d/series/g1/g1", r);
        ck_assert(attached(f, p, q, 1));
        ck_assert_int_eq(H5Aexists_by_name(f, p, "coordinates", H5P_DEFAULT), 0);
        ck_assert_int_eq(H5Aexists_by_name(f, p, "unit", H5P_DEFAULT), 0);  /* one spelling */
    }
    static const char *const st[] = { "mean", "p05", "p95" };
    for (int k = 0; k < 3; k++) {
        char p[128];
        snprintf(p, sizeof p, "/series_stats/g2/y/%s", st[k]);
        ck_assert(attached(f, p, "/series_stats/g2/y/time", 0));
        ck_assert(attached(f, p, "/runs/0000/series/g2/g2", 1));   /* the same object */
        assert_attr(f, p, "units", "CNY");
    }
    H5O_info_t a, b;
    ck_assert_int_ge(H5Oget_info_by_name(f, "/series_stats/g2/y/kind", &a, H5P_DEFAULT), 0);
    ck_assert_int_ge(H5Oget_info_by_name(f, "/runs/0000/series/g2/kind", &b, H5P_DEFAULT), 0);
    ck_assert(a.addr == b.addr);                                    /* a hard link */
    assert_attr(f, "/scalars", "long_name", "scalars of each run");
    assert_attr(f, "/time/hours", "units", "h");
    ck_assert(attached(f, "/scalars", "/run", 0));
    ck_assert(attached(f, "/summary", "/scalar", 0));
    ck_assert(attached(f, "/time/date", "/time/hours", 0));
    H5Fclose(f);
    rm_dir(dir);
}
END_TEST

/* A copied run gets coordinates of the destination and is attached to
 * them (references do not survive a copy between files). */
START_TEST(test_output_copy_reattaches)
{
    char dir[512], src[600], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(src, sizeof src, "%s/src.h5", dir);
    snprintf(path, sizeof path, "%s/dst.h5", dir);
    write_file(src, 0, 0, 0);
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    double hours[NT];
    char buf[NT][32];
    const char *iso[NT];
    for (size_t i = 0; i < NT; i++) {
        hours[i] = 24.0 * (double)i;
        snprintf(buf[i], sizeof buf[i], "2025-%02d-%02d", 1 + (int)(i / 28), 1 + (int)(i % 28));
        iso[i] = buf[i];
    }
    ck_assert_int_eq(out_time_write(w, NT, hours, iso, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g1", 2, g1_names, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g2", 3, g2_names, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "kind", 3, g2_kind, &err), SIM_OK);
    for (size_t r = 0; r < NRUNS; r++)
        ck_assert_msg(out_run_copy(w, r, src, &err) == SIM_OK, "%s", err.msg);
    /* too late for coordinates now */
    ck_assert_int_eq(out_entity_coord_write(w, "g1", "kind", 2, g2_kind, &err), SIM_EINVAL);
    ck_assert_msg(out_writer_close(w, 0, &err) == SIM_OK, "%s", err.msg);
    w = out_writer_open(path, &err);
    ck_assert_int_eq(out_time_write(w, NT, hours, iso, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g1", 2, g1_names, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g2", 3, g2_names, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "kind", 3, g2_kind, &err), SIM_OK);
    for (size_t r = 0; r < NRUNS; r++)
        ck_assert_msg(out_run_copy(w, r, src, &err) == SIM_OK, "%s", err.msg);
    ck_assert_msg(out_series_stats_write(w, NRUNS, &err) == SIM_OK, "%s", err.msg);
    ck_assert_msg(out_writer_close(w, 1, &err) == SIM_OK, "%s", err.msg);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    for (int r = 0; r < NRUNS; r++) {
        char p[128], q[128];
        snprintf(p, sizeof p, "/runs/%04d/series/g2/y", r);
        snprintf(q, sizeof q, "/runs/%04d/series/g2/time", r);
        ck_assert(attached(f, p, q, 0));
        snprintf(q, sizeof q, "/runs/%04d/series/g2/g2", r);
        ck_assert(attached(f, p, q, 1));
        assert_attr(f, p, "coordinates", "kind");
        snprintf(q, sizeof q, "/runs/%04d/series/g2/home", r);
        ck_assert_int_eq(H5Lexists(f, q, H5P_DEFAULT), 0);  /* the source's, dropped */
    }
    ck_assert(attached(f, "/series_stats/g1/x/mean", "/runs/0000/series/g1/g1", 1));
    H5Fclose(f);
    rm_dir(dir);
}
END_TEST

/* Entity coordinates: after the entities, one value per entity, before any series. */
START_TEST(test_output_entity_coord_errors)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/ec.h5", dir);
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    double h[2] = { 0, 1 };
    const char *d[2] = { "2025-01-01", "2025-01-01T01:00" };
    ck_assert_int_eq(out_time_write(w, 2, h, d, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "kind", 3, g2_kind, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "write the entities of group 'g2' first"));
    ck_assert_int_eq(out_entities_write(w, "time", 3, g2_names, &err), SIM_EINVAL);
    ck_assert_int_eq(out_entities_write(w, "g2", 3, g2_names, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "kind", 2, g2_kind, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "2 values for 3 entities"));
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "time", 3, g2_kind, &err), SIM_EINVAL);
    ck_assert_int_eq(out_entity_coord_write(w, "g2", "g2", 3, g2_kind, &err), SIM_EINVAL);
    ck_assert_int_eq(out_writer_close(w, 0, &err), SIM_OK);
    rm_dir(dir);
}
END_TEST

/* A run without a series run 0 has: the statistics fail with the path,
 * whichever thread found it, and the file is not written. */
START_TEST(test_output_series_stats_missing_series)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/miss.h5", dir);
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    out_writer_threads(w, 3);
    double hours[NT];
    char buf[NT][32];
    const char *iso[NT];
    for (size_t i = 0; i < NT; i++) {
        hours[i] = (double)i;
        snprintf(buf[i], sizeof buf[i], "d%zu", i);
        iso[i] = buf[i];
    }
    ck_assert_int_eq(out_time_write(w, NT, hours, iso, &err), SIM_OK);
    ck_assert_int_eq(write_run(w, 0, &err), 0);
    out_series *x = out_series_open(w, 1, "g1", "x", "1", "a share", 2, &err);
    ck_assert_ptr_nonnull(x);
    double row[2] = { 1.0, 2.0 };
    for (size_t i = 0; i < NT; i++)
        ck_assert_int_eq(out_series_append(x, row, &err), SIM_OK);
    ck_assert_int_eq(out_series_close(x, &err), SIM_OK);
    ck_assert_int_eq(out_series_stats_write(w, 2, &err), SIM_EINVAL);
    char want[700];
    snprintf(want, sizeof want,
             "%s: series statistics: /runs/0001/series/g2/y is missing (run 0 has it)", path);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_EIO);
    ck_assert_int_eq(count_entries(dir), 0);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_summary_ci_by_hand)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/su.h5", dir);
    write_file(path, 0, 0, 0);
    sim_err err;
    out_reader *r = out_reader_open(path, &err);
    ck_assert_ptr_nonnull(r);
    ck_assert_uint_eq(out_reader_summary_count(r), 3);
    const out_summary_row *a = out_reader_summary(r, 0), *b = out_reader_summary(r, 1);
    ck_assert_str_eq(a->name, "alpha");
    ck_assert_str_eq(a->unit, "CNY");
    /* alpha = 1, 2, 4: mean 7/3, sd sqrt(7/3), t(0.975, 2) = 4.302652729911275 */
    double sd = sqrt(7.0 / 3.0), h = 4.302652729911275 * sd / sqrt(3.0);
    ck_assert_double_eq_tol(a->mean, 7.0 / 3.0, 1e-12);
    ck_assert_double_eq_tol(a->sd, sd, 1e-12);
    ck_assert_double_eq_tol(a->ci95_lo, 7.0 / 3.0 - h, 1e-9);
    ck_assert_double_eq_tol(a->ci95_hi, 7.0 / 3.0 + h, 1e-9);
    ck_assert_uint_eq(a->n, 3);
    ck_assert_uint_eq(a->n_missing, 0);
    /* beta = NaN, 3, 5: n 2, missing 1, mean 4, sd sqrt 2, t(0.975, 1) = 12.706204736174698 */
    ck_assert_str_eq(b->name, "beta");
    ck_assert_uint_eq(b->n, 2);
    ck_assert_uint_eq(b->n_missing, 1);
    ck_assert_double_eq_tol(b->mean, 4.0, 1e-12);
    ck_assert_double_eq_tol(b->sd, sqrt(2.0), 1e-12);
    ck_assert_double_eq_tol(b->ci95_hi - b->mean, 12.706204736174698, 1e-9);
    out_reader_close(r);
    rm_dir(dir);
}
END_TEST

/* ---- temporary files and failures ---- */

START_TEST(test_output_abort_leaves_nothing)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/ab.h5", dir);
    sim_err err;
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(count_entries(dir), 1);        /* the temporary file */
    double h[2] = { 0, 1 };
    const char *d[2] = { "2025-01-01T00:00", "2025-01-01T01:00" };
    ck_assert_int_eq(out_time_write(w, 2, h, d, &err), SIM_OK);
    out_series *s = out_series_open(w, 0, "g", "x", "1", "", 1, &err);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(out_series_append(s, h, &err), SIM_OK);   /* left open */
    ck_assert_int_eq(out_writer_close(w, 0, &err), SIM_OK);
    ck_assert_int_eq(count_entries(dir), 0);
    ck_assert_int_eq(out_writer_close(NULL, 1, &err), SIM_OK);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_failure_midway_leaves_nothing)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/fm.h5", dir);
    sim_err err;
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    double h[2] = { 0, 1 };
    const char *d[2] = { "2025-01-01T00:00", "2025-01-01T01:00" };
    ck_assert_int_eq(out_time_write(w, 2, h, d, &err), SIM_OK);
    out_series *s = out_series_open(w, 0, "g", "x", "1", "", 1, &err);
    ck_assert_int_eq(out_series_append(s, h, &err), SIM_OK);
    ck_assert_int_eq(out_series_append(s, h, &err), SIM_OK);
    ck_assert_int_eq(out_series_append(s, h, &err), SIM_EINVAL);  /* a third row: 2 samples */
    ck_assert_ptr_nonnull(strstr(err.msg, "more rows than the 2 time samples"));
    ck_assert_int_eq(out_series_close(s, &err), SIM_OK);
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, path));
    ck_assert_int_eq(count_entries(dir), 0);
    rm_dir(dir);
}
END_TEST

/* The "v" attribute of the root group of the file at path, or -1. */
static long root_v(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    long long v = -1;
    if (f >= 0) {
        hid_t a = H5Aopen(f, "v", H5P_DEFAULT);
        if (a >= 0) {
            if (H5Aread(a, H5T_NATIVE_LLONG, &v) < 0)
                v = -1;
            H5Aclose(a);
        }
        H5Fclose(f);
    }
    return (long)v;
}

/* Writes path with root attribute v = value and commits it; 0 on success. */
static int write_v(const char *path, long value)
{
    sim_err err;
    out_writer *w = out_writer_open(path, &err);
    if (!w || out_attr_int(w, "v", value, &err) != SIM_OK)
        return -1;
    return out_writer_close(w, 1, &err) == SIM_OK ? 0 : -1;
}

/* Replacing a file: the commit renames the new file into place at once;
 * the old one, given a second name beside it so that the rename does not
 * wait for its blocks to be freed, is gone by the time the process has
 * exited, or made its next commit, and no other name is left. A file of
 * several names keeps its other names. */
START_TEST(test_output_replace_removes_old)
{
    char dir[512], path[600], other[600], next[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/r.h5", dir);
    snprintf(other, sizeof other, "%s/other.h5", dir);
    snprintf(next, sizeof next, "%s/next.h5", dir);
    ck_assert_int_eq(write_v(path, 1), 0);
    ck_assert_int_eq(count_entries(dir), 1);
    for (long v = 2; v <= 4; v++) {
        if (v == 4)
            ck_assert_int_eq(link(path, other), 0);     /* the file of v = 3 has two names */
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
            /* the child: commits, finds the new file in place; with v = 3
             * commits another file, after which the old one must be gone */
            int ok = write_v(path, v) == 0 && root_v(path) == v;
            if (v == 3)
                ok = ok && write_v(next, 1) == 0 && count_entries(dir) == 2;
            exit(ok ? 0 : 1);
        }
        int status = 0;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        ck_assert_int_eq(root_v(path), v);
        ck_assert_int_eq(count_entries(dir), v == 2 ? 1 : v == 3 ? 2 : 3);  /* no name left */
    }
    ck_assert_int_eq(root_v(other), 3);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_unwritable_path)
{
    sim_err err;
    out_writer *w = out_writer_open("/nonexistent-vouchsim-dir/sub/x.h5", &err);
    ck_assert_ptr_null(w);
    ck_assert_int_eq(err.code, SIM_EIO);
    ck_assert_str_eq(err.msg, "/nonexistent-vouchsim-dir/sub/x.h5: cannot write in directory "
                              "'/nonexistent-vouchsim-dir/sub/': No such file or directory");
    /* a "directory" that is a file */
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/f", dir);
    FILE *f = fopen(path, "w");
    fclose(f);
    snprintf(path, sizeof path, "%s/f/x.h5", dir);
    ck_assert_ptr_null(out_writer_open(path, &err));
    ck_assert_int_eq(err.code, SIM_EIO);
    ck_assert_ptr_nonnull(strstr(err.msg, "Not a directory"));
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_bad_calls)
{
    char dir[512], path[600];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/bad.h5", dir);
    sim_err err;
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_null(out_series_open(w, 0, "g", "x", "1", "", 1, &err));
    ck_assert_int_eq(err.code, SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "write the time axis before any series"));
    double h[2] = { 1, 0 };
    const char *d[2] = { "a", "b" };
    ck_assert_int_eq(out_time_write(w, 2, h, d, &err), SIM_EINVAL);
    ck_assert_ptr_null(out_series_open(w, 0, "g/h", "x", "1", "", 1, &err));
    static const char *const nm[] = { "dup", "dup" };
    double v[2] = { 0, 0 };
    ck_assert_int_eq(out_scalars_write(w, 1, 2, nm, nm, nm, v, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "scalar name 'dup' appears twice"));
    /* more scalars than a table's datatype holds: said, not an HDF5 error */
    enum { NWIDE = 400 };
    static char wide[NWIDE][200];
    const char *wn[NWIDE];
    double wv[NWIDE] = { 0 };
    for (int i = 0; i < NWIDE; i++) {
        snprintf(wide[i], sizeof wide[i], "%0190d", i);
        wn[i] = wide[i];
    }
    ck_assert_int_eq(out_scalars_fit(NWIDE, wn, NULL, NULL), 0);
    ck_assert_int_eq(out_scalars_write(w, 1, NWIDE, wn, wn, wn, wv, &err), SIM_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "more than the 65535 a table's datatype holds"));
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_EIO);
    ck_assert_int_eq(count_entries(dir), 0);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_reader_errors)
{
    char dir[512], path[600], msg[800];
    make_tmpdir(dir, sizeof dir);
    sim_err err;
    snprintf(path, sizeof path, "%s/missing.h5", dir);
    ck_assert_ptr_null(out_reader_open(path, &err));
    ck_assert_int_eq(err.code, SIM_ENOENT);
    snprintf(path, sizeof path, "%s/text.h5", dir);
    FILE *f = fopen(path, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    ck_assert_ptr_null(out_reader_open(path, &err));
    ck_assert_int_eq(err.code, SIM_EIO);
    snprintf(msg, sizeof msg, "%s: not an HDF5 file", path);
    ck_assert_str_eq(err.msg, msg);
    snprintf(path, sizeof path, "%s/other.h5", dir);
    hid_t h = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(h);
    ck_assert_ptr_null(out_reader_open(path, &err));
    ck_assert_int_eq(err.code, SIM_ENOENT);
    snprintf(msg, sizeof msg, "%s: not a vouchsim output file (no /time)", path);
    ck_assert_str_eq(err.msg, msg);
    rm_dir(dir);
}
END_TEST

/* Reading a block of rows; verification; a series that declares 2^62 rows
 * (which once allocated 8 bytes and was read into them). */
START_TEST(test_output_reader_rows_and_verify)
{
    char dir[512], path[600], msg[1200];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/v.h5", dir);
    write_file(path, 0, 0, 0);
    sim_err err;
    unsigned all = OUT_VERIFY_RUNS | OUT_VERIFY_STATS;
    ck_assert_int_eq(out_reader_verify(path, all, &err), SIM_OK);
    ck_assert_int_eq(out_reader_verify_isolated(path, all, &err), SIM_OK);
    out_reader *r = out_reader_open(path, &err);
    ck_assert_msg(r != NULL, "%s", err.msg);
    double buf[5 * 3];
    ck_assert_int_eq(out_reader_series_read_rows(r, 1, "g2", "y", 64, 5, buf, &err), SIM_OK);
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 3; j++)
            ck_assert(same_double(buf[i * 3 + j], val(1, 1, 64 + i, j)));
    ck_assert_int_eq(out_reader_series_read_rows(r, 1, "g2", "y", NT - 2, 5, buf, &err),
                     SIM_EINVAL);
    ck_assert_int_eq(out_reader_series_read_rows(r, 9, "g2", "y", 0, 1, buf, &err), SIM_ENOENT);
    ck_assert_int_eq(out_reader_stats_read_rows(r, "g2", "y", OUT_STAT_P95, 0, 1, buf, &err),
                     SIM_OK);
    out_reader_close(r);

    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    ck_assert_int_ge(H5Ldelete(f, "/runs/0001/series/g2/y", H5P_DEFAULT), 0);
    hsize_t dims[2] = { (hsize_t)1 << 62, 3 }, maxd[2] = { H5S_UNLIMITED, H5S_UNLIMITED };
    hsize_t chunk[2] = { 1, 1 };
    hid_t sp = H5Screate_simple(2, dims, maxd), pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, 2, chunk);
    hid_t d = H5Dcreate2(f, "/runs/0001/series/g2/y", H5T_IEEE_F64LE, sp, H5P_DEFAULT, pl,
                         H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    H5Dclose(d);
    H5Pclose(pl);
    H5Sclose(sp);
    H5Fclose(f);
    ck_assert_int_eq(out_reader_verify(path, OUT_VERIFY_FIRST_RUN, &err), SIM_OK);
    snprintf(msg, sizeof msg, "%s: /runs/0001/series/g2/y: expected %d x 3 (samples of /time x "
             "names in /entities/g2), found 4611686018427387904 x 3", path, NT);
    ck_assert_int_eq(out_reader_verify(path, all, &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, msg);
    ck_assert_int_eq(out_reader_verify_isolated(path, all, &err), SIM_EINVAL);
    ck_assert_str_eq(err.msg, msg);
    r = out_reader_open(path, &err);
    double *m = NULL;
    size_t rows = 1, cols = 1;
    ck_assert_int_eq(out_reader_series_read(r, 1, "g2", "y", &m, &rows, &cols, &err), SIM_EINVAL);
    ck_assert_ptr_null(m);
    ck_assert_uint_eq(rows, 0);
    out_reader_close(r);
    rm_dir(dir);
}
END_TEST

/* ---- output/README.md's layout table against a real file ---- */

START_TEST(test_output_layout_matches_readme)
{
    char dir[512], path[600], readme[1024];
    make_tmpdir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/lay.h5", dir);
    write_file(path, 0, 0, 0);
    const char *src = getenv("top_srcdir");
    snprintf(readme, sizeof readme, "%s/output/README.md", src ? src : ".");
    FILE *f = fopen(readme, "r");
    ck_assert_msg(f != NULL, "cannot open %s", readme);
    hid_t file = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    char line[2048];
    int checked = 0;
    while (fgets(line, sizeof line, f)) {
        if (checked > 0 && !strncmp(line, "## ", 3))
            break;          /* the layout table ends; later tables are the commands' */
        if (strncmp(line, "| `/", 4) != 0)
            continue;
        char raw[512], p[512];
        const char *end = strchr(line + 3, '`');
        ck_assert_ptr_nonnull(end);
        snprintf(raw, sizeof raw, "%.*s", (int)(end - line - 3), line + 3);
        /* placeholders: NNNN -> 0000, <group> -> g2, <name> -> y, <key> -> kind */
        size_t o = 0;
        for (const char *q = raw; *q && o + 8 < sizeof p;) {
            if (!strncmp(q, "NNNN", 4)) {
                memcpy(p + o, "0000", 4), o += 4, q += 4;
            } else if (!strncmp(q, "<group>", 7)) {
                memcpy(p + o, "g2", 2), o += 2, q += 7;
            } else if (!strncmp(q, "<name>", 6)) {
                p[o++] = 'y', q += 6;
            } else if (!strncmp(q, "<key>", 5)) {
                memcpy(p + o, "kind", 4), o += 4, q += 5;
            } else
                p[o++] = *q++;
        }
        p[o] = '\0';
        char *at = strchr(p, '@');
        if (at)
            *at = '\0';
        const char *obj = *p ? p : "/";
        htri_t ex = !strcmp(obj, "/") ? 1 : H5Oexists_by_name(file, obj, H5P_DEFAULT);
        ck_assert_msg(ex > 0, "README lists %s, the file has no %s", raw, obj);
        if (at)
            ck_assert_msg(H5Aexists_by_name(file, obj, at + 1, H5P_DEFAULT) > 0,
                          "README lists %s, the file has no attribute %s on %s", raw, at + 1, obj);
        checked++;
    }
    fclose(f);
    H5Fclose(file);
    ck_assert_int_ge(checked, 20);
    rm_dir(dir);
}
END_TEST

START_TEST(test_output_plot_names)
{
    char buf[256];
    ck_assert_int_eq(out_plot_path("dir/run.h5.png", OUT_CHART_BUDGET, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "dir/run.h5_budget.png");
    ck_assert_int_eq(out_plot_path("a.b/chart", OUT_CHART_WAIT, buf, sizeof buf), 0);
    ck_assert_str_eq(buf, "a.b/chart_wait");
    ck_assert_int_eq(out_plot_path("x.svg", OUT_CHART_UTILIZATION, buf, 8), -1);
    out_chart c;
    ck_assert_int_eq(out_chart_parse("demand", &c), 0);
    ck_assert_int_eq(c, OUT_CHART_DEMAND);
    ck_assert_int_eq(out_chart_parse("pie", &c), -1);
    setenv("VOUCHSIM_GNUPLOT", "/nonexistent/gnuplot", 1);
    sim_err err;
    ck_assert_int_eq(out_gnuplot_find(buf, sizeof buf, &err), SIM_ENOENT);
    ck_assert_ptr_nonnull(strstr(err.msg, "gnuplot not found"));
    unsetenv("VOUCHSIM_GNUPLOT");
    setenv("PATH", "/nonexistent", 1);
    ck_assert_int_eq(out_gnuplot_find(buf, sizeof buf, &err), SIM_ENOENT);
    ck_assert_str_eq(err.msg, "gnuplot not found: install gnuplot-nox (apt-get install gnuplot-nox)");
}
END_TEST

static Suite *output_suite(void)
{
    Suite *s = suite_create("output");
    TCase *tw = tcase_create("writer");
    tcase_set_timeout(tw, 60);
    tcase_add_test(tw, test_output_round_trip_hdf5_api);
    tcase_add_test(tw, test_output_round_trip_reader);
    tcase_add_test(tw, test_output_threads_bit_identical);
    tcase_add_test(tw, test_output_series_stats_by_hand);
    tcase_add_test(tw, test_output_series_stats_kept);
    tcase_add_test(tw, test_output_series_stats_prepared);
    tcase_add_test(tw, test_output_series_stats_other_layouts);
    tcase_add_test(tw, test_output_series_stats_missing_series);
    tcase_add_test(tw, test_output_summary_ci_by_hand);
    tcase_add_test(tw, test_output_dimension_scales);
    tcase_add_test(tw, test_output_copy_reattaches);
    tcase_add_test(tw, test_output_entity_coord_errors);
    suite_add_tcase(s, tw);
    TCase *te = tcase_create("errors");
    tcase_add_test(te, test_output_abort_leaves_nothing);
    tcase_add_test(te, test_output_failure_midway_leaves_nothing);
    tcase_add_test(te, test_output_replace_removes_old);
    tcase_add_test(te, test_output_unwritable_path);
    tcase_add_test(te, test_output_bad_calls);
    tcase_add_test(te, test_output_reader_errors);
    tcase_add_test(te, test_output_reader_rows_and_verify);
    suite_add_tcase(s, te);
    TCase *tl = tcase_create("layout");
    tcase_set_timeout(tl, 60);
    tcase_add_test(tl, test_output_layout_matches_readme);
    tcase_add_test(tl, test_output_plot_names);
    suite_add_tcase(s, tl);
    return s;
}

int main(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    SRunner *sr = srunner_create(output_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
