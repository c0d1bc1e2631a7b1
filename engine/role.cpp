#include "engine/role.h"

#include <iterator>

namespace af::engine {
namespace {

constexpr std::string_view role_names[] = {"employee", "supervisor", "hrbp",   "hr",
                                           "chairman", "admin",      "system", "rater"};

bool is_org_role(role r) { return r == role::hr || r == role::chairman || r == role::admin; }

// Calls f(part) for each ';'-separated part of text; an empty last part
// (text "" or ending in ';') is skipped. Stops at the first false.
template <class F>
bool each_part(std::string_view text, F&& f) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    if (!f(text.substr(start, end - start))) return false;
    start = end + 1;
  }
  return true;
}

}  // namespace

std::optional<role> parse_role(std::string_view s) {
  for (std::size_t i = 0; i < std::size(role_names); ++i)
    if (role_names[i] == s) return static_cast<role>(i);
  return std::nullopt;
}

std::string_view role_name(role r) { return role_names[static_cast<int>(r)]; }

status org_roles_error(std::string_view text, const std::string& where) {
  std::string_view wrong;
  bool ok = each_part(text, [&](std::string_view part) {
    auto r = parse_role(part);
    if (r && is_org_role(*r)) return true;
    wrong = part;
    return false;
  });
  if (ok) return status::ok();
  return status::invalid(where + ": roles: \"" + std::string(wrong) +
                         "\" is not hr, chairman or admin");
}

std::set<role> parse_org_roles(std::string_view text) {
  std::set<role> out;
  each_part(text, [&](std::string_view part) {
    if (auto r = parse_role(part); r && is_org_role(*r)) out.insert(*r);
    return true;
  });
  return out;
}

std::string org_roles_text(const std::set<role>& roles) {
  std::string out;
  for (role r : roles) out += (out.empty() ? "" : ";") + std::string(role_name(r));
  return out;
}

}  // namespace af::engine
