#!/bin/sh
# tests/pooled_summary.sh - summary of a sweep pools all its points, so it
# prints no confidence intervals anywhere: not in the --by tables (their sd
# instead, and a header that says why), not in --format csv|json (empty /
# null intervals). The same scenario run as plain replications keeps them.
# The sweep varies the budget of a program whose money is not touched in
# the window: opening differs by point (100M, 600M), so an interval on it
# would be an interval on a design variable.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
d="$s/tests/data"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/pooled_summary.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

"$vs" sweep "$d/small.yaml" --set horizon=20d --vary programs.shanghai-compute.budget=100M,600M \
  -r 3 -o sw.h5 --quiet > sweep.txt 2>&1
# the point table's intervals are each point's own, not for a difference
t sweep-note 0 "^Each \+- is that point's own 95% interval over its 3 replications, not an interval for the difference between two points: .* pair DIR/scalars.csv's rows of two points by replication, or \`vouchsim compare\` two scenario files" -- cat sweep.txt
t sweep-pm 0 '^ +\+-[0-9]' -- cat sweep.txt
"$vs" sweep "$d/small.yaml" --set horizon=20d --vary programs.shanghai-compute.budget=100M,600M \
  -r 1 -o sw1.h5 --quiet > sweep1.txt 2>&1
ok sweep-note-one-rep [ -z "$(grep "^Each +-" sweep1.txt)" ]
"$vs" run "$d/small.yaml" --set horizon=20d -r 3 -o one.h5 --quiet > /dev/null 2>&1

"$vs" summary sw.h5 --by program --by region > sw.txt 2>&1
t header 0 '^by program \(means over 6 runs, all 2 points of the sweep pooled, their sd below each mean that varies; no confidence intervals' -- cat sw.txt
t header-region 0 '^by region \(means over 6 runs, all 2 points of the sweep pooled' -- cat sw.txt
# the opening of the pooled runs: mean 350M, sd of 100M,100M,100M,600M,600M,600M
t opening 0 '^  shanghai-compute +350,000,000 ' -- cat sw.txt
t opening-sd 0 '^ +sd 273,861,279 ' -- cat sw.txt
ok no-interval [ -z "$(sed -n '/^by program/,$p' sw.txt | grep -e '+-' -e ' \.\. ')" ]

# csv: the by-table's ci95_half and the scalars' ci95_lo/hi empty
"$vs" summary sw.h5 --by program --format csv > sw.csv
t csv-opening 0 '^program,shanghai-compute,opening,CNY,350000000,,6,6,$' -- cat sw.csv
t csv-scalar 0 '^budget_left\.shanghai-compute,CNY,350000000,273861278\.[0-9]*,,,6,0,,,$' -- cat sw.csv
# json: null intervals, the sd, and the number of points
"$vs" summary sw.h5 --by program --format json > sw.json
t json-by 0 '"opening": \{"unit": "CNY", "mean": 350000000, "ci95_half": null, "sd": 273861278\.[0-9]*,' -- cat sw.json
t json-points 0 '^  "sweep_points": 2,$' -- cat sw.json
t json-section 0 '"section": "program", "runs": 6, "sweep_points": 2,' -- cat sw.json
t json-scalar 0 '"name": "budget_left.shanghai-compute", "unit": "CNY", "mean": 350000000, "sd": [0-9.]*, "ci95_lo": null, "ci95_hi": null' -- cat sw.json

# replications of one scenario: intervals as before
"$vs" summary one.h5 --by region > one.txt 2>&1
t one-header 0 '^by region \(means over 3 runs, 95% half-width below each mean that varies\):$' -- cat one.txt
t one-interval 0 '^ +\+-[0-9]' -- cat one.txt
"$vs" summary one.h5 --by region --format csv > one.csv
t one-csv 0 '^region,east,utilization,%,[0-9.]+,[0-9.]+,3,3,$' -- cat one.csv
ok one-no-points [ -z "$("$vs" summary one.h5 --format json | grep sweep_points)" ]

# a Sobol table whose output name is longer than 36 characters
# (gpu_hours_additional.shandong-compute): every row's columns line up
"$vs" sweep "$s/scenarios/china-2025.yaml" --design sobol --samples 8 --bootstrap 100 \
  --vary programs.shandong-compute.coverage=0.3:0.9 --vary firms.reservation_price.median=5.0:15.0 \
  --replications 1 --until 2025-03-01 --totals-only -j 1 -o so.h5 --quiet > so.txt 2>&1
t sobol-long 0 '^gpu_hours_additional\.shandong-compute programs\.' -- cat so.txt
cols=$(awk 'index($0, " [") { print index($0, " [") }' so.txt | sort -u | wc -l)
ok sobol-aligned [ "$cols" -eq 1 ]
ok sobol-rows [ "$(grep -c ' \[' so.txt)" -gt 20 ]

# --by region of a file without series: the columns counted from them say why
"$vs" summary so.h5 --by region > so-region.txt 2>&1
t no-series-wait 0 '^  east .* -$' -- cat so-region.txt
t no-series-note 0 '^  note: firm\+bg, abandoned, waiting at end: "-" or left out: they are counted from the series of the run' -- cat so-region.txt
ok series-no-note [ -z "$(grep 'waiting at end: "-"' sw.txt)" ]

echo "pooled_summary: $pass passed, $fail failed"
[ $fail -eq 0 ]
