#!/bin/sh
# tests/walkfix_a.sh - a first-time user's findings in the printed reports,
# each checked against what it must now say:
#   A. summary of a sweep says where each point's replications are and how
#      to get their intervals; sweep's point table prints them (+- lines);
#   B. a paired difference that is one number in every run (a tranche on a
#      budget left that differs by run) is that number +-0, in the table
#      and in differences.csv (the runs' own differences carry floating
#      noise: checked here, so the test can fail);
#   C. sweep's point table by the number rule: varied keys grouped and in
#      3 significant digits, every column's unit under its name;
#   D. --by program's all row adds up money, not firms (a note says why);
#   E. the steady-state check names constant series;
#   F. summary --arm names the arm, and vouchers=false for the
#      counterfactual;
#   G. export and plot of a --totals-only file say so (no empty series/);
#   H. export's _stats.csv has min and max beside p05 and p95.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
small="$s/tests/data/small.yaml"
china="$s/scenarios/china-2025.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_a.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# ---- B. a constant paired difference is exact ----
cat > pol.yaml <<EOF
extends: $small
programs:
  - name: shanghai-compute
    timeline:
      - {date: 2025-03-01, add_budget: 2.03B}
      - {date: 2025-05-01, coverage: 0.5, close: true}
EOF
"$vs" compare "$small" pol.yaml -r 5 -o c.h5 --quiet > c.txt 2>&1 || echo "FAIL compare"
"$vs" export c.h5 --arm base --csv cb > /dev/null
"$vs" export c.h5 --arm policy --csv cp > /dev/null
"$vs" export c.h5 --csv cd > /dev/null
# the runs' own differences are not all 1e9 to the last bit (else this tests nothing)
col=$(head -1 cb/scalars.csv | tr , '\n' | grep -nx 'budget_left.shanghai-compute' | cut -d: -f1)
paste -d, cb/scalars.csv cp/scalars.csv > both.csv
nc=$(head -1 cb/scalars.csv | tr , '\n' | wc -l)
ok b-runs-noisy awk -F, -v c="$col" -v n="$nc" 'NR > 1 && $(n + c) - $c != 1e9 { x = 1 } END { exit !x }' both.csv
t b-table 0 '^budget_left\.shanghai-compute +CNY +1,623,981,024 +2,623,981,024 +1,000,000,000 +\+-0 ' -- cat c.txt
ok b-csv awk -F, '$1 == "budget_left.shanghai-compute" { f = ($8 == "1000000000" && $9 == "0") } END { exit !f }' cd/differences.csv
t b-readme 0 '' -- grep -q 'every paired difference is 0 ± 0 but' "$s/README.md"

# ---- F. summary --arm names the arm ----
t f-arm 0 '^c\.h5, arm base: small, 5 runs$' -- "$vs" summary c.h5 --arm base
"$vs" run "$small" --counterfactual -r 2 --until 2025-02-15 -o cf.h5 --quiet > /dev/null 2>&1
t f-counterfactual 0 '^cf\.h5, arm counterfactual \(vouchers=false: the scenario with vouchers switched off\): small, 2 runs$' -- \
  "$vs" summary cf.h5 --arm counterfactual
t f-vouchers 0 '^cf\.h5, arm vouchers: small, 2 runs$' -- "$vs" summary cf.h5 --arm vouchers
t f-json 0 '"arm": "counterfactual",' -- "$vs" summary cf.h5 --arm counterfactual --format json
t f-json-off 0 '"vouchers": false,' -- "$vs" summary cf.h5 --arm counterfactual --format json

# ---- E. constant series are named, not left out ----
t e-constant 0 '^  waiting_jobs\.east: constant \(0 throughout\): nothing to check$' -- \
  "$vs" summary c.h5 --arm base
t e-csv 0 '^region/waiting_jobs,east,[0-9]+,,,,[0-9.]+,,constant$' -- \
  "$vs" summary c.h5 --arm base --format csv
t e-every-series 0 '' -- sh -c '[ "$("$1" summary "$2" --arm base | grep -cE "^  (utilization|waiting_jobs|mean_wait)\.(east|west): ")" -eq 6 ]' \
  sh "$vs" c.h5

# ---- D. the all row of programs: money, not firms ----
"$vs" run "$china" -r 2 --until 2025-01-15 -o ch.h5 --quiet > /dev/null 2>&1
"$vs" summary ch.h5 --by program > by.txt
"$vs" summary ch.h5 --by program --format csv > by.csv
ok d-money-all grep -Eq '^  all +1,780,000,000 ' by.txt
ok d-one-all-row [ "$(grep -c '^  all' by.txt)" -eq 1 ]
ok d-note grep -q '^  note: all: the programs. money added up; not their firms' by.txt
ok d-csv-no-firms sh -c '! grep -q "^program,all,firms_" by.csv && grep -q "^program,all,spent," by.csv'

# ---- A and C. sweep's point table, summary of a sweep ----
"$vs" sweep "$small" --until 2025-02-15 -r 2 --vary 'programs[0].budget=10M:20M:2' \
  --vary 'programs[0].approval_delay=1d,2d' -o sw.h5 --quiet > sw.txt 2>&1
ok c-key-grouped grep -Eq '^ +0 +10,000,000 +24 ' sw.txt
ok c-key-units grep -Eq '^ +CNY +h +GPU-h +GPU-h +firms +CNY +GPU-h +% +% +h$' sw.txt
ok c-no-raw sh -c '! grep -Eq "(^| )[0-9]{5,}( |$)" sw.txt'
ok a-intervals grep -Eq '^ +.* \+-[0-9,.]+( |$)' sw.txt
ok a-said grep -q 'each with its 95% interval (+-half-width) on the line below' sw.txt
t a-summary 0 "Each point's replications are rows of /scalars.*vouchsim export sw\.h5 --csv DIR.*--chart response. draws each point's mean with its 95% interval" -- \
  "$vs" summary sw.h5
"$vs" sweep "$small" --until 2025-01-20 --design lhs --samples 3 -r 1 \
  --vary 'programs[0].coverage=0.3:0.9' -o lhs.h5 --quiet > lhs.txt 2>&1
ok c-lhs-3-digits [ "$(grep -cE '^ +[0-2] +0\.[0-9]{1,3} ' lhs.txt)" -eq 3 ]

# ---- G. a --totals-only file ----
"$vs" sweep "$small" --until 2025-01-20 -r 1 --vary 'programs[0].coverage=0.3,0.6' --totals-only \
  -o to.h5 --quiet > /dev/null 2>&1
t g-export 0 'has no series \(it was written with --totals-only\): wrote its totals' -- \
  "$vs" export to.h5 --csv to
ok g-no-series [ -s to/scalars.csv -a ! -e to/series.csv -a ! -e to/series ]
t g-long 2 'has no series \(it was written with --totals-only\): --long writes only series' -- \
  "$vs" export to.h5 --csv tolong --long
ok g-long-nothing [ ! -e tolong ]
t g-plot 2 'to\.h5 has no series \(it was written with --totals-only\): chart .utilization. draws series' -- \
  "$vs" plot to.h5 --chart utilization -o to.png
ok g-plot-nothing [ ! -e to.png ]

# ---- H. _stats.csv: min and max beside p05 and p95 ----
"$vs" export cf.h5 --arm vouchers --csv h > /dev/null
ok h-header sh -c 'head -1 h/series/region_utilization_stats.csv | grep -q "^date,hours,east mean,east p05,east p95,east min,east max,west mean"'
# row 3: min and max of east are those of the runs' columns
r=$(sed -n 3p h/series/region_utilization.csv)
st=$(sed -n 3p h/series/region_utilization_stats.csv)
ok h-values awk -v r="$r" -v st="$st" 'BEGIN { split(r, a, ","); split(st, b, ",")
  lo = a[3] < a[5] ? a[3] : a[5]; hi = a[3] < a[5] ? a[5] : a[3]
  exit !(b[6] == lo && b[7] == hi && lo < hi) }'
ok h-readme grep -q '`east max`' "$s/output/README.md"

# the point table words a wait over no jobs as compare does (walk6): west-first
# sends no firm job to an eastern queue
"$vs" sweep "$china" --vary routing=nearest,west_first -r 2 --until 2025-02-01 -q \
  -o "$tmp/rt.h5" > rt.out 2>&1
ok sweep-no-jobs sh -c 'grep -E "^ +1 +west_first .* no jobs\$" "$1"' sh rt.out
ok sweep-no-jobs-nearest sh -c '! grep -E "^ +0 +nearest .*no jobs" "$1"' sh rt.out

echo "walkfix_a: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
