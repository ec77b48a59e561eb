#!/bin/sh
# tests/export_parents.sh - export --csv DIR makes DIR's missing parents,
#   DIR and DIR/series; when one of those mkdirs fails after others were
#   made, every directory the export made is removed again (and one that
#   was there stays): exit 1, the one line "export: cannot create PATH:
#   REASON", no "created directory" line. The failures: a name too long
#   for the file system (ENAMETOOLONG, for anyone), and a disk with no
#   room for another directory (tests/enospc.so with VOUCHSIM_SHIM_MKDIRS=N:
#   the process may make N directories, the next fails with ENOSPC).
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp export_parents
tiny_scenario t.yaml 3d 5
"$vs" run t.yaml -o r.h5 --quiet || { echo "FAIL: the run to export"; exit 1; }
before=$(ls -A)

# a deeper parent's name is too long: "new" was made first, then removed
long=$(printf '%0300d' 0)
exact too-long 1 "vouchsim: export: cannot create new/$long/csv/series: File name too long" -- \
  "$vs" export r.h5 --csv "new/$long/csv"
ok too-long-nothing-left test "$(ls -A)" = "$before"
rm -rf new

shim="$b/tests/enospc.so"
if [ -f "$shim" ]; then
  # mkdirs N CSV [OPTION]: export r.h5 --csv CSV when N directories may be made
  mkdirs() {
    n=$1; shift
    VOUCHSIM_SHIM_MKDIRS=$n LD_PRELOAD="$shim" \
      ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
      "$vs" export r.h5 --csv "$@"
  }
  nospc="No space left on device"
  # a/b/c/series: the first 0 to 3 made, the next refused
  for n in 0 1 2 3; do
    exact "deep-$n" 1 "vouchsim: export: cannot create a/b/c/series: $nospc" -- mkdirs $n a/b/c
    ok "deep-$n-nothing-left" test "$(ls -A)" = "$before"
    rm -rf a            # each case on its own
  done
  # DIR alone missing: DIR made, DIR/series refused: DIR removed
  exact dir-made 1 "vouchsim: export: cannot create out/series: $nospc" -- mkdirs 1 out
  ok dir-made-removed test ! -e out
  rm -rf out
  # --long writes no series/: its parents made, DIR refused
  t long-parents 1 "^vouchsim: export: cannot create a/b: $nospc\$" -- mkdirs 1 a/b --long
  ok long-parents-removed test ! -e a
  rm -rf a
  # a DIR that was there stays (empty, as it was)
  mkdir have
  exact have 1 "vouchsim: export: cannot create have/series: $nospc" -- mkdirs 0 have
  ok have-stays test -d have -a -z "$(ls -A have)"
  rmdir have
  # room for all of them: the export as usual
  EXACT_STDERR=1 exact room 0 "vouchsim: export: created directory a
vouchsim: export: created directory a/b" -- mkdirs 4 a/b/c
  ok room-written test -f a/b/c/series.csv
else
  echo "export_parents: no tests/enospc.so: the failed-mkdir cases are not run"
fi

echo "export_parents: $pass passed, $fail failed"
[ $fail -eq 0 ]
