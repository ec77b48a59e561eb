#!/bin/sh
# tests/plot_search.sh - the search chart of `vouchsim optimize` reads like
# a figure: its y axis names the objective and its unit; every constraint
# is stated in the title; a bound on the objective is a line on its panel,
# a constraint whose left side the points carry gets a panel with its
# bound (yuan in millions), an exact one is in the title only; intervals
# of a quantity that cannot be negative are drawn from 0 (the data keep
# the computed end) and the legend says so; no user string reaches the
# script. tests/plot_mksearch draws fixed candidates through
# out_plot_search_info; the private directory is kept with
# VOUCHSIM_KEEP_PLOT_FILES=1 to read gnuplot's data and script.
name=plot_search
. "${top_srcdir:-.}/tests/plot_lib.sh"
mk="$b/tests/plot_mksearch"
case $mk in /*) ;; *) mk="$PWD/$mk";; esac

png() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }
( cd "$tmp" && VOUCHSIM_KEEP_PLOT_FILES=1 "$mk" s.png ) || { echo "FAIL plot_mksearch"; exit 1; }
k=$(ls -d "$tmp"/.vouchsim-plot-* | head -1)
ok search-png png "$tmp/s.png"
# field N of strings.dat
str() { awk -F'\t' -v n="$1" '{ print $n }' "$k/strings.dat"; }

# 1. the axis: the objective and its unit
ok axis-label test "$(str 4)" = "mean_wait_east_h (h), mean and 95% interval"
ok axis-from-data grep -q "set ylabel ylab" "$k/plot.gp"
# 2. every constraint in the title (from the data)
ok title-constraints test "$(str 5)" = "subject to mean_wait_east_h <= 0.003 tol 0.0005; subsidy_total <= 390M tol 5M; {datacenters.mmc-100.gpus} <= 19 tol 1"
ok title-subj grep -q "sprintf(\"minimize: %s\\\\n%s\", objective, subj)" "$k/plot.gp"
# 3. the bounds: the objective's at 0.003 on its panel (the first plot);
# subsidy_total's at 390 (M CNY) on a panel of its own; the exact one not drawn
bound() { awk -F'\t' 'NR == 1 { print $2 }' "$k/bound$1.dat"; }
ok bound-objective-value test "$(bound 0)" = 0.0030000000000000001
ok bound-objective-label sh -c "awk -F'\t' 'NR == 1 { print \$3 }' '$k/bound0.dat' | grep -qx 'bound: mean_wait_east_h <= 0.003 tol 0.0005'"
ok bound-panel-value test "$(bound 1)" = 390
ok bound-panel-axis sh -c "awk -F'\t' 'NR == 1 { print \$4 }' '$k/bound1.dat' | grep -qx 'subsidy_total (M CNY), mean and 95% interval'"
plots() { grep -c "^plot " "$k/plot.gp"; }
ok three-panels test "$(plots)" = 3
ok bound0-on-objective sh -c "awk '/^plot /{ p++ } p == 1' '$k/plot.gp' | grep -q \"'bound0.dat' using 1:2 with lines\""
ok bound1-own-panel sh -c "awk '/^plot /{ p++ } p == 2' '$k/plot.gp' | grep -q \"'bound1.dat' using 1:2 with lines\""
ok bound2-not-drawn sh -c "! grep -q \"'bound2.dat' using\" '$k/plot.gp'"
# the constraint panel's data: subsidy_total's mean, lo, hi in M CNY (columns 13-15)
ok panel-values test "$(awk -F'\t' 'NR == 1 { print $13, $14, $15 }' "$k/search.dat")" = "402 396 408"
# 4. intervals of a wait drawn from 0; the computed low end kept (column 9)
ok clip-drawn sh -c "awk -F'\t' '\$3 < 0 { bad = 1 } END { exit bad }' '$k/search.dat' '$k/select.dat'"
ok clip-computed-kept test "$(awk -F'\t' '$1 == 19 { print $9 }' "$k/search.dat")" = -0.0011000000000000001
ok clip-said grep -q "title 'search round 1 (intervals from 0)'" "$k/plot.gp"
ok clip-wait-panel grep -q "(intervals from 0)" "$k/plot.gp"
# a money bound's panel is not clipped where nothing is below 0
ok no-clip-money sh -c "! awk '/^plot /{ p++ } p == 2' '$k/plot.gp' | grep -q 'intervals from 0'"
# 5. no user string in the script
ok script-no-user-text test "$(grep -c 'mean_wait\|subsidy_total\|mmc-100\|390M' "$k/plot.gp")" = 0

echo "plot_search: $pass passed, $fail failed"
[ $fail -eq 0 ]
