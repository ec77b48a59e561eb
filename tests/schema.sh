#!/bin/sh
# tests/schema.sh - the JSON Schema of the scenario format (issue 10):
# the shipped scenarios/vouchsim-scenario.schema.json is what `vouchsim
# schema` generates from the validator's tables (regenerate: make schema);
# every scenarios/*.yaml names it on its first line and is valid against
# it, as are the valid fixtures of tests/data (a child that extends
# another included), while broken ones and a file without `start` are
# not; the schema's keys are the validator's; its money and duration
# patterns accept what vouchsim's parsers do. The Python part needs
# /usr/bin/python3 with jsonschema and yaml (python3-jsonschema,
# python3-yaml): without them it is skipped (77) after the drift check.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/schema.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$lib"

# ---- no drift: the shipped file is the generator's output ----
"$vs" schema > "$tmp/schema.json"; st=$?
ok schema-generates [ "$st" -eq 0 ]
if cmp -s "$tmp/schema.json" scenarios/vouchsim-scenario.schema.json; then
  pass=$((pass + 1))
else
  echo "FAIL schema-drift: scenarios/vouchsim-scenario.schema.json is not what 'vouchsim schema'"
  echo "  prints; run 'make schema' and commit the result:"
  diff scenarios/vouchsim-scenario.schema.json "$tmp/schema.json" | head -20 | sed 's/^/  | /'
  fail=$((fail + 1))
fi
"$vs" schema --keys > "$tmp/keys"
ok schema-keys [ "$(wc -l < "$tmp/keys")" -gt 50 ]
t schema-bad-arg 2 "^vouchsim schema: unknown option '--frob'" -- "$vs" schema --frob
t schema-extra-arg 2 "^vouchsim schema: unexpected argument 'x'" -- "$vs" schema x
# ---- the header line, also without Python ----
for f in scenarios/*.yaml; do
  ok "header-$(basename "$f")" [ "$(head -n 1 "$f")" = '# yaml-language-server: $schema=vouchsim-scenario.schema.json' ]
done
echo "schema: $pass passed, $fail failed"
[ $fail -eq 0 ] || exit 1

py=/usr/bin/python3
if ! [ -x "$py" ] || ! "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "schema: SKIP the validation: $py with jsonschema and yaml is missing (apt-get install python3-jsonschema python3-yaml)"
  exit 77
fi
# a scenario without extends must hold the required keys
grep -v '^start:' tests/data/small.yaml > "$tmp/bad_nostart.yaml"
# a timeline entry (an unnamed list: replaced whole) needs its date, also in a child
printf 'extends: %s/tests/data/small.yaml\nprograms:\n  - {name: x, timeline: [{add_budget: 5M}]}\n' \
  "$(pwd)" > "$tmp/bad_child_timeline.yaml"
good=$(ls tests/data/*.yaml | grep -v '/bad_')
VOUCHSIM="$vs" VOUCHSIM_SCENARIO=tests/data/small.yaml \
  "$py" tests/schema.py scenarios/vouchsim-scenario.schema.json "$tmp/keys" scenarios/*.yaml $good \
  tests/data/bad_unknown_key.yaml tests/data/bad_type.yaml tests/data/bad_coverage.yaml \
  tests/data/bad_money.yaml tests/data/bad_money_2p53.yaml "$tmp/bad_nostart.yaml" "$tmp/bad_child_timeline.yaml"
