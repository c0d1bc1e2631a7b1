// principals.h: who is calling (DESIGN.md "Identity and access"). A
// principal is a named key holder: a person bound to one employee id, or
// a service with capabilities. The registry is the engine's in-memory view
// of the principals table: every message is looked up by the public key
// its connection authenticated with (the ZAP User-Id), so a revoked or
// rotated key stops working on its next message, live connections
// included.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "engine/store.h"

namespace af::engine {

enum class capability : std::uint8_t {
  ingest,
  worker_scoring,
  worker_targets,
  worker_notify,
  portal,
  observer,
  admin,
  gateway
};
std::string_view capability_name(capability c);                  // "worker:scoring"
std::optional<capability> parse_capability(std::string_view s);  // nullopt: no such name
// "ingest,worker:scoring": Invalid naming an unknown one or an empty list.
result<std::set<capability>> parse_capabilities(std::string_view csv);
std::string format_capabilities(const std::set<capability>& caps);

struct principal {
  std::string name;
  bool person = false;
  std::string employee_id;    // person only
  std::set<capability> caps;  // service only
  std::string public_key;
  bool revoked = false;
  bool has_token = false;  // a bearer token stands for it too (migration 014)
  [[nodiscard]] bool has(capability c) const { return caps.count(c) != 0; }
  // Any of worker:scoring, worker:targets, worker:notify.
  [[nodiscard]] bool is_worker() const;
  // "E1001 (person E1001)" / "feed (service: ingest)", for errors.
  [[nodiscard]] std::string describe() const;
};

// The one-machine principals made at first start (DESIGN.md): name and capabilities.
struct default_principal {
  const char* name;
  const char* capabilities;
};
inline constexpr default_principal default_principals[] = {
    {"admin", "admin"},
    {"worker", "worker:scoring,worker:targets,worker:notify"},
    {"feed", "ingest"},
    {"gateway", "gateway"},
};

// A principal name: 1..64 of A-Z a-z 0-9 . _ - (it names key files).
bool valid_principal_name(std::string_view name);

class principal_registry {
 public:
  // Reads every principal and retired key from the store (inside the
  // caller's transaction, so it sees that transaction's changes); clears
  // stale(). Throws sqlite_error on a storage fault, leaving the registry
  // partly read: the caller marks it stale.
  void reload(store& db);
  // The principal whose current key this is, if not revoked; else nullptr.
  [[nodiscard]] const principal* by_key(std::string_view public_key) const;
  // The principal whose bearer token hashes so (msg::token_hash), if not
  // revoked; else nullptr. A token carries exactly its principal's rights.
  [[nodiscard]] const principal* by_token_hash(std::string_view hash) const;
  // Who holds or held this key (current, rotated away or revoked); empty if nobody.
  [[nodiscard]] std::string holder_of(std::string_view public_key) const;
  // The principal named so, revoked or not; nullptr when none is.
  [[nodiscard]] const principal* by_name(std::string_view name) const;
  [[nodiscard]] std::size_t size() const { return by_name_.size(); }

  // Something changed the principals table: reload before the next lookup.
  void mark_stale() { stale_ = true; }
  [[nodiscard]] bool stale() const { return stale_; }

 private:
  std::unordered_map<std::string, principal> by_name_;
  std::unordered_map<std::string, std::string> key_to_name_;  // current keys, revoked ones included
  std::unordered_map<std::string, std::string> retired_to_name_;  // rotated-away keys
  std::unordered_map<std::string, std::string> token_to_name_;    // current token hashes
  bool stale_ = true;
};

}  // namespace af::engine
