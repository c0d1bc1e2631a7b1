// feed_bench.h: sustained ingest of a mixed feed (every event type) from
// several concurrent assess-feed publishers, as operators would run it.
#pragma once

#include "tools/bench/bench_env.h"

namespace af::bench {

// Writes `publishers` shards of `events` events in total and runs one
// assess-feed per shard at once; prints events/s and ack latency.
void bench_feed(bench_env& env, std::size_t events, int publishers);

}  // namespace af::bench
