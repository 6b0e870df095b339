#!/usr/bin/env bash
# Smoke test (STYLE.md: openPMD runs its examples as tests): every sweep in sweeps/ runs through
# `ftg run`, its output passes `ftg validate`, and xarray/h5py/ncdump read it
# (scripts/check_output.py, through Debian's /usr/bin/python3). `ftg plan` describes each first.
# Usage: smoke_sweeps.sh FTG_BINARY SOURCE_DIR
set -euo pipefail
ftg=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for sweep in "$src"/sweeps/*.ini; do
  name=$(basename "$sweep" .ini)
  "$ftg" plan "$sweep" > "$work/$name.plan"
  grep -q "cells" "$work/$name.plan"
  "$ftg" run "$sweep" --output "$work/$name.h5" --quiet
  test -f "$work/$name.h5" && test ! -e "$work/$name.h5.partial"
  "$ftg" validate "$work/$name.h5" > /dev/null
  if [ -x /usr/bin/python3 ]; then
    rc=0
    /usr/bin/python3 "$src/scripts/check_output.py" "$work/$name.h5" > "$work/$name.check" 2>&1 || rc=$?
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then cat "$work/$name.check"; exit 1; fi
  fi
  echo "smoke: $name ok"
done
# A bad override is one line on stderr, exit 2, and no file.
set +e
"$ftg" run "$src/sweeps/fig03_utilities.ini" --set grid.c1=0 --output "$work/bad.h5" 2> "$work/bad.err"
rc=$?
set -e
test "$rc" -eq 2
test "$(wc -l < "$work/bad.err")" -eq 1
test ! -e "$work/bad.h5" && test ! -e "$work/bad.h5.partial"
echo "smoke: bad input rejected: $(cat "$work/bad.err")"
