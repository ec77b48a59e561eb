#!/bin/sh
# tests/sweep_factors.sh - factors, not just ranges (issue 10), and sweeps
# and exports that do not surprise (issue 9): --vary value lists of every
# type, a categorical routing sweep equal bit for bit to separate runs,
# lhs and sobol over a categorical refused, the sweep's CSV export as one
# experiments-by-outcomes table, --long rows equal to the wide series,
# --dry-run that runs and writes nothing, the cost estimate, --totals-only,
# and an export that refuses to mix with an earlier one unless --force.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
cmp="$b/tests/h5cmp"
sc="$s/scenarios/china-2025.yaml"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sweep_factors.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
short="--until 2025-01-15"
cd "$tmp" || exit 1

# ---- value lists of every type: numbers, amounts, durations, names, booleans ----
t lists-dry-run 0 '^grid design, 32 points:' -- "$vs" sweep "$sc" $short --dry-run \
  --vary firms.patience.mean=3d,7d --vary programs.shandong-compute.budget=30M,1.03B \
  --vary programs.shanghai-compute.coverage=0.5,0.8 --vary routing=nearest,west_first \
  --vary vouchers=true,false
out=$("$vs" sweep "$sc" $short --dry-run --vary firms.patience.mean=3d,7d \
  --vary programs.shandong-compute.budget=30M,1.03B --vary programs.shanghai-compute.coverage=0.5,0.8 \
  --vary routing=nearest,west_first --vary vouchers=true,false 2>&1)
ok lists-first-point [ "$(printf '%s\n' "$out" | grep '^point 0:')" = \
  "point 0: firms.patience.mean=3d programs.shandong-compute.budget=30M programs.shanghai-compute.coverage=0.5 routing=nearest vouchers=true" ]
ok lists-last-point [ "$(printf '%s\n' "$out" | grep '^point 31:')" = \
  "point 31: firms.patience.mean=7d programs.shandong-compute.budget=1.03B programs.shanghai-compute.coverage=0.8 routing=west_first vouchers=false" ]
ok lists-32-lines [ "$(printf '%s\n' "$out" | grep -c '^point ')" -eq 32 ]
# LO:HI:N is a list of N levels, durations passed on in hours
t levels 0 '^point 1: firms.patience.mean=168h$' -- "$vs" sweep "$sc" $short --dry-run \
  --vary firms.patience.mean=3d:7d:2
# a name the scenario does not know is refused at its point, before any run
t bad-name 2 'sweep: point 1 \(routing=sideways\) is not a valid scenario' -- \
  "$vs" sweep "$sc" $short --dry-run --vary routing=nearest,sideways
t twice 2 'sweep: --vary routing is given twice' -- "$vs" sweep "$sc" $short --dry-run \
  --vary routing=nearest --vary routing=west_first
t grid-range 2 'sweep: --vary routing: a grid needs values: key=LO:HI:N \(N levels\) or key=v1,v2,...' -- \
  "$vs" sweep "$sc" $short --dry-run --vary routing=1:2
ok dry-run-wrote-nothing [ -z "$(ls -A "$tmp")" ]

# ---- lhs and sobol over a categorical factor: exit 2, the message ----
for d in lhs sobol; do
  t "$d-categorical" 2 "^vouchsim: sweep: --vary routing: 'nearest,west_first' is a categorical factor \\(names or booleans\\); --design $d samples ranges LO:HI only: use --design grid\$" -- \
    "$vs" sweep "$sc" $short --design $d --samples 4 --vary routing=nearest,west_first -o "$tmp/x.h5"
  t "$d-list" 2 "^vouchsim: sweep: --vary programs.shanghai-compute.coverage: --design $d takes a range key=LO:HI, got '0.5,0.8'\$" -- \
    "$vs" sweep "$sc" $short --design $d --samples 4 --vary programs.shanghai-compute.coverage=0.5,0.8 -o "$tmp/x.h5"
done
ok refused-wrote-nothing [ -z "$(ls -A "$tmp")" ]

# ---- --dry-run: the design and the estimate, nothing run, nothing written ----
out=$("$vs" sweep "$sc" $short --vary routing=nearest,west_first -r 2 --dry-run -o "$tmp/d.h5" 2>&1)
st=$?
ok dry-run-exit [ $st -eq 0 ]
ok dry-run-estimate sh -c 'printf "%s\n" "$1" | grep -Eq "^sweep: 2 points x 2 replications = 4 runs; estimated [0-9.]+ (million|thousand) events, about [0-9.]+ s on [0-9]+ threads?"' sh "$out"
ok dry-run-file-size sh -c 'printf "%s\n" "$1" | grep -Eq "^sweep: series of [0-9]+ samples x [0-9]+ columns per run, [0-9.]+ [KMG]iB before compression; a file of about [0-9.]+ [KMG]iB \([0-9.]+ [KMG]iB to [0-9.]+ [KMG]iB\) \(--totals-only: about [0-9.]+ KiB \([0-9.]+ KiB to [0-9.]+ KiB\)\)$"' sh "$out"
ok dry-run-says [ "$(printf '%s\n' "$out" | tail -1)" = "sweep: --dry-run: nothing run, nothing written (would write $tmp/d.h5)" ]
ok dry-run-no-events sh -c '! printf "%s\n" "$1" | grep -q "events="' sh "$out"
ok dry-run-no-file [ -z "$(ls -A "$tmp")" ]

# ---- a categorical routing sweep equals separate runs, bit for bit ----
"$vs" sweep "$sc" $short --vary routing=nearest,west_first -r 2 --jobs 2 -o "$tmp/r.h5" \
  >"$tmp/sweep.out" 2>"$tmp/sweep.err"
ok sweep-ran [ $? -eq 0 ]
ok sweep-estimate-first sh -c 'head -1 "$1" | grep -Eq "^sweep: 2 points x 2 replications = 4 runs; estimated [0-9.]+ (million|thousand) events"' sh "$tmp/sweep.err"
ok sweep-table [ "$(grep -c '^ *[01] *\(nearest\|west_first\) ' "$tmp/sweep.out")" -eq 2 ]
for r in nearest west_first; do
  "$vs" run "$sc" $short --set routing=$r -r 2 --jobs 2 -o "$tmp/$r.h5" --quiet >/dev/null 2>&1
done
"$cmp" --table "$tmp/r.h5" /scalars | cut -d, -f2- >"$tmp/sweep_scalars"
{ "$cmp" --table "$tmp/nearest.h5" /scalars | cut -d, -f2-
  "$cmp" --table "$tmp/west_first.h5" /scalars | sed 1d | cut -d, -f2-; } >"$tmp/run_scalars"
ok routing-equals-runs cmp -s "$tmp/sweep_scalars" "$tmp/run_scalars"
ok routing-differs [ "$(sed -n 2p "$tmp/run_scalars")" != "$(sed -n 4p "$tmp/run_scalars")" ]
# the design: a string column with the names
ok params-text [ "$("$cmp" --table "$tmp/r.h5" /sweep/params | tr '\n' ' ')" = \
  "run,point,replication,routing 0,0,0,nearest 1,0,1,nearest 2,1,0,west_first 3,1,1,west_first " ]
ok vars-row sh -c '"$1" --table "$2" /sweep/vars | grep -qx "routing,nan,nan,,2,nearest,west_first,name,nearest,west_first"' sh "$cmp" "$tmp/r.h5"

# ---- export: one table of design and outcomes ----
"$vs" export "$tmp/r.h5" --csv "$tmp/csv" >/dev/null
ok export-ran [ $? -eq 0 ]
head -1 "$tmp/csv/scalars.csv" >"$tmp/hdr"
ok csv-header-design-first [ "$(cut -d, -f1-5 "$tmp/hdr")" = "run,point,replication,routing,$(sed -n 1p "$tmp/sweep_scalars" | cut -d, -f1)" ]
ok csv-one-row-per-run [ "$(wc -l <"$tmp/csv/scalars.csv")" -eq 5 ]
ok csv-rectangular [ "$(awk -F, '{print NF}' "$tmp/csv/scalars.csv" | sort -u | wc -l)" -eq 1 ]
ok csv-one-header [ "$(grep -c '^run,' "$tmp/csv/scalars.csv")" -eq 1 ]
ok csv-row sh -c 'sed -n 4p "$1" | grep -q "^2,1,0,west_first,"' sh "$tmp/csv/scalars.csv"
# numbers carry the digits they need and read back as the file's values
ok csv-short-numbers sh -c '! grep -q "0000000000\|9999999999" "$1"' sh "$tmp/csv/scalars.csv"
awk -F, 'NR > 1 { for (i = 5; i <= NF; i++) printf "%s%s", $i, (i < NF ? "," : "\n") }' \
  "$tmp/csv/scalars.csv" >"$tmp/csv_vals"
sed 1d "$tmp/sweep_scalars" | awk -F, '{ for (i = 1; i <= NF; i++) { v = $i; if (v == "nan") v = ""; printf "%s%s", (v == "" ? "" : sprintf("%.17g", v)), (i < NF ? "," : "\n") } }' >"$tmp/h5_vals"
awk -F, '{ for (i = 1; i <= NF; i++) { v = $i; printf "%s%s", (v == "" ? "" : sprintf("%.17g", v)), (i < NF ? "," : "\n") } }' \
  "$tmp/csv_vals" >"$tmp/csv_vals17"
ok csv-values-round-trip cmp -s "$tmp/csv_vals17" "$tmp/h5_vals"
ok manifest sh -c 'grep -qx scalars.csv "$1" && grep -qx series/region_utilization.csv "$1"' sh "$tmp/csv/vouchsim-export.txt"

# ---- the response chart refuses a categorical key, by name ----
t response-categorical 2 "response: the varied key 'routing' is categorical \\(names or booleans\\)" -- \
  "$vs" plot "$tmp/r.h5" --chart response -o "$tmp/resp.png"
t response-key-categorical 2 "response: the varied key 'routing' is categorical" -- \
  "$vs" plot "$tmp/r.h5" --chart response --key routing -o "$tmp/resp.png"

# ---- a second export into the same DIR: refused, then --force ----
echo mine >"$tmp/csv/notes.txt"
before=$(cd "$tmp/csv" && ls -lR --time-style=+%s.%N | md5sum)
t export-mix 2 "^vouchsim: export: $tmp/csv/scalars.csv: an earlier export is in $tmp/csv; --force replaces it, or choose another DIR\$" -- \
  "$vs" export "$tmp/r.h5" --csv "$tmp/csv"
ok export-mix-untouched [ "$(cd "$tmp/csv" && ls -lR --time-style=+%s.%N | md5sum)" = "$before" ]
# an export without a manifest (an older vouchsim's) is recognised by its names
mkdir "$tmp/old" && cp "$tmp/csv/summary.csv" "$tmp/old/"
t export-mix-old 2 "$tmp/old/summary.csv: an earlier export" -- "$vs" export "$tmp/r.h5" --csv "$tmp/old"
# --force --long: the wide files go, the long file comes, notes.txt stays
t export-force-long 0 '' -- "$vs" export "$tmp/r.h5" --csv "$tmp/csv" --long --force
ok force-removed-wide [ ! -e "$tmp/csv/series" ]
ok force-kept-notes [ "$(cat "$tmp/csv/notes.txt")" = mine ]
ok force-manifest [ "$(sed 1d "$tmp/csv/vouchsim-export.txt" | tr '\n' ' ')" = "scalars.csv summary.csv series.csv series_long.csv " ]
ok force-no-temp [ -z "$(find "$tmp/csv" -name '.vouchsim-export-*')" ]

# ---- --long rows equal the wide series ----
ok long-header [ "$(head -1 "$tmp/csv/series_long.csv")" = "run,date,hours,group,entity,variable,value" ]
"$vs" export "$tmp/r.h5" --csv "$tmp/wide" >/dev/null
# region utilization of run 3, entity west: the wide file's column "west (run 3)"
col=$(head -1 "$tmp/wide/series/region_utilization.csv" | tr ',' '\n' | grep -nx 'west (run 3)' | cut -d: -f1)
cut -d, -f1,2,"$col" "$tmp/wide/series/region_utilization.csv" | sed 1d >"$tmp/wide_col"
awk -F, '$1 == 3 && $4 == "region" && $5 == "west" && $6 == "utilization" { print $2 "," $3 "," $7 }' \
  "$tmp/csv/series_long.csv" >"$tmp/long_col"
ok long-equals-wide [ -s "$tmp/long_col" ] && ok long-equals-wide-values cmp -s "$tmp/wide_col" "$tmp/long_col"
nrows=$(sed 1d "$tmp/csv/series_long.csv" | wc -l)
ncells=0
for f in "$tmp"/wide/series/*.csv; do
  case $f in *_stats.csv) continue ;; esac
  c=$(($(head -1 "$f" | tr ',' '\n' | wc -l) - 2)); r=$(($(wc -l <"$f") - 1))
  ncells=$((ncells + c * r))
done
ok long-every-cell [ "$nrows" -eq "$ncells" ]
# the long rows of the sweep's west_first runs are those of the separate run
"$vs" export "$tmp/west_first.h5" --csv "$tmp/wf" --long >/dev/null
awk -F, 'NR > 1 && $1 >= 2 { $1 = $1 - 2; print }' OFS=, "$tmp/csv/series_long.csv" >"$tmp/l_sweep"
sed 1d "$tmp/wf/series_long.csv" >"$tmp/l_run"
ok long-equals-run cmp -s "$tmp/l_sweep" "$tmp/l_run"

# ---- --totals-only: the same scalars and tables, no series ----
"$vs" sweep "$sc" $short --vary routing=nearest,west_first -r 2 --jobs 2 --totals-only \
  -o "$tmp/t.h5" >/dev/null 2>"$tmp/t.err"
ok totals-ran [ $? -eq 0 ]
ok totals-said grep -q '^sweep: --totals-only: scalars and sweep tables, no series: a file of about' "$tmp/t.err"
ok totals-same-scalars sh -c '"$1" "$2" "$3" /scalars /sweep >/dev/null' sh "$cmp" "$tmp/r.h5" "$tmp/t.h5"
ok totals-smaller [ "$(wc -c <"$tmp/t.h5")" -lt "$(($(wc -c <"$tmp/r.h5") / 4))" ]
"$vs" export "$tmp/t.h5" --csv "$tmp/tcsv" >/dev/null
ok totals-export-no-series [ ! -e "$tmp/tcsv/series.csv" -a ! -e "$tmp/tcsv/series" ] && ok totals-export-scalars cmp -s "$tmp/tcsv/scalars.csv" "$tmp/wide/scalars.csv"

# a --totals-only sweep cut short is not resumed into a sweep with series
VOUCHSIM_TEST_STOP_AFTER=2 "$vs" sweep "$sc" $short --vary routing=nearest,west_first -r 2 \
  --jobs 1 --totals-only -o "$tmp/m.h5" >/dev/null 2>&1
ok totals-cut [ -d "$tmp/m.h5.parts" ]
"$vs" sweep "$sc" $short --vary routing=nearest,west_first -r 2 --jobs 2 --resume -o "$tmp/m.h5" \
  >/dev/null 2>"$tmp/m.err"
ok totals-not-resumed grep -q 'resume: 0 of 4 runs done already' "$tmp/m.err"
ok totals-resumed-whole sh -c '"$1" "$2" "$3" >/dev/null' sh "$cmp" "$tmp/r.h5" "$tmp/m.h5"

# ---- a Sobol sweep exports its indices ----
"$vs" sweep "$sc" $short --design sobol --samples 4 --bootstrap 10 \
  --vary programs.shanghai-compute.coverage=0.3:0.9 --totals-only -o "$tmp/s.h5" -q >/dev/null 2>&1
"$vs" export "$tmp/s.h5" --csv "$tmp/scsv" >/dev/null
ok sobol-csv [ "$(head -1 "$tmp/scsv/sobol.csv")" = "output,parameter,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi" ]
ok sobol-rows [ "$(sed 1d "$tmp/scsv/sobol.csv" | wc -l)" -eq "$("$cmp" --table "$tmp/s.h5" /sobol/indices | sed 1d | wc -l)" ]
ok sobol-design [ "$(head -1 "$tmp/scsv/scalars.csv" | cut -d, -f1-4)" = "run,point,replication,programs.shanghai-compute.coverage" ]
ok sobol-manifest grep -qx sobol.csv "$tmp/scsv/vouchsim-export.txt"

echo "sweep_factors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
