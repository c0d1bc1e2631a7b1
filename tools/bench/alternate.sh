#!/usr/bin/env bash
# Alternating runs of two builds' benchmarks, for a before/after figure on
# a machine whose speed varies by the hour (README "Benchmarks").
#   bash tools/bench/alternate.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR [ROUNDS] > results.txt
# Each round runs ingest-batch, ingest-single --in-flight 8 and a
# 100,000-case cycle with the first build's assess-bench, then the second's.
set -euo pipefail
before=$1 after=$2 rounds=${3:-5}
for round in $(seq 1 "$rounds"); do
  for which in before after; do
    dir=$before; [ "$which" = after ] && dir=$after
    bench="$dir/tools/assess-bench"
    echo "round $round $which $(date +%T)"
    "$bench" ingest-batch 2>&1 | grep "^ingest-batch" | sed "s/^/$which /"
    "$bench" ingest-single --in-flight 8 --seconds 8 2>&1 | grep "^ingest-single: 8 clients" | sed "s/^/$which /"
    "$bench" cycle --cases 100000 2>&1 | grep -E "cases final|notifications delivered" | sed "s/^/$which /"
  done
done
