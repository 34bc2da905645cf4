#!/usr/bin/env bash
# Installs what cascade needs from Debian 12's packages, only when something is missing, so it is
# cheap to run before every build. Runs as root (or through sudo when available).
set -euo pipefail

packages=(
  g++ cmake ninja-build git python3
  libboost-dev libabsl-dev libflatbuffers-dev flatbuffers-compiler
  libbenchmark-dev libgtest-dev libgmock-dev
  clang libclang-rt-14-dev   # libFuzzer target and sanitizer runtimes
  chromium                   # renders the replay's HTML report in a test
  valgrind                   # tools/perf-check: instruction counts under callgrind
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "setup: need root (or sudo) to install packages" >&2; exit 1; }
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
