#!/bin/sh
# tests/disk_full_out.sh - plot and export on a full disk: exit 1, the path
# and "No space left on device", nothing at the final path, no temporary
# file left. Needs root to mount small tmpfs file systems; skipped (77)
# where mounting is not permitted.
b=${top_builddir:-.}
vs="$PWD/$b/vouchsim"
case $b in /*) vs="$b/vouchsim";; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/disk_full.XXXXXX") || exit 1
mnt="$tmp/mnt"
mkdir "$mnt"
cleanup() {
  mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"
  rm -rf "$tmp"
}
trap cleanup EXIT
if ! mount -t tmpfs -o size=64k tmpfs "$mnt" 2>/dev/null; then
  echo "SKIP: cannot mount a tmpfs (needs root)"; exit 77
fi
umount "$mnt"
. "${top_srcdir:-.}/tests/lib.sh"
"$b/tests/mkh5" "$tmp/good.h5" 3 || { echo "mkh5 failed"; exit 1; }
has_gnuplot=1
command -v gnuplot >/dev/null 2>&1 || [ -n "${VOUCHSIM_GNUPLOT:-}" ] || has_gnuplot=0

nothing_left() { [ -z "$(find "$mnt" -mindepth 1 ! -name fill)" ]; }

# sizes: the script or data does not fit (16k, 64k); they fit and the
# chart does not (160k, 200k); export fails at one file or another
for k in 16 64 160 200; do
  mount -t tmpfs -o "size=${k}k" tmpfs "$mnt" || { echo "FAIL: mount"; exit 1; }
  if [ $has_gnuplot = 1 ]; then
    t "plot-${k}k" 1 "$mnt/d/chart\\.png: .*No space left on device" -- \
      sh -c "mkdir '$mnt/d' && '$vs' plot '$tmp/good.h5' --chart demand -o '$mnt/d/chart.png'"
    ok "plot-${k}k-nothing-at-path" test ! -e "$mnt/d/chart.png"
    ok "plot-${k}k-no-temp" test -z "$(find "$mnt" -name '.vouchsim-*')"
    rm -rf "$mnt/d"
  fi
  t "export-${k}k" 1 "$mnt/csv/.*\\.csv: cannot write: No space left on device" -- \
    "$vs" export "$tmp/good.h5" --csv "$mnt/csv"
  ok "export-${k}k-nothing-left" nothing_left
  umount "$mnt"
done

# a directory that already holds an export: refused without --force; a
# failed export with --force leaves it as it was
mount -t tmpfs -o size=200k tmpfs "$mnt" || { echo "FAIL: mount"; exit 1; }
mkdir -p "$mnt/csv/series"
echo 'old' > "$mnt/csv/scalars.csv"
t export-refuses-old 2 'scalars.csv: an earlier export is in' -- "$vs" export "$tmp/good.h5" --csv "$mnt/csv"
t export-keeps-old 1 'No space left on device' -- "$vs" export "$tmp/good.h5" --csv "$mnt/csv" --force
ok export-keeps-old-content grep -qx old "$mnt/csv/scalars.csv"
ok export-keeps-old-no-temp test -z "$(find "$mnt" -name '.vouchsim-*')"
umount "$mnt"

# with room, the same commands succeed (the failures above are the disk's)
mount -t tmpfs -o size=4m tmpfs "$mnt" || { echo "FAIL: mount"; exit 1; }
if [ $has_gnuplot = 1 ]; then
  t plot-room 0 'chart\.png' -- "$vs" plot "$tmp/good.h5" --chart demand -o "$mnt/chart.png"
fi
t export-room 0 '' -- "$vs" export "$tmp/good.h5" --csv "$mnt/csv"
ok export-room-files test -s "$mnt/csv/series/region_utilization.csv"
umount "$mnt"
echo "disk_full: $pass passed, $fail failed"
[ $fail -eq 0 ]
