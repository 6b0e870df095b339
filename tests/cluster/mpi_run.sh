#!/usr/bin/env bash
# tests/cluster/mpi_run.sh FTG_MPI FTG SOURCE_DIR: `mpirun -np 2 ftg run` (app/ftg_mpi_main.cpp)
# writes one merged file whose data equal a single-process run (scripts/cluster/compare_h5.py);
# SIGUSR1 to mpirun (forwarded to the ranks) stops both ranks with exit 75 and merges nothing;
# `--continue` then resumes both shards and merges, again identical; shard options are refused.
set -euo pipefail
mpi_ftg=$1 ftg=$2 src=$3
command -v mpirun > /dev/null || { echo "SKIP: mpirun not installed (scripts/setup.sh --mpi)"; exit 77; }
/usr/bin/python3 -c "import h5py" 2>/dev/null || { echo "SKIP: /usr/bin/python3 with h5py is missing"; exit 77; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > small.ini <<'INI'
# mpi_run: every bargaining solution, 2 x 2001 games, 41 tiles.
[sweep]
name = small
model = two_player
solutions = all
[grid]
c0 = 1
c1 = logspace(-1, 1, 2001)
k0 = 2.5
k1 = 2, 3
[run]
tile_cells = 100
INI
mkdir -p out
mpirun -np 2 "$mpi_ftg" run small.ini --output out/small.h5 --threads 1 --quiet
"$ftg" validate out/small.h5
"$ftg" run small.ini --output single.h5 --quiet
/usr/bin/python3 "$src/scripts/cluster/compare_h5.py" single.h5 out/small.h5
echo "mpi_run: mpirun -np 2: identical to a single-process run"

rc=0
mpirun -np 2 "$mpi_ftg" run small.ini --output x.h5 --shard-index 0 --num-shards 2 2> err.txt || rc=$?
[ "$rc" -eq 2 ] && grep -q "ranks are the shards" err.txt || { echo "FAIL: shard options under mpirun: exit $rc"; cat err.txt; exit 1; }

# The long run must outlast the signal: k0 = 1.5 < 2 takes the robust scan path (about 25,000
# games/s on one thread, 2.4 s per shard), not the Newton fast path that finishes in 0.25 s.
sed 's/logspace(-1, 1, 2001)/logspace(-1, 1, 60001)/; s/k0 = 2.5/k0 = 1.5/; s/tile_cells = 100/tile_cells = 1000/; s/name = small/name = long/' small.ini > long.ini
mpirun -np 2 "$mpi_ftg" run long.ini --output long.h5 --threads 1 --quiet 2> stop.txt & pid=$!
t0=$(date +%s)
until [ -e long.shard-00000-of-00002.h5.partial ] && [ -e long.shard-00001-of-00002.h5.partial ]; do
  [ $(( $(date +%s) - t0 )) -lt 60 ] || { echo "FAIL: the ranks never started"; exit 1; }
  sleep 0.1
done
sleep 0.2
kill -USR1 "$pid"
rc=0
wait "$pid" || rc=$?
if [ "$rc" -ne 75 ]; then
  if [ "$rc" -eq 0 ] && [ -e long.h5 ]; then echo "FAIL: the run finished before the signal (make long.ini longer)"; fi
  echo "FAIL: mpirun exit $rc after SIGUSR1 (want 75)"; cat stop.txt; exit 1
fi
test ! -e long.h5
grep -q "nothing merged" stop.txt
mpirun -np 2 "$mpi_ftg" run long.ini --output long.h5 --threads 1 --quiet --continue
"$ftg" run long.ini --output single_long.h5 --quiet
/usr/bin/python3 "$src/scripts/cluster/compare_h5.py" single_long.h5 long.h5
echo "mpi_run: SIGUSR1 -> 75, nothing merged -> --continue -> identical"
