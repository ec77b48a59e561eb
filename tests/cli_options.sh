#!/bin/sh
# tests/cli_options.sh - the options, usage errors and commands the other
# shell tests leave out (found with `make coverage`): validate, usage and
# argument errors of run, sweep, compare and bench, run's default output
# name, compare in JSON and with unequal seeds, JSON escaping in summary,
# plot --chart all on a file that has only some of the series, PDF, a
# gnuplot that fails or draws nothing, and --set
# keys that are not UTF-8.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
d=$src/tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cli_options.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"

# ---- validate ----
t validate-ok 0 "^$d/small.yaml: ok: \"small\", 2025-01-01 to 2025-06-30, 2 cities, 2 data centers, 1 program, routing latency_aware\$" \
  -- "$vs" validate "$d/small.yaml"
t validate-vouchers-off 0 'routing latency_aware, vouchers off$' -- "$vs" validate "$d/small.yaml" --set vouchers=false
t validate-bad 2 "^$d/bad_coverage.yaml:14:15: programs\\[2\\]\\.coverage: expected a number in \\[0, 1\\], got 1.8\$" \
  -- "$vs" validate "$d/bad_coverage.yaml"
t validate-help 0 '^usage: vouchsim validate SCENARIO' -- "$vs" validate --help
t validate-no-args 2 '^vouchsim validate: expected SCENARIO, got 0 arguments' -- "$vs" validate
t validate-set-utf8 2 "^--set:1:12: invalid UTF-8 \\(byte 0xA5\\) in the key path" \
  -- "$vs" validate "$d/small.yaml" --set "$(printf 'cities[0].h\245b=1')"

# ---- usage and argument errors ----
t run-help 0 '^usage: vouchsim run SCENARIO' -- "$vs" run --help
t run-no-args 2 '^vouchsim run: expected SCENARIO, got 0 arguments' -- "$vs" run
t run-unknown-option 2 "^vouchsim run: unknown option '--bogus'\$" \
  -- "$vs" run "$d/small.yaml" --bogus
t run-needs-value 2 '^vouchsim run: --until needs a value' -- "$vs" run "$d/small.yaml" --until
t run-bad-number 2 "^vouchsim run: --replications takes a whole number from 1 to 1000000, got 'x'" \
  -- "$vs" run "$d/small.yaml" --replications x
t run-bad-set 2 "^vouchsim run: --set takes key=value, got 'novalue'" -- "$vs" run "$d/small.yaml" --set novalue
t run-extra-arg 2 "^vouchsim run: unexpected argument 'extra.yaml'" -- "$vs" run "$d/small.yaml" extra.yaml
t sweep-help 0 '^usage: vouchsim sweep SCENARIO' -- "$vs" sweep --help
t sweep-bad-vary 2 "^vouchsim sweep: --vary takes key=v1,v2,... or key=LO:HI\\[:N\\], got 'nocolon'" -- "$vs" sweep "$d/small.yaml" --vary nocolon
t sweep-bad-design 2 "sweep: --design must be grid, lhs or sobol, got 'foo'" \
  -- "$vs" sweep "$d/small.yaml" --design foo --vary seed=1:2:2
t sweep-nothing 2 'sweep: nothing to vary: give --vary key=v1,v2,... \(or key=LO:HI:N\) or a sweep: section' -- "$vs" sweep "$d/small.yaml"
t sweep-one-level 2 "sweep: --vary seed: a range is LO:HI or LO:HI:N with LO < HI in one unit \\(numbers, 30M, 12h\\) and N >= 2, got '1:2:1'" -- "$vs" sweep "$d/small.yaml" --vary seed=1:2:1
t sweep-levels-not-number 2 "sweep: --vary seed: a range is LO:HI or LO:HI:N with LO < HI in one unit \\(numbers, 30M, 12h\\) and N >= 2, got '1:2:x'" \
  -- "$vs" sweep "$d/small.yaml" --vary seed=1:2:x
t sweep-units 2 "budget: a range is LO:HI or LO:HI:N with LO < HI in one unit \\(numbers, 30M, 12h\\) and N >= 2, got '30M:5d:2'" \
  -- "$vs" sweep "$d/small.yaml" --vary programs.shanghai-compute.budget=30M:5d:2
t sweep-not-number 2 "budget: a range is LO:HI or LO:HI:N with LO < HI in one unit \\(numbers, 30M, 12h\\) and N >= 2, got 'abc:5:2'" \
  -- "$vs" sweep "$d/small.yaml" --vary programs.shanghai-compute.budget=abc:5:2
t sweep-samples-grid 2 'sweep: --samples applies only with --design lhs or sobol' \
  -- "$vs" sweep "$d/small.yaml" --samples 4 --vary seed=1:2:2
t sweep-lhs-no-samples 2 'sweep: --design lhs needs --samples N' -- "$vs" sweep "$d/small.yaml" --design lhs --vary seed=1:2
t sweep-bootstrap-grid 2 'sweep: --bootstrap applies only with --design sobol' \
  -- "$vs" sweep "$d/small.yaml" --bootstrap 10 --vary seed=1:2:2
t sweep-horizon 2 'sweep: point 0 \(horizon=720h\) changes the sampling times; a sweep may not vary the horizon' \
  -- "$vs" sweep "$d/small.yaml" --vary horizon=30d:60d:2 -o "$tmp/h.h5"
ok sweep-horizon-no-file [ ! -e "$tmp/h.h5" ]
t compare-help 0 '^usage: vouchsim compare BASE.yaml POLICY.yaml' -- "$vs" compare --help
t compare-one-arg 2 '^vouchsim compare: expected BASE.yaml POLICY.yaml, got 1 argument' -- "$vs" compare "$d/small.yaml"
t compare-seeds 2 'compare: the two scenarios have different seeds \(7, 1\): common random numbers need one; give --seed' \
  -- "$vs" compare "$d/small.yaml" "$d/china-cov.yaml" --replications 1
t bench-help 0 '^usage: vouchsim bench hold' -- "$vs" bench --help
t bench-hold-help 0 '^usage: vouchsim bench hold' -- "$vs" bench hold --help
t bench-no-model 2 '^vouchsim bench: expected hold, got 0 arguments' -- "$vs" bench
t bench-unknown 2 "^vouchsim bench: unknown option '--frob'" -- "$vs" bench hold --frob 1

# ---- run without -o writes SCENARIO.h5 in the current directory ----
mkdir "$tmp/cwd"
t run-default-output 0 "wrote small.h5" -- sh -c "cd '$tmp/cwd' && '$vs' run '$d/small.yaml' --until 2025-01-10"
ok run-default-output-file [ -s "$tmp/cwd/small.h5" ]

# ---- compare --format json, and the report line without --quiet ----
printf 'extends: %s\nprograms:\n  - name: shanghai-compute\n    coverage: 0.5\n' "$d/small.yaml" > "$tmp/half.yaml"
"$vs" compare "$d/small.yaml" "$tmp/half.yaml" --replications 2 --until 2025-04-01 --format json \
  >"$tmp/cmp.json" 2>"$tmp/cmp.err"
ok compare-json-status [ $? -eq 0 ]
ok compare-report grep -Eq 'events=[0-9]+' "$tmp/cmp.err"
if command -v python3 >/dev/null 2>&1; then
  ok compare-json-valid python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows = {r["name"]: r for r in d["rows"]}
s = rows["subsidy_total"]
assert d["replications"] == 2 and s["n"] == 2, d
assert abs(s["policy_mean"] - s["base_mean"] - s["diff_mean"]) <= 1e-6 * max(1.0, abs(s["base_mean"])), s
assert s["diff_mean"] < 0, s   # half the coverage pays out less
' "$tmp/cmp.json"
else
  ok compare-json-rows grep -q '"diff_ci95_paired"' "$tmp/cmp.json"
fi

# ---- JSON escaping of names with quotes and backslashes ----
"$vs" run "$d/small.yaml" --until 2025-01-10 --quiet -o "$tmp/q.h5" --set 'name=a "quoted"\ name'
if command -v python3 >/dev/null 2>&1; then
  ok summary-json-escapes python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["scenario_name"] == "a \"quoted\"\\ name", d["scenario_name"]
' /dev/stdin <<EOF2
$("$vs" summary "$tmp/q.h5" --format json)
EOF2
else
  ok summary-json-escapes sh -c "'$vs' summary '$tmp/q.h5' --format json | grep -qF '\"a \\\\\"quoted\\\\\"\\\\\\\\ name\"'"
fi

# ---- plot on a file with only some of the series (tests/fuzz/mkseed) ----
"$b/tests/fuzz/mkseed" "$tmp/seed.h5" 2
if command -v gnuplot >/dev/null 2>&1 || [ -n "${VOUCHSIM_GNUPLOT:-}" ]; then
  t plot-all-partial 0 "plot: skipped budget: .*chart 'budget' needs series program/remaining, which this file does not have" \
    -- "$vs" plot "$tmp/seed.h5" --chart all -o "$tmp/p.png"
  ok plot-all-partial-drew [ -s "$tmp/p_utilization.png" ] && [ ! -e "$tmp/p_budget.png" ]
  t plot-missing-series 2 "chart 'wait' needs series region/mean_wait" -- "$vs" plot "$tmp/seed.h5" --chart wait -o "$tmp/w.png"
  ok plot-missing-no-file [ ! -e "$tmp/w.png" ]
  t plot-pdf 0 '' -- "$vs" plot "$tmp/seed.h5" --chart utilization -o "$tmp/u.pdf"
  ok plot-pdf-magic sh -c "head -c 5 '$tmp/u.pdf' | grep -q '^%PDF-'"
else
  echo "cli_options: gnuplot not found: plot tests not run"
fi
# a gnuplot that fails, and one that draws nothing: exit 1, no chart left
printf '#!/bin/sh\necho "line 3: oops, no such terminal" >&2\nexit 3\n' > "$tmp/gp-fail"
printf '#!/bin/sh\ncat >/dev/null\nexit 0\n' > "$tmp/gp-none"
chmod +x "$tmp/gp-fail" "$tmp/gp-none"
t plot-gnuplot-fails 1 'plot: .*seed.h5: gnuplot failed \(status 3\): line 3: oops, no such terminal' \
  -- env VOUCHSIM_GNUPLOT="$tmp/gp-fail" "$vs" plot "$tmp/seed.h5" --chart utilization -o "$tmp/f.png"
ok plot-gnuplot-fails-no-file [ ! -e "$tmp/f.png" ]
t plot-gnuplot-no-chart 1 "plot: $tmp/n.svg: gnuplot wrote no chart" \
  -- env VOUCHSIM_GNUPLOT="$tmp/gp-none" "$vs" plot "$tmp/seed.h5" --chart utilization -o "$tmp/n.svg"
ok plot-gnuplot-no-chart-no-file [ ! -e "$tmp/n.svg" ]

echo "cli_options: $pass passed, $fail failed"
[ $fail -eq 0 ]
