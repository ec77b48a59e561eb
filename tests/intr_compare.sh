#!/bin/sh
# tests/intr_compare.sh - compare interrupted (SIGINT, SIGTERM) while it
# merges the arms into FILE.h5: it says at once that it finishes FILE.h5
# first, finishes it, and ends with one line saying FILE.h5 is complete
# (exit 0); the file reads back, and neither the arms nor a temporary
# file is left. The signal goes once the merge's temporary file is there
# (the test waits for the file, not for a time).
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/intr_compare.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

for sig in INT TERM; do
  o=cmp$sig.h5
  signal_when "c$sig" $sig "ls .$o.tmp.* > /dev/null 2>&1" \
    "$vs" compare "$s/scenarios/china-2025.yaml" "$s/scenarios/west-first.yaml" -r 4 -o "$o" --quiet
  ok "$sig-exit" [ "$(cat "c$sig.rc")" -eq 0 ]
  ok "$sig-said-at-once" sh -c "head -1 c$sig.err | grep -Eq '^vouchsim: interrupted: finishing $o first \\(it takes a few seconds\\), so that it is whole\$'"
  ok "$sig-last-line" sh -c "tail -1 c$sig.err | grep -Eq '^vouchsim: interrupted while finishing $o: it is complete\$'"
  ok "$sig-two-lines" [ "$(wc -l < "c$sig.err")" -eq 2 ]
  t "$sig-file-whole" 0 'base' -- "$vs" summary "$o"
  ok "$sig-no-arms" [ ! -e "$o.arms" ]
  ok "$sig-no-temporary" [ -z "$(ls -a | grep '\.tmp\.')" ]
done

echo "intr_compare: $pass passed, $fail failed"
[ $fail -eq 0 ]
