#include "base/exact.h"

#include <cctype>

namespace af::exact {
namespace {

using wide = __int128;

// Compares the lower ends (or upper ends) of two bounds as the interval
// starts (ends): an open lower end starts just after its value.
int compare_lo(const bound& a, const bound& b) {
  if (a.infinite || b.infinite) return a.infinite == b.infinite ? 0 : (a.infinite ? -1 : 1);
  int c = compare(a.value, b.value);
  if (c != 0 || a.open == b.open) return c;
  return a.open ? 1 : -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

int compare(const number& a, const number& b) {
  wide l = static_cast<wide>(a.num) * b.den, r = static_cast<wide>(b.num) * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

std::string hundredths_text(std::int64_t h) {
  std::uint64_t magnitude =
      h < 0 ? 0 - static_cast<std::uint64_t>(h) : static_cast<std::uint64_t>(h);
  std::string cents = std::to_string(magnitude % 100);
  return (h < 0 ? "-" : "") + std::to_string(magnitude / 100) + "." +
         (cents.size() < 2 ? "0" : "") + cents;
}

std::int64_t hundredths_half_up(const number& v) {
  wide scaled = static_cast<wide>(v.num) * 100;
  wide q = scaled / v.den, rem = scaled % v.den;
  if (rem < 0) rem = -rem;
  if (rem * 2 >= v.den) q += scaled < 0 ? -1 : 1;
  return static_cast<std::int64_t>(q);
}

std::optional<number> parse_decimal(std::string_view text) {
  text = trim(text);
  bool negative = !text.empty() && text.front() == '-';
  if (negative) text.remove_prefix(1);
  if (text.empty() || text.size() > 30) return std::nullopt;
  std::int64_t num = 0, den = 1;
  bool dot = false, digits = false;
  int decimals = 0;
  for (char ch : text) {
    if (ch == '.' && !dot) {
      dot = true;
      continue;
    }
    if (!std::isdigit(static_cast<unsigned char>(ch))) return std::nullopt;
    if (num > 100'000'000'000'000LL) return std::nullopt;
    num = num * 10 + (ch - '0');
    digits = true;
    if (dot && ++decimals > 9) return std::nullopt;
    if (dot) den *= 10;
  }
  if (!digits) return std::nullopt;
  return number{negative ? -num : num, den};
}

bool interval::contains(const number& v) const {
  if (!lo.infinite) {
    int c = compare(v, lo.value);
    if (c < 0 || (c == 0 && lo.open)) return false;
  }
  if (!hi.infinite) {
    int c = compare(v, hi.value);
    if (c > 0 || (c == 0 && hi.open)) return false;
  }
  return true;
}

result<interval> parse_interval(std::string_view text) {
  std::string written(text);
  auto bad = [&](const std::string& why) {
    return status::invalid("\"" + written +
                           "\" is not an interval like [0, 41) or (2000000, inf): " + why);
  };
  text = trim(text);
  if (text.size() < 5) return bad("too short");
  char open_c = text.front(), close_c = text.back();
  if ((open_c != '[' && open_c != '(') || (close_c != ']' && close_c != ')'))
    return bad("brackets");
  auto inner = text.substr(1, text.size() - 2);
  auto comma = inner.find(',');
  if (comma == std::string_view::npos) return bad("no comma");
  interval r;
  r.text = written;
  r.lo.open = open_c == '(';
  r.hi.open = close_c == ')';
  auto lo = trim(inner.substr(0, comma)), hi = trim(inner.substr(comma + 1));
  if (lo == "-inf")
    r.lo.infinite = true;
  else if (auto v = parse_decimal(lo))
    r.lo.value = *v;
  else
    return bad("lower end");
  if (hi == "inf" || hi == "+inf")
    r.hi.infinite = true;
  else if (auto v = parse_decimal(hi))
    r.hi.value = *v;
  else
    return bad("upper end");
  if ((r.lo.infinite && !r.lo.open) || (r.hi.infinite && !r.hi.open))
    return bad("an infinite end must be open");
  if (!r.lo.infinite && !r.hi.infinite) {
    int c = compare(r.lo.value, r.hi.value);
    if (c > 0 || (c == 0 && (r.lo.open || r.hi.open))) return bad("empty");
  }
  return r;
}

status check_bands(const std::vector<band>& bands, const std::string& where) {
  if (bands.empty()) return status::invalid(where + ": no bands");
  for (std::size_t i = 1; i < bands.size(); ++i) {
    const interval& prev = bands[i - 1].range;
    const interval& cur = bands[i].range;
    std::string key = where + "[" + std::to_string(i) + "]";
    if (compare_lo(cur.lo, prev.lo) <= 0)
      return status::invalid(key + ": " + cur.text + " must come after " + prev.text +
                             " (lowest band first)");
    // cur must start exactly where prev ends: prev's upper end closed <-> cur's lower end open.
    if (prev.hi.infinite) return status::invalid(key + ": " + cur.text + " overlaps " + prev.text);
    if (cur.lo.infinite) return status::invalid(key + ": " + cur.text + " overlaps " + prev.text);
    int c = compare(cur.lo.value, prev.hi.value);
    if (c < 0 || (c == 0 && !cur.lo.open && !prev.hi.open))
      return status::invalid(key + ": " + cur.text + " overlaps " + prev.text);
    if (c > 0 || (cur.lo.open && prev.hi.open))
      return status::invalid(key + ": a gap between " + prev.text + " and " + cur.text);
  }
  return status::ok();
}

std::optional<int> band_value(const std::vector<band>& bands, const number& v) {
  for (const auto& b : bands)
    if (b.range.contains(v)) return b.value;
  return std::nullopt;
}

bool covers(const std::vector<band>& bands, const interval& domain) {
  if (bands.empty()) return false;
  // Bands are contiguous (check_bands): compare the ends of the union.
  const bound& lo = bands.front().range.lo;
  const bound& hi = bands.back().range.hi;
  if (compare_lo(lo, domain.lo) > 0) return false;
  if (hi.infinite) return true;
  if (domain.hi.infinite) return false;
  int c = compare(hi.value, domain.hi.value);
  return c > 0 || (c == 0 && (!hi.open || domain.hi.open));
}

}  // namespace af::exact
