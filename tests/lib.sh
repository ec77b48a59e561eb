# tests/lib.sh - what the shell tests share: sourced, not run.
#   t NAME WANT_STATUS GREP_PATTERN -- COMMAND...   runs COMMAND, checks its
#       exit status and that its output (stdout and stderr) matches the ERE
#   ok NAME CONDITION...                           passes when CONDITION is true
#   exact, setup_tmp, tiny_scenario, signal_when, fake_gnuplot,
#   need_gnuplot, kept: below
# t, ok and exact count into $pass and $fail; print the closing line with
#   echo "NAME: $pass passed, $fail failed"; [ $fail -eq 0 ]
fail=0
pass=0
t() {
  name=$1 want=$2 pat=$3; shift 4
  out=$("$@" 2>&1); got=$?
  if [ "$got" -ne "$want" ]; then
    echo "FAIL $name: exit $got, want $want"; echo "$out" | sed 's/^/  | /'; fail=$((fail + 1)); return
  fi
  if [ -n "$pat" ] && ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
    echo "FAIL $name: output lacks /$pat/"; echo "$out" | sed 's/^/  | /'; fail=$((fail + 1)); return
  fi
  pass=$((pass + 1))
}
ok() {
  name=$1; shift
  if "$@"; then pass=$((pass + 1)); else echo "FAIL $name"; fail=$((fail + 1)); fi
}
# signal_when NAME SIGNAL READY COMMAND...: runs COMMAND in the background
#   (stdout dropped, stderr to NAME.err), sends it SIGNAL once the shell
#   condition READY holds (polled every 50 ms, at most 2 minutes, or until
#   COMMAND ends), waits for it and writes its exit status to NAME.rc.
#   READY is the test's own literal text (eval'd), never user input.
signal_when() {
  sw_name=$1 sw_sig=$2 sw_ready=$3; shift 3
  "$@" 2> "$sw_name.err" > /dev/null &
  sw_pid=$!
  sw_i=0
  while ! eval "$sw_ready" && [ $sw_i -lt 2400 ]; do
    kill -0 $sw_pid 2>/dev/null || break
    sleep 0.05; sw_i=$((sw_i + 1))
  done
  kill -"$sw_sig" $sw_pid
  wait $sw_pid
  echo $? > "$sw_name.rc"
}
# setup_tmp NAME: the preamble of a test that runs vouchsim: b and s (the
#   build and source trees, absolute), vs (the binary), a private
#   directory $tmp (NAME.XXXXXX) made the working directory and removed at
#   exit, after killing the processes whose ids the test left in
#   $tmp/*.pid (its gnuplot stand-ins). Source this file as
#   . "${top_srcdir:-.}/tests/lib.sh" first.
setup_tmp() {
  b=$(cd "${top_builddir:-.}" && pwd) || exit 1
  s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
  vs="$b/vouchsim"
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX") || exit 1
  trap 'for f in "$tmp"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$tmp"' EXIT
  cd "$tmp" || exit 1
}
# fake_gnuplot PATH: writes a gnuplot stand-in (for VOUCHSIM_GNUPLOT) to
#   PATH: its first $FAKE_DRAW calls draw a small SVG each (counted in
#   $FAKE_OUT.n, tagged $FAKE_TAG); the next writes its pid to $FAKE_OUT.pid (the test's
#   cue to signal vouchsim) and sleeps 60 s ignoring SIGINT, SIGTERM and
#   SIGHUP, as a gnuplot blocking them would (with FAKE_FAIL set it fails
#   instead: exit 1).
fake_gnuplot() {
  cat > "$1" <<'GP'
#!/bin/sh
n=$(cat "$FAKE_OUT.n" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$FAKE_OUT.n"
if [ "$n" -le "$FAKE_DRAW" ]; then
  printf '<svg xmlns="http://www.w3.org/2000/svg"><!-- %s chart %s --></svg>\n' "${FAKE_TAG:-}" "$n"
  exit 0
fi
[ -n "${FAKE_FAIL:-}" ] && { echo "fake gnuplot: failing" >&2; exit 1; }
trap '' INT TERM HUP
echo $$ > "$FAKE_OUT.pid.tmp" && mv "$FAKE_OUT.pid.tmp" "$FAKE_OUT.pid"
exec sleep 60
GP
  chmod +x "$1"
}
# exact NAME WANT_STATUS TEXT -- COMMAND...: passes when COMMAND exits
#   with WANT_STATUS and its output is TEXT exactly: stdout and stderr
#   together, or stderr alone when EXACT_STDERR=1. With EXACT_NONE=FILE,
#   FILE is removed first and must not be there after (a command refused
#   writes nothing).
exact() {
  name=$1 want=$2 text=$3; shift 4
  [ -n "${EXACT_NONE:-}" ] && rm -f "$EXACT_NONE"
  if [ "${EXACT_STDERR:-0}" = 1 ]; then out=$("$@" 2>&1 >/dev/null); got=$?
  else out=$("$@" 2>&1); got=$?; fi
  if [ "$got" -ne "$want" ] || [ "$out" != "$text" ] \
     || { [ -n "${EXACT_NONE:-}" ] && [ -e "$EXACT_NONE" ]; }; then
    echo "FAIL $name: exit $got (want $want)"; printf '  got:  %s\n  want: %s\n' "$out" "$text"
    fail=$((fail + 1)); return
  fi
  pass=$((pass + 1))
}
# tiny_scenario FILE HORIZON ARRIVALS: writes the smallest whole scenario
#   (one city, one data center, one compute program) to FILE; its
#   eight lines, so a key appended is on line 9.
tiny_scenario() {
  cat > "$1" <<TINY
start: 2025-01-01
horizon: $2
cities:
  - {name: hefei, region: east, arrivals: $3}
datacenters:
  - {name: wuhu, region: east, gpus: 64, price: 12}
programs:
  - {name: hefei-compute, city: hefei, kind: compute, budget: 10M, coverage: 0.5}
TINY
}
# need_gnuplot: skips the test (exit 77) when there is no gnuplot to run
#   (nor a stand-in in VOUCHSIM_GNUPLOT).
need_gnuplot() {
  if ! command -v gnuplot >/dev/null 2>&1 && [ -z "${VOUCHSIM_GNUPLOT:-}" ]; then
    echo "SKIP: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77
  fi
}
# kept NAME ARGS...: plots ARGS into $tmp/NAME/c.png keeping the private
#   directory (VOUCHSIM_KEEP_PLOT_FILES=1; the output in $tmp/NAME/out);
#   $k is that directory afterwards, $st (and the return) plot's status.
kept() {
  d="$tmp/$1"; shift
  rm -rf "$d"; mkdir "$d"
  VOUCHSIM_KEEP_PLOT_FILES=1 "$vs" plot "$@" -o "$d/c.png" > "$d/out" 2>&1
  st=$?
  k=$(ls -d "$d"/.vouchsim-plot-* 2>/dev/null | head -1)
  return $st
}
