#!/usr/bin/env bash
# tools/perf-check against doctored baselines: a workload far above its baseline is reported as a
# regression (exit 1), one far below passes with a hint to update the baseline. Only the book
# workload, to keep it quick. Usage: perf_check_test.sh BUILD_DIR
set -euo pipefail
build_dir="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
command -v valgrind >/dev/null || { echo "valgrind not installed"; exit 77; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

printf '# doctored: one instruction per message\nbook 1.0\n' > "$tmp/low.txt"
status=0
out="$("$root/tools/perf-check" --build-dir "$build_dir" --workloads book --baseline "$tmp/low.txt")" \
  || status=$?
echo "$out"
[ "$status" -eq 1 ] || { echo "FAIL: expected exit 1 for a regression, got $status"; exit 1; }
grep -q '^perf-check: regression$' <<<"$out" || { echo "FAIL: no regression line"; exit 1; }
grep -q 'REGRESSION' <<<"$out" || { echo "FAIL: the book line is not flagged"; exit 1; }

printf '# doctored: a million instructions per message\nbook 1000000.0\n' > "$tmp/high.txt"
out="$("$root/tools/perf-check" --build-dir "$build_dir" --workloads book --baseline "$tmp/high.txt")"
echo "$out"
grep -q '^perf-check: ok$' <<<"$out" || { echo "FAIL: an improvement must pass"; exit 1; }
grep -q 'update-baseline' <<<"$out" || { echo "FAIL: no hint to update the baseline"; exit 1; }
echo "PASS"
