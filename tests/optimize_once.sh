#!/bin/sh
# tests/optimize_once.sh - optimize reads and parses the scenario a fixed
#   number of times, however many candidates there are: each candidate's
#   scenario is a copy of the file's tree with its sets (exp_load_from), as
#   sweep makes its points. Counted with strace (skipped without it): the
#   opens of the scenario with 2 candidates and with 4 are the same.
. "${top_srcdir:-.}/tests/lib.sh"
setup_tmp optimize_once
if ! command -v strace >/dev/null 2>&1 || ! strace -qq -o /dev/null true 2>/dev/null; then
  echo "SKIP: strace not installed or not allowed to trace"; exit 77
fi
tiny_scenario t.yaml 3d 5
# opens VALUES: runs optimize over those gpus, n the opens of t.yaml
opens() {
  rm -f o.yaml trace
  # LeakSanitizer cannot run under ptrace (a sanitizer build's exit would
  # fail): leak checks off for the traced command alone
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
  strace -f -qq -e trace=open,openat -o trace "$vs" optimize t.yaml --vary "datacenters.wuhu.gpus=$1" \
    --maximize gpu_hours_total --delta 1 --n0 2 --max-replications 2 -o o.yaml >/dev/null 2>&1
  ok "ran-$1" [ $? -eq 0 ]
  n=$(grep -c '"t.yaml"' trace)
}
opens 32,64; two=$n
opens 16,32,48,64; four=$n
ok opened [ "$two" -ge 1 ]
ok same-opens [ "$two" = "$four" ]
[ "$two" = "$four" ] || echo "  t.yaml opened $two times for 2 candidates, $four for 4"

echo "optimize_once: $pass passed, $fail failed"
[ $fail -eq 0 ]
