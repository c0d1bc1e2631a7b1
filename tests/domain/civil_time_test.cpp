// Tests for base/civil_time.h: calendar dates, ISO 8601 instants
// with offsets, the company's local date (UTC+8), anniversaries and periods.
#include "base/civil_time.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using af::civil_date;
using af::period;
using af::period_kind;

namespace {

constexpr int shanghai = 8 * 60;  // minutes east of UTC

civil_date date(const char* s) {
  auto d = af::parse_date(s);
  REQUIRE(d.has_value());
  return *d;
}

std::int64_t instant(const char* s) {
  auto t = af::parse_instant(s);
  REQUIRE(t.has_value());
  return *t;
}

period per(const char* s) {
  auto p = af::period::parse(s);
  REQUIRE(p.has_value());
  return *p;
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<civil_date> {
  static std::string convert(const civil_date& d) { return af::format_date(d); }
};
template <>
struct StringMaker<period> {
  static std::string convert(const period& p) { return p.to_string(); }
};
}  // namespace Catch

TEST_CASE("days_in_month follows the Gregorian leap rules", "[domain]") {
  CHECK(af::days_in_month(2026, 1) == 31);
  CHECK(af::days_in_month(2026, 2) == 28);
  CHECK(af::days_in_month(2026, 4) == 30);
  CHECK(af::days_in_month(2026, 12) == 31);
  SECTION("leap years") {
    CHECK(af::days_in_month(2024, 2) == 29);
    CHECK(af::days_in_month(2000, 2) == 29);  // divisible by 400
    CHECK(af::days_in_month(1900, 2) == 28);  // divisible by 100, not 400
    CHECK(af::days_in_month(2100, 2) == 28);
  }
}

TEST_CASE("days_from_civil and civil_from_days are inverse", "[domain]") {
  SECTION("known anchors") {
    CHECK(af::days_from_civil({1970, 1, 1}) == 0);
    CHECK(af::days_from_civil({1970, 1, 2}) == 1);
    CHECK(af::days_from_civil({1969, 12, 31}) == -1);
    CHECK(af::days_from_civil({2000, 3, 1}) == 11017);
    CHECK(af::days_from_civil({2026, 7, 1}) == 20635);
    CHECK(af::civil_from_days(0) == civil_date{1970, 1, 1});
    CHECK(af::civil_from_days(-1) == civil_date{1969, 12, 31});
    CHECK(af::civil_from_days(20635) == civil_date{2026, 7, 1});
  }
  SECTION("round trip over every day from 1899 to 2101") {
    std::int64_t first = af::days_from_civil({1899, 1, 1});
    std::int64_t last = af::days_from_civil({2101, 12, 31});
    civil_date prev = af::civil_from_days(first - 1);
    int mismatches = 0;
    for (std::int64_t d = first; d <= last; ++d) {
      civil_date c = af::civil_from_days(d);
      if (af::days_from_civil(c) != d) ++mismatches;
      if (!(prev < c)) ++mismatches;  // strictly increasing
      if (c.day < 1 || c.day > af::days_in_month(c.year, c.month)) ++mismatches;
      prev = c;
    }
    CHECK(mismatches == 0);
  }
}

TEST_CASE("parse_date accepts valid dates and refuses the rest", "[domain]") {
  SECTION("valid") {
    CHECK(date("2026-07-01") == civil_date{2026, 7, 1});
    CHECK(date("2024-02-29") == civil_date{2024, 2, 29});
    CHECK(date("2000-02-29") == civil_date{2000, 2, 29});
    CHECK(date("2026-12-31") == civil_date{2026, 12, 31});
    CHECK(date("1970-01-01") == civil_date{1970, 1, 1});
  }
  SECTION("impossible calendar dates") {
    CHECK_FALSE(af::parse_date("2026-02-30"));
    CHECK_FALSE(af::parse_date("2026-02-29"));  // 2026 is a common year
    CHECK_FALSE(af::parse_date("1900-02-29"));
    CHECK_FALSE(af::parse_date("2026-04-31"));
    CHECK_FALSE(af::parse_date("2026-13-01"));
    CHECK_FALSE(af::parse_date("2026-00-10"));
    CHECK_FALSE(af::parse_date("2026-01-00"));
    CHECK_FALSE(af::parse_date("2026-01-32"));
  }
  SECTION("malformed text") {
    CHECK_FALSE(af::parse_date(""));
    CHECK_FALSE(af::parse_date("2026-7-01"));
    CHECK_FALSE(af::parse_date("2026-07-1"));
    CHECK_FALSE(af::parse_date("2026/07/01"));
    CHECK_FALSE(af::parse_date("20260701"));
    CHECK_FALSE(af::parse_date("2026-07-01 "));
    CHECK_FALSE(af::parse_date(" 2026-07-01"));
    CHECK_FALSE(af::parse_date("2026-07-01T00:00:00Z"));
    CHECK_FALSE(af::parse_date("+026-07-01"));
    CHECK_FALSE(af::parse_date("2026-0a-01"));
    CHECK_FALSE(af::parse_date("2026-07"));
  }
}

TEST_CASE("format_date pads to YYYY-MM-DD and round-trips", "[domain]") {
  CHECK(af::format_date({2026, 7, 1}) == "2026-07-01");
  CHECK(af::format_date({999, 1, 9}) == "0999-01-09");
  for (const char* s : {"2026-01-01", "2024-02-29", "2026-12-31", "1999-09-09"})
    CHECK(af::format_date(date(s)) == s);
}

TEST_CASE("parse_utc_offset reads offsets and the company zone name", "[domain]") {
  CHECK(af::parse_utc_offset("Z") == 0);
  CHECK(af::parse_utc_offset("+08:00") == 480);
  CHECK(af::parse_utc_offset("-05:30") == -330);
  CHECK(af::parse_utc_offset("+00:00") == 0);
  CHECK(af::parse_utc_offset("+14:00") == 840);
  CHECK(af::parse_utc_offset("Asia/Shanghai") == 480);
  SECTION("refused") {
    CHECK_FALSE(af::parse_utc_offset(""));
    CHECK_FALSE(af::parse_utc_offset("+8:00"));
    CHECK_FALSE(af::parse_utc_offset("+0800"));
    CHECK_FALSE(af::parse_utc_offset("08:00"));
    CHECK_FALSE(af::parse_utc_offset("+15:00"));
    CHECK_FALSE(af::parse_utc_offset("+08:60"));
    CHECK_FALSE(af::parse_utc_offset("Europe/Paris"));
    CHECK_FALSE(af::parse_utc_offset("z"));
  }
}

TEST_CASE("parse_instant converts ISO 8601 with offset to Unix seconds", "[domain]") {
  SECTION("UTC") {
    CHECK(instant("1970-01-01T00:00:00Z") == 0);
    CHECK(instant("1970-01-01T00:00:01Z") == 1);
    CHECK(instant("1969-12-31T23:59:59Z") == -1);
    CHECK(instant("2026-06-30T16:30:00Z") == 1782837000);
  }
  SECTION("the same instant written with different offsets") {
    std::int64_t t = instant("2026-06-30T16:30:00Z");
    CHECK(instant("2026-07-01T00:30:00+08:00") == t);
    CHECK(instant("2026-06-30T11:00:00-05:30") == t);
    CHECK(instant("2026-06-30T16:30:00+00:00") == t);
    CHECK(instant("2026-06-30T16:30:00-00:00") == t);
  }
  SECTION("fractional seconds are accepted and dropped") {
    std::int64_t t = instant("2026-06-30T16:30:00Z");
    CHECK(instant("2026-06-30T16:30:00.5Z") == t);
    CHECK(instant("2026-06-30T16:30:00.999999999+00:00") == t);
    CHECK(instant("2026-07-01T00:30:00.123+08:00") == t);
  }
  SECTION("instants without an offset are refused") {
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00.5"));
    CHECK_FALSE(af::parse_instant("2026-06-30 16:30:00"));
    CHECK_FALSE(af::parse_instant("2026-06-30"));
    CHECK_FALSE(af::parse_instant(""));
  }
  SECTION("anything but Z or +HH:MM/-HH:MM as the zone is refused") {
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00UTC"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00Asia/Shanghai"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00+0800"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00+08"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00Z "));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00ZZ"));
  }
  SECTION("malformed dates and times are refused") {
    CHECK_FALSE(af::parse_instant("2026-02-30T10:00:00Z"));
    CHECK_FALSE(af::parse_instant("2026-13-01T10:00:00Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T24:00:00Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T23:60:00Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T23:59:61Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T1:30:00Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00.Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30T16:30:00.1234567890Z"));
    CHECK_FALSE(af::parse_instant("2026-06-30X16:30:00Z"));
  }
}

TEST_CASE("format_instant writes the local time with its offset", "[domain]") {
  std::int64_t t = instant("2026-06-30T16:30:00Z");
  CHECK(af::format_instant(t, 0) == "2026-06-30T16:30:00+00:00");
  CHECK(af::format_instant(t, shanghai) == "2026-07-01T00:30:00+08:00");
  CHECK(af::format_instant(t, -330) == "2026-06-30T11:00:00-05:30");
  CHECK(af::format_instant(-1, 0) == "1969-12-31T23:59:59+00:00");
  SECTION("round trip through parse_instant") {
    for (std::int64_t u : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{-86400}, t, t + 86399})
      for (int off : {0, shanghai, -330, 840, -720})
        CHECK(af::parse_instant(af::format_instant(u, off)) == u);
  }
}

TEST_CASE("local_date in UTC+8 crosses the day boundary at 16:00Z", "[domain]") {
  SECTION("2026-06-30T16:30:00Z is already 1 July (and Q3) in Shanghai") {
    std::int64_t t = instant("2026-06-30T16:30:00Z");
    CHECK(af::local_date(t, 0) == civil_date{2026, 6, 30});
    CHECK(af::local_date(t, shanghai) == civil_date{2026, 7, 1});
    CHECK(per("2026-Q3").contains(af::local_date(t, shanghai)));
    CHECK_FALSE(per("2026-Q2").contains(af::local_date(t, shanghai)));
  }
  SECTION("the last and first second of a Shanghai day") {
    CHECK(af::local_date(instant("2026-06-30T15:59:59Z"), shanghai) == civil_date{2026, 6, 30});
    CHECK(af::local_date(instant("2026-06-30T16:00:00Z"), shanghai) == civil_date{2026, 7, 1});
    CHECK(af::local_date(instant("2026-06-30T23:59:59+08:00"), shanghai) ==
          civil_date{2026, 6, 30});
    CHECK(af::local_date(instant("2026-07-01T00:00:00+08:00"), shanghai) == civil_date{2026, 7, 1});
  }
  SECTION("new year in Shanghai while still the old year in UTC") {
    std::int64_t t = instant("2025-12-31T16:00:00Z");
    CHECK(af::local_date(t, 0) == civil_date{2025, 12, 31});
    CHECK(af::local_date(t, shanghai) == civil_date{2026, 1, 1});
  }
  SECTION("a negative offset moves the date back") {
    CHECK(af::local_date(instant("2026-07-01T03:00:00Z"), -330) == civil_date{2026, 6, 30});
  }
  SECTION("instants before the epoch") {
    CHECK(af::local_date(-1, 0) == civil_date{1969, 12, 31});
    CHECK(af::local_date(-86400, 0) == civil_date{1969, 12, 31});
    CHECK(af::local_date(-86401, 0) == civil_date{1969, 12, 30});
    CHECK(af::local_date(-1, shanghai) == civil_date{1970, 1, 1});
  }
}

TEST_CASE("whole_years counts anniversaries reached", "[domain]") {
  SECTION("the day before and the day of an anniversary") {
    CHECK(af::whole_years(date("2021-03-01"), date("2021-03-01")) == 0);
    CHECK(af::whole_years(date("2021-03-01"), date("2022-02-28")) == 0);
    CHECK(af::whole_years(date("2021-03-01"), date("2022-03-01")) == 1);
    CHECK(af::whole_years(date("2022-09-30"), date("2026-09-29")) == 3);
    CHECK(af::whole_years(date("2022-09-30"), date("2026-09-30")) == 4);
    CHECK(af::whole_years(date("2021-03-01"), date("2026-09-30")) == 5);
    CHECK(af::whole_years(date("2020-12-31"), date("2026-12-30")) == 5);
    CHECK(af::whole_years(date("2020-12-31"), date("2026-12-31")) == 6);
  }
  SECTION("a 29 February start reaches its anniversary on 1 March in common years") {
    civil_date leap = date("2024-02-29");
    CHECK(af::whole_years(leap, date("2025-02-28")) == 0);
    CHECK(af::whole_years(leap, date("2025-03-01")) == 1);
    CHECK(af::whole_years(leap, date("2027-02-28")) == 2);
    CHECK(af::whole_years(leap, date("2027-03-01")) == 3);
    // in a leap year the anniversary is 29 February itself
    CHECK(af::whole_years(leap, date("2028-02-28")) == 3);
    CHECK(af::whole_years(leap, date("2028-02-29")) == 4);
  }
  SECTION("28 February and 1 March starts are unaffected by leap days") {
    CHECK(af::whole_years(date("2023-02-28"), date("2024-02-27")) == 0);
    CHECK(af::whole_years(date("2023-02-28"), date("2024-02-28")) == 1);
    CHECK(af::whole_years(date("2023-03-01"), date("2024-02-29")) == 0);
    CHECK(af::whole_years(date("2023-03-01"), date("2024-03-01")) == 1);
  }
  SECTION("a start after the end counts no years") {
    CHECK(af::whole_years(date("2026-10-01"), date("2026-09-30")) == 0);
    CHECK(af::whole_years(date("2030-01-01"), date("2026-09-30")) == 0);
  }
}

TEST_CASE("period::parse reads month, quarter and year periods", "[domain]") {
  SECTION("month") {
    period p = per("2026-07");
    CHECK(p.kind == period_kind::month);
    CHECK(p.year == 2026);
    CHECK(p.index == 7);
    CHECK(per("2026-01").index == 1);
    CHECK(per("2026-12").index == 12);
  }
  SECTION("quarter") {
    period p = per("2026-Q3");
    CHECK(p.kind == period_kind::quarter);
    CHECK(p.year == 2026);
    CHECK(p.index == 3);
    CHECK(per("2026-Q1").index == 1);
    CHECK(per("2026-Q4").index == 4);
  }
  SECTION("year") {
    period p = per("2026");
    CHECK(p.kind == period_kind::year);
    CHECK(p.year == 2026);
    CHECK(p.index == 1);
  }
  SECTION("invalid inputs are refused") {
    for (const char* bad : {"",         "2026-13", "2026-00",    "2026-Q5",    "2026-Q0", "2026-Q",
                            "2026-Q12", "2026-q3", "2026-7",     "2026-007",   "2026-",   "26",
                            "202",      "20260",   "2026-02-30", "2026-07-01", "2026 ",   " 2026",
                            "2026-H1",  "1899",    "abcd",       "2026-Q3 ",   "2026-W27"}) {
      INFO("period \"" << bad << "\"");
      CHECK_FALSE(af::period::parse(bad));
    }
  }
}

TEST_CASE("period first_day, last_day and contains", "[domain]") {
  SECTION("month") {
    CHECK(per("2026-07").first_day() == civil_date{2026, 7, 1});
    CHECK(per("2026-07").last_day() == civil_date{2026, 7, 31});
    CHECK(per("2026-06").last_day() == civil_date{2026, 6, 30});
    CHECK(per("2026-02").last_day() == civil_date{2026, 2, 28});
    CHECK(per("2024-02").last_day() == civil_date{2024, 2, 29});
    CHECK(per("2026-12").last_day() == civil_date{2026, 12, 31});
  }
  SECTION("quarter") {
    CHECK(per("2026-Q1").first_day() == civil_date{2026, 1, 1});
    CHECK(per("2026-Q1").last_day() == civil_date{2026, 3, 31});
    CHECK(per("2026-Q2").first_day() == civil_date{2026, 4, 1});
    CHECK(per("2026-Q2").last_day() == civil_date{2026, 6, 30});
    CHECK(per("2026-Q3").first_day() == civil_date{2026, 7, 1});
    CHECK(per("2026-Q3").last_day() == civil_date{2026, 9, 30});
    CHECK(per("2026-Q4").first_day() == civil_date{2026, 10, 1});
    CHECK(per("2026-Q4").last_day() == civil_date{2026, 12, 31});
  }
  SECTION("year") {
    CHECK(per("2026").first_day() == civil_date{2026, 1, 1});
    CHECK(per("2026").last_day() == civil_date{2026, 12, 31});
  }
  SECTION("contains is inclusive at both ends") {
    period m = per("2026-07");
    CHECK_FALSE(m.contains({2026, 6, 30}));
    CHECK(m.contains({2026, 7, 1}));
    CHECK(m.contains({2026, 7, 15}));
    CHECK(m.contains({2026, 7, 31}));
    CHECK_FALSE(m.contains({2026, 8, 1}));
    CHECK_FALSE(m.contains({2025, 7, 15}));

    period q = per("2026-Q3");
    CHECK_FALSE(q.contains({2026, 6, 30}));
    CHECK(q.contains({2026, 7, 1}));
    CHECK(q.contains({2026, 9, 30}));
    CHECK_FALSE(q.contains({2026, 10, 1}));

    period y = per("2026");
    CHECK_FALSE(y.contains({2025, 12, 31}));
    CHECK(y.contains({2026, 1, 1}));
    CHECK(y.contains({2026, 12, 31}));
    CHECK_FALSE(y.contains({2027, 1, 1}));
  }
  SECTION("month_of, quarter_of and year_of hold the date") {
    for (civil_date d :
         {civil_date{2026, 1, 1}, civil_date{2026, 3, 31}, civil_date{2026, 4, 1},
          civil_date{2026, 9, 30}, civil_date{2026, 12, 31}, civil_date{2024, 2, 29}}) {
      INFO(af::format_date(d));
      CHECK(period::month_of(d).contains(d));
      CHECK(period::quarter_of(d).contains(d));
      CHECK(period::year_of(d).contains(d));
    }
    CHECK(period::quarter_of({2026, 3, 31}) == per("2026-Q1"));
    CHECK(period::quarter_of({2026, 4, 1}) == per("2026-Q2"));
    CHECK(period::quarter_of({2026, 9, 30}) == per("2026-Q3"));
    CHECK(period::quarter_of({2026, 10, 1}) == per("2026-Q4"));
    CHECK(period::month_of({2026, 7, 31}) == per("2026-07"));
    CHECK(period::year_of({2026, 7, 31}) == per("2026"));
  }
}

TEST_CASE("period previous, next and to_string", "[domain]") {
  SECTION("month") {
    CHECK(per("2026-07").previous() == per("2026-06"));
    CHECK(per("2026-07").next() == per("2026-08"));
    CHECK(per("2026-01").previous() == per("2025-12"));
    CHECK(per("2026-12").next() == per("2027-01"));
  }
  SECTION("quarter") {
    CHECK(per("2026-Q3").previous() == per("2026-Q2"));
    CHECK(per("2026-Q3").next() == per("2026-Q4"));
    CHECK(per("2026-Q1").previous() == per("2025-Q4"));
    CHECK(per("2026-Q4").next() == per("2027-Q1"));
  }
  SECTION("year") {
    CHECK(per("2026").previous() == per("2025"));
    CHECK(per("2026").next() == per("2027"));
  }
  SECTION("next and previous are inverse and adjacent") {
    for (const char* s : {"2026-01", "2026-06", "2026-12", "2026-Q1", "2026-Q4", "2026"}) {
      INFO(s);
      period p = per(s);
      CHECK(p.next().previous() == p);
      CHECK(p.previous().next() == p);
      CHECK(af::days_from_civil(p.next().first_day()) == af::days_from_civil(p.last_day()) + 1);
      CHECK(af::days_from_civil(p.previous().last_day()) + 1 == af::days_from_civil(p.first_day()));
    }
  }
  SECTION("to_string round-trips through parse") {
    for (const char* s :
         {"2026-07", "2026-01", "2026-12", "2026-Q1", "2026-Q3", "2026-Q4", "2026", "1999"}) {
      CHECK(per(s).to_string() == s);
    }
    CHECK(period{period_kind::month, 2026, 3}.to_string() == "2026-03");
    CHECK(period{period_kind::quarter, 2026, 2}.to_string() == "2026-Q2");
    CHECK(period{period_kind::year, 2026, 1}.to_string() == "2026");
  }
  SECTION("equality compares kind, year and index") {
    CHECK_FALSE(per("2026-01") == per("2026-Q1"));
    CHECK_FALSE(per("2026-Q1") == per("2026"));
    CHECK_FALSE(per("2026-07") == per("2025-07"));
  }
}
