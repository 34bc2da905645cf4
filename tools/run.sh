#!/usr/bin/env bash
# Sets everything up, builds the release preset and runs the main job.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cmake --workflow --preset release
./build/release/tools/cascade-demo
