// store_timers.cpp: the store's deadlines: case timers, cycles' run-window
// ends, flags and overdue marks (schemas/migrations/005_deadlines.sql).
#include "engine/store.h"

namespace af::engine {
namespace {

constexpr const char* timer_columns = "case_id, state, entered_at, remind_at, due_at, reminded, fired";

case_timer read_timer(statement& s, int first) {
  case_timer t;
  t.case_id = s.int64(first);
  t.state = s.text(first + 1);
  t.entered_at = s.int64(first + 2);
  t.remind_at = s.opt_int64(first + 3);
  t.due_at = s.int64(first + 4);
  t.reminded = s.integer(first + 5) != 0;
  t.fired = s.integer(first + 6) != 0;
  return t;
}

cycle_row read_cycle(statement& s) {
  return {s.int64(0), s.text(1), s.text(2), s.opt_text(3), s.text(4), s.opt_int64(5), s.opt_text(6)};
}

constexpr const char* cycle_columns = "id, program, period, unit, opened_at, due_at, closed_check_at";

}  // namespace

std::optional<cycle_row> store::find_cycle_row(std::int64_t id) {
  static const std::string sql = std::string("SELECT ") + cycle_columns + " FROM cycles WHERE id = ?1";
  auto& s = stmt(sql.c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto c = read_cycle(s);
  s.reset();
  return c;
}

std::vector<cycle_row> store::cycles_past_due(std::int64_t now) {
  static const std::string sql = std::string("SELECT ") + cycle_columns +
                                 " FROM cycles WHERE closed_check_at IS NULL AND due_at <= ?1 ORDER BY due_at, id";
  auto& s = stmt(sql.c_str());
  s.bind(1, now);
  std::vector<cycle_row> out;
  while (s.step()) out.push_back(read_cycle(s));
  return out;
}

std::optional<std::int64_t> store::next_cycle_due() {
  auto& s = stmt("SELECT min(due_at) FROM cycles WHERE closed_check_at IS NULL");
  s.step();
  auto v = s.opt_int64(0);
  s.reset();
  return v;
}

void store::mark_cycle_checked(std::int64_t id, const std::string& at) {
  stmt("UPDATE cycles SET closed_check_at = ?2 WHERE id = ?1").bind(1, id).bind(2, at).run();
}

void store::set_flags(std::int64_t id, const std::string& json_array) {
  stmt("UPDATE cases SET flags = ?2 WHERE id = ?1").bind(1, id).bind(2, json_array).run();
}

void store::set_overdue(std::int64_t id, const std::string& since) {
  stmt("UPDATE cases SET overdue_since = ?2 WHERE id = ?1").bind(1, id).bind(2, since).run();
}

void store::set_case_timer(const case_timer& t) {
  std::int64_t next = t.remind_at && !t.reminded ? *t.remind_at : t.due_at;
  stmt("INSERT OR REPLACE INTO case_timers (case_id, state, entered_at, remind_at, due_at, reminded, fired, next_at) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, t.case_id)
      .bind(2, t.state)
      .bind(3, t.entered_at)
      .bind(4, t.remind_at)
      .bind(5, t.due_at)
      .bind(6, t.reminded ? 1 : 0)
      .bind(7, t.fired ? 1 : 0)
      .bind(8, t.fired ? std::nullopt : std::optional<std::int64_t>(next))
      .run();
}

void store::clear_case_timer(std::int64_t case_id) {
  stmt("DELETE FROM case_timers WHERE case_id = ?1").bind(1, case_id).run();
}

std::optional<case_timer> store::find_case_timer(std::int64_t case_id) {
  static const std::string sql = std::string("SELECT ") + timer_columns + " FROM case_timers WHERE case_id = ?1";
  auto& s = stmt(sql.c_str());
  s.bind(1, case_id);
  if (!s.step()) return std::nullopt;
  auto t = read_timer(s, 0);
  s.reset();
  return t;
}

std::optional<std::int64_t> store::next_timer_at() {
  auto& s = stmt("SELECT min(next_at) FROM case_timers WHERE next_at IS NOT NULL");
  s.step();
  auto v = s.opt_int64(0);
  s.reset();
  return v;
}

std::vector<case_timer> store::due_timers(std::int64_t now, std::size_t limit) {
  static const std::string sql = std::string("SELECT ") + timer_columns +
                                 " FROM case_timers WHERE next_at IS NOT NULL AND next_at <= ?1 ORDER BY next_at LIMIT ?2";
  auto& s = stmt(sql.c_str());
  s.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
  std::vector<case_timer> out;
  while (s.step()) out.push_back(read_timer(s, 0));
  return out;
}

void store::mark_reminded(std::int64_t case_id) {
  stmt("UPDATE case_timers SET reminded = 1, next_at = CASE WHEN fired THEN NULL ELSE due_at END WHERE case_id = ?1")
      .bind(1, case_id)
      .run();
}

void store::mark_fired(std::int64_t case_id) {
  stmt("UPDATE case_timers SET reminded = 1, fired = 1, next_at = NULL WHERE case_id = ?1").bind(1, case_id).run();
}

std::vector<std::pair<case_row, case_timer>> store::overdue_cases(std::int64_t now) {
  // The case's columns in case_columns order, then the timer's.
  constexpr const char* sql =
      "SELECT c.id, c.cycle_id, c.program, c.period, c.employee_id, c.unit, c.supervisor_id, c.hrbp_id, c.as_of, "
      "c.state, c.self_json, c.review_json, c.result_json, c.total, c.tier, c.adjusted_tier, c.adjust_reason, "
      "c.updated_at, c.flags, c.overdue_since, "
      "t.case_id, t.state, t.entered_at, t.remind_at, t.due_at, t.reminded, t.fired "
      "FROM case_timers t JOIN cases c ON c.id = t.case_id WHERE t.due_at <= ?1 ORDER BY c.unit, t.due_at, c.id";
  auto& s = stmt(sql);
  s.bind(1, now);
  std::vector<std::pair<case_row, case_timer>> out;
  while (s.step()) out.emplace_back(read_case(s), read_timer(s, 20));
  return out;
}

std::vector<employee_row> store::holders_of(const std::string& org_role) {
  std::vector<employee_row> out;
  for (auto& e : employees(std::nullopt)) {
    std::string roles = ";" + e.roles + ";";
    if (e.active && roles.find(";" + org_role + ";") != std::string::npos) out.push_back(std::move(e));
  }
  return out;
}

}  // namespace af::engine
