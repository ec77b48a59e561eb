#!/bin/sh
# tests/intr_fragments.sh - what an experiment's fragments take and leave.
# 1. A fragment occupies about its size on disk: the space the writer
#    reserves ahead (fallocate, 256 KiB at least) is given back at commit,
#    also for a --totals-only fragment of a few KiB (ext4 punches no hole
#    past the end of a file: the reserve stayed, 6x the fragment).
# 2. Ctrl-C or SIGTERM removes the fragments being written (their
#    temporary files, in every thread), so --resume finds no stale one;
#    interrupted before any run finished, it says nothing is kept and
#    leaves nothing (no .parts, no compare .arms, no lock file). The signal
#    goes once a fragment is being written (its temporary file exists):
#    national.yaml with a short warm-up runs about a second per run.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp intr_fragments
nat="$s/scenarios/national.yaml"
short="--until 2025-01-05 --set warmup=90d"
none="vouchsim: interrupted before a run finished: nothing is kept (the same command starts over)"
# writing PARTS: a fragment's temporary file is there
writing() { echo "ls -A '$1' 2>/dev/null | grep -q '^\\.run-.*\\.tmp\\.'"; }
# the temporary files left in PARTS (none: empty)
tmps() { ls -A "$1" 2>/dev/null | grep '\.tmp\.'; }
# the fragments in PARTS
frags() { ls "$1" 2>/dev/null | grep -c '^run-[0-9]*\.h5$'; }

# ---- 1. disk use: blocks * block size <= 2 x size + 4 KiB ----
fits() {    # FILE: true when its blocks are about its size
  set -- $(stat -c '%s %b %B' "$1")
  [ "$1" -gt 0 ] && [ $(($2 * $3)) -le $((2 * $1 + 4096)) ] \
    || { echo "  | $1 bytes in $2 blocks of $3"; false; }
}
VOUCHSIM_TEST_STOP_AFTER=2 "$vs" sweep "$nat" $short --vary 'programs[0].coverage=0.3,0.6' \
  -r 2 -j 1 -o tot.h5 --totals-only --quiet > /dev/null 2>&1
ok totals-kept [ "$(frags tot.h5.parts)" -eq 2 ]
for f in tot.h5.parts/run-*.h5; do ok "totals-blocks-${f##*/}" fits "$f"; done
VOUCHSIM_TEST_STOP_AFTER=2 "$vs" run "$nat" $short -r 3 -j 1 -o ser.h5 --quiet > /dev/null 2>&1
ok series-kept [ "$(frags ser.h5.parts)" -eq 2 ]
for f in ser.h5.parts/run-*.h5; do ok "series-blocks-${f##*/}" fits "$f"; done
rm -rf tot.h5.parts ser.h5.parts .tot.h5.lock .ser.h5.lock

# ---- 2. run: interrupted with runs kept and one being written ----
signal_when int INT "[ -e int.h5.parts/run-0000.h5 ] && $(writing int.h5.parts)" \
  "$vs" run "$nat" $short -r 6 -j 1 -o int.h5
kept=$(frags int.h5.parts)
ok int-exit [ "$(cat int.rc)" -eq 130 ]
ok int-no-tmp [ -z "$(tmps int.h5.parts)" ]
ok int-no-tmp-beside [ -z "$(tmps .)" ]
ok int-says-kept grep -q "^vouchsim: interrupted: $kept of 6 runs finished and kept in int.h5.parts/;" int.err
t int-resume-no-stale 0 "^vouchsim: resume: $kept of 6 runs done already in int.h5.parts\$" -- \
  "$vs" run "$nat" $short -r 6 -j 1 -o int.h5 --resume
ok int-resumed sh -c '[ -s int.h5 ] && [ ! -e int.h5.parts ]'

# ---- 3. run: interrupted before any run finished ----
signal_when zero INT "$(writing zero.h5.parts)" "$vs" run "$nat" $short -r 6 -j 1 -o zero.h5
ok zero-exit [ "$(cat zero.rc)" -eq 130 ]
ok zero-says-none [ "$(cat zero.err)" = "$none" ]
ok zero-nothing-left [ -z "$(ls -A | grep zero.h5)" ]

# ---- 4. sweep, two runs in flight: none left; SIGTERM before any finished ----
signal_when sw TERM "[ -e sw.h5.parts/run-0000.h5 ] && [ \$(ls -A sw.h5.parts | grep -c '\\.tmp\\.') -ge 2 ]" \
  "$vs" sweep "$nat" $short --vary 'programs[0].coverage=0.3,0.6,0.9' -r 2 -j 2 -o sw.h5 --quiet
ok sw-exit [ "$(cat sw.rc)" -eq 143 ]
ok sw-no-tmp [ -z "$(tmps sw.h5.parts)" ]
ok sw-says-kept grep -q "^vouchsim: interrupted: $(frags sw.h5.parts) of 6 runs finished and kept in sw.h5.parts/;" sw.err
signal_when sw0 TERM "[ \$(ls -A sw0.h5.parts 2>/dev/null | grep -c '\\.tmp\\.') -ge 2 ]" \
  "$vs" sweep "$nat" $short --vary 'programs[0].coverage=0.3,0.6,0.9' -r 2 -j 2 -o sw0.h5 \
  --totals-only --quiet
ok sw0-exit [ "$(cat sw0.rc)" -eq 143 ]
ok sw0-says-none [ "$(cat sw0.err)" = "$none" ]
ok sw0-nothing-left [ -z "$(ls -A | grep sw0.h5)" ]

# ---- 5. compare: in the base arm before any run finished: no .arms ----
signal_when cb INT "$(writing cb.h5.arms/base.h5.parts)" \
  "$vs" compare "$nat" "$nat" $short -r 2 -j 1 -o cb.h5
ok cb-exit [ "$(cat cb.rc)" -eq 130 ]
ok cb-says-none [ "$(cat cb.err)" = "$none" ]
ok cb-nothing-left [ -z "$(ls -A | grep cb.h5)" ]
# in the policy arm before its first run finished: the base arm is kept,
# and the fragments directory --resume goes on in
signal_when cp INT "$(writing cp.h5.arms/policy.h5.parts)" \
  "$vs" compare "$nat" "$nat" $short -r 2 -j 1 -o cp.h5
ok cp-exit [ "$(cat cp.rc)" -eq 130 ]
ok cp-says-kept grep -q "^vouchsim: interrupted: 0 of 2 runs finished and kept in cp.h5.arms/policy.h5.parts/;" cp.err
ok cp-base-kept [ -s cp.h5.arms/base.h5 ]
ok cp-no-tmp [ -z "$(tmps cp.h5.arms/policy.h5.parts)$(tmps cp.h5.arms)" ]
t cp-resume 0 'compare: 4 runs \(2 resumed from cp\.h5\.arms, 2 run now\)' -- \
  "$vs" compare "$nat" "$nat" $short -r 2 -j 1 -o cp.h5 --resume

echo "intr_fragments: $pass passed, $fail failed"
[ $fail -eq 0 ]
