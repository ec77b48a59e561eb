#!/bin/sh
# tests/walkfix_i_hint.sh - summary, plot and export given the name of a
# scenario that `run` finds (a shipped one, or NAME.yaml here) rather than
# a result file say so, with the command that works; the command given
# then works. A name run does not find gets no hint.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_i_hint.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1


mkdir -p data/scenarios work
tiny_scenario data/scenarios/tiny.yaml 3d 5
cp data/scenarios/tiny.yaml work/here.yaml
cd work || exit 1
export VOUCHSIM_DATADIR="$tmp/data"
export PATH="$b:$PATH"

# a shipped scenario's name, with and without .yaml
exact summary-shipped 2 "vouchsim: summary: tiny: No such file or directory (a scenario? run it first: vouchsim run tiny -o tiny.h5)" -- \
  vouchsim summary tiny
exact plot-shipped-yaml 2 "vouchsim: plot: tiny.yaml: No such file or directory (a scenario? run it first: vouchsim run tiny.yaml -o tiny.h5)" -- \
  vouchsim plot tiny.yaml
exact export-shipped 2 "vouchsim: export: tiny: No such file or directory (a scenario? run it first: vouchsim run tiny -o tiny.h5)" -- \
  vouchsim export tiny --csv out
# a NAME.yaml here, by NAME
exact summary-here 2 "vouchsim: summary: here: No such file or directory (a scenario? run it first: vouchsim run here -o here.h5)" -- \
  vouchsim summary here
# names run does not find, and paths: no hint
exact summary-unknown 2 "vouchsim: summary: nothing: No such file or directory" -- vouchsim summary nothing
exact summary-path 2 "vouchsim: summary: ./tiny: No such file or directory" -- vouchsim summary ./tiny
exact summary-h5 2 "vouchsim: summary: tiny.h5: No such file or directory" -- vouchsim summary tiny.h5
# the command given works, and then so does summary
t hinted-run 0 "" -- vouchsim run tiny -o tiny.h5 --quiet
t summary-after 0 "gpu_hours_total" -- vouchsim summary tiny.h5

echo "walkfix_i_hint: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
