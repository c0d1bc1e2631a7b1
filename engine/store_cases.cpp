// store_cases.cpp: the store's cases: opening one, listing them by a
// filter, and the columns each step of the workflow sets (the cases table
// of schemas/migrations/001_init.sql; deadlines are in store_timers.cpp).
#include "engine/store.h"
#include "engine/store_internal.h"

namespace af::engine {

std::optional<std::int64_t> store::insert_case(const case_row& c) {
  stmt(
      "INSERT OR IGNORE INTO cases (cycle_id, program, period, employee_id, unit, supervisor_id, "
      "hrbp_id, "
      "as_of, state, updated_at, remind_at, due_at, next_timer_at, grade) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?11, ?12), ?13)")
      .bind(1, c.cycle_id)
      .bind(2, c.program)
      .bind(3, c.period)
      .bind(4, c.employee_id)
      .bind(5, c.unit)
      .bind(6, c.supervisor_id)
      .bind(7, null_if_empty(c.hrbp_id))
      .bind(8, c.as_of)
      .bind(9, c.state)
      .bind(10, c.updated_at)
      .bind(11, c.remind_at)
      .bind(12, c.due_at)
      .bind(13, c.grade)
      .run();
  if (db_.changes() == 0) return std::nullopt;
  return db_.last_insert_rowid();
}

std::optional<case_row> store::find_case(std::int64_t id) {
  static const std::string sql =
      std::string("SELECT ") + case_columns + " FROM cases WHERE id = ?1";
  auto& s = stmt(sql.c_str());
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto c = read_case(s);
  s.reset();
  return c;
}

std::optional<case_row> store::find_case(const std::string& program, const std::string& period,
                                         const std::string& employee_id) {
  static const std::string sql = std::string("SELECT ") + case_columns +
                                 " FROM cases WHERE program = ?1 AND period = ?2 AND "
                                 "employee_id = ?3";
  auto& s = stmt(sql.c_str());
  s.bind(1, program).bind(2, period).bind(3, employee_id);
  reset_at_exit guard{s};
  if (!s.step()) return std::nullopt;
  return read_case(s);
}

namespace {
constexpr const char* case_filter_where =
    " FROM cases WHERE (?1 IS NULL OR cycle_id = ?1) AND (?2 IS NULL OR state = ?2) AND "
    "(?3 IS NULL OR unit = ?3) AND (?4 IS NULL OR program = ?4) AND (?5 IS NULL OR period = ?5) "
    "AND "
    "(?6 IS NULL OR supervisor_id = ?6 OR hrbp_id = ?6) AND (?7 IS NULL OR id > ?7) AND "
    "(?9 IS NULL OR employee_id = ?9 OR supervisor_id = ?9 OR hrbp_id = ?9 OR "
    "id IN (SELECT case_id FROM case_raters WHERE rater = 'peer:' || ?9)) ORDER BY id LIMIT ?8";

void bind_filter(statement& s, const case_filter& f) {
  s.bind(1, f.cycle_id)
      .bind(2, f.state)
      .bind(3, f.unit)
      .bind(4, f.program)
      .bind(5, f.period)
      .bind(6, f.party_id);
  s.bind(7, f.after_id).bind(8, f.limit.value_or(-1));  // LIMIT -1: no limit
  s.bind(9, f.visible_to);
}
}  // namespace

void store::for_each_case(const case_filter& filter,
                          const std::function<void(const case_row&)>& f) {
  static const std::string sql = std::string("SELECT ") + case_columns + case_filter_where;
  auto& s = stmt(sql.c_str());
  bind_filter(s, filter);
  reset_at_exit guard{s};
  while (s.step()) f(read_case(s));
}

std::vector<std::int64_t> store::case_ids(const case_filter& f) {
  static const std::string sql = std::string("SELECT id") + case_filter_where;
  auto& s = stmt(sql.c_str());
  bind_filter(s, f);
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

void store::set_state(std::int64_t id, const std::string& state, const std::string& at,
                      std::optional<std::int64_t> remind_at, std::optional<std::int64_t> due_at) {
  // A case that moves on is no longer overdue for the state it left.
  stmt(
      "UPDATE cases SET state = ?2, updated_at = ?3, overdue_since = NULL, remind_at = ?4, due_at "
      "= ?5, "
      "deadline_stage = 0, next_timer_at = coalesce(?4, ?5) WHERE id = ?1")
      .bind(1, id)
      .bind(2, state)
      .bind(3, at)
      .bind(4, remind_at)
      .bind(5, due_at)
      .run();
}
void store::set_self(std::int64_t id, const std::string& json) {
  stmt("UPDATE cases SET self_json = ?2 WHERE id = ?1").bind(1, id).bind(2, json).run();
}
void store::set_review(std::int64_t id, const std::string& json) {
  stmt("UPDATE cases SET review_json = ?2 WHERE id = ?1").bind(1, id).bind(2, json).run();
}
void store::set_result(std::int64_t id, const std::string& json, std::int64_t total,
                       std::optional<std::int64_t> tier) {
  stmt("UPDATE cases SET result_json = ?2, total = ?3, tier = ?4 WHERE id = ?1")
      .bind(1, id)
      .bind(2, json)
      .bind(3, total)
      .bind(4, tier)
      .run();
}
void store::set_result_json(std::int64_t id, const std::string& json) {
  stmt("UPDATE cases SET result_json = ?2 WHERE id = ?1").bind(1, id).bind(2, json).run();
}

void store::set_adjustment(std::int64_t id, std::int64_t tier, const std::string& reason) {
  stmt("UPDATE cases SET adjusted_tier = ?2, adjust_reason = ?3 WHERE id = ?1")
      .bind(1, id)
      .bind(2, tier)
      .bind(3, reason)
      .run();
}

std::map<std::string, std::int64_t> store::case_counts_by_state() {
  auto& s = stmt("SELECT state, count(*) FROM cases GROUP BY state");
  std::map<std::string, std::int64_t> out;
  while (s.step()) out[s.text(0)] = s.int64(1);
  return out;
}

std::map<std::pair<std::string, std::string>, std::int64_t> store::case_counts_by_program_state() {
  auto& s = stmt("SELECT program, state, count(*) FROM cases GROUP BY program, state");
  std::map<std::pair<std::string, std::string>, std::int64_t> out;
  while (s.step()) out[{s.text(0), s.text(1)}] = s.int64(2);
  return out;
}

}  // namespace af::engine
