#!/bin/sh
# tests/validation/summary.sh - what `vouchsim summary` says about run-out
# dates and steady state, against answers known by hand
# (tests/validation/mkrunout) and on runs of the model:
#   - run-out: dates over the runs in which the budget runs out, "in k of
#     R runs", intervals clipped to the window, "not exhausted" with the
#     money left (budget_left.<p>), and without budget_left (older files);
#   - steady state: MSER-5 flags a 30-day ramp, flags the default scenario
#     started empty (firms arrive from the start), and passes a long M/M/c
#     run (scenarios/mmc.yaml, whose empty start relaxes within hours).
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/summary.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
PY=$(command -v python3)

"$b/tests/validation/mkrunout" "$tmp/ro.h5" || { echo "mkrunout failed"; exit 1; }

# ---- run-out, by hand (see mkrunout.c) ----
t runout-first 0 '^  a  first runs out 2025-01-12 \(95% CI 2025-01-10 \.\. 2025-01-14\) in 4 of 4 runs;' -- \
  "$vs" summary "$tmp/ro.h5"
t runout-final-clipped 0 'for good 2025-04-07 \(95% CI 2025-03-25 \.\. 2025-04-10\) in 2 of 4 runs;' -- \
  "$vs" summary "$tmp/ro.h5"
t runout-left 0 'not exhausted at the end in 2 of 4 runs, 6,000,000 CNY left$' -- "$vs" summary "$tmp/ro.h5"
t runout-never-left 0 '^  b  not exhausted in 4 of 4 runs, 2,500,000 CNY left$' -- "$vs" summary "$tmp/ro.h5"
t runout-never-no-left 0 '^  c  not exhausted in 4 of 4 runs$' -- "$vs" summary "$tmp/ro.h5"
ok runout-table-no-raw-rows sh -c "! '$vs' summary '$tmp/ro.h5' | grep -q '^exhaustion_'"
t runout-csv-header 0 '^program,runs,runs_exhausted,first_date,first_lo_date,first_hi_date,first_h,runs_exhausted_final,final_date,final_lo_date,final_hi_date,final_h,runs_not_exhausted,budget_left_mean,left_before_return_mean$' -- \
  "$vs" summary "$tmp/ro.h5" --format csv
t runout-csv-a 0 '^a,4,4,2025-01-12,2025-01-10,2025-01-14,276,2,2025-04-07,2025-03-25,2025-04-10,2325,2,6000000,$' -- \
  "$vs" summary "$tmp/ro.h5" --format csv
t runout-csv-c 0 '^c,4,0,,,,,0,,,,,4,,$' -- "$vs" summary "$tmp/ro.h5" --format csv
t runout-csv-scalars-first 0 '^exhaustion_h\.a,h,276,' -- "$vs" summary "$tmp/ro.h5" --format csv
if [ -n "$PY" ]; then
  "$vs" summary "$tmp/ro.h5" --format json > "$tmp/ro.json"
  ok runout-json "$PY" -c "
import json, sys
d = json.load(open(sys.argv[1]))
a, b, c = d['runout']
assert (a['program'], a['runs'], a['runs_exhausted'], a['first_date']) == ('a', 4, 4, '2025-01-12'), a
assert (a['runs_exhausted_final'], a['final_date'], a['final_hi_date']) == (2, '2025-04-07', '2025-04-10'), a
assert (a['runs_not_exhausted'], a['budget_left_mean']) == (2, 6e6), a
assert (b['runs_exhausted'], b['first_date'], b['budget_left_mean']) == (0, None, 2.5e6), b
assert c['budget_left_mean'] is None, c
st = d['steady_state'][0]
assert (st['series'], st['entity'], st['truncation_samples'], st['truncation_day']) == ('region/utilization', 'east', 30, 30), st
assert (st['truncation_date'], st['verdict']) == ('2025-02-01', 'transient'), st
" "$tmp/ro.json"
fi

# ---- steady state, by hand: a 0 -> 0.8 ramp over 30 days, then flat ----
t steady-ramp 0 'utilization\.east: MSER-5 truncation after 30 days \(keeps from 2025-02-01, dropping 30% of the window\): the warm-up looks too short; increase `warmup`' -- \
  "$vs" summary "$tmp/ro.h5"
t steady-ramp-csv 0 '^region/utilization,east,99,30,2025-02-01,30,99,0\.303[0-9]*,transient$' -- \
  "$vs" summary "$tmp/ro.h5" --format csv

# verdict FILE SERIES ENTITY: the steady-state verdict from the CSV
verdict() {
  "$vs" summary "$1" --format csv | awk -F, -v s="$2" -v e="$3" '$1 == s && $2 == e { print $9 }'
}

# ---- the default scenario as shipped (two years of warm-up): flat ----
"$vs" run "$s/scenarios/china-2025.yaml" -o "$tmp/cw.h5" --quiet --jobs 2 --replications 4 --seed 3 \
  --set vouchers=false
for reg in east west; do
  v=$(verdict "$tmp/cw.h5" region/utilization $reg)
  echo "china-2025 with its warm-up, no vouchers: utilization.$reg: $v (held to: stationary)"
  ok steady-warm-$reg [ "$v" = stationary ]
done

# ---- the default scenario, started empty: its load is not flat ----
"$vs" run "$s/scenarios/china-2025.yaml" -o "$tmp/cn.h5" --quiet --jobs 2 --replications 2 --seed 3 \
  --set warmup=0
v=$(verdict "$tmp/cn.h5" region/utilization east)
echo "china-2025 started empty: utilization.east: $v (held to: not stationary)"
ok steady-empty-start-flagged [ -n "$v" -a "$v" != stationary ]
t steady-empty-start-text 0 'utilization\.east: MSER-5 truncation after [0-9]+ days \(keeps from 2025-' -- \
  "$vs" summary "$tmp/cn.h5"

# ---- M/M/c for a year: flat after hours, so nothing to flag ----
"$vs" run "$s/scenarios/mmc.yaml" -o "$tmp/mmc.h5" --quiet --jobs 2 --replications 4 --seed 1 \
  --set horizon=365d
for x in utilization waiting_jobs mean_wait; do
  v=$(verdict "$tmp/mmc.h5" region/$x east)
  echo "mmc 365 d: $x.east: $v (held to: stationary)"
  ok "steady-mmc-$x" [ "$v" = stationary ]
done
t steady-mmc-text 0 'utilization\.east: MSER-5 truncation after [0-9]+ of 365 days: no transient detected' -- \
  "$vs" summary "$tmp/mmc.h5"

# ---- run-out dates of the model never pass the window's end ----
"$vs" run "$s/scenarios/china-2025.yaml" -o "$tmp/nov.h5" --quiet --jobs 2 --replications 4 --seed 1 \
  --until 2025-11-20
"$vs" summary "$tmp/nov.h5" --format csv > "$tmp/nov.csv"
late=$(awk -F, '/^program,runs,/ { on = 1; next } on && NF == 0 { exit }
                on { split("4 5 6 9 10 11", k, " ")
                     for (j in k) if ($k[j] != "" && $k[j] > "2025-11-20") print $1, $k[j] }' "$tmp/nov.csv")
ok runout-model-within-window [ -z "$late" ]
ok runout-model-shanghai-counted grep -Eq '^shanghai-compute,4,[1-4],2025-1' "$tmp/nov.csv"
ok runout-model-shandong-never grep -q '^shandong-compute,4,0,,,,,0,,,,,4,' "$tmp/nov.csv"

echo "summary: $pass passed, $fail failed"
[ $fail -eq 0 ]
