// store_principals.cpp: the store's principals, their retired keys and the
// audit of refused requests (schemas/migrations/007_principals_and_audit.sql).
#include "engine/store.h"

namespace af::engine {
namespace {

constexpr const char* principal_columns =
    "name, kind, employee_id, capabilities, public_key, created_at, created_by, revoked_at, "
    "token_hash";

principal_row read_principal(statement& s) {
  return {s.text(0), s.text(1),     s.opt_text(2).value_or(""),
          s.text(3), s.text(4),     s.text(5),
          s.text(6), s.opt_text(7), s.opt_text(8)};
}

}  // namespace

std::vector<principal_row> store::principals() {
  static const std::string sql =
      std::string("SELECT ") + principal_columns + " FROM principals ORDER BY name";
  auto& s = stmt(sql.c_str());
  std::vector<principal_row> out;
  while (s.step()) out.push_back(read_principal(s));
  return out;
}

std::optional<principal_row> store::find_principal(const std::string& name) {
  static const std::string sql =
      std::string("SELECT ") + principal_columns + " FROM principals WHERE name = ?1";
  auto& s = stmt(sql.c_str());
  s.bind(1, name);
  if (!s.step()) return std::nullopt;
  auto p = read_principal(s);
  s.reset();
  return p;
}

std::optional<std::string> store::principal_of_key(const std::string& public_key) {
  auto& s = stmt(
      "SELECT name FROM principals WHERE public_key = ?1 UNION ALL "
      "SELECT principal FROM principal_keys_retired WHERE public_key = ?1");
  s.bind(1, public_key);
  if (!s.step()) return std::nullopt;
  auto name = s.text(0);
  s.reset();
  return name;
}

void store::insert_principal(const principal_row& p) {
  stmt(
      "INSERT INTO principals (name, kind, employee_id, capabilities, public_key, created_at, "
      "created_by, token_hash) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
      .bind(1, p.name)
      .bind(2, p.kind)
      .bind(3, p.kind == "person" ? std::optional<std::string>(p.employee_id) : std::nullopt)
      .bind(4, p.capabilities)
      .bind(5, p.public_key)
      .bind(6, p.created_at)
      .bind(7, p.created_by)
      .bind(8, p.token_hash)
      .run();
}

void store::replace_principal_token(const std::string& name, const std::string& token_hash) {
  stmt("UPDATE principals SET token_hash = ?2 WHERE name = ?1")
      .bind(1, name)
      .bind(2, token_hash)
      .run();
}

bool store::token_hash_taken(const std::string& token_hash) {
  auto& s = stmt("SELECT 1 FROM principals WHERE token_hash = ?1");
  s.bind(1, token_hash);
  bool taken = s.step();
  s.reset();
  return taken;
}

void store::revoke_principal(const std::string& name, const std::string& at) {
  stmt("UPDATE principals SET revoked_at = ?2 WHERE name = ?1 AND revoked_at IS NULL")
      .bind(1, name)
      .bind(2, at)
      .run();
}

void store::replace_principal_key(const std::string& name, const std::string& public_key,
                                  const std::string& at) {
  stmt(
      "INSERT INTO principal_keys_retired (public_key, principal, retired_at) "
      "SELECT public_key, name, ?2 FROM principals WHERE name = ?1")
      .bind(1, name)
      .bind(2, at)
      .run();
  stmt("UPDATE principals SET public_key = ?2 WHERE name = ?1")
      .bind(1, name)
      .bind(2, public_key)
      .run();
}

void store::for_each_retired_key(
    const std::function<void(const std::string&, const std::string&)>& f) {
  auto& s = stmt("SELECT public_key, principal FROM principal_keys_retired");
  while (s.step()) f(s.text(0), s.text(1));
}

void store::add_audit(const audit_row& r) {
  stmt("INSERT INTO audit (at, principal, endpoint, command, reason) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(1, r.at)
      .bind(2, r.principal)
      .bind(3, r.endpoint)
      .bind(4, r.command)
      .bind(5, r.reason)
      .run();
}

std::vector<audit_row> store::audit(std::int64_t since, const std::optional<std::string>& principal,
                                    std::int64_t limit) {
  // The newest `limit` rows, returned oldest first.
  auto& s = stmt(
      "SELECT id, at, principal, endpoint, command, reason FROM ("
      "SELECT * FROM audit WHERE at >= ?1 AND (?2 IS NULL OR principal = ?2) ORDER BY id DESC "
      "LIMIT ?3"
      ") ORDER BY id");
  s.bind(1, since).bind(2, principal).bind(3, limit);
  std::vector<audit_row> out;
  while (s.step())
    out.push_back({s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5)});
  return out;
}

std::int64_t store::purge_audit(std::int64_t before) {
  stmt("DELETE FROM audit WHERE at < ?1").bind(1, before).run();
  return db_.changes();
}

}  // namespace af::engine
