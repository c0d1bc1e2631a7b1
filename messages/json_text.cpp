#include "messages/json_text.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <vector>

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
      if (j.empty()) {
        out += "{}";
        return;
      }
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
      if (j.empty()) {
        out += "[]";
        return;
      }
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
      if (!std::isfinite(v)) {
        out += "null";
        return;
      }
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

namespace {

// Follows a SAX parse to know which member is being read when it fails.
class path_tracker : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::optional<json_fault> fault;

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    frames_.push_back({false, 0, {}, false});
    return true;
  }
  bool key(string_t& k) override {
    frames_.back().key = k;
    frames_.back().expecting = true;
    return true;
  }
  bool end_object() override { return end(); }
  bool start_array(std::size_t) override {
    frames_.push_back({true, 0, {}, false});
    return true;
  }
  bool end_array() override { return end(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string why = e.what();
    json_fault f;
    f.reason = why;
    f.encoding =
        why.find("UTF-8") != std::string::npos || why.find("surrogate") != std::string::npos;
    for (const auto& fr : frames_) {
      if (fr.array)
        f.path += "[" + std::to_string(fr.count) + "]";
      else if (fr.expecting || &fr != &frames_.back())
        f.path += (f.path.empty() ? "" : ".") + fr.key;
      else
        f.path += std::string(f.path.empty() ? "" : " ") + "member name";
    }
    fault = std::move(f);
    return false;
  }

 private:
  struct frame {
    bool array;
    std::size_t count;  // values completed in an array
    std::string key;    // the member being read in an object
    bool expecting;     // its name was read, its value not yet
  };
  bool value() {
    if (!frames_.empty()) {
      if (frames_.back().array)
        ++frames_.back().count;
      else
        frames_.back().expecting = false;
    }
    return true;
  }
  bool end() {
    frames_.pop_back();
    return value();  // the container was a value of its parent
  }
  std::vector<frame> frames_;
};

}  // namespace

std::optional<json_fault> json_fault_of(std::string_view text) {
  path_tracker t;
  nlohmann::json::sax_parse(text.begin(), text.end(), &t, nlohmann::json::input_format_t::json,
                            false);
  return t.fault;
}

std::string describe(const json_fault& f, std::string_view what, std::string_view otherwise) {
  if (!f.encoding) return std::string(otherwise);
  return (f.path.empty() ? std::string(what) : f.path) + ": not valid UTF-8";
}

bool valid_utf8(std::string_view text) {
  std::size_t i = 0, n = text.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80           ? 1
                      : (c >> 5) == 0x6  ? 2
                      : (c >> 4) == 0xE  ? 3
                      : (c >> 3) == 0x1E ? 4
                                         : 0;
    if (len == 0 || i + len > n) return false;
    std::uint32_t cp = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // No overlong forms, no surrogates, nothing past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += len;
  }
  return true;
}

std::string utf8_prefix(std::string_view text, std::size_t max_bytes, std::string_view instead) {
  if (!valid_utf8(text)) return std::string(instead);
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
    --end;  // not inside a character
  return std::string(text.substr(0, end));
}

bool json_depth_within(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return true;
}

}  // namespace af::msg
