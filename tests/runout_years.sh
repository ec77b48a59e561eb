#!/bin/sh
# tests/runout_years.sh - run-out dates in the multi-year scenario, whose
# pools start at budget 0 and are appropriated on each 1 January (money
# not committed returned at each year end). Neither the empty pool at the
# start, before the same instant's appropriation, nor the year-end return
# is a run-out; so in every replication:
#   - Shanghai's compute pool (600M in 2025) first runs out in 2025 after
#     January (the budget chart shows it near November), and is not run
#     out for good: 2026's appropriation refills it;
#   - Shenzhen's, which keeps money, never runs out.
# Eighteen months (--until 2026-06-30) keep it fast.
b=${top_builddir:-.}
s=${top_srcdir:-.}
. "$s/tests/lib.sh"
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/runout.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

t run 0 '' -- "$vs" run "$s/scenarios/china-2025-2030.yaml" -o "$tmp/y.h5" --quiet --jobs 2 \
    --replications 2 --until 2026-06-30
t export 0 '' -- "$vs" export "$tmp/y.h5" --csv "$tmp/csv"

# col SCALAR: its values (empty: NaN) in scalars.csv, one line per run
col() {
  awk -F, -v want="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
                        c { print $c }' "$tmp/csv/scalars.csv"
}

# hours from 2025-01-01: February starts at 744 h, 2026 at 8760 h
first=$(col exhaustion_h.shanghai-compute)
ok "shanghai runs out in 2025 after January in every run ($(echo $first))" \
  sh -c 'n=0; for h in $1; do n=$((n + 1)); awk -v h="$h" "BEGIN { exit !(h > 744 && h < 8760) }" || exit 1; done
         [ $n -eq 2 ]' - "$first"
ok "shanghai is refilled in 2026, not run out for good" \
  test -z "$(col exhaustion_final_h.shanghai-compute | tr -d '\n')"
ok "shenzhen never runs out" \
  test -z "$(col exhaustion_h.shenzhen-compute | tr -d '\n')"
ok "two runs" test "$(col exhaustion_h.shenzhen-compute | wc -l)" -eq 2

echo "runout_years: $pass passed, $fail failed"
[ $fail -eq 0 ]
