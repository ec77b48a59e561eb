#!/bin/sh
# tests/run_cli.sh - the model checked from the outside, as a policy
# researcher would: the real vouchsim binary on small scenarios
# (tests/data/e2e_*.yaml) whose outcomes are worked out by hand in their
# comments, read back through `vouchsim summary --format csv` and
# `vouchsim export`. Money to the yuan, budget exhaustion and a tranche,
# Erlang C on scenarios/mmc.yaml, the ledger on every shipped scenario and
# a provoked violation, bad input through the CLI (exit 2, exact message,
# nothing left behind), reproducibility, additionality, the counterfactual.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1       # messages name files as given: tests/data/...
vs="$b/vouchsim"
d=tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$lib"
# num EXPR: true when the awk expression is (e.g. num "$x == 3 * $y")
num() { awk "BEGIN { exit !($1) }"; }
# summ FILE.h5 SCALAR [FIELD]: a field of `summary --format csv` (3 = mean,
# 5/6 = 95% interval, 7 = n, 9 = mean as a date)
summ() { "$vs" summary "$1" --format csv | awk -F, -v k="$2" -v f="${3:-3}" '$1 == k { print $f }'; }
# ser CSV HOURS: the first entity's value at sample time HOURS of an exported series
ser() { awk -F, -v h="$2" 'NR > 1 && $2 == h { print $3 }' "$1"; }
# first CSV MIN: the first sample time at which the first entity reaches MIN
first() { awk -F, -v m="$2" 'NR > 1 && $3 + 0 >= m { print $2; exit }' "$1"; }
empty() { [ -z "$(ls -A "$1")" ]; }
run() { "$vs" run "$@" --quiet; }

# ---- money to the yuan: 80 yuan subsidy, 20 co-payment, 10 GPU-h a firm ----
run $d/e2e_money.yaml -o "$tmp/money.h5" || echo "run e2e_money failed"
n=$(summ "$tmp/money.h5" firms_buying)
ok money-firms num "${n:-0} >= 20"
ok money-all-arrived-buy num "$(summ "$tmp/money.h5" firms_arrived) == $n"
ok money-granted num "$(summ "$tmp/money.h5" firms_granted.jinan-compute) == $n"
ok money-subsidy num "$(summ "$tmp/money.h5" subsidy_total) == 80 * $n"
ok money-copay num "$(summ "$tmp/money.h5" copay_total) == 20 * $n"
ok money-gpu-hours num "$(summ "$tmp/money.h5" gpu_hours_total) == 10 * $n"
ok money-revenue num "$(summ "$tmp/money.h5" revenue_total) == 100 * $n"
ok money-per-add-gpu-h num "$(summ "$tmp/money.h5" subsidy_per_additional_gpu_hour) == 8"
ok money-additional num "$(summ "$tmp/money.h5" firms_additional) == $n"
ok money-deadweight-0 num "$(summ "$tmp/money.h5" deadweight_share) == 0"
ok money-no-exhaustion [ "$(summ "$tmp/money.h5" exhaustion_h.jinan-compute 8)" = 1 ]
"$vs" export "$tmp/money.h5" --csv "$tmp/money" >/dev/null
s=$tmp/money/series
ok money-spent-series num "$(ser $s/program_spent.csv 720) == 80 * $n"
ok money-remaining-series num "$(ser $s/program_remaining.csv 720) == 1000000 - 80 * $n"
ok money-committed-0 num "$(ser $s/program_committed.csv 720) == 0"
ok money-lapsed-0 num "$(ser $s/program_lapsed.csv 720) == 0"
ok money-city-copay num "$(ser $s/city_copay.csv 720) == 20 * $n"
# a cap of 50 yuan: subsidy 50, co-payment 50 (effective price 5 <= 5: still buys)
run $d/e2e_money.yaml -o "$tmp/cap.h5" --set programs.jinan-compute.cap_per_firm=50
ok cap-subsidy num "$(summ "$tmp/cap.h5" subsidy_total) == 50 * $n"
ok cap-copay num "$(summ "$tmp/cap.h5" copay_total) == 50 * $n"
# vouchers off: nobody buys at 10 yuan with a reservation price of 5
run $d/e2e_money.yaml -o "$tmp/off.h5" --set vouchers=false
ok off-nobody-buys num "$(summ "$tmp/off.h5" firms_buying) == 0 && $(summ "$tmp/off.h5" subsidy_total) == 0"

# ---- additionality ----
run $d/e2e_deadweight.yaml -o "$tmp/dw.h5"
n=$(summ "$tmp/dw.h5" firms_buying)
ok dw-all-buy num "${n:-0} >= 20 && $(summ "$tmp/dw.h5" firms_arrived) == $n"
ok dw-additional-0 num "$(summ "$tmp/dw.h5" firms_additional) == 0"
ok dw-deadweight-all num "$(summ "$tmp/dw.h5" firms_deadweight) == $n"
ok dw-share-1 num "$(summ "$tmp/dw.h5" deadweight_share) == 1"
ok dw-subsidy num "$(summ "$tmp/dw.h5" subsidy_total) == 80 * $n"
ok dw-gpu-h-additional-0 num "$(summ "$tmp/dw.h5" gpu_hours_additional) == 0"
# the counterfactual: vouchers raise GPU-hours, with a paired interval
cf=$("$vs" run $d/e2e_mixed.yaml --counterfactual --replications 8 -o "$tmp/cf.h5" --quiet 2>&1)
ok cf-file test -f "$tmp/cf.h5" -a ! -e "$tmp/cf.h5.arms"
ok cf-arm-export "$vs" export "$tmp/cf.h5" --arm counterfactual --csv "$tmp/cfx"
summ_arm() { "$vs" summary "$1" --arm "$2" --format csv | awk -F, -v k="$3" '$1 == k { print $3 }'; }
line=$(printf '%s\n' "$cf" | awk '$1 == "gpu_hours_total"')
dif=$(echo "$line" | awk '{ print $5 }') ci=$(echo "$line" | awk '{ sub(/^\+-/, "", $6); print $6 }')
ok cf-gpu-hours-up num "${dif:-0} > 0 && ${ci:-nan} + 0 > 0 && $dif > $ci"
ok cf-same-firms [ "$(printf '%s\n' "$cf" | awk '$1 == "firms_arrived" { print $5, $6 }')" = "0 +-0" ]
ok cf-arm-no-subsidy num "$(summ_arm "$tmp/cf.h5" counterfactual subsidy_total) == 0"
ok cf-arm-some-buy num "$(summ_arm "$tmp/cf.h5" counterfactual firms_buying) > 0"

# ---- budget run-out (FCFS): the 5th grant, one day after the 5th arrival ----
run $d/e2e_exhaust.yaml -o "$tmp/ex.h5"
"$vs" export "$tmp/ex.h5" --csv "$tmp/ex" >/dev/null
s=$tmp/ex/series
ex=$(summ "$tmp/ex.h5" exhaustion_h.jinan-compute)
ts=$(first $s/program_grants.csv 5)
ta=$(first $s/city_firms_arrived.csv 5)
ok ex-grant-a-day-after-arrival num "${ts:-0} == ${ta:-0} + 24"
ok ex-time-in-grant-hour num "${ex:-0} > $ts - 1 && $ex <= $ts"
ok ex-remaining-hits-0 num "$(ser $s/program_remaining.csv "$ts") == 0 && $(ser $s/program_remaining.csv $((ts - 1))) == 80"
ok ex-date [ "$(summ "$tmp/ex.h5" exhaustion_h.jinan-compute 9)" = \
             "$(awk -F, -v h="$ex" 'NR > 1 && $2 == 24 * int(h / 24) { print $1 }' $s/program_remaining.csv)" ]
ok ex-five-grants num "$(summ "$tmp/ex.h5" firms_granted.jinan-compute) == 5 && $(summ "$tmp/ex.h5" subsidy_total) == 400"
# later applicants were refused at decision (applied while money was left)
# or turned away at once (it had run out when they arrived)
ok ex-refusals num "$(ser $s/program_refusals.csv 720) + $(ser $s/program_turned_away.csv 720) == $(summ "$tmp/ex.h5" firms_arrived) - 5"
ok ex-turned-away num "$(ser $s/program_turned_away.csv 720) > 0"
# ---- a voucher expiring between jobs: 384 spent, 768 lapsed once (or returned) ----
run $d/e2e_expiry.yaml -o "$tmp/xp.h5"
"$vs" export "$tmp/xp.h5" --csv "$tmp/xp" >/dev/null
n=$(summ "$tmp/xp.h5" firms_buying) s=$tmp/xp/series
ok xp-subsidy num "${n:-0} >= 20 && $(summ "$tmp/xp.h5" subsidy_total) == 384 * $n"
ok xp-copay num "$(summ "$tmp/xp.h5" copay_total) == 1056 * $n"
ok xp-lapsed-once num "$(ser $s/program_lapsed.csv 720) == 768 * $n"
ok xp-remaining num "$(ser $s/program_remaining.csv 720) == 1000000 - 1152 * $n"
ok xp-closed num "$(ser $s/program_vouchers_active.csv 720) == 0 && $(ser $s/program_committed.csv 720) == 0"
run $d/e2e_expiry.yaml -o "$tmp/xr.h5" --set programs.jinan-compute.on_expiry=return
"$vs" export "$tmp/xr.h5" --csv "$tmp/xr" >/dev/null
s=$tmp/xr/series
ok xr-returned num "$(ser $s/program_lapsed.csv 720) == 0 && $(ser $s/program_remaining.csv 720) == 1000000 - 384 * $n"

# ---- lottery rounds every 10 days, a tranche on 2025-01-15 ----
run $d/e2e_tranche.yaml -o "$tmp/tr.h5"
"$vs" export "$tmp/tr.h5" --csv "$tmp/tr" >/dev/null
s=$tmp/tr/series
ok tr-exhaustion-240 num "$(summ "$tmp/tr.h5" exhaustion_h.jinan-compute) == 240"
ok tr-exhaustion-date [ "$(summ "$tmp/tr.h5" exhaustion_h.jinan-compute 9)" = 2025-01-11 ]
ok tr-before num "$(ser $s/program_remaining.csv 216) == 400 && $(ser $s/program_remaining.csv 240) == 0"
ok tr-tranche num "$(ser $s/program_remaining.csv 312) == 0 && $(ser $s/program_remaining.csv 336) == 800"
ok tr-tranche-series num "$(ser $s/program_tranches.csv 336) == 800"
used=$(awk -F, 'NR > 1 && $2 > 336 && $3 == 0 { print $1; exit }' $s/program_remaining.csv)
ok tr-used-up-2025-01-21 [ "$used" = 2025-01-21 ]
ok tr-grants num "$(ser $s/program_grants.csv 456) == 5 && $(ser $s/program_grants.csv 480) == 15"
ok tr-subsidy num "$(summ "$tmp/tr.h5" subsidy_total) == 1200"

# ---- jobs ending exactly at the horizon are in the last row as in the totals ----
run $d/e2e_horizon.yaml -o "$tmp/hz.h5"
"$vs" export "$tmp/hz.h5" --csv "$tmp/hz" >/dev/null
n=$(summ "$tmp/hz.h5" firms_buying) s=$tmp/hz/series
ok hz-subsidy num "${n:-0} >= 20 && $(summ "$tmp/hz.h5" subsidy_total) == 3840 * $n"
ok hz-last-row-subsidy num "$(ser $s/city_subsidy.csv 720) == 3840 * $n"
ok hz-last-row-revenue num "$(ser $s/datacenter_revenue.csv 720) == 4800 * $n"
ok hz-last-row-running num "$(ser $s/datacenter_running_jobs.csv 720) == 0"

# ---- M/M/c: mean wait against Erlang C, Wq = 0.021694 h, load 0.9 ----
run scenarios/mmc.yaml -o "$tmp/mmc.h5" --replications 40 --set horizon=120d
w=$(summ "$tmp/mmc.h5" mean_wait_east_h) hi=$(summ "$tmp/mmc.h5" mean_wait_east_h 6)
ok mmc-wait-in-ci num "${w:-0} > 0 && ($w - 0.021694) ^ 2 <= ($hi - $w) ^ 2"
ok mmc-wait-within-5pc num "${w:-0} > 0.95 * 0.021694 && $w < 1.05 * 0.021694"
ok mmc-load num "$(summ "$tmp/mmc.h5" utilization_east) > 0.895 && $(summ "$tmp/mmc.h5" utilization_east) < 0.905"

# ---- yearly appropriations, year_end: return, per-year scalars ----
run $d/e2e_years.yaml -o "$tmp/yr.h5" || echo "run e2e_years failed"
"$vs" export "$tmp/yr.h5" --csv "$tmp/yr" >/dev/null
s=$tmp/yr/series
n24=$(ser $s/city_firms_arrived.csv 288)            # 2025-01-01, before the 2025 arrivals
n=$(summ "$tmp/yr.h5" firms_arrived)
n25=$((n - n24))
ok yr-firms num "$n24 >= 3 && $n24 <= 12 && $n25 >= 5 && $n25 <= 25"
ok yr-subsidy-2024 num "$(summ "$tmp/yr.h5" subsidy_total.2024) == 80 * $n24"
ok yr-subsidy-2025 num "$(summ "$tmp/yr.h5" subsidy_total.2025) == 80 * $n25"
ok yr-spent-2025 num "$(summ "$tmp/yr.h5" spent.jinan-compute.2025) == 80 * $n25"
ok yr-returned num "$(ser $s/program_returned.csv 720) == 1000 - 80 * $n24"
ok yr-tranches num "$(ser $s/program_tranches.csv 720) == 3000"
ok yr-left num "$(summ "$tmp/yr.h5" budget_left.jinan-compute) == 2000 - 80 * $n25"
ok yr-ledger num "$(summ "$tmp/yr.h5" ledger_ok) == 1"
# a one-year window has no per-year scalars
ok yr-none-in-one-year [ -z "$(summ "$tmp/money.h5" subsidy_total.2025)" ]
t yr-bad-order 2 '^--set:1:72: programs\[0\]\.appropriations\[1\]\.year: years out of order: 2024 after 2025$' -- \
  "$vs" validate $d/e2e_years.yaml --set 'programs.jinan-compute.appropriations=[{year: 2025, amount: 1}, {year: 2024, amount: 1}]'

# ---- capacity bought with public money (tests/data/e2e_invest.yaml) ----
run $d/e2e_invest.yaml -o "$tmp/iv.h5" || echo "run e2e_invest failed"
ok iv-gpus num "$(summ "$tmp/iv.h5" public_gpus_end) == 10"
ok iv-spent num "$(summ "$tmp/iv.h5" investment_spent) == 1000"
ok iv-gpu-hours num "$(summ "$tmp/iv.h5" public_gpu_hours) == 6000"
ok iv-used-idle num "$(summ "$tmp/iv.h5" public_gpu_hours_used) + $(summ "$tmp/iv.h5" public_gpu_hours_idle) == 6000"
ok iv-cost num "($(summ "$tmp/iv.h5" investment_cost_window) - 100 * 6000 / 8760) ^ 2 < 1e-12"
ok iv-late-not-online num "$(summ "$tmp/iv.h5" public_gpu_hours_idle.jn-late) == 0"
ok iv-ledger num "$(summ "$tmp/iv.h5" ledger_ok) == 1"
"$vs" export "$tmp/iv.h5" --csv "$tmp/iv" >/dev/null
ok iv-capacity-step [ "$(awk -F, '$2 == 96 || $2 == 120 { printf "%s ", $4 }' "$tmp/iv/series/datacenter_capacity_gpus.csv")" = "0 10 " ]
t iv-unknown-center 2 "^--set:1:32: investments\\[0\\]\\.datacenter: unknown data center 'jn-publik' \\(did you mean 'jn-public'\\?\\)$" -- \
  "$vs" validate $d/e2e_invest.yaml --set investments.jn-gpus.datacenter=jn-publik

# ---- the ledger: every shipped scenario balances ----
for f in scenarios/*.yaml; do
  case $f in */national.yaml) u="--until 2025-03-01 --set warmup=30d --set cooldown=0" ;; *) u= ;; esac
  o=$tmp/$(basename "$f" .yaml).h5
  # shellcheck disable=SC2086
  t "ledger-run-$(basename "$f")" 0 '' -- "$vs" run "$f" -o "$o" --replications 2 $u --quiet --force
  ok "ledger-ok-$(basename "$f")" test "$(summ "$o" ledger_ok)" = 1 -a "$(summ "$o" ledger_ok 7)" = 2
done
# ... and a budget where a double cannot count single yuan (1e20, which
# lost vouchers to rounding and failed the ledger at the run's end) is
# refused before the run (a ledger that does not balance: check_program)
mkdir "$tmp/lp"
t money-over-2p53 2 'programs\[0\]\.budget: expected an amount of money of at most 2\^53 yuan .*got 1e20' -- \
  "$vs" run $d/bad_money_2p53.yaml -o "$tmp/lp/x.h5" --quiet
ok money-over-2p53-nothing-left empty "$tmp/lp"
# a background job of 1e30 GPUs is dropped, not a negative GPU count
run $d/e2e_bg_huge.yaml -o "$tmp/bg.h5"
ok bg-huge-ledger [ "$(summ "$tmp/bg.h5" ledger_ok)" = 1 ]
ok bg-huge-idle num "$(summ "$tmp/bg.h5" utilization_east) == 0"

# ---- bad input: exit 2, the exact message, nothing in the output directory ----
mkdir "$tmp/bad"
while IFS='|' read -r f msg; do
  out=$("$vs" run "$d/$f" -o "$tmp/bad/out.h5" --quiet 2>&1); got=$?
  if [ $got -eq 2 ] && [ "$out" = "$d/$f:$msg" ] && empty "$tmp/bad"; then
    pass=$((pass + 1))
  else
    echo "FAIL bad-$f: exit $got, left: $(ls -A "$tmp/bad")"; echo "$out" | sed 's/^/  | /'
    echo "  want: $d/$f:$msg"; fail=$((fail + 1)); rm -f "$tmp/bad/"* "$tmp/bad/".[!.]*
  fi
done <<'EOF'
bad_coverage.yaml|14:15: programs[2].coverage: expected a number in [0, 1], got 1.8
bad_unknown_key.yaml|10:5: programs[0].covrage: unknown key 'covrage' (did you mean 'coverage'?)
bad_type.yaml|7:11: datacenters[0].gpus: expected an integer in [0, 2^53], got 'lots'
bad_money.yaml|9:13: programs[0].budget: expected an amount of money >= 0, got -5M
bad_date.yaml|1:8: start: no day 29 in month 2 of 2025 in date '2025-02-29' (it has 28 days)
bad_dates.yaml|11:39: programs[0].window.close: dates out of order: the window closes on 2025-03-01, not after it opens on 2025-06-01
bad_city_ref.yaml|8:11: programs[0].city: unknown city 'shangai' (did you mean 'shanghai'?)
bad_dup_name.yaml|4:12: cities[1].name: duplicate city name 'jinan' (first at line 3)
bad_duplicate.yaml|8:5: programs[0].budget: duplicate key 'budget' (first at line 6)
bad_shares.yaml|3:10: firms.sizes: shares must sum to 1, got 1.15
bad_capacity.yaml|11:34: datacenters[0].capacity[1].gpus: capacity may only grow: 300 GPUs is fewer than the 512 before
bad_syntax.yaml|5:12: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 9)
bad_empty.yaml|1:1: empty scenario: a scenario needs at least the top-level keys start, cities and datacenters (scenarios/README.md, "A minimal scenario")
EOF
t set-unknown-key 2 "^--set:1:1: seeed: unknown key 'seeed' \(did you mean 'seed'\?\)$" -- \
  "$vs" run $d/e2e_money.yaml -o "$tmp/bad/out.h5" --set seeed=3
t set-unknown-nested 2 "programs\[0\]\.covrage: unknown key 'covrage' \(did you mean 'coverage'\?\)" -- \
  "$vs" run $d/e2e_money.yaml -o "$tmp/bad/out.h5" --set programs.jinan-compute.covrage=0.5
t until-before-start 2 "--until: expected a date \(YYYY-MM-DD\) after the scenario's start \(2025-01-01\), got '2024-12-31'" -- \
  "$vs" run $d/e2e_money.yaml -o "$tmp/bad/out.h5" --until 2024-12-31
t until-at-start 2 "after the scenario's start \(2025-01-01\), got '2025-01-01'" -- \
  "$vs" run $d/e2e_money.yaml -o "$tmp/bad/out.h5" --until 2025-01-01
t until-not-a-date 2 "--until: no month 13 in date '2025-13-01'" -- \
  "$vs" run $d/e2e_money.yaml -o "$tmp/bad/out.h5" --until 2025-13-01
ok bad-options-nothing-left empty "$tmp/bad"
# unwritable output: exit 1, the path in the message, no temporary file
# left; a directory named as the output file, or an output under a file,
# is bad usage (2)
mkdir "$tmp/bad/dir.h5"
t out-is-directory 2 "$tmp/bad/dir.h5: is a directory\$" -- "$vs" run $d/e2e_money.yaml -o "$tmp/bad/dir.h5" --quiet
ok out-is-directory-nothing-left test "$(ls -A "$tmp/bad")" = dir.h5 -a -z "$(ls -A "$tmp/bad/dir.h5")"
rmdir "$tmp/bad/dir.h5"
t out-no-such-dir 1 "$tmp/bad/nodir/x.h5: cannot write in directory" -- \
  "$vs" run $d/e2e_money.yaml -o "$tmp/bad/nodir/x.h5" --quiet
t out-under-a-file 2 "$tmp/money.h5/x.h5: '$tmp/money.h5' is not a directory\$" -- "$vs" run $d/e2e_money.yaml -o "$tmp/money.h5/x.h5" --quiet
ok out-nothing-left empty "$tmp/bad"

# ---- reproducibility: same seed, bit-identical datasets (1 or 2 threads) ----
run $d/e2e_mixed.yaml -o "$tmp/r1.h5" --seed 11 --replications 3 --jobs 1
run $d/e2e_mixed.yaml -o "$tmp/r2.h5" --seed 11 --replications 3 --jobs 2
run $d/e2e_mixed.yaml -o "$tmp/r3.h5" --seed 12 --replications 3
for r in r1 r2 r3; do "$vs" export "$tmp/$r.h5" --csv "$tmp/$r" >/dev/null; done
ok same-seed-same-data diff -r "$tmp/r1" "$tmp/r2"
ok other-seed-other-scalars sh -c "! cmp -s '$tmp/r1/scalars.csv' '$tmp/r3/scalars.csv'"
ok other-seed-other-series sh -c "! cmp -s '$tmp/r1/series/city_firms_arrived.csv' '$tmp/r3/series/city_firms_arrived.csv'"

# ---- bounded cost: values that once hung or filled memory are refused at
# once (timeout 5: a regression hangs no longer than that), exit 2, the
# exact message; the limits of the estimate rise with --max-* ----
# exact NAME WANT_STATUS WANT_OUTPUT COMMAND...: stdout and stderr together are WANT_OUTPUT
exact() {
  name=$1 want=$2 msg=$3; shift 3
  out=$(timeout 5 "$@" 2>&1); got=$?
  if [ "$got" -eq "$want" ] && [ "$out" = "$msg" ]; then pass=$((pass + 1)); else
    echo "FAIL $name: exit $got, want $want"; echo "$out" | sed 's/^/  | /'
    echo "  want: $msg"; fail=$((fail + 1)); fi
}
o="$tmp/bad/out.h5"
exact bound-horizon 2 "--set:1:9: horizon: expected a duration of at most 1000y, got 1e300" \
  "$vs" run $d/small.yaml -o "$o" --set horizon=1e300
exact bound-sample-interval 2 "--set:1:17: sample_interval: expected a duration of at least 1min, got 1e-300" \
  "$vs" run $d/small.yaml -o "$o" --set sample_interval=1e-300
exact bound-bg-hours 2 "--set:1:33: datacenters[1].background.hours: 1e+30 hours is more than the limit of 8.76e+06" \
  "$vs" run $d/small.yaml -o "$o" --set 'datacenters[1].background.hours=1e30'
exact bound-bg-per-day 2 "--set:1:35: datacenters[1].background.per_day: about 3.62e+11 events per replication (1.8e+11 background jobs arriving at gz-1), more than the limit of 1e+09 (raise it with --max-events N)" \
  "$vs" run $d/small.yaml -o "$o" --set 'datacenters[1].background.per_day=1e9'
exact bound-arrivals 2 "--set:1:20: cities[0].arrivals: expected a number in [0, 1e+09], got 1e308" \
  "$vs" run $d/small.yaml -o "$o" --set 'cities[0].arrivals=1e308'
exact bound-jobs 2 "--set:1:14: firms.jobs: 1e+09 jobs per firm is more than the limit of 1e+06" \
  "$vs" run $d/small.yaml -o "$o" --set 'firms={jobs: 1e9}'
mkfifo "$tmp/fifo.yaml"
exact bound-fifo 2 "$tmp/fifo.yaml: cannot read: not a regular file (a scenario is read from a file, not a device or a pipe)" \
  "$vs" run "$tmp/fifo.yaml" -o "$o"
rm -f "$tmp/fifo.yaml"
# 100 KB of aliases to a 100 KB scalar: about 2 GB once expanded
awk 'BEGIN { s = "x"; while (length(s) < 100000) s = s s; printf "a: &a \"%s\"\nb: [*a", substr(s, 1, 100000)
             for (i = 0; i < 20000; i++) printf ", *a"; print "]" }' > "$tmp/aliases.yaml"
exact bound-alias-bytes 2 "$tmp/aliases.yaml:2:4: b: more than 64 MiB of text after expanding aliases" \
  "$vs" run "$tmp/aliases.yaml" -o "$o"
# 100,000 open brackets: libyaml's scanner is quadratic in the depth
awk 'BEGIN { printf "a: "; for (i = 0; i < 100000; i++) printf "["; print "" }' > "$tmp/deep.yaml"
exact bound-deep-flow 2 "$tmp/deep.yaml:1:67: a$(awk 'BEGIN { for (i = 0; i < 63; i++) printf "[0]" }'): nesting deeper than 64 levels" \
  "$vs" run "$tmp/deep.yaml" -o "$o"
while IFS='|' read -r f msg; do
  exact "bound-$f" 2 "$d/$f:$msg" "$vs" run "$d/$f" -o "$o" --quiet
done <<'EOF'
bad_extends_device.yaml|2:10: extends: cannot read '/dev/zero': not a regular file (a scenario is read from a file, not a device or a pipe)
bad_extends_dup.yaml|7:11: programs[1].name: duplicate name 'shandong' (first at line 5): in a file that extends another, a name may appear once per list
bad_jobs_median.yaml|7:9: firms.jobs: one draw in a thousand is above 2.2e+301 jobs per firm, more than the limit of 1e+06
bad_warm_start.yaml|13:48: datacenters[0].background.hours: about 8.34e+10 events per replication (8.33e+10 background jobs running at jn-1 at the start, per_day / 24 x mean hours), more than the limit of 1e+09 (raise it with --max-events N)
bad_events.yaml|11:37: cities[0].arrivals[1].per_day: about 9.63e+11 events per replication (1.07e+11 firms arriving in jinan, 3 jobs each), more than the limit of 1e+09 (raise it with --max-events N)
EOF
ok bound-nothing-left empty "$tmp/bad"
# the limits: every command that reads a scenario takes them, and they rise
m=$d/e2e_money.yaml
lim="$m:27:37: cities[0].arrivals[0].per_day: about 232 events per replication (40 firms arriving in jinan, 1 job each), more than the limit of 10 (raise it with --max-events N)"
exact limit-run 2 "$lim" "$vs" run $m -o "$o" --max-events 10
exact limit-validate 2 "$lim" "$vs" validate $m --max-events 10
exact limit-compare 2 "$lim" "$vs" compare $m $m --max-events 10
exact limit-sweep 2 "$lim" "$vs" sweep $m --vary programs.jinan-compute.coverage=0.5:0.8:2 -o "$o" --max-events 10
exact limit-counterfactual 2 "$lim" "$vs" run $m --counterfactual --max-events 10
exact limit-samples 2 "$m:15:18: sample_interval: about 31 samples per replication (every 24 h for 720 h), more than the limit of 5 (raise it with --max-samples N)" \
  "$vs" validate $m --max-samples 5
exact limit-memory 2 "--set:1:20: cities[0].arrivals: about 45.9 MiB of memory per replication (1.1e+05 firms of shanghai in flight at once, 3 jobs each), more than the limit of 16 MiB (raise it with --max-memory SIZE)" \
  "$vs" validate $d/small.yaml --set 'cities[0].arrivals=1000' --max-memory 16M
exact bound-until 2 "vouchsim run: --until: expected a date at most 1000 years after the scenario's start (2025-01-01), got '9999-01-01'
try 'vouchsim run --help'" \
  "$vs" run $m -o "$o" --until 9999-01-01
ok bound-limits-nothing-left empty "$tmp/bad"
t limit-raised 0 '^  per replication, about: 1\.62e\+09 events, 181 samples, 44\.7 GiB of memory \(limits 1e\+12, 1e\+07, 1 TiB\)$' -- \
  timeout 5 "$vs" validate $d/small.yaml --set 'cities[0].arrivals=1e6' --max-events 1e12 --max-memory 1T
t limit-run-within 0 '' -- timeout 20 "$vs" run $m -o "$tmp/lim.h5" --quiet --max-events 300 --max-samples 31 --max-memory 1M
t limit-bad-size 2 "^vouchsim run: --max-memory takes a size from 1M to 1 PiB such as 4G or 512M, got '4X'$" -- \
  "$vs" run $m --max-memory 4X
t limit-bad-count 2 "^vouchsim validate: --max-events takes a number from 1 to 1e\+15 such as 2e9, got '0'$" -- \
  "$vs" validate $m --max-events 0
t limit-not-on-summary 2 "unknown option '--max-events'" -- "$vs" summary "$tmp/lim.h5" --max-events 5
# ---- tools/gen-national: K = 1 is the shipped file; --scale K multiplies ----
ok gen-national-is-national sh -c "tools/gen-national | cmp -s - scenarios/national.yaml"
tools/gen-national --scale 3 > "$tmp/n3.yaml"
ok gen-national-scale-valid "$vs" validate "$tmp/n3.yaml"
ok gen-national-scale-centres num "$(grep -c '^  - name: .*-k3$' "$tmp/n3.yaml") == 204 && $(grep -c '^    pue: ' "$tmp/n3.yaml") == 3 * 204"
ok gen-national-scale-budget grep -q '^    budget: 450M ' "$tmp/n3.yaml"
t gen-national-scale-bad 2 "gen-national: --scale needs a whole number >= 1, got '0'" -- tools/gen-national --scale 0

echo "run_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
