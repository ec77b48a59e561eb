#!/bin/sh
# tests/walkfix_h_sweep.sh - a point of a scenario's own sweep: section
# that is not a valid scenario is reported at the section's entry
# (FILE:LINE:COL: KEY: message) of the value, as a --vary point is at --vary:N:COL and
# a --set at --set:N:COL; then the line that names the point. Nothing is
# written; the exit status is 2.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_h_sweep.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1


# exact (tests/lib.sh) checks that no s.h5 is left
EXACT_NONE=s.h5
tiny_scenario base.yaml 30d 20
values="correct the values of the scenario's sweep: section"
ranges="narrow the ranges of the scenario's sweep: section"

# a grid range whose last level is out of bounds: at the range's entry
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: "0.1:1.5:3"\n'; } > range.yaml
exact grid-range 2 "range.yaml:11:32: programs[0].coverage: expected a number in [0, 1], got 1.5
vouchsim: sweep: point 2 (programs[0].coverage=1.5) is not a valid scenario: $values" -- \
  "$vs" sweep range.yaml -r 2 -o s.h5

# a list with a name that is no policy: at that key's entry, the second one
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: [0.5, 0.6]\n    routing: [nearest, bogus]\n'; } > list.yaml
exact grid-list 2 "list.yaml:12:24: routing: expected one of nearest, cheapest, least_loaded, latency_aware, west_first; got 'bogus'
vouchsim: sweep: point 1 (programs[0].coverage=0.5 routing=bogus) is not a valid scenario: $values" -- \
  "$vs" sweep list.yaml -r 2 -o s.h5

# a key path to no item (a sampled design): the key path's error, at the entry
{ cat base.yaml; printf 'sweep:\n  design: lhs\n  samples: 3\n  vary:\n    programs.nosuch.coverage: "0.1:0.5"\n'; } > item.yaml
t lhs-no-item 2 "^item.yaml:13:31: programs.nosuch.coverage: no item named 'nosuch' in 'programs' \\(items: hefei-compute\\)
vouchsim: sweep: point 0 \\(programs.nosuch.coverage=[0-9.]*\\) is not a valid scenario: $ranges\$" -- \
  "$vs" sweep item.yaml -r 2 -o s.h5
ok lhs-no-item-nothing-written test ! -e s.h5

# through extends: the entry is in the parent, so is the message
printf 'extends: range.yaml\nname: child\n' > child.yaml
exact extends-parent-entry 2 "range.yaml:11:32: programs[0].coverage: expected a number in [0, 1], got 1.5
vouchsim: sweep: point 2 (programs[0].coverage=1.5) is not a valid scenario: $values" -- \
  "$vs" sweep child.yaml -r 2 -o s.h5
# in a directory: the path as the scenario names it
mkdir sub && cp range.yaml sub/
exact subdir 2 "sub/range.yaml:11:32: programs[0].coverage: expected a number in [0, 1], got 1.5
vouchsim: sweep: point 2 (programs[0].coverage=1.5) is not a valid scenario: $values" -- \
  "$vs" sweep sub/range.yaml -r 2 -o s.h5

# unchanged: --vary says --vary, a --set beside the section says --set
exact vary-still-vary 2 "--vary:1:26: programs[0].coverage: expected a number in [0, 1], got 1.5
vouchsim: sweep: point 1 (programs[0].coverage=1.5) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep range.yaml --vary 'programs[0].coverage=0.5,1.5' -r 2 -o s.h5
exact set-beside-section 2 "--set:1:22: programs[0].coverage: expected a number in [0, 1], got 2" -- \
  "$vs" sweep range.yaml --set 'programs[0].coverage=2' -r 2 -o s.h5
# and a valid section runs
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: "0.2:0.6:2"\n'; } > good.yaml
t section-runs 0 "" -- "$vs" sweep good.yaml -r 2 --until 2025-01-05 -o s.h5
ok section-wrote test -s s.h5

echo "walkfix_h_sweep: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
