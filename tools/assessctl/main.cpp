// assessctl: the admin CLI, a thin client of the engine's JSON admin API
// (DESIGN.md "assessctl"). Every command takes --json; failures print one
// line to stderr and exit 1 (2 for bad usage, 3 when the engine refuses:
// code "forbidden", or a key it does not accept).
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <fstream>

#include "messages/json_text.h"
#include "tools/assessctl/admin_client.h"
#include "tools/assessctl/cli.h"
#include "tools/assessctl/csv.h"
#include "tools/assessctl/offline_commission.h"
#include "tools/assessctl/offline_score.h"
#include "tools/assessctl/render.h"

namespace {

using af::msg::json;
using namespace af::tools::cli;

af::result<json> org_rows(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  auto rows = af::tools::parse_csv(*text);
  if (!rows) return af::status::invalid(path + ": " + rows.error().message());
  auto out = af::tools::org_import_rows(*rows);
  if (!out) return af::status::invalid(path + ": " + out.error().message());
  return *out;
}

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

int write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return fail("cannot write " + path);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"assessctl: inspect and drive assessflow cases through the engine's admin API"};
  app.require_subcommand(1);
  app.fallthrough();
  global_options g;
  app.add_option("--data", g.data_dir,
                 "Engine data directory (admin endpoint ipc://DATA/admin.sock)");
  app.add_option("--admin", g.admin_ep, "Admin endpoint, e.g. tcp://host:5556");
  app.add_option("--key", g.key_file,
                 "This client's key pair (FILE.key_secret) [DATA/keys/admin.key_secret]");
  app.add_option("--server-key", g.server_key_file,
                 "The engine's public key (FILE.key) [DATA/keys/engine.key]");
  app.add_flag("--json", g.as_json, "Machine-readable output");
  app.add_option("--timeout", g.timeout_s, "Seconds to wait for the engine")->capture_default_str();
  int code = 0;
  std::string file, as, comment, reason, program, period, unit, state, manager, input, due, role;
  long long case_id = 0, cycle = 0;
  int tier = 0;

  auto* org = app.add_subcommand("org", "Organisation")->require_subcommand(1)->fallthrough();
  auto* org_import =
      org->add_subcommand("import", "Import or update employees from CSV")->fallthrough();
  org_import
      ->add_option("FILE", file,
                   "CSV with header id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles")
      ->required();
  org_import->callback([&] {
    auto rows = org_rows(file);
    if (!rows) {
      code = fail(rows.error().message());
      return;
    }
    code = call(g, {{"cmd", "org.import"}, {"rows", *rows}}, af::tools::render_org_import);
  });

  auto* cyc =
      app.add_subcommand("cycle", "Assessment cycles")->require_subcommand(1)->fallthrough();
  auto* cyc_start =
      cyc->add_subcommand("start", "Open a cycle: one case per employee in scope")->fallthrough();
  cyc_start->add_option("--program", program, "competency50, ...")->required();
  cyc_start->add_option("--period", period, "2026-07, 2026-Q3 or 2026")->required();
  cyc_start->add_option("--unit", unit, "Only this business unit");
  cyc_start->add_option(
      "--due", due,
      "Last day of the run window, YYYY-MM-DD (default: the schedule's window end, or 10 days "
      "from today when that has passed)");
  cyc_start->callback([&] {
    json req{{"cmd", "cycle.start"}, {"program", program}, {"period", period}};
    if (!unit.empty()) req["unit"] = unit;
    if (!due.empty()) req["due"] = due;
    code = call(g, req, af::tools::render_cycle_opened);
  });

  auto* cases = app.add_subcommand("cases", "List cases")->fallthrough();
  cases->add_option("--cycle", cycle, "Cycle id");
  cases->add_option("--state", state, "State, e.g. hr_review");
  cases->add_option("--unit", unit, "Business unit");
  cases->add_option("--program", program, "Program");
  cases->add_option("--period", period, "Period");
  long long page_limit = 0, page_after = 0;
  cases
      ->add_option("--limit", page_limit,
                   "One page of at most this many cases (--json then adds next_after)")
      ->check(CLI::Range(1, 100000));
  cases
      ->add_option("--after", page_after,
                   "Only cases with ids above this one (the next_after of the previous page)")
      ->check(CLI::NonNegativeNumber);
  cases->callback([&] {
    json req{{"cmd", "cases"}};
    if (cycle) req["cycle"] = cycle;
    for (auto [k, v] :
         {std::pair{"state", &state}, {"unit", &unit}, {"program", &program}, {"period", &period}})
      if (!v->empty()) req[k] = *v;
    if (page_after) req["after"] = page_after;
    if (page_limit) {
      req["limit"] = page_limit;
      code = call(g, req, af::tools::render_cases);
    } else {
      code = call_all_cases(g, req, af::tools::render_cases);
    }
  });

  auto* kase = app.add_subcommand("case", "One case")->require_subcommand(1)->fallthrough();
  auto* show =
      kase->add_subcommand("show", "State, scores, tier, gaps and full history")->fallthrough();
  show->add_option("ID", case_id, "Case id")->required();
  show->callback([&] {
    code = call(g, {{"cmd", "case.show"}, {"case", case_id}}, af::tools::render_case);
  });

  // submit and rate: a ratings file ({"ratings": ..., "exams": ...}) sent for one case.
  auto send_review = [&](const char* cmd, bool with_exams) {
    auto r = read_json_file(file);
    if (!r) {
      code = fail(r.error().message());
      return;
    }
    if (!r->is_object() || !r->contains("ratings")) {
      code = fail(file + ": needs a \"ratings\" object");
      return;
    }
    json req{{"cmd", cmd}, {"case", case_id}, {"as", as}, {"ratings", (*r)["ratings"]}};
    if (with_exams && r->contains("exams")) req["exams"] = (*r)["exams"];
    if (!comment.empty()) req["comment"] = comment;
    code = call(g, req, af::tools::render_transition);
  };
  auto review_command = [&](const char* cmd, const char* help, const char* as_help,
                            const char* file_help, bool with_exams) {
    auto* sub = app.add_subcommand(cmd, help)->fallthrough();
    sub->add_option("ID", case_id, "Case id")->required();
    sub->add_option("--as", as, as_help)->required();
    sub->add_option("--ratings", file, file_help)->required();
    sub->add_option("--comment", comment, "Comment");
    sub->callback([&send_review, cmd, with_exams] { send_review(cmd, with_exams); });
  };
  review_command("submit", "Submit a self or supervisor review",
                 "ROLE:EMPLOYEE_ID, e.g. supervisor:S2001",
                 "JSON file {\"ratings\": {...}, \"exams\": {...}}", true);
  review_command("rate", "A further rater's ratings of a key account review",
                 "rater:ID, e.g. rater:E1007 or rater:K-17", "JSON file {\"ratings\": {...}}",
                 false);

  std::vector<std::string> peers, customers;
  auto* raters = app.add_subcommand("raters", "Further raters of a key account review")
                     ->require_subcommand(1)
                     ->fallthrough();
  auto* raters_add =
      raters->add_subcommand("add", "Name peers and customers' representatives as raters")
          ->fallthrough();
  raters_add->add_option("ID", case_id, "Case id")->required();
  raters_add->add_option("--as", as, "supervisor:ID, hrbp:ID, hr:ID or admin:ID")->required();
  raters_add->add_option("--peer", peers, "Employee id of a peer (repeatable)");
  raters_add->add_option("--customer", customers,
                         "ID=NAME of a customer's representative (repeatable)");
  raters_add->callback([&] {
    json list = json::array();
    for (const auto& p : peers) list.push_back({{"id", p}, {"kind", "peer"}});
    for (const auto& c : customers) {
      auto eq = c.find('=');
      if (eq == std::string::npos) {
        code = fail("--customer: \"" + c + "\" is not ID=NAME");
        return;
      }
      list.push_back({{"id", c.substr(0, eq)}, {"kind", "customer"}, {"name", c.substr(eq + 1)}});
    }
    if (list.empty()) {
      code = fail("give --peer or --customer");
      return;
    }
    code = call(g, {{"cmd", "raters.add"}, {"case", case_id}, {"as", as}, {"raters", list}},
                af::tools::render_raters);
  });

  auto* standards =
      app.add_subcommand("standards", "The competency model's standard table and its adjustments")
          ->fallthrough();
  standards->add_option("--program", program, "Program with a standard table")
      ->default_str("competency_model");
  auto* standards_adjust =
      standards
          ->add_subcommand("adjust",
                           "Adjust the table (once per business year) from raters' proposals")
          ->fallthrough();
  standards_adjust->add_option("--as", as, "hr:ID or admin:ID")->required();
  standards_adjust
      ->add_option("--input", input,
                   "JSON file: [{\"item\", \"grade\", \"proposals\": [{\"by\", \"level\"}]}]")
      ->required();
  standards->callback([&] {
    if (standards_adjust->parsed()) return;
    json req{{"cmd", "standards"}};
    if (!program.empty()) req["program"] = program;
    code = call(g, req, af::tools::render_standards);
  });
  standards_adjust->callback([&] {
    auto changes = read_json_file(input);
    if (!changes) {
      code = fail(changes.error().message());
      return;
    }
    json req{{"cmd", "standards.adjust"}, {"as", as}, {"changes", *changes}};
    if (!program.empty()) req["program"] = program;
    code = call(g, req, af::tools::render_standards_adjusted);
  });

  auto* approve =
      app.add_subcommand("approve",
                         "Approve one case, or every case you may approve in a unit/state/cycle")
          ->fallthrough();
  approve->add_option("ID", case_id,
                      "Case id (omit for bulk approval with --unit/--state/--cycle)");
  approve->add_option("--as", as, "ROLE:EMPLOYEE_ID")->required();
  approve->add_option("--unit", unit, "Bulk: business unit");
  approve->add_option("--state", state, "Bulk: state");
  approve->add_option("--cycle", cycle, "Bulk: cycle id");
  approve->callback([&] {
    json req{{"cmd", "approve"}, {"as", as}};
    if (case_id) {
      req["case"] = case_id;
      code = call(g, req, af::tools::render_transition);
      return;
    }
    if (unit.empty() && state.empty() && !cycle) {
      code = fail("give a case ID, or --unit/--state/--cycle for bulk approval");
      return;
    }
    if (!unit.empty()) req["unit"] = unit;
    if (!state.empty()) req["state"] = state;
    if (cycle) req["cycle"] = cycle;
    code = call(g, req, af::tools::render_bulk);
  });

  auto* ret =
      app.add_subcommand("return", "Return a case in hr_review to the supervisor")->fallthrough();
  ret->add_option("ID", case_id, "Case id")->required();
  ret->add_option("--as", as, "ROLE:EMPLOYEE_ID")->required();
  ret->add_option("--comment", comment, "Why it goes back")->required();
  ret->callback([&] {
    code = call(g, {{"cmd", "return"}, {"case", case_id}, {"as", as}, {"comment", comment}},
                af::tools::render_transition);
  });

  auto* adjust =
      app.add_subcommand("adjust", "Chairman's calibration of a final tier")->fallthrough();
  adjust->add_option("ID", case_id, "Case id")->required();
  adjust->add_option("--as", as, "chairman:EMPLOYEE_ID")->required();
  adjust->add_option("--tier", tier, "New tier 1..4")->required();
  adjust->add_option("--reason", reason, "Why")->required();
  adjust->callback([&] {
    code = call(
        g, {{"cmd", "adjust"}, {"case", case_id}, {"as", as}, {"tier", tier}, {"reason", reason}},
        af::tools::render_transition);
  });

  auto* cancel = app.add_subcommand("cancel", "Cancel an open case (admin)")->fallthrough();
  cancel->add_option("ID", case_id, "Case id")->required();
  cancel->add_option("--as", as, "admin:EMPLOYEE_ID")->required();
  cancel->add_option("--reason", reason, "Why")->required();
  cancel->callback([&] {
    code = call(g, {{"cmd", "cancel"}, {"case", case_id}, {"as", as}, {"reason", reason}},
                af::tools::render_transition);
  });

  auto* stats =
      app.add_subcommand("stats", "Cases per state, tasks, workers, ingest counts")->fallthrough();
  stats->callback([&] { code = call(g, {{"cmd", "stats"}}, af::tools::render_stats); });

  auto* sales = app.add_subcommand("sales", "The sales figures scoring uses")->fallthrough();
  sales->add_option("MANAGER", manager, "Manager id")->required();
  sales->add_option("--period", period, "2026-07, 2026-Q3 or 2026")->required();
  sales->callback([&] {
    code = call(g, {{"cmd", "sales"}, {"manager_id", manager}, {"period", period}},
                af::tools::render_sales);
  });

  auto* rollup =
      app.add_subcommand("rollup", "Quarterly or annual roll-up of a manager's monthly appraisals")
          ->fallthrough();
  rollup->add_option("MANAGER", manager, "Manager id")->required();
  rollup->add_option("--period", period, "2026-Q3 or 2026")->required();
  rollup->callback([&] {
    code = call(g, {{"cmd", "rollup"}, {"manager_id", manager}, {"period", period}},
                af::tools::render_rollup);
  });

  auto* sched =
      app.add_subcommand("schedule",
                         "Per program: last cycle opened, the next opening, cycles opened late")
          ->fallthrough();
  sched->callback([&] { code = call(g, {{"cmd", "schedule"}}, af::tools::render_schedule); });

  std::string format = "text";
  auto* report =
      app.add_subcommand(
             "report", "One cycle: tiers per unit and supervisor, rater leniency, open cases, gaps")
          ->fallthrough();
  report->add_option("--cycle", cycle, "Cycle id")->required();
  report->add_option("--format", format, "text, csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  report->callback([&] {
    if (format == "json") g.as_json = true;
    code = call(g, {{"cmd", "report"}, {"cycle", cycle}},
                format == "csv" ? af::tools::render_report_csv : af::tools::render_report);
  });

  auto* overdue =
      app.add_subcommand("overdue", "Cases past their deadline, by unit and the role that must act")
          ->fallthrough();
  overdue->add_option("--unit", unit, "Only this business unit");
  overdue->add_option("--role", role,
                      "Only cases waiting on this role: employee, supervisor, hrbp, hr");
  overdue->callback([&] {
    json req{{"cmd", "overdue"}};
    if (!unit.empty()) req["unit"] = unit;
    if (!role.empty()) req["role"] = role;
    code = call(g, req, af::tools::render_overdue);
  });

  auto* batch =
      app.add_subcommand("batch", "Send a JSON array of admin requests as one transaction")
          ->fallthrough();
  batch->add_option("FILE", file, "JSON file: an array of requests")->required();
  batch->callback([&] {
    auto r = read_json_file(file);
    if (!r) {
      code = fail(r.error().message());
      return;
    }
    if (!r->is_array()) {
      code = fail(file + ": must be a JSON array of requests");
      return;
    }
    code = call(g, {{"cmd", "batch"}, {"requests", *r}}, af::tools::render_batch);
  });

  std::string rubrics_dir = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/rubrics";
  auto* score =
      app.add_subcommand("score", "Score one case file offline, any program (no engine needed)")
          ->fallthrough();
  score->add_option("--input", input, "Case file (DESIGN.md offline scoring input)")->required();
  score->add_option("--rubrics", rubrics_dir, "Directory of the programs' rubrics")
      ->capture_default_str();
  score->callback([&] {
    auto rubrics = af::rubric::load_dir(rubrics_dir);
    if (!rubrics) {
      code = fail(rubrics.error().message());
      return;
    }
    auto j = read_input_file(input);
    if (!j) {
      code = fail(j.error().message());
      return;
    }
    auto s = af::tools::score_offline(*j, *rubrics);
    if (!s) {
      code = fail(s.error().message());
      return;
    }
    json out = json::parse(s->dump());
    fmt::print("{}",
               g.as_json ? af::msg::dump_fixed2(out, 2) + "\n" : af::tools::render_score(out));
  });

  std::string out_file;
  long long chart_case = 0;
  auto* chart =
      app.add_subcommand(
             "chart",
             "Draw a case's radar (gap) chart as SVG, from the engine or an offline case file")
          ->fallthrough();
  chart->add_option("CASE", chart_case, "Case id (through the engine)");
  chart->add_option("--input", input, "Offline case file instead (as assessctl score takes)");
  chart->add_option("--out", out_file, "SVG file to write")->required();
  chart->add_option("--rubrics", rubrics_dir, "Directory of the programs' rubrics")
      ->capture_default_str();
  chart->callback([&] {
    auto rubrics = af::rubric::load_dir(rubrics_dir);
    if (!rubrics) {
      code = fail(rubrics.error().message());
      return;
    }
    json scored;
    std::string title;
    if (!input.empty() == (chart_case != 0)) {
      code = fail("give either a CASE id or --input FILE");
      return;
    }
    if (!input.empty()) {
      auto in = read_input_file(input);
      if (!in) {
        code = fail(in.error().message());
        return;
      }
      const auto& j = *in;
      auto s = af::tools::score_offline(j, *rubrics);
      if (!s) {
        code = fail(s.error().message());
        return;
      }
      scored = json::parse(s->dump());
      std::string who =
          j.contains("employee") && j["employee"].is_object() ? j["employee"].value("id", "") : "";
      title = scored["program"].get<std::string>() + (who.empty() ? "" : " - " + who);
    } else {
      auto client = connect_admin(g, g.timeout_s);
      if (!client) {
        code = fail(client.error());
        return;
      }
      auto reply = (*client)->call({{"cmd", "case.show"}, {"case", chart_case}});
      if (!reply) {
        code = fail(reply.error());
        return;
      }
      if (!reply->value("ok", false)) {
        code = fail(reply->value("error", std::string("the engine refused")),
                    reply->value("code", std::string()) == "forbidden" ? exit_forbidden : 1);
        return;
      }
      scored = *reply;
      if (scored["items"].empty()) {
        code = fail("case " + std::to_string(chart_case) + " has no scores yet (" +
                    scored["state"].get<std::string>() + ")");
        return;
      }
      title =
          fmt::format("{} {} - {} {}", scored["program"].get<std::string>(),
                      scored["period"].get<std::string>(), scored["employee_id"].get<std::string>(),
                      scored.value("employee_name", std::string()));
    }
    auto r = rubrics->find(scored["program"].get<std::string>());
    if (r == rubrics->end()) {
      code = fail("no rubric for " + scored["program"].get<std::string>());
      return;
    }
    code = write_text(out_file, af::tools::render_chart(r->second, scored, title));
    if (code == 0 && !g.as_json) fmt::print("wrote {}\n", out_file);
  });

  std::string rules_file = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/commission/rules.json";
  auto* commission =
      app.add_subcommand("commission", "One month's sales-target result for one manager, offline")
          ->fallthrough();
  commission->add_option("--input", input, "Month file (DESIGN.md offline commission input)")
      ->required();
  commission->add_option("--rules", rules_file, "Commission rules")->capture_default_str();
  commission->callback([&] {
    auto rules_text = read_file(rules_file);
    if (!rules_text) {
      code = fail(rules_text.error().message());
      return;
    }
    auto rules = af::commission::parse_rules(*rules_text, rules_file);
    if (!rules) {
      code = fail(rules.error().message());
      return;
    }
    auto in = read_input_file(input);
    if (!in) {
      code = fail(in.error().message());
      return;
    }
    auto month = af::tools::read_commission_input(*in);
    if (!month) {
      code = fail(month.error().message());
      return;
    }
    auto r = af::commission::compute_month(*month, *rules);
    if (!r) {
      code = fail(r.error().message());
      return;
    }
    json out = json::parse(af::commission::to_json(*month, *r).dump());
    fmt::print("{}",
               g.as_json ? af::msg::dump_fixed2(out, 2) + "\n" : af::tools::render_commission(out));
  });

  add_principal_commands(app, g, code);
  add_task_commands(app, g, code);
  add_event_commands(app, g, code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return code;
}
