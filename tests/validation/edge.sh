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
# Where the fall goes: each buying firm runs one job of 8 GPUs x 30 days
# = 5760 GPU-h, no job waits or is abandoned, and the 120-day cool-down
# decides every application, so in every run each buying firm's job is in
# exactly one of gpu_hours_total (finished by the horizon),
# gpu_hours_in_progress (the part run of a job still running) and
# gpu_hours_owed_at_horizon (the rest of it; a job queued or to come; a
# firm awaiting its voucher then that buys in the cool-down):
#     total + in_progress + owed = 5760 x firms_buying,
# so the paired differences satisfy it too, and with firms_buying's
# difference equal to firms_additional's (the others buy in both arms)
# the policy's fall in gpu_hours_total reappears as owed hours: the owed
# difference is significantly positive under turn_away. Under apply the
# non-additional firms keep their timing, so the owed difference is that
# of the additional firms.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
. "$s/tests/lib.sh"
base="$s/tests/data/edge-base.yaml"
pol="$s/tests/data/edge-policy.yaml"
# field N (diff_mean 5, diff_ci95_paired 6) of the row NAME of compare's CSV
field() { printf '%s\n' "$1" | awk -F, -v n="$2" -v k="$3" '$1 == n { print $k }'; }
# the identity on the differences of compare's CSV $1, to 0.01 GPU-h
identity() {
  awk -v t="$(field "$1" gpu_hours_total 5)" -v p="$(field "$1" gpu_hours_in_progress 5)" \
      -v o="$(field "$1" gpu_hours_owed_at_horizon 5)" -v f="$(field "$1" firms_buying 5)" \
      -v a="$(field "$1" firms_additional 5)" \
      'BEGIN { d = t + p + o - 5760 * f; exit !(o != "" && f == a && f > 0 && d < 0.01 && d > -0.01) }'
}

csv=$("$vs" compare "$base" "$pol" --replications 20 --format csv --quiet 2>&1)
tot=$(field "$csv" gpu_hours_total 5) tci=$(field "$csv" gpu_hours_total 6)
add=$(field "$csv" gpu_hours_additional 5) aci=$(field "$csv" gpu_hours_additional 6)
owd=$(field "$csv" gpu_hours_owed_at_horizon 5) oci=$(field "$csv" gpu_hours_owed_at_horizon 6)
ok edge-rows sh -c "[ -n '$tot' ] && [ -n '$tci' ] && [ -n '$add' ] && [ -n '$aci' ]"
ok edge-turn-away-total-falls awk -v d="$tot" -v h="$tci" 'BEGIN { exit !(d + h < 0) }'
ok edge-turn-away-additional-rises awk -v d="$add" -v h="$aci" 'BEGIN { exit !(d - h > 0) }'
ok edge-turn-away-owed-rises awk -v d="$owd" -v h="$oci" 'BEGIN { exit !(d != "" && d - h > 0) }'
ok edge-turn-away-owed-identity identity "$csv"

csv=$("$vs" compare "$base" "$pol" --replications 20 --format csv --quiet \
        --set programs.jinan-compute.when_empty=apply 2>&1)
tot=$(field "$csv" gpu_hours_total 5) add=$(field "$csv" gpu_hours_additional 5)
owd=$(field "$csv" gpu_hours_owed_at_horizon 5) oad=$(field "$csv" gpu_hours_owed_additional 5)
ok edge-apply-rows sh -c "[ -n '$tot' ] && [ -n '$add' ] && [ -n '$owd' ] && [ -n '$oad' ]"
ok edge-apply-total-is-additional awk -v d="$tot" -v a="$add" 'BEGIN { exit !(d == a && d > 0) }'
ok edge-apply-owed-is-additional awk -v d="$owd" -v a="$oad" \
    'BEGIN { exit !(d - a < 0.01 && a - d < 0.01 && d > 0) }'
ok edge-apply-owed-identity identity "$csv"

# The same in the other commands: compare --by city's note under the
# city's GPU-hours, and the sweep's point table beside gpu_hours_total
# (the billion's point owes more).
tmp=$(mktemp -d "${TMPDIR:-/tmp}/edge.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
t edge-city-note 0 '^  note: GPU-hours: of firm jobs finished by the horizon; the compute still owed then is the total gpu_hours_owed_at_horizon' -- \
  "$vs" compare "$base" "$pol" --replications 2 --by city --quiet
"$vs" sweep "$base" --vary programs.jinan-compute.budget=5M,1B --replications 4 \
  -o "$tmp/s.h5" --quiet > "$tmp/sweep.txt" 2>&1
ok edge-sweep-column awk '$1 == "point" { for (i = 1; i <= NF; i++) if ($i == "gpu_hours_owed_at_horizon") c = i }
  $1 == "0" { a = $c } $1 == "1" { b = $c } END { gsub(",", "", a); gsub(",", "", b); exit !(c && b + 0 > a + 0) }' "$tmp/sweep.txt"

echo "edge: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
