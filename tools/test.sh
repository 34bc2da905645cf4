#!/usr/bin/env bash
# Sets everything up and runs the whole test suite: a release build, then an ASan+UBSan build.
# Usage: tools/test.sh [release|asan|all]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
which="${1:-all}"
if [ "$which" = release ] || [ "$which" = all ]; then
  cmake --workflow --preset test-release
fi
if [ "$which" = asan ] || [ "$which" = all ]; then
  cmake --workflow --preset test-asan
fi
