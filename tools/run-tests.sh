#!/usr/bin/env bash
# README command 2: installs what is missing, builds, runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
bash tools/build.sh
cd build
ctest --output-on-failure --timeout 300 -j"$(nproc)"
