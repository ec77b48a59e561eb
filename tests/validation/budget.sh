#!/bin/sh
# tests/validation/budget.sh - two answers the default scenario must give
# on common random numbers (the same seed, so the same firms):
#   - more budget never grants fewer vouchers: for each of four programs, a
#     ladder of budgets, and firms_granted.<program> may not fall from one
#     rung to the next in any replication (and must rise somewhere, or the
#     ladder tested nothing);
#   - coverage 0 in every program gives no subsidy (subsidy_total = 0) and
#     no additional firms (firms_additional = 0) in every replication,
#     where the scenario as shipped gives both.
# Half a year (--until 2025-07-01) keeps it fast; the small rungs make
# the budgets bind within it.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$b/vouchsim"
scn="$s/scenarios/china-2025.yaml"
R=4
tmp=$(mktemp -d "${TMPDIR:-/tmp}/budget.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0

# run NAME [--set k=v]...: runs R replications, exports scalars.csv to $tmp/NAME/
run() {
  name=$1; shift
  "$vs" run "$scn" -o "$tmp/$name.h5" --quiet --jobs 2 --seed 7 --replications $R \
      --until 2025-07-01 "$@" \
    && "$vs" export "$tmp/$name.h5" --csv "$tmp/$name" >/dev/null \
    && rm -f "$tmp/$name.h5"
}

# col NAME SCALAR: the column of SCALAR in $tmp/NAME/scalars.csv, one value
# per replication (in run order), on one line
col() {
  awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
                        c { printf "%s%s", sep, $c; sep = " " } END { print "" }' "$3$1/scalars.csv"
}

for p in shanghai-compute shenzhen-compute chengdu-compute henan-compute; do
  prev=
  rose=0
  for budget in 5M 20M 60M 200M 1B; do
    if ! run "$p-$budget" --set "programs.$p.budget=$budget"; then
      echo "FAIL budget $p $budget: vouchsim failed"; fail=$((fail + 1)); continue
    fi
    cur=$(col "$p-$budget" "firms_granted.$p" "$tmp/")
    echo "budget $p $budget: firms_granted.$p per replication: $cur"
    if [ -n "$prev" ]; then
      verdict=$(echo "$prev|$cur" | awk -F'|' '{ n = split($1, a, " "); split($2, b, " ")
                  for (i = 1; i <= n; i++) { if (b[i] + 0 < a[i] + 0) { print "fell"; exit }
                                             if (b[i] + 0 > a[i] + 0) up = 1 }
                  print up ? "rose" : "same" }')
      [ "$verdict" = rose ] && rose=1
      if [ "$verdict" = fell ]; then
        echo "FAIL budget $p: more budget ($budget) granted fewer vouchers ($prev -> $cur)"
        fail=$((fail + 1))
      fi
    fi
    prev=$cur
  done
  if [ $rose = 1 ]; then
    echo "budget $p: never fewer with more money, and more somewhere on the ladder: ok"
  else
    echo "FAIL budget $p: grants never rose along the ladder, so it tested nothing"
    fail=$((fail + 1))
  fi
done

# Coverage 0 everywhere, against the scenario as shipped.
progs="shanghai-compute shanghai-data beijing-compute shenzhen-compute chengdu-compute
       ningbo-compute shandong-compute henan-compute"
sets=
for p in $progs; do sets="$sets --set programs.$p.coverage=0"; done
# shellcheck disable=SC2086  # $sets is a list of --set pairs without spaces
if run shipped && run zero $sets; then
  for x in subsidy_total firms_additional; do
    base=$(col shipped $x "$tmp/")
    zero=$(col zero $x "$tmp/")
    echo "coverage 0: $x per replication: $zero (as shipped: $base), held to 0"
    if ! echo "$zero" | awk '{ for (i = 1; i <= NF; i++) if ($i + 0 != 0) exit 1 }'; then
      echo "FAIL coverage 0: $x is not 0"; fail=$((fail + 1))
    elif echo "$base" | awk '{ for (i = 1; i <= NF; i++) if ($i + 0 <= 0) exit 1 }'; then
      echo "coverage 0: $x: ok"
    else
      echo "FAIL coverage 0: $x is not positive as shipped, so the check tested nothing"
      fail=$((fail + 1))
    fi
  done
else
  echo "FAIL coverage 0: vouchsim failed"; fail=$((fail + 1))
fi

echo "budget: $fail failed"
[ $fail -eq 0 ]
