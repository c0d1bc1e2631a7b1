// admin_api.h: the JSON admin API (DESIGN.md "Admin requests"): one JSON
// object in, one JSON object out, {"ok": true, ...} or {"ok": false,
// "error": "one line"}. The caller runs handle() inside a transaction;
// each request is a savepoint, so a refused request changes nothing while
// the others of its group (or of a `batch`) still apply.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/case_service.h"

namespace af::engine {

class admin_api {
 public:
  using stats_source = std::function<json()>;  // live figures: tasks, workers, ingest
  using employee_listener = std::function<void(const std::string&)>;
  using schedule_source = std::function<json(std::int64_t now)>;
  void on_schedule(schedule_source f) { schedule_ = std::move(f); }

  admin_api(store& db, case_service& cases, stats_source stats, employee_listener on_employee)
      : db_(db), cases_(cases), stats_(std::move(stats)), on_employee_(std::move(on_employee)) {}

  // The most cases one `cases` page may ask for ("limit").
  static constexpr std::int64_t max_page = 100000;

  // Handles one request message; returns the reply text.
  std::string handle(std::string_view message, std::int64_t now, outbox& out);

 private:
  json handle_one(const json& req, std::int64_t now, outbox& out);
  result<json> dispatch(const json& req, std::int64_t now, outbox& out);
  result<json> import_org(const json& req);
  result<json> bulk(action act, const json& req, std::int64_t now, outbox& out);
  result<json> list_cases(const json& req);
  result<json> stats();

  store& db_;
  case_service& cases_;
  stats_source stats_;
  employee_listener on_employee_;
  schedule_source schedule_;
};

inline constexpr std::size_t max_admin_message_bytes = 16u << 20;

}  // namespace af::engine
