// delivery_counts.h: what became of the notify tasks of each channel
// (file, smtp, chat) since the engine started, for `stats` and metrics:
//   sent      the worker delivered it (or had already);
//   retried   a temporary failure, offered again after a backoff;
//   failed    dead: a permanent failure or its attempts used up;
//   deferred  the worker did not attempt it (its throttle, its time ran
//             out) and asked for it again later.
// Counted as the result is applied; a sent or failed count is taken back
// if its group rolls back (the task is offered and counted again).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

namespace af::engine {

class delivery_counts {
 public:
  enum outcome { sent, retried, failed, deferred };
  void add(const std::string& channel, outcome o, std::int64_t n = 1) {
    counts_[channel.empty() ? "file" : channel][o] += n;
  }
  [[nodiscard]] std::int64_t get(const std::string& channel, outcome o) const {
    auto it = counts_.find(channel);
    return it == counts_.end() ? 0 : it->second[o];
  }
  // channel -> counts by outcome (in the enum's order)
  [[nodiscard]] const std::map<std::string, std::array<std::int64_t, 4>>& all() const {
    return counts_;
  }
  // {"smtp": {"sent": 3, "retried": 1, "failed": 0, "deferred": 0}, ...}
  [[nodiscard]] nlohmann::json to_json() const {
    auto out = nlohmann::json::object();
    for (const auto& [channel, c] : counts_)
      out[channel] = {{"sent", c[sent]},
                      {"retried", c[retried]},
                      {"failed", c[failed]},
                      {"deferred", c[deferred]}};
    return out;
  }

 private:
  std::map<std::string, std::array<std::int64_t, 4>> counts_;
};

}  // namespace af::engine
