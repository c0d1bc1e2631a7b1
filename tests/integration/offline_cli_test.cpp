// The offline commands, run as a person would: assessctl score and
// assessctl commission on the DESIGN.md example inputs, and their errors.
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <sstream>

#include "tests/integration/harness.h"

using namespace af::test;

namespace {

std::string write(const temp_dir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.path() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("assessctl score and commission work offline on the DESIGN.md examples",
          "[integration][offline]") {
  temp_dir dir;
  std::string out;
  auto score = write(dir, "case.json", R"({"program": "competency50",
    "employee": {"id": "E1001", "grade": 3, "joined_on": "2021-03-01"}, "as_of": "2026-09-30",
    "ratings": {"language": 4, "market_development": 3, "negotiation": 5, "achievement_motivation": 4,
                "service_orientation": 4, "initiative": 3},
    "exams": {"product_knowledge": 87},
    "sales": {"last_year_fen": 150000000, "quarter_inquiries": 20000, "quarter_converted": 15}})");
  REQUIRE(run(ASSESSCTL_BIN, {"score", "--input", score, "--json"}, &out) == 0);
  CHECK(out.find("\"total\": 39.35") != std::string::npos);
  CHECK(out.find("\"conversion_rate\": 3.00") != std::string::npos);
  json s = json::parse(out);
  CHECK(s["tier"] == 2);

  auto month = write(dir, "month.json", R"({"period": "2026-07",
    "brands": [{"brand": "yanghe", "target_fen": 30000000, "sales_fen": 16000000, "rate_bp": 300}],
    "previous_months_met": [true, false], "display_stores": 47, "outlets_new": 12, "outlets_target": 10})");
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN, {"commission", "--input", month, "--json"}, &out) == 0);
  json c = json::parse(out);
  CHECK(c["brands"][0]["completion"].get<double>() == Approx(53.33));
  CHECK(c["brands"][0]["rate_factor"].get<double>() == Approx(0.7));
  CHECK(c["brands"][0]["commission_fen"] == 336000);
  CHECK(c["penalty_fen"] == 6000);
  CHECK(c["rewards_fen"] == 46000);
  CHECK(c["fines_fen"] == 0);
  CHECK(c["total_fen"] == 376000);

  // The process indicators in full: key townships, outlets by area, the
  // banquets array of DESIGN.md with the month's target, inspection fines.
  auto full = write(dir, "full.json", R"({"period": "2026-07",
    "brands": [{"brand": "yanghe", "target_fen": 30000000, "sales_fen": 30000000, "rate_bp": 300}],
    "display_stores": 50, "key_townships": {"位伯": 10, "旧城": 8},
    "outlets": {"county": {"opened": 6, "target": 5}, "township": {"opened": 6, "target": 5}},
    "banquets": [{"origin": "personal", "product": "haizhilan", "cases": 3},
                 {"origin": "personal", "product": "tianzhilan", "bottles": 4},
                 {"origin": "shop", "product": "junfang"},
                 {"origin": "shop", "product": "mengzhilan"}],
    "banquet_target": 3,
    "inspections": {"display_count": 1, "labels_missing": 2}})");
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN, {"commission", "--input", full, "--json"}, &out) == 0);
  c = json::parse(out);
  CHECK(c["commission_fen"] == 900000);
  CHECK(c["penalty_fen"] == 2 * 2000);  // 旧城 2 short of 10
  // 12 outlets x 30, both areas above their targets 100; 3 cases and 4
  // bottles x 50, shop junfang 100 and mengzhilan 300, 1 banquet above 300.
  CHECK(c["rewards_fen"] == 12 * 3000 + 10000 + 7 * 5000 + 10000 + 30000 + 30000);
  CHECK(c["fines_fen"] == 10000 + 2 * 2000);
  CHECK(c["total_fen"] == 900000 + 151000 - 4000 - 14000);
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN, {"commission", "--input", full}, &out) == 0);
  CHECK_THAT(out, Catch::Contains("fines"));

  auto refused = [&](const std::string& name, const std::string& text) {
    std::string why;
    CHECK(run(ASSESSCTL_BIN, {"commission", "--input", write(dir, name, text)}, &why, true) == 1);
    return why;
  };
  const std::string head =
      R"({"period": "2026-07", "brands": [{"brand": "yanghe", "target_fen": 1, "sales_fen": 1, "rate_bp": 300}], )";
  CHECK_THAT(refused("old.json", head + R"("banquets": {"yanghe": 2}})"),
             Catch::Contains("banquets: must be an array of {origin, product, cases | bottles} "
                             "(the old {product line: events} object is no longer read)"));
  CHECK_THAT(
      refused("origin.json", head + R"("banquets": [{"origin": "friend", "product": "rouhe"}]})"),
      Catch::Contains("banquets[0].origin: must be personal or shop"));
  CHECK_THAT(
      refused("product.json", head + R"("banquets": [{"origin": "shop", "product": "moutai"}]})"),
      Catch::Contains("banquets[0].product: unknown product \"moutai\""));
  CHECK_THAT(refused("units.json",
                     head + R"("banquets": [{"origin": "personal", "product": "haizhilan"}]})"),
             Catch::Contains("banquets[0]: a personal banquet needs cases or bottles"));
  CHECK_THAT(refused("both.json", head + R"("outlets_new": 1, "outlets": {}})"),
             Catch::Contains("outlets: give outlets_new/outlets_target or outlets, not both"));
  CHECK_THAT(refused("area.json", head + R"("outlets": {"city": {"opened": 1}}})"),
             Catch::Contains("outlets.city: the areas are county and township"));
  CHECK_THAT(refused("finding.json", head + R"("inspections": {"dust": 1}})"),
             Catch::Contains("inspections.dust: unknown finding"));

  auto bad = write(
      dir, "bad.json",
      R"({"period": "2026-07", "brands": [{"brand": "yanghe", "target_fen": -1, "sales_fen": 1, "rate_bp": 300}]})");
  CHECK(run(ASSESSCTL_BIN, {"commission", "--input", bad}) == 1);
  auto bad_rating = write(dir, "bad_case.json", std::string(R"({"program": "competency50",
    "employee": {"joined_on": "2021-03-01"}, "as_of": "2026-09-30",
    "ratings": {"language": 9}, "exams": {"product_knowledge": 87},
    "sales": {"last_year_fen": 1, "quarter_inquiries": 1, "quarter_converted": 0}})"));
  CHECK(run(ASSESSCTL_BIN, {"score", "--input", bad_rating}) == 1);
}

namespace {

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// assessctl's one-line error for a case file built from the golden input with `change` applied.
std::string refusal(const temp_dir& dir, const std::string& program,
                    const std::function<void(json&)>& change) {
  json in = json::parse(read(ASSESSFLOW_GOLDEN_DIR "/score/" + program + ".input.json"));
  change(in);
  auto path = write(dir, program + "-bad.json", in.dump());
  std::string out;
  CHECK(run(ASSESSCTL_BIN, {"score", "--input", path}, &out, true) == 1);
  return out;
}

}  // namespace

TEST_CASE("assessctl score: a golden case file per program", "[integration][offline][golden]") {
  for (const std::string program : {"competency50", "competency_model", "kam_review", "performance",
                                    "performance_quarter", "performance_year"}) {
    INFO(program);
    std::string out;
    REQUIRE(run(ASSESSCTL_BIN,
                {"score", "--input", ASSESSFLOW_GOLDEN_DIR "/score/" + program + ".input.json",
                 "--json"},
                &out) == 0);
    CHECK(out == read(ASSESSFLOW_GOLDEN_DIR "/score/" + program + ".expected.json"));
    std::string text;
    REQUIRE(run(ASSESSCTL_BIN,
                {"score", "--input", ASSESSFLOW_GOLDEN_DIR "/score/" + program + ".input.json"},
                &text) == 0);
    CHECK_THAT(text, Catch::Contains("total "));
  }
}

TEST_CASE("assessctl score refuses bad case files with one line naming the item",
          "[integration][offline]") {
  temp_dir dir;
  CHECK(refusal(dir, "competency50", [](json& j) { j["ratings"]["language"] = 6; }) ==
        "assessctl: ratings.language: 6 is out of range 1..5\n");
  CHECK(refusal(dir, "competency50", [](json& j) { j["ratings"]["charm"] = 3; }) ==
        "assessctl: ratings.charm: unknown item\n");
  CHECK(refusal(dir, "competency50", [](json& j) { j["ratings"].erase("initiative"); }) ==
        "assessctl: ratings.initiative: missing\n");
  CHECK(refusal(dir, "competency50", [](json& j) { j["exams"]["product_knowledge"] = 100.5; }) ==
        "assessctl: exams.product_knowledge: score is out of range 0..100\n");
  CHECK(refusal(dir, "competency_model", [](json& j) { j["ratings"]["execution"] = 7; }) ==
        "assessctl: ratings.execution: 7 is out of range 0..6\n");
  CHECK(refusal(dir, "competency_model", [](json& j) {
          j["exams"]["general_knowledge"]["parts"][1][0] = -1;
        }) == "assessctl: exams.general_knowledge.parts[1]: score is out of range 0..100\n");
  CHECK(refusal(dir, "competency_model", [](json& j) { j["exams"].erase("position_skills"); }) ==
        "assessctl: exams.position_skills: missing\n");
  CHECK(refusal(dir, "competency_model", [](json& j) { j["employee"].erase("grade"); }) ==
        "assessctl: employee.grade: must be 1..4 (it selects the required levels)\n");
  CHECK(refusal(dir, "kam_review", [](json& j) { j["raters"]["peer:E1007"]["influence"] = 0; }) ==
        "assessctl: raters.peer:E1007: ratings.influence: 0 is out of range 1..4\n");
  CHECK(refusal(dir, "kam_review", [](json& j) {
          j["raters"]["peer:E1007"].erase("team_leadership");
        }) == "assessctl: raters.peer:E1007: ratings.team_leadership: missing\n");
  CHECK(refusal(dir, "performance", [](json& j) {
          j["exams"] = {{"x", 1}};
        }) == "assessctl: exams: performance has no exams\n");
  CHECK(refusal(dir, "performance", [](json& j) { j["program"] = "astrology"; }) ==
        "assessctl: program: unknown program \"astrology\" (certification, competency50, "
        "competency_model, kam_review, performance, performance_quarter, performance_year)\n");
  // The appraisals: their period's figures and the kinds of rater.
  CHECK(refusal(dir, "performance_quarter", [](json& j) { j.erase("appraisal"); }) ==
        "assessctl: appraisal: missing (the period's figures)\n");
  CHECK(refusal(dir, "performance_quarter", [](json& j) { j["appraisal"]["customers"] = 7; }) ==
        "assessctl: appraisal: new and repeat customers are more than the period's customers\n");
  CHECK(refusal(dir, "performance_quarter", [](json& j) { j["appraisal"]["complaints"] = -1; }) ==
        "assessctl: appraisal.complaints: must be a whole number >= 0\n");
  CHECK(refusal(dir, "performance_quarter", [](json& j) {
          j["appraisal"]["target_fen"] = "lots";
        }) == "assessctl: appraisal.target_fen: must be a whole number of fen\n");
  CHECK(refusal(dir, "performance_quarter", [](json& j) {
          j["raters"]["boss:X"] = j["raters"]["supervisor:S2001"];
        }) == "assessctl: raters.boss:X: a rater is supervisor:ID, peer:ID or customer:ID\n");
  CHECK(refusal(dir, "performance_quarter", [](json& j) {
          j["raters"]["customer:K-17"]["teamwork"] = 4;
        }) == "assessctl: raters.customer:K-17: ratings.teamwork: not rated by a customer\n");
  CHECK(refusal(dir, "performance_year", [](json& j) {
          j["raters"]["supervisor:S2001"]["learning"] = 0;
        }) == "assessctl: raters.supervisor:S2001: ratings.learning: 0 is out of range 1..5\n");
}

TEST_CASE("assessctl chart draws the radar chart of an offline case file, and it renders",
          "[integration][offline][golden]") {
  temp_dir dir;
  std::string svg = dir.path() + "/chart.svg", png = dir.path() + "/chart.png";
  std::string out;
  REQUIRE(run(ASSESSCTL_BIN,
              {"chart", "--input", ASSESSFLOW_GOLDEN_DIR "/score/competency_model.input.json",
               "--out", svg},
              &out) == 0);
  CHECK(out == "wrote " + svg + "\n");
  std::string drawn = read(svg);
  CHECK(drawn == read(ASSESSFLOW_GOLDEN_DIR "/chart/competency_model.svg"));
  // Every item labelled with its score, the standard circle of 5 (of 6) drawn.
  CHECK_THAT(drawn, Catch::Contains(">customer retention (0)</text>"));
  CHECK_THAT(drawn, Catch::Contains(">professional basic knowledge (6)</text>"));
  CHECK_THAT(drawn, Catch::Contains(
                        "<circle class=\"standard\" cx=\"400.00\" cy=\"390.00\" r=\"191.67\""));
  // librsvg (Debian's librsvg2-bin) parses and renders it.
  REQUIRE(run("/usr/bin/rsvg-convert", {svg, "-o", png}) == 0);
  CHECK(read(png).substr(1, 3) == "PNG");
  CHECK(read(png).size() > 10000);
  // Refusals.
  std::string err;
  CHECK(run(ASSESSCTL_BIN, {"chart", "--out", svg}, &err, true) == 1);
  CHECK(err == "assessctl: give either a CASE id or --input FILE\n");
}
