# tests/lib.sh - what the shell tests share: sourced, not run.
#   t NAME WANT_STATUS GREP_PATTERN -- COMMAND...   runs COMMAND, checks its
#       exit status and that its output (stdout and stderr) matches the ERE
#   ok NAME CONDITION...                           passes when CONDITION is true
# Both count into $pass and $fail; print the closing line with
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
