// report_commands.cpp: the commands that read figures and reports:
// assessctl standards [adjust], stats, sales, rollup, schedule, report and
// overdue. Each sends its admin request and prints the reply through its
// renderer (tools/assessctl/render.h).
#include "tools/assessctl/commands.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

int show_standards(const global_options& g, const std::string& program) {
  json req{{"cmd", "standards"}};
  if (!program.empty()) req["program"] = program;
  return call(g, req, render_standards);
}

// The raters' proposals of an --input file sent as standards.adjust.
int adjust_standards(const global_options& g, const std::string& program, const std::string& as,
                     const std::string& input) {
  auto changes = read_json_file(input);
  if (!changes) return fail(changes.error().message());
  json req{{"cmd", "standards.adjust"}, {"as", as}, {"changes", *changes}};
  if (!program.empty()) req["program"] = program;
  return call(g, req, render_standards_adjusted);
}

}  // namespace

void add_standards_command(CLI::App& app, const global_options& g, int& code) {
  static std::string program, as, input;
  auto* standards =
      add_command(app, "standards", "The competency model's standard table and its adjustments");
  standards->add_option("--program", program, "Program with a standard table")
      ->default_str("competency_model");
  auto* adjust = add_command(*standards, "adjust",
                             "Adjust the table (once per business year) from raters' proposals");
  adjust->add_option("--as", as, "hr:ID or admin:ID")->required();
  adjust
      ->add_option("--input", input,
                   "JSON file: [{\"item\", \"grade\", \"proposals\": [{\"by\", \"level\"}]}]")
      ->required();
  standards->callback([&, adjust] {
    if (adjust->parsed()) return;
    code = show_standards(g, program);
  });
  adjust->callback([&] { code = adjust_standards(g, program, as, input); });
}

void add_stats_command(CLI::App& app, const global_options& g, int& code) {
  add_command(app, "stats", "Cases per state, tasks, workers, ingest counts")->callback([&] {
    code = call(g, {{"cmd", "stats"}}, render_stats);
  });
}

void add_sales_command(CLI::App& app, const global_options& g, int& code) {
  static std::string manager, period;
  auto* sales = add_command(app, "sales", "The sales figures scoring uses");
  sales->add_option("MANAGER", manager, "Manager id")->required();
  sales->add_option("--period", period, "2026-07, 2026-Q3 or 2026")->required();
  sales->callback([&] {
    code = call(g, {{"cmd", "sales"}, {"manager_id", manager}, {"period", period}}, render_sales);
  });
}

void add_rollup_command(CLI::App& app, const global_options& g, int& code) {
  static std::string manager, period;
  auto* rollup =
      add_command(app, "rollup", "Quarterly or annual roll-up of a manager's monthly appraisals");
  rollup->add_option("MANAGER", manager, "Manager id")->required();
  rollup->add_option("--period", period, "2026-Q3 or 2026")->required();
  rollup->callback([&] {
    code = call(g, {{"cmd", "rollup"}, {"manager_id", manager}, {"period", period}}, render_rollup);
  });
}

void add_schedule_command(CLI::App& app, const global_options& g, int& code) {
  add_command(app, "schedule",
              "Per program: last cycle opened, the next opening, cycles opened late")
      ->callback([&] {
        code = call(g, {{"cmd", "schedule"}}, render_schedule);
      });
}

void add_report_command(CLI::App& app, global_options& g, int& code) {
  static long long cycle = 0;
  static std::string format = "text";
  auto* report = add_command(
      app, "report", "One cycle: tiers per unit and supervisor, rater leniency, open cases, gaps");
  report->add_option("--cycle", cycle, "Cycle id")->required();
  report->add_option("--format", format, "text, csv or json")
      ->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  report->callback([&] {
    if (format == "json") g.as_json = true;
    code = call(g, {{"cmd", "report"}, {"cycle", cycle}},
                format == "csv" ? render_report_csv : render_report);
  });
}

void add_overdue_command(CLI::App& app, const global_options& g, int& code) {
  static std::string unit, role;
  auto* overdue =
      add_command(app, "overdue", "Cases past their deadline, by unit and the role that must act");
  overdue->add_option("--unit", unit, "Only this business unit");
  overdue->add_option("--role", role,
                      "Only cases waiting on this role: employee, supervisor, hrbp, hr");
  overdue->callback([&] {
    json req{{"cmd", "overdue"}};
    if (!unit.empty()) req["unit"] = unit;
    if (!role.empty()) req["role"] = role;
    code = call(g, req, render_overdue);
  });
}

void add_grades_command(CLI::App& app, const global_options& g, int& code) {
  static std::string period, unit;
  auto* grades = add_command(app, "grades",
                             "Movement between grades over a period: promotions, demotions, first "
                             "grades (as org imports set them)");
  grades->add_option("--period", period, "2026, 2026-Q3 or 2026-07")->required();
  grades->add_option("--unit", unit, "Only this business unit");
  grades->callback([&] {
    json req{{"cmd", "grades"}, {"period", period}};
    if (!unit.empty()) req["unit"] = unit;
    code = call(g, req, render_grades);
  });
}

void add_inventory_command(CLI::App& app, global_options& g, int& code) {
  static std::string period, unit, format = "text";
  auto* inventory =
      add_command(app, "inventory",
                  "The inventory (员工素质发展分析表): items and gaps against the period before, "
                  "certification outcomes, grade movement, per person and unit");
  inventory->add_option("--period", period, "2026 or 2026-Q3")->required();
  inventory->add_option("--unit", unit, "Only this business unit");
  inventory->add_option("--format", format, "text, csv (UTF-8 with BOM, for Excel) or json")
      ->check(CLI::IsMember({"text", "csv", "json"}))
      ->capture_default_str();
  inventory->callback([&] {
    if (format == "json") g.as_json = true;
    json req{{"cmd", "inventory"}, {"period", period}};
    if (!unit.empty()) req["unit"] = unit;
    code = call(g, req, format == "csv" ? render_inventory_csv : render_inventory);
  });
}

}  // namespace af::tools::cli
