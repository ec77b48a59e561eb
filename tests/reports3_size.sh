#!/bin/sh
# tests/reports3_size.sh - the file size sweep prints before it runs is a
# range that holds: the file written lies within it, with the series and
# with --totals-only, for a grid of a few runs, many runs, one run, and a
# Sobol design (whose /sobol/indices the estimate counts). Fixed seeds (the
# scenarios'), short windows; the estimate is a model (tools/cmd_sweep.c,
# file_bytes), so the point itself is also held to 12% of the file.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/reports3_size.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# bytes of "1.05 GiB", "864 MiB", "97.7 KiB", "512 B"
bytes() { awk -v v="$1" -v u="$2" 'BEGIN { m = u == "KiB" ? 1024 : u == "MiB" ? 1048576 : u == "GiB" ? 1073741824 : 1
                                           printf "%.0f", v * m }'; }
# NAME [--totals-only] ARGS...: runs the sweep, checks that the file's size
# is within the printed range and the point within 12% of it
check() {
  nm=$1; shift
  "$vs" sweep "$@" -o "$nm.h5" -j 2 > /dev/null 2> "$nm.err"
  line=$(grep 'a file of about' "$nm.err")
  # the first "about X U (LO U to HI U)" of the line: the file as written
  set -- $(printf '%s\n' "$line" | sed -E 's/.*a file of about ([0-9.]+) ([KMGi]*B) \(([0-9.]+) ([KMGi]*B) to ([0-9.]+) ([KMGi]*B)\).*/\1 \2 \3 \4 \5 \6/')
  if [ $# -ne 6 ]; then
    ok "$nm-printed" false; sed 's/^/  | /' "$nm.err"; return
  fi
  est=$(bytes "$1" "$2") lo=$(bytes "$3" "$4") hi=$(bytes "$5" "$6")
  size=$(wc -c < "$nm.h5")
  ok "$nm-in-range ($lo <= $size <= $hi)" [ "$lo" -le "$size" -a "$size" -le "$hi" ]
  ok "$nm-point ($est ~ $size)" awk -v e="$est" -v a="$size" 'BEGIN { exit !(e > 0.88 * a && e < 1.12 * a) }'
}

small="$s/tests/data/small.yaml"
china="$s/scenarios/china-2025.yaml"
check small-series "$small" --vary 'programs[0].coverage=0.3:0.9:3' -r 2 --set warmup=0 --until 2025-03-01
check small-totals "$small" --vary 'programs[0].coverage=0.3:0.9:3' -r 2 --set warmup=0 --until 2025-03-01 --totals-only
check small-one "$small" --vary 'programs[0].coverage=0.5' -r 1 --set warmup=0 --until 2025-03-01
check small-many "$small" --vary 'programs[0].coverage=0.3:0.9:30' -r 2 --set warmup=0 --until 2025-01-15 --totals-only
check china-sobol "$china" --design sobol --samples 8 -r 1 --set warmup=0 --until 2025-01-10 \
  --vary programs.shanghai-compute.coverage=0.3:0.9 --vary firms.reservation_price.median=5.0:15.0 --totals-only
check china-series "$china" --vary routing=nearest,west_first -r 2 --set warmup=0 --until 2025-02-01

echo "reports3_size: $pass passed, $fail failed"
[ $fail -eq 0 ]
