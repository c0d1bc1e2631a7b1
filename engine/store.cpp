// store.cpp: opening the store (pragmas, migrations), its cache of
// prepared statements, and the case row reader the store's files share.
// The tables live in store_*.cpp, one concept each (store.h lists them).
#include "engine/store.h"

#include "engine/migrations.h"

namespace af::engine {

case_row read_case(statement& s) {
  case_row c;
  c.id = s.int64(0);
  c.cycle_id = s.int64(1);
  c.program = s.text(2);
  c.period = s.text(3);
  c.employee_id = s.text(4);
  c.unit = s.text(5);
  c.supervisor_id = s.text(6);
  c.hrbp_id = s.opt_text(7).value_or("");
  c.as_of = s.text(8);
  c.state = s.text(9);
  c.self_json = s.opt_text(10);
  c.review_json = s.opt_text(11);
  c.result_json = s.opt_text(12);
  c.total = s.opt_int64(13);
  c.tier = s.opt_int64(14);
  c.adjusted_tier = s.opt_int64(15);
  c.adjust_reason = s.opt_text(16);
  c.updated_at = s.text(17);
  c.flags = s.opt_text(18);
  c.overdue_since = s.opt_text(19);
  c.remind_at = s.opt_int64(20);
  c.due_at = s.opt_int64(21);
  c.deadline_stage = s.integer(22);
  if (auto g = s.opt_int64(23)) c.grade = static_cast<int>(*g);
  return c;
}

const char* const case_columns =
    "id, cycle_id, program, period, employee_id, unit, supervisor_id, hrbp_id, as_of, state, "
    "self_json, review_json, result_json, total, tier, adjusted_tier, adjust_reason, updated_at, "
    "flags, overdue_since, remind_at, due_at, deadline_stage, grade";

result<store> store::open(const std::string& path, const std::string& migrations_dir,
                          bool full_sync) {
  auto migrations = load_migrations(migrations_dir);
  if (!migrations) return migrations.error();
  auto db = database::open(path);
  if (!db) return db.error();
  try {
    // Another process holding the write lock never stalls the engine's
    // loop longer than this; the engine retries on its next tick.
    db->exec("PRAGMA busy_timeout = 50");
    db->exec("PRAGMA journal_mode = WAL");
    db->exec(full_sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    db->exec("PRAGMA foreign_keys = ON");
    db->exec("PRAGMA cache_size = -65536");  // 64 MiB page cache
    // No wal_autocheckpoint: the connection's WAL hook (database::wal_frames)
    // replaces it, and engine/checkpointer.h checkpoints off the loop.
    auto version = migrate(*db, *migrations);
    if (!version) return version.error();
  } catch (const sqlite_error& e) {
    return status::io_error(path + ": " + e.what());
  }
  return store(std::move(db).value());
}

statement& store::stmt(const char* sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) it = cache_.emplace(sql, db_.prepare(sql)).first;
  it->second.reset();
  return it->second;
}

}  // namespace af::engine
