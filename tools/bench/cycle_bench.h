// cycle_bench.h: drives an N-case competency50 cycle to final with
// scripted reviews and bulk approvals over the admin socket.
#pragma once

#include "tools/bench/bench_env.h"

namespace af::bench {

void bench_cycle(bench_env& env, int cases, std::size_t batch);
// Sends one self (or supervisor) review per case of `cases` (rows of the
// `cases` reply), `batch` per transaction; returns how many applied.
long submit_all(bench_env& env, const json& cases, bool supervisor, std::size_t batch);

}  // namespace af::bench
