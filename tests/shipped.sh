#!/bin/sh
# tests/shipped.sh - `make install` ships every scenario: the explicit
# scenarios_DATA list in Makefile.am names exactly the files of scenarios/
# but README.md (installed as a doc), the YAML scenarios, the JSON Schema
# and CALIBRATION.md. A scenario added to scenarios/ and not to the list
# fails here (the list is explicit, so an unrelated file is never shipped).
s=${top_srcdir:-.}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/shipped.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"

# the list, one file a line: from "scenarios_DATA =" to the line without "\"
sed -n '/^scenarios_DATA *=/,/[^\\]$/p' "$s/Makefile.am" | sed 's/scenarios_DATA *=//; s/\\$//' \
  | tr ' \t' '\n\n' | sed -n 's|^scenarios/||p' | sort > "$tmp/listed"
( cd "$s/scenarios" && ls ) | grep -vx README.md | sort > "$tmp/present"
ok list-not-empty test -s "$tmp/listed"
ok has-schema grep -qx vouchsim-scenario.schema.json "$tmp/listed"
for f in $(cat "$tmp/present"); do
  ok "listed-$f" grep -qx -- "$f" "$tmp/listed"
done
for f in $(cat "$tmp/listed"); do
  ok "exists-$f" test -f "$s/scenarios/$f"
done
echo "shipped: $pass passed, $fail failed"
[ $fail -eq 0 ]
