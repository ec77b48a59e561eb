#!/bin/sh
# tests/warnings.sh - what is valid but does nothing (issue 9): each
# tests/data/warn_*.yaml gives its whole list of "file:line:col: key:
# warning: message" lines on stderr with exit 0, and exit 2 with --strict
# (run, validate, compare, sweep), nothing written; --until moves the
# horizon the dates are checked against; the shipped scenarios give none.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1       # messages name files as given: tests/data/...
vs="$b/vouchsim"
d=tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/warnings.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$lib"

# expect NAME WANT_STATUS WANT_STDERR -- COMMAND...: exit status and the whole stderr
expect() {
  name=$1 want=$2 msg=$3; shift 4
  "$@" >"$tmp/out" 2>"$tmp/err"; got=$?
  if [ "$got" -eq "$want" ] && [ "$(cat "$tmp/err")" = "$msg" ]; then
    pass=$((pass + 1))
  else
    echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$tmp/err"
    echo "  want:"; printf '%s\n' "$msg" | sed 's/^/  | /'; fail=$((fail + 1))
  fi
}

# ---- each fixture: its warnings, exit 0; with --strict exit 2 ----
# (fixture|number of warnings, then its lines up to a blank line)
check_fixture() {
  f=$1 n=$2 msg=$3
  expect "validate-$f" 0 "$msg" -- "$vs" validate "$d/$f"
  s=s; [ "$n" -eq 1 ] && s=
  expect "strict-$f" 2 "$msg
vouchsim: $n warning$s, errors with --strict" -- "$vs" validate "$d/$f" --strict
}

check_fixture warn_dates.yaml 6 "\
$d/warn_dates.yaml:18:16: datacenters[0].capacity[1].date: warning: 2026-03-01 is not before the end of the measurement window (2026-01-01): this capacity step changes nothing that is measured
$d/warn_dates.yaml:10:16: cities[0].arrivals[1].from: warning: 2026-04-01 is not before the end of the measurement window (2026-01-01): this arrival rate never applies
$d/warn_dates.yaml:26:16: programs[0].timeline[1].date: warning: 2026-07-01 is not before the end of the measurement window (2026-01-01): this change does nothing that is measured
$d/warn_dates.yaml:31:20: programs[1].window.open: warning: applications open on 2026-02-01, not before the end of the measurement window (2026-01-01): no firm of the window can apply
$d/warn_dates.yaml:35:43: programs[2].appropriations.from: warning: the years 2020 to 2024 begin before the simulation does (2025-01-01): all their money is added when it begins
$d/warn_dates.yaml:35:53: programs[2].appropriations.to: warning: the years 2026 to 2028 begin on or after the end of the measurement window (2026-01-01): their money is never measured"

check_fixture warn_closed.yaml 2 "\
$d/warn_closed.yaml:14:39: programs[0].window.close: warning: applications close on 2023-06-01, not after the simulation begins (2024-01-01, with the warm-up): the program never takes one
$d/warn_closed.yaml:19:16: programs[1].appropriations[0].year: warning: the year 2023 begins before the simulation does (2024-01-01, with the warm-up): its money is added when it begins"

check_fixture warn_accepts.yaml 2 "\
$d/warn_accepts.yaml:10:82: programs[0].accepts.region: warning: no data center is in the west: the program's vouchers can pay no bill
$d/warn_accepts.yaml:11:5: programs[1]: warning: accepts certified providers (the default), but no data center is certified: its vouchers can pay no bill"

check_fixture warn_units.yaml 6 "\
$d/warn_units.yaml:4:10: horizon: warning: a bare number is hours: 365 means 365 hours (15.2 days); write 365d for days, or 365h to say hours
$d/warn_units.yaml:7:39: firms.patience.mean: warning: a bare number is hours: 72 means 72 hours (3 days); write 72d for days, or 72h to say hours
$d/warn_units.yaml:18:60: datacenters[0].background.patience: warning: a bare number is hours: 12 means 12 hours (0.5 days); write 12d for days, or 12h to say hours
$d/warn_units.yaml:25:21: programs[0].approval_delay: warning: a bare number is hours: 30 means 30 hours (1.25 days); write 30d for days, or 30h to say hours
$d/warn_units.yaml:27:20: programs[0].lottery_every: warning: a bare number is hours: 720 means 720 hours (30 days); write 720d for days, or 720h to say hours
$d/warn_units.yaml:32:42: programs[1].approval_delay.min: warning: a bare number is hours: 30 means 30 hours (1.25 days); write 30d for days, or 30h to say hours"

check_fixture warn_background.yaml 1 "\
$d/warn_background.yaml:11:27: datacenters[0].background.per_day: warning: background demand of 25 times the capacity (per_day 250 x 8 GPUs x 300 hours on average / 24 = 25000 GPUs busy, against 1000): check the units of per_day, gpus and hours"

# a --set that fixes the unit fixes the warning
expect set-fixes 0 "" -- "$vs" validate "$d/warn_background.yaml" --set datacenters.jn-1.background.per_day=10

# ---- --strict on every command that reads a scenario: exit 2, nothing written ----
acc="$d/warn_accepts.yaml"
w1="$acc:10:82: programs[0].accepts.region: warning: no data center is in the west: the program's vouchers can pay no bill"
w2="$acc:11:5: programs[1]: warning: accepts certified providers (the default), but no data center is certified: its vouchers can pay no bill"
strict2="$w1
$w2
vouchsim: 2 warnings, errors with --strict"
mkdir "$tmp/o"
expect run-strict 2 "$strict2" -- "$vs" run "$acc" --strict -o "$tmp/o/r.h5" --quiet
expect compare-strict 2 "$strict2" -- "$vs" compare "$d/small.yaml" "$acc" --strict -o "$tmp/o/c" --quiet
expect sweep-strict 2 "$strict2" -- "$vs" sweep "$acc" --vary programs.any.coverage=0.2:0.8:2 --strict -o "$tmp/o/s.h5" --quiet
ok strict-wrote-nothing [ -z "$(ls -A "$tmp/o")" ]
# without --strict the run goes ahead, and a counterfactual or a sweep
# says each warning once (not once per arm or point)
expect run-warns 0 "$w1
$w2" -- "$vs" run "$acc" -o "$tmp/r.h5" --quiet --replications 1
ok run-wrote [ -f "$tmp/r.h5" ]
expect counterfactual-once 0 "$w1
$w2" -- "$vs" run "$acc" --counterfactual -o "$tmp/cf.h5" --quiet --replications 1
expect sweep-once 0 "$w1
$w2" -- "$vs" sweep "$acc" --vary programs.any.coverage=0.2:0.8:2 -o "$tmp/s.h5" --quiet --replications 1

# ---- --until: the dates are checked against the horizon in force ----
sh="scenarios/shandong-1b.yaml"
line=$(grep -n 'date: 2025-07-01' "$sh" | cut -d: -f1)
col=$(grep 'date: 2025-07-01' "$sh" | awk '{ print index($0, "2025-07-01") }')
tw="$sh:$line:$col: programs[6].timeline[0].date: warning: 2025-07-01 is not before the end of the measurement window (2025-06-01): this change does nothing that is measured"
expect until-none 0 "" -- "$vs" validate "$sh" --until 2025-07-02
expect until-validate 0 "$tw" -- "$vs" validate "$sh" --until 2025-06-01
expect until-strict 2 "$tw
vouchsim: 1 warning, errors with --strict" -- "$vs" run "$sh" --until 2025-06-01 --strict -o "$tmp/o/u.h5"
expect until-compare 2 "$tw
vouchsim: 1 warning, errors with --strict" -- "$vs" compare scenarios/china-2025.yaml "$sh" --until 2025-06-01 --strict -o "$tmp/o/u"

# ---- the shipped scenarios: no warnings, also with --strict ----
for f in scenarios/*.yaml; do
  expect "shipped-$(basename "$f")" 0 "" -- "$vs" validate "$f" --strict
done

echo "warnings: $pass passed, $fail failed"
[ $fail -eq 0 ]
