// The competency model and the key account review through the admin API,
// as data: their workflow and rubric files, scored by the scoring worker's
// own function (workers/scoring/scoring_handler.h) on the task the engine
// emits. Also the standard table and its once-a-year adjustment, and the
// further raters of a key account review.
#include <catch2/catch.hpp>

#include "tests/engine/scoring_fixture.h"

using namespace af::engine::testing;
using af::msg::message_type;

namespace {

std::int64_t at(const char* iso) { return *af::parse_instant(iso); }

struct programs_fixture : scoring_fixture {
  std::int64_t open(const std::string& program, const std::string& period) {
    auto r = ok({{"cmd", "cycle.start"}, {"program", program}, {"period", period}});
    return r["cycle"].get<std::int64_t>();
  }
};

njson model_ratings(int value) {
  njson r = njson::object();
  for (const char* k :
       {"achievement_orientation", "resilience", "communication", "written_expression",
        "interpersonal", "execution", "emotional_control", "coordination", "information_gathering",
        "needs_analysis", "customized_strategy", "proactive_marketing", "customer_retention",
        "customer_relationship"})
    r[k] = value;
  return r;
}

const njson model_exams = {{"general_knowledge", {{"parts", {{40, 1}, {41, 1}, {41, 1}}}}},
                           {"professional_knowledge", {{"parts", {{90, 0.5}, {92, 0.5}}}}},
                           {"position_knowledge", 60.5},
                           {"position_skills", 85}};

njson kam_ratings(int value) {
  njson r = njson::object();
  for (const char* k :
       {"relationship_quality", "customer_needs_initiative", "influence", "customer_understanding",
        "products_and_services", "industry_solutions", "organisation_and_processes",
        "customer_dialogue", "oral_presentation", "written_material", "account_plan_quality",
        "finding_issues", "gathering_information", "structuring_and_concluding", "analytical_skill",
        "business_sense", "managing_own_work", "team_leadership", "cross_department_cooperation"})
    r[k] = value;
  return r;
}

}  // namespace

TEST_CASE("a competency_model case: 0..6 ratings, weighted sub-exams, required levels and gaps",
          "[engine][programs]") {
  programs_fixture f;
  f.import_org();
  f.now = at("2027-01-02T09:00:00+08:00");
  f.open("competency_model", "2026");
  auto e1 = f.case_of("E1");  // grade 3: intermediate (2) required
  CHECK(f.state(e1) == "self_review");
  njson self = model_ratings(4);
  self["resilience"] = 6;
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", self}});
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"ratings", model_ratings(7)},
                   {"exams", model_exams}}) ==
        "ratings.achievement_orientation: 7 is out of range 0..6");
  njson bad_exams = model_exams;
  bad_exams["general_knowledge"]["parts"][0][1] = 0;
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"ratings", model_ratings(3)},
                   {"exams", bad_exams}}) ==
        "exams.general_knowledge.parts[0]: weight must be above 0 (at most 1000)");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"ratings", model_ratings(3)}}) ==
        "exams is required to submit a case in supervisor_review");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"ratings", model_ratings(3)},
                   {"exams", {{"general_knowledge", 50}}}}) ==
        "exams.professional_knowledge: missing");
  njson review = model_ratings(3);
  review["execution"] = 6;
  review["resilience"] = 3;
  f.ok({{"cmd", "submit"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"ratings", review},
        {"exams", model_exams}});
  auto task = f.score_last();
  CHECK(task.required_levels.at("execution") == 2);
  CHECK(task.exam_parts.at("general_knowledge") ==
        std::vector<std::pair<std::int32_t, std::int32_t>>{{4000, 100}, {4100, 100}, {4100, 100}});
  auto c = f.show(e1);
  CHECK(c["state"] == "hrbp_review");
  CHECK(c["items"]["general_knowledge"] == 1.0);       // 40.67 -> 1
  CHECK(c["items"]["professional_knowledge"] == 6.0);  // exactly 91 -> 6
  CHECK(c["items"]["position_knowledge"] == 2.0);      // 60.5 -> 2
  CHECK(c["items"]["position_skills"] == 5.0);         // 85 -> 5
  CHECK(c["exam_average"]["general_knowledge"] == 40.67);
  CHECK(c["required_level"]["execution"] == 2);
  CHECK(c["gap"]["execution"] == 0.0);
  CHECK(c["gap"]["communication"] == 2.0);
  CHECK(c["gap"]["general_knowledge"] == 4.0);
  CHECK(c["tier"].is_null());
  CHECK(c["total"] == 3 * 13 + 6 + 1 + 6 + 2 + 5);
  CHECK(c["self_minus_supervisor"]["resilience"] ==
        3);  // 6 - 3: shown as a difference of 2 or more
  CHECK(c["self_minus_supervisor"]["execution"] == -2);
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hrbp:B1"}});
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  CHECK(f.state(e1) == "final");
  // No tier, so no chairman's calibration either.
  CHECK(
      f.refused(
          {{"cmd", "adjust"}, {"case", e1}, {"as", "chairman:C1"}, {"tier", 1}, {"reason", "x"}}) ==
      "adjust is not possible in state final");
}

TEST_CASE("the standard table: 12 months apart, mean rounded half up, every change kept",
          "[engine][programs]") {
  programs_fixture f;
  f.import_org();
  f.now = at("2026-11-23T10:00:00+08:00");
  auto table = f.ok({{"cmd", "standards"}});
  REQUIRE(table["table"].size() == 18);
  CHECK(table["table"][0]["levels"] == njson{{"4", 1}, {"3", 2}, {"2", 3}, {"1", 4}});
  const njson changes = {
      {{"item", "execution"},
       {"grade", 3},
       {"proposals",
        {{{"by", "S1"}, {"level", 2}},
         {{"by", "B1"}, {"level", 3}},
         {{"expert", "Prof. Li, Nanjing University"}, {"level", 3}}}}},
      {{"item", "communication"},
       {"grade", 4},
       {"proposals", {{{"by", "S1"}, {"level", 1}}, {{"by", "B1"}, {"level", 2}}}}}};
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "supervisor:S1"}, {"changes", changes}}) ==
        "only hr or admin may adjust the standard table");
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:S1"}, {"changes", changes}}) ==
        "S1 does not hold the hr role");
  njson bad = changes;
  bad[0]["proposals"][1]["level"] = 5;
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[0].proposals[1].level: must be a level 1..4");
  bad = changes;
  bad[1]["item"] = "charm";
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[1].item: unknown item \"charm\"");
  bad = changes;
  bad[0]["proposals"][2] = {{"by", "S1"}, {"level", 3}};
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[0].proposals[2].by: S1 proposes twice");
  bad = changes;
  bad[1]["proposals"][1] = {{"expert", "Prof. Li, Nanjing University"}, {"level", 2}};
  bad[1]["proposals"].push_back({{"expert", "Prof. Li, Nanjing University"}, {"level", 1}});
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[1].proposals[2].expert: Prof. Li, Nanjing University proposes twice");
  bad = changes;
  bad[0]["proposals"][2]["by"] = "S2";
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[0].proposals[2]: give by (an employee) or expert, not both");
  bad = changes;
  bad[0]["proposals"][2] = {{"expert", ""}, {"level", 3}};
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[0].proposals[2].expert: must be the expert's name");
  bad[0]["proposals"][2] = {{"expert", "Dr. X\nsecond line"}, {"level", 3}};
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", bad}}) ==
        "changes[0].proposals[2].expert: a name of at most 200 bytes, one line");
  CHECK(f.ok({{"cmd", "standards"}})["history"].empty());  // refusals changed nothing

  auto applied = f.ok({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", changes}});
  CHECK(applied["business_year"] == 2026);
  CHECK(applied["changes"][0] ==
        njson{{"item", "execution"}, {"grade", 3}, {"mean", 2.67}, {"before", 2}, {"after", 3}});
  // (1 + 2) / 2 = 1.5 rounds half up to 2.
  CHECK(applied["changes"][1] ==
        njson{{"item", "communication"}, {"grade", 4}, {"mean", 1.5}, {"before", 1}, {"after", 2}});
  const std::string too_soon =
      "the standard table of competency_model was last adjusted at 2026-11-23T10:00:00+08:00; "
      "adjustments are at least 12 months apart, the next is possible from 2027-11-23";
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "hr:H1"}, {"changes", changes}}) ==
        too_soon);
  table = f.ok({{"cmd", "standards"}});
  CHECK(table["table"][5]["item"] == "execution");
  CHECK(table["table"][5]["levels"]["3"] == 3);
  REQUIRE(table["history"].size() == 2);
  CHECK(table["history"][0]["by"] == "hr:H1");
  CHECK(table["history"][0]["proposals"].size() == 3);
  CHECK(table["history"][0]["proposals"][2] ==
        njson{{"expert", "Prof. Li, Nanjing University"}, {"level", 3}});

  // A case scored now requires the adjusted level of its employee's grade.
  f.now = at("2027-01-02T09:00:00+08:00");
  f.open("competency_model", "2026");
  auto e1 = f.case_of("E1");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", model_ratings(4)}});
  f.ok({{"cmd", "submit"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"ratings", model_ratings(4)},
        {"exams", model_exams}});
  auto task = f.score_last();
  CHECK(task.required_levels.at("execution") == 3);
  CHECK(task.required_levels.at("communication") == 2);  // grade 3 keeps the rubric's level
  CHECK(f.show(e1)["required_level"]["execution"] == 3);
  // A new calendar year is not a business year: 12 months must pass. The
  // day before is refused (late in the evening, company zone), the day
  // itself allowed from midnight.
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "admin:A1"}, {"changes", changes}}) ==
        too_soon);
  f.now = at("2027-11-22T23:59:59+08:00");
  CHECK(f.refused({{"cmd", "standards.adjust"}, {"as", "admin:A1"}, {"changes", changes}}) ==
        too_soon);
  f.now = at("2027-11-23T00:00:00+08:00");
  CHECK(f.ok({{"cmd", "standards.adjust"},
              {"as", "admin:A1"},
              {"changes", changes}})["business_year"] == 2027);
  CHECK(f.ok({{"cmd", "standards"}})["history"].size() == 4);
}

TEST_CASE("a kam_review case: several raters, averaged per criterion with the spread",
          "[engine][programs]") {
  programs_fixture f;
  f.import_org();
  f.now = at("2027-01-02T09:00:00+08:00");
  f.open("kam_review", "2026");
  auto e1 = f.case_of("E1");
  CHECK(f.state(e1) == "rating");
  const njson raters = {{{"id", "E2"}, {"kind", "peer"}},
                        {{"id", "K-17"}, {"kind", "customer"}, {"name", "Zhang Wei, Acme"}}};
  CHECK(
      f.refused({{"cmd", "raters.add"}, {"case", e1}, {"as", "employee:E1"}, {"raters", raters}}) ==
      "raters are named by the case's supervisor or HRBP, hr or admin");
  CHECK(f.refused({{"cmd", "raters.add"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"raters", {{{"id", "E1"}, {"kind", "peer"}}}}}) ==
        "raters[0].id: E1 is the employee under review");
  CHECK(f.refused({{"cmd", "raters.add"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"raters", {{{"id", "K-1"}, {"kind", "customer"}}}}}) ==
        "raters[0].name: a customer's representative needs a name");
  CHECK(f.refused({{"cmd", "raters.add"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"raters", {{{"id", "X"}, {"kind", "friend"}}}}}) ==
        "raters[0].kind: must be peer or customer");
  auto named =
      f.ok({{"cmd", "raters.add"}, {"case", e1}, {"as", "supervisor:S1"}, {"raters", raters}});
  CHECK(named["raters"].size() == 2);
  CHECK(f.refused({{"cmd", "raters.add"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"raters", {{{"id", "E2"}, {"kind", "peer"}}}}}) ==
        "raters: peer:E2 is already a rater of case " + std::to_string(e1));

  njson peer = kam_ratings(4), customer = kam_ratings(3), supervisor = kam_ratings(3);
  peer["relationship_quality"] = 4;
  customer["relationship_quality"] = 4;
  supervisor["relationship_quality"] = 1;
  CHECK(f.refused({{"cmd", "rate"}, {"case", e1}, {"as", "rater:E9"}, {"ratings", peer}}) ==
        "E9 is not a rater of this case");
  njson out_of_range = peer;
  out_of_range["influence"] = 5;
  CHECK(f.refused({{"cmd", "rate"}, {"case", e1}, {"as", "rater:E2"}, {"ratings", out_of_range}}) ==
        "ratings.influence: 5 is out of range 1..4");
  f.ok({{"cmd", "rate"}, {"case", e1}, {"as", "rater:E2"}, {"ratings", kam_ratings(2)}});
  f.ok({{"cmd", "rate"},
        {"case", e1},
        {"as", "rater:E2"},
        {"ratings", peer}});  // a second rating replaces the first
  f.ok({{"cmd", "rate"}, {"case", e1}, {"as", "rater:K-17"}, {"ratings", customer}});
  CHECK(f.refused(
            {{"cmd", "rate"}, {"case", e1}, {"as", "supervisor:S1"}, {"ratings", supervisor}}) ==
        "supervisor may not rate a case in rating (only rater)");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "supervisor:S1"}, {"ratings", supervisor}});
  auto task = f.score_last();
  CHECK(task.rater_ratings.size() == 3);
  CHECK(task.rater_ratings.at("customer:K-17").at("influence") == 3);
  auto c = f.show(e1);
  CHECK(c["state"] == "hrbp_review");
  CHECK(c["raters"] == 3);
  CHECK(c["items"]["relationship_quality"] == 3.0);  // (1 + 4 + 4) / 3
  CHECK(c["spread"]["relationship_quality"] == 3.0);
  CHECK(c["items"]["influence"] == 3.33);  // (3 + 4 + 3) / 3
  CHECK(c["spread"]["influence"] == 1.0);
  // Other areas: peer 4, customer 3, supervisor 3 -> 10/3. Customer
  // relationships: (3 + 10/3 + 10/3) / 3 = 29/9; overall (29/9 + 4 x 10/3) / 5 = 149/45 = 3.31.
  CHECK(c["areas"]["communication"] == 3.33);
  CHECK(c["areas"]["customer_relationships"] == 3.22);
  CHECK(c["total"] == 3.31);
  REQUIRE(c["rater_list"].size() == 3);
  CHECK(c["rater_list"][0]["rater"] == "supervisor:S1");
  CHECK(c["rater_list"][1] == njson{{"rater", "customer:K-17"},
                                    {"name", "Zhang Wei, Acme"},
                                    {"rated_at", "2027-01-02T09:00:00+08:00"}});
  CHECK(c["rater_list"][2]["rater"] == "peer:E2");
  // The rating is closed.
  CHECK(f.refused({{"cmd", "rate"}, {"case", e1}, {"as", "rater:E2"}, {"ratings", peer}}) ==
        "rate is not possible in state hrbp_review");
  CHECK(f.refused({{"cmd", "raters.add"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"raters", {{{"id", "B1"}, {"kind", "peer"}}}}}) ==
        "raters can be named while the case is in rating, not hrbp_review");
}

TEST_CASE("the cycle report: tiers per unit and supervisor, leniency, open cases, items",
          "[engine][programs][report]") {
  programs_fixture f;
  njson org = small_org();
  org.push_back(row("S2", "", "", "", 1, "2010-01-01"));
  org.push_back(row("E3", "S2", "B1", "", 3, "2020-01-01"));
  f.ok({{"cmd", "org.import"}, {"rows", org}});
  auto cycle = f.open("competency50", "2026-Q3");
  std::map<std::string, std::pair<int, int>> scores = {
      {"E1", {3935, 2}}, {"E2", {4600, 1}}, {"E3", {2000, 4}}};
  for (const auto& [e, score] : scores) {
    auto id = f.case_of(e);
    std::string sup = e == "E3" ? "S2" : "S1";
    f.ok({{"cmd", "submit"}, {"case", id}, {"as", "employee:" + e}, {"ratings", ratings}});
    f.ok({{"cmd", "submit"},
          {"case", id},
          {"as", "supervisor:" + sup},
          {"ratings", ratings},
          {"exams", exams}});
    auto result = design_result(id);
    result.total = score.first;
    result.tier = score.second;
    REQUIRE(f.apply_scoring(result).is_ok());
  }
  auto e1 = f.case_of("E1");
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hrbp:B1"}});
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  f.ok({{"cmd", "adjust"},
        {"case", e1},
        {"as", "chairman:C1"},
        {"tier", 1},
        {"reason", "key account win"}});
  auto r = f.ok({{"cmd", "report"}, {"cycle", cycle}});
  CHECK(r["cases"] == 3);
  CHECK(r["final"] == 1);
  CHECK(r["open_by_state"] == njson{{"hrbp_review", 2}});
  REQUIRE(r["units"].size() == 1);
  CHECK(r["units"][0]["mean_total"] == 35.12);  // 105.35 / 3
  CHECK(r["units"][0]["tiers"] ==
        njson{{"tier 1", 2}, {"tier 4", 1}});  // E1's adjusted tier counts
  REQUIRE(r["supervisors"].size() == 2);
  CHECK(r["supervisors"][0]["supervisor_id"] == "S1");
  CHECK(r["supervisors"][0]["mean_total"] == 42.68);  // (39.35 + 46.00) / 2 = 42.675
  CHECK(r["supervisors"][0]["difference"] == 7.56);   // 42.675 - 35.1167 = 7.558...
  CHECK(r["supervisors"][1]["difference"] == -15.12);
  CHECK(r["items"][0] == njson{{"item", "product_knowledge"}, {"mean_points", 4.35}});
  CHECK(f.refused({{"cmd", "report"}, {"cycle", 99}}) == "cycle 99 does not exist");
  CHECK(f.refused({{"cmd", "report"}}) == "cycle: must be a cycle id number");
}

TEST_CASE("a further rater sees the case only while rating, and none of its ratings or results",
          "[engine][programs][access]") {
  programs_fixture f;
  f.import_org();
  f.now = at("2027-01-02T09:00:00+08:00");
  f.open("kam_review", "2026");
  auto e1 = f.case_of("E1");
  f.ok({{"cmd", "raters.add"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"raters",
         {{{"id", "E2"}, {"kind", "peer"}},
          {{"id", "K-17"}, {"kind", "customer"}, {"name", "Zhang Wei"}}}}});
  f.ok({{"cmd", "rate"},
        {"case", e1},
        {"as", "rater:K-17"},
        {"ratings", kam_ratings(3)}});  // through the admin key

  f.as_person("E2");  // a peer of E1 and an employee with a case of their own
  auto listed = f.ok({{"cmd", "cases"}})["cases"];
  REQUIRE(listed.size() == 2);
  for (const auto& c : listed) CHECK(c["tier"].is_null());
  auto seen = f.ok({{"cmd", "case.show"}, {"case", e1}});
  CHECK(seen["view"] == "rater");
  CHECK(seen["state"] == "rating");
  for (const char* hidden :
       {"items", "total", "history", "supervisor_review", "self_review", "rater_list", "spread"})
    CHECK_FALSE(seen.contains(hidden));
  // The peer rates as itself ("rater" alone is rater:E2), not as the customer.
  CHECK(f.refused_with(
            "forbidden",
            {{"cmd", "rate"}, {"case", e1}, {"as", "rater:K-17"}, {"ratings", kam_ratings(4)}}) ==
        "principal p-E2 may not act as K-17");
  f.ok({{"cmd", "rate"}, {"case", e1}, {"as", "rater"}, {"ratings", kam_ratings(4)}});

  // A portal acts for a customer's representative, who has no key of their own.
  f.as_service("kam-portal", {af::engine::capability::portal});
  f.ok({{"cmd", "rate"}, {"case", e1}, {"as", "rater:K-17"}, {"ratings", kam_ratings(2)}});
  CHECK(f.refused_with(
            "invalid",
            {{"cmd", "rate"}, {"case", e1}, {"as", "rater"}, {"ratings", kam_ratings(2)}}) ==
        "as: \"rater\" must name whom principal kam-portal acts for (ROLE:EMPLOYEE_ID)");

  f.caller = {"admin", false, "", {af::engine::capability::admin}, "", false};
  f.ok({{"cmd", "submit"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"ratings", kam_ratings(3)}});  // closes the rating
  f.as_person("E2");
  CHECK(f.refused_with("not_found", {{"cmd", "case.show"}, {"case", e1}}) ==
        "case " + std::to_string(e1) + " does not exist");
  CHECK(f.ok({{"cmd", "cases"}})["cases"].size() == 1);  // their own
}

TEST_CASE("a standard table may be adjusted again 12 months after its last adjustment",
          "[engine][standards]") {
  using af::civil_date;
  using af::engine::next_adjustment_from;
  auto next = [](civil_date d) { return af::format_date(next_adjustment_from(d)); };
  CHECK(next({2026, 11, 23}) == "2027-11-23");
  CHECK(next({2026, 1, 1}) == "2027-01-01");
  CHECK(next({2026, 12, 31}) == "2027-12-31");
  CHECK(next({2028, 2, 29}) == "2029-02-28");  // no 29 February in 2029
  CHECK(next({2027, 2, 28}) == "2028-02-28");
}

TEST_CASE("grades over time: each import's grade change is kept, a case keeps its opening grade",
          "[engine][programs][grades]") {
  programs_fixture f;
  f.now = at("2026-12-01T09:00:00+08:00");
  f.import_org();
  auto first = f.db.grade_changes("E1");
  REQUIRE(first.size() == 1);
  CHECK_FALSE(first[0].from.has_value());
  CHECK(first[0].to == 3);
  CHECK(first[0].at == "2026-12-01T09:00:00+08:00");
  CHECK(first[0].by == "admin");
  CHECK(f.db.grade_changes(std::nullopt).size() == 7);

  f.now = at("2027-01-02T09:00:00+08:00");
  f.open("competency_model", "2026");
  auto e1 = f.case_of("E1");
  CHECK(f.show(e1)["grade"] == 3);

  // HR promotes E1 to grade 2 while the case is open: the case keeps grade
  // 3 (intermediate, 2, required) and the change is on record.
  f.now = at("2027-01-05T15:30:00+08:00");
  njson rows = small_org();
  rows[5]["grade"] = 2;
  CHECK(f.ok({{"cmd", "org.import"}, {"rows", rows}, {"as", "hr:H1"}})["updated"] == 7);
  auto changes = f.db.grade_changes("E1");
  REQUIRE(changes.size() == 2);
  CHECK(changes[1].from == 3);
  CHECK(changes[1].to == 2);
  CHECK(changes[1].at == "2027-01-05T15:30:00+08:00");
  CHECK(changes[1].by == "hr:H1");
  CHECK(f.db.grade_changes(std::nullopt).size() == 8);  // nobody else changed
  CHECK(f.show(e1)["grade"] == 3);
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", model_ratings(4)}});
  f.ok({{"cmd", "submit"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"ratings", model_ratings(4)},
        {"exams", model_exams}});
  CHECK(f.score_last().required_levels.at("execution") == 2);

  // The movement of 2027: E1's promotion; the first grades were in 2026.
  auto moves = f.ok({{"cmd", "grades"}, {"period", "2027"}});
  CHECK(moves["known_from"] == "2026-12-01");
  REQUIRE(moves["changes"].size() == 1);
  CHECK(moves["changes"][0] == njson{{"employee_id", "E1"},
                                     {"name", "Name E1"},
                                     {"unit", "U1"},
                                     {"from", 3},
                                     {"to", 2},
                                     {"movement", "promoted"},
                                     {"at", "2027-01-05T15:30:00+08:00"},
                                     {"by", "hr:H1"}});
  CHECK(moves["promoted"] == 1);
  CHECK(moves["demoted"] == 0);
  auto year_before = f.ok({{"cmd", "grades"}, {"period", "2026-12"}});
  CHECK(year_before["first"] == 7);
  CHECK(year_before["promoted"] == 0);
  CHECK(f.ok({{"cmd", "grades"}, {"period", "2027-Q1"}, {"unit", "elsewhere"}})["changes"].empty());
  CHECK(f.refused({{"cmd", "grades"}}) == "period: missing (2026, 2026-Q3 or 2026-07)");
  CHECK(f.refused({{"cmd", "grades"}, {"period", "next year"}}) ==
        "period: \"next year\" is not 2026-07, 2026-Q3 or 2026");
  // Who may see it: HR and the HRBP of the people (B1 looks after H1, E1
  // and E2), not an employee.
  f.as_person("B1");
  CHECK(f.ok({{"cmd", "grades"}, {"period", "2027"}})["changes"].size() == 1);
  CHECK(f.ok({{"cmd", "grades"}, {"period", "2026"}})["first"] == 3);
  f.as_person("E2");
  CHECK_THAT(f.refused({{"cmd", "grades"}, {"period", "2027"}}), Catch::StartsWith("principal "));
}
