#include "engine/store.h"

#include "base/checked.h"
#include "engine/migrations.h"
#include "engine/outbox.h"
#include "messages/json_text.h"

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
  return c;
}

const char* const case_columns =
    "id, cycle_id, program, period, employee_id, unit, supervisor_id, hrbp_id, as_of, state, "
    "self_json, review_json, result_json, total, tier, adjusted_tier, adjust_reason, updated_at, "
    "flags, overdue_since, remind_at, due_at, deadline_stage";

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
  e.roles = s.text(7);
  e.active = s.integer(8) != 0;
  return e;
}

std::optional<std::string> null_if_empty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

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

void store::upsert_employee(const employee_row& e) {
  stmt(
      "INSERT INTO employees (id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, "
      "active) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO UPDATE SET name = ?2, unit "
      "= ?3, "
      "grade = ?4, supervisor_id = ?5, hrbp_id = ?6, joined_on = ?7, roles = ?8, active = ?9")
      .bind(1, e.id)
      .bind(2, e.name)
      .bind(3, e.unit)
      .bind(4, e.grade)
      .bind(5, null_if_empty(e.supervisor_id))
      .bind(6, null_if_empty(e.hrbp_id))
      .bind(7, e.joined_on)
      .bind(8, e.roles)
      .bind(9, e.active ? 1 : 0)
      .run();
}

std::optional<employee_row> store::find_employee(const std::string& id) {
  auto& s = stmt(
      "SELECT id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, active "
      "FROM employees WHERE id = ?1");
  s.bind(1, id);
  if (!s.step()) return std::nullopt;
  auto e = read_employee(s);
  s.reset();
  return e;
}

std::vector<employee_row> store::employees(const std::optional<std::string>& unit) {
  auto& s = stmt(
      "SELECT id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, active "
      "FROM employees WHERE ?1 IS NULL OR unit = ?1 ORDER BY id");
  s.bind(1, unit);
  std::vector<employee_row> out;
  while (s.step()) out.push_back(read_employee(s));
  return out;
}

void store::for_each_employee(const std::optional<std::string>& unit,
                              const std::function<void(const employee_row&)>& f) {
  auto& s = stmt(
      "SELECT id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, active "
      "FROM employees WHERE ?1 IS NULL OR unit = ?1 ORDER BY id -- streamed");
  s.bind(1, unit);
  struct reset_at_exit {
    statement& st;
    ~reset_at_exit() { st.reset(); }
  } guard{s};
  while (s.step()) f(read_employee(s));
}

bool store::has_employees(const std::optional<std::string>& unit) {
  auto& s = stmt("SELECT 1 FROM employees WHERE ?1 IS NULL OR unit = ?1 LIMIT 1");
  s.bind(1, unit);
  bool any = s.step();
  s.reset();
  return any;
}

void store::for_each_employee_id(const std::function<void(const std::string&)>& f) {
  auto& s = stmt("SELECT id FROM employees");
  while (s.step()) f(s.text(0));
}

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

std::optional<std::int64_t> store::insert_case(const case_row& c) {
  stmt(
      "INSERT OR IGNORE INTO cases (cycle_id, program, period, employee_id, unit, supervisor_id, "
      "hrbp_id, "
      "as_of, state, updated_at, remind_at, due_at, next_timer_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, coalesce(?11, ?12))")
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
  struct reset_at_exit {
    statement& st;
    ~reset_at_exit() { st.reset(); }
  } guard{s};
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

store::activity_row store::activity(const std::string& manager_id, const std::string& month) {
  auto& s = stmt(
      "SELECT outlets_opened, display_checked, banquets FROM activity_monthly WHERE manager_id = "
      "?1 AND month = ?2");
  s.bind(1, manager_id).bind(2, month);
  activity_row a;
  if (s.step()) a = {s.int64(0), s.int64(1), s.int64(2)};
  s.reset();
  return a;
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

std::int64_t store::insert_task(const std::string& kind, std::int64_t case_id,
                                const std::string& payload, const std::string& at) {
  auto type = task_type_of(kind);
  stmt(
      "INSERT INTO tasks (kind, case_id, state, payload, created_at, version) VALUES (?1, ?2, "
      "'queued', ?3, ?4, ?5)")
      .bind(1, kind)
      .bind(2, case_id)
      .bind_blob(3, payload)
      .bind(4, at)
      .bind(5, type ? static_cast<int>(msg::current_version(*type)) : 1)
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

void store::insert_event(const stored_event& e, std::int64_t received_at) {
  stmt(
      "INSERT INTO events (event_id, fp_hi, fp_lo, type, manager_id, occurred_at, amount_fen, "
      "brand, "
      "customer_id, refers_to, converted, store_id, period, target_fen, received_at, source) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)")
      .bind(1, e.event_id)
      .bind(2, static_cast<std::int64_t>(e.fp_hi))
      .bind(3, static_cast<std::int64_t>(e.fp_lo))
      .bind(4, e.type)
      .bind(5, e.manager_id)
      .bind(6, e.occurred_at)
      .bind(7, e.amount_fen)
      .bind(8, e.brand)
      .bind(9, e.customer_id)
      .bind(10, e.refers_to)
      .bind(11, e.converted)
      .bind(12, e.store_id)
      .bind(13, e.period)
      .bind(14, e.target_fen)
      .bind(15, received_at)
      .bind(16, e.source)
      .run();
}

void store::for_each_fingerprint(const std::function<void(std::uint64_t, std::uint64_t)>& f) {
  auto& s = stmt("SELECT fp_hi, fp_lo FROM events");
  while (s.step())
    f(static_cast<std::uint64_t>(s.int64(0)), static_cast<std::uint64_t>(s.int64(1)));
}

void store::add_monthly(const std::string& manager_id, const std::string& month,
                        const sales_figures& d) {
  stmt(
      "INSERT INTO sales_monthly (manager_id, month, sales_fen, refunds_fen, inquiries, converted) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (manager_id, month) DO UPDATE SET "
      "sales_fen = sales_fen + ?3, refunds_fen = refunds_fen + ?4, inquiries = inquiries + ?5, "
      "converted = converted + ?6")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, d.sales_fen)
      .bind(4, d.refunds_fen)
      .bind(5, d.inquiries)
      .bind(6, d.converted)
      .run();
}

sales_figures store::monthly_sum(const std::string& manager_id, const std::string& from_month,
                                 const std::string& to_month) {
  // Summed here, not by SQLite's sum(), which fails the statement on an
  // overflow (a store error that would fail the whole group).
  auto& s = stmt(
      "SELECT sales_fen, refunds_fen, inquiries, converted FROM sales_monthly "
      "WHERE manager_id = ?1 AND month BETWEEN ?2 AND ?3");
  s.bind(1, manager_id).bind(2, from_month).bind(3, to_month);
  std::string what = "the sales of " + manager_id + " from " + from_month + " to " + to_month;
  checked::sum sales(what), refunds(what), inquiries(what), converted(what);
  try {
    while (s.step()) {
      sales += s.int64(0);
      refunds += s.int64(1);
      inquiries += s.int64(2);
      converted += s.int64(3);
    }
  } catch (...) {
    s.reset();
    throw;
  }
  s.reset();
  return {sales.value(), refunds.value(), inquiries.value(), converted.value()};
}

void store::for_each_sale(const std::function<void(const stored_sale&)>& f) {
  auto& s =
      stmt("SELECT fp_hi, fp_lo, manager_id, brand, amount_fen FROM events WHERE type = 'sale'");
  while (s.step())
    f({static_cast<std::uint64_t>(s.int64(0)), static_cast<std::uint64_t>(s.int64(1)), s.text(2),
       s.opt_text(3).value_or(""), s.int64(4)});
}

void store::for_each_refund(
    const std::function<void(const std::string&, const std::string&, std::int64_t)>& f) {
  auto& s = stmt("SELECT source, refers_to, amount_fen FROM events WHERE type = 'refund'");
  while (s.step()) f(s.text(0), s.text(1), s.int64(2));
}

void store::add_brand_monthly(const std::string& manager_id, const std::string& month,
                              const std::string& brand, std::int64_t sales_fen,
                              std::int64_t refunds_fen) {
  stmt(
      "INSERT INTO brand_monthly (manager_id, month, brand, sales_fen, refunds_fen) VALUES (?1, "
      "?2, ?3, ?4, ?5) "
      "ON CONFLICT (manager_id, month, brand) DO UPDATE SET sales_fen = sales_fen + ?4, "
      "refunds_fen = refunds_fen + ?5")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, brand)
      .bind(4, sales_fen)
      .bind(5, refunds_fen)
      .run();
}

void store::add_activity(const std::string& manager_id, const std::string& month,
                         std::int64_t outlets, std::int64_t display_checked,
                         std::int64_t banquets) {
  stmt(
      "INSERT INTO activity_monthly (manager_id, month, outlets_opened, display_checked, banquets) "
      "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (manager_id, month) DO UPDATE SET "
      "outlets_opened = outlets_opened + ?3, display_checked = display_checked + ?4, banquets = "
      "banquets + ?5")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, outlets)
      .bind(4, display_checked)
      .bind(5, banquets)
      .run();
}

store::target_change store::apply_target(const std::string& manager_id, const std::string& month,
                                         const std::string& brand, std::int64_t target_fen,
                                         std::int64_t occurred_at, const std::string& event_id) {
  target_change change;
  auto& q = stmt(
      "SELECT target_fen, occurred_at FROM targets WHERE manager_id = ?1 AND month = ?2 AND brand "
      "= ?3");
  q.bind(1, manager_id).bind(2, month).bind(3, brand);
  std::optional<std::int64_t> current_at;
  if (q.step()) {
    change.replaced = q.int64(0);
    current_at = q.int64(1);
  }
  q.reset();
  change.applied = !current_at || occurred_at >= *current_at;
  if (!change.applied) change.replaced.reset();
  if (change.applied)
    stmt(
        "INSERT INTO targets (manager_id, month, brand, target_fen, occurred_at, event_id) VALUES "
        "(?1, ?2, ?3, ?4, ?5, ?6) "
        "ON CONFLICT (manager_id, month, brand) DO UPDATE SET target_fen = ?4, occurred_at = ?5, "
        "event_id = ?6")
        .bind(1, manager_id)
        .bind(2, month)
        .bind(3, brand)
        .bind(4, target_fen)
        .bind(5, occurred_at)
        .bind(6, event_id)
        .run();
  stmt(
      "INSERT INTO target_history (manager_id, month, brand, target_fen, occurred_at, event_id, "
      "replaced, applied) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, manager_id)
      .bind(2, month)
      .bind(3, brand)
      .bind(4, target_fen)
      .bind(5, occurred_at)
      .bind(6, event_id)
      .bind(7, change.replaced)
      .bind(8, change.applied ? 1 : 0)
      .run();
  return change;
}

std::vector<store::brand_month> store::brand_months(const std::string& manager_id,
                                                    const std::string& month) {
  auto& s = stmt(
      "SELECT brand, sum(target_fen), sum(sales_fen), sum(refunds_fen) FROM ("
      " SELECT brand, target_fen, 0 AS sales_fen, 0 AS refunds_fen FROM targets WHERE manager_id = "
      "?1 AND month = ?2"
      " UNION ALL SELECT brand, 0, sales_fen, refunds_fen FROM brand_monthly WHERE manager_id = ?1 "
      "AND month = ?2)"
      " GROUP BY brand ORDER BY brand");
  s.bind(1, manager_id).bind(2, month);
  std::vector<brand_month> out;
  while (s.step()) out.push_back({s.text(0), s.int64(1), s.int64(2), s.int64(3)});
  return out;
}

std::vector<store::target_history_row> store::target_history(const std::string& manager_id) {
  auto& s = stmt(
      "SELECT month, brand, event_id, target_fen, occurred_at, replaced, applied FROM "
      "target_history "
      "WHERE manager_id = ?1 ORDER BY id");
  s.bind(1, manager_id);
  std::vector<target_history_row> out;
  while (s.step())
    out.push_back({s.text(0), s.text(1), s.text(2), s.int64(3), s.int64(4), s.opt_int64(5),
                   s.integer(6) != 0});
  return out;
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

std::int64_t store::event_count() {
  auto& s = stmt("SELECT count(*) FROM events");
  s.step();
  auto n = s.int64(0);
  s.reset();
  return n;
}

}  // namespace af::engine
