#!/bin/sh
# tests/readme.sh - the examples of README.md, scenarios/README.md and
# output/README.md run as written, in a directory that looks like a fresh
# clone after tools/demo.
#
# What is an example. In an indented code block (or a fenced block that is
# not ```python), each line that starts a command: `vouchsim WORD` or
# `./vouchsim WORD` (WORD a plain lower-case word or an option: a command,
# --help, --version), `tools/NAME`, `python3`, `make`, `sudo`, `mkdir`,
# `cd`, `autoreconf`, `./configure`, `../configure`, `srun`, `mpirun`,
# `ncdump`, `h5dump`, or `VAR=value` before a command; an optional `$ `
# prompt is dropped; a line ending in `\` goes on on the next. A block
# whose first line is `#!` is one script. A ```python block is one Python
# program (run with /usr/bin/python3). Other lines of a block are output
# (`vouchsim 0.1.0`, `vouchsim run: option ...`, `scenarios/my.yaml:14:15:
# ...`) or data, and are not run.
#
# Not run, and counted apart: synopses, i.e. commands with a placeholder
# (outside a comment: a word in capitals such as SCENARIO or FILE.h5,
# `[-`, `...`); and the commands of the list `setup` below, which build,
# test or install the tree itself (each entry says where that is done
# instead). Every other example runs, and a `setup` entry that no README
# shows any more fails, so the list follows the READMEs.
#
# Where. A template directory holds what a clone holds after tools/demo:
# scenarios/, tests/data/ and tools/ copied from the source tree, and out/
# with the demo's results (the `./vouchsim` lines of tools/demo, run).
# Each README gets a fresh copy, in which its examples run in order, as a
# reader would paste them (one example may read a file an earlier one
# wrote). `vouchsim` is there as ./vouchsim and on PATH; `srun` is a
# one-task stand-in (srun CMD runs CMD) and SLURM_SUBMIT_DIR the copy.
#
# Shortening, a mechanical rule. The `vouchsim` of the copy is a wrapper:
# it runs the built binary as an installed one (VOUCHSIM_DATADIR = the
# copy, as for a relocated install, so shipped scenarios are found by
# name), and it adds options at the end of the command line (before a
# `--`), where they win over the example's own:
#   run, compare   --until 2025-01-31 --replications 2
#   sweep          --until 2025-01-31 --replications 1, and --samples 4
#                  when the example gives --samples (lhs, sobol)
#   optimize       --until 2025-01-31 --n0 5 --max-replications 10
# so every run measures January 2025 (after its warm-up), and at most 2
# replications; nothing else is changed. The wrapper writes what it ran to
# stderr, which a failure shows.
#
# A failure names the README, the line and the command, with its exit
# status and the end of its output. Skipped (exit 77) without gnuplot or
# a python3 with h5py, pandas, xarray, h5netcdf and netCDF4 (tools/bootstrap
# installs them): the READMEs' examples draw charts and read files so.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
if ! command -v gnuplot >/dev/null 2>&1 || [ -z "$py" ] \
   || ! "$py" -c 'import h5py, pandas, xarray, h5netcdf, netCDF4' 2>/dev/null; then
  echo "SKIP: gnuplot, or python3 with h5py, pandas, xarray, h5netcdf and netCDF4, not found" \
       "(tools/bootstrap installs them)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/readme.XXXXXX") || exit 1
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
limit=
command -v timeout >/dev/null 2>&1 && limit="timeout 300"

# The commands that build, test or install the tree: not run here (the
# text after `|` says why), matched whole after comments are dropped and
# spaces squeezed.
cat > "$tmp/setup" <<'EOF'
tools/demo|the directory the examples run in is what it leaves: its ./vouchsim lines run above
tools/check|runs the whole suite, this test included
./configure --prefix=/usr/local|builds the tree: make distcheck configures, builds, checks, installs and runs installcheck
make|builds the tree: this test runs in its make check
make check|the suite this test is part of
sudo make install|installs: make distcheck installs and runs installcheck (tests/installcheck.sh)
make installcheck|make distcheck runs it (tests/installcheck.sh)
autoreconf -fi && ./configure && make && make check|builds the tree: this test runs in its make check
mkdir build-san && cd build-san && ../configure --enable-sanitizers && make -j2 check|a sanitizer build of the whole suite: CI (tools/check) runs it
mkdir build-fuzz && cd build-fuzz|the fuzzing build: make fuzz needs clang (VOUCHSIM_FUZZ=yes tools/bootstrap)
CC=clang ../configure --enable-fuzzing && make -j2|the fuzzing build: CI (tools/check) runs it
make fuzz|runs each fuzzer 60 s: CI (tools/check) runs it
EOF

# ---- extract: $tmp/ex/N holds example N; $tmp/index: N, README, line, kind
mkdir "$tmp/ex" || exit 1
: > "$tmp/index"
n=0
for r in README.md scenarios/README.md output/README.md; do
  awk -v dir="$tmp/ex" -v idx="$tmp/index" -v rel="$r" -v n="$n" '
    function emit(kind, text, line,   f) {
      n++; f = dir "/" n; printf "%s", text > f; close(f)
      print n "\t" rel "\t" line "\t" kind >> idx; close(idx)
    }
    function iscmd(t,   w, a) {
      split(t, a, /[ \t]+/); w = a[1]
      if (w == "vouchsim" || w == "./vouchsim")
        return a[2] ~ /^([a-z][a-z-]*|-[-a-zA-Z]+)$/
      if (w ~ /^tools\/[a-z][a-z-]*$/) return 1
      if (w ~ /^(python3|make|sudo|mkdir|cd|autoreconf|\.\/configure|\.\.\/configure|srun|mpirun|ncdump|h5dump)$/) return 1
      return w ~ /^[A-Z_][A-Z0-9_]*=/ && iscmd(substr(t, length(w) + 2))
    }
    function endblock() {
      if (cmd != "") emit("sh", cmd "\n", cmdline)
      if (script != "") emit("script", script, scriptline)
      cmd = ""; script = ""; cont = 0; first = 1
    }
    # one line of a code block, its indentation still on
    function codeline(l,   t) {
      if (script != "") { script = script l "\n"; return }
      if (cont) { cmd = cmd "\n" l; cont = l ~ /\\$/; return }
      t = l; sub(/^[ \t]+/, "", t); sub(/^\$ /, "", t)
      if (first && t ~ /^#!/) { script = t "\n"; scriptline = NR; first = 0; return }
      first = 0
      if (cmd != "") { emit("sh", cmd "\n", cmdline); cmd = "" }
      if (iscmd(t)) { cmd = t; cmdline = NR; cont = t ~ /\\$/ }
    }
    BEGIN { first = 1; blank = 1 }
    fence && /^ *```/ {
      if (lang == "python") emit("py", body, pyline); else endblock()
      fence = 0; blank = 0; next
    }
    fence { if (lang == "python") body = body $0 "\n"; else codeline($0); next }
    /^ *```/ {
      endblock(); fence = 1; lang = $0; sub(/^ *```/, "", lang); body = ""; pyline = NR + 1; next
    }
    /^[ \t]*$/ { blank = 1; next }
    /^    / && (blank || inblock) { inblock = 1; blank = 0; codeline($0); next }
    { if (inblock) endblock(); inblock = 0; blank = 0 }
    END { endblock(); print n > (dir "/count") }
  ' "$s/$r" || exit 1
  n=$(cat "$tmp/ex/count")
done
rm -f "$tmp/ex/count"

# ---- the template: a clone after tools/demo ----
t="$tmp/template"
mkdir -p "$t/bin" "$t/tests" "$t/out" || exit 1
cp -R "$s/scenarios" "$s/tools" "$t/" && cp -R "$s/tests/data" "$t/tests/" && chmod -R u+w "$t" \
  || { echo "FAIL: cannot copy the source tree into $t"; exit 1; }
cat > "$t/bin/vouchsim" <<EOF
#!/bin/sh
# the built vouchsim as installed, with tests/readme.sh's shorter runs
VOUCHSIM_DATADIR="\${README_CLONE:-$t}"; export VOUCHSIM_DATADIR
EOF
cat >> "$t/bin/vouchsim" <<'EOF'
add=
case $1 in
  run|compare) add="--until 2025-01-31 --replications 2" ;;
  sweep) add="--until 2025-01-31 --replications 1"
         for a in "$@"; do case $a in --samples|--samples=*|--sam*) add="$add --samples 4"; break ;; esac; done ;;
  optimize) add="--until 2025-01-31 --n0 5 --max-replications 10" ;;
esac
if [ -n "$add" ]; then
  done=0 first=1
  for a in "$@"; do
    [ $first = 1 ] && { set --; first=0; }
    if [ "$a" = -- ] && [ $done = 0 ]; then set -- "$@" $add; done=1; fi
    set -- "$@" "$a"
  done
  [ $done = 0 ] && set -- "$@" $add
fi
echo "tests/readme.sh ran: vouchsim $*" >&2
EOF
echo "exec \"$b/vouchsim\" \"\$@\"" >> "$t/bin/vouchsim"
printf '#!/bin/sh\n# srun stand-in: one task, here\nexec "$@"\n' > "$t/bin/srun"
chmod +x "$t/bin/vouchsim" "$t/bin/srun" && cp "$t/bin/vouchsim" "$t/vouchsim" || exit 1
ln -s "$py" "$t/bin/python3" || exit 1     # python3 in an example is $py too
grep '^\./vouchsim ' "$s/tools/demo" > "$tmp/demo.sh"
[ -s "$tmp/demo.sh" ] || { echo "FAIL: no ./vouchsim line in tools/demo"; exit 1; }
if ! (cd "$t" && PATH="$t/bin:$PATH" sh -e "$tmp/demo.sh") > "$tmp/demo.out" 2>&1; then
  echo "FAIL: tools/demo's ./vouchsim lines:"; sed 's/^/  | /' "$tmp/demo.out"; exit 1
fi

# ---- run them ----
# placeholder TEXT: true when the command, comments dropped, is a synopsis
nocomment() { sed 's/[[:space:]]#.*$//; s/^#[^!].*$//' "$1"; }
placeholder() {
  nocomment "$1" | grep -Eq '\[-|\.\.\.|(^|[^A-Za-z0-9_$])[A-Z][A-Z0-9_]*[A-Z0-9](\.[a-z0-9]+)?([^A-Za-z0-9_=(]|$)'
}
squeeze() { nocomment "$1" | tr '\n' ' ' | sed 's/\\ / /g; s/[[:space:]][[:space:]]*/ /g; s/^ //; s/ $//'; }
fail=0
: > "$tmp/seen"
for r in README.md scenarios/README.md output/README.md; do
  d="$tmp/clone-$(echo "$r" | tr / -)"
  cp -R "$t" "$d" || exit 1
  # the wrapper's data directory: this copy
  ran=0 bad=0 skipped=0 setup=0 t0=$(date +%s)
  while IFS="$(printf '\t')" read -r i rr line kind; do
    [ "$rr" = "$r" ] || continue
    f="$tmp/ex/$i"
    first=$(head -n 1 "$f")
    if [ "$kind" = sh ] && placeholder "$f"; then
      skipped=$((skipped + 1)); echo "skip $r:$line (placeholder): $first"; continue
    fi
    if [ "$kind" = sh ]; then
      why=$(squeeze "$f" | awk -F'|' 'NR == FNR { w[$1] = $2; next } ($0 in w) { print w[$0] }' "$tmp/setup" -)
      if [ -n "$why" ]; then
        { squeeze "$f"; echo; } >> "$tmp/seen"
        setup=$((setup + 1)); echo "not run $r:$line: $first ($why)"; continue
      fi
    fi
    ran=$((ran + 1))
    case $kind in
      py) runner="$py" ;;
      *)  runner=sh ;;
    esac
    t1=$(date +%s)
    if (cd "$d" && README_CLONE="$d" PATH="$d/bin:$PATH" SLURM_SUBMIT_DIR="$d" \
          SLURM_CPUS_PER_TASK=1 SLURM_NTASKS=1 $limit $runner "$f") > "$tmp/out" 2>&1 </dev/null; then
      echo "ok $r:$line ($(( $(date +%s) - t1 )) s): $first"
    else
      st=$?
      bad=$((bad + 1)); fail=$((fail + 1))
      echo "FAIL $r:$line: exit $st:"; sed 's/^/  > /' "$f"
      tail -n 25 "$tmp/out" | sed 's/^/  | /'
    fi
  done < "$tmp/index"
  echo "$r: $ran run ($bad failed), $skipped skipped with a placeholder, $setup not run (setup), $(( $(date +%s) - t0 )) s"
  [ "$ran" -gt 0 ] || { echo "FAIL $r: no example found"; fail=$((fail + 1)); }
done
while IFS='|' read -r c why; do
  if ! grep -Fxq -- "$c" "$tmp/seen"; then
    echo "FAIL: the setup list names '$c', which no README shows: remove it from tests/readme.sh"
    fail=$((fail + 1))
  fi
done < "$tmp/setup"
echo "readme: $fail failed"
[ "$fail" -eq 0 ]
