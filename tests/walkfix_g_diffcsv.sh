#!/bin/sh
# tests/walkfix_g_diffcsv.sh - a comparison's CSV and JSON say what
# export's differences.csv says (one conversion, tools/report.c):
#   - a share the file keeps as a fraction (utilization_east,
#     utilization_west, deadweight_share, subsidy_share_micro_small) is in
#     % with its difference and half-widths in percentage points, in
#     `summary --format csv|json` and `compare --format csv|json` as in
#     differences.csv; gini_subsidy and ledger_ok stay under 1;
#   - a row with no value in any run of an arm (west-first routes every
#     firm job west: no mean wait in the east in the policy arm; a program
#     that never runs out has no run-out hour in either) has the status
#     "no value in policy" / "no value in either", never "both" with an
#     empty mean;
#   - compare's CSV and summary's of its file are the same bytes.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_g_diffcsv.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
scn="$s/scenarios/china-2025.yaml"
pol="$s/scenarios/west-first.yaml"

"$vs" compare "$scn" "$pol" -r 2 --until 2025-03-01 -q -o c.h5 --by region --format csv \
  > cmp.csv 2> cmp.err
ok compare-ran [ $? -eq 0 ]
"$vs" compare "$scn" "$pol" -r 2 --until 2025-03-01 -q --format json > cmp.json 2> /dev/null
ok compare-json-ran [ $? -eq 0 ]
t summary-csv 0 '' -- sh -c "'$vs' summary c.h5 --by region --format csv > s.csv"
t summary-json 0 '' -- sh -c "'$vs' summary c.h5 --format json > s.json"
t export 0 '' -- "$vs" export c.h5 --csv x
d=x/differences.csv

# FILE FIELD ROW: the cell of column FIELD (by the header name) in the
# totals row named ROW (the CSV's first part: name,unit,base_mean,...)
tcell() {
  awk -F, -v f="$2" -v r="$3" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $0 == "" { exit } $1 == r { print $(c[f]); exit }' "$1"
}
# FIELD ROW: the cell of differences.csv
dcell() {
  awk -F, -v f="$1" -v r="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == r { print $(c[f]); exit }' "$d"
}
# FILE KEY ROW: the value of "KEY" in the JSON row whose name is ROW (one row a line)
jcell() {
  grep "^  {\"name\": \"$3\"," "$1" | sed -n "s/.*\"$2\": \\(\"[^\"]*\"\\|[^,}]*\\).*/\\1/p" |
    tr -d '"'
}
# A B: |A - B| <= 1e-9 * max(1, |B|)
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
  exit !(a != "" && d <= 1e-9 * (m > 1 ? m : 1)) }'; }

# ---- shares in %, as differences.csv ----
for r in utilization_east utilization_west deadweight_share subsidy_share_micro_small; do
  ok "csv-$r-unit" [ "$(tcell s.csv unit $r)" = % ]
  ok "json-$r-unit" [ "$(jcell s.json unit $r)" = % ]
  ok "compare-json-$r-unit" [ "$(jcell cmp.json unit $r)" = % ]
  ok "export-$r-unit" [ "$(dcell unit $r)" = % ]
  set -- base_mean:base_mean policy_mean:policy_mean diff_mean:difference \
    diff_ci95_paired:paired_ci95_half diff_ci95_unpaired:unpaired_ci95_half
  for pair; do
    f=${pair%%:*} g=${pair#*:}
    ok "csv-$r-$f-as-export" near "$(tcell s.csv $f $r)" "$(dcell $g $r)"
    ok "json-$r-$f-as-export" near "$(jcell s.json $f $r)" "$(dcell $g $r)"
  done
done
# a percentage, not a fraction: utilization_east is 100 x the file's fraction
h5=$("$b/tests/h5csv" c.h5 /compare/differences)
ok csv-percent-of-file near "$(tcell s.csv base_mean utilization_east)" \
  "$(printf '%s\n' "$h5" | awk -F, '$1 == "utilization_east" { printf "%.17g\n", 100 * $6 }')"
ok csv-percent-size awk -v u="$(tcell s.csv base_mean utilization_east)" 'BEGIN { exit !(u > 1 && u <= 100) }'
# the region row and the headline total agree, as in the printed table
ok region-as-total near "$(awk -F, '$1 == "region" && $2 == "east" && $3 == "utilization" { print $5 }' s.csv)" \
  "$(tcell s.csv base_mean utilization_east)"
ok gini-stays-1 [ "$(tcell s.csv unit gini_subsidy)" = 1 ]
ok ledger-stays-1 [ "$(tcell s.csv unit ledger_ok)" = 1 ]
ok json-gini-stays-1 [ "$(jcell s.json unit gini_subsidy)" = 1 ]
ok no-fraction-share sh -c "! awk -F, '\$2 == \"1\" && \$1 ~ /share|utilization/' s.csv | grep -q ."

# ---- statuses that say what is true ----
ok csv-wait-no-value-policy [ "$(tcell s.csv status mean_wait_east_h)" = "no value in policy" ]
ok json-wait-no-value-policy [ "$(jcell s.json status mean_wait_east_h)" = "no value in policy" ]
ok compare-json-wait [ "$(jcell cmp.json status mean_wait_east_h)" = "no value in policy" ]
ok csv-runout-either [ "$(tcell s.csv status exhaustion_h.shanghai-compute)" = "no value in either" ]
ok json-runout-either [ "$(jcell s.json status exhaustion_h.shanghai-compute)" = "no value in either" ]
ok csv-wait-west-both [ "$(tcell s.csv status mean_wait_west_h)" = both ]
ok csv-as-export [ "$(tcell s.csv status mean_wait_east_h)" = "$(dcell status mean_wait_east_h)" ]
ok region-wait-no-value-policy grep -q '^region,east,firm_mean_wait_h,h,0,,,,,0,2,0,2,no value in policy$' s.csv
ok export-region-same [ "$(dcell status region.east.firm_mean_wait_h)" = "no value in policy" ]
# "both" only where both arms have a mean, in both parts of the CSV
ok both-has-means sh -c "! awk -F, '\$NF == \"both\" && (\$0 ~ /^name,/ ? 0 : (NF == 9 ? (\$3 == \"\" || \$4 == \"\") : (\$5 == \"\" || \$6 == \"\")))' s.csv | grep -q ."
ok json-both-has-means sh -c "! grep '\"status\": \"both\"' s.json | grep -q '_mean\": null'"
ok statuses-known sh -c "! awk -F, 'NF > 1 && \$1 != \"name\" && \$1 != \"section\" { print \$NF }' s.csv | grep -Evx 'both|absent in base|absent in policy|no value in base|no value in policy|no value in either' | grep -q ."

# ---- compare prints what summary prints of its file ----
ok compare-csv-is-summary cmp -s cmp.csv s.csv
ok compare-csv-quiet [ ! -s cmp.err ]
# the file keeps its fractions and "both" (plot reads them)
ok h5-keeps-fraction sh -c 'printf "%s\n" "$1" | grep -q "^utilization_east,total,,utilization_east,1,0\."' sh "$h5"
ok h5-keeps-both sh -c 'printf "%s\n" "$1" | grep -q "^mean_wait_east_h,.*,both$"' sh "$h5"
# documented where the CSV and JSON columns are
ok readme-statuses grep -q "has the status \`no value in base\`" "$s/README.md"
ok readme-percent grep -q 'CSV and JSON give a share as the table does' "$s/README.md"

echo "walkfix_g_diffcsv: $pass passed, $fail failed"
[ $fail -eq 0 ]
