#!/usr/bin/env bash
# README command 1: sets up a fresh Debian machine, builds, starts the
# engine (embedded SQLite in sample-run/data) with one worker of each kind
# (scoring, targets, notify),
# loads the sample organisation and a year of sales events, runs the
# 2026-Q3 competency50 cycle to the end with scripted reviews, and prints
# the cases with their tiers. The HTTP gateway serves the same data on
# 127.0.0.1:${SAMPLE_HTTP_PORT:-8080} with a token for HR, printed at the
# end. Everything is stopped at the end (on a terminal: when you press Enter).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== [1/10] installing the Debian packages that are missing (tools/setup-debian.sh)"
bash tools/setup-debian.sh
echo "== [2/10] building the sample run's programs into build/ (the first build takes about 10 minutes on 2 cores)"
mkdir -p build
if ! bash tools/build.sh assess-engine assess-worker-scoring assess-worker-notify assess-worker-targets \
  assessctl assess-feed assess-sample assess-drive assess-gateway 2>&1 | tee build/sample-build.log |
  { grep --line-buffered -E '^\[ *[0-9]+%\]|^\[[0-9]+/[0-9]+\]|error:' || true; }; then
  echo "the build failed: build/sample-build.log has its whole output" >&2
  exit 1
fi
bin=build
run=${SAMPLE_RUN_DIR:-sample-run}
rm -rf "$run"
mkdir -p "$run"
data="$run/data"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

echo "== [3/10] generating the sample organisation, sales feed and reviews"
"$bin/tools/assess-sample" --out "$run/sample"
echo "== [4/10] starting assess-engine and one worker of each kind (logs in $run/*.log)"
# --schedule off: this run opens its cycle itself; left on, the engine would
# also open the cycles whose windows have started by today's date.
"$bin/engine/assess-engine" --data "$data" --schedule off 2>"$run/engine.log" & pids+=($!)
"$bin/workers/assess-worker-scoring" --data "$data" 2>"$run/worker-scoring.log" & pids+=($!)
"$bin/workers/assess-worker-notify" --data "$data" 2>"$run/worker-notify.log" & pids+=($!)
"$bin/workers/assess-worker-targets" --data "$data" 2>"$run/worker-targets.log" & pids+=($!)
ctl() { "$bin/tools/assessctl" --data "$data" "$@"; }
for _ in $(seq 50); do ctl stats >/dev/null 2>&1 && break; sleep 0.1; done
echo "== [5/10] importing the organisation"
ctl org import "$run/sample/org.csv"
echo "== [6/10] publishing the sales feed"
"$bin/tools/assess-feed" --data "$data" "$run/sample/events.jsonl"
echo "== [7/10] opening the 2026-Q3 competency50 cycle"
cycle=$(ctl --json cycle start --program competency50 --period 2026-Q3 | sed -n 's/.*"cycle": *\([0-9]*\).*/\1/p')
ctl cases --cycle "$cycle" --state self_review | tail -1
echo "== [8/10] scripted reviews: self, supervisor, scoring, HRBP, HR"
"$bin/tools/assess-drive" --data "$data" --cycle "$cycle" --reviews "$run/sample/reviews.jsonl" --hr H0001 --no-print
echo "== [9/10] the cycle's cases and tiers"
ctl cases --cycle "$cycle"
ctl stats
echo "== one case in full"
ctl case show 7
echo "notifications delivered: $(cat "$data"/notifications/*.jsonl | wc -l) lines in $data/notifications/"

port=${SAMPLE_HTTP_PORT:-8080}
echo "== [10/10] the HTTP gateway on 127.0.0.1:$port, with a bearer token for HR (H0001)"
"$bin/tools/assess-gateway" --data "$data" --listen "127.0.0.1:$port" 2>"$run/gateway.log" & pids+=($!)
token=$(ctl --json principals add hr-sample --person H0001 --token | sed -n 's/.*"token": *"\(af_[^"]*\)".*/\1/p')
for _ in $(seq 50); do grep -q "listening on" "$run/gateway.log" 2>/dev/null && break; sleep 0.1; done
if ! grep -q "listening on" "$run/gateway.log"; then
  echo "the gateway did not start (port $port in use? set SAMPLE_HTTP_PORT): $(tail -1 "$run/gateway.log")" >&2
  exit 1
fi
echo "dashboard: http://127.0.0.1:$port/ (sign in with the token below; ?lang=en for English)"
echo "gateway: http://127.0.0.1:$port/v1/ (routes: http://127.0.0.1:$port/v1/openapi.json)"
echo "HR token (shown once): $token"
echo "try: curl -s -H 'Authorization: Bearer $token' 'http://127.0.0.1:$port/v1/cycles'"
curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/v1/cycles" | head -c 400
echo
if [ -t 0 ]; then
  read -r -p "the engine, workers and gateway keep running; press Enter to stop them " _
fi
