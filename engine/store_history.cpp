// store_history.cpp: the store's case history and the case events kept
// with its rows for case_events.since, and their purge (the history table
// of schemas/migrations/001_init.sql, 007 and 008_case_events.sql).
#include "engine/store.h"
#include "engine/store_internal.h"

namespace af::engine {

std::int64_t store::add_history(std::int64_t case_id, const std::string& at,
                                const std::string& from, const std::string& to,
                                const std::string& action, const std::string& actor,
                                const std::string& reason, const std::string& principal,
                                const std::string& event) {
  stmt(
      "INSERT INTO history (case_id, at, from_state, to_state, action, actor, reason, principal, "
      "event) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
      .bind(1, case_id)
      .bind(2, at)
      .bind(3, null_if_empty(from))
      .bind(4, to)
      .bind(5, action)
      .bind(6, actor)
      .bind(7, null_if_empty(reason))
      .bind(8, principal)
      .bind(9, null_if_empty(event))
      .run();
  return db_.last_insert_rowid();
}

std::vector<std::pair<std::int64_t, std::string>> store::case_events_after(std::int64_t after,
                                                                           std::int64_t limit) {
  auto& s = stmt(
      "SELECT id, event FROM history WHERE id > ?1 AND event IS NOT NULL ORDER BY id LIMIT ?2");
  s.bind(1, after).bind(2, limit);
  std::vector<std::pair<std::int64_t, std::string>> out;
  while (s.step()) out.emplace_back(s.int64(0), s.text(1));
  return out;
}

std::int64_t store::events_purged_through() {
  auto& s = stmt("SELECT purged_through FROM event_retention WHERE id = 1");
  std::int64_t through = s.step() ? s.int64(0) : 0;
  s.reset();
  return through;
}

std::int64_t store::purge_case_events(const std::string& cutoff, std::int64_t batch) {
  std::int64_t from = events_purged_through();
  // The last of the next `batch` rows written before the cutoff (ids follow time).
  auto& q = stmt(
      "SELECT max(id) FROM (SELECT id, at FROM history WHERE id > ?1 ORDER BY id LIMIT ?2) WHERE "
      "at < ?3");
  q.bind(1, from).bind(2, batch).bind(3, cutoff);
  std::int64_t through = q.step() && !q.is_null(0) ? q.int64(0) : from;
  q.reset();
  if (through <= from) return 0;
  stmt("UPDATE history SET event = NULL WHERE id > ?1 AND id <= ?2 AND event IS NOT NULL")
      .bind(1, from)
      .bind(2, through)
      .run();
  stmt("DELETE FROM history WHERE case_id = 0 AND id > ?1 AND id <= ?2")
      .bind(1, from)
      .bind(2, through)
      .run();
  stmt("UPDATE event_retention SET purged_through = ?1 WHERE id = 1").bind(1, through).run();
  return through - from;
}

std::vector<history_row> store::history(std::int64_t case_id) {
  auto& s = stmt(
      "SELECT id, at, from_state, to_state, action, actor, reason, principal FROM history "
      "WHERE case_id = ?1 ORDER BY id");
  s.bind(1, case_id);
  std::vector<history_row> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.opt_text(2).value_or(""), s.text(3), s.text(4),
                   s.text(5), s.opt_text(6).value_or(""), s.opt_text(7).value_or("")});
  return out;
}

}  // namespace af::engine
