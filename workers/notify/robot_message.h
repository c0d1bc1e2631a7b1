// robot_message.h: what the notify worker says to a chat robot and how it
// reads the answer, pure, no I/O, no clock (robot_sender.h posts it):
//   WeCom group robot   POST URL  {"msgtype":"markdown",
//                                  "markdown":{"content":TEXT}}
//                       a mention is "<@USERID>" inside TEXT;
//   DingTalk robot      POST URL[&timestamp=MS&sign=SIGN]
//                                 {"msgtype":"markdown",
//                                  "markdown":{"title":T,"text":TEXT},
//                                  "at":{"atUserIds":[ID],"isAtAll":false}}
//                       a mention needs both atUserIds and "@ID" in TEXT.
// Both answer HTTP 200 with {"errcode":N,"errmsg":"..."}; errcode 0 is
// taken. Their rate limit is 20 messages a minute per robot, which
// robot_throttle keeps on this side.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>

#include "workers/notify/delivery.h"
#include "workers/notify/webhooks.h"

namespace af::worker {

// The WeCom body; TEXT is `markdown`, then "\n<@CHAT_ID>" when `chat_id`
// is not empty. Invalid UTF-8 is replaced (U+FFFD), never thrown.
std::string wecom_body(const std::string& markdown, const std::string& chat_id);

// The DingTalk body; TEXT is `markdown`, then "\n\n@CHAT_ID" when
// `chat_id` is not empty, and atUserIds is [CHAT_ID] or [].
std::string dingtalk_body(const std::string& title, const std::string& markdown,
                          const std::string& chat_id);

// `url` with DingTalk's signature appended ("&" or "?" before it):
//   timestamp=MS&sign=percent-encoded(base64(HMAC-SHA256(key = secret,
//                                       message = MS + "\n" + secret)))
// The result holds the robot's key: it goes to libcurl and nowhere else.
std::string dingtalk_signed_url(const std::string& url, const std::string& secret,
                                std::int64_t timestamp_ms);

// What a robot's answer makes of a delivery: HTTP 5xx and 429 retryable,
// other non-2xx permanent; a 2xx without a JSON {"errcode": N} retryable;
// errcode 0 sent; a rate-limit or busy errcode (WeCom 45009, -1;
// DingTalk 130101, 410100, -1) retryable; any other permanent. The error
// is "KIND: HTTP 503" or "KIND: errcode N: ERRMSG" (errmsg as one
// printable line of at most 200 bytes).
delivery robot_answer(robot::kind k, long http_status, const std::string& body);

// At most `per_minute` sends per unit in any rolling 60 s window, on a
// clock the caller passes in (milliseconds). Not thread-safe.
class robot_throttle {
 public:
  // per_minute below 1 counts as 1.
  explicit robot_throttle(int per_minute = 20);

  // 0 when fewer than per_minute sends to `unit` fall in
  // (now_ms - 60000, now_ms]; else the milliseconds until enough of them
  // have left that window for one more.
  [[nodiscard]] std::int64_t wait_ms(const std::string& unit, std::int64_t now_ms) const;

  // Counts a send to `unit` at `now_ms` (and forgets the ones that left).
  void sent(const std::string& unit, std::int64_t now_ms);

 private:
  int per_minute_;
  std::map<std::string, std::deque<std::int64_t>> sends_;  // ascending times per unit
};

}  // namespace af::worker
