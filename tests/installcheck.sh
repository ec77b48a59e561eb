#!/bin/sh
# tests/installcheck.sh - the installed tree works (make installcheck, and
# so make distcheck): from an empty directory the installed vouchsim finds
# a shipped scenario by name and runs it; the scenarios, docs, man page and
# completion are where they belong; the completion, sourced in bash,
# completes a command, an option and a shipped scenario.
# Environment (from Makefile.am): bindir mandir pkgdatadir docdir
# bashcompletiondir top_srcdir.
set -u
. "${top_srcdir:-.}/tests/lib.sh"
vs="$bindir/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/installcheck.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
unset VOUCHSIM_DATADIR

ok binary test -x "$vs"
t version 0 "then in $pkgdatadir/scenarios\$" -- "$vs" --version
for f in china-2025.yaml shandong-1b.yaml mmc.yaml shandong-1b-vouchers.yaml \
         vouchsim-scenario.schema.json CALIBRATION.md; do
  ok "data-$f" test -s "$pkgdatadir/scenarios/$f"
done
for f in README.md BENCHMARKS.md COPYING scenarios/README.md output/README.md; do
  ok "doc-$f" test -s "$docdir/$f"
done
ok man-page test -s "$mandir/man1/vouchsim.1"
if command -v man >/dev/null 2>&1; then
  t man-renders 0 'vouchsim - simulate' -- env MANWIDTH=80 man -l "$mandir/man1/vouchsim.1"
fi
ok completion test -s "$bashcompletiondir/vouchsim"

# by name, from an empty directory, with a shipped scenario that extends another
t run-by-name 0 '' -- sh -c 'cd "$1" && "$2" run china-2025 --until 2025-02-01 -q -o x.h5' sh "$tmp" "$vs"
ok run-by-name-file test -s "$tmp/x.h5"
t summary 0 'firms' -- "$vs" summary "$tmp/x.h5"
t extends-installed 0 'shandong-1b.yaml: ok' -- sh -c 'cd "$1" && "$2" validate shandong-1b' sh "$tmp" "$vs"
# a relocated install: VOUCHSIM_DATADIR
mkdir "$tmp/moved" && cp -R "$pkgdatadir/scenarios" "$tmp/moved/"
t relocated 0 "^$tmp/moved/scenarios/mmc.yaml: ok" -- env VOUCHSIM_DATADIR="$tmp/moved" sh -c 'cd / && "$1" validate mmc' sh "$vs"

if command -v bash >/dev/null 2>&1; then
  got=$(PATH="$bindir:$PATH" bash -c '. "$1"; COMP_WORDS=(vouchsim run china-2025 --cou); COMP_CWORD=3; _vouchsim
        printf "%s " "${COMPREPLY[@]}"; COMP_WORDS=(vouchsim run chi); COMP_CWORD=2; _vouchsim
        printf "%s " "${COMPREPLY[@]}"; complete -p vouchsim' sh "$bashcompletiondir/vouchsim")
  ok completion-works test "$got" = "--counterfactual china-2025-2030 china-2025 complete -F _vouchsim vouchsim"
  [ "$got" = "--counterfactual china-2025-2030 china-2025 complete -F _vouchsim vouchsim" ] || echo "  got: $got"
fi
echo "installcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
