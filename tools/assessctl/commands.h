// commands.h: assessctl's commands, one function each. A function adds one
// top-level command (with its subcommands and options) to `app`; when that
// command runs, `code` gets its exit code. main.cpp adds them in the order
// `assessctl --help` lists them.
#pragma once

#include <CLI/CLI.hpp>

#include "tools/assessctl/cli.h"

namespace af::tools::cli {

// Cases (tools/assessctl/case_commands.cpp).
void add_cycle_command(CLI::App& app, const global_options& g, int& code);    // cycle start
void add_cases_command(CLI::App& app, const global_options& g, int& code);    // cases
void add_case_command(CLI::App& app, const global_options& g, int& code);     // case show
void add_submit_command(CLI::App& app, const global_options& g, int& code);   // submit
void add_rate_command(CLI::App& app, const global_options& g, int& code);     // rate
void add_raters_command(CLI::App& app, const global_options& g, int& code);   // raters add
void add_approve_command(CLI::App& app, const global_options& g, int& code);  // approve
void add_return_command(CLI::App& app, const global_options& g, int& code);   // return
void add_adjust_command(CLI::App& app, const global_options& g, int& code);   // adjust
void add_cancel_command(CLI::App& app, const global_options& g, int& code);   // cancel
void add_batch_command(CLI::App& app, const global_options& g, int& code);    // batch
// interview, acknowledge, appeal, resolve (tools/assessctl/appraisal_commands.cpp).
void add_appraisal_commands(CLI::App& app, const global_options& g, int& code);
// plan show, plan done (tools/assessctl/plan_commands.cpp).
void add_plan_command(CLI::App& app, const global_options& g, int& code);
void add_overrule_command(CLI::App& app, const global_options& g, int& code);  // overrule

// The organisation and its principals (tools/assessctl/org_commands.cpp).
void add_org_command(CLI::App& app, const global_options& g, int& code);  // org import
// principals add|list|revoke|rotate
void add_principals_command(CLI::App& app, const global_options& g, int& code);
void add_audit_command(CLI::App& app, const global_options& g, int& code);  // audit

// Reports (tools/assessctl/report_commands.cpp).
void add_standards_command(CLI::App& app, const global_options& g, int& code);  // [adjust]
void add_stats_command(CLI::App& app, const global_options& g, int& code);
void add_sales_command(CLI::App& app, const global_options& g, int& code);
void add_rollup_command(CLI::App& app, const global_options& g, int& code);
void add_schedule_command(CLI::App& app, const global_options& g, int& code);
// --format json turns on --json, so `g` is not const.
void add_report_command(CLI::App& app, global_options& g, int& code);
void add_overdue_command(CLI::App& app, const global_options& g, int& code);
void add_grades_command(CLI::App& app, const global_options& g, int& code);
void add_inventory_command(CLI::App& app, global_options& g, int& code);

// Offline: no engine needed, except for a chart of an engine's case
// (tools/assessctl/offline_commands.cpp).
void add_score_command(CLI::App& app, const global_options& g, int& code);
void add_chart_command(CLI::App& app, const global_options& g, int& code);
void add_commission_command(CLI::App& app, const global_options& g, int& code);

// tasks [retry] (tools/assessctl/task_commands.cpp).
void add_tasks_command(CLI::App& app, const global_options& g, int& code);
// events [--since] [--follow] (tools/assessctl/event_commands.cpp).
void add_events_command(CLI::App& app, const global_options& g, int& code);

}  // namespace af::tools::cli
