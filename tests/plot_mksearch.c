/* tests/plot_mksearch.c - draws a search chart of fixed candidates through
 * out_plot_search_info, for tests/plot_search.sh (a helper, not a test):
 *   tests/plot_mksearch OUT.png [edge|crowded|names]
 *
 * Four candidates x = 16 .. 19 in one search round and a selection of
 * three, minimizing mean_wait_east_h (unit h) subject to a bound on the
 * objective itself (mean_wait_east_h <= 0.003), a bound on another scalar
 * whose left side the points carry (subsidy_total <= 390M, in CNY), and an
 * exact constraint on the key (no scalar: stated in the title only). The
 * waits of 18 and 19 have intervals below 0, which the chart draws from 0.
 *
 * With `edge`: the cases at the edges of the scale. Ten candidates x = 11
 * .. 20 minimizing an expression (no unit), the selection 18, 19, 20 with
 * 20 chosen (the rightmost: its label must go left, not into the key); 11
 * and 12 with means far above the selection's (an unstable queue: off the
 * scale), 13 with its mean in view but its interval reaching past the 4
 * spans of the selection's intervals (cut, marked); a constraint on a wait
 * (h) whose intervals go below 0 (its panel starts at 0), 12's wait off
 * its scale. Numbers only: the expected ones are written in plot_search.sh. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output/plot.h"

static int edge(const char *out)
{
    /* x, mean, lo, hi of the objective, then of the wait */
    static const double v[13][8] = {
        { 11, 400, 200, 600, 2.5, 1.5, 3.5 },
        { 12, 60, 55, 65, 0.05, 0.04, 0.06 },
        { 13, 50, 30, 70, 0.012, 0.009, 0.015 },
        { 14, 45, 42, 48, 0.006, 0.004, 0.008 },
        { 15, 43, 41.5, 44.5, 0.004, 0.002, 0.006 },
        { 16, 41, 40, 42, 0.003, 0.001, 0.005 },
        { 17, 40.5, 39.5, 41.5, 0.002, 0.0005, 0.0035 },
        { 18, 40, 39, 41, 0.0015, -0.0005, 0.0035 },
        { 19, 39, 38, 40, 0.001, -0.0008, 0.0028 },
        { 20, 38, 37, 39, 0.0005, -0.001, 0.002 },
        { 18, 40.2, 39.4, 41, 0.0014, -0.0004, 0.0032 },
        { 19, 39.1, 38.3, 39.9, 0.0011, -0.0006, 0.0028 },
        { 20, 38.1, 37.3, 38.9, 0.0006, -0.0009, 0.0021 },
    };
    static const char *const lab[10] = { "11", "12", "13", "14", "15", "16", "17", "18", "19",
                                         "20" };
    out_search_point pts[13];
    for (int i = 0; i < 13; i++)
        pts[i] = (out_search_point){ lab[(int)v[i][0] - 11], v[i][0], v[i][1], v[i][2], v[i][3],
                                     10, i < 10 ? 1 : 0, i == 12 ? OUT_SEARCH_CHOSEN
                                     : OUT_SEARCH_OTHER, &v[i][4] };
    const out_search_bound bounds[1] = {
        { "mean_wait_east_h <= 0.003 tol 0.0005", "mean_wait_east_h", "h", 0, 0.003 },
    };
    out_search_info info = { "2 * {datacenters.mmc-100.gpus} + 500 * mean_wait_east_h", NULL, 0,
                             "datacenters.mmc-100.gpus", bounds, 1 };
    sim_err err;
    sim_err_clear(&err);
    if (out_plot_search_info(pts, 13, &info, out, &err) != SIM_OK) {
        fprintf(stderr, "plot_mksearch: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* Every candidate's interval crosses the bound, each a twelfth of the x
 * range from the next: its line is covered all along, and its label (a
 * long one) goes to the key. */
static int crowded(const char *out)
{
    static char lab[24][8];
    out_search_point pts[24];
    for (int i = 0; i < 24; i++) {
        snprintf(lab[i], sizeof lab[i], "%d", 11 + i / 2);
        double x = 11 + i / 2, m = 40 + (i % 2 ? 0.5 : -0.5) + 0.1 * (i / 2);
        pts[i] = (out_search_point){ lab[i], x, m, m - 6, m + 6, 10, i % 2 ? 0 : 1,
                                     i == 23 ? OUT_SEARCH_CHOSEN : OUT_SEARCH_OTHER, NULL };
    }
    const out_search_bound bounds[1] = {
        { "2 * {datacenters.mmc-100.gpus} + 500 * mean_wait_east_h <= 40 + 0.5 * 1.0 tol "
          "0.25 * 1.0", "2 * {datacenters.mmc-100.gpus} + 500 * mean_wait_east_h ", NULL, 0,
          40.5 },
    };
    out_search_info info = { "2 * {datacenters.mmc-100.gpus} + 500 * mean_wait_east_h", NULL, 0,
                             "datacenters.mmc-100.gpus", bounds, 1 };
    sim_err err;
    sim_err_clear(&err);
    if (out_plot_search_info(pts, 24, &info, out, &err) != SIM_OK) {
        fprintf(stderr, "plot_mksearch: %s\n", err.msg);
        return 1;
    }
    return 0;
}

/* Three candidates by name (a routing policy: no numeric axis), side by
 * side, the selection beside the search. */
static int names(const char *out)
{
    out_search_point pts[6] = {
        { "nearest", NAN, 40, 39, 41, 10, 1, OUT_SEARCH_OTHER, NULL },
        { "west_first", NAN, 45, 44, 46, 10, 1, OUT_SEARCH_OTHER, NULL },
        { "cheapest", NAN, 30, 29, 31, 10, 1, OUT_SEARCH_OTHER, NULL },
        { "nearest", NAN, 40.2, 39.5, 40.9, 10, 0, OUT_SEARCH_OTHER, NULL },
        { "west_first", NAN, 45.1, 44.4, 45.8, 20, 0, OUT_SEARCH_CHOSEN, NULL },
        { "cheapest", NAN, 30.3, 29.5, 31.1, 10, 0, OUT_SEARCH_OTHER, NULL },
    };
    out_search_info info = { "gpu_hours_total", "GPU-h", 1, "routing", NULL, 0 };
    sim_err err;
    sim_err_clear(&err);
    if (out_plot_search_info(pts, 6, &info, out, &err) != SIM_OK) {
        fprintf(stderr, "plot_mksearch: %s\n", err.msg);
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[2], "edge"))
        return edge(argv[1]);
    if (argc == 3 && !strcmp(argv[2], "crowded"))
        return crowded(argv[1]);
    if (argc == 3 && !strcmp(argv[2], "names"))
        return names(argv[1]);
    if (argc != 2) {
        fputs("usage: tests/plot_mksearch OUT.png [edge|crowded|names]\n", stderr);
        return 2;
    }
    /* per constraint: mean, lo, hi of its left side (NaN: none) */
    static const double lhs[7][9] = {
        { 0.0095, 0.0074, 0.0116, 402e6, 396e6, 408e6, NAN, NAN, NAN },
        { 0.0045, 0.0034, 0.0056, 380e6, 371e6, 389e6, NAN, NAN, NAN },
        { 0.0021, -0.0004, 0.0046, 350e6, 344e6, 356e6, NAN, NAN, NAN },
        { 0.0009, -0.0011, 0.0029, 330e6, 322e6, 338e6, NAN, NAN, NAN },
        { 0.0042, 0.0031, 0.0053, 381e6, 373e6, 389e6, NAN, NAN, NAN },
        { 0.0023, -0.0002, 0.0048, 352e6, 345e6, 359e6, NAN, NAN, NAN },
        { 0.0010, -0.0010, 0.0030, 331e6, 324e6, 338e6, NAN, NAN, NAN },
    };
    out_search_point pts[7] = {
        { "16", 16, 0.0095, 0.0074, 0.0116, 10, 1, OUT_SEARCH_INFEASIBLE, lhs[0] },
        { "17", 17, 0.0045, 0.0034, 0.0056, 10, 1, OUT_SEARCH_INFEASIBLE, lhs[1] },
        { "18", 18, 0.0021, -0.0004, 0.0046, 10, 1, OUT_SEARCH_OTHER, lhs[2] },
        { "19", 19, 0.0009, -0.0011, 0.0029, 10, 1, OUT_SEARCH_OTHER, lhs[3] },
        { "17", 17, 0.0042, 0.0031, 0.0053, 20, 0, OUT_SEARCH_INFEASIBLE, lhs[4] },
        { "18", 18, 0.0023, -0.0002, 0.0048, 30, 0, OUT_SEARCH_CHOSEN, lhs[5] },
        { "19", 19, 0.0010, -0.0010, 0.0030, 20, 0, OUT_SEARCH_OTHER, lhs[6] },
    };
    const out_search_bound bounds[3] = {
        { "mean_wait_east_h <= 0.003 tol 0.0005", "mean_wait_east_h ", "h", 0, 0.003 },
        { "subsidy_total <= 390M tol 5M", "subsidy_total ", "CNY", 0, 390e6 },
        { "{datacenters.mmc-100.gpus} <= 19 tol 1", "{datacenters.mmc-100.gpus} ", NULL, 0,
          19 },
    };
    out_search_info info = { "mean_wait_east_h", "h", 0, "datacenters.mmc-100.gpus", bounds, 3 };
    sim_err err;
    sim_err_clear(&err);
    if (out_plot_search_info(pts, 7, &info, argv[1], &err) != SIM_OK) {
        fprintf(stderr, "plot_mksearch: %s\n", err.msg);
        return 1;
    }
    return 0;
}
