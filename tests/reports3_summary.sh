#!/bin/sh
# tests/reports3_summary.sh - summary's run-out line of a program whose
# money goes back at the horizon's year end (`year_end: return`, a window
# that ends on 1 January): budget_left is then what came after the return,
# so the line gives what was left at the end of the last budget year (the
# money returned then) and says so, with budget_left beside it.
# By hand (tests/data/e2e_years.yaml cut at 2025-01-01): 1000 yuan in the
# pool, 80 yuan to each of the firms granted in 2024, the rest returned on
# 1 January 2025, when 2025's 2000 yuan arrive: left at the end of 2024 =
# 1000 - subsidy_total, and 2000 at the horizon.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
d="$s/tests/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports3_sum.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

"$vs" run "$d/e2e_years.yaml" --set horizon=12d -r 2 -o ye.h5 --quiet 2>/dev/null
sub=$("$vs" summary ye.h5 --format csv | awk -F, '$1 == "subsidy_total" { print $3 }')
ok subsidy-some [ "${sub:-0}" -gt 0 ]
left=$((1000 - ${sub:-0}))
t line 0 "^  jinan-compute  not exhausted in 2 of 2 runs, $left CNY left at the end of 2024 and returned on 2025-01-01 \(2,000 CNY at the horizon\)$" -- \
  "$vs" summary ye.h5
t csv 0 "^jinan-compute,2,0,,,,,0,,,,,2,2000,$left$" -- "$vs" summary ye.h5 --format csv
t csv-header 0 ',runs_not_exhausted,budget_left_mean,left_before_return_mean$' -- "$vs" summary ye.h5 --format csv
t json 0 "\"budget_left_mean\": 2000, \"left_before_return_mean\": $left\}" -- "$vs" summary ye.h5 --format json

# the same number as the series say: the last step of program/returned
"$vs" export ye.h5 --csv x > /dev/null
step=$(tail -2 x/series/program_returned.csv | awk -F, 'NR == 1 { a = $3 + $4 } NR == 2 { print ($3 + $4 - a) / 2 }')
ok series-step [ "$step" = "$left" ]

# a window that does not end on 1 January: budget_left as it is
"$vs" run "$d/e2e_years.yaml" -r 2 -o full.h5 --quiet 2>/dev/null
bl=$("$vs" summary full.h5 --format csv | awk -F, '$1 == "budget_left.jinan-compute" { printf "%s", $3 }')
t plain 0 "^  jinan-compute  not exhausted in 2 of 2 runs, $(printf '%s' "$bl" | sed 's/\(.\)\(...\)$/\1,\2/') CNY left$" -- \
  "$vs" summary full.h5
t plain-csv 0 "^jinan-compute,.*,$bl,$" -- "$vs" summary full.h5 --format csv

# no series to read (--totals-only): what the number is, and that the
# return is not known
"$vs" sweep "$d/e2e_years.yaml" --set horizon=12d --vary 'programs[0].coverage=0.5' -r 2 \
  --totals-only -o to.h5 --quiet > /dev/null 2>&1
t no-series 0 "^  jinan-compute  not exhausted in 2 of 2 runs, 2,000 CNY left at the horizon, after the year-end return on 2025-01-01 \(the file has no series to tell how much was returned\)$" -- \
  "$vs" summary to.h5

echo "reports3_summary: $pass passed, $fail failed"
[ $fail -eq 0 ]
