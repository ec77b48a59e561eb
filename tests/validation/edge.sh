#!/bin/sh
# tests/validation/edge.sh - a known answer for the window's end: more
# voucher money can lower the year's GPU-hours (README, "Why the year's
# GPU-hours fall when the billion is added"). tests/data/edge-*.yaml: a
# pool that runs out in the year (base) against one that never does
# (policy), 20 paired runs, one uncongested data center.
#   - turn_away (the default): after the base's pool runs out, its
#     applicants decide at once, while the policy's wait the 60-day
#     approval delay: the policy's year has significantly FEWER GPU-hours
#     (the paired interval's top below 0) although its additional firms'
#     hours rise (the bottom above 0);
#   - apply (both arms' late applicants wait): the firms who would buy
#     anyway keep their timing, so the difference in GPU-hours is exactly
#     the additional firms' hours, and positive.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
. "$s/tests/lib.sh"
base="$s/tests/data/edge-base.yaml"
pol="$s/tests/data/edge-policy.yaml"
# field N (diff_mean 5, diff_ci95_paired 6) of the row NAME of compare's CSV
field() { printf '%s\n' "$1" | awk -F, -v n="$2" -v k="$3" '$1 == n { print $k }'; }

csv=$("$vs" compare "$base" "$pol" --replications 20 --format csv --quiet 2>&1)
tot=$(field "$csv" gpu_hours_total 5) tci=$(field "$csv" gpu_hours_total 6)
add=$(field "$csv" gpu_hours_additional 5) aci=$(field "$csv" gpu_hours_additional 6)
ok edge-rows sh -c "[ -n '$tot' ] && [ -n '$tci' ] && [ -n '$add' ] && [ -n '$aci' ]"
ok edge-turn-away-total-falls awk -v d="$tot" -v h="$tci" 'BEGIN { exit !(d + h < 0) }'
ok edge-turn-away-additional-rises awk -v d="$add" -v h="$aci" 'BEGIN { exit !(d - h > 0) }'

csv=$("$vs" compare "$base" "$pol" --replications 20 --format csv --quiet \
        --set programs.jinan-compute.when_empty=apply 2>&1)
tot=$(field "$csv" gpu_hours_total 5) add=$(field "$csv" gpu_hours_additional 5)
ok edge-apply-rows sh -c "[ -n '$tot' ] && [ -n '$add' ]"
ok edge-apply-total-is-additional awk -v d="$tot" -v a="$add" 'BEGIN { exit !(d == a && d > 0) }'

echo "edge: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
