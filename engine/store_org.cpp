// store_org.cpp: the store's organisation: the employees imported from
// the org CSV (the employees table of schemas/migrations/001_init.sql).
#include "engine/store.h"
#include "engine/store_internal.h"

namespace af::engine {

namespace {

employee_row read_employee(statement& s) {
  employee_row e;
  e.id = s.text(0);
  e.name = s.text(1);
  e.unit = s.text(2);
  e.grade = s.integer(3);
  e.supervisor_id = s.opt_text(4).value_or("");
  e.hrbp_id = s.opt_text(5).value_or("");
  e.joined_on = s.text(6);
  e.roles = parse_org_roles(s.text(7));
  e.active = s.integer(8) != 0;
  e.email = s.opt_text(9).value_or("");
  e.chat_id = s.opt_text(10).value_or("");
  return e;
}

}  // namespace

void store::upsert_employee(const employee_row& e) {
  stmt(
      "INSERT INTO employees (id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, "
      "active, email, chat_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) "
      "ON CONFLICT (id) DO UPDATE SET name = ?2, unit = ?3, grade = ?4, supervisor_id = ?5, "
      "hrbp_id = ?6, joined_on = ?7, roles = ?8, active = ?9, email = ?10, chat_id = ?11")
      .bind(1, e.id)
      .bind(2, e.name)
      .bind(3, e.unit)
      .bind(4, e.grade)
      .bind(5, null_if_empty(e.supervisor_id))
      .bind(6, null_if_empty(e.hrbp_id))
      .bind(7, e.joined_on)
      .bind(8, org_roles_text(e.roles))
      .bind(9, e.active ? 1 : 0)
      .bind(10, null_if_empty(e.email))
      .bind(11, null_if_empty(e.chat_id))
      .run();
}

std::optional<employee_row> store::find_employee(const std::string& id) {
  auto& s = stmt(
      "SELECT id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, active, email, "
      "chat_id "
      "FROM employees WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto e = read_employee(s);
  s.reset();
  return e;
}

std::vector<employee_row> store::employees(const std::optional<std::string>& unit) {
  auto& s = stmt(
      "SELECT id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, active, email, "
      "chat_id "
      "FROM employees WHERE ?1 IS NULL OR unit = ?1 ORDER BY id");
  s.bind(1, unit);
  std::vector<employee_row> out;
  while (s.step()) out.push_back(read_employee(s));
  return out;
}

void store::for_each_employee(const std::optional<std::string>& unit,
                              const std::function<void(const employee_row&)>& f) {
  auto& s = stmt(
      "SELECT id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, active, email, "
      "chat_id "
      "FROM employees WHERE ?1 IS NULL OR unit = ?1 ORDER BY id -- streamed");
  s.bind(1, unit);
  reset_at_exit guard{s};
  while (s.step()) f(read_employee(s));
}

bool store::has_employees(const std::optional<std::string>& unit) {
  auto& s = stmt("SELECT 1 FROM employees WHERE ?1 IS NULL OR unit = ?1 LIMIT 1");
  s.bind(1, unit);
  bool any = s.step();
  s.reset();
  return any;
}

bool store::is_hrbp(const std::string& id) {
  auto& s = stmt("SELECT 1 FROM employees WHERE hrbp_id = ?1 LIMIT 1");
  s.bind(1, id);
  bool found = s.step();
  s.reset();
  return found;
}

const std::string& store::instance_id() {
  if (instance_id_.empty()) {
    auto& s = stmt("SELECT value FROM meta WHERE key = 'instance_id'");
    if (s.step()) instance_id_ = s.text(0);
    s.reset();
  }
  return instance_id_;
}

std::int64_t store::employees_without_channel() {
  auto& s = stmt(
      "SELECT count(*) FROM employees WHERE active = 1 AND coalesce(email, '') = '' AND "
      "coalesce(chat_id, '') = ''");
  s.step();
  std::int64_t n = s.integer(0);
  s.reset();
  return n;
}

void store::for_each_employee_id(const std::function<void(const std::string&)>& f) {
  auto& s = stmt("SELECT id FROM employees");
  while (s.step()) f(s.text(0));
}

void store::add_grade_change(const grade_change& g) {
  stmt(
      "INSERT INTO grade_changes (employee_id, from_grade, to_grade, at, by) VALUES (?1, ?2, ?3, "
      "?4, ?5)")
      .bind(1, g.employee_id)
      .bind(2, g.from)
      .bind(3, g.to)
      .bind(4, g.at)
      .bind(5, g.by)
      .run();
}

std::vector<store::grade_change> store::grade_changes(
    const std::optional<std::string>& employee_id) {
  auto& s = stmt(
      "SELECT employee_id, from_grade, to_grade, at, by FROM grade_changes WHERE ?1 IS NULL OR "
      "employee_id = ?1 ORDER BY id");
  s.bind(1, employee_id);
  std::vector<grade_change> out;
  while (s.step()) {
    auto from = s.opt_int64(1);
    out.push_back({s.text(0), from ? std::optional<int>(static_cast<int>(*from)) : std::nullopt,
                   s.integer(2), s.text(3), s.text(4)});
  }
  return out;
}

}  // namespace af::engine
