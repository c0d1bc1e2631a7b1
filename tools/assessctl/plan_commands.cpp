// plan_commands.cpp: qualification certification (DOMAIN.md): a manager's
// learning plan, assessctl plan show EMPLOYEE and plan done EMPLOYEE
// ACTIVITY --as ROLE:ID (the manager or their supervisor), and the
// chairman's overrule CASE --outcome O --reason TEXT of a final outcome.
#include "tools/assessctl/commands.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {

void add_plan_command(CLI::App& app, const global_options& g, int& code) {
  static std::string employee, activity, as;
  auto* plan = add_group(app, "plan", "Learning plans from competency gaps");
  auto* show = add_command(*plan, "show", "The plan: activities by gap, and what is done");
  show->add_option("EMPLOYEE", employee, "Employee id, e.g. E1001")->required();
  show->callback([&] {
    code = call(g, {{"cmd", "plan.show"}, {"employee_id", employee}}, render_plan);
  });
  auto* done = add_command(*plan, "done", "Record an activity of the plan as done");
  done->add_option("EMPLOYEE", employee, "Employee id")->required();
  done->add_option("ACTIVITY", activity, "Activity id, e.g. COM-2")->required();
  done->add_option("--as", as, "employee:ID (the manager) or supervisor:ID")->required();
  done->callback([&] {
    code = call(
        g, {{"cmd", "plan.done"}, {"employee_id", employee}, {"activity", activity}, {"as", as}},
        render_plan);
  });
}

void add_overrule_command(CLI::App& app, const global_options& g, int& code) {
  static long long case_id = 0;
  static std::string as, outcome, reason;
  auto* overrule =
      add_command(app, "overrule", "The chairman's overrule of a certification outcome");
  overrule->add_option("ID", case_id, "Case id")->required();
  overrule->add_option("--as", as, "chairman:EMPLOYEE_ID")->required();
  overrule
      ->add_option("--outcome", outcome,
                   "certified, recommended_for_promotion, provisional, demoted or eliminated")
      ->required();
  overrule->add_option("--reason", reason, "Why")->required();
  overrule->callback([&] {
    code = call(g,
                {{"cmd", "overrule"},
                 {"case", case_id},
                 {"as", as},
                 {"outcome", outcome},
                 {"reason", reason}},
                render_transition);
  });
}

}  // namespace af::tools::cli
