#!/usr/bin/env bash
# The engine side of issue 6 as same-run benchmarks (docs/performance.md, "Engine side"):
#   target 1   the data of Figures 3-5 end to end, HDF5 included: `ftg run` on
#              bench/sweeps/e2e_heatmap.ini (2e6 cells) and e2e_solutions.ini (2e4 cost ratios x 7
#              solutions), timed as whole processes, against bench/peers/peer_figures.py (numpy/
#              scipy/h5py; --variant definition and --variant roots) on the same work;
#   target 4b  heatmaps streamed in tiles: ftg_bench_sweep bm_sweep/heatmap/compute/threads:1
#              (run_sweep compute-only, no HDF5) against bench/peers/peer_heatmap.py;
#   target 7   two threads against one: bm_sweep/*/compute/threads:{1,2} beside the machine's own
#              scaling (bm_machine/{compute,store}/threads:{1,2}), in the same program run.
# R rounds, the order of peers and ftg alternating; then bench/peers/e2e_table.py checks that ftg's
# and the peers' HDF5 files agree (round 1's files) and prints per-round ratios with median and
# range (exit 2 when a check fails). No timing is asserted anywhere.
#
# Usage: scripts/bench_e2e.sh      (also run by scripts/bench.sh when FTG_BENCH_E2E=1)
# Environment: FTG_BENCH_E2E_ROUNDS (5), FTG_BENCH_MIN_TIME (0.2 s per Google Benchmark
#              repetition and per peer_heatmap repetition), FTG_BENCH_SKIP_BUILD=1 (reuse
#              build/release), FTG_BENCH_E2E_DIR (scratch directory for the HDF5 files; default a
#              fresh directory under /tmp, removed at exit).
# Writes bench/results/<git describe>-e2e-{meta.json,round<r>-*.json,rounds.json,summary.txt}.
# About 80 s per 5 rounds on 2 vCPUs (the scipy script alone takes about 10 s per round).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3  # numpy, scipy, h5py
MIN_TIME=${FTG_BENCH_MIN_TIME:-0.2}
ROUNDS=${FTG_BENCH_E2E_ROUNDS:-5}
BUILD=build/release

describe=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
out=bench/results
mkdir -p "$out"
prefix="$out/$describe-e2e"

if [ "${FTG_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench_e2e: configuring and building the release preset (ftg, ftg_bench_sweep)" >&2
  cmake --preset release >/dev/null
  cmake --build "$BUILD" --target ftg ftg_bench_sweep
fi
ftg="$BUILD/app/ftg"
sweep_exe="$BUILD/bench/ftg_bench_sweep"
for x in "$ftg" "$sweep_exe"; do [ -x "$x" ] || { echo "bench_e2e: $x not built" >&2; exit 1; }; done

scratch=${FTG_BENCH_E2E_DIR:-}
if [ -z "$scratch" ]; then
  scratch=$(mktemp -d /tmp/ftg_bench_e2e.XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
fi
mkdir -p "$scratch/keep" "$scratch/run"

"$PY" - "$prefix-meta.json" "$describe" "$scratch" <<'EOF'
import json, platform, subprocess, sys, datetime, os, shutil
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    except Exception as e:  # provenance is best effort
        return f"unavailable: {e}"
model = next((l.split(":", 1)[1].strip() for l in run("lscpu").splitlines()
              if l.startswith("Model name")), "unknown")
du = shutil.disk_usage(sys.argv[3])
meta = {
    "git_describe": sys.argv[2],
    "git_commit": run("git", "rev-parse", "HEAD").strip(),
    "uncommitted": run("git", "status", "--porcelain", "--", "kernels", "engine", "bench", "app",
                       "scripts", ":!bench/results").splitlines(),
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "gxx_version": run("g++", "--version").splitlines()[0] if run("g++", "--version") else "",
    "cpu_model": model,
    "nproc": os.cpu_count(),
    "load_average_start": os.getloadavg(),
    "python": platform.python_version(),
    "scratch_dir": sys.argv[3],
    "scratch_fs": run("df", "-T", sys.argv[3]).splitlines()[-1],
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=1)
    f.write("\n")
EOF

# ftg end to end: two `ftg run` processes (heatmap, then solutions), wall clock from bash's
# EPOCHREALTIME (no fork for the clock; process start, sweep parsing, planning and HDF5 counted).
# Outputs are removed before each run, outside the timed region (as the peer's are).
run_ftg_e2e() {  # $1 = round, $2 = directory for the outputs
  local r=$1 dir=$2 json="{" sep="" t0 t1 t2 threads
  for threads in 1 2; do
    rm -f "$dir"/ftg-heatmap-t$threads.h5 "$dir"/ftg-solutions-t$threads.h5
    sync -f "$dir" 2>/dev/null || true
    t0=$EPOCHREALTIME
    "$ftg" run bench/sweeps/e2e_heatmap.ini -o "$dir/ftg-heatmap-t$threads.h5" --threads "$threads" --quiet \
      >>"$prefix-round$r-ftg.log" 2>&1
    t1=$EPOCHREALTIME
    "$ftg" run bench/sweeps/e2e_solutions.ini -o "$dir/ftg-solutions-t$threads.h5" --threads "$threads" --quiet \
      >>"$prefix-round$r-ftg.log" 2>&1
    t2=$EPOCHREALTIME
    json+="$sep\"threads:$threads\": {\"heatmap_seconds\": $(echo "$t1 - $t0" | bc -l | sed 's/^\./0./'),"
    json+=" \"solutions_seconds\": $(echo "$t2 - $t1" | bc -l | sed 's/^\./0./')}"
    sep=", "
  done
  echo "$json, \"round\": $r}" >"$prefix-round$r-ftg.json"
}
run_ftg_sweep() {  # $1 = round: compute-only sweeps and the machine's scaling, interleaved
  local r=$1 status=0
  "$sweep_exe" --benchmark_filter='bm_machine/|bm_sweep/(heatmap|solutions|numeric)(_large)?(_general)?(_pareto)?(_t16k)?/compute/' \
    --benchmark_repetitions=1 --benchmark_min_time="$MIN_TIME" --benchmark_enable_random_interleaving=true \
    --benchmark_context=git_describe="$describe" --benchmark_context=round="$r" \
    --benchmark_out="$prefix-round$r-sweep.json" --benchmark_out_format=json \
    >"$prefix-round$r-sweep.txt" 2>&1 || status=$?
  [ "$status" -eq 0 ] || { echo "bench_e2e: ftg_bench_sweep failed ($status), see $prefix-round$r-sweep.txt" >&2; exit 1; }
}
run_peers() {  # $1 = round, $2 = directory for the outputs
  local r=$1 dir=$2 v
  for v in definition roots; do
    rm -f "$dir/peer-heatmap-$v.h5" "$dir/peer-solutions-$v.h5"
    sync -f "$dir" 2>/dev/null || true
    "$PY" bench/peers/peer_figures.py --variant "$v" --heatmap-out "$dir/peer-heatmap-$v.h5" \
      --solutions-out "$dir/peer-solutions-$v.h5" --out "$prefix-round$r-peer-$v.json" >/dev/null
  done
  "$PY" bench/peers/peer_heatmap.py --repetitions 1 --min-time "$MIN_TIME" \
    --out "$prefix-round$r-numpy.json" >/dev/null
}

rm -f "$prefix"-round*-ftg.log
round_args=()
for r in $(seq 1 "$ROUNDS"); do
  echo "bench_e2e: round $r/$ROUNDS" >&2
  dir="$scratch/run"
  [ "$r" = 1 ] && dir="$scratch/keep"  # round 1's files are kept for the agreement checks
  if [ $((r % 2)) = 1 ]; then
    run_peers "$r" "$dir"; run_ftg_e2e "$r" "$dir"; run_ftg_sweep "$r"
  else
    run_ftg_sweep "$r"; run_ftg_e2e "$r" "$dir"; run_peers "$r" "$dir"
  fi
  [ "$r" = 1 ] || rm -f "$dir"/*.h5
  round_args+=(--round "$prefix-round$r-ftg.json" "$prefix-round$r-sweep.json" "$prefix-round$r-peer-definition.json"
               "$prefix-round$r-peer-roots.json" "$prefix-round$r-numpy.json")
done

set +e
"$PY" bench/peers/e2e_table.py --meta "$prefix-meta.json" --out "$prefix-rounds.json" \
  --files "$scratch/keep" "${round_args[@]}" | tee "$prefix-summary.txt"
table_status=${PIPESTATUS[0]}
set -e
[ "$table_status" -eq 0 ] || { echo "bench_e2e: a check failed (see the agreement lines)" >&2; exit 2; }
echo "bench_e2e: results in $prefix-*" >&2
