#!/bin/sh
# tests/walkfix_c_export.sh - a first-time user's findings in export of a
# comparison, and --arm on a file without arms:
#   1. differences.csv gives a share the file keeps as a fraction (the
#      headline utilization_east...) in % like its region rows
#      (region.east.utilization): one unit per quantity; gini_subsidy and
#      ledger_ok stay under 1; /compare/differences in the .h5 is unchanged
#   2. a row with no value in every run of an arm (west-first routes every
#      firm job west: the east has no mean wait in the policy arm; a program
#      that never runs out has no run-out hour in either) says so in status,
#      never "both" with an empty mean
#   6. summary, plot and export --arm on a run file: exit 2, "it has no
#      arms; drop --arm", nothing written
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_c_export.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
scn="$s/scenarios/china-2025.yaml"
pol="$s/scenarios/west-first.yaml"

t compare 0 '' -- "$vs" compare "$scn" "$pol" -r 2 --until 2025-03-01 -q -o c.h5
t export 0 '' -- "$vs" export c.h5 --csv x
d=x/differences.csv
# FIELD ROW: the CSV cell of column FIELD (by header name) in the row
# whose total is ROW
cell() {
  awk -F, -v f="$1" -v r="$2" 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $1 == r { print $(c[f]); exit }' "$d"
}
# A B: |A - B| <= 1e-9 * max(1, |B|)
near() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; m = b < 0 ? -b : b;
  exit !(a != "" && d <= 1e-9 * (m > 1 ? m : 1)) }'; }

# ---- 1. one unit per quantity ----
for r in utilization_east utilization_west deadweight_share subsidy_share_micro_small; do
  ok "unit-$r-percent" [ "$(cell unit $r)" = % ]
done
for reg in east west; do
  ok "region-$reg-percent" [ "$(cell unit region.$reg.utilization)" = % ]
  for f in base_mean policy_mean difference paired_ci95_half unpaired_ci95_half; do
    ok "utilization-$reg-$f-as-region" near "$(cell $f utilization_$reg)" "$(cell $f region.$reg.utilization)"
  done
done
ok gini-stays-1 [ "$(cell unit gini_subsidy)" = 1 ]
ok ledger-stays-1 [ "$(cell unit ledger_ok)" = 1 ]
ok gini-not-scaled awk -v g="$(cell base_mean gini_subsidy)" 'BEGIN { exit !(g > 0 && g <= 1) }'
# in the file, the fraction as it was (plot reads it)
h5=$("$b/tests/h5csv" c.h5 /compare/differences)
ok h5-fraction sh -c 'printf "%s\n" "$1" | grep -q "^utilization_east,total,,utilization_east,1,0\."' sh "$h5"
ok h5-near-csv near "$(printf '%s\n' "$h5" | awk -F, '$1 == "utilization_east" { printf "%.17g\n", 100 * $6 }')" \
  "$(cell base_mean utilization_east)"
# no share under 1 is left in the CSV
ok no-fraction-share sh -c "! awk -F, 'NR > 1 && \$5 == \"1\" && (\$1 ~ /share|utilization/)' $d | grep -q ."

# ---- 2. statuses that say what is true ----
ok wait-no-value-policy [ "$(cell status mean_wait_east_h)" = "no value in policy" ]
ok wait-base-mean-there [ -n "$(cell base_mean mean_wait_east_h)" ]
ok wait-policy-mean-empty [ -z "$(cell policy_mean mean_wait_east_h)" ]
ok region-wait-no-value-policy [ "$(cell status region.east.firm_mean_wait_h)" = "no value in policy" ]
ok runout-no-value-either [ "$(cell status exhaustion_h.shanghai-compute)" = "no value in either" ]
ok wait-west-both [ "$(cell status mean_wait_west_h)" = both ]
# "both" only where both arms have a mean; every status is one of the list
ok both-has-means sh -c "! awk -F, 'NR > 1 && \$NF == \"both\" && (\$6 == \"\" || \$7 == \"\")' $d | grep -q ."
ok statuses-known sh -c "! awk -F, 'NR > 1 { print \$NF }' $d | grep -Evx 'both|absent in base|absent in policy|no value in base|no value in policy|no value in either' | grep -q ."
# the file keeps "both" (plot reads it)
ok h5-keeps-both sh -c 'printf "%s\n" "$1" | grep -q "^mean_wait_east_h,.*,both$"' sh "$h5"
# every status is in output/README.md's list
for st in "no value in base" "no value in policy" "no value in either"; do
  ok "documented-$st" grep -q "\`$st\`" "$s/output/README.md"
done

# ---- 6. --arm on a file without arms ----
t run 0 '' -- "$vs" run "$scn" -r 1 --until 2025-01-15 -q -o r.h5
msg="r\\.h5: --arm counterfactual: not a comparison file .*: it has no arms; drop --arm\$"
t arm-summary 2 "^vouchsim: summary: $msg" -- "$vs" summary r.h5 --arm counterfactual
t arm-export 2 "^vouchsim: export: $msg" -- "$vs" export r.h5 --arm counterfactual --csv e
ok arm-export-nothing [ ! -e e ]
t arm-plot 2 "^vouchsim: plot: $msg" -- "$vs" plot r.h5 --arm counterfactual --chart utilization -o p.png
ok arm-plot-nothing [ ! -e p.png ]
ok arm-one-line [ "$("$vs" summary r.h5 --arm base 2>&1 | wc -l)" -eq 1 ]
# and without --arm it is read
t no-arm-summary 0 '' -- "$vs" summary r.h5

echo "walkfix_c_export: $pass passed, $fail failed"
[ $fail -eq 0 ]
