// soak_bench.h: the engine under everything at once for N minutes:
// events streaming in, cycles opened and driven to final, admin reads,
// workers SIGKILLed every minute and the engine every --engine-kill-every
// seconds; its resident memory sampled every second, to show it flat
// after warm-up within each run of the engine.
#pragma once

#include "tools/bench/bench_env.h"

namespace af::bench {

void bench_soak(bench_env& env, double minutes, int engine_kill_every_s);

}  // namespace af::bench
