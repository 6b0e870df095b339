#!/usr/bin/env bash
# Crash test of `ftg run`: kill it at write number N (every Nth of them: tests/crash/crash_shim.c),
# then `ftg run --continue`, and check the result equals an uninterrupted run's file.
#
# For each kind of output (plain: chunks allocated at creation; deflate: chunks allocated when
# written; shard: one shard of three, chunks allocated when written) the script counts the
# writes of a whole run, then kills runs at every STRIDE-th write (and at the rename), half of
# them as torn writes (half the bytes written). Each killed run is continued to the end; every
# continued file must pass `ftg validate` and hold the same data, bit for bit, as the
# uninterrupted one (tests/crash/compare_runs.py, h5py). Source of the expectation: issue 4's
# "--resume ... (SIGKILL included) produces a file identical to an uninterrupted run".
#
# Usage: crash_resume.sh FTG CRASH_SHIM.so [STRIDE]   (STRIDE default 7; 1 = every write)
set -euo pipefail
ftg=$1 shim=$2 stride=${3:-${FTG_CRASH_STRIDE:-7}}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/ftg_crash.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
cat > s.ini <<'INI'
[sweep]
name = crash
model = two_player
fields = alpha0, alpha1, u_g, u_d, in_pareto
[grid]
c0 = 1
c1 = logspace(-1, 1, 40)
k0 = 2
k1 = 1.5, 2, 3
delta = linspace(0, 1, 201)
[run]
tile_cells = 201
INI

declare -A mode_args=(
  [plain]=""
  [deflate]="--set sweep.compression=deflate"
  [shard]="--shard-index 1 --num-shards 3"
)
name_of() {  # the file a run of this mode writes for -o $1
  if [ "$2" = shard ]; then echo "${1%.h5}.shard-00001-of-00003.h5"; else echo "$1"; fi
}
trials=0
for mode in plain deflate shard; do
  # shellcheck disable=SC2086
  args="-q --threads 1 --checkpoint-interval 0 --no-shard-env ${mode_args[$mode]}"
  # shellcheck disable=SC2086
  "$ftg" run s.ini -o "ref_$mode.h5" $args 2>/dev/null
  # shellcheck disable=SC2086
  FTG_CRASH_COUNT="$work/count" LD_PRELOAD="$shim" "$ftg" run s.ini -o "count_$mode.h5" $args 2>/dev/null
  total=$(cat count)
  [ "$total" -gt 10 ] || { echo "crash_resume: $mode: only $total writes counted: the shim did not work" >&2; exit 1; }
  n=1 i=0
  while [ "$n" -le $((total + 1)) ]; do
    out="k_${mode}_$n.h5"
    torn=$((i % 2))
    set +e
    # shellcheck disable=SC2086
    # (in a subshell with its stderr closed: bash's "Killed" notice is expected here)
    ( FTG_CRASH_AT=$n FTG_CRASH_TORN=$torn LD_PRELOAD="$shim" "$ftg" run s.ini -o "$out" $args; exit $? ) 2>/dev/null
    rc=$?
    # shellcheck disable=SC2086
    "$ftg" run s.ini -o "$out" --continue $args 2>"err_${mode}_$n.txt"
    rc2=$?
    set -e
    if [ "$rc2" != 0 ]; then
      echo "crash_resume: $mode: killed at write $n (torn=$torn, exit $rc), --continue failed (exit $rc2): $(cat "err_${mode}_$n.txt")" >&2
      exit 1
    fi
    file=$(name_of "$out" "$mode")
    if ! "$ftg" validate "$file" >/dev/null 2>"err_v.txt"; then
      echo "crash_resume: $mode: killed at write $n (torn=$torn): $file does not validate: $(head -3 err_v.txt)" >&2
      exit 1
    fi
    echo "$mode $(name_of "ref_$mode.h5" "$mode") $file $n $torn" >> pairs.txt
    trials=$((trials + 1))
    n=$((n + stride)) i=$((i + 1))
  done
  echo "crash_resume: $mode: $total writes, killed and continued at every ${stride}th"
done
/usr/bin/python3 "$here/compare_runs.py" pairs.txt
echo "crash_resume: $trials killed runs continued, every file equals its uninterrupted run"
