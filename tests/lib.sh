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
