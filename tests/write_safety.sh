#!/bin/sh
# tests/write_safety.sh - what vouchsim does to the files around it: an
# output that is the input scenario is refused (exit 2, the scenario
# untouched, also through a symbolic or hard link); a second command on
# an output being written fails at once naming the process (the fcntl
# lock DIR/.NAME.lock); SIGTERM during the runs and during the merge says
# what happened, leaves nothing at the final path and no lock, and
# --resume goes on; --resume removes the temporary files dead processes
# left; an existing output, or an interrupted command's finished runs, are
# never replaced or started over without --force. The disk-full half is
# tests/disk_full.sh.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1
vs="$b/vouchsim"
d=tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/write_safety.XXXXXX") || exit 1
bg=
trap '[ -n "$bg" ] && kill -KILL "$bg" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$lib"
empty_of() { [ -z "$(ls -A "$1" | grep -v "^$2\$")" ]; }
no_tmp() { [ -z "$(find "$1" -name '*.tmp.*')" ]; }

# ---- the output is not the input (exit 2, scenario untouched) ----
cp $d/small.yaml "$tmp/s.yaml"
t in-is-out 2 "^vouchsim: $tmp/s.yaml: is the input scenario $tmp/s.yaml" -- \
  "$vs" run "$tmp/s.yaml" -o "$tmp/s.yaml" --quiet
ok in-is-out-untouched cmp -s $d/small.yaml "$tmp/s.yaml"
ln -s s.yaml "$tmp/link.h5"
t in-via-symlink 2 "link.h5: is the input scenario" -- "$vs" run "$tmp/s.yaml" -o "$tmp/link.h5" --quiet
ln "$tmp/s.yaml" "$tmp/hard.h5"
t in-via-hardlink 2 "hard.h5: is the input scenario" -- "$vs" run "$tmp/s.yaml" -o "$tmp/hard.h5" --quiet
t in-sweep 2 "hard.h5: is the input scenario" -- \
  "$vs" sweep "$tmp/s.yaml" --vary datacenters.sh-1.price=10:12:2 -o "$tmp/hard.h5" --quiet
ln "$tmp/s.yaml" "$tmp/c.h5"
t in-compare 2 "c.h5: is the input scenario" -- \
  "$vs" compare $d/small.yaml "$tmp/s.yaml" -r 2 -o "$tmp/c.h5" --quiet
ok in-all-untouched cmp -s $d/small.yaml "$tmp/hard.h5"
ok in-nothing-written empty_of "$tmp" 's.yaml\|link.h5\|hard.h5\|c.h5'

# ---- nothing replaced or started over silently (exit 2, files untouched) ----
"$vs" run $d/small.yaml -r 2 -o "$tmp/keep.h5" --quiet
cp "$tmp/keep.h5" "$tmp/keep.copy"
t exists-run 2 "^vouchsim: $tmp/keep.h5: exists \([0-9.]+ MB, written [0-9-]+ [0-9:]+\): --force replaces it" -- \
  "$vs" run $d/small.yaml -r 3 -o "$tmp/keep.h5" --quiet
ok exists-run-untouched cmp -s "$tmp/keep.h5" "$tmp/keep.copy"
t exists-resume 2 "keep.h5: is complete: nothing to resume \(--force runs it again" -- \
  "$vs" run $d/small.yaml -r 2 -o "$tmp/keep.h5" --resume --quiet
# --resume of another command onto it: not "complete" (its runs are not these)
t exists-resume-other-reps 2 "keep.h5: holds other runs than this command's .*--force replaces it" -- \
  "$vs" run $d/small.yaml -r 3 -o "$tmp/keep.h5" --resume --quiet
t exists-resume-other-scenario 2 "keep.h5: holds other runs than this command's" -- \
  "$vs" run $d/small.yaml -r 2 --seed 99 -o "$tmp/keep.h5" --resume --quiet
t exists-sweep 2 "keep.h5: exists" -- \
  "$vs" sweep $d/small.yaml --vary datacenters.sh-1.price=10:12:2 -r 1 -o "$tmp/keep.h5" --quiet
t exists-compare 2 "keep.h5: exists" -- \
  "$vs" compare $d/small.yaml $d/small.yaml -r 2 -o "$tmp/keep.h5" --quiet
t exists-counterfactual 2 "keep.h5: exists" -- \
  "$vs" run $d/small.yaml --counterfactual -r 2 -o "$tmp/keep.h5" --quiet
ok exists-all-untouched cmp -s "$tmp/keep.h5" "$tmp/keep.copy"
t exists-force 0 '' -- "$vs" run $d/small.yaml -r 3 -o "$tmp/keep.h5" --quiet --force
ok exists-force-replaced test "$("$vs" summary "$tmp/keep.h5" --format csv | grep -c '')" -gt 0
ok exists-force-3-runs sh -c "\"$vs\" summary \"$tmp/keep.h5\" | grep -q '3 runs'"
# an interrupted run's fragments: refused without --resume, kept for it
VOUCHSIM_TEST_STOP_AFTER=1 "$vs" run $d/small.yaml -r 3 -j 1 -o "$tmp/int.h5" --quiet 2>/dev/null
t parts-refused 2 "int.h5.parts: holds 1 finished run of an interrupted command: --resume continues it, --force starts over" -- \
  "$vs" run $d/small.yaml -r 3 -o "$tmp/int.h5" --quiet
ok parts-kept test -e "$tmp/int.h5.parts/run-0000.h5"
t parts-resume 0 "resume: 1 of 3 runs done already" -- "$vs" run $d/small.yaml -r 3 -o "$tmp/int.h5" --resume
VOUCHSIM_TEST_STOP_AFTER=1 "$vs" run $d/small.yaml -r 3 -j 1 -o "$tmp/int2.h5" --quiet 2>/dev/null
t parts-force 0 '' -- "$vs" run $d/small.yaml -r 3 -o "$tmp/int2.h5" --force --quiet
ok parts-force-file test -s "$tmp/int2.h5" -a ! -e "$tmp/int2.h5.parts"
# an interrupted comparison's arms
VOUCHSIM_TEST_STOP_AFTER=1 "$vs" compare $d/small.yaml $d/small.yaml -r 2 -j 1 -o "$tmp/ic.h5" --quiet >/dev/null 2>&1
t arms-refused 2 "^vouchsim: $tmp/ic.h5.arms/ holds the arms of an interrupted comparison: --resume continues it, --force starts over" -- \
  "$vs" compare $d/small.yaml $d/small.yaml -r 2 -o "$tmp/ic.h5" --quiet
ok arms-kept test -e "$tmp/ic.h5.arms/base.h5.parts/run-0000.h5"
t arms-resume 0 "resume: 1 of 2 runs done already" -- \
  "$vs" compare $d/small.yaml $d/small.yaml -r 2 -o "$tmp/ic.h5" --resume
ok arms-resumed test -s "$tmp/ic.h5" -a ! -e "$tmp/ic.h5.arms"
rm -f "$tmp/keep.h5" "$tmp/keep.copy" "$tmp/int.h5" "$tmp/int2.h5" "$tmp/ic.h5"

# ---- the lock; SIGTERM during the runs ----
# A long run holds the lock; stopped (SIGSTOP) once its first run is done,
# it holds it for as long as the test needs, whatever the machine's speed.
"$vs" run scenarios/china-2025.yaml -r 16 -j 1 -o "$tmp/big.h5" --quiet 2>"$tmp/big.err" &
bg=$!
i=0
while [ ! -e "$tmp/big.h5.parts/run-0000.h5" ] && [ $i -lt 600 ]; do sleep 0.05; i=$((i + 1)); done
kill -STOP "$bg"
t lock-busy 1 "^vouchsim: $tmp/big.h5: is being written by process $bg " -- \
  "$vs" run $d/small.yaml -o "$tmp/big.h5" --quiet
t lock-busy-path 1 "big.h5: is being written by process $bg " -- \
  "$vs" run $d/small.yaml -o "$tmp/./big.h5" --resume --quiet
t lock-busy-sweep 1 "big.h5: is being written by process $bg " -- \
  "$vs" sweep $d/small.yaml --vary datacenters.sh-1.price=10:12:2 -o "$tmp/big.h5" --quiet
ok lock-others-fragments-kept test -d "$tmp/big.h5.parts"
kill -TERM "$bg"
kill -CONT "$bg"
wait "$bg"
st=$?
bg=
ok term-status test "$st" -eq 143
ok term-says-resume grep -Eq "interrupted(: [0-9]+ of [0-9]+ runs finished and kept in| while merging).*big.h5.parts/; to (go on from them|merge them), run the same command with --resume" "$tmp/big.err"
ok term-no-file test ! -e "$tmp/big.h5"
ok term-no-lock test ! -e "$tmp/.big.h5.lock"
ok term-no-merge-tmp empty_of "$tmp" 's.yaml\|link.h5\|hard.h5\|c.h5\|big.h5.parts\|big.err'
# The lock went with the process: the same command goes on at once.
t term-resume 0 "resume: [0-9]+ of 16 runs done already" -- \
  "$vs" run scenarios/china-2025.yaml -r 16 -o "$tmp/big.h5" --resume
ok term-resume-file test -s "$tmp/big.h5"
ok term-resume-clean test ! -e "$tmp/big.h5.parts"
ok term-resume-no-tmp no_tmp "$tmp"
ok term-resume-no-lock test ! -e "$tmp/.big.h5.lock"

# ---- SIGTERM during the merge (a test hook sends it after the first copy) ----
t merge-term 143 "interrupted while merging the runs into $tmp/m.h5, which was not written; all 3 finished runs are kept in $tmp/m.h5.parts/; to merge them, run the same command with --resume" -- \
  env VOUCHSIM_TEST_TERM_IN_MERGE=1 "$vs" run $d/small.yaml -r 3 -o "$tmp/m.h5" --quiet
ok merge-term-no-file test ! -e "$tmp/m.h5"
ok merge-term-no-tmp no_tmp "$tmp"
ok merge-term-no-lock test ! -e "$tmp/.m.h5.lock"
ok merge-term-parts test -e "$tmp/m.h5.parts/run-0002.h5"
t merge-term-resume 0 "resume: 3 of 3 runs done already" -- "$vs" run $d/small.yaml -r 3 -o "$tmp/m.h5" --resume
ok merge-term-resumed test -s "$tmp/m.h5"

# ---- --resume removes the temporary files of dead processes ----
# (a process killed with SIGKILL in a merge and in a run leaves these;
# pid 2147483647 is never alive)
VOUCHSIM_TEST_STOP_AFTER=1 "$vs" run $d/small.yaml -r 3 -j 1 -o "$tmp/st.h5" --quiet 2>/dev/null
: >"$tmp/.st.h5.tmp.2147483647.0"
: >"$tmp/st.h5.parts/.run-0001.h5.tmp.2147483647.0"
: >"$tmp/.other.h5.tmp.2147483647.0"         # another output's: not ours to remove
t stale-resume 0 "resume: 1 of 3 runs done already in $tmp/st.h5.parts; removed 2 stale temporary files" -- \
  "$vs" run $d/small.yaml -r 3 -j 1 -o "$tmp/st.h5" --resume
ok stale-gone test ! -e "$tmp/.st.h5.tmp.2147483647.0"
ok stale-other-kept test -e "$tmp/.other.h5.tmp.2147483647.0"
ok stale-file test -s "$tmp/st.h5"
ok stale-no-parts test ! -e "$tmp/st.h5.parts"

echo "write_safety: $pass passed, $fail failed"
[ $fail -eq 0 ]
