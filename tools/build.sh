#!/usr/bin/env bash
# Configures and builds assessflow into build/ (Release with debug info):
# every target, or only the TARGETs named (tools/run-sample.sh builds just
# the programs of the sample run). The build's progress lines go to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build build -j"$(nproc)" "${targets[@]}"
