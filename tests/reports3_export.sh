#!/bin/sh
# tests/reports3_export.sh - the two arms of a comparison exported into one
# DIR: the arms write files of the same names (scalars.csv, series/...),
# so the second is refused (exit 2) with a message that names the arm the
# DIR holds and says to give each arm a DIR of its own, and the first
# arm's files are left as they were; --force replaces them and says what it
# replaced; two DIRs hold both arms side by side.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
small="$s/tests/data/small.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports3_exp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

printf 'extends: %s\nprograms:\n  - name: shanghai-compute\n    coverage: 0.4\n' "$small" > half.yaml
"$vs" compare "$small" half.yaml -r 2 -o cmp.h5 --quiet > /dev/null
t base 0 '^ex$' -- "$vs" export cmp.h5 --arm base --csv ex
ok manifest-from grep -qx '# arm: base' ex/vouchsim-export.txt
before=$(ls -lR --time-style=+%s.%N ex | md5sum; cat ex/scalars.csv ex/series/region_utilization.csv | md5sum)
t policy-refused 2 "^vouchsim: export: ex/[a-z_/]+\.csv: an earlier export is in ex \(of arm base\); --force replaces it, or choose another DIR \(each arm of a comparison writes files of the same names: export each to a DIR of its own\)$" -- \
  "$vs" export cmp.h5 --arm policy --csv ex
ok base-untouched [ "$(ls -lR --time-style=+%s.%N ex | md5sum; cat ex/scalars.csv ex/series/region_utilization.csv | md5sum)" = "$before" ]
ok still-base grep -qx '# arm: base' ex/vouchsim-export.txt

# --force: the policy's files in place of the base's, and a line that says so
t policy-force 0 '^vouchsim: export: replaced the earlier export in ex \(of arm base\)$' -- \
  "$vs" export cmp.h5 --arm policy --csv ex --force
ok now-policy grep -qx '# arm: policy' ex/vouchsim-export.txt
"$vs" summary cmp.h5 --arm policy --format csv | awk -F, '$1 == "subsidy_total" { print $3 }' > want
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "subsidy_total") c = i; next }
         { s += $c; n++ } END { printf "%.17g\n", s / n }' ex/scalars.csv > got
ok policy-numbers awk -v a="$(cat want)" -v b="$(cat got)" 'BEGIN { exit !(a > 0 && (a - b) ^ 2 < 1e-6 * a * a) }'

# each arm in a DIR of its own: both there
t two-dirs-base 0 '' -- "$vs" export cmp.h5 --arm base --csv out-base
t two-dirs-policy 0 '' -- "$vs" export cmp.h5 --arm policy --csv out-policy
ok two-dirs [ -s out-base/scalars.csv -a -s out-policy/scalars.csv ]
ok two-dirs-differ sh -c '! cmp -s out-base/scalars.csv out-policy/scalars.csv'

# a plain export into a DIR of an arm's: refused too, naming the arm
t plain-refused 2 'an earlier export is in out-base \(of arm base\).*each arm' -- \
  "$vs" export cmp.h5 --csv out-base

echo "reports3_export: $pass passed, $fail failed"
[ $fail -eq 0 ]
