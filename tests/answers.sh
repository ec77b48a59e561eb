#!/bin/sh
# tests/answers.sh - `summary --by` and `compare --by` against answers
# worked out by hand (tests/data/answers_two.yaml: two cities, one
# program each, a tranche), and consistency on the default scenario: the
# programs' spending adds up to subsidy_total + data_subsidy_total, the
# cities' to the totals. `compare -o` writes one file whose summary is
# the comparison, byte for byte; a program or city only one arm has is
# shown as absent; run-out dates count their runs and waits over no jobs
# read "no jobs".
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
lib=$(cd "${top_srcdir:-.}" && pwd)/tests/lib.sh
cd "${top_srcdir:-.}" || exit 1
vs="$b/vouchsim"
d=tests/data
tmp=$(mktemp -d "${TMPDIR:-/tmp}/answers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$lib"
num() { awk "BEGIN { exit !($1) }"; }
# by CSV SECTION ENTITY MEASURE: the mean of that row of a --by CSV table
by() { awk -F, -v s="$2" -v e="$3" -v m="$4" '$1 == s && $2 == e && $3 == m { print $5 }' "$1"; }
# tot CSV NAME: the mean of a scalar row of summary --format csv
tot() { awk -F, -v k="$2" '$1 == k { print $3; exit }' "$1"; }

# ---- known answers: 5 + 12 vouchers of 80 yuan ----
"$vs" run $d/answers_two.yaml -r 3 -o "$tmp/two.h5" --quiet || echo "FAIL run answers_two"
"$vs" summary "$tmp/two.h5" --by program,city --by region --format csv > "$tmp/two.csv"
f=$tmp/two.csv
for x in "program jinan-compute opening 400" "program jinan-compute tranches 0" \
         "program jinan-compute spent 400" "program jinan-compute left 0" \
         "program jinan-compute committed 0" "program jinan-compute lapsed 0" \
         "program jinan-compute firms_granted 5" "program jinan-compute firms_additional 5" \
         "program jinan-compute firms_deadweight 0" \
         "program qingdao-compute opening 800" "program qingdao-compute tranches 160" \
         "program qingdao-compute spent 960" "program qingdao-compute firms_granted 12" \
         "program qingdao-compute firms_additional 12" "program all spent 1360" \
         "city jinan firms_buying 5" "city jinan subsidy 400" "city jinan copay 100" \
         "city jinan gpu_hours 50" "city qingdao firms_buying 12" "city qingdao subsidy 960" \
         "city qingdao copay 240" "city qingdao gpu_hours 120" "city all subsidy 1360" \
         "region east jobs_left_queue 17" "region east jobs_waiting_end 0"; do
  set -- $x
  got=$(by "$f" "$1" "$2" "$3")
  ok "two-$1-$2-$3=$4" num "${got:-nan} == $4"
  [ "${got:-nan}" = "$4" ] || echo "  | got '$got'"
done
# 17 jobs x 2 GPUs x 5 h on 1000 GPUs over 30 days, in percent
ok two-utilization num "$(by "$f" region east utilization) - 170 / 720000 * 100 < 1e-9 && 170 / 720000 * 100 - $(by "$f" region east utilization) < 1e-9"
ok two-no-west-wait test "$(by "$f" region west firm_mean_wait_h)" = ""
# run-out: jinan's five vouchers run out for good in every run; never past the horizon
ok two-runout-k grep -q '^program,jinan-compute,runout_final_h,h,[0-9.]*,[0-9.e-]*,3,3,2025-01-0[1-9]$' "$f"
"$vs" summary "$tmp/two.h5" --by program --by region > "$tmp/two.txt"
ok two-table-k grep -Eq '^  jinan-compute .* 2025-01-0[1-9] \(3/3\) +2025-01-0[1-9] \(3/3\)$' "$tmp/two.txt"
ok two-table-no-jobs grep -Eq '^  west .* no jobs .* no jobs ' "$tmp/two.txt"
ok two-table-grouped grep -q '^  program  *opening  *+ tranches  *committed  *spent  *lapsed  *returned  *left$' "$tmp/two.txt"
if command -v python3 >/dev/null 2>&1; then
  "$vs" summary "$tmp/two.h5" --by program --by city --format json > "$tmp/two.json"
  ok two-json python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p, c = d["by"]
assert p["section"] == "program" and c["section"] == "city" and p["runs"] == 3
q = [r for r in p["rows"] if r["entity"] == "qingdao-compute"][0]
assert q["spent"]["mean"] == 960 and q["spent"]["unit"] == "CNY" and q["tranches"]["mean"] == 160
assert q["runout_first_h"]["date"].startswith("2025-01-")' "$tmp/two.json"
fi
t by-bad 2 "--by: expected program, city or region, got 'country'" -- "$vs" summary "$tmp/two.h5" --by country

# a file without the data-center series: a wait is unknown ("-"), not "no jobs"
"$b/tests/mkh5" "$tmp/s3.h5" 3 || echo "FAIL mkh5"
t unknown-wait 0 '^  east +75\.[0-9] +- +-$' -- "$vs" summary "$tmp/s3.h5" --by region

# ---- consistency on the default scenario (data vouchers too) ----
"$vs" run scenarios/china-2025.yaml -r 2 --until 2025-03-01 --set cooldown=0 -o "$tmp/c.h5" --quiet \
  || echo "FAIL run china-2025"
"$vs" summary "$tmp/c.h5" --by program,city --format csv > "$tmp/c.csv"
spent=$(by "$tmp/c.csv" program all spent)
sub=$(tot "$tmp/c.csv" subsidy_total) dsub=$(tot "$tmp/c.csv" data_subsidy_total)
ok default-spent-sum num "${spent:-0} > 0 && ($spent - $sub - $dsub) ^ 2 < 1e-6"
[ -n "$spent" ] && num "($spent - $sub - $dsub) ^ 2 < 1e-6" || echo "  | spent $spent, subsidy $sub + data $dsub"
for m in subsidy:subsidy_total copay:copay_total gpu_hours:gpu_hours_total \
         firms_arrived:firms_arrived firms_buying:firms_buying data_subsidy:data_subsidy_total \
         firms_additional:firms_additional firms_deadweight:firms_deadweight; do
  a=$(by "$tmp/c.csv" city all "${m%%:*}") t=$(tot "$tmp/c.csv" "${m#*:}")
  ok "default-city-sum-${m%%:*}" num "${a:-nan} + 0 == ${t:-nan} + 0 || (($a - $t) / ($t + 1)) ^ 2 < 1e-18"
done

# ---- compare -o: one file; absent arms' totals; the summary of the file ----
"$vs" compare $d/e2e_money.yaml $d/answers_two.yaml -r 3 -o "$tmp/cmp.h5" --by program,city \
  --format csv --quiet > "$tmp/cmp.csv" 2> "$tmp/cmp.err"
ok cmp-status test $? -eq 0
ok cmp-one-file test -f "$tmp/cmp.h5" -a ! -e "$tmp/cmp.h5.arms"
"$vs" summary "$tmp/cmp.h5" --by program,city --format csv > "$tmp/cmp2.csv"
ok cmp-summary-same sh -c "grep -q ^subsidy_total, \"$tmp/cmp.csv\" && cmp -s \"$tmp/cmp.csv\" \"$tmp/cmp2.csv\""
ok cmp-absent-total grep -q '^exhaustion_h.qingdao-compute,h,,[0-9.]*,,,,0,absent in base$' "$tmp/cmp.csv"
ok cmp-absent-city grep -q '^city,qingdao,subsidy,CNY,,960,,,,0,0,3,3,absent in base$' "$tmp/cmp.csv"
ok cmp-paired-spent grep -q '^program,jinan-compute,spent,CNY,[0-9.]*,400,-[0-9.]*,[0-9.]*,[0-9.]*,3,3,3,3,both$' "$tmp/cmp.csv"
"$vs" summary "$tmp/cmp.h5" --by program > "$tmp/cmp.txt"
ok cmp-says-comparison grep -q 'a comparison file (arms base and policy' "$tmp/cmp.txt"
ok cmp-table-absent grep -Eq '^  qingdao-compute \(absent from base\)$' "$tmp/cmp.txt"
ok cmp-table-absent-cell grep -Eq '^    spent +CNY +absent +960 ' "$tmp/cmp.txt"
t cmp-absent-said 0 '^\("absent": 7 totals recorded by one arm only' -- \
  "$vs" summary "$tmp/cmp.h5"
t cmp-absent-row 0 '^firms_granted.qingdao-compute +firms +absent +12 +- ' -- "$vs" summary "$tmp/cmp.h5"
# the base's 1M never runs out; the policy's 400 does, in every run
ok cmp-runout grep -Eq '^    runout_first_h +date +not in 3 runs +2025-01-0[1-9] \(3/3\) +- ' "$tmp/cmp.txt"
t cmp-arm 0 '^subsidy_total  *CNY  *1,360 ' -- "$vs" summary "$tmp/cmp.h5" --arm policy
t cmp-arm-unknown 2 "no arm 'nope' in this comparison file \(arms: base, policy\)" -- \
  "$vs" summary "$tmp/cmp.h5" --arm nope
t cmp-export-differences 0 '' -- "$vs" export "$tmp/cmp.h5" --csv "$tmp/x"
ok cmp-export-differences-csv test -s "$tmp/x/differences.csv"
t cmp-export-arm 0 '' -- "$vs" export "$tmp/cmp.h5" --arm base --csv "$tmp/xb"
ok cmp-export-arm-scalars test -s "$tmp/xb/scalars.csv"
t arm-not-comparison 2 "not a comparison file" -- "$vs" summary "$tmp/two.h5" --arm base
# the policy arm is the run of answers_two.yaml, to the bit of every total
"$vs" summary "$tmp/cmp.h5" --arm policy --format csv > "$tmp/arm.csv"
"$vs" summary "$tmp/two.h5" --format csv > "$tmp/two-all.csv"
ok cmp-arm-is-the-run sh -c "grep -q ^subsidy_total,CNY,1360, \"$tmp/arm.csv\" && cmp -s \"$tmp/arm.csv\" \"$tmp/two-all.csv\""
# /compare/differences, read without vouchsim: every section, whatever --by said
"$b/tests/h5csv" "$tmp/cmp.h5" /compare/differences > "$tmp/diff.csv"
ok diff-header test "$(head -1 "$tmp/diff.csv")" = "total,section,entity,measure,unit,base_mean,policy_mean,difference,paired_ci95_half,unpaired_ci95_half,n,n_base,n_policy,runs,status"
ok diff-subsidy grep -q '^subsidy_total,total,,subsidy_total,CNY,[0-9.e+]*,1360,-[0-9.e+]*,[0-9.e+-]*,[0-9.e+-]*,3,3,3,3,both$' "$tmp/diff.csv"
ok diff-absent grep -q '^program.qingdao-compute.spent,program,qingdao-compute,spent,CNY,nan,960,nan,nan,nan,0,0,3,3,absent in base$' "$tmp/diff.csv"
ok diff-region grep -q '^region.east.jobs_left_queue,region,east,jobs_left_queue,jobs,' "$tmp/diff.csv"
ok diff-rows test "$(grep -c ',total,' "$tmp/diff.csv")" -eq "$(awk 'NR > 1 && $0 == "" { exit } NR > 1' "$tmp/cmp.csv" | wc -l)"
# 31 provinces: a wide table, three lines a city (base, policy, change)
"$vs" compare scenarios/national.yaml scenarios/national.yaml --set warmup=0 --set cooldown=0 \
  --until 2025-01-15 -r 2 --by city --quiet > "$tmp/nat.txt"
ok wide-says grep -q '^  (31 cities: per city its base and policy value and the change policy - base' "$tmp/nat.txt"
ok wide-rows test "$(grep -c '^ *change ' "$tmp/nat.txt")" -eq 62
ok wide-beijing grep -Eq '^  beijing +base +[0-9]' "$tmp/nat.txt"

# --resume after an interruption in the policy arm: the finished base arm
# (here made by `run`, which writes the same datasets) is kept, and the
# file is bit-identical to the uninterrupted one
mkdir "$tmp/r.h5.arms"
"$vs" run $d/e2e_money.yaml -r 3 -o "$tmp/r.h5.arms/base.h5" --quiet
t resume-arm 0 "resume: the base arm is done already in $tmp/r.h5.arms/base.h5" -- \
  "$vs" compare $d/e2e_money.yaml $d/answers_two.yaml -r 3 -o "$tmp/r.h5" --resume
ok resume-arm-identical "$b/tests/h5cmp" "$tmp/cmp.h5" "$tmp/r.h5" /arms /compare
ok resume-arm-cleaned test ! -e "$tmp/r.h5.arms"
if command -v python3 >/dev/null 2>&1 && python3 -c 'import h5py' 2>/dev/null; then
  ok cmp-h5-layout python3 - "$tmp/cmp.h5" <<'EOF'
import sys, h5py
with h5py.File(sys.argv[1], "r") as f:
    assert f.attrs["arms"].decode() == "base policy"
    for a in ("base", "policy"):
        g = f["arms"][a]
        assert "time" in g and "scalars" in g and "summary" in g and "runs" in g
    t = f["compare/differences"][:]
    names = [x.decode() for x in t["total"]]
    r = t[names.index("subsidy_total")]
    assert r["policy_mean"] == 1360 and r["n"] == 3 and r["status"].decode() == "both"
    r = t[names.index("program.qingdao-compute.spent")]
    assert r["section"].decode() == "program" and r["status"].decode() == "absent in base"
    assert r["policy_mean"] == 960 and r["n"] == 0
    assert "region.east.utilization" in names and "city.jinan.copay" in names
EOF
fi

# ---- year_end: return (e2e_years.yaml): the money given back is in the
# opening identity; per-year scalars stay among the totals ----
"$vs" run $d/e2e_years.yaml -r 2 -o "$tmp/yr.h5" --quiet 2>/dev/null || echo "FAIL run e2e_years"
"$vs" summary "$tmp/yr.h5" --by program --format csv > "$tmp/yr.csv"
sp24=$(tot "$tmp/yr.csv" spent.jinan-compute.2024)
ok years-spent-2024 test -n "$sp24"
ok years-opening num "$(by "$tmp/yr.csv" program jinan-compute opening) == 0"
ok years-returned num "$(by "$tmp/yr.csv" program jinan-compute returned) == 1000 - ${sp24:-nan}"
ok years-tranches num "$(by "$tmp/yr.csv" program jinan-compute tranches) == 3000"
"$vs" compare $d/e2e_years.yaml $d/e2e_years.yaml -r 2 --by program --quiet > "$tmp/yrc.txt" 2>/dev/null
ok years-per-year-total grep -q '^spent\.jinan-compute\.2024 ' "$tmp/yrc.txt"
ok years-per-year-total2 grep -q '^subsidy_total\.2025 ' "$tmp/yrc.txt"
ok years-program-total-moved sh -c "! grep -q '^firms_granted\\.jinan-compute ' '$tmp/yrc.txt'"
ok years-returned-row grep -q '^    returned  ' "$tmp/yrc.txt"

echo "answers.sh: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
