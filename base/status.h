// status.h: how a module answers: `status` (ok, or a category and one
// line for people) and `result<T>` (a value or a failed status). Both are
// [[nodiscard]]. Every expected failure (bad input, not found, conflict,
// forbidden, a corrupt file) is a status. A storage fault is not: the
// store throws sqlite_error (engine/sqlite.h), which the engine's unit of
// work catches once for the whole group it fails.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace af {

enum class status_code {
  ok,
  not_found,
  invalid_argument,
  conflict,
  corruption,
  io_error,
  forbidden
};

class [[nodiscard]] status {
 public:
  status() = default;
  static status ok() { return {}; }
  static status not_found(std::string m) { return {status_code::not_found, std::move(m)}; }
  static status invalid(std::string m) { return {status_code::invalid_argument, std::move(m)}; }
  static status conflict(std::string m) { return {status_code::conflict, std::move(m)}; }
  static status corruption(std::string m) { return {status_code::corruption, std::move(m)}; }
  static status io_error(std::string m) { return {status_code::io_error, std::move(m)}; }
  static status forbidden(std::string m) { return {status_code::forbidden, std::move(m)}; }

  [[nodiscard]] bool is_ok() const { return code_ == status_code::ok; }
  explicit operator bool() const { return is_ok(); }
  [[nodiscard]] status_code code() const { return code_; }
  // The one-line message, without the category.
  [[nodiscard]] const std::string& message() const { return message_; }
  // "Category: message", for logs.
  [[nodiscard]] std::string to_string() const;

 private:
  status(status_code c, std::string m) : code_(c), message_(std::move(m)) {}
  status_code code_ = status_code::ok;
  std::string message_;
};

inline std::string status::to_string() const {
  static const char* names[] = {"OK",         "NotFound", "InvalidArgument", "Conflict",
                                "Corruption", "IOError",  "Forbidden"};
  if (is_ok()) return "OK";
  return std::string(names[static_cast<int>(code_)]) + ": " + message_;
}

// A value or a failed status. `result<T> r = T{...}` or `= status::invalid(..)`.
template <typename T>
class [[nodiscard]] result {
 public:
  result(T v) : v_(std::move(v)) {}
  result(status s) : v_(std::move(s)) {}
  [[nodiscard]] bool is_ok() const { return v_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const T& operator*() const { return value(); }
  [[nodiscard]] status error() const { return is_ok() ? status::ok() : std::get<1>(v_); }

 private:
  std::variant<T, status> v_;
};

}  // namespace af
