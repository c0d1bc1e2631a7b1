// admin_cases.cpp: the admin API's case commands (DESIGN.md "Admin
// requests"): cycle.start, the actions on one case or many, raters.add,
// standards and standards.adjust, case.show, report, overdue, sales and
// rollup. Here a request's JSON becomes the case service's types and its
// answers become replies; who may send each command was settled by the
// gate in admin_api.cpp, which case the caller may see is settled here.
#include <limits>

#include "engine/admin_api.h"
#include "engine/admin_fields.h"

namespace af::engine {
namespace {

// A whole number read as an int, or `otherwise` when it is not one or
// does not fit (the service refuses it naming the range).
int whole_or(const json& v, int otherwise) {
  if (!v.is_number_integer()) return otherwise;
  auto n = v.get<std::int64_t>();
  if (n < std::numeric_limits<int>::min() || n > std::numeric_limits<int>::max()) return otherwise;
  return static_cast<int>(n);
}

std::string text_or_empty(const json& object, const char* key) {
  return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

// ratings: {"language": 4, ...}: whole numbers only.
result<std::map<std::string, int>> read_ratings(const json& j) {
  if (!j.is_object()) return status::invalid("ratings: must be an object of item: score");
  std::map<std::string, int> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    if (!v.is_number_integer())
      return status::invalid("ratings." + it.key() + ": must be a whole number 1..5, got " +
                             v.dump());
    auto n = v.get<long long>();
    out[it.key()] = n < -1000 ? -1000 : n > 1000 ? 1000 : static_cast<int>(n);
  }
  return out;
}

result<review_form> read_review(const json& req) {
  review_form form;
  // No ratings at all (a re-exam gives exams only): none; the workflow's
  // `requires` and the rubric say whether they were needed.
  const json& given =
      req.contains("ratings") && !req["ratings"].is_null() ? req["ratings"] : json::object();
  auto ratings = read_ratings(given);
  if (!ratings) return ratings.error();
  form.ratings = std::move(ratings).value();
  if (req.contains("exams") && !req["exams"].is_null()) {
    auto exams = rubric::read_exams(req["exams"]);
    if (!exams) return exams.error();
    form.exams = std::move(exams).value();
  }
  if (req.contains("comment") && req["comment"].is_string())
    form.comment = req["comment"].get<std::string>();
  return form;
}

result<int> read_tier(const json& req) {
  const json& tier = req.value("tier", json());
  if (!tier.is_number_integer() || tier.get<long long>() < 1 || tier.get<long long>() > 4)
    return status::invalid("tier: must be a whole number 1..4, got " + tier.dump());
  return tier.get<int>();
}

action_request read_action_request(const json& req, action act) {
  action_request r;
  for (auto it = req.begin(); it != req.end(); ++it)
    if (!it.value().is_null() && !(it.value().is_string() && it.value().get<std::string>().empty()))
      r.provided.insert(it.key());
  for (const char* key : {"comment", "reason", "notes"})
    if (r.provided.count(key) && !req[key].is_string()) {
      r.text_fields = status::invalid(std::string(key) + ": must be text");
      break;
    }
  r.reason = req.contains("comment") && req["comment"].is_string()
                 ? req["comment"].get<std::string>()
                 : text_or_empty(req, "reason");
  if (act == action::interview) r.reason = text_or_empty(req, "notes");  // the interview record
  if (act == action::submit || act == action::rate || act == action::change)
    r.review = read_review(req);
  if (act == action::adjust) r.tier = read_tier(req);
  if (act == action::overrule) r.outcome = text_or_empty(req, "outcome");
  return r;
}

result<std::vector<rater_input>> read_raters(const json& raters) {
  if (!raters.is_array() || raters.empty() || raters.size() > 50)
    return status::invalid("raters: must be an array of 1..50 {id, kind, name}");
  std::vector<rater_input> out;
  for (std::size_t i = 0; i < raters.size(); ++i) {
    const json& x = raters[i];
    if (!x.is_object())
      return status::invalid("raters[" + std::to_string(i) + "]: must be {id, kind, name}");
    out.push_back({text_or_empty(x, "id"), text_or_empty(x, "kind"), text_or_empty(x, "name")});
  }
  return out;
}

result<std::vector<standard_proposal>> read_proposals(const json& proposals,
                                                      const std::string& key) {
  if (!proposals.is_array() || proposals.empty())
    return status::invalid(key + ".proposals: must be a non-empty array of {by, level}");
  std::vector<standard_proposal> out;
  for (std::size_t p = 0; p < proposals.size(); ++p) {
    const json& pr = proposals[p];
    std::string pk = key + ".proposals[" + std::to_string(p) + "]";
    bool by = pr.is_object() && pr.contains("by"), expert = pr.is_object() && pr.contains("expert");
    if (by && expert) return status::invalid(pk + ": give by (an employee) or expert, not both");
    if (expert && (!pr["expert"].is_string() || pr["expert"].get<std::string>().empty()))
      return status::invalid(pk + ".expert: must be the expert's name");
    if (!expert && (!by || !pr["by"].is_string())) return status::invalid(pk + ".by: missing");
    int level = whole_or(pr.value("level", json()), std::numeric_limits<int>::min());
    if (expert)
      out.push_back({"", level, pr["expert"].get<std::string>()});
    else
      out.push_back({pr["by"].get<std::string>(), level, ""});
  }
  return out;
}

result<std::vector<standard_change_input>> read_changes(const json& changes) {
  if (!changes.is_array() || changes.empty())
    return status::invalid("changes: must be a non-empty array");
  std::vector<standard_change_input> out;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::string key = "changes[" + std::to_string(i) + "]";
    const json& c = changes[i];
    if (!c.is_object()) return status::invalid(key + ": must be {item, grade, proposals}");
    out.push_back({text_or_empty(c, "item"), whole_or(c.value("grade", json()), 0),
                   read_proposals(c.value("proposals", json()), key)});
  }
  return out;
}

// The request's "as" (text, if given) resolved against the caller (access.h).
result<std::string> acting_as(const viewer& v, const json& req) {
  auto as_text = opt_string(req, "as");
  if (!as_text) return as_text.error();
  return resolve_as(v, *as_text);
}

json action_reply(const action_done& done) {
  json j = case_views::summary(done.c);
  if (done.note) j["note"] = *done.note;
  return j;
}

}  // namespace

result<json> admin_api::cycle_start(const viewer& v, const json& req, std::int64_t now,
                                    outbox& out) {
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
  auto opened = cases_.open_cycle(*program, *p, *unit, *by, now, out, due, v.who->name);
  if (!opened) return opened.error();
  json reply{{"cycle", opened->cycle}, {"opened", opened->opened}};
  if (opened->due) reply["due"] = format_date(*opened->due);
  return reply;
}

result<json> admin_api::report(const json& req, const std::optional<std::string>& hrbp_only) {
  if (!req.contains("cycle") || !req["cycle"].is_number_integer())
    return status::invalid("cycle: must be a cycle id number");
  return cases_.views().report(req["cycle"].get<std::int64_t>(), hrbp_only);
}

result<json> admin_api::grades(const json& req, const std::optional<std::string>& hrbp_only) {
  auto period = opt_string(req, "period");
  if (!period) return period.error();
  if (!*period) return status::invalid("period: missing (2026, 2026-Q3 or 2026-07)");
  auto unit = opt_string(req, "unit");
  if (!unit) return unit.error();
  return cases_.views().grades(**period, *unit, hrbp_only);
}

result<json> admin_api::raters_add(const viewer& v, const json& req, std::int64_t now) {
  auto id = need_case_id(req);
  if (!id) return id.error();
  auto as = acting_as(v, req);
  if (!as) return as.error();
  auto c = db_.find_case(*id);
  if (!c || view_of(v, *c, false) != case_view::full)
    return status::not_found("case " + std::to_string(*id) + " does not exist");
  auto raters =
      cases_.add_raters(*id, read_raters(req.value("raters", json())), *as, v.who->name, now);
  if (!raters) return raters.error();
  json list = json::array();
  for (const auto& row : *raters) list.push_back({{"rater", row.rater}, {"name", row.name}});
  return json{{"case", *id}, {"raters", list}};
}

result<json> admin_api::standards_show(const json& req) {
  auto program = opt_string(req, "program");
  if (!program) return program.error();
  auto table = cases_.standards_program(*program);
  if (!table) return table.error();
  return cases_.views().standards(*table);
}

result<json> admin_api::standards_adjust(const viewer& v, const json& req, std::int64_t now) {
  auto program = opt_string(req, "program");
  if (!program) return program.error();
  auto as = acting_as(v, req);
  if (!as) return as.error();
  auto table = cases_.standards_program(*program);
  if (!table) return table.error();
  auto done = cases_.adjust_standards(*table, read_changes(req.value("changes", json())), *as, now);
  if (!done) return done.error();
  json applied = json::array();
  for (const auto& c : done->changes)
    applied.push_back({{"item", c.item},
                       {"grade", c.grade},
                       {"mean", msg::points(c.mean)},
                       {"before", c.before},
                       {"after", c.after}});
  return json{
      {"program", done->program}, {"business_year", done->business_year}, {"changes", applied}};
}

result<json> admin_api::overdue(const json& req, std::int64_t now,
                                const std::optional<std::string>& hrbp_only) {
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
  return cases_.views().overdue(now, *unit, owner, hrbp_only);
}

result<json> admin_api::case_show(const viewer& v, const json& req) {
  auto id = need_case_id(req);
  if (!id) return id.error();
  auto c = db_.find_case(*id);
  if (!c) return status::not_found("case " + std::to_string(*id) + " does not exist");
  return cases_.views().show(*id, view_of(v, *c, cases_.rates_now(*c, v.employee_id())));
}

result<json> admin_api::sales_or_rollup(const viewer& v, const std::string& cmd, const json& req) {
  auto m = need_string(req, "manager_id");
  if (!m) return m.error();
  auto p = need_string(req, "period");
  if (!p) return p.error();
  auto e = db_.find_employee(*m);
  if (!e || !may_see_employee(v, *e))
    return status::not_found("manager_id: unknown manager \"" + *m + "\"");
  return cmd == "sales" ? cases_.views().sales(*m, *p) : cases_.views().rollup(*m, *p);
}

result<json> admin_api::case_action(const viewer& v, action act, const json& req, std::int64_t now,
                                    outbox& out) {
  auto as = acting_as(v, req);
  if (!as) return as.error();
  if (!req.contains("case") && (act == action::approve || act == action::cancel))
    return bulk(v, act, *as, req, now, out);
  auto id = need_case_id(req);
  if (!id) return id.error();
  auto c = db_.find_case(*id);
  if (!c || view_of(v, *c, cases_.rates_now(*c, v.employee_id())) == case_view::hidden)
    return status::not_found("case " + std::to_string(*id) + " does not exist");
  auto done = cases_.act(*id, act, *as, v.who->name, read_action_request(req, act), now, out);
  if (!done) return done.error();
  return action_reply(*done);
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
  const action_request request = read_action_request(req, act);  // the same for every case
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
    auto r = [&]() -> result<action_done> {
      try {
        return cases_.act(id, act, as, v.who->name, request, now, mine);
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

}  // namespace af::engine
