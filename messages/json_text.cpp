#include "messages/json_text.h"

#include <cmath>
#include <cstdio>

namespace af::msg {
namespace {

void write(std::string& out, const json& j, int indent, int depth) {
  auto newline = [&](int d) {
    if (indent < 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent * d), ' ');
  };
  switch (j.type()) {
    case json::value_t::object: {
      if (j.empty()) { out += "{}"; return; }
      out += '{';
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        out += json(it.key()).dump();
        out += indent < 0 ? ":" : ": ";
        write(out, it.value(), indent, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    case json::value_t::array: {
      if (j.empty()) { out += "[]"; return; }
      out += '[';
      bool first = true;
      for (const auto& e : j) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        write(out, e, indent, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
    case json::value_t::number_float: {
      double v = j.get<double>();
      if (!std::isfinite(v)) { out += "null"; return; }
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.2f", v);
      out += buf;
      return;
    }
    default:
      out += j.dump(-1, ' ', false, json::error_handler_t::replace);
  }
}

}  // namespace

std::string dump_fixed2(const json& j, int indent) {
  std::string out;
  write(out, j, indent, 0);
  return out;
}

}  // namespace af::msg
