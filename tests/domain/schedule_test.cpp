// When cycles open: windows and due periods across month, quarter and year
// boundaries, after downtime, and on the engine's first run.
#include "workers/domain/schedule.h"

#include <catch2/catch.hpp>

using namespace af;
using schedule::definition;

namespace {

civil_date d(const char* s) { return *parse_date(s); }
period p(const char* s) { return *period::parse(s); }
std::vector<std::string> names(const std::vector<period>& ps) {
  std::vector<std::string> out;
  for (const auto& x : ps) out.push_back(x.to_string());
  return out;
}

const definition monthly{"performance", period_kind::month, 1, 10};
const definition quarterly{"competency50", period_kind::quarter, 1, 10};
const definition annual{"competency_model", period_kind::year, 1, 10};

}  // namespace

TEST_CASE("run windows follow DOMAIN.md", "[domain][schedule]") {
  CHECK(schedule::window_of(quarterly, p("2026-Q3")).start == d("2026-10-01"));
  CHECK(schedule::window_of(quarterly, p("2026-Q3")).end == d("2026-10-10"));
  CHECK(schedule::window_of(quarterly, p("2026-Q4")).start == d("2027-01-01"));
  CHECK(schedule::window_of(annual, p("2026")).start == d("2027-01-01"));
  CHECK(schedule::window_of(annual, p("2026")).end == d("2027-01-10"));
  CHECK(schedule::window_of(monthly, p("2026-02")).start == d("2026-03-01"));
  CHECK(schedule::window_of(monthly, p("2026-12")).start == d("2027-01-01"));
}

TEST_CASE("what is due on a given day", "[domain][schedule]") {
  SECTION("month boundary: the last day of a month, then the first") {
    CHECK(names(schedule::due(monthly, p("2026-06"), d("2026-07-31"))) ==
          std::vector<std::string>{});
    CHECK(names(schedule::due(monthly, p("2026-06"), d("2026-08-01"))) ==
          std::vector<std::string>{"2026-07"});
  }
  SECTION("quarter boundary") {
    CHECK(names(schedule::due(quarterly, p("2026-Q2"), d("2026-09-30"))).empty());
    CHECK(names(schedule::due(quarterly, p("2026-Q2"), d("2026-10-01"))) ==
          std::vector<std::string>{"2026-Q3"});
    CHECK(names(schedule::due(quarterly, p("2026-Q2"), d("2026-11-22"))) ==
          std::vector<std::string>{"2026-Q3"});
    CHECK(names(schedule::due(quarterly, p("2026-Q3"), d("2026-12-31"))).empty());
  }
  SECTION("year boundary") {
    CHECK(names(schedule::due(annual, p("2025"), d("2026-12-31"))).empty());
    CHECK(names(schedule::due(annual, p("2025"), d("2027-01-01"))) ==
          std::vector<std::string>{"2026"});
    CHECK(names(schedule::due(monthly, p("2026-11"), d("2027-01-01"))) ==
          std::vector<std::string>{"2026-12"});
  }
  SECTION("after downtime every missed cycle is due once, oldest first") {
    CHECK(names(schedule::due(monthly, p("2026-03"), d("2026-07-02"))) ==
          std::vector<std::string>{"2026-04", "2026-05", "2026-06"});
    CHECK(names(schedule::due(monthly, p("2026-06"), d("2026-07-02"))).empty());  // nothing twice
  }
  SECTION("the first run opens only a window open today") {
    CHECK(names(schedule::due(quarterly, std::nullopt, d("2026-10-10"))) ==
          std::vector<std::string>{"2026-Q3"});
    CHECK(schedule::due(quarterly, std::nullopt, d("2026-11-22")).empty());
    CHECK(names(schedule::due(monthly, std::nullopt, d("2026-11-05"))) ==
          std::vector<std::string>{"2026-10"});
    CHECK(schedule::due(monthly, std::nullopt, d("2026-11-22")).empty());
  }
  SECTION("a window starting later in the month") {
    definition mid{"x", period_kind::month, 5, 10};
    CHECK(schedule::due(mid, p("2026-06"), d("2026-08-04"))
              .empty());  // July's window starts on the 5th
    CHECK(names(schedule::due(mid, p("2026-06"), d("2026-08-05"))) ==
          std::vector<std::string>{"2026-07"});
  }
  CHECK(schedule::next_to_open(quarterly, d("2026-11-22")).to_string() == "2026-Q4");
  CHECK(schedule::next_to_open(monthly, d("2026-11-22")).to_string() == "2026-11");
}

TEST_CASE("schedule files are checked", "[domain][schedule]") {
  CHECK(schedule::parse(R"({"schedules":[{"program":"p","every":"week"}]})", "s.json")
            .error()
            .message() == "s.json: schedules[0].every: must be month, quarter or year");
  CHECK(schedule::parse(
            R"({"schedules":[{"program":"p","every":"month"},{"program":"p","every":"year"}]})",
            "s.json")
            .error()
            .message() == "s.json: schedules[1].program: p is scheduled twice");
  auto ok = schedule::parse(R"({"schedules":[{"program":"p","every":"quarter"}]})", "s.json");
  REQUIRE(ok.is_ok());
  CHECK(ok->at(0).window_end_day == 10);
}

TEST_CASE("a cycle's due date: its window's end, or a fresh window when opened late",
          "[domain][schedule]") {
  // Opened inside (or before) the window: the window's last day.
  CHECK(schedule::cycle_due_date(&quarterly, p("2026-Q3"), d("2026-10-01")) == d("2026-10-10"));
  CHECK(schedule::cycle_due_date(&quarterly, p("2026-Q3"), d("2026-10-10")) == d("2026-10-10"));
  CHECK(schedule::cycle_due_date(&quarterly, p("2026-Q3"), d("2026-09-20")) == d("2026-10-10"));
  // Opened the day after the window: ten days from that day (11th..20th).
  CHECK(schedule::cycle_due_date(&quarterly, p("2026-Q3"), d("2026-10-11")) == d("2026-10-20"));
  // Across a year boundary.
  CHECK(schedule::cycle_due_date(&monthly, p("2026-11"), d("2026-12-28")) == d("2027-01-06"));
  // A program without a schedule: ten days, the opening day included.
  CHECK(schedule::cycle_due_date(nullptr, p("2026"), d("2027-02-01")) == d("2027-02-10"));
  const definition short_window{"performance", period_kind::month, 1, 3};
  CHECK(schedule::cycle_due_date(&short_window, p("2026-09"), d("2026-10-05")) == d("2026-10-07"));
}
