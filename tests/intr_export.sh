#!/bin/sh
# tests/intr_export.sh - an export interrupted (SIGINT, SIGTERM, SIGHUP)
# while it writes leaves DIR as it was: no temporary .vouchsim-export-*
# file, no series/ or DIR it created, the earlier export of a --force
# untouched; it exits 128 + the signal with one line. The signal goes once
# a temporary file is in DIR/series/ (the test waits for the file, not
# for a time).
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/intr_export.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# a file with many series (an export of it writes some 90 files)
"$vs" run "$s/scenarios/china-2025.yaml" -r 4 -o a.h5 --quiet || exit 1
writing='ls DIR/series/.vouchsim-export-* > /dev/null 2>&1'

# a new DIR: nothing of it is left
for sig in INT TERM HUP; do
  d=new$sig
  signal_when "$d" $sig "$(echo "$writing" | sed "s|DIR|$d|")" "$vs" export a.h5 --csv "$d"
  want=$(case $sig in INT) echo 130;; TERM) echo 143;; HUP) echo 129;; esac)
  ok "new-$sig-exit" [ "$(cat "$d.rc")" -eq "$want" ]
  ok "new-$sig-one-line" [ "$(wc -l < "$d.err")" -eq 1 ]
  ok "new-$sig-line" grep -Eq "^vouchsim: export: interrupted: $d is as it was" "$d.err"
  ok "new-$sig-no-dir" [ ! -e "$d" ]
done

# DIR holding an earlier export, replaced with --force: as it was
"$vs" export a.h5 --csv old > /dev/null || exit 1
(cd old && find . -type f | sort | xargs cksum) > old.before
signal_when force INT "$(echo "$writing" | sed "s|DIR|old|")" "$vs" export a.h5 --csv old --force
ok force-exit [ "$(cat force.rc)" -eq 130 ]
ok force-line grep -Eq '^vouchsim: export: interrupted: old is as it was' force.err
(cd old && find . -type f | sort | xargs cksum) > old.after
ok force-as-it-was cmp -s old.before old.after
ok force-no-temporaries [ -z "$(find old -name '.vouchsim-export-*')" ]

# and a later export into it goes through
t later 0 '' -- "$vs" export a.h5 --csv old --force

echo "intr_export: $pass passed, $fail failed"
[ $fail -eq 0 ]
