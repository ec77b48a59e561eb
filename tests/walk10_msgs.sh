#!/bin/sh
# tests/walk10_msgs.sh - what a first-time user's mistakes say (walk10):
# a line indented deeper than the key above it, which YAML reads as more
# of that key's value, is reported as such at the key's ': ', not only
# with the hint to quote a value that holds ': ' (which stays where the
# line has a ': ' before the one refused). plot --chart with a typo says
# the chart it is near. output/README.md's h5py example
# leaves the scenario's text out of the attributes it prints.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp walk10_msgs
EXACT_STDERR=1
q="(a value that contains ': ' must be quoted, e.g. name: \"a: b\")"
deeper() { echo "mapping values are not allowed in this context: '$1' is indented deeper than the key above it, so YAML reads it as more of that key's value: line it up with the keys of its mapping $q"; }

# ---- a top-level key indented under the one above ----
printf 'name: x\nstart: 2025-01-01\n  horizon: 365d\n' > top.yaml
EXACT_NONE=o.h5 exact deeper-top 2 "top.yaml:3:10: $(deeper horizon)" -- "$vs" run top.yaml -q -o o.h5
# ---- a key of a list item, one space too deep ----
printf 'start: 2025-01-01\ncities:\n  - name: hefei\n     region: east\n' > item.yaml
exact deeper-item 2 "item.yaml:4:12: $(deeper region)" -- "$vs" validate item.yaml
# ---- under a value that already spans two lines ----
printf 'name: x\n  y\n  start: 2025-01-01\n' > span.yaml
exact deeper-span 2 "span.yaml:3:8: $(deeper start)" -- "$vs" validate span.yaml
# ---- a ': ' inside a value: the quoting hint alone, as before ----
printf 'name: x\nstart: 2025-01-01\ncities:\n  - name: Phase 2: west\n' > colon.yaml
exact colon-value 2 "colon.yaml:4:18: mapping values are not allowed in this context $q" -- "$vs" validate colon.yaml
printf 'name: Phase 2: west\n' > colon1.yaml
exact colon-first-line 2 "colon1.yaml:1:14: mapping values are not allowed in this context $q" -- "$vs" validate colon1.yaml
# ---- plot --chart a typo away from a chart: that one, before FILE is
# read (as plot --city shangai says 'shanghai'); a name near none: the list ----
charts="utilization, budget, spend, demand, wait, response, sobol, difference, utilization-difference, all"
exact chart-near 2 "vouchsim: plot: unknown chart 'utilisation' (did you mean 'utilization'?); the charts: $charts" -- \
  "$vs" plot none.h5 --chart utilisation
exact chart-swap 2 "vouchsim: plot: unknown chart 'wiat' (did you mean 'wait'?); the charts: $charts" -- \
  "$vs" plot none.h5 --chart wiat
exact chart-far 2 "vouchsim: plot: unknown chart 'pie' ($charts)" -- "$vs" plot none.h5 --chart pie

# ---- output/README.md's h5py example prints the root's attributes but
# the scenario's whole text (20 kB of YAML for china-2025), which
# buried what the example shows ----
ok h5py-attrs-no-scenario sh -c '! grep -q "print(dict(f.attrs))" "$1" && grep -q "if k != \"scenario\"" "$1"' sh "$s/output/README.md"

echo "walk10_msgs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
