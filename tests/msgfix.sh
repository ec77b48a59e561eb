#!/bin/sh
# tests/msgfix.sh - messages a first-time user met, in the house format:
# a --set key path that names nothing at --set:N:COL of the step that
# does (with the names near it), a --set without a key, --until out of the
# scenario's range and a mistyped --by as usage errors (with the try
# line), a did-you-mean for a mistyped scalar of optimize's objective, and
# the warning for an amount of money written as a bare small number.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp msgfix
tiny_scenario base.yaml 30d 20
cp "$s/scenarios/minimal.yaml" m.yaml

# exact (tests/lib.sh): stderr alone, exit status
EXACT_STDERR=1

# ---- --set key paths: at the step that names nothing ----
exact set-no-item 2 "--set:1:10: programs.nosuch: no item named 'nosuch' in 'programs' (items: hefei-compute)" -- \
  "$vs" run base.yaml -q -o o.h5 --set programs.nosuch.budget=5M
exact set-near-item 2 "--set:2:10: programs.hefei-compte: no item named 'hefei-compte' in 'programs' (did you mean 'hefei-compute'?)" -- \
  "$vs" validate base.yaml --set seed=1 --set programs.hefei-compte.budget=5M
exact set-no-index 2 "--set:1:9: programs[9]: no item [9] in 'programs' (it has 1)" -- \
  "$vs" run base.yaml -q -o o.h5 --set 'programs[9].budget=5M'
exact set-top-key 2 "--set:2:1: firmz: no key 'firmz' in the scenario (did you mean 'firms'?)" -- \
  "$vs" validate base.yaml --set firms={} --set firmz.jobs=3
exact set-near-key 2 "--set:1:13: programs[0].coverag: no key 'coverag' in 'programs[0]' (did you mean 'coverage'?)" -- \
  "$vs" validate base.yaml --set 'programs[0].coverag.x=1'
exact set-value-not-map 2 "--set:1:7: start.day: 'start' is a value, not a mapping" -- \
  "$vs" validate base.yaml --set start.day=3
exact set-double-dot 2 "--set:1:10: programs..budget: expected a key after '.'" -- \
  "$vs" validate base.yaml --set programs..budget=3
exact set-bad-value 2 "--set:1:9: name: bad value: did not find expected node content" -- \
  "$vs" validate base.yaml --set 'name=[1,'
# --vary names the same step, at its column in that --vary
exact vary-no-item 2 "--vary:1:10: programs.nosuch: no item named 'nosuch' in 'programs' (items: hefei-compute)
vouchsim: sweep: point 0 (programs.nosuch.coverage=0.1) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep base.yaml --vary 'programs.nosuch.coverage=0.1,0.2' -r 1 -o s.h5

# ---- usage errors: one line and the try line ----
exact set-no-key-path 2 "vouchsim run: --set takes key=value, got '=5'
try 'vouchsim run --help'" -- "$vs" run base.yaml -q -o o.h5 --set =5
exact vary-no-key-path 2 "vouchsim sweep: --vary takes key=v1,v2,... or key=LO:HI[:N], got '=1,2'
try 'vouchsim sweep --help'" -- "$vs" sweep base.yaml --vary =1,2 -o s.h5
exact until-before-start 2 "vouchsim run: --until: expected a date (YYYY-MM-DD) after the scenario's start (2025-01-01), got '2024-01-01'
try 'vouchsim run --help'" -- "$vs" run base.yaml -q -o o.h5 --until 2024-01-01
exact until-validate 2 "vouchsim validate: --until: expected a date (YYYY-MM-DD) after the scenario's start (2025-01-01), got '2025-01-01'
try 'vouchsim validate --help'" -- "$vs" validate base.yaml --until 2025-01-01
exact until-no-month 2 "vouchsim run: --until: no month 13 in date '2025-13-01'
try 'vouchsim run --help'" -- "$vs" run base.yaml -q -o o.h5 --until 2025-13-01
# --by is checked before the file is read: x.h5 does not exist
exact by-near 2 "vouchsim summary: --by: expected program, city or region, got 'programme' (did you mean 'program'?)
try 'vouchsim summary --help'" -- "$vs" summary x.h5 --by programme
exact by-plural 2 "vouchsim summary: --by: expected program, city or region, got 'cities' (did you mean 'city'?)
try 'vouchsim summary --help'" -- "$vs" summary x.h5 --by program,cities
exact by-far 2 "vouchsim compare: --by: expected program, city or region, got 'country'
try 'vouchsim compare --help'" -- "$vs" compare base.yaml base.yaml --by country
ok nothing-written test ! -e o.h5 -a ! -e s.h5

# ---- optimize: a mistyped scalar ----
exact maximize-near 2 "vouchsim: optimize: --maximize 'gpu_hours_totl': column 1: unknown scalar 'gpu_hours_totl' (did you mean 'gpu_hours_total'?)
try 'vouchsim optimize --help'" -- \
  "$vs" optimize base.yaml --vary 'programs[0].coverage=0.3,0.5' --maximize gpu_hours_totl --delta 1 -o o.yaml

# ---- a budget of 20 is 20 yuan: a warning, an error with --strict ----
exact money-bare 2 "--set:1:34: programs[0].budget: warning: a bare number is yuan: 20 means 20 CNY (did you mean 20M?); write 20M for millions, 20k for thousands, or 20 CNY to say yuan
vouchsim: 1 warning, errors with --strict" -- \
  "$vs" validate m.yaml --set programs.hometown-compute.budget=20 --strict
EXACT_STDERR=0
t money-cny 0 '^m.yaml: ok' -- "$vs" validate m.yaml --set 'programs.hometown-compute.budget=20 CNY' --strict
t money-millions 0 '^m.yaml: ok' -- "$vs" validate m.yaml --set programs.hometown-compute.budget=20M --strict

echo "msgfix: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
