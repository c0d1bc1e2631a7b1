#!/usr/bin/env bash
# README command 1: sets up a fresh Debian machine, builds, starts the
# engine (embedded SQLite in sample-run/data) with one worker of each kind
# (scoring, targets, notify),
# loads the sample organisation and a year of sales events, runs the
# 2026-Q3 competency50 cycle to the end with scripted reviews, and prints
# the cases with their tiers. Everything is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
bash tools/build.sh >/dev/null
bin=build
run=${SAMPLE_RUN_DIR:-sample-run}
rm -rf "$run"
mkdir -p "$run"
data="$run/data"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== generating the sample organisation, sales feed and reviews"
"$bin/tools/assess-sample" --out "$run/sample"
echo "== starting assess-engine and one worker of each kind (logs in $run/*.log)"
# --schedule off: this run opens its cycle itself; left on, the engine would
# also open the cycles whose windows have started by today's date.
"$bin/engine/assess-engine" --data "$data" --schedule off 2>"$run/engine.log" & pids+=($!)
"$bin/workers/assess-worker-scoring" --data "$data" 2>"$run/worker-scoring.log" & pids+=($!)
"$bin/workers/assess-worker-notify" --data "$data" 2>"$run/worker-notify.log" & pids+=($!)
"$bin/workers/assess-worker-targets" --data "$data" 2>"$run/worker-targets.log" & pids+=($!)
ctl() { "$bin/tools/assessctl" --data "$data" "$@"; }
for _ in $(seq 50); do ctl stats >/dev/null 2>&1 && break; sleep 0.1; done
echo "== importing the organisation"
ctl org import "$run/sample/org.csv"
echo "== publishing the sales feed"
"$bin/tools/assess-feed" --data "$data" "$run/sample/events.jsonl"
echo "== opening the 2026-Q3 competency50 cycle"
cycle=$(ctl --json cycle start --program competency50 --period 2026-Q3 | sed -n 's/.*"cycle": *\([0-9]*\).*/\1/p')
ctl cases --cycle "$cycle" --state self_review | tail -1
echo "== scripted reviews: self, supervisor, scoring, HRBP, HR"
"$bin/tools/assess-drive" --data "$data" --cycle "$cycle" --reviews "$run/sample/reviews.jsonl" --hr H0001 --no-print
echo "== the cycle's cases and tiers"
ctl cases --cycle "$cycle"
ctl stats
echo "== one case in full"
ctl case show 7
echo "notifications delivered: $(cat "$data"/notifications/*.jsonl | wc -l) lines in $data/notifications/"
