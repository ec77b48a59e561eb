#!/bin/sh
# tests/validation/erlang.sh - the queue against its closed forms: one data
# center of c GPUs (scenarios/mmc.yaml, varied with --set), Poisson
# arrivals of one-GPU jobs, exponential 1 h service. Erlang C without
# patience, Erlang A (M/M/c+M) with exponential patience. For each point,
# R replications with a fixed seed; tests/validation/erlang holds the
# closed form of the mean wait of served jobs, the probability of waiting
# and (Erlang A) the probability of abandoning to lie inside the 95%
# Student-t interval over the replications, and prints each figure. (The
# closed forms themselves are checked by tests/validation/erlang alone.)
#
# Each run simulates 10 days of warm-up before its window (the queue's
# transient lasts hours to a few days), so nothing of the empty start is
# measured. The intervals are 99% (LEVEL): with 14 figures, a 95% level
# would see one miss by chance in about half of all reshufflings of the
# random streams; the negative control shows they still tell a wrong
# closed form apart.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
erl="$b/tests/validation/erlang"
WARMUP="--set warmup=10d"
LEVEL=0.99
SKIP=0
R=20
tmp=$(mktemp -d "${TMPDIR:-/tmp}/erlang.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

fail=0

# point LABEL C LAMBDA_PER_H THETA_PER_H HORIZON
point() {
  label=$1 c=$2 lam=$3 theta=$4 horizon=$5
  per_day=$(awk -v l="$lam" 'BEGIN { printf "%.10g", 24 * l }')
  if [ "$theta" = 0 ]; then
    pat='{dist: fixed, value: 100y}'
  else
    pat=$(awk -v t="$theta" 'BEGIN { printf "{dist: exponential, mean: %.10gh}", 1 / t }')
  fi
  f="$tmp/p.h5"
  # shellcheck disable=SC2086  # WARMUP is empty or one --set pair
  if ! "$vs" run "$s/scenarios/mmc.yaml" -o "$f" --quiet --jobs 2 --seed 1 \
       --replications $R --set horizon="$horizon" --set sample_interval=2h \
       --set cities.testville.arrivals="$per_day" --set datacenters.mmc-100.gpus="$c" \
       --set "firms.patience=$pat" $WARMUP; then
    echo "FAIL $label: vouchsim run failed"; fail=$((fail + 1)); return
  fi
  "$erl" check "$f" "$label" "$c" "$lam" 1 "$theta" $SKIP $LEVEL || fail=$((fail + 1))
  mv "$f" "$tmp/last.h5"
}

point "erlang_c rho=0.60 c=20"  20 12 0 120d
point "erlang_c rho=0.90 c=100" 100 90 0 480d
point "erlang_c rho=0.90 c=200" 200 180 0 240d
point "erlang_c rho=0.97 c=200" 200 194 0 360d
point "erlang_a rho=1.00 c=100 theta=0.5" 100 100 0.5 180d
point "erlang_a rho=1.20 c=100 theta=2" 100 120 2 120d

# A negative control: the last file held to the closed forms of the wrong
# patience (theta 1 instead of 2) must fail, or the intervals are too wide
# to tell anything.
echo "negative control (must FAIL):"
"$erl" check "$tmp/last.h5" "erlang_a rho=1.20 c=100 held to theta=1" 100 120 1 1 $SKIP $LEVEL
if [ $? -ne 1 ]; then
  echo "FAIL negative control: the wrong closed form was not rejected"; fail=$((fail + 1))
fi

echo "erlang: $fail failed"
[ $fail -eq 0 ]
