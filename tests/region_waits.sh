#!/bin/sh
# tests/region_waits.sh - the three waits of a region, said apart in the
# --by region tables of summary and compare:
#   firm_mean_wait_h             = the scalar mean_wait_<region>_h (firm jobs
#                                  that started; abandoned ones excluded);
#   mean_wait_all_<region>_h     = a scalar only (firm jobs, abandoned
#                                  included): not a row of the table;
#   mean_wait_incl_background_h  = the table's own: firm and background jobs
#                                  that left a queue, from the data centers'
#                                  series (once all_jobs_mean_wait_h, a name
#                                  too close to mean_wait_all_<region>_h).
# On west_first with the western centers cut to 2,500 GPUs (a short
# window, 2 runs, fixed seed): the west is full, its background jobs wait
# and give up, yet no firm job waits there, because west_first sends a
# firm job west only when a western center can start it at once (the
# README's caveat on the routing comparison).
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/region_waits.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
cd "$tmp" || exit 1
num() { awk "BEGIN { exit !($1) }"; }
# by CSV SECTION ENTITY MEASURE: the mean of that row of a --by CSV table
by() { awk -F, -v s="$2" -v e="$3" -v m="$4" '$1 == s && $2 == e && $3 == m { print $5 }' "$1"; }

west="guian-910b guian-a800 horinger-910b horinger-a800 qingyang-910b qingyang-a800 zhongwei-910b zhongwei-a800"
sets=""
for n in $west; do sets="$sets --set datacenters.$n.gpus=2500"; done
# shellcheck disable=SC2086
"$vs" run "$s/scenarios/west-first.yaml" -r 2 --until 2025-02-01 --set cooldown=0 $sets \
  -o wf.h5 --quiet || echo "FAIL run west-first"
"$vs" summary wf.h5 --by region --format csv > wf.csv
"$vs" summary wf.h5 --by region > wf.txt
"$vs" summary wf.h5 --by region --format json > wf.json
"$vs" summary wf.h5 --format csv > tot.csv

# ---- the names ----
ok row-renamed grep -q '^region,west,mean_wait_incl_background_h,h,' wf.csv
ok old-name-gone sh -c "! grep -q all_jobs_mean_wait_h wf.csv wf.txt wf.json"
ok json-key grep -q '"mean_wait_incl_background_h": {"unit": "h"' wf.json
ok heads grep -Eq '^  region +utilization +firm jobs: wait +firm jobs started +firm\+bg: left queue +firm\+bg: wait +abandoned +waiting at end$' wf.txt
ok note-firm grep -q '^  note: firm jobs: wait (firm_mean_wait_h) = the scalar mean_wait_<region>_h: firm jobs that started in the window; abandoned firm jobs are in the scalar mean_wait_all_<region>_h, not here; background jobs are in neither$' wf.txt
ok note-bg grep -q '^  note: firm+bg = firm and background jobs that left a queue in the window (started or abandoned): their count (jobs_left_queue) and mean time in queue (mean_wait_incl_background_h); abandoned (jobs_abandoned) and waiting at end (jobs_waiting_end) count both kinds too; "no jobs": none left a queue$' wf.txt

# ---- what each counts ----
# firm_mean_wait_h is the scalar mean_wait_<region>_h
for r in east west; do
  f=$(by wf.csv region $r firm_mean_wait_h)
  sc=$(awk -F, -v k="mean_wait_${r}_h" '$1 == k { print $3; exit }' tot.csv)
  ok "firm-wait-is-scalar-$r" num "${f:-nan} + 0 == ${sc:-nan} + 0"
done
# mean_wait_incl_background_h = per run, the west's summed queue_time over
# its jobs_started + jobs_abandoned (all jobs), then the mean over the runs
"$vs" export wf.h5 --csv x > /dev/null || echo "FAIL export"
# persum NAME: "run total" lines, the west's centers summed per run
persum() {
  awk -F, -v west=" $west " '
    NR == 1 { for (i = 3; i <= NF; i++) { dc = $i; sub(/ \(run .*/, "", dc); run = $i
                sub(/.*\(run /, "", run); sub(/\)$/, "", run)
                if (index(west, " " dc " ")) col[i] = run } next }
    { for (i in col) if ($i != "" && $i != "nan") t[col[i]] += $i }
    END { for (r in t) printf "%s %.17g\n", r, t[r] }' "x/series/datacenter_$1.csv" | sort
}
persum queue_time > q.txt; persum jobs_started > st.txt; persum jobs_abandoned > ab.txt
want=$(join q.txt st.txt | join - ab.txt | awk '{ w += $2 / ($3 + $4); n++ } END { if (n == 2) printf "%.17g", w / n }')
got=$(by wf.csv region west mean_wait_incl_background_h)
ok incl-bg-from-series num "${got:-0} > 0 && ((${got:-0} - ${want:-nan}) / ${want:-1}) ^ 2 < 1e-18"
[ -n "$want" ] && num "((${got:-0} - $want) / $want) ^ 2 < 1e-18" || echo "  | table $got, series $want"
# the caveat: the full west makes background jobs wait and give up, and no firm job waits
ok west-firm-no-wait num "$(by wf.csv region west firm_mean_wait_h) == 0"
ok west-firm-all-no-wait num "$(awk -F, '$1 == "mean_wait_all_west_h" { print $3; exit }' tot.csv) == 0"
ok west-firm-jobs num "$(by wf.csv region west firm_jobs_started) > 0"
ok west-bg-waits num "${got:-0} > 0.5"
ok west-bg-abandons num "$(by wf.csv region west jobs_abandoned) > 0"

# ---- compare: the measure column and /compare/differences ----
# shellcheck disable=SC2086
"$vs" compare "$s/scenarios/china-2025.yaml" "$s/scenarios/west-first.yaml" -r 2 \
  --until 2025-02-01 --set cooldown=0 $sets --by region -o cmp.h5 > cmp.txt 2>&1 \
  || echo "FAIL compare"
ok cmp-row grep -Eq '^    mean_wait_incl_background_h +h ' cmp.txt
ok cmp-note grep -q '^  note: firm+bg = firm and background jobs' cmp.txt
ok cmp-note-once test "$(grep -c '^  note: firm jobs: wait' cmp.txt)" -eq 1
ok cmp-old-gone sh -c "! grep -q all_jobs cmp.txt"
"$b/tests/h5csv" cmp.h5 /compare/differences > diff.csv
ok diff-row grep -q '^region.west.mean_wait_incl_background_h,region,west,mean_wait_incl_background_h,h,' diff.csv

echo "region_waits: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
