// Tests for engine/store.h and engine/migrations.h on temporary SQLite
// files: schema versioning, refusal of newer databases, migration failures,
// transaction and savepoint atomicity (including an injected failure
// halfway through a transaction), and the store's small contracts.
#include "engine/store.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "base/civil_time.h"
#include "engine/migrations.h"
#include "engine/sqlite.h"
#include "messages/envelope.h"
#include "tests/engine/test_support.h"

using af::status_code;
using af::engine::case_row;
using af::engine::database;
using af::engine::employee_row;
using af::engine::store;
using af::engine::testing::all_cases;
using af::engine::testing::temp_dir;
using af::engine::testing::write_file;

namespace {

const std::string migrations_dir = ASSESSFLOW_SCHEMAS_DIR "/migrations";

store open_store(const std::string& path) {
  auto r = store::open(path, migrations_dir, false);
  if (!r) FAIL("store::open: " << r.error().to_string());
  return std::move(r).value();
}

database open_raw(const std::string& path) {
  auto r = database::open(path);
  if (!r) FAIL("database::open: " << r.error().to_string());
  return std::move(r).value();
}

int user_version(database& db) {
  auto q = db.prepare("PRAGMA user_version");
  REQUIRE(q.step());
  return q.integer(0);
}

bool table_exists(database& db, const std::string& name) {
  auto q = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1");
  q.bind(1, name);
  REQUIRE(q.step());
  return q.int64(0) == 1;
}

std::vector<std::string> tables(database& db) {
  auto q = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  std::vector<std::string> out;
  while (q.step()) out.push_back(q.text(0));
  return out;
}

employee_row employee(const std::string& id, int grade = 3) {
  employee_row e;
  e.id = id;
  e.name = "Name " + id;
  e.unit = "unit-a";
  e.grade = grade;
  e.supervisor_id = "S1";
  e.hrbp_id = "B1";
  e.joined_on = "2021-03-01";
  return e;
}

case_row a_case(std::int64_t cycle_id, const std::string& employee_id,
                const std::string& period = "2026-Q3") {
  case_row c;
  c.cycle_id = cycle_id;
  c.program = "competency50";
  c.period = period;
  c.employee_id = employee_id;
  c.unit = "unit-a";
  c.supervisor_id = "S1";
  c.hrbp_id = "B1";
  c.as_of = "2026-09-30";
  c.state = "self_review";
  c.updated_at = "2026-10-01T09:00:00+08:00";
  return c;
}

const std::string at = "2026-10-01T09:00:00+08:00";

}  // namespace

TEST_CASE("migrations create the schema and set user_version", "[engine][store]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  { auto db = open_store(path); }
  auto raw = open_raw(path);
  CHECK(user_version(raw) == 14);
  CHECK(tables(raw) == std::vector<std::string>{"activity_monthly",
                                                "audit",
                                                "banquets_monthly",
                                                "brand_monthly",
                                                "case_raters",
                                                "case_ratings",
                                                "cases",
                                                "customer_months",
                                                "cycles",
                                                "display_stores_monthly",
                                                "employees",
                                                "event_retention",
                                                "events",
                                                "grade_changes",
                                                "history",
                                                "learning_done",
                                                "meta",
                                                "principal_keys_retired",
                                                "principals",
                                                "sales_monthly",
                                                "schedule_runs",
                                                "standard_adjustments",
                                                "standard_levels",
                                                "target_history",
                                                "targets",
                                                "tasks"});
  auto mode = raw.prepare("PRAGMA journal_mode");
  REQUIRE(mode.step());
  CHECK(mode.text(0) == "wal");
}

TEST_CASE("reopening a migrated database is idempotent and keeps the data", "[engine][store]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  {
    auto db = open_store(path);
    db.upsert_employee(employee("E1"));
  }
  for (int i = 0; i < 2; ++i) {
    auto db = open_store(path);
    auto e = db.find_employee("E1");
    REQUIRE(e.has_value());
    CHECK(e->name == "Name E1");
  }
  auto raw = open_raw(path);
  CHECK(user_version(raw) == 14);
}

TEST_CASE("a database newer than the engine is refused", "[engine][store]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  { auto db = open_store(path); }
  {
    auto raw = open_raw(path);
    raw.exec("PRAGMA user_version = 99");
  }
  auto r = store::open(path, migrations_dir, false);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().code() == status_code::corruption);
  CHECK(
      r.error().message() ==
      "database schema version 99 is newer than this engine knows (14); use a newer assess-engine");
  CHECK_THAT(r.error().message(), Catch::Contains("newer"));
  // And it was left alone.
  auto raw = open_raw(path);
  CHECK(user_version(raw) == 99);
}

TEST_CASE("load_migrations orders files and refuses gaps and bad names",
          "[engine][store][migrations]") {
  temp_dir dir;
  SECTION("the real migrations") {
    auto r = af::engine::load_migrations(migrations_dir);
    REQUIRE(r.is_ok());
    REQUIRE(r->size() == 14);
    CHECK((*r)[0].version == 1);
    CHECK((*r)[0].name == "001_init.sql");
    CHECK((*r)[1].name == "002_dead_tasks_index.sql");
    CHECK((*r)[2].name == "003_targets_and_activity.sql");
    CHECK((*r)[4].name == "005_deadlines.sql");
    CHECK((*r)[5].name == "006_standards_and_raters.sql");
    CHECK_THAT((*r)[0].sql, Catch::Contains("CREATE TABLE employees"));
  }
  SECTION("ordered by number, other files ignored") {
    write_file(dir.path() / "002_b.sql", "CREATE TABLE b (y);");
    write_file(dir.path() / "001_a.sql", "CREATE TABLE a (x);");
    write_file(dir.path() / "README.md", "not a migration");
    auto r = af::engine::load_migrations(dir.path().string());
    REQUIRE(r.is_ok());
    REQUIRE(r->size() == 2);
    CHECK((*r)[0].name == "001_a.sql");
    CHECK((*r)[1].name == "002_b.sql");
    CHECK((*r)[1].version == 2);
  }
  SECTION("a gap") {
    write_file(dir.path() / "001_a.sql", "CREATE TABLE a (x);");
    write_file(dir.path() / "003_b.sql", "CREATE TABLE b (y);");
    auto r = af::engine::load_migrations(dir.path().string());
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error().code() == status_code::invalid_argument);
    CHECK(r.error().message() ==
          "003_b.sql: migrations must be numbered 001, 002, ... without gaps");
  }
  SECTION("not starting at 001") {
    write_file(dir.path() / "002_a.sql", "CREATE TABLE a (x);");
    auto r = af::engine::load_migrations(dir.path().string());
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error().message() ==
          "002_a.sql: migrations must be numbered 001, 002, ... without gaps");
  }
  SECTION("bad names") {
    for (std::string bad :
         {"init.sql", "1_init.sql", "01_init.sql", "01a_init.sql", "0x1_init.sql"}) {
      INFO(bad);
      temp_dir one;
      write_file(one.path() / bad, "CREATE TABLE a (x);");
      auto r = af::engine::load_migrations(one.path().string());
      REQUIRE_FALSE(r.is_ok());
      CHECK(r.error().code() == status_code::invalid_argument);
      CHECK(r.error().message() == bad + ": migration files are named NNN_name.sql");
    }
  }
  SECTION("an empty or missing directory") {
    auto empty = af::engine::load_migrations(dir.path().string());
    REQUIRE_FALSE(empty.is_ok());
    CHECK(empty.error().code() == status_code::not_found);
    CHECK(empty.error().message() == "no migrations in " + dir.path().string());
    auto missing = af::engine::load_migrations(dir.file("nope"));
    REQUIRE_FALSE(missing.is_ok());
    CHECK(missing.error().code() == status_code::not_found);
    CHECK(missing.error().message() == "migrations directory " + dir.file("nope") + " not found");
  }
}

TEST_CASE("a migration that fails halfway leaves the previous version",
          "[engine][store][migrations]") {
  temp_dir dir;
  auto mig = dir.path() / "migrations";
  std::filesystem::create_directory(mig);
  write_file(mig / "001_good.sql", "CREATE TABLE good (x INTEGER);");
  write_file(mig / "002_bad.sql", "CREATE TABLE half (y INTEGER);\nTHIS IS NOT SQL;\n");
  std::string path = dir.file("assessflow.db");

  auto r = store::open(path, mig.string(), false);
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().code() == status_code::io_error);
  CHECK_THAT(r.error().message(), Catch::StartsWith("migration 002_bad.sql failed: "));
  CHECK_THAT(r.error().message(), Catch::Contains("syntax error"));

  auto raw = open_raw(path);
  CHECK(user_version(raw) == 1);
  CHECK(table_exists(raw, "good"));
  CHECK_FALSE(table_exists(raw, "half"));

  SECTION("fixing the migration lets the next open finish the job") {
    write_file(mig / "002_bad.sql", "CREATE TABLE half (y INTEGER);\n");
    auto again = store::open(path, mig.string(), false);
    REQUIRE(again.is_ok());
    CHECK(user_version(raw) == 2);
    CHECK(table_exists(raw, "half"));
  }
}

TEST_CASE("migrate() reports the resulting version and skips what is applied",
          "[engine][store][migrations]") {
  temp_dir dir;
  auto raw = open_raw(dir.file("m.db"));
  std::vector<af::engine::migration> ms = {{1, "001_a.sql", "CREATE TABLE a (x);"},
                                           {2, "002_b.sql", "CREATE TABLE b (y);"}};
  auto first = af::engine::migrate(raw, {ms[0]});
  REQUIRE(first.is_ok());
  CHECK(*first == 1);
  auto second = af::engine::migrate(raw, ms);  // 001 is not run again (it would fail: a exists)
  REQUIRE(second.is_ok());
  CHECK(*second == 2);
  CHECK(user_version(raw) == 2);
  auto third = af::engine::migrate(raw, ms);
  REQUIRE(third.is_ok());
  CHECK(*third == 2);
}

TEST_CASE("rollback discards a whole transaction", "[engine][store][atomicity]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  auto db = open_store(path);
  db.upsert_employee(employee("E1"));

  db.work().begin();
  auto cycle = db.insert_cycle("competency50", "2026-Q3", std::nullopt, at, "admin", 0);
  auto id = db.insert_case(a_case(cycle, "E1"));
  REQUIRE(id.has_value());
  db.add_history(*id, at, "", "self_review", "open", "admin", "cycle 1");
  db.insert_task(af::msg::message_type::scoring_task, *id, std::string("\x01\x00\x02", 3), at);
  CHECK(db.find_case(*id).has_value());  // visible inside the transaction
  db.work().rollback();

  CHECK_FALSE(db.find_case(*id).has_value());
  CHECK(db.history(*id).empty());
  CHECK_FALSE(db.find_cycle("competency50", "2026-Q3", std::nullopt).has_value());
  CHECK(db.queued_tasks().empty());
  CHECK(all_cases(db).empty());
  // The employee committed before the transaction is still there.
  CHECK(db.find_employee("E1").has_value());

  // Nothing reached the file either: a fresh connection sees no case.
  auto other = open_store(path);
  CHECK(all_cases(other).empty());
}

TEST_CASE("commit makes a transaction durable for other connections",
          "[engine][store][atomicity]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  auto db = open_store(path);
  db.work().begin();
  auto cycle = db.insert_cycle("competency50", "2026-Q3", std::nullopt, at, "admin", 0);
  auto id = db.insert_case(a_case(cycle, "E1"));
  REQUIRE(id.has_value());
  db.add_history(*id, at, "", "self_review", "open", "admin", "");
  db.work().commit();

  auto other = open_store(path);
  auto c = other.find_case(*id);
  REQUIRE(c.has_value());
  CHECK(c->state == "self_review");
  CHECK(c->employee_id == "E1");
  auto h = other.history(*id);
  REQUIRE(h.size() == 1);
  CHECK(h[0].from_state == "");
  CHECK(h[0].to_state == "self_review");
  CHECK(h[0].actor == "admin");
  CHECK(h[0].reason == "");
}

TEST_CASE("rollback_to discards only the savepoint's writes", "[engine][store][atomicity]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  db.work().begin();
  db.upsert_employee(employee("E1"));
  db.work().savepoint();
  db.upsert_employee(employee("E2"));
  auto renamed = employee("E1");
  renamed.name = "Renamed";
  db.upsert_employee(renamed);
  CHECK(db.find_employee("E2").has_value());
  db.work().rollback_to();
  db.work().savepoint();
  db.upsert_employee(employee("E3"));
  db.work().release();
  db.work().commit();

  CHECK(db.find_employee("E1").has_value());
  CHECK(db.find_employee("E1")->name == "Name E1");
  CHECK_FALSE(db.find_employee("E2").has_value());
  CHECK(db.find_employee("E3").has_value());
  CHECK(db.employees(std::nullopt).size() == 2);
}

TEST_CASE("a write failing halfway through a transaction leaves nothing behind",
          "[engine][store][atomicity]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  auto db = open_store(path);
  db.work().begin();
  db.upsert_employee(employee("E1"));
  auto cycle = db.insert_cycle("competency50", "2026-Q3", std::nullopt, at, "admin", 0);
  REQUIRE(db.insert_case(a_case(cycle, "E1")).has_value());
  bool thrown = false;
  try {
    db.upsert_employee(employee("E2", 7));  // grade 7 violates CHECK (grade BETWEEN 1 AND 4)
  } catch (const af::engine::sqlite_error& e) {
    thrown = true;
    CHECK(e.code == SQLITE_CONSTRAINT_CHECK);
    CHECK_THAT(e.what(), Catch::Contains("CHECK constraint failed"));
    db.work().rollback();
  }
  REQUIRE(thrown);

  CHECK_FALSE(db.find_employee("E1").has_value());
  CHECK_FALSE(db.find_employee("E2").has_value());
  CHECK(all_cases(db).empty());
  CHECK_FALSE(db.find_cycle("competency50", "2026-Q3", std::nullopt).has_value());

  // The store is usable after the failure: the same statements work again.
  db.work().begin();
  db.upsert_employee(employee("E2", 2));
  db.work().commit();
  auto other = open_store(path);
  REQUIRE(other.find_employee("E2").has_value());
  CHECK(other.find_employee("E2")->grade == 2);
  CHECK_FALSE(other.find_employee("E1").has_value());
}

TEST_CASE("a case needs an existing cycle (foreign keys are on)", "[engine][store]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  try {
    db.insert_case(a_case(42, "E1"));
    FAIL("a case with an unknown cycle was accepted");
  } catch (const af::engine::sqlite_error& e) {
    CHECK(e.code == SQLITE_CONSTRAINT_FOREIGNKEY);
  }
  CHECK(all_cases(db).empty());
}

TEST_CASE("insert_case is idempotent per (program, period, employee)", "[engine][store]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  auto cycle = db.insert_cycle("competency50", "2026-Q3", std::nullopt, at, "admin", 0);
  auto first = db.insert_case(a_case(cycle, "E1"));
  REQUIRE(first.has_value());
  CHECK_FALSE(db.insert_case(a_case(cycle, "E1")).has_value());
  auto again_other_cycle =
      db.insert_cycle("competency50", "2026-Q3", std::string("unit-a"), at, "admin", 0);
  CHECK_FALSE(db.insert_case(a_case(again_other_cycle, "E1")).has_value());
  auto other_period = db.insert_case(a_case(cycle, "E1", "2026-Q4"));
  REQUIRE(other_period.has_value());
  CHECK(*other_period != *first);
  auto other_employee = db.insert_case(a_case(cycle, "E2"));
  REQUIRE(other_employee.has_value());
  auto other_program = a_case(cycle, "E1");
  other_program.program = "kam_review";
  CHECK(db.insert_case(other_program).has_value());
  CHECK(all_cases(db).size() == 4);
  af::engine::case_filter f;
  f.period = "2026-Q3";
  f.program = "competency50";
  auto q3 = all_cases(db, f);
  REQUIRE(q3.size() == 2);
  CHECK(q3[0].employee_id == "E1");
  CHECK(q3[1].employee_id == "E2");
}

TEST_CASE("monthly_sum adds the months of a range, both ends included", "[engine][store]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  using af::engine::sales_figures;
  db.add_monthly("E1", "2026-06", sales_figures{1, 0, 0, 0});
  db.add_monthly("E1", "2026-07", sales_figures{100, 10, 3, 1});
  db.add_monthly("E1", "2026-07", sales_figures{50, 5, 2, 2});  // accumulates
  db.add_monthly("E1", "2026-08", sales_figures{1000, 0, 4, 0});
  db.add_monthly("E1", "2026-09", sales_figures{10000, 100, 1, 1});
  db.add_monthly("E1", "2026-10", sales_figures{7, 0, 0, 0});
  db.add_monthly("E2", "2026-08", sales_figures{999999, 0, 9, 9});

  auto q3 = db.monthly_sum("E1", "2026-07", "2026-09");
  CHECK(q3.sales_fen == 100 + 50 + 1000 + 10000);
  CHECK(q3.refunds_fen == 10 + 5 + 100);
  CHECK(q3.net_fen() == 11150 - 115);
  CHECK(q3.inquiries == 3 + 2 + 4 + 1);
  CHECK(q3.converted == 1 + 2 + 0 + 1);

  auto july = db.monthly_sum("E1", "2026-07", "2026-07");
  CHECK(july.sales_fen == 150);
  CHECK(july.refunds_fen == 15);
  CHECK(july.inquiries == 5);
  CHECK(july.converted == 3);

  auto none = db.monthly_sum("E1", "2025-01", "2025-12");
  CHECK(none.sales_fen == 0);
  CHECK(none.inquiries == 0);
  auto unknown = db.monthly_sum("E9", "2026-01", "2026-12");
  CHECK(unknown.net_fen() == 0);
  CHECK(db.monthly_sum("E2", "2026-01", "2026-12").sales_fen == 999999);
}

TEST_CASE("complete_task returns true once, then false", "[engine][store]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  std::string payload(
      "\x00\xff\x10"
      "binary",
      9);
  auto t1 = db.insert_task(af::msg::message_type::scoring_task, 1, payload, at);
  auto t2 = db.insert_task(af::msg::message_type::notify_task, 1, "n", at);
  auto queued = db.queued_tasks();
  REQUIRE(queued.size() == 2);
  CHECK(queued[0].id == t1);
  CHECK(queued[0].kind == "scoring");
  CHECK(queued[0].payload == payload);  // blobs keep their zero bytes
  CHECK(queued[1].id == t2);
  // Each task remembers the layout version its body was written in.
  CHECK(queued[0].version == af::msg::current_version(af::msg::message_type::scoring_task));
  CHECK(queued[0].version == 3);
  CHECK(queued[1].version == 2);  // notify_task with its channel

  CHECK(db.complete_task(t1, at));
  CHECK_FALSE(db.complete_task(t1, at));
  CHECK_FALSE(db.complete_task(9999, at));
  REQUIRE(db.queued_tasks().size() == 1);
  CHECK(db.queued_tasks()[0].id == t2);

  db.kill_task(t2, 5, "lease expired 5 times");
  CHECK_FALSE(db.complete_task(t2, at));  // a dead task is not completed either
  CHECK(db.queued_tasks().empty());
  auto counts = db.task_counts_by_state();
  CHECK(counts == std::map<std::string, std::int64_t>{{"dead", 1}, {"done", 1}, {"queued", 0}});
}

TEST_CASE("a checkpoint between transactions rewinds the WAL instead of letting it grow",
          "[engine][store][wal]") {
  temp_dir dir;
  const std::string path = (dir.path() / "wal.db").string();
  auto opened = database::open(path);
  REQUIRE(opened);
  database db = std::move(opened).value();
  db.exec("PRAGMA journal_mode = WAL");
  db.exec("CREATE TABLE t (v BLOB)");
  auto commit_one = [&db] {
    db.exec("BEGIN IMMEDIATE");
    db.exec("INSERT INTO t VALUES (zeroblob(3000))");
    db.exec("COMMIT");
  };
  for (int i = 0; i < 50; ++i) commit_one();
  int grown = db.wal_frames();
  CHECK(grown >= 50);  // every commit appended at least one frame
  auto wal_bytes = [&] { return std::filesystem::file_size(path + "-wal"); };
  auto size_before = wal_bytes();

  REQUIRE(db.checkpoint());  // no other connection: every frame is copied
  commit_one();
  // The commit after a complete checkpoint starts again at frame 1.
  CHECK(db.wal_frames() > 0);
  CHECK(db.wal_frames() < 5);
  for (int i = 0; i < 20; ++i) commit_one();
  CHECK(db.wal_frames() < grown);
  CHECK(wal_bytes() == size_before);  // overwritten in place, not appended
}

TEST_CASE("migration 009 keeps the grades known before it and leaves older cases' grade unknown",
          "[engine][store][migrations]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  auto all = af::engine::load_migrations(migrations_dir);
  REQUIRE(all);
  {  // a database of version 8 with an employee and a case
    auto raw = open_raw(path);
    std::vector<af::engine::migration> before(all->begin(), all->begin() + 8);
    REQUIRE(*af::engine::migrate(raw, before) == 8);
    raw.exec(
        "INSERT INTO employees (id, name, unit, grade, supervisor_id, hrbp_id, joined_on, roles, "
        "active) VALUES ('E1', 'N', 'U', 2, NULL, NULL, '2020-01-01', '', 1)");
    raw.exec(
        "INSERT INTO cycles (program, period, opened_at, opened_by) VALUES ('competency_model', "
        "'2026', '2027-01-02T09:00:00+08:00', 'admin')");
    raw.exec(
        "INSERT INTO cases (cycle_id, program, period, employee_id, unit, supervisor_id, as_of, "
        "state, updated_at) VALUES (1, 'competency_model', '2026', 'E1', 'U', 'S1', "
        "'2026-12-31', 'self_review', '2027-01-02T09:00:00+08:00')");
  }
  auto db = open_store(path);
  auto changes = db.grade_changes("E1");
  REQUIRE(changes.size() == 1);
  CHECK_FALSE(changes[0].from.has_value());
  CHECK(changes[0].to == 2);
  CHECK(changes[0].by == "migration 009");
  CHECK(af::parse_instant(changes[0].at).has_value());
  CHECK_FALSE(db.find_case(1)->grade.has_value());

  // A case opened from now on keeps its grade.
  auto c = a_case(1, "E1", "2027");
  c.grade = 2;
  auto id = db.insert_case(c);
  REQUIRE(id);
  CHECK(db.find_case(*id)->grade == 2);
}
