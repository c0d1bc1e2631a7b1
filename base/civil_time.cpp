#include "base/civil_time.h"

#include <charconv>
#include <cstdio>

namespace af {
namespace {

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

// Reads exactly `n` ASCII digits at s[pos], advancing pos.
bool read_digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  pos += n;
  out = v;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

bool valid(civil_date d) {
  return d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

}  // namespace

int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : days[month - 1];
}

// The well-known civil-days algorithm (H. Hinnant, "chrono-compatible
// low-level date algorithms").
std::int64_t days_from_civil(civil_date d) {
  std::int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  std::int64_t yoe = y - era * 400;
  std::int64_t mp = (d.month + 9) % 12;
  std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

civil_date civil_from_days(std::int64_t z) {
  z += 719468;
  std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  std::int64_t doe = z - era * 146097;
  std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  std::int64_t mp = (5 * doy + 2) / 153;
  int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<int>(y + (m <= 2 ? 1 : 0)), m, d};
}

std::optional<civil_date> parse_date(std::string_view s) {
  std::size_t pos = 0;
  civil_date d;
  if (s.size() != 10 || !read_digits(s, pos, 4, d.year) || !expect(s, pos, '-') ||
      !read_digits(s, pos, 2, d.month) || !expect(s, pos, '-') || !read_digits(s, pos, 2, d.day))
    return std::nullopt;
  if (!valid(d)) return std::nullopt;
  return d;
}

std::string format_date(civil_date d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

std::optional<int> parse_utc_offset(std::string_view s) {
  if (s == "Z" || s == "UTC") return 0;
  if (s == "Asia/Shanghai") return 8 * 60;
  std::size_t pos = 1;
  int h = 0, m = 0;
  if (s.size() != 6 || (s[0] != '+' && s[0] != '-') || !read_digits(s, pos, 2, h) ||
      !expect(s, pos, ':') || !read_digits(s, pos, 2, m) || h > 14 || m > 59)
    return std::nullopt;
  int minutes = h * 60 + m;
  return s[0] == '-' ? -minutes : minutes;
}

std::optional<std::int64_t> parse_instant(std::string_view s) {
  if (s.size() < 20) return std::nullopt;
  auto date = parse_date(s.substr(0, 10));
  if (!date) return std::nullopt;
  std::size_t pos = 10;
  int hh = 0, mm = 0, ss = 0;
  if (!expect(s, pos, 'T') || !read_digits(s, pos, 2, hh) || !expect(s, pos, ':') ||
      !read_digits(s, pos, 2, mm) || !expect(s, pos, ':') || !read_digits(s, pos, 2, ss))
    return std::nullopt;
  if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  if (pos < s.size() && s[pos] == '.') {  // fractional seconds are accepted and dropped
    ++pos;
    std::size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start || pos - start > 9) return std::nullopt;
  }
  // ISO 8601 allows only Z or a numeric offset here; parse_utc_offset also
  // takes zone names ("UTC", "Asia/Shanghai"), which an instant must not carry.
  if (pos >= s.size() || (s[pos] != 'Z' && s[pos] != '+' && s[pos] != '-')) return std::nullopt;
  auto offset = parse_utc_offset(s.substr(pos));
  if (!offset) return std::nullopt;
  std::int64_t local = days_from_civil(*date) * 86400 + hh * 3600 + mm * 60 + ss;
  return local - static_cast<std::int64_t>(*offset) * 60;
}

std::string format_instant(std::int64_t t, int offset_minutes) {
  std::int64_t local = t + static_cast<std::int64_t>(offset_minutes) * 60;
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  std::int64_t secs = local - days * 86400;
  civil_date d = civil_from_days(days);
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", d.year, d.month, d.day,
                static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

civil_date local_date(std::int64_t t, int offset_minutes) {
  std::int64_t local = t + static_cast<std::int64_t>(offset_minutes) * 60;
  std::int64_t days = local >= 0 ? local / 86400 : (local - 86399) / 86400;
  return civil_from_days(days);
}

std::int64_t local_midnight(civil_date d, int offset_minutes) {
  return days_from_civil(d) * 86400 - static_cast<std::int64_t>(offset_minutes) * 60;
}

civil_date add_days(civil_date d, std::int64_t days) {
  return civil_from_days(days_from_civil(d) + days);
}

int whole_years(civil_date from, civil_date to) {
  if (to < from) return 0;
  int years = to.year - from.year;
  // The anniversary in `to`'s year; 29 February becomes 1 March in common years.
  civil_date anniversary{to.year, from.month, from.day};
  if (!valid(anniversary)) anniversary = {to.year, 3, 1};
  if (to < anniversary) --years;
  return years;
}

std::optional<period> period::parse(std::string_view s) {
  std::size_t pos = 0;
  period p;
  if (!read_digits(s, pos, 4, p.year) || p.year < 1900) return std::nullopt;
  if (pos == s.size()) return period{period_kind::year, p.year, 1};
  if (!expect(s, pos, '-')) return std::nullopt;
  if (pos < s.size() && s[pos] == 'Q') {
    ++pos;
    int q = 0;
    if (!read_digits(s, pos, 1, q) || pos != s.size() || q < 1 || q > 4) return std::nullopt;
    return period{period_kind::quarter, p.year, q};
  }
  int m = 0;
  if (!read_digits(s, pos, 2, m) || pos != s.size() || m < 1 || m > 12) return std::nullopt;
  return period{period_kind::month, p.year, m};
}

civil_date period::first_day() const {
  switch (kind) {
    case period_kind::month:
      return {year, index, 1};
    case period_kind::quarter:
      return {year, (index - 1) * 3 + 1, 1};
    case period_kind::year:
      break;
  }
  return {year, 1, 1};
}

civil_date period::last_day() const {
  switch (kind) {
    case period_kind::month:
      return {year, index, days_in_month(year, index)};
    case period_kind::quarter:
      return {year, index * 3, days_in_month(year, index * 3)};
    case period_kind::year:
      break;
  }
  return {year, 12, 31};
}

period period::previous() const {
  int count = kind == period_kind::month ? 12 : kind == period_kind::quarter ? 4 : 1;
  if (index > 1) return {kind, year, index - 1};
  return {kind, year - 1, count};
}

period period::next() const {
  int count = kind == period_kind::month ? 12 : kind == period_kind::quarter ? 4 : 1;
  if (index < count) return {kind, year, index + 1};
  return {kind, year + 1, 1};
}

std::string period::to_string() const {
  char buf[16];
  switch (kind) {
    case period_kind::month:
      std::snprintf(buf, sizeof buf, "%04d-%02d", year, index);
      break;
    case period_kind::quarter:
      std::snprintf(buf, sizeof buf, "%04d-Q%d", year, index);
      break;
    case period_kind::year:
      std::snprintf(buf, sizeof buf, "%04d", year);
      break;
  }
  return buf;
}

}  // namespace af
