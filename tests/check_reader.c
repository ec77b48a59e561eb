/* tests/check_reader.c - output/reader.c on foreign and malformed files.
 *
 * Each test writes a small good file through output/writer.h (4 daily
 * samples, the entity group g of two names with a coordinate, two runs of
 * the series g/x, two scalars, their summary, the series statistics and a
 * table), breaks one thing in it through the HDF5 API as another tool or
 * a corrupt copy would, and checks the reader's answer: the code and the
 * whole one-line message "FILE: /object: expected ..., found ...", or
 * what it reads when the oddity is allowed (files of other versions,
 * variable-length strings). tests/hostile.sh runs the commands on a
 * larger corpus (tests/mkbad); this suite pins the messages. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "output/reader.h"
#include "output/writer.h"

enum { NT = 4, NE = 2, NR = 2 };

static char dir[512], path[600];

static double val(size_t r, size_t i, size_t j)
{
    return (double)r * 100.0 + (double)i + (double)j / 10.0;
}

/* ---- the good file ---- */

static void write_good(const char *p)
{
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(p, &err);
    ck_assert_msg(w != NULL, "%s", err.msg);
    out_writer_no_sync(w);
    double hours[NT];
    char buf[NT][32];
    const char *iso[NT];
    for (size_t i = 0; i < NT; i++) {
        hours[i] = 24.0 * (double)i;
        snprintf(buf[i], sizeof buf[i], "2025-01-%02dT00:00", 1 + (int)i);
        iso[i] = buf[i];
    }
    static const char *const names[NE] = { "a", "b" }, *const kind[NE] = { "k1", "k2" };
    ck_assert_int_eq(out_attr_string(w, "scenario_name", "reader-test", &err), SIM_OK);
    ck_assert_int_eq(out_attr_int(w, "replications", NR, &err), SIM_OK);
    ck_assert_int_eq(out_attr_double(w, "sample_h", 24.0, &err), SIM_OK);
    ck_assert_int_eq(out_time_write(w, NT, hours, iso, &err), SIM_OK);
    ck_assert_int_eq(out_entities_write(w, "g", NE, names, &err), SIM_OK);
    ck_assert_int_eq(out_entity_coord_write(w, "g", "kind", NE, kind, &err), SIM_OK);
    for (size_t r = 0; r < NR; r++) {
        out_series *s = out_series_open(w, r, "g", "x", "CNY", "money", NE, &err);
        ck_assert_msg(s != NULL, "%s", err.msg);
        for (size_t i = 0; i < NT; i++) {
            double row[NE];
            for (size_t j = 0; j < NE; j++)
                row[j] = val(r, i, j);
            ck_assert_int_eq(out_series_append(s, row, &err), SIM_OK);
        }
        ck_assert_int_eq(out_series_close(s, &err), SIM_OK);
    }
    static const char *const sn[2] = { "alpha", "beta" }, *const su[2] = { "CNY", "firms" },
                             *const sd[2] = { "first", "second" };
    double v[NR * 2] = { 1, 2, 3, 4 };
    ck_assert_int_eq(out_scalars_write(w, NR, 2, sn, su, sd, v, &err), SIM_OK);
    ck_assert_int_eq(out_series_stats_write(w, NR, &err), SIM_OK);
    static const double tv[2] = { 0.5, 1.5 };
    static const uint32_t tu[2] = { 7, 8 };
    static const char *const ts[2] = { "p", "q" };
    out_column cols[3] = { { "value", OUT_COL_DOUBLE, tv, NULL, NULL, "h" },
                           { "count", OUT_COL_UINT32, NULL, tu, NULL, NULL },
                           { "label", OUT_COL_STRING, NULL, NULL, ts, NULL } };
    ck_assert_int_eq(out_table_write(w, "/sweep/params", 2, 3, cols, "a table", &err), SIM_OK);
    ck_assert_msg(out_writer_close(w, 1, &err) == SIM_OK, "%s", err.msg);
}

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_reader.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/f.h5", dir);
    write_good(path);
}

static void teardown(void)
{
    char cmd[700];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* ---- breaking it ---- */

static hid_t rw(void)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    return f;
}

static void drop(hid_t f, const char *p)
{
    ck_assert_msg(H5Ldelete(f, p, H5P_DEFAULT) >= 0, "cannot delete %s", p);
}

/* Replaces (or creates) dataset p: type t, rank dims, contiguous, written
 * from data unless NULL; parent groups created. */
static void put(hid_t f, const char *p, hid_t t, int rank, const hsize_t *dims,
                const void *data)
{
    if (H5Lexists(f, p, H5P_DEFAULT) > 0)
        drop(f, p);
    H5Eclear2(H5E_DEFAULT);
    hid_t sp = rank ? H5Screate_simple(rank, dims, NULL) : H5Screate(H5S_SCALAR);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t d = H5Dcreate2(f, p, t, sp, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(d >= 0, "cannot create %s", p);
    if (data)
        ck_assert_int_ge(H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), 0);
    H5Dclose(d);
    H5Pclose(lcpl);
    H5Sclose(sp);
}

/* Declares (writes nothing: HDF5 allocates nothing) a chunked table at p
 * of nrows rows of ncols doubles, the first named first, the others c1,
 * c2... */
static void declare_table(hid_t f, const char *p, const char *first, int ncols, hsize_t nrows)
{
    hid_t t = H5Tcreate(H5T_COMPOUND, (size_t)ncols * sizeof(double));
    for (int m = 0; m < ncols; m++) {
        char nm[16];
        snprintf(nm, sizeof nm, "c%d", m);
        H5Tinsert(t, m ? nm : first, (size_t)m * sizeof(double), H5T_NATIVE_DOUBLE);
    }
    hsize_t ch = 1024, maxd = H5S_UNLIMITED;
    hid_t sp = H5Screate_simple(1, &nrows, &maxd), pl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(pl, 1, &ch);
    if (H5Lexists(f, p, H5P_DEFAULT) > 0)
        drop(f, p);
    H5Eclear2(H5E_DEFAULT);
    hid_t d = H5Dcreate2(f, p, t, sp, H5P_DEFAULT, pl, H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    H5Dclose(d);
    H5Pclose(pl);
    H5Sclose(sp);
    H5Tclose(t);
}

/* Replaces dataset p by doubles, in a file of its own opening. */
static void put_doubles(const char *p, int rank, const hsize_t *dims, const double *v)
{
    hid_t f = rw();
    put(f, p, H5T_NATIVE_DOUBLE, rank, dims, v);
    H5Fclose(f);
}

static void put_group(hid_t f, const char *p)
{
    if (H5Lexists(f, p, H5P_DEFAULT) > 0)
        drop(f, p);
    H5Eclear2(H5E_DEFAULT);
    hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
    H5Pset_create_intermediate_group(lcpl, 1);
    hid_t g = H5Gcreate2(f, p, lcpl, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(g >= 0, "cannot create group %s", p);
    H5Gclose(g);
    H5Pclose(lcpl);
}

/* Sets attribute name of object obj (path) to n values of type t. */
static void put_attr(hid_t f, const char *obj, const char *name, hid_t t, hsize_t n,
                     const void *data)
{
    hid_t o = H5Oopen(f, obj, H5P_DEFAULT);
    ck_assert_msg(o >= 0, "no %s", obj);
    if (H5Aexists(o, name) > 0)
        H5Adelete(o, name);
    hid_t sp = n ? H5Screate_simple(1, &n, NULL) : H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(o, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_int_ge(a, 0);
    ck_assert_int_ge(H5Awrite(a, t, data), 0);
    H5Aclose(a);
    H5Sclose(sp);
    H5Oclose(o);
}

static hid_t str_t(size_t w)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    if (w)
        H5Tset_size(t, w);
    else
        H5Tset_size(t, H5T_VARIABLE);
    return t;
}

/* ---- what the reader says ---- */

/* out_reader_open fails with code and "FILE: msg". */
static void open_fails(int code, const char *msg)
{
    sim_err err;
    sim_err_clear(&err);
    char want[1200];
    snprintf(want, sizeof want, "%s: %s", path, msg);
    out_reader *r = out_reader_open(path, &err);
    ck_assert_msg(r == NULL, "opened; wanted: %s", want);
    ck_assert_str_eq(err.msg, want);
    ck_assert_int_eq(err.code, code);
}

static out_reader *open_ok(void)
{
    sim_err err;
    sim_err_clear(&err);
    out_reader *r = out_reader_open(path, &err);
    ck_assert_msg(r != NULL, "%s", err.msg);
    return r;
}

/* rc is code, and err says "FILE: msg". */
static void said(int rc, const sim_err *err, int code, const char *msg)
{
    char want[1200];
    snprintf(want, sizeof want, "%s: %s", path, msg);
    ck_assert_str_eq(err->msg, want);
    ck_assert_int_eq(rc, code);
}

/* ---- the good file, read back ---- */

START_TEST(test_reader_good_file)
{
    out_reader *r = open_ok();
    ck_assert_uint_eq(out_reader_time_count(r), NT);
    ck_assert_uint_eq(out_reader_run_count(r), NR);
    ck_assert_uint_eq(out_reader_series_count(r), 1);
    const out_series_info *s = out_reader_series(r, 0);
    ck_assert_str_eq(s->group, "g");
    ck_assert_str_eq(s->unit, "CNY");
    ck_assert_str_eq(s->desc, "money");
    ck_assert_ptr_null(out_reader_series(r, 1));
    ck_assert_ptr_eq(out_reader_series_find(r, "g", "x"), s);
    ck_assert_ptr_null(out_reader_series_find(r, "g", "y"));
    const out_attr *a = out_reader_attr_find(r, "replications");
    ck_assert_int_eq(a->kind, OUT_ATTR_INT);
    ck_assert_str_eq(a->s, "2");
    a = out_reader_attr_find(r, "sample_h");
    ck_assert_int_eq(a->kind, OUT_ATTR_DOUBLE);
    ck_assert_str_eq(a->s, "24");
    ck_assert_ptr_null(out_reader_attr_find(r, "nope"));
    ck_assert_ptr_null(out_reader_attr(r, out_reader_attr_count(r)));
    ck_assert_ptr_null(out_reader_time_date(r, NT));
    ck_assert_ptr_null(out_reader_group_name(r, 1));
    size_t n = 9;
    ck_assert_ptr_null(out_reader_entities(r, "nope", &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(out_reader_scalar_name(r, 2));
    ck_assert_ptr_null(out_reader_scalar_unit(r, 2));
    ck_assert_ptr_null(out_reader_scalar_desc(r, 2));
    ck_assert_uint_eq(out_reader_scalar_run(r, 1), 1);
    ck_assert_uint_eq(out_reader_scalar_run(r, 2), 0);
    ck_assert_ptr_null(out_reader_summary(r, 2));
    ck_assert_str_eq(out_reader_summary(r, 1)->unit, "firms");
    ck_assert_int_eq(out_reader_stats_runs(r, "g", "x"), NR);
    ck_assert_int_eq(out_reader_stats_runs(r, "g", "nope"), -1);
    out_table *t = NULL;
    sim_err err;
    ck_assert_int_eq(out_reader_table_read(r, "/sweep/params", &t, &err), SIM_OK);
    ck_assert_uint_eq(t->nrows, 2);
    ck_assert_uint_eq(t->ncols, 3);
    ck_assert_str_eq(t->units[0], "h");
    ck_assert_str_eq(t->units[1], "");
    ck_assert_double_eq(t->num[1 * 3 + 1], 8.0);
    ck_assert(isnan(t->num[2]));
    ck_assert_str_eq(t->text[2][1], "q");
    out_table_free(t);
    out_table_free(NULL);
    out_reader_close(r);
    out_reader_close(NULL);
}
END_TEST

/* ---- opening ---- */

START_TEST(test_reader_open_not_a_file)
{
    snprintf(path, sizeof path, "%s", dir);
    open_fails(SIM_EIO, "is a directory");
    snprintf(path, sizeof path, "%s/fifo.h5", dir);
    ck_assert_int_eq(mkfifo(path, 0600), 0);
    open_fails(SIM_EIO, "not a regular file");
}
END_TEST

START_TEST(test_reader_open_group_errors)
{
    sim_err err;
    char want[1200], lon[1300];
    ck_assert_ptr_null(out_reader_open_group(path, "/arms/base", &err));
    said(err.code, &err, SIM_ENOENT, "no group /arms/base");
    ck_assert_ptr_null(out_reader_open_group(path, "/time/hours", &err));
    said(err.code, &err, SIM_EINVAL, "/time/hours: expected a group");
    memset(lon, 'a', sizeof lon - 1);
    lon[0] = '/';
    lon[sizeof lon - 1] = '\0';
    ck_assert_ptr_null(out_reader_open_group(path, lon, &err));
    snprintf(want, sizeof want, "%.100s...: path too long", lon);
    said(err.code, &err, SIM_EINVAL, want);
    hid_t f = rw();
    ck_assert_int_ge(H5Lcreate_soft("/runs", f, "/alias", H5P_DEFAULT, H5P_DEFAULT), 0);
    H5Fclose(f);
    ck_assert_ptr_null(out_reader_open_group(path, "/alias", &err));
    said(err.code, &err, SIM_EINVAL,
         "/alias: expected an object of this file, found a soft link (not followed)");
    ck_assert_int_eq(out_reader_verify_group(path, "/nope", 0, NULL), SIM_EINVAL);
}
END_TEST

/* An arm of a comparison file: the layout under /arms/NAME; tables of the
 * file's root are read from there too. */
START_TEST(test_reader_arm_group)
{
    hid_t f = rw();
    put_group(f, "/arms/base");
    static const char *const top[] = { "time", "entities", "runs", "scalars", "summary",
                                       "series_stats" };
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++) {
        char dst[64];
        snprintf(dst, sizeof dst, "/arms/base/%s", top[i]);
        ck_assert_int_ge(H5Ocopy(f, top[i], f, dst, H5P_DEFAULT, H5P_DEFAULT), 0);
    }
    H5Fclose(f);
    sim_err err;
    ck_assert_int_eq(out_reader_verify_isolated_group(path, "/arms/base", OUT_VERIFY_RUNS
                                                      | OUT_VERIFY_STATS, &err), SIM_OK);
    out_reader *r = out_reader_open_group(path, "/arms/base", &err);
    ck_assert_msg(r != NULL, "%s", err.msg);
    ck_assert_uint_eq(out_reader_run_count(r), NR);
    out_table *t = NULL;
    ck_assert_int_eq(out_reader_table_read(r, "/sweep/params", &t, &err), SIM_ENOENT);
    said(SIM_ENOENT, &err, SIM_ENOENT, "no /sweep/params");
    ck_assert_int_eq(out_reader_file_table_read(r, "/sweep/params", &t, &err), SIM_OK);
    ck_assert_uint_eq(t->nrows, 2);
    out_table_free(t);
    out_reader_close(r);
    char **v = NULL;
    size_t n = 0;
    ck_assert_int_eq(out_file_children(path, "/arms", &v, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(v[0], "base");
    out_strv_free(v, n);
}
END_TEST

/* ---- root attributes ---- */

START_TEST(test_reader_attr_kinds)
{
    hid_t f = rw();
    static const double two[2] = { 1, 2 };
    put_attr(f, "/", "pair", H5T_NATIVE_DOUBLE, 2, two);
    hid_t t = str_t(0);
    const char *vs[1] = { "variable" };
    put_attr(f, "/", "vlen", t, 0, vs);
    H5Tclose(t);
    hid_t e = H5Tenum_create(H5T_NATIVE_INT);
    int ev = 1;
    H5Tenum_insert(e, "one", &ev);
    put_attr(f, "/", "enum", e, 0, &ev);
    H5Tclose(e);
    H5Fclose(f);
    out_reader *r = open_ok();
    const out_attr *a = out_reader_attr_find(r, "pair");
    ck_assert_int_eq(a->kind, OUT_ATTR_STRING);
    ck_assert_str_eq(a->s, "(not shown)");
    ck_assert_str_eq(out_reader_attr_find(r, "enum")->s, "(not shown)");
    ck_assert_str_eq(out_reader_attr_find(r, "vlen")->s, "variable");
    /* in name order */
    for (size_t i = 1; i < out_reader_attr_count(r); i++)
        ck_assert_int_lt(strcmp(out_reader_attr(r, i - 1)->name, out_reader_attr(r, i)->name), 0);
    out_reader_close(r);
}
END_TEST

START_TEST(test_reader_attr_too_many)
{
    out_reader *r = open_ok();
    size_t had = out_reader_attr_count(r);
    out_reader_close(r);
    hid_t f = rw();
    int v = 0;
    for (int i = 0; i < (int)OUT_READ_MAX_ATTRS; i++) {
        char name[32];
        snprintf(name, sizeof name, "a%04d", i);
        put_attr(f, "/", name, H5T_NATIVE_INT, 0, &v);
    }
    H5Fclose(f);
    char want[100];
    snprintf(want, sizeof want, "/: expected at most 1000 root attributes, found %zu",
             OUT_READ_MAX_ATTRS + had);
    open_fails(SIM_EINVAL, want);
}
END_TEST

START_TEST(test_reader_attr_string_too_long)
{
    hid_t f = rw();
    size_t w = OUT_READ_MAX_TEXT + 2;
    char *big = malloc(w);
    memset(big, 'x', w - 1);
    big[w - 1] = '\0';
    hid_t t = str_t(w);
    put_attr(f, "/", "scenario", t, 0, big);
    H5Tclose(t);
    free(big);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/@scenario: expected strings of at most 16777216 bytes, found 16777218");
}
END_TEST

/* ---- the time axis ---- */

/* The time axis as numbers: hours out of order, hours in two dimensions,
 * dates that are numbers. */
START_TEST(test_reader_time_numbers)
{
    static const hsize_t n = NT, d2[2] = { NT, 1 };
    static const double up[NT] = { 0, 24, 48, 72 }, back[NT] = { 0, 48, 24, 72 };
    static const struct {
        const char    *obj;
        int            rank;
        const hsize_t *dims;
        const double  *v;
        const char    *msg;
    } cases[] = {
        { "/time/hours", 1, &n, back,
          "/time/hours: expected finite hours in increasing order, found 24 at sample 2" },
        { "/time/hours", 2, d2, up, "/time/hours: expected a 1-D array, found 2-D" },
        { "/time/date", 1, &n, up, "/time/date: expected a 1-D array of strings" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        write_good(path);
        put_doubles(cases[i].obj, cases[i].rank, cases[i].dims, cases[i].v);
        open_fails(SIM_EINVAL, cases[i].msg);
    }
}
END_TEST

/* dates as variable-length strings (h5py writes them so): read; one that
 * is not a date is refused */
START_TEST(test_reader_time_date_vlen)
{
    hid_t f = rw();
    hsize_t n = NT;
    hid_t t = str_t(0);
    const char *d[NT] = { "2025-01-01", "2025-01-02T00:00", "2025-01-03T00:00:00", "2025-01-04" };
    put(f, "/time/date", t, 1, &n, d);
    H5Fclose(f);
    out_reader *r = open_ok();
    ck_assert_str_eq(out_reader_time_date(r, 2), "2025-01-03T00:00:00");
    out_reader_close(r);
    f = rw();
    d[3] = "2025/01/04";
    put(f, "/time/date", t, 1, &n, d);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/time/date: expected dates as YYYY-MM-DD or YYYY-MM-DDTHH:MM, found "
               "'2025/01/04' at sample 3");
}
END_TEST

/* ---- entities ---- */

START_TEST(test_reader_entities_not_group)
{
    hid_t f = rw();
    hsize_t n = 1;
    double x = 0;
    put(f, "/entities", H5T_NATIVE_DOUBLE, 1, &n, &x);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/entities: expected a group");
}
END_TEST

START_TEST(test_reader_entities_bad_name)
{
    hid_t f = rw();
    ck_assert_int_ge(H5Lmove(f, "/entities/g", f, "/entities/.g", H5P_DEFAULT, H5P_DEFAULT), 0);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/entities/.g: expected a group name of printable characters");
}
END_TEST

START_TEST(test_reader_entities_too_many_groups)
{
    hid_t f = rw();
    hid_t t = str_t(2);
    hsize_t n = 1;
    for (unsigned i = 0; i < OUT_READ_MAX_GROUPS; i++) {
        char p[64];
        snprintf(p, sizeof p, "/entities/e%03u", i);
        put(f, p, t, 1, &n, "z");
    }
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/entities: expected at most 256 entity groups");
}
END_TEST

START_TEST(test_reader_entities_a_group)
{
    hid_t f = rw();
    put_group(f, "/entities/sub");
    H5Fclose(f);
    sim_err err;
    ck_assert_ptr_null(out_reader_open(path, &err));
    char want[700];
    snprintf(want, sizeof want, "%s: /entities/sub: ", path);
    ck_assert_msg(!strncmp(err.msg, want, strlen(want)), "%s", err.msg);
    ck_assert_int_eq(err.code, SIM_EINVAL);
}
END_TEST

/* ---- series ---- */

START_TEST(test_reader_series_too_many_cells)
{
    /* 200 samples x 100000 names: more than a series may hold */
    hid_t f = rw();
    enum { T = 200, E = 100000 };
    hsize_t n = T;
    double h[T];
    hid_t t = str_t(11);
    char (*d)[11] = calloc(E, sizeof *d);
    for (size_t i = 0; i < T; i++)
        h[i] = 24.0 * (double)i;
    for (size_t i = 0; i < T; i++)
        snprintf(d[i], sizeof d[i], "2025-01-01");
    put(f, "/time/hours", H5T_NATIVE_DOUBLE, 1, &n, h);
    put(f, "/time/date", t, 1, &n, d);
    n = E;
    for (size_t i = 0; i < E; i++)
        snprintf(d[i], sizeof d[i], "e%zu", i);
    put(f, "/entities/g", t, 1, &n, d);
    free(d);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g/x: 200 samples x 100000 entities is more than "
               "the 16777216 numbers a series may hold");
}
END_TEST

START_TEST(test_reader_series_group_name)
{
    hid_t f = rw();
    ck_assert_int_ge(H5Lmove(f, "/runs/0000/series/g", f, "/runs/0000/series/g\x01",
                             H5P_DEFAULT, H5P_DEFAULT), 0);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g?: expected a group name of printable characters");
}
END_TEST

/* what sits beside the series is skipped: a group, a 1-D coordinate */
START_TEST(test_reader_series_neighbours)
{
    hid_t f = rw();
    put_group(f, "/runs/0000/series/g/sub");
    H5Fclose(f);
    out_reader *r = open_ok();
    ck_assert_uint_eq(out_reader_series_count(r), 1);
    out_reader_close(r);
}
END_TEST

/* files before CF units: @unit and @description */
START_TEST(test_reader_series_old_attrs)
{
    hid_t f = rw();
    hid_t d = H5Dopen2(f, "/runs/0000/series/g/x", H5P_DEFAULT);
    ck_assert_int_ge(H5Adelete(d, "units"), 0);
    ck_assert_int_ge(H5Adelete(d, "long_name"), 0);
    H5Dclose(d);
    hid_t t = str_t(8);
    static const char yuan[8] = "yuan", old[8] = "old";    /* 8 bytes each, as t */
    put_attr(f, "/runs/0000/series/g/x", "unit", t, 0, yuan);
    put_attr(f, "/runs/0000/series/g/x", "description", t, 0, old);
    H5Tclose(t);
    H5Fclose(f);
    out_reader *r = open_ok();
    ck_assert_str_eq(out_reader_series(r, 0)->unit, "yuan");
    ck_assert_str_eq(out_reader_series(r, 0)->desc, "old");
    out_reader_close(r);
    f = rw();
    d = H5Dopen2(f, "/runs/0000/series/g/x", H5P_DEFAULT);
    ck_assert_int_ge(H5Adelete(d, "unit"), 0);
    ck_assert_int_ge(H5Adelete(d, "description"), 0);
    H5Dclose(d);
    H5Fclose(f);
    r = open_ok();
    ck_assert_str_eq(out_reader_series(r, 0)->unit, "");
    ck_assert_str_eq(out_reader_series(r, 0)->desc, "");
    out_reader_close(r);
}
END_TEST

START_TEST(test_reader_series_units_wrong)
{
    hid_t f = rw();
    double one = 1;
    put_attr(f, "/runs/0000/series/g/x", "units", H5T_NATIVE_DOUBLE, 0, &one);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g/x@units: expected a 1-D array of strings");
    f = rw();
    char lon[300];
    memset(lon, 'u', sizeof lon - 1);
    lon[sizeof lon - 1] = '\0';
    hid_t t = str_t(sizeof lon);
    put_attr(f, "/runs/0000/series/g/x", "units", t, 0, lon);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g/x@units: expected strings of at most 256 bytes, "
               "found 300");
    f = rw();
    const char *two[2] = { "a", "b" };
    t = str_t(0);
    put_attr(f, "/runs/0000/series/g/x", "units", t, 2, two);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g/x@units: expected 1 strings, found 2");
}
END_TEST

/* a file of statistics only (no runs): the series are those of
 * /series_stats, and a run's series is not there */
START_TEST(test_reader_stats_only)
{
    hid_t f = rw();
    drop(f, "/runs");
    drop(f, "/scalars");
    H5Fclose(f);
    out_reader *r = open_ok();
    sim_err err;
    ck_assert_uint_eq(out_reader_run_count(r), 0);
    ck_assert_uint_eq(out_reader_series_count(r), 1);
    ck_assert_uint_eq(out_reader_scalar_rows(r), 0);
    ck_assert(out_reader_has_stats(r, "g", "x"));
    double *m = NULL;
    size_t rows, cols;
    ck_assert_int_eq(out_reader_stats_read(r, "g", "x", OUT_STAT_P05, &m, &rows, &cols, &err),
                     SIM_OK);
    ck_assert_uint_eq(rows, NT);
    /* the 5th percentile of two runs, interpolated */
    ck_assert_double_eq_tol(m[1], val(0, 0, 1) + 0.05 * (val(1, 0, 1) - val(0, 0, 1)), 1e-9);
    free(m);
    int rc = out_reader_series_read(r, 0, "g", "x", &m, &rows, &cols, &err);
    said(rc, &err, SIM_ENOENT, "no /runs/0000/series/g/x");
    char **v = NULL;
    size_t n = 0;
    rc = out_reader_entity_coord(r, "g", "kind", &v, &n, &err);
    said(rc, &err, SIM_ENOENT, "no entities of g");
    out_reader_close(r);
    ck_assert_int_eq(out_reader_verify(path, OUT_VERIFY_FIRST_RUN | OUT_VERIFY_STATS, &err),
                     SIM_OK);
    /* a statistics entry without its mean is not a series */
    f = rw();
    drop(f, "/series_stats/g/x/mean");
    H5Fclose(f);
    r = open_ok();
    ck_assert_uint_eq(out_reader_series_count(r), 0);
    ck_assert(!out_reader_has_stats(r, "g", "x"));
    out_reader_close(r);
}
END_TEST

START_TEST(test_reader_rows)
{
    out_reader *r = open_ok();
    sim_err err;
    double buf[NT * NE];
    ck_assert_int_eq(out_reader_stats_read_rows(r, "g", "x", OUT_STAT_MEAN, 1, 2, buf, &err),
                     SIM_OK);
    ck_assert_double_eq(buf[0], (val(0, 1, 0) + val(1, 1, 0)) / 2);
    int rc = out_reader_series_read_rows(r, 0, "g", "x", NT + 1, 0, buf, &err);
    said(rc, &err, SIM_EINVAL, "/runs/0000/series/g/x: rows 5..5 asked of 4");
    ck_assert_int_eq(out_reader_series_read_rows(r, 0, "g", "x", NT, 0, buf, &err), SIM_OK);
    rc = out_reader_stats_read_rows(r, "g", "y", OUT_STAT_MEAN, 0, 1, buf, &err);
    said(rc, &err, SIM_ENOENT, "no /series_stats/g/y/mean");
    out_reader_close(r);
    /* a link in the path is not followed, for a block of rows too */
    hid_t f = rw();
    drop(f, "/runs/0001/series/g/x");
    ck_assert_int_ge(H5Lcreate_soft("/runs/0000/series/g/x", f, "/runs/0001/series/g/x",
                                    H5P_DEFAULT, H5P_DEFAULT), 0);
    H5Fclose(f);
    r = open_ok();
    rc = out_reader_series_read_rows(r, 1, "g", "x", 0, 1, buf, &err);
    said(rc, &err, SIM_EINVAL, "/runs/0001/series/g/x: expected an object of this file, found a "
         "soft link (not followed)");
    double *m = NULL;
    size_t rows, cols;
    rc = out_reader_series_read(r, 1, "g", "x", &m, &rows, &cols, &err);
    said(rc, &err, SIM_EINVAL, "/runs/0001/series/g/x: expected an object of this file, found a "
         "soft link (not followed)");
    out_reader_close(r);
}
END_TEST

/* ---- scalars ---- */

/* Replaces /scalars by a table of the given members (all doubles unless
 * the name starts with '$': a string of 8 bytes), nrows rows of zeros
 * with run = row. */
static void scalars_of(hid_t f, const char *const *names, size_t nm, size_t nrows)
{
    hid_t s8 = str_t(8);
    size_t w = nm * 8;
    hid_t t = H5Tcreate(H5T_COMPOUND, w);
    for (size_t m = 0; m < nm; m++)
        H5Tinsert(t, names[m] + (names[m][0] == '$'), m * 8,
                  names[m][0] == '$' ? s8 : H5T_NATIVE_DOUBLE);
    char *rows = calloc(nrows ? nrows : 1, w);
    for (size_t i = 0; i < nrows; i++) {
        double run = (double)i;
        memcpy(rows + i * w, &run, sizeof run);
    }
    hsize_t n = nrows;
    put(f, "/scalars", t, 1, &n, rows);
    free(rows);
    H5Tclose(t);
    H5Tclose(s8);
}

START_TEST(test_reader_scalars_columns)
{
    hid_t f = rw();
    static const char *const first[] = { "alpha", "run" };
    scalars_of(f, first, 2, NR);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: the first column must be `run`");
    f = rw();
    static const char *const text[] = { "run", "$beta" };
    scalars_of(f, text, 2, NR);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: column 'beta': expected numbers");
    f = rw();
    static const char *const dot[] = { "run", ".x" };
    scalars_of(f, dot, 2, NR);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: column 1: expected a name of printable characters, found "
               "'.x'");
    f = rw();
    static const char *const ok[] = { "run", "alpha" };
    scalars_of(f, ok, 2, NR + 1);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: expected 2 rows (one per group in /runs), found 3");
}
END_TEST

START_TEST(test_reader_scalars_shape)
{
    hid_t f = rw();
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(double));
    H5Tinsert(t, "run", 0, H5T_NATIVE_DOUBLE);
    hsize_t d[2] = { 1, NR };
    double v[NR] = { 0, 1 };
    put(f, "/scalars", t, 2, d, v);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: expected a 1-D table, found 2-D");
    /* a row of 2 MiB */
    f = rw();
    hid_t big = str_t((size_t)2 << 20);
    t = H5Tcreate(H5T_COMPOUND, sizeof(double) + ((size_t)2 << 20));
    H5Tinsert(t, "run", 0, H5T_NATIVE_DOUBLE);
    H5Tinsert(t, "text", sizeof(double), big);
    hsize_t n = 1;
    put(f, "/scalars", t, 1, &n, NULL);
    H5Tclose(t);
    H5Tclose(big);
    drop(f, "/runs/0001");
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: expected rows of at most 1048576 bytes, found 2097160");
}
END_TEST

/* more numbers than a table may hold: 10^6 runs x 17 columns, declared
 * (nothing written; without /runs the rows are not tied to the runs) */
START_TEST(test_reader_scalars_too_many_cells)
{
    hid_t f = rw();
    drop(f, "/runs");
    declare_table(f, "/scalars", "run", 17, OUT_READ_MAX_RUNS);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars: 1000000 rows x 17 columns is more than the 16777216 "
               "numbers a table may hold");
}
END_TEST

START_TEST(test_reader_scalars_descriptions)
{
    hid_t f = rw();
    hid_t t = str_t(0);
    const char *one[1] = { "only one" };
    put_attr(f, "/scalars", "descriptions", t, 1, one);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/scalars@descriptions: expected 2 strings, found 1");
    /* without units and descriptions: empty */
    f = rw();
    hid_t d = H5Dopen2(f, "/scalars", H5P_DEFAULT);
    ck_assert_int_ge(H5Adelete(d, "units"), 0);
    ck_assert_int_ge(H5Adelete(d, "descriptions"), 0);
    H5Dclose(d);
    H5Fclose(f);
    out_reader *r = open_ok();
    ck_assert_str_eq(out_reader_scalar_unit(r, 1), "");
    ck_assert_str_eq(out_reader_scalar_desc(r, 0), "");
    ck_assert_str_eq(out_reader_scalar_name(r, 1), "beta");
    out_reader_close(r);
}
END_TEST

/* ---- summary ---- */

START_TEST(test_reader_summary_without_scalars)
{
    hid_t f = rw();
    drop(f, "/scalars");
    H5Fclose(f);
    out_reader *r = open_ok();
    ck_assert_uint_eq(out_reader_summary_count(r), 2);
    ck_assert_str_eq(out_reader_summary(r, 0)->name, "alpha");
    ck_assert_uint_eq(out_reader_summary(r, 0)->n, NR);
    out_reader_close(r);
    f = rw();
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(double));
    H5Tinsert(t, "mean", 0, H5T_NATIVE_DOUBLE);
    hsize_t n = 1;
    double v = 0;
    put(f, "/summary", t, 1, &n, &v);
    H5Tclose(t);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/summary: field 'name': expected fixed-length strings of at most "
               "256 bytes");
}
END_TEST

/* ---- tables ---- */

static int table_err(const char *p, sim_err *err)
{
    out_reader *r = open_ok();
    out_table *t = (out_table *)1;
    int rc = out_reader_table_read(r, p, &t, err);
    ck_assert_ptr_null(t);
    out_reader_close(r);
    return rc;
}

START_TEST(test_reader_table_errors)
{
    sim_err err;
    int rc = table_err("/sweep/nope", &err);
    said(rc, &err, SIM_ENOENT, "no /sweep/nope");
    rc = table_err("/time/hours", &err);
    said(rc, &err, SIM_EINVAL, "/time/hours: expected a table (compound type)");
    /* a column of another class (an array) */
    hid_t f = rw();
    hsize_t three = 3;
    hid_t at = H5Tarray_create2(H5T_NATIVE_DOUBLE, 1, &three);
    hid_t t = H5Tcreate(H5T_COMPOUND, 3 * sizeof(double));
    H5Tinsert(t, "vec", 0, at);
    hsize_t n = 1;
    double v[3] = { 0 };
    put(f, "/sweep/arr", t, 1, &n, v);
    H5Tclose(t);
    H5Tclose(at);
    /* variable-length strings in a column */
    hid_t vs = str_t(0);
    t = H5Tcreate(H5T_COMPOUND, sizeof(char *));
    H5Tinsert(t, "label", 0, vs);
    const char *lab[1] = { "x" };
    put(f, "/sweep/vlen", t, 1, &n, lab);
    H5Tclose(t);
    H5Tclose(vs);
    /* a bad column name */
    t = H5Tcreate(H5T_COMPOUND, sizeof(double));
    H5Tinsert(t, "a/b", 0, H5T_NATIVE_DOUBLE);
    put(f, "/sweep/slash", t, 1, &n, v);
    H5Tclose(t);
    /* units of the wrong count */
    hid_t s4 = str_t(4);
    static const char h4[4] = "h";                          /* 4 bytes, as s4 */
    put_attr(f, "/sweep/params", "units", s4, 1, h4);
    H5Tclose(s4);
    H5Fclose(f);
    rc = table_err("/sweep/arr", &err);
    said(rc, &err, SIM_EINVAL, "/sweep/arr: column 'vec': expected numbers or strings");
    rc = table_err("/sweep/vlen", &err);
    said(rc, &err, SIM_EINVAL, "/sweep/vlen: column 'label': expected fixed-length strings of at "
         "most 256 bytes");
    rc = table_err("/sweep/slash", &err);
    said(rc, &err, SIM_EINVAL, "/sweep/slash: column 0: expected a name of printable characters, "
         "found 'a/b'");
    rc = table_err("/sweep/params", &err);
    said(rc, &err, SIM_EINVAL, "/sweep/params@units: expected 3 strings, found 1");
}
END_TEST

START_TEST(test_reader_table_too_many_cells)
{
    hid_t f = rw();
    declare_table(f, "/sweep/huge", "c0", 17, OUT_READ_MAX_RUNS);
    H5Fclose(f);
    sim_err err;
    int rc = table_err("/sweep/huge", &err);
    said(rc, &err, SIM_EINVAL, "/sweep/huge: 1000000 rows x 17 columns is more than the 16777216 "
         "numbers a table may hold");
}
END_TEST

/* ---- entity coordinates ---- */

START_TEST(test_reader_entity_coord_errors)
{
    hid_t f = rw();
    hsize_t d2[2] = { NT, NE };
    double m[NT * NE] = { 0 };
    put(f, "/runs/0000/series/g/grid", H5T_NATIVE_DOUBLE, 2, d2, m);
    hid_t t = str_t(4);
    hsize_t three = 3;
    put(f, "/runs/0000/series/g/three", t, 1, &three, "aaa\0bbb\0ccc");
    H5Tclose(t);
    H5Fclose(f);
    out_reader *r = open_ok();
    sim_err err;
    char **v = NULL;
    size_t n = 0;
    ck_assert_int_eq(out_reader_entity_coord(r, "g", "kind", &v, &n, &err), SIM_OK);
    ck_assert_uint_eq(n, NE);
    ck_assert_str_eq(v[1], "k2");
    out_strv_free(v, n);
    int rc = out_reader_entity_coord(r, "nope", "kind", &v, &n, &err);
    said(rc, &err, SIM_ENOENT, "no entities of nope");
    rc = out_reader_entity_coord(r, "g", "grid", &v, &n, &err);
    said(rc, &err, SIM_ENOENT, "no /runs/0000/series/g/grid");
    rc = out_reader_entity_coord(r, "g", "none", &v, &n, &err);
    said(rc, &err, SIM_ENOENT, "no /runs/0000/series/g/none");
    rc = out_reader_entity_coord(r, "g", "three", &v, &n, &err);
    said(rc, &err, SIM_EINVAL, "/runs/0000/series/g/three: expected 2 strings, found 3");
    out_reader_close(r);
}
END_TEST

/* ---- listing any file ---- */

START_TEST(test_reader_file_children)
{
    char **v = NULL;
    size_t n = 9;
    ck_assert_int_eq(out_file_children(path, "/arms", &v, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(out_file_children(path, "/time/hours", &v, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(out_file_children(path, "/runs", &v, &n), 0);
    ck_assert_uint_eq(n, NR);
    ck_assert_str_eq(v[1], "0001");
    out_strv_free(v, n);
    /* a name longer than a name may be */
    hid_t f = rw();
    char lon[300] = "/arms/";
    memset(lon + 6, 'n', sizeof lon - 7);
    lon[sizeof lon - 1] = '\0';
    put_group(f, lon);
    H5Fclose(f);
    ck_assert_int_eq(out_file_children(path, "/arms", &v, &n), -1);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(v);
    /* more than OUT_READ_MAX_GROUPS names */
    f = rw();
    drop(f, lon);
    for (unsigned i = 0; i <= OUT_READ_MAX_GROUPS; i++) {
        char p[32];
        snprintf(p, sizeof p, "/arms/a%03u", i);
        put_group(f, p);
    }
    H5Fclose(f);
    ck_assert_int_eq(out_file_children(path, "/arms", &v, &n), -1);
    ck_assert_uint_eq(n, 0);
}
END_TEST

START_TEST(test_reader_file_attr_string)
{
    char *s = out_file_attr_string(path, "/", "scenario_name");
    ck_assert_str_eq(s, "reader-test");
    free(s);
    ck_assert_ptr_null(out_file_attr_string(path, "/", "replications"));
    hid_t f = rw();
    char lon[OUT_READ_MAX_DESC + 2];
    memset(lon, 'd', sizeof lon - 1);
    lon[sizeof lon - 1] = '\0';
    hid_t t = str_t(sizeof lon);
    put_attr(f, "/", "long", t, 0, lon);
    H5Tclose(t);
    H5Fclose(f);
    ck_assert_ptr_null(out_file_attr_string(path, "/", "long"));
    snprintf(path, sizeof path, "%s/none.h5", dir);
    ck_assert_ptr_null(out_file_attr_string(path, "/", "scenario_name"));
}
END_TEST

/* ---- verification ---- */

START_TEST(test_reader_verify_differences)
{
    sim_err err;
    unsigned all = OUT_VERIFY_RUNS | OUT_VERIFY_STATS | OUT_VERIFY_DIFFERENCES;
    ck_assert_int_eq(out_reader_verify(path, all, &err), SIM_OK);
    hid_t f = rw();
    hsize_t n = 2;
    double v[2] = { 0, 1 };
    put(f, "/compare/differences", H5T_NATIVE_DOUBLE, 1, &n, v);
    H5Fclose(f);
    int rc = out_reader_verify_isolated(path, all, &err);
    said(rc, &err, SIM_EINVAL, "/compare/differences: expected a table (compound type)");
    ck_assert_int_eq(out_reader_verify(path, OUT_VERIFY_RUNS, &err), SIM_OK);
}
END_TEST

/* A message "FILE: obj: " followed by HDF5's own words. */
static void said_h5(int rc, const sim_err *err, const char *obj)
{
    char want[700];
    snprintf(want, sizeof want, "%s: %s: ", path, obj);
    ck_assert_msg(!strncmp(err->msg, want, strlen(want)), "%s", err->msg);
    ck_assert_msg(strlen(err->msg) > strlen(want), "%s", err->msg);
    ck_assert_int_eq(rc, SIM_EINVAL);
}

static void open_fails_h5(const char *obj)
{
    sim_err err;
    ck_assert_ptr_null(out_reader_open(path, &err));
    said_h5(err.code, &err, obj);
}

/* Links are not followed wherever they stand: the reader's whole layout. */
START_TEST(test_reader_soft_links_everywhere)
{
    static const char *const where[] = { "/runs/0000/series", "/scalars", "/summary" };
    for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
        write_good(path);
        hid_t f = rw();
        char moved[64];
        snprintf(moved, sizeof moved, "/moved%zu", i);
        ck_assert_int_ge(H5Lmove(f, where[i], f, moved, H5P_DEFAULT, H5P_DEFAULT), 0);
        ck_assert_int_ge(H5Lcreate_soft(moved, f, where[i], H5P_DEFAULT, H5P_DEFAULT), 0);
        H5Fclose(f);
        char want[300];
        snprintf(want, sizeof want, "%s: expected an object of this file, found a soft link "
                 "(not followed)", where[i]);
        open_fails(SIM_EINVAL, want);
    }
    /* a table */
    write_good(path);
    hid_t f = rw();
    ck_assert_int_ge(H5Lcreate_soft("/sweep/params", f, "/sweep/alias", H5P_DEFAULT,
                                    H5P_DEFAULT), 0);
    H5Fclose(f);
    sim_err err;
    int rc = table_err("/sweep/alias", &err);
    said(rc, &err, SIM_EINVAL, "/sweep/alias: expected an object of this file, found a soft "
         "link (not followed)");
    /* in a group the reader lists (a coordinate beside the series) */
    f = rw();
    drop(f, "/runs/0000/series/g/kind");
    ck_assert_int_ge(H5Lcreate_soft("/runs/0001/series/g/kind", f, "/runs/0000/series/g/kind",
                                    H5P_DEFAULT, H5P_DEFAULT), 0);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g/kind: expected an object of this file, found a "
               "soft or external link (not followed)");
}
END_TEST

/* A group where a dataset belongs, and the reverse. */
START_TEST(test_reader_groups_and_datasets)
{
    hid_t f = rw();
    put_group(f, "/scalars");
    H5Fclose(f);
    open_fails_h5("/scalars");
    write_good(path);
    f = rw();
    put_group(f, "/summary");
    H5Fclose(f);
    open_fails_h5("/summary");
    write_good(path);
    f = rw();
    hsize_t one = 1;
    double x = 0;
    put(f, "/runs", H5T_NATIVE_DOUBLE, 1, &one, &x);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs: expected a group");
    write_good(path);
    f = rw();
    put(f, "/runs/0000/series/g", H5T_NATIVE_DOUBLE, 1, &one, &x);
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series/g: expected a group");
    /* reads of a group */
    write_good(path);
    f = rw();
    put_group(f, "/runs/0000/series/g/sub");
    H5Fclose(f);
    out_reader *r = open_ok();
    sim_err err;
    double *m = NULL, buf[NE];
    size_t rows, cols;
    int rc = out_reader_series_read(r, 0, "g", "sub", &m, &rows, &cols, &err);
    said_h5(rc, &err, "/runs/0000/series/g/sub");
    rc = out_reader_series_read_rows(r, 0, "g", "sub", 0, 1, buf, &err);
    said_h5(rc, &err, "/runs/0000/series/g/sub");
    out_table *t = NULL;
    rc = out_reader_table_read(r, "/sweep", &t, &err);
    said_h5(rc, &err, "/sweep");
    out_reader_close(r);
}
END_TEST

START_TEST(test_reader_summary_field_numbers)
{
    typedef struct { char name[8], unit[8], mean[8]; double v[5]; } srow;
    hid_t s8 = str_t(8);
    hid_t t = H5Tcreate(H5T_COMPOUND, sizeof(srow));
    H5Tinsert(t, "name", HOFFSET(srow, name), s8);
    H5Tinsert(t, "unit", HOFFSET(srow, unit), s8);
    H5Tinsert(t, "mean", HOFFSET(srow, mean), s8);
    static const char *const fn[5] = { "sd", "ci95_lo", "ci95_hi", "n", "n_missing" };
    for (int k = 0; k < 5; k++)
        H5Tinsert(t, fn[k], HOFFSET(srow, v) + (size_t)k * sizeof(double), H5T_NATIVE_DOUBLE);
    srow row[1] = { { "alpha", "CNY", "high", { 1, 0, 2, 2, 0 } } };
    hsize_t n = 1;
    hid_t f = rw();
    put(f, "/summary", t, 1, &n, row);
    H5Fclose(f);
    H5Tclose(t);
    H5Tclose(s8);
    open_fails(SIM_EINVAL, "/summary: field 'mean': expected numbers");
}
END_TEST

/* more series than a file may hold: two groups of 2049 */
START_TEST(test_reader_series_too_many)
{
    hid_t f = rw();
    hsize_t d[2] = { NT, NE };
    double m[NT * NE] = { 0 };
    hid_t t = str_t(2);
    hsize_t ne = NE;
    put(f, "/entities/h", t, 1, &ne, "a\0b");
    H5Tclose(t);
    for (unsigned k = 0; k < 2; k++)
        for (unsigned i = 0; i < OUT_READ_MAX_SERIES / 2 + 1; i++) {
            char p[64];
            snprintf(p, sizeof p, "/runs/0000/series/%s/s%04u", k ? "h" : "g", i);
            put(f, p, H5T_NATIVE_DOUBLE, 2, d, m);
        }
    H5Fclose(f);
    open_fails(SIM_EINVAL, "/runs/0000/series: expected at most 4096 series");
}
END_TEST

START_TEST(test_reader_file_children_long_path)
{
    char lon[1300];
    memset(lon, 'a', sizeof lon - 1);
    lon[0] = '/';
    lon[sizeof lon - 1] = '\0';
    char **v = NULL;
    size_t n = 9;
    ck_assert_int_eq(out_file_children(path, lon, &v, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(out_file_attr_string(path, lon, "x"));
}
END_TEST

/* With no descriptor left for the pipe to the checking child, the file is
 * checked in this process: the same answers. */
START_TEST(test_reader_verify_without_pipe)
{
    struct rlimit rl, was;
    ck_assert_int_eq(getrlimit(RLIMIT_NOFILE, &was), 0);
    rl = was;
    rl.rlim_cur = 64;
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
    int first = -1, last = -1, fd;
    while ((fd = open("/dev/null", O_RDONLY)) >= 0) {
        if (first < 0)
            first = fd;
        last = fd;
    }
    ck_assert_int_ge(last, 0);
    close(last);            /* one descriptor free: for the file, not for a pipe */
    int pf[2];
    ck_assert_int_eq(pipe(pf), -1);
    sim_err err;
    ck_assert_int_eq(out_reader_verify_isolated(path, OUT_VERIFY_RUNS, &err), SIM_OK);
    static const hsize_t n = NT;
    static const double h[NT] = { 0, 48, 24, 72 };
    put_doubles("/time/hours", 1, &n, h);
    int rc = out_reader_verify_isolated(path, OUT_VERIFY_RUNS, &err);
    said(rc, &err, SIM_EINVAL, "/time/hours: expected finite hours in increasing order, found 24 "
         "at sample 2");
    for (fd = first; fd < last; fd++)
        close(fd);
    ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &was), 0);
}
END_TEST

static Suite *reader_suite(void)
{
    Suite *s = suite_create("reader");
    TCase *tg = tcase_create("good");
    tcase_add_checked_fixture(tg, setup, teardown);
    tcase_add_test(tg, test_reader_good_file);
    tcase_add_test(tg, test_reader_open_not_a_file);
    tcase_add_test(tg, test_reader_open_group_errors);
    tcase_add_test(tg, test_reader_arm_group);
    tcase_add_test(tg, test_reader_attr_kinds);
    tcase_add_test(tg, test_reader_attr_too_many);
    tcase_add_test(tg, test_reader_attr_string_too_long);
    tcase_add_test(tg, test_reader_time_numbers);
    tcase_add_test(tg, test_reader_time_date_vlen);
    tcase_add_test(tg, test_reader_entities_not_group);
    tcase_add_test(tg, test_reader_entities_bad_name);
    tcase_add_test(tg, test_reader_entities_too_many_groups);
    tcase_add_test(tg, test_reader_entities_a_group);
    tcase_add_test(tg, test_reader_series_too_many_cells);
    tcase_add_test(tg, test_reader_series_group_name);
    tcase_add_test(tg, test_reader_series_neighbours);
    tcase_add_test(tg, test_reader_series_old_attrs);
    tcase_add_test(tg, test_reader_series_units_wrong);
    tcase_add_test(tg, test_reader_stats_only);
    tcase_add_test(tg, test_reader_rows);
    tcase_add_test(tg, test_reader_scalars_columns);
    tcase_add_test(tg, test_reader_scalars_shape);
    tcase_add_test(tg, test_reader_scalars_too_many_cells);
    tcase_add_test(tg, test_reader_scalars_descriptions);
    tcase_add_test(tg, test_reader_summary_without_scalars);
    tcase_add_test(tg, test_reader_table_errors);
    tcase_add_test(tg, test_reader_table_too_many_cells);
    tcase_add_test(tg, test_reader_entity_coord_errors);
    tcase_add_test(tg, test_reader_file_children);
    tcase_add_test(tg, test_reader_file_attr_string);
    tcase_add_test(tg, test_reader_verify_differences);
    tcase_add_test(tg, test_reader_soft_links_everywhere);
    tcase_add_test(tg, test_reader_groups_and_datasets);
    tcase_add_test(tg, test_reader_summary_field_numbers);
    tcase_add_test(tg, test_reader_series_too_many);
    tcase_add_test(tg, test_reader_file_children_long_path);
    tcase_add_test(tg, test_reader_verify_without_pipe);
    suite_add_tcase(s, tg);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(reader_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
