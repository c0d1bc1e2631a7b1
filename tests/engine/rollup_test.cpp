// Quarterly and annual roll-ups of monthly appraisals: sums, growth against
// the same period a year earlier, and the grade rule's proposal from the
// year's annual appraisal and competency result.
#include <catch2/catch.hpp>

#include "engine/case_service.h"
#include "tests/engine/test_support.h"

using namespace af::engine;
using af::engine::testing::temp_dir;

namespace {

struct fixture {
  temp_dir dir;
  store db =
      std::move(store::open(dir.file("assessflow.db"), ASSESSFLOW_SCHEMAS_DIR "/migrations", false))
          .value();
  // The roll-up sums the cases of the workflow with sales_check.rolled_up_from.
  program_registry programs{
      {"performance",
       std::move(load_workflow_file(ASSESSFLOW_SCHEMAS_DIR "/workflows/performance.json"))
           .value()}};
  case_service cases{db, programs, 480};

  explicit fixture(int grade) {
    employee_row e{"E1", "Mgr", "U", grade, "S1", "B1", "2020-01-01", {}, true};
    db.upsert_employee(employee_row{"S1", "Sup", "U", 1, "", "", "2010-01-01", {}, true});
    db.upsert_employee(e);
    af::commission::plan plan;  // the grade rule of schemas/commission/grade_rule.json
    cases.set_plan(plan);
  }
  // A case of `program` for E1 in `period`, in `state`, with a total and tier.
  std::int64_t scored_case(const std::string& program, const std::string& period,
                           const std::string& state, std::int64_t total,
                           std::optional<std::int64_t> tier) {
    auto cy = db.insert_cycle(program, period, std::nullopt, "t", "admin", 0);
    case_row c;
    c.cycle_id = cy;
    c.program = program;
    c.period = period;
    c.employee_id = "E1";
    c.unit = "U";
    c.supervisor_id = "S1";
    c.as_of = af::format_date(af::period::parse(period)->last_day());
    c.state = state;
    c.updated_at = "t";
    auto id = db.insert_case(c);
    db.set_result(*id, "{}", total, tier);
    return *id;
  }
  // A final monthly appraisal whose month was met or not, worth `total` fen.
  void final_month(const std::string& month, bool met, std::int64_t total) {
    auto cy = db.insert_cycle("performance", month, std::nullopt, "t", "admin", 0);
    case_row c;
    c.cycle_id = cy;
    c.program = "performance";
    c.period = month;
    c.employee_id = "E1";
    c.unit = "U";
    c.supervisor_id = "S1";
    c.as_of = af::format_date(af::period::parse(month)->last_day());
    c.state = "final";
    c.updated_at = "t";
    auto id = db.insert_case(c);
    nlohmann::ordered_json month_json{{"met", met},
                                      {"commission_fen", total},
                                      {"penalty_fen", 0},
                                      {"rewards_fen", 0},
                                      {"total_fen", total}};
    db.set_result_json(*id, nlohmann::ordered_json{{"figures", nlohmann::ordered_json::object()},
                                                   {"month", month_json}}
                                .dump());
  }
  void net_sales(const std::string& month, std::int64_t fen) {
    db.add_monthly("E1", month, {fen, 0, 0, 0});
    db.add_brand_monthly("E1", month, "yanghe", fen, 0);
  }
};

}  // namespace

TEST_CASE("a year with 10 months met and growth is proposed for promotion", "[engine][rollup]") {
  fixture f(3);
  for (int m = 1; m <= 12; ++m) {
    char month[8];
    std::snprintf(month, sizeof month, "2025-%02d", m);
    f.final_month(month, m <= 10, 1000);
    f.net_sales(month, 110'000);  // 1,320,000 fen in 2025
    std::snprintf(month, sizeof month, "2024-%02d", m);
    f.net_sales(month, 100'000);  // 1,200,000 fen in 2024
  }
  auto r = f.cases.views().rollup("E1", "2025");
  REQUIRE(r.is_ok());
  CHECK((*r)["months_appraised"] == 12);
  CHECK((*r)["months_met"] == 10);
  CHECK((*r)["total_fen"] == 12'000);
  CHECK((*r)["net_sales_fen"] == 1'320'000);
  CHECK((*r)["net_sales_year_before_fen"] == 1'200'000);
  CHECK((*r)["growth"].get<double>() == Approx(10.00));
  // Months met no longer decide the grade: without an annual appraisal nothing is proposed.
  CHECK((*r)["proposed_grade"] == 3);
  CHECK((*r)["proposal"] == "keep grade 3");
  CHECK((*r)["proposal_why"] == "no final performance_year appraisal");
  CHECK((*r)["appraisal_total"].is_null());
  f.scored_case("performance_year", "2025", "final", 8800, 2);
  f.scored_case("competency50", "2025-Q3", "final", 4000, 3);
  f.scored_case("competency50", "2025-Q4", "final", 4700, 1);
  r = f.cases.views().rollup("E1", "2025");
  CHECK((*r)["appraisal_total"] == 88.0);
  CHECK((*r)["competency_tier"] == 1);  // the year's last: Q4
  CHECK((*r)["proposed_grade"] == 2);
  CHECK((*r)["proposal"] == "promote to grade 2");

  auto q = f.cases.views().rollup("E1", "2025-Q4");
  REQUIRE(q.is_ok());
  CHECK((*q)["months_appraised"] == 3);
  CHECK((*q)["months_met"] == 1);  // October met, November and December not
  CHECK_FALSE(q->contains("proposal"));
}

TEST_CASE("the annual proposal: the final appraisal's total and the year's last competency tier",
          "[engine][rollup]") {
  auto proposal = [](int grade, std::int64_t total, const char* state, int q4_tier,
                     std::optional<int> adjusted) {
    fixture f(grade);
    f.scored_case("performance_year", "2025", state, total, 1);
    f.scored_case("competency50", "2025-Q2", "final", 4900, 1);
    auto q4 = f.scored_case("competency50", "2025-Q4", "final", 3000, q4_tier);
    if (adjusted) f.db.set_adjustment(q4, *adjusted, "calibrated");
    f.scored_case("competency50", "2026-Q1", "final", 4900, 1);  // another year
    return (*f.cases.views().rollup("E1", "2025"))["proposal"].get<std::string>();
  };
  CHECK(proposal(3, 8500, "final", 2, std::nullopt) == "promote to grade 2");
  CHECK(proposal(3, 8499, "final", 2, std::nullopt) == "keep grade 3");
  CHECK(proposal(3, 9500, "final", 3, std::nullopt) == "keep grade 3");
  CHECK(proposal(3, 9500, "final", 3, 2) == "promote to grade 2");  // the chairman's tier counts
  CHECK(proposal(3, 9500, "interview", 2, std::nullopt) == "keep grade 3");  // not final yet
  CHECK(proposal(3, 5999, "final", 2, std::nullopt) == "demote to grade 4");
  CHECK(proposal(3, 9500, "final", 4, std::nullopt) == "demote to grade 4");
  CHECK(proposal(1, 9900, "final", 1, std::nullopt) == "keep grade 1");
  CHECK(proposal(4, 1000, "final", 4, std::nullopt) == "keep grade 4");
}

TEST_CASE("without a rolled-up workflow a roll-up says which attribute is missing",
          "[engine][rollup]") {
  af::engine::testing::temp_dir dir;
  auto db = store::open(dir.file("assessflow.db"), ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  REQUIRE(db.is_ok());
  db->upsert_employee(employee_row{"E1", "Mgr", "U", 3, "", "", "2020-01-01", {}, true});
  program_registry none;
  case_service cases{*db, none, 480};
  auto r = cases.views().rollup("E1", "2025");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().code() == af::status_code::not_found);
  CHECK(r.error().message() == "rollup: no program's workflow has sales_check.rolled_up_from");
}

TEST_CASE("standards without a program name the one program whose rubric has a standard table",
          "[engine][standards]") {
  af::engine::testing::temp_dir dir;
  auto db = store::open(dir.file("assessflow.db"), ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  REQUIRE(db.is_ok());
  program_registry none;
  case_service cases{*db, none, 480};
  auto rubrics = af::rubric::load_dir(ASSESSFLOW_SCHEMAS_DIR "/rubrics");
  REQUIRE(rubrics.is_ok());
  auto shipped = *rubrics;
  cases.set_rubrics(shipped);
  CHECK(cases.standards_program(std::nullopt).value() == "competency_model");
  CHECK(cases.standards_program("kam_review").value() == "kam_review");  // named: as given
  auto twice = shipped;
  twice["competency_model_b"] = twice.at("competency_model");
  cases.set_rubrics(twice);
  CHECK(cases.standards_program(std::nullopt).error().message() ==
        "program: give one of competency_model, competency_model_b");
  shipped.erase("competency_model");
  cases.set_rubrics(shipped);
  CHECK(cases.standards_program(std::nullopt).error().message() ==
        "program: no program has a standard table");
}
