#!/bin/sh
# tests/optimize_cli.sh - `vouchsim optimize`'s numeric options and the
# name of the chosen scenario, on tiny M/M/c runs (scenarios/mmc.yaml,
# two days, 24 jobs a day: well under a second each).
#
# Options: each numeric option refuses a value just outside its range
# with that range in the message, and a value inside it reaches what it
# sets (the replications and runs it leads to, the --record file, and
# the scenario's optimize: keys it replaces).
# Name: the chosen scenario is named "BASE (optimized: key=value ...;
# set: key=value ...)", BASE the base's file name (or the command's --set
# name=), with quotes, backslashes and control characters kept; when the
# name is itself a decision variable, the chosen value is the name.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
. "$s/tests/lib.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs-optcli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

mmc="$s/scenarios/mmc.yaml"
gpus=datacenters.mmc-100.gpus
# shellcheck disable=SC2086
opt() { "$vs" optimize "$mmc" --set cities.testville.arrivals=24 --set horizon=2d --jobs 2 \
          --quiet --n0 2 --delta 0.5 "$@"; }

# ---- the numeric options: their ranges ----
range() {  # OPTION VALUE RANGE-TEXT
  t "range$1" 2 "^vouchsim optimize: $1 takes $3, got '$2'$" -- \
    opt --vary $gpus=2,3 --minimize mean_wait_east_h -o "$tmp/x.yaml" "$1" "$2"
}
range --delta 0 'a number in \(0, inf\)'
range --alpha 0.5 'a number in \(0, 0.5\)'
range --n0 1 'a whole number from 2 to 100000'
range --max-replications 1 'a whole number from 2 to 10000000'
range --batch 0 'a whole number from 1 to 100000'
range --search-replications 100001 'a whole number from 1 to 100000'
range --levels 1001 'a whole number from 2 to 1000'
range --rounds 101 'a whole number from 1 to 100'
range --finalists 2001 'a whole number from 1 to 2000'
range --alpha x 'a number in \(0, 0.5\)'
range --levels 2.5 'a whole number from 2 to 1000'
ok "no-file-on-range-error" [ ! -e "$tmp/x.yaml" ]

# ---- ... and what they set ----
t "max-below-n0" 2 "^vouchsim: optimize: --max-replications 5 is below --n0 10$" -- \
  opt --vary $gpus=2,3 --minimize mean_wait_east_h -o "$tmp/x.yaml" --max-replications 5 --n0 10
# equal outputs: KN stops at n0; --batch sets how far ahead it simulates
t "batch-1" 0 "^replications: 4 used by the procedure, 4 simulated$" -- \
  opt --vary $gpus=2,3 --minimize mean_wait_east_h -o "$tmp/b1.yaml" --batch 1
t "batch-default" 0 "^replications: 4 used by the procedure, 10 simulated$" -- \
  opt --vary $gpus=2,3 --minimize mean_wait_east_h -o "$tmp/b8.yaml"
# a range: --levels points, --rounds rounds, --search-replications runs
# each, --finalists go on to the selection
opt --vary $gpus=2:8 --levels 3 --rounds 1 --search-replications 2 --finalists 1 \
  --minimize "{$gpus}" --n0 3 -o "$tmp/s.yaml" --record "$tmp/s.csv" > "$tmp/s.out"
ok "search-points" [ "$(grep -c '^search,' "$tmp/s.csv")" -eq 6 ]
ok "search-levels" [ "$(grep '^search,' "$tmp/s.csv" | cut -d, -f2 | sort -u | tr '\n' ' ')" = \
  "$gpus=2 $gpus=5 $gpus=8 " ]
ok "one-finalist" [ "$(grep '^selection,' "$tmp/s.csv" | cut -d, -f2 | sort -u)" = "$gpus=2" ]
ok "search-replications" [ "$(grep '^search,' "$tmp/s.csv" | cut -d, -f3 | sort -u | tr '\n' ' ')" = "0 1 " ]
# given on the command line, --alpha and --n0 replace the section's keys
# (which are wrong here, and would be refused)
cat > "$tmp/sec.yaml" <<EOF
extends: $(cd "$s/scenarios" && pwd)/mmc.yaml
optimize:
  minimize: mean_wait_east_h
  vary:
    $gpus: 2,3
  delta: 0.5
  alpha: 0.7
  n0: 1
EOF
t "section-alpha-bad" 2 "sec.yaml:7:10: optimize.alpha: expected a number in \[1e-09, 0.5\], got 0.7$" -- \
  "$vs" optimize "$tmp/sec.yaml" --set horizon=2d --quiet -o "$tmp/y.yaml" --n0 2
t "section-n0-bad" 2 "sec.yaml:8:7: optimize.n0: expected an integer in \[2, 100000\], got 1$" -- \
  "$vs" optimize "$tmp/sec.yaml" --set horizon=2d --quiet -o "$tmp/y.yaml" --alpha 0.1
t "section-replaced" 0 "1 - alpha = 0.9; " -- \
  "$vs" optimize "$tmp/sec.yaml" --set horizon=2d --set cities.testville.arrivals=24 --quiet \
  --jobs 2 -o "$tmp/y.yaml" --alpha 0.1 --n0 2

# ---- the chosen scenario's name ----
opt --vary $gpus=2,3 --minimize "{$gpus}" -o "$tmp/n1.yaml" > /dev/null
ok "name-written" grep -qx \
  'name: "mmc (optimized: datacenters.mmc-100.gpus=2; set: cities.testville.arrivals=24, horizon=2d)"' \
  "$tmp/n1.yaml"
t "name-resolves" 0 \
  '^.*n1.yaml: ok: "mmc \(optimized: datacenters.mmc-100.gpus=2; set: cities.testville.arrivals=24, horizon=2d\)", ' \
  -- "$vs" validate "$tmp/n1.yaml"
"$vs" run "$tmp/n1.yaml" --replications 1 --until 2025-01-02 --quiet -o "$tmp/n1.h5"
t "name-in-results" 0 "\(optimized: datacenters.mmc-100.gpus=2; set: " -- "$vs" summary "$tmp/n1.h5"
# a base without name: is named by its file too
sed '/^name:/d' "$mmc" > "$tmp/staffing.yaml"
"$vs" optimize "$tmp/staffing.yaml" --set cities.testville.arrivals=24 --set horizon=2d --jobs 2 \
  --quiet --n0 2 --delta 0.5 --vary $gpus=2,3 --minimize "{$gpus}" -o "$tmp/n2.yaml" > /dev/null
t "name-from-file" 0 'n2.yaml: ok: "staffing \(optimized: datacenters.mmc-100.gpus=2; set: cities.testville.arrivals=24, horizon=2d\)", ' -- \
  "$vs" validate "$tmp/n2.yaml"
# the command's --set name=, with a quote, a backslash and a tab
opt --vary $gpus=2,3 --minimize "{$gpus}" -o "$tmp/n3.yaml" --set 'name="my \"best\" \\ a\tb"' \
  > /dev/null
ok "name-escaped" grep -qxF \
  'name: "my \"best\" \\ a\x09b (optimized: datacenters.mmc-100.gpus=2; set: cities.testville.arrivals=24, horizon=2d)"' "$tmp/n3.yaml"
ok "name-set-once" [ "$(grep -c '^name:' "$tmp/n3.yaml")" -eq 1 ]
tab=$(printf '\t')
t "name-escaped-resolves" 0 "n3.yaml: ok: \"my \"best\" \\\\ a${tab}b \(optimized: " -- \
  "$vs" validate "$tmp/n3.yaml"
# the name as a decision variable: the chosen value is the name
opt --vary name=first,second --minimize mean_wait_east_h -o "$tmp/n4.yaml" > /dev/null
ok "name-varied" [ "$(grep '^name:' "$tmp/n4.yaml")" = "name: first" ]

# a constraint longer than its column is numbered in the header and given
# whole above the table; a short one heads its own column
long='mean_wait_east_h + 0 * mean_wait_all_east_h <= 0.5 tol 0.1'
opt --vary $gpus=2,3 --minimize mean_wait_east_h --subject-to "$long" \
  --subject-to 'mean_wait_east_h <= 0.5 tol 0.1' -o "$tmp/c.yaml" > "$tmp/c.out" 2>&1
ok "constraint-long-whole" grep -qxF "constraint 1: $long" "$tmp/c.out"
ok "constraint-long-numbered" grep -Eq '^rank .* constraint 1 +mean_wait_east_h <= 0.5 tol 0.1 +status$' "$tmp/c.out"
ok "constraint-short-no-line" sh -c "! grep -q '^constraint 2:' '$tmp/c.out'"

# the printed table clips at 0 the lower bound of what cannot be negative
# (a wait, the objective and a constraint's left side here), marked 0* with
# the note, as summary and compare do; the paired differences, and the
# numbers of --format csv, are not clipped. With 2 replications the
# intervals of the waits of 3 and 4 GPUs reach below 0.
opt --vary $gpus=2,3,4 --minimize mean_wait_east_h --subject-to 'mean_wait_east_h <= 1' \
  -o "$tmp/clip.yaml" > "$tmp/clip.out" 2>&1
opt --vary $gpus=2,3,4 --minimize mean_wait_east_h --subject-to 'mean_wait_east_h <= 1' \
  -o "$tmp/clip2.yaml" --format csv > "$tmp/clip.csv" 2>&1
ok "clip-raw-negative" awk -F, 'NR > 1 && $7 < 0 { f = 1 } END { exit !f }' "$tmp/clip.csv"
ok "clip-objective" grep -Eq '^ +[0-9]+ +datacenters[^ ]+ +[0-9]+ +[0-9.e-]+ \[0\*, [0-9.e-]+\] ' "$tmp/clip.out"
ok "clip-constraint" grep -Eq '\] +[0-9.e-]+ \[0\*, [0-9.e-]+\] +(chosen|eliminated)' "$tmp/clip.out"
ok "clip-note" grep -qx '\* clipped at 0: the 95% interval reaches below 0, which this quantity cannot (few replications); --format csv|json keep the raw bound' "$tmp/clip.out"
# every row whose csv lower bound is below 0 prints 0* for it, and no other
n_neg=$(awk -F, 'NR > 1 && $7 != "" && $7 < 0' "$tmp/clip.csv" | wc -l)
n_clip=$(grep -Ec '^ +[0-9]+ +datacenters[^ ]+ +[0-9]+ +[0-9.e-]+ \[0\*,' "$tmp/clip.out")
ok "clip-rows" [ "$n_neg" -ge 1 ] && ok "clip-rows-same" [ "$n_neg" -eq "$n_clip" ]
# a difference from the chosen keeps its sign
ok "clip-differences-raw" awk -F, 'NR > 1 && $10 != "" && $10 < 0 { f = 1 } END { exit !f }' "$tmp/clip.csv"
ok "clip-differences-printed" grep -Eq '^ +2 .* [0-9.e-]+ \[-[0-9.e]+, [0-9.e-]+\] ' "$tmp/clip.out"
# an objective of several scalars is not known to be non-negative: raw
opt --vary $gpus=2,3,4 --minimize 'mean_wait_east_h - 0 * mean_wait_all_east_h' \
  -o "$tmp/clip3.yaml" > "$tmp/clip3.out" 2>&1
ok "clip-expression-raw" sh -c "! grep -q '0\*' '$tmp/clip3.out'"
ok "clip-expression-negative" grep -Eq '^ +[0-9]+ +datacenters[^ ]+ +[0-9]+ +[0-9.e-]+ \[-' "$tmp/clip3.out"

echo "optimize_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
