# tests/plot_lib.sh - the set-up every plot test shares, sourced after
# setting name (the temporary directory's prefix): b and s (build and
# source trees), vs (the binary, absolute), a private $tmp removed at exit,
# tests/lib.sh's helpers (kept among them); skips (exit 77) without gnuplot.
b=${top_builddir:-.}
s=${top_srcdir:-.}
vs="$PWD/$b/vouchsim"
case $b in /*) vs="$b/vouchsim";; esac
. "$s/tests/lib.sh"
need_gnuplot
tmp=$(mktemp -d "${TMPDIR:-/tmp}/$name.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
