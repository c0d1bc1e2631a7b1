// The grade rule and the earlier months of a run of misses
// (workers/domain/commission_plan.h), against schemas/commission/.
#include "workers/domain/commission_plan.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>

using namespace af::commission;

namespace {
std::string read_schema(const std::string& name) {
  std::ifstream f(std::string(ASSESSFLOW_SCHEMAS_DIR) + "/commission/" + name);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}
}  // namespace

TEST_CASE("the shipped plan and grade rule parse to their documented values") {
  auto p = parse_plan(read_schema("plan.json"), "plan.json");
  REQUIRE(p);
  CHECK(p->rate_for("no such brand") == p->default_rate_bp);
  CHECK(p->rate_bp ==
        std::map<std::string, int>{{"yanghe", 300}, {"shuanggou", 250}, {"red_wine", 200}});
  CHECK(p->key_townships == std::vector<std::string>{"位伯", "新垒头", "旧城", "南智邱"});
  CHECK(p->county_outlets_target == 500);
  CHECK(p->township_outlets_target == 500);
  CHECK(p->banquet_target_by_month.size() == 12);
  CHECK(p->banquet_target_by_month.at(7) == 3);
  auto g = parse_grade_rule(read_schema("grade_rule.json"), "grade_rule.json");
  REQUIRE(g);
  CHECK(g->promote_months_met == 10);
  CHECK(g->promote_growth_percent == 0);
  CHECK(g->demote_months_met == 3);
}

TEST_CASE("a bad plan or grade rule is refused naming the file and the key") {
  CHECK(parse_plan("[]", "p.json").error().message() == "p.json: not a JSON object");
  CHECK(parse_plan(R"({"key_townships": []})", "p.json").error().message() ==
        "p.json: rate_bp: missing");
  CHECK(parse_plan(R"({"rate_bp": {"yanghe": 10001}})", "p.json").error().message() ==
        "p.json: rate_bp.yanghe: must be 0..10000 basis points");
  CHECK(parse_plan(R"({"rate_bp": {}})", "p.json").error().message() ==
        "p.json: outlet_targets_per_month: missing");
  const std::string targets = R"("outlet_targets_per_month": {"county": 5, "township": 5})";
  CHECK(parse_plan(R"({"rate_bp": {}, "outlet_targets_per_month": {"county": -1}})", "p.json")
            .error()
            .message() == "p.json: outlet_targets_per_month.county: must be 0..1000000");
  CHECK(parse_plan(R"({"rate_bp": {}, "key_townships": [""], )" + targets + "}", "p.json")
            .error()
            .message() == "p.json: key_townships: must be township names");
  CHECK(parse_plan(R"({"rate_bp": {}, "banquet_target_by_month": {"13": 1}, )" + targets + "}",
                   "p.json")
            .error()
            .message() == "p.json: banquet_target_by_month.13: not a month 1..12");
  CHECK(parse_plan(R"({"rate_bp": {}, "banquet_target_by_month": {"7": -2}, )" + targets + "}",
                   "p.json")
            .error()
            .message() == "p.json: banquet_target_by_month.7: must be 0..1000000");
  auto minimal = parse_plan(R"({"rate_bp": {}, )" + targets + "}", "p.json");
  REQUIRE(minimal);
  CHECK(minimal->banquet_target_by_month.empty());
  CHECK(minimal->key_townships.empty());
  CHECK(parse_grade_rule(R"({"promote_if_months_met_at_least": 10,
                             "promote_if_growth_percent_at_least": 0})",
                         "g.json")
            .error()
            .message() == "g.json: demote_if_months_met_at_most: must be a whole number");
  CHECK(parse_grade_rule(R"({"promote_if_months_met_at_least": 3,
                             "promote_if_growth_percent_at_least": 0,
                             "demote_if_months_met_at_most": 3})",
                         "g.json")
            .error()
            .message() ==
        "g.json: demote_if_months_met_at_most: must be below promote_if_months_met_at_least");
}

TEST_CASE("earlier months count back to the first month without a target, oldest first") {
  // Newest first: met, missed, met (exactly on target), then no target.
  std::vector<month_totals> back{{100, 150}, {100, 99}, {100, 100}, {0, 500}, {100, 0}};
  CHECK(previous_months_met(back) == std::vector<bool>{true, false, true});
  CHECK(previous_months_met({}).empty());
  CHECK(previous_months_met({{0, 10}}).empty());
}

TEST_CASE("a year proposes one grade up at 10 months met with growth >= 0, down at 3 or fewer") {
  grade_rule rule;  // 10 / 0% / 3, as shipped
  CHECK(propose_grade(rule, 2, 10, 12, 0).text == "promote to grade 1");
  CHECK(propose_grade(rule, 2, 10, 12, 0).proposed_grade == 1);
  CHECK(propose_grade(rule, 2, 9, 12, 500).text == "keep grade 2");
  CHECK(propose_grade(rule, 2, 12, 12, -1).text == "keep grade 2");            // shrank by 0.01%
  CHECK(propose_grade(rule, 2, 12, 12, std::nullopt).text == "keep grade 2");  // no year before
  CHECK(propose_grade(rule, 1, 12, 12, 900).text == "keep grade 1");           // already highest
  CHECK(propose_grade(rule, 2, 3, 12, 0).text == "demote to grade 3");
  CHECK(propose_grade(rule, 2, 3, 12, 0).proposed_grade == 3);
  CHECK(propose_grade(rule, 2, 4, 12, 0).text == "keep grade 2");
  CHECK(propose_grade(rule, 4, 0, 12, 0).text == "keep grade 4");            // already lowest
  CHECK(propose_grade(rule, 3, 0, 0, std::nullopt).text == "keep grade 3");  // nothing appraised
}
