#!/bin/sh
# tests/walkfix_h_json.sh - JSON output writes its numbers as the CSV does
# (the fewest digits that read back as the same double: 627.3333333333334,
# not 627.33333333333337): every number of `summary --format csv` and
# `compare --format csv` is, as text, a number of the same command's
# --format json, and the JSON has no number the CSV lacks.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_h_json.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1

# the numbers of a CSV (its fields that are numbers), sorted, one a line
csv_nums() { tr ',' '\n' < "$1" | grep -E '^-?[0-9][0-9.]*(e[-+][0-9]+)?$' | sort -u; }
# the numbers of a JSON text (the values that are numbers)
json_nums() { grep -oE ': -?[0-9][0-9.]*(e[-+][0-9]+)?[,}]' "$1" | sed 's/^: //; s/[,}]$//' | sort -u; }

same_numbers() {    # NAME CSV JSON
  csv_nums "$2" > "$1.c"; json_nums "$3" > "$1.j"
  ok "$1-csv-in-json" [ -z "$(comm -23 "$1.c" "$1.j")" ]
  ok "$1-json-in-csv" [ -z "$(comm -13 "$1.c" "$1.j")" ]
  # numbers that need 16 or 17 digits, which %.17g would have written
  # differently: the comparison means something
  ok "$1-long-numbers" [ "$(grep -cE '[0-9.]{17}' "$1.c")" -gt 5 ]
}

"$vs" run "$src/scenarios/minimal.yaml" -r 3 --until 2025-02-01 -o m.h5 --quiet || exit 1
"$vs" summary m.h5 --format csv > s.csv
"$vs" summary m.h5 --format json > s.json
same_numbers summary s.csv s.json

"$vs" compare "$src/scenarios/minimal.yaml" "$src/scenarios/shandong-1b.yaml" -r 2 \
  --until 2025-02-01 --format csv > c.csv 2>/dev/null
"$vs" compare "$src/scenarios/minimal.yaml" "$src/scenarios/shandong-1b.yaml" -r 2 \
  --until 2025-02-01 --format json > c.json 2>/dev/null
same_numbers compare c.csv c.json

echo "walkfix_h_json: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
