// ingest_bench.h: acknowledged-ingest benchmarks against a real engine.
#pragma once

#include "tools/bench/bench_env.h"

namespace af::bench {

// Batches of `batch` events with random UUID-like ids, `window` messages
// in flight on one DEALER. Prints events/s.
void bench_ingest_batches(bench_env& env, std::size_t events, std::size_t batch,
                          std::size_t window);
// `clients` DEALER sockets, each keeping `in_flight` one-event requests
// outstanding (1: send, wait for the ack, send the next, as with REQ).
void bench_ingest_single(bench_env& env, int clients, int in_flight, double seconds);
// One event every 1/rate s (scheduled, so a slow ack cannot hide later
// latency); prints p50/p99/p99.9/max acknowledgement latency.
void bench_ingest_latency(bench_env& env, int rate, double seconds);

}  // namespace af::bench
