#!/bin/sh
# tests/plotfix.sh - charts a report reader would not frown at:
#   1. the response chart draws its points without interval bars over more
#      than 50 points or with fewer than 3 replications (a mass of bars;
#      t = 12.7 at 2), and its title says why; with 3 replications over a
#      few points the bars are back;
#   2. keys that form no grid (lhs) get a line through the mean of the
#      points in each of up to 10 equal bins of the axis (the README's
#      promise), whose values are those points' means;
#   3. a varied plain number carries the unit the scenario documents
#      (firms.reservation_price.median: CNY/GPU-h; its sigma none; a data
#      center's price CNY/GPU-h, data's CNY/TB) in the sweep's table and
#      on the chart's axis;
#   4. the Sobol chart's title names each varied key's range;
#   5. the difference chart's stock panel says that a program's opening is
#      a level at the window's start;
#   6. --city alone keeps the cities' region and its data centers on the
#      utilization chart, and the title says so;
#   7. plot --point N draws point N's runs alone (the mean and range of
#      those runs, against export's per-run series), the title names its
#      values; without it a multi-point sweep gets a note; --point is
#      refused off a sweep, past its points, as a non-number and with
#      --chart response.
# The private directory is kept with VOUCHSIM_KEEP_PLOT_FILES=1.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp plotfix
need_gnuplot
# title: the chart's title as one line (gnuplot's pieces joined)
title() { grep '^set multiplot' "$k/plot.gp" | sed "s/'\\.\"\\\\n\"\\.'/ /g"; }
sc=$s/scenarios/china-2025.yaml
C=programs.shanghai-compute.coverage P=firms.reservation_price.median

# ---- 1. intervals only where they can be read ----
"$vs" sweep "$sc" --until 2025-01-03 -r 2 --design sobol --samples 16 --vary $C=0.3:0.9 \
  --vary $P=5.0:15.0 --totals-only -o sob.h5 --quiet > sob.out 2>&1 || { echo "FAIL sweep sobol"; cat sob.out; exit 1; }
kept many sob.h5 --chart response
ok many-exit [ "$st" -eq 0 ]
ok many-no-bars sh -c "! grep -q 'yerror' '$k/plot.gp'"
ok many-points grep -q "with points pt 7 .* title 'mean of a point (no interval: see the title)'" "$k/plot.gp"
title > ti; ok many-said grep -q 'mean over 2 replications per point, without intervals (over 50 points their bars would hide the means); 64 points, 128 runs' ti
ok many-png [ -s "$tmp/many/c.png" ]
"$vs" sweep "$sc" --until 2025-01-03 -r 2 --vary $C=0.3,0.6,0.9 -o two.h5 --quiet > /dev/null 2>&1 ||
  { echo "FAIL sweep two"; exit 1; }
kept tworeps two.h5 --chart response
ok tworeps-no-bars sh -c "! grep -q 'yerror' '$k/plot.gp'"
title > ti; ok tworeps-said grep -q 'without intervals (fewer than 3 replications: too wide to read); 3 points, 6 runs' ti
"$vs" sweep "$sc" --until 2025-01-03 -r 3 --vary $C=0.3,0.6,0.9 -o three.h5 --quiet > /dev/null 2>&1 ||
  { echo "FAIL sweep three"; exit 1; }
kept threereps three.h5 --chart response
ok threereps-bars grep -q "using 1:2:3:4 with yerrorbars" "$k/plot.gp"
title > ti; ok threereps-said grep -q 'mean and 95% interval over 3 replications per point; 3 points, 9 runs' ti

# ---- 2. lhs: a binned mean line ----
"$vs" sweep "$sc" --until 2025-01-03 -r 1 --design lhs --samples 20 --vary $C=0.3:0.9 \
  --vary $P=5.0:15.0 --totals-only -o lhs.h5 --quiet > lhs.out 2>&1 || { echo "FAIL sweep lhs"; exit 1; }
kept lhs lhs.h5 --chart response --key $P
ok lhs-exit [ "$st" -eq 0 ]
ok lhs-line grep -q "'d0.dat' index 2 using 1:2 with linespoints .* title 'mean in each of 4 equal bins'" "$k/plot.gp"
# block 0: x and mean of each point; block 2: bin middle, mean, points.
# Recompute: 4 equal bins of [min x, max x] (the last closed).
awk 'BEGIN { b = 0; n = 0 } /^$/ { if (!blank) b++; blank = 1; next } { blank = 0 }
     b == 0 { x[n] = $1; m[n] = $2; n++ }
     b == 2 { got = got sprintf("%.6f %.6f %d\n", $1, $2, $3) }
     END { lo = x[0]; hi = x[n - 1]; w = (hi - lo) / 4
           for (i = 0; i < n; i++) { j = int((x[i] - lo) / w); if (j > 3) j = 3; s[j] += m[i]; c[j]++ }
           for (j = 0; j < 4; j++) if (c[j]) want = want sprintf("%.6f %.6f %d\n", lo + w * (j + 0.5), s[j] / c[j], c[j])
           if (got != want) { printf "got\n%swant\n%s", got, want; exit 1 } }' "$k/d0.dat" > lhs.cmp
ok lhs-bin-means [ $? -eq 0 ]
[ -s lhs.cmp ] && cat lhs.cmp
ok lhs-twenty sh -c "awk 'NF == 3 { n += \$3 } END { exit n != 20 }' '$k/d0.dat'"

# ---- 3. units of plain numbers ----
ok unit-axis grep -qx "set xlabel '$P (CNY/GPU-h)'" "$k/plot.gp"
ok unit-table grep -q "CNY/GPU-h" lhs.out
"$vs" sweep "$sc" --until 2025-01-03 -r 1 --vary firms.reservation_price.sigma=0.5,1.0 \
  --vary datacenters.wuhu-a800.price=3,4 --vary firms.data.reservation_price.median=5000,9000 \
  --totals-only -o u.h5 --quiet > u.out 2>&1 || { echo "FAIL sweep units"; cat u.out; exit 1; }
kept units u.h5 --chart response
ok unit-sigma-none grep -qx "set xlabel 'firms.reservation_price.sigma'" "$k/plot.gp"
ok unit-dc-price grep -qx "set xlabel 'datacenters.wuhu-a800.price (CNY/GPU-h)'" "$k/plot.gp"
ok unit-data-price grep -qx "set xlabel 'firms.data.reservation_price.median (CNY/TB)'" "$k/plot.gp"

# ---- 4. the Sobol chart names the ranges ----
kept sobol sob.h5 --chart sobol
ok sobol-exit [ "$st" -eq 0 ]
ok sobol-ranges grep -q "over $C 0.3 to 0.9, $P 5.0 to 15.0 CNY/GPU-h" "$k/plot.gp"

# ---- 5. the opening budget is a level at the window's start ----
"$vs" compare "$sc" "$s/scenarios/shandong-1b.yaml" -r 2 --until 2025-01-05 -o cmp.h5 --quiet \
  > /dev/null 2>&1 || { echo "FAIL compare"; exit 1; }
kept diff cmp.h5 --chart difference --program shandong-compute
ok diff-exit [ "$st" -eq 0 ]
ok diff-opening-row grep -q "'shandong-compute: opening'" "$k/plot.gp"
ok diff-opening-label grep -q "^set xlabel 'policy - base (CNY), levels: opening at the window''s start, the others at the horizon'" "$k/plot.gp"
ok diff-no-plain-horizon sh -c "! grep -q '(CNY), levels at the horizon' '$k/plot.gp'"
kept head cmp.h5 --chart difference
ok diff-headline-horizon grep -q "levels at the horizon'" "$k/plot.gp"

# ---- 6. --city: the cities' region and its data centers ----
"$vs" run "$sc" --until 2025-01-05 -r 2 -o run.h5 --quiet > /dev/null 2>&1 || { echo "FAIL run"; exit 1; }
east=$(awk '/^datacenters:/ { on = 1 } /^programs:/ { on = 0 } on && /region: east/ { n++ } END { print n }' "$sc")
kept city run.h5 --chart utilization --city shanghai --city beijing
ok city-exit [ "$st" -eq 0 ]
ok city-said grep -q "drawn: the cities'' region (east) and its data centers" "$k/plot.gp"
ok city-not-all sh -c "! grep -q 'all regions drawn\|all data centers drawn' '$k/plot.gp'"
# the data centers' file: a date and 3 numbers a data center
cols=$(for f in "$k"/d*.dat; do awk 'NR == 1 { print NF }' "$f"; done | sort -n | tail -1)
ok city-east-dcs [ "$cols" -eq $((1 + 3 * east)) ]
ok city-no-west sh -c "! grep -q \"title 'west'\" '$k/plot.gp'"
kept cityall run.h5 --chart utilization
cols=$(for f in "$k"/d*.dat; do awk 'NR == 1 { print NF }' "$f"; done | sort -n | tail -1)
ok city-unselected-all [ "$cols" -gt $((1 + 3 * east)) ]
kept cityreg run.h5 --chart utilization --city shanghai --region west
ok city-region-wins sh -c "! grep -q \"drawn: the cities\" '$k/plot.gp'"

# ---- 7. --point ----
"$vs" sweep "$sc" --until 2025-01-05 -r 2 --vary routing=nearest,latency_aware,west_first \
  --vary vouchers=true,false -o rs.h5 --quiet > /dev/null 2>&1 || { echo "FAIL sweep rs"; exit 1; }
kept pooled rs.h5 --chart utilization
ok pooled-note grep -q "note: .*rs.h5 is a sweep of 6 points: the series charts pool the runs of every point into one mean and band; --point N draws point N's runs alone (0 to 5" "$tmp/pooled/out"
kept point rs.h5 --chart utilization --point 4
ok point-exit [ "$st" -eq 0 ]
ok point-no-note sh -c "! grep -q 'pool the runs' '$tmp/point/out'"
ok point-title grep -q "point 4 of 6 (routing=west_first, vouchers=true): mean of 2 runs; band: their range (min to max)" "$k/plot.gp"
ok point-png [ -s "$tmp/point/c.png" ]
# point 4 is runs 8 and 9 (point x 2 + replication): its mean, min and max
# of region utilization (%), against export's per-run series
"$vs" export rs.h5 --csv rx > /dev/null 2>&1 || { echo "FAIL export rs"; fail=$((fail + 1)); }
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "east (run 8)") a = i; if ($i == "east (run 9)") b = i }; next }
         { x = 100 * $a; y = 100 * $b; printf "%s %.6f %.6f %.6f\n", $1, (x + y) / 2, (x < y ? x : y), (x > y ? x : y) }' \
  rx/series/region_utilization.csv > want
ok point-want [ "$(wc -l < want)" -ge 4 ]
# region/utilization's file: a date and mean, low, high for east then west
f=$(grep -l . "$k"/d*.dat | while read -r g; do [ "$(awk 'NR == 1 { print NF }' "$g")" -eq 7 ] && echo "$g"; done | head -1)
awk '{ printf "%s %.6f %.6f %.6f\n", substr($1, 1, 10), $2, $3, $4 }' "$f" > got
ok point-means cmp -s want got
# the pooled chart's means differ (every point's runs)
ok point-not-pooled sh -c "! cmp -s '$f' \"\$(ls -d '$tmp'/pooled/.vouchsim-plot-*)/$(basename "$f")\""
t point-past 2 "rs.h5: --point 9: the sweep has points 0 to 5" -- "$vs" plot rs.h5 --point 9 -o x.png
t point-nan 2 "--point: expected a point number \(0, 1, \.\.\.\), got 'x'" -- "$vs" plot rs.h5 --point x -o x.png
t point-neg 2 "got '-1'" -- "$vs" plot rs.h5 --point -1 -o x.png
t point-run 2 "run.h5: --point: not a sweep file" -- "$vs" plot run.h5 --point 0 -o x.png
t point-cmp 2 "cmp.h5: --point: not a sweep file \(a comparison\)" -- "$vs" plot cmp.h5 --point 0 -o x.png
t point-response 2 "--point 1: it picks the runs the series charts draw; chart 'response' draws every point: drop --point" \
  -- "$vs" plot two.h5 --point 1 --chart response -o x.png
ok point-nothing-left [ ! -e x.png ]

echo "plotfix: $pass passed, $fail failed"
[ $fail -eq 0 ]
