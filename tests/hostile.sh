#!/bin/sh
# tests/hostile.sh - summary, plot and export on hostile result files.
#
# tests/mkbad breaks a good file (from tests/mkh5, and a short `run` for
# the dense groups of a real file) in every way listed in tests/mkbad.c:
# huge and overflowing dimensions, wrong types, missing and inconsistent
# parts, truncations, deterministic bit flips. Every file goes through
# the three readers under `ulimit -v` 512 MB and `timeout` 5 s. Always:
# no signal, no time-out, exit 0, 1 or 2; on failure one line on stderr
# naming the file, nothing at the final path and no temporary file left.
# bad-* must be refused by all three, badread-* by plot and export,
# flipheap-* (a corrupt link heap) must not even crash the checking child,
# badexp-* by export; ok-* (titles with quotes, backquotes, newlines and
# gnuplot commands) must be drawn, and no command may run.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$PWD/$b/vouchsim"
case $b in /*) vs="$b/vouchsim";; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostile.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0

"$b/tests/mkh5" "$tmp/good.h5" 3 || { echo "FAIL: mkh5"; exit 1; }
"$vs" run "$s/tests/data/small.yaml" --replications 2 --until 2025-02-15 -o "$tmp/run.h5" \
  --quiet >/dev/null 2>&1 || { echo "FAIL: vouchsim run"; exit 1; }
mkdir "$tmp/c" "$tmp/o"
"$b/tests/mkbad" "$tmp/good.h5" "$tmp/c" "" 24 || { echo "FAIL: mkbad"; exit 1; }
"$b/tests/mkbad" "$tmp/run.h5" "$tmp/c" run- 24 || { echo "FAIL: mkbad (run)"; exit 1; }
# of the real run's corpus, the bit flips are what the first does not cover
find "$tmp/c" -name 'run-*' ! -name 'run-flip*' -exec rm -f {} +

# the target of bad-link-*external: a FIFO, which would block whoever opens it
mkfifo "$tmp/c/bad-fifo.h5" 2>/dev/null || true

# ulimit -v and AddressSanitizer (which reserves terabytes) do not mix
limit="ulimit -v 524288;"
if ! (ulimit -v 524288 && "$vs" --help) >/dev/null 2>&1; then
  echo "note: vouchsim does not start under ulimit -v (sanitizers?): no memory limit"
  limit=
fi
has_timeout=$(command -v timeout)

nfiles=0
crashed=0
for f in "$tmp"/c/*.h5; do
  n=$(basename "$f" .h5)
  nfiles=$((nfiles + 1))
  for c in summary plot export; do
    rm -rf "$tmp/o" && mkdir "$tmp/o"
    case $c in
      summary) set -- summary "$f";;
      plot)    set -- plot "$f" --chart utilization -o "$tmp/o/chart.png";;
      export)  set -- export "$f" --csv "$tmp/o/csv";;
    esac
    # the working directory is $tmp/o: a `touch pwned` that ran lands there
    (cd "$tmp/o" && eval "$limit" && exec ${has_timeout:+timeout 5} "$vs" "$@") \
      >"$tmp/out" 2>"$tmp/err"
    rc=$?
    why=
    if [ $rc -eq 124 ]; then why="timed out"
    elif [ $rc -gt 2 ]; then why="exit $rc (a signal?)"
    fi
    case "$n:$c" in
      bad-*|run-bad-*|badread-*:plot|badread-*:export|badexp-*:export)
        [ $rc -eq 1 ] || [ $rc -eq 2 ] || why="${why:-exit $rc, want 1 or 2}";;
      ok-*)
        [ $rc -eq 0 ] || why="${why:-exit $rc, want 0}";;
    esac
    if [ $rc -ne 0 ] && [ -z "$why" ]; then
      [ "$(wc -l < "$tmp/err")" -eq 1 ] || why="$(wc -l < "$tmp/err") lines on stderr, want 1"
      grep -qF "$f" "$tmp/err" || why="${why:-the message does not name the file}"
      if [ $c = plot ] && ls "$tmp"/o/chart*.png >/dev/null 2>&1; then why="a chart was left"; fi
      if [ $c = export ] && [ -n "$(find "$tmp/o" -name '*.csv')" ]; then why="CSV files were left"; fi
    fi
    grep -q 'HDF5-DIAG\|#000:' "$tmp/err" && why="HDF5's error stack reached stderr"
    [ -n "$(find "$tmp/o" -name '.vouchsim-*')" ] && why="temporary files were left"
    [ -e "$tmp/o/pwned" ] || [ -e "$tmp/pwned" ] && why="a command from the file ran"
    if grep -q 'crashed reading it' "$tmp/err"; then
      crashed=$((crashed + 1))
      # listing links in name order made libhdf5 1.10 free garbage on a
      # corrupt link heap; the reader lists them in native order and sorts
      case $n in *flipheap-*) why="libhdf5 crashed on a link heap: listing in sorted order again?";; esac
    fi
    if [ -n "$why" ]; then
      echo "FAIL $n $c: $why"; sed 's/^/  | /' "$tmp/err" | head -5
      fail=$((fail + 1))
    else
      pass=$((pass + 1))
    fi
  done
done
# the reported files, message by message
expect() {  # FILE COMMAND PATTERN
  case $2 in
    plot) set -- "$1" "$3" plot "$tmp/c/$1.h5" --chart utilization -o "$tmp/o/x.png";;
    *)    set -- "$1" "$3" "$2" "$tmp/c/$1.h5" --csv "$tmp/o/csv";;
  esac
  f=$1 pat=$2; shift 2
  [ "$1" = summary ] && set -- summary "$2"
  out=$("$vs" "$@" 2>&1); rc=$?
  if [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -Eq -- "$pat"; then pass=$((pass + 1))
  else echo "FAIL message $f $1: exit $rc"; echo "$out" | sed 's/^/  | /'; fail=$((fail + 1)); fi
}
expect bad-series-2e62x4 plot '/runs/0000/series/region/utilization: expected [0-9]+ x 2 \(samples of /time x names in /entities/region\), found 4611686018427387904 x 4'
expect bad-series-2e32x2e32 export 'found 4294967296 x 4294967296'
expect bad-summary-2e26 summary '/summary: expected at most 3 rows, found 67108864'
expect bad-time-2e28 summary '/time/hours: expected at most 1000000 samples, found 268435456'
expect badexp-run1-rows export '/runs/0001/series/region/utilization: expected [0-9]+ x 2 .*found [0-9]+ x 2'
expect bad-trunc-512 summary 'bad-trunc-512\.h5: cannot open: truncated file'

echo "hostile: $nfiles files; libhdf5 crashed (in the checking child) on $crashed runs, reported as exit 2"
echo "hostile: $pass passed, $fail failed"
[ $fail -eq 0 ]
