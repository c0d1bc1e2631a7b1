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
  auto g = af::grade_review::parse_rule(read_schema("grade_rule.json"), "grade_rule.json");
  REQUIRE(g);
  CHECK(g->appraisal_program == "performance_year");
  CHECK(g->competency_program == "competency50");
  CHECK(g->promote_total_at_least == 85);
  CHECK(g->promote_tier_at_most == 2);
  CHECK(g->demote_total_below == 60);
  CHECK(g->demote_tier_at_least == 4);
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
  auto rule = [](const std::string& promote, const std::string& demote) {
    auto r = af::grade_review::parse_rule(
        R"({"appraisal_program": "performance_year", "competency_program": "competency50", )"
        R"("promote": )" +
            promote + R"(, "demote": )" + demote + "}",
        "g.json");
    return r ? std::string("(accepted)") : r.error().message();
  };
  const std::string promote = R"({"appraisal_total_at_least": 85, "competency_tier_at_most": 2})";
  const std::string demote = R"({"appraisal_total_below": 60, "competency_tier_at_least": 4})";
  CHECK(rule(promote, demote) == "(accepted)");
  CHECK(rule(promote, R"({"appraisal_total_below": 60})") ==
        "g.json: demote.competency_tier_at_least: must be a whole number 1..4");
  CHECK(rule(R"({"appraisal_total_at_least": 101, "competency_tier_at_most": 2})", demote) ==
        "g.json: promote.appraisal_total_at_least: must be a whole number 0..100");
  CHECK(rule(promote, R"({"appraisal_total_below": 90, "competency_tier_at_least": 4})") ==
        "g.json: demote.appraisal_total_below: must not be above "
        "promote.appraisal_total_at_least");
  CHECK(rule(promote, R"({"appraisal_total_below": 60, "competency_tier_at_least": 2})") ==
        "g.json: demote.competency_tier_at_least: must be above promote.competency_tier_at_most");
  CHECK(af::grade_review::parse_rule(R"({"promote_if_months_met_at_least": 10})", "g.json")
            .error()
            .message() == "g.json: promote_if_months_met_at_least: unknown key");
}

TEST_CASE("earlier months count back to the first month without a target, oldest first") {
  // Newest first: met, missed, met (exactly on target), then no target.
  std::vector<month_totals> back{{100, 150}, {100, 99}, {100, 100}, {0, 500}, {100, 0}};
  CHECK(previous_months_met(back) == std::vector<bool>{true, false, true});
  CHECK(previous_months_met({}).empty());
  CHECK(previous_months_met({{0, 10}}).empty());
}

TEST_CASE(
    "a year proposes one grade up at 85 points and competency tier 2, down below 60 or at "
    "tier 4") {
  using af::grade_review::propose;
  af::grade_review::rule rule;  // 85 and tier <= 2 / below 60 or tier 4, as shipped
  auto year = [](std::int64_t total, std::optional<int> tier) {
    return af::grade_review::year_results{total, tier};
  };
  auto up = propose(rule, 2, year(8500, 2));
  CHECK(up.text == "promote to grade 1");
  CHECK(up.proposed_grade == 1);
  CHECK(up.why == "appraisal 85.00 at least 85 and competency tier 2 at most 2");
  CHECK(propose(rule, 2, year(8499, 1)).text == "keep grade 2");  // 84.99
  CHECK(propose(rule, 2, year(9900, 3)).text == "keep grade 2");  // competent, must improve
  CHECK(propose(rule, 2, year(9900, std::nullopt)).text == "keep grade 2");  // no competency result
  CHECK(propose(rule, 2, year(9900, std::nullopt)).why ==
        "appraisal 99.00, no competency50 result: neither promotion nor demotion");
  CHECK(propose(rule, 1, year(9900, 1)).why ==
        "appraisal 99.00 at least 85 and competency tier 1 at most 2; grade 1 is the highest");
  auto down = propose(rule, 2, year(5999, 2));
  CHECK(down.text == "demote to grade 3");
  CHECK(down.why == "appraisal 59.99 below 60");
  CHECK(propose(rule, 2, year(6000, 3)).text == "keep grade 2");       // exactly 60
  CHECK(propose(rule, 2, year(9000, 4)).text == "demote to grade 3");  // not competent
  CHECK(propose(rule, 2, year(9000, 4)).why == "competency tier 4 at least 4");
  CHECK(propose(rule, 4, year(1000, 4)).text == "keep grade 4");  // already lowest
  auto none = propose(rule, 3, {std::nullopt, 1});
  CHECK(none.text == "keep grade 3");
  CHECK(none.why == "no final performance_year appraisal");
}
