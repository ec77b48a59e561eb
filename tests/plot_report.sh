#!/bin/sh
# tests/plot_report.sh - charts that read like a report's figures:
#   1. every chart's subtitle states the measured window, from the file's
#      /@start_date, /time/hours and /@warmup_h (--until and a warm-up);
#   2. a band of fewer than 20 runs is their range, exactly the min and max
#      of the runs (against `vouchsim export`), and says so; of 20 runs or
#      more, the 5th to 95th percentile, said so;
#   3. a program is drawn in its city's colour (the city's second program
#      darker, dashed);
#   4. a response interval of a count is drawn from 0 (the computed low end
#      kept in the data); a difference is never clipped;
#   5. the difference chart draws stocks and flows of one unit in panels of
#      their own, and rows too small beside the largest in a panel of
#      their own: every interval at least 1/25 of its axis, or at zero;
#   6. tic labels that cannot run off the right edge;
#   7. a panel whose every value is 0 says so;
#   8. time axes: two to a row a tic every other month over a year, "Jan
#      '25"; over 30 to 120 days on the 1st and 15th of each month; over
#      3 to 30 days every day, second day or week from the first;
#   9. titles break after a clause, or into lines of about equal length.
# The private directory is kept with VOUCHSIM_KEEP_PLOT_FILES=1.
name=plot_report
. "${top_srcdir:-.}/tests/plot_lib.sh"
sc="$s/scenarios"
case $sc in /*) ;; *) sc="$PWD/$sc";; esac

colour() { grep "with lines.* title '$1'" "$k/plot.gp" | sed -n "s/.*lc rgb '\(#[0-9a-f]*\)'.*/\1/p" | head -1; }
dash() { grep "with lines.* title '$1'" "$k/plot.gp" | sed -n "s/.* dt \([0-9]*\) .*/\1/p" | head -1; }

"$b/tests/mkh5" "$tmp/s3.h5" 3 || { echo "mkh5 failed"; exit 1; }
"$b/tests/mkh5" "$tmp/c3.h5" 3 coords || { echo "mkh5 failed"; exit 1; }
"$b/tests/mkh5" "$tmp/s20.h5" 20 || { echo "mkh5 failed"; exit 1; }
"$vs" run "$sc/china-2025.yaml" --until 2025-01-15 -r 2 -o "$tmp/run.h5" --quiet \
  >/dev/null 2>&1 || { echo "FAIL run"; exit 1; }

# 1. the window: 181 daily samples from 2025-01-01, no warm-up attribute;
# a run cut by --until after the scenario's 730-day warm-up
kept win "$tmp/s3.h5" --chart wait
ok window-mkh5 grep -q "window 2025-01-01 00:00 to 2025-06-30 00:00 (180 days)'" "$k/plot.gp"
kept winrun "$tmp/run.h5" --chart budget
ok window-until grep -q "'window 2025-01-01 00:00 to 2025-01-15 00:00 (14 days), after a 730-day warm-up (not shown)'" "$k/plot.gp"
# from the file's numbers: a --set in the title is quoted, the window is its own line
ok window-own-line sh -c "grep '^set multiplot' '$k/plot.gp' | grep -q \"\\.'window \""
for c in utilization spend demand wait; do
  kept "win-$c" "$tmp/run.h5" --chart $c
  ok "window-$c" grep -q "window 2025-01-01 00:00 to 2025-01-15 00:00 (14 days)" "$k/plot.gp"
done

# 2. bands: 3 runs, the range of the runs; against the export of every run
kept band "$tmp/s3.h5" --chart budget
ok band-label grep -q "title 'range of 3 runs (min to max)'" "$k/plot.gp"
ok band-title grep -q "mean of 3 runs; band: their range (min to max)" "$k/plot.gp"
ok band-no-pct sh -c "! grep -q '5-95' '$k/plot.gp'"
"$vs" export "$tmp/s3.h5" --csv "$tmp/x3" >/dev/null 2>&1 || { echo "FAIL export"; fail=$((fail + 1)); }
# shandong_compute: columns 3, 5, 7 of the export (yuan), 2-4 of d0.dat (M CNY)
awk -F, 'NR > 1 { lo = $3; hi = $3; for (c = 5; c <= 7; c += 2) { if ($c < lo) lo = $c; if ($c > hi) hi = $c }
                  printf "%.6f %.6f\n", lo / 1e6, hi / 1e6 }' "$tmp/x3/series/program_remaining.csv" > "$tmp/want"
awk '{ printf "%.6f %.6f\n", $3, $4 }' "$k/d0.dat" > "$tmp/got"
ok band-is-range sh -c "test \$(wc -l < '$tmp/want') = 181 && paste -d' ' '$tmp/want' '$tmp/got' |
  awk '(\$1 - \$3) ^ 2 > 1e-10 || (\$2 - \$4) ^ 2 > 1e-10 { bad = 1 } END { exit bad || NR != 181 }'"
kept band20 "$tmp/s20.h5" --chart budget
ok band20-label grep -q "title '5th-95th percentile of 20 runs'" "$k/plot.gp"
# a comparison's arms say theirs
"$vs" compare "$sc/china-2025.yaml" "$sc/west-first.yaml" --replications 2 --until 2025-01-12 \
  -o "$tmp/cmp.h5" --quiet >/dev/null 2>&1 || { echo "FAIL compare"; exit 1; }
kept cmpband "$tmp/cmp.h5" --chart utilization
ok cmp-band-labels sh -c "grep -q \"title 'policy: range of 2 runs (min to max)'\" '$k/plot.gp' && grep -q \"title 'base: range of 2 runs (min to max)'\" '$k/plot.gp'"
ok cmp-window grep -q "window 2025-01-01 00:00 to 2025-01-12 00:00 (11 days), after a 730-day warm-up" "$k/plot.gp"

# 3. a program in its city's colour: guizhou_data's city is guiyang,
# shandong_compute's jinan (tests/mkh5 coords)
kept progc "$tmp/c3.h5" --chart budget
cg=$(colour guizhou_data) cs=$(colour shandong_compute)
kept cityc "$tmp/c3.h5" --chart spend
ok program-city-colour sh -c "test -n '$cg' && test '$cg' = '$(colour guiyang)'"
ok program-city-colour2 sh -c "test -n '$cs' && test '$cs' = '$(colour jinan)'"
# the china scenario: shanghai-data is Shanghai's second program: darker, dashed
kept prog2 "$tmp/run.h5" --chart budget
p1=$(colour shanghai-compute) p2=$(colour shanghai-data) d2=$(dash shanghai-data)
kept city2 "$tmp/run.h5" --chart spend
ok program-first-city-colour test "$p1" = "$(colour shanghai)"
ok program-second-differs sh -c "test -n '$p2' && test '$p2' != '$p1' && test '$d2' = 2"
# the program's colour in a comparison is the same as in a run file
kept cmpprog "$tmp/cmp.h5" --chart budget --program shanghai-compute
ok cmp-program-colour grep -q "keyentry with lines lc rgb '$p1' lw 5 title 'shanghai-compute'" "$k/plot.gp"

# 4. a response interval of a count from 0: 3 replications per point (the
# fewest drawn with intervals) over a day, on a seed where one goes below 0
"$vs" sweep "$sc/china-2025.yaml" --until 2025-01-02 --replications 3 --seed 4 \
  --vary programs.shanghai-compute.coverage=0.4:0.8:3 -o "$tmp/sw.h5" --quiet >/dev/null 2>&1 ||
  { echo "FAIL sweep"; fail=$((fail + 1)); }
clipped_resp() {
  for o in firms_additional firms_buying firms_deadweight vouchers_declined gpu_hours_additional; do
    kept "resp-$o" "$tmp/sw.h5" --chart response --outcome $o
    # column 6: the low end as computed; 3: as drawn
    if awk 'NF == 6 && $6 < 0 { f = 1 } END { exit !f }' "$k/d0.dat"; then echo "$o"; return 0; fi
  done
  return 1
}
o=$(clipped_resp)
ok resp-some-below-zero test -n "$o"
kept resp "$tmp/sw.h5" --chart response --outcome "$o"
ok resp-drawn-from-0 sh -c "awk 'NF == 6 && (\$3 < 0 || (\$6 < 0 && \$3 != 0) || (\$6 >= 0 && \$3 != \$6)) { bad = 1 } END { exit bad }' '$k/d0.dat'"
ok resp-said grep -q "95% interval (drawn from 0: it cannot be negative)" "$k/plot.gp"
ok resp-axis-from-0 grep -q "set yrange \[0:\*\]" "$k/plot.gp"
# a total that stays far from 0 is not touched
kept respgpu "$tmp/sw.h5" --chart response --outcome gpu_hours_total
ok resp-not-clipped sh -c "! grep -q 'drawn from 0' '$k/plot.gp' && awk 'NF == 6 && \$3 != \$6 { bad = 1 } END { exit bad }' '$k/d0.dat'"
# differences are never clipped: negative values drawn as they are
kept udiff "$tmp/cmp.h5" --chart utilization-difference
ok udiff-negative sh -c "awk '\$3 < 0 { f = 1 } END { exit !f }' '$k/d0.dat'"

# 5. stocks and flows, and rows too small to read: a policy that adds
# 1 billion yuan to Shandong's opening budget (a stock far larger than the
# flows beside it) and raises Shanghai's rate (millions more spent)
cat > "$tmp/more.yaml" <<EOF
extends: $sc/china-2025.yaml
name: "Shandong with 1B more"
programs:
  - name: shandong-compute
    budget: 1.03B
  - name: shanghai-compute
    coverage: 0.95
EOF
"$vs" compare "$sc/china-2025.yaml" "$tmp/more.yaml" --replications 3 --until 2025-03-01 \
  -o "$tmp/more.h5" --quiet >/dev/null 2>&1 || { echo "FAIL compare more"; exit 1; }
kept sf "$tmp/more.h5" --chart difference --program shandong-compute --program shanghai-compute
ok sf-exit test $st -eq 0
# the panel of each row: d<N>.names lists the rows of panel N
panel_of() { grep -lx "$1" "$k"/d*.names | sed 's/.*\/d\([0-9]*\)\.names/\1/'; }
ok sf-stock-panel test "$(panel_of program.shandong-compute.opening)" = "$(panel_of program.shandong-compute.left)"
ok sf-flow-apart test "$(panel_of program.shandong-compute.opening)" != "$(panel_of program.shandong-compute.spent)"
ok sf-stock-label grep -q "levels at the horizon" "$k/plot.gp"
# every row with an interval or a value: at least 1/25 of its panel's
# largest |difference| + half-width (columns 5 and 6 hold the table's numbers)
readable() {
  for f in "$k"/d*.dat; do
    awk '{ d = $5 + 0; h = $6 + 0; if ($5 == "NaN") next
           a = d < 0 ? -d : d; w = 2 * h; s = (w > a ? w : a); e = a + h
           n++; S[n] = s; if (e > big) big = e }
         END { for (i = 1; i <= n; i++) if (S[i] > 0 && S[i] < 0.04 * big) exit 1 }' "$f" || return 1
  done
}
ok sf-readable readable
ok sf-several-money-panels test "$(grep -c "set xlabel 'policy - base (M CNY" "$k/plot.gp")" -ge 3
# the numbers drawn are still the table's
"$b/tests/h5csv" "$tmp/more.h5" /compare/differences > "$tmp/more.csv" || { echo "FAIL h5csv"; exit 1; }
drawn() { for f in "$k"/d*.dat; do paste -d' ' "${f%.dat}.names" "$f"; done | awk '{ print $1, tolower($6), tolower($7) }' | sort; }
table() { for n in $(cat "$k"/d*.names); do awk -F, -v n="$n" '$1 == n { print $1, $8, $9 }' "$tmp/more.csv"; done | sort; }
ok sf-equal test "$(drawn)" = "$(table)"

# the difference panels' tic labels say their positions as a report
# writes numbers: grouped thousands ("15,000"), a prefix from 100,000 up
# ("100k", "1.5M"), no trailing zeros ("100.0k" and "0.0" were gnuplot's);
# every label read back (k, M, G; commas dropped) is its position (the
# date tics of a run-out timeline left aside)
tics_ok() {
  grep "^set xtics ('" "$k/plot.gp" | grep -v "'[0-9]*-[0-9]*-[0-9]*'" |
    sed "s/^set xtics (//; s/)\$//" | sed "s/, '/\n'/g" | awk "
      { if (!match(\$0, /^'[^']*' /)) { bad = 1; next }
        lab = substr(\$0, 2, RLENGTH - 3); pos = substr(\$0, RLENGTH + 1) + 0
        if (lab ~ /\\.[0-9]*0[kMG]?\$/ || lab ~ /\\.[kMG]?\$/) bad = 1
        if (lab ~ /[0-9][0-9][0-9][0-9]/) bad = 1
        f = 1; if (lab ~ /k\$/) f = 1e3; if (lab ~ /M\$/) f = 1e6; if (lab ~ /G\$/) f = 1e9
        v = lab; gsub(/[,kMG]/, \"\", v); v = v * f; n++
        d = v - pos; if (d < 0) d = -d; a = pos < 0 ? -pos : pos
        if (d > 1e-9 * (a > 1 ? a : 1)) bad = 1 }
      END { exit bad || n == 0 }"
}
ok sf-tics tics_ok
ok sf-tics-grouped grep -q "^set xtics (.*'[0-9][0-9]*,[0-9][0-9][0-9]' " "$k/plot.gp"
kept moredef "$tmp/more.h5" --chart difference
ok more-tics tics_ok

# 6. tic labels end at their tic (nothing runs off the right edge)
kept tics "$tmp/cmp.h5" --chart demand
ok tics-series grep -q "set xtics rotate by 30 right" "$k/plot.gp"
ok tics-no-left-anchor sh -c "! grep -q 'rotate by -30' '$k/plot.gp'"
# the legend under each panel of a comparison: an empty axis label keeps
# the room between it and the dates ('Date' sat on the legend)
ok legend-below-room test "$(grep '^set xlabel' "$k/plot.gp" | tail -1)" = "set xlabel ' '"

# 7. a panel whose every value is 0 says so (no firm job waits in this
# comparison: a flat line on an axis of 0 to 1 read as a failed chart);
# one with values does not
allzero() { awk '{ for (i = 2; i <= NF; i++) if ($i != "NaN") { n++; if ($i + 0 != 0) nz = 1 } }
                 END { exit nz || n == 0 }' "$k"/d*.dat; }
kept zwait "$tmp/cmp.h5" --chart wait
ok zero-wait allzero
ok zero-said grep -q "^set label 99 'every value drawn is 0'" "$k/plot.gp"
kept zutil "$tmp/cmp.h5" --chart utilization
zu=0
allzero || zu=1
ok zero-util-values test $zu = 1
ok zero-not-util sh -c "! grep -q 'every value drawn is 0' '$k/plot.gp'"

# 8. panels two to a row (the demand chart) over a year: a tic on the first
# of every other month, named "Jan '25" (not "Jan 25", a day); gnuplot's
# monthly tics ran into one another there. One panel a row keeps gnuplot's.
"$vs" run "$sc/china-2025.yaml" -r 2 -o "$tmp/year.h5" --quiet >/dev/null 2>&1 ||
  { echo "FAIL run year"; exit 1; }
kept ydemand "$tmp/year.h5" --chart demand
ok half-tics grep -qx "set xtics ('2025-01-01', '2025-03-01', '2025-05-01', '2025-07-01', '2025-09-01', '2025-11-01', '2026-01-01')" "$k/plot.gp"
ok half-format grep -qx "set format x '%b ''%y'" "$k/plot.gp"
ok half-png sh -c "head -c 8 '$tmp/ydemand/c.png' | od -An -tx1 | tr -d ' \\n' | grep -q '^89504e470d0a1a0a$'"
kept yutil "$tmp/year.h5" --chart utilization
ok full-tics-gnuplot sh -c "! grep -q \"^set xtics ('\" '$k/plot.gp'"
ok full-format grep -qx "set format x '%b %Y'" "$k/plot.gp"
# over 30 to 120 days, tics on the 1st and 15th of each month (gnuplot's
# fell every 14 days from the 2nd: "02 Jan", "16 Jan", "30 Jan"), on the
# 1st only two to a row
"$vs" run "$sc/china-2025.yaml" --until 2025-03-31 -r 1 -o "$tmp/q.h5" --quiet >/dev/null 2>&1 ||
  { echo "FAIL run quarter"; exit 1; }
kept qutil "$tmp/q.h5" --chart utilization
ok quarter-tics grep -qx "set xtics ('2025-01-01', '2025-01-15', '2025-02-01', '2025-02-15', '2025-03-01', '2025-03-15')" "$k/plot.gp"
kept qdemand "$tmp/q.h5" --chart demand
ok quarter-half-tics grep -qx "set xtics ('2025-01-01', '2025-02-01', '2025-03-01')" "$k/plot.gp"
# over 3 to 30 days every day, second day or week from the first (gnuplot's
# started on the 2nd): 14 days, every second day; two to a row every fourth
kept fortnight "$tmp/run.h5" --chart budget
ok fortnight-tics grep -qx "set xtics ('2025-01-01', '2025-01-03', '2025-01-05', '2025-01-07', '2025-01-09', '2025-01-11', '2025-01-13', '2025-01-15')" "$k/plot.gp"
kept fortnight2 "$tmp/run.h5" --chart demand
ok fortnight-half-tics grep -qx "set xtics ('2025-01-01', '2025-01-05', '2025-01-09', '2025-01-13')" "$k/plot.gp"

# 9. a title that needs two lines breaks after a clause, never leaving a
# word or two alone on the last line: the comparison's "policy solid, ...
# (min to max)" broke into "... (min" and "to max)"; a long --set list,
# with no clause to break at, into two lines of about equal length (the
# shorter at least 3/5 of the longer; it was 38 characters under 88)
# the title's lines: the quoted pieces of `set multiplot ... title`
pieces() { sed -n 's/^set multiplot .*title \(.*\) font.*/\1/p' "$k/plot.gp" | grep -o "'[^']*'"; }
has_piece() { pieces | grep -qxF "'$1'"; }
kept wrapcmp "$tmp/cmp.h5" --chart utilization --region east
ok wrap-clause has_piece "policy solid, base dashed; mean of 2 runs per arm (common random numbers);"
ok wrap-clause-rest has_piece "bands: the range of the runs (min to max); selected: east"
"$vs" run "$sc/china-2025.yaml" --until 2025-01-15 -r 2 -o "$tmp/sets.h5" --quiet \
  --set programs.shanghai-compute.coverage=0.5 --set programs.beijing-compute.coverage=0.5 \
  --set programs.shenzhen-compute.coverage=0.5 \
  >/dev/null 2>&1 || { echo "FAIL run sets"; exit 1; }
kept wrapsets "$tmp/sets.h5" --chart wait
sets=$(pieces | sed -n '/with --set/,$p')
ok wrap-sets-lines test "$(echo "$sets" | wc -l | tr -d ' ')" = 2
ok wrap-sets-even sh -c "echo \"$sets\" | awk '{ l = length(\$0); if (l > hi) hi = l; if (!lo || l < lo) lo = l } END { exit !(NR == 2 && 5 * lo >= 3 * hi) }'"

echo "plot_report: $pass passed, $fail failed"
[ $fail -eq 0 ]
