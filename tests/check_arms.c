/* tests/check_arms.c - a comparison file: two ordinary files copied whole
 * under /arms/<arm> (out_tree_copy) and read back as ordinary files
 * (out_reader_open_group), the list of arms (out_file_children), a root
 * attribute (out_file_attr_string), and the errors: an existing group, a
 * missing arm, the root of a comparison file, an arm that is a soft or
 * external link (not followed, as the reader follows none), and the
 * dimension scales of a copied series (they point into the same arm). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "output/reader.h"
#include "output/writer.h"

static char dir[256], pa[300], pb[300], pc[300];

/* An ordinary file: 3 samples, entities "e" = {x, y}, series e/v of run 0
 * (v = base + row * 10 + column), one scalar s = base. */
static void write_plain(const char *path, double base)
{
    sim_err err;
    out_writer *w = out_writer_open(path, &err);
    ck_assert_ptr_nonnull(w);
    const double hours[3] = { 0, 24, 48 };
    const char *const iso[3] = { "2025-01-01", "2025-01-02", "2025-01-03" };
    const char *const ents[2] = { "x", "y" };
    ck_assert_int_eq(out_attr_string(w, "scenario_name", base > 0 ? "policy" : "base", &err), 0);
    ck_assert_int_eq(out_time_write(w, 3, hours, iso, &err), 0);
    ck_assert_int_eq(out_entities_write(w, "e", 2, ents, &err), 0);
    out_series *s = out_series_open(w, 0, "e", "v", "CNY", "test", 2, &err);
    ck_assert_ptr_nonnull(s);
    for (int i = 0; i < 3; i++) {
        double row[2] = { base + 10 * i, base + 10 * i + 1 };
        ck_assert_int_eq(out_series_append(s, row, &err), 0);
    }
    ck_assert_int_eq(out_series_close(s, &err), 0);
    const char *const names[1] = { "s" }, *const units[1] = { "CNY" }, *const descs[1] = { "" };
    ck_assert_int_eq(out_scalars_write(w, 1, 1, names, units, descs, &base, &err), 0);
    ck_assert_int_eq(out_series_stats_write(w, 1, &err), 0);
    ck_assert_int_eq(out_writer_close(w, 1, &err), 0);
}

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/check_arms.XXXXXX", t && *t ? t : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(pa, sizeof pa, "%s/a.h5", dir);
    snprintf(pb, sizeof pb, "%s/b.h5", dir);
    snprintf(pc, sizeof pc, "%s/c.h5", dir);
    write_plain(pa, 0);
    write_plain(pb, 1000);
    sim_err err;
    out_writer *w = out_writer_open(pc, &err);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(out_attr_string(w, "arms", "base policy", &err), 0);
    ck_assert_int_eq(out_tree_copy(w, "/arms/base", pa, &err), 0);
    ck_assert_int_eq(out_tree_copy(w, "/arms/policy", pb, &err), 0);
    ck_assert_int_eq(out_writer_close(w, 1, &err), 0);
}

static void teardown(void)
{
    unlink(pa);
    unlink(pb);
    unlink(pc);
    rmdir(dir);
}

START_TEST(test_arms_read_as_files)
{
    sim_err err;
    for (int k = 0; k < 2; k++) {
        out_reader *r = out_reader_open_group(pc, k ? "/arms/policy" : "/arms/base", &err);
        ck_assert_ptr_nonnull(r);
        double base = k ? 1000 : 0;
        ck_assert_uint_eq(out_reader_time_count(r), 3);
        ck_assert_str_eq(out_reader_time_date(r, 2), "2025-01-03");
        ck_assert_str_eq(out_reader_attr_find(r, "scenario_name")->s, k ? "policy" : "base");
        ck_assert_uint_eq(out_reader_scalar_rows(r), 1);
        ck_assert_double_eq(out_reader_scalar_values(r)[0], base);
        ck_assert_uint_eq(out_reader_run_count(r), 1);
        double *d = NULL;
        size_t rows, cols;
        ck_assert_int_eq(out_reader_series_read(r, 0, "e", "v", &d, &rows, &cols, &err), 0);
        ck_assert_uint_eq(rows, 3);
        ck_assert_uint_eq(cols, 2);
        ck_assert_double_eq(d[2 * 2 + 1], base + 21);
        free(d);
        ck_assert(out_reader_has_stats(r, "e", "v"));
        ck_assert_int_eq(out_reader_stats_read(r, "e", "v", OUT_STAT_MEAN, &d, &rows, &cols,
                                               &err), 0);
        ck_assert_double_eq(d[1], base + 1);
        free(d);
        out_reader_close(r);
    }
}
END_TEST

START_TEST(test_arms_listed)
{
    char **v = NULL;
    size_t n = 0;
    ck_assert_int_eq(out_file_children(pc, "/arms", &v, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(v[0], "base");
    ck_assert_str_eq(v[1], "policy");
    out_strv_free(v, n);
    ck_assert_int_eq(out_file_children(pa, "/arms", &v, &n), 0);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(out_file_children("/nonexistent/x.h5", "/arms", &v, &n), 0);
    ck_assert_uint_eq(n, 0);
    char *a = out_file_attr_string(pc, "/", "arms");
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a, "base policy");
    free(a);
    ck_assert_ptr_null(out_file_attr_string(pc, "/", "nope"));
    ck_assert_ptr_null(out_file_attr_string(pc, "/nope", "arms"));
}
END_TEST

/* H5DSiterate_scales: 1 when the scale lies under /arms/policy. */
static herr_t scale_in_arm(hid_t d, unsigned dim, hid_t scale, void *data)
{
    (void)d, (void)dim, (void)data;
    char name[200];
    if (H5Iget_name(scale, name, sizeof name) <= 0)
        return -1;
    return strncmp(name, "/arms/policy/", 13) == 0 ? 1 : -1;
}

START_TEST(test_arms_links_refused)
{
    hid_t f = H5Fopen(pc, H5F_ACC_RDWR, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    ck_assert_int_ge(H5Lcreate_soft("/arms/base", f, "/arms/soft", H5P_DEFAULT, H5P_DEFAULT), 0);
    ck_assert_int_ge(H5Lcreate_external(pa, "/", f, "/arms/ext", H5P_DEFAULT, H5P_DEFAULT), 0);
    ck_assert_int_ge(H5Fclose(f), 0);
    const char *const arms[2] = { "/arms/soft", "/arms/ext" };
    for (int k = 0; k < 2; k++) {
        sim_err err;
        sim_err_clear(&err);
        ck_assert_ptr_null(out_reader_open_group(pc, arms[k], &err));
        ck_assert_int_eq(err.code, SIM_EINVAL);
        ck_assert_ptr_nonnull(strstr(err.msg, "not followed"));
        sim_err_clear(&err);
        ck_assert_int_eq(out_reader_verify_isolated_group(pc, arms[k], OUT_VERIFY_RUNS, &err),
                         SIM_EINVAL);
    }
    sim_err err;
    ck_assert_int_eq(out_reader_verify_isolated_group(pc, "/arms/base",
                                                      OUT_VERIFY_RUNS | OUT_VERIFY_STATS, &err),
                     SIM_OK);
}
END_TEST

START_TEST(test_arms_scales)
{
    hid_t f = H5Fopen(pc, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert_int_ge(f, 0);
    hid_t d = H5Dopen2(f, "/arms/policy/runs/0000/series/e/v", H5P_DEFAULT);
    ck_assert_int_ge(d, 0);
    for (unsigned k = 0; k < 2; k++) {
        ck_assert_int_eq(H5DSget_num_scales(d, k), 1);
        ck_assert_int_ge(H5DSiterate_scales(d, k, NULL, scale_in_arm, NULL), 1);
    }
    H5Dclose(d);
    H5Fclose(f);
}
END_TEST

START_TEST(test_arms_errors)
{
    sim_err err;
    sim_err_clear(&err);
    ck_assert_ptr_null(out_reader_open(pc, &err));          /* the root is no run file */
    ck_assert_int_eq(err.code, SIM_ENOENT);
    sim_err_clear(&err);
    ck_assert_ptr_null(out_reader_open_group(pc, "/arms/nope", &err));
    ck_assert_int_eq(err.code, SIM_ENOENT);
    ck_assert_ptr_nonnull(strstr(err.msg, "no group /arms/nope"));
    char pd[320];
    snprintf(pd, sizeof pd, "%s/d.h5", dir);
    out_writer *w = out_writer_open(pd, &err);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_eq(out_tree_copy(w, "/arms/base", pa, &err), 0);
    ck_assert_int_eq(out_tree_copy(w, "/arms/base", pb, &err), SIM_EINVAL);   /* exists */
    ck_assert_int_eq(out_writer_close(w, 1, &err), SIM_EIO);   /* a failed writer commits nothing */
    ck_assert_int_ne(access(pd, F_OK), 0);
    w = out_writer_open(pd, &err);
    ck_assert_ptr_nonnull(w);
    ck_assert_int_ne(out_tree_copy(w, "/arms/x", "/nonexistent/x.h5", &err), 0);
    out_writer_close(w, 0, NULL);
    ck_assert_int_ne(access(pd, F_OK), 0);
}
END_TEST

static Suite *arms_suite(void)
{
    Suite *s = suite_create("arms");
    TCase *tc = tcase_create("comparison file");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_arms_read_as_files);
    tcase_add_test(tc, test_arms_listed);
    tcase_add_test(tc, test_arms_errors);
    tcase_add_test(tc, test_arms_links_refused);
    tcase_add_test(tc, test_arms_scales);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(arms_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
