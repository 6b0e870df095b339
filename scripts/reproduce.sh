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
py=/usr/bin/python3
figs=scripts/figures
mkdir -p "$out"
start=$(date +%s)
# Every sweep in sweeps/ through `ftg run` into HDF5, checked by `ftg validate`; Figure 5 also numerically.
for sweep in sweeps/*.ini; do
  name=$(basename "$sweep" .ini)
  "$ftg" run "$sweep" --output "$out/$name.h5" --force --quiet
  "$ftg" validate "$out/$name.h5" > /dev/null
done
"$ftg" run sweeps/fig05_bargaining.ini --set sweep.method=numeric --output "$out/fig05_bargaining_numeric.h5" \
  --force --quiet
# Every figure from the HDF5 files (scripts/figures/*.py; PNG and PDF; docs/figures.md explains each).
fig=$out/figures
$py $figs/fig03_utilities.py "$out/fig03_utilities.h5" -o "$fig"
$py $figs/fig04_joint_utilities.py "$out/fig04_joint_utilities.h5" -o "$fig"
$py $figs/fig05_bargaining.py "$out/fig05_bargaining.h5" --compare "$out/fig05_bargaining_numeric.h5" -o "$fig"
$py $figs/fig05_general_k.py "$out/fig05_general_k.h5" -o "$fig"
$py $figs/fig06_two_specialists.py "$out/fig06_pareto_two_specialists.h5" -o "$fig"
$py $figs/fig07_regimes.py "$out/fig07_regimes.h5" -o "$fig"
$py $figs/table1.py "$out/table1_closed_form.h5" "$out/table1_numeric.h5" -o "$fig"
echo "reproduce: done in $(( $(date +%s) - start )) s; data in $out/*.h5, figures (PNG, PDF) and tables in $fig/"
