#!/bin/sh
# tests/cli.sh - the command line as a user meets it: help, version, exit
# statuses, and the hold benchmark's output line.
b=${top_builddir:-.}
vs="$b/vouchsim"
. "${top_srcdir:-.}/tests/lib.sh"
t help 0 'usage: vouchsim' -- "$vs" --help
t version 0 '^vouchsim [0-9]+\.[0-9]+' -- "$vs" --version
t no-args 2 'usage' -- "$vs"
t unknown-command 2 "unknown command 'frobnicate'" -- "$vs" frobnicate
t bench-hold 0 'events=20000 .*events_per_sec=[0-9]+' -- "$vs" bench hold --pending 100 --events 20000
t bench-bad-arg 2 "--pending takes a whole number from 1 to 100000000, got 'x'" -- "$vs" bench hold --pending x
t bench-zero 2 "--pending takes a whole number from 1 to 100000000, got '0'" -- "$vs" bench hold --pending 0
echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
