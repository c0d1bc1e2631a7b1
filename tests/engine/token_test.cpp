// token_test.cpp: bearer tokens (DESIGN.md "HTTP gateway and metrics"):
// registered as a hash, forwarded by the gateway principal, answered with
// exactly the rights of the token's principal, and refused once rotated
// or revoked.
#include <catch2/catch.hpp>

#include "messages/bearer_token.h"
#include "messages/curve_keys.h"
#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;
using af::engine::capability;

namespace {

std::string key() { return af::msg::make_key_pair()->public_key; }

// A fixture with the small org, one cycle, and the gateway as the caller.
struct gateway_fixture : fixture {
  af::engine::principal admin = caller;
  gateway_fixture() {
    import_org();
    start_cycle();
    // Another admin, so that revoking a person is not revoking the last one.
    ok({{"cmd", "principals.add"}, {"name", "ops"}, {"services", "admin"}, {"public_key", key()}});
  }
  // Registers `name` as this person with a fresh token; returns the token.
  std::string person_with_token(const std::string& name, const std::string& employee) {
    caller = admin;
    std::string token = af::msg::new_bearer_token();
    auto r = ok({{"cmd", "principals.add"},
                 {"name", name},
                 {"person", employee},
                 {"public_key", key()},
                 {"token_hash", af::msg::token_hash(token)}});
    CHECK(r["has_token"] == true);
    CHECK(r.dump().find(token) == std::string::npos);
    principals.mark_stale();
    as_service("gateway", {capability::gateway});
    return token;
  }
  // A request forwarded by the gateway with `token`.
  njson forward(njson request, const std::string& token) {
    request["token"] = token;
    return call(request);
  }
};

}  // namespace

TEST_CASE("a bearer token is af_ and 43 URL-safe characters, kept as its SHA-256",
          "[engine][tokens]") {
  std::string a = af::msg::new_bearer_token(), b = af::msg::new_bearer_token();
  CHECK(a.size() == 46);
  CHECK(a.rfind("af_", 0) == 0);
  CHECK(af::msg::looks_like_token(a));
  CHECK(a != b);
  CHECK_FALSE(af::msg::looks_like_token(a.substr(0, 45)));
  CHECK_FALSE(af::msg::looks_like_token("af_" + std::string(43, '+')));
  // SHA-256 of "abc" (FIPS 180-2, appendix B.1).
  CHECK(af::msg::token_hash("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(af::msg::is_token_hash(af::msg::token_hash(a)));
  CHECK_FALSE(
      af::msg::is_token_hash("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  CHECK_FALSE(af::msg::is_token_hash("ba7816bf"));
}

TEST_CASE("the gateway's requests are answered as the token's principal, with its rights only",
          "[engine][tokens]") {
  gateway_fixture f;
  std::int64_t own = f.case_of("E1"), other = f.case_of("E2");
  std::string e1 = f.person_with_token("e1", "E1");

  // E1 sees their own case and nobody else's: the other is "not found".
  auto list = f.forward({{"cmd", "cases"}}, e1);
  REQUIRE(list["ok"] == true);
  REQUIRE(list["cases"].size() == 1);
  CHECK(list["cases"][0]["id"] == own);
  CHECK(f.forward({{"cmd", "case.show"}, {"case", own}}, e1)["employee_id"] == "E1");
  auto hidden = f.forward({{"cmd", "case.show"}, {"case", other}}, e1);
  CHECK(hidden["code"] == "not_found");
  CHECK_FALSE(hidden.contains("token_refused"));
  // E1 acts as themselves only; the history names the token's principal.
  auto mine =
      f.forward({{"cmd", "submit"}, {"case", own}, {"as", "employee"}, {"ratings", ratings}}, e1);
  CHECK(mine["ok"] == true);
  auto as_other = f.forward(
      {{"cmd", "submit"}, {"case", other}, {"as", "employee:E2"}, {"ratings", ratings}}, e1);
  CHECK(as_other["code"] == "forbidden");
  CHECK(as_other["error"] == "principal e1 may not act as E2");
  f.caller = f.admin;
  auto history = f.show(own)["history"];
  CHECK(history.back()["principal"] == "e1");
  CHECK(history.back()["actor"] == "employee:E1");
  // Admin requests stay the admin's.
  f.as_service("gateway", {capability::gateway});
  CHECK(f.forward({{"cmd", "principals.list"}}, e1)["code"] == "forbidden");
}

TEST_CASE("the gateway without a token, or with nobody's, is refused and told to answer 401",
          "[engine][tokens]") {
  gateway_fixture f;
  std::string e1 = f.person_with_token("e1", "E1");
  auto bare = f.call({{"cmd", "stats"}});
  CHECK(bare["ok"] == false);
  CHECK(bare["code"] == "forbidden");
  CHECK(bare["token_refused"] == true);
  CHECK(bare["error"] ==
        "principal gateway (service: gateway) only forwards callers' tokens; this request has "
        "none");
  for (const njson& bad : {njson(af::msg::new_bearer_token()), njson(42), njson(nullptr),
                           njson(std::string(200, 'a')), njson(e1 + "x")}) {
    auto r = f.call({{"cmd", "stats"}, {"token", bad}});
    INFO(bad.dump());
    CHECK(r["code"] == "forbidden");
    CHECK(r["error"] == "token: unknown or revoked");
    CHECK(r["token_refused"] == true);
  }
  // Anyone else who sends a token is told the key is what counts.
  f.as_person("E1");
  auto r = f.call({{"cmd", "stats"}, {"token", e1}});
  CHECK(r["code"] == "invalid");
  CHECK(r["error"] ==
        "token: only the gateway forwards tokens; this connection's key is its principal");
  CHECK_FALSE(r.contains("token_refused"));
  // Every refusal is in the audit under the sender's name.
  f.caller = f.admin;
  auto audit = f.ok({{"cmd", "audit"}, {"principal", "gateway"}})["audit"];
  CHECK(audit.size() == 6);  // 1 bare + 5 bad
  CHECK(audit[0]["reason"] ==
        "principal gateway (service: gateway) only forwards callers' tokens; this request has "
        "none");
}

TEST_CASE("a rotated token stops on the next request, a revoked one too and a hash is checked",
          "[engine][tokens]") {
  gateway_fixture f;
  std::string old_token = f.person_with_token("h1", "H1");
  CHECK(f.forward({{"cmd", "report"}, {"cycle", 1}}, old_token)["ok"] == true);

  f.caller = f.admin;
  std::string fresh = af::msg::new_bearer_token();
  auto rotated = f.ok(
      {{"cmd", "principals.rotate"}, {"name", "h1"}, {"token_hash", af::msg::token_hash(fresh)}});
  CHECK(rotated["has_token"] == true);
  f.as_service("gateway", {capability::gateway});
  CHECK(f.forward({{"cmd", "stats"}}, old_token)["error"] == "token: unknown or revoked");
  CHECK(f.forward({{"cmd", "report"}, {"cycle", 1}}, fresh)["ok"] == true);

  f.caller = f.admin;
  CHECK(f.refused_with("invalid", {{"cmd", "principals.rotate"}, {"name", "h1"}}) ==
        "give public_key, token_hash or both");
  CHECK(f.refused_with("invalid",
                       {{"cmd", "principals.rotate"}, {"name", "h1"}, {"token_hash", fresh}}) ==
        "token_hash: not the SHA-256 of a token (64 lowercase hex digits)");
  CHECK(f.refused_with("conflict", {{"cmd", "principals.add"},
                                    {"name", "dup"},
                                    {"services", "observer"},
                                    {"public_key", key()},
                                    {"token_hash", af::msg::token_hash(fresh)}}) ==
        "token_hash: already registered");
  // The list says who has a token, never its hash.
  auto list = f.ok({{"cmd", "principals.list"}});
  CHECK(list.dump().find(af::msg::token_hash(fresh)) == std::string::npos);
  bool seen = false;
  for (const auto& p : list["principals"])
    if (p["name"] == "h1") seen = p["has_token"] == true;
  CHECK(seen);

  f.ok({{"cmd", "principals.revoke"}, {"name", "h1"}});
  f.principals.mark_stale();
  f.as_service("gateway", {capability::gateway});
  CHECK(f.forward({{"cmd", "stats"}}, fresh)["error"] == "token: unknown or revoked");
}
