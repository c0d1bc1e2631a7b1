// gateway_bench.h: `assess-bench gateway`: what the HTTP gateway adds to an
// admin request. The same reads (case.show) and writes (self-review
// submits) from `clients` threads, one request in flight each, over HTTP/1.1
// keep-alive through assess-gateway and over ZeroMQ straight to the
// engine; requests/s, p50 and p99 of each, and the gateway's cost at p50.
#pragma once

#include "tools/bench/bench_env.h"

namespace af::bench {

void bench_gateway(bench_env& env, int clients, double seconds);

}  // namespace af::bench
