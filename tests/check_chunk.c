/* tests/check_chunk.c - output/chunk.c against HDF5's own filters: the
 * chunk bytes HDF5's shuffle + deflate pipeline stores (H5Dwrite, then
 * H5Dread_chunk) equal out_chunk_encode's, for full and partial chunks;
 * chunks written with H5Dwrite_chunk read back through the pipeline; and
 * decode inverts encode. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hdf5.h>

#include "output/chunk.h"

enum { ROWS = 64, COLS = 7, N = ROWS * COLS };

/* Test data of kind k: 0 smooth cumulative counts with NaNs, 1 random
 * bits (incompressible), 2 all NaN. Seeded, so every run sees the same. */
static void fill(double *v, size_t n, int kind)
{
    uint64_t x = 0x9e3779b97f4a7c15ULL;     /* xorshift64 seed */
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        if (kind == 0)
            v[i] = (i % 11 == 3) ? NAN : (double)(i / COLS) * 1.5 + (double)(x % 1000) / 8.0;
        else if (kind == 1)
            memcpy(&v[i], &x, sizeof x);
        else
            v[i] = NAN;
        if (kind == 1 && isnan(v[i]))
            v[i] = 1.0;                     /* keep the bits comparable */
    }
}

static char path[256];

static void setup(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(path, sizeof path, "%s/check_chunk.%ld.h5", t && *t ? t : "/tmp", (long)getpid());
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
}

static void teardown(void)
{
    unlink(path);
}

/* A dataset rows x COLS (growable), one chunk ROWS x COLS, shuffle +
 * deflate at level, NaN fill: as output/writer.c creates series. */
static hid_t make_dset(hid_t f, const char *name, hsize_t rows, int level)
{
    hsize_t dims[2] = { rows, COLS }, maxd[2] = { H5S_UNLIMITED, COLS }, ch[2] = { ROWS, COLS };
    double nan = NAN;
    hid_t sp = H5Screate_simple(2, dims, maxd), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    ck_assert(H5Pset_chunk(dcpl, 2, ch) >= 0);
    ck_assert(H5Pset_shuffle(dcpl) >= 0);
    ck_assert(H5Pset_deflate(dcpl, (unsigned)level) >= 0);
    ck_assert(H5Pset_fill_value(dcpl, H5T_NATIVE_DOUBLE, &nan) >= 0);
    hid_t d = H5Dcreate2(f, name, H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    ck_assert(d >= 0);
    H5Sclose(sp);
    H5Pclose(dcpl);
    return d;
}

/* HDF5's bytes for the first `rows` rows of v, through its pipeline,
 * against ours for v padded with NaN to a whole chunk. */
static void compare_with_hdf5(int kind, int level, size_t rows)
{
    double v[N];
    fill(v, N, kind);
    for (size_t i = rows * COLS; i < N; i++)
        v[i] = NAN;
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert(f >= 0);
    hid_t d = make_dset(f, "x", rows, level);
    ck_assert(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    ck_assert(H5Dflush(d) >= 0);
    hsize_t off[2] = { 0, 0 };
    hsize_t stored = 0;
    ck_assert(H5Dget_chunk_storage_size(d, off, &stored) >= 0);
    unsigned char *theirs = malloc(stored);
    uint32_t mask = 99;
    ck_assert(H5Dread_chunk(d, H5P_DEFAULT, off, &mask, theirs) >= 0);
    ck_assert_uint_eq(mask, 0);                 /* every filter applied */

    size_t cap = out_chunk_bound(N), len = 0;
    unsigned char *ours = malloc(cap), scratch[N * 8];
    ck_assert_int_eq(out_chunk_encode(v, N, level, scratch, ours, cap, &len), 0);
    ck_assert_uint_eq(len, stored);
    ck_assert(memcmp(ours, theirs, len) == 0);
    free(ours);
    free(theirs);
    H5Dclose(d);
    H5Fclose(f);
}

START_TEST(test_chunk_encode_matches_hdf5_filters)
{
    static const int level[] = { 1, 4, 9 };
    for (int kind = 0; kind < 3; kind++)
        for (int l = 0; l < 3; l++)
            compare_with_hdf5(kind, level[l], ROWS);
}
END_TEST

START_TEST(test_chunk_partial_matches_hdf5_padding)
{
    /* The writer pads the last chunk with NaN, as HDF5 fills the rows
     * past the extent with the fill value. */
    compare_with_hdf5(0, 1, 10);
    compare_with_hdf5(1, 1, 1);
}
END_TEST

/* 3 x 7 = 21 doubles: not a multiple of the 8 shuffled at a time. */
START_TEST(test_chunk_odd_size_matches_hdf5)
{
    enum { R = 3, C = 7, M = R * C };
    double v[M];
    for (size_t i = 0; i < M; i++)
        v[i] = i % 5 == 2 ? NAN : (double)i * 1.25 - 3.0;
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = { R, C };
    hid_t sp = H5Screate_simple(2, dims, NULL), dcpl = H5Pcreate(H5P_DATASET_CREATE);
    ck_assert(H5Pset_chunk(dcpl, 2, dims) >= 0 && H5Pset_shuffle(dcpl) >= 0
              && H5Pset_deflate(dcpl, 1) >= 0);
    hid_t d = H5Dcreate2(f, "x", H5T_IEEE_F64LE, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    ck_assert(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0);
    ck_assert(H5Dflush(d) >= 0);
    hsize_t off[2] = { 0, 0 }, stored = 0;
    ck_assert(H5Dget_chunk_storage_size(d, off, &stored) >= 0);
    unsigned char theirs[1024], ours[1024], scratch[M * 8];
    uint32_t mask = 99;
    ck_assert(stored <= sizeof theirs);
    ck_assert(H5Dread_chunk(d, H5P_DEFAULT, off, &mask, theirs) >= 0);
    size_t len = 0;
    ck_assert(out_chunk_bound(M) <= sizeof ours);
    ck_assert_int_eq(out_chunk_encode(v, M, 1, scratch, ours, sizeof ours, &len), 0);
    ck_assert_uint_eq(len, stored);
    ck_assert(memcmp(ours, theirs, len) == 0);
    double back[M];
    ck_assert_int_eq(out_chunk_decode(ours, len, M, scratch, back), 0);
    ck_assert(memcmp(back, v, sizeof v) == 0);
    H5Dclose(d);
    H5Pclose(dcpl);
    H5Sclose(sp);
    H5Fclose(f);
}
END_TEST

START_TEST(test_chunk_direct_write_reads_back)
{
    double v[N];
    fill(v, N, 0);
    size_t cap = out_chunk_bound(N), len = 0;
    unsigned char *z = malloc(cap), scratch[N * 8];
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t d = make_dset(f, "x", 0, 1);
    /* Two chunks: a whole one, then 5 rows of the next (padded). */
    hsize_t dims[2] = { ROWS + 5, COLS }, off[2] = { 0, 0 };
    ck_assert(H5Dset_extent(d, dims) >= 0);
    ck_assert_int_eq(out_chunk_encode(v, N, 1, scratch, z, cap, &len), 0);
    ck_assert(H5Dwrite_chunk(d, H5P_DEFAULT, 0, off, len, z) >= 0);
    double tail[N];
    for (size_t i = 0; i < N; i++)
        tail[i] = i < 5 * COLS ? v[i] + 1000.0 : NAN;
    off[0] = ROWS;
    ck_assert_int_eq(out_chunk_encode(tail, N, 1, scratch, z, cap, &len), 0);
    ck_assert(H5Dwrite_chunk(d, H5P_DEFAULT, 0, off, len, z) >= 0);
    H5Dclose(d);
    H5Fclose(f);

    f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    d = H5Dopen2(f, "x", H5P_DEFAULT);
    hid_t sp = H5Dget_space(d);
    hsize_t got[2];
    H5Sget_simple_extent_dims(sp, got, NULL);
    ck_assert_uint_eq(got[0], ROWS + 5);
    double *all = malloc((ROWS + 5) * COLS * sizeof *all);
    ck_assert(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, all) >= 0);
    ck_assert(memcmp(all, v, sizeof v) == 0);
    ck_assert(memcmp(all + N, tail, 5 * COLS * sizeof(double)) == 0);
    free(all);
    free(z);
    H5Sclose(sp);
    H5Dclose(d);
    H5Fclose(f);
}
END_TEST

START_TEST(test_chunk_decode_inverts_encode)
{
    for (int kind = 0; kind < 3; kind++) {
        double v[N], back[N];
        fill(v, N, kind);
        size_t cap = out_chunk_bound(N), len = 0;
        unsigned char *z = malloc(cap), scratch[N * 8];
        ck_assert_int_eq(out_chunk_encode(v, N, 1, scratch, z, cap, &len), 0);
        ck_assert_int_eq(out_chunk_decode(z, len, N, scratch, back), 0);
        ck_assert(memcmp(v, back, sizeof v) == 0);      /* bits, NaNs included */
        /* the wrong size, and bytes that are no zlib stream, are errors */
        ck_assert_int_eq(out_chunk_decode(z, len, N - 1, scratch, back), -1);
        memset(z, 0xab, len);
        ck_assert_int_eq(out_chunk_decode(z, len, N, scratch, back), -1);
        free(z);
    }
}
END_TEST

static Suite *chunk_suite(void)
{
    Suite *s = suite_create("chunk");
    TCase *tc = tcase_create("hdf5");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_chunk_encode_matches_hdf5_filters);
    tcase_add_test(tc, test_chunk_partial_matches_hdf5_padding);
    tcase_add_test(tc, test_chunk_odd_size_matches_hdf5);
    tcase_add_test(tc, test_chunk_direct_write_reads_back);
    tcase_add_test(tc, test_chunk_decode_inverts_encode);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(chunk_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
