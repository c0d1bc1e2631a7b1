// civil_time.h: calendar dates, ISO 8601 instants and assessment periods.
// Pure functions, no clock and no time-zone database: the company's zone is
// a fixed UTC offset (Asia/Shanghai = +08:00, which has had no DST since 1991).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace af {

struct civil_date {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  friend bool operator==(const civil_date&, const civil_date&) = default;
  friend auto operator<=>(const civil_date&, const civil_date&) = default;
};

// Days since 1970-01-01 (negative before), proleptic Gregorian.
std::int64_t days_from_civil(civil_date d);
civil_date civil_from_days(std::int64_t days);
int days_in_month(int year, int month);

// "YYYY-MM-DD", validated (2026-02-30 is refused).
std::optional<civil_date> parse_date(std::string_view s);
std::string format_date(civil_date d);

// "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" to Unix seconds. The offset
// is required: an instant without one is ambiguous and refused.
std::optional<std::int64_t> parse_instant(std::string_view s);
// Unix seconds to "YYYY-MM-DDTHH:MM:SS+HH:MM" in the given offset.
std::string format_instant(std::int64_t unix_seconds, int offset_minutes);

// The calendar date of an instant in a zone with a fixed offset.
civil_date local_date(std::int64_t unix_seconds, int offset_minutes);
// The instant a calendar day starts (00:00) in a zone with a fixed offset.
std::int64_t local_midnight(civil_date d, int offset_minutes);
// The date `days` after (or before, if negative) `d`.
civil_date add_days(civil_date d, std::int64_t days);

// Whole anniversaries of `from` reached on `to` (a 29 February start
// reaches its anniversary on 1 March in common years).
int whole_years(civil_date from, civil_date to);

// "+08:00", "-05:30", "Z" or the name "Asia/Shanghai" to minutes east of UTC.
std::optional<int> parse_utc_offset(std::string_view s);

enum class period_kind { month, quarter, year };

// An assessment period: "2026-07", "2026-Q3" or "2026".
struct period {
  period_kind kind = period_kind::year;
  int year = 1970;
  int index = 1;  // month 1..12, quarter 1..4, 1 for a year

  static std::optional<period> parse(std::string_view s);
  static period month_of(civil_date d) { return {period_kind::month, d.year, d.month}; }
  static period quarter_of(civil_date d) {
    return {period_kind::quarter, d.year, (d.month - 1) / 3 + 1};
  }
  static period year_of(civil_date d) { return {period_kind::year, d.year, 1}; }

  [[nodiscard]] civil_date first_day() const;
  [[nodiscard]] civil_date last_day() const;  // the as_of date of its cases
  [[nodiscard]] bool contains(civil_date d) const { return first_day() <= d && d <= last_day(); }
  [[nodiscard]] period previous() const;
  [[nodiscard]] period next() const;
  [[nodiscard]] std::string to_string() const;
  friend bool operator==(const period&, const period&) = default;
};

}  // namespace af
