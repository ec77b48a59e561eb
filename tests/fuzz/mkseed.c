/* tests/fuzz/mkseed.c - writes a tiny vouchsim file, a seed for fuzz_reader:
 *   tests/fuzz/mkseed OUT.h5 [RUNS] [v1]
 *
 * Three daily samples, two regions, one series per run (region/utilization),
 * two scalars (one NaN in run 1) and, with RUNS > 1, the series statistics:
 * every part the reader loads, in as few bytes as the writer makes, so that
 * libFuzzer's mutations land on structure rather than on sample data.
 *
 * The writer uses the HDF5 1.8 format, whose metadata carries checksums:
 * most mutations of such a file end at "incorrect metadata checksum".
 * With "v1" the file is rebuilt (groups, datasets and attributes read and
 * written again, with default creation properties) in the earliest format
 * the objects allow, version-1 object headers without checksums, so
 * mutations reach the reader's own checks. */
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/writer.h"

/* Copies the attributes of src to dst. */
static herr_t copy_attr(hid_t src, const char *name, const H5A_info_t *info, void *dst_)
{
    (void)info;
    hid_t dst = *(hid_t *)dst_;
    herr_t rc = -1;
    hid_t a = H5Aopen(src, name, H5P_DEFAULT);
    hid_t ft = a >= 0 ? H5Aget_type(a) : -1, sp = a >= 0 ? H5Aget_space(a) : -1;
    hid_t mt = ft >= 0 ? H5Tget_native_type(ft, H5T_DIR_ASCEND) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    void *buf = mt >= 0 && n >= 0 ? calloc((size_t)n + 1, H5Tget_size(mt)) : NULL;
    if (buf && H5Aread(a, mt, buf) >= 0) {
        hid_t d = H5Acreate2(dst, name, ft, sp, H5P_DEFAULT, H5P_DEFAULT);
        if (d >= 0 && H5Awrite(d, mt, buf) >= 0)
            rc = 0;
        if (d >= 0)
            H5Aclose(d);
        if (H5Tdetect_class(mt, H5T_VLEN) > 0 || H5Tis_variable_str(mt) > 0)
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
    }
    free(buf);
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (a >= 0)
        H5Aclose(a);
    return rc;
}

/* Recreates object name of src (a group, recursively, or a dataset) in dst,
 * with default creation properties so HDF5 may use version-1 headers. */
static herr_t copy_link(hid_t src, const char *name, const H5L_info_t *info, void *dst_)
{
    (void)info;
    hid_t dst = *(hid_t *)dst_;
    H5O_info_t oi;
    if (H5Oget_info_by_name(src, name, &oi, H5P_DEFAULT) < 0)
        return -1;
    herr_t rc = -1;
    if (oi.type == H5O_TYPE_GROUP) {
        hid_t gs = H5Gopen2(src, name, H5P_DEFAULT);
        hid_t gd = H5Gcreate2(dst, name, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (gs >= 0 && gd >= 0
            && H5Literate(gs, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_link, &gd) >= 0
            && H5Aiterate2(gs, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_attr, &gd) >= 0)
            rc = 0;
        if (gs >= 0)
            H5Gclose(gs);
        if (gd >= 0)
            H5Gclose(gd);
        return rc;
    }
    if (oi.type != H5O_TYPE_DATASET)
        return 0;
    hid_t ds = H5Dopen2(src, name, H5P_DEFAULT);
    hid_t ft = ds >= 0 ? H5Dget_type(ds) : -1, sp = ds >= 0 ? H5Dget_space(ds) : -1;
    hid_t mt = ft >= 0 ? H5Tget_native_type(ft, H5T_DIR_ASCEND) : -1;
    hid_t dcpl = ds >= 0 ? H5Dget_create_plist(ds) : -1;
    hssize_t n = sp >= 0 ? H5Sget_simple_extent_npoints(sp) : -1;
    void *buf = mt >= 0 && n >= 0 ? calloc((size_t)n + 1, H5Tget_size(mt)) : NULL;
    if (buf && dcpl >= 0 && H5Pset_attr_creation_order(dcpl, 0) >= 0
        && H5Dread(ds, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0) {
        hid_t dd = H5Dcreate2(dst, name, ft, sp, H5P_DEFAULT, dcpl, H5P_DEFAULT);
        if (dd >= 0 && (n == 0 || H5Dwrite(dd, mt, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) >= 0)
            && H5Aiterate2(ds, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_attr, &dd) >= 0)
            rc = 0;
        if (dd >= 0)
            H5Dclose(dd);
        if (H5Tdetect_class(mt, H5T_VLEN) > 0 || H5Tis_variable_str(mt) > 0
            || (H5Tget_class(mt) == H5T_COMPOUND && H5Tdetect_class(mt, H5T_STRING) > 0))
            H5Dvlen_reclaim(mt, sp, H5P_DEFAULT, buf);
    }
    free(buf);
    if (dcpl >= 0)
        H5Pclose(dcpl);
    if (mt >= 0)
        H5Tclose(mt);
    if (sp >= 0)
        H5Sclose(sp);
    if (ft >= 0)
        H5Tclose(ft);
    if (ds >= 0)
        H5Dclose(ds);
    return rc;
}

/* src (1.8 format) -> dst in the earliest format. Returns 0 or -1. */
static int copy_earliest(const char *src, const char *dst)
{
    int rc = -1;
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t fs = H5Fopen(src, H5F_ACC_RDONLY, H5P_DEFAULT), fd = -1;
    if (fapl >= 0 && fs >= 0
        && H5Pset_libver_bounds(fapl, H5F_LIBVER_EARLIEST, H5F_LIBVER_LATEST) >= 0
        && (fd = H5Fcreate(dst, H5F_ACC_TRUNC, H5P_DEFAULT, fapl)) >= 0) {
        hid_t rs = H5Gopen2(fs, "/", H5P_DEFAULT), rd = H5Gopen2(fd, "/", H5P_DEFAULT);
        if (rs >= 0 && rd >= 0
            && H5Literate(rs, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_link, &rd) >= 0
            && H5Aiterate2(rs, H5_INDEX_NAME, H5_ITER_INC, NULL, copy_attr, &rd) >= 0)
            rc = 0;
        if (rs >= 0)
            H5Gclose(rs);
        if (rd >= 0)
            H5Gclose(rd);
    }
    if (fd >= 0 && H5Fclose(fd) < 0)
        rc = -1;
    if (fs >= 0)
        H5Fclose(fs);
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkseed OUT.h5 [RUNS]\n");
        return 2;
    }
    size_t runs = argc > 2 ? (size_t)atoi(argv[2]) : 2;
    int v1 = argc > 3 && !strcmp(argv[3], "v1");
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.18.h5", argv[1]);
    const char *out = v1 ? tmp : argv[1];
    if (runs < 1 || runs > 9) {
        fprintf(stderr, "mkseed: RUNS must be 1 to 9\n");
        return 2;
    }
    static const double hours[3] = { 0, 24, 48 };
    static const char *const iso[3] = { "2025-01-01T00:00", "2025-01-02T00:00",
                                        "2025-01-03T00:00" };
    static const char *const region[2] = { "east", "west" };
    static const char *const names[2] = { "subsidy_total", "exhaustion_h.p" };
    static const char *const units[2] = { "CNY", "h" };
    static const char *const descs[2] = { "subsidy paid", "hours until the budget ran out" };
    double sc[18];
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(out, &err);
    if (!w)
        goto fail2;
    if (out_attr_string(w, "scenario_name", "seed", &err)
        || out_attr_string(w, "start_date", "2025-01-01", &err)
        || out_attr_int(w, "replications", (int64_t)runs, &err)
        || out_attr_double(w, "sample_interval_h", 24, &err)
        || out_attr_string(w, "scenario", "name: seed\n", &err)
        || out_time_write(w, 3, hours, iso, &err)
        || out_entities_write(w, "region", 2, region, &err))
        goto fail;
    for (size_t r = 0; r < runs; r++) {
        out_series *s = out_series_open(w, r, "region", "utilization", "1", "busy share", 2,
                                        &err);
        if (!s)
            goto fail;
        for (int i = 0; i < 3; i++) {
            double row[2] = { 0.5 + 0.1 * i + 0.01 * (double)r, 0.2 };
            if (out_series_append(s, row, &err)) {
                out_series_close(s, NULL);
                goto fail;
            }
        }
        if (out_series_close(s, &err) || out_run_attr_double(w, r, "seed", 7, &err))
            goto fail;
        sc[2 * r] = 1e6 * (double)(r + 1);
        sc[2 * r + 1] = r == 1 ? NAN : 36.0;
    }
    if (out_scalars_write(w, runs, 2, names, units, descs, sc, &err)
        || (runs > 1 && out_series_stats_write(w, runs, &err)))
        goto fail;
    if (out_writer_close(w, 1, &err))
        goto fail2;
    if (v1) {
        int rc = copy_earliest(tmp, argv[1]);
        remove(tmp);
        if (rc) {
            fprintf(stderr, "mkseed: cannot copy %s into the earliest format\n", argv[1]);
            remove(argv[1]);
            return 1;
        }
    }
    return 0;
fail:
    out_writer_close(w, 0, NULL);
fail2:
    fprintf(stderr, "mkseed: %s\n", err.msg);
    return 1;
}
