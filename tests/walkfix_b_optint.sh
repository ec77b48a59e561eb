#!/bin/sh
# tests/walkfix_b_optint.sh - optimize interrupted (SIGINT, SIGTERM) says
# how many finished runs its journal keeps and the exact command that goes
# on from them, as run does; that command, pasted, goes on from them and
# chooses what the uninterrupted command chooses. Interrupted before a run
# finished, it says nothing is kept and leaves no journal.
# The signals wait for files and for the handler (SigCgt in
# /proc/PID/status), not for a time.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_b_optint.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
PATH="$b:$PATH"; export PATH    # the printed command says `vouchsim`

mmc="$s/scenarios/mmc.yaml"
# 30-day M/M/c runs: a selection that ends after a few hundred runs
set -- optimize "$mmc" --set cities.testville.arrivals=240 --set horizon=30d \
  --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h --delta 0.01 -j 1
runs() { echo $(($(wc -l < "$1") - 1)); }   # a journal's runs: its lines after the header

"$vs" "$@" -o whole.yaml > whole.out 2>&1
ok whole [ $? -eq 0 ] && grep -q '^chosen: ' whole.out

for sig in INT TERM; do
  signal_when "k$sig" $sig "[ \"\$(cat k$sig.yaml.journal 2>/dev/null | wc -l)\" -ge 2 ]" \
    "$vs" "$@" -o "k$sig.yaml"
  want=$([ $sig = INT ] && echo 130 || echo 143)
  ok "kept-$sig-exit" [ "$(cat "k$sig.rc")" -eq "$want" ]
  # after optimize's first line (selecting among ...), the message's two
  ok "kept-$sig-lines" [ "$(wc -l < "k$sig.err")" -eq 3 ]
  n=$(sed -n 's/^vouchsim: interrupted: \([0-9]*\) finished runs* kept in .*$/\1/p' "k$sig.err")
  ok "kept-$sig-count" [ -n "$n" ] && [ "$n" -ge 1 ] && [ "$n" -le "$(runs "k$sig.yaml.journal")" ]
  ok "kept-$sig-first-line" grep -Eq "^vouchsim: interrupted: $n finished runs? kept in k$sig\\.yaml\\.journal; to go on from them, run the same command with --resume:\$" "k$sig.err"
  ok "kept-$sig-command" [ "$(sed -n 3p "k$sig.err")" = "  $vs optimize --resume $mmc --set cities.testville.arrivals=240 --set horizon=30d --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h --delta 0.01 -j 1 -o k$sig.yaml" ]
done
# the printed command, pasted: goes on from the journal, chooses the same
j=$(runs kINT.yaml.journal)
cmd=$(sed -n 3p kINT.err)
sh -c "$cmd" > resumed.out 2>&1
ok resumed [ $? -eq 0 ]
ok resumed-from-journal grep -Eq "^optimize: resume: $j finished runs? in kINT\\.yaml\\.journal\$" resumed.out
ok resumed-same-choice [ "$(grep '^chosen: ' resumed.out)" = "$(grep '^chosen: ' whole.out)" ]
ok resumed-journal-removed test ! -e kINT.yaml.journal

# before a run finished (long runs; the signal once the journal and the
# handler are there): nothing kept, no journal left
if [ -r /proc/self/status ]; then
  caught='[ -e n.yaml.journal ] && [ $(( 0x$(sed -n "s/^SigCgt:[[:space:]]*//p" /proc/$sw_pid/status) & 2 )) -ne 0 ]'
  signal_when none INT "$caught" "$vs" optimize "$mmc" --set cities.testville.arrivals=240 \
    --set horizon=36500d --vary datacenters.mmc-100.gpus=11,12,13 --minimize mean_wait_east_h \
    --delta 0.01 -j 1 -o n.yaml --quiet
  ok none-exit [ "$(cat none.rc)" -eq 130 ]
  ok none-says [ "$(cat none.err)" = "vouchsim: interrupted before a run finished: nothing is kept (the same command starts over)" ]
  ok none-no-journal test ! -e n.yaml.journal
fi

echo "walkfix_b_optint: $pass passed, $fail failed"
[ $fail -eq 0 ]
