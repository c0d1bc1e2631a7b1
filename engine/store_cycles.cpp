// store_cycles.cpp: the store's cycles as opened, and the scheduler's
// record of the windows it opened them in (schemas/migrations/001_init.sql
// and 004_schedule_runs.sql; run-window ends are in store_timers.cpp).
#include "engine/store.h"

namespace af::engine {

std::optional<std::int64_t> store::find_cycle(const std::string& program, const std::string& period,
                                              const std::optional<std::string>& unit) {
  auto& s = stmt("SELECT id FROM cycles WHERE program = ?1 AND period = ?2 AND unit IS ?3");
  s.bind(1, program).bind(2, period).bind(3, unit);
  if (!s.step()) return std::nullopt;
  auto id = s.int64(0);
  s.reset();
  return id;
}

std::int64_t store::insert_cycle(const std::string& program, const std::string& period,
                                 const std::optional<std::string>& unit, const std::string& at,
                                 const std::string& by, std::int64_t due_at) {
  stmt(
      "INSERT INTO cycles (program, period, unit, opened_at, opened_by, due_at) VALUES (?1, ?2, "
      "?3, ?4, ?5, ?6)")
      .bind(1, program)
      .bind(2, period)
      .bind(3, unit)
      .bind(4, at)
      .bind(5, by)
      .bind(6, due_at)
      .run();
  return db_.last_insert_rowid();
}

void store::add_schedule_run(const schedule_run& r) {
  stmt(
      "INSERT OR IGNORE INTO schedule_runs (program, period, window_start, window_end, opened_at, "
      "cycle_id, opened, late) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, r.program)
      .bind(2, r.period)
      .bind(3, r.window_start)
      .bind(4, r.window_end)
      .bind(5, r.opened_at)
      .bind(6, r.cycle_id)
      .bind(7, r.opened)
      .bind(8, r.late ? 1 : 0)
      .run();
}

std::vector<store::schedule_run> store::schedule_runs(const std::string& program) {
  auto& s = stmt(
      "SELECT program, period, window_start, window_end, opened_at, cycle_id, opened, late FROM "
      "schedule_runs "
      "WHERE program = ?1 ORDER BY window_start");
  s.bind(1, program);
  std::vector<schedule_run> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.text(3), s.text(4), s.opt_int64(5),
                   s.int64(6), s.integer(7) != 0});
  return out;
}

}  // namespace af::engine
