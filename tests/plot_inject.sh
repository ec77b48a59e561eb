#!/bin/sh
# tests/plot_inject.sh - no name reaches gnuplot as a command.
#
# gnuplot opens `set output '|cmd'` as a pipe, and runs backquotes and
# system() in scripts. Chart names with |, quotes, $(...), backquotes and
# newlines, an input file named '|cmd;x.h5', a TMPDIR with a quote, and
# titles from the file (tests/mkbad's ok-title.h5) must give the chart at
# the literal path (or a clear refusal) and run nothing: the marker file
# `pwned` never appears, not even in the private directory kept with
# VOUCHSIM_KEEP_PLOT_FILES, whose script must not contain the names.
name=plot_inject
. "${top_srcdir:-.}/tests/plot_lib.sh"
"$b/tests/mkh5" "$tmp/good.h5" 2 || { echo "mkh5 failed"; exit 1; }
mkdir "$tmp/c" "$tmp/w"
"$b/tests/mkbad" "$tmp/good.h5" "$tmp/c" "" 0 || { echo "mkbad failed"; exit 1; }
cd "$tmp/w" || exit 1

png() { head -c 8 "$1" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'; }
nopwned() { [ -z "$(find "$tmp" -name 'pwned*')" ]; }
# the kept scripts hold no user-chosen name
clean_scripts() {
  ! grep -l 'pwned' .vouchsim-plot-*/plot.gp >/dev/null 2>&1
}

nl='
'
for nm in '|touch pwned;x.png' "x'y.png" '$(touch pwned).png' '`touch pwned`.svg' \
            "x';system('touch pwned');'.pdf" "a${nl}set output '|touch pwned'${nl}b.png" \
            '<touch pwned.png' '-o.png'; do
  short=$(printf "%s" "$nm" | tr '\n' '~')
  t "name [$short]" 0 '' -- env VOUCHSIM_KEEP_PLOT_FILES=1 "$vs" plot "$tmp/good.h5" \
    --chart wait -o "./$nm"
  ok "literal [$short]" test -s "./$nm"
  ok "no command [$short]" nopwned
  ok "script [$short]" clean_scripts
  rm -rf ./.vouchsim-plot-*
done
ok png-at-literal-path png './|touch pwned;x.png'

# a name with a slash names a directory: refused, nothing run
t slash-dir 1 "cannot write in directory '\\|touch pwned;cat >/dev': No such file or directory" -- \
  "$vs" plot "$tmp/good.h5" --chart wait -o '|touch pwned;cat >/dev/null;x.png'
ok slash-dir-no-command nopwned

# the chart's name derived from an input named like a pipe
cp "$tmp/good.h5" './|touch pwned;x.h5'
t input-name 0 'x_utilization\.png' -- "$vs" plot './|touch pwned;x.h5' --chart utilization
ok input-name-literal png './|touch pwned;x_utilization.png'
ok input-name-no-command nopwned

# TMPDIR is not used at all; a quote and $(...) in it change nothing
mkdir "$tmp/it's \$(touch pwned)"
t tmpdir-quote 0 '' -- env TMPDIR="$tmp/it's \$(touch pwned)" "$vs" plot "$tmp/good.h5" \
  --chart budget -o t.png
ok tmpdir-quote-png png t.png
ok tmpdir-quote-no-command nopwned

# titles from the file: scenario and entity names with quotes, newlines, backquotes
t file-titles 0 '' -- env VOUCHSIM_KEEP_PLOT_FILES=1 "$vs" plot "$tmp/c/ok-title.h5" \
  --chart utilization -o title.png
ok file-titles-png png title.png
ok file-titles-no-command nopwned
ok file-titles-one-line-each sh -c "! grep -q '^set output .*pwned' .vouchsim-plot-*/plot.gp"
rm -rf ./.vouchsim-plot-*

# and nothing private is left behind without VOUCHSIM_KEEP_PLOT_FILES
ok no-temp-left test -z "$(find "$tmp/w" -name '.vouchsim-*')"
echo "plot_inject: $pass passed, $fail failed"
[ $fail -eq 0 ]
