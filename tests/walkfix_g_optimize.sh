#!/bin/sh
# tests/walkfix_g_optimize.sh - optimize says what will help:
#   3. a write of its own refused by the file size limit (ulimit -f, in a
#      subshell): the journal, the chosen scenario, --record; exit 1, the
#      line naming the file, then the advice run/compare/sweep give
#      ("... file size limit ... raise it (ulimit -f unlimited)", and for
#      the journal and --record, which grow by a line per run, "or write
#      less: a lower --max-replications or fewer candidates"); the chosen
#      scenario has nothing to drop, so no "write less"; what was written
#      before the failure is taken back, the journal kept, and --resume
#      then writes it all
#   4. a constraint whose default tolerance is tiny against the runs'
#      spread (subsidy_total <= 1: 1% of the bound, 0.01 CNY, on a subsidy
#      that varies by ~140,000 CNY) cannot be decided by any cap: the
#      output says so after the first stage and at the end, and gives a
#      tolerance that decides; with it, every candidate is decided within
#      the cap. A mean close to its bound gets "raise --max-replications"
#      instead.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/walkfix_g_optimize.XXXXXX") || exit 1
trap '[ -n "$KEEP" ] || rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
mmc="$s/scenarios/mmc.yaml"
small="$s/tests/data/small.yaml"
gpus=datacenters.mmc-100.gpus

# ---- 3. the file size limit ----
# the shell's unit of ulimit -f (512 in dash and bash as sh, 1024 in bash)
unit=1024
sh -c 'ulimit -f 1 && exec head -c 600 /dev/zero > probe' 2> /dev/null || unit=512
# BYTES COMMAND...: COMMAND under a file size limit of BYTES
limited() { (ulimit -f $(($1 / unit)) && shift && exec "$@"); }
long() { awk -v n="$1" -v c="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", c }'; }
advice='^vouchsim: the file size limit \(ulimit -f\) is [0-9]+ bytes: raise it \(ulimit -f unlimited\)'
less=', or write less: a lower --max-replications or fewer candidates \(--vary\)$'
opt="--minimize mean_wait_east_h --delta 0.5 --until 2025-01-21 -j 2 -q"

# the journal: refused at its first chunk
mkdir j
limited 1024 "$vs" optimize "$mmc" --vary $gpus=16,17,18 $opt --n0 2 --max-replications 2 \
  -o j/o.yaml > j.out 2> j.err
ok journal-exit-1 [ $? -eq 1 ]
ok journal-names-file grep -Eq '^vouchsim: j/o\.yaml\.journal: cannot write the journal: File too large$' j.err
ok journal-advice sh -c "sed -n 2p j.err | grep -Eq '$advice$less'"
ok journal-kept sh -c "sed -n 3p j.err | grep -Eq '^vouchsim: [0-9]+ finished runs? (is|are) kept in j/o\\.yaml\\.journal for --resume\$'"
ok journal-three-lines [ "$(wc -l < j.err)" -eq 3 ]

# the chosen scenario (6.5 KB: the --set name is long), after a journal that fits
mkdir y
limited 4096 "$vs" optimize "$mmc" --set "name=$(long 3000 n)" --vary $gpus=16,17,18 $opt \
  --n0 2 --max-replications 2 -o y/o.yaml > y.out 2> y.err
ok scenario-exit-1 [ $? -eq 1 ]
ok scenario-names-file grep -Eq '^vouchsim: y/o\.yaml: File too large$' y.err
ok scenario-advice sh -c "sed -n 2p y.err | grep -Eq '$advice\$'"
ok scenario-nothing-left sh -c "! ls -A y | grep -v '^o\\.yaml\\.journal\$' | grep -q ."

# --record (15 KB: long candidate names), after the scenario (6.4 KB) and journal (4.3 KB)
mkdir r
limited 12288 "$vs" optimize "$mmc" --vary "name=$(long 1500 a),$(long 1500 b)" --set $gpus=17 \
  $opt --n0 5 --max-replications 5 -o r/o.yaml --record r/rec.csv > r.out 2> r.err
ok record-exit-1 [ $? -eq 1 ]
ok record-names-file grep -Eq '^vouchsim: r/rec\.csv: File too large$' r.err
ok record-advice sh -c "sed -n 2p r.err | grep -Eq '$advice$less'"
ok record-no-temp sh -c "! ls -A r | grep -q tmp"
# the scenario written before it is taken back, the journal kept: --resume
# (which refuses outputs that exist) then writes both from the journal
ok record-takes-back grep -q '^vouchsim: r/o\.yaml removed: written before the failure, --resume writes it again$' r.err
ok record-journal-kept grep -Eq '^vouchsim: 10 finished runs are kept in r/o\.yaml\.journal for --resume$' r.err
ok record-only-journal [ "$(ls -A r)" = o.yaml.journal ]
"$vs" optimize "$mmc" --vary "name=$(long 1500 a),$(long 1500 b)" --set $gpus=17 \
  $opt --n0 5 --max-replications 5 -o r/o.yaml --record r/rec.csv --resume > r2.out 2> r2.err
ok record-resume-exit-0 [ $? -eq 0 ]
ok record-resume-files sh -c "[ -s r/o.yaml ] && [ -s r/rec.csv ] && [ ! -e r/o.yaml.journal ]"
ok record-resume-rows [ "$(grep -c '^selection,' r/rec.csv)" -eq 10 ]
for f in j y r; do
  [ -f "$f.err" ] && grep -q 'raise it' "$f.err" || sed 's/^/  | /' "$f.err"
done

# ---- 4. an undecidable tolerance ----
cov=programs.shanghai-compute.coverage
set -- "$small" --vary $cov=0.3,0.5,0.8 --minimize mean_wait_east_h --delta 0.5 --n0 3 \
  --max-replications 40 -j 2
"$vs" optimize "$@" --subject-to 'subsidy_total <= 1' -o u.yaml > u.out 2> u.err
ok undecided-exit-1 [ $? -eq 1 ]
ok undecided-status [ "$(grep -c 'feasibility undecided at the cap$' u.out)" -eq 3 ]
ok undecided-line grep -Eq "^undecided: 'subsidy_total <= 1' \\(tolerance 0\\.01 CNY\\): at these estimates its test needs about [0-9,]+ replications per candidate \\(--max-replications 40\\), however far the mean is from its bound, because the tolerance is small against the runs' spread; a larger tolerance decides sooner: --subject-to 'subsidy_total <= 1 tol [0-9]+' would decide in about 20 " u.out
# the replications it would need: millions, so no cap is the answer
need=$(sed -n 's/^undecided: .* needs about \([0-9,]*\) replications.*/\1/p' u.out | tr -d ,)
ok undecided-millions [ "${need:-0}" -gt 1000000 ]
ok guarantee-says-why grep -q '^guarantee: none: the feasibility of 3 candidates was undecided at --max-replications 40 ("undecided:" says what would decide it)$' u.out
ok no-raise-cap sh -c "! grep -q 'raise it for the guarantee' u.out"
ok chosen-none grep -q '^chosen: none (no candidate was shown feasible: 3 undecided)$' u.out
ok error-line grep -q '^vouchsim: optimize: no candidate was shown feasible: the feasibility of 3 was undecided at --max-replications 40$' u.err
# said after the first stage, before the runs to the cap
ok early grep -Eq "^optimize: after the first stage: 'subsidy_total <= 1' \\(tolerance 0\\.01 CNY\\): .* tol [0-9]+' would decide in about 20 .*; going on to the cap\$" u.err
ok early-first sh -c "grep -n 'after the first stage' u.err | cut -d: -f1 | { read a; b=\$(grep -n 'runs, events' u.err | cut -d: -f1); [ \"\$a\" -lt \"\$b\" ]; }"
# the advice works: with its tolerance every candidate is decided (infeasible) within the cap
tol=$(sed -n "s/^undecided: .* --subject-to 'subsidy_total <= 1 tol \\([0-9]*\\)'.*/\\1/p" u.out)
ok advice-tol [ -n "$tol" ]
"$vs" optimize "$@" --subject-to "subsidy_total <= 1 tol $tol" -o d.yaml > d.out 2> d.err
ok advice-exit-1 [ $? -eq 1 ]
ok advice-decides [ "$(grep -c 'infeasible: subsidy_total <= 1 tol' d.out)" -eq 3 ]
ok advice-guarantee sh -c "grep -q '^guarantee: P(correct selection)' d.out && ! grep -q '^undecided:' d.out"
ok advice-no-early sh -c "! grep -q 'after the first stage' d.err"
ok advice-plain-error grep -q '^vouchsim: optimize: no candidate is feasible$' d.err
# json carries it; csv says it on stderr
"$vs" optimize "$@" --subject-to 'subsidy_total <= 1' -o u.yaml --format json -q > u.json 2> uj.err
ok json-undecided grep -Eq '"undecided": \[\{"constraint": "subsidy_total <= 1", "replications_needed": [0-9]+, "tolerance_deciding_sooner": [0-9.e+]+, "advice": "' u.json
"$vs" optimize "$@" --subject-to 'subsidy_total <= 1' -o u.yaml --format csv -q > u.csv 2> uc.err
ok csv-stderr grep -q "^vouchsim: undecided: 'subsidy_total <= 1' (tolerance 0.01 CNY)" uc.err
# a mean close to its bound: more replications, not a tolerance, decide it
"$vs" optimize "$small" --vary $cov=0.3,0.5 --minimize mean_wait_east_h --delta 0.5 --n0 3 \
  --max-replications 30 -j 2 -q --subject-to 'subsidy_total <= 1.665M tol 1000' -o c.yaml \
  > c.out 2> c.err
ok close-exit-1 [ $? -eq 1 ]
ok close-raise grep -Eq "^undecided: 'subsidy_total <= 1.665M' \\(tolerance 1,000 CNY\\): at these estimates its test needs about [0-9,]+ replications per candidate \\(--max-replications 30\\): a mean this close to its bound needs them; raise --max-replications to about that" c.out
ok close-no-tol sh -c "! grep -q \"tol [0-9]*' would decide\" c.out"
# documented
ok readme grep -q 'feasibility undecided at the cap' "$s/README.md"

echo "walkfix_g_optimize: $pass passed, $fail failed"
[ $fail -eq 0 ]
