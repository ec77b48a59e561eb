#!/bin/sh
# tests/experiments.sh - replications, sweeps, Sobol indices and --resume as a
# user meets them: thread-count invariance (datasets bit-identical), a killed
# sweep resumed (bit-identical to an uninterrupted one), the sweep's grid and
# parameter table, a bad --vary, and paired versus unpaired intervals.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
cmp="$b/tests/h5cmp"
sc="$s/scenarios/china-2025.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs-exp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $1"; shift; [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/  | /'; fail=$((fail + 1)); }
short="--until 2025-02-15"

# 1. --jobs 1 and --jobs 2 give bit-identical datasets
"$vs" run "$sc" --replications 4 --jobs 1 $short -o "$tmp/j1.h5" --quiet &&
"$vs" run "$sc" --replications 4 --jobs 2 $short -o "$tmp/j2.h5" --quiet &&
out=$("$cmp" "$tmp/j1.h5" "$tmp/j2.h5") && ok || no threads-invariance "$out"
[ ! -e "$tmp/j1.h5.parts" ] && ok || no parts-removed "$tmp/j1.h5.parts is left"

# 2. a sweep: 3 x 2 grid, 2 replications: 12 runs, a parameter table
vary="--vary programs.shandong-compute.budget=30M:1.03B:3 --vary programs.shanghai-compute.coverage=0.5:0.8:2"
out=$("$vs" sweep "$sc" $vary --replications 2 --jobs 2 $short -o "$tmp/full.h5" --quiet 2>&1)
st=$?
[ $st -eq 0 ] && printf '%s\n' "$out" | grep -q '^6 points x 2 replications (grid)' &&
  [ "$(printf '%s\n' "$out" | grep -c '^ *[0-5] ')" -eq 6 ] && ok || no sweep-grid "exit $st" "$out"
tab=$("$cmp" --table "$tmp/full.h5" /sweep/params)
[ "$(printf '%s\n' "$tab" | head -1)" = "run,point,replication,programs.shandong-compute.budget,programs.shanghai-compute.coverage" ] &&
  [ "$(printf '%s\n' "$tab" | wc -l)" -eq 13 ] &&
  printf '%s\n' "$tab" | grep -q '^0,0,0,30000000,0.5$' &&
  printf '%s\n' "$tab" | grep -q '^11,5,1,1030000000,0.80000000000000004$' &&
  printf '%s\n' "$tab" | grep -q '^7,3,1,530000000,0.80000000000000004$' && ok || no sweep-params "$tab"
tab=$("$cmp" --table "$tmp/full.h5" /scalars)
[ "$(printf '%s\n' "$tab" | wc -l)" -eq 13 ] && ok || no sweep-scalars "$(printf '%s\n' "$tab" | head -3)"

# 3. killed after 5 runs (test hook), then --resume: the same datasets
VOUCHSIM_TEST_STOP_AFTER=5 "$vs" sweep "$sc" $vary --replications 2 --jobs 1 $short -o "$tmp/res.h5" --quiet >/dev/null 2>&1
st=$?
n=$(ls "$tmp/res.h5.parts" 2>/dev/null | grep -c '^run-')
[ $st -eq 1 ] && [ "$n" -eq 5 ] && [ ! -e "$tmp/res.h5" ] && ok || no sweep-killed "exit $st, $n fragments"
out=$("$vs" sweep "$sc" $vary --replications 2 --jobs 2 $short -o "$tmp/res.h5" --resume 2>&1 >/dev/null)
printf '%s\n' "$out" | grep -q 'resume: 5 of 12 runs done already' && ok || no resume-reuses "$out"
out=$("$cmp" "$tmp/full.h5" "$tmp/res.h5") && ok || no resume-identical "$out"
[ ! -e "$tmp/res.h5.parts" ] && ok || no resume-parts-removed

# 4. fragments of another experiment (another seed) are not reused
VOUCHSIM_TEST_STOP_AFTER=3 "$vs" run "$sc" --replications 4 --jobs 1 $short -o "$tmp/seed.h5" --seed 7 --quiet >/dev/null 2>&1
out=$("$vs" run "$sc" --replications 4 $short -o "$tmp/seed.h5" --resume 2>&1)
printf '%s\n' "$out" | grep -q 'resume: 0 of 4 runs done already' &&
  "$cmp" "$tmp/seed.h5" "$tmp/j1.h5" >/dev/null && ok || no resume-other-id "$out"

# 5. a bad key in --vary is the scenario's error, exit 2, no file
out=$("$vs" sweep "$sc" --vary programs.nope.budget=1M:2M:2 -o "$tmp/bad.h5" 2>&1)
st=$?
[ $st -eq 2 ] && printf '%s\n' "$out" | grep -q "no item named 'nope' in 'programs'" &&
  [ ! -e "$tmp/bad.h5" ] && ok || no bad-vary "exit $st" "$out"
out=$("$vs" sweep "$sc" --vary programs.shanghai-compute.coverage=0.5:1.5:2 -o "$tmp/bad.h5" 2>&1)
st=$?
[ $st -eq 2 ] && printf '%s\n' "$out" | grep -q 'coverage' && ok || no bad-range "exit $st" "$out"
out=$("$vs" sweep "$sc" --vary programs.shanghai-compute.coverage=0.5:0.8 -o "$tmp/bad.h5" 2>&1)
[ $? -eq 2 ] && printf '%s\n' "$out" | grep -q 'LO:HI:N' && ok || no bad-vary-form "$out"

# 6. lhs: 5 points; sobol: N x (k + 2) points and an index table
out=$("$vs" sweep "$sc" --design lhs --samples 5 --vary programs.shanghai-compute.coverage=0.5:0.8 \
      --vary firms.reservation_price.median=8:12 --replications 1 $short -o "$tmp/lhs.h5" --quiet 2>&1)
printf '%s\n' "$out" | grep -q '^5 points x 1 replication (lhs)' && ok || no lhs "$out"
out=$("$vs" sweep "$sc" --design sobol --samples 8 --bootstrap 50 --vary programs.shanghai-compute.coverage=0.5:0.8 \
      --vary firms.reservation_price.median=8:12 --replications 1 --until 2025-01-20 -o "$tmp/sobol.h5" --quiet 2>&1)
tab=$("$cmp" --table "$tmp/sobol.h5" /sobol/indices)
printf '%s\n' "$out" | grep -q 'N = 8 base samples, 32 points' &&
  printf '%s\n' "$tab" | grep -q '^gpu_hours_total,firms.reservation_price.median,' &&
  [ "$(printf '%s\n' "$tab" | head -1)" = "output,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi" ] && ok ||
  no sobol "$out" "$(printf '%s\n' "$tab" | head -3)"

# 7. paired intervals on common random numbers are far narrower than unpaired
out=$("$vs" compare "$sc" "$s/tests/data/china-cov.yaml" --replications 8 --until 2025-04-01 --format csv --quiet 2>&1)
line=$(printf '%s\n' "$out" | grep '^gpu_hours_total,')
if printf '%s\n' "$line" | awk -F, '{ exit !($6 > 0 && $6 < $7 / 3) }'; then ok
else no paired-narrower "$line"; fi

# 8. compare -o writes one file (both arms through fragments); --resume accepted
"$vs" compare "$sc" "$s/tests/data/china-cov.yaml" --replications 2 $short -o "$tmp/cmp.h5" --quiet >/dev/null 2>&1 &&
  [ -f "$tmp/cmp.h5" ] && [ ! -e "$tmp/cmp.h5.arms" ] && [ "$(ls "$tmp" | grep -c '^cmp')" -eq 1 ] && ok ||
  no compare-files

# 9. an LHS over an integer key (GPUs) sets whole numbers, which the scenario accepts
out=$("$vs" sweep "$sc" --design lhs --samples 3 --replications 1 $short \
      --vary datacenters.qingyang-a800.gpus=4000:9000 -o "$tmp/int.h5" --quiet 2>&1)
if [ $? -eq 0 ] && [ "$(printf '%s\n' "$out" | awk '$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9],[0-9][0-9][0-9]$/' | wc -l)" -eq 3 ]; then ok
else no lhs-integer-key "$out"; fi

echo "experiments: $pass passed, $fail failed"
[ $fail -eq 0 ]
