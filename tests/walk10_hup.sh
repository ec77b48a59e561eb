#!/bin/sh
# tests/walk10_hup.sh - SIGHUP (a terminal closed, an ssh connection
# dropped) stops run, sweep, compare and optimize as SIGINT and SIGTERM
# do: the finished runs kept for --resume, the runs in flight dropped with
# their temporary files, one line that says so, exit 129 (before, the
# default action killed them silently and left .run-NNNN.h5.tmp.* files in
# FILE.h5.parts/). Started with SIGHUP ignored (nohup), they ignore it and
# finish. --resume with another --until says that the kept runs are of
# another command and are run again. compare in its merge finishes FILE.h5 (exit 0). The signal goes
# once the first fragment (or journal line, merge file) exists.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp walk10_hup
nat="$s/scenarios/national.yaml"
said() { grep -q -- "$2" "$1"; }
no_tmp() { [ -z "$(ls -aR . | grep '\.tmp\.')" ]; }

# ---- run ----
signal_when run HUP "[ -e int.h5.parts/run-0000.h5 ] || [ -e int.h5.parts/run-0001.h5 ]" \
  "$vs" run "$nat" --until 2025-01-05 --set warmup=90d -r 6 -j 1 -o int.h5
ok run-exit [ "$(cat run.rc)" -eq 129 ]
ok run-said sh -c "head -1 run.err | grep -Eq '^vouchsim: interrupted: [1-5] of 6 runs finished and kept in int.h5.parts/; to go on from them, run the same command with --resume:\$'"
ok run-command grep -q "^  .*run --resume .*national.yaml --until 2025-01-05 --set warmup=90d -r 6 -j 1 -o int.h5\$" run.err
ok run-no-tmp no_tmp
ok run-no-lock [ ! -e .int.h5.lock ]
"$vs" run "$nat" --until 2025-01-05 --set warmup=90d -r 6 -j 1 -o int.h5 --resume -q
ok run-resumed [ $? -eq 0 -a -s int.h5 -a ! -e int.h5.parts ]

# ---- sweep ----
signal_when sweep HUP "[ -e sw.h5.parts/run-0000.h5 ] || [ -e sw.h5.parts/run-0001.h5 ]" \
  "$vs" sweep "$nat" --until 2025-01-05 --set warmup=90d \
  --vary 'programs[0].coverage=0.3,0.6,0.9' -j 1 -o sw.h5 --quiet
ok sweep-exit [ "$(cat sweep.rc)" -eq 129 ]
ok sweep-said sh -c "head -1 sweep.err | grep -Eq '^vouchsim: interrupted: [1-2] of 3 runs finished and kept in sw.h5.parts/'"
ok sweep-no-tmp no_tmp
# resumed with another --until: its kept runs are of another command, and
# the resume line says so (before, "0 of 3 runs done already" alone)
"$vs" sweep "$nat" --until 2025-01-04 --set warmup=90d \
  --vary 'programs[0].coverage=0.3,0.6,0.9' -j 1 -o sw.h5 --resume > /dev/null 2> swr.err
ok sweep-other-exit [ $? -eq 0 ]
ok sweep-other-said grep -Eq '^vouchsim: resume: 0 of 3 runs done already in sw\.h5\.parts; (1 finished run there belongs|2 finished runs there belong) to another command \(another scenario, --set, --seed, --until, --totals-only or version\): (it is|they are) run again$' swr.err

# ---- run started with SIGHUP ignored, as nohup starts it: it finishes ----
signal_when nohup HUP "[ -e nh.h5.parts/run-0000.h5 ] || [ -e nh.h5.parts/run-0001.h5 ]" \
  sh -c 'trap "" HUP; exec "$@"' sh "$vs" run "$nat" --until 2025-01-05 --set warmup=90d -r 4 -j 1 -o nh.h5 -q
ok nohup-exit [ "$(cat nohup.rc)" -eq 0 ]
ok nohup-whole [ -s nh.h5 -a ! -e nh.h5.parts ]
ok nohup-silent [ ! -s nohup.err ]

# ---- compare in its merge: finishes FILE.h5 ----
signal_when cmp HUP "ls .cmp.h5.tmp.* > /dev/null 2>&1" \
  "$vs" compare "$s/scenarios/china-2025.yaml" "$s/scenarios/west-first.yaml" -r 4 -o cmp.h5 --quiet
ok cmp-exit [ "$(cat cmp.rc)" -eq 0 ]
ok cmp-said sh -c "tail -1 cmp.err | grep -Eq '^vouchsim: interrupted while finishing cmp.h5: it is complete\$'"
ok cmp-no-arms [ ! -e cmp.h5.arms ]
ok cmp-no-tmp no_tmp

# ---- optimize ----
signal_when opt HUP "[ \"\$(cat k.yaml.journal 2>/dev/null | wc -l)\" -ge 2 ]" \
  "$vs" optimize "$s/scenarios/mmc.yaml" --set cities.testville.arrivals=240 --set horizon=30d \
  --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h --delta 0.01 -j 1 -o k.yaml
ok opt-exit [ "$(cat opt.rc)" -eq 129 ]
ok opt-said said opt.err "kept in k.yaml.journal; to go on from them, run the same command with --resume"
ok opt-no-chosen [ ! -e k.yaml ]

# ---- documented: each command's --help, the man page ----
for c in run compare sweep optimize; do
  ok "help-$c" sh -c '"$1" "$2" --help | tr "\n" " " | grep -Eq "130/143/129 interrupted +\(SIGINT/SIGTERM/SIGHUP:"' sh "$vs" "$c"
done
ok man-129 grep -q '^\.BR 130 ", " 143 ", " 129$' "$s/doc/vouchsim.1"

echo "walk10_hup: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
