// cycle_bench.h: drives an N-case competency50 cycle to final with
// scripted reviews and bulk approvals over the admin socket.
#pragma once

#include "tools/bench/bench_env.h"

namespace af::bench {

void bench_cycle(bench_env& env, int cases, std::size_t batch);

}  // namespace af::bench
