#!/bin/sh
# tests/validation/symmetric.sh - "a program with no money must give what
# no program gives" (DESIGN.md, symmetric arms): the default scenario with
# every budget at 0 against the same with vouchers=false, on common random
# numbers (same seed, half a year). Every firm total, the compute bought
# and the load must be equal, replication by replication.
#
# A program that has run out takes no applications: firms learn it at once
# and decide at full price on arrival, as with vouchers off (before that
# rule, applicants waited 30-90 days to be refused, and by 2025-07-01 a
# third fewer firms had bought).
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
scn="$s/scenarios/china-2025.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/symmetric.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

progs="shanghai-compute shanghai-data beijing-compute shenzhen-compute chengdu-compute
       ningbo-compute shandong-compute henan-compute"
sets=
for p in $progs; do sets="$sets --set programs.$p.budget=0"; done
# shellcheck disable=SC2086  # $sets is a list of --set pairs without spaces
"$vs" run "$scn" -o "$tmp/zero.h5" --quiet --jobs 2 --seed 7 --replications 4 --until 2025-07-01 $sets \
  && "$vs" run "$scn" -o "$tmp/off.h5" --quiet --jobs 2 --seed 7 --replications 4 --until 2025-07-01 \
       --set vouchers=false \
  && "$vs" export "$tmp/zero.h5" --csv "$tmp/zero" >/dev/null \
  && "$vs" export "$tmp/off.h5" --csv "$tmp/off" >/dev/null || { echo "FAIL: vouchsim failed"; exit 1; }

fail=0
for x in firms_arrived firms_buying firms_abandoned gpu_hours_total copay_total revenue_total \
         utilization_east utilization_west; do
  line=$(awk -F, -v want="$x" '
    FNR == 1 { c = 0; for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
    FNR == NR { a[FNR] = $c; next }
    { printf "%s%s/%s", sep, a[FNR], $c; sep = " "
      d = a[FNR] - $c; if (d < 0) d = -d; m = $c < 0 ? -$c : $c
      if (d > 1e-9 * (m > 1 ? m : 1)) bad = 1 }
    END { print (bad ? " differ" : " equal") }' "$tmp/zero/scalars.csv" "$tmp/off/scalars.csv")
  echo "budget 0 / vouchers off: $x per replication: $line"
  case $line in *differ) fail=$((fail + 1)) ;; esac
done
echo "symmetric: $fail differ"
[ $fail -eq 0 ]
