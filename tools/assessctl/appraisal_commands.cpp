// appraisal_commands.cpp: the feedback of a quarterly or annual appraisal
// (DOMAIN.md program 3): assessctl interview (the supervisor's record of
// the interview), acknowledge and appeal (the employee, within the
// feedback deadline) and resolve (HR: uphold the result, or change the
// supervisor's ratings from a file). Each sends its admin request and
// prints the case's new state.
#include "tools/assessctl/commands.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

struct resolve_options {
  long long case_id = 0;
  std::string as, ratings_file, reason;
  bool uphold = false;
};

int resolve(const global_options& g, const resolve_options& o) {
  json req{{"cmd", "resolve"}, {"case", o.case_id}, {"as", o.as}, {"reason", o.reason}};
  if (o.uphold) req["uphold"] = true;
  if (!o.ratings_file.empty()) {
    auto r = read_json_file(o.ratings_file);
    if (!r) return fail(r.error().message());
    if (!r->is_object() || !r->contains("ratings"))
      return fail(o.ratings_file + ": needs a \"ratings\" object");
    req["ratings"] = (*r)["ratings"];
  }
  return call(g, req, render_transition);
}

}  // namespace

void add_appraisal_commands(CLI::App& app, const global_options& g, int& code) {
  static long long case_id = 0;
  static std::string as, notes, reason;
  auto* interview = add_command(app, "interview", "Record the appraisal interview (考核面谈)");
  interview->add_option("ID", case_id, "Case id")->required();
  interview->add_option("--as", as, "supervisor:EMPLOYEE_ID")->required();
  interview->add_option("--notes", notes, "What was discussed and agreed")->required();
  interview->callback([&] {
    code = call(g, {{"cmd", "interview"}, {"case", case_id}, {"as", as}, {"notes", notes}},
                render_transition);
  });
  auto* ack = add_command(app, "acknowledge", "Acknowledge an appraisal's result (the employee)");
  ack->add_option("ID", case_id, "Case id")->required();
  ack->add_option("--as", as, "employee:EMPLOYEE_ID")->required();
  ack->callback([&] {
    code = call(g, {{"cmd", "acknowledge"}, {"case", case_id}, {"as", as}}, render_transition);
  });
  auto* appeal = add_command(app, "appeal", "Appeal an appraisal's result to HR (the employee)");
  appeal->add_option("ID", case_id, "Case id")->required();
  appeal->add_option("--as", as, "employee:EMPLOYEE_ID")->required();
  appeal->add_option("--reason", reason, "What is wrong with the result")->required();
  appeal->callback([&] {
    code = call(g, {{"cmd", "appeal"}, {"case", case_id}, {"as", as}, {"reason", reason}},
                render_transition);
  });
  static resolve_options o;
  auto* res = add_command(app, "resolve", "HR's resolution of an appeal");
  res->add_option("ID", o.case_id, "Case id")->required();
  res->add_option("--as", o.as, "hr:EMPLOYEE_ID")->required();
  auto* uphold = res->add_flag("--uphold", o.uphold, "The result stands");
  res->add_option("--change", o.ratings_file,
                  "JSON file {\"ratings\": {...}}: the supervisor's ratings as changed, scored "
                  "again")
      ->excludes(uphold);
  res->add_option("--reason", o.reason, "Why")->required();
  res->callback([&] {
    if (!o.uphold && o.ratings_file.empty()) {
      code = fail("give --uphold or --change RATINGS_FILE");
      return;
    }
    code = resolve(g, o);
  });
}

}  // namespace af::tools::cli
