#!/bin/sh
# tests/cli.sh - the command line as a user meets it: help, version, exit
# statuses, and the hold benchmark's output line.
b=${top_builddir:-.}
vs="$b/vouchsim"
fail=0
pass=0
t() {   # t NAME WANT_STATUS GREP_PATTERN -- COMMAND...
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
t help 0 'usage: vouchsim' -- "$vs" --help
t version 0 '^vouchsim [0-9]+\.[0-9]+' -- "$vs" --version
t no-args 2 'usage' -- "$vs"
t unknown-command 2 "unknown command 'frobnicate'" -- "$vs" frobnicate
t bench-hold 0 'events=20000 .*events_per_sec=[0-9]+' -- "$vs" bench hold --pending 100 --events 20000
t bench-bad-arg 2 "bad argument '--pending'" -- "$vs" bench hold --pending x
t bench-zero 2 'pending must be' -- "$vs" bench hold --pending 0
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
