#!/bin/sh
# tests/walkfix_b_budget.sh - the first row of a run's series is the state
# the measurement window opens with: in china-2025-2030.yaml, whose pools
# are appropriated on 1 January, program/remaining starts at the year's
# pool (it started at 0, sampled before the appropriation), as the
# single-year scenario's starts at its budget. The appropriation is still
# the window's (a tranche, counted in program/tranches from the first row).
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_b_budget.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# row N (1 = the first data row) of an exported series, the column of NAME
cell() {   # FILE ROW NAME
  awk -F, -v row="$2" -v name="$3" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i }
    NR == row + 1 { print $c }' "$1"
}
t years-run 0 '' -- "$vs" run "$s/scenarios/china-2025-2030.yaml" -r 1 --until 2025-03-01 -o y.h5 -q
t years-export 0 '' -- "$vs" export y.h5 --csv y
t one-run 0 '' -- "$vs" run "$s/scenarios/china-2025.yaml" -r 1 --until 2025-03-01 -o o.h5 -q
t one-export 0 '' -- "$vs" export o.h5 --csv o
ok years-first-date [ "$(cell y/series/program_remaining.csv 1 date)" = 2025-01-01 ]
# shanghai-compute: 600M appropriated for 2025 (china-2025-2030.yaml), 600M
# as budget (china-2025.yaml); shandong-compute: 30M either way
for p in shanghai-compute:600000000 shandong-compute:30000000; do
  n=${p%%:*} v=${p#*:}
  ok "years-$n-opens-funded" [ "$(cell y/series/program_remaining.csv 1 "$n")" = "$v" ]
  ok "years-$n-tranche-counted" [ "$(cell y/series/program_tranches.csv 1 "$n")" = "$v" ]
  ok "one-$n-opens-funded" [ "$(cell o/series/program_remaining.csv 1 "$n")" = "$v" ]
  ok "one-$n-no-tranche" [ "$(cell o/series/program_tranches.csv 1 "$n")" = 0 ]
done
# the chart starts there too (budget: remaining per program)
if command -v gnuplot >/dev/null 2>&1 || [ -n "${VOUCHSIM_GNUPLOT:-}" ]; then
  t years-budget-chart 0 '' -- "$vs" plot y.h5 --chart budget -o y.png
fi

echo "walkfix_b_budget: $pass passed, $fail failed"
[ $fail -eq 0 ]
