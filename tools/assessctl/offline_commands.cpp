// offline_commands.cpp: the commands that need no engine: assessctl score
// (one case file of any program, tools/assessctl/offline_score.h),
// commission (one month of one manager, tools/assessctl/offline_commission.h)
// and chart (the radar chart of an offline case file, or of an engine's case).
#include <fmt/core.h>

#include <fstream>

#include "tools/assessctl/commands.h"
#include "tools/assessctl/offline_commission.h"
#include "tools/assessctl/offline_score.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

const std::string default_rubrics_dir = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/rubrics";
const std::string default_rules_file =
    std::string(ASSESSFLOW_SCHEMAS_DIR) + "/commission/rules.json";

struct score_options {
  std::string input, rubrics_dir = default_rubrics_dir;
};

int score_case_file(const global_options& g, const score_options& o) {
  auto rubrics = af::rubric::load_dir(o.rubrics_dir);
  if (!rubrics) return fail(rubrics.error().message());
  auto in = read_input_file(o.input);
  if (!in) return fail(in.error().message());
  auto s = score_offline(*in, *rubrics);
  if (!s) return fail(s.error().message());
  json out = json::parse(s->dump());
  fmt::print("{}", g.as_json ? af::msg::dump_fixed2(out, 2) + "\n" : render_score(out));
  return 0;
}

struct chart_options {
  long long case_id = 0;
  std::string input, out_file, rubrics_dir = default_rubrics_dir;
  bool levels = false;
};

// What a chart shows: a scored case (as case.show or score answer) and its title.
struct scored_case {
  json scored;
  std::string title;
};

// An offline case file scored here, titled "PROGRAM - EMPLOYEE_ID".
result<scored_case> score_for_chart(const std::string& input, const rubric::rubric_set& rubrics) {
  auto in = read_input_file(input);
  if (!in) return in.error();
  auto s = score_offline(*in, rubrics);
  if (!s) return s.error();
  const auto& j = *in;
  std::string who =
      j.contains("employee") && j["employee"].is_object() ? j["employee"].value("id", "") : "";
  json scored = json::parse(s->dump());
  std::string title = scored["program"].get<std::string>() + (who.empty() ? "" : " - " + who);
  return scored_case{scored, title};
}

// A scored case of the engine, titled "PROGRAM PERIOD - EMPLOYEE_ID NAME";
// Forbidden when the engine refuses this client, InvalidArgument for any
// other refusal or a case without scores.
result<scored_case> fetch_for_chart(const global_options& g, long long case_id) {
  auto client = connect_admin(g, g.timeout_s);
  if (!client) return client.error();
  auto reply = (*client)->call({{"cmd", "case.show"}, {"case", case_id}});
  if (!reply) return reply.error();
  if (!reply->value("ok", false)) {
    std::string why = reply->value("error", std::string("the engine refused"));
    if (reply->value("code", std::string()) == "forbidden") return status::forbidden(why);
    return status::invalid(why);
  }
  const json& scored = *reply;
  if (scored["items"].empty())
    return status::invalid("case " + std::to_string(case_id) + " has no scores yet (" +
                           scored["state"].get<std::string>() + ")");
  std::string title = fmt::format(
      "{} {} - {} {}", scored["program"].get<std::string>(), scored["period"].get<std::string>(),
      scored["employee_id"].get<std::string>(), scored.value("employee_name", std::string()));
  return scored_case{scored, title};
}

// The engine's standard table of `program` as it stands.
result<json> fetch_standards(const global_options& g, const std::string& program) {
  auto client = connect_admin(g, g.timeout_s);
  if (!client) return client.error();
  auto reply = (*client)->call({{"cmd", "standards"}, {"program", program}});
  if (!reply) return reply.error();
  if (!reply->value("ok", false))
    return status::invalid(reply->value("error", std::string("the engine refused")));
  return *reply;
}

int write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) return fail("cannot write " + path);
  return 0;
}

int draw_chart(const global_options& g, const chart_options& o) {
  auto rubrics = af::rubric::load_dir(o.rubrics_dir);
  if (!rubrics) return fail(rubrics.error().message());
  if (!o.input.empty() == (o.case_id != 0)) return fail("give either a CASE id or --input FILE");
  if (o.levels && o.case_id == 0)
    return fail("--levels draws a case of the engine against its standard table: give a CASE id");
  auto c = o.input.empty() ? fetch_for_chart(g, o.case_id) : score_for_chart(o.input, *rubrics);
  if (!c) return fail(c.error());
  std::string program = c->scored["program"].get<std::string>();
  auto r = rubrics->find(program);
  if (r == rubrics->end()) return fail("no rubric for " + program);
  std::string svg;
  if (o.levels) {
    auto table = fetch_standards(g, program);
    if (!table) return fail(table.error());
    auto drawn = render_level_chart(r->second, c->scored, *table, c->title);
    if (!drawn) return fail("case " + std::to_string(o.case_id) + ": " + drawn.error().message());
    svg = std::move(drawn).value();
  } else {
    svg = render_chart(r->second, c->scored, c->title);
  }
  int rc = write_text(o.out_file, svg);
  if (rc == 0 && !g.as_json) fmt::print("wrote {}\n", o.out_file);
  return rc;
}

struct commission_options {
  std::string input, rules_file = default_rules_file;
};

int compute_commission(const global_options& g, const commission_options& o) {
  auto rules_text = read_file(o.rules_file);
  if (!rules_text) return fail(rules_text.error().message());
  auto rules = af::commission::parse_rules(*rules_text, o.rules_file);
  if (!rules) return fail(rules.error().message());
  auto in = read_input_file(o.input);
  if (!in) return fail(in.error().message());
  auto month = read_commission_input(*in);
  if (!month) return fail(month.error().message());
  auto r = af::commission::compute_month(*month, *rules);
  if (!r) return fail(r.error().message());
  json out = json::parse(af::commission::to_json(*month, *r).dump());
  fmt::print("{}", g.as_json ? af::msg::dump_fixed2(out, 2) + "\n" : render_commission(out));
  return 0;
}

}  // namespace

void add_score_command(CLI::App& app, const global_options& g, int& code) {
  static score_options o;
  auto* score =
      add_command(app, "score", "Score one case file offline, any program (no engine needed)");
  score->add_option("--input", o.input, "Case file (DESIGN.md offline scoring input)")->required();
  score->add_option("--rubrics", o.rubrics_dir, "Directory of the programs' rubrics")
      ->capture_default_str();
  score->callback([&] { code = score_case_file(g, o); });
}

void add_chart_command(CLI::App& app, const global_options& g, int& code) {
  static chart_options o;
  auto* chart = add_command(
      app, "chart",
      "Draw a case's radar (gap) chart as SVG, from the engine or an offline case file");
  chart->add_option("CASE", o.case_id, "Case id (through the engine)");
  chart->add_option("--input", o.input, "Offline case file instead (as assessctl score takes)");
  chart->add_option("--out", o.out_file, "SVG file to write")->required();
  chart->add_flag("--levels", o.levels,
                  "In proficiency levels, against the standard table as the case was scored "
                  "and as it stands now (before and after an adjustment)");
  chart->add_option("--rubrics", o.rubrics_dir, "Directory of the programs' rubrics")
      ->capture_default_str();
  chart->callback([&] { code = draw_chart(g, o); });
}

void add_commission_command(CLI::App& app, const global_options& g, int& code) {
  static commission_options o;
  auto* commission =
      add_command(app, "commission", "One month's sales-target result for one manager, offline");
  commission->add_option("--input", o.input, "Month file (DESIGN.md offline commission input)")
      ->required();
  commission->add_option("--rules", o.rules_file, "Commission rules")->capture_default_str();
  commission->callback([&] { code = compute_commission(g, o); });
}

}  // namespace af::tools::cli
