#include "engine/principals.h"

#include <algorithm>
#include <cctype>

namespace af::engine {
namespace {

constexpr std::pair<capability, std::string_view> names[] = {
    {capability::ingest, "ingest"},
    {capability::worker_scoring, "worker:scoring"},
    {capability::worker_targets, "worker:targets"},
    {capability::worker_notify, "worker:notify"},
    {capability::portal, "portal"},
    {capability::observer, "observer"},
    {capability::admin, "admin"},
    {capability::gateway, "gateway"},
};

}  // namespace

std::string_view capability_name(capability c) {
  for (const auto& [cap, name] : names)
    if (cap == c) return name;
  return "?";
}

std::optional<capability> parse_capability(std::string_view s) {
  for (const auto& [cap, name] : names)
    if (name == s) return cap;
  return std::nullopt;
}

result<std::set<capability>> parse_capabilities(std::string_view csv) {
  std::set<capability> out;
  std::size_t start = 0;
  while (start <= csv.size()) {
    std::size_t end = csv.find(',', start);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view one = csv.substr(start, end - start);
    while (!one.empty() && one.front() == ' ') one.remove_prefix(1);
    while (!one.empty() && one.back() == ' ') one.remove_suffix(1);
    if (!one.empty()) {
      auto c = parse_capability(one);
      if (!c)
        return status::invalid(
            "capability \"" + std::string(one) +
            "\" is not one of ingest, worker:scoring, worker:targets, worker:notify, portal, "
            "observer, admin, gateway");
      out.insert(*c);
    }
    start = end + 1;
  }
  if (out.empty()) return status::invalid("services: name at least one capability");
  return out;
}

std::string format_capabilities(const std::set<capability>& caps) {
  std::string out;
  for (capability c : caps) {
    if (!out.empty()) out += ',';
    out += capability_name(c);
  }
  return out;
}

bool principal::is_worker() const {
  return has(capability::worker_scoring) || has(capability::worker_targets) ||
         has(capability::worker_notify);
}

std::string principal::describe() const {
  if (person) return name + " (person " + employee_id + ")";
  return name + " (service: " + format_capabilities(caps) + ")";
}

bool valid_principal_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(
             name.begin(), name.end(),
             [](unsigned char c) { return std::isalnum(c) || c == '.' || c == '_' || c == '-'; }) &&
         name.front() != '.' && name.front() != '-';
}

void principal_registry::reload(store& db) {
  by_name_.clear();
  key_to_name_.clear();
  retired_to_name_.clear();
  token_to_name_.clear();
  for (const auto& row : db.principals()) {
    principal p;
    p.name = row.name;
    p.person = row.kind == "person";
    p.employee_id = row.employee_id;
    if (!p.person)
      if (auto caps = parse_capabilities(row.capabilities))
        p.caps = *caps;  // an unknown name grants nothing
    p.public_key = row.public_key;
    p.revoked = row.revoked_at.has_value();
    key_to_name_[p.public_key] = p.name;
    if (row.token_hash) {
      p.has_token = true;
      token_to_name_[*row.token_hash] = p.name;
    }
    by_name_.emplace(p.name, std::move(p));
  }
  db.for_each_retired_key(
      [this](const std::string& key, const std::string& name) { retired_to_name_[key] = name; });
  stale_ = false;
}

const principal* principal_registry::by_key(std::string_view key) const {
  auto k = key_to_name_.find(std::string(key));
  if (k == key_to_name_.end()) return nullptr;
  const principal* p = by_name(k->second);
  return p && !p->revoked ? p : nullptr;
}

const principal* principal_registry::by_token_hash(std::string_view hash) const {
  auto t = token_to_name_.find(std::string(hash));
  if (t == token_to_name_.end()) return nullptr;
  const principal* p = by_name(t->second);
  return p && !p->revoked ? p : nullptr;
}

std::string principal_registry::holder_of(std::string_view key) const {
  std::string k(key);
  if (auto it = key_to_name_.find(k); it != key_to_name_.end()) return it->second;
  if (auto it = retired_to_name_.find(k); it != retired_to_name_.end()) return it->second;
  return {};
}

const principal* principal_registry::by_name(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : &it->second;
}

}  // namespace af::engine
