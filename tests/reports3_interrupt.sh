#!/bin/sh
# tests/reports3_interrupt.sh - Ctrl-C (SIGINT) and SIGTERM with stderr not
# a terminal (a file here, as a log or a batch job's output is): stderr
# starts with the message, not with the empty line that ends a progress
# line on a terminal. optimize's handler (tools/cmd_optimize.c). The signal
# goes once the journal holds a finished run, so the handler is in place
# (the test waits for the file, not for a time).
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports3_int.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# NAME SIGNAL JOURNAL COMMAND...: runs COMMAND with stderr to NAME.err,
# signals it once JOURNAL holds a run (a line after its header)
interrupt() {
  name=$1 sig=$2 journal=$3; shift 3
  signal_when "$name" "$sig" "[ \"\$(cat '$journal' 2>/dev/null | wc -l)\" -ge 2 ]" "$@"
}

# a selection that would go on to its cap (delta far below the difference's
# noise): 30-day M/M/c runs, stopped after the first chunk. (vouchsim itself
# in the background, not a shell function, so that the signal reaches it.)
set -- optimize "$s/scenarios/mmc.yaml" --set cities.testville.arrivals=240 --set horizon=30d \
  --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h --delta 1e-9 \
  --max-replications 100000 -j 1 --quiet
msg='^vouchsim: interrupted: [0-9]+ finished runs? kept in .*\.yaml\.journal; to go on from them, run the same command with --resume:$'
for sig in INT TERM; do
  interrupt "opt$sig" $sig "opt$sig.yaml.journal" "$vs" "$@" -o "opt$sig.yaml"
  want=$([ $sig = INT ] && echo 130 || echo 143)
  ok "opt-$sig-exit" [ "$(cat "opt$sig.rc")" -eq "$want" ]
  ok "opt-$sig-first-line" sh -c "head -1 opt$sig.err | grep -Eq '$msg'"
  ok "opt-$sig-no-empty-line" sh -c "! grep -q '^\$' opt$sig.err"
  ok "opt-$sig-no-cr" sh -c "! grep -q \"\$(printf '\\r')\" opt$sig.err"
done

echo "reports3_interrupt: $pass passed, $fail failed"
[ $fail -eq 0 ]
