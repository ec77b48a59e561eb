#!/bin/sh
# tests/outcheck.sh - every command checks each path it will write before
#   it reads or runs anything (cmd_out_check, tools/cmd_out.c), and names
#   the path the user gave:
#   - a directory where a file goes (run, sweep, compare, run
#     --counterfactual, optimize -o, --record, --chart, plot -o): "PATH: is
#     a directory", exit 2, with or without --force;
#   - a file where a directory goes (export --csv): "PATH: not a
#     directory", exit 2; and a file where a parent directory goes, for
#     every command (t.yaml/x, t.yaml/x/y): "PATH: 'FILE' is not a
#     directory", exit 2 as well;
#   - a file in a directory that is not there: run's "PATH: cannot write
#     in directory 'DIR': REASON", exit 1;
#   optimize refused runs nothing: one line out, no journal, no fragments;
#   export and plot refuse before they read their input (a missing input
#   is not reached); nothing is left behind by any of them. plot without
#   -o checks the charts it names after its input the same way.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp outcheck
tiny_scenario t.yaml 3d 5
"$vs" run t.yaml -o r.h5 --quiet || { echo "FAIL: the run to plot and export"; exit 1; }
mkdir dd
nodir="vouchsim: nodir/x: cannot write in directory 'nodir': No such file or directory"
under="vouchsim: t.yaml/x: 't.yaml' is not a directory"
# what this directory holds (and dd, empty): every refused command leaves it so
listing() { ls -A . dd; }
before=$(listing)

# ---- run, sweep, compare: -o ----
exact run-dir 2 "vouchsim: dd: is a directory" -- "$vs" run t.yaml -o dd -q
exact run-dir-force 2 "vouchsim: dd: is a directory" -- "$vs" run t.yaml -o dd --force -q
exact run-dir-slash 2 "vouchsim: dd/: is a directory" -- "$vs" run t.yaml -o dd/ -q
exact run-nodir 1 "$nodir" -- "$vs" run t.yaml -o nodir/x -q
exact run-under-file 2 "$under" -- "$vs" run t.yaml -o t.yaml/x -q
exact run-deeper-under-file 2 "vouchsim: t.yaml/x/y.h5: 't.yaml' is not a directory" -- \
  "$vs" run t.yaml -o t.yaml/x/y.h5 -q
exact cf-dir 2 "vouchsim: dd: is a directory" -- "$vs" run t.yaml --counterfactual -o dd -q
exact sweep-dir 2 "vouchsim: dd: is a directory" -- \
  "$vs" sweep t.yaml --vary datacenters.wuhu.gpus=32,64 -o dd -q
exact sweep-nodir 1 "$nodir" -- "$vs" sweep t.yaml --vary datacenters.wuhu.gpus=32,64 -o nodir/x -q
exact compare-dir 2 "vouchsim: dd: is a directory" -- "$vs" compare t.yaml t.yaml -o dd -q
# not nodir/x.arms (the directory of its arms, which it made first)
exact compare-nodir 1 "$nodir" -- "$vs" compare t.yaml t.yaml -o nodir/x -q

# ---- optimize: -o, --record, --chart, before the first run ----
# A run would print "optimize: selecting among 2 candidates" and write
# OUT.journal first: the exact single line and the unchanged listing
# show none started.
opt() { "$vs" optimize t.yaml --vary datacenters.wuhu.gpus=32,64 --minimize copay_total \
          --delta 0.5 --n0 2 --max-replications 2 "$@"; }
exact opt-out-dir 2 "vouchsim: dd: is a directory" -- opt -o dd
exact opt-out-dir-force 2 "vouchsim: dd: is a directory" -- opt -o dd --force
exact opt-out-nodir 1 "$nodir" -- opt -o nodir/x
exact opt-record-dir 2 "vouchsim: dd: is a directory" -- opt -o o.yaml --record dd
exact opt-record-dir-force 2 "vouchsim: dd: is a directory" -- opt -o o.yaml --record dd --force
exact opt-record-under-file 2 "$under" -- opt -o o.yaml --record t.yaml/x
exact opt-chart-dir 2 "vouchsim: dd: is a directory" -- opt -o o.yaml --chart dd
exact opt-chart-nodir 1 "vouchsim: nodir/c.png: cannot write in directory 'nodir': No such file or directory" -- \
  opt -o o.yaml --chart nodir/c.png
ok opt-no-journal test ! -e o.yaml.journal -a ! -e o.yaml

# ---- plot -o, export --csv: before the input is read ----
exact plot-dir 2 "vouchsim: plot: dd: is a directory" -- "$vs" plot r.h5 -o dd
exact plot-dir-chart 2 "vouchsim: plot: dd: is a directory" -- "$vs" plot r.h5 --chart wait -o dd
exact plot-nodir 1 "vouchsim: plot: nodir/x.png: cannot write in directory 'nodir': No such file or directory" -- \
  "$vs" plot r.h5 -o nodir/x.png
exact plot-under-file 2 "vouchsim: plot: t.yaml/x.png: 't.yaml' is not a directory" -- \
  "$vs" plot r.h5 --chart wait -o t.yaml/x.png
exact plot-dir-first 2 "vouchsim: plot: dd: is a directory" -- "$vs" plot none.h5 -o dd
exact export-file 2 "vouchsim: export: t.yaml: not a directory" -- "$vs" export r.h5 --csv t.yaml
exact export-file-slash 2 "vouchsim: export: t.yaml/: not a directory" -- "$vs" export r.h5 --csv t.yaml/
exact export-under-file 2 "vouchsim: export: t.yaml/x/y: 't.yaml' is not a directory" -- \
  "$vs" export r.h5 --csv t.yaml/x/y
exact export-under-file-one 2 "vouchsim: export: t.yaml/x: 't.yaml' is not a directory" -- \
  "$vs" export r.h5 --csv t.yaml/x
exact export-under-file-first 2 "vouchsim: export: t.yaml/x: 't.yaml' is not a directory" -- \
  "$vs" export none.h5 --csv t.yaml/x
exact export-file-first 2 "vouchsim: export: t.yaml: not a directory" -- "$vs" export none.h5 --csv t.yaml

ok nothing-left test "$(listing)" = "$before"

# a directory the user may not write in (not as root, who may)
if [ "$(id -u)" != 0 ]; then
  mkdir ro && chmod 555 ro
  exact run-read-only 1 "vouchsim: ro/x.h5: cannot write in directory 'ro': Permission denied" -- \
    "$vs" run t.yaml -o ro/x.h5 -q
  exact export-read-only 1 "vouchsim: export: ro/x: cannot write in directory 'ro': Permission denied" -- \
    "$vs" export r.h5 --csv ro/x
  ok read-only-empty test -z "$(ls -A ro)"
  chmod 755 ro
fi

# plot without -o: the charts named after the input (FILE_<chart>.png beside
# it) are checked as -o is, before the input (not HDF5 here) is read
echo junk > bad.h5
mkdir bad_wait.png bad_spend.png
exact plot-default-dir 2 "vouchsim: plot: bad_wait.png: is a directory" -- "$vs" plot bad.h5 --chart wait
exact plot-default-dir-all 2 "vouchsim: plot: bad_spend.png: is a directory" -- "$vs" plot bad.h5
exact plot-default-other 2 "vouchsim: plot: bad.h5: not an HDF5 file" -- "$vs" plot bad.h5 --chart budget
if [ "$(id -u)" != 0 ]; then
  mkdir ro2 && cp bad.h5 ro2/ && chmod 555 ro2
  exact plot-default-read-only 1 "vouchsim: plot: ro2/bad_wait.png: cannot write in directory 'ro2': Permission denied" -- \
    "$vs" plot ro2/bad.h5 --chart wait
  exact plot-default-read-only-all 1 "vouchsim: plot: ro2/bad_utilization.png: cannot write in directory 'ro2': Permission denied" -- \
    "$vs" plot ro2/bad.h5
  ok plot-default-read-only-empty test "$(ls -A ro2)" = bad.h5
  chmod 755 ro2
fi

# what still works: a directory export --csv makes, with its parents
EXACT_STDERR=1 exact export-new-dirs 0 "vouchsim: export: created directory new" -- \
  "$vs" export r.h5 --csv new/csv
ok export-new-dirs-written test -f new/csv/scalars.csv

echo "outcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
