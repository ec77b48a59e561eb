#!/bin/sh
# tests/walkfix_j_intr.sh - plot --chart all is all-or-nothing: charts are
# drawn into a staging directory and moved into place once every one is
# drawn. Interrupted (SIGINT, SIGTERM) at its third chart, or failing
# there, it leaves the charts of an earlier run in the same directory as
# they were (none of the new ones beside them), no staging or private
# directory, and says the charts it had drawn were discarded; finished, it
# replaces every one and lists them. A chart it skips whose older file is
# there is named as older. One chart (--chart wait) is drawn as before.
# A stand-in gnuplot (tests/lib.sh fake_gnuplot) draws tagged SVGs, then
# sleeps ignoring the signals (or fails); the signal goes once it sleeps.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp walkfix_j_intr
fake_gnuplot "$tmp/fakegp"
"$vs" run "$s/scenarios/mmc.yaml" --set horizon=5d -o a.h5 --quiet || exit 1
charts="c_utilization.svg c_spend.svg c_demand.svg c_wait.svg"
# the tag of each chart of c, in order
tags() { for c in $charts; do sed -n 's/.*<!-- \([a-z0-9]*\) chart.*/\1/p' "$c"; done | tr '\n' ' '; }
clean() { [ -z "$(ls -a | grep -e '\.vouchsim-charts-' -e '\.vouchsim-plot-')" ]; }

# an earlier run: every chart, tagged old
FAKE_OUT=$tmp/old FAKE_DRAW=99 FAKE_TAG=old VOUCHSIM_GNUPLOT=$tmp/fakegp \
  "$vs" plot a.h5 -o c.svg > old.out 2> old.err
ok old-exit [ $? -eq 0 ]
ok old-listed [ "$(tr '\n' ' ' < old.out)" = "$charts " ]
ok old-tags [ "$(tags)" = "old old old old " ]
ok old-clean clean

# interrupted at the third chart: the old charts stay, all of them
for sig in INT TERM; do
  want=$(case $sig in INT) echo 130;; TERM) echo 143;; esac)
  f=$tmp/new$sig
  FAKE_OUT=$f FAKE_DRAW=2 FAKE_TAG=new VOUCHSIM_GNUPLOT=$tmp/fakegp \
    signal_when "new$sig" $sig "[ -s '$f.pid' ]" "$vs" plot a.h5 -o c.svg
  ok "$sig-exit" [ "$(cat "new$sig.rc")" -eq "$want" ]
  ok "$sig-old-stay" [ "$(tags)" = "old old old old " ]
  ok "$sig-clean" clean
  ok "$sig-said" grep -qx "vouchsim: plot: interrupted while drawing c_demand.svg, which was not written (gnuplot stopped, its temporary files removed); no chart written (--chart all writes every chart or none): the 2 drawn before it were discarded: c_utilization.svg, c_spend.svg" "new$sig.err"
  ok "$sig-gnuplot-gone" sh -c "! kill -0 \$(cat '$f.pid') 2>/dev/null"
done

# failing at the third chart: the same
FAKE_OUT=$tmp/fail FAKE_DRAW=2 FAKE_FAIL=1 FAKE_TAG=new VOUCHSIM_GNUPLOT=$tmp/fakegp \
  "$vs" plot a.h5 -o c.svg > fail.out 2> fail.err
ok fail-exit [ $? -eq 1 ]
ok fail-nothing-listed [ ! -s fail.out ]
ok fail-old-stay [ "$(tags)" = "old old old old " ]
ok fail-clean clean
ok fail-said grep -qx "vouchsim: plot: c_demand.svg was not written; no chart written (--chart all writes every chart or none): the 2 drawn before it were discarded: c_utilization.svg, c_spend.svg" fail.err
ok fail-no-staged-name sh -c "! grep -q 'vouchsim-charts' fail.err"

# finished: every chart replaced and listed; an older chart it skips
# (a.h5 has no budget series) is named
echo '<svg/>' > c_budget.svg
FAKE_OUT=$tmp/new FAKE_DRAW=99 FAKE_TAG=new VOUCHSIM_GNUPLOT=$tmp/fakegp \
  "$vs" plot a.h5 -o c.svg > new.out 2> new.err
ok new-exit [ $? -eq 0 ]
ok new-listed [ "$(tr '\n' ' ' < new.out)" = "$charts " ]
ok new-tags [ "$(tags)" = "new new new new " ]
ok new-clean clean
ok new-older-named grep -q "^vouchsim: plot: skipped budget: .*; the c_budget.svg there is older, from before: not redrawn$" new.err

# into another directory (-o DIR/base): staged there, nothing left
mkdir -p out/sub
FAKE_OUT=$tmp/sub FAKE_DRAW=99 FAKE_TAG=sub VOUCHSIM_GNUPLOT=$tmp/fakegp \
  "$vs" plot a.h5 -o out/sub/c.svg > sub.out 2>&1
ok sub-exit [ $? -eq 0 ]
ok sub-charts [ "$(ls out/sub | tr '\n' ' ')" = "c_demand.svg c_spend.svg c_utilization.svg c_wait.svg " ]
ok sub-clean [ -z "$(ls -a out/sub | grep vouchsim)" ]

# one chart: drawn in place, no staging
FAKE_OUT=$tmp/one FAKE_DRAW=99 FAKE_TAG=one VOUCHSIM_GNUPLOT=$tmp/fakegp \
  "$vs" plot a.h5 --chart wait -o w.svg > one.out 2>&1
ok one-exit [ $? -eq 0 ]
ok one-drawn grep -q "one chart" w.svg
ok one-clean clean

echo "walkfix_j_intr: $pass passed, $fail failed"
[ $fail -eq 0 ]
