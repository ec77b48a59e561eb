/* tests/walkfix_e_fit.c - out_scalars_fit against what HDF5 really stores.
 *
 * HDF5 keeps /scalars' datatype (a member per scalar) in one object-header
 * message of at most 65,535 bytes; out_scalars_fit reckons its size. For
 * names of several lengths: the largest table that the formula puts
 * within 65,535 bytes is written, and its stored datatype has exactly the
 * reckoned size; one scalar more and out_scalars_write fails. The limit
 * the commands apply (OUT_SCALARS_MAX_BYTES) is below that, and `most`
 * is the largest count within it. Also: out_run_attr_int keeps a seed
 * above 2^53 exact.
 *
 *   tests/walkfix_e_fit attr FILE.h5 OBJECT NAME
 *
 * prints a numeric attribute instead, as "int64 N" or "float64 X" (%.17g),
 * for tests/walkfix_e_limits.sh: exit 0, or 2 when it cannot be read. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "output/writer.h"

#define HDF5_MESSAGE_MAX 65535u

/* n distinct names of len characters (len >= 5): "s0000", "s0001"...
 * padded with 'x'. Freed with names_free. */
static char **names_make(size_t n, size_t len)
{
    char **v = calloc(n ? n : 1, sizeof *v);
    ck_assert_ptr_nonnull(v);
    for (size_t i = 0; i < n; i++) {
        v[i] = malloc(len + 1);
        ck_assert_ptr_nonnull(v[i]);
        memset(v[i], 'x', len);
        v[i][len] = '\0';
        char num[16];
        int k = snprintf(num, sizeof num, "s%04zu", i);
        memcpy(v[i], num, (size_t)k < len ? (size_t)k : len);  /* the NUL stays */
    }
    return v;
}

static void names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static size_t bytes_of(size_t n, size_t len)
{
    char **v = names_make(n, len);
    size_t b = 0;
    out_scalars_fit(n, (const char *const *)v, &b, NULL);
    names_free(v, n);
    return b;
}

/* The largest n with bytes_of(n, len) <= limit (bisection). */
static size_t largest(size_t len, size_t limit)
{
    size_t lo = 1, hi = 20000;
    ck_assert_uint_le(bytes_of(lo, len), limit);
    ck_assert_uint_gt(bytes_of(hi, len), limit);
    while (hi - lo > 1) {
        size_t m = lo + (hi - lo) / 2;
        if (bytes_of(m, len) <= limit)
            lo = m;
        else
            hi = m;
    }
    return lo;
}

/* Writes a /scalars of n names of len characters to path; the writer's
 * status. */
static int write_table(const char *path, size_t n, size_t len)
{
    char **v = names_make(n, len);
    const char **units = malloc(n * sizeof *units);
    double *vals = calloc(n, sizeof *vals);
    ck_assert(units && vals);
    for (size_t i = 0; i < n; i++)
        units[i] = "1";
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    out_writer_no_sync(w);
    int rc = out_scalars_write(w, 1, n, (const char *const *)v, units, units, vals, &err);
    int rc2 = out_writer_close(w, rc == SIM_OK, &err);
    names_free(v, n);
    free(units);
    free(vals);
    return rc != SIM_OK ? rc : rc2;
}

/* The size of /scalars' datatype as stored: H5Tencode's, less its own
 * 2-byte header (a tag and a version). */
static size_t stored_bytes(const char *path)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = f >= 0 ? H5Dopen2(f, "/scalars", H5P_DEFAULT) : -1;
    hid_t t = d >= 0 ? H5Dget_type(d) : -1;
    size_t n = 0;
    ck_assert_int_ge(t, 0);
    ck_assert_int_ge(H5Tencode(t, NULL, &n), 0);
    H5Tclose(t);
    H5Dclose(d);
    H5Fclose(f);
    return n - 2;
}

static const size_t lens[] = { 5, 12, 40, 150 };

START_TEST(test_fit_matches_hdf5)
{
    size_t len = lens[_i];
    char dir[] = "/tmp/walkfix_e_fit.XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/t.h5", dir);
    /* the largest n within HDF5's message */
    size_t n = largest(len, HDF5_MESSAGE_MAX);
    ck_assert_int_eq(write_table(path, n, len), SIM_OK);
    ck_assert_uint_eq(stored_bytes(path), bytes_of(n, len));
    unlink(path);
    /* one more does not fit: the failure out_scalars_fit foresees */
    ck_assert_int_ne(write_table(path, n + 1, len), SIM_OK);
    ck_assert_int_ne(access(path, F_OK), 0);
    rmdir(dir);
}
END_TEST

START_TEST(test_fit_limit_and_most)
{
    size_t len = lens[_i];
    size_t n = largest(len, OUT_SCALARS_MAX_BYTES), most = 0, b;
    char **v = names_make(n + 1, len);
    ck_assert_int_eq(out_scalars_fit(n, (const char *const *)v, &b, &most), 1);
    ck_assert_uint_le(b, OUT_SCALARS_MAX_BYTES);
    ck_assert_uint_eq(most, n);
    ck_assert_int_eq(out_scalars_fit(n + 1, (const char *const *)v, &b, &most), 0);
    ck_assert_uint_gt(b, OUT_SCALARS_MAX_BYTES);
    ck_assert_uint_eq(most, n);
    names_free(v, n + 1);
    /* the margin is below what HDF5 takes */
    ck_assert_uint_lt(OUT_SCALARS_MAX_BYTES, HDF5_MESSAGE_MAX);
}
END_TEST

START_TEST(test_run_attr_int_exact)
{
    char dir[] = "/tmp/walkfix_e_fit.XXXXXX", path[64];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/s.h5", dir);
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    const int64_t seed = 9007199254740993LL;     /* 2^53 + 1: not a double */
    ck_assert_int_eq(out_run_attr_int(w, 0, "seed", seed, &err), SIM_OK);
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_OK);
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t a = f >= 0 ? H5Aopen_by_name(f, "/runs/0000", "seed", H5P_DEFAULT, H5P_DEFAULT) : -1;
    ck_assert_int_ge(a, 0);
    hid_t t = H5Aget_type(a);
    ck_assert_int_eq(H5Tget_class(t), H5T_INTEGER);
    ck_assert_uint_eq(H5Tget_size(t), 8);
    int64_t got = 0;
    ck_assert_int_ge(H5Aread(a, H5T_NATIVE_INT64, &got), 0);
    ck_assert(got == seed);
    H5Tclose(t);
    H5Aclose(a);
    H5Fclose(f);
    unlink(path);
    rmdir(dir);
}
END_TEST

static Suite *fit_suite(void)
{
    Suite *s = suite_create("walkfix_e_fit");
    TCase *tc = tcase_create("fit");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_fit_matches_hdf5, 0, (int)(sizeof lens / sizeof lens[0]));
    tcase_add_loop_test(tc, test_fit_limit_and_most, 0, (int)(sizeof lens / sizeof lens[0]));
    tcase_add_test(tc, test_run_attr_int_exact);
    suite_add_tcase(s, tc);
    return s;
}

/* The helper mode: one attribute, its class and value. */
static int print_attr(const char *path, const char *obj, const char *name)
{
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t a = f >= 0 ? H5Aopen_by_name(f, obj, name, H5P_DEFAULT, H5P_DEFAULT) : -1;
    hid_t t = a >= 0 ? H5Aget_type(a) : -1;
    int rc = 2;
    if (t >= 0 && H5Tget_class(t) == H5T_INTEGER) {
        long long v;
        if (H5Aread(a, H5T_NATIVE_LLONG, &v) >= 0 && printf("int%zu %lld\n", 8 * H5Tget_size(t), v) > 0)
            rc = 0;
    } else if (t >= 0 && H5Tget_class(t) == H5T_FLOAT) {
        double v;
        if (H5Aread(a, H5T_NATIVE_DOUBLE, &v) >= 0 && printf("float%zu %.17g\n", 8 * H5Tget_size(t), v) > 0)
            rc = 0;
    }
    if (rc)
        fprintf(stderr, "walkfix_e_fit: %s: cannot read %s@%s as a number\n", path, obj, name);
    if (t >= 0)
        H5Tclose(t);
    if (a >= 0)
        H5Aclose(a);
    if (f >= 0)
        H5Fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    if (argc == 5 && !strcmp(argv[1], "attr"))
        return print_attr(argv[2], argv[3], argv[4]);
    SRunner *sr = srunner_create(fit_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
