#include "workers/notify/notice_fields.h"

namespace af::worker {

using json = nlohmann::json;

result<json> notice_fields(const msg::notify_task& task) {
  json body = json::parse(task.body_json, nullptr, false);
  if (!body.is_object())
    return status::invalid("notification " + task.notification_id +
                           ": its body is not a JSON object");
  json f = json::object();
  auto copy = [&](const char* from, const char* to) {
    auto it = body.find(from);
    if (it != body.end() && !it->is_null()) f[to] = *it;
  };
  for (const char* same : {"case", "program", "period", "state", "employee_id", "waiting_on",
                           "open", "total", "reason", "outcome"})
    copy(same, same);
  if (!f.contains("case") && task.case_id) f["case"] = task.case_id;
  copy("window_end", "deadline");
  copy("due_at", "deadline");
  copy("tier", "tier");
  copy("adjusted_tier", "tier");
  copy("as", "role");
  copy("employee_id", "employee");
  copy("employee_name", "employee");
  f["recipient"] = task.recipient_name.empty() ? task.recipient_id : task.recipient_name;
  if (!task.message_key.empty()) f["key"] = task.message_key;
  return f;
}

}  // namespace af::worker
