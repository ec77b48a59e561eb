#!/bin/sh
# tests/walkfix_b_texts.sh - printed texts that said more than was true:
# optimize's guarantee asks a margin of the constraints on the runs'
# scalars only (an exact constraint, {key} and numbers, is known before any
# run: a chosen budget split may spend its bound exactly); validate counts
# in the singular when there is one.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_b_texts.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

mmc="$s/scenarios/mmc.yaml"
set -- optimize "$mmc" --set cities.testville.arrivals=240 --set horizon=30d \
  --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h --delta 0.05 -j 2 -q
exact='{datacenters.mmc-100.gpus} <= 12 tol 1'
mean='mean_wait_east_h <= 1 tol 0.1'
margin='every constraint mean is at least its tolerance away from its bound'
margin_run="every constraint on the runs' scalars \\(not the exact ones, known before any run\\) has its mean at least its tolerance away from its bound"
head_f='^guarantee: P\(correct selection\) >= 0\.95 when the best feasible candidate.s mean objective is better than every other feasible one.s by delta = 0\.05 or more'
tail_f=' \(normal outputs; KN, Kim and Nelson 2001; feasibility, Andradottir and Kim 2010\)$'
# only an exact constraint: no margin asked, and no feasibility check
# (walkfix_d: it needs none); the choice sits on its bound
"$vs" "$@" -o e.yaml --subject-to "$exact" > e.out 2>&1
ok only-exact-exit [ $? -eq 0 ]
ok only-exact grep -Eq "$head_f \(normal outputs; KN, Kim and Nelson 2001\)$" e.out
ok only-exact-chosen-on-bound grep -q '^chosen: datacenters\.mmc-100\.gpus=12$' e.out
# only constraints on the runs' scalars: every one has the margin
t only-mean 0 "$head_f and $margin$tail_f" -- "$vs" "$@" -o m.yaml --subject-to "$mean"
# both: the margin for those on the runs' scalars, not the exact ones
t both 0 "$head_f and $margin_run$tail_f" -- "$vs" "$@" -o b.yaml --subject-to "$mean" --subject-to "$exact"
# none: no feasibility at all
t none 0 '^guarantee: P\(correct selection\) >= 0\.95 when the best candidate.s mean objective is better than every other one.s by delta = 0\.05 or more \(normal outputs; KN, Kim and Nelson 2001\)$' -- \
  "$vs" "$@" -o n.yaml

# validate: 1 city, 1 data center, 0 programs
t validate-singular 0 '^.*mmc\.yaml: ok: ".*", 2025-01-01 to 2025-03-02, 1 city, 1 data center, 0 programs, routing ' -- \
  "$vs" validate "$mmc"
t validate-plural 0 'ok: ".*", 2025-01-01 to 2026-01-01, 7 cities, 18 data centers, 8 programs, routing ' -- \
  "$vs" validate "$s/scenarios/china-2025.yaml"

echo "walkfix_b_texts: $pass passed, $fail failed"
[ $fail -eq 0 ]
