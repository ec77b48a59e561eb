#!/bin/sh
# tests/layering.sh - the module boundaries of STYLE.md, checked on the sources.
#   sim/     libc, GSL and sim/ only: it knows nothing of vouchers, YAML or HDF5
#   models/  sim/ and models/; libyaml only in models/scenario*.c; no HDF5
#   output/  sim/ and output/; HDF5 yes, libyaml and models/ no
#   tools/   commands (cmd_*.c) call modules, never each other
# Prints each violation as file:line: text, and exits 1 if there is any.
src=${top_srcdir:-.}
status=0
bad() { echo "layering: $1"; status=1; }

check() {   # check DIR ALLOWED_QUOTED_REGEX FORBIDDEN_SYSTEM_REGEX
  dir=$1 allowed=$2 forbidden=$3
  for f in "$src/$dir"/*.[ch]; do
    [ -e "$f" ] || continue
    grep -n '^[[:space:]]*#[[:space:]]*include' "$f" | while IFS= read -r line; do
      inc=$(printf '%s' "$line" | sed 's/^[0-9]*:[[:space:]]*#[[:space:]]*include[[:space:]]*//')
      case "$inc" in
        \"*) printf '%s' "$inc" | grep -Eq "^\"($allowed)" || echo "$f:${line%%:*}: $inc" ;;
        \<*) printf '%s' "$inc" | grep -Eq "$forbidden" && echo "$f:${line%%:*}: $inc" ;;
      esac
    done
  done
}

out=$(check sim 'sim/' 'yaml|hdf5|H5|mpi')
[ -n "$out" ] && bad "sim/ includes something beyond libc, GSL and sim/:
$out"
out=$(check models 'sim/|models/' 'hdf5|H5|mpi')
[ -n "$out" ] && bad "models/ includes HDF5, MPI, output/ or tools/:
$out"
out=$(check output 'sim/|output/' 'yaml|mpi')
[ -n "$out" ] && bad "output/ includes libyaml, MPI, models/ or tools/:
$out"
for f in "$src"/models/*.[ch]; do
  [ -e "$f" ] || continue
  case "$f" in */models/scenario*) continue ;; esac
  if grep -n '#[[:space:]]*include[[:space:]]*<yaml.h>' "$f" >/dev/null; then
    bad "$f: libyaml belongs in models/scenario*.c only"
  fi
done
# Nothing global and mutable in the libraries: file-scope data is static const.
for f in "$src"/sim/*.c "$src"/models/*.c "$src"/output/*.c; do
  [ -e "$f" ] || continue
  m=$(grep -nE '^(static[[:space:]]+)?(unsigned[[:space:]]+|signed[[:space:]]+)?(int|long|double|float|char|size_t|uint[0-9]+_t|int[0-9]+_t|bool)[[:space:]]+\**[a-z_][a-z_0-9]*(\[[^]]*\])?[[:space:]]*(=|;)' "$f")
  [ -n "$m" ] && bad "$f: mutable file-scope data (make it static const or move it into a struct):
$m"
done
# tools/: the commands (tools/cmd_*.c but the shared helpers of
# cmd_out.c) are front ends. No other file calls what a command file
# defines, and no command calls into another: the experiment machinery
# (experiment.c, arms.c, load.c, runner.c...) is a layer the commands use.
for f in "$src"/tools/cmd_*.c; do
  case "$f" in */cmd_out.c) continue ;; esac
  for sym in $(grep -v '^static' "$f" | sed -n 's/^[a-z][a-z_0-9 ]*[ *]\([a-z_][a-z_0-9]*\)(.*/\1/p'); do
    for g in "$src"/tools/*.c; do
      [ "$g" = "$f" ] && continue
      case "$g:$sym" in */vouchsim.c:cmd_*) continue ;; esac
      m=$(grep -n "\b$sym(" "$g")
      [ -n "$m" ] && bad "$g calls $sym of the command file $f (move it into a module):
$m"
    done
  done
done
# output/ reports what is wrong with a file; the command lines a user is
# told to paste (with the program as invoked and shell-quoted paths) are
# tools/' (cmd_out.c): no format string in output/ builds one.
m=$(grep -nE '"[^"]*vouchsim [a-z]+ [^"]*%' "$src"/output/*.c)
[ -n "$m" ] && bad "output/ builds a command line for the user (that is tools/' job, cmd_out.c):
$m"
[ $status -eq 0 ] && echo "layering: sim/, models/ and output/ keep to their boundaries"
exit $status
