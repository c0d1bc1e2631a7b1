// Tests for engine/unit_of_work.h: savepoints with their undos, and a
// group SQLite rolled back on its own (here by a trigger's
// RAISE(ROLLBACK), which ends the transaction as SQLITE_FULL or IOERR may)
// failing as a whole instead of committing what follows in a new implicit
// transaction.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/case_census.h"
#include "engine/ingest.h"
#include "engine/store.h"
#include "tests/engine/test_support.h"

using af::engine::ingest;
using af::engine::store;
using af::engine::transaction_lost;
using af::engine::testing::temp_dir;
using njson = nlohmann::json;

namespace {

store open_store(const std::string& path) {
  auto r = store::open(path, ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  if (!r) FAIL("store::open: " << r.error().to_string());
  return std::move(r).value();
}

// Runs `sql` on a second connection to the file (a test's own trigger).
void exec_beside(const std::string& path, const std::string& sql) {
  sqlite3* other = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &other) == SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(other, sql.c_str(), nullptr, nullptr, &err);
  std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(other);
  REQUIRE(rc == SQLITE_OK);
  INFO(why);
}

af::engine::employee_row employee(const std::string& id) {
  af::engine::employee_row e;
  e.id = id;
  e.name = "Name " + id;
  e.unit = "u";
  e.grade = 3;
  e.joined_on = "2020-01-01";
  return e;
}

std::string sale(const std::string& id) {
  return R"({"type":"sale","event_id":")" + id +
         R"(","manager_id":"E1","occurred_at":"2026-07-03T10:00:00+08:00","amount_fen":500,"brand":"yanghe","customer_id":"K1"})";
}

}  // namespace

TEST_CASE(
    "a savepoint's undos run newest first when it rolls back, the group's when the group does",
    "[engine][unit_of_work]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  auto& work = db.work();
  std::vector<std::string> ran;
  work.begin();
  work.on_rollback([&] { ran.push_back("group"); });
  work.savepoint();
  work.on_rollback([&] { ran.push_back("kept"); });
  work.release();
  work.savepoint();
  work.on_rollback([&] { ran.push_back("first"); });
  work.on_rollback([&] { ran.push_back("second"); });
  work.rollback_to();
  CHECK(ran == std::vector<std::string>{"second", "first"});
  ran.clear();
  work.rollback();
  CHECK(ran == std::vector<std::string>{
                   "kept", "group"});  // a released savepoint's undo belongs to the group

  ran.clear();
  work.begin();
  work.on_rollback([&] { ran.push_back("dropped"); });
  work.commit();
  work.begin();
  work.rollback();
  CHECK(ran.empty());  // a committed group's undos are gone with it
}

TEST_CASE("after SQLite rolls the group back on its own nothing more is committed in it",
          "[engine][unit_of_work]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  auto db = open_store(path);
  exec_beside(path,
              "CREATE TRIGGER poison BEFORE INSERT ON employees WHEN NEW.id = 'POISON' "
              "BEGIN SELECT RAISE(ROLLBACK, 'injected'); END");
  auto& work = db.work();
  int undone = 0;
  work.begin();
  work.savepoint();
  db.upsert_employee(employee("E1"));
  work.on_rollback([&] { ++undone; });
  work.release();
  work.savepoint();
  CHECK_THROWS_WITH(db.upsert_employee(employee("POISON")), Catch::Contains("injected"));
  CHECK(work.lost());
  CHECK_THROWS_AS(work.rollback_to(), transaction_lost);
  // What a later message of the group would do: refused, not committed on its own.
  CHECK_THROWS_AS(work.savepoint(), transaction_lost);
  db.upsert_employee(employee("E2"));  // (autocommit: SQLite would keep this write at once)
  CHECK_THROWS_AS(work.release(), transaction_lost);
  CHECK_THROWS_AS(work.commit(), transaction_lost);
  CHECK(undone == 1);  // commit failed: the group's undos ran
  CHECK_FALSE(work.open());
  CHECK_FALSE(db.find_employee("E1").has_value());
}

TEST_CASE(
    "ingest: a message SQLite rolls back fails its whole group and frees every fingerprint in it",
    "[engine][unit_of_work][ingest]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  auto db = open_store(path);
  db.upsert_employee(employee("E1"));
  ingest ing(db, 480, 1 << 16);
  ing.load();
  exec_beside(path,
              "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.event_id = 'poison' "
              "BEGIN SELECT RAISE(ROLLBACK, 'injected'); END");
  const std::int64_t now = 1'790'000'000;
  db.work().begin();
  CHECK(ing.handle(sale("s1"), now) == R"([{"event_id":"s1","status":"accepted"}])");
  CHECK_THROWS_AS(ing.handle("[" + sale("s2") + "," + sale("poison") + "]", now), transaction_lost);
  // A later message of the same group must not be committed in a transaction of its own.
  CHECK_THROWS_AS(ing.handle(sale("s3"), now), transaction_lost);
  db.work().rollback();  // what the engine's fail_group does
  CHECK(ing.fingerprints() == 0);
  CHECK(db.event_count() == 0);

  // Retried, every event is new again.
  db.work().begin();
  CHECK(ing.handle(sale("s1"), now) == R"([{"event_id":"s1","status":"accepted"}])");
  CHECK(ing.handle(sale("s3"), now) == R"([{"event_id":"s3","status":"accepted"}])");
  ing.flush();
  db.work().commit();
  ing.committed();
  CHECK(db.event_count() == 2);
  CHECK(db.monthly_sum("E1", "2026-07", "2026-07").sales_fen == 1000);
}

TEST_CASE("the case census takes back a move or an opening whose savepoint or group rolls back",
          "[engine][unit_of_work][metrics]") {
  temp_dir dir;
  auto db = open_store(dir.file("assessflow.db"));
  auto& work = db.work();
  af::engine::case_census census;
  census.load({{{"competency50", "self_review"}, 3}, {{"competency50", "final"}, 1}});
  using counts = std::vector<std::pair<std::pair<std::string, std::string>, std::int64_t>>;
  work.begin();
  census.moved(work, "competency50", "self_review", "supervisor_review");
  work.savepoint();
  census.moved(work, "competency50", "self_review", "supervisor_review");
  census.opened(work, "performance", "self_review");
  work.rollback_to();  // the second move and the opening are taken back
  CHECK(census.counts() == counts{{{"competency50", "final"}, 1},
                                  {{"competency50", "self_review"}, 2},
                                  {{"competency50", "supervisor_review"}, 1},
                                  {{"performance", "self_review"}, 0}});
  work.commit();
  work.begin();
  census.moved(work, "competency50", "supervisor_review", "scoring");
  work.rollback();  // the whole group
  CHECK(census.counts() == counts{{{"competency50", "final"}, 1},
                                  {{"competency50", "scoring"}, 0},
                                  {{"competency50", "self_review"}, 2},
                                  {{"competency50", "supervisor_review"}, 1},
                                  {{"performance", "self_review"}, 0}});
}
