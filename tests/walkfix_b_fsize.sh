#!/bin/sh
# tests/walkfix_b_fsize.sh - under a file-size limit (ulimit -f, set in a
# subshell), a command that writes a file ends like on a full disk: exit 1,
# one line naming the file and the limit and a second saying what to do
# (walkfix_c: raise the limit, or write less), nothing left behind (no temporary
# file, no lock, no .parts directory), never killed by SIGXFSZ (exit 153,
# no message). Then --resume: fragments an interrupted run kept survive a
# merge that fails on the limit, and the same command without the limit
# finishes, bit-identical to a run never interrupted.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_b_fsize.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
scn="$s/scenarios/china-2025.yaml"
pol="$s/scenarios/west-first.yaml"
# the limit is in blocks of 512 bytes (POSIX; dash, and bash as sh)
limited() { (ulimit -f "$1" && shift && exec "$@"); }
# the error line, then the advice (tests/walkfix_c_fsize.sh checks its words)
one_line() { [ "$(wc -l < "$1")" -eq 2 ] && sed -n 2p "$1" | grep -Eq '^vouchsim: (raise the|the) file size limit'; }
empty() { [ -z "$(ls -A "$1")" ]; }
# NAME LIMIT FILE-ERE COMMAND...: run in an empty directory d/ under LIMIT
limit_case() {
  lc=$1 lc_lim=$2 lc_pat=$3; shift 3
  rm -rf d && mkdir d
  limited "$lc_lim" "$@" > "$lc.out" 2> "$lc.err"
  echo $? > "$lc.rc"
  ok "$lc-exit-1" [ "$(cat "$lc.rc")" -eq 1 ]
  ok "$lc-one-line" one_line "$lc.err"
  ok "$lc-names-file-and-limit" grep -Eq \
    "^vouchsim: .*$lc_pat: File too large: it would pass the file size limit of $((lc_lim * 512)) bytes \\(ulimit -f\\)\$" \
    "$lc.err"
  ok "$lc-nothing-left" empty d
  [ "$(cat "$lc.rc")" -eq 1 ] && one_line "$lc.err" && empty d || sed 's/^/  | /' "$lc.err"
}

# run: a fragment passes the limit (300 KiB), the merged file does (1000 KiB)
limit_case run-fragment 600 'd/f\.h5\.parts/run-000[0-3]\.h5' \
  "$vs" run "$scn" -r 4 --until 2025-06-01 -o d/f.h5
limit_case run-merge 2000 'd/f\.h5' "$vs" run "$scn" -r 4 --until 2025-06-01 -o d/f.h5
limit_case sweep 2000 'd/s\.h5' "$vs" sweep "$scn" \
  --vary programs.shandong-compute.coverage=0.3,0.6 -r 2 --until 2025-06-01 -o d/s.h5 --quiet
limit_case compare 2000 'd/c\.h5\.arms/base\.h5' \
  "$vs" compare "$scn" "$pol" -r 2 --until 2025-06-01 -o d/c.h5

# the input of export and plot, written without a limit
t input 0 'wrote in\.h5' -- "$vs" run "$scn" -r 2 --until 2025-06-01 -o in.h5
# export and plot (which writes gnuplot's data files, then gnuplot the
# chart: with 100 KiB the data fit and the chart does not) say the file and
# the system's reason; nothing is left
for case in export:20 export:80 plot:40 plot:200; do
  cmd=${case%%:*} lim=${case#*:}
  rm -rf d && mkdir d
  if [ "$cmd" = export ]; then
    limited "$lim" "$vs" export in.h5 --csv d/csv > "$cmd$lim.out" 2> "$cmd$lim.err"
    rc=$?
    pat='^vouchsim: export: d/csv/.*\.csv: cannot write: File too large$'
  else
    command -v gnuplot >/dev/null 2>&1 || [ -n "${VOUCHSIM_GNUPLOT:-}" ] || continue
    limited "$lim" "$vs" plot in.h5 --chart utilization -o d/u.png > "$cmd$lim.out" 2> "$cmd$lim.err"
    rc=$?
    pat='^vouchsim: plot: d/u\.png: cannot write .*File too large$'
  fi
  ok "$cmd-$lim-exit-1" [ $rc -eq 1 ]
  ok "$cmd-$lim-one-line" one_line "$cmd$lim.err"
  ok "$cmd-$lim-says-why" grep -Eq "$pat" "$cmd$lim.err"
  ok "$cmd-$lim-nothing-left" empty d
done

# --resume after a failed merge: an interrupted run keeps its fragments;
# --resume under the limit runs the rest and fails at the merge, keeping the
# finished runs in the .parts directory that was there and saying how many;
# --resume without the limit then only merges. The signal goes once the
# first fragment exists.
rm -rf d && mkdir d
args="$scn -r 8 -j 1 --until 2025-06-01 -o d/r.h5"
# shellcheck disable=SC2086
signal_when intr INT "[ -e d/r.h5.parts/run-0000.h5 ]" "$vs" run $args
ok resume-interrupted [ "$(cat intr.rc)" -eq 130 ]
kept=$(ls d/r.h5.parts | grep -c '^run-')
ok resume-kept-some [ "$kept" -ge 1 ] && [ "$kept" -lt 8 ]
# shellcheck disable=SC2086
limited 2000 "$vs" run --resume $args > rl.out 2> rl.err
ok resume-limit-exit-1 [ $? -eq 1 ]
kept2=$(ls d/r.h5.parts | grep -c '^run-')
ok resume-limit-kept-before [ "$kept2" -ge "$kept" ]
ok resume-limit-says-limit grep -Eq \
  "^vouchsim: d/r\\.h5: File too large: it would pass the file size limit of 1024000 bytes \\(ulimit -f\\); $kept2 finished runs? kept in d/r\\.h5\\.parts/ for --resume\$" rl.err
ok resume-limit-no-file test ! -e d/r.h5
ok resume-limit-no-temp test -z "$(find d -name '.*')"
# shellcheck disable=SC2086
t resume-finishes 0 "8 runs \\($kept2 resumed from d/r\\.h5\\.parts, $((8 - kept2)) run now\\)" -- \
  "$vs" run --resume $args
ok resume-no-parts test ! -e d/r.h5.parts
t whole 0 '' -- "$vs" run "$scn" -r 8 -j 1 --until 2025-06-01 -o whole.h5
t resume-bit-identical 0 '' -- "$b/tests/h5cmp" d/r.h5 whole.h5

echo "walkfix_b_fsize: $pass passed, $fail failed"
[ $fail -eq 0 ]
