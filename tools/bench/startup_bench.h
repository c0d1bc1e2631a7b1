// startup_bench.h: what stored events cost the engine at start: the time
// to load their fingerprints (the dedup set) and the memory they hold, at
// N events written straight into a fresh store.
#pragma once

#include <cstddef>

#include "tools/bench/bench_env.h"

namespace af::bench {

// Starts the engine empty, stops it, writes `events` inquiries into its
// database with one SQL statement, starts it again; prints the time until
// it answers, its resident memory and the bytes per stored event.
void bench_startup(bench_env& env, std::size_t events);

}  // namespace af::bench
