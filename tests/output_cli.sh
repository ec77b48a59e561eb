#!/bin/sh
# tests/output_cli.sh - summary, plot and export as a user meets them:
# exit statuses (a missing, unreadable or foreign input file is 2), the
# formats, and charts (PNG magic bytes, SVG) when gnuplot is installed.
b=${top_builddir:-.}
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/output_cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "${top_srcdir:-.}/tests/lib.sh"

"$b/tests/mkh5" "$tmp/s3.h5" 3 || { echo "mkh5 failed"; exit 1; }
"$b/tests/mkh5" "$tmp/s1.h5" 1 || { echo "mkh5 failed"; exit 1; }
echo 'not hdf5' > "$tmp/text.h5"

for c in summary plot export; do
  extra=; [ $c = export ] && extra="--csv $tmp/x"
  t "$c-help" 0 "usage: vouchsim $c" -- "$vs" $c --help
  t "$c-missing" 2 "missing.h5: No such file" -- "$vs" $c "$tmp/missing.h5" $extra
  t "$c-not-hdf5" 2 "not an HDF5 file" -- "$vs" $c "$tmp/text.h5" $extra
  t "$c-no-args" 2 "^vouchsim $c: expected FILE.h5, got 0 arguments$" -- "$vs" $c
done

t summary-table 0 '^  shandong_compute  first runs out 2025-0[0-9]-[0-9]{2} \(95% CI .*\) in 2 of 3 runs; not exhausted in 1 of 3 runs$' -- "$vs" summary "$tmp/s3.h5"
t summary-one-run-runout 0 '^  shandong_compute  first runs out 2025-0[0-9]-[0-9]{2} in 1 of 1 runs$' -- "$vs" summary "$tmp/s1.h5"
t summary-ci 0 '95% CI' -- "$vs" summary "$tmp/s3.h5"
t summary-one-run 0 'value' -- "$vs" summary "$tmp/s1.h5"
t summary-money 0 '123,400,000' -- "$vs" summary "$tmp/s1.h5"
t summary-csv 0 '^name,unit,mean,sd,ci95_lo,ci95_hi,n,n_missing' -- "$vs" summary "$tmp/s3.h5" --format csv
t summary-bad-format 2 "--format must be table, csv or json, got 'xml'" -- "$vs" summary "$tmp/s3.h5" --format xml
"$vs" summary "$tmp/s3.h5" --format json > "$tmp/s.json"
if command -v python3 >/dev/null 2>&1; then
  ok summary-json-valid python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['runs']==3 and d['scalars'][2]['n_missing']>=1" "$tmp/s.json"
fi

t export-ok 0 '' -- "$vs" export "$tmp/s3.h5" --csv "$tmp/csv"
ok export-scalars test -s "$tmp/csv/scalars.csv"
ok export-summary test -s "$tmp/csv/summary.csv"
ok export-series-header grep -q '^date,hours,east (run 0),west (run 0),east (run 1)' "$tmp/csv/series/region_utilization.csv"
ok export-series-dates grep -q '^2025-01-01 00:00,0,' "$tmp/csv/series/region_utilization.csv"
ok export-stats test -s "$tmp/csv/series/region_utilization_stats.csv"
ok export-index grep -q '^series/city_subsidy.csv,city,subsidy,CNY,' "$tmp/csv/series.csv"
t export-rows 0 '^182$' -- sh -c "wc -l < '$tmp/csv/series/region_utilization.csv' | tr -d ' '"
t export-under-file 2 "text\\.h5/sub: '.*/text\\.h5' is not a directory\$" -- \
  "$vs" export "$tmp/s3.h5" --csv "$tmp/text.h5/sub"

t plot-bad-chart 2 "unknown chart 'pie'" -- "$vs" plot "$tmp/s3.h5" --chart pie
t plot-bad-ext 2 'use .png, .svg or .pdf' -- "$vs" plot "$tmp/s3.h5" -o "$tmp/x.jpg"
t plot-no-gnuplot 1 'gnuplot not found: install gnuplot-nox \(apt-get install gnuplot-nox\)' -- \
  env -u VOUCHSIM_GNUPLOT PATH=/nonexistent "$vs" plot "$tmp/s3.h5" -o "$tmp/x.png"
t plot-bad-env 1 'VOUCHSIM_GNUPLOT=/nonexistent/gnuplot is not executable' -- \
  env VOUCHSIM_GNUPLOT=/nonexistent/gnuplot "$vs" plot "$tmp/s3.h5" -o "$tmp/x.png"
if command -v gnuplot >/dev/null 2>&1 || [ -n "${VOUCHSIM_GNUPLOT:-}" ]; then
  mkdir "$tmp/ptmp" && TMPDIR="$tmp/ptmp" && export TMPDIR
  t plot-png 0 'u\.png' -- "$vs" plot "$tmp/s3.h5" --chart utilization -o "$tmp/u.png"
  ok plot-png-magic sh -c "head -c 8 '$tmp/u.png' | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$'"
  t plot-svg 0 '' -- "$vs" plot "$tmp/s1.h5" --chart budget -o "$tmp/b.svg"
  ok plot-svg-content grep -q '<svg' "$tmp/b.svg"
  t plot-all 0 's3_wait\.png' -- "$vs" plot "$tmp/s3.h5"
  for c in utilization budget spend demand wait; do ok "plot-all-$c" test -s "$tmp/s3_$c.png"; done
  ok plot-no-temp-left test -z "$(ls -A "$tmp/ptmp")"
else
  echo "SKIP: gnuplot not installed; chart tests skipped (apt-get install gnuplot-nox)"
fi
echo "output_cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
