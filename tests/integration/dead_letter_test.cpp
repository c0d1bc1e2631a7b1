// Poison tasks and the dead-letter queue against the real engine, notify
// worker and assessctl: a notification that cannot be written is offered
// again after a growing backoff, dies after --max-attempts with its last
// error, is listed by `assessctl tasks --state dead` and delivered once
// `assessctl tasks retry --all-dead` queues it again.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/scenario.h"

using namespace af::test;
namespace fs = std::filesystem;

namespace {

json tasks_of(const std::string& data, const std::string& state) {
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", data, "--json", "tasks", "--state", state}, &out) == 0);
  return json::parse(out);
}

}  // namespace

TEST_CASE(
    "a notification that always fails backs off, dies with its last error, and is delivered once "
    "retried",
    "[integration][dead_letter]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(
      s.root.path(), {"--max-attempts", "3", "--retry-base-ms", "200", "--retry-cap-ms", "400"});
  s.load();
  // The outbox is a file, not a directory: every delivery fails.
  std::string outbox = s.data() + "/notifications";
  fs::remove_all(outbox);
  { std::ofstream(outbox) << "not a directory"; }
  auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path());
  auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
  long long cycle = s.open_cycle();
  // Every case to final: each final case notifies its employee, supervisor and HRBP.
  REQUIRE(run(ASSESS_DRIVE_BIN,
              {"--data", s.data(), "--cycle", std::to_string(cycle), "--reviews",
               s.sample() + "/reviews.jsonl", "--hr", "H0001", "--no-print", "--quiet"}) == 0);
  REQUIRE(eventually(
      [&] {
        return !tasks_of(s.data(), "dead")["tasks"].empty() &&
               tasks_of(s.data(), "queued")["tasks"].empty();
      },
      std::chrono::seconds(30)));
  json dead = tasks_of(s.data(), "dead");
  for (const auto& t : dead["tasks"]) {
    CHECK(t["kind"] == "notify");
    CHECK(t["state"] == "dead");
    CHECK(t["attempts"] == 3);
    CHECK(t["last_error"].get<std::string>().find("notifications") != std::string::npos);
  }
  std::string table;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "tasks", "--state", "dead"}, &table) == 0);
  CHECK(table.find("notify   dead     3 attempts") != std::string::npos);
  // Backed off and bounded: at most three deliveries each, and a log line a minute per kind, not
  // one per failure.
  json stats = admin(s.data(), {{"cmd", "stats"}});
  auto scored =
      static_cast<long long>(admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}})["cases"]
                                 .size());  // one scoring task each
  CHECK(stats["deliveries"]["sent"].get<long long>() ==
        3 * static_cast<long long>(dead["tasks"].size()) + scored);
  std::string log = read_text(s.root.path() + "/engine.log");
  std::size_t lines = 0;
  for (auto at = log.find("(notify"); at != std::string::npos; at = log.find("(notify", at + 1))
    ++lines;
  CHECK(lines <= 2);

  // The outbox fixed, every dead task queued again is delivered.
  fs::remove(outbox);
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "tasks", "retry", "--all-dead"}, &out) == 0);
  CHECK(out.rfind("queued again: " + std::to_string(dead["tasks"].size()) + " task", 0) == 0);
  REQUIRE(eventually([&] {
    return tasks_of(s.data(), "dead")["tasks"].empty() &&
           tasks_of(s.data(), "queued")["tasks"].empty();
  }));
  CHECK(tasks_of(s.data(), "done")["tasks"].size() >= dead["tasks"].size());
  CHECK(fs::is_directory(outbox));
  // Retrying a task that is not dead is a clear refusal.
  long long done_id = tasks_of(s.data(), "done")["tasks"][0]["id"].get<long long>();
  std::string err;
  CHECK(run(ASSESSCTL_BIN, {"--data", s.data(), "tasks", "retry", std::to_string(done_id)}, &err,
            true) == 1);
  CHECK(err.find("task " + std::to_string(done_id) + " is done, not dead") != std::string::npos);
}

TEST_CASE("tasks is for admins and observers, tasks.retry for admins only",
          "[integration][dead_letter][access]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN,
              {"--data", s.data(), "principals", "add", "watcher", "--service", "observer", "--out",
               s.root.path() + "/keys"},
              &out, true) == 0);
  std::string watcher = s.root.path() + "/keys/watcher.key_secret";
  auto listed = admin_with_key(s.data(), watcher, {{"cmd", "tasks"}});
  REQUIRE(listed.has_value());
  CHECK((*listed)["ok"] == true);
  auto retried = admin_with_key(s.data(), watcher, {{"cmd", "tasks.retry"}, {"all_dead", true}});
  REQUIRE(retried.has_value());
  CHECK((*retried)["code"] == "forbidden");
  auto feed = admin_with_key(s.data(), s.data() + "/keys/feed.key_secret", {{"cmd", "tasks"}});
  REQUIRE(feed.has_value());
  CHECK((*feed)["code"] == "forbidden");
  CHECK((*feed)["error"] ==
        "principal feed (service: ingest) may not send tasks (needs the admin role, the admin "
        "capability or an observer principal)");
}
