// refusal_limiter.h: at most one log line and audit row per peer and
// minute for refusals a peer can repeat at will (handshakes retried every
// 100 ms, results sent in a loop, events from a key without `ingest`), so
// a misconfigured or hostile client cannot fill the log or the audit. The
// next line that is let through counts the ones held back.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace af::engine {

class refusal_limiter {
 public:
  explicit refusal_limiter(std::int64_t window_ms = 60'000) : window_ms_(window_ms) {}
  // Whether a refusal of `peer` at `now_ms` should be written; when it
  // should, `held_back` is how many were not since the last one written.
  bool let_through(const std::string& peer, std::int64_t now_ms, std::int64_t& held_back) {
    auto& e = peers_[peer];
    if (e.written_at_ms != 0 && now_ms - e.written_at_ms < window_ms_) {
      ++e.held_back;
      return false;
    }
    held_back = e.held_back;
    e = {now_ms, 0};
    if (peers_.size() > 10'000) peers_.clear();  // bounded: forget everyone rather than grow
    return true;
  }

 private:
  struct entry {
    std::int64_t written_at_ms = 0, held_back = 0;
  };
  std::int64_t window_ms_;
  std::map<std::string, entry> peers_;
};

}  // namespace af::engine
