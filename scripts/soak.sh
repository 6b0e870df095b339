#!/usr/bin/env bash
# Soak test for issue 6, target 6: a 1e9-cell heatmap sweep must run with peak RSS under 1 GiB and
# finish within 2x of the larger of its compute time and the disk's time to write the same bytes.
# Not part of the test suite (it writes gigabytes and takes minutes): run it by hand.
#
# In one run, on the same machine and disk, it measures:
#   1. compute:  ftg run --compute-only of the sweep (the kernels at the thread limit, no file)
#   2. ftg run:  the sweep into DIR/soak.h5 under /usr/bin/time -v (wall time, peak RSS), then
#                ftg validate on the file, then deletes it
#   3. disk:     dd of the same byte count from /dev/zero into DIR with conv=fdatasync (the disk's
#                sustained write time for those bytes), then deletes it
# and prints wall times, the ratio ftg / max(compute, disk), peak RSS, and whether the targets are met.
# Odd rounds run the steps in the order 1, 2, 3; even rounds 3, 1, 2 (see settle() below).
#
# Usage: scripts/soak.sh [DIR]          (default DIR: build/soak; must be on the disk to measure)
# Environment:
#   FTG_SOAK_ROWS      c1 values (default 1000000); the delta axis has FTG_SOAK_DELTA (1000) values
#   FTG_SOAK_FIELDS    per-delta fields (default "u_g, u_d"); the status is always written (1 B/cell)
#   FTG_SOAK_PRECISION f32 (default) or f64
#   FTG_SOAK_THREADS   worker threads (default: nproc)
#   FTG_SOAK_ROUNDS    repeat steps 1-3 this many times (default 1) and report every round
#   FTG_SOAK_TILE_CELLS run.tile_cells of the sweep (default 65536, the engine's default)
#   FTG_SOAK_SETTLE    seconds to wait after sync before each step (default 5)
#   FTG_SOAK_SKIP_BUILD=1  use build/release as it is
# Refuses to start unless DIR has room for the file plus 10% (ftg run itself refuses too, via the
# plan's estimate). Cleans up its files on exit, also when interrupted.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DIR=${1:-build/soak}
ROWS=${FTG_SOAK_ROWS:-1000000}
DELTA=${FTG_SOAK_DELTA:-1000}
FIELDS=${FTG_SOAK_FIELDS:-"u_g, u_d"}
PRECISION=${FTG_SOAK_PRECISION:-f32}
THREADS=${FTG_SOAK_THREADS:-$(nproc)}
ROUNDS=${FTG_SOAK_ROUNDS:-1}
TILE_CELLS=${FTG_SOAK_TILE_CELLS:-65536}
FTG=$ROOT/build/release/app/ftg

if [ "${FTG_SOAK_SKIP_BUILD:-0}" != 1 ]; then
  echo "soak: building build/release (target ftg)" >&2
  cmake --preset release >/dev/null
  cmake --build build/release --target ftg >/dev/null
fi
[ -x "$FTG" ] || { echo "soak: $FTG not built" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "soak: /usr/bin/time (GNU time) is needed for the peak RSS" >&2; exit 1; }

mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
SWEEP=$DIR/soak.ini
OUT=$DIR/soak.h5
DD=$DIR/soak.dd
cleanup() { rm -f "$OUT" "$OUT.partial" "$OUT.partial.creating" "$DD" "$SWEEP" "$DIR/time.txt"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$SWEEP" <<EOF
# scripts/soak.sh: $ROWS x $DELTA heatmap cells, fields $FIELDS, $PRECISION
[sweep]
name = soak
model = two_player
fields = $FIELDS
precision = $PRECISION
compression = none

[grid]
c0 = 1
c1 = logspace(-1, 1, $ROWS)
k0 = 2
k1 = 2
d0 = 0
d1 = 0
delta = linspace(0, 1, $DELTA)

[run]
tile_cells = $TILE_CELLS
EOF

# The plan: cells, bytes, and the engine's own refusal when the disk is too small.
plan=$("$FTG" plan "$SWEEP")
echo "$plan" | sed 's/^/soak: plan: /' >&2
cells=$((ROWS * DELTA))
nfields=$(echo "$FIELDS" | tr ',' '\n' | grep -c .)
elem=$([ "$PRECISION" = f32 ] && echo 4 || echo 8)
per_cell=$((nfields * elem + 1))
bytes=$((cells * per_cell))
avail=$(df --output=avail -B1 "$DIR" | tail -1 | tr -d ' ')
need=$((bytes + bytes / 10))
echo "soak: $cells cells x $per_cell B = $bytes bytes; $avail bytes free in $DIR" >&2
if [ "$avail" -lt "$need" ]; then
  echo "soak: refusing: $DIR needs $need bytes (the file + 10%), has $avail" >&2
  exit 2
fi

now() { date +%s.%N; }
# Deleting a large file on a filesystem mounted with `discard` keeps the disk busy for a while:
# settle after every deletion, and alternate the order of the steps between rounds, so that
# neither side of the ratio always follows a deletion.
settle() { sync; sleep "${FTG_SOAK_SETTLE:-5}"; }

step_compute() {
  echo "soak: round $round/$ROUNDS: compute only ($THREADS threads)" >&2
  settle
  local t0 t1
  t0=$(now)
  "$FTG" run "$SWEEP" --compute-only --threads "$THREADS" --quiet >&2
  t1=$(now)
  compute=$(echo "$t1 - $t0" | bc -l)
}

step_ftg() {
  echo "soak: round $round/$ROUNDS: ftg run -> $OUT" >&2
  settle
  local t0 t1
  t0=$(now)
  /usr/bin/time -v -o "$DIR/time.txt" "$FTG" run "$SWEEP" -o "$OUT" --force --threads "$THREADS" --quiet >&2
  t1=$(now)
  run=$(echo "$t1 - $t0" | bc -l)
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$DIR/time.txt")
  file_bytes=$(stat -c %s "$OUT")
  "$FTG" validate "$OUT" >&2
  rm -f "$OUT"
}

step_dd() {
  # the byte count of the sweep's file (from the plan's estimate before the first ftg run)
  local n=${file_bytes:-$bytes} t0 t1
  echo "soak: round $round/$ROUNDS: dd $n bytes with conv=fdatasync" >&2
  settle
  t0=$(now)
  dd if=/dev/zero of="$DD" bs=1M count=$(( (n + 1048575) / 1048576 )) conv=fdatasync status=none
  t1=$(now)
  disk=$(echo "$t1 - $t0" | bc -l)
  rm -f "$DD"
}

summary=()
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    order="compute ftg dd"
  else
    order="dd compute ftg"
  fi
  for s in $order; do "step_$s"; done
  line=$(awk -v r="$round" -v o="$order" -v c="$compute" -v f="$run" -v d="$disk" -v rss="$rss_kb" -v b="$file_bytes" 'BEGIN {
    m = c > d ? c : d;
    printf "round %d (%s): ftg run %.1f s, compute only %.1f s, dd %.1f s (%.2f GB/s), ftg %.2f GB/s, ratio ftg/max(compute, disk) %.2f (target <= 2: %s), peak RSS %.0f MiB (target < 1024: %s), file %.2f GB",
      r, o, f, c, d, b / d / 1e9, b / f / 1e9, f / m, (f / m <= 2 ? "met" : "NOT met"), rss / 1024, (rss < 1048576 ? "met" : "NOT met"), b / 1e9 }')
  echo "soak: $line" >&2
  summary+=("$line")
done

echo "soak: machine: $(nproc) vCPUs, $(lscpu | awk -F: '/Model name/ {gsub(/^ +/, "", $2); print $2; exit}'), load $(cut -d' ' -f1-3 /proc/loadavg); git $(git describe --always --dirty 2>/dev/null || echo unknown)"
echo "soak: sweep: $ROWS x $DELTA = $cells cells, fields $FIELDS + status, $PRECISION, tile_cells $TILE_CELLS, $THREADS threads, dir $DIR"
for l in "${summary[@]}"; do echo "soak: $l"; done
