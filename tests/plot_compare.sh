#!/bin/sh
# tests/plot_compare.sh - charts of a comparison file (compare -o, run
# --counterfactual -o): every chart of a small comparison is drawn as a
# whole PNG; the series charts carry both arms, labelled by the file's
# arm names; the difference chart draws exactly the differences and
# half-widths of /compare/differences (read back with tests/h5csv); the
# utilization difference over time equals policy - base of the runs with
# the same replication, computed here from `vouchsim export` of each arm;
# entity selections keep the same columns in both arms; bad combinations
# give exit 2 and one line. The private directory is kept with
# VOUCHSIM_KEEP_PLOT_FILES=1 to read gnuplot's data and script.
name=plot_compare
. "${top_srcdir:-.}/tests/plot_lib.sh"
sc="$s/scenarios"
case $sc in /*) ;; *) sc="$PWD/$sc";; esac

# a short comparison on common random numbers: routing west-first moves
# load from east to west, so the differences are far from zero
"$vs" compare "$sc/china-2025.yaml" "$sc/west-first.yaml" --replications 3 --until 2025-01-20 \
  -o "$tmp/cmp.h5" --quiet >/dev/null 2>&1 || { echo "FAIL compare"; exit 1; }
"$vs" run "$sc/china-2025.yaml" --until 2025-01-10 -r 2 -o "$tmp/run.h5" --quiet \
  >/dev/null 2>&1 || { echo "FAIL run"; exit 1; }

png() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }
fields() { awk 'NF { print NF }' "$1" | sort -u | tr '\n' ' '; }
# oneline NAME WANT PATTERN -- COMMAND...: exit WANT, one line, matching
oneline() {
  n=$1 w=$2 p=$3; shift 4
  t "$n" "$w" "$p" -- "$@"
  ok "$n-one-line" test "$("$@" 2>&1 | wc -l | tr -d ' ')" = 1
}

# 1. every chart, each a whole PNG; no private directory left
mkdir "$tmp/all"
t all 0 'c_utilization-difference\.png' -- "$vs" plot "$tmp/cmp.h5" -o "$tmp/all/c.png"
for c in utilization budget spend demand wait difference utilization-difference; do
  ok "all-$c-png" png "$tmp/all/c_$c.png"
done
ok all-seven test "$(ls "$tmp/all" | wc -l | tr -d ' ')" = 7
ok all-no-temp test -z "$(find "$tmp/all" -name '.vouchsim-*')"
# and one at a time, in each format
for c in difference utilization-difference; do
  t "one-$c" 0 "$c\.svg" -- "$vs" plot "$tmp/cmp.h5" --chart $c -o "$tmp/all/$c.svg"
done
t one-pdf 0 'u\.pdf' -- "$vs" plot "$tmp/cmp.h5" --chart utilization -o "$tmp/all/u.pdf"
# --arm still draws one arm as a file of its own
mkdir "$tmp/arm"
t arm-base 0 'a_wait\.png' -- "$vs" plot "$tmp/cmp.h5" --arm base -o "$tmp/arm/a.png"
ok arm-base-five test "$(ls "$tmp/arm" | wc -l | tr -d ' ')" = 5

# 2. both arms on a series chart: the arm names label the lines, base dashed
kept util "$tmp/cmp.h5" --chart utilization
ok util-exit test $st -eq 0
ok util-arm-policy grep -q "keyentry with lines lc rgb '#404040' dt 1 .* title 'policy'" "$k/plot.gp"
ok util-arm-base grep -q "keyentry with lines lc rgb '#404040' dt (7,5) .* title 'base'" "$k/plot.gp"
ok util-title grep -q "policy: China 2025, west-first routing; base: China 2025" "$k/plot.gp"
ok util-bands-both sh -c "grep -q 'policy: range of 3 runs (min to max)' '$k/plot.gp' && grep -q 'base: range of 3 runs (min to max)' '$k/plot.gp'"
# one data file per arm, date + 3 numbers for each of 2 regions
ok util-base-columns test "$(fields "$k/d0.dat")" = "7 "
ok util-policy-columns test "$(fields "$k/d1.dat")" = "7 "
ok util-lines-four test "$(grep -c "using 1:[0-9]* with lines lc rgb '#[0-9a-f]*' dt" "$k/plot.gp")" = 4

# 3. selections work on both arms
kept west "$tmp/cmp.h5" --chart utilization --region west
ok west-base-columns test "$(fields "$k/d0.dat")" = "4 "
ok west-policy-columns test "$(fields "$k/d1.dat")" = "4 "
ok west-no-east sh -c "! grep -q \"title 'east'\" '$k/plot.gp'"
kept dc "$tmp/cmp.h5" --chart utilization --datacenter wuhu-a800
ok dc-columns test "$(fields "$k/d2.dat")" = "4 "
ok dc-titled grep -q "title 'wuhu-a800'" "$k/plot.gp"
kept city "$tmp/cmp.h5" --chart spend --city shanghai
ok city-columns sh -c "test \"\$(cat '$k'/d*.dat | awk 'NF { print NF }' | sort -u)\" = 4"
ok city-titled grep -q "title 'shanghai'" "$k/plot.gp"
# many entities, none named: the MAX_CMP (6) that differ most, and a note
kept demand "$tmp/cmp.h5" --chart demand
ok demand-others grep -q "other city not drawn: choose with --city" "$k/plot.gp"
kept udc "$tmp/cmp.h5" --chart utilization-difference --datacenter wuhu-a800
ok udc-one-panel sh -c "test \$(ls '$k'/d*.dat | wc -l) = 1 && grep -q \"title 'data center wuhu-a800'\" '$k/plot.gp'"

# 4. the difference chart draws /compare/differences as it is
"$b/tests/h5csv" "$tmp/cmp.h5" /compare/differences > "$tmp/diff.csv" || { echo "FAIL h5csv"; exit 1; }
# drawn NAME: "total difference half-width" of each row drawn, from the
# kept data files (columns 5 and 6 hold the table's numbers, %.17g)
drawn() {
  for f in "$k"/d*.dat; do paste -d' ' "${f%.dat}.names" "$f"; done |
    awk '{ print $1, tolower($6), tolower($7) }' | sort
}
# table NAMES...: the same from the file
table() {
  for n in "$@"; do awk -F, -v n="$n" '$1 == n { print $1, $8, $9 }' "$tmp/diff.csv"; done | sort
}
kept diff "$tmp/cmp.h5" --chart difference --outcome subsidy_total --outcome utilization_west \
  --outcome firms_buying --outcome region.east.jobs_left_queue
ok diff-exit test $st -eq 0
ok diff-rows test "$(drawn | wc -l | tr -d ' ')" = 4
ok diff-equal test "$(drawn)" = "$(table subsidy_total utilization_west firms_buying region.east.jobs_left_queue)"
ok diff-nonzero sh -c "awk -F, '\$1 == \"utilization_west\" && \$8 > 0.05 { f = 1 } END { exit !f }' '$tmp/diff.csv'"
# as drawn: shares in percentage points (x100), interval = difference +- half-width
shown() { for f in "$k"/d*.dat; do paste -d' ' "${f%.dat}.names" "$f"; done; }
shown_pp() {
  shown | awk '$1 == "utilization_west" { d = $3 - 100 * $6; h = $5 - $3 - 100 * $7
                                          f = (d * d < 1e-12 && h * h < 1e-12) } END { exit !f }'
}
ok diff-shown-pp shown_pp
ok diff-units sh -c "grep -q \"set xlabel 'policy - base (percentage points)'\" '$k/plot.gp' && grep -q \"set xlabel 'policy - base (firms)'\" '$k/plot.gp' && grep -q \"set xlabel 'policy - base (jobs)'\" '$k/plot.gp'"
ok diff-zero-line grep -q 'set yzeroaxis' "$k/plot.gp"
# default: the headline totals compare prints first, and the GPU-hours
# owed at the horizon, co-payments and revenue (walkfix_d)
kept head "$tmp/cmp.h5" --chart difference
ok head-fifteen test "$(cat "$k"/d*.names | wc -l | tr -d ' ')" = 15
ok head-equal test "$(drawn)" = "$(table $(cat "$k"/d*.names))"
# a region's measures, by --region
kept regdiff "$tmp/cmp.h5" --chart difference --region west --outcome utilization
ok regdiff-one test "$(cat "$k"/d*.names)" = "region.west.utilization"
ok regdiff-equal test "$(drawn)" = "$(table region.west.utilization)"

# 5. utilization over time: policy - base of the runs with the same
# replication, against the arms' own series from vouchsim export
"$vs" export "$tmp/cmp.h5" --arm base --csv "$tmp/xb" >/dev/null 2>&1 &&
"$vs" export "$tmp/cmp.h5" --arm policy --csv "$tmp/xp" >/dev/null 2>&1 ||
  { echo "FAIL export"; fail=$((fail + 1)); }
kept udiff "$tmp/cmp.h5" --chart utilization-difference
ok udiff-exit test $st -eq 0
ok udiff-two-panels test "$(ls "$k"/d*.dat | wc -l | tr -d ' ')" = 2
# east is column 3, 5, 7 of run 0, 1, 2 in the export; d0.dat is east
paste -d, "$tmp/xb/series/region_utilization.csv" "$tmp/xp/series/region_utilization.csv" |
  awk -F, 'NR > 1 { n = 0; s = 0; for (r = 0; r < 3; r++) { s += $(11 + 2 * r) - $(3 + 2 * r); n++ }
                    printf "%s %.9f\n", $1, 100 * s / n }' > "$tmp/east.want"
awk '{ printf "%s %.9f\n", $1, $2 }' "$k/d0.dat" > "$tmp/east.got"
ok udiff-equal sh -c "paste -d' ' '$tmp/east.want' '$tmp/east.got' | awk '\$1 != \$3 || (\$2 - \$4) ^ 2 > 1e-12 { bad = 1 } END { exit bad || NR < 10 }'"
ok udiff-negative sh -c "awk '\$2 < -5 { f = 1 } END { exit !f }' '$k/d0.dat'"
ok udiff-interval sh -c "awk '\$5 == 3 && !(\$3 <= \$2 && \$2 <= \$4) { bad = 1 } END { exit bad }' '$k/d0.dat'"
ok udiff-units grep -q "set ylabel 'policy - base (percentage points)'" "$k/plot.gp"

# 6. bad combinations: exit 2 and one line
oneline bad-arm-diff 2 "chart 'difference' compares the arms .*drop --arm base" -- \
  "$vs" plot "$tmp/cmp.h5" --arm base --chart difference -o "$tmp/x.png"
oneline bad-run-diff 2 "chart 'utilization-difference' needs a comparison file" -- \
  "$vs" plot "$tmp/run.h5" --chart utilization-difference -o "$tmp/x.png"
oneline bad-outcome 2 "unknown outcome .*'subsidy_totl' \(did you mean 'subsidy_total'\?\)" -- \
  "$vs" plot "$tmp/cmp.h5" --chart difference --outcome subsidy_totl -o "$tmp/x.png"
oneline bad-outcomes-run 2 "--outcome once" -- \
  "$vs" plot "$tmp/run.h5" --outcome subsidy_total --outcome firms_buying -o "$tmp/x.png"
oneline bad-key 2 "--key: not a sweep file" -- "$vs" plot "$tmp/cmp.h5" --key x -o "$tmp/x.png"
oneline bad-response 2 "chart 'response' needs a sweep" -- \
  "$vs" plot "$tmp/cmp.h5" --chart response -o "$tmp/x.png"
oneline bad-dc-diff 2 "no rows per data center" -- \
  "$vs" plot "$tmp/cmp.h5" --chart difference --datacenter wuhu-a800 -o "$tmp/x.png"
oneline bad-city 2 "unknown city 'shanghia' \(did you mean 'shanghai'\?\)" -- \
  "$vs" plot "$tmp/cmp.h5" --city shanghia -o "$tmp/x.png"
oneline bad-arm 2 "no arm 'polic' in this comparison file \(arms: base, policy\)" -- \
  "$vs" plot "$tmp/cmp.h5" --arm polic -o "$tmp/x.png"
# a comparison file cut short: refused in one line, nothing drawn
head -c 300000 "$tmp/cmp.h5" > "$tmp/cut.h5"
oneline bad-truncated 2 "cut\.h5: .*truncated" -- "$vs" plot "$tmp/cut.h5" -o "$tmp/x.png"
ok bad-nothing-left test -z "$(ls "$tmp" | grep 'x\.png')"

# 7. a counterfactual file: its arms by their names, base first
"$vs" run "$sc/china-2025.yaml" --counterfactual --until 2025-01-10 -r 2 -o "$tmp/cf.h5" \
  --quiet >/dev/null 2>&1 || { echo "FAIL counterfactual"; fail=$((fail + 1)); }
kept cf "$tmp/cf.h5" --chart spend
ok cf-exit test $st -eq 0
ok cf-title grep -q "Spend per city: vouchers vs counterfactual" "$k/plot.gp"
ok cf-arm-names sh -c "grep -q \"title 'vouchers'\" '$k/plot.gp' && grep -q \"title 'counterfactual'\" '$k/plot.gp'"
kept cfd "$tmp/cf.h5" --chart difference --outcome subsidy_total
ok cfd-label grep -q "set xlabel 'vouchers - counterfactual (" "$k/plot.gp"
# one arm on its own: the title names it, and says when its vouchers are off
kept cfa "$tmp/cf.h5" --chart budget --arm counterfactual
ok cfa-exit test $st -eq 0
ok cfa-title grep -q "(arm counterfactual, vouchers off): " "$k/plot.gp"
kept cfv "$tmp/cf.h5" --chart budget --arm vouchers
ok cfv-title sh -c "grep -q '(arm vouchers): ' '$k/plot.gp' && ! grep -q 'vouchers off' '$k/plot.gp'"
kept one "$tmp/run.h5" --chart budget
ok one-title-no-arm sh -c "! grep -q '(arm ' '$k/plot.gp'"

# 8. a chart name that is a shell command stays a name
mkdir "$tmp/w"
( cd "$tmp/w" && "$vs" plot "$tmp/cmp.h5" --chart difference -o './|touch pwned;x.png' ) >/dev/null 2>&1
ok inject-literal png "$tmp/w/|touch pwned;x.png"
ok inject-no-command test -z "$(find "$tmp" -name 'pwned*')"

# 9. the bash completion offers the new charts and the arms
if command -v bash >/dev/null 2>&1; then
  comp() {
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vouchsim
             printf "%s\n" "${COMPREPLY[@]}"' sh "$s/tools/vouchsim.bash" "$@"
  }
  ok comp-difference test "$(comp vouchsim plot x.h5 --chart dif | tr '\n' ' ')" = "difference "
  ok comp-util-difference test "$(comp vouchsim plot x.h5 --chart utilization- | tr '\n' ' ')" = "utilization-difference "
  ok comp-arm test "$(comp vouchsim plot x.h5 --arm p | tr '\n' ' ')" = "policy "
fi

echo "plot_compare: $pass passed, $fail failed"
[ $fail -eq 0 ]
