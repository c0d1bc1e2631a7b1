#include "tools/gateway/request_builder.h"

#include <charconv>
#include <set>

namespace af::gateway {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A parameter's decoded value as the admin request wants it.
result<json> typed_value(const route_param& p, std::string_view raw, bool in_query) {
  auto text = percent_decode(raw, in_query);
  std::string where = std::string(p.name) + ": ";
  if (!text) return status::invalid(where + text.error().message());
  if (text->size() > max_param_bytes)
    return status::invalid(where + "longer than " + std::to_string(max_param_bytes) + " bytes");
  if (p.required && text->empty()) return status::invalid(where + "empty");
  if (p.type == param_type::text) return json(*text);
  std::int64_t n = 0;
  const char* end = text->data() + text->size();
  auto [at, ec] = std::from_chars(text->data(), end, n);
  if (text->empty() || ec != std::errc() || at != end || n < 0)
    return status::invalid(where + "must be a whole number, not \"" + *text + "\"");
  return json(n);
}

std::string names_of(const std::vector<route_param>& params) {
  std::string out;
  for (const auto& p : params) out += (out.empty() ? "" : ", ") + std::string(p.name);
  return out.empty() ? "none" : out;
}

status add_query(const route& r, std::string_view query, json& req) {
  std::set<std::string> seen;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto raw_name = pair.substr(0, eq);
    auto raw_value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    auto name = percent_decode(raw_name, true);
    if (!name) return status::invalid("query parameter name: " + name.error().message());
    const route_param* p = nullptr;
    for (const auto& q : r.query_params)
      if (q.name == *name) p = &q;
    if (!p)
      return status::invalid("query parameter \"" + msg::utf8_prefix(*name, 64, "?") +
                             "\": unknown here (this route takes " + names_of(r.query_params) +
                             ")");
    if (!seen.insert(*name).second)
      return status::invalid("query parameter \"" + *name + "\": given twice");
    if (raw_value.empty()) continue;  // ?unit= is no filter
    auto v = typed_value(*p, raw_value, true);
    if (!v) return v.error();
    req[std::string(p->admin_field)] = std::move(*v);
  }
  for (const auto& q : r.query_params)
    if (q.required && !req.contains(std::string(q.admin_field)))
      return status::invalid("query parameter \"" + std::string(q.name) + "\": missing (" +
                             std::string(q.about) + ")");
  return status::ok();
}

status add_body(const route& r, std::string_view body, json& req) {
  if (body.empty()) return status::ok();
  if (!msg::json_depth_within(body))
    return status::invalid("body: nested deeper than " + std::to_string(msg::max_json_depth) +
                           " levels");
  json fields = json::parse(body, nullptr, false);
  if (fields.is_discarded()) {
    auto fault = msg::json_fault_of(body);
    return status::invalid("body: " +
                           (fault ? msg::describe(*fault, "body", fault->reason) : "not JSON"));
  }
  if (!fields.is_object()) return status::invalid("body: must be a JSON object");
  for (auto& [key, value] : fields.items()) {
    if (key == "cmd" || key == "token")
      return status::invalid("body: \"" + key + "\" may not be given (the route names the " +
                             "command; the Authorization header carries the token)");
    for (const auto& p : r.path_params)
      if (key == p.admin_field)
        return status::invalid("body: \"" + key + "\" is given by the path");
    req[key] = std::move(value);
  }
  return status::ok();
}

}  // namespace

result<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
      int lo = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (hi < 0 || lo < 0) return status::invalid("a bad percent escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  if (out.find('\0') != std::string::npos) return status::invalid("a NUL byte");
  if (!msg::valid_utf8(out)) return status::invalid("not valid UTF-8");
  return out;
}

result<json> admin_request(const route_match& m, std::string_view query, std::string_view body) {
  const route& r = *m.matched;
  json req{{"cmd", std::string(r.command)}};
  for (const auto& [name, raw] : m.path_values)
    for (const auto& p : r.path_params)
      if (p.name == name) {
        auto v = typed_value(p, raw, false);
        if (!v) return v.error();
        req[std::string(p.admin_field)] = std::move(*v);
      }
  if (status s = add_query(r, query, req); !s) return s;
  if (!r.json_body && !body.empty()) return status::invalid("body: this route takes none");
  if (status s = add_body(r, body, req); !s) return s;
  return req;
}

int http_status_of(const json& reply) {
  if (!reply.is_object()) return 502;
  if (reply.value("ok", false) == true) return 200;
  if (reply.value("token_refused", false) == true) return 401;
  auto code = reply.value("code", std::string());
  if (code == "invalid") return 400;
  if (code == "forbidden") return 403;
  if (code == "not_found") return 404;
  if (code == "conflict") return 409;
  if (code == "unavailable") return 503;
  return 500;
}

json error_body(std::string_view error, std::string_view code) {
  return json{{"ok", false}, {"error", std::string(error)}, {"code", std::string(code)}};
}

}  // namespace af::gateway
