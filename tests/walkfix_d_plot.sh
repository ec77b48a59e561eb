#!/bin/sh
# tests/walkfix_d_plot.sh - charts that said less, or other, than the
# numbers (a first-time user's findings), on the README's routing
# comparison (china-2025 against west-first, 2 replications, the year)
# and a small pooled sweep:
# 3. the difference chart's default rows agree with compare's table: its
#    headline totals, then the GPU-hours owed at the horizon (a level, in
#    a panel of levels), co-payments and revenue, each with compare's
#    number; the title says the table's other totals come with --outcome.
# 5. run-out rows (runout_first_h: hours in the file and in compare's
#    CSV) drawn in days say so beside every number ("1.54 d  [..d, ..d]")
#    and on the axis, and the days are the table's hours / 24; compare's
#    printed table says d beside its day differences, its CSV h.
# 4. a band's legend swatch has the band's colour: in every series chart
#    of a run file and of a sweep's pooled runs, the swatch's fill is the
#    first band's, and a panel whose bands differ in colour says "(each
#    band in its line's colour)" (one colour: no such line); in a
#    comparison's chart the arms' swatches likewise.
name=walkfix_d_plot
. "${top_srcdir:-.}/tests/plot_lib.sh"
sc="$s/scenarios"
case $sc in /*) ;; *) sc="$PWD/$sc";; esac

"$vs" compare "$sc/china-2025.yaml" "$sc/west-first.yaml" -r 2 -j 2 --by program -o "$tmp/cmp.h5" \
  --quiet > "$tmp/cmp.txt" 2>&1 || { echo "FAIL compare"; cat "$tmp/cmp.txt"; exit 1; }
"$vs" summary "$tmp/cmp.h5" --by program --format csv > "$tmp/cmp.csv" 2>/dev/null ||
  { echo "FAIL summary"; exit 1; }

# ---- 3. the default rows ----
kept head "$tmp/cmp.h5" --chart difference
ok head-exit test $st -eq 0
cat "$k"/d*.names > "$tmp/drawn.txt"
# compare's table: its first 11 totals, then the four the chart adds
sed -n '/^total /,/^$/p' "$tmp/cmp.txt" | awk 'NR > 1 && NF { print $1 }' > "$tmp/totals.txt"
{ head -11 "$tmp/totals.txt"
  printf '%s\n' gpu_hours_owed_at_horizon gpu_hours_owed_additional copay_total revenue_total
} | sort > "$tmp/want.txt"
ok head-in-table sh -c "for n in gpu_hours_owed_at_horizon gpu_hours_owed_additional copay_total revenue_total; do grep -qx \$n '$tmp/totals.txt' || exit 1; done"
# (and the run-out rows of the programs whose arms differ: Chengdu's)
ok head-rows test "$(grep -v '^program\.' "$tmp/drawn.txt" | sort)" = "$(cat "$tmp/want.txt")"
# each drawn row is compare's number (the table's difference, as read)
shown() { for f in "$k"/d*.dat; do paste -d' ' "${f%.dat}.names" "$f"; done; }
csvdiff() { awk -F, -v n="$1" '$1 == n { print $5 + 0 }' "$tmp/cmp.csv"; }
owed=$(shown | awk '$1 == "gpu_hours_owed_at_horizon" { print $6 }')
ok head-owed-number awk -v a="$owed" -v b="$(csvdiff gpu_hours_owed_at_horizon)" \
  'BEGIN { d = a - b; exit !(a != "" && d * d <= 1e-6 * b * b) }'
ok head-owed-nonzero awk -v a="$owed" 'BEGIN { exit !(a > 0) }'
# the owed rows are levels at the horizon, in a panel of their own
f=$(grep -l '^gpu_hours_owed_at_horizon$' "$k"/d*.names)
ok head-owed-panel test "$(sort "$f" | tr '\n' ' ')" = "gpu_hours_owed_additional gpu_hours_owed_at_horizon "
ok head-owed-level grep -q "^set xlabel 'policy - base (GPU-h), levels at the horizon'" "$k/plot.gp"
ok head-title grep -q "its other totals: --outcome NAME" "$k/plot.gp"
# with --outcome, no such words
kept one "$tmp/cmp.h5" --chart difference --outcome subsidy_total
ok one-no-title-words sh -c "! grep -q 'its other totals' '$k/plot.gp'"

# ---- 5. run-out rows in days ----
kept days "$tmp/cmp.h5" --chart difference --program shanghai-compute
ok days-exit test $st -eq 0
f=$(grep -l 'runout_first_h$' "$k"/d*.names)
ok days-rows test "$(cat "$f" | tr '\n' ' ')" = "program.shanghai-compute.runout_first_h program.shanghai-compute.runout_final_h "
# as drawn (column 2) = the table's hours (column 5) / 24, and the table's
# hours are compare's CSV's
ok days-factor awk '{ d = $2 * 24 - $5; if (d * d > 1e-12 * $5 * $5) bad = 1; n++ } END { exit bad || n != 2 }' "${f%.names}.dat"
first_h=$(awk -F, '$1 == "program" && $2 == "shanghai-compute" && $3 == "runout_first_h" { print $4, $7 }' "$tmp/cmp.csv")
ok days-csv-unit test "${first_h%% *}" = h
ok days-csv-hours awk -v a="${first_h#* }" -v b="$(head -1 "${f%.names}.dat" | cut -d' ' -f5)" \
  'BEGIN { d = a - b; exit !(a != "" && a != 0 && d * d <= 1e-12 * b * b) }'
# every number beside a run-out row (the last panel's) says d, and the
# axis says days; the other panels' numbers carry no d
awk '/^unset label/ { n++ } /^set label/ { print n, $0 }' "$k/plot.gp" > "$tmp/labels.txt"
last=$(tail -1 "$tmp/labels.txt" | cut -d' ' -f1)
grep "^$last " "$tmp/labels.txt" > "$tmp/last.txt"
grep -v "^$last " "$tmp/labels.txt" > "$tmp/other.txt"
num='-\{0,1\}[0-9.]*'
ok days-labels test "$(grep -c "'$num d  \[$num d, $num d\]  n=2'\|'$num d  (n=1, no interval)'" "$tmp/last.txt")" = 2
ok days-two-labels test "$(wc -l < "$tmp/last.txt")" -eq 2
ok days-axis grep -q "^set xlabel 'policy - base (days: the rows'' hours / 24)'" "$k/plot.gp"
ok days-only-there sh -c "[ -s '$tmp/other.txt' ] && ! grep -q ' d  [[(]' '$tmp/other.txt'"
# compare's own table: a date per arm, the differences in days, said so
ok days-compare-table grep -Eq '^    runout_first_h +date +2025-[0-9-]+ \(2/2\) +2025-[0-9-]+ \(2/2\) +[-+][0-9.]+ d \(2\) +\+-[0-9.]+ d ' "$tmp/cmp.txt"

# ---- 4. the band's swatch ----
# swatches FILE: per plot command, "ok" when its band key's fill is its
# first band's and it says "each band" exactly when the bands differ
swatches() {
  awk '/^plot / { on = 1; nb = 0; first = ""; many = 0; key = ""; each = 0 }
       on { line = $0
            while (match(line, /filledcurves fc rgb .#[0-9a-f]+. notitle/)) {
              c = substr(line, RSTART + 21, 7)
              if (first == "") first = c; else if (c != first) many = 1
              nb++; line = substr(line, RSTART + RLENGTH) }
            if (match($0, /keyentry with filledcurves fc rgb .#[0-9a-f]+./))
              key = substr($0, RSTART + 35, 7)
            if (index($0, "(each band in its line")) each = 1
            if ($0 !~ /\\$/) { on = 0
              if (nb) print (key == first && each == many) ? "ok" : "bad " key " " first " " many " " each } }' "$1"
}
"$vs" run "$sc/china-2025.yaml" --until 2025-02-01 -r 2 -j 2 -o "$tmp/run.h5" --quiet > /dev/null 2>&1
"$vs" sweep "$sc/china-2025.yaml" --until 2025-02-01 -r 1 -j 2 --quiet \
  --vary programs.shanghai-compute.coverage=0.5,0.8 -o "$tmp/sw.h5" > /dev/null 2>&1
for f in run sw; do
  for ch in utilization budget spend demand wait; do
    kept "$f-$ch" "$tmp/$f.h5" --chart $ch
    ok "$f-$ch-exit" test $st -eq 0
    swatches "$k/plot.gp" > "$tmp/sw.txt"
    ok "$f-$ch-swatch" sh -c "[ -s '$tmp/sw.txt' ] && ! grep -v '^ok$' '$tmp/sw.txt'"
  done
done
# one region: one band, orange, and its swatch orange, no "each band"
kept east "$tmp/sw.h5" --chart utilization --region east
ok east-orange grep -q "^     keyentry with filledcurves fc rgb '#d95f02' title 'range of 2 runs (min to max)'" "$k/plot.gp"
ok east-one-colour sh -c "! grep -q 'each band' '$k/plot.gp'"
# two regions: the swatch is east's, and the words say the rest
kept both "$tmp/sw.h5" --chart utilization
ok both-each grep -q "keyentry with lines lc rgb '#ffffff' title '(each band in its line''s colour)'" "$k/plot.gp"
ok both-no-grey sh -c "! grep -q \"keyentry with filledcurves fc rgb '#909090'\" '$k/plot.gp'"

# a comparison: the arms' swatches (and their line entries) in the bands'
# colour when they have one; grey, with the words, when they have several
kept cmpeast "$tmp/cmp.h5" --chart utilization --region east
ok cmp-east-swatches test "$(grep -c "keyentry with filledcurves fc rgb '#d95f02' fs transparent" "$k/plot.gp")" = 2
ok cmp-east-arms test "$(grep -c "keyentry with lines lc rgb '#d95f02' dt" "$k/plot.gp")" = 2
ok cmp-east-one-colour sh -c "! grep -q 'each band' '$k/plot.gp'"
kept cmpboth "$tmp/cmp.h5" --chart utilization
ok cmp-both-grey test "$(grep -c "keyentry with filledcurves fc rgb '#707070' fs transparent" "$k/plot.gp")" = 2
ok cmp-both-each grep -q "keyentry with lines lc rgb '#ffffff' title '(each band in its line''s colour)'" "$k/plot.gp"

echo "walkfix_d_plot: $pass passed, $fail failed"
[ $fail -eq 0 ]
