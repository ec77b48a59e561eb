#!/bin/sh
# tests/walkfix_d_optimize.sh - what optimize writes and prints says what
# is true (a first-time user's findings):
# 1. the chosen scenario's name: lists every value the file sets, the
#    decision variables' ("optimized: ...") and the command's --set,
#    --seed and --until ("set: ..."), each as the file holds it (a --set
#    that a decision variable overrides, an item addressed by index), and
#    not the base's own name:, whose "c=100" the file changes. Checked
#    against the file itself: its keys, flattened, are the name's list.
# 2. the alpha split and the feasibility procedure are named only when a
#    constraint on the runs' scalars needs them: with exact constraints
#    only ({key} and numbers, known before any run) KN selects at the
#    whole alpha, exactly as without the constraint among the candidates
#    that meet it.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_d_optimize.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
mmc="$s/scenarios/mmc.yaml"
gpus=datacenters.mmc-100.gpus

# flat FILE: the keys a chosen scenario sets, one "path=value" a line
# (items by name, the name: and extends: lines left out), sorted
flat() {
  awk '/^#/ || /^extends:/ || /^name:/ { next }
       { match($0, /^ */); lvl = RLENGTH / 2; line = substr($0, RLENGTH + 1)
         if (line ~ /^- name: /) { v = substr(line, 9); gsub(/"/, "", v); key[lvl] = v; next }
         i = index(line, ":"); k = substr(line, 1, i - 1); v = substr(line, i + 2)
         if (v == "") { key[lvl] = k; next }
         p = ""; for (j = 0; j < lvl; j++) p = p key[j] "."
         print p k "=" v }' "$1" | sort
}
# listed FILE: the "key=value" pairs of the name's parentheses, sorted
listed() {
  sed -n 's/^name: ".*(optimized: \(.*\))"$/\1/p' "$1" | sed 's/; set: /, /' | tr -d '\\' |
    awk 'BEGIN { RS = ", " } NF { sub(/\n$/, ""); print }' | sort
}

# ---- 1. the name ----
# the staffing example of the README, with a --set of the decision
# variable (overridden), an item by index, --seed and --until
"$vs" optimize "$mmc" --set 'cities[0].arrivals=240' --set horizon=30d --set warmup=2d \
  --set $gpus=5 --seed 4 --until 2025-01-21 --vary $gpus=16,17,18 \
  --minimize "2 * {$gpus} + 500 * mean_wait_east_h" --delta 0.5 -j 2 -q -o staff.yaml \
  > staff.out 2>&1
ok name-run [ $? -eq 0 ]
want='name: "mmc (optimized: datacenters.mmc-100.gpus=17; set: cities.testville.arrivals=240, horizon=480h, warmup=2d, seed=4)"'
ok name-exact grep -qxF "$want" staff.yaml
flat staff.yaml > keys.txt
listed staff.yaml > named.txt
ok name-lists-the-file cmp -s keys.txt named.txt
ok name-file-has-keys [ "$(wc -l < keys.txt)" -eq 5 ]
ok name-not-base sh -c "! grep -q 'c=100' staff.yaml"
ok name-chosen grep -q '^chosen: datacenters.mmc-100.gpus=17$' staff.out
t name-validates 0 'staff.yaml: ok: "mmc \(optimized: datacenters.mmc-100.gpus=17; set: ' -- \
  "$vs" validate staff.yaml
# nothing but the choice: no "set:" part
"$vs" optimize "$mmc" --vary $gpus=16,17,18 --minimize "2 * {$gpus} + 500 * mean_wait_east_h" \
  --delta 0.5 --n0 2 --max-replications 2 -j 2 -q -o bare.yaml > /dev/null 2>&1
ok name-bare grep -Eqx 'name: "mmc \(optimized: datacenters.mmc-100.gpus=1[678]\)"' bare.yaml
flat bare.yaml > keys2.txt
listed bare.yaml > named2.txt
ok name-bare-lists-the-file cmp -s keys2.txt named2.txt

# ---- 2. the alpha split ----
set -- optimize "$mmc" --set cities.testville.arrivals=240 --set horizon=30d --set warmup=2d \
  --minimize "2 * {$gpus} + 500 * mean_wait_east_h" --delta 0.5 -j 2 -q
exact="{$gpus} <= 17 tol 0.5"
mean='mean_wait_east_h <= 0.02 tol 0.002'
split=' \(alpha split evenly between feasibility and selection\)'
kn=' \(normal outputs; KN, Kim and Nelson 2001\)$'
knf=' \(normal outputs; KN, Kim and Nelson 2001; feasibility, Andradottir and Kim 2010\)$'
"$vs" "$@" --vary $gpus=15,16,17,18,19 --subject-to "$exact" -o e.yaml > e.out 2>&1
ok exact-exit [ $? -eq 0 ]
ok exact-header grep -Eqx "5 candidates, n0 = 10, delta = 0\.5, 1 - alpha = 0\.95; means with 95% intervals over each candidate's replications, differences paired" e.out
ok exact-no-split sh -c "! grep -q 'alpha split' e.out"
ok exact-guarantee grep -Eq "^guarantee: P\(correct selection\) >= 0\.95 when the best feasible candidate's mean objective is better than every other feasible one's by delta = 0\.5 or more$kn" e.out
"$vs" "$@" --vary $gpus=15,16,17,18,19 --subject-to "$mean" -o m.yaml > m.out 2>&1
ok mean-exit [ $? -eq 0 ]
ok mean-split grep -Eq "^5 candidates, n0 = 10, delta = 0\.5, 1 - alpha = 0\.95$split; " m.out
ok mean-guarantee grep -Eq "$knf" m.out
"$vs" "$@" --vary $gpus=15,16,17,18,19 --subject-to "$exact" --subject-to "$mean" -o b.yaml \
  > b.out 2>&1
ok both-exit [ $? -eq 0 ]
ok both-split grep -Eq "^5 candidates, .*$split; " b.out
ok both-guarantee grep -Eq "not the exact ones.*$knf" b.out
# exact constraints only: the selection is KN at the whole alpha among
# the candidates that meet them, the same as without the constraint
"$vs" "$@" --vary $gpus=15,16,17,18,19 --subject-to "$exact" -o e2.yaml --format csv > e.csv
"$vs" "$@" --vary $gpus=15,16,17 -o n.yaml --format csv > n.csv
cut -d, -f1-11 e.csv | grep -v 'exact: not run' > e.cut
cut -d, -f1-11 n.csv > n.cut
ok exact-is-kn-at-alpha cmp -s e.cut n.cut
ok exact-two-unrun [ "$(grep -c 'exact: not run' e.csv)" -eq 2 ]

echo "walkfix_d_optimize: $pass passed, $fail failed"
[ $fail -eq 0 ]
