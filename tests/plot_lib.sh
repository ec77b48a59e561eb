# tests/plot_lib.sh - the set-up every plot test shares, sourced after
# setting name (the temporary directory's prefix): b and s (build and
# source trees), vs (the binary, absolute), a private $tmp removed at exit,
# tests/lib.sh's helpers, kept (below); skips (exit 77) without gnuplot.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$PWD/$b/vouchsim"
case $b in /*) vs="$b/vouchsim";; esac
if ! command -v gnuplot >/dev/null 2>&1 && [ -z "${VOUCHSIM_GNUPLOT:-}" ]; then
  echo "SKIP: gnuplot not installed (apt-get install gnuplot-nox)"; exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
# kept NAME ARGS...: plots ARGS into $tmp/NAME/c.png keeping the private
# directory (its output in $tmp/NAME/out); $k is that directory afterwards
kept() {
  d="$tmp/$1"; shift
  rm -rf "$d"; mkdir "$d"
  VOUCHSIM_KEEP_PLOT_FILES=1 "$vs" plot "$@" -o "$d/c.png" > "$d/out" 2>&1
  st=$?
  k=$(ls -d "$d"/.vouchsim-plot-* 2>/dev/null | head -1)
  return $st
}
