// clock.h: the engine's source of business time (timestamps, schedules,
// deadlines), so tests and demonstrations can drive it. Leases and
// heartbeats use real monotonic time instead (engine_internal.h steady_ms).
#pragma once

#include <chrono>
#include <cstdint>

namespace af::engine {

class clock {
 public:
  virtual ~clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t now_ms() const = 0;
  std::int64_t now_s() const { return now_ms() / 1000; }
};

class system_clock final : public clock {
 public:
  std::int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  }
};

// A clock that starts at `start_ms` and runs `rate` times faster than real
// time (assess-engine --clock-start/--clock-rate).
class scaled_clock final : public clock {
 public:
  scaled_clock(std::int64_t start_ms, double rate)
      : start_ms_(start_ms), rate_(rate), origin_(steady::now()) {}
  std::int64_t now_ms() const override {
    auto real =
        std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - origin_).count();
    return start_ms_ + static_cast<std::int64_t>(static_cast<double>(real) * rate_);
  }

 private:
  using steady = std::chrono::steady_clock;
  std::int64_t start_ms_;
  double rate_;
  steady::time_point origin_;
};

}  // namespace af::engine
