#include "engine/notifications.h"

#include <fmt/format.h>
#include <xxhash.h>

#include <nlohmann/json.hpp>

#include "workers/domain/notice_templates.h"

namespace af::engine {

std::string message_key(const std::string& notification_id) {
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 base32
  std::uint64_t h = XXH3_64bits(notification_id.data(), notification_id.size());
  std::string key;
  for (int i = 0; i < 8; ++i, h >>= 5) key += alphabet[h & 31];
  return key;
}

namespace {

std::string state_of(const std::string& body_json) {
  auto j = nlohmann::json::parse(body_json, nullptr, false);
  return j.is_object() && j.contains("state") && j["state"].is_string()
             ? j["state"].get<std::string>()
             : "";
}

}  // namespace

std::vector<msg::notify_task> channel_tasks(const msg::notify_task& n,
                                            const std::optional<employee_row>& recipient,
                                            const std::string& instance_id) {
  msg::notify_task base = n;
  base.message_key = message_key(n.notification_id);
  // From a hash: ids hold employee ids, which are free text in the org CSV.
  XXH128_hash_t h = XXH3_128bits(n.notification_id.data(), n.notification_id.size());
  base.message_id = fmt::format("<{:016x}{:016x}@{}.assessflow>", h.high64, h.low64, instance_id);
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
  add("file", "", "");  // always: the archive of what was sent, and the default channel
  if (recipient && !recipient->email.empty()) add("smtp", recipient->email, "-smtp");
  if (recipient && !recipient->chat_id.empty() && notice::is_prompt(n.kind) &&
      !notice::state_reveals_result(state_of(n.body_json)))
    add("chat", recipient->chat_id, "-chat");
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
