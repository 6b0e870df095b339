#!/usr/bin/env bash
# Sets up everything and runs the main job: reproduce the paper's figures into out/.
# Usage: scripts/reproduce.sh [--no-setup] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
setup=1 out=out
for a in "$@"; do
  case "$a" in
    --no-setup) setup=0 ;;
    -*) echo "scripts/reproduce.sh: unknown option '$a' (allowed: --no-setup)" >&2; exit 2 ;;
    *) out=$a ;;
  esac
done
[ "$setup" = 1 ] && bash scripts/setup.sh
cmake --preset dev >/dev/null
cmake --build build/dev -j "$(nproc 2>/dev/null || echo 2)" --target ftg
ftg=build/dev/app/ftg
mkdir -p "$out"
# Figures 3 and 4: sweeps through `ftg run` into HDF5, drawn from the files with xarray.
for fig in fig03_utilities fig04_joint_utilities; do
  "$ftg" run "sweeps/$fig.ini" --output "$out/$fig.h5" --force --quiet
  "$ftg" validate "$out/$fig.h5" > /dev/null
done
/usr/bin/python3 scripts/figures/fig03_04_heatmaps.py "$out/fig03_utilities.h5" "$out/fig04_joint_utilities.h5" "$out"
# Figure 5 (bargaining solutions against c1/c0): ftg solve, closed form checked against numeric.
"$ftg" run sweeps/fig05_bargaining.ini --output "$out/fig05_bargaining.h5" --force --quiet
/usr/bin/python3 scripts/figures/fig05_bargaining.py "$ftg" "$out"
# Figures 6 and 7 (n specialists) are issue 5.
echo "reproduce: done; figures in $out/"
