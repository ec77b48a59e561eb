#!/bin/sh
# tests/walkfix_g_plot.sh - the difference chart says why a row has no
# difference in compare's words: west-first routes every firm job west,
# so the east has no firm jobs in the policy arm; compare prints "no jobs"
# in its policy column, and the chart, beside the row, "policy: no jobs"
# (never "no run with a value in both arms"); a row with no value in
# either arm that is not a wait, "no value in either", the status of
# export's differences.csv.
name=walkfix_g_plot
. "${top_srcdir:-.}/tests/plot_lib.sh"
sc="$s/scenarios"
case $sc in /*) ;; *) sc="$PWD/$sc";; esac

"$vs" compare "$sc/china-2025.yaml" "$sc/west-first.yaml" -r 2 --until 2025-03-01 -j 2 \
  -o "$tmp/c.h5" --quiet > "$tmp/cmp.txt" 2>&1 || { echo "FAIL compare"; cat "$tmp/cmp.txt"; exit 1; }
# compare's words: "no jobs" in the policy column, "-" as the difference
ok compare-no-jobs grep -Eq '^mean_wait_east_h +h +0 +no jobs +- ' "$tmp/cmp.txt"

# the words beside the rows; has_label WORDS: one of them is WORDS
labels() { sed -n "s/^set label [0-9]* '\\(.*\\)' at graph 1.02, .*/\\1/p" "$k/plot.gp"; }
has_label() { labels | grep -qx -- "$1"; }

kept head "$tmp/c.h5" --chart difference
ok head-exit test $st -eq 0
ok head-row sh -c "cat '$k'/d*.names | grep -qx mean_wait_east_h"
ok head-policy-no-jobs has_label 'policy: no jobs'
ok head-not-old-words sh -c "! grep -q 'no run with a value in both arms' '$k/plot.gp'"
# mean_wait_west_h has jobs in both arms: one row only says "no jobs"
ok head-one-no-jobs test "$(labels | grep -c 'no jobs')" -eq 1

kept region "$tmp/c.h5" --chart difference --region east --outcome firm_mean_wait_h
ok region-exit test $st -eq 0
ok region-policy-no-jobs test "$(labels)" = "policy: no jobs"

kept either "$tmp/c.h5" --chart difference --program shandong-compute \
  --outcome subsidy_per_additional_gpu_hour
ok either-exit test $st -eq 0
ok either-words has_label 'no value in either'
# the same status as export's differences.csv gives the row
"$vs" export "$tmp/c.h5" --csv "$tmp/x" > /dev/null 2>&1
ok either-as-export grep -q '^program.shandong-compute.subsidy_per_additional_gpu_hour,.*,no value in either$' \
  "$tmp/x/differences.csv"
# documented beside the chart
ok readme-words grep -q '`policy: no jobs`' "$s/output/README.md"

echo "walkfix_g_plot: $pass passed, $fail failed"
[ $fail -eq 0 ]
