#!/bin/sh
# tests/docs2_docs.sh - what the documentation says, held to the program:
# scenarios/minimal.yaml is valid (no warnings), runs and balances, and
# scenarios/README.md shows it whole; the schema and the validator agree on
# quoted numbers and .inf, and `schema --keys` lists top.extends; a file's
# row 0 is what output/README.md says of each kind of series (an instant for
# interval means, 0 for interval counts, NaN for mean_wait) and
# utilization_east is the capacity-weighted mean of rows 1..; /time/date's
# long_name names the form its values have; the man page's -o text and
# validate's options; each long-running command's --help gives 130/143/129.
# The Python parts need /usr/bin/python3 with h5py (and jsonschema, yaml
# for the schema); without them those checks are skipped, the rest runs.
b=$(cd "${top_builddir:-.}" && pwd) || exit 1
s=$(cd "${top_srcdir:-.}" && pwd) || exit 1
vs="$b/vouchsim"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/docs2.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
. "$s/tests/lib.sh"
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
mini="$s/scenarios/minimal.yaml"

# ---- the minimal scenario ----
ok minimal-short [ "$(wc -l < "$mini")" -le 30 ]
t minimal-valid 0 '^.*minimal\.yaml: ok: ' -- "$vs" validate "$mini" --strict
t minimal-runs 0 '' -- "$vs" run "$mini" --until 2025-03-01 -r 2 -qo "$tmp/min.h5"
t minimal-ledger 0 '^ledger_ok,' -- sh -c '"$1" summary "$2" --format csv | grep "^ledger_ok,1,"' sh "$vs" "$tmp/min.h5"
# scenarios/README.md shows the file whole, in the ```yaml block under its heading
awk '/^### A complete one: minimal\.yaml/ { h = 1 } h && /^```yaml$/ { inb = 1; next } inb && /^```$/ { exit } inb { print }' \
  "$s/scenarios/README.md" > "$tmp/shown.yaml"
ok minimal-shown-whole cmp -s "$tmp/shown.yaml" "$mini"
# ... by name, as an installed one
t minimal-by-name 0 'minimal\.yaml: ok' -- \
  sh -c 'cd "$1" && VOUCHSIM_DATADIR="$2" "$3" validate minimal' sh "$tmp" "$s" "$vs"

# ---- the validator: quoted numbers are numbers; .inf is not ----
t quoted-coverage 0 ': ok: ' -- "$vs" validate "$mini" --set 'programs[0].coverage="0.2"'
t inf-price 2 'datacenters\[0\]\.price: expected a number >= 0' -- \
  "$vs" validate "$mini" --set 'datacenters[0].price=.inf'
t keys-extends 0 '^top\.extends$' -- "$vs" schema --keys

# ---- the man page and --help ----
page="$s/doc/vouchsim.1"
ok man-no-two-files sh -c '! grep -q "prefix of its two files" "$1"' sh "$page"
ok man-validate-takes-only grep -q '^takes only$' "$page"
ok man-no-feasible grep -q 'no candidate is feasible' "$page"
for c in run compare sweep optimize; do
  ok "help-$c-130" sh -c '"$1" "$2" --help | grep -q "130/143/129 interrupted"' sh "$vs" "$c"
done
ok readme-man-l grep -q 'man -l doc/vouchsim.1' "$s/README.md"

# ---- row 0 and the window's totals (needs h5py) ----
if [ -n "$py" ] && "$py" -c 'import h5py, numpy' 2>/dev/null; then
  "$vs" run "$s/scenarios/china-2025.yaml" --until 2025-02-01 -r 2 -qo "$tmp/c.h5" \
    || echo "FAIL: run china-2025"
  cat > "$tmp/row0.py" <<'EOF'
import sys, math
import h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
bad = []
assert f["time/date"].attrs["long_name"].decode() == \
    "sample time as an ISO 8601 date (YYYY-MM-DD, YYYY-MM-DDTHH:MM when not at midnight)"
assert f["time/date"].asstr()[0] == f.attrs["start_date"].decode()
names = list(f["entities/region"].asstr()[:])
sc = f["scalars"][:]
for r in range(len(f["runs"])):
    dc = f["runs/%04d/series/datacenter" % r]
    rg = f["runs/%04d/series/region" % r]
    # interval means: row 0 is the instant (busy / capacity, jobs waiting)
    assert np.allclose(dc["utilization"][0], dc["busy_gpus"][0] / dc["capacity_gpus"][0],
                       rtol=0, atol=1e-12), r
    assert np.array_equal(dc["mean_waiting"][0], dc["waiting_jobs"][0]), r
    # interval counts: 0 at row 0; mean_wait NaN
    for n in ("jobs_arrived", "jobs_started", "jobs_finished", "jobs_abandoned", "queue_time",
              "energy", "revenue"):
        assert not dc[n][0].any(), (r, n)
    assert np.isnan(rg["mean_wait"][0]).all(), r
    # the window's utilization: capacity-weighted mean of rows 1..
    hours = f["time/hours"][:]
    span = np.diff(hours)
    regs = dc["region"].asstr()[:]
    east = regs == "east"
    busy = (dc["utilization"][1:, east] * dc["capacity_gpus"][1:, east]).sum(1)
    cap = dc["capacity_gpus"][1:, east].sum(1)
    want = (busy * span).sum() / (cap * span).sum()
    assert math.isclose(sc["utilization_east"][r], want, rel_tol=1e-9), (r, sc["utilization_east"][r], want)
    u = rg["utilization"][:, names.index("east")]
    assert math.isclose(sc["utilization_east"][r], (u[1:] * cap * span).sum() / (cap * span).sum(),
                        rel_tol=1e-9), r
print("row0 ok")
EOF
  ok row0-as-documented "$py" "$tmp/row0.py" "$tmp/c.h5"
else
  echo "SKIP: row 0 checks: /usr/bin/python3 with h5py not found"
fi

# ---- the schema agrees (needs jsonschema and yaml) ----
schema="$s/scenarios/vouchsim-scenario.schema.json"
if [ -n "$py" ] && "$py" -c 'import jsonschema, yaml' 2>/dev/null; then
  cat > "$tmp/sch.py" <<'EOF'
import json, sys
import jsonschema, yaml
schema = json.load(open(sys.argv[1]))
v = jsonschema.Draft7Validator(schema)
class Loader(yaml.SafeLoader):
    """dates stay text, as the YAML language server reads them (tests/schema.py)"""
Loader.yaml_implicit_resolvers = {
    k: [r for r in rs if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, rs in yaml.SafeLoader.yaml_implicit_resolvers.items()}
def load(path):
    return yaml.load(open(path), Loader=Loader)
doc = load(sys.argv[2])
def errs(d):
    return list(v.iter_errors(d))
assert not errs(doc), errs(doc)[:1]
d = load(sys.argv[2]); d["programs"][0]["coverage"] = "0.2"
assert not errs(d), "quoted coverage refused"
d = load(sys.argv[2]); d["datacenters"][0]["price"] = float("inf")
assert errs(d), ".inf price accepted"
d = load(sys.argv[2]); d["programs"][0]["budget"] = float("inf")
assert errs(d), ".inf budget accepted"
d = load(sys.argv[2]); d["datacenters"][0]["price"] = "cheap"
assert errs(d), "a word for a price accepted"
d = load(sys.argv[2]); d["sweep"] = {"vary": {"routing": ["nearest", "west_first"]}}
assert errs(d) == [], "a list in sweep.vary refused"
assert "list" in schema["definitions"]["sweep"]["properties"]["vary"]["description"]
print("schema ok")
EOF
  ok schema-agrees "$py" "$tmp/sch.py" "$schema" "$mini"
else
  echo "SKIP: schema checks: /usr/bin/python3 with jsonschema and yaml not found"
fi

echo "docs2: $pass passed, $fail failed"
[ $fail -eq 0 ]
