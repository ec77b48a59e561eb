#!/bin/sh
# tests/walkfix_j_export.sh - export --csv DIR creates DIR's missing
# parents as `mkdir -p` does, and says so: one line per directory it made
# (`vouchsim: export: created directory D`, DIR itself not, being the
# export's), none when the parents are there. An export that fails (a
# write refused: ulimit -f) removes DIR and the parents it made (not a
# parent that was there), and does not say it made them.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp walkfix_j_export
"$vs" run "$s/scenarios/mmc.yaml" --set horizon=2d -o a.h5 --quiet || exit 1

"$vs" export a.h5 --csv p/q/out > p.out 2> p.err
ok parents-exit [ $? -eq 0 ]
ok parents-said [ "$(cat p.err)" = "vouchsim: export: created directory p
vouchsim: export: created directory p/q" ]
ok parents-made [ -s p/q/out/scalars.csv ]
ok parents-stdout [ "$(cat p.out)" = p/q/out ]
# one missing parent, a trailing slash, an absolute DIR
"$vs" export a.h5 --csv p/r/out/ > /dev/null 2> r.err
ok one-parent-said [ "$(cat r.err)" = "vouchsim: export: created directory p/r" ]
"$vs" export a.h5 --csv "$tmp/abs/out" > /dev/null 2> abs.err
ok absolute-said [ "$(cat abs.err)" = "vouchsim: export: created directory $tmp/abs" ]
# the parents there: nothing said
"$vs" export a.h5 --csv p/new > /dev/null 2> new.err
ok no-parent-silent [ ! -s new.err ]
ok no-parent-made [ -s p/new/scalars.csv ]

# a write that fails (the file size limit, ulimit -f, with SIGXFSZ
# ignored: EFBIG): DIR and the parents it made are gone again
sh -c "trap '' XFSZ; ulimit -f 4; exec '$vs' export a.h5 --csv f/x/y/out" > f.out 2> f.err
ok fail-exit [ $? -eq 1 ]
ok fail-said grep -q "f/x/y/out/scalars.csv: cannot write: File too large" f.err
ok fail-parents-gone [ ! -e f ]
ok fail-not-said sh -c "! grep -q 'created directory' f.err"
# a parent that was there stays
mkdir g
sh -c "trap '' XFSZ; ulimit -f 4; exec '$vs' export a.h5 --csv g/x/out" > /dev/null 2>&1
ok fail-existing-stays sh -c '[ -d g ] && [ -z "$(ls -A g)" ]' 

echo "walkfix_j_export: $pass passed, $fail failed"
[ $fail -eq 0 ]
