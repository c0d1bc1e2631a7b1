// assessctl: the admin CLI, a thin client of the engine's JSON admin API
// (DESIGN.md "assessctl"). Every command takes --json; failures print one
// line to stderr and exit 1 (2 for bad usage, 3 when the engine refuses:
// code "forbidden", or a key it does not accept). The commands are in
// tools/assessctl/commands.h.
#include <CLI/CLI.hpp>

#include "tools/assessctl/cli.h"
#include "tools/assessctl/commands.h"

int main(int argc, char** argv) {
  using namespace af::tools::cli;
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

  // In the order `assessctl --help` lists them.
  int code = 0;
  add_org_command(app, g, code);
  add_cycle_command(app, g, code);
  add_cases_command(app, g, code);
  add_case_command(app, g, code);
  add_submit_command(app, g, code);
  add_rate_command(app, g, code);
  add_raters_command(app, g, code);
  add_standards_command(app, g, code);
  add_approve_command(app, g, code);
  add_return_command(app, g, code);
  add_adjust_command(app, g, code);
  add_cancel_command(app, g, code);
  add_appraisal_commands(app, g, code);
  add_plan_command(app, g, code);
  add_overrule_command(app, g, code);
  add_stats_command(app, g, code);
  add_sales_command(app, g, code);
  add_rollup_command(app, g, code);
  add_schedule_command(app, g, code);
  add_report_command(app, g, code);
  add_overdue_command(app, g, code);
  add_grades_command(app, g, code);
  add_inventory_command(app, g, code);
  add_batch_command(app, g, code);
  add_score_command(app, g, code);
  add_chart_command(app, g, code);
  add_commission_command(app, g, code);
  add_principals_command(app, g, code);
  add_audit_command(app, g, code);
  add_tasks_command(app, g, code);
  add_events_command(app, g, code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return code;
}
