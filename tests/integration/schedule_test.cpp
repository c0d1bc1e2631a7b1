// The engine opens cycles on schedule on a simulated clock: at the window
// start, exactly once across restarts (one of them a SIGKILL), and after
// downtime each missed cycle once, reported as late.
#include <catch2/catch.hpp>
#include <csignal>
#include <thread>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

std::vector<std::string> opened(const std::string& data) {
  json cases = admin(data, {{"cmd", "cases"}});
  std::map<std::string, int> per;
  for (const auto& c : cases["cases"])
    ++per[c["program"].get<std::string>() + " " + c["period"].get<std::string>()];
  std::vector<std::string> out;
  for (const auto& [k, n] : per) out.push_back(k + " x" + std::to_string(n));
  return out;
}

std::vector<std::string> start_at(const std::string& instant) {
  return {"--schedule", "on", "--clock-start", instant, "--clock-rate", "1"};
}

}  // namespace

TEST_CASE("cycles open at their window start, once, and late after downtime",
          "[integration][schedule]") {
  scenario s;
  s.generate(8, 10);  // 20 people with a supervisor
  {
    auto engine = start_engine(s.root.path(), start_at("2026-09-30T23:59:58+08:00"));
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "org", "import", s.sample() + "/org.csv"}) ==
            0);
    CHECK(opened(s.data()).empty());  // still September in Shanghai
    REQUIRE(eventually([&] { return opened(s.data()).size() == 3; }, std::chrono::seconds(10)));
    CHECK(opened(s.data()) == std::vector<std::string>{"competency50 2026-Q3 x20",
                                                       "performance 2026-09 x20",
                                                       "performance_quarter 2026-Q3 x20"});
    json sched = admin(s.data(), {{"cmd", "schedule"}});
    CHECK(sched["programs"][1]["program"] == "competency50");
    CHECK(sched["programs"][1]["last"]["period"] == "2026-Q3");
    CHECK(sched["programs"][1]["last"]["late"] == false);
    CHECK(sched["programs"][1]["next"]["window_start"] == "2027-01-01");
    engine.signal(SIGKILL);
    engine.wait();
  }
  {
    auto engine = start_engine(s.root.path(), start_at("2026-10-05T10:00:00+08:00"));
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(opened(s.data()) == std::vector<std::string>{"competency50 2026-Q3 x20",
                                                       "performance 2026-09 x20",
                                                       "performance_quarter 2026-Q3 x20"});
    engine.signal(SIGTERM);
    CHECK(engine.wait() == 0);
  }
  for (int restart = 0; restart < 2;
       ++restart) {  // down through two monthly windows; the second start adds nothing
    auto engine = start_engine(s.root.path(), start_at("2026-12-15T10:00:00+08:00"));
    REQUIRE(eventually([&] { return opened(s.data()).size() == 5; }, std::chrono::seconds(10)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    CHECK(opened(s.data()) ==
          std::vector<std::string>{"competency50 2026-Q3 x20", "performance 2026-09 x20",
                                   "performance 2026-10 x20", "performance 2026-11 x20",
                                   "performance_quarter 2026-Q3 x20"});
    json sched = admin(s.data(), {{"cmd", "schedule"}});
    REQUIRE(sched["programs"][0]["program"] == "performance");
    CHECK(sched["programs"][0]["opened_late"].size() == 2);
    CHECK(sched["programs"][0]["opened_late"][0]["period"] == "2026-10");
    CHECK(sched["programs"][0]["next"]["period"] == "2026-12");
    engine.signal(SIGTERM);
    CHECK(engine.wait() == 0);
  }
}
