#!/bin/sh
# tests/plot_cli.sh - `plot` picks what to draw: entity selections checked
# against the file (exit 2 with a suggestion), data files holding exactly
# the selected columns, one colour per entity in every chart, region
# grouping when the file records regions and a note when it does not,
# titles that say the --set overrides and the runs pooled, and the
# response and Sobol charts of small sweeps. The private directory is
# kept with VOUCHSIM_KEEP_PLOT_FILES=1 to read gnuplot's data and script.
name=plot_cli
. "${top_srcdir:-.}/tests/plot_lib.sh"
sc="$s/scenarios/china-2025.yaml"
case $sc in /*) ;; *) sc="$PWD/$sc";; esac

"$b/tests/mkh5" "$tmp/s3.h5" 3 || { echo "mkh5 failed"; exit 1; }
"$b/tests/mkh5" "$tmp/c3.h5" 3 coords || { echo "mkh5 failed"; exit 1; }

# fields FILE: the distinct numbers of fields of its lines
fields() { awk 'NF { print NF }' "$1" | sort -u | tr '\n' ' '; }
# colour NAME: the colour of the line titled NAME in the kept script
colour() { grep "with lines.* title '$1'" "$k/plot.gp" | sed -n "s/.*lc rgb '\(#[0-9a-f]*\)'.*/\1/p" | head -1; }

# 1. unknown names: exit 2, a suggestion, the names the file has
t sel-bad-city 2 "unknown city 'qingdoa' \(did you mean 'qingdao'\?\); the file has: jinan, qingdao, guiyang" -- \
  "$vs" plot "$tmp/s3.h5" --city qingdoa -o "$tmp/x.png"
t sel-bad-region 2 "unknown region 'wset' \(did you mean 'west'\?\)" -- \
  "$vs" plot "$tmp/s3.h5" --region wset -o "$tmp/x.png"
t sel-bad-dc 2 "unknown data center 'guiyang-big' \(did you mean 'guiyang_big'\?\)" -- \
  "$vs" plot "$tmp/s3.h5" --chart utilization --datacenter beijing_1 --datacenter guiyang-big -o "$tmp/x.png"
t sel-bad-program 2 "unknown program 'shandong' \(did you mean 'shandong_compute'\?\)" -- \
  "$vs" plot "$tmp/s3.h5" --program shandong -o "$tmp/x.png"
t sel-no-value 2 '--city needs a value' -- "$vs" plot "$tmp/s3.h5" --city
t sel-bad-outcome 2 "unknown outcome .* 'subsidy_totl' \(did you mean 'subsidy_total'\?\)" -- \
  "$vs" plot "$tmp/s3.h5" --chart response --outcome subsidy_totl -o "$tmp/x.png"
t response-not-sweep 2 "needs /sweep/params" -- "$vs" plot "$tmp/s3.h5" --chart response -o "$tmp/x.png"
t key-not-sweep 2 "--key: not a sweep file" -- "$vs" plot "$tmp/s3.h5" --key x -o "$tmp/x.png"
ok sel-bad-nothing-left test -z "$(ls -A "$tmp" | grep -v '\.h5$')"

# 2. data centers by name: the data files hold exactly those columns
kept dc "$tmp/s3.h5" --chart utilization --datacenter beijing_1 --datacenter gansu_qy
ok dc-exit test $st -eq 0
ok dc-regions-columns test "$(fields "$k/d0.dat")" = "7 "
ok dc-centers-columns test "$(fields "$k/d1.dat")" = "7 "
ok dc-titled grep -q "title 'gansu_qy'" "$k/plot.gp"
ok dc-others-absent sh -c "! grep -q 'ningxia_zw' '$k/plot.gp'"
ok dc-png test -s "$tmp/dc/c.png"
# a few centres chosen by name are drawn solid and wider than the dashed
# region means, so none hides under its region's line
ok dc-named-solid sh -c "grep \"title 'gansu_qy'\" '$k/plot.gp' | grep -q 'dt 1 lw 2.4'"
# the same centre has the same colour as in the chart of all centres
c1=$(colour gansu_qy)
kept dcall "$tmp/s3.h5" --chart utilization
ok dc-colour-stable test -n "$c1" -a "$c1" = "$(colour gansu_qy)"
ok dcall-centers-columns test "$(fields "$k/d1.dat")" = "19 "

# 3. a city: its column only, its colour as in every chart of the file
kept city "$tmp/s3.h5" --chart spend --city qingdao
ok city-columns test "$(fields "$k/d0.dat")" = "4 "
cq=$(colour qingdao)
kept cityall "$tmp/s3.h5" --chart demand
ok city-colour-stable test -n "$cq" -a "$cq" = "$(colour qingdao)"
ok city-title-selected grep -q "selected: qingdao" "$tmp/city/.vouchsim-plot-"*/plot.gp
# several, as a list: "selected: qingdao, jinan" (they ran together)
kept cities "$tmp/s3.h5" --chart spend --city qingdao --city jinan
ok cities-title-list grep -q "selected: qingdao, jinan" "$k/plot.gp"

# 4. --region without coordinates: the region lines only, and a note
kept noreg "$tmp/s3.h5" --chart utilization --region west
ok noreg-exit test $st -eq 0
ok noreg-note grep -q 'note: region unknown for each data center' "$tmp/noreg/out"
ok noreg-region-columns test "$(fields "$k/d0.dat")" = "4 "
ok noreg-all-centers test "$(fields "$k/d1.dat")" = "19 "

# 5. --region with coordinates: the region's centres, cities, programs
kept reg "$tmp/c3.h5" --chart utilization --region west
ok reg-no-note sh -c "! grep -q note '$tmp/reg/out'"
ok reg-centers-columns test "$(fields "$k/d1.dat")" = "10 "
ok reg-center-west grep -q "title 'gansu_qy'" "$k/plot.gp"
ok reg-center-east-absent sh -c "! grep -q 'beijing_1' '$k/plot.gp'"
kept regcity "$tmp/c3.h5" --chart spend --region west
ok reg-city-columns test "$(fields "$k/d0.dat")" = "4 "
ok reg-city-guiyang grep -q "title 'guiyang'" "$k/plot.gp"
kept regprog "$tmp/c3.h5" --chart budget --region east
ok reg-program-columns test "$(fields "$k/d0.dat")" = "4 "
ok reg-program-shandong grep -q "title 'shandong_compute'" "$k/plot.gp"
kept cityprog "$tmp/c3.h5" --chart budget --city guiyang
ok city-program-guizhou grep -q "title 'guizhou_data'" "$k/plot.gp"
ok city-program-columns test "$(fields "$k/d0.dat")" = "4 "
# with regions known, a centre is drawn in its region's hue
kept hue "$tmp/c3.h5" --chart utilization
ok hue-east-center test "$(colour beijing_1)" = '#d95f02'
ok hue-west-center test "$(colour guiyang_big)" = '#1f78b4'

# 6. every chart with a selection of several kinds
mkdir "$tmp/all"
t sel-all 0 'a_wait\.png' -- "$vs" plot "$tmp/c3.h5" --datacenter beijing_1 --region west --program guizhou_data --city jinan -o "$tmp/all/a.png"
ok sel-all-five test "$(ls "$tmp/all" | wc -l | tr -d ' ')" = 5

# 7. a short run with --set: the title says so, and the runs pooled
"$vs" run "$sc" --until 2025-01-15 -r 2 --set programs.shanghai-compute.coverage=0.6 \
  -o "$tmp/set.h5" --quiet >/dev/null 2>&1 || { echo "FAIL run"; fail=$((fail + 1)); }
kept set "$tmp/set.h5" --chart utilization
ok set-title grep -q "with --set programs.shanghai-compute.coverage=0.6" "$k/plot.gp"
ok set-runs grep -q "mean of 2 runs" "$k/plot.gp"
# 18 centres, their regions recorded in the file: one legend entry per
# region (10 east, 8 west), not 18
ok many-centers-one-entry-per-region sh -c "grep -q \"title '10 eastern data centers'\" '$k/plot.gp' && grep -q \"title '8 western data centers'\" '$k/plot.gp'"
ok many-centers-unlabelled sh -c "! grep -q \"title 'wuhu-a800'\" '$k/plot.gp'"
ok set-wrapped sh -c "grep '^set multiplot .*title' '$k/plot.gp' | grep -q '\.\"\\\\n\"\.'"

# 8. a grid sweep: 2 points x 2 replications; the response curve
"$vs" sweep "$sc" --until 2025-01-15 --replications 2 --vary programs.shanghai-compute.coverage=0.4:0.8:2 \
  -o "$tmp/sw.h5" --quiet >/dev/null 2>&1 || { echo "FAIL sweep"; fail=$((fail + 1)); }
kept resp "$tmp/sw.h5" --chart response --outcome subsidy_total
ok resp-exit test $st -eq 0
ok resp-points test "$(awk 'NF == 6' "$k/d0.dat" | wc -l | tr -d ' ')" = 2
ok resp-x sh -c "awk 'NF == 6 { print \$1 }' '$k/d0.dat' | tr '\n' ' ' | grep -qx '0.4 0.8 '"
ok resp-interval sh -c "awk 'NF == 6 && !(\$3 <= \$2 && \$2 <= \$4 && \$5 == 2) { bad = 1 } END { exit bad }' '$k/d0.dat'"
ok resp-title grep -q "2 points, 4 runs" "$k/plot.gp"
ok resp-units grep -q "subsidy_total (M CNY)" "$k/plot.gp"
# one key: its name under the axis only (a panel title said it again)
ok resp-one-panel-untitled sh -c "grep -qx 'unset title' '$k/plot.gp' && ! grep -q '^set title' '$k/plot.gp'"
ok resp-key-axis grep -qx "set xlabel 'programs.shanghai-compute.coverage'" "$k/plot.gp"
t resp-bad-key 2 "did you mean 'programs.shanghai-compute.coverage'" -- \
  "$vs" plot "$tmp/sw.h5" --chart response --key programs.shanghai-compute.coverag -o "$tmp/x.png"
kept pooled "$tmp/sw.h5" --chart utilization
ok sweep-pooled-runs grep -q "4 runs of 2 sweep points pooled" "$k/plot.gp"
ok sweep-band-runs grep -q "range of 4 runs (min to max)" "$k/plot.gp"

# 9. a Sobol design: 4 x (1 + 2) points; the indices as bars
"$vs" sweep "$sc" --until 2025-01-10 --design sobol --samples 4 --bootstrap 20 --replications 1 \
  --vary programs.shanghai-compute.coverage=0.4:0.8 -o "$tmp/so.h5" --quiet >/dev/null 2>&1 ||
  { echo "FAIL sobol sweep"; fail=$((fail + 1)); }
kept sobol "$tmp/so.h5" --chart sobol --outcome subsidy_total
ok sobol-exit test $st -eq 0
ok sobol-row test "$(fields "$k/d0.dat")" = "7 "
ok sobol-label grep -q "set xtics ('programs.'.\"\\\\n\".'shanghai-compute.'.\"\\\\n\".'coverage' 0)" "$k/plot.gp"
# the axis's label under the key's three lines (it sat between the tic labels)
ok sobol-xlabel-below grep -qx "set xlabel 'Varied key' offset 0,-2" "$k/plot.gp"
ok sobol-png test -s "$tmp/sobol/c.png"
t sobol-not-sobol 2 "needs /sobol/indices" -- "$vs" plot "$tmp/sw.h5" --chart sobol -o "$tmp/x.png"

echo "plot_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
