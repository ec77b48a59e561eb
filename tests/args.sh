#!/bin/sh
# tests/args.sh - options as getopt_long reads them (tools/args.c): --opt=value,
# unambiguous prefixes, bundled short options, `--`, options after the
# arguments, -V, one-line usage errors; and scenarios found by name (here
# first, then $VOUCHSIM_DATADIR/scenarios), with extends: still relative to
# the scenario's own file.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$(cd "$b" && pwd)/vouchsim"
src=$(cd "$s" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/args.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
mmc="$src/scenarios/mmc.yaml"
until=2025-01-03

# the new forms all run, and each writes its file
t eq-form 0 '' -- "$vs" run "$mmc" --replications=1 --until=$until --output="$tmp/a.h5" --quiet
ok eq-form-file test -s "$tmp/a.h5"
t prefix 0 '' -- "$vs" run "$mmc" --rep 1 --unt $until --qui --out "$tmp/b.h5"
ok prefix-file test -s "$tmp/b.h5"
t bundle 0 '' -- "$vs" run "$mmc" -r1 --until $until -qo "$tmp/c.h5"
ok bundle-file test -s "$tmp/c.h5"
t options-first 0 '' -- "$vs" run -q -r 1 --until $until -o "$tmp/d.h5" "$mmc"
ok options-first-file test -s "$tmp/d.h5"
# the same run, however spelled, gives the same datasets
ok same-datasets "$b/tests/h5cmp" "$tmp/a.h5" "$tmp/c.h5"
# -- ends the options: a scenario whose name starts with a dash
cp "$mmc" "$tmp/-m.yaml"
t double-dash 0 '^-m.yaml: ok' -- sh -c 'cd "$1" && "$2" validate -- -m.yaml' sh "$tmp" "$vs"
t dash-is-option 2 "unknown option '-m'" -- sh -c 'cd "$1" && "$2" validate -m.yaml' sh "$tmp" "$vs"
# the command line is recorded as typed, not as getopt_long reordered it
if python3 -c 'import h5py' 2>/dev/null; then
  t argv-kept 0 "^vouchsim run -q -r 1 --until $until -o $tmp/d.h5 $mmc\$" -- python3 -c \
    'import h5py, sys; v = h5py.File(sys.argv[1], "r").attrs["command"]; print(v.decode() if isinstance(v, bytes) else v)' "$tmp/d.h5"
fi

# -V and --version, for the program and for every command
t version-short 0 '^vouchsim [0-9]+\.[0-9]+' -- "$vs" -V
t version-says-where 0 "then in .*/scenarios" -- "$vs" --version
for c in run validate compare sweep optimize summary plot export bench schema; do
  t "$c-V" 0 '^vouchsim [0-9]+\.[0-9]+' -- "$vs" $c -V
  t "$c-h" 0 "usage: vouchsim $c" -- "$vs" $c -h
done

# usage errors: exactly one line, then the hint; exit 2
one_line() {   # want_first_line -- command...
  want=$1; shift 2
  out=$("$@" 2>&1); st=$?
  [ $st -eq 2 ] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] \
    && [ "$(printf '%s\n' "$out" | sed -n 1p)" = "$want" ] \
    && printf '%s\n' "$out" | sed -n 2p | grep -Eq "^try 'vouchsim ([a-z]+ )?--help'$"
}
ok unknown-long one_line "vouchsim run: unknown option '--bogus'" -- "$vs" run "$mmc" --bogus
ok unknown-short one_line "vouchsim run: unknown option '-x'" -- "$vs" run "$mmc" -qx
ok ambiguous one_line "vouchsim run: option '--re' is ambiguous: --replications, --resume" -- "$vs" run "$mmc" --re 2
ok no-value one_line "vouchsim run: option '--quiet' takes no value" -- "$vs" run "$mmc" --quiet=yes
ok needs-value one_line "vouchsim run: --seed needs a value" -- "$vs" run "$mmc" --seed
ok needs-value-short one_line "vouchsim run: -o needs a value" -- "$vs" run "$mmc" -o
ok bad-number one_line "vouchsim run: --replications takes a whole number from 1 to 1000000, got 'two'" -- "$vs" run "$mmc" --replications=two
ok missing-arg one_line "vouchsim run: expected SCENARIO, got 0 arguments" -- "$vs" run
ok extra-arg one_line "vouchsim summary: unexpected argument 'b.h5' (expected FILE.h5)" -- "$vs" summary a.h5 b.h5
ok compare-one one_line "vouchsim compare: expected BASE.yaml POLICY.yaml, got 1 argument" -- "$vs" compare "$mmc"
ok export-no-csv one_line "vouchsim export: --csv DIR is required" -- "$vs" export "$tmp/a.h5"
ok not-this-command one_line "vouchsim summary: unknown option '--seed'" -- "$vs" summary "$tmp/a.h5" --seed 3
ok bench-which one_line "vouchsim bench: unknown benchmark 'cold' (expected hold)" -- "$vs" bench cold
ok top-unknown one_line "vouchsim: unknown option '--bogus'" -- "$vs" --bogus
t bench-eq 0 'pending=100 events=2000 ' -- "$vs" bench hold --pending=100 --ev=2000
# main's later options and commands through the same table
t strict-prefix 2 'errors with --strict' -- "$vs" validate "$src/tests/data/warn_units.yaml" --str
t strict-eq 2 "option '--strict' takes no value" -- "$vs" validate "$mmc" --strict=yes
ok strict-not-on-summary one_line "vouchsim summary: unknown option '--strict'" -- "$vs" summary "$tmp/a.h5" --strict
ok opt-delta-eq one_line "vouchsim optimize: --delta takes a number in (0, inf), got 'x'" -- \
  "$vs" optimize "$mmc" --maximize gpu_hours_total --delt=x
ok opt-ambiguous one_line "vouchsim optimize: option '--m' is ambiguous: --max-events, --max-samples, --max-memory, --maximize, --minimize, --max-replications" -- \
  "$vs" optimize "$mmc" --m x
ok opt-n0-range one_line "vouchsim optimize: --n0 takes a whole number from 2 to 100000, got '1'" -- \
  "$vs" optimize "$mmc" --n0=1
ok opt-missing one_line "vouchsim optimize: expected SCENARIO, got 0 arguments" -- "$vs" optimize
ok opt-force-value one_line "vouchsim optimize: option '--force' takes no value" -- "$vs" optimize "$mmc" --force=1
ok opt-not-on-run one_line "vouchsim run: unknown option '--delta'" -- "$vs" run "$mmc" --delta 3
ok opt-two-objectives one_line "vouchsim optimize: give one objective" -- \
  "$vs" optimize "$mmc" --maxi=gpu_hours_total --minimize gpu_hours_total
t opt-dashdash 2 "unexpected argument 'x' \\(expected SCENARIO\\)" -- "$vs" optimize -- --maximize x
t schema-keys-prefix 0 '^top\.name$' -- "$vs" schema --k
ok schema-extra one_line "vouchsim schema: unexpected argument 'x' (expected no arguments)" -- "$vs" schema x

# scenarios by name: the current directory first, then the shipped ones
mkdir "$tmp/here" "$tmp/empty"
sed 's/^name: .*/name: "the local one"/' "$mmc" > "$tmp/here/mmc.yaml"
t by-name-shipped 0 "^$src/scenarios/mmc.yaml: ok" -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate mmc' sh "$tmp/empty" "$src" "$vs"
t by-name-here-first 0 '^mmc.yaml: ok: "the local one"' -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate mmc' sh "$tmp/here" "$src" "$vs"
t by-name-yaml 0 "^$src/scenarios/mmc.yaml: ok" -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate mmc.yaml' sh "$tmp/empty" "$src" "$vs"
# shandong-1b extends china-2025.yaml beside it, not in the current directory
t by-name-extends 0 "shandong-1b.yaml: ok" -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate shandong-1b' sh "$tmp/empty" "$src" "$vs"
t by-name-missing 2 "nosuch" -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate nosuch' sh "$tmp/empty" "$src" "$vs"
# ... one line saying where it looked and what to do, exit 2
t by-name-missing-where 2 "^vouchsim validate: nosuch: no such scenario: looked for nosuch and nosuch\\.yaml in the current directory \\($tmp/empty\\) and in $src/scenarios \\(from VOUCHSIM_DATADIR\\); give its path, or set VOUCHSIM_DATADIR \\(now $src\\) to the directory that holds scenarios/\$" -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate nosuch' sh "$tmp/empty" "$src" "$vs"
ok by-name-missing-one-line test "$(cd "$tmp/empty" && VOUCHSIM_DATADIR="$src" "$vs" run nosuch 2>&1 | wc -l)" -eq 1
# in a clone's top directory, before installing (no VOUCHSIM_DATADIR): the
# path to give, and the VOUCHSIM_DATADIR that finds it by name
mkdir -p "$tmp/clone/scenarios"
cp "$mmc" "$tmp/clone/scenarios/args-only.yaml"
t by-name-clone 2 "^vouchsim compare: args-only: no such scenario: looked for args-only and args-only\\.yaml in the current directory \\($tmp/clone\\) and in .*/scenarios \\(where .make install. puts the shipped ones\\); give its path \\(scenarios/args-only\\.yaml\\), or set VOUCHSIM_DATADIR to the directory that holds scenarios/ \\(here: VOUCHSIM_DATADIR=$tmp/clone\\)\$" -- \
  sh -c 'cd "$1" && unset VOUCHSIM_DATADIR && "$2" compare args-only args-only' sh "$tmp/clone" "$vs"
t by-name-clone-hint-works 0 "args-only\\.yaml: ok" -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$1" "$2" validate args-only' sh "$tmp/clone" "$vs"
# a path is the loader's to report
t by-path-missing 2 "^$tmp/empty/nosuch\\.yaml: cannot read: No such file or directory\$" -- \
  "$vs" validate "$tmp/empty/nosuch.yaml"
t by-name-run 0 '' -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" run mmc -r 1 --until 2025-01-03 -qo m.h5' sh "$tmp/empty" "$src" "$vs"
ok by-name-run-file test -s "$tmp/empty/m.h5"
t by-name-version 0 "then in $tmp/empty/scenarios" -- env VOUCHSIM_DATADIR="$tmp/empty" "$vs" --version

# each --help: an "exit status" line, and every option of its synopsis (the
# usage line and the indented lines under it) explained below it; the
# README's synopsis (## Commands, LIMITS spelled out) lists the same options
readme="$src/README.md"
syn_opts() { awk 'NR==1 {print; go=1; next} go && /^      / {print; next} {go=0}' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
body() { awk 'NR==1 {go=1; next} go && /^      / {next} {go=0; print}'; }
for c in run validate compare sweep optimize summary plot export bench schema; do
  "$vs" $c --help > "$tmp/help.$c"
  body < "$tmp/help.$c" > "$tmp/body.$c"
  ok "help-$c-exit-status" grep -q '^exit status: ' "$tmp/help.$c"
  for o in $(syn_opts < "$tmp/help.$c"); do
    # summary's --format is said as "CSV and JSON" (tools/cmd_summary.c)
    [ "$c $o" = "summary --format" ] && continue
    ok "help-$c-explains-$o" grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$tmp/body.$c"
  done
  in_readme=$(awk -v c="$c" '$0 ~ "^    vouchsim "c" " {print; go=1; next} go && /^                  / {print; next} {go=0}' "$readme" \
              | sed 's/\[LIMITS\]/--max-events --max-samples --max-memory/' | syn_opts)
  ok "readme-synopsis-$c" [ "$(syn_opts < "$tmp/help.$c" | tr '\n' ' ')" = "$(printf '%s\n' "$in_readme" | tr '\n' ' ')" ]
done
# the options the walk-through found unexplained
ok help-compare-format grep -q '^  --format F  ' "$tmp/help.compare"
for o in --samples --seed --set --until; do
  ok "help-sweep-$o" grep -qE -- "^  $o " "$tmp/help.sweep"
done
ok help-validate-seed grep -qE -- '^  --seed N ' "$tmp/help.validate"

echo "args: $pass passed, $fail failed"
[ $fail -eq 0 ]
