#!/bin/sh
# tests/reports3_sobol.sh - a Sobol table at small N says which indices are
# sampling error: every S1 below 0, ST above 1, or S1 above ST's whole
# interval is marked `*` in the printed table, a note under it says what
# they are and which --samples (from the widest of their intervals) would
# bring the intervals to +-0.05; the file keeps the numbers as computed.
# Fixed seed (the scenario's), N = 8: a January run, in which Shanghai's
# coverage changes nothing (its ST is 0) and its S1 is pure noise.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports3_sobol.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

"$vs" sweep "$s/scenarios/china-2025.yaml" --design sobol --samples 8 --bootstrap 100 \
  --vary programs.shanghai-compute.coverage=0.3:0.9 --vary firms.reservation_price.median=5.0:15.0 \
  --replications 1 --until 2025-01-20 --totals-only -j 1 -o sobol.h5 --quiet > out.txt 2>&1
ok ran [ -s sobol.h5 ]
"$b/tests/h5cmp" --table sobol.h5 /sobol/indices | sed 1d > raw.csv

# the rows the file holds outside [0, 1] or with S1 above ST's interval
# (as computed: never clipped), and the widest interval among them
awk -F, '$3 != "nan" { m1 = ($3 < 0) || ($3 > $6 && $3 > $8); mt = ($6 > 1);
                       if (m1 || mt) print $1, $2, m1, mt }' raw.csv > want.txt
ok some-below-0 awk -F, '$3 != "nan" && $3 < 0 { f = 1 } END { exit !f }' raw.csv
ok some-marked [ -s want.txt ]

# the printed rows: output (carried from the row above), parameter, marks
sed -nE 's/^([^ ]*) +([^ ]+) +[^ *]+(\*?) +\[ *[^,]+, *[^]]+\] +[^ *]+(\*?) +\[.*$/o=\1 p=\2 a=\3 b=\4/p' out.txt |
  awk '{ for (i = 1; i <= 4; i++) v[i] = substr($i, 3) }
       v[1] != "" { out = v[1] }
       v[3] != "" || v[4] != "" { print out, v[2], v[3] != "", v[4] != "" }' > got.txt
ok marks-match cmp -s want.txt got.txt || { diff want.txt got.txt | head; }

# numbers as computed: a negative S1 is printed negative (and marked)
neg=$(awk -F, '$3 != "nan" && $3 < 0 { print $2; exit }' raw.csv)
ok negative-printed grep -Eq -- "$neg +-[0-9.e-]+\* \[" out.txt

# the note, and the N it suggests: the next power of 2 at or above
# N (hw / 0.05)^2, hw the widest half-width of a marked index
ok note grep -q '^\* outside what an index can be (S1 below 0, ST above 1, or S1 above ST' out.txt
ok note-count grep -q "in $(wc -l < want.txt) of [0-9]* rows: sampling error of the estimators at N = 8 base" out.txt
n=$(awk -F, '$3 != "nan" { h1 = ($5 - $4) / 2; ht = ($8 - $7) / 2; a = ($3 > $6 && $3 > $8)
              w = 0; if ($3 < 0 || a) w = h1; if (($6 > 1 || a) && ht > w) w = ht
              if (w > hw) hw = w }
            END { x = 8 * (hw / 0.05) ^ 2; n = 1; while (n < x) n *= 2; print n }' raw.csv)
ok note-samples grep -q "so --samples $n would bring it to about +-0.05" out.txt
ok note-samples-big [ "$n" -gt 8 ]

echo "reports3_sobol: $pass passed, $fail failed"
[ $fail -eq 0 ]
