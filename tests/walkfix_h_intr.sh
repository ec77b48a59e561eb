#!/bin/sh
# tests/walkfix_h_intr.sh - what an interrupted plot or export says.
#   plot --chart all stopped while drawing a chart names that chart (not
#     written) and the charts drawn before it, which were discarded (all
#     or nothing, tests/walkfix_j_intr.sh); stopped before any, it says
#     none was. A stand-in gnuplot (VOUCHSIM_GNUPLOT) draws
#     FAKE_DRAW charts (small SVGs), then sleeps ignoring the signals; the
#     signal goes once it sleeps (the test waits for its file, not a time).
#   export stopped while it reads the file (its check runs in a child
#     process, before any file is made) says so and that nothing was
#     written: exit 128 + the signal, one line, no DIR, an earlier export
#     untouched; also when the signal reaches the child too (as Ctrl-C
#     does, to the process group). The test stops the child (SIGSTOP) once
#     it sees it, so the export is surely reading when the signal comes.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_h_intr.XXXXXX") || exit 1
trap 'for f in "$tmp"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

# ---- plot ----
"$vs" run "$s/scenarios/mmc.yaml" --set horizon=5d -o a.h5 --quiet || exit 1
cat > fakegp <<'GP'
#!/bin/sh
n=$(cat "$FAKE_OUT.n" 2>/dev/null || echo 0); n=$((n + 1)); echo $n > "$FAKE_OUT.n"
if [ "$n" -le "$FAKE_DRAW" ]; then
  printf '<svg xmlns="http://www.w3.org/2000/svg"><!-- chart %s --></svg>\n' "$n"
  exit 0
fi
trap '' INT TERM HUP
echo $$ > "$FAKE_OUT.pid.tmp" && mv "$FAKE_OUT.pid.tmp" "$FAKE_OUT.pid"
exec sleep 60
GP
chmod +x fakegp
# the charts of a.h5 in order (mmc.yaml has no programs: no budget chart)
skip="vouchsim: plot: skipped budget: a.h5: chart 'budget' needs series program/remaining, which this file does not have"
for sig in INT TERM; do
  want=$(case $sig in INT) echo 130;; TERM) echo 143;; esac)
  f=$tmp/two$sig
  FAKE_OUT=$f FAKE_DRAW=2 VOUCHSIM_GNUPLOT=$tmp/fakegp \
    signal_when "two$sig" $sig "[ -s '$f.pid' ]" "$vs" plot a.h5 -o "c$sig.svg"
  ok "two-$sig-exit" [ "$(cat "two$sig.rc")" -eq "$want" ]
  ok "two-$sig-said" [ "$(cat "two$sig.err")" = "$skip
vouchsim: plot: interrupted while drawing c${sig}_demand.svg, which was not written (gnuplot stopped, its temporary files removed); no chart written (--chart all writes every chart or none): the 2 drawn before it were discarded: c${sig}_utilization.svg, c${sig}_spend.svg" ]
  ok "two-$sig-discarded" [ ! -e "c${sig}_utilization.svg" ] && [ ! -e "c${sig}_spend.svg" ]
  ok "two-$sig-not-drawn" [ ! -e "c${sig}_demand.svg" ]
done
f=$tmp/none
FAKE_OUT=$f FAKE_DRAW=0 VOUCHSIM_GNUPLOT=$tmp/fakegp \
  signal_when none INT "[ -s '$f.pid' ]" "$vs" plot a.h5 -o n.svg
ok none-exit [ "$(cat none.rc)" -eq 130 ]
ok none-said [ "$(cat none.err)" = "vouchsim: plot: interrupted while drawing n_utilization.svg, which was not written (gnuplot stopped, its temporary files removed); no other chart written" ]

# ---- export, while reading ----
"$vs" run "$s/scenarios/china-2025.yaml" -r 4 -o big.h5 --quiet || exit 1
# reading NAME SIGNAL GROUP COMMAND...: runs COMMAND (stderr to NAME.err),
#   and once its child (the check of the file) runs, stops that child and
#   sends SIGNAL to COMMAND (GROUP 1: to the child as well, then lets it
#   go on); NAME.rc gets the exit status, or 'missed' when the child was
#   never seen (tried 20 times)
reading() {
  rd_name=$1 rd_sig=$2 rd_group=$3; shift 3
  rd_try=0
  echo missed > "$rd_name.rc"
  while [ $rd_try -lt 20 ]; do
    rd_try=$((rd_try + 1))
    "$@" 2> "$rd_name.err" > /dev/null &
    rd_pid=$!
    rd_child=
    while kill -0 $rd_pid 2>/dev/null; do
      rd_child=$(pgrep -P $rd_pid | head -1)
      [ -n "$rd_child" ] && kill -STOP "$rd_child" 2>/dev/null && break
      rd_child=
    done
    if [ -z "$rd_child" ]; then      # finished before it was seen: again
      wait $rd_pid
      rm -rf "$rd_name.dir"
      continue
    fi
    [ "$rd_group" = 1 ] && kill -"$rd_sig" "$rd_child"
    kill -"$rd_sig" $rd_pid
    wait $rd_pid
    echo $? > "$rd_name.rc"
    kill -CONT "$rd_child" 2>/dev/null
    [ "$rd_group" = 1 ] || kill -9 "$rd_child" 2>/dev/null
    return
  done
}
for sig in INT TERM HUP; do
  want=$(case $sig in INT) echo 130;; TERM) echo 143;; HUP) echo 129;; esac)
  reading "r$sig" $sig 0 "$vs" export big.h5 --csv "r$sig.dir"
  ok "read-$sig-exit" [ "$(cat "r$sig.rc")" = "$want" ]
  ok "read-$sig-said" [ "$(cat "r$sig.err")" = "vouchsim: export: interrupted while reading big.h5: nothing written" ]
  ok "read-$sig-no-dir" [ ! -e "r$sig.dir" ]
done
# the whole process group, as Ctrl-C: still one line
reading grp INT 1 "$vs" export big.h5 --csv grp.dir
ok read-group-exit [ "$(cat grp.rc)" = 130 ]
ok read-group-said [ "$(cat grp.err)" = "vouchsim: export: interrupted while reading big.h5: nothing written" ]
# an earlier export, replaced with --force: as it was
"$vs" export a.h5 --csv old > /dev/null || exit 1
(cd old && find . -type f | sort | xargs cksum) > old.before
reading force INT 0 "$vs" export big.h5 --csv old --force
ok read-force-exit [ "$(cat force.rc)" = 130 ]
ok read-force-said [ "$(cat force.err)" = "vouchsim: export: interrupted while reading big.h5: nothing written (old is as it was)" ]
(cd old && find . -type f | sort | xargs cksum) > old.after
ok read-force-as-it-was cmp -s old.before old.after

echo "walkfix_h_intr: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
