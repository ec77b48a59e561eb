#!/bin/sh
# tests/walkfix_i_sweep.sh - an error in one value of a sweep is reported
# at that value: in a scenario's sweep: section the list's item (block and
# flow style) or the value inside "v1,v2,..." (plain or quoted), a grid
# range's HI at its last level; from the command line --vary:N:COL, N the
# N-th --vary and COL the value's column in it, as --set:N:COL names the
# N-th --set. validate checks every point of the section as sweep does.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_i_sweep.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1


# exact (tests/lib.sh) checks stderr alone, and that no s.h5 is left
EXACT_NONE=s.h5
EXACT_STDERR=1
tiny_scenario base.yaml 30d 20
msg="programs[0].coverage: expected a number in [0, 1], got 1.5"
point="vouchsim: sweep: point 2 (programs[0].coverage=1.5) is not a valid scenario"
values="$point: correct the values of the scenario's sweep: section"

# block style: the third item's line and column, not the first item's
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage:\n      - 0.3\n      - 0.5\n      - 1.5\n'; } > block.yaml
exact block 2 "block.yaml:14:9: $msg
$values" -- "$vs" sweep block.yaml -r 1 -o s.h5
# flow style: the column of 1.5, not of '['
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: [0.3, 0.5, 1.5]\n'; } > flow.yaml
exact flow 2 "flow.yaml:11:38: $msg
$values" -- "$vs" sweep flow.yaml -r 1 -o s.h5
# a string "v1,v2,...", plain and quoted (with spaces): the value in it
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: 0.3,0.5,1.5\n'; } > plain.yaml
exact plain 2 "plain.yaml:11:35: $msg
$values" -- "$vs" sweep plain.yaml -r 1 -o s.h5
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: "0.3, 0.5, 1.5"\n'; } > quoted.yaml
exact quoted 2 "quoted.yaml:11:38: $msg
$values" -- "$vs" sweep quoted.yaml -r 1 -o s.h5
# a second entry's value, on its own line
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: [0.3, 0.5]\n    routing: [nearest, west_frst]\n'; } > second.yaml
exact second-entry 2 "second.yaml:12:24: routing: expected one of nearest, cheapest, least_loaded, latency_aware, west_first; got 'west_frst' (did you mean 'west_first'?)
vouchsim: sweep: point 1 (programs[0].coverage=0.3 routing=west_frst) is not a valid scenario: correct the values of the scenario's sweep: section" -- \
  "$vs" sweep second.yaml -r 1 -o s.h5
# a grid range: its last level is HI, at HI's column
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: 0.1:1.5:3\n'; } > range.yaml
exact range-hi 2 "range.yaml:11:31: $msg
$values" -- "$vs" sweep range.yaml -r 1 -o s.h5

# --vary: the N-th option, the value's column in it
exact vary-list 2 "--vary:1:30: $msg
$point: correct the --vary values" -- \
  "$vs" sweep base.yaml --vary 'programs[0].coverage=0.3,0.5,1.5' -r 1 -o s.h5
exact vary-second 2 "--vary:2:28: programs[0].budget: expected an amount of money such as 600M, 1.03B or 30,000,000; got '3x'
vouchsim: sweep: point 2 (seed=1 programs[0].budget=3x) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep base.yaml --vary seed=1,2 --vary 'programs[0].budget=1M, 2M, 3x' -r 1 -o s.h5
exact vary-range-hi 2 "--vary:2:26: $msg
vouchsim: sweep: point 2 (seed=1 programs[0].coverage=1.5) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep base.yaml --vary seed=1,2 --vary 'programs[0].coverage=0.1:1.5:3' -r 1 -o s.h5
# a key path to no item: at the key that names none, column 10 of that --vary
exact vary-key 2 "--vary:2:10: programs.nosuch: no item named 'nosuch' in 'programs' (items: hefei-compute)
vouchsim: sweep: point 0 (seed=1 programs.nosuch.coverage=0.1) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep base.yaml --vary seed=1,2 --vary 'programs.nosuch.coverage=0.1,0.2' -r 1 -o s.h5
# --set: the N-th --set
exact set-second 2 "--set:2:20: programs[0].budget: expected an amount of money >= 0, got -3M" -- \
  "$vs" validate base.yaml --set 'programs[0].coverage=0.3' --set 'programs[0].budget=-3M'
# --dry-run reports the same
exact dry-run 2 "block.yaml:14:9: $msg
$values" -- "$vs" sweep block.yaml --dry-run

# ---- validate checks every point of the section, with sweep's message ----
for f in block flow plain quoted range; do
  sweep_out=$("$vs" sweep $f.yaml --dry-run 2>&1 >/dev/null)
  exact validate-$f 2 "$sweep_out" -- "$vs" validate $f.yaml
done
exact validate-second 2 "second.yaml:12:24: routing: expected one of nearest, cheapest, least_loaded, latency_aware, west_first; got 'west_frst' (did you mean 'west_first'?)
vouchsim: sweep: point 1 (programs[0].coverage=0.3 routing=west_frst) is not a valid scenario: correct the values of the scenario's sweep: section" -- \
  "$vs" validate second.yaml
# a sampled design: its points are checked too (a key path to no item)
{ cat base.yaml; printf 'sweep:\n  design: lhs\n  samples: 3\n  vary:\n    programs.nosuch.coverage: "0.1:0.5"\n'; } > item.yaml
t validate-lhs-item 2 "^item.yaml:13:31: programs.nosuch.coverage: no item named 'nosuch' in 'programs'" -- \
  "$vs" validate item.yaml
# a point that changes the sampling times, as sweep refuses it
{ cat base.yaml; printf 'sweep:\n  vary:\n    horizon: [30d, 60d]\n'; } > horizon.yaml
t validate-horizon 2 "^vouchsim: sweep: point 1 \\(horizon=60d\\) changes the sampling times" -- \
  "$vs" validate horizon.yaml
# --set in force at every point: it can make the section valid
t validate-set-fixes 0 "^block.yaml: ok" -- "$vs" validate block.yaml --set 'sweep.vary={"programs[0].coverage": [0.3, 0.5]}'
# a valid section validates, and without a section nothing changes
{ cat base.yaml; printf 'sweep:\n  vary:\n    programs[0].coverage: [0.3, 0.5, 0.9]\n    routing: nearest,west_first\n'; } > good.yaml
t validate-good 0 "^good.yaml: ok" -- "$vs" validate good.yaml
t validate-plain 0 "^base.yaml: ok" -- "$vs" validate base.yaml

echo "walkfix_i_sweep: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
