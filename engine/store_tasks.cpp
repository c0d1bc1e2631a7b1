// store_tasks.cpp: the store's tasks, the outbox the dispatcher leases
// from: queued, done or dead (the tasks table of
// schemas/migrations/001_init.sql, 002 and 005).
#include "engine/outbox.h"
#include "engine/store.h"
#include "messages/json_text.h"

namespace af::engine {

std::int64_t store::insert_task(msg::message_type type, std::int64_t case_id,
                                const std::string& payload, const std::string& at) {
  stmt(
      "INSERT INTO tasks (kind, case_id, state, payload, created_at, version) VALUES (?1, ?2, "
      "'queued', ?3, ?4, ?5)")
      .bind(1, task_kind_of(type))
      .bind(2, case_id)
      .bind_blob(3, payload)
      .bind(4, at)
      .bind(5, static_cast<int>(msg::current_version(type)))
      .run();
  return db_.last_insert_rowid();
}

bool store::complete_task(std::int64_t id, const std::string& at) {
  stmt("UPDATE tasks SET state = 'done', done_at = ?2 WHERE id = ?1 AND state = 'queued'")
      .bind(1, id)
      .bind(2, at)
      .run();
  return db_.changes() > 0;
}

void store::kill_task(std::int64_t id, int attempts, const std::string& error) {
  stmt("UPDATE tasks SET state = 'dead', attempts = ?2, error = ?3 WHERE id = ?1")
      .bind(1, id)
      .bind(2, attempts)
      .bind(3, msg::utf8_prefix(error, 1000, "(the worker's error is not UTF-8)"))
      .run();
}

std::vector<store::task_listing> store::list_tasks(const std::optional<std::string>& state,
                                                   std::int64_t after, std::int64_t limit) {
  auto& s = stmt(
      "SELECT id, kind, state, coalesce(case_id, 0), attempts, created_at, done_at, error FROM "
      "tasks "
      "WHERE id > ?1 AND (?2 IS NULL OR state = ?2) ORDER BY id LIMIT ?3");
  s.bind(1, after).bind(2, state).bind(3, limit);
  std::vector<task_listing> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.text(2), s.int64(3), s.integer(4), s.text(5),
                   s.opt_text(6), s.opt_text(7)});
  return out;
}

std::optional<task_row> store::revive_task(std::int64_t id) {
  stmt("UPDATE tasks SET state = 'queued', attempts = 0 WHERE id = ?1 AND state = 'dead'")
      .bind(1, id)
      .run();
  if (db_.changes() == 0) return std::nullopt;
  auto& s = stmt(
      "SELECT id, kind, coalesce(case_id, 0), attempts, payload, version FROM tasks WHERE id = ?1");
  s.bind(1, id);
  std::optional<task_row> out;
  if (s.step())
    out = task_row{s.int64(0),   s.text(1), s.int64(2),
                   s.integer(3), s.text(4), static_cast<std::uint16_t>(s.integer(5))};
  s.reset();
  return out;
}

std::vector<std::int64_t> store::dead_task_ids() {
  auto& s = stmt("SELECT id FROM tasks WHERE state = 'dead' ORDER BY id");
  std::vector<std::int64_t> out;
  while (s.step()) out.push_back(s.int64(0));
  return out;
}

void store::note_task_failure(std::int64_t id, int attempts, const std::string& error) {
  stmt("UPDATE tasks SET attempts = ?2, error = ?3 WHERE id = ?1 AND state = 'queued'")
      .bind(1, id)
      .bind(2, attempts)
      .bind(3, msg::utf8_prefix(error, 1000, "(the worker's error is not UTF-8)"))
      .run();
}

void store::set_attempts(std::int64_t id, int attempts) {
  stmt("UPDATE tasks SET attempts = ?2 WHERE id = ?1").bind(1, id).bind(2, attempts).run();
}

std::vector<task_row> store::queued_tasks() {
  auto& s = stmt(
      "SELECT id, kind, case_id, attempts, payload, version FROM tasks WHERE state = 'queued' "
      "ORDER BY id");
  std::vector<task_row> out;
  while (s.step())
    out.push_back({s.int64(0), s.text(1), s.int64(2), s.integer(3), s.text(4),
                   static_cast<std::uint16_t>(s.integer(5))});
  return out;
}

std::optional<std::string> store::queued_task_payload(std::int64_t id) {
  auto& s = stmt("SELECT payload FROM tasks WHERE id = ?1 AND state = 'queued'");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto body = s.text(0);
  s.reset();
  return body;
}

// Rows are never deleted, so done = all - queued - dead; queued and dead
// are counted through their partial indexes, never by a full scan.
std::map<std::string, std::int64_t> store::task_counts_by_state() {
  auto count = [this](const char* sql) {
    auto& s = stmt(sql);
    s.step();
    auto n = s.int64(0);
    s.reset();
    return n;
  };
  std::int64_t all = count("SELECT coalesce(max(id), 0) FROM tasks");
  std::int64_t queued = count("SELECT count(*) FROM tasks WHERE state = 'queued'");
  std::int64_t dead = count("SELECT count(*) FROM tasks WHERE state = 'dead'");
  return {{"queued", queued}, {"done", all - queued - dead}, {"dead", dead}};
}

std::map<std::string, std::int64_t> store::dead_tasks_by_kind() {
  auto& s = stmt("SELECT kind, count(*) FROM tasks WHERE state = 'dead' GROUP BY kind");
  std::map<std::string, std::int64_t> out;
  while (s.step()) out[s.text(0)] = s.int64(1);
  return out;
}

}  // namespace af::engine
