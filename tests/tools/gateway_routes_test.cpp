// The gateway's pure parts: the route table, the admin request built from
// an HTTP request (every hostile path, query and body refused with a line
// naming what is wrong), the status mapping and the OpenAPI document.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "tools/gateway/dashboard_pages.h"
#include "tools/gateway/openapi.h"
#include "tools/gateway/request_builder.h"
#include "tools/gateway/routes.h"
#include "tools/gateway/token_guard.h"

using namespace af::gateway;

namespace {

// The admin request for METHOD TARGET with BODY, or the refusal's message.
std::string build(std::string_view method, std::string_view target, std::string_view body = "") {
  auto q = target.find('?');
  auto m = find_route(method, target.substr(0, q));
  if (!m.matched) return "no route";
  auto r = admin_request(m, q == std::string_view::npos ? "" : target.substr(q + 1), body);
  return r ? r->dump() : "refused: " + r.error().message();
}

}  // namespace

TEST_CASE("gateway routes: each path and method finds its route, its path values raw") {
  auto m = find_route("GET", "/v1/cases");
  REQUIRE(m.matched);
  CHECK(m.matched->command == "cases");
  m = find_route("GET", "/v1/cases/7");
  REQUIRE(m.matched);
  CHECK(m.matched->command == "case.show");
  REQUIRE(m.path_values.size() == 1);
  CHECK(m.path_values[0] == std::pair<std::string, std::string>{"case", "7"});
  m = find_route("POST", "/v1/cases/12/raters");
  REQUIRE(m.matched);
  CHECK(m.matched->command == "raters.add");
  m = find_route("POST", "/v1/cycles");
  REQUIRE(m.matched);
  CHECK(m.matched->command == "cycle.start");
  CHECK(find_route("GET", "/v1/cycles").matched->command == "cycles");
}

TEST_CASE("gateway routes: a known path with the wrong method names the allowed ones") {
  auto m = find_route("GET", "/v1/cases/7/submit");
  CHECK_FALSE(m.matched);
  CHECK(m.allowed == std::vector<std::string_view>{"POST"});
  m = find_route("DELETE", "/v1/cycles");
  CHECK_FALSE(m.matched);
  CHECK(m.allowed == std::vector<std::string_view>{"GET", "POST"});
  for (auto path : {"/v1/cases/", "//v1/cases", "/v1//cases", "/nope", "", "v1/cases", "/v1"}) {
    INFO(path);
    m = find_route("GET", path);
    CHECK_FALSE(m.matched);
    CHECK(m.allowed.empty());
  }
}

TEST_CASE("gateway routes: every route has a unique name and method and path") {
  std::set<std::string> names, keys;
  for (const auto& r : routes()) {
    CHECK(names.insert(std::string(r.name)).second);
    CHECK(keys.insert(std::string(r.method) + " " + std::string(r.path)).second);
    if (r.kind == route_kind::admin) CHECK_FALSE(r.command.empty());
  }
  CHECK(routes().size() == 33);
}

TEST_CASE("gateway request: path and query values become typed admin fields") {
  CHECK(
      build(
          "GET",
          "/v1/cases?cycle=3&state=hr_review&unit=%E5%BB%BA%E6%9C%BA%E4%BA%8B%E4%B8%9A%E9%83%A8") ==
      R"({"cmd":"cases","cycle":3,"state":"hr_review","unit":"建机事业部"})");
  CHECK(build("GET", "/v1/cases?limit=500&after=1200") ==
        R"({"cmd":"cases","limit":500,"after":1200})");
  CHECK(build("GET", "/v1/cases/42") == R"({"cmd":"case.show","case":42})");
  CHECK(build("GET", "/v1/sales/E1001?period=2025") ==
        R"({"cmd":"sales","manager_id":"E1001","period":"2025"})");
  CHECK(build("GET", "/v1/overdue?unit=a+b&role=") == R"({"cmd":"overdue","unit":"a b"})");
  CHECK(build("GET", "/v1/report?cycle=1") == R"({"cmd":"report","cycle":1})");
  CHECK(build("GET", "/v1/stats") == R"({"cmd":"stats"})");
}

TEST_CASE("gateway request: a POST body joins the request beside the path's case") {
  CHECK(build("POST", "/v1/cases/7/submit", R"({"as":"supervisor:S2001","ratings":{"a":4}})") ==
        R"({"cmd":"submit","case":7,"as":"supervisor:S2001","ratings":{"a":4}})");
  CHECK(build("POST", "/v1/cases/7/approve") == R"({"cmd":"approve","case":7})");
  CHECK(build("POST", "/v1/cycles", R"({"program":"competency50","period":"2026-Q3"})") ==
        R"({"cmd":"cycle.start","program":"competency50","period":"2026-Q3"})");
}

TEST_CASE("gateway request: hostile paths and queries are refused, naming the parameter") {
  CHECK(build("GET", "/v1/cases/abc") == "refused: case: must be a whole number, not \"abc\"");
  CHECK(build("GET", "/v1/cases/-1") == "refused: case: must be a whole number, not \"-1\"");
  CHECK(build("GET", "/v1/cases/99999999999999999999") ==
        "refused: case: must be a whole number, not \"99999999999999999999\"");
  CHECK(build("GET", "/v1/cases?cycle=1x") == "refused: cycle: must be a whole number, not \"1x\"");
  CHECK(build("GET", "/v1/cases?cmd=principals.add") ==
        "refused: query parameter \"cmd\": unknown here (this route takes cycle, state, unit, "
        "program, period, limit, after)");
  CHECK(build("GET", "/v1/cases?token=af_x") ==
        "refused: query parameter \"token\": unknown here (this route takes cycle, state, unit, "
        "program, period, limit, after)");
  CHECK(build("GET", "/v1/stats?x=1") ==
        "refused: query parameter \"x\": unknown here (this route takes none)");
  CHECK(build("GET", "/v1/cases?state=a&state=b") ==
        "refused: query parameter \"state\": given twice");
  CHECK(build("GET", "/v1/cases?unit=%ZZ") == "refused: unit: a bad percent escape");
  CHECK(build("GET", "/v1/cases?unit=%E5") == "refused: unit: not valid UTF-8");
  CHECK(build("GET", "/v1/cases?unit=%FF%FE") == "refused: unit: not valid UTF-8");
  CHECK(build("GET", "/v1/cases?unit=a%00b") == "refused: unit: a NUL byte");
  CHECK(build("GET", "/v1/cases?unit=%4") == "refused: unit: a bad percent escape");
  CHECK(build("GET", "/v1/cases?unit=" + std::string(257, 'u')) ==
        "refused: unit: longer than 256 bytes");
  CHECK(build("GET", "/v1/report") == "refused: query parameter \"cycle\": missing (a cycle id)");
  CHECK(build("GET", "/v1/sales/E1001") ==
        "refused: query parameter \"period\": missing (2026-07 (month), 2026-Q3 (quarter) or "
        "2026 (year))");
  CHECK(build("GET", "/v1/sales/%E5%BB?period=2025") == "refused: manager: not valid UTF-8");
}

TEST_CASE("gateway request: hostile bodies are refused and name what is wrong") {
  CHECK(build("POST", "/v1/cases/7/submit", R"({"cmd":"principals.add"})") ==
        "refused: body: \"cmd\" may not be given (the route names the command; the "
        "Authorization header carries the token)");
  CHECK(build("POST", "/v1/cases/7/submit", R"({"token":"af_x"})") ==
        "refused: body: \"token\" may not be given (the route names the command; the "
        "Authorization header carries the token)");
  CHECK(build("POST", "/v1/cases/7/submit", R"({"case":8})") ==
        "refused: body: \"case\" is given by the path");
  CHECK(build("POST", "/v1/cases/7/submit", "[1,2]") == "refused: body: must be a JSON object");
  CHECK(build("POST", "/v1/cases/7/submit", std::string(65, '[') + std::string(65, ']')) ==
        "refused: body: nested deeper than 64 levels");
  CHECK(build("POST", "/v1/cases/7/submit", "{\"as\":\"\xff\"}") ==
        "refused: body: as: not valid UTF-8");
  CHECK(build("POST", "/v1/cases/7/submit", "{\"as\":").rfind("refused: body: ", 0) == 0);
  CHECK(build("GET", "/v1/stats", "{}") == "refused: body: this route takes none");
}

TEST_CASE("gateway status: each admin code maps to its HTTP status") {
  using msg_json = af::msg::json;
  CHECK(http_status_of(msg_json{{"ok", true}}) == 200);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "invalid"}}) == 400);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "forbidden"}}) == 403);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "forbidden"}, {"token_refused", true}}) ==
        401);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "not_found"}}) == 404);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "conflict"}}) == 409);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "unavailable"}}) == 503);
  CHECK(http_status_of(msg_json{{"ok", false}, {"code", "?"}}) == 500);
  CHECK(http_status_of(msg_json::array()) == 502);
}

TEST_CASE("gateway openapi: every route is in the document with its parameters") {
  auto doc = openapi_document();
  CHECK(doc["openapi"] == "3.0.3");
  for (const auto& r : routes()) {
    std::string method(r.method);
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    INFO(r.path);
    if (r.kind == route_kind::page) {  // HTML for browsers, not the API
      CHECK_FALSE(doc["paths"].contains(std::string(r.path)));
      continue;
    }
    REQUIRE(doc["paths"].contains(std::string(r.path)));
    const auto& op = doc["paths"][std::string(r.path)][method];
    REQUIRE(op.is_object());
    std::size_t params = r.path_params.size() + r.query_params.size();
    CHECK((params == 0 ? 0 : op["parameters"].size()) == params);
    CHECK(op.contains("requestBody") == r.json_body);
    if (r.kind == route_kind::admin) CHECK(op["responses"].contains("401"));
  }
  CHECK(doc["paths"]["/v1/openapi.json"]["get"]["security"] == af::msg::json::array());
}

TEST_CASE("dashboard case page: items, self vs supervisor with 2+ flagged, radar chart, escaped") {
  auto c = af::msg::json::parse(R"({"id": 7, "employee_id": "E1001", "employee_name": "<b>孙敏</b>",
    "program": "competency50", "period": "2026-Q3", "state": "final", "total": 47.8, "tier": 1,
    "adjusted_tier": null, "items": {"language": 5.0, "negotiation": 3.0},
    "self_review": {"ratings": {"language": 4, "negotiation": 5}},
    "supervisor_review": {"ratings": {"language": 5, "negotiation": 3}},
    "self_minus_supervisor": {"language": -1, "negotiation": 2},
    "history": [{"at": "2026-12-08T11:13:52+08:00", "from": null, "to": "self_review",
                 "action": "open", "actor": "admin", "reason": "cycle 1"}]})");
  std::string page = case_page(page_lang::en, c);
  CHECK(page.find("<h1>Case 7</h1>") != std::string::npos);
  CHECK(page.find("&lt;b&gt;孙敏&lt;/b&gt;") != std::string::npos);
  CHECK(page.find("<b>孙敏</b>") == std::string::npos);
  CHECK(page.find("<strong id=\"total\">47.80</strong>") != std::string::npos);
  CHECK(page.find("<tr data-item=\"negotiation\"><td>negotiation</td><td class=\"n\">3.00</td>"
                  "<td class=\"n\">5</td><td class=\"n\">3</td><td class=\"n flag\"") !=
        std::string::npos);
  CHECK(page.find("<td class=\"n\">-1</td>") != std::string::npos);
  CHECK(page.find("<svg") != std::string::npos);
  CHECK(case_page(page_lang::zh, c).find("<h1>考核 7</h1>") != std::string::npos);
  // A reply of another shape shows dashes, never throws.
  CHECK_NOTHROW(case_page(page_lang::en, af::msg::json::parse(R"({"items": null, "history": 3})")));
  CHECK_NOTHROW(cycle_page(page_lang::en, af::msg::json::array(), af::msg::json(), af::msg::json(),
                           af::msg::json::object()));
}

TEST_CASE("dashboard cycle page: overdue cases of this cycle only, with whom they wait on") {
  using af::msg::json;
  json cycle = json::parse(R"({"id": 2, "program": "competency50", "period": "2026-Q3",
    "opened_at": "2026-10-01T09:00:00+08:00", "cases": 2, "finished": 0,
    "states": {"self_review": 1, "supervisor_review": 1}})");
  json cases =
      json::parse(R"([{"id": 11, "employee_id": "E1", "unit": "U1", "state": "self_review"},
    {"id": 12, "employee_id": "E2", "unit": "U1", "state": "supervisor_review"}])");
  json overdue = json::parse(R"({"cases": [
    {"id": 12, "employee_id": "E2", "state": "supervisor_review", "waiting_on": ["S1", "S2"],
     "due_at": "2026-10-15T18:00:00+08:00", "overdue_hours": 30},
    {"id": 99, "employee_id": "E9", "state": "self_review", "waiting_on": ["E9"],
     "due_at": "2026-07-15T18:00:00+08:00", "overdue_hours": 900}]})");
  std::string page = cycle_page(page_lang::en, cycle, cases, overdue, json());
  CHECK(page.find("<tr data-overdue-case=\"12\">") != std::string::npos);
  CHECK(page.find("<td>S1, S2</td>") != std::string::npos);
  CHECK(page.find("data-overdue-case=\"99\"") == std::string::npos);  // another cycle's
  CHECK(page.find("data-unit=\"U1\" data-state=\"self_review\">1</td>") != std::string::npos);
  CHECK(page.find("id=\"tiers\"") == std::string::npos);  // no report for this reader
}

TEST_CASE("token guard: a peer refused 10 times in a minute waits out the minute, others do not") {
  af::gateway::token_guard g(10, 60'000);
  for (int i = 0; i < 9; ++i) g.refused("10.0.0.1", 1000 + i);
  CHECK(g.wait_ms("10.0.0.1", 2000) == 0);  // 9 refusals: still asks
  g.refused("10.0.0.1", 2000);
  CHECK(g.wait_ms("10.0.0.1", 2000) == 59'000);  // the window began at 1000
  CHECK(g.wait_ms("10.0.0.2", 2000) == 0);
  CHECK(g.wait_ms("10.0.0.1", 60'999) == 1);
  CHECK(g.wait_ms("10.0.0.1", 61'000) == 0);
  g.refused("10.0.0.1", 61'000);  // a new window
  CHECK(g.wait_ms("10.0.0.1", 61'001) == 0);
}
