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

# exact NAME WANT_STATUS TEXT -- COMMAND...: COMMAND's output is TEXT
exact() {
  name=$1 want=$2 text=$3; shift 4
  out=$("$@" 2>&1); got=$?
  if [ "$got" -ne "$want" ] || [ "$out" != "$text" ]; then
    echo "FAIL $name: exit $got (want $want)"; echo "  got:  $out"; echo "  want: $text"
    fail=$((fail + 1)); return
  fi
  pass=$((pass + 1))
}

mkdir -p data/scenarios work
cat > data/scenarios/tiny.yaml <<'EOF'
start: 2025-01-01
horizon: 3d
cities:
  - {name: hefei, region: east, arrivals: 5}
datacenters:
  - {name: wuhu, region: east, gpus: 64, price: 12}
programs:
  - {name: hefei-compute, city: hefei, kind: compute, budget: 10M, coverage: 0.5}
EOF
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
