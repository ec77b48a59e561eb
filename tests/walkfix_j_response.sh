#!/bin/sh
# tests/walkfix_j_response.sh - the response chart of a sweep over two
# keys draws, in each key's panel, a line per level of the other key
# (with its interval bars), the levels side by side around each value so
# their bars do not hide each other, and a legend under the panel naming
# the other key (and its unit) and each level: every level's means are
# those of its own points (against `vouchsim export`), the x it is drawn
# at is its own value moved by less than a quarter of the gap between
# values, and no two levels share an x. A sweep over one key, and two keys
# that do not form a grid (--design lhs), draw as before: one set of
# points, the legend inside. The private directory is kept with
# VOUCHSIM_KEEP_PLOT_FILES=1.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp walkfix_j_response
need_gnuplot
sc=$s/scenarios/china-2025.yaml
B=programs.shandong-compute.budget C=programs.shandong-compute.coverage
"$vs" sweep "$sc" --until 2025-01-10 -r 3 --vary $B=10M,50M --vary $C=0.2,0.35,0.5 \
  -o g.h5 --quiet > /dev/null 2>&1 || { echo "FAIL sweep"; exit 1; }
kept grid g.h5 --chart response
ok grid-exit [ "$st" -eq 0 ]
gp=$k/plot.gp
# the budget's panel (d0.dat): a block per coverage level, 2 points each;
# the coverage's panel (d1.dat): a block per budget level, 3 points each
blocks() { awk 'NF == 7 { if (!seen) n++; seen = 1; next } { seen = 0 } END { print n }' "$1"; }
ok grid-budget-blocks [ "$(blocks "$k/d0.dat")" = 3 ]
ok grid-coverage-blocks [ "$(blocks "$k/d1.dat")" = 2 ]
ok grid-budget-rows [ "$(awk 'NF == 7' "$k/d0.dat" | wc -l)" -eq 6 ]
ok grid-coverage-rows [ "$(awk 'NF == 7' "$k/d1.dat" | wc -l)" -eq 6 ]
# the legends: under the panel, titled by the other key, an entry a level
ok grid-legend-below [ "$(grep -c '^set key below' "$gp")" -eq 2 ]
ok grid-legend-coverage grep -q "title \"\\\\n\"\\.'a line per level of $C'" "$gp"
ok grid-legend-budget grep -q "title \"\\\\n\"\\.'a line per level of $B (M CNY)'" "$gp"
ok grid-entries-coverage sh -c "grep -o \"'d0.dat' index [0-9] .* title '[^']*'\" '$gp' | sed \"s/.*title //\" | tr '\n' ' ' | grep -qx \"'0.2' '0.35' '0.5' \""
ok grid-entries-budget sh -c "grep -o \"'d1.dat' index [0-9] .* title '[^']*'\" '$gp' | sed \"s/.*title //\" | tr '\n' ' ' | grep -qx \"'10' '50' \""
ok grid-bars [ "$(grep -c 'with yerrorlines' "$gp")" -eq 5 ]
ok grid-no-pooled-line sh -c "! grep -q 'mean over the other keys' '$gp'"
# each level's means: its own points' (scalars.csv of the export, M CNY
# and firms as drawn)
"$vs" export g.h5 --csv x > /dev/null 2>&1 || { echo "FAIL export"; fail=$((fail + 1)); }
# want: key value (drawn), other value, mean of firms_additional
awk -F, -v b=$B -v c=$C 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == b) jb = i; if ($i == c) jc = i;
                                     if ($i == "firms_additional") jo = i }; next }
     { k = $jb / 1e6 " " $jc; s[k] += $jo; n[k]++ }
     END { for (k in s) printf "%s %.6f\n", k, s[k] / n[k] }' x/scalars.csv | sort > want
ok want-six [ "$(wc -l < want)" -eq 6 ]
# d0.dat: block g is coverage level g (0.2, 0.35, 0.5); x true in column 7
awk 'NF == 7 { if (!seen) g++; seen = 1; split("0.2 0.35 0.5", lv, " ");
               printf "%s %s %.6f\n", $7, lv[g], $2; next } { seen = 0 }' "$k/d0.dat" | sort > got0
ok grid-budget-means cmp -s want got0
awk 'NF == 7 { if (!seen) g++; seen = 1; split("10 50", lv, " ");
               printf "%s %s %.6f\n", lv[g], $7, $2; next } { seen = 0 }' "$k/d1.dat" | sort > got1
ok grid-coverage-means cmp -s want got1
# drawn x: near its own value (under a quarter of the smallest gap: 40 M
# CNY, 0.15), distinct across levels at each value, ordered by level
near() { awk -v gap="$2" 'NF == 7 { d = $1 - $7; if (d < 0) d = -d; if (d >= gap / 4) bad = 1 }
                          END { exit bad }' "$1"; }
ok grid-budget-near near "$k/d0.dat" 40
ok grid-coverage-near near "$k/d1.dat" 0.15
ok grid-budget-apart [ "$(awk 'NF == 7 { print $1 }' "$k/d0.dat" | sort -u | wc -l)" -eq 6 ]
ok grid-coverage-apart [ "$(awk 'NF == 7 { print $1 }' "$k/d1.dat" | sort -u | wc -l)" -eq 6 ]
ok grid-ordered sh -c "awk 'NF == 7 && \$7 == 10 { print \$1 }' '$k/d0.dat' | sort -c -g"
ok grid-png [ -s "$tmp/grid/c.png" ]

# one key of the two (--key): one panel, still by level
kept one g.h5 --chart response --key $C --outcome subsidy_total
ok key-exit [ "$st" -eq 0 ]
ok key-by-level [ "$(blocks "$k/d0.dat")" = 2 ]
ok key-axis grep -qx "set xlabel '$C'" "$k/plot.gp"

# one key: as before (6 columns, the legend inside, no levels)
"$vs" sweep "$sc" --until 2025-01-10 -r 3 --vary $C=0.2,0.5 -o one.h5 --quiet \
  > /dev/null 2>&1 || { echo "FAIL sweep one"; exit 1; }
kept single one.h5 --chart response
ok single-exit [ "$st" -eq 0 ]
ok single-six-columns sh -c "awk 'NF == 6' '$k/d0.dat' | wc -l | grep -qx 2 && ! awk 'NF == 7' '$k/d0.dat' | grep -q ."
ok single-no-levels sh -c "! grep -q 'set key below' '$k/plot.gp' && ! grep -q 'a line per level' '$k/plot.gp'"
ok single-points grep -q "title 'mean, 95% interval'" "$k/plot.gp"

# two keys, no grid (Latin hypercube): as before
"$vs" sweep "$sc" --until 2025-01-10 -r 1 --design lhs --samples 4 --vary $B=10M:50M \
  --vary $C=0.2:0.5 -o lhs.h5 --quiet > /dev/null 2>&1 || { echo "FAIL sweep lhs"; exit 1; }
kept lhs lhs.h5 --chart response
ok lhs-exit [ "$st" -eq 0 ]
ok lhs-no-levels sh -c "! grep -q 'set key below' '$k/plot.gp'"
ok lhs-points grep -q "title 'one run per point'" "$k/plot.gp"

echo "walkfix_j_response: $pass passed, $fail failed"
[ $fail -eq 0 ]
