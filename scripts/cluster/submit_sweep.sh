#!/usr/bin/env bash
# scripts/cluster/submit_sweep.sh: submit a sweep as a Slurm array of shards plus its merge job.
#
#   scripts/cluster/submit_sweep.sh [-n SHARDS] [-m "MERGE OPTIONS"] [-s "SBATCH OPTIONS"] SWEEP.ini OUTPUT.h5 [ftg run options]
#
#   -n SHARDS   array size = number of shards (default 16). A task takes many tiles; `ftg plan`
#               prints the tile count. More shards than tiles is allowed (empty shards).
#   -m OPTIONS  options of `ftg merge`, e.g. "--virtual" or "--force"
#   -s OPTIONS  extra sbatch options for both jobs, e.g. "--account=abc --partition=short"
# Prints "ARRAY_JOB_ID MERGE_JOB_ID". The merge job waits for every task (afterok); if a task
# fails the merge never runs (scancel it, fix, resubmit: tasks continue their shards).
# Environment: FTG (ftg binary; default: `ftg` on PATH, made absolute here).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
n=16 merge_opts="" sbatch_opts=""
while getopts "n:m:s:" opt; do
  case $opt in
    n) n=$OPTARG ;;
    m) merge_opts=$OPTARG ;;
    s) sbatch_opts=$OPTARG ;;
    *) echo "usage: submit_sweep.sh [-n SHARDS] [-m MERGE_OPTS] [-s SBATCH_OPTS] SWEEP.ini OUTPUT.h5 [ftg run options]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
[ $# -ge 2 ] || { echo "usage: submit_sweep.sh [-n SHARDS] [-m MERGE_OPTS] [-s SBATCH_OPTS] SWEEP.ini OUTPUT.h5 [ftg run options]" >&2; exit 2; }
case $n in ''|*[!0-9]*|0) echo "submit_sweep.sh: -n must be a positive integer (got '$n')" >&2; exit 2 ;; esac
sweep=$1 output=$2
shift 2
ftg_bin=$(command -v "${FTG:-ftg}") || { echo "submit_sweep.sh: ftg binary not found (set FTG)" >&2; exit 2; }
export FTG
FTG=$(realpath "$ftg_bin")
mkdir -p "$(dirname "$output")"
# shellcheck disable=SC2086
array=$(sbatch --parsable --array=0-$((n - 1)) $sbatch_opts "$here/ftg_shards.sbatch" "$sweep" "$output" "$@")
array=${array%%;*}
# shellcheck disable=SC2086
merge=$(sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes $sbatch_opts \
        "$here/ftg_merge.sbatch" "$output" $merge_opts)
echo "${array} ${merge%%;*}"
