#!/usr/bin/env bash
# tests/cluster/shard_sweeps.sh FTG SOURCE_DIR: every sweep in sweeps/ (whatever variables,
# dtypes and extra dimensions it writes) as 3 shards, merged materialised and virtual, must hold
# exactly the data of a single-process run (scripts/cluster/compare_h5.py) and pass
# `ftg validate`. Tiles of about 4096 cells, so that most sweeps have several tiles per shard.
set -euo pipefail
ftg=$1 src=$2
/usr/bin/python3 -c "import h5py" 2>/dev/null || { echo "SKIP: /usr/bin/python3 with h5py is missing"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for sweep in "$src"/sweeps/*.ini; do
  name=$(basename "$sweep" .ini)
  d=$work/$name
  mkdir -p "$d"
  opts=(--set run.tile_cells=4096 --quiet)
  "$ftg" run "$sweep" "${opts[@]}" --output "$d/single.h5"
  for i in 0 1 2; do "$ftg" run "$sweep" "${opts[@]}" --output "$d/m.h5" --shard-index $i --num-shards 3; done
  "$ftg" merge --quiet "$d/m.h5"
  "$ftg" merge --quiet --virtual "$d/v.h5" "$d"/m.shard-*.h5
  "$ftg" validate "$d/m.h5" > /dev/null
  "$ftg" validate "$d/v.h5" > /dev/null
  /usr/bin/python3 "$src/scripts/cluster/compare_h5.py" "$d/single.h5" "$d/m.h5" > /dev/null
  /usr/bin/python3 "$src/scripts/cluster/compare_h5.py" "$d/single.h5" "$d/v.h5" > /dev/null
  echo "shard_sweeps: $name: 3 shards merged (copy and virtual) = single run"
  rm -rf "$d"
done
