// admin_tasks.cpp: the dead-letter queue over the admin API. `tasks`
// lists tasks (state, limit, after) with their attempts and last error;
// `tasks.retry` queues a dead task again (`task`) or every dead one
// (`all_dead`), its attempts reset, offered to a worker once committed.
#include "engine/admin_api.h"

namespace af::engine {

result<json> admin_api::tasks_list(const json& req) {
  std::optional<std::string> state;
  if (req.contains("state") && !req["state"].is_null()) {
    if (!req["state"].is_string()) return status::invalid("state: must be queued, done or dead");
    state = req["state"].get<std::string>();
    if (*state != "queued" && *state != "done" && *state != "dead")
      return status::invalid("state: \"" + *state + "\" is not queued, done or dead");
  }
  auto limit_or = limit_of(req, max_task_rows, max_task_rows);
  if (!limit_or) return limit_or.error();
  std::int64_t limit = *limit_or, after = 0;
  if (req.contains("after") && !req["after"].is_null()) {
    if (!req["after"].is_number_integer() || req["after"].get<std::int64_t>() < 0)
      return status::invalid("after: must be a task id");
    after = req["after"].get<std::int64_t>();
  }
  json rows = json::array();
  auto found =
      db_.list_tasks(state, after, limit + 1);  // one more tells whether there is a next page
  bool more = static_cast<std::int64_t>(found.size()) > limit;
  if (more) found.pop_back();
  for (const auto& t : found) {
    json row{{"id", t.id},
             {"case", t.case_id ? json(t.case_id) : json(nullptr)},
             {"kind", t.kind},
             {"state", t.state},
             {"attempts", t.attempts},
             {"created_at", t.created_at},
             {"done_at", t.done_at ? json(*t.done_at) : json(nullptr)},
             {"last_error", t.error ? json(*t.error) : json(nullptr)}};
    rows.push_back(std::move(row));
  }
  json out{{"tasks", rows}};
  out["next_after"] = more ? json(found.back().id) : json(nullptr);
  return out;
}

result<json> admin_api::tasks_retry(const json& req, outbox& out) {
  bool all = req.contains("all_dead") && req["all_dead"] == true;
  if (all == req.contains("task"))
    return status::invalid("give task (a task id) or all_dead: true, not both");
  std::vector<std::int64_t> ids;
  if (all) {
    ids = db_.dead_task_ids();
  } else {
    if (!req["task"].is_number_integer()) return status::invalid("task: must be a task id");
    ids.push_back(req["task"].get<std::int64_t>());
  }
  json retried = json::array();
  for (auto id : ids) {
    auto row = db_.revive_task(id);
    if (!row) {
      if (all) continue;
      auto listed = db_.list_tasks(std::nullopt, id - 1, 1);
      if (listed.empty() || listed.front().id != id)
        return status::not_found("task " + std::to_string(id) + " does not exist");
      return status::conflict("task " + std::to_string(id) + " is " + listed.front().state +
                              ", not dead");
    }
    auto type = task_type_of(row->kind);
    if (!type)
      return status::corruption("task " + std::to_string(id) + " has an unknown kind " + row->kind);
    out.tasks.push_back({row->id, *type, row->case_id, 0, std::move(row->payload), row->version});
    retried.push_back(id);
  }
  return json{{"retried", retried}};
}

}  // namespace af::engine
