#!/bin/sh
# tests/reports.sh - printed reports and command messages that are
# consistent and honest (a first-time user's findings):
#   1. one number rule in summary's totals, its --by tables, compare and
#      sweep: whole and grouped from 100, 3 significant digits below,
#      shares as percentages;
#   2. an interval of what cannot be negative clipped at 0 and marked in
#      the printed table, raw in --format csv;
#   3. sweep refuses an existing output before it prints its estimate;
#   4. after --resume the report line counts the resumed runs apart;
#   5. Ctrl-C / SIGTERM says how many finished runs are kept and the
#      command with --resume (the signal is sent once the first fragment
#      exists: the test waits for the file, not for a time);
#   6. export of a comparison file writes differences.csv;
#   7. a scenario's sweep: section takes value lists, as --vary does.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
small="$s/tests/data/small.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# ---- 1. one rule for numbers ----
"$vs" run "$small" -r 2 -o s2.h5 --quiet || echo "FAIL run small"
"$vs" summary s2.h5 --by program --by city --by region > s2.txt
"$vs" summary s2.h5 --by program --by city --by region --format csv > s2.csv
# firms_arrived: the same whole, grouped number in the totals and in the city table's `all`
arr=$(awk -F, '$1 == "firms_arrived" { printf "%.0f", $3 }' s2.csv)
grp=$(printf '%s' "$arr" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/; ta')
ok rule-total-grouped grep -Eq "^firms_arrived +firms +$grp +" s2.txt
ok rule-by-city-grouped sh -c "grep -A1 '^  all ' s2.txt | grep -Eq '^  all +$grp( |$)'"
ok rule-thousands-grouped [ "${arr}" -ge 1000 ]
# no number of 4 or more digits without grouping, and none with more than 3 significant digits below 100
ok rule-no-ungrouped sh -c "! grep -E '(^|[ .+-])[0-9]{4,}([ .]|$)' s2.txt | grep -v '^[a-z0-9/._-]*: ' | grep -vE '[0-9]{4}-[0-9]{2}-[0-9]{2}' | grep -q ."
ok rule-no-long-fractions sh -c "! grep -Eq '(^| |[+-])([1-9][0-9]?\.[0-9]{3,}|0\.0*[1-9][0-9]{3,})( |$)' s2.txt"
# shares as percentages: utilization_east is 100 x the csv mean, 3 significant digits, unit %
ue=$(awk -F, '$1 == "utilization_east" { printf "%.3g", 100 * $3 }' s2.csv)
ok rule-share-percent grep -Eq "^utilization_east +% +$ue +" s2.txt
ok rule-share-deadweight grep -Eq '^deadweight_share +% +[0-9]{1,2}(\.[0-9])? ' s2.txt
ok rule-gini-stays grep -Eq '^gini_subsidy +1 +0\.[0-9]+ ' s2.txt
# compare: the same rule, shares in % with differences in points
"$vs" compare "$small" "$small" --set 'programs[0].coverage=0.5' -r 2 --quiet > cmp.txt 2>&1
ok rule-compare-share grep -Eq '^utilization_east +% +[0-9]{1,2}\.?[0-9]* ' cmp.txt
ok rule-compare-grouped grep -Eq '^firms_arrived +firms +[0-9]{1,3},[0-9]{3} ' cmp.txt
# a comparison's sections carry their tables' notes: a city's firms are
# counted at the horizon, the totals' through the cool-down
"$vs" compare "$small" "$small" --set 'programs[0].coverage=0.5' -r 2 --quiet --by city \
  --by program > cmpby.txt 2>&1
ok compare-city-note grep -q '^  note: at the horizon: firms deciding in the cool-down' cmpby.txt
ok compare-program-note grep -q '^  note: money at the horizon' cmpby.txt
ok compare-note-once sh -c "[ \"\$(grep -c 'note: at the horizon' cmpby.txt)\" -eq 1 ]"
# sweep: shares in % in the point table
"$vs" sweep "$small" --vary 'programs[0].coverage=0.3,0.6' -o sw.h5 --quiet > sw.txt 2>&1
# (and every column's unit on the line under the names)
ok rule-sweep-share grep -Eq '^ +GPU-h +GPU-h +firms +CNY +GPU-h +% +% +h$' sw.txt

# ---- 2. intervals of what cannot be negative, clipped at 0 in tables only ----
# with 2 runs some interval of a count reaches below 0: firms_pending_decision here
lo=$(awk -F, '$1 == "firms_pending_decision" { print $5 }' s2.csv)
ok clip-raw-negative-in-csv awk "BEGIN { exit !($lo < 0) }"
ok clip-table-marked grep -Eq '^firms_pending_decision +firms +[0-9.]+ +0\* \.\. [0-9.,]+ ' s2.txt
ok clip-footnote grep -q '^\* clipped at 0: the 95% interval reaches below 0' s2.txt
ok clip-by-table sh -c "grep -Eq '^ +.*0\* \.\. [0-9.,]+' s2.txt && grep -q '^  \* clipped at 0' s2.txt"
ok clip-json-raw sh -c "'$vs' summary s2.h5 --format json | grep -A0 '\"firms_pending_decision\"' | grep -q '\"ci95_lo\": -'"
# a difference is not clipped
ok clip-not-differences sh -c "! grep -q '0\*' cmp.txt"

# ---- 3. sweep refuses an existing output before the estimate ----
t refuse-first 2 'sw\.h5: exists \(' -- "$vs" sweep "$small" --vary 'programs[0].coverage=0.3,0.6' -o sw.h5
ok refuse-no-estimate sh -c "! '$vs' sweep '$small' --vary 'programs[0].coverage=0.3,0.6' -o sw.h5 2>&1 | grep -q 'estimated'"
t refuse-dry-run-says 0 'without --dry-run it would refuse: .*sw\.h5: exists' -- \
  "$vs" sweep "$small" --vary 'programs[0].coverage=0.3,0.6' -o sw.h5 --dry-run
t refuse-force-runs 0 'sweep: 2 points' -- "$vs" sweep "$small" --vary 'programs[0].coverage=0.3,0.6' -o sw.h5 --force

# ---- 4. --resume: the report line counts the resumed runs apart ----
VOUCHSIM_TEST_STOP_AFTER=2 "$vs" run "$small" -r 4 -j 1 -o res.h5 --quiet 2>/dev/null
ok resume-left-two [ "$(ls res.h5.parts | grep -c '^run-.*\.h5$')" -eq 2 ]
t resume-line 0 'small: 4 runs \(2 resumed from res\.h5\.parts, 2 run now\), events=[0-9]+, secs=' -- \
  "$vs" run "$small" -r 4 -j 1 -o res.h5 --resume
t resume-plain-line 0 'small: 4 runs, events=' -- "$vs" run "$small" -r 4 -o plain.h5
# events are those of the runs run now: the resumed line's events < a whole run's
ev_all=$("$vs" run "$small" -r 4 -j 1 -o all.h5 2>&1 | sed -n 's/.*events=\([0-9]*\),.*/\1/p')
ev_res=$(rm -rf res.h5 res.h5.parts; VOUCHSIM_TEST_STOP_AFTER=2 "$vs" run "$small" -r 4 -j 1 -o res.h5 --quiet 2>/dev/null;
         "$vs" run "$small" -r 4 -j 1 -o res.h5 --resume 2>&1 | sed -n 's/.*run now), events=\([0-9]*\),.*/\1/p')
ok resume-events-run-now sh -c "[ -n '$ev_res' ] && [ '$ev_res' -gt 0 ] && [ '$ev_res' -lt '$ev_all' ]"
# compare: the arm kept from an interrupted comparison counts as resumed
VOUCHSIM_TEST_STOP_AFTER=1 "$vs" compare "$small" "$small" -r 3 -j 1 -o cr.h5 --quiet >/dev/null 2>&1
t resume-compare 0 'compare: 6 runs \(1 resumed from cr\.h5\.arms, 5 run now\)' -- \
  "$vs" compare "$small" "$small" -r 3 -j 1 -o cr.h5 --resume

# ---- 5. Ctrl-C / SIGTERM: how many runs are kept, and the command to go on ----
# national.yaml with a short warm-up: runs of about a second, one at a time;
# the signal goes once the first fragment exists
nat="$s/scenarios/national.yaml"
interrupt() {   # NAME SIGNAL OUT PARTS COMMAND... : runs it, signals it after the first fragment
  name=$1 sig=$2 parts=$4; shift 4
  signal_when "$name" "$sig" "[ -e '$parts/run-0000.h5' ] || [ -e '$parts/run-0001.h5' ]" "$@"
}
interrupt int INT int.h5 int.h5.parts "$vs" run "$nat" --until 2025-01-05 --set warmup=90d -r 6 -j 1 -o int.h5
kept=$(ls int.h5.parts 2>/dev/null | grep -c '^run-.*\.h5$')
ok int-exit-130 [ "$(cat int.rc)" -eq 130 ]
ok int-no-output [ ! -e int.h5 ]
ok int-some-kept sh -c "[ $kept -ge 1 ] && [ $kept -lt 6 ]"
ok int-says-count grep -q "^vouchsim: interrupted: $kept of 6 runs finished and kept in int.h5.parts/; to go on from them, run the same command with --resume:$" int.err
ok int-says-command grep -q "^  $vs run --resume $nat --until 2025-01-05 --set warmup=90d -r 6 -j 1 -o int.h5$" int.err
# the command it gives goes on from them
cmdline=$(sed -n "s|^  $vs ||p" int.err)
out=$(eval "\"\$vs\" $cmdline" 2>&1)
printf '%s\n' "$out" | grep -q "6 runs ($kept resumed from int.h5.parts, $((6 - kept)) run now)" \
  && ok int-resume-goes-on true || { echo "$out"; ok int-resume-goes-on false; }
interrupt term TERM sw2.h5 sw2.h5.parts "$vs" sweep "$nat" --until 2025-01-05 --set warmup=90d \
  --vary 'programs[0].coverage=0.3,0.6,0.9' -j 1 -o sw2.h5
kept=$(ls sw2.h5.parts 2>/dev/null | grep -c '^run-.*\.h5$')
ok term-exit-143 [ "$(cat term.rc)" -eq 143 ]
ok term-says-count grep -q "^vouchsim: interrupted: $kept of 3 runs finished and kept in sw2.h5.parts/" term.err
ok term-says-command grep -q "^  $vs sweep --resume $nat --until 2025-01-05 --set warmup=90d --vary 'programs\[0\].coverage=0.3,0.6,0.9' -j 1 -o sw2.h5$" term.err
interrupt cmpterm TERM ci.h5 ci.h5.arms/base.h5.parts "$vs" compare "$nat" "$nat" --until 2025-01-05 \
  --set warmup=90d -r 4 -j 1 -o ci.h5
ok cmp-term-exit-143 [ "$(cat cmpterm.rc)" -eq 143 ]
ok cmp-term-says grep -Eq "^vouchsim: interrupted: [1-3] of 4 runs finished and kept in ci.h5.arms/base.h5.parts/" cmpterm.err
ok cmp-term-command grep -q "^  $vs compare --resume $nat $nat --until" cmpterm.err

# ---- 6. export of a comparison file: differences.csv ----
"$vs" compare "$small" "$small" --set 'programs[0].coverage=0.5' -r 3 -o cmp.h5 --quiet > /dev/null
t export-diff 0 '' -- "$vs" export cmp.h5 --csv dx
ok export-diff-header [ "$(head -1 dx/differences.csv)" = \
  "total,section,entity,measure,unit,base_mean,policy_mean,difference,paired_ci95_half,unpaired_ci95_half,n,n_base,n_policy,runs,status" ]
ok export-diff-rows [ "$(($(wc -l < dx/differences.csv) - 1))" -eq "$("$b/tests/h5csv" cmp.h5 /compare/differences | tail -n +2 | wc -l)" ]
ok export-diff-manifest grep -qx 'differences.csv' dx/vouchsim-export.txt
ok export-diff-alone [ ! -e dx/scalars.csv ]
# the same numbers as compare --format csv prints (shortest round-trip digits)
"$vs" summary cmp.h5 --format csv > cmp.csv
want=$(awk -F, '$1 == "subsidy_total" { print $3","$4","$5; exit }' cmp.csv)
got=$(awk -F, '$1 == "subsidy_total" { print $6","$7","$8; exit }' dx/differences.csv)
ok export-diff-numbers [ -n "$want" ] && ok export-diff-numbers-same [ "$want" = "$got" ]
t export-diff-arm 0 '' -- "$vs" export cmp.h5 --csv dy --arm policy
ok export-diff-arm-both sh -c "[ -s dy/differences.csv ] && [ -s dy/scalars.csv ]"
t export-diff-again 2 'an earlier export is in dx' -- "$vs" export cmp.h5 --csv dx

# ---- 7. value lists in a scenario's sweep: section ----
cat > lists.yaml <<EOF
extends: $small
sweep:
  vary:
    routing: [nearest, west_first]
    programs[0].coverage: "0.3,0.6"
EOF
t section-lists 0 '^grid design, 4 points:' -- "$vs" sweep lists.yaml --dry-run
t section-point 0 '^point 3: routing=west_first programs\[0\]\.coverage=0\.6$' -- "$vs" sweep lists.yaml --dry-run
# the same points, bit for bit, as --vary with the same lists
"$vs" sweep lists.yaml -o a.h5 --quiet > a.txt
"$vs" sweep "$small" --vary routing=nearest,west_first --vary 'programs[0].coverage=0.3,0.6' \
  -o b.h5 --quiet > b.txt
ok section-same-as-vary cmp -s a.txt b.txt
ok section-same-data "$b/tests/h5cmp" a.h5 b.h5
cat > badlist.yaml <<EOF
extends: $small
sweep:
  vary:
    programs[0].coverage: "0.3,,0.6"
EOF
t section-bad-value 2 "^vouchsim: badlist.yaml:4:27: sweep.vary.programs\[0\].coverage: empty value in '0.3,,0.6'$" -- \
  "$vs" sweep badlist.yaml --dry-run
cat > badname.yaml <<EOF
extends: $small
sweep:
  vary:
    routing: [nearest, westfirst]
EOF
t section-bad-name 2 "not a valid scenario: correct the values of the scenario's sweep: section" -- \
  "$vs" sweep badname.yaml --dry-run
cat > sobol.yaml <<EOF
extends: $small
sweep:
  design: sobol
  samples: 4
  vary:
    routing: [nearest, west_first]
EOF
t section-sobol-list 2 'sobol.yaml:6:14: sweep.vary.routing: expected "LO:HI" \(design sobol samples ranges; a list of values needs design grid\), got a list' -- \
  "$vs" sweep sobol.yaml --dry-run
t section-lhs-override 2 "lists.yaml:4:14: sweep.vary.routing: 'nearest,west_first' is a categorical factor" -- \
  "$vs" sweep lists.yaml --design lhs --samples 4 --dry-run

# ---- 8. summary of a sweep: pooled runs carry no intervals, the sd instead ----
"$vs" sweep "$small" --vary 'programs[0].coverage=0.3,0.6' -r 2 -o pool.h5 --quiet > /dev/null 2>&1
"$vs" summary pool.h5 > pool.txt 2>&1
ok pooled-note grep -q 'pool all of them, so they carry no confidence intervals' pool.txt
ok pooled-header grep -Eq '^scalar +unit +mean +sd over runs +runs$' pool.txt
ok pooled-no-ci sh -c "! grep -q '95% CI' pool.txt"
# the sd printed is the file's (csv keeps it raw), by the number rule
sd=$("$vs" summary pool.h5 --format csv | awk -F, '$1 == "firms_arrived" { print $4 }')
got=$(awk '$1 == "firms_arrived" { gsub(",", "", $4); print $4 }' pool.txt)
ok pooled-sd-value awk -v a="$got" -v b="$sd" 'BEGIN { d = a - b; if (d < 0) d = -d; exit !(b > 0 && d <= 0.005 * b + 0.5) }'
"$vs" run "$small" -r 3 -o three.h5 --quiet > /dev/null 2>&1
ok run-keeps-ci sh -c "'$vs' summary three.h5 | grep -q '95% CI'"

echo "reports.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
