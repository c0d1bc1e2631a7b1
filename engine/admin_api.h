// admin_api.h: the JSON admin API (DESIGN.md "Admin requests"): one JSON
// object in, one JSON object out, {"ok": true, ...} or {"ok": false,
// "error": "one line", "code": invalid | forbidden | not_found | conflict
// | unavailable}. The caller runs handle() inside a transaction; each
// request is a savepoint, so a refused request changes nothing while the
// others of its group (or of a `batch`) still apply.
//
// Every request comes from an authenticated principal and is answered by
// DESIGN.md's table of who may send what (engine/access.h): a person acts
// only as its own employee, lists hold only what the caller may see, and a
// case the caller may not see is not_found. Every refused request is kept
// in the audit, written after its own savepoint is rolled back.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "engine/access.h"
#include "engine/case_service.h"
#include "engine/principals.h"
#include "messages/json_text.h"

namespace af::engine {

using json = msg::json;

class admin_api {
 public:
  using stats_source = std::function<json()>;  // live figures: tasks, workers, ingest
  using employee_listener = std::function<void(const std::string&)>;
  using schedule_source = std::function<json(std::int64_t now)>;
  void on_schedule(schedule_source f) { schedule_ = std::move(f); }
  // Called after a request changed the principals table (added, revoked,
  // rotated): the engine reloads its registry and rebinds the events socket.
  void on_principals_changed(std::function<void()> f) { principals_changed_ = std::move(f); }
  // Called with every request's command ("unknown" for one that names
  // none of the admin API) and outcome ("ok" or the error's code).
  using answer_listener = std::function<void(std::string_view command, std::string_view outcome)>;
  void on_answered(answer_listener f) { answered_ = std::move(f); }

  admin_api(store& db, case_service& cases, principal_registry& principals, stats_source stats,
            employee_listener on_employee)
      : db_(db),
        cases_(cases),
        principals_(principals),
        stats_(std::move(stats)),
        on_employee_(std::move(on_employee)) {}

  // The most cases one `cases` reply holds ("limit", DESIGN.md), and its default.
  static constexpr std::int64_t max_page = 10000;
  // The most audit rows one `audit` reply holds.
  static constexpr std::int64_t max_audit_rows = 100000;
  static constexpr std::int64_t max_task_rows = 10000;   // a `tasks` reply
  static constexpr std::int64_t max_event_rows = 10000;  // a `case_events.since` reply
  // The most requests in one `batch`.
  static constexpr std::size_t max_batch = 10000;

  // Handles one request message from `caller`; returns the reply text.
  std::string handle(const principal& caller, std::string_view message, std::int64_t now,
                     outbox& out);

  // The reply to a refused message, with its code: {"ok": false, "error", "code"}.
  static std::string refusal(const status& why);

 private:
  viewer viewer_of(const principal& p);
  // handle() without writing the reply; `cmd` is the request's command once known.
  json answer(const principal& caller, std::string_view message, std::int64_t now, outbox& out,
              std::string& cmd);
  // The request's "cmd", or "?" (for the audit).
  static std::string command_of(const json& req);
  // DESIGN.md "HTTP gateway": a request from the gateway principal carries
  // its caller's bearer token, and is answered as the token's principal
  // (`behind`), with the token taken out of `req`. Forbidden when the
  // gateway sends no token or one of nobody's; Invalid when anyone else
  // sends a token.
  status take_token(const principal& caller, json& req, std::optional<principal>& behind);
  json handle_one(const viewer& v, const json& req, std::int64_t now, outbox& out);
  result<json> dispatch(const viewer& v, const json& req, std::int64_t now, outbox& out);
  // Forbidden unless the caller may manage the organisation: an hr or
  // admin person, an admin service, or a portal acting `as` such a person.
  result<std::string> manager_as(const viewer& v, const json& req);
  // engine/admin_org.cpp: org.import.
  result<json> import_org(const viewer& v, const json& req, std::int64_t now);
  // engine/admin_cases.cpp: grades (movement between grades over a period).
  result<json> grades(const json& req, const std::optional<std::string>& hrbp_only);
  result<json> inventory(const json& req, const std::optional<std::string>& hrbp_only);
  // Forbidden when `rows` grant or remove admin or chairman and neither the
  // caller nor the person `by` a portal acts for has admin rights.
  status may_change_top_roles(const viewer& v, const std::string& by,
                              const std::vector<employee_row>& rows);
  // engine/admin_cases.cpp: the case commands. Each reads its request into
  // the case service's types, calls it or a view, and writes the reply.
  result<json> cycle_start(const viewer& v, const json& req, std::int64_t now, outbox& out);
  result<json> report(const json& req, const std::optional<std::string>& hrbp_only);
  result<json> raters_add(const viewer& v, const json& req, std::int64_t now);
  result<json> standards_show(const json& req);
  result<json> standards_adjust(const viewer& v, const json& req, std::int64_t now);
  result<json> overdue(const json& req, std::int64_t now,
                       const std::optional<std::string>& hrbp_only);
  result<json> case_show(const viewer& v, const json& req);
  result<json> sales_or_rollup(const viewer& v, const std::string& cmd, const json& req);
  result<json> plan_show(const viewer& v, const json& req);
  result<json> plan_done(const viewer& v, const json& req, std::int64_t now);
  result<json> case_action(const viewer& v, action act, const json& req, std::int64_t now,
                           outbox& out);
  result<json> bulk(const viewer& v, action act, const std::string& as, const json& req,
                    std::int64_t now, outbox& out);
  result<json> list_cases(const viewer& v, const json& req);
  // Every cycle the caller has a visible case in (every cycle for those who
  // see all), with its cases per state and how many are final or cancelled.
  result<json> list_cycles(const viewer& v);
  result<json> stats();
  // engine/admin_principals.cpp: principals.* and audit.
  result<json> principals_cmd(const viewer& v, const std::string& cmd, const json& req,
                              std::int64_t now);
  result<json> audit_list(const json& req);
  // The request's `limit`: `fallback` when absent, else a whole number 1..max.
  static result<std::int64_t> limit_of(const json& req, std::int64_t fallback, std::int64_t max);
  // engine/admin_tasks.cpp: tasks and tasks.retry.
  result<json> tasks_list(const json& req);
  result<json> tasks_retry(const json& req, outbox& out);
  // engine/admin_events.cpp: case_events.since.
  result<json> case_events_since(const json& req);

 public:
  void set_event_retention_days(int days) { event_retention_days_ = days; }

 private:
  int event_retention_days_ = 30;
  void audit(const viewer& v, const std::string& command, const status& why, std::int64_t now);

  store& db_;
  case_service& cases_;
  principal_registry& principals_;
  stats_source stats_;
  employee_listener on_employee_;
  schedule_source schedule_;
  std::function<void()> principals_changed_;
  answer_listener answered_;
};

inline constexpr std::size_t max_admin_message_bytes = 16u << 20;

// The admin reply's code of a status (DESIGN.md "Errors").
std::string_view error_code_of(status_code c);

}  // namespace af::engine
