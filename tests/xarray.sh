#!/bin/sh
# tests/xarray.sh - a vouchsim file is a netCDF-4 file: xarray opens its
# series groups on both engines (h5netcdf and netCDF-C's netcdf4) as
# labelled, dated data, selects a data center by name and resamples by
# month to the values h5py reads; netCDF-C reads the entity strings right
# and nothing crashes; `ncdump -h` lists the file; a sweep's tables open
# too; the xarray example of
# output/README.md runs as written. Skipped (exit 77) without Debian's
# python3-xarray, python3-h5netcdf, python3-netcdf4, python3-h5py or
# netcdf-bin (tools/bootstrap installs them).
b=${top_builddir:-.}
s=${top_srcdir:-.}
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
if [ -z "$py" ] || ! "$py" -c 'import xarray, h5netcdf, netCDF4, h5py, pandas' 2>/dev/null \
   || ! command -v ncdump >/dev/null 2>&1; then
  echo "SKIP: python3 with xarray, h5netcdf, netCDF4 and h5py, or ncdump, not found" \
       "(apt-get install python3-xarray python3-h5netcdf python3-netcdf4 netcdf-bin)"
  exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xarray.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$2" ] && sed 's/^/  | /' "$2"; }

"$b/vouchsim" run "$s/scenarios/china-2025.yaml" --replications 2 --until 2025-03-15 \
  -o "$tmp/out.h5" --quiet || { echo "FAIL: vouchsim run"; exit 1; }

# 1. xarray on both engines against h5py, entity coordinates, strings
cat > "$tmp/check.py" <<'EOF'
import sys
import numpy as np, pandas as pd, h5py, netCDF4, xarray as xr

f = sys.argv[1]
with h5py.File(f, "r") as h:
    dates = pd.to_datetime(h["time/date"].asstr()[:])
    names = list(h["entities/datacenter"].asstr()[:])
    util = h["runs/0001/series/datacenter/utilization"][:]
    spent = h["series_stats/program/spent/mean"][:]
    progs = list(h["entities/program"].asstr()[:])
    start = h.attrs["start_date"].decode()
    nruns = len(h["runs"])

dc = "zhongwei-a800"                    # west, hub ningxia in china-2025.yaml
j = names.index(dc)
want = pd.Series(util[:, j], index=dates).resample("MS").mean()
for eng in ("h5netcdf", "netcdf4"):
    ds = xr.open_dataset(f, group="runs/0001/series/datacenter", engine=eng)
    u = ds["utilization"]
    assert u.dims == ("time", "datacenter"), (eng, u.dims)
    assert np.issubdtype(ds["time"].dtype, np.datetime64), (eng, ds["time"].dtype)
    assert pd.Timestamp(ds["time"].values[0]) == pd.Timestamp(start), (eng, ds["time"].values[0])
    assert list(ds["datacenter"].values) == names, (eng, "names")
    assert u.attrs["units"] == "1" and u.attrs["long_name"], (eng, u.attrs)
    assert set(ds.coords) >= {"time", "datacenter", "region", "hub"}, (eng, list(ds.coords))
    sel = u.sel(datacenter=dc)
    assert str(sel["region"].values) == "west" and str(sel["hub"].values) == "ningxia", eng
    got = sel.resample(time="MS").mean().to_series()
    assert len(got) == len(want) >= 3, (eng, len(got), len(want))
    assert np.allclose(got.values, want.values, rtol=0, atol=1e-12, equal_nan=True), (eng, got, want)
    by = u.groupby("region").mean()
    assert sorted(by["region"].values) == ["east", "west"], eng

    st = xr.open_dataset(f, group="series_stats/program/spent", engine=eng)
    assert st["mean"].dims == ("time", "program"), (eng, st["mean"].dims)
    k = progs.index("shanghai-data")
    p = st["mean"].sel(program="shanghai-data")
    assert str(p["kind"].values) == "data" and str(p["city"].values) == "shanghai", eng
    assert np.array_equal(p.values, spent[:, k], equal_nan=True), eng

    cy = xr.open_dataset(f, group="runs/0000/series/city", engine=eng)
    assert str(cy["region"].sel(city="shanghai").values) == "east", eng
    assert str(cy["hub"].sel(city="shanghai").values) == "yangtze-delta", eng

    # the groups that crashed netCDF-C, and the root
    ent = xr.open_dataset(f, group="entities", engine=eng)
    assert list(ent["region"].values) == ["east", "west"], (eng, ent["region"].values)
    tm = xr.open_dataset(f, group="time", engine=eng)
    assert tm["date"].values[0] == start, (eng, tm["date"].values[0])
    root = xr.open_dataset(f, engine=eng)
    assert root.sizes["run"] == nruns and root.attrs["Conventions"] == "CF-1.8", eng
    print(eng, "ok")

n = netCDF4.Dataset(f)
assert list(n["entities"]["region"][:]) == ["east", "west"], n["entities"]["region"][:]
assert list(n["entities"]["datacenter"][:]) == names
assert n["runs/0000/series/datacenter"]["utilization"].dimensions == ("time", "datacenter")
print("netCDF4 strings ok")
EOF
if (cd "$tmp" && "$py" check.py out.h5 > check.out 2>&1); then ok; else bad "xarray against h5py" "$tmp/check.out"; fi

# 2. ncdump lists dimensions, CF time, and the strings as netCDF strings
if ncdump -h "$tmp/out.h5" > "$tmp/ncdump.out" 2>&1 \
   && grep -q 'double utilization(time, datacenter) ;' "$tmp/ncdump.out" \
   && grep -q 'time:units = "hours since 2025-01-01 00:00:00" ;' "$tmp/ncdump.out" \
   && grep -q 'string region(datacenter) ;' "$tmp/ncdump.out" \
   && grep -q 'utilization:units = "1" ;' "$tmp/ncdump.out"; then ok
else bad "ncdump -h" "$tmp/ncdump.out"; fi
# ... and the data of a group with strings (where netCDF-C used to abort)
if ncdump -g entities "$tmp/out.h5" > "$tmp/ncdump-ent.out" 2>&1 \
   && grep -q 'region = "east", "west" ;' "$tmp/ncdump-ent.out"; then ok
else bad "ncdump -g entities" "$tmp/ncdump-ent.out"; fi

# 3. a sweep's file: its root and the groups of its tables open on both engines
"$b/vouchsim" sweep "$s/scenarios/china-2025.yaml" --design lhs --samples 2 --replications 1 \
  --vary programs.shanghai-compute.coverage=0.5:0.8 --until 2025-01-20 -o "$tmp/sw.h5" --quiet \
  > /dev/null || { echo "FAIL: vouchsim sweep"; exit 1; }
cat > "$tmp/sweep.py" <<'EOF'
import sys, xarray as xr
for eng in ("h5netcdf", "netcdf4"):
    root = xr.open_dataset(sys.argv[1], engine=eng)
    assert root.sizes["run"] == 2, (eng, dict(root.sizes))
    sw = xr.open_dataset(sys.argv[1], group="sweep", engine=eng)
    assert sw.sizes["params_row"] == 2, (eng, dict(sw.sizes))
    pr = xr.open_dataset(sys.argv[1], group="runs/0001/series/program", engine=eng)
    assert "shanghai-compute" in list(pr["program"].values), eng
print("sweep ok")
EOF
if "$py" "$tmp/sweep.py" "$tmp/sw.h5" > "$tmp/sweep.out" 2>&1 && ncdump "$tmp/sw.h5" > /dev/null 2>&1
then ok; else bad "a sweep's file" "$tmp/sweep.out"; fi

# 4. the xarray example of output/README.md, as a reader would paste it
awk '/^```python$/ { inb = 1; blk = ""; next }
     inb && /^```$/ { inb = 0; if (blk ~ /import xarray/) { printf "%s", blk; exit } next }
     inb { blk = blk $0 "\n" }' "$s/output/README.md" > "$tmp/example.py"
if [ -s "$tmp/example.py" ] && (cd "$tmp" && "$py" example.py > example.out 2>&1) \
   && grep -q 'zhongwei-a800\|time' "$tmp/example.out"; then ok
else bad "the README's xarray example" "$tmp/example.out"; fi

echo "xarray: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
