// token_guard.h: guessing tokens does not pay. A peer address whose
// requests the engine refused for their token `limit` times within a
// window is answered 429 for the rest of that window without the request
// reaching the engine (so neither the engine's audit nor its loop is
// flooded). Pure: the caller passes the time.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace af::gateway {

class token_guard {
 public:
  explicit token_guard(int limit = 10, std::int64_t window_ms = 60'000)
      : limit_(limit), window_ms_(window_ms) {}

  // Milliseconds `peer` must still wait at `now_ms`; 0 when it may ask.
  [[nodiscard]] std::int64_t wait_ms(const std::string& peer, std::int64_t now_ms) const {
    auto it = peers_.find(peer);
    if (it == peers_.end() || it->second.refused < limit_) return 0;
    std::int64_t left = it->second.window_start_ms + window_ms_ - now_ms;
    return left > 0 ? left : 0;
  }

  // The engine refused a token `peer` sent.
  void refused(const std::string& peer, std::int64_t now_ms) {
    if (peers_.size() > 10'000) peers_.clear();  // bounded: forget everyone rather than grow
    auto& e = peers_[peer];
    if (e.refused == 0 || now_ms - e.window_start_ms >= window_ms_) e = {now_ms, 0};
    ++e.refused;
  }

 private:
  struct entry {
    std::int64_t window_start_ms = 0;
    int refused = 0;
  };
  int limit_;
  std::int64_t window_ms_;
  std::map<std::string, entry> peers_;
};

}  // namespace af::gateway
