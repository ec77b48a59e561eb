#!/bin/sh
# tests/plot_runout.sh - the difference chart shows when each program runs
# out, also when an arm never does. README's Shandong-50 comparison (3
# replications): the base arm's 30M pool runs out in October, the policy's
# billion never; their paired difference does not exist, and the panel
# was empty. Now:
#   1. the default chart (no --outcome, no entity) adds the run-out rows of
#      the programs whose arms differ in them (Shandong), and no others;
#   2. those rows are a timeline of the window: per arm a line from the
#      start to the mean run-out date with its 95% interval (the numbers of
#      `vouchsim summary --arm base`: the same mean hour, the same dates),
#      or to the window's end with an arrow and "never runs out in the
#      window, 0/3 runs"; the arms named on the right, by the file's names;
#   3. a run-out both arms reach (Shanghai) stays a paired difference;
#   4. a run-out both arms reach on the same date in every run (a paired
#      difference of exactly 0) says when: "0: both run out DATE [LO, HI],
#      3/3 runs";
#   5. a comparison in which nothing runs out adds no run-out rows.
# The private directory is kept with VOUCHSIM_KEEP_PLOT_FILES=1: r<N>.dat
# (y, mean, lo, hi in days, the line's end, arm, runs with a run-out,
# runs) and r<N>.names hold the timeline, d<N>.* the differences.
name=plot_runout
. "${top_srcdir:-.}/tests/plot_lib.sh"
sc="$s/scenarios"
case $sc in /*) ;; *) sc="$PWD/$sc";; esac

"$vs" compare "$sc/china-2025.yaml" "$sc/shandong-1b.yaml" -r 3 \
  --set programs.shandong-compute.coverage=0.5 -o "$tmp/s50.h5" --quiet >/dev/null 2>&1 ||
  { echo "FAIL compare"; exit 1; }
"$vs" summary "$tmp/s50.h5" --arm base --format csv > "$tmp/base.csv" 2>/dev/null ||
  { echo "FAIL summary"; exit 1; }
# the summary's run-out table: program,runs,runs_exhausted,first_date,first_lo_date,
# first_hi_date,first_h,runs_exhausted_final,final_date,...
png_ok() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }
sum_field() { awk -F, -v p="$1" -v c="$2" 'h && $1 == p { print $c } /^program,runs,/ { h = 1 }' "$tmp/base.csv"; }

# 1. the default chart: Shandong's two run-out rows on a timeline, nothing else
kept def "$tmp/s50.h5" --chart difference
ok def-exit test $st -eq 0
ok def-timeline-rows test "$(cat "$k"/r*.names 2>/dev/null | tr '\n' ' ')" = "program.shandong-compute.runout_first_h program.shandong-compute.runout_final_h "
ok def-headline-kept grep -qx gpu_hours_total "$k/d0.names"
ok def-no-other-runout sh -c "! cat '$k'/d*.names | grep -q runout"
r=$(ls "$k"/r*.dat | head -1)
# 2. base (arm 0) runs out: its mean is the summary's first_h, in days
ok base-mean sh -c "awk -v h='$(sum_field shandong-compute 7)' '\$6 == 0 && \$1 > 1 { d = \$2 * 24 - h; if (d < 0) d = -d; if (d > 1e-6) bad = 1; n++ } END { exit bad || n != 1 }' '$r'"
ok base-runs test "$(awk '$6 == 0 && $1 > 1 { print $7, $8 }' "$r")" = "3 3"
# the words over base's line: the summary's date and interval, the runs
d=$(sum_field shandong-compute 4) lo=$(sum_field shandong-compute 5) hi=$(sum_field shandong-compute 6)
# (the interval's ends without their year when both are in the mean's)
y=${d%%-*}
case "$lo $hi" in "$y"-*" $y"-*) lo=${lo#*-} hi=${hi#*-};; esac
ok base-words grep -q "set label [0-9]* 'runs out $d (95% CI $lo .. $hi), 3/3 runs' at first" "$k/plot.gp"
# policy (arm 1) never runs out: no mean, a line to the window's end (365 days)
ok policy-never test "$(awk '$6 == 1 { print $2, $5, $7, $8 }' "$r" | sort -u)" = "NaN 365 0 3"
ok policy-words test "$(grep -c "'never runs out in the window, 0/3 runs' at first 365," "$k/plot.gp")" = 2
ok policy-arrow grep -q "(\$6 == 1 && \$7 == 0 ? \$1 : NaN):5:(0) with vectors head" "$k/plot.gp"
ok arm-names sh -c "grep -q \"^set label [0-9]* 'base' at graph 1.02\" '$k/plot.gp' && grep -q \"^set label [0-9]* 'policy' at graph 1.02\" '$k/plot.gp'"
ok window-axis grep -q "set xtics ('2025-01-01' 0, '2025-04-01' 90, '2025-07-01' 181, '2025-10-01' 273, '2026-01-01' 365)" "$k/plot.gp"
ok png png_ok "$tmp/def/c.png"

# 3. a run-out both arms reach is a paired difference, not a timeline
kept both "$tmp/s50.h5" --chart difference --program shanghai-compute --outcome runout_first_h
ok both-exit test $st -eq 0
ok both-paired test "$(cat "$k"/d*.names)" = program.shanghai-compute.runout_first_h
ok both-no-timeline test -z "$(ls "$k"/r*.dat 2>/dev/null)"
# and --program shandong-compute puts its run-outs on the timeline
kept prog "$tmp/s50.h5" --chart difference --program shandong-compute
ok prog-timeline test "$(cat "$k"/r*.names | wc -l | tr -d ' ')" = 2
# the billion added, as the numbers of a report: "1,000", not "1000"
ok prog-grouped grep -q "^set label [0-9]* '1,000  \[1,000, 1,000\]  n=3' at graph 1.02" "$k/plot.gp"
# the words stay in the panel: in the default chart the last run-out's
# words end before its interval; with the city's long row names the
# panel is narrower, and words that would run off its left edge start at
# the window's start instead, raised clear of the interval
words() { grep "^set label [0-9]* 'runs out " "$k/plot.gp" | sed -n "$1p" | sed 's/.* at first \([^,]*\), first [^ ]* \([a-z]*\) offset \([^ ]*\) .*/\1 \2 \3/'; }
kept def2 "$tmp/s50.h5" --chart difference
ok words-before-interval sh -c "echo '$(words 2)' | grep -q '^[0-9.]* right -1,0.65\$'"
kept narrow "$tmp/s50.h5" --chart difference --city shandong --program shandong-compute
ok words-from-start test "$(words 1) / $(words 2)" = "0 left 0.5,1.05 / 0 left 0.5,1.05"

# 4. a run-out on the same date in both arms: Shanghai's 30M first runs
# out on the same hour in every pair of runs (Shandong's policy does not
# move it), a paired difference of exactly 0 [0, 0], which said nothing of
# when. Its words give the date both arms run out, the summary's mean and
# interval (the same in both arms), and that it is the same; a run-out
# that moves (Shanghai's last) keeps its numbers.
"$vs" summary "$tmp/s50.h5" --arm policy --format csv > "$tmp/policy.csv" 2>/dev/null ||
  { echo "FAIL summary policy"; exit 1; }
kept same "$tmp/s50.h5" --chart difference --program shanghai-compute \
  --outcome runout_first_h --outcome runout_final_h
ok same-exit test $st -eq 0
ok same-rows test "$(cat "$k"/d*.names | tr '\n' ' ')" = "program.shanghai-compute.runout_first_h program.shanghai-compute.runout_final_h "
# the first row's difference and half-width as read: exactly 0 (3 pairs)
ok same-zero test "$(awk 'NR == 1 { print $5, $6 }' "$k"/d*.dat)" = "0 0"
ok same-moves sh -c "awk 'NR == 2 { exit !(\$5 != 0) }' '$(ls "$k"/d*.dat | head -1)'"
d=$(sum_field shanghai-compute 4) lo=$(sum_field shanghai-compute 5) hi=$(sum_field shanghai-compute 6)
ok same-date-both-arms test "$(awk -F, 'h && $1 == "shanghai-compute" { print $4, $5, $6 } /^program,runs,/ { h = 1 }' "$tmp/policy.csv")" = "$d $lo $hi"
y=${d%%-*}
case "$lo $hi" in "$y"-*" $y"-*) lo=${lo#*-} hi=${hi#*-};; esac
ok same-words grep -q "^set label [0-9]* '0: both run out $d \[$lo, $hi\], 3/3 runs' at graph 1.02, first 1 " "$k/plot.gp"
ok same-one test "$(grep -c "both run out [0-9]" "$k/plot.gp")" = 1
ok same-moved-numbers grep -q "^set label [0-9]* '-\{0,1\}[0-9.]* d  \[[-0-9.]* d, [-0-9.]* d\]  n=3' at graph 1.02, first 0 " "$k/plot.gp"
ok same-xlabel grep -q "^set xlabel 'policy - base (days: the rows'' hours / 24); ''both run out'': on the same date in both arms in every run, the mean date \[95% interval\]'" "$k/plot.gp"
ok same-png png_ok "$tmp/same/c.png"

# 5. nothing runs out in 10 days: the headline totals only
"$vs" compare "$sc/china-2025.yaml" "$sc/shandong-1b.yaml" -r 2 --until 2025-01-10 \
  -o "$tmp/short.h5" --quiet >/dev/null 2>&1 || { echo "FAIL compare short"; exit 1; }
kept short "$tmp/short.h5" --chart difference
ok short-exit test $st -eq 0
ok short-no-timeline test -z "$(ls "$k"/r*.dat 2>/dev/null)"
ok short-no-runout sh -c "! cat '$k'/d*.names | grep -q runout"

echo "plot_runout: $pass passed, $fail failed"
[ $fail -eq 0 ]
