#!/bin/sh
# tests/walkfix_e_limits.sh - what a result file can hold, refused before
# any run (a reviewer's findings):
#   1. a scenario whose scalars do not fit the file's scalar table (too
#      many programs, long names, a long horizon) ran to the end and then
#      failed "cannot write /scalars: HDF5 error"; now run, validate,
#      compare, sweep and optimize refuse it at once (exit 2, at
#      `programs`), and one just within the limit runs, sums up and exports
#   2. names longer than 128 characters (programs, cities, data centers,
#      investments, hubs) are refused; 128 runs, sums up and exports
#   3. /runs/NNNN@seed is an exact int64 (it was a float64: 2^53 + 1 lost)
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
fit="$b/tests/walkfix_e_fit"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_e_limits.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
short="--until 2025-01-15 --set warmup=0 --set cooldown=0"

# progs N LEN > FILE: small.yaml with N programs named p0001... of LEN characters
progs() {
  sed '/^programs:/,$d' "$src/tests/data/small.yaml"
  echo "programs:"
  i=0
  while [ "$i" -lt "$1" ]; do
    echo "  - {name: $(printf "p%0$(($2 - 1))d" "$i"), city: shanghai, budget: 1M, coverage: 0.2}"
    i=$((i + 1))
  done
}
# the list starts on the line after `programs:`
line=$(grep -n '^programs:' "$src/tests/data/small.yaml" | cut -d: -f1)
# 4-character names, one calendar year: 206 programs fit (63,770 bytes of
# the 64,000), 207 do not (64,072)
progs 206 4 > "$tmp/fits.yaml"
progs 207 4 > "$tmp/over.yaml"
msg="^$tmp/over.yaml:$((line + 1)):3: programs: 207 programs give 1487 scalars \\(7 per program with the totals\\), whose names take 64072 bytes of the result file's scalar table, more than the 64000 it holds: about 1485 scalars of names this long \\(programs named with up to 4 characters\\); use fewer programs or shorter program names \\(scenarios/README.md, \"Limits\"\\)$"

# ---- 1. refused before the run, by every command that runs one ----
t over-validate 2 "$msg" -- "$vs" validate "$tmp/over.yaml" $short
t over-run 2 "$msg" -- "$vs" run "$tmp/over.yaml" -r 1 -o "$tmp/over.h5" $short -q
ok over-run-no-file [ ! -e "$tmp/over.h5" ] && [ ! -e "$tmp/over.h5.parts" ]
t over-compare 2 "$msg" -- "$vs" compare "$src/tests/data/small.yaml" "$tmp/over.yaml" -r 1 -o "$tmp/over-cmp.h5" $short -q
ok over-compare-no-file [ ! -e "$tmp/over-cmp.h5" ]
t over-sweep 2 "$msg" -- "$vs" sweep "$tmp/over.yaml" --vary programs.p000.coverage=0.1,0.2 -r 1 -o "$tmp/over-sweep.h5" $short -q
ok over-sweep-no-file [ ! -e "$tmp/over-sweep.h5" ]
t over-optimize 2 "$msg" -- "$vs" optimize "$tmp/over.yaml" --maximize firms_buying \
  --vary programs.p000.coverage=0.1,0.2 --delta 1 -o "$tmp/over-opt.yaml" $short -q
ok over-optimize-no-file [ ! -e "$tmp/over-opt.yaml" ]
ok over-one-line [ "$("$vs" validate "$tmp/over.yaml" $short 2>&1 | wc -l)" -eq 1 ]
# the one just within runs, and summary and export read it
t fits-run 0 '' -- "$vs" run "$tmp/fits.yaml" -r 1 -j 1 -o "$tmp/fits.h5" $short -q
t fits-summary 0 'gpu_hours_additional\.p205' -- "$vs" summary "$tmp/fits.h5"
t fits-export 0 '' -- "$vs" export "$tmp/fits.h5" --csv "$tmp/fits-csv"
ok fits-export-columns [ "$(head -1 "$tmp/fits-csv/scalars.csv" | tr ',' '\n' | wc -l)" -eq 1481 ]
# the list's own bound: more than can ever fit (one-character names)
progs 251 1 > "$tmp/many.yaml"
t many-programs 2 "^$tmp/many.yaml:$((line + 1)):3: programs: 251 programs, more than the limit of 250$" \
  -- "$vs" validate "$tmp/many.yaml"
# years: a scalar per program and calendar year; national.yaml holds 30
# years no more
t national-30y 2 "national.yaml:[0-9]+:3: programs: 31 programs give 1335 scalars \\(7 per program and 1 per program and calendar year, 30 years, with the totals\\), whose names take 65454 bytes" \
  -- "$vs" validate "$src/scenarios/national.yaml" --set horizon=30y
t national-25y 0 'ok' -- "$vs" validate "$src/scenarios/national.yaml" --set horizon=25y

# ---- 2. names of at most 128 characters ----
n128=$(printf 'n%0127d' 0)
n129=$(printf 'n%0128d' 0)
sed "s/name: shanghai-compute/name: $n129/" "$src/tests/data/small.yaml" > "$tmp/long-program.yaml"
t name-program-129 2 "^$tmp/long-program.yaml:[0-9]+:11: programs\\[0\\]\\.name: expected a name of at most 128 characters, got 129 \\('n0000000000000000000\\.\\.\\.'\\)$" \
  -- "$vs" validate "$tmp/long-program.yaml"
sed "s/name: sh-1/name: $n129/" "$src/tests/data/small.yaml" > "$tmp/long-dc.yaml"
t name-dc-129 2 "^$tmp/long-dc.yaml:[0-9]+:11: datacenters\\[0\\]\\.name: expected a name of at most 128 characters, got 129" \
  -- "$vs" validate "$tmp/long-dc.yaml"
sed "s/- name: guiyang/- name: $n129/; s/{shanghai: 30}/{$n129: 30}/" "$src/tests/data/small.yaml" > "$tmp/long-city.yaml"
t name-city-129 2 "^$tmp/long-city.yaml:[0-9]+:11: cities\\[1\\]\\.name: expected a name of at most 128 characters, got 129" \
  -- "$vs" validate "$tmp/long-city.yaml"
sed "s/hub: guizhou/hub: $n129/" "$src/tests/data/small.yaml" > "$tmp/long-hub.yaml"
t name-hub-129 2 "^$tmp/long-hub.yaml:[0-9]+:10: cities\\[1\\]\\.hub: expected a hub name of at most 128 bytes, got 129$" \
  -- "$vs" validate "$tmp/long-hub.yaml"
cat "$src/tests/data/small.yaml" - > "$tmp/long-inv.yaml" <<EOF
investments:
  - {name: $n129, datacenter: gz-1, amount: 100M, cost_per_gpu: 200k, date: 2025-01-01}
EOF
t name-investment-129 2 "investments\\[0\\]\\.name: expected a name of at most 128 characters, got 129" \
  -- "$vs" validate "$tmp/long-inv.yaml"
# 128 everywhere: every name built from them stays readable
P=$(printf 'p%0127d' 0) C=$(printf 'c%0127d' 0) D=$(printf 'd%0127d' 0)
H=$(printf 'h%0127d' 0) I=$(printf 'i%0127d' 0)
cat > "$tmp/name128.yaml" <<EOF
name: names of 128 characters
start: 2025-01-01
horizon: 180d
seed: 7
cities:
  - {name: $C, region: east, hub: $H, arrivals: 20}
datacenters:
  - {name: $D, region: east, hub: $H, gpus: 512, price: 12}
programs:
  - {name: $P, city: $C, budget: 600M, coverage: 0.8}
investments:
  - {name: $I, datacenter: $D, amount: 100M, cost_per_gpu: 200k, date: 2025-01-01}
EOF
t name128-run 0 '' -- "$vs" run "$tmp/name128.yaml" -r 2 -o "$tmp/name128.h5" $short -q
t name128-summary 0 "^budget_left\\.p0000" -- "$vs" summary "$tmp/name128.h5"
t name128-export 0 '' -- "$vs" export "$tmp/name128.h5" --csv "$tmp/name128-csv"
ok name128-investment-scalar grep -q "public_gpu_hours_used\\.$I" "$tmp/name128-csv/scalars.csv"
ok name128-program-scalar grep -q "exhaustion_final_h\\.$P" "$tmp/name128-csv/scalars.csv"

# ---- 3. the runs' seeds are exact int64 ----
t seed-run 0 '' -- "$vs" run "$src/tests/data/small.yaml" -r 2 --seed 9007199254740993 -o "$tmp/seed.h5" $short -q
t seed-run0 0 '^int64 9007199254740993$' -- "$fit" attr "$tmp/seed.h5" /runs/0000 seed
t seed-run1 0 '^int64 9007199254740993$' -- "$fit" attr "$tmp/seed.h5" /runs/0001 seed
t seed-root 0 '^int64 9007199254740993$' -- "$fit" attr "$tmp/seed.h5" / seed

echo "walkfix_e_limits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
