#!/usr/bin/env bash
# Sets everything up, builds the release preset and runs the main job (extra arguments go to
# cascade-replay, e.g. --preset hyperliquid or --seed 7).
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --workflow --preset release
# A replay of the 29 January 2026 sell-off: prints the cascade report, writes the HTML report.
./build/release/replay/cascade-replay --scenario jan29-2026 --html cascade-report.html --json cascade-report.json "$@"
