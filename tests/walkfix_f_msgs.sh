#!/bin/sh
# tests/walkfix_f_msgs.sh - a reviewer's bad scenarios and command lines:
# each exits 2, writes nothing, and its message (path:line:col: key:
# message, as before) says what to do. One group per finding:
#   1 a tab in indentation     2 an unquoted ': ' in a value (or '@', '`')
#   3 UTF-16, NUL and control bytes
#   4 an empty scenario, a missing top-level key: the keys a minimal one needs
#   5 integers with their real range, 3e3 read as 3000, sample_interval >= 1min
#   6 --until checked as a scenario's date is
#   7 a sweep point's error names --vary; a negative amount in a range
#   8 merge keys and x- keys          9 a child's item that overrides nothing
#  10 an unknown command: did you mean (or a file where the command goes)
#  11 a scenario where an .h5 is read
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_f_msgs.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1
mkdir ws

# exact NAME WANT_STATUS TEXT -- COMMAND...: runs COMMAND in ws/ (where
#   it must write nothing), checks its status and that its whole output
#   is TEXT
exact() {
  name=$1 want=$2 text=$3; shift 4
  out=$(cd ws && "$@" 2>&1); got=$?
  left=$(ls -A ws)
  if [ "$got" -ne "$want" ] || [ "$out" != "$text" ] || [ -n "$left" ]; then
    echo "FAIL $name: exit $got (want $want), wrote '$left'"
    echo "  got:  $out"; echo "  want: $text"
    fail=$((fail + 1)); rm -rf ws; mkdir ws; return
  fi
  pass=$((pass + 1))
}
# validate FILE in $tmp, from ws/
val() { "$vs" validate "../$1"; }

cat > min.yaml <<'EOF'
start: 2025-01-01
cities:
  - {name: hefei, region: east, arrivals: 20}
datacenters:
  - {name: wuhu, region: east, gpus: 64, price: 12}
EOF
t min-ok 0 'min\.yaml: ok' -- "$vs" validate min.yaml

# ---- 1. tabs ----
TAB=$(printf '\t')
printf 'start: 2025-01-01\n\thorizon: 60d\n' > tab-cont.yaml
exact tab-after-scalar 2 "../tab-cont.yaml:2:1: tabs are not allowed in YAML indentation: use spaces" -- val tab-cont.yaml
sed "s/^    - {name: hefei/$TAB- {name: hefei/; s/^  - {name: hefei/$TAB- {name: hefei/" min.yaml > tab-start.yaml
exact tab-line-start 2 "../tab-start.yaml:3:1: tabs are not allowed in YAML indentation: use spaces" -- val tab-start.yaml
# a tab inside a value is no indentation: unchanged
printf 'name: "a\tb"\n' > tab-quoted.yaml
cat min.yaml >> tab-quoted.yaml
t tab-in-quotes-ok 0 'ok' -- "$vs" validate tab-quoted.yaml

# ---- 2. ': ' in a value ----
{ echo 'name: Phase 2: west'; cat min.yaml; } > colon.yaml
exact colon 2 "../colon.yaml:1:14: mapping values are not allowed in this context (a value that contains ': ' must be quoted, e.g. name: \"a: b\")" -- val colon.yaml
printf 'name: @home\n' > at.yaml
exact reserved-at 2 "../at.yaml:1:7: '@' is reserved in YAML and cannot start a value: quote it, e.g. name: \"@x\"" -- val at.yaml
printf 'name: `x`\n' > tick.yaml
exact reserved-backtick 2 "../tick.yaml:1:7: '\`' is reserved in YAML and cannot start a value: quote it, e.g. name: \"\`x\"" -- val tick.yaml
{ echo 'name: "Phase 2: west"'; cat min.yaml; } > colon-quoted.yaml
t colon-quoted-ok 0 'Phase 2: west' -- "$vs" validate colon-quoted.yaml

# ---- 3. UTF-16, NUL and control bytes ----
printf '\377\376s\000t\000a\000r\000t\000:' > utf16le.yaml
exact utf16-le 2 "../utf16le.yaml:1:1: UTF-16 text (it starts with a UTF-16 byte-order mark); a scenario must be UTF-8 text (convert it: iconv -f UTF-16 -t UTF-8)" -- val utf16le.yaml
printf '\376\377\000s\000t' > utf16be.yaml
exact utf16-be 2 "../utf16be.yaml:1:1: UTF-16 text (it starts with a UTF-16 byte-order mark); a scenario must be UTF-8 text (convert it: iconv -f UTF-16 -t UTF-8)" -- val utf16be.yaml
printf 'name: a\000b\n' > nul.yaml
exact nul 2 "../nul.yaml:1:8: a NUL byte (#x0); a scenario must be UTF-8 text, not a binary file" -- val nul.yaml
printf 'name: a\001b\n' > ctl.yaml
exact control 2 "../ctl.yaml:1:8: control character #x1; a scenario must be UTF-8 text, not a binary file" -- val ctl.yaml
# a UTF-8 byte-order mark is UTF-8
{ printf '\357\273\277'; cat min.yaml; } > bom8.yaml
t utf8-bom-ok 0 'ok' -- "$vs" validate bom8.yaml

# ---- 4. empty, missing top-level key ----
need='a scenario needs at least the top-level keys start, cities and datacenters (scenarios/README.md, "A minimal scenario")'
: > empty.yaml
exact empty 2 "../empty.yaml:1:1: empty scenario: $need" -- val empty.yaml
printf 'start: 2025-01-01\n' > nocities.yaml
exact no-cities 2 "../nocities.yaml:1:1: missing required key 'cities': $need" -- val nocities.yaml
printf 'name: x\ncities: [{name: hefei, region: east, arrivals: 20}]\ndatacenters: [{name: wuhu, region: east, gpus: 64, price: 12}]\n' > nostart.yaml
exact no-start 2 "../nostart.yaml:1:1: missing required key 'start': $need" -- val nostart.yaml
# below the top level, no such hint
exact nested-missing 2 "--set:1:16: datacenters[0]: missing required key 'region'" -- \
  "$vs" validate ../min.yaml --set 'datacenters[0]={name: x, gpus: 1, price: 1}'
# the README's minimal scenario is this test's, and it validates
sed -n '/^## A minimal scenario/,/^## /p' "$src/scenarios/README.md" \
  | awk '/^```yaml/ { inb = 1; next } inb && /^```$/ { exit } inb { print }' > readme-min.yaml
ok readme-min-same cmp -s readme-min.yaml min.yaml

# ---- 5. integers ----
exact seed-huge 2 "--set:1:6: seed: expected an integer in [0, 2^63-1], got '99999999999999999999999'" -- \
  "$vs" validate ../min.yaml --set seed=99999999999999999999999
exact seed-negative 2 "--set:1:6: seed: expected an integer in [0, 2^63-1], got -1" -- \
  "$vs" validate ../min.yaml --set seed=-1
exact gpus-fraction 2 "--set:1:21: datacenters[0].gpus: expected an integer in [0, 2^53], got '3000.5'" -- \
  "$vs" validate ../min.yaml --set 'datacenters[0].gpus=3000.5'
exact gpus-negative 2 "--set:1:21: datacenters[0].gpus: expected an integer in [0, 2^53], got -3000" -- \
  "$vs" validate ../min.yaml --set 'datacenters[0].gpus=-3000'
exact gpus-word 2 "--set:1:21: datacenters[0].gpus: expected an integer in [0, 2^53], got 'lots'" -- \
  "$vs" validate ../min.yaml --set 'datacenters[0].gpus=lots'
exact seed-1e18 2 "--set:1:6: seed: expected an integer in [0, 2^63-1], got '1e18' (write it in digits)" -- \
  "$vs" validate ../min.yaml --set seed=1e18
# 3e3 and 3000.0 are 3000: the same file as with 3000
"$vs" validate min.yaml --set 'datacenters[0].gpus=3000' > g3000.txt 2>&1
for v in 3e3 3000.0 3.0e+3; do
  "$vs" validate min.yaml --set "datacenters[0].gpus=$v" > g.txt 2>&1
  ok "gpus-$v-is-3000" cmp -s g.txt g3000.txt
done
ok gpus-3000-ok grep -q ': ok' g3000.txt
exact sample-zero 2 "--set:1:17: sample_interval: expected a duration of at least 1min, got 0" -- \
  "$vs" validate ../min.yaml --set sample_interval=0

# ---- 6. --until ----
exact until-feb-30 2 "vouchsim run: --until: no day 30 in month 2 of 2025 in date '2025-02-30' (it has 28 days)
try 'vouchsim run --help'" -- "$vs" run ../min.yaml --until 2025-02-30 -o x.h5
exact until-month-13 2 "vouchsim validate: --until: no month 13 in date '2025-13-01'
try 'vouchsim validate --help'" -- "$vs" validate ../min.yaml --until 2025-13-01
exact until-word 2 "vouchsim sweep: --until: expected a date YYYY-MM-DD, got 'tomorrow'
try 'vouchsim sweep --help'" -- "$vs" sweep ../min.yaml --vary seed=1,2 --until tomorrow
t until-leap-ok 0 'to 2028-02-29' -- "$vs" validate min.yaml --until 2028-02-29

# ---- 7. --vary ----
cat min.yaml > prog.yaml
cat >> prog.yaml <<'EOF'
programs:
  - {name: hefei-compute, city: hefei, kind: compute, budget: 10M, coverage: 0.5}
EOF
t prog-ok 0 'ok' -- "$vs" validate prog.yaml
exact vary-point 2 "--vary:1:26: programs[0].coverage: expected a number in [0, 1], got 1.5
vouchsim: sweep: point 2 (programs[0].coverage=1.5) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep ../prog.yaml --vary 'programs[0].coverage=0.1:1.5:3' -o s.h5
exact vary-no-item 2 "--vary:1:10: programs.nosuch: no item named 'nosuch' in 'programs' (items: hefei-compute)
vouchsim: sweep: point 0 (programs.nosuch.coverage=0.1) is not a valid scenario: correct the --vary values" -- \
  "$vs" sweep ../prog.yaml --vary 'programs.nosuch.coverage=0.1:0.5:3' -o s.h5
# optimize's candidates from --vary say --vary too
exact vary-optimize 2 "--vary:1:26: programs[0].coverage: expected a number in [0, 1], got 1.5
vouchsim: optimize: candidate programs[0].coverage=1.5 is not a valid scenario" -- \
  "$vs" optimize ../prog.yaml --vary 'programs[0].coverage=0.5,1.5' --maximize gpu_hours_total \
  --delta 1 --until 2025-02-01 -o o.yaml
# --set beside --vary still says --set
exact set-beside-vary 2 "--set:1:22: programs[0].coverage: expected a number in [0, 1], got 2" -- \
  "$vs" sweep ../prog.yaml --set 'programs[0].coverage=2' --vary seed=1,2 -o s.h5
exact vary-negative-money 2 "vouchsim: sweep: --vary programs[0].budget: '-1M' is negative; amounts of money and durations are >= 0
try 'vouchsim sweep --help'" -- \
  "$vs" sweep ../prog.yaml --vary 'programs[0].budget=-1M:5M:3' -o s.h5
exact vary-negative-duration 2 "vouchsim: sweep: --vary horizon: '-5d' is negative; amounts of money and durations are >= 0
try 'vouchsim sweep --help'" -- \
  "$vs" sweep ../prog.yaml --vary 'horizon=-5d:30d' -o s.h5
# a negative number is a number: the range is judged as before
t vary-negative-number 2 "a range is LO:HI or LO:HI:N with LO < HI" -- \
  "$vs" sweep prog.yaml --vary 'programs[0].coverage=0.5:-0.5:3' -o s.h5

# ---- 8. merge keys, x- keys ----
anchors='(an anchor &name goes on the first use of a value, an alias *name repeats it later in the same file; scenarios/README.md, "Anchors and aliases")'
cat > merge.yaml <<'EOF'
start: 2025-01-01
cities:
  - {name: hefei, region: east, arrivals: 20}
datacenters:
  - &dc {name: wuhu, region: east, gpus: 64, price: 12}
  - <<: *dc
    name: wuhu-2
EOF
exact merge-key 2 "../merge.yaml:6:5: datacenters[1]: merge keys ('<<') are not supported: write the keys out, or alias a whole value (key: *name) $anchors" -- val merge.yaml
{ printf 'x-anchors:\n  dc: &dc {region: east}\n'; cat min.yaml; } > xkey.yaml
exact x-key 2 "../xkey.yaml:1:1: x-anchors: unknown key 'x-anchors': scenarios have no extension keys to hold anchors $anchors" -- val xkey.yaml
# a quoted "<<" is a key like any other
{ cat min.yaml; echo '"<<": 1'; } > quoted-merge.yaml
exact quoted-merge 2 "../quoted-merge.yaml:6:1: <<: unknown key '<<'" -- val quoted-merge.yaml
# the README's anchor example validates
sed -n '/^### Anchors and aliases/,/^## /p' "$src/scenarios/README.md" \
  | sed -n '/^```yaml/,/^```$/p' | sed '1d;$d' > readme-anchor.yaml
{ sed -n '1,3p' min.yaml; cat readme-anchor.yaml; } > anchor.yaml
t readme-anchor-ok 0 'anchor\.yaml: ok: .*2 data centers' -- "$vs" validate anchor.yaml

# ---- 9. a child's item that overrides nothing ----
cat > child.yaml <<'EOF'
extends: prog.yaml
programs:
  - name: hefei-compte
    coverage: 0.6
EOF
exact child-typo 2 "child.yaml:3:5: programs[1]: no program 'hefei-compte' in prog.yaml to override (did you mean 'hefei-compute'?); a new one needs 'city'" -- \
  sh -c "cd .. && '$vs' validate child.yaml"
cat > child-far.yaml <<'EOF'
extends: prog.yaml
cities:
  - name: nanjing
    arrivals: 5
EOF
exact child-far 2 "child-far.yaml:3:5: cities[1]: no city 'nanjing' in prog.yaml to override (items: hefei); a new one needs 'region'" -- \
  sh -c "cd .. && '$vs' validate child-far.yaml"
cat > child-city.yaml <<'EOF'
extends: prog.yaml
cities:
  - name: hefie
    region: west
EOF
exact child-city-arrivals 2 "child-city.yaml:3:5: cities[1]: no city 'hefie' in prog.yaml to override (did you mean 'hefei'?); a new one needs 'arrivals'" -- \
  sh -c "cd .. && '$vs' validate child-city.yaml"
# the right name overrides; a whole new item is added
sed 's/hefei-compte/hefei-compute/' child.yaml > child-ok.yaml
t child-right-name 0 '0 programs|1 program' -- "$vs" validate child-ok.yaml
cat > child-new.yaml <<'EOF'
extends: prog.yaml
programs:
  - {name: hefei-compute2, city: hefei, kind: compute, budget: 5M, coverage: 0.3}
EOF
t child-new-item 0 '2 programs' -- "$vs" validate child-new.yaml

# ---- 10. unknown command ----
exact cmd-rn 2 "vouchsim: unknown command 'rn': did you mean run? (try vouchsim --help)" -- "$vs" rn
exact cmd-sumary 2 "vouchsim: unknown command 'sumary': did you mean summary? (try vouchsim --help)" -- "$vs" sumary
exact cmd-scenario 2 "vouchsim: unknown command 'china-2025.yaml': a scenario comes after a command, e.g. vouchsim run china-2025.yaml (try vouchsim --help)" -- "$vs" china-2025.yaml
exact cmd-h5 2 "vouchsim: unknown command 'out.h5': a file comes after a command, e.g. vouchsim summary out.h5 (try vouchsim --help)" -- "$vs" out.h5
exact cmd-far 2 "vouchsim: unknown command 'frobnicate' (try vouchsim --help)" -- "$vs" frobnicate

# ---- 11. a scenario where an .h5 is read ----
# the advice names the program as invoked (here found on PATH) and gives
# both paths as words a shell reads back
exact summary-yaml 2 "vouchsim: summary: ../min.yaml: not an HDF5 file (a scenario? run it first: vouchsim run ../min.yaml -o min.h5)" -- \
  env PATH="$b:$PATH" vouchsim summary ../min.yaml
cp min.yaml "my study.yml"
exact plot-yml-quoted 2 "vouchsim: plot: ../my study.yml: not an HDF5 file (a scenario? run it first: vouchsim run '../my study.yml' -o 'my study.h5')" -- \
  env PATH="$b:$PATH" vouchsim plot "../my study.yml"
cp min.yaml "it's.yaml"
exact export-yaml-quote 2 "vouchsim: export: ../it's.yaml: not an HDF5 file (a scenario? run it first: vouchsim run '../it'\\''s.yaml' -o 'it'\\''s.h5')" -- \
  env PATH="$b:$PATH" vouchsim export "../it's.yaml" --csv out
cp min.yaml UP.YAML
exact summary-yaml-upper 2 "vouchsim: summary: ../UP.YAML: not an HDF5 file (a scenario? run it first: vouchsim run ../UP.YAML -o UP.h5)" -- \
  env PATH="$b:$PATH" vouchsim summary ../UP.YAML
cp min.yaml ./-dash.yaml
exact summary-yaml-dash 2 "vouchsim: summary: -dash.yaml: not an HDF5 file (a scenario? run it first: vouchsim run ./-dash.yaml -o ./-dash.h5)" -- \
  sh -c "cd .. && PATH='$b':\$PATH vouchsim summary -- -dash.yaml"
# invoked by its path: that path, as invoked
case $vs in
  *[!A-Za-z0-9_./:,+@%-]*) ;;     # a build path that needs quoting: not this case
  *) exact summary-yaml-path 2 "vouchsim: summary: ../min.yaml: not an HDF5 file (a scenario? run it first: $vs run ../min.yaml -o min.h5)" -- \
       "$vs" summary ../min.yaml ;;
esac
echo text > notes.txt
exact summary-text 2 "vouchsim: summary: ../notes.txt: not an HDF5 file" -- "$vs" summary ../notes.txt
exact summary-yaml-missing 2 "vouchsim: summary: ../none.yaml: No such file or directory" -- "$vs" summary ../none.yaml

echo "walkfix_f_msgs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
