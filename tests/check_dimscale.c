/* tests/check_dimscale.c - output/dimscale.c against HDF5's own
 * H5DSattach_scale: the same attachments made both ways, in two files,
 * leave the same DIMENSION_LIST and REFERENCE_LIST (names, dimensions,
 * order of records, attribute types); H5DS's readers see every
 * attachment; records queue after those a scale has already, and two hard
 * links to one scale share its list; bad calls queue nothing. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>
#include <hdf5_hl.h>

#include "output/dimscale.h"

static char path_a[256], path_b[256];

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(path_a, sizeof path_a, "%s/check_dimscale.%ld.a.h5", t && *t ? t : "/tmp",
             (long)getpid());
    snprintf(path_b, sizeof path_b, "%s/check_dimscale.%ld.b.h5", t && *t ? t : "/tmp",
             (long)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void teardown(void)
{
    unlink(path_a);
    unlink(path_b);
}

static hid_t dset(hid_t loc, const char *name, int rank, hsize_t n0, hsize_t n1)
{
    hsize_t dims[2] = { n0, n1 };
    hid_t sp = H5Screate_simple(rank, dims, NULL);
    hid_t d = H5Dcreate2(loc, name, H5T_NATIVE_DOUBLE, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_msg(d >= 0, "%s", name);
    H5Sclose(sp);
    return d;
}

static hid_t scale(hid_t loc, const char *name, hsize_t n)
{
    hid_t d = dset(loc, name, 1, n, 0);
    ck_assert(H5DSset_scale(d, name) >= 0);
    return d;
}

/* The file both ways: group g with scales time (4) and ent (3); kind
 * (3) attached to ent; series a, b, c (4 x 3) attached to time and ent;
 * group h with hard links to g's scales and a series s attached through
 * them. queued: out_ds_attach (kind through H5DS first: records queue
 * after it); else H5DSattach_scale throughout. */
static void build(const char *path, int queued)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(f >= 0);
    hid_t g = H5Gcreate2(f, "g", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = scale(g, "time", 4), e = scale(g, "ent", 3);
    hid_t k = dset(g, "kind", 1, 3, 0);
    ck_assert(H5DSattach_scale(k, e, 0) >= 0);
    out_ds_queue *q = out_ds_queue_new();
    ck_assert_ptr_nonnull(q);
    const char *names[3] = { "a", "b", "c" };
    const char *sc[2] = { "time", "ent" };
    for (int i = 0; i < 3; i++) {
        hid_t d = dset(g, names[i], 2, 4, 3);
        if (queued)
            ck_assert_int_eq(out_ds_attach(q, d, g, sc, 2), 0);
        else
            ck_assert(H5DSattach_scale(d, t, 0) >= 0 && H5DSattach_scale(d, e, 1) >= 0);
        H5Dclose(d);
    }
    hid_t h = H5Gcreate2(f, "h", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(H5Lcreate_hard(g, "time", h, "time", H5P_DEFAULT, H5P_DEFAULT) >= 0);
    ck_assert(H5Lcreate_hard(g, "ent", h, "ent", H5P_DEFAULT, H5P_DEFAULT) >= 0);
    hid_t s = dset(h, "s", 2, 4, 3);
    if (queued) {
        ck_assert_int_eq(out_ds_attach(q, s, h, sc, 2), 0);
        ck_assert_uint_eq(out_ds_pending(q), 8);
        ck_assert_int_eq(out_ds_flush(q, f), 0);
        ck_assert_uint_eq(out_ds_pending(q), 0);
        ck_assert_int_eq(out_ds_flush(q, f), 0);    /* nothing left: writes nothing */
    } else {
        hid_t ht = H5Dopen2(h, "time", H5P_DEFAULT), he = H5Dopen2(h, "ent", H5P_DEFAULT);
        ck_assert(H5DSattach_scale(s, ht, 0) >= 0 && H5DSattach_scale(s, he, 1) >= 0);
        H5Dclose(ht);
        H5Dclose(he);
    }
    out_ds_queue_free(q);
    H5Dclose(s);
    H5Dclose(k);
    H5Dclose(e);
    H5Dclose(t);
    H5Gclose(h);
    H5Gclose(g);
    ck_assert(H5Fclose(f) >= 0);
}

/* Appends to buf the name of the object ref points to in f. */
static void ref_name(hid_t f, hobj_ref_t *ref, char *buf, size_t size)
{
    char name[256];
    ck_assert(H5Rget_name(f, H5R_OBJECT, ref, name, sizeof name) > 0);
    strncat(buf, name, size - strlen(buf) - 1);
}

/* "name: DIMENSION_LIST [..] [..]; REFERENCE_LIST (name dim) ..." of one
 * dataset, read with the file's own attribute types. */
static void describe(hid_t f, const char *path, char *buf, size_t size)
{
    snprintf(buf, size, "%s:", path);
    hid_t o = H5Oopen(f, path, H5P_DEFAULT);
    ck_assert(o >= 0);
    if (H5Aexists(o, "DIMENSION_LIST") > 0) {
        hid_t a = H5Aopen(o, "DIMENSION_LIST", H5P_DEFAULT), sp = H5Aget_space(a);
        hid_t ft = H5Aget_type(a), vt = H5Tvlen_create(H5T_STD_REF_OBJ);
        ck_assert(H5Tequal(ft, vt) > 0);
        hssize_t n = H5Sget_simple_extent_npoints(sp);
        hvl_t v[8];
        ck_assert(n > 0 && n <= 8 && H5Aread(a, vt, v) >= 0);
        strncat(buf, " DIMENSION_LIST", size - strlen(buf) - 1);
        for (hssize_t i = 0; i < n; i++) {
            strncat(buf, " [", size - strlen(buf) - 1);
            for (size_t j = 0; j < v[i].len; j++)
                ref_name(f, (hobj_ref_t *)v[i].p + j, buf, size);
            strncat(buf, "]", size - strlen(buf) - 1);
        }
        H5Dvlen_reclaim(vt, sp, H5P_DEFAULT, v);
        H5Tclose(vt);
        H5Tclose(ft);
        H5Sclose(sp);
        H5Aclose(a);
    }
    if (H5Aexists(o, "REFERENCE_LIST") > 0) {
        hid_t a = H5Aopen(o, "REFERENCE_LIST", H5P_DEFAULT), sp = H5Aget_space(a);
        hid_t ft = H5Aget_type(a);
        struct { hobj_ref_t ref; int dim; } r[16];
        hid_t mt = H5Tcreate(H5T_COMPOUND, sizeof r[0]);
        H5Tinsert(mt, "dataset", 0, H5T_STD_REF_OBJ);
        H5Tinsert(mt, "dimension", sizeof(hobj_ref_t), H5T_NATIVE_INT);
        ck_assert_int_eq(H5Tget_nmembers(ft), 2);
        ck_assert_uint_eq(H5Tget_size(ft), sizeof r[0]);
        hssize_t n = H5Sget_simple_extent_npoints(sp);
        ck_assert(n > 0 && n <= 16 && H5Aread(a, mt, r) >= 0);
        strncat(buf, " REFERENCE_LIST", size - strlen(buf) - 1);
        for (hssize_t i = 0; i < n; i++) {
            char d[16];
            strncat(buf, " (", size - strlen(buf) - 1);
            ref_name(f, &r[i].ref, buf, size);
            snprintf(d, sizeof d, " %d)", r[i].dim);
            strncat(buf, d, size - strlen(buf) - 1);
        }
        H5Tclose(mt);
        H5Tclose(ft);
        H5Sclose(sp);
        H5Aclose(a);
    }
    H5Oclose(o);
}

START_TEST(test_dimscale_same_as_h5ds)
{
    build(path_a, 0);
    build(path_b, 1);
    hid_t fa = H5Fopen(path_a, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t fb = H5Fopen(path_b, H5F_ACC_RDONLY, H5P_DEFAULT);
    ck_assert(fa >= 0 && fb >= 0);
    static const char *const objs[] = { "/g/time", "/g/ent", "/g/kind", "/g/a", "/g/b", "/g/c",
                                        "/h/s" };
    for (size_t i = 0; i < sizeof objs / sizeof *objs; i++) {
        char da[2048], db[2048];
        describe(fa, objs[i], da, sizeof da);
        describe(fb, objs[i], db, sizeof db);
        ck_assert_str_eq(db, da);
    }
    /* the known answer, spelled out once */
    char d[2048];
    describe(fb, "/g/ent", d, sizeof d);
    ck_assert_str_eq(d, "/g/ent: REFERENCE_LIST (/g/kind 0) (/g/a 1) (/g/b 1) (/g/c 1) (/h/s 1)");
    describe(fb, "/h/s", d, sizeof d);
    ck_assert_str_eq(d, "/h/s: DIMENSION_LIST [/g/time] [/g/ent]");
    /* H5DS's own readers see each attachment */
    hid_t t = H5Dopen2(fb, "/g/time", H5P_DEFAULT), e = H5Dopen2(fb, "/h/ent", H5P_DEFAULT);
    static const char *const series[] = { "/g/a", "/g/b", "/g/c", "/h/s" };
    for (int i = 0; i < 4; i++) {
        hid_t s = H5Dopen2(fb, series[i], H5P_DEFAULT);
        ck_assert_int_eq(H5DSget_num_scales(s, 0), 1);
        ck_assert_int_eq(H5DSget_num_scales(s, 1), 1);
        ck_assert_int_gt(H5DSis_attached(s, t, 0), 0);
        ck_assert_int_gt(H5DSis_attached(s, e, 1), 0);
        ck_assert_int_eq(H5DSis_attached(s, t, 1), 0);
        H5Dclose(s);
    }
    H5Dclose(t);
    H5Dclose(e);
    H5Fclose(fa);
    H5Fclose(fb);
}
END_TEST

START_TEST(test_dimscale_bad_calls_queue_nothing)
{
    hid_t f = H5Fcreate(path_a, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t t = scale(f, "time", 4), e = scale(f, "ent", 3);
    hid_t d = dset(f, "x", 2, 4, 3), v = dset(f, "v", 1, 4, 0);
    out_ds_queue *q = out_ds_queue_new();
    const char *sc[2] = { "time", "ent" }, *missing[2] = { "time", "nowhere" };
    ck_assert_int_eq(out_ds_attach(q, v, f, sc, 2), -1);       /* rank 1, two scales */
    ck_assert_int_eq(out_ds_attach(q, d, f, missing, 2), -1);  /* no such scale */
    ck_assert_int_eq(out_ds_attach(q, d, f, sc, 0), -1);
    ck_assert_uint_eq(out_ds_pending(q), 0);
    ck_assert_int_eq(H5Aexists(d, "DIMENSION_LIST"), 0);
    ck_assert_int_eq(out_ds_attach(q, d, f, sc, 2), 0);
    ck_assert_int_eq(out_ds_attach(q, d, f, sc, 2), -1);       /* attached already */
    ck_assert_uint_eq(out_ds_pending(q), 2);
    out_ds_queue_free(q);                                      /* dropped, not written */
    ck_assert_int_eq(H5Aexists(t, "REFERENCE_LIST"), 0);
    out_ds_queue_free(NULL);
    H5Dclose(v);
    H5Dclose(d);
    H5Dclose(e);
    H5Dclose(t);
    H5Fclose(f);
}
END_TEST

static Suite *dimscale_suite(void)
{
    Suite *s = suite_create("dimscale");
    TCase *tc = tcase_create("h5ds");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dimscale_same_as_h5ds);
    tcase_add_test(tc, test_dimscale_bad_calls_queue_nothing);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(dimscale_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
