#!/bin/sh
# tests/escape_more.sh - the messages plot, export, compare (its arms),
# run and optimize print on stderr name a file or directory with ESC or a
# newline escaped (\x1b, \n), as tests/walkfix_i_escape.sh checks for the
# others: the messages a signal handler writes (composed beforehand) too,
# where the command to paste is left out when it holds such a character
# (printed escaped, it would not name the same files). stdout, which
# scripts read, names the files as they are.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp escape_more
esc=$(printf '\033')
nl='
'
d="$s/tests/data"
# said FILE TEXT: FILE holds no raw ESC and a line with TEXT in it
said() { ! grep -q "$esc" "$1" && grep -qF -- "$2" "$1"; }

"$vs" run "$s/scenarios/mmc.yaml" --set horizon=2d -o a.h5 --quiet || exit 1
"$vs" sweep "$d/small.yaml" --until 2025-01-20 -r 1 --vary 'programs[0].coverage=0.3,0.6' \
  --totals-only -o "t${esc}.h5" --quiet > /dev/null 2>&1 || exit 1

# ---- export ----
"$vs" export a.h5 --csv "p${esc}/q${nl}/out" > p.out 2> p.err
ok export-exit [ $? -eq 0 ]
ok export-created said p.err "vouchsim: export: created directory p\\x1b"
ok export-created-nl said p.err "vouchsim: export: created directory p\\x1b/q\\n"
ok export-created-lines [ "$(wc -l < p.err)" -eq 2 ]
ok export-stdout-as-is [ "$(cat p.out)" = "p${esc}/q${nl}/out" ]
"$vs" export a.h5 --csv "p${esc}/q${nl}/out" --force > /dev/null 2> rp.err
ok export-replaced said rp.err "vouchsim: export: replaced the earlier export in p\\x1b/q\\n/out"
"$vs" export "t${esc}.h5" --csv tdir > /dev/null 2> t.err
ok export-no-series said t.err "vouchsim: export: t\\x1b.h5 has no series (it was written with --totals-only)"
"$vs" export a.h5 --csv "l${esc}" --long > /dev/null 2> l.err
ok export-long said l.err "vouchsim: export: --long: l\\x1b/series_long.csv will take about"
# interrupted while it writes (the handler's message, composed beforehand)
"$vs" run "$s/scenarios/china-2025.yaml" -r 4 -o big.h5 --quiet || exit 1
signal_when ex TERM "ls 'i${esc}/series/'.vouchsim-export-* > /dev/null 2>&1" \
  "$vs" export big.h5 --csv "i${esc}"
ok export-intr-exit [ "$(cat ex.rc)" -eq 143 ]
ok export-intr-said said ex.err "vouchsim: export: interrupted: i\\x1b is as it was"

# ---- plot (a stand-in gnuplot, tests/lib.sh) ----
fake_gnuplot "$tmp/fakegp"
FAKE_OUT=$tmp/f0 FAKE_DRAW=99 VOUCHSIM_GNUPLOT=$tmp/fakegp "$vs" plot "t${esc}.h5" -o x.svg \
  > /dev/null 2> t0.err
ok plot-no-series said t0.err "vouchsim: plot: t\\x1b.h5 has no series (it was written with --totals-only)"
# an older chart skipped (a.h5 has no budget series); stdout lists the charts as they are
echo '<svg/>' > "c${esc}_budget.svg"
FAKE_OUT=$tmp/f1 FAKE_DRAW=99 VOUCHSIM_GNUPLOT=$tmp/fakegp "$vs" plot a.h5 -o "c${esc}.svg" \
  > c1.out 2> c1.err
ok plot-exit [ $? -eq 0 ]
ok plot-older said c1.err "the c\\x1b_budget.svg there is older"
ok plot-stdout-as-is grep -qx "c${esc}_utilization.svg" c1.out
# failing at the third chart
FAKE_OUT=$tmp/f2 FAKE_DRAW=2 FAKE_FAIL=1 VOUCHSIM_GNUPLOT=$tmp/fakegp "$vs" plot a.h5 \
  -o "c${esc}.svg" > /dev/null 2> c2.err
ok plot-fail-said said c2.err "vouchsim: plot: c\\x1b_demand.svg was not written; no chart written (--chart all writes every chart or none): the 2 drawn before it were discarded: c\\x1b_utilization.svg, c\\x1b_spend.svg"
# interrupted at the third chart
FAKE_OUT=$tmp/f3 FAKE_DRAW=2 VOUCHSIM_GNUPLOT=$tmp/fakegp \
  signal_when c3 INT "[ -s '$tmp/f3.pid' ]" "$vs" plot a.h5 -o "c${esc}.svg"
ok plot-intr-exit [ "$(cat c3.rc)" -eq 130 ]
ok plot-intr-said said c3.err "vouchsim: plot: interrupted while drawing c\\x1b_demand.svg, which was not written"
ok plot-intr-kept said c3.err "discarded: c\\x1b_utilization.svg, c\\x1b_spend.svg"

# ---- compare: its arms ----
VOUCHSIM_TEST_STOP_AFTER=1 "$vs" compare "$d/small.yaml" "$d/small.yaml" -r 2 -j 1 \
  -o "ic${esc}.h5" --quiet > /dev/null 2>&1
"$vs" compare "$d/small.yaml" "$d/small.yaml" -r 2 -o "ic${esc}.h5" --quiet > /dev/null 2> ic.err
ok arms-refused said ic.err "vouchsim: ic\\x1b.h5.arms/ holds the arms of an interrupted comparison"
mkdir "r${esc}.h5.arms"
"$vs" run "$d/e2e_money.yaml" -r 3 -o "r${esc}.h5.arms/base.h5" --quiet || exit 1
"$vs" compare "$d/e2e_money.yaml" "$d/answers_two.yaml" -r 3 -o "r${esc}.h5" --resume \
  > /dev/null 2> r.err
ok arms-resume-exit [ $? -eq 0 ]
ok arms-resume-said said r.err "vouchsim: resume: the base arm is done already in r\\x1b.h5.arms/base.h5"
# interrupted while FILE.h5 is merged: finished, and said at once (the
# handler's message) and at the end
signal_when cm INT "ls '.cm${esc}.h5.tmp.'* > /dev/null 2>&1" \
  "$vs" compare "$s/scenarios/china-2025.yaml" "$s/scenarios/west-first.yaml" -r 4 \
  -o "cm${esc}.h5" --quiet
ok compare-intr-exit [ "$(cat cm.rc)" -eq 0 ]
ok compare-intr-at-once said cm.err "vouchsim: interrupted: finishing cm\\x1b.h5 first"
ok compare-intr-end said cm.err "vouchsim: interrupted while finishing cm\\x1b.h5: it is complete"

# ---- run: interrupted in the merge (a test hook sends SIGTERM) ----
env VOUCHSIM_TEST_TERM_IN_MERGE=1 "$vs" run "$d/small.yaml" -r 3 -o "m${esc}.h5" --quiet 2> m.err
ok run-intr-exit [ $? -eq 143 ]
ok run-intr-said said m.err "interrupted while merging the runs into m\\x1b.h5, which was not written; all 3 finished runs are kept in m\\x1b.h5.parts/; to merge them, run the same command with --resume"
ok run-intr-no-command [ "$(wc -l < m.err)" -eq 1 ]
# a plain name: the command is there, as before
env VOUCHSIM_TEST_TERM_IN_MERGE=1 "$vs" run "$d/small.yaml" -r 3 -o m.h5 --quiet 2> mp.err
ok run-intr-command grep -q "^  .*run --resume .*small.yaml -r 3 -o m.h5 --quiet\$" mp.err

# ---- optimize: interrupted, then resumed ----
set -- optimize "$s/scenarios/mmc.yaml" --set cities.testville.arrivals=240 --set horizon=30d \
  --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h --delta 0.01 -j 1
signal_when ko INT "[ \"\$(cat 'k${esc}.yaml.journal' 2>/dev/null | wc -l)\" -ge 2 ]" \
  "$vs" "$@" -o "k${esc}.yaml"
ok opt-intr-exit [ "$(cat ko.rc)" -eq 130 ]
ok opt-intr-said said ko.err "kept in k\\x1b.yaml.journal; to go on from them, run the same command with --resume"
ok opt-intr-no-command sh -c "! grep -q '^  ' ko.err"
"$vs" "$@" -o "k${esc}.yaml" --resume > /dev/null 2> kr.err
ok opt-resume-exit [ $? -eq 0 ]
ok opt-resume-said said kr.err "optimize: resume: "
ok opt-resume-path said kr.err "in k\\x1b.yaml.journal"

echo "escape_more: $pass passed, $fail failed"
[ $fail -eq 0 ]
