// assessctl: the admin CLI, a thin client of the engine's JSON admin API
// (DESIGN.md "assessctl"). Every command takes --json; failures print one
// line to stderr and exit 1 (2 for bad usage, 3 when the engine refuses:
// code "forbidden", or a key it does not accept).
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <sstream>

#include "messages/json_text.h"
#include "tools/assessctl/admin_client.h"
#include "tools/assessctl/chart.h"
#include "tools/assessctl/cli.h"
#include "tools/assessctl/csv.h"
#include "tools/assessctl/offline_commission.h"
#include "tools/assessctl/offline_score.h"
#include "tools/assessctl/render.h"

namespace {

using af::msg::json;
using namespace af::tools::cli;

af::result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return af::status::not_found("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

af::result<json> read_json_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  json j = json::parse(*text, nullptr, false);
  if (j.is_discarded()) return af::status::invalid(path + ": not valid JSON");
  return j;
}

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
int call_all_cases(const global_options& g, json request,
                   const std::function<std::string(const json&)>& render) {
  if (g.admin_ep.empty() && g.data_dir.empty())
    return fail("give --data DIR or --admin EP to reach the engine");
  af::tools::admin_client client(admin_endpoint(g), g.keys(), g.timeout_s * 1000);
  json all{{"ok", true}, {"cases", json::array()}};
  request["limit"] = 5000;
  while (true) {
    auto reply = client.call(request);
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

// The radar chart of a scored case (case.show or an offline score).
af::tools::chart_spec chart_of(const af::rubric::rubric& r, const json& scored,
                               const std::string& title) {
  af::tools::chart_spec spec;
  spec.title = title;
  spec.scale_max = r.scale_max;
  spec.standard = r.standard_score;
  spec.subtitle = r.standard_score ? "actual score against the standard circle of " +
                                         std::to_string(*r.standard_score)
                                   : "score per item, 0.." + std::to_string(r.scale_max);
  for (const auto& item : r.items) {
    const json& v = scored["items"].contains(item.key) ? scored["items"][item.key] : json();
    spec.items.push_back(
        {item.label.empty() ? item.key : item.label, v.is_number() ? v.get<double>() : 0.0});
  }
  return spec;
}

int write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return fail("cannot write " + path);
  return 0;
}

std::string transition_line(const json& c) {
  return fmt::format("case {}: now {}{}\n", c["id"].get<long long>(), c["state"].get<std::string>(),
                     c["tier"].is_null() ? "" : fmt::format(" (tier {})", c["tier"].dump()));
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
    code = call(g, {{"cmd", "org.import"}, {"rows", *rows}}, [](const json& r) {
      return fmt::format("imported {} employees ({} new, {} updated)\n", r["imported"].dump(),
                         r["created"].dump(), r["updated"].dump());
    });
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
    code = call(g, req, [](const json& r) {
      return fmt::format("cycle {}: opened {} cases, due {}\n", r["cycle"].dump(),
                         r["opened"].dump(),
                         r.contains("due") ? r["due"].get<std::string>() : std::string("-"));
    });
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
    code = call(g, req, transition_line);
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
                [](const json& r) {
                  std::string out = fmt::format("case {} raters:\n", r["case"].dump());
                  for (const auto& x : r["raters"])
                    out += fmt::format("  {:<24} {}\n", x["rater"].get<std::string>(),
                                       x["name"].get<std::string>());
                  return out;
                });
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
    code = call(g, req, [](const json& r) {
      std::string out = fmt::format("{} standard table adjusted for business year {}:\n",
                                    r["program"].get<std::string>(), r["business_year"].dump());
      for (const auto& c : r["changes"])
        out += fmt::format("  {:<26} grade {}  mean {:.2f}  level {} -> {}\n",
                           c["item"].get<std::string>(), c["grade"].dump(), c["mean"].get<double>(),
                           c["before"].dump(), c["after"].dump());
      return out;
    });
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
      code = call(g, req, transition_line);
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
                transition_line);
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
        transition_line);
  });

  auto* cancel = app.add_subcommand("cancel", "Cancel an open case (admin)")->fallthrough();
  cancel->add_option("ID", case_id, "Case id")->required();
  cancel->add_option("--as", as, "admin:EMPLOYEE_ID")->required();
  cancel->add_option("--reason", reason, "Why")->required();
  cancel->callback([&] {
    code = call(g, {{"cmd", "cancel"}, {"case", case_id}, {"as", as}, {"reason", reason}},
                transition_line);
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
    code = call(
        g, {{"cmd", "rollup"}, {"manager_id", manager}, {"period", period}}, [](const json& r) {
          std::string out = fmt::format(
              "{} {}: {} of {} appraised months met; commission {:.2f}, rewards {:.2f}, penalties "
              "{:.2f}, total {:.2f} CNY\n",
              r["manager_id"].get<std::string>(), r["period"].get<std::string>(),
              r["months_met"].dump(), r["months_appraised"].dump(),
              r["commission_fen"].get<double>() / 100, r["rewards_fen"].get<double>() / 100,
              r["penalty_fen"].get<double>() / 100, r["total_fen"].get<double>() / 100);
          out += fmt::format(
              "net sales {:.2f} CNY against {:.2f} a year earlier (growth {})\n",
              r["net_sales_fen"].get<double>() / 100,
              r["net_sales_year_before_fen"].get<double>() / 100,
              r["growth"].is_null() ? "n/a" : fmt::format("{:.2f}%", r["growth"].get<double>()));
          if (!r["months_without_final_appraisal"].empty())
            out +=
                "months without a final appraisal: " + r["months_without_final_appraisal"].dump() +
                "\n";
          if (r.contains("proposal")) out += "proposed: " + r["proposal"].get<std::string>() + "\n";
          return out;
        });
  });

  auto* sched =
      app.add_subcommand("schedule",
                         "Per program: last cycle opened, the next opening, cycles opened late")
          ->fallthrough();
  sched->callback([&] {
    code = call(g, {{"cmd", "schedule"}}, [](const json& r) {
      std::string out = "today " + r["today"].get<std::string>() + " (company time zone)\n";
      for (const auto& p : r["programs"]) {
        std::string last =
            p["last"].is_null()
                ? "none yet"
                : fmt::format("{} at {} ({} cases{})", p["last"]["period"].get<std::string>(),
                              p["last"]["opened_at"].get<std::string>(), p["last"]["cases"].dump(),
                              p["last"]["late"].get<bool>() ? ", late" : "");
        out += fmt::format("{:<16} every {:<8} last: {}; next: {} opens {}\n",
                           p["program"].get<std::string>(), p["every"].get<std::string>(), last,
                           p["next"]["period"].get<std::string>(),
                           p["next"]["window_start"].get<std::string>());
        for (const auto& l : p["opened_late"])
          out += fmt::format("  missed window: {} (window ended {}, opened {})\n",
                             l["period"].get<std::string>(), l["window_end"].get<std::string>(),
                             l["opened_at"].get<std::string>());
      }
      return out;
    });
  });

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
    code = call(g, {{"cmd", "batch"}, {"requests", *r}}, [](const json& reply) {
      int ok = 0;
      std::string out;
      for (const auto& x : reply["results"]) {
        if (x.value("ok", false))
          ++ok;
        else
          out += "  refused: " + x.value("error", std::string()) + "\n";
      }
      return fmt::format("{} of {} requests applied\n", ok, reply["results"].size()) + out;
    });
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
    auto in = read_file(input);
    if (!in) {
      code = fail(in.error().message());
      return;
    }
    auto j = nlohmann::json::parse(*in, nullptr, false);
    if (j.is_discarded()) {
      code = fail(input + ": not valid JSON");
      return;
    }
    auto s = af::tools::score_offline(j, *rubrics);
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
      auto in = read_file(input);
      if (!in) {
        code = fail(in.error().message());
        return;
      }
      auto j = nlohmann::json::parse(*in, nullptr, false);
      if (j.is_discarded()) {
        code = fail(input + ": not valid JSON");
        return;
      }
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
      std::string ep = g.admin_ep.empty() ? "ipc://" + g.data_dir + "/admin.sock" : g.admin_ep;
      if (g.admin_ep.empty() && g.data_dir.empty()) {
        code = fail("give --data DIR or --admin EP to reach the engine");
        return;
      }
      af::tools::admin_client client(ep, g.keys(), g.timeout_s * 1000);
      auto reply = client.call({{"cmd", "case.show"}, {"case", chart_case}});
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
    code = write_text(out_file, af::tools::radar_svg(chart_of(r->second, scored, title)));
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
    auto in = read_file(input);
    if (!in) {
      code = fail(in.error().message());
      return;
    }
    auto j = nlohmann::json::parse(*in, nullptr, false);
    if (j.is_discarded()) {
      code = fail(input + ": not valid JSON");
      return;
    }
    auto month = af::tools::read_commission_input(j);
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
    if (g.as_json) {
      fmt::print("{}\n", af::msg::dump_fixed2(out, 2));
      return;
    }
    for (const auto& b : out["brands"])
      fmt::print("  {:<12} completion {:>8}  factor {:.2f}  commission {:.2f} CNY\n",
                 b["brand"].get<std::string>(),
                 b["completion"].is_null() ? "no target"
                                           : fmt::format("{:.2f}%", b["completion"].get<double>()),
                 b["rate_factor"].get<double>(), b["commission_fen"].get<long long>() / 100.0);
    for (const auto& l : out["lines"]) fmt::print("  {}\n", l.get<std::string>());
    fmt::print("{} {}: commission {:.2f} + rewards {:.2f} - penalties {:.2f} = {:.2f} CNY\n",
               out["period"].get<std::string>(), out["met"].get<bool>() ? "met" : "not met",
               r->commission_fen / 100.0, r->rewards_fen / 100.0, r->penalty_fen / 100.0,
               r->total_fen / 100.0);
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
