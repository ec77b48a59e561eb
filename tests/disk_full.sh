#!/bin/sh
# tests/disk_full.sh - a full disk under run (-r 2 and 3), sweep and
# compare -o: exit 1 (never a signal) with one line naming the path and
# the system's reason, nothing at the final path, no temporary files, no
# fragments directory, no lock file, unless --resume had fragments to keep,
# which the line then names. Needs a small file system: as root, a 2 MB
# tmpfs (mount -t tmpfs); skipped (77) where mounting is not permitted.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/disk_full.XXXXXX") || exit 1
full="$tmp/full"
mkdir "$full" || exit 1
if [ "$(id -u)" -ne 0 ] || ! mount -t tmpfs -o size=2m tmpfs "$full" 2>/dev/null; then
  rmdir "$full" "$tmp"
  echo "disk_full: SKIP: cannot mount a small tmpfs (needs root)"
  exit 77
fi
trap 'umount "$full"; rm -rf "$tmp"' EXIT
. "$lib"
sc=scenarios/china-2025.yaml        # about 0.5 MB a run: 2 or 3 runs fill 2 MB
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
full run-r2 "$full/a.h5" "$vs" run $sc -r 2 -j 2 -o "$full/a.h5" --quiet
full run-r3 "$full/a.h5" "$vs" run $sc -r 3 -j 2 -o "$full/a.h5" --quiet
full sweep "$full/s.h5" "$vs" sweep $sc --vary programs.shanghai-compute.coverage=0.3:0.8:3 \
  -j 2 -o "$full/s.h5" --quiet
full compare "$full/c-base.h5" "$vs" compare $sc scenarios/shandong-1b.yaml -r 2 -j 2 \
  -o "$full/c" --quiet

# --resume with fragments to keep: they stay, and the line says so.
clear
VOUCHSIM_TEST_STOP_AFTER=3 "$vs" run $sc -r 3 -j 1 -o "$full/k.h5" --quiet 2>/dev/null
ok keep-setup test -e "$full/k.h5.parts/run-0002.h5"
"$vs" run $sc -r 3 -j 1 -o "$full/k.h5" --resume --quiet >/dev/null 2>"$tmp/err"
st=$?
ok keep-status-1 test "$st" -eq 1
ok keep-one-line test "$(wc -l <"$tmp/err")" -eq 1
ok keep-says grep -q "^vouchsim: $full/k.h5: No space left on device; 3 finished runs kept in $full/k.h5.parts/ for --resume\$" "$tmp/err"
[ "$st" -eq 1 ] || sed 's/^/  | /' "$tmp/err"
ok keep-exactly test "$(left | tr '\n' ' ')" = "k.h5.parts "
ok keep-fragments test "$(ls -A "$full/k.h5.parts" | tr '\n' ' ')" = "run-0000.h5 run-0001.h5 run-0002.h5 "

echo "disk_full: $pass passed, $fail failed"
[ $fail -eq 0 ]
