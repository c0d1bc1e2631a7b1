// The HTTP gateway as a process in front of the real engine, with tokens
// made by the real assessctl: every status DESIGN.md maps, what a token may
// see and do (exactly its principal's rights, revoked at once), the limits,
// keep-alive, the engine going away, and a clean exit on SIGTERM.
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include "tests/integration/scenario.h"
#include "tools/common/http_client.h"

using namespace af::test;
using af::tools::http_call;
using af::tools::http_connection;
using af::tools::raw_exchange;

namespace {

struct gateway_process {
  process proc;
  int port;
};

gateway_process start_gateway(const scenario& s, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"--data", s.data(), "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::string log = s.root.path() + "/gateway.log";
  process p(ASSESS_GATEWAY_BIN, args, log);
  int port = 0;
  std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
  bool up = eventually([&] {
    std::smatch m;
    std::string text = read_text(log);
    if (!std::regex_search(text, m, listening)) return false;
    port = std::stoi(m[1]);
    return true;
  });
  if (!up) throw std::runtime_error("gateway did not start; see " + log);
  return {std::move(p), port};
}

// assessctl principals add NAME --person ID --token --json -> the token.
std::string make_token(const scenario& s, const std::string& name,
                       const std::vector<std::string>& who) {
  std::vector<std::string> args{"--data", s.data(), "--json", "principals", "add", name};
  args.insert(args.end(), who.begin(), who.end());
  args.push_back("--token");
  std::string out;
  int rc = run(ASSESSCTL_BIN, args, &out);
  INFO(out);
  REQUIRE(rc == 0);
  return json::parse(out)["token"].get<std::string>();
}

std::set<std::string> employees_in(const json& reply) {
  std::set<std::string> out;
  for (const auto& c : reply["cases"]) out.insert(c["employee_id"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("gateway: a token reads and acts with exactly its principal's rights",
          "[integration][gateway]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  auto gw = start_gateway(s);
  std::string hr = make_token(s, "hr-web", {"--person", "H0001"});
  std::string e1001 = make_token(s, "e1001-web", {"--person", "E1001"});
  std::string watcher = make_token(s, "watcher", {"--service", "observer"});

  // HR sees the whole cycle, the same cases the admin API lists.
  auto all = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  auto listed = http_call(gw.port, "GET", "/v1/cases?cycle=" + std::to_string(cycle), hr);
  REQUIRE(listed.status == 200);
  CHECK(listed.header("content-type") == "application/json; charset=utf-8");
  CHECK(listed.header("cache-control") == "no-store");
  CHECK(listed.json()["cases"] == all["cases"]);
  CHECK(listed.json()["cases"].size() == 20);

  // An employee sees only their own case; another's is "not found".
  auto mine = http_call(gw.port, "GET", "/v1/cases", e1001);
  REQUIRE(mine.status == 200);
  CHECK(employees_in(mine.json()) == std::set<std::string>{"E1001"});
  long long own = mine.json()["cases"][0]["id"].get<long long>();
  long long other = 0;
  for (const auto& c : all["cases"])
    if (c["employee_id"] == "E1002") other = c["id"].get<long long>();
  auto hidden = http_call(gw.port, "GET", "/v1/cases/" + std::to_string(other), e1001);
  CHECK(hidden.status == 404);
  CHECK(hidden.json()["ok"] == false);
  CHECK(hidden.json()["code"] == "not_found");
  auto shown = http_call(gw.port, "GET", "/v1/cases/" + std::to_string(own), e1001);
  REQUIRE(shown.status == 200);
  CHECK(shown.json()["employee_id"] == "E1001");
  CHECK(shown.json()["state"] == "self_review");

  // Acting: the self review through HTTP moves the case; acting as someone else is 403.
  json self = s.reviews().at("E1001")["self"];
  json body{{"as", "employee"}, {"ratings", self["ratings"]}};
  auto as_supervisor =
      http_call(gw.port, "POST", "/v1/cases/" + std::to_string(own) + "/submit", e1001,
                json{{"as", "supervisor:S2001"}, {"ratings", self["ratings"]}}.dump());
  CHECK(as_supervisor.status == 403);
  CHECK(as_supervisor.json()["error"] == "principal e1001-web may not act as S2001");
  auto submitted = http_call(gw.port, "POST", "/v1/cases/" + std::to_string(own) + "/submit", e1001,
                             body.dump());
  INFO(submitted.body);
  REQUIRE(submitted.status == 200);
  CHECK(admin(s.data(), {{"cmd", "case.show"}, {"case", own}})["state"] == "supervisor_review");
  auto again = http_call(gw.port, "POST", "/v1/cases/" + std::to_string(own) + "/submit", e1001,
                         body.dump());
  CHECK(again.status == 403);
  CHECK(again.json()["error"] ==
        "employee may not submit a case in supervisor_review (only supervisor)");

  // Reports are for HR and observers, not for an employee.
  CHECK(http_call(gw.port, "GET", "/v1/report?cycle=" + std::to_string(cycle), hr).status == 200);
  CHECK(http_call(gw.port, "GET", "/v1/report?cycle=" + std::to_string(cycle), watcher).status ==
        200);
  auto report = http_call(gw.port, "GET", "/v1/report?cycle=" + std::to_string(cycle), e1001);
  CHECK(report.status == 403);
  CHECK(report.json()["code"] == "forbidden");
  // Starting a cycle needs the hr role; an observer may not.
  auto start = http_call(gw.port, "POST", "/v1/cycles", watcher,
                         R"({"program":"competency50","period":"2026-Q4"})");
  CHECK(start.status == 403);

  // The cycles list, as the admin API answers it for the same principal.
  auto cycles = http_call(gw.port, "GET", "/v1/cycles", hr);
  REQUIRE(cycles.status == 200);
  CHECK(cycles.json()["cycles"].size() == 1);
  CHECK(cycles.json()["cycles"][0]["cases"] == 20);
  CHECK(cycles.json()["cycles"][0]["states"]["supervisor_review"] == 1);
  CHECK(cycles.json()["cycles"][0]["states"]["self_review"] == 19);
  // HR may not cancel; the admin cancels E1002's case; a second cancel is
  // a conflict with the case's state.
  std::string admin_token = make_token(s, "a0001-web", {"--person", "A0001"});
  std::string cancel_path = "/v1/cases/" + std::to_string(other) + "/cancel";
  auto by_hr = http_call(gw.port, "POST", cancel_path, hr, R"({"as":"hr:H0001"})");
  CHECK(by_hr.status == 403);
  CHECK(by_hr.json()["error"] == "hr may not cancel a case in self_review (only admin)");
  std::string cancel_body = R"({"as":"admin:A0001","reason":"left the company"})";
  auto cancelled = http_call(gw.port, "POST", cancel_path, admin_token, cancel_body);
  INFO(cancelled.body);
  CHECK(cancelled.status == 200);
  auto twice = http_call(gw.port, "POST", cancel_path, admin_token, cancel_body);
  CHECK(twice.status == 409);
  CHECK(twice.json()["code"] == "conflict");
  // Every other kind of route answers for HR.
  for (std::string target :
       {"/v1/stats", "/v1/standards", "/v1/overdue", "/v1/sales/E1001?period=2025",
        "/v1/cases?state=self_review&limit=5"}) {
    INFO(target);
    CHECK(http_call(gw.port, "GET", target, hr).status == 200);
  }
  CHECK(
      http_call(gw.port, "GET", "/v1/cases?state=self_review&limit=5", hr).json()["cases"].size() ==
      5);

  // Revocation counts from the next request; rotation replaces the token.
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "principals", "revoke", "e1001-web"}, &out,
              true) == 0);
  auto revoked = http_call(gw.port, "GET", "/v1/cases", e1001);
  CHECK(revoked.status == 401);
  CHECK(revoked.header("www-authenticate") == "Bearer realm=\"assessflow\"");
  CHECK(revoked.json()["code"] == "forbidden");
  CHECK_FALSE(revoked.json().contains("token_refused"));
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN,
              {"--data", s.data(), "--json", "principals", "rotate", "hr-web", "--token"},
              &out) == 0);
  std::string rotated = json::parse(out)["token"].get<std::string>();
  CHECK(http_call(gw.port, "GET", "/v1/stats", hr).status == 401);
  CHECK(http_call(gw.port, "GET", "/v1/stats", rotated).status == 200);
}

TEST_CASE("gateway: no token, a bad token, bad requests and limits get their status",
          "[integration][gateway]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  auto gw = start_gateway(s);
  std::string hr = make_token(s, "hr-web", {"--person", "H0001"});

  auto none = http_call(gw.port, "GET", "/v1/cases");
  CHECK(none.status == 401);
  CHECK(none.header("www-authenticate") == "Bearer realm=\"assessflow\"");
  CHECK(none.json()["error"] ==
        "Authorization: missing; send Authorization: Bearer TOKEN (assessctl principals add NAME "
        "... --token makes one)");
  auto unknown = http_call(gw.port, "GET", "/v1/cases", "af_" + std::string(43, 'A'));
  CHECK(unknown.status == 401);
  CHECK(unknown.json()["code"] == "forbidden");
  http_connection basic(gw.port);
  auto wrong_scheme = basic.send("GET", "/v1/cases", "", "", {{"Authorization", "Basic YTpi"}});
  CHECK(wrong_scheme.status == 401);
  CHECK(wrong_scheme.json()["error"] ==
        "Authorization: not a bearer token of assessflow (Bearer af_...)");

  // The OpenAPI document needs no token.
  auto doc = http_call(gw.port, "GET", "/v1/openapi.json");
  REQUIRE(doc.status == 200);
  CHECK(doc.json()["openapi"] == "3.0.3");

  auto missing = http_call(gw.port, "GET", "/v1/nothing", hr);
  CHECK(missing.status == 404);
  CHECK(missing.json()["error"] == "no route GET /v1/nothing (GET /v1/openapi.json lists them)");
  auto method = http_call(gw.port, "DELETE", "/v1/cases/1", hr);
  CHECK(method.status == 405);
  CHECK(method.header("allow") == "GET");
  auto bad = http_call(gw.port, "GET", "/v1/cases?cycle=one", hr);
  CHECK(bad.status == 400);
  CHECK(bad.json() == json{{"ok", false},
                           {"error", "cycle: must be a whole number, not \"one\""},
                           {"code", "invalid"}});
  auto bad_body = http_call(gw.port, "POST", "/v1/cases/1/approve", hr, "{\"as\":");
  CHECK(bad_body.status == 400);
  CHECK(bad_body.json()["code"] == "invalid");
  // What the engine refuses comes back with its code and line.
  auto no_cycle = http_call(gw.port, "GET", "/v1/report?cycle=999", hr);
  CHECK(no_cycle.status == 404);

  // A body over 1 MiB is 413 before it is read; so is a header block over 16 KiB.
  auto big = http_call(gw.port, "POST", "/v1/cases/1/submit", hr,
                       "{\"comment\":\"" + std::string(1024 * 1024, 'x') + "\"}");
  CHECK(big.status == 413);
  CHECK(big.json()["code"] == "invalid");
  std::string huge_header =
      "GET /v1/stats HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(17 * 1024, 'p') + "\r\n\r\n";
  CHECK(raw_exchange(gw.port, huge_header).rfind("HTTP/1.1 413", 0) == 0);
  std::string big_header = "GET /v1/stats HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + hr +
                           "\r\nX-Pad: " + std::string(12 * 1024, 'p') +
                           "\r\nConnection: close\r\n\r\n";
  CHECK(raw_exchange(gw.port, big_header).rfind("HTTP/1.1 200", 0) == 0);  // under 16 KiB
  CHECK(raw_exchange(gw.port, "NONSENSE\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);

  // Keep-alive: several requests on one connection.
  http_connection kept(gw.port);
  for (int i = 0; i < 3; ++i) {
    auto r = kept.send("GET", "/v1/stats", hr);
    CHECK(r.status == 200);
    CHECK(r.header("connection") != "close");
  }

  // The engine goes away: 503 at once, naming the engine; back when it is back.
  engine.signal(SIGTERM);
  REQUIRE(engine.wait() == 0);
  auto away = http_call(gw.port, "GET", "/v1/stats", hr);
  CHECK(away.status == 503);
  CHECK(away.json()["code"] == "unavailable");
  auto back = start_engine(s.root.path());
  CHECK(eventually([&] { return http_call(gw.port, "GET", "/v1/stats", hr).status == 200; }));

  // Guessing tokens: after 10 refused in a minute the address waits out the
  // minute, answered 429 without reaching the engine, but for tokens the
  // engine accepted before (many users may share one loopback address).
  // Two were refused above (the unknown token, the Basic scheme); guesses
  // in the dashboard's cookie count as well.
  for (int i = 0; i < 4; ++i)
    CHECK(http_call(gw.port, "GET", "/v1/stats", "af_" + std::string(42, 'A') + char('a' + i))
              .status == 401);
  for (int i = 0; i < 4; ++i) {
    http_connection c(gw.port);
    auto r = c.send("GET", "/", "", "",
                    {{"Cookie", "af_token=af_" + std::string(42, 'B') + char('a' + i)}});
    CHECK(r.status == 303);
  }
  std::string unseen = make_token(s, "late-web", {"--person", "E1003"});
  auto blocked = http_call(gw.port, "GET", "/v1/stats", unseen);
  CHECK(blocked.status == 429);
  CHECK(blocked.header("retry-after") != "");
  CHECK(blocked.json()["error"].get<std::string>().rfind(
            "too many refused tokens from 127.0.0.1; retry in ", 0) == 0);
  CHECK(http_call(gw.port, "GET", "/v1/stats", hr).status == 200);  // accepted before

  // SIGTERM: a clean exit.
  gw.proc.signal(SIGTERM);
  CHECK(gw.proc.wait() == 0);
  CHECK(read_text(s.root.path() + "/gateway.log").find("assess-gateway: stopped") !=
        std::string::npos);
}

TEST_CASE("gateway: without TLS it refuses to listen beyond loopback, and serves HTTPS with it",
          "[integration][gateway]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string out;
  CHECK(run(ASSESS_GATEWAY_BIN, {"--data", s.data(), "--listen", "0.0.0.0:0"}, &out, true) == 2);
  CHECK(out.find("without --tls-cert and --tls-key the gateway listens on loopback only") !=
        std::string::npos);

  std::string cert = s.root.path() + "/cert.pem", key = s.root.path() + "/key.pem";
  REQUIRE(run("/usr/bin/openssl",
              {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
               "-days", "1", "-subj", "/CN=127.0.0.1"},
              &out, true) == 0);
  std::string hr = make_token(s, "hr-web", {"--person", "H0001"});
  std::string log = s.root.path() + "/gateway-tls.log";
  process tls(ASSESS_GATEWAY_BIN,
              {"--data", s.data(), "--listen", "127.0.0.1:0", "--tls-cert", cert, "--tls-key", key},
              log);
  std::regex listening(R"(listening on https://127\.0\.0\.1:(\d+))");
  std::smatch m;
  std::string text;
  REQUIRE(eventually([&] {
    text = read_text(log);
    return std::regex_search(text, m, listening);
  }));
  std::string port = m[1];
  out.clear();
  REQUIRE(run("/usr/bin/curl",
              {"-s", "--cacert", cert, "-H", "Authorization: Bearer " + hr,
               "https://127.0.0.1:" + port + "/v1/stats"},
              &out) == 0);
  CHECK(json::parse(out)["ok"] == true);
}

TEST_CASE("gateway: openapi.json is valid OpenAPI 3.0 and every operation it lists answers",
          "[integration][gateway]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path(), {"--schedule", "on"});
  s.load();
  long long cycle = s.open_cycle();
  auto gw = start_gateway(s);
  std::string admin_token = make_token(s, "a0001-web", {"--person", "A0001"});

  auto doc = http_call(gw.port, "GET", "/v1/openapi.json");
  REQUIRE(doc.status == 200);
  std::string file = s.root.path() + "/openapi.json";
  { std::ofstream(file) << doc.body; }
  // A third-party validator with the OpenAPI Initiative's meta-schema.
  std::string out;
  int rc =
      run("/usr/bin/python3", {ASSESSFLOW_TEST_OPENAPI "/validate_openapi.py", file}, &out, true);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out == "valid OpenAPI 3.0.3: 26 paths, 27 operations\n");

  // Every operation answers with the engine's reply: reads 200 for an
  // admin, actions without their fields 400 naming what is missing.
  long long some_case = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}})["cases"][0]["id"];
  int operations = 0;
  const json document = doc.json();
  for (const auto& [path, ops] : document["paths"].items()) {
    for (const auto& [method, op] : ops.items()) {
      std::string target =
          std::regex_replace(path, std::regex(R"(\{case\})"), std::to_string(some_case));
      target = std::regex_replace(target, std::regex(R"(\{manager\})"), "E1001");
      std::string query;
      for (const auto& p : op.value("parameters", json::array()))
        if (p["in"] == "query" && p["required"] == true)
          query += (query.empty() ? "?" : "&") + p["name"].get<std::string>() + "=" +
                   (p["name"] == "cycle" ? std::to_string(cycle) : std::string("2026"));
      std::string upper = method == "get" ? "GET" : "POST";
      auto r = http_call(gw.port, upper, target + query, admin_token, upper == "POST" ? "{}" : "");
      INFO(upper << " " << target << query << " -> " << r.status << " " << r.body);
      ++operations;
      if (path == "/metrics") {
        CHECK(r.status == 200);
        continue;
      }
      REQUIRE(r.json().is_object());
      if (path == "/v1/openapi.json") {
        CHECK(r.json() == document);
      } else if (upper == "GET") {
        CHECK(r.status == 200);
        CHECK(r.json()["ok"] == true);
      } else {
        CHECK(r.status == 400);
        CHECK(r.json()["code"] == "invalid");
      }
    }
  }
  CHECK(operations == 27);
}

TEST_CASE("gateway: /metrics counts requests by route and status, and promtool accepts it",
          "[integration][gateway]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  auto gw = start_gateway(s);
  std::string hr = make_token(s, "hr-web", {"--person", "H0001"});
  for (int i = 0; i < 3; ++i) REQUIRE(http_call(gw.port, "GET", "/v1/stats", hr).status == 200);
  CHECK(http_call(gw.port, "GET", "/v1/cases/abc", hr).status == 400);
  CHECK(http_call(gw.port, "GET", "/v1/cases").status == 401);
  CHECK(http_call(gw.port, "GET", "/v1/nothing/at/all").status == 404);
  CHECK(raw_exchange(gw.port, "NONSENSE\r\n\r\n").rfind("HTTP/1.1 400", 0) == 0);

  auto scraped = http_call(gw.port, "GET", "/metrics");  // no token needed
  REQUIRE(scraped.status == 200);
  CHECK(scraped.header("content-type") == "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = scraped.body;
  INFO(text);
  for (const char* line :
       {"assess_gateway_requests_total{route=\"stats\",status=\"200\"} 3\n",
        "assess_gateway_requests_total{route=\"case.show\",status=\"400\"} 1\n",
        "assess_gateway_requests_total{route=\"cases\",status=\"401\"} 1\n",
        "assess_gateway_requests_total{route=\"none\",status=\"404\"} 1\n",
        "assess_gateway_requests_total{route=\"none\",status=\"400\"} 1\n",
        "assess_gateway_request_duration_seconds_count{route=\"stats\"} 3\n",
        "assess_gateway_open_connections 1\n", "assess_gateway_engine_requests_in_flight 0\n"})
    CHECK(text.find(line) != std::string::npos);

  // Debian's promtool lints the exposition (names, types, units).
  std::string file = s.root.path() + "/metrics.txt";
  { std::ofstream(file) << text; }
  std::string out;
  int rc = run("/bin/sh", {"-c", "/usr/bin/promtool check metrics < " + file}, &out, true);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out == "");
}

namespace {

// How many times `needle` occurs in `text`.
std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("gateway dashboard: sign in with a token, pages show exactly what the token may read",
          "[integration][gateway][dashboard]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(s.submit_reviews(cycle, false, 4) == 4);
  auto gw = start_gateway(s);
  std::string hr = make_token(s, "hr-web", {"--person", "H0001"});
  std::string e1001 = make_token(s, "e1001-web", {"--person", "E1001"});
  auto page = [&](const std::string& target, const std::string& token) {
    http_connection c(gw.port);
    return c.send("GET", target, "", "", {{"Cookie", "af_token=" + token}});
  };

  // Not signed in: to the sign-in form.
  auto first = http_call(gw.port, "GET", "/");
  CHECK(first.status == 303);
  CHECK(first.header("location") == "/login");
  auto form = http_call(gw.port, "GET", "/login?lang=en");
  CHECK(form.status == 200);
  CHECK(form.header("content-type") == "text/html; charset=utf-8");
  CHECK(form.header("content-security-policy").find("default-src 'none'") == 0);
  CHECK(form.body.find("<form method=\"post\" action=\"/login?lang=en\">") != std::string::npos);

  // Signing in: a bad token is refused on the form; a good one sets the cookie.
  http_connection login(gw.port);
  auto bad = login.send("POST", "/login", "", "token=af_" + std::string(43, 'Q'),
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(bad.status == 401);
  CHECK(bad.body.find("id=\"error\"") != std::string::npos);
  auto good = login.send("POST", "/login", "", "token=" + e1001,
                         {{"Content-Type", "application/x-www-form-urlencoded"}});
  CHECK(good.status == 303);
  CHECK(good.header("set-cookie") ==
        "af_token=" + e1001 + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800");
  auto elsewhere =
      login.send("POST", "/login", "", "token=" + e1001, {{"Origin", "https://evil.example"}});
  CHECK(elsewhere.status == 403);
  auto opaque = login.send("POST", "/login", "", "token=" + e1001, {{"Origin", "null"}});
  CHECK(opaque.status == 403);

  // HR: the cycle with its counts per unit and state, as the admin API has them.
  auto cycles = page("/", hr);
  REQUIRE(cycles.status == 200);
  CHECK(cycles.body.find("<td class=\"n\" data-field=\"cases\">20</td>") != std::string::npos);
  auto cycle_page = page("/cycles/" + std::to_string(cycle), hr);
  REQUIRE(cycle_page.status == 200);
  json all = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  std::map<std::pair<std::string, std::string>, int> expected;
  for (const auto& c : all["cases"])
    ++expected[{c["unit"].get<std::string>(), c["state"].get<std::string>()}];
  for (const auto& [key, n] : expected) {
    INFO(key.first << " " << key.second);
    CHECK(cycle_page.body.find("data-unit=\"" + key.first + "\" data-state=\"" + key.second +
                               "\">" + std::to_string(n) + "</td>") != std::string::npos);
  }
  CHECK(occurrences(cycle_page.body, "<tr data-case=") == 20);
  CHECK(cycle_page.body.find("id=\"tiers\"") != std::string::npos);
  CHECK(cycle_page.body.find("id=\"leniency\"") != std::string::npos);

  // The employee: only their own case; another's is not found; no report.
  auto mine = page("/cycles/" + std::to_string(cycle), e1001);
  REQUIRE(mine.status == 200);
  CHECK(occurrences(mine.body, "<tr data-case=") == 1);
  CHECK(mine.body.find("id=\"tiers\"") == std::string::npos);
  long long own = 0, other = 0;
  for (const auto& c : all["cases"]) {
    if (c["employee_id"] == "E1001") own = c["id"].get<long long>();
    if (c["employee_id"] == "E1002") other = c["id"].get<long long>();
  }
  CHECK(mine.body.find("<tr data-case=\"" + std::to_string(own) + "\">") != std::string::npos);
  auto theirs = page("/cases/" + std::to_string(other), e1001);
  CHECK(theirs.status == 404);
  CHECK(theirs.body.find("E1002") == std::string::npos);
  auto own_page = page("/cases/" + std::to_string(own) + "?lang=en", e1001);
  REQUIRE(own_page.status == 200);
  CHECK(own_page.body.find("id=\"items\"") != std::string::npos);
  CHECK(own_page.body.find("<h1>Case " + std::to_string(own) + "</h1>") != std::string::npos);
  CHECK(page("/cases/abc", e1001).status == 400);

  // Revoked: the next page signs the browser out.
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "principals", "revoke", "e1001-web"}, &out,
              true) == 0);
  auto after = page("/", e1001);
  CHECK(after.status == 303);
  CHECK(after.header("location") == "/login");
  CHECK(after.header("set-cookie") == "af_token=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
}
