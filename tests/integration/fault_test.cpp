// Faults injected on purpose: a scoring worker that crashes or stalls
// mid-task, and the engine killed with SIGKILL mid-cycle and mid-ingest.
// In every case each case finishes, and nothing is applied twice.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/integration/scenario.h"

using namespace af::test;
namespace fs = std::filesystem;

namespace {

// The (action > to) steps of a case's history.
std::vector<std::string> steps_of(const std::string& data, const json& id) {
  json shown = admin(data, {{"cmd", "case.show"}, {"case", id}});
  std::vector<std::string> steps;
  for (const auto& h : shown["history"])
    steps.push_back(h["action"].get<std::string>() + ">" + h["to"].get<std::string>());
  return steps;
}

int count_in(const std::vector<std::string>& steps, const std::string& step) {
  return static_cast<int>(std::count(steps.begin(), steps.end(), step));
}

bool all_in(const std::string& data, long long cycle, const std::string& state, int n) {
  auto s = states_of(data, cycle);
  return s.size() == 1 && s.count(state) && s[state] == n;
}

}  // namespace

TEST_CASE(
    "a scoring worker that dies or stalls mid-task loses its lease and each case is scored once",
    "[integration][fault]") {
  scenario s;
  s.generate(8, 100);  // 20 cases
  auto engine = start_engine(s.root.path(), {"--lease-ms", "1500", "--worker-timeout-ms", "800"});
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(s.submit_reviews(cycle, false) == 20);
  REQUIRE(s.submit_reviews(cycle, true) == 20);
  REQUIRE(all_in(s.data(), cycle, "scoring", 20));

  std::string fault;
  SECTION("the worker crashes") { fault = "crash-after:3"; }
  SECTION("the worker stalls (alive, silent)") { fault = "stall-after:3"; }
  auto bad = start_worker(ASSESS_SCORING_BIN, s.root.path(), {"--capacity", "5", "--fault", fault});
  if (fault.rfind("crash", 0) == 0) REQUIRE(bad.wait() == 137);
  // Three cases were scored by the faulty worker; the rest wait on it or in the queue.
  REQUIRE(eventually([&] { return states_of(s.data(), cycle)["hrbp_review"] == 3; }));
  auto good = start_worker(ASSESS_SCORING_BIN, s.root.path());
  REQUIRE(eventually([&] { return all_in(s.data(), cycle, "hrbp_review", 20); }));

  json stats = admin(s.data(), {{"cmd", "stats"}});
  CHECK(stats["deliveries"]["redelivered"].get<int>() >= 2);  // the tasks the bad worker held
  CHECK(stats["tasks"].value("dead", 0) == 0);
  json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  for (const auto& c : cases["cases"]) {
    auto steps = steps_of(s.data(), c["id"]);
    CHECK(count_in(steps, "scored>hrbp_review") == 1);
    CHECK(steps.size() == 4);
  }
}

TEST_CASE("the engine killed with SIGKILL mid-cycle restarts and every case finishes once",
          "[integration][fault]") {
  scenario s;
  s.generate(18, 100);  // 30 cases
  auto engine = std::make_unique<process>(start_engine(s.root.path()));
  auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
  auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(s.submit_reviews(cycle, false) == 30);
  REQUIRE(s.submit_reviews(cycle, true, 15) == 15);  // half go to scoring: tasks in flight
  engine->signal(SIGKILL);
  REQUIRE(engine->wait() == 128 + SIGKILL);
  engine = std::make_unique<process>(start_engine(s.root.path()));

  auto states = states_of(s.data(), cycle);
  CHECK(states["supervisor_review"] == 15);
  CHECK(states["scoring"] + states["hrbp_review"] == 15);
  // The rest of the cycle, with the workers reconnecting to the new engine.
  REQUIRE(run(ASSESS_DRIVE_BIN,
              {"--data", s.data(), "--cycle", std::to_string(cycle), "--reviews",
               s.sample() + "/reviews.jsonl", "--hr", "H0001", "--no-print", "--quiet"}) == 0);
  REQUIRE(all_in(s.data(), cycle, "final", 30));
  json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  for (const auto& c : cases["cases"])
    CHECK(steps_of(s.data(), c["id"]) ==
          std::vector<std::string>{"open>self_review", "submit>supervisor_review", "submit>scoring",
                                   "scored>hrbp_review", "approve>hr_review", "approve>final"});
  std::set<std::string> ids;
  int lines = 0;
  for (const auto& f : fs::directory_iterator(s.data() + "/notifications")) {
    std::ifstream in(f.path());
    for (std::string line; std::getline(in, line); ++lines)
      ids.insert(json::parse(line)["notification_id"].get<std::string>());
  }
  CHECK(lines == 90);
  CHECK(ids.size() == 90);
}

TEST_CASE(
    "the engine killed with SIGKILL mid-ingest loses no acknowledged event and applies none twice",
    "[integration][fault]") {
  scenario s;
  s.generate(20, 3000);  // ~190,000 events: the kill lands mid-feed
  auto engine = std::make_unique<process>(start_engine(s.root.path()));
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "org", "import", s.sample() + "/org.csv"}) == 0);
  std::size_t lines = 0;
  long long expected_net = 0;
  {
    std::ifstream in(s.sample() + "/events.jsonl");
    for (std::string line; std::getline(in, line); ++lines) {
      auto e = json::parse(line);
      if (e["manager_id"] != "E1001" || e["occurred_at"].get<std::string>().substr(0, 4) != "2025")
        continue;
      if (e["type"] == "sale") expected_net += e["amount_fen"].get<long long>();
      if (e["type"] == "refund") expected_net -= e["amount_fen"].get<long long>();
    }
  }
  process feed(ASSESS_FEED_BIN,
               {"--data", s.data(), "--quiet", "--timeout", "2", "--batch", "200",
                s.sample() + "/events.jsonl"},
               s.root.path() + "/feed.log");
  REQUIRE(eventually([&] {
    return admin(s.data(), {{"cmd", "stats"}})["ingest"]["accepted"].get<std::size_t>() > lines / 4;
  }));
  engine->signal(SIGKILL);
  engine->wait();
  CHECK(feed.wait() != 0);  // the feed sees its engine vanish
  engine = std::make_unique<process>(start_engine(s.root.path()));
  std::size_t stored_before =
      admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<std::size_t>();
  CHECK(stored_before > 0);
  CHECK(stored_before < lines);

  std::string out;
  REQUIRE(run(ASSESS_FEED_BIN,
              {"--data", s.data(), "--quiet", "--json", s.sample() + "/events.jsonl"}, &out) == 0);
  json summary = json::parse(out);
  CHECK(summary["accepted"].get<std::size_t>() == lines - stored_before);
  CHECK(summary["duplicate"].get<std::size_t>() == stored_before);
  CHECK(summary["rejected"] == 0);
  CHECK(admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<std::size_t>() == lines);
  json sales = admin(s.data(), {{"cmd", "sales"}, {"manager_id", "E1001"}, {"period", "2025"}});
  CHECK(sales["net_fen"].get<long long>() == expected_net);
}
