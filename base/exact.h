// exact.h: exact numbers for rubrics: a rational (num / den) compared
// without rounding, decimals parsed from data files ("0.025"), intervals in
// mathematical notation ("[1000000, 2000000]", "(0.1, inf)") and band
// tables that map a value to points. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace af::exact {

// num / den with den > 0.
struct number {
  std::int64_t num = 0;
  std::int64_t den = 1;
  static number whole(std::int64_t n) { return {n, 1}; }
};
int compare(const number& a, const number& b);  // -1, 0, 1
inline bool operator<(const number& a, const number& b) { return compare(a, b) < 0; }
inline bool operator==(const number& a, const number& b) { return compare(a, b) == 0; }
// value x 100 rounded half up (away from zero for negatives' magnitude): 4.375 -> 438.
std::int64_t hundredths_half_up(const number& v);
// Hundredths as text with two decimals: 8500 -> "85.00", -5 -> "-0.05".
std::string hundredths_text(std::int64_t hundredths);

// "12", "-3.5", "0.025" (at most 9 decimals).
std::optional<number> parse_decimal(std::string_view text);

struct bound {
  bool infinite = false;
  number value;
  bool open = false;  // excluded from the interval
};

struct interval {
  bound lo, hi;
  std::string text;  // as written
  [[nodiscard]] bool contains(const number& v) const;
};

// "[a, b]", "[a, b)", "(a, b]", "(a, b)" with a < b; "-inf" and "inf"
// only on an open side.
result<interval> parse_interval(std::string_view text);

struct band {
  interval range;
  int value = 0;  // points, or a tier
};

// Bands must be given lowest first, must not overlap and must leave no gap
// between them; `where` names the key in errors ("... bands[2]: overlaps bands[1]").
status check_bands(const std::vector<band>& bands, const std::string& where);
// The band holding v, if any.
std::optional<int> band_value(const std::vector<band>& bands, const number& v);
// Whether every value of `domain` falls in some band.
bool covers(const std::vector<band>& bands, const interval& domain);

}  // namespace af::exact
