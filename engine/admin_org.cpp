// admin_org.cpp: org.import (DESIGN.md "Admin requests"): the organisation
// as rows of employees, checked whole before any is written, so a file
// with one bad row changes nothing. Granting or removing the admin or
// chairman role needs admin rights; everything else hr or admin.
#include "engine/admin_api.h"
#include "engine/contacts.h"

namespace af::engine {
namespace {

// A text member of a row: "" when absent or null; InvalidArgument when not text,
// or empty when required.
status read_text(const json& r, const std::string& where, const char* key, std::string& out,
                 bool required) {
  if (!r.contains(key) || r[key].is_null())
    out.clear();
  else if (r[key].is_string())
    out = r[key].get<std::string>();
  else
    return status::invalid(where + ": " + key + ": must be text");
  if (required && out.empty()) return status::invalid(where + ": " + key + ": missing");
  return status::ok();
}

// Row `line` of the file: an employee, every field checked.
result<employee_row> read_employee(const json& r, int line) {
  std::string where = "row " + std::to_string(line);
  if (!r.is_object()) return status::invalid(where + ": must be an object");
  employee_row e;
  std::string roles;
  for (auto [key, field, required] : {std::tuple{"id", &e.id, true},
                                      {"name", &e.name, true},
                                      {"unit", &e.unit, true},
                                      {"supervisor_id", &e.supervisor_id, false},
                                      {"hrbp_id", &e.hrbp_id, false},
                                      {"joined_on", &e.joined_on, true},
                                      {"roles", &roles, false},
                                      {"email", &e.email, false},
                                      {"chat_id", &e.chat_id, false}})
    if (status s = read_text(r, where, key, *field, required); !s) return s;
  where += " (" + e.id + ")";
  for (status s : {email_error(e.email), chat_id_error(e.chat_id)})
    if (!s) return status::invalid(where + ": " + s.message());
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
  if (status s = org_roles_error(roles, where); !s) return s;
  e.roles = parse_org_roles(roles);
  if (e.supervisor_id == e.id)
    return status::invalid(where + ": supervisor_id: an employee cannot supervise themself");
  return e;
}

}  // namespace

result<json> admin_api::import_org(const viewer& v, const json& req, std::int64_t now) {
  auto by = manager_as(v, req);
  if (!by) return by.error();
  if (!req.contains("rows") || !req["rows"].is_array())
    return status::invalid("rows: missing (an array of employees)");
  std::vector<employee_row> rows;
  std::set<std::string> ids;
  int line = 0;
  for (const auto& r : req["rows"]) {
    auto e = read_employee(r, ++line);
    if (!e) return e.error();
    if (!ids.insert(e->id).second)
      return status::invalid("row " + std::to_string(line) + " (" + e->id +
                             "): id: appears twice in the file");
    rows.push_back(std::move(e).value());
  }
  if (status s = may_change_top_roles(v, *by, rows); !s) return s;
  int created = 0;
  bool roles_changed =
      false;  // who may read every case may differ: the events endpoint is judged again
  std::string at = cases_.instant_text(now);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    employee_row& e = rows[i];
    auto before = db_.find_employee(e.id);
    // A file without the contact columns keeps what an earlier import gave.
    for (auto [key, field] :
         {std::pair{"email", &employee_row::email}, {"chat_id", &employee_row::chat_id}})
      if (before && !req["rows"][i].contains(key)) e.*field = (*before).*field;
    if (!before)
      ++created;
    else
      roles_changed = roles_changed || before->roles != e.roles || before->active != e.active;
    db_.upsert_employee(e);
    if (!before || before->grade != e.grade)
      db_.add_grade_change(
          {e.id, before ? std::optional<int>(before->grade) : std::nullopt, e.grade, at, *by});
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

status admin_api::may_change_top_roles(const viewer& v, const std::string& by,
                                       const std::vector<employee_row>& rows) {
  // Granting or removing admin or chairman needs the admin role or capability.
  bool admin_rights = v.is_admin();
  if (!admin_rights && !v.person()) {  // a portal: the person it acts for, as admin
    auto who = parse_actor(by);
    auto e = who ? db_.find_employee(who->id) : std::nullopt;
    admin_rights =
        who && who->claimed == role::admin && e && e->active && e->roles.count(role::admin);
  }
  if (admin_rights) return status::ok();
  for (const auto& e : rows) {
    auto before = db_.find_employee(e.id);
    auto had = before ? before->roles : std::set<role>{};
    const auto& has = e.roles;
    for (role r : {role::admin, role::chairman})
      if (had.count(r) != has.count(r))
        return status::forbidden(std::string(had.count(r) ? "removing" : "granting") + " the " +
                                 std::string(role_name(r)) + " role (" + e.id +
                                 ") needs the admin role or the admin capability; principal " +
                                 v.who->name + " has neither");
  }
  return status::ok();
}

}  // namespace af::engine
