#!/bin/sh
# tests/optimize_usage.sh - optimize's usage errors end, as every command's
#   do (args_usage_error), with "try 'vouchsim optimize --help'": an
#   objective or constraint on the command line that does not parse or
#   names no scalar, --vary that does not parse or is given twice, and a
#   missing objective, --delta or --vary, --max-replications below --n0.
#   The same mistakes in the scenario's optimize: section are scenario
#   errors (file:line:col:), without the line. Exit 2, nothing run.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp optimize_usage
tiny_scenario t.yaml 3d 5
try="try 'vouchsim optimize --help'"
g=datacenters.wuhu.gpus
opt() { "$vs" optimize t.yaml --n0 2 --max-replications 2 -o o.yaml "$@"; }

exact max-trailing 2 "vouchsim: optimize: --maximize 'gpu_hours_total +': column 18: expected a number, a scalar, {key} or '(' at the end
$try" -- opt --vary $g=32,64 --delta 0.5 --maximize 'gpu_hours_total +'
exact min-unknown 2 "vouchsim: optimize: --minimize 'nosuch': column 1: unknown scalar 'nosuch' (the names are those of \`vouchsim summary FILE --format csv\`; a decision variable is written {key})
$try" -- opt --vary $g=32,64 --delta 0.5 --minimize nosuch
exact subject-to 2 "vouchsim: optimize: --subject-to 'x <': a constraint is EXPR <= EXPR or EXPR >= EXPR [tol EPS]
$try" -- opt --vary $g=32,64 --delta 0.5 --maximize gpu_hours_total --subject-to 'x <'
exact vary-range 2 "vouchsim: optimize: --vary $g: a range is LO:HI or LO:HI:N with LO < HI in one unit (numbers, 30M, 12h) and N >= 2, got '1:a'
$try" -- opt --vary $g=1:a --delta 0.5 --maximize gpu_hours_total
exact vary-twice 2 "vouchsim: optimize: --vary $g is given twice
$try" -- opt --vary $g=32,64 --vary $g=16,32 --delta 0.5 --maximize gpu_hours_total
exact no-objective 2 "vouchsim: optimize: give the objective, --maximize EXPR or --minimize EXPR (or optimize: maximize: in the scenario)
$try" -- opt --vary $g=32,64 --delta 0.5
exact no-delta 2 "vouchsim: optimize: give the indifference zone --delta D (in the objective's unit): the smallest difference worth telling apart
$try" -- opt --vary $g=32,64 --maximize gpu_hours_total
exact no-vary 2 "vouchsim: optimize: nothing to choose: give --vary key=v1,v2,... or key=LO:HI
$try" -- opt --delta 0.5 --maximize gpu_hours_total
exact max-below-n0 2 "vouchsim: optimize: --max-replications 2 is below --n0 3
$try" -- opt --vary $g=32,64 --delta 0.5 --maximize gpu_hours_total --n0 3

# the scenario's section: its place, no line about the command's --help
cp t.yaml s.yaml
cat >> s.yaml <<'YAML'
optimize:
  maximize: "gpu_hours_total +"
  delta: 0.5
  vary: {datacenters.wuhu.gpus: "32,64"}
YAML
exact section-objective 2 "s.yaml:10:13: optimize.maximize: 'gpu_hours_total +': column 18: expected a number, a scalar, {key} or '(' at the end" -- \
  "$vs" optimize s.yaml -o o.yaml
ok nothing-written test ! -e o.yaml -a ! -e o.yaml.journal

echo "optimize_usage: $pass passed, $fail failed"
[ $fail -eq 0 ]
