// checked.h: whole-number arithmetic on money (fen) and counts that
// refuses to overflow instead of wrapping. SQLite turns an overflowing
// integer sum into a REAL, and C++ makes it undefined; pay-relevant sums
// must do neither. Pure.
//
// Two styles: add()/mul() answer std::nullopt, for code that returns a
// status; the throwing forms raise checked::overflow naming the sum, for
// code deep inside one request or task, whose boundary turns any exception
// into a refusal of that request or task alone.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

namespace af::checked {

struct overflow : std::overflow_error {
  explicit overflow(const std::string& what_sum)
      : std::overflow_error(what_sum +
                            " is beyond 9223372036854775807 (the largest whole number stored); "
                            "nothing was computed") {}
};

inline std::optional<std::int64_t> add(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_add_overflow(a, b, &out)) return std::nullopt;
  return out;
}
inline std::optional<std::int64_t> sub(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_sub_overflow(a, b, &out)) return std::nullopt;
  return out;
}
inline std::optional<std::int64_t> mul(std::int64_t a, std::int64_t b) {
  std::int64_t out;
  if (__builtin_mul_overflow(a, b, &out)) return std::nullopt;
  return out;
}

// Throwing forms: `what` names the sum in the message ("net sales of m-1 in 2026-Q3").
inline std::int64_t add(std::int64_t a, std::int64_t b, const char* what) {
  auto r = add(a, b);
  if (!r) throw overflow(what);
  return *r;
}
inline std::int64_t sub(std::int64_t a, std::int64_t b, const char* what) {
  auto r = sub(a, b);
  if (!r) throw overflow(what);
  return *r;
}

// A running sum: `s += x` throws checked::overflow naming the sum.
class sum {
 public:
  explicit sum(std::string what) : what_(std::move(what)) {}
  sum& operator+=(std::int64_t x) {
    value_ = add(value_, x, what_.c_str());
    return *this;
  }
  sum& operator-=(std::int64_t x) {
    value_ = sub(value_, x, what_.c_str());
    return *this;
  }
  [[nodiscard]] std::int64_t value() const { return value_; }

 private:
  std::string what_;
  std::int64_t value_ = 0;
};

}  // namespace af::checked
