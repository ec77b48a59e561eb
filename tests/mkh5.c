/* tests/mkh5.c - writes a synthetic vouchsim file through output/writer.h,
 * for the CLI and chart tests: tests/mkh5 OUT.h5 [RUNS] [coords]
 *
 * With `coords`, the entities' coordinates are added afterwards as the
 * writer of the xarray layout stores them (variable-length UTF-8 string
 * datasets beside each run's series: datacenter/region, city/region,
 * program/city), for the chart tests that group by region.
 *
 * 181 daily samples from 2025-01-01; groups region (east, west),
 * datacenter (6), program (2), city (3); the series the charts use and a
 * few scalars, one of them an exhaustion time that is NaN in some runs.
 * Values follow smooth curves plus run-dependent noise from a local LCG. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hdf5.h>

#include "output/writer.h"

static int put_strings(hid_t f, const char *path, size_t n, const char *const *v)
{
    hid_t t = H5Tcopy(H5T_C_S1);
    hsize_t dim = n;
    hid_t sp = H5Screate_simple(1, &dim, NULL);
    int rc = -1;
    if (t >= 0 && sp >= 0 && H5Tset_size(t, H5T_VARIABLE) >= 0
        && H5Tset_cset(t, H5T_CSET_UTF8) >= 0) {
        hid_t d = H5Dcreate2(f, path, t, sp, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        if (d >= 0 && H5Dwrite(d, t, H5S_ALL, H5S_ALL, H5P_DEFAULT, v) >= 0)
            rc = 0;
        if (d >= 0)
            H5Dclose(d);
    }
    if (sp >= 0)
        H5Sclose(sp);
    if (t >= 0)
        H5Tclose(t);
    return rc;
}

/* The coordinates of the groups of mkh5's entities, in every run. */
static int add_coords(const char *path, size_t runs)
{
    static const char *const dc_region[] = { "east", "east", "east", "west", "west", "west" };
    static const char *const city_region[] = { "east", "east", "west" };
    static const char *const prog_city[] = { "jinan", "guiyang" };
    hid_t f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    if (f < 0)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < runs && rc == 0; r++) {
        char p[3][80];
        snprintf(p[0], sizeof p[0], "/runs/%04zu/series/datacenter/region", r);
        snprintf(p[1], sizeof p[1], "/runs/%04zu/series/city/region", r);
        snprintf(p[2], sizeof p[2], "/runs/%04zu/series/program/city", r);
        rc = put_strings(f, p[0], 6, dc_region) || put_strings(f, p[1], 3, city_region)
             || put_strings(f, p[2], 2, prog_city) ? -1 : 0;
    }
    if (H5Fclose(f) < 0)
        rc = -1;
    return rc;
}

static double noise(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

#define T 181

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkh5 OUT.h5 [RUNS]\n");
        return 2;
    }
    size_t runs = argc > 2 ? (size_t)atoi(argv[2]) : 3;
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(argv[1], &err);
    if (!w)
        goto fail;
    double hours[T];
    char dates[T][40];
    const char *iso[T];
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    int m = 0, d = 1;
    for (int i = 0; i < T; i++) {
        hours[i] = 24.0 * i;
        snprintf(dates[i], sizeof dates[i], "2025-%02d-%02dT00:00", m + 1, d);
        iso[i] = dates[i];
        if (++d > mdays[m]) {
            d = 1;
            m++;
        }
    }
    static const char *const region[] = { "east", "west" };
    static const char *const dc[] = { "beijing_1", "shanghai_2", "hangzhou_1", "guiyang_big", "ningxia_zw", "gansu_qy" };
    static const char *const prog[] = { "shandong_compute", "guizhou_data" };
    static const char *const city[] = { "jinan", "qingdao", "guiyang" };
    if (out_attr_string(w, "scenario_name", "synthetic-test", &err)
        || out_attr_string(w, "start_date", "2025-01-01", &err)
        || out_attr_int(w, "replications", (int64_t)runs, &err)
        || out_attr_int(w, "seed", 42, &err)
        || out_attr_string(w, "scenario", "name: synthetic-test\n", &err)
        || out_time_write(w, T, hours, iso, &err)
        || out_entities_write(w, "region", 2, region, &err)
        || out_entities_write(w, "datacenter", 6, dc, &err)
        || out_entities_write(w, "program", 2, prog, &err)
        || out_entities_write(w, "city", 3, city, &err))
        goto fail;
    double *sc = calloc(runs * 3, sizeof *sc);
    for (size_t r = 0; r < runs; r++) {
        uint64_t s = 1000 + r;
        struct { const char *g, *n, *u; size_t k; } def[] = {
            { "region", "utilization", "1", 2 }, { "datacenter", "utilization", "1", 6 },
            { "program", "remaining", "CNY", 2 }, { "program", "spent", "CNY", 2 },
            { "city", "subsidy", "CNY", 3 }, { "city", "copay", "CNY", 3 },
            { "city", "firms_arrived", "firms", 3 }, { "city", "firms_buying", "firms", 3 },
            { "city", "firms_additional", "firms", 3 }, { "city", "firms_deadweight", "firms", 3 },
            { "region", "mean_wait", "h", 2 },
        };
        enum { NS = sizeof def / sizeof def[0] };
        out_series *ser[NS];
        for (int k = 0; k < NS; k++)
            if (!(ser[k] = out_series_open(w, r, def[k].g, def[k].n, def[k].u, "synthetic", def[k].k, &err)))
                goto fail;
        double budget0[2] = { 500e6, 200e6 };
        double exh = NAN;
        for (int i = 0; i < T; i++) {
            double row[6], t = i / (double)T;
            row[0] = 0.75 + 0.1 * sin(i / 9.0) + 0.05 * noise(&s);
            row[1] = 0.25 + 0.25 * t + 0.05 * noise(&s);
            if (out_series_append(ser[0], row, &err))
                goto fail;
            for (int j = 0; j < 6; j++)
                row[j] = fmin(1, fmax(0, (j < 3 ? 0.7 : 0.2 + 0.3 * t) + 0.1 * sin(i / 7.0 + j) + 0.05 * noise(&s)));
            if (out_series_append(ser[1], row, &err))
                goto fail;
            double spent[2];
            for (int j = 0; j < 2; j++) {
                spent[j] = fmin(budget0[j], budget0[j] * t * (1.3 + 0.2 * j + 0.1 * noise(&s)));
                row[j] = budget0[j] - spent[j];
                if (j == 0 && row[j] <= 0 && isnan(exh) && r % 2 == 0)
                    exh = hours[i];
            }
            if (out_series_append(ser[2], row, &err) || out_series_append(ser[3], spent, &err))
                goto fail;
            for (int j = 0; j < 3; j++)
                row[j] = 1e6 * (40 + 30 * j) * t * (1 + 0.1 * noise(&s));
            if (out_series_append(ser[4], row, &err))
                goto fail;
            for (int j = 0; j < 3; j++)
                row[j] *= 0.25;
            if (out_series_append(ser[5], row, &err))
                goto fail;
            for (int k = 6; k < 10; k++) {
                for (int j = 0; j < 3; j++)
                    row[j] = floor((200 + 100 * j) * t * (1.0 - 0.2 * (k - 6)) * (1 + 0.1 * noise(&s)));
                if (out_series_append(ser[k], row, &err))
                    goto fail;
            }
            row[0] = 6 + 4 * sin(i / 11.0) + noise(&s);
            row[1] = 1 + 0.5 * noise(&s);
            if (out_series_append(ser[10], row, &err))
                goto fail;
        }
        for (int k = 0; k < NS; k++)
            if (out_series_close(ser[k], &err))
                goto fail;
        sc[r * 3 + 0] = 1.234e8 + 1e6 * (double)r;
        sc[r * 3 + 1] = 1500 + 10 * (double)r;
        sc[r * 3 + 2] = exh;
        if (out_run_attr_double(w, r, "seed", 42, &err))
            goto fail;
    }
    static const char *const names[] = { "subsidy_total", "firms_served", "exhaustion_h.shandong_compute" };
    static const char *const units[] = { "CNY", "firms", "h" };
    static const char *const descs[] = { "subsidy paid", "firms that bought", "hours until the budget ran out" };
    if (out_scalars_write(w, runs, 3, names, units, descs, sc, &err)
        || out_series_stats_write(w, runs, &err))
        goto fail;
    free(sc);
    if (out_writer_close(w, 1, &err))
        goto fail2;
    if (argc > 3 && !strcmp(argv[3], "coords") && add_coords(argv[1], runs) != 0) {
        fprintf(stderr, "mkh5: %s: cannot add the coordinates\n", argv[1]);
        return 1;
    }
    return 0;
fail:
    out_writer_close(w, 0, NULL);
fail2:
    fprintf(stderr, "mkh5: %s\n", err.msg);
    return 1;
}
