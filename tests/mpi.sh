#!/bin/sh
# tests/mpi.sh - rank-count invariance: the same commands under mpirun with 2
# ranks write files whose datasets are bit-identical to the threaded ones,
# and print the same tables, whichever rank happens to take which run (the
# ranks share the runs dynamically): sweeps whose runs differ in length,
# threads inside the ranks, --resume after a crash, the scalars-only path
# of optimize. Skipped (77) unless built with --with-mpi.
[ "${with_mpi:-no}" = yes ] || { echo "mpi: not built with --with-mpi: skipped"; exit 77; }
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
cmp="$b/tests/h5cmp"
sc="$s/scenarios/china-2025.yaml"
mpirun=${MPIRUN:-mpirun}
command -v "$mpirun" >/dev/null 2>&1 || { echo "mpi: no mpirun: skipped"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
mp() { "$mpirun" --oversubscribe -n 2 "$@"; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs-mpi.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
pass=0
ok() { pass=$((pass + 1)); }
no() { echo "FAIL $1"; shift; [ $# -gt 0 ] && printf '%s\n' "$@" | sed 's/^/  | /'; fail=$((fail + 1)); }
short="--until 2025-02-15"

"$vs" --version | grep -q '^MPI: yes' && ok || no mpi-version-says-yes "$("$vs" --version)"
"$vs" run "$sc" --replications 5 --jobs 2 $short -o "$tmp/t.h5" --quiet
out=$(mp "$vs" run "$sc" --replications 5 --jobs 1 $short -o "$tmp/m.h5" 2>&1)
printf '%s\n' "$out" | grep -q 'events=' && ok || no mpi-run-report "$out"
out=$("$cmp" "$tmp/t.h5" "$tmp/m.h5") && ok || no mpi-run-identical "$out"

vary="--vary programs.shanghai-compute.coverage=0.5:0.8:3"
a=$("$vs" sweep "$sc" $vary --replications 2 $short -o "$tmp/ts.h5" --quiet)
m=$(mp "$vs" sweep "$sc" $vary --replications 2 $short -o "$tmp/ms.h5" --quiet)
[ "$a" = "$m" ] && ok || no mpi-sweep-stdout "$a" "---" "$m"
out=$("$cmp" "$tmp/ts.h5" "$tmp/ms.h5") && ok || no mpi-sweep-identical "$out"

a=$("$vs" compare "$sc" "$s/tests/data/china-cov.yaml" --replications 3 $short --format csv --quiet)
m=$(mp "$vs" compare "$sc" "$s/tests/data/china-cov.yaml" --replications 3 $short --format csv --quiet)
[ "$a" = "$m" ] && ok || no mpi-compare "$a" "---" "$m"

out=$(mp "$vs" sweep "$sc" --vary programs.nope.budget=1M:2M:2 -o "$tmp/bad.h5" 2>&1)
st=$?
[ $st -ne 0 ] && [ "$(printf '%s\n' "$out" | grep -c "no item named 'nope'")" -eq 1 ] && ok ||
  no mpi-error-once "exit $st" "$out"

# optimize: the same search, selection, record and choice on 2 ranks as on
# threads; and an optimize killed on 2 ranks goes on with --resume to the
# same record
mmc="$s/scenarios/mmc.yaml"
oobj="2 * {datacenters.mmc-100.gpus} + 500 * mean_wait_east_h"
oset="--set cities.testville.arrivals=240 --set horizon=20d --set warmup=2d --quiet"
# shellcheck disable=SC2086
a=$("$vs" optimize "$mmc" $oset --jobs 2 --vary datacenters.mmc-100.gpus=12:24 --minimize "$oobj" \
    --delta 0.5 --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' -o "$tmp/ot.yaml" \
    --record "$tmp/ot.csv" --format csv)
# shellcheck disable=SC2086
m=$(mp "$vs" optimize "$mmc" $oset --jobs 1 --vary datacenters.mmc-100.gpus=12:24 --minimize "$oobj" \
    --delta 0.5 --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' -o "$tmp/om.yaml" \
    --record "$tmp/om.csv" --format csv)
[ -n "$a" ] && [ "$a" = "$m" ] && ok || no mpi-optimize-table "$a" "---" "$m"
cmp -s "$tmp/ot.csv" "$tmp/om.csv" && ok || no mpi-optimize-record
[ "$(grep -v '^#' "$tmp/ot.yaml")" = "$(grep -v '^#' "$tmp/om.yaml")" ] && ok || no mpi-optimize-scenario
# shellcheck disable=SC2086
VOUCHSIM_TEST_STOP_AFTER=40 mp "$vs" optimize "$mmc" $oset --jobs 1 \
  --vary datacenters.mmc-100.gpus=12:24 --minimize "$oobj" --delta 0.5 \
  --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' -o "$tmp/or.yaml" --record "$tmp/or.csv" \
  > /dev/null 2>&1
[ -s "$tmp/or.yaml.journal" ] && [ ! -e "$tmp/or.csv" ] && ok || no mpi-optimize-killed
# shellcheck disable=SC2086
mp "$vs" optimize "$mmc" $oset --jobs 1 --vary datacenters.mmc-100.gpus=12:24 --minimize "$oobj" \
  --delta 0.5 --subject-to 'mean_wait_east_h <= 0.003 tol 0.0005' -o "$tmp/or.yaml" \
  --record "$tmp/or.csv" --resume > /dev/null 2>&1
cmp -s "$tmp/ot.csv" "$tmp/or.csv" && [ ! -e "$tmp/or.yaml.journal" ] && ok || no mpi-optimize-resume
# shellcheck disable=SC2086
a=$("$vs" optimize "$mmc" $oset --jobs 2 --vary datacenters.mmc-100.gpus=12:24 --minimize "$oobj" \
    --delta 0.5 --procedure knpp -o "$tmp/kt.yaml" --format csv)
# shellcheck disable=SC2086
m=$(mp "$vs" optimize "$mmc" $oset --jobs 1 --vary datacenters.mmc-100.gpus=12:24 --minimize "$oobj" \
    --delta 0.5 --procedure knpp -o "$tmp/km.yaml" --format csv)
[ -n "$a" ] && [ "$a" = "$m" ] && ok || no mpi-optimize-knpp "$a" "---" "$m"

# uneven run lengths: a sweep over the warm-up (runs of 0 to 730 simulated
# days before the horizon) and one over an arrival rate, 2 threads a rank
vary="--vary warmup=0d:730d:5"
a=$("$vs" sweep "$sc" $vary --replications 2 --jobs 2 $short -o "$tmp/tw.h5" --quiet)
m=$(mp "$vs" sweep "$sc" $vary --replications 2 --jobs 1 $short -o "$tmp/mw.h5" --quiet)
[ "$a" = "$m" ] && ok || no mpi-uneven-stdout "$a" "---" "$m"
out=$("$cmp" "$tmp/tw.h5" "$tmp/mw.h5") && ok || no mpi-uneven-identical "$out"
vary="--vary cities.shanghai.arrivals=2:40:3"
a=$("$vs" sweep "$sc" $vary --replications 2 --jobs 1 $short -o "$tmp/ta.h5" --quiet)
m=$(mp "$vs" sweep "$sc" $vary --replications 2 --jobs 2 $short -o "$tmp/ma.h5" --quiet)
[ "$a" = "$m" ] && ok || no mpi-arrivals-stdout "$a" "---" "$m"
out=$("$cmp" "$tmp/ta.h5" "$tmp/ma.h5") && ok || no mpi-arrivals-identical "$out"

# --resume: a rank dies after its second fragment (mpirun stops the other);
# the same command with --resume on 2 ranks keeps what was finished, runs
# the rest and writes what the threads wrote
VOUCHSIM_TEST_STOP_AFTER=2 mp "$vs" sweep "$sc" $vary --replications 2 --jobs 1 $short \
  -o "$tmp/mr.h5" --quiet >/dev/null 2>&1
[ ! -e "$tmp/mr.h5" ] && [ -d "$tmp/mr.h5.parts" ] && ok ||
  no mpi-crash-leaves-fragments "$(ls -a "$tmp" "$tmp/mr.h5.parts" 2>&1)"
out=$(mp "$vs" sweep "$sc" $vary --replications 2 --jobs 1 $short -o "$tmp/mr.h5" --resume 2>&1 >"$tmp/mr.txt")
done_=$(printf '%s\n' "$out" | sed -n 's/.*resume: \([0-9]*\) of 6 runs done already.*/\1/p')
[ -n "$done_" ] && [ "$done_" -ge 2 ] && [ "$done_" -lt 6 ] && ok || no mpi-resume-kept "$out"
[ "$a" = "$(cat "$tmp/mr.txt")" ] && ok || no mpi-resume-stdout "$a" "---" "$(cat "$tmp/mr.txt")"
out=$("$cmp" "$tmp/ta.h5" "$tmp/mr.h5") && ok || no mpi-resume-identical "$out"
[ ! -e "$tmp/mr.h5.parts" ] && ok || no mpi-resume-cleans "$(ls -a "$tmp/mr.h5.parts")"

# rank 0's merge (the copier, the statistics' threads) may run on the CPUs
# of both ranks, each bound by the launcher to a core of its own: the
# other rank only waits for it (par_node_cpus)
ncpu=$(nproc 2>/dev/null || echo 1)
want=$((ncpu < 2 ? ncpu : 2))
out=$(VOUCHSIM_TEST_SAY_CPUS=1 "$mpirun" --oversubscribe --bind-to core -n 2 "$vs" run "$sc" \
        --replications 2 --jobs 1 $short -o "$tmp/cpus.h5" 2>&1)
printf '%s\n' "$out" | grep -q "CPUs the merge may use: $want$" && ok || no mpi-merge-cpus "$out"

# the scalars-only path (optimize keeps no fragments): rows gathered over
# the ranks, the same choice and record as the threads
mmc="$s/scenarios/mmc.yaml"
opt="--set cities.testville.arrivals=240 --set horizon=20d --set warmup=2d --seed 3 --quiet
     --vary datacenters.mmc-100.gpus=14:20:7 --delta 0.5 --format csv
     --minimize 2*{datacenters.mmc-100.gpus}+500*mean_wait_east_h"
a=$("$vs" optimize "$mmc" $opt --jobs 2 -o "$tmp/to.yaml" --record "$tmp/to.csv")
m=$(mp "$vs" optimize "$mmc" $opt --jobs 1 -o "$tmp/mo.yaml" --record "$tmp/mo.csv")
[ -n "$a" ] && [ "$a" = "$m" ] && ok || no mpi-optimize-stdout "$a" "---" "$m"
cmp -s "$tmp/to.csv" "$tmp/mo.csv" && ok || no mpi-optimize-record "$(diff "$tmp/to.csv" "$tmp/mo.csv" | head)"

# a sweep written over its own earlier output (--force): the same
# datasets; rank 0's copier made the statistics' outputs during the runs;
# the old file, given a second name for the rename, is gone at exit, and
# nothing else is left beside the output
vary="--vary programs.shanghai-compute.coverage=0.5:0.8:3"     # as for ts.h5 above
mp "$vs" sweep "$sc" $vary --replications 2 $short -o "$tmp/ms.h5" --force --quiet >/dev/null
out=$("$cmp" "$tmp/ts.h5" "$tmp/ms.h5") && ok || no mpi-sweep-again-identical "$out"
left=$(ls -a "$tmp" | grep '^\.ms\.h5\|^ms\.h5\.')
[ -z "$left" ] && ok || no mpi-sweep-again-leaves-nothing "$left"

echo "mpi: $pass passed, $fail failed"
[ $fail -eq 0 ]
