#include "engine/notifications.h"

#include <xxhash.h>

#include "workers/domain/notice_templates.h"

namespace af::engine {

std::string message_key(const std::string& notification_id) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 base32
  std::uint64_t h = XXH3_64bits(notification_id.data(), notification_id.size());
  std::string key;
  for (int i = 0; i < 8; ++i, h >>= 5) key += alphabet[h & 31];
  return key;
}

std::vector<msg::notify_task> channel_tasks(const msg::notify_task& n,
                                            const std::optional<employee_row>& recipient,
                                            const std::string& instance_id) {
  msg::notify_task base = n;
  base.message_key = message_key(n.notification_id);
  base.message_id = "<" + n.notification_id + "@" + instance_id + ".assessflow>";
  if (recipient) {
    base.unit = recipient->unit;
    base.recipient_name = recipient->name;
  }
  std::vector<msg::notify_task> out;
  auto add = [&](const char* channel, const std::string& address, const std::string& suffix) {
    msg::notify_task t = base;
    t.channel = channel;
    t.address = address;
    t.notification_id += suffix;
    out.push_back(std::move(t));
  };
  if (recipient && !recipient->email.empty()) add("smtp", recipient->email, "-smtp");
  if (recipient && !recipient->chat_id.empty() && notice::is_prompt(n.kind))
    add("chat", recipient->chat_id, "-chat");
  if (out.empty()) add("file", "", "");
  return out;
}

void queue_notification(store& db, outbox& out, const msg::notify_task& n,
                        const std::string& when) {
  auto case_id = static_cast<std::int64_t>(n.case_id);
  for (const auto& t : channel_tasks(n, db.find_employee(n.recipient_id), db.instance_id())) {
    auto payload = msg::pack(t).body;
    auto id = db.insert_task(msg::message_type::notify_task, case_id, payload, when);
    out.add_task({id, msg::message_type::notify_task, case_id, 0, std::move(payload)});
  }
}

}  // namespace af::engine
