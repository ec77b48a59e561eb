#!/bin/sh
# tests/walkfix_c_hints.sh - a first-time user's findings in what vouchsim
# tells them to do:
#   5. a write refused by the file size limit (ulimit -f, in a subshell)
#      says what to do on a second line: raise the limit, or write less
#      (per command); export and plot give the limit itself
#   7. the --resume line after an interruption names the program as it was
#      invoked (argv[0]: a path with a space and a quote, or a bare name
#      found on PATH), every word quoted for a POSIX shell, and pasted into
#      sh from the same directory it goes on from the kept runs
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_c_hints.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
scn="$s/scenarios/china-2025.yaml"
limited() { (ulimit -f "$1" && shift && exec "$@"); }

# ---- 5. ulimit -f: the advice ----
# NAME LIMIT ADVICE COMMAND...: exit 1, the error line, then ADVICE exactly
advice() {
  a_name=$1 a_lim=$2 a_want=$3; shift 3
  rm -rf d && mkdir d
  limited "$a_lim" "$@" > "$a_name.out" 2> "$a_name.err"
  a_rc=$?
  ok "$a_name-exit-1" [ $a_rc -eq 1 ]
  ok "$a_name-two-lines" [ "$(wc -l < "$a_name.err")" -eq 2 ]
  ok "$a_name-error-first" sh -c 'sed -n 1p "$1" | grep -q "File too large"' sh "$a_name.err"
  ok "$a_name-advice" [ "$(sed -n 2p "$a_name.err")" = "$a_want" ]
  [ $a_rc -eq 1 ] && [ "$(sed -n 2p "$a_name.err")" = "$a_want" ] || sed 's/^/  | /' "$a_name.err"
}
runs="vouchsim: raise the file size limit (ulimit -f unlimited), or write less: fewer replications (-r), an earlier --until"
advice run 600 "$runs" "$vs" run "$scn" -r 2 --until 2025-06-01 -o d/f.h5
advice compare 2000 "$runs" "$vs" compare "$scn" "$s/scenarios/west-first.yaml" -r 2 \
  --until 2025-06-01 -q -o d/c.h5
advice sweep 2000 "vouchsim: raise the file size limit (ulimit -f unlimited), or write less: --totals-only (no series), fewer replications (-r) or points, an earlier --until" \
  "$vs" sweep "$scn" --vary programs.shandong-compute.coverage=0.3,0.6 -r 2 --until 2025-06-01 -q -o d/s.h5
# the advice is true: --totals-only fits under the same limit
t sweep-totals-only-fits 0 '' -- limited 2000 "$vs" sweep "$scn" --vary programs.shandong-compute.coverage=0.3,0.6 \
  -r 2 --until 2025-06-01 -q --totals-only -o d/s.h5
t input 0 '' -- "$vs" run "$scn" -r 2 --until 2025-06-01 -q -o in.h5
advice export 20 "vouchsim: the file size limit (ulimit -f) is 10240 bytes: raise it (ulimit -f unlimited)" \
  "$vs" export in.h5 --csv d/csv
if command -v gnuplot >/dev/null 2>&1 || [ -n "${VOUCHSIM_GNUPLOT:-}" ]; then
  advice plot 40 "vouchsim: the file size limit (ulimit -f) is 20480 bytes: raise it (ulimit -f unlimited)" \
    "$vs" plot in.h5 --chart utilization -o d/u.png
fi
# no limit, another failure: no advice
mkdir ro && chmod 500 ro
if ! touch ro/probe 2>/dev/null; then
  t no-limit-no-advice 1 '' -- "$vs" run "$scn" -r 1 --until 2025-01-15 -q -o ro/x.h5
  ok no-limit-one-line [ "$("$vs" run "$scn" -r 1 --until 2025-01-15 -q -o ro/x.h5 2>&1 | grep -c 'file size limit')" -eq 0 ]
fi
chmod 700 ro

# ---- 7. the --resume line ----
nat="$s/scenarios/national.yaml"
dir="it's a dir"
mkdir "$dir" bin
ln -s "$vs" "$dir/vouch sim"
ln -s "$vs" bin/vouchsim
# NAME PROGRAM OUT: interrupt PROGRAM run ... -o OUT once a run is kept
interrupt() {
  ready="$3.parts/run-0000.h5"
  signal_when "$1" INT '[ -e "$ready" ]' \
    "$2" run "$nat" --until 2025-01-05 --set warmup=90d -r 4 -j 1 -o "$3"
}
# as ./PATH with a space and a quote, into a file with a quote
interrupt q "./$dir/vouch sim" "o'q.h5"
ok q-exit-130 [ "$(cat q.rc)" -eq 130 ]
ok q-says-resume grep -q 'to go on from them, run the same command with --resume:$' q.err
ok q-line [ "$(sed -n 2p q.err)" = "  './it'\\''s a dir/vouch sim' run --resume $nat --until 2025-01-05 --set warmup=90d -r 4 -j 1 -o 'o'\\''q.h5'" ]
[ "$(cat q.rc)" -eq 130 ] || sed 's/^/  | /' q.err
# pasted into sh: goes on from the kept runs
sh -c "$(sed -n 2p q.err)" > q2.out 2>&1
ok q-pasted-exit-0 [ $? -eq 0 ]
ok q-pasted-resumes grep -q "4 runs ([1-3] resumed from o'q.h5.parts" q2.out
ok q-pasted-wrote [ -s "o'q.h5" ]
# found on PATH: the bare name
(PATH="$tmp/bin:$PATH"; export PATH; interrupt p vouchsim p.h5)
ok p-exit-130 [ "$(cat p.rc)" -eq 130 ]
ok p-line [ "$(sed -n 2p p.err)" = "  vouchsim run --resume $nat --until 2025-01-05 --set warmup=90d -r 4 -j 1 -o p.h5" ]
PATH="$tmp/bin:$PATH" sh -c "$(sed -n 2p p.err)" > p2.out 2>&1
ok p-pasted-resumes grep -q "4 runs ([1-3] resumed from p.h5.parts" p2.out
# a program name that is not a plain word is quoted even without a space
ln -s "$vs" "bin/vs=x"
(PATH="$tmp/bin:$PATH"; export PATH; interrupt e 'vs=x' e.h5)
ok e-line-quoted [ "$(sed -n 2p e.err | cut -d' ' -f3-5)" = "'vs=x' run --resume" ]

# optimize's "scenario: FILE (vouchsim run FILE)": the program as invoked,
# the file quoted, and the line's command pasted into sh runs the choice
mmc="$s/scenarios/mmc.yaml"
"$vs" optimize "$mmc" --vary 'datacenters[0].gpus=100,120' --maximize gpu_hours_total \
  --delta 1000 --n0 2 --max-replications 2 --until 2025-01-03 -o 'best 2.yaml' > o.out 2> o.err
hint=$(grep '^scenario: ' o.out)
ok opt-hint-quoted [ "$hint" = "scenario: best 2.yaml ($vs run 'best 2.yaml')" ]
cmd=$(printf '%s\n' "$hint" | sed 's/^scenario: best 2.yaml (//; s/)$//')
sh -c "$cmd --until 2025-01-02 -q -o pasted.h5" > o2.out 2>&1
ok opt-hint-pasted [ -s pasted.h5 ]

echo "walkfix_c_hints: $pass passed, $fail failed"
[ $fail -eq 0 ]
