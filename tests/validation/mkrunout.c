/* tests/validation/mkrunout.c - writes a file whose run-out answers are
 * known by hand, for tests/validation/summary.sh: mkrunout OUT.h5
 *
 * Four runs, daily samples 2025-01-01 .. 2025-04-10 (hours 0 .. 2376), one
 * region series (utilization: 0 rising linearly to 0.8 over 30 days, then
 * 0.8 exactly, so MSER-5 truncates at day 30) and per program p the
 * scalars exhaustion_h.p, exhaustion_final_h.p, budget_left.p:
 *   a: first 240, 264, 288, 312 h (mean 276 h: 2025-01-12);
 *      final NaN, 2300, 2350, NaN (mean 2325 h: 2025-04-07; its 95%
 *      interval 2325 +- 317.7 h runs past hour 2376 and ends there);
 *      budget_left 5M, 0, 0, 7M (6M in the two runs with money left)
 *   b: never exhausted; budget_left 1M, 2M, 3M, 4M (mean 2.5M)
 *   c: as b without budget_left (an older file). */
#include <math.h>
#include <stdio.h>

#include "output/writer.h"

#define T 100
#define RUNS 4

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: mkrunout OUT.h5\n", stderr);
        return 2;
    }
    sim_err err;
    sim_err_clear(&err);
    out_writer *w = out_writer_open(argv[1], &err);
    if (!w)
        goto fail2;
    double hours[T];
    char dates[T][40];
    const char *iso[T];
    static const int mdays[4] = { 31, 28, 31, 30 };
    for (int i = 0, m = 0, d = 1; i < T; i++) {
        hours[i] = 24.0 * i;
        snprintf(dates[i], sizeof dates[i], "2025-%02d-%02dT00:00", m + 1, d);
        iso[i] = dates[i];
        if (++d > mdays[m]) {
            d = 1;
            m++;
        }
    }
    static const char *const region[] = { "east" };
    if (out_attr_string(w, "scenario_name", "run-out by hand", &err)
        || out_attr_string(w, "start_date", "2025-01-01", &err)
        || out_attr_int(w, "replications", RUNS, &err)
        || out_time_write(w, T, hours, iso, &err)
        || out_entities_write(w, "region", 1, region, &err))
        goto fail;
    for (size_t r = 0; r < RUNS; r++) {
        out_series *s = out_series_open(w, r, "region", "utilization", "1", "by hand", 1, &err);
        if (!s)
            goto fail;
        for (int i = 0; i < T; i++) {
            double v = i < 30 ? 0.8 * i / 30.0 : 0.8;
            if (out_series_append(s, &v, &err))
                goto fail;
        }
        if (out_series_close(s, &err))
            goto fail;
    }
    static const char *const names[] = {
        "exhaustion_h.a", "exhaustion_final_h.a", "budget_left.a",
        "exhaustion_h.b", "exhaustion_final_h.b", "budget_left.b",
        "exhaustion_h.c", "exhaustion_final_h.c",
    };
    static const char *const units[] = { "h", "h", "CNY", "h", "h", "CNY", "h", "h" };
    static const char *const descs[] = { "", "", "", "", "", "", "", "" };
    enum { NC = sizeof names / sizeof names[0] };
    double v[RUNS][NC] = {
        { 240, NAN, 5e6, NAN, NAN, 1e6, NAN, NAN },
        { 264, 2300, 0, NAN, NAN, 2e6, NAN, NAN },
        { 288, 2350, 0, NAN, NAN, 3e6, NAN, NAN },
        { 312, NAN, 7e6, NAN, NAN, 4e6, NAN, NAN },
    };
    if (out_scalars_write(w, RUNS, NC, names, units, descs, &v[0][0], &err)
        || out_series_stats_write(w, RUNS, &err))
        goto fail;
    if (out_writer_close(w, 1, &err))
        goto fail2;
    return 0;
fail:
    out_writer_close(w, 0, NULL);
fail2:
    fprintf(stderr, "mkrunout: %s\n", err.msg);
    return 1;
}
