// Deadlines with real processes: timers live in SQLite, so deadlines that
// pass while the engine is down fire once after it starts, across SIGKILLs
// (one of them while they may be firing), and their notifications reach
// the notify worker's sink exactly once.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

std::vector<std::string> start_at(const std::string& instant) {
  return {"--clock-start", instant, "--clock-rate", "1"};
}

// Every line the notify worker wrote, over every recipient's file.
std::vector<json> delivered(const std::string& data) {
  std::vector<json> out;
  std::filesystem::path dir = data + "/notifications";
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path());
    std::string line;
    while (std::getline(in, line)) out.push_back(json::parse(line));
  }
  return out;
}

int count_kind(const std::vector<json>& lines, const std::string& kind,
               const std::string& recipient_prefix = "") {
  int n = 0;
  for (const auto& l : lines)
    if (l["kind"] == kind && l["recipient"].get<std::string>().rfind(recipient_prefix, 0) == 0) ++n;
  return n;
}

std::map<std::string, int> history_actions(const std::string& data, long long id) {
  std::map<std::string, int> out;
  json c = admin(data, {{"cmd", "case.show"}, {"case", id}});
  for (const auto& h : c["history"]) ++out[h["action"].get<std::string>()];
  return out;
}

}  // namespace

TEST_CASE("deadlines passed while the engine was down fire once after a restart, across SIGKILLs",
          "[integration][deadlines]") {
  scenario s;
  s.generate(8, 10);  // 20 cases
  long long cycle = 0;
  {
    auto engine = start_engine(s.root.path(), start_at("2026-10-01T09:00:00+08:00"));
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "org", "import", s.sample() + "/org.csv"}) ==
            0);
    cycle = s.open_cycle();
    REQUIRE(s.submit_reviews(cycle, false, 10) == 10);  // ten self reviews; ten never come
    engine.signal(SIGKILL);
    engine.wait();
  }
  auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path());
  // Back on 12 October: self reviews expired on the 6th, the supervisors'
  // deadlines passed on the 6th too, and the run window ended on the 10th.
  {
    auto engine = start_engine(s.root.path(), start_at("2026-10-12T09:00:00+08:00"));
    std::this_thread::sleep_for(std::chrono::milliseconds(60));  // timers may be firing now
    engine.signal(SIGKILL);
    engine.wait();
  }
  {
    auto engine = start_engine(s.root.path(), start_at("2026-10-12T09:00:05+08:00"));
    REQUIRE(eventually([&] {
      return states_of(s.data(), cycle) == std::map<std::string, int>{{"supervisor_review", 20}};
    }));
    REQUIRE(eventually([&] {
      json o = admin(s.data(), {{"cmd", "overdue"}});
      return o["cases"].size() == 10;
    }));
    REQUIRE(eventually([&] {
      auto lines = delivered(s.data());
      return count_kind(lines, "deadline_missed") == 10 &&
             count_kind(lines, "cycle_unfinished") == 1 &&
             count_kind(lines, "self_review_missing") == 20;
    }));
    engine.signal(SIGTERM);
    CHECK(engine.wait() == 0);
  }
  {  // a later restart finds nothing left to fire
    auto engine = start_engine(s.root.path(), start_at("2026-10-12T10:00:00+08:00"));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    json overdue = admin(s.data(), {{"cmd", "overdue"}, {"role", "supervisor"}});
    REQUIRE(overdue["cases"].size() == 10);
    int expired = 0, escalated = 0;
    auto lines = delivered(s.data());
    const json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
    for (const auto& c : cases["cases"]) {
      auto actions = history_actions(s.data(), c["id"].get<long long>());
      CHECK(actions["remind"] == 0);  // the reminders came due with their deadlines: not sent
      CHECK(actions["expire"] + actions["escalate"] == 1);
      expired += actions["expire"];
      escalated += actions["escalate"];
      json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", c["id"]}});
      if (actions["expire"]) {
        CHECK(shown["flags"] == json::array({"self review missing"}));
        CHECK(shown["deadline"]["due_at"] ==
              "2026-10-17T09:00:00+08:00");  // five days from the restart
        CHECK(shown["overdue_since"].is_null());
      } else {
        CHECK(shown["overdue_since"].is_string());
        CHECK(shown["deadline"]["passed"] == true);
        int told = 0;  // the case's HRBP, once
        for (const auto& l : lines)
          if (l["kind"] == "deadline_missed" && l["case"] == c["id"]) {
            CHECK(l["recipient"] == shown["hrbp_id"]);
            ++told;
          }
        CHECK(told == 1);
      }
    }
    CHECK(expired == 10);
    CHECK(escalated == 10);
    std::set<std::string> ids;
    for (const auto& l : lines) ids.insert(l["notification_id"].get<std::string>());
    CHECK(ids.size() == lines.size());  // nothing delivered twice
    CHECK(count_kind(lines, "cycle_unfinished", "H0001") == 1);
    for (const auto& l : lines)
      if (l["kind"] == "cycle_unfinished") {
        CHECK(l["body"]["open"] == 20);
        CHECK(l["body"]["window_end"] == "2026-10-10");
      }
    std::string text;
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "overdue"}, &text) == 0);
    CHECK_THAT(text, Catch::StartsWith("10 cases past their deadline at 2026-10-12T10:00"));
    CHECK_THAT(text, Catch::Contains("supervisor"));
    engine.signal(SIGTERM);
    CHECK(engine.wait() == 0);
  }
  notify.signal(SIGTERM);
  notify.wait();
}
