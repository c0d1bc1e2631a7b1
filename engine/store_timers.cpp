// store_timers.cpp: the store's deadlines: the deadline columns of cases,
// cycles' run-window ends, flags and overdue marks
// (schemas/migrations/005_deadlines.sql).
#include "engine/store.h"

namespace af::engine {
namespace {

cycle_row read_cycle(statement& s) {
  return {s.int64(0), s.text(1),      s.text(2),    s.opt_text(3),
          s.text(4),  s.opt_int64(5), s.opt_text(6)};
}

constexpr const char* cycle_columns =
    "id, program, period, unit, opened_at, due_at, closed_check_at";

}  // namespace

std::optional<cycle_row> store::find_cycle_row(std::int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + cycle_columns + " FROM cycles WHERE id = ?1";
  auto& s = stmt(sql.c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto c = read_cycle(s);
  s.reset();
  return c;
}

std::vector<cycle_row> store::cycles_past_due(std::int64_t now) {
  static const std::string sql =
      std::string("SELECT ") + cycle_columns +
      " FROM cycles WHERE closed_check_at IS NULL AND due_at <= ?1 ORDER BY due_at, id";
  auto& s = stmt(sql.c_str());
  s.bind(1, now);
  std::vector<cycle_row> out;
  while (s.step()) out.push_back(read_cycle(s));
  return out;
}

std::vector<cycle_row> store::all_cycles() {
  static const std::string sql =
      std::string("SELECT ") + cycle_columns + " FROM cycles ORDER BY id";
  auto& s = stmt(sql.c_str());
  std::vector<cycle_row> out;
  while (s.step()) out.push_back(read_cycle(s));
  return out;
}

std::map<std::int64_t, std::map<std::string, std::int64_t>> store::case_counts_by_cycle() {
  auto& s = stmt("SELECT cycle_id, state, count(*) FROM cases GROUP BY cycle_id, state");
  std::map<std::int64_t, std::map<std::string, std::int64_t>> out;
  while (s.step()) out[s.int64(0)][s.text(1)] = s.int64(2);
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

std::optional<std::int64_t> store::next_timer_at() {
  auto& s = stmt("SELECT min(next_timer_at) FROM cases WHERE next_timer_at IS NOT NULL");
  s.step();
  auto v = s.opt_int64(0);
  s.reset();
  return v;
}

std::vector<case_timer> store::due_timers(std::int64_t now, std::size_t limit) {
  auto& s = stmt(
      "SELECT id, state, remind_at, due_at, deadline_stage FROM cases "
      "WHERE next_timer_at IS NOT NULL AND next_timer_at <= ?1 ORDER BY next_timer_at LIMIT ?2");
  s.bind(1, now).bind(2, static_cast<std::int64_t>(limit));
  std::vector<case_timer> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.opt_int64(2), s.int64(3), s.integer(4) >= 1});
  return out;
}

void store::mark_reminded(std::int64_t case_id) {
  stmt("UPDATE cases SET deadline_stage = 1, next_timer_at = due_at WHERE id = ?1")
      .bind(1, case_id)
      .run();
}

void store::mark_fired(std::int64_t case_id) {
  stmt("UPDATE cases SET deadline_stage = 2, next_timer_at = NULL WHERE id = ?1")
      .bind(1, case_id)
      .run();
}

std::vector<case_row> store::overdue_cases(std::int64_t now) {
  // A scan: an operator's query, rare next to the state changes an index would slow.
  static const std::string sql = std::string("SELECT ") + case_columns +
                                 " FROM cases WHERE due_at <= ?1 ORDER BY unit, due_at, id";
  auto& s = stmt(sql.c_str());
  s.bind(1, now);
  std::vector<case_row> out;
  while (s.step()) out.push_back(read_case(s));
  return out;
}

std::vector<employee_row> store::holders_of(role org_role) {
  std::vector<employee_row> out;
  for (auto& e : employees(std::nullopt))
    if (e.active && e.roles.count(org_role)) out.push_back(std::move(e));
  return out;
}

}  // namespace af::engine
