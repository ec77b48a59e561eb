#!/bin/sh
# tests/mpi_missing.sh - a vouchsim built without MPI, started by a
# launcher as one of several processes (mpirun -n 2, srun -n 4), refuses to
# run simulations (run, compare, sweep, optimize): exit 2, one line from
# the first process that says why, nothing from the others and nothing
# written; commands that write no output (--version, which says MPI is not
# built in, validate, schema, --help) go on; as the one process of mpirun
# -n 1 it runs. The launcher is imitated by its environment (tools/par.c reads it).
# Skipped (77) in a build with --with-mpi: tests/mpi.sh runs that one.
[ "${with_mpi:-no}" = no ] || { echo "mpi_missing: built with --with-mpi: skipped"; exit 77; }
b=${top_builddir:-.}
s=${top_srcdir:-.}
. "$s/tests/lib.sh"
vs="$b/vouchsim"
sc="$s/scenarios/mmc.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vs-mpimiss.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
short="--until 2025-01-03"

t n2-rank0 2 '^vouchsim: started as one of 2 processes .*built without MPI.*configure --with-mpi .*VOUCHSIM_IGNORE_LAUNCHER=1\)$' -- \
  env OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 "$vs" run "$sc" $short -o "$tmp/a.h5"
ok n2-rank0-one-line [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]
ok n2-nothing-written [ -z "$(ls -A "$tmp")" ]
t n2-rank1 2 '' -- env OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=1 "$vs" run "$sc" $short -o "$tmp/a.h5"
ok n2-rank1-silent [ -z "$out" ]
t srun-n4 2 'one of 4 processes' -- env SLURM_STEP_NUM_TASKS=4 SLURM_PROCID=0 "$vs" sweep "$sc" \
  --vary datacenters.mmc-100.gpus=100:110:2 $short -o "$tmp/s.h5"
t n2-compare 2 'one of 2 processes' -- env OMPI_COMM_WORLD_SIZE=2 "$vs" compare "$sc" "$sc" $short
t n2-optimize 2 'one of 2 processes' -- env PMI_SIZE=2 "$vs" optimize "$sc" \
  --vary datacenters.mmc-100.gpus=100,110 --minimize events $short
ok n2-refusals-wrote-nothing [ -z "$(ls -A "$tmp")" ]
# commands that write no output of their own go on, and --version says MPI is not built in
t n2-version 0 '^MPI: no \(built without --with-mpi' -- env OMPI_COMM_WORLD_SIZE=2 "$vs" --version
t n2-validate 0 '' -- env OMPI_COMM_WORLD_SIZE=2 "$vs" validate "$sc"
t n2-run-help 0 'usage: vouchsim run' -- env OMPI_COMM_WORLD_SIZE=2 "$vs" run --help
t n2-schema 0 '' -- env OMPI_COMM_WORLD_SIZE=2 "$vs" schema --keys
t n1-runs 0 '' -- env OMPI_COMM_WORLD_SIZE=1 OMPI_COMM_WORLD_RANK=0 "$vs" run "$sc" $short -o "$tmp/b.h5" --quiet
ok n1-wrote [ -f "$tmp/b.h5" ]
# processes that each run a command of their own, on purpose
t n2-ignored 0 '' -- env OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=1 VOUCHSIM_IGNORE_LAUNCHER=1 \
  "$vs" run "$sc" $short -o "$tmp/c.h5" --quiet
ok n2-ignored-wrote [ -f "$tmp/c.h5" ]
echo "mpi_missing: $pass passed, $fail failed"
[ $fail -eq 0 ]
