#!/usr/bin/env bash
# tests/cluster/slurm_e2e.sh FTG SOURCE_DIR: a real single-node Slurm inside the test
# (scripts/cluster/local_slurm.sh: slurmctld, slurmd and a private munged), torn down on exit.
#  1. scripts/cluster/submit_sweep.sh submits a 4-task array of shards and its afterok merge job;
#     the merged file must pass `ftg validate` and hold exactly the bytes of a single-process run
#     (scripts/cluster/compare_h5.py, every dataset generically).
#  2. The scheduler's early warning: SIGUSR1 to a running task's batch shell (what
#     `#SBATCH --signal=B:USR1@120` does) makes ftg exit 75 with its shard .partial, the task
#     requeues itself, resumes its shard (--continue), and the merge still equals a single run.
# Exit 77 (ctest SKIP) only when Slurm cannot start here (not root, packages missing, a daemon
# dies at start); any failure after the node is up fails the test.
set -euo pipefail
ftg=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
py=/usr/bin/python3
[ -x "$py" ] && "$py" -c "import h5py" 2>/dev/null || { echo "SKIP: /usr/bin/python3 with h5py is missing"; exit 77; }
work=$(mktemp -d /tmp/ftg_slurm_e2e.XXXXXX)
chmod 0755 "$work"
export FTG_SLURM_PORT=$((17000 + ($$ % 400) * 2))
ok=0
cleanup() {
  "$src/scripts/cluster/local_slurm.sh" stop "$work/slurm" || true
  if [ "$ok" -ne 1 ]; then
    echo "--- logs (test failed) ---"
    tail -n 20 "$work"/jobs/*.log "$work"/slurm/log/*.log 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
rc=0
"$src/scripts/cluster/local_slurm.sh" start "$work/slurm" || rc=$?
[ "$rc" -eq 0 ] || exit "$rc"
export SLURM_CONF=$work/slurm/slurm.conf
export FTG=$ftg
mkdir -p "$work/jobs"
cd "$work/jobs"

# wait_jobs SECONDS ID...: until none of the jobs is in the queue (squeue polling beats sbatch --wait).
wait_jobs() {
  local limit=$1; shift
  local ids; ids=$(IFS=,; echo "$*")
  local t0; t0=$(date +%s)
  while [ -n "$(squeue -h -j "$ids" 2>/dev/null)" ]; do
    if [ $(( $(date +%s) - t0 )) -ge "$limit" ]; then echo "FAIL: jobs $ids still queued after $limit s"; squeue; exit 1; fi
    sleep 0.25
  done
}
job_state() { scontrol show job "$1" | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }

# 1. array + dependent merge.
cat > small.ini <<'INI'
# slurm_e2e: every bargaining solution, 2 x 2001 games, 41 tiles (a task takes many tiles).
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
read -r array merge < <("$src/scripts/cluster/submit_sweep.sh" -n 4 -s "--output=$work/jobs/%x-%j.log" small.ini out/small.h5)
echo "submitted array $array, merge $merge"
wait_jobs 120 "$array" "$merge"
[ "$(job_state "$merge")" = COMPLETED ] || { echo "FAIL: merge job $merge is $(job_state "$merge")"; exit 1; }
for i in 0 1 2 3; do test -f "out/small.shard-0000$i-of-00004.h5"; done
test -f out/small.h5 && test ! -e out/small.h5.partial
"$ftg" validate out/small.h5
"$ftg" run small.ini --output single_small.h5 --quiet
"$py" "$src/scripts/cluster/compare_h5.py" single_small.h5 out/small.h5
echo "slurm_e2e: array of 4 shards + merge job: identical to a single-process run"

# 2. early-warning signal, requeue, resume.
# The long run must outlast the signal: k0 = 1.5 < 2 takes the robust scan path (about 25,000
# games/s on one thread, 2.4 s per shard), not the Newton fast path that finishes in 0.25 s.
sed 's/logspace(-1, 1, 2001)/logspace(-1, 1, 60001)/; s/k0 = 2.5/k0 = 1.5/; s/tile_cells = 100/tile_cells = 1000/; s/name = small/name = long/' \
    small.ini > long.ini
read -r array merge < <("$src/scripts/cluster/submit_sweep.sh" -n 2 -s "--output=$work/jobs/%x-%j.log --cpus-per-task=1" long.ini out/long.h5)
t0=$(date +%s)
until [ -e out/long.shard-00000-of-00002.h5.partial ]; do
  [ $(( $(date +%s) - t0 )) -lt 60 ] || { echo "FAIL: shard 0 never started"; exit 1; }
  sleep 0.1
done
sleep 0.2
scancel --signal=USR1 --batch "${array}_0"
# The task exits 75 and requeues itself; Slurm holds a requeued job for a while (BeginTime):
# release it as soon as it is back in the queue.
t0=$(date +%s)
until squeue -h -j "${array}_0" -o %r 2>/dev/null | grep -q BeginTime; do
  if [ -e out/long.shard-00000-of-00002.h5 ]; then echo "FAIL: shard 0 finished before the signal took effect"; exit 1; fi
  [ $(( $(date +%s) - t0 )) -lt 60 ] || { echo "FAIL: task ${array}_0 was not requeued"; squeue; exit 1; }
  sleep 0.2
done
test -e out/long.shard-00000-of-00002.h5.partial
grep -q "stopped:" long-*.log 2>/dev/null || grep -q "stopped:" ./*.log
scontrol update JobId="${array}_0" StartTime=now
wait_jobs 180 "$array" "$merge"
[ "$(job_state "$merge")" = COMPLETED ] || { echo "FAIL: merge job $merge is $(job_state "$merge")"; exit 1; }
restarts=$(scontrol show job "${array}_0" | sed -n 's/.*Restarts=\([0-9]*\).*/\1/p')
[ "$restarts" -ge 1 ] || { echo "FAIL: task ${array}_0 has Restarts=$restarts"; exit 1; }
"$ftg" validate out/long.h5
"$ftg" run long.ini --output single_long.h5 --quiet
"$py" "$src/scripts/cluster/compare_h5.py" single_long.h5 out/long.h5
echo "slurm_e2e: SIGUSR1 -> exit 75 -> requeue -> resumed shard -> merge: identical to a single-process run"
ok=1
