#!/bin/sh
# tests/intr_plot.sh - plot interrupted (SIGINT, SIGTERM, SIGHUP): the
# gnuplot it runs is killed and waited for (even one that ignores the
# signals, as a gnuplot blocking SIGINT does), the private
# .vouchsim-plot-* directory and the chart being drawn are removed, and it
# exits 128 + the signal with one line; gnuplot inherits no descriptor
# above 2 (not the input file). A stand-in gnuplot (VOUCHSIM_GNUPLOT)
# records its descriptors and pid, then sleeps ignoring the signals; the
# signal goes once it has started (the test waits for its file, not for a
# time). Then the real gnuplot, signalled once the private directory is
# there.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/intr_plot.XXXXXX") || exit 1
trap 'for f in "$tmp"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1

"$vs" run "$s/scenarios/mmc.yaml" --set horizon=5d -o a.h5 --quiet || exit 1

cat > fakegp <<'GP'
#!/bin/sh
trap '' INT TERM HUP
echo $$ > "$FAKE_OUT.pid.tmp" && mv "$FAKE_OUT.pid.tmp" "$FAKE_OUT.pid"
exec sleep 60
GP
chmod +x fakegp
# ready: the stand-in is sleep now (its descriptors are gnuplot's), listed
started() {
  [ -s "$1.pid" ] || return 1
  [ -d /proc/self/fd ] || return 0
  readlink "/proc/$(cat "$1.pid")/exe" | grep -q sleep || return 1
  ls -l "/proc/$(cat "$1.pid")/fd/" > "$1.fds" 2>/dev/null
}

for sig in INT TERM HUP; do
  f=$tmp/fake$sig
  want=$(case $sig in INT) echo 130;; TERM) echo 143;; HUP) echo 129;; esac)
  FAKE_OUT=$f VOUCHSIM_GNUPLOT=$tmp/fakegp \
    signal_when "fake$sig" $sig "started '$f'" "$vs" plot a.h5 --chart wait -o "out$sig.png"
  ok "fake-$sig-exit" [ "$(cat "fake$sig.rc")" -eq "$want" ]
  ok "fake-$sig-one-line" [ "$(wc -l < "fake$sig.err")" -eq 1 ]
  ok "fake-$sig-line" grep -Eq "^vouchsim: plot: interrupted while drawing out$sig.png, which was not written" "fake$sig.err"
  ok "fake-$sig-gnuplot-gone" sh -c "! kill -0 \$(cat '$f.pid') 2>/dev/null"
  ok "fake-$sig-no-dir" [ -z "$(ls -a | grep vouchsim-plot)" ]
  ok "fake-$sig-no-chart" [ ! -e "out$sig.png" ]
  if [ -d /proc/self/fd ]; then    # descriptors 0, 1 and 2, no other
    ok "fake-$sig-no-input" sh -c "! grep -q 'a\\.h5' '$f.fds'"
    ok "fake-$sig-fds" sh -c "[ \$(grep -c -- '->' '$f.fds') -eq 3 ]"
  fi
done

# the real gnuplot, stopped once the private directory is there (--chart
# all: in the staging directory .vouchsim-charts-*)
signal_when real INT "ls -a . .vouchsim-charts-* 2>/dev/null | grep -q vouchsim-plot" \
  "$vs" plot a.h5 -o real.png
ok real-exit [ "$(cat real.rc)" -eq 130 ]
ok real-one-line [ "$(wc -l < real.err)" -eq 1 ]
# the signal goes once a chart's private directory is seen; on a busy
# machine that chart may be done by the time it lands, between two charts
ok real-line grep -Eq '^vouchsim: plot: interrupted( while drawing real_[a-z_]+\.png, which was not written|; no chart written)' real.err
ok real-no-dir [ -z "$(ls -a | grep -e vouchsim-plot -e vouchsim-charts)" ]
ok real-nothing-written [ -z "$(ls | grep '^real_')" ]
# no process left working in this test's directories (gnuplot runs in
# the private directory)
left=
for p in $(pgrep gnuplot 2>/dev/null); do
  case $(readlink "/proc/$p/cwd" 2>/dev/null) in "$tmp"*) left="$left $p";; esac
done
ok real-no-gnuplot [ -z "$left" ]
drawing=$(sed -n 's/.*drawing \([^,]*\), which.*/\1/p' real.err)
ok real-no-chart sh -c '[ -z "$1" ] || [ ! -e "$1" ]' _ "$drawing"

echo "intr_plot: $pass passed, $fail failed"
[ $fail -eq 0 ]
