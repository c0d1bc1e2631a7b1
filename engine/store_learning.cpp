// store_learning.cpp: the learning activities managers have completed
// (learning_done, schemas/migrations/012_learning_done.sql) and the latest
// case of a program in a state, which a learning plan is built from.
#include "engine/store.h"
#include "engine/store_internal.h"

namespace af::engine {

std::vector<store::learning_record> store::learning_done(const std::string& employee_id) {
  auto& s = stmt(
      "SELECT activity_id, done_at, done_by, principal FROM learning_done WHERE employee_id = ?1 "
      "ORDER BY done_at, activity_id");
  s.bind(1, employee_id);
  reset_at_exit guard{s};
  std::vector<learning_record> out;
  while (s.step()) out.push_back({s.text(0), s.text(1), s.text(2), s.text(3)});
  return out;
}

bool store::add_learning_done(const std::string& employee_id, const learning_record& r) {
  stmt(
      "INSERT OR IGNORE INTO learning_done (employee_id, activity_id, done_at, done_by, principal) "
      "VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, employee_id)
      .bind(2, r.activity_id)
      .bind(3, r.at)
      .bind(4, r.by)
      .bind(5, r.principal)
      .run();
  return db_.changes() > 0;
}

std::optional<case_row> store::latest_case(const std::string& program,
                                           const std::string& employee_id,
                                           const std::string& state) {
  static const std::string sql = std::string("SELECT ") + case_columns +
                                 " FROM cases WHERE program = ?1 AND employee_id = ?2 AND "
                                 "state = ?3 ORDER BY as_of DESC, id DESC LIMIT 1";
  auto& s = stmt(sql.c_str());
  s.bind(1, program).bind(2, employee_id).bind(3, state);
  reset_at_exit guard{s};
  if (!s.step()) return std::nullopt;
  return read_case(s);
}

}  // namespace af::engine
