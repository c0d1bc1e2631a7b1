#include "tools/gateway/routes.h"

namespace af::gateway {

namespace {

constexpr route_param case_id{"case", param_type::integer, true, "case", "the case id"};
constexpr route_param manager{"manager", param_type::text, true, "manager_id",
                              "the account manager's employee id"};
constexpr route_param period_required{"period", param_type::text, true, "period",
                                      "2026-07 (month), 2026-Q3 (quarter) or 2026 (year)"};
constexpr route_param unit_filter{"unit", param_type::text, false, "unit", "a business unit"};

// One action on one case: POST /v1/cases/{case}/ACTION, the body holding
// the admin request's other fields ("as", "ratings", "comment", ...).
route action(std::string_view name, std::string_view command, std::string_view path,
             std::string_view summary, std::string_view body) {
  return {"POST", path, name, route_kind::admin, command, summary, {case_id}, {}, true, body};
}

std::vector<route> make_routes() {
  std::vector<route> r;
  r.push_back({"GET",
               "/v1/cases",
               "cases",
               route_kind::admin,
               "cases",
               "the cases the caller may see, a page at a time (next_after names the next)",
               {},
               {{"cycle", param_type::integer, false, "cycle", "a cycle id"},
                {"state", param_type::text, false, "state", "a workflow state"},
                unit_filter,
                {"program", param_type::text, false, "program", "a program key"},
                {"period", param_type::text, false, "period", "a period"},
                {"limit", param_type::integer, false, "limit", "1..10000 cases (default 10000)"},
                {"after", param_type::integer, false, "after", "list the cases above this id"}}});
  r.push_back({"GET",
               "/v1/cases/{case}",
               "case.show",
               route_kind::admin,
               "case.show",
               "one case: items, self vs supervisor, total, tier, history",
               {case_id},
               {}});
  const char* as_body = "as (ROLE or ROLE:EMPLOYEE_ID)";
  r.push_back(action("case.submit", "submit", "/v1/cases/{case}/submit",
                     "submit a review (self, supervisor, HRBP, ...)",
                     "as; ratings, exams, comment as the program asks"));
  r.push_back(action("case.approve", "approve", "/v1/cases/{case}/approve",
                     "approve the case in its current review state", "as; comment"));
  r.push_back(action("case.return", "return", "/v1/cases/{case}/return",
                     "send the case back a step, with a comment", "as; comment"));
  r.push_back(action("case.adjust", "adjust", "/v1/cases/{case}/adjust",
                     "the chairman's calibration of the tier", "as; tier; reason"));
  r.push_back(
      action("case.cancel", "cancel", "/v1/cases/{case}/cancel", "cancel the case", "as; reason"));
  r.push_back(action("case.rate", "rate", "/v1/cases/{case}/rate",
                     "one rater's ratings of a key account review", "as; ratings"));
  r.push_back(action("case.raters", "raters.add", "/v1/cases/{case}/raters",
                     "add raters to a key account review", "as; raters"));
  r.push_back(action("case.interview", "interview", "/v1/cases/{case}/interview",
                     "record the appraisal interview", "as; comment"));
  r.push_back(action("case.acknowledge", "acknowledge", "/v1/cases/{case}/acknowledge",
                     "the employee acknowledges the result", as_body));
  r.push_back(action("case.appeal", "appeal", "/v1/cases/{case}/appeal",
                     "the employee appeals the result", "as; comment"));
  r.push_back(action("case.resolve", "resolve", "/v1/cases/{case}/resolve",
                     "resolve an appeal: uphold, or change the supervisor's ratings",
                     "as; uphold or ratings; comment"));
  r.push_back(action("case.overrule", "overrule", "/v1/cases/{case}/overrule",
                     "overrule the case's certification outcome", "as; outcome; reason"));
  r.push_back({"GET",
               "/v1/cycles",
               "cycles",
               route_kind::admin,
               "cycles",
               "every cycle the caller may see a case of, with its cases per state",
               {},
               {}});
  r.push_back({"POST",
               "/v1/cycles",
               "cycle.start",
               route_kind::admin,
               "cycle.start",
               "open a cycle: a case for every employee in scope",
               {},
               {},
               true,
               "program; period; unit (optional)"});
  r.push_back({"GET",
               "/v1/report",
               "report",
               route_kind::admin,
               "report",
               "a cycle's tiers per unit and supervisors' leniency",
               {},
               {{"cycle", param_type::integer, true, "cycle", "a cycle id"}}});
  r.push_back({"GET",
               "/v1/overdue",
               "overdue",
               route_kind::admin,
               "overdue",
               "cases past their deadline and who is waited on",
               {},
               {unit_filter, {"role", param_type::text, false, "role", "whom the case waits on"}}});
  r.push_back({"GET",
               "/v1/sales/{manager}",
               "sales",
               route_kind::admin,
               "sales",
               "a manager's sales, refunds, net sales and inquiries in a period",
               {manager},
               {period_required}});
  r.push_back({"GET",
               "/v1/rollup/{manager}",
               "rollup",
               route_kind::admin,
               "rollup",
               "a manager's appraisal months summed over a quarter or year",
               {manager},
               {period_required}});
  r.push_back({"GET",
               "/v1/standards",
               "standards",
               route_kind::admin,
               "standards",
               "the competency model's standard levels per grade",
               {},
               {{"program", param_type::text, false, "program", "a program key"}}});
  r.push_back({"GET",
               "/v1/schedule",
               "schedule",
               route_kind::admin,
               "schedule",
               "per program: the last cycle opened and the next opening",
               {},
               {}});
  r.push_back({"GET",
               "/v1/stats",
               "stats",
               route_kind::admin,
               "stats",
               "cases per state, tasks, workers alive, ingest counts",
               {},
               {}});
  r.push_back({"GET",
               "/v1/grades",
               "grades",
               route_kind::admin,
               "grades",
               "grade changes proposed from a period's appraisals",
               {},
               {period_required, unit_filter}});
  r.push_back({"GET",
               "/v1/inventory",
               "inventory",
               route_kind::admin,
               "inventory",
               "the talent inventory of a quarter or year",
               {},
               {period_required, unit_filter}});
  r.push_back({"GET",
               "/v1/openapi.json",
               "openapi",
               route_kind::openapi,
               "",
               "this API as an OpenAPI 3.0 document (no token needed)",
               {},
               {}});
  r.push_back({"GET",
               "/metrics",
               "metrics",
               route_kind::metrics,
               "",
               "the gateway's metrics in the Prometheus text format (no token needed)",
               {},
               {}});
  // The dashboard (dashboard.h): HTML, the token in a cookie.
  r.push_back(
      {"GET", "/", "page.cycles", route_kind::page, "", "the cycles, with progress", {}, {}});
  r.push_back({"GET", "/login", "page.login", route_kind::page, "", "the sign-in form", {}, {}});
  r.push_back({"POST",
               "/login",
               "page.login.submit",
               route_kind::page,
               "",
               "sign in with a token (form field token)",
               {},
               {}});
  r.push_back({"POST", "/logout", "page.logout", route_kind::page, "", "sign out", {}, {}});
  r.push_back({"GET",
               "/cycles/{cycle}",
               "page.cycle",
               route_kind::page,
               "",
               "a cycle: cases by state and unit, overdue, tiers, leniency",
               {{"cycle", param_type::integer, true, "cycle", "a cycle id"}},
               {}});
  r.push_back({"GET",
               "/cases/{case}",
               "page.case",
               route_kind::page,
               "",
               "a case: items, self vs supervisor, history, radar chart",
               {case_id},
               {}});
  return r;
}

// "/v1/cases/7" -> {"v1", "cases", "7"}; an empty segment ("//", a trailing
// "/") makes the path match nothing.
std::optional<std::vector<std::string_view>> segments(std::string_view path) {
  if (path.empty() || path.front() != '/') return std::nullopt;
  std::vector<std::string_view> out;
  path.remove_prefix(1);
  if (path.empty()) return out;
  for (;;) {
    auto slash = path.find('/');
    auto part = path.substr(0, slash);
    if (part.empty()) return std::nullopt;
    out.push_back(part);
    if (slash == std::string_view::npos) return out;
    path.remove_prefix(slash + 1);
  }
}

bool matches(const route& r, const std::vector<std::string_view>& parts,
             std::vector<std::pair<std::string, std::string>>* values) {
  auto pattern = segments(r.path);
  if (!pattern || pattern->size() != parts.size()) return false;
  std::vector<std::pair<std::string, std::string>> found;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    auto p = (*pattern)[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}')
      found.emplace_back(std::string(p.substr(1, p.size() - 2)), std::string(parts[i]));
    else if (p != parts[i])
      return false;
  }
  if (values) *values = std::move(found);
  return true;
}

}  // namespace

const std::vector<route>& routes() {
  static const std::vector<route> table = make_routes();
  return table;
}

route_match find_route(std::string_view method, std::string_view path) {
  route_match m;
  auto parts = segments(path);
  if (!parts) return m;
  for (const auto& r : routes()) {
    std::vector<std::pair<std::string, std::string>> values;
    if (!matches(r, *parts, &values)) continue;
    if (r.method == method) {
      m.matched = &r;
      m.path_values = std::move(values);
      m.allowed.clear();
      return m;
    }
    m.allowed.push_back(r.method);
  }
  return m;
}

}  // namespace af::gateway
