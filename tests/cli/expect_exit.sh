#!/bin/sh
# Usage: expect_exit.sh EXPECTED_CODE PROGRAM [ARGS...]
# Runs PROGRAM with ARGS and fails unless it exits with EXPECTED_CODE. For a usage error (code 2)
# stderr must also be exactly one line. PROGRAM's stdout passes through; its stderr is echoed.
expected="$1"
shift
err_file="$(mktemp)" || exit 1
trap 'rm -f "$err_file"' EXIT
"$@" 2>"$err_file"
rc=$?
cat "$err_file" >&2
if [ "$rc" -ne "$expected" ]; then
  echo "expect_exit: FAILED: expected exit code $expected, got $rc" >&2
  exit 1
fi
if [ "$expected" -eq 2 ]; then
  lines="$(wc -l <"$err_file")"
  if [ "$lines" -ne 1 ]; then
    echo "expect_exit: FAILED: expected exactly one line on stderr, got $lines" >&2
    exit 1
  fi
fi
exit 0
