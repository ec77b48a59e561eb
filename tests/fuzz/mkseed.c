/* tests/fuzz/mkseed.c - writes a tiny vouchsim file, a seed for fuzz_reader:
 *   tests/fuzz/mkseed OUT.h5 [RUNS]
 *
 * Three daily samples, two regions, one series per run (region/utilization),
 * two scalars (one NaN in run 1) and, with RUNS > 1, the series statistics:
 * every part the reader loads, in as few bytes as the writer makes, so that
 * libFuzzer's mutations land on structure rather than on sample data. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "output/writer.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkseed OUT.h5 [RUNS]\n");
        return 2;
    }
    size_t runs = argc > 2 ? (size_t)atoi(argv[2]) : 2;
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
    out_writer *w = out_writer_open(argv[1], &err);
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
    return 0;
fail:
    out_writer_close(w, 0, NULL);
fail2:
    fprintf(stderr, "mkseed: %s\n", err.msg);
    return 1;
}
