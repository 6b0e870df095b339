#!/usr/bin/env bash
# tests/cluster/shard_cli.sh FTG SOURCE_DIR: `ftg run --shard-index/--num-shards` and `ftg merge`
# through the real binary: bad values (options or SLURM_ARRAY_* variables) are one line naming
# the option or variable, exit 2, no file; Slurm's variables pick the shard; merge of the shards
# validates and equals a single run (scripts/cluster/compare_h5.py); a missing shard is exit 1,
# one line naming it, and no output.
set -euo pipefail
ftg=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
sweep=$src/sweeps/fig03_utilities.ini
set_=(--set run.tile_cells=5000 --quiet)

# expect_usage NAME_IN_MESSAGE ENV... -- ARGS...: exit 2, one line mentioning the name, nothing written.
expect_usage() {
  local needle=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local rc=0
  env "${envs[@]}" "$ftg" run "$sweep" "${set_[@]}" -o bad.h5 "$@" 2> err.txt || rc=$?
  [ "$rc" -eq 2 ] || { echo "FAIL: exit $rc (want 2) for $* ${envs[*]}"; cat err.txt; exit 1; }
  [ "$(wc -l < err.txt)" -eq 1 ] || { echo "FAIL: not one line:"; cat err.txt; exit 1; }
  grep -q -- "$needle" err.txt || { echo "FAIL: '$needle' not in: $(cat err.txt)"; exit 1; }
  ! ls bad* 2>/dev/null | grep -q . || { echo "FAIL: a file was written"; ls; exit 1; }
  echo "ok: $(cat err.txt)"
}
expect_usage "--shard-index" X=1 -- --shard-index 4 --num-shards 4
expect_usage "--shard-index" X=1 -- --shard-index=-1 --num-shards 4
expect_usage "--num-shards" X=1 -- --shard-index 0 --num-shards 0
expect_usage "--num-shards" X=1 -- --shard-index 0 --num-shards x
expect_usage "SLURM_ARRAY_TASK_ID" SLURM_ARRAY_TASK_ID=abc SLURM_ARRAY_TASK_COUNT=4 --
expect_usage "SLURM_ARRAY_TASK_ID" SLURM_ARRAY_TASK_ID=4 SLURM_ARRAY_TASK_COUNT=4 --
expect_usage "SLURM_ARRAY_TASK_COUNT" SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=-2 --
expect_usage "SLURM_ARRAY_TASK_MIN" SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2 SLURM_ARRAY_TASK_MIN=x --
expect_usage "--continue" X=1 -- --continue --force

# Shards from Slurm's variables (ids 1..3: SLURM_ARRAY_TASK_MIN=1), then merge.
for id in 1 2 3; do
  SLURM_ARRAY_TASK_ID=$id SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 "$ftg" run "$sweep" "${set_[@]}" -o fig.h5
done
ls fig.shard-0000{0,1,2}-of-00003.h5 > /dev/null
# --no-shard-env: a whole run inside an array task.
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 "$ftg" run "$sweep" "${set_[@]}" -o single.h5 --no-shard-env
test -f single.h5
# --continue on a finished shard does nothing, exit 0.
SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=1 "$ftg" run "$sweep" "${set_[@]}" -o fig.h5 --continue 2> cont.txt
grep -q "already complete" cont.txt

mv fig.shard-00001-of-00003.h5 away.h5
rc=0
"$ftg" merge fig.h5 2> err.txt || rc=$?
[ "$rc" -eq 1 ] && [ "$(wc -l < err.txt)" -eq 1 ] && grep -q "fig.shard-00001-of-00003.h5: shard 1 of 3 is missing" err.txt \
  || { echo "FAIL: merge with a missing shard: exit $rc: $(cat err.txt)"; exit 1; }
test ! -e fig.h5 && test ! -e fig.h5.partial
echo "ok: $(cat err.txt)"
mv away.h5 fig.shard-00001-of-00003.h5
"$ftg" merge fig.h5
"$ftg" merge --virtual figv.h5 fig.shard-*.h5
"$ftg" validate fig.h5
"$ftg" validate figv.h5
# A virtual file whose shard went away reads NaN silently in HDF5; ftg validate names the file.
mv fig.shard-00002-of-00003.h5 gone.h5
rc=0
"$ftg" validate figv.h5 2> err.txt || rc=$?
[ "$rc" -eq 1 ] && grep -q "virtual dataset whose source file 'fig.shard-00002-of-00003.h5' is missing" err.txt \
  || { echo "FAIL: validate of a virtual file with a missing shard: exit $rc: $(cat err.txt)"; exit 1; }
echo "ok: $(head -1 err.txt)"
mv gone.h5 fig.shard-00002-of-00003.h5
if [ -x /usr/bin/python3 ] && /usr/bin/python3 -c "import h5py" 2>/dev/null; then
  /usr/bin/python3 "$src/scripts/cluster/compare_h5.py" single.h5 fig.h5
  /usr/bin/python3 "$src/scripts/cluster/compare_h5.py" single.h5 figv.h5
  # The virtual file from another directory: xarray (h5netcdf), h5py and ncdump read through it.
  (cd / && /usr/bin/python3 "$src/scripts/check_output.py" "$work/figv.h5")
  /usr/bin/python3 - "$work/single.h5" "$work/figv.h5" <<'PY'
import sys, warnings
warnings.filterwarnings("ignore")
import numpy as np, xarray as xr
a = xr.open_dataset(sys.argv[1], engine="h5netcdf")
b = xr.open_dataset(sys.argv[2], engine="h5netcdf")
for v in a.data_vars:
    assert a[v].dims == b[v].dims, v
    assert np.array_equal(a[v].values, b[v].values, equal_nan=True), v
print("ok: xarray reads the virtual file equal to the single run:", ", ".join(a.data_vars))
PY
  if command -v ncdump > /dev/null; then
    [ "$(ncdump -v u_g single.h5 | sed -n '/^data:/,$p' | md5sum)" = "$(ncdump -v u_g figv.h5 | sed -n '/^data:/,$p' | md5sum)" ]
    echo "ok: ncdump prints the same u_g from the virtual file"
  fi
fi
echo "shard_cli: ok"
