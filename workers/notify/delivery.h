// delivery.h: what became of one attempt to deliver a notification on an
// outside channel (an SMTP server, a chat robot), as the notify worker
// answers it to the engine (msg::notify_result):
//   sent       the server took it;
//   retryable  not taken now, may be later: SMTP 4xx, no connection, a
//              timeout, HTTP 5xx or 429, a robot's rate-limit errcode.
//              The engine offers it again after a backoff;
//   permanent  refused for good: SMTP 5xx, HTTP 4xx, a robot's other
//              errcodes, no robot for the unit. The task is dead with
//              `error` (the server's answer) as its reason;
//   deferred   not attempted at all (this worker's own throttle, or the
//              batch's time ran out): offered again after `defer_ms`
//              without counting an attempt.
// `error` never holds a secret: no password, no robot key, no signed URL.
#pragma once

#include <cstdint>
#include <string>

namespace af::worker {

struct delivery {
  enum class outcome { sent, retryable, permanent, deferred };
  outcome what = outcome::sent;
  std::string error;          // empty when sent
  std::int64_t defer_ms = 0;  // deferred: how long to wait

  static delivery ok() { return {}; }
  static delivery retry(std::string why) { return {outcome::retryable, std::move(why), 0}; }
  static delivery refused(std::string why) { return {outcome::permanent, std::move(why), 0}; }
  static delivery later(std::string why, std::int64_t ms) {
    return {outcome::deferred, std::move(why), ms};
  }
};

}  // namespace af::worker
