#!/bin/sh
# tests/reports3_interrupt_runs.sh - Ctrl-C (SIGINT) and SIGTERM during a
# run or a sweep with an output file, stderr not a terminal (a file, as a
# log or a batch job's output is): stderr starts with the message, not
# with the empty line that ends a progress line on a terminal (which is
# drawn only there). The message is composed in tools/experiment.c
# (interrupt_say).
# The signal goes once the first fragment exists (the test waits for the
# file, not for a time), as in tests/reports.sh. The sweep is --quiet:
# its cost estimate would otherwise come first.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports3_intr.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

nat="$s/scenarios/national.yaml"
interrupt() {   # NAME SIGNAL PARTS COMMAND...: signals COMMAND after its first fragment
  name=$1 sig=$2 parts=$3; shift 3
  signal_when "$name" "$sig" "[ -e '$parts/run-0000.h5' ] || [ -e '$parts/run-0001.h5' ]" "$@"
}
check() {   # NAME EXIT FIRST-LINE-ERE
  ok "$1-exit" [ "$(cat "$1.rc")" -eq "$2" ]
  ok "$1-first-line" sh -c "head -1 $1.err | grep -Eq '$3'"
  ok "$1-no-empty-line" sh -c "! grep -q '^\$' $1.err"
}
interrupt run INT int.h5.parts "$vs" run "$nat" --until 2025-01-05 --set warmup=90d -r 6 -j 1 -o int.h5
check run 130 '^vouchsim: interrupted: [1-5] of 6 runs finished and kept in int.h5.parts/'
interrupt sweep TERM sw.h5.parts "$vs" sweep "$nat" --until 2025-01-05 --set warmup=90d \
  --vary 'programs[0].coverage=0.3,0.6,0.9' -j 1 -o sw.h5 --quiet
check sweep 143 '^vouchsim: interrupted: [1-2] of 3 runs finished and kept in sw.h5.parts/'

echo "reports3_interrupt_runs: $pass passed, $fail failed"
[ $fail -eq 0 ]
