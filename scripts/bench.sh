#!/usr/bin/env bash
# One command for issue 6's benchmarks: builds the release preset, then runs R rounds, each of the
# numpy/scipy peer (bench/peers/peer_solutions.py), the numpy heatmap peer (peer_heatmap.py) and
# ftg_bench_kernels (which also times the naive C++ peer) on the same work, one repetition each,
# the order alternating between rounds; then bench/peers/rounds_table.py checks that they agree and
# prints per-round ratios with median and range (exit 2 when they disagree).
#
# Usage: scripts/bench.sh [extra Google Benchmark flags for ftg_bench_kernels]
# Environment: FTG_BENCH_ROUNDS (5), FTG_BENCH_MIN_TIME (0.2 s per repetition),
#              FTG_BENCH_ROUND_FILTER (the benchmarks the ratio rows need),
#              FTG_BENCH_SKIP_BUILD=1 to reuse build/release as it is.
# Writes bench/results/<git describe>-{meta.json,round<r>-{kernels,scipy,numpy}.json,
# ftg-dump.json,peer-dump.json,rounds.json,summary.txt}. About 3-4 minutes on 2 vCPUs; no timing
# is asserted anywhere. ratio_table.py still reads a single kernels JSON and peer JSONs by hand.
# Then ftg_bench_sweep (end-to-end run_sweep, compute-only vs HDF5, 1 and 2 threads; about 1 min):
# bench/results/<git describe>-{sweep.json,sweep.txt}, its ratios appended to the summary.
# FTG_BENCH_SWEEP=0 skips it.
# FTG_BENCH_E2E=1 then also runs scripts/bench_e2e.sh (the engine side of issue 6: Figures 3-5 end
# to end against the numpy/scipy script, streamed heatmaps against numpy, 2 threads against 1 beside
# the machine's own scaling; about 1.5 min more): bench/results/<git describe>-e2e-*.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=/usr/bin/python3  # the interpreter with numpy and scipy; the first python3 on PATH may lack them
REPS=${FTG_BENCH_REPETITIONS:-3}
MIN_TIME=${FTG_BENCH_MIN_TIME:-0.2}
BUILD=build/release

describe=$(git describe --tags --always --dirty 2>/dev/null || echo unknown)
out=bench/results
mkdir -p "$out"
prefix="$out/$describe"

if [ "${FTG_BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "bench: configuring and building the release preset (targets ftg_bench_kernels, ftg_bench_sweep)" >&2
  cmake --preset release >/dev/null
  cmake --build "$BUILD" --target ftg_bench_kernels ftg_bench_sweep $([ "${FTG_BENCH_E2E:-0}" = 1 ] && echo ftg)
fi
exe="$BUILD/bench/ftg_bench_kernels"
[ -x "$exe" ] || { echo "bench: $exe not built (is FTG_BUILD_BENCH on?)" >&2; exit 1; }

# Provenance beside Google Benchmark's own context (which carries compiler and CPU via ftg_* keys).
"$PY" - "$prefix-meta.json" "$describe" <<'EOF'
import json, platform, subprocess, sys, datetime, os
def run(*cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    except Exception as e:  # provenance is best effort
        return f"unavailable: {e}"
model = next((l.split(":", 1)[1].strip() for l in run("lscpu").splitlines()
              if l.startswith("Model name")), "unknown")
meta = {
    "git_describe": sys.argv[2],
    "git_commit": run("git", "rev-parse", "HEAD").strip(),
    # what "-dirty" means for the timed code: uncommitted changes under kernels/ and bench/
    "uncommitted": run("git", "status", "--porcelain", "--", "kernels", "engine", "bench",
                       ":!bench/results").splitlines(),
    "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "gxx_version": run("g++", "--version").splitlines()[0] if run("g++", "--version") else "",
    "cpu_model": model,
    "nproc": os.cpu_count(),
    "load_average": os.getloadavg(),
    "python": platform.python_version(),
    "files": {k: f"{sys.argv[2]}-{k}" for k in
              ("rounds.json", "summary.txt", "ftg-dump.json", "peer-dump.json", "sweep.json",
               "sweep.txt")},
}
with open(sys.argv[1], "w") as f:
    json.dump(meta, f, indent=1)
    f.write("\n")
EOF

# Rounds: the peers and ftg on the same work, R times, the order alternating, so that drift of the
# shared machine hits both sides of every ratio; rounds_table.py prints per-round ratios with
# median and range and checks that the programs agree.
ROUNDS=${FTG_BENCH_ROUNDS:-5}
ROUND_FILTER=${FTG_BENCH_ROUND_FILTER:-'bm_bargain_numeric/(nash|vertical_monopoly)/|bm_bargain_batch/(nash|vertical_monopoly|nash_avx2)/|bm_naive_|bm_solve_game/|bm_bargain_closed_form/nash/|bm_heatmap_row/|bm_spe/'}
round_args=()
run_ftg() {  # $1 = round number
  local r=$1 dump="" status=0
  shift
  [ "$r" = 1 ] && dump="$prefix-ftg-dump.json"
  FTG_BENCH_DUMP="$dump" "$exe" --benchmark_repetitions=1 --benchmark_min_time="$MIN_TIME" \
    --benchmark_enable_random_interleaving=true --benchmark_filter="$ROUND_FILTER" \
    --benchmark_context=git_describe="$describe" --benchmark_context=round="$r" \
    --benchmark_out="$prefix-round$r-kernels.json" --benchmark_out_format=json "$@" \
    > "$prefix-round$r-kernels.txt" 2>&1 || status=$?
  [ "$status" -eq 0 ] || { echo "bench: ftg_bench_kernels failed ($status), see $prefix-round$r-kernels.txt" >&2; exit 1; }
}
run_peers() {  # $1 = round number
  local r=$1 dump=()
  [ "$r" = 1 ] && dump=(--dump "$prefix-peer-dump.json")
  "$PY" bench/peers/peer_solutions.py --repetitions 1 --min-time "$MIN_TIME" "${dump[@]}" \
    --out "$prefix-round$r-scipy.json" >/dev/null
  "$PY" bench/peers/peer_heatmap.py --repetitions 1 --min-time "$MIN_TIME" \
    --out "$prefix-round$r-numpy.json" >/dev/null
}
for r in $(seq 1 "$ROUNDS"); do
  echo "bench: round $r/$ROUNDS" >&2
  if [ $((r % 2)) = 1 ]; then run_peers "$r"; run_ftg "$r" "$@"; else run_ftg "$r" "$@"; run_peers "$r"; fi
  round_args+=(--round "$prefix-round$r-kernels.json" "$prefix-round$r-scipy.json" "$prefix-round$r-numpy.json")
done

set +e
"$PY" bench/peers/rounds_table.py --meta "$prefix-meta.json" --out "$prefix-rounds.json" \
  --ftg-dump "$prefix-ftg-dump.json" --peer-dump "$prefix-peer-dump.json" "${round_args[@]}" \
  | tee "$prefix-summary.txt"
table_status=${PIPESTATUS[0]}
set -e
[ "$table_status" -eq 0 ] || { echo "bench: the programs disagree (see the agreement lines)" >&2; exit 2; }

# End to end: run_sweep over generated sweep files (bench/bench_sweep.cpp). Not interleaved: each
# benchmark runs whole sweeps (tens to hundreds of ms), so its repetitions are back to back.
if [ "${FTG_BENCH_SWEEP:-1}" != 0 ]; then
  sweep_exe="$BUILD/bench/ftg_bench_sweep"
  [ -x "$sweep_exe" ] || { echo "bench: $sweep_exe not built" >&2; exit 1; }
  echo "bench: ftg_bench_sweep, $REPS repetitions x ${MIN_TIME}s" >&2
  set +o pipefail
  "$sweep_exe" --benchmark_repetitions="$REPS" --benchmark_min_time="$MIN_TIME" \
    --benchmark_display_aggregates_only=true --benchmark_context=git_describe="$describe" \
    --benchmark_out="$prefix-sweep.json" --benchmark_out_format=json 2>&1 \
    | tee "$prefix-sweep.txt" | { grep --line-buffered -E '_median|failed|threw|ERROR' >&2 || true; }
  status=${PIPESTATUS[0]}
  set -o pipefail
  [ "$status" -eq 0 ] || { echo "bench: ftg_bench_sweep failed ($status)" >&2; exit 1; }

  # Ratios of median cells/s (wall clock): HDF5 / compute-only, and 2 threads / 1 thread.
  "$PY" - "$prefix-sweep.json" <<'EOF' | tee -a "$prefix-summary.txt"
import json, sys
data = json.load(open(sys.argv[1]))
rate = {}  # (workload, mode, threads) -> median cells/s (the single run when not repeated)
for b in data["benchmarks"]:
    if b.get("error_occurred") or "cells_per_second" not in b:
        continue
    if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
        continue
    _, w, m, t = b.get("run_name", b["name"]).replace("/real_time", "").split("/")
    key = (w, m, int(t.split(":")[1]))
    if b.get("run_type") == "aggregate" or key not in rate:
        rate[key] = b["cells_per_second"]
print()
print("end to end (ftg_bench_sweep): median cells/s, wall clock; ratios from the same run")
print(f"{'sweep':<10} {'output':<17} {'threads':>7} {'cells/s':>10} {'/compute':>9} {'/1 thread':>9}")
for (w, m, t), r in sorted(rate.items()):
    c = rate.get((w, "compute", t))
    one = rate.get((w, m, 1))
    vs_c = f"{r / c:9.2f}" if c and m != "compute" else f"{'':9}"
    vs_1 = f"{r / one:9.2f}" if one and t != 1 else f"{'':9}"
    print(f"{w:<10} {m:<17} {t:>7} {r:10.3g} {vs_c} {vs_1}")
h = max((r for (w, m, t), r in rate.items() if w == "heatmap" and m == "compute"), default=None)
if h:
    print(f"note: heatmap compute-only best {h:.3g} cells/s (1000 x 1001, 4 fields + status, k = 2);"
          f" PERFORMANCE.md's numpy heatmap: 6.7e7-9.1e7 cells/s warm (1000 x 1000, 7 outputs),"
          f" i.e. {h / 9.1e7:.2g}x-{h / 6.7e7:.2g}x. Not a same-run peer: information only.")
EOF
fi
if [ "${FTG_BENCH_E2E:-0}" = 1 ]; then
  FTG_BENCH_SKIP_BUILD=1 scripts/bench_e2e.sh
fi
echo "bench: results in $prefix-*" >&2

