// robot_sender.h: posts robot_message.h bodies to a WeCom or DingTalk
// group robot with libcurl (Debian's libcurl4-openssl-dev), one handle
// kept across posts so the TLS connection to the robot's host is reused.
// POST URL, "Content-Type: application/json", the body as given; a
// DingTalk robot with a secret gets its URL signed at the time of the
// post. The answer decides the delivery (robot_answer); no connection, a
// TLS failure or a timeout are retryable with libcurl's one-line text of
// the failure (curl_easy_strerror, which never holds the URL). No error
// holds the URL or the secret: both are the robot's keys.
// Not thread-safe; one sender per thread. The process calls
// curl_global_init once before making one (the notify worker's main).
#pragma once

#include <cstdint>
#include <string>

#include "workers/notify/delivery.h"
#include "workers/notify/robot_message.h"  // the bodies to post, robot_throttle
#include "workers/notify/webhooks.h"

namespace af::worker {

struct robot_sender_config {
  long connect_timeout_ms = 3000;
  long timeout_ms = 6000;  // the whole post, connection included
};

class robot_sender {
 public:
  explicit robot_sender(robot_sender_config cfg = {});
  ~robot_sender();
  robot_sender(const robot_sender&) = delete;
  robot_sender& operator=(const robot_sender&) = delete;

  // Posts `json_body` to `r` (signed at `now_ms`, Unix milliseconds, for a
  // DingTalk robot with a secret). A URL check_robot_url refuses is
  // permanent without a connection; no libcurl handle is retryable.
  delivery post(const robot& r, const std::string& json_body, std::int64_t now_ms);

 private:
  robot_sender_config cfg_;
  void* curl_ = nullptr;  // CURL*
};

}  // namespace af::worker
