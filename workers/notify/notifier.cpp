#include "workers/notify/notifier.h"

#include "base/civil_time.h"
#include "workers/notify/notice_fields.h"
#include "workers/notify/robot_message.h"

namespace af::worker {
namespace {

msg::notify_result answer(const std::string& id, const delivery& d) {
  msg::notify_result r;
  r.notification_id = id;
  r.ok = d.what == delivery::outcome::sent;
  r.error = d.error;
  r.retryable = d.what == delivery::outcome::retryable;
  if (d.what == delivery::outcome::deferred) r.defer_ms = d.defer_ms < 1 ? 1 : d.defer_ms;
  return r;
}

// The title DingTalk shows in its notification: the chat text's first line
// without its markdown heading marks.
std::string first_line(const std::string& markdown) {
  std::string line = markdown.substr(0, markdown.find('\n'));
  auto start = line.find_first_not_of("# ");
  return start == std::string::npos ? std::string("assessflow") : line.substr(start);
}

}  // namespace

result<std::unique_ptr<notifier>> notifier::make(notifier_config cfg) {
  if ((cfg.smtp || !cfg.robots.empty()) && !cfg.templates)
    return status::invalid("e-mail and chat need the notification templates (--templates DIR)");
  std::unique_ptr<smtp_sender> smtp;
  if (cfg.smtp) {
    auto made = smtp_sender::make(*cfg.smtp);
    if (!made) return made.error();
    smtp = std::move(made).value();
  }
  auto n = std::unique_ptr<notifier>(new notifier(std::move(cfg)));
  n->smtp_ = std::move(smtp);
  return n;
}

notifier::notifier(notifier_config cfg)
    : cfg_(std::move(cfg)), sink_(cfg_.outbox), throttle_(cfg_.robot_per_minute) {}

msg::notify_result notifier::to_file(const msg::notify_task& t, const std::string& at) {
  msg::notify_result r;
  r.notification_id = t.notification_id;
  auto written =
      sink_.deliver({t.notification_id, t.recipient_id, t.kind, t.case_id, t.body_json}, at, false);
  if (!written) {  // the outbox could not be written: it may be writable later
    r.error = written.error().message();
    r.retryable = true;
    return r;
  }
  r.ok = true;
  r.already_delivered = !*written;
  return r;
}

delivery notifier::to_smtp(const msg::notify_task& t, std::int64_t now_unix_ms) {
  if (!smtp_)
    return delivery::refused(
        "channel smtp: not configured on this notify worker (start it with --smtp-url and "
        "--smtp-from)");
  auto fields = notice_fields(t);
  if (!fields) return delivery::refused(fields.error().message());
  auto texts = cfg_.templates->render(t.kind, *fields);
  if (!texts) return delivery::refused(texts.error().message());
  mail m;
  m.to = t.address;
  m.to_name = t.recipient_name;
  m.subject = texts->subject;
  m.text = texts->text;
  m.html = texts->html;
  m.message_id = t.message_id;
  m.key = t.message_key;
  m.date = rfc5322_date(now_unix_ms / 1000, cfg_.tz_offset_minutes);
  return smtp_->send(std::move(m));
}

delivery notifier::to_chat(const msg::notify_task& t, std::int64_t now_unix_ms) {
  if (cfg_.robots.empty())
    return delivery::refused(
        "channel chat: not configured on this notify worker (start it with --webhooks FILE)");
  auto robot = cfg_.robots.find(t.unit);
  if (robot == cfg_.robots.end())
    return delivery::refused("chat: no robot for unit \"" + t.unit + "\" in the webhooks file");
  if (!notice::is_prompt(t.kind))
    return delivery::refused("chat: \"" + t.kind +
                             "\" is not a prompt; a person's result never goes to a group chat");
  // The limit is the robot's: units sharing one group share its 20 a minute.
  const std::string& limit_key = robot->second.url;
  if (auto wait = throttle_.wait_ms(limit_key, now_unix_ms); wait > 0)
    return delivery::later("chat: the robot of unit \"" + t.unit + "\" is at its limit of " +
                               std::to_string(cfg_.robot_per_minute) + " messages a minute",
                           wait);
  auto fields = notice_fields(t);
  if (!fields) return delivery::refused(fields.error().message());
  auto texts = cfg_.templates->render(t.kind, *fields);
  if (!texts) return delivery::refused(texts.error().message());
  if (texts->chat.empty())
    return delivery::refused("chat: the template of \"" + t.kind + "\" has no chat text");
  std::string body = robot->second.type == robot::kind::wecom
                         ? wecom_body(texts->chat, t.address)
                         : dingtalk_body(first_line(texts->chat), texts->chat, t.address);
  throttle_.sent(limit_key, now_unix_ms);  // an attempt counts against the robot's limit
  return robots_.post(robot->second, body, now_unix_ms);
}

std::vector<msg::notify_result> notifier::handle(const std::vector<msg::envelope>& tasks,
                                                 std::int64_t now_unix_ms,
                                                 const std::function<std::int64_t()>& elapsed_ms) {
  std::string at = format_instant(now_unix_ms / 1000, cfg_.tz_offset_minutes);
  std::vector<msg::notify_result> results(tasks.size());
  std::vector<bool> filed(tasks.size(), false);
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    auto task = msg::unpack<msg::notify_task>(tasks[i]);
    if (!task) {
      results[i].error = task.error().message();
      continue;
    }
    const std::string& id = task->notification_id;
    if (task->channel == "file") {
      results[i] = to_file(*task, at);
      filed[i] = results[i].ok;
      continue;
    }
    if (task->channel != "smtp" && task->channel != "chat") {
      results[i] = answer(
          id, delivery::refused("channel \"" + task->channel + "\": unknown (file, smtp or chat)"));
      continue;
    }
    if (elapsed_ms() >= cfg_.batch_budget_ms) {  // not attempted: offered again soon
      results[i] = answer(id, delivery::later("not attempted: the batch ran out of time", 500));
      continue;
    }
    std::int64_t now = now_unix_ms + elapsed_ms();
    results[i] = answer(id, task->channel == "smtp" ? to_smtp(*task, now) : to_chat(*task, now));
  }
  if (status s = sink_.sync(); !s)  // no file write is acknowledged that is not durable
    for (std::size_t i = 0; i < tasks.size(); ++i)
      if (filed[i]) {
        results[i].ok = results[i].already_delivered = false;
        results[i].error = s.message();
        results[i].retryable = true;
      }
  return results;
}

}  // namespace af::worker
