// admin_principals.cpp: the admin API's principals.* and audit requests
// (DESIGN.md "Identity and access"). Only public keys arrive here: a key
// pair is made by the client (assessctl principals add), which keeps the
// secret. Names are never reused, and the last admin cannot be revoked.
#include "base/civil_time.h"
#include "engine/admin_api.h"
#include "messages/bearer_token.h"
#include "messages/curve_keys.h"

namespace af::engine {
namespace {

json principal_json(const principal_row& p) {
  return json{{"name", p.name},
              {"kind", p.kind},
              {"employee_id", p.kind == "person" ? json(p.employee_id) : json(nullptr)},
              {"capabilities", p.kind == "service" ? json(p.capabilities) : json(nullptr)},
              {"public_key", p.public_key},
              {"created_at", p.created_at},
              {"created_by", p.created_by},
              {"revoked_at", p.revoked_at ? json(*p.revoked_at) : json(nullptr)},
              {"has_token", p.token_hash.has_value()}};
}

result<std::string> text_field(const json& req, const char* key) {
  if (!req.contains(key) || !req[key].is_string() || req[key].get<std::string>().empty())
    return status::invalid(std::string(key) + ": missing");
  return req[key].get<std::string>();
}

// The request's public_key: a Z85 CURVE key no principal holds yet.
result<std::string> fresh_key(store& db, const json& req) {
  auto key = text_field(req, "public_key");
  if (!key) return key.error();
  if (!msg::is_z85_key(*key))
    return status::invalid("public_key: not a 40-character Z85 CURVE public key");
  if (auto holder = db.principal_of_key(*key))
    return status::conflict("public_key: already registered (principal " + *holder + ")");
  return *key;
}

// The request's token_hash, if it has one: the SHA-256 (64 lowercase hex
// digits) of a bearer token no principal holds yet. The token itself is
// made and shown by the client; the engine never sees it here.
result<std::optional<std::string>> fresh_token_hash(store& db, const json& req) {
  if (!req.contains("token_hash") || req["token_hash"].is_null())
    return std::optional<std::string>();
  if (!req["token_hash"].is_string() || !msg::is_token_hash(req["token_hash"].get<std::string>()))
    return status::invalid("token_hash: not the SHA-256 of a token (64 lowercase hex digits)");
  std::string hash = req["token_hash"].get<std::string>();
  if (db.token_hash_taken(hash)) return status::conflict("token_hash: already registered");
  return std::optional<std::string>(hash);
}

// The request's services (a comma-separated text or an array of names) as
// the stored capability list.
result<std::string> services_of(const json& services) {
  std::string csv;
  if (services.is_string()) {
    csv = services.get<std::string>();
  } else if (services.is_array()) {
    for (const auto& c : services) {
      if (!c.is_string()) return status::invalid("services: must be capability names");
      csv += (csv.empty() ? "" : ",") + c.get<std::string>();
    }
  } else {
    return status::invalid("services: must be capability names");
  }
  auto caps = parse_capabilities(csv);
  if (!caps) return status::invalid("services: " + caps.error().message());
  return format_capabilities(*caps);
}

// The principal principals.add would make (without created_at and
// created_by): a new name, a person or services, a fresh key; refusals in
// that order.
result<principal_row> new_principal(store& db, const std::string& name, const json& req) {
  if (!valid_principal_name(name) || name == "engine")
    return status::invalid("name: \"" + name +
                           "\" must be 1..64 of A-Z a-z 0-9 . _ - and not \"engine\"");
  if (auto existing = db.find_principal(name))
    return status::conflict("name: principal " + name + " exists" +
                            (existing->revoked_at ? " (revoked; names are never reused)" : ""));
  bool person = req.contains("person") && !req["person"].is_null();
  bool service = req.contains("services") && !req["services"].is_null();
  if (person == service)
    return status::invalid("give either person (an employee id) or services (capabilities)");
  principal_row row;
  row.name = name;
  if (person) {
    if (!req["person"].is_string()) return status::invalid("person: must be an employee id");
    row.kind = "person";
    row.employee_id = req["person"].get<std::string>();
    if (!db.find_employee(row.employee_id))
      return status::invalid("person: unknown employee \"" + row.employee_id + "\"");
  } else {
    auto caps = services_of(req["services"]);
    if (!caps) return caps.error();
    row.kind = "service";
    row.capabilities = *caps;
  }
  auto key = fresh_key(db, req);
  if (!key) return key.error();
  row.public_key = *key;
  auto token = fresh_token_hash(db, req);
  if (!token) return token.error();
  row.token_hash = *token;
  return row;
}

// True when a principal other than `name`, not revoked, may manage
// principals: a service with the admin capability, or an active person
// holding the admin org role.
bool another_admin(store& db, const std::string& name) {
  for (const auto& p : db.principals()) {
    if (p.revoked_at || p.name == name) continue;
    if (p.kind == "service") {
      auto caps = parse_capabilities(p.capabilities);
      if (caps && caps->count(capability::admin)) return true;
      continue;
    }
    auto e = db.find_employee(p.employee_id);
    if (e && e->active && e->roles.count(role::admin)) return true;
  }
  return false;
}

}  // namespace

result<json> admin_api::principals_cmd(const viewer& v, const std::string& cmd, const json& req,
                                       std::int64_t now) {
  std::string at = format_instant(now, 0);
  if (cmd == "principals.list") {
    json list = json::array();
    for (const auto& p : db_.principals()) list.push_back(principal_json(p));
    return json{{"principals", list}};
  }
  auto name = text_field(req, "name");
  if (!name) return name.error();
  if (cmd == "principals.add") {
    auto row = new_principal(db_, *name, req);
    if (!row) return row.error();
    row->created_at = at;
    row->created_by = v.who->name;
    db_.insert_principal(*row);
    principals_.mark_stale();
    if (principals_changed_) principals_changed_();
    return principal_json(*row);
  }
  auto existing = db_.find_principal(*name);
  if (!existing) return status::not_found("principal " + *name + " does not exist");
  if (existing->revoked_at)
    return status::conflict("principal " + *name + " was revoked at " + *existing->revoked_at);
  if (cmd == "principals.revoke") {
    // The last one who can manage principals stays.
    if (!another_admin(db_, *name))
      return status::conflict("principal " + *name +
                              " is the last admin; make another before revoking it");
    db_.revoke_principal(*name, at);
    principals_.mark_stale();
    if (principals_changed_) principals_changed_();
    existing->revoked_at = at;
    return principal_json(*existing);
  }
  if (cmd == "principals.rotate") {
    // A new key, a new token, or both; what is replaced stops working.
    bool new_key = req.contains("public_key") && !req["public_key"].is_null();
    auto token = fresh_token_hash(db_, req);
    if (!token) return token.error();
    if (!new_key && !*token) return status::invalid("give public_key, token_hash or both");
    if (new_key) {
      auto key = fresh_key(db_, req);
      if (!key) return key.error();
      db_.replace_principal_key(*name, *key, at);
      existing->public_key = *key;
    }
    if (*token) {
      db_.replace_principal_token(*name, **token);
      existing->token_hash = *token;
    }
    principals_.mark_stale();
    if (principals_changed_) principals_changed_();
    return principal_json(*existing);
  }
  return status::invalid("cmd: unknown command \"" + cmd + "\"");
}

result<json> admin_api::audit_list(const json& req) {
  std::int64_t since = 0;
  if (req.contains("since") && !req["since"].is_null()) {
    if (!req["since"].is_string())
      return status::invalid("since: must be an ISO 8601 instant or a date");
    std::string text = req["since"].get<std::string>();
    if (auto instant = parse_instant(text))
      since = *instant;
    else if (auto day = parse_date(text))
      since = local_midnight(*day, 0);
    else
      return status::invalid("since: \"" + text +
                             "\" is not an ISO 8601 instant (2026-12-01T09:00:00+08:00) or a date");
  }
  std::optional<std::string> principal;
  if (req.contains("principal") && !req["principal"].is_null()) {
    if (!req["principal"].is_string())
      return status::invalid("principal: must be a principal name");
    principal = req["principal"].get<std::string>();
  }
  auto limit = limit_of(req, 1000, max_audit_rows);
  if (!limit) return limit.error();
  json rows = json::array();
  for (const auto& r : db_.audit(since, principal, *limit))
    rows.push_back({{"id", r.id},
                    {"at", format_instant(r.at, 0)},
                    {"principal", r.principal},
                    {"endpoint", r.endpoint},
                    {"command", r.command},
                    {"reason", r.reason}});
  return json{{"audit", rows}};
}

result<std::int64_t> admin_api::limit_of(const json& req, std::int64_t fallback, std::int64_t max) {
  if (!req.contains("limit") || req["limit"].is_null()) return fallback;
  if (!req["limit"].is_number_integer() || req["limit"].get<std::int64_t>() < 1 ||
      req["limit"].get<std::int64_t>() > max)
    return status::invalid("limit: must be a whole number from 1 to " + std::to_string(max));
  return req["limit"].get<std::int64_t>();
}

}  // namespace af::engine
