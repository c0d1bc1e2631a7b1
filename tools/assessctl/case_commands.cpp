// case_commands.cpp: the commands on cases: assessctl cycle start, cases,
// case show, submit, rate, raters add, approve, return, adjust, cancel and
// batch. Each sends its admin request and prints the reply through its
// renderer (tools/assessctl/render.h).
#include <utility>

#include "tools/assessctl/commands.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

struct cycle_options {
  std::string program, period, unit, due;
};

int start_cycle(const global_options& g, const cycle_options& o) {
  json req{{"cmd", "cycle.start"}, {"program", o.program}, {"period", o.period}};
  if (!o.unit.empty()) req["unit"] = o.unit;
  if (!o.due.empty()) req["due"] = o.due;
  return call(g, req, render_cycle_opened);
}

struct cases_options {
  long long cycle = 0;
  std::string state, unit, program, period;
  long long limit = 0, after = 0;  // one page: --limit, --after
};

// `cases` without --limit: every matching case, fetched a page at a time
// so neither the engine nor the socket carries one huge reply.
int call_all_cases(const global_options& g, json request, const renderer& render) {
  auto client = connect_admin(g, g.timeout_s);
  if (!client) return fail(client.error());
  json all{{"ok", true}, {"cases", json::array()}};
  request["limit"] = 5000;
  while (true) {
    auto reply = (*client)->call(request);
    if (!reply) return fail(reply.error());
    if (!reply->value("ok", false)) return print_reply(g, request, *reply, render);
    for (auto& c : (*reply)["cases"]) all["cases"].push_back(std::move(c));
    if (!reply->contains("next_after")) break;
    request["after"] = (*reply)["next_after"];
  }
  request.erase("limit");
  request.erase("after");
  return print_reply(g, request, all, render);
}

int list_cases(const global_options& g, const cases_options& o) {
  json req{{"cmd", "cases"}};
  if (o.cycle) req["cycle"] = o.cycle;
  for (auto [k, v] : {std::pair{"state", &o.state},
                      {"unit", &o.unit},
                      {"program", &o.program},
                      {"period", &o.period}})
    if (!v->empty()) req[k] = *v;
  if (o.after) req["after"] = o.after;
  if (!o.limit) return call_all_cases(g, req, render_cases);
  req["limit"] = o.limit;
  return call(g, req, render_cases);
}

struct review_options {
  long long case_id = 0;
  std::string as, file, comment;
};

// submit and rate: a ratings file ({"ratings": ..., "exams": ...}) sent for one case.
int send_review(const global_options& g, const char* cmd, const review_options& o,
                bool with_exams) {
  auto r = read_json_file(o.file);
  if (!r) return fail(r.error().message());
  if (!r->is_object() || (!r->contains("ratings") && !r->contains("exams")))
    return fail(o.file + ": needs a \"ratings\" object (or, for a re-exam, \"exams\")");
  json req{{"cmd", cmd}, {"case", o.case_id}, {"as", o.as}};
  if (r->contains("ratings")) req["ratings"] = (*r)["ratings"];
  if (with_exams && r->contains("exams")) req["exams"] = (*r)["exams"];
  if (!o.comment.empty()) req["comment"] = o.comment;
  return call(g, req, render_transition);
}

CLI::App* add_review_command(CLI::App& app, review_options& o, const char* cmd, const char* help,
                             const char* as_help, const char* file_help) {
  auto* sub = add_command(app, cmd, help);
  sub->add_option("ID", o.case_id, "Case id")->required();
  sub->add_option("--as", o.as, as_help)->required();
  sub->add_option("--ratings", o.file, file_help)->required();
  sub->add_option("--comment", o.comment, "Comment");
  return sub;
}

struct raters_options {
  long long case_id = 0;
  std::string as;
  std::vector<std::string> peers, customers;  // employee ids; ID=NAME
};

// The raters as raters.add takes them; InvalidArgument for a --customer
// that is not ID=NAME, or for no rater at all.
result<json> rater_list(const raters_options& o) {
  json list = json::array();
  for (const auto& p : o.peers) list.push_back({{"id", p}, {"kind", "peer"}});
  for (const auto& c : o.customers) {
    auto eq = c.find('=');
    if (eq == std::string::npos) return status::invalid("--customer: \"" + c + "\" is not ID=NAME");
    list.push_back({{"id", c.substr(0, eq)}, {"kind", "customer"}, {"name", c.substr(eq + 1)}});
  }
  if (list.empty()) return status::invalid("give --peer or --customer");
  return list;
}

int add_raters(const global_options& g, const raters_options& o) {
  auto list = rater_list(o);
  if (!list) return fail(list.error().message());
  return call(g, {{"cmd", "raters.add"}, {"case", o.case_id}, {"as", o.as}, {"raters", *list}},
              render_raters);
}

struct approve_options {
  long long case_id = 0, cycle = 0;
  std::string as, unit, state;
};

// One case, or in bulk every case the approver may approve that matches.
int approve(const global_options& g, const approve_options& o) {
  json req{{"cmd", "approve"}, {"as", o.as}};
  if (o.case_id) {
    req["case"] = o.case_id;
    return call(g, req, render_transition);
  }
  if (o.unit.empty() && o.state.empty() && !o.cycle)
    return fail("give a case ID, or --unit/--state/--cycle for bulk approval");
  if (!o.unit.empty()) req["unit"] = o.unit;
  if (!o.state.empty()) req["state"] = o.state;
  if (o.cycle) req["cycle"] = o.cycle;
  return call(g, req, render_bulk);
}

int send_batch(const global_options& g, const std::string& file) {
  auto r = read_json_file(file);
  if (!r) return fail(r.error().message());
  if (!r->is_array()) return fail(file + ": must be a JSON array of requests");
  return call(g, {{"cmd", "batch"}, {"requests", *r}}, render_batch);
}

}  // namespace

void add_cycle_command(CLI::App& app, const global_options& g, int& code) {
  static cycle_options o;
  auto* cycle = add_group(app, "cycle", "Assessment cycles");
  auto* start = add_command(*cycle, "start", "Open a cycle: one case per employee in scope");
  start->add_option("--program", o.program, "competency50, ...")->required();
  start->add_option("--period", o.period, "2026-07, 2026-Q3 or 2026")->required();
  start->add_option("--unit", o.unit, "Only this business unit");
  start->add_option(
      "--due", o.due,
      "Last day of the run window, YYYY-MM-DD (default: the schedule's window end, or 10 days "
      "from today when that has passed)");
  start->callback([&] { code = start_cycle(g, o); });
  add_command(*cycle, "list", "Every cycle you may see a case of, with its cases per state")
      ->callback([&] {
        code = call(g, {{"cmd", "cycles"}}, render_cycles);
      });
}

void add_cases_command(CLI::App& app, const global_options& g, int& code) {
  static cases_options o;
  auto* cases = add_command(app, "cases", "List cases");
  cases->add_option("--cycle", o.cycle, "Cycle id");
  cases->add_option("--state", o.state, "State, e.g. hr_review");
  cases->add_option("--unit", o.unit, "Business unit");
  cases->add_option("--program", o.program, "Program");
  cases->add_option("--period", o.period, "Period");
  cases
      ->add_option("--limit", o.limit,
                   "One page of at most this many cases (--json then adds next_after)")
      ->check(CLI::Range(1, 100000));
  cases
      ->add_option("--after", o.after,
                   "Only cases with ids above this one (the next_after of the previous page)")
      ->check(CLI::NonNegativeNumber);
  cases->callback([&] { code = list_cases(g, o); });
}

void add_case_command(CLI::App& app, const global_options& g, int& code) {
  static long long case_id = 0;
  auto* kase = add_group(app, "case", "One case");
  auto* show = add_command(*kase, "show", "State, scores, tier, gaps and full history");
  show->add_option("ID", case_id, "Case id")->required();
  show->callback([&] { code = call(g, {{"cmd", "case.show"}, {"case", case_id}}, render_case); });
}

void add_submit_command(CLI::App& app, const global_options& g, int& code) {
  static review_options o;
  add_review_command(app, o, "submit", "Submit a self or supervisor review",
                     "ROLE:EMPLOYEE_ID, e.g. supervisor:S2001",
                     "JSON file {\"ratings\": {...}, \"exams\": {...}}")
      ->callback([&] { code = send_review(g, "submit", o, true); });
}

void add_rate_command(CLI::App& app, const global_options& g, int& code) {
  static review_options o;
  add_review_command(app, o, "rate", "A further rater's ratings of a key account review",
                     "rater:ID, e.g. rater:E1007 or rater:K-17", "JSON file {\"ratings\": {...}}")
      ->callback([&] { code = send_review(g, "rate", o, false); });
}

void add_raters_command(CLI::App& app, const global_options& g, int& code) {
  static raters_options o;
  auto* raters = add_group(app, "raters", "Further raters of a key account review");
  auto* add = add_command(*raters, "add", "Name peers and customers' representatives as raters");
  add->add_option("ID", o.case_id, "Case id")->required();
  add->add_option("--as", o.as, "supervisor:ID, hrbp:ID, hr:ID or admin:ID")->required();
  add->add_option("--peer", o.peers, "Employee id of a peer (repeatable)");
  add->add_option("--customer", o.customers, "ID=NAME of a customer's representative (repeatable)");
  add->callback([&] { code = add_raters(g, o); });
}

void add_approve_command(CLI::App& app, const global_options& g, int& code) {
  static approve_options o;
  auto* approve_cmd = add_command(
      app, "approve", "Approve one case, or every case you may approve in a unit/state/cycle");
  approve_cmd->add_option("ID", o.case_id,
                          "Case id (omit for bulk approval with --unit/--state/--cycle)");
  approve_cmd->add_option("--as", o.as, "ROLE:EMPLOYEE_ID")->required();
  approve_cmd->add_option("--unit", o.unit, "Bulk: business unit");
  approve_cmd->add_option("--state", o.state, "Bulk: state");
  approve_cmd->add_option("--cycle", o.cycle, "Bulk: cycle id");
  approve_cmd->callback([&] { code = approve(g, o); });
}

void add_return_command(CLI::App& app, const global_options& g, int& code) {
  static long long case_id = 0;
  static std::string as, comment;
  auto* ret = add_command(app, "return", "Return a case in hr_review to the supervisor");
  ret->add_option("ID", case_id, "Case id")->required();
  ret->add_option("--as", as, "ROLE:EMPLOYEE_ID")->required();
  ret->add_option("--comment", comment, "Why it goes back")->required();
  ret->callback([&] {
    code = call(g, {{"cmd", "return"}, {"case", case_id}, {"as", as}, {"comment", comment}},
                render_transition);
  });
}

void add_adjust_command(CLI::App& app, const global_options& g, int& code) {
  static long long case_id = 0;
  static std::string as, reason;
  static int tier = 0;
  auto* adjust = add_command(app, "adjust", "Chairman's calibration of a final tier");
  adjust->add_option("ID", case_id, "Case id")->required();
  adjust->add_option("--as", as, "chairman:EMPLOYEE_ID")->required();
  adjust->add_option("--tier", tier, "New tier 1..4")->required();
  adjust->add_option("--reason", reason, "Why")->required();
  adjust->callback([&] {
    code = call(
        g, {{"cmd", "adjust"}, {"case", case_id}, {"as", as}, {"tier", tier}, {"reason", reason}},
        render_transition);
  });
}

void add_cancel_command(CLI::App& app, const global_options& g, int& code) {
  static long long case_id = 0;
  static std::string as, reason;
  auto* cancel = add_command(app, "cancel", "Cancel an open case (admin)");
  cancel->add_option("ID", case_id, "Case id")->required();
  cancel->add_option("--as", as, "admin:EMPLOYEE_ID")->required();
  cancel->add_option("--reason", reason, "Why")->required();
  cancel->callback([&] {
    code = call(g, {{"cmd", "cancel"}, {"case", case_id}, {"as", as}, {"reason", reason}},
                render_transition);
  });
}

void add_batch_command(CLI::App& app, const global_options& g, int& code) {
  static std::string file;
  auto* batch = add_command(app, "batch", "Send a JSON array of admin requests as one transaction");
  batch->add_option("FILE", file, "JSON file: an array of requests")->required();
  batch->callback([&] { code = send_batch(g, file); });
}

}  // namespace af::tools::cli
