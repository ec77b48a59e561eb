#!/bin/sh
# tests/validation/calibration.sh - the shipped scenarios measure a steady
# state, and the default scenario hits its calibration targets
# (scenarios/CALIBRATION.md, section 6):
#   - without vouchers (and without public investment), every shipped
#     scenario's region utilization is flat over its measurement window: the
#     monthly means (over replications) of each region stay within 2 points
#     of each other;
#   - without vouchers, china-2025.yaml averages 20-30% in the west (S21)
#     and 60-75% in the east (A: national rack utilisation ~63%);
#   - the warm-up is what makes it flat: the same scenario started empty
#     (warmup=0) climbs by more than 10 points in the east over its year,
#     so the flatness test can fail.
# Each check prints its figure and the band it is held to. Fixed seeds.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/calib.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

# cf NAME SCENARIO R [--set k=v]...: the counterfactual, exported to $tmp/NAME/
cf() {
  name=$1 scn=$2 r=$3; shift 3
  "$vs" run "$scn" -o "$tmp/$name.h5" --quiet --jobs 2 --replications "$r" \
      --set vouchers=false "$@" \
    && "$vs" export "$tmp/$name.h5" --csv "$tmp/$name" >/dev/null \
    && rm -f "$tmp/$name.h5"
}

# months NAME: one line per region (east, west): the mean over the window
# and the lowest and highest monthly mean, averaging the runs
months() {
  awk -F, 'NR == 1 { for (i = 3; i <= NF; i++) reg[i] = ($i ~ /^east/) ? "east" : "west"; next }
           { m = substr($1, 1, 7)
             for (i = 3; i <= NF; i++) { sum[reg[i], m] += $i; n[reg[i], m]++; tot[reg[i]] += $i; cnt[reg[i]]++ }
             ms[m] = 1 }
           END { split("east west", rs, " ")
                 for (k = 1; k <= 2; k++) { r = rs[k]; lo = 1e9; hi = -1e9
                   for (m in ms) if (n[r, m]) { v = sum[r, m] / n[r, m]; if (v < lo) lo = v; if (v > hi) hi = v }
                   printf "%s %.4f %.4f %.4f\n", r, tot[r] / cnt[r], lo, hi } }' \
      "$tmp/$1/series/region_utilization.csv"
}

check() {   # NAME OK-EXPRESSION MESSAGE
  if awk "BEGIN { exit !($2) }"; then
    pass=$((pass + 1)); echo "ok: $1: $3"
  else
    fail=$((fail + 1)); echo "FAIL: $1: $3"
  fi
}

# flat NAME: each region's monthly means within 2 points (0.02)
flat() {
  months "$1" > "$tmp/$1.months"
  while read -r reg mean lo hi; do
    check "$1-flat-$reg" "$hi - $lo <= 0.02" \
      "$reg monthly means $lo .. $hi (spread $(awk "BEGIN { printf \"%.4f\", $hi - $lo }"), held to <= 0.02)"
  done < "$tmp/$1.months"
}

for f in "$s"/scenarios/*.yaml; do
  base=$(basename "$f" .yaml)
  case $base in
    mmc) continue ;;                      # a queue with no firms: checked by erlang.sh
    national) r=1 ;;                      # 35M events a replication
    *) r=10 ;;                            # about 0.3 s a replication
  esac
  # the counterfactual has no policy: no vouchers, and no public investment
  # (whose GPUs coming online mid-year are a policy effect, not a transient)
  noinv=
  grep -q '^investments:' "$f" && noinv="--set investments=[]"
  # shellcheck disable=SC2086  # $noinv is empty or one --set pair without spaces
  cf "$base" "$f" "$r" $noinv || { fail=$((fail + 1)); echo "FAIL: $base: run"; continue; }
  flat "$base"
done

# the default's targets
read -r _ east _ _ <<EOF
$(grep '^east' "$tmp/china-2025.months")
EOF
read -r _ west _ _ <<EOF
$(grep '^west' "$tmp/china-2025.months")
EOF
check china-2025-west "$west >= 0.20 && $west <= 0.30" "west $west, held to 0.20 .. 0.30 (S21)"
check china-2025-east "$east >= 0.60 && $east <= 0.75" "east $east, held to 0.60 .. 0.75 (A)"

# the negative control: started empty, the year climbs
cf cold "$s/scenarios/china-2025.yaml" 2 --set warmup=0
months cold > "$tmp/cold.months"
read -r _ _ lo hi <<EOF
$(grep '^east' "$tmp/cold.months")
EOF
check cold-start-climbs "$hi - $lo > 0.10" \
  "without warm-up the east's monthly means run $lo .. $hi (held to a spread > 0.10)"

echo "calibration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
