#!/bin/sh
# tests/plot_search.sh - the search chart of `vouchsim optimize` reads like
# a figure: its y axis names the objective and its unit; every constraint
# is stated in the title; a bound on the objective is a line on its panel,
# a constraint whose left side the points carry gets a panel with its
# bound (yuan in millions), an exact one is in the title only; intervals
# of a quantity that cannot be negative are drawn from 0 (the data keep
# the computed end) and the legend says so; no user string reaches the
# script; the y range covers every interval drawn (a mean far off the
# scale at the edge without its interval, an interval beyond 4 spans of the
# selection's cut and marked); the chosen candidate's label is beside its
# ring, inside the panel. tests/plot_mksearch draws fixed candidates through
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
# the title centred on the canvas (over the panel alone, a long one ran
# off its left edge), its lines from title.dat, each under 110 characters
# (9.5 px a character), broken after a "; "
ok title-lines test "$(tr '\t' '|' < "$k/title.dat")" = "minimize: mean_wait_east_h|subject to mean_wait_east_h <= 0.003 tol 0.0005; subsidy_total <= 390M tol 5M;|{datacenters.mmc-100.gpus} <= 19 tol 1|"
ok title-multiplot grep -q "^set multiplot title ttl font ',12'\$" "$k/plot.gp"
ok title-read grep -q "^stats 'title.dat' using (ttl = strcol(1).\"\\\\n\".strcol(2).\"\\\\n\".strcol(3), 0) nooutput\$" "$k/plot.gp"
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

# 6. the y range of panel N (its Nth `set yrange`) covers every interval
# drawn in it: columns L and H of search.dat and select.dat (NaN: not drawn)
yr() { sed -n 's/^set yrange \[\(.*\):\(.*\)\]$/\1 \2/p' "$1/plot.gp" | sed -n "$2p"; }
covers() {
  set -- "$1" "$(yr "$1" "$2")" "$3" "$4"
  awk -F'\t' -v r="$2" -v l="$3" -v h="$4" 'BEGIN { split(r, y, " ") }
    $l != "NaN" && ($l < y[1] || $l > y[2]) { bad = 1 }
    $h != "NaN" && ($h < y[1] || $h > y[2]) { bad = 1 }
    $l != "NaN" { n++ } END { exit bad || n == 0 }' "$1/search.dat" "$1/select.dat"
}
ok range-objective covers "$k" 1 3 4
ok range-constraint covers "$k" 2 14 15
# 7. the chosen candidate's label beside its ring (18, drawn at 18.22 beside
# the search's; wait 0.0023): within a fifth of the x range and a third of
# the y range of it, in the panel, never at a screen position (the key's)
lab() { sed -n "s/^set label 1 'chosen: '.chosen at first \([^,]*\), first \([^ ]*\) \([a-z]*\) front.*/\1 \2 \3/p" "$1/plot.gp"; }
xr() { sed -n 's/^set xrange \[\(.*\):\(.*\)\]$/\1 \2/p' "$1/plot.gp" | head -1; }
near() {
  echo "$(lab "$1") $(xr "$1") $(yr "$1" 1) $2 $3" | awk '{ x = $1; y = $2; dx = $5 - $4; dy = $7 - $6
    ok = x > $4 && x < $5 && y > $6 && y < $7 && (x - $8) ^ 2 < (0.2 * dx) ^ 2 && (y - $9) ^ 2 < (dy / 3) ^ 2
    exit !ok }'
}
ok chosen-label-near near "$k" 18.22 0.0023
ok chosen-label-not-screen sh -c "! grep -q 'label 1 .* at screen' '$k/plot.gp'"

# 8. the edges of the scale (plot_mksearch edge): means far off the scale
# at the edge without their intervals, an interval cut at the window and
# marked, a wait panel from 0, the rightmost candidate's label to its left
mkdir "$tmp/e"
( cd "$tmp/e" && VOUCHSIM_KEEP_PLOT_FILES=1 "$mk" e.png edge ) || { echo "FAIL plot_mksearch edge"; exit 1; }
e=$(ls -d "$tmp"/e/.vouchsim-plot-* | head -1)
ok edge-png png "$tmp/e/e.png"
ok edge-range-objective covers "$e" 1 3 4
ok edge-range-constraint covers "$e" 2 11 12
ok edge-off-scale test "$(awk -F'\t' '$1 <= 12 { print $1, $3, $4, ($8 == "NaN" ? "none" : "edge") }' "$e/search.dat" | tr '\n' ' ')" = "11 NaN NaN edge 12 NaN NaN edge "
ok edge-off-said grep -q "title 'mean off the scale'" "$e/plot.gp"
# 13's interval 30 .. 70 is cut at 41 + 4 x (41 - 37.3) = 55.8, and marked
ok edge-cut test "$(awk -F'\t' '$1 == 13 { printf "%.4f %.4f", $3, $4 }' "$e/search.dat")" = "30.0000 55.8000"
ok edge-cut-marked grep -q "(\$4 >= 55.8[0-9]* ? \$4 : NaN) with points pt 9 .* title 'interval beyond the scale'" "$e/plot.gp"
ok edge-wait-from-0 test "$(yr "$e" 2 | cut -d' ' -f1)" = 0
ok edge-label-left test "$(lab "$e" | cut -d' ' -f3)" = right
ok edge-label-near near "$e" 20.22 38.1
ok edge-script-no-user-text test "$(grep -c 'mean_wait\|mmc-100' "$e/plot.gp")" = 0

# 9. a bound's label never covers a point: it goes along its line where
# no mean or interval is (bound<B>.dat columns 5, 6: its left end and
# middle, in data units), or else into the key. clear DIR PANEL B MEAN LO
# HI: the label of bound B on the PANELth panel is placed, and its box (7
# px a character, 14 high) meets no mean (10 px square) or interval (6 px
# wide) of search.dat or select.dat (columns MEAN LO HI, the selection's
# at x plus its offset), in the pixels of the canvas and the panel's
# margins read from plot.gp
clear() {
  gp="$1/plot.gp"
  echo "$(sed -n 's/.*set terminal pngcairo size \([0-9]*\),\([0-9]*\) .*/\1 \2/p' "$gp" | head -1) \
$(sed -n 's/^set tmargin at screen //p' "$gp" | sed -n "$2p") \
$(sed -n 's/^set bmargin at screen //p' "$gp" | sed -n "$2p") $(xr "$1") $(yr "$1" "$2") \
$(sed -n "s/.*'select.dat' using (\$1 + \([0-9.e+-]*\)):.*/\1/p" "$gp" | head -1)" > "$1/geom"
  awk -F'\t' -v m="$4" -v l="$5" -v h="$6" '
    FILENAME ~ /geom$/ { n = split($0, g, " "); if (n != 9) bad = 1
      sx = 0.63 * g[1] / (g[6] - g[5]); sy = (g[3] - g[4]) * g[2] / (g[8] - g[7])
      xa = g[5]; ya = g[7]; off = g[9]; next }
    FILENAME ~ /bound/ { if (FNR == 1) { if ($5 == "NaN" || $6 == "NaN") bad = 1
        X0 = ($5 - xa) * sx; X1 = X0 + 7 * length($3); Y0 = ($6 - ya) * sy - 7; Y1 = Y0 + 14 }
      next }
    { qx = ($1 + (FILENAME ~ /select/ ? off : 0) - xa) * sx; pts++
      if ($m != "NaN") { qy = ($m - ya) * sy
        if (qx + 5 > X0 && qx - 5 < X1 && qy + 5 > Y0 && qy - 5 < Y1) bad = 1 }
      if ($l != "NaN" && $h != "NaN" && qx + 3 > X0 && qx - 3 < X1 \
          && ($h - ya) * sy > Y0 && ($l - ya) * sy < Y1) bad = 1 }
    END { exit bad || pts == 0 }' "$1/geom" "$1/bound$3.dat" "$1/search.dat" "$1/select.dat"
}
# the objective's bound (at the left end it covered 17's intervals) and
# the constraint's on its panel
ok bound-label-clear clear "$k" 1 0 2 3 4
ok bound-label-drawn grep -q "'bound0.dat' every ::0::0 using 5:6:3 with labels left" "$k/plot.gp"
ok bound-panel-label-clear clear "$k" 2 1 13 14 15
ok bound-key-plain sh -c "! grep -q 'bkey' '$k/plot.gp'"
# every interval crosses the line (plot_mksearch crowded): the label is
# in the key, without the left side the y axis names, its right side (a
# constant expression) on two lines, 32 characters at most each (the key
# right of the panel: 7.2 px a character); no
# label along the line; the words from the data only
mkdir "$tmp/c"
( cd "$tmp/c" && VOUCHSIM_KEEP_PLOT_FILES=1 "$mk" c.png crowded ) || { echo "FAIL plot_mksearch crowded"; exit 1; }
c=$(ls -d "$tmp"/c/.vouchsim-plot-* | head -1)
ok crowded-png png "$tmp/c/c.png"
ok crowded-not-placed test "$(awk -F'\t' 'NR == 1 { print $5, $6 }' "$c/bound0.dat")" = "NaN NaN"
ok crowded-key-words test "$(awk -F'\t' 'NR == 1 { print $7 "|" $8 "|" $9 }' "$c/bound0.dat")" = "bound: <= 40 + 0.5 * 1.0 tol|0.25 * 1.0|"
ok crowded-key-width sh -c "awk -F'\t' '{ for (i = 7; i <= 9; i++) if (length(\$i) > 32) bad = 1 } END { exit bad }' '$c/bound0.dat'"
ok crowded-key-title grep -q "'bound0.dat' using 1:2 with lines .* title bkey0_0, \\\\\$" "$c/plot.gp"
ok crowded-key-second grep -q "^  keyentry with lines lc rgb '#ffffff' title bkey0_1\$" "$c/plot.gp"
ok crowded-key-read grep -q "^stats 'bound0.dat' every ::0::0 using (bkey0_1 = strcol(8), 0) nooutput\$" "$c/plot.gp"
ok crowded-no-label sh -c "! grep -q 'using 5:6:3' '$c/plot.gp'"
ok crowded-script-no-user-text test "$(grep -c 'mean_wait\|mmc-100\|40.5\|0.25' "$c/plot.gp")" = 0

# 10. candidates by name (plot_mksearch names): a tic at each in every
# panel (the upper ones had one stray tic at the first), named under the
# last from labels.dat
mkdir "$tmp/n"
( cd "$tmp/n" && VOUCHSIM_KEEP_PLOT_FILES=1 "$mk" n.png names ) || { echo "FAIL plot_mksearch names"; exit 1; }
nk=$(ls -d "$tmp"/n/.vouchsim-plot-* | head -1)
ok names-png png "$tmp/n/n.png"
ok names-tics grep -qx "set xtics ('' 0, '' 1, '' 2)" "$nk/plot.gp"
ok names-labels test "$(cut -f2 "$nk/labels.dat" | tr '\n' ' ')" = "nearest west_first cheapest "
ok names-script-no-user-text test "$(grep -c 'nearest\|west_first\|cheapest\|gpu_hours' "$nk/plot.gp")" = 0

echo "plot_search: $pass passed, $fail failed"
[ $fail -eq 0 ]
