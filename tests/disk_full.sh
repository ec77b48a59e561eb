#!/bin/sh
# tests/disk_full.sh - a full disk under run (-r 2 and 3), sweep and
# compare -o: exit 1 (never a signal) with one line naming the path and
# the system's reason, nothing at the final path, no temporary files, no
# fragments directory, no lock file, unless --resume had fragments to keep,
# which the line then names. Two full disks: tests/enospc.so, an LD_PRELOAD
# shim that lets files grow by 2 MB (for anyone), and as root a 2 MB tmpfs
# (mount -t tmpfs); skipped (77) only when neither can be had.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/disk_full.XXXXXX") || exit 1
tmp=$(cd "$tmp" && pwd -P)          # the shim compares real paths
. "$lib"
sc=scenarios/china-2025.yaml        # about 0.5 MB a run: 2 or 3 runs fill 2 MB
full=
left() { ls -A "$full"; }
clear() { rm -rf "$full"/* "$full"/.[!.]*; }

# full NAME PATH COMMAND...: exit 1, one line "vouchsim: ...PATH...: No
# space left on device", and nothing left on the file system.
full() {
  name=$1 path=$2; shift 2
  clear
  "$@" >"$tmp/out" 2>"$tmp/err"
  st=$?
  ok "$name-status-1" test "$st" -eq 1
  [ "$st" -eq 1 ] || sed 's/^/  | /' "$tmp/err"
  ok "$name-one-line" test "$(wc -l <"$tmp/err")" -eq 1
  ok "$name-names-path" grep -q "^vouchsim: .*$path[^ ]*: No space left on device\$" "$tmp/err"
  ok "$name-no-hdf5-stack" sh -c "! grep -q 'HDF5-DIAG\|errno = ' '$tmp/err'"
  ok "$name-nothing-left" test -z "$(left)"
  [ -z "$(left)" ] || left | sed 's/^/  left: /'
}

# all PREFIX: every case, with vouchsim run as "$@" (a wrapper) on $full.
all() {
  p=$1; shift
  full $p-run-r2 "$full/a.h5" "$@" run $sc -r 2 -j 2 -o "$full/a.h5" --quiet
  full $p-run-r3 "$full/a.h5" "$@" run $sc -r 3 -j 2 -o "$full/a.h5" --quiet
  full $p-sweep "$full/s.h5" "$@" sweep $sc --vary programs.shanghai-compute.coverage=0.3:0.8:3 \
    -j 2 -o "$full/s.h5" --quiet
  full $p-compare "$full/c.h5" "$@" compare $sc scenarios/shandong-1b.yaml -r 2 -j 2 \
    -o "$full/c.h5" --quiet

  # --resume with fragments to keep: they stay, and the line says so.
  # (The fragments are made without the shim, which never gives back the
  # space of a file that shrinks.)
  clear
  VOUCHSIM_TEST_STOP_AFTER=3 "$vs" run $sc -r 3 -j 1 -o "$full/k.h5" --quiet 2>/dev/null
  ok $p-keep-setup test -e "$full/k.h5.parts/run-0002.h5"
  "$@" run $sc -r 3 -j 1 -o "$full/k.h5" --resume --quiet >/dev/null 2>"$tmp/err"
  st=$?
  ok $p-keep-status-1 test "$st" -eq 1
  ok $p-keep-one-line test "$(wc -l <"$tmp/err")" -eq 1
  ok $p-keep-says grep -q "^vouchsim: $full/k.h5: No space left on device; 3 finished runs kept in $full/k.h5.parts/ for --resume\$" "$tmp/err"
  [ "$st" -eq 1 ] || sed 's/^/  | /' "$tmp/err"
  ok $p-keep-exactly test "$(left | tr '\n' ' ')" = "k.h5.parts "
  ok $p-keep-fragments test "$(ls -A "$full/k.h5.parts" | tr '\n' ' ')" = "run-0000.h5 run-0001.h5 run-0002.h5 "
}

# 1. Anyone: the shim (a 2 MB "disk" under $tmp/shim, no fallocate). Each
# command is a new process, so each starts with 2 MB free.
ran=0
shim="$b/tests/enospc.so"
if [ -f "$shim" ]; then
  full="$tmp/shim"
  mkdir "$full"
  shimmed() {
    VOUCHSIM_SHIM_DIR="$full" VOUCHSIM_SHIM_BYTES=2000000 LD_PRELOAD="$shim" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$vs" "$@"
  }
  all shim shimmed
  ran=1
fi

# 2. Root: a real 2 MB tmpfs (space reserved with fallocate).
full="$tmp/full"
mkdir "$full"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=2m tmpfs "$full" 2>/dev/null; then
  trap 'umount "$full"; rm -rf "$tmp"' EXIT
  all tmpfs "$vs"
  ran=1
else
  echo "disk_full: no tmpfs case (mounting one needs root)"
fi
trap 'umount "$full" 2>/dev/null; rm -rf "$tmp"' EXIT
if [ $ran -eq 0 ]; then
  echo "disk_full: SKIP: neither the shim nor a tmpfs"
  exit 77
fi

echo "disk_full: $pass passed, $fail failed"
[ $fail -eq 0 ]
