#!/bin/sh
# tests/optimize.sh - `vouchsim optimize` on a problem whose optimum is
# known: M/M/c staffing. One data center of c GPUs (scenarios/mmc.yaml),
# Poisson arrivals of lambda = 10 one-GPU jobs an hour, exponential 1 h
# service; the cost of c GPUs is H c + W lambda Wq(c) (a cost per GPU and
# a cost per job-hour of waiting), Wq from Erlang C, computed here. The
# optimum is interior and unique with a gap above delta, so KN's guarantee
# applies: over SEEDS independent macro-replications (seeds) the chosen c
# must be the true optimum in at least (1 - alpha) of them. Then: the range
# search finds it too, a constraint moves it where it must, the result
# does not depend on --jobs, the written scenario runs, and bad input is
# refused.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
. "$s/tests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs-opt.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

LAM=10 H=2 W=50 DELTA=0.5 SEEDS=20
mmc="$s/scenarios/mmc.yaml"
base="--set cities.testville.arrivals=$((24 * LAM)) --set horizon=30d --set warmup=2d --jobs 2 --quiet"
obj="$H * {datacenters.mmc-100.gpus} + $W * $LAM * mean_wait_east_h"

# The true costs from Erlang C: "c cost" lines, c = 14..20.
costs=$(awk -v lam=$LAM -v h=$H -v w=$W 'BEGIN {
  for (c = 14; c <= 20; c++) {
    B = 1; for (k = 1; k <= c; k++) B = lam * B / (k + lam * B)   # Erlang B
    C = B / (1 - lam / c * (1 - B))                               # Erlang C
    printf "%d %.6f\n", c, h * c + w * lam * C / (c - lam) }}')
best=$(printf '%s\n' "$costs" | sort -k2 -g | head -1 | cut -d' ' -f1)
gap=$(printf '%s\n' "$costs" | sort -k2 -g | head -2 | awk 'NR==1{a=$2} NR==2{print $2-a}')
echo "M/M/c staffing: true optimum c=$best, gap to the next $gap (delta $DELTA)"
ok "optimum-interior" [ "$best" -gt 14 -a "$best" -lt 20 ]
ok "gap-above-delta" awk -v g="$gap" -v d=$DELTA 'BEGIN { exit !(g >= d) }'

# 1. PCS over SEEDS seeds on the finite set c = 14..20
#    with KN, and with KN++ (--procedure knpp, variance updating)
for proc in kn knpp; do
  right=0 reps=0
  i=1
  while [ $i -le $SEEDS ]; do
    # shellcheck disable=SC2086
    out=$("$vs" optimize "$mmc" $base --seed $i --vary datacenters.mmc-100.gpus=14:20:7 \
          --minimize "$obj" --delta $DELTA -o "$tmp/c$proc$i.yaml" --format csv --procedure $proc)
    got=$(printf '%s\n' "$out" | awk -F, '$3 == "chosen" { sub(/.*=/, "", $2); print $2 }')
    [ "$got" = "$best" ] && right=$((right + 1))
    reps=$((reps + $(printf '%s\n' "$out" | awk -F, 'NR > 1 { n += $5 } END { print n }')))
    i=$((i + 1))
  done
  echo "PCS ($proc): chose c=$best in $right of $SEEDS seeds (alpha 0.05), $((reps / SEEDS)) replications per selection"
  ok "pcs-$proc" [ $right -ge $((SEEDS * 95 / 100)) ]
done
# shellcheck disable=SC2086
t "knpp-guarantee-stated" 0 "asymptotically .*KN\+\+, Kim and Nelson 2006" -- "$vs" optimize "$mmc" \
  $base --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA \
  -o "$tmp/kp.yaml" --procedure knpp
t "bad-procedure" 2 "--procedure takes kn or knpp, got 'kn2'" -- "$vs" optimize "$mmc" \
  --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA -o "$tmp/x.yaml" \
  --procedure kn2

# 2. a range: the grid search and KN among its finalists find it too
# shellcheck disable=SC2086
out=$("$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=11:30 --minimize "$obj" \
      --delta $DELTA -o "$tmp/range.yaml" --record "$tmp/search.csv")
printf '%s\n' "$out" > "$tmp/range.out"
t "range-search" 0 "chosen: datacenters.mmc-100.gpus=$best$" -- printf '%s\n' "$out"
t "range-guarantee-scope" 0 "among the finalists of the search" -- printf '%s\n' "$out"
ok "record" [ "$(head -1 "$tmp/search.csv")" = "phase,candidate,replication,objective" ]
ok "record-search-rows" grep -q '^search,datacenters.mmc-100.gpus=' "$tmp/search.csv"
ok "record-selection-rows" grep -q '^selection,datacenters.mmc-100.gpus=' "$tmp/search.csv"
# the search and its record do not depend on the threads either
# shellcheck disable=SC2086
"$vs" optimize "$mmc" $(printf '%s\n' "$base" | sed 's/--jobs 2/--jobs 1/') \
  --vary datacenters.mmc-100.gpus=11:30 --minimize "$obj" --delta $DELTA \
  -o "$tmp/range1.yaml" --record "$tmp/search1.csv" > /dev/null
ok "range-threads-invariant" cmp -s "$tmp/search.csv" "$tmp/search1.csv"

# 3. a constraint: at most Wq 0.003 h (tol 0.0005) rules out c=17
#    (Wq 0.0044 h) and keeps c=18 (0.0020 h): the optimum moves to 18
# shellcheck disable=SC2086
t "constraint" 0 "chosen: datacenters.mmc-100.gpus=18$" -- "$vs" optimize "$mmc" $base \
  --vary datacenters.mmc-100.gpus=14:20:7 --minimize "$obj" --delta $DELTA \
  --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' -o "$tmp/con.yaml"
# shellcheck disable=SC2086
t "constraint-infeasible-listed" 0 "infeasible: mean_wait_east_h <= 0.003" -- "$vs" optimize \
  "$mmc" $base --vary datacenters.mmc-100.gpus=14:20:7 --minimize "$obj" --delta $DELTA \
  --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' -o "$tmp/con2.yaml"
# shellcheck disable=SC2086
t "none-feasible" 1 "no candidate is feasible" -- "$vs" optimize "$mmc" $base \
  --vary datacenters.mmc-100.gpus=14:16:3 --minimize "$obj" --delta $DELTA \
  --subject-to 'mean_wait_east_h <= 0.001 tol 0.0002' -o "$tmp/none.yaml"
ok "none-feasible-no-file" [ ! -e "$tmp/none.yaml" ]

# 4. the same answer and ranking on 1 and 2 threads
set1=$(printf '%s\n' "$base" | sed 's/--jobs 2/--jobs 1/')
# shellcheck disable=SC2086
a=$("$vs" optimize "$mmc" $set1 --vary datacenters.mmc-100.gpus=14:20:7 --minimize "$obj" \
    --delta $DELTA -o "$tmp/j1.yaml" --format json)
# shellcheck disable=SC2086
c=$("$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=14:20:7 --minimize "$obj" \
    --delta $DELTA -o "$tmp/j2.yaml" --format json)
ok "threads-invariant" [ "$(printf '%s' "$a" | sed 's/j1.yaml/X/')" = "$(printf '%s' "$c" | sed 's/j2.yaml/X/')" ]
# --batch changes how far ahead runs are simulated, not the decisions
for bt in 1 8; do
  # shellcheck disable=SC2086
  "$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=14:20:7 --minimize "$obj" \
    --delta $DELTA -o "$tmp/b$bt.yaml" --batch $bt --format csv | cut -d, -f1-4 > "$tmp/b$bt.csv"
done
ok "batch-invariant" cmp -s "$tmp/b1.csv" "$tmp/b8.csv"
ok "batch-csv" grep -q "^1,datacenters.mmc-100.gpus=$best,chosen," "$tmp/b8.csv"

# 5. the written scenario: extends the base, holds the choice, runs
ok "scenario-extends" grep -q '^extends: ".*mmc.yaml"$' "$tmp/j2.yaml"
ok "scenario-choice" grep -q "^    gpus: $best$" "$tmp/j2.yaml"
t "scenario-validates" 0 "" -- "$vs" validate "$tmp/j2.yaml"
t "scenario-runs" 0 "" -- "$vs" run "$tmp/j2.yaml" --replications 2 --until 2025-01-03 \
  -o "$tmp/j2.h5" --quiet
# shellcheck disable=SC2086
t "no-overwrite" 2 "exists; not overwritten" -- "$vs" optimize "$mmc" $base \
  --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA -o "$tmp/j2.yaml"
# shellcheck disable=SC2086
t "force-overwrite" 0 "chosen: datacenters.mmc-100.gpus=17" -- "$vs" optimize "$mmc" $base \
  --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA -o "$tmp/j2.yaml" --force
# --until and --seed are part of the problem: the file keeps them
t "until-kept" 0 "" -- "$vs" optimize "$mmc" --until 2025-01-11 --seed 3 --quiet \
  --set cities.testville.arrivals=240 --vary datacenters.mmc-100.gpus=16,17 \
  --minimize "$obj" --delta $DELTA -o "$tmp/until.yaml"
ok "until-horizon" grep -q '^horizon: 240h$' "$tmp/until.yaml"
ok "until-seed" grep -q '^seed: 3$' "$tmp/until.yaml"
cp "$mmc" "$tmp/in.yaml"
# shellcheck disable=SC2086
t "not-the-input" 2 "is the input scenario" -- "$vs" optimize "$tmp/in.yaml" $base \
  --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA -o "$tmp/in.yaml" --force

# an exact constraint ({key} and numbers only) settles candidates unrun
# shellcheck disable=SC2086
out=$("$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=15:19:5 --minimize "$obj" \
      --delta $DELTA --subject-to '{datacenters.mmc-100.gpus} <= 16 tol 0.5' -o "$tmp/ex.yaml" \
      --format csv)
t "exact-constraint" 0 "^1,datacenters.mmc-100.gpus=16,chosen," -- printf '%s\n' "$out"
t "exact-not-run" 0 "gpus=19,infeasible: \{datacenters.mmc-100.gpus\} <= 16 tol 0.5 \(exact: not run\),0,0," -- printf '%s\n' "$out"

# 6. names as values, and candidates that cannot be told apart: one data
#    center, so every routing policy gives the same runs; the procedure
#    stops after the first stage and takes the first
# shellcheck disable=SC2086
"$vs" optimize "$mmc" $base --vary routing=nearest,least_loaded,cheapest \
  --maximize gpu_hours_total --delta 1 -o "$tmp/names.yaml" > "$tmp/names.out"
t "names-and-ties" 0 "chosen: routing=nearest$" -- cat "$tmp/names.out"
ok "names-written" grep -q '^routing: nearest$' "$tmp/names.yaml"
t "ties-listed" 0 "routing=cheapest .* tied with the chosen" -- cat "$tmp/names.out"

# 7. the problem in the scenario's optimize: section
cat > "$tmp/staff.yaml" <<EOF
extends: $(cd "$s/scenarios" && pwd)/mmc.yaml
horizon: 30d
warmup: 2d
cities:
  - name: testville
    arrivals: $((24 * LAM))
optimize:
  minimize: "$obj"
  subject_to:
    - "mean_wait_east_h <= 0.003 tol 0.0005"
  vary:
    datacenters.mmc-100.gpus: [15, 16, 17, 18, 19]
  delta: $DELTA
EOF
t "section" 0 "chosen: datacenters.mmc-100.gpus=18$" -- "$vs" optimize "$tmp/staff.yaml" \
  --jobs 2 --quiet -o "$tmp/sec.yaml"
t "section-overridden" 0 "chosen: datacenters.mmc-100.gpus=17$" -- "$vs" optimize \
  "$tmp/staff.yaml" --jobs 2 --quiet --subject-to 'mean_wait_east_h <= 1' -o "$tmp/sec2.yaml"
t "section-validates" 0 "ok:" -- "$vs" validate "$tmp/staff.yaml"
sed 's/tol 0.0005/tol 0.0005 +/' "$tmp/staff.yaml" > "$tmp/bad1.yaml"
t "section-bad-constraint" 2 "bad1.yaml:10:7: optimize.subject_to\[0\]: ' 0.0005 \+': column 10" -- \
  "$vs" optimize "$tmp/bad1.yaml" -o "$tmp/x.yaml"
sed 's/^  delta:.*/  delta: 0/' "$tmp/staff.yaml" > "$tmp/bad2.yaml"
t "section-bad-delta" 2 "bad2.yaml:13:10: optimize.delta: expected a number > 0" -- \
  "$vs" optimize "$tmp/bad2.yaml" -o "$tmp/x.yaml"

# 8. --resume: an optimize killed with some runs journaled goes on from
#    them, and ends as the uninterrupted command does (the choice, the
#    ranking, the replications, every run of the record); the journal of
#    the finished runs is removed at the end
for cut in 20 100; do    # in the search's first round; in the selection (after 90)
  # shellcheck disable=SC2086
  VOUCHSIM_TEST_STOP_AFTER=$cut "$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=11:30 \
    --minimize "$obj" --delta $DELTA -o "$tmp/r$cut.yaml" --record "$tmp/r$cut.csv" \
    > /dev/null 2>&1
  st=$?
  ok "resume-$cut-killed" [ $st -eq 1 -a ! -e "$tmp/r$cut.yaml" -a -s "$tmp/r$cut.yaml.journal" ]
  jl=$(($(wc -l < "$tmp/r$cut.yaml.journal") - 1))
  ok "resume-$cut-journaled" [ "$jl" -ge $cut ]
  # shellcheck disable=SC2086
  "$vs" optimize "$mmc" $(printf '%s\n' "$base" | sed 's/ --quiet//') \
    --vary datacenters.mmc-100.gpus=11:30 --minimize "$obj" --delta $DELTA \
    -o "$tmp/r$cut.yaml" --record "$tmp/r$cut.csv" --resume > "$tmp/r$cut.out" 2> "$tmp/r$cut.err"
  ok "resume-$cut-status" [ $? -eq 0 ]
  t "resume-$cut-reused" 0 "resume: $jl finished runs in .*r$cut.yaml.journal" -- cat "$tmp/r$cut.err"
  t "resume-$cut-counted" 0 "\(and $jl from the journal\)" -- cat "$tmp/r$cut.err"
  ok "resume-$cut-same-record" cmp -s "$tmp/search.csv" "$tmp/r$cut.csv"
  ok "resume-$cut-same-choice" [ "$(sed "s/r$cut.yaml/X/g" "$tmp/r$cut.out")" = "$(sed 's/range.yaml/X/g' "$tmp/range.out")" ]
  ok "resume-$cut-journal-removed" [ ! -e "$tmp/r$cut.yaml.journal" ]
done
# a torn last line (a crash in mid-write) and runs of another problem
# (another arrival rate: other identities) are not used, and change nothing
# shellcheck disable=SC2086
VOUCHSIM_TEST_STOP_AFTER=20 "$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=11:30 \
  --minimize "$obj" --delta $DELTA -o "$tmp/torn.yaml" --record "$tmp/torn.csv" > /dev/null 2>&1
# shellcheck disable=SC2086
VOUCHSIM_TEST_STOP_AFTER=20 "$vs" optimize "$mmc" $base --set cities.testville.arrivals=200 \
  --vary datacenters.mmc-100.gpus=11:30 --minimize "$obj" --delta $DELTA -o "$tmp/other.yaml" \
  > /dev/null 2>&1
tail -n +2 "$tmp/other.yaml.journal" >> "$tmp/torn.yaml.journal"
head -c 150 "$tmp/other.yaml.journal" | tail -n 1 | head -c 60 >> "$tmp/torn.yaml.journal"
# shellcheck disable=SC2086
"$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=11:30 --minimize "$obj" \
  --delta $DELTA -o "$tmp/torn.yaml" --record "$tmp/torn.csv" --resume > /dev/null
ok "resume-torn-and-foreign" cmp -s "$tmp/search.csv" "$tmp/torn.csv"
# without --resume the journal is refused (exit 2, kept); --force starts over
# shellcheck disable=SC2086
VOUCHSIM_TEST_STOP_AFTER=20 "$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=14:20:7 \
  --minimize "$obj" --delta $DELTA -o "$tmp/fresh.yaml" > /dev/null 2>&1
cp "$tmp/fresh.yaml.journal" "$tmp/fresh.before"
# shellcheck disable=SC2086
t "no-resume-refused" 2 "fresh.yaml.journal: holds [0-9]+ finished runs of an interrupted optimize: --resume continues it, --force starts over" -- \
  "$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=14:20:7 \
  --minimize "$obj" --delta $DELTA -o "$tmp/fresh.yaml"
ok "no-resume-journal-kept" cmp -s "$tmp/fresh.yaml.journal" "$tmp/fresh.before"
# shellcheck disable=SC2086
t "force-starts-over" 0 "optimize: [0-9]+ runs, events" -- "$vs" optimize "$mmc" \
  $(printf '%s\n' "$base" | sed 's/ --quiet//') --vary datacenters.mmc-100.gpus=14:20:7 \
  --minimize "$obj" --delta $DELTA -o "$tmp/fresh.yaml" --force

# 9. --chart: the search and the selection, drawn by gnuplot from data
#    files only (the objective and the keys never reach its script)
if command -v gnuplot > /dev/null 2>&1; then
  mkdir "$tmp/ch"
  # shellcheck disable=SC2086
  VOUCHSIM_KEEP_PLOT_FILES=1 "$vs" optimize "$mmc" $base --vary datacenters.mmc-100.gpus=11:30 \
    --minimize "$obj" --delta $DELTA --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' \
    -o "$tmp/ch/ch.yaml" --chart "$tmp/ch/search.png" > /dev/null
  ok "chart-png" [ "$(head -c 4 "$tmp/ch/search.png" | tail -c 3)" = "PNG" ]
  # the command in the chosen scenario's comment pastes back into a shell
  ok "chosen-command-quoted" grep -qF -- "--subject-to 'mean_wait_east_h <= 0.003 tol 0.0005'" "$tmp/ch/ch.yaml"
  gp=$(ls "$tmp"/ch/.vouchsim-plot-*/plot.gp)
  ok "chart-script-has-no-user-text" [ -f "$gp" -a "$(grep -c 'mean_wait\|mmc-100' "$gp")" = 0 ]
  ok "chart-data-has-it" grep -q 'mean_wait_east_h' "$(dirname "$gp")/strings.dat"
  ok "chart-rounds" [ "$(cut -f6 "$(dirname "$gp")/search.dat" | sort -u | tr '\n' ' ')" = "1 2 3 " ]
  ok "chart-chosen-marked" [ "$(awk -F'\t' '$7 == 1' "$(dirname "$gp")/select.dat" | wc -l)" -eq 1 ]
  ok "chart-infeasible-marked" [ "$(awk -F'\t' '$7 == 2' "$(dirname "$gp")/search.dat" | wc -l)" -ge 1 ]
  # shellcheck disable=SC2086
  t "chart-names-svg" 0 "" -- "$vs" optimize "$mmc" $base --vary routing=nearest,cheapest \
    --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA \
    -o "$tmp/ch/n.yaml" --chart "$tmp/ch/n.svg"
  ok "chart-svg" grep -q '</svg>' "$tmp/ch/n.svg"
  # shellcheck disable=SC2086
  t "chart-no-overwrite" 2 "exists; not overwritten" -- "$vs" optimize "$mmc" $base \
    --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA \
    -o "$tmp/ch/n2.yaml" --chart "$tmp/ch/n.svg"
fi
t "chart-bad-extension" 2 "ending in .png, .svg or .pdf" -- "$vs" optimize "$mmc" \
  --vary datacenters.mmc-100.gpus=16,17 --minimize "$obj" --delta $DELTA -o "$tmp/x.yaml" \
  --chart "$tmp/x.gif"

# 10. bad input

t "unknown-scalar" 2 "column 1: unknown scalar 'gpu_hourz'" -- "$vs" optimize "$mmc" \
  --vary datacenters.mmc-100.gpus=16,17 --maximize gpu_hourz --delta 1 -o "$tmp/x.yaml"
t "no-delta" 2 "give the indifference zone --delta" -- "$vs" optimize "$mmc" \
  --vary datacenters.mmc-100.gpus=16,17 --maximize gpu_hours_total -o "$tmp/x.yaml"
t "no-objective" 2 "give the objective" -- "$vs" optimize "$mmc" \
  --vary datacenters.mmc-100.gpus=16,17 --delta 1 -o "$tmp/x.yaml"
t "bad-constraint" 2 "a constraint is EXPR <= EXPR" -- "$vs" optimize "$mmc" \
  --vary datacenters.mmc-100.gpus=16,17 --maximize gpu_hours_total --delta 1 \
  --subject-to 'subsidy_total = 1' -o "$tmp/x.yaml"
t "names-not-numbers" 2 "takes names, not numbers" -- "$vs" optimize "$mmc" \
  --vary routing=nearest,cheapest --maximize '{routing}' --delta 1 -o "$tmp/x.yaml"
t "bad-candidate" 2 "candidate datacenters.mmc-100.gpus=-1 is not a valid scenario" -- \
  "$vs" optimize "$mmc" --vary datacenters.mmc-100.gpus=-1,17 --maximize gpu_hours_total \
  --delta 1 -o "$tmp/x.yaml"
t "no-vary" 2 "nothing to choose" -- "$vs" optimize "$mmc" --maximize gpu_hours_total \
  --delta 1 -o "$tmp/x.yaml"
ok "nothing-written" [ ! -e "$tmp/x.yaml" ]
t "help" 0 "usage: vouchsim optimize" -- "$vs" optimize --help

echo "optimize: $pass passed, $fail failed"
[ $fail -eq 0 ]
