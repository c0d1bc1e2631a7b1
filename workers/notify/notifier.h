// notifier.h: what the notify worker does with the tasks that arrive
// together (DESIGN.md "Notification channels"): each task is one channel
// of one notification (engine/notifications.h):
//   file  written once to the recipient's JSON-lines outbox (notify_sink.h);
//         every file write of the batch made durable by one sync before
//         any of them is acknowledged;
//   smtp  rendered from the templates and sent as an e-mail (smtp_sender.h)
//         with the task's Message-ID, the same on every redelivery;
//   chat  a prompt rendered as markdown and posted to the robot of the
//         recipient's unit (webhooks.h), mentioning them, at most 20 a
//         minute per robot (robot_throttle; units that share a robot URL
//         share its limit): beyond that it is deferred.
// An outside channel this worker was not given (no --smtp-url, no robot
// for the unit) makes the task dead naming what is missing. Outside sends
// stop once the batch has run `batch_budget_ms`: the rest are deferred,
// so a slow server cannot hold leases past their expiry. Results are in
// the order of the tasks; a task that does not decode gets an error.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "messages/types.h"
#include "workers/domain/notice_templates.h"
#include "workers/notify/notify_sink.h"
#include "workers/notify/robot_message.h"
#include "workers/notify/robot_sender.h"
#include "workers/notify/smtp_sender.h"
#include "workers/notify/webhooks.h"

namespace af::worker {

struct notifier_config {
  std::string outbox;                             // DATA/notifications
  int tz_offset_minutes = 480;                    // the company's zone: stamps and Date headers
  std::optional<notice::template_set> templates;  // required for smtp and chat
  std::optional<smtp_config> smtp;                // none: smtp tasks are dead
  std::map<std::string, robot> robots;            // by business unit
  int robot_per_minute = 20;
  std::int64_t batch_budget_ms = 2000;
};

class notifier {
 public:
  // Refused: an SMTP configuration smtp_sender::make refuses, outside
  // channels without templates.
  static result<std::unique_ptr<notifier>> make(notifier_config cfg);

  // The results of `tasks`, in order. `now_unix_ms` stamps them (and signs
  // DingTalk URLs); `elapsed_ms` tells how long the batch has run.
  std::vector<msg::notify_result> handle(const std::vector<msg::envelope>& tasks,
                                         std::int64_t now_unix_ms,
                                         const std::function<std::int64_t()>& elapsed_ms);

 private:
  explicit notifier(notifier_config cfg);
  msg::notify_result to_file(const msg::notify_task& t, const std::string& at);
  delivery to_smtp(const msg::notify_task& t, std::int64_t now_unix_ms);
  delivery to_chat(const msg::notify_task& t, std::int64_t now_unix_ms);

  notifier_config cfg_;
  notify_sink sink_;
  std::unique_ptr<smtp_sender> smtp_;
  robot_sender robots_;
  robot_throttle throttle_;
};

}  // namespace af::worker
