#!/bin/sh
# tests/readers.sh - a vouchsim file opens without vouchsim: the h5py
# example of output/README.md (h5py + pandas), run as written on a fresh
# file. Skipped (exit 77) when Debian's python3-h5py or python3-pandas is
# missing; tools/bootstrap installs them.
b=${top_builddir:-.}
s=${top_srcdir:-.}
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
if [ -z "$py" ] || ! "$py" -c 'import h5py, pandas' 2>/dev/null; then
  echo "SKIP: python3 with h5py and pandas not found (apt-get install python3-h5py python3-pandas)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/readers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
"$b/vouchsim" run "$s/scenarios/china-2025.yaml" --replications 2 --until 2025-03-01 \
  -o "$tmp/out.h5" --quiet || { echo "FAIL: vouchsim run"; exit 1; }
# the ```python block of output/README.md that uses h5py, as a reader would
# paste it (tests/xarray.sh runs the xarray one)
awk '/^```python$/ { inb = 1; blk = ""; next }
     inb && /^```$/ { inb = 0; if (blk ~ /import h5py/) { printf "%s", blk; exit } next }
     inb { blk = blk $0 "\n" }' "$s/output/README.md" > "$tmp/example.py"
[ -s "$tmp/example.py" ] || { echo "FAIL: no python example in output/README.md"; exit 1; }
if (cd "$tmp" && "$py" example.py > example.out 2>&1) \
   && grep -q 'firms_arrived' "$tmp/example.out" && grep -q 'east' "$tmp/example.out"; then
  echo "readers: 1 passed, 0 failed"
  exit 0
fi
echo "FAIL: the README's Python example"; sed 's/^/  | /' "$tmp/example.out"
echo "readers: 0 passed, 1 failed"
exit 1
