#!/bin/sh
# tests/manpage.sh - the man page and the bash completion stay true to
# --help: every option that `vouchsim COMMAND --help` lists, for every
# command `vouchsim --help` lists, is in doc/vouchsim.1; the page renders
# without groff warnings; the completion offers the commands, each
# command's options, chart names and shipped scenarios by name.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$(cd "$b" && pwd)/vouchsim"
src=$(cd "$s" && pwd)
man1="$src/doc/vouchsim.1"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/manpage.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"

# the options a help text lists: words starting with - or -- at the start
# of a line, after a space or after [ (the completion reads them the same way)
opts() { grep -oE -- '(^| |\[)--?[a-zA-Z][a-zA-Z-]*' | grep -oE -- '-.*' | sort -u; }
# the page as text a grep can read: \- is -, fonts dropped
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$man1" > "$tmp/page"
cmds=$("$vs" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
ok found-commands test "$(echo $cmds | wc -w)" -ge 8
for c in $cmds; do
  ok "man-has-$c" grep -q "^\.B vouchsim $c" "$tmp/page"
  for o in $("$vs" $c --help | opts); do
    ok "man-has-$c-$o" grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$tmp/page"
  done
done
for o in $("$vs" --help | opts); do
  ok "man-has-$o" grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$tmp/page"
done
# and the other way: every option a command accepts (tried one by one, with
# no arguments so nothing runs) is in its --help, so in the page too
# (-h and -V, which every command takes, are in the page's "Every command")
all=$(for c in $cmds; do "$vs" $c --help; done | opts | sort -u)
for c in $cmds; do
  listed=$("$vs" $c --help | opts)
  for o in $all; do
    case $o in -h|--help|-V|--version) continue ;; esac   # every command's
    if ! "$vs" $c "$o" 2>&1 | grep -q "unknown option"; then
      # accepted: listed, or an abbreviation of a listed option (getopt_long
      # takes unambiguous prefixes: schema --key is --keys)
      ok "help-$c-lists-$o" sh -c 'printf "%s\n" "$1" | grep -q -- "^$2"' sh "$listed" "$o"
    fi
  done
done
# renders cleanly (every warning on)
if command -v groff >/dev/null 2>&1; then
  t groff-clean 0 '' -- sh -c '! groff -man -Tutf8 -ww -z "$1" 2>&1 | grep .' sh "$man1"
fi

# completion: sourced in bash, asked as bash asks
if command -v bash >/dev/null 2>&1; then
  comp() {   # words... -> the completions of the last word, one per line
    bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _vouchsim
             printf "%s\n" "${COMPREPLY[@]}"' sh "$src/tools/vouchsim.bash" "$@"
  }
  export PATH="$(dirname "$vs"):$PATH" VOUCHSIM_DATADIR="$src"
  ok comp-commands test "$(comp vouchsim s | sort | tr '\n' ' ')" = "schema summary sweep "
  ok comp-prefix test "$(comp vouchsim run --rep | tr '\n' ' ')" = "--replications "
  ok comp-chart test "$(comp vouchsim plot x.h5 --chart b | tr '\n' ' ')" = "budget "
  ok comp-optimize-prefix test "$(comp vouchsim optimize x.yaml --subj | tr '\n' ' ')" = "--subject-to "
  ok comp-record bash -c 'cd "$1" && touch s.csv && ( . "$2"; COMP_WORDS=(vouchsim optimize x.yaml --record s); COMP_CWORD=4; _vouchsim; printf "%s\n" "${COMPREPLY[@]}" ) | grep -qx s.csv' bash "$tmp" "$src/tools/vouchsim.bash"
  ok comp-design test "$(comp vouchsim sweep x.yaml --design s | tr '\n' ' ')" = "sobol "
  ok comp-shipped bash -c 'cd "$1" && ( . "$2"; COMP_WORDS=(vouchsim run west); COMP_CWORD=2; _vouchsim; printf "%s\n" "${COMPREPLY[@]}" ) | grep -qx west-first' bash "$tmp" "$src/tools/vouchsim.bash"
  # every option --help lists is offered, and nothing else
  for c in $cmds; do
    ok "comp-opts-$c" test "$(comp vouchsim $c - | sort -u)" = "$("$vs" $c --help | opts)"
  done
fi
echo "manpage: $pass passed, $fail failed"
[ $fail -eq 0 ]
