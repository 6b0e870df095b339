#!/usr/bin/env bash
# tests/check_conflict_markers.sh SOURCE_DIR: fails when a tracked file holds a line a merge left
# behind ("<<<<<<< label" or ">>>>>>> label"), naming the file and line. An earlier merge committed
# bench/README.md with both sides and its markers; this test would have caught it.
set -euo pipefail
src=${1:?usage: check_conflict_markers.sh SOURCE_DIR}
pattern='^(<<<<<<<|>>>>>>>) '
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  hits=$(git -C "$src" grep -nE "$pattern" -- . ':!bench/results' || true)
else  # not a git checkout (a source tarball): every text file under the tree
  hits=$(grep -rnE "$pattern" "$src" --include='*.cpp' --include='*.hpp' --include='*.md' \
           --include='*.py' --include='*.sh' --include='*.ini' --include='*.txt' --exclude-dir=build || true)
fi
if [ -n "$hits" ]; then
  echo "check_conflict_markers: merge conflict markers left in tracked files:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "check_conflict_markers: none"
