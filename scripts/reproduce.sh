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
# Figure 5 (two-player game, quadratic costs). Figures 3, 4, 6 and 7 need the sweep engine
# (issues 4 and 5) and are not produced yet.
/usr/bin/python3 scripts/figures/fig05_bargaining.py "$ftg" "$out"
echo "reproduce: done; figures in $out/"
