#!/bin/sh
# tests/walkfix_h_export.sh - export --long says before writing how big
# series_long.csv will be (its rows exactly, its bytes within 2%), and
# refuses (exit 1, nothing written) when even its cells without the
# values cannot fit in the free space of DIR's file system (a small
# tmpfs; that part is skipped where mounting is not permitted). Without
# --long, no such line.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
src=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_h_export.XXXXXX") || exit 1
mnt="$tmp/mnt"
cleanup() {
  mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
  [ -n "$KEEP" ] || rm -rf "$tmp"
}
trap cleanup EXIT
. "$src/tests/lib.sh"
cd "$tmp" || exit 1

"$vs" sweep "$src/scenarios/minimal.yaml" --vary 'seed=1,2' -r 3 --until 2025-03-01 \
  -o s.h5 > /dev/null 2>&1 || { echo "sweep failed"; exit 1; }

t long-says-size 0 '^vouchsim: export: --long: l/series_long.csv will take about [0-9.]+ (bytes|kB|MB) \([0-9,]+ rows; s.h5 is [0-9.]+ (kB|MB)\)$' -- \
  "$vs" export s.h5 --csv l --long
"$vs" export s.h5 --csv l2 --long 2> est.txt > /dev/null
rows=$(sed -n 's/.*(\([0-9,]*\) rows.*/\1/p' est.txt | tr -d ,)
ok long-rows-exact [ "$rows" = "$(($(wc -l < l2/series_long.csv) - 1))" ]
est=$(sed -n 's/.* will take about \([0-9.]*\) \([a-zA-Z]*\) .*/\1 \2/p' est.txt \
  | awk '{ m = $2 == "kB" ? 1e3 : $2 == "MB" ? 1e6 : $2 == "GB" ? 1e9 : 1; printf "%.0f", $1 * m }')
size=$(wc -c < l2/series_long.csv)
ok long-bytes-close awk -v e="$est" -v s="$size" 'BEGIN { d = e - s; if (d < 0) d = -d; exit !(s > 0 && d <= 0.02 * s) }'
# the wide export says nothing of the sort
t wide-no-estimate 0 '^w$' -- "$vs" export s.h5 --csv w

# a comparison file without --arm: its differences only, so no estimate
"$vs" compare "$src/scenarios/minimal.yaml" "$src/scenarios/minimal.yaml" --set seed=2 -r 2 \
  --until 2025-01-15 -o c.h5 > /dev/null 2>&1 || { echo "compare failed"; exit 1; }
t cmp-differences-no-estimate 0 '^cd$' -- "$vs" export c.h5 --csv cd --long
# ... and says why --long wrote no series, naming an arm to ask for
t cmp-long-says-arm 0 '^vouchsim: export: --long: c.h5 is a comparison file, whose series are kept per arm: only its differences are written; add --arm [a-z0-9_-]+ ' -- \
  "$vs" export c.h5 --csv cd2 --long
# one arm of it: the estimate of that arm's rows
t cmp-arm-estimate 0 '^vouchsim: export: --long: ca/series_long.csv will take about ' -- \
  "$vs" export c.h5 --csv ca --long --arm base

# a file system too small for the long rows: refused before writing
mkdir "$mnt"
if mount -t tmpfs -o size=560k tmpfs "$mnt" 2>/dev/null; then
  t long-no-room 1 "^vouchsim: export: --long: $mnt/x/series_long.csv needs at least [0-9.]+ (kB|MB) \\(about [0-9.]+ (kB|MB), [0-9,]+ rows\\), more than the [0-9.]+ kB free there: nothing written; free space, export to another DIR, or export without --long \\(the wide files\\)\$" -- \
    "$vs" export s.h5 --csv "$mnt/x" --long
  ok long-no-room-nothing [ -z "$(ls -A "$mnt")" ]
  # the wide files of this file fit there
  t wide-fits 0 '' -- "$vs" export s.h5 --csv "$mnt/w"
  umount "$mnt"
else
  echo "walkfix_h_export: cannot mount a tmpfs (needs root): the free-space refusal is not tried"
fi

echo "walkfix_h_export: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
