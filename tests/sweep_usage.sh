#!/bin/sh
# tests/sweep_usage.sh - sweep's usage errors end, as every command's do
#   (args_usage_error), with "try 'vouchsim sweep --help'": --vary that does
#   not parse, is given twice or does not suit the design, a --design that is
#   none of the three, --samples on a grid, nothing to vary. The same
#   mistakes in the scenario's sweep: section are scenario errors
#   (file:line:col:), without the line. Exit 2, nothing run.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp sweep_usage
tiny_scenario t.yaml 3d 5
try="try 'vouchsim sweep --help'"
b=programs.hefei-compute.budget
sw() { "$vs" sweep t.yaml -o s.h5 "$@"; }

exact vary-range 2 "vouchsim: sweep: --vary $b: a range is LO:HI or LO:HI:N with LO < HI in one unit (numbers, 30M, 12h) and N >= 2, got '1:x:3'
$try" -- sw --vary $b=1:x:3
exact vary-twice 2 "vouchsim: sweep: --vary $b is given twice
$try" -- sw --vary $b=1M,2M --vary $b=3M,4M
exact vary-grid-range 2 "vouchsim: sweep: --vary $b: a grid needs values: key=LO:HI:N (N levels) or key=v1,v2,..., got '1M:2M'
$try" -- sw --vary $b=1M:2M
exact vary-lhs-list 2 "vouchsim: sweep: --vary $b: --design lhs takes a range key=LO:HI, got '1M,2M'
$try" -- sw --design lhs --samples 4 --vary $b=1M,2M
exact design 2 "vouchsim: sweep: --design must be grid, lhs or sobol, got 'foo'
$try" -- sw --design foo --vary $b=1M,2M
exact samples-grid 2 "vouchsim: sweep: --samples applies only with --design lhs or sobol
$try" -- sw --samples 4 --vary $b=1M,2M
exact nothing 2 "vouchsim: sweep: nothing to vary: give --vary key=v1,v2,... (or key=LO:HI:N) or a sweep: section
$try" -- sw

# the scenario's section: its place, no line about the command's --help
cp t.yaml s.yaml
printf 'sweep:\n  vary: {%s: "1:x:3"}\n' $b >> s.yaml
exact section-range 2 "vouchsim: s.yaml:10:41: sweep.vary.$b: a range is LO:HI or LO:HI:N with LO < HI in one unit (numbers, 30M, 12h) and N >= 2, got '1:x:3'" -- \
  "$vs" sweep s.yaml -o s.h5
ok nothing-written test ! -e s.h5

echo "sweep_usage: $pass passed, $fail failed"
[ $fail -eq 0 ]
