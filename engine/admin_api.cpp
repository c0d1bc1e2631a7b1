#include "engine/admin_api.h"

#include "base/checked.h"
#include "base/civil_time.h"
#include "engine/admin_fields.h"
#include "messages/bearer_token.h"

namespace af::engine {
namespace {

json failure(const status& why) {
  return json{
      {"ok", false}, {"error", why.message()}, {"code", std::string(error_code_of(why.code()))}};
}

json success(json body) {
  json out{{"ok", true}};
  if (body.is_object())
    for (auto it = body.begin(); it != body.end(); ++it) out[it.key()] = it.value();
  return out;
}

}  // namespace

std::string_view error_code_of(status_code c) {
  switch (c) {
    case status_code::invalid_argument:
      return "invalid";
    case status_code::forbidden:
      return "forbidden";
    case status_code::not_found:
      return "not_found";
    case status_code::conflict:
      return "conflict";
    case status_code::ok:
      return "ok";
    case status_code::corruption:
    case status_code::io_error:
      return "unavailable";
  }
  return "unavailable";
}

std::string admin_api::refusal(const status& why) { return failure(why).dump(); }

viewer admin_api::viewer_of(const principal& p) {
  viewer v;
  v.who = &p;
  if (p.person)
    if (auto e = db_.find_employee(p.employee_id); e && e->active) v.org_roles = e->roles;
  return v;
}

std::string admin_api::handle(const principal& caller, std::string_view message, std::int64_t now,
                              outbox& out) {
  std::string cmd = "?";
  json reply = answer(caller, message, now, out, cmd);
  if (answered_) {
    bool ok = reply.value("ok", false);
    std::string_view known = cmd == "batch" || gate_of(cmd) ? std::string_view(cmd) : "unknown";
    answered_(known, ok ? std::string_view("ok") : std::string_view(reply.value("code", "?")));
  }
  return msg::dump_fixed2(reply);
}

json admin_api::answer(const principal& caller, std::string_view message, std::int64_t now,
                       outbox& out, std::string& cmd) {
  // A copy: principals.* reload the registry the caller points into.
  principal self = caller;
  viewer v = viewer_of(self);
  if (message.size() > max_admin_message_bytes) {
    status why = status::invalid("request of " + std::to_string(message.size()) +
                                 " bytes exceeds the limit");
    audit(v, "?", why, now);
    return failure(why);
  }
  if (!msg::json_depth_within(message)) {
    status why = status::invalid("request nests arrays or objects deeper than " +
                                 std::to_string(msg::max_json_depth));
    audit(v, "?", why, now);
    return failure(why);
  }
  json req = json::parse(message, nullptr, false);
  cmd = command_of(req);
  if (req.is_discarded()) {
    auto fault = msg::json_fault_of(message);
    status why =
        status::invalid(fault ? msg::describe(*fault, "request", "request is not valid JSON")
                              : "request is not valid JSON");
    audit(v, "?", why, now);
    return failure(why);
  }
  std::optional<principal> behind;
  if (status s = take_token(self, req, behind); !s) {
    audit(v, command_of(req), s, now);
    json reply = failure(s);
    // No token, or one that stands for nobody: the gateway answers 401.
    if (self.has(capability::gateway)) reply["token_refused"] = true;
    return reply;
  }
  if (behind) v = viewer_of(*behind);
  return handle_one(v, req, now, out);
}

std::string admin_api::command_of(const json& req) {
  if (!req.is_object() || !req.contains("cmd") || !req["cmd"].is_string()) return "?";
  return req["cmd"].get<std::string>();
}

status admin_api::take_token(const principal& caller, json& req, std::optional<principal>& behind) {
  bool carries = req.is_object() && req.contains("token");
  if (!caller.has(capability::gateway)) {
    if (carries)
      return status::invalid(
          "token: only the gateway forwards tokens; this connection's key is its principal");
    return status();
  }
  // The gateway holds no rights of its own: every request is its caller's.
  if (!carries)
    return status::forbidden("principal " + caller.describe() +
                             " only forwards callers' tokens; this request has none");
  const json& token = req["token"];
  if (!token.is_string() || token.get_ref<const std::string&>().size() > msg::max_token_chars)
    return status::forbidden("token: unknown or revoked");
  if (principals_.stale()) principals_.reload(db_);  // throws sqlite_error: the group fails
  const principal* p = principals_.by_token_hash(msg::token_hash(token.get<std::string>()));
  if (!p) return status::forbidden("token: unknown or revoked");
  behind = *p;
  req.erase("token");
  return status();
}

json admin_api::handle_one(const viewer& v, const json& req, std::int64_t now, outbox& out) {
  if (!req.is_object()) {
    status why = status::invalid("request must be a JSON object with a \"cmd\"");
    audit(v, "?", why, now);
    return failure(why);
  }
  std::string cmd =
      req.contains("cmd") && req["cmd"].is_string() ? req["cmd"].get<std::string>() : "?";
  if (cmd == "batch") {
    if (!req.contains("requests") || !req["requests"].is_array()) {
      status why = status::invalid("requests: missing (an array of requests)");
      audit(v, cmd, why, now);
      return failure(why);
    }
    if (req["requests"].size() > max_batch) {
      status why =
          status::invalid("requests: " + std::to_string(req["requests"].size()) +
                          " requests, at most " + std::to_string(max_batch) + " in one batch");
      audit(v, cmd, why, now);
      return failure(why);
    }
    json results = json::array();
    for (const auto& r : req["requests"]) {
      if (r.is_object() && r.value("cmd", json()) == "batch") {
        status why = status::invalid("cmd: a batch cannot contain a batch");
        audit(v, "batch", why, now);
        results.push_back(failure(why));
        continue;
      }
      results.push_back(handle_one(v, r, now, out));
    }
    return json{{"ok", true}, {"results", results}};
  }
  outbox mine;
  auto& work = db_.work();
  work.savepoint();
  status why;
  try {
    auto r = dispatch(v, req, now, mine);
    if (r) {
      work.release();
      out.append(std::move(mine));
      return success(std::move(r).value());
    }
    why = r.error();
  } catch (const sqlite_error& e) {
    why = (e.code & 0xff) == SQLITE_FULL
              ? status::io_error("not applied: the disk is full; retry once space is freed")
              : status::io_error(std::string("store error, nothing changed: ") + e.what());
  } catch (const json::exception& e) {
    why = status::invalid(std::string("malformed request: ") + e.what());
  } catch (const checked::overflow& e) {  // stored figures too large to add up: nothing to retry
    why = status::conflict(e.what());
  } catch (const std::exception& e) {  // a bug must cost this request, never the engine
    why = status::corruption(std::string("request failed, nothing changed: ") + e.what());
  }
  work.rollback_to();  // throws transaction_lost when the whole group is gone
  audit(v, cmd, why, now);
  return failure(why);
}

void admin_api::audit(const viewer& v, const std::string& command, const status& why,
                      std::int64_t now) {
  // After the request's own savepoint is gone, so the row stays with the group.
  db_.add_audit({0, now, v.who ? v.who->name : "?", "admin", command.substr(0, 64),
                 why.message().substr(0, 500)});
}

result<std::string> admin_api::manager_as(const viewer& v, const json& req) {
  auto as = opt_string(req, "as");
  if (!as) return as.error();
  if (v.manages_org()) {
    if (!*as) return v.who->name;
    return v.person() ? resolve_as(v, *as) : result<std::string>(**as);
  }
  // A portal acts for a person, who must hold hr or admin.
  auto resolved = resolve_as(v, *as);
  if (!resolved) return resolved.error();
  auto who = parse_actor(*resolved);
  if (!who) return who.error();
  auto e = db_.find_employee(who->id);
  auto roles = e && e->active ? e->roles : std::set<role>{};
  if ((who->claimed != role::hr && who->claimed != role::admin) || !roles.count(who->claimed))
    return status::forbidden(
        "principal " + v.who->name + " acts for " + who->to_string() +
        ": an active employee holding the hr or admin role, claimed as such, is needed");
  return *resolved;
}

result<json> admin_api::dispatch(const viewer& v, const json& req, std::int64_t now, outbox& out) {
  if (!req.contains("cmd") || !req["cmd"].is_string()) return status::invalid("cmd: missing");
  std::string cmd = req["cmd"].get<std::string>();
  auto g = gate_of(cmd);
  if (!g) return status::invalid("cmd: unknown command \"" + cmd + "\"");
  if (*g == gate::reporter && v.person() && !v.sees_all()) {
    // Only reports ask whether a person is an HRBP: a scan of the
    // employees, not worth paying on every other request.
    viewer hrbp = v;
    hrbp.is_hrbp = db_.is_hrbp(v.employee_id());
    if (status s = pass_gate(hrbp, *g, cmd); !s) return s;
  } else if (status s = pass_gate(v, *g, cmd); !s) {
    return s;
  }
  // Only what an HRBP looks after, for one who sees no more than that.
  std::optional<std::string> hrbp_only;
  if (!v.sees_all()) hrbp_only = v.employee_id();

  if (cmd == "org.import") return import_org(v, req, now);
  if (cmd == "cycle.start") return cycle_start(v, req, now, out);
  if (cmd == "report") return report(req, hrbp_only);
  if (cmd == "raters.add") return raters_add(v, req, now);
  if (cmd == "standards") return standards_show(req);
  if (cmd == "standards.adjust") return standards_adjust(v, req, now);
  if (cmd == "overdue") return overdue(req, now, hrbp_only);
  if (cmd == "grades") return grades(req, hrbp_only);
  if (cmd == "inventory") return inventory(req, hrbp_only);
  if (cmd == "cases") return list_cases(v, req);
  if (cmd == "cycles") return list_cycles(v);
  if (cmd == "case.show") return case_show(v, req);
  if (cmd == "stats") return stats();
  if (cmd == "schedule") {
    if (!schedule_) return status::invalid("schedule: the engine runs without schedules");
    return schedule_(now);
  }
  if (cmd == "sales" || cmd == "rollup") return sales_or_rollup(v, cmd, req);
  if (cmd == "plan.show") return plan_show(v, req);
  if (cmd == "plan.done") return plan_done(v, req, now);
  if (cmd.rfind("principals.", 0) == 0) return principals_cmd(v, cmd, req, now);
  if (cmd == "audit") return audit_list(req);
  if (cmd == "tasks") return tasks_list(req);
  if (cmd == "tasks.retry") return tasks_retry(req, out);
  if (cmd == "case_events.since") return case_events_since(req);
  if (cmd == "resolve") {
    auto act = resolution_of(req);
    if (!act) return act.error();
    return case_action(v, *act, req, now, out);
  }
  if (auto act = action_of_cmd(cmd)) return case_action(v, *act, req, now, out);
  return status::invalid("cmd: unknown command \"" + cmd + "\"");
}

result<json> admin_api::list_cases(const viewer& v, const json& req) {
  case_filter f;
  for (auto [key, field] : {std::pair{"state", &f.state},
                            {"unit", &f.unit},
                            {"program", &f.program},
                            {"period", &f.period}}) {
    auto o = opt_string(req, key);
    if (!o) return o.error();
    *field = *o;
  }
  if (req.contains("cycle") && !req["cycle"].is_null()) {
    if (!req["cycle"].is_number_integer())
      return status::invalid("cycle: must be a cycle id number");
    f.cycle_id = req["cycle"].get<std::int64_t>();
  }
  // Paging: "limit" cases (default and most: max_page) with ids above
  // "after"; "next_after" in the reply when more follow.
  if (req.contains("after") && !req["after"].is_null()) {
    if (!req["after"].is_number_integer() || req["after"].get<std::int64_t>() < 0)
      return status::invalid("after: must be a case id number (list the cases above it)");
    f.after_id = req["after"].get<std::int64_t>();
  }
  std::optional<std::int64_t> limit = max_page;  // DESIGN.md: at most 10,000 rows a reply
  if (req.contains("limit") && !req["limit"].is_null()) {
    if (!req["limit"].is_number_integer() || req["limit"].get<std::int64_t>() < 1 ||
        req["limit"].get<std::int64_t>() > max_page)
      return status::invalid("limit: must be a whole number from 1 to " + std::to_string(max_page));
    limit = req["limit"].get<std::int64_t>();
  }
  f.limit = *limit + 1;  // one more tells whether another page follows
  // A caller who does not see every case reads only the cases they are a
  // party to (the store narrows them), and of those what view_of allows.
  bool everything = v.sees_all();
  if (!everything) {
    if (v.employee_id().empty()) return json{{"cases", json::array()}};
    f.visible_to = v.employee_id();
  }
  json list = json::array();
  std::int64_t last = 0, examined = 0;
  bool more = false;
  std::vector<case_row> rows;  // a party's cases: few, and rates_now reads the store
  db_.for_each_case(f, [&](const case_row& c) {
    if (limit && examined == *limit) {
      more = true;
      return;
    }
    ++examined;
    last = c.id;
    if (everything)
      list.push_back(case_views::summary(c));
    else
      rows.push_back(c);
  });
  for (const auto& c : rows) {
    case_view view = view_of(v, c, cases_.rates_now(c, v.employee_id()));
    if (view != case_view::hidden) list.push_back(case_views::summary(c, view));
  }
  json reply{{"cases", std::move(list)}};
  if (more) reply["next_after"] = last;
  return reply;
}

result<json> admin_api::list_cycles(const viewer& v) {
  // Counts of the cases the caller may see: every case for sees_all, else
  // the caller's own, their reports' and so on (as `cases` lists them); a
  // cycle without one of those is not listed.
  std::map<std::int64_t, std::map<std::string, std::int64_t>> counts;
  if (v.sees_all()) {
    counts = db_.case_counts_by_cycle();
  } else if (!v.employee_id().empty()) {
    case_filter f;
    f.visible_to = v.employee_id();
    std::vector<case_row> rows;
    db_.for_each_case(f, [&](const case_row& c) { rows.push_back(c); });
    for (const auto& c : rows)
      if (view_of(v, c, cases_.rates_now(c, v.employee_id())) != case_view::hidden)
        ++counts[c.cycle_id][c.state];
  }
  json list = json::array();
  for (const auto& c : db_.all_cycles()) {
    auto it = counts.find(c.id);
    if (it == counts.end() && !v.sees_all()) continue;
    std::int64_t total = 0, finished = 0;
    json by_state = json::object();
    if (it != counts.end())
      for (const auto& [state, n] : it->second) {
        by_state[state] = n;
        total += n;
        if (state == "final" || state == "cancelled") finished += n;
      }
    list.push_back({{"id", c.id},
                    {"program", c.program},
                    {"period", c.period},
                    {"unit", c.unit ? json(*c.unit) : json(nullptr)},
                    {"opened_at", c.opened_at},
                    {"cases", total},
                    {"finished", finished},
                    {"states", by_state}});
  }
  return json{{"cycles", std::move(list)}};
}

result<json> admin_api::stats() {
  json s = stats_ ? stats_() : json::object();
  s["cases"] = db_.case_counts_by_state();
  json tasks = s.value("tasks", json::object());
  for (const auto& [state, n] : db_.task_counts_by_state())
    if (state != "queued") tasks[state] = n;
  s["tasks"] = tasks;
  // Who is told only through DATA/notifications (engine/notifications.h).
  std::int64_t unreachable = db_.employees_without_channel();
  s["people_without_channel"] = unreachable;
  json warnings = s.value("warnings", json::array());
  if (unreachable > 0)
    warnings.push_back(std::to_string(unreachable) +
                       " active people have no email or chat_id in the org: their notifications "
                       "go to the file channel only");
  if (!warnings.empty()) s["warnings"] = warnings;
  return s;
}

}  // namespace af::engine
