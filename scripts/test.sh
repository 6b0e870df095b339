#!/usr/bin/env bash
# Sets up everything and runs the whole test suite: the dev build (warnings as errors) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build, each through CTest.
# Usage: scripts/test.sh [--no-setup] [--no-asan] [--no-cluster] [--no-mpi]
# (--no-cluster: do not install Slurm/munge, the local-Slurm test then reports SKIP;
#  --no-mpi: no OpenMPI and no FTG_MPI launcher in the dev build, so no cluster.mpi test)
set -euo pipefail
cd "$(dirname "$0")/.."

setup=1 asan=1 cluster=--cluster mpi=--mpi
for a in "$@"; do
  case "$a" in
    --no-setup) setup=0 ;;
    --no-asan) asan=0 ;;
    --no-cluster) cluster="" ;;
    --no-mpi) mpi="" ;;
    *) echo "scripts/test.sh: unknown option '$a' (allowed: --no-setup, --no-asan, --no-cluster, --no-mpi)" >&2; exit 2 ;;
  esac
done

[ "$setup" = 1 ] && bash scripts/setup.sh $cluster $mpi
jobs=$(nproc 2>/dev/null || echo 2)

run_preset() {
  local preset=$1 ctest_extra=$2
  shift 2
  echo "== ftgames: $preset build =="
  cmake --preset "$preset" "$@" >/dev/null
  cmake --build "build/$preset" -j "$jobs"
  ctest --test-dir "build/$preset" --output-on-failure -j "$jobs" $ctest_extra
}

# The MPI launcher only in the dev build (OpenMPI's own allocations would trip LeakSanitizer).
run_preset dev "" -DFTG_MPI=$([ -n "$mpi" ] && echo ON || echo OFF)
if [ "$asan" = 1 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # The integration tests (label "integration": the local Slurm cluster, the figures' Python
  # checks) drive the same binaries as the sanitized engine/cluster tests and run in the dev build;
  # under the sanitizers they would only add about 1.5 minutes of serial time.
  run_preset asan "-LE integration"
fi
echo "== ftgames: all tests passed =="
