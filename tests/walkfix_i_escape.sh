#!/bin/sh
# tests/walkfix_i_escape.sh - a file name (or another string the user
# gives) with ESC, a newline or another control character prints escaped
# (\x1b, \n) in every message on stderr, so it cannot drive the terminal
# or forge a line; a plain UTF-8 name prints as it is.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_i_escape.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1

esc=$(printf '\033')
nl='
'

# exact (tests/lib.sh) checks stderr alone
EXACT_STDERR=1
tiny_scenario good.yaml 3d 5
# a scenario named with ESC and a newline, with an error in it
bad="bad${esc}[2J${nl}x.yaml"
{ cat good.yaml; printf 'warmup: 5x\n'; } > "$bad"
exact scenario-error 2 "bad\\x1b[2J\\nx.yaml:9:9: warmup: expected a duration such as 30d, 12h, 90min, 2w, 6mo or 1y; got '5x'" -- \
  "$vs" validate "$bad"
exact sweep-error 2 "bad\\x1b[2J\\nx.yaml:9:9: warmup: expected a duration such as 30d, 12h, 90min, 2w, 6mo or 1y; got '5x'" -- \
  "$vs" sweep "$bad" --vary seed=1,2
# a name run cannot find (args, datadir)
exact not-found 2 "vouchsim run: no\\x1bpe\\nx: no such scenario: looked for no\\x1bpe\\nx and no\\x1bpe\\nx.yaml in the current directory ($tmp) and in $tmp/none/scenarios (from VOUCHSIM_DATADIR); give its path, or set VOUCHSIM_DATADIR (now $tmp/none) to the directory that holds scenarios/" -- \
  env VOUCHSIM_DATADIR="$tmp/none" "$vs" run "no${esc}pe${nl}x"
# a scenario given where a result file is read: the hint gives no command
# that would not name the file
cp good.yaml "r${esc}${nl}.yaml"
exact summary-yaml 2 "vouchsim: summary: r\\x1b\\n.yaml: not an HDF5 file (a scenario? run it first: vouchsim run SCENARIO -o OUT.h5)" -- \
  env PATH="$b:$PATH" vouchsim summary "r${esc}${nl}.yaml"
exact summary-missing 2 "vouchsim: summary: m\\x1b.h5: No such file or directory" -- "$vs" summary "m${esc}.h5"
# an output path in a directory that is not there; a --set value; an option
exact out-dir 1 "vouchsim: no\\x1bdir/o.h5: cannot write in directory 'no\\x1bdir': No such file or directory" -- \
  "$vs" run good.yaml -q -o "no${esc}dir/o.h5"
exact set-value 2 "--set:1:7: name: bad value: control characters are not allowed" -- \
  "$vs" validate good.yaml --set "name=a${esc}b"
exact option 2 "vouchsim run: unknown option '--x\\x1b'
try 'vouchsim run --help'" -- "$vs" run good.yaml "--x${esc}"
exact option-first 2 "vouchsim: unknown option '--x\\x1b'
try 'vouchsim --help'" -- "$vs" "--x${esc}"
# the report line names the scenario and the file written
printf 'name: "n\\e[1m"\n' >> good.yaml
exact report 0 "" -- "$vs" run good.yaml -q -o "w${esc}.h5"
"$vs" run good.yaml -o "w${esc}.h5" --force 2> err.txt > /dev/null
ok report-escaped grep -q 'n\\x1b\[1m: 1 run, .*wrote w\\x1b\.h5$' err.txt
ok report-no-esc sh -c '! grep -q "$(printf "\033")" err.txt'
# plain UTF-8 prints as it is
cp good.yaml "郑州 é.yaml"
exact utf8 2 "vouchsim: summary: 郑州 é.yaml: not an HDF5 file (a scenario? run it first: vouchsim run '郑州 é.yaml' -o '郑州 é.h5')" -- \
  env PATH="$b:$PATH" vouchsim summary "郑州 é.yaml"

echo "walkfix_i_escape: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
