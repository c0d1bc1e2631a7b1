#include "engine/admin_api.h"

#include "base/checked.h"
#include "base/civil_time.h"

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

// Optional string field; InvalidArgument if present but not text.
result<std::optional<std::string>> opt_string(const json& req, const char* key) {
  if (!req.contains(key) || req[key].is_null()) return std::optional<std::string>();
  if (!req[key].is_string())
    return status::invalid(std::string(key) + ": must be text, got " + req[key].dump());
  return std::optional<std::string>(req[key].get<std::string>());
}

result<std::string> need_string(const json& req, const char* key) {
  auto v = opt_string(req, key);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) return status::invalid(std::string(key) + ": missing");
  return **v;
}

result<std::int64_t> need_case_id(const json& req) {
  if (!req.contains("case")) return status::invalid("case: missing");
  const json& c = req["case"];
  if (c.is_number_integer()) return c.get<std::int64_t>();
  if (c.is_string()) {
    try {
      std::size_t used = 0;
      auto id = std::stoll(c.get<std::string>(), &used);
      if (used == c.get<std::string>().size()) return static_cast<std::int64_t>(id);
    } catch (const std::exception&) {
    }
  }
  return status::invalid("case: must be a case id number, got " + c.dump());
}

std::optional<action> action_of_cmd(std::string_view cmd) {
  if (cmd == "return") return action::return_case;
  if (cmd == "scored") return std::nullopt;  // workers only
  return parse_action(cmd);
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
    if (auto e = db_.find_employee(p.employee_id); e && e->active)
      v.org_roles = org_roles_of(e->roles);
  return v;
}

std::string admin_api::handle(const principal& caller, std::string_view message, std::int64_t now,
                              outbox& out) {
  viewer v = viewer_of(caller);
  if (message.size() > max_admin_message_bytes) {
    status why = status::invalid("request of " + std::to_string(message.size()) +
                                 " bytes exceeds the limit");
    audit(v, "?", why, now);
    return failure(why).dump();
  }
  if (!msg::json_depth_within(message)) {
    status why = status::invalid("request nests arrays or objects deeper than " +
                                 std::to_string(msg::max_json_depth));
    audit(v, "?", why, now);
    return failure(why).dump();
  }
  json req = json::parse(message, nullptr, false);
  if (req.is_discarded()) {
    auto fault = msg::json_fault_of(message);
    status why =
        status::invalid(fault ? msg::describe(*fault, "request", "request is not valid JSON")
                              : "request is not valid JSON");
    audit(v, "?", why, now);
    return failure(why).dump();
  }
  return msg::dump_fixed2(handle_one(v, req, now, out));
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
  auto roles = e && e->active ? org_roles_of(e->roles) : std::set<role>{};
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

  if (cmd == "org.import") return import_org(v, req);
  if (cmd == "cycle.start") {
    auto by = manager_as(v, req);
    if (!by) return by.error();
    auto program = need_string(req, "program");
    if (!program) return program.error();
    auto p = need_string(req, "period");
    if (!p) return p.error();
    auto unit = opt_string(req, "unit");
    if (!unit) return unit.error();
    auto due_text = opt_string(req, "due");
    if (!due_text) return due_text.error();
    std::optional<civil_date> due;
    if (*due_text) {
      due = parse_date(**due_text);
      if (!due) return status::invalid("due: \"" + **due_text + "\" is not a date like 2026-10-10");
    }
    return cases_.open_cycle(*program, *p, *unit, *by, now, out, due, v.who->name);
  }
  if (cmd == "report") {
    if (!req.contains("cycle") || !req["cycle"].is_number_integer())
      return status::invalid("cycle: must be a cycle id number");
    return cases_.report(req["cycle"].get<std::int64_t>(), hrbp_only);
  }
  if (cmd == "raters.add") {
    auto id = need_case_id(req);
    if (!id) return id.error();
    auto as_text = opt_string(req, "as");
    if (!as_text) return as_text.error();
    auto as = resolve_as(v, *as_text);
    if (!as) return as.error();
    auto c = db_.find_case(*id);
    if (!c || view_of(v, *c, false) != case_view::full)
      return status::not_found("case " + std::to_string(*id) + " does not exist");
    return cases_.add_raters(*id, req.value("raters", json()), *as, v.who->name, now);
  }
  if (cmd == "standards") {
    auto program = opt_string(req, "program");
    if (!program) return program.error();
    auto table = cases_.standards_program(*program);
    if (!table) return table.error();
    return cases_.standards(*table);
  }
  if (cmd == "standards.adjust") {
    auto program = opt_string(req, "program");
    if (!program) return program.error();
    auto as_text = opt_string(req, "as");
    if (!as_text) return as_text.error();
    auto as = resolve_as(v, *as_text);
    if (!as) return as.error();
    auto table = cases_.standards_program(*program);
    if (!table) return table.error();
    return cases_.adjust_standards(*table, req.value("changes", json()), *as, now);
  }
  if (cmd == "overdue") {
    auto unit = opt_string(req, "unit");
    if (!unit) return unit.error();
    auto role_text = opt_string(req, "role");
    if (!role_text) return role_text.error();
    std::optional<role> owner;
    if (*role_text) {
      owner = parse_role(**role_text);
      if (!owner || *owner == role::system)
        return status::invalid("role: unknown role \"" + **role_text +
                               "\" (employee, supervisor, hrbp, hr, chairman, admin)");
    }
    return cases_.overdue(now, *unit, owner, hrbp_only);
  }
  if (cmd == "cases") return list_cases(v, req);
  if (cmd == "case.show") {
    auto id = need_case_id(req);
    if (!id) return id.error();
    auto c = db_.find_case(*id);
    if (!c) return status::not_found("case " + std::to_string(*id) + " does not exist");
    return cases_.show(*id, view_of(v, *c, cases_.rates_now(*c, v.employee_id())));
  }
  if (cmd == "stats") return stats();
  if (cmd == "schedule") {
    if (!schedule_) return status::invalid("schedule: the engine runs without schedules");
    return schedule_(now);
  }
  if (cmd == "sales" || cmd == "rollup") {
    auto m = need_string(req, "manager_id");
    if (!m) return m.error();
    auto p = need_string(req, "period");
    if (!p) return p.error();
    auto e = db_.find_employee(*m);
    if (!e || !may_see_employee(v, *e))
      return status::not_found("manager_id: unknown manager \"" + *m + "\"");
    return cmd == "sales" ? cases_.sales(*m, *p) : cases_.rollup(*m, *p);
  }
  if (cmd.rfind("principals.", 0) == 0) return principals_cmd(v, cmd, req, now);
  if (cmd == "audit") return audit_list(req);
  if (cmd == "tasks") return tasks_list(req);
  if (cmd == "tasks.retry") return tasks_retry(req, out);
  if (cmd == "case_events.since") return case_events_since(req);
  if (auto act = action_of_cmd(cmd)) {
    auto as_text = opt_string(req, "as");
    if (!as_text) return as_text.error();
    auto as = resolve_as(v, *as_text);
    if (!as) return as.error();
    if (!req.contains("case") && (*act == action::approve || *act == action::cancel))
      return bulk(v, *act, *as, req, now, out);
    auto id = need_case_id(req);
    if (!id) return id.error();
    auto c = db_.find_case(*id);
    if (!c || view_of(v, *c, cases_.rates_now(*c, v.employee_id())) == case_view::hidden)
      return status::not_found("case " + std::to_string(*id) + " does not exist");
    return cases_.act(*id, *act, *as, v.who->name, req, now, out);
  }
  return status::invalid("cmd: unknown command \"" + cmd + "\"");
}

result<json> admin_api::bulk(const viewer& v, action act, const std::string& as, const json& req,
                             std::int64_t now, outbox& out) {
  case_filter f;
  auto state = opt_string(req, "state");
  auto unit = opt_string(req, "unit");
  if (!state || !unit) return status::invalid("state and unit must be text");
  f.state = *state;
  f.unit = *unit;
  if (req.contains("cycle")) {
    if (!req["cycle"].is_number_integer())
      return status::invalid("cycle: must be a cycle id number");
    f.cycle_id = req["cycle"].get<std::int64_t>();
  }
  if (!f.state && !f.unit && !f.cycle_id)
    return status::invalid("case: missing (or give state, unit or cycle to act on many cases)");
  auto who = parse_actor(as);
  if (!who) return who.error();
  if (who->claimed == role::supervisor || who->claimed == role::hrbp) f.party_id = who->id;
  if (!v.sees_all()) f.visible_to = v.employee_id();
  json done = json::array(), refused = json::array();
  // Each case under the same rules as a single action on it.
  for (std::int64_t id : db_.case_ids(f)) {  // ids only: a bulk may match 100,000 cases
    if (!v.sees_all()) {  // a case the caller may not see is not one of theirs to count or name
      auto c = db_.find_case(id);
      if (!c || view_of(v, *c, cases_.rates_now(*c, v.employee_id())) == case_view::hidden)
        continue;
    }
    outbox mine;
    auto& work = db_.work();
    work.savepoint();
    auto r = [&]() -> result<json> {
      try {
        return cases_.act(id, act, as, v.who->name, req, now, mine);
      } catch (...) {
        work.rollback_to();  // this case's savepoint; the request's fails with the exception
        throw;
      }
    }();
    if (r) {
      work.release();
      out.append(std::move(mine));
      done.push_back(id);
    } else {
      work.rollback_to();
      refused.push_back({{"case", id},
                         {"error", r.error().message()},
                         {"code", std::string(error_code_of(r.error().code()))}});
    }
  }
  return json{{"matched", done.size() + refused.size()}, {"applied", done}, {"refused", refused}};
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
      list.push_back(case_service::summary(c));
    else
      rows.push_back(c);
  });
  for (const auto& c : rows) {
    case_view view = view_of(v, c, cases_.rates_now(c, v.employee_id()));
    if (view != case_view::hidden) list.push_back(case_service::summary(c, view));
  }
  json reply{{"cases", std::move(list)}};
  if (more) reply["next_after"] = last;
  return reply;
}

result<json> admin_api::stats() {
  json s = stats_ ? stats_() : json::object();
  s["cases"] = db_.case_counts_by_state();
  json tasks = s.value("tasks", json::object());
  for (const auto& [state, n] : db_.task_counts_by_state())
    if (state != "queued") tasks[state] = n;
  s["tasks"] = tasks;
  return s;
}

result<json> admin_api::import_org(const viewer& v, const json& req) {
  auto by = manager_as(v, req);
  if (!by) return by.error();
  // Granting or removing admin or chairman needs the admin role or capability.
  bool admin_rights = v.is_admin();
  if (!admin_rights && !v.person()) {  // a portal: the person it acts for, as admin
    auto who = parse_actor(*by);
    auto e = who ? db_.find_employee(who->id) : std::nullopt;
    admin_rights = who && who->claimed == role::admin && e && e->active &&
                   org_roles_of(e->roles).count(role::admin);
  }
  if (!req.contains("rows") || !req["rows"].is_array())
    return status::invalid("rows: missing (an array of employees)");
  std::vector<employee_row> rows;
  std::set<std::string> ids;
  int line = 0;
  for (const auto& r : req["rows"]) {
    ++line;
    std::string where = "row " + std::to_string(line);
    if (!r.is_object()) return status::invalid(where + ": must be an object");
    employee_row e;
    auto text = [&](const char* key, std::string& out, bool required) -> status {
      if (!r.contains(key) || r[key].is_null())
        out.clear();
      else if (r[key].is_string())
        out = r[key].get<std::string>();
      else
        return status::invalid(where + ": " + key + ": must be text");
      if (required && out.empty()) return status::invalid(where + ": " + key + ": missing");
      return status::ok();
    };
    for (auto [key, field, required] : {std::tuple{"id", &e.id, true},
                                        {"name", &e.name, true},
                                        {"unit", &e.unit, true},
                                        {"supervisor_id", &e.supervisor_id, false},
                                        {"hrbp_id", &e.hrbp_id, false},
                                        {"joined_on", &e.joined_on, true},
                                        {"roles", &e.roles, false}})
      if (status s = text(key, *field, required); !s) return s;
    where += " (" + e.id + ")";
    const json& grade = r.value("grade", json());
    if (grade.is_number_integer())
      e.grade = grade.get<int>();
    else if (grade.is_string() && grade.get<std::string>().size() == 1)
      e.grade = grade.get<std::string>()[0] - '0';
    else
      e.grade = 0;
    if (e.grade < 1 || e.grade > 4)
      return status::invalid(where + ": grade: must be 1..4, got " + grade.dump());
    if (!parse_date(e.joined_on))
      return status::invalid(where + ": joined_on: \"" + e.joined_on + "\" is not YYYY-MM-DD");
    std::size_t start = 0;
    while (start < e.roles.size()) {
      auto end = e.roles.find(';', start);
      if (end == std::string::npos) end = e.roles.size();
      std::string role_text = e.roles.substr(start, end - start);
      auto parsed = parse_role(role_text);
      if (!parsed || (*parsed != role::hr && *parsed != role::chairman && *parsed != role::admin))
        return status::invalid(where + ": roles: \"" + role_text +
                               "\" is not hr, chairman or admin");
      start = end + 1;
    }
    if (e.supervisor_id == e.id)
      return status::invalid(where + ": supervisor_id: an employee cannot supervise themself");
    if (!ids.insert(e.id).second) return status::invalid(where + ": id: appears twice in the file");
    rows.push_back(std::move(e));
  }
  if (!admin_rights)
    for (const auto& e : rows) {
      auto before = db_.find_employee(e.id);
      auto had = before ? org_roles_of(before->roles) : std::set<role>{};
      auto has = org_roles_of(e.roles);
      for (role r : {role::admin, role::chairman})
        if (had.count(r) != has.count(r))
          return status::forbidden(std::string(had.count(r) ? "removing" : "granting") + " the " +
                                   std::string(role_name(r)) + " role (" + e.id +
                                   ") needs the admin role or the admin capability; principal " +
                                   v.who->name + " has neither");
    }
  int created = 0;
  bool roles_changed =
      false;  // who may read every case may differ: the events endpoint is judged again
  for (const auto& e : rows) {
    auto before = db_.find_employee(e.id);
    if (!before)
      ++created;
    else
      roles_changed = roles_changed || org_roles_of(before->roles) != org_roles_of(e.roles) ||
                      before->active != e.active;
    db_.upsert_employee(e);
  }
  if (roles_changed && principals_changed_) principals_changed_();
  line = 0;
  for (const auto& e : rows) {
    ++line;
    for (auto [key, ref] : {std::pair{"supervisor_id", &e.supervisor_id}, {"hrbp_id", &e.hrbp_id}})
      if (!ref->empty() && !db_.find_employee(*ref))
        return status::invalid("row " + std::to_string(line) + " (" + e.id + "): " + key +
                               ": unknown employee \"" + *ref + "\"");
  }
  for (const auto& e : rows) on_employee_(e.id);
  return json{{"imported", rows.size()},
              {"created", created},
              {"updated", static_cast<int>(rows.size()) - created}};
}

}  // namespace af::engine
