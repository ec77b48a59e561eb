#!/bin/sh
# tests/limits_until.sh - the scalar table's limit (tools/load.c,
#   scalars_fit) advises what would make the scenario fit: over two or
#   more calendar years, "an earlier --until" when --until set the window,
#   else "a shorter horizon"; over one year the horizon is no remedy, so
#   only "fewer programs or shorter program names". Exit 2, nothing run.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp limits_until
sc="$s/scenarios/china-2025.yaml"
head="programs: 8 programs give 4969 scalars \\(7 per program and 1 per program and calendar year, 375 years, with the totals\\)"
tail="\\(scenarios/README.md, \"Limits\"\\)\$"

t until-run 2 "$head.*; use fewer programs, shorter program names or an earlier --until $tail" -- \
  "$vs" run "$sc" --until 2400-01-01 -o x.h5 -q
t until-validate 2 "; use fewer programs, shorter program names or an earlier --until $tail" -- \
  "$vs" validate "$sc" --until 2400-01-01
t until-sweep 2 "; use fewer programs, shorter program names or an earlier --until $tail" -- \
  "$vs" sweep "$sc" --until 2400-01-01 --vary routing=nearest,west_first -o x.h5 -q
ok until-nothing-written test ! -e x.h5
t horizon 2 "; use fewer programs, shorter program names or a shorter horizon $tail" -- \
  "$vs" validate "$sc" --set horizon=300y

# one calendar year: 207 programs of 4-character names and the tiny
# scenario's own do not fit (see tests/walkfix_e_limits.sh); --until or
# not, the horizon is not named
tiny_scenario one.yaml 30d 5
i=0
while [ $i -lt 207 ]; do
  echo "  - {name: $(printf 'p%03d' $i), city: hefei, budget: 1M, coverage: 0.2}"
  i=$((i + 1))
done >> one.yaml
t one-year 2 "one.yaml:[0-9]+:3: programs: 208 programs give 1494 scalars.*; use fewer programs or shorter program names $tail" -- \
  "$vs" validate one.yaml
t one-year-until 2 "; use fewer programs or shorter program names $tail" -- \
  "$vs" validate one.yaml --until 2025-01-10

echo "limits_until: $pass passed, $fail failed"
[ $fail -eq 0 ]
