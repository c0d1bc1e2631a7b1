// Tests for base/exact.h and domain/rubric.h: exact
// intervals and bands, the rubric files of schemas/rubrics/ (competency
// model exam bands at every edge, gaps, the standard table; the key account
// review's means and spreads over several raters), and broken rubrics
// refused with an error naming the file and the key.
#include "workers/domain/rubric.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/domain/rubric_files.h"

using af::exact::number;
using njson = nlohmann::json;
namespace rb = af::rubric;

namespace {

const rb::rubric& load(const std::string& program) { return rb::testing::schema_rubric(program); }

// A competency_model case: every rated item at `rating`, every exam at `exam` (hundredths).
rb::input model_case(int rating, std::int64_t exam, int grade = 3) {
  const auto& r = load("competency_model");
  rb::input in;
  for (const auto& i : r.items) {
    if (i.how == rb::assessed::rated)
      in.ratings["supervisor"][i.key] = rating;
    else
      in.exams[i.key].hundredths = exam;
  }
  in.required_levels = rb::default_required_levels(r, grade);
  return in;
}

const rb::item_result& item(const rb::score& s, const std::string& key) {
  for (const auto& i : s.items)
    if (i.key == key) return i;
  FAIL("no item " << key);
  static rb::item_result none;
  return none;
}

std::string refusal(const njson& doc) {
  auto r = rb::parse(doc.dump(), "broken.json");
  if (r) return "(accepted)";
  CHECK(r.error().code() == af::status_code::invalid_argument);
  return r.error().message();
}

njson minimal() {
  return njson::parse(R"json({
    "program": "p", "scale": {"min": 1, "max": 5},
    "items": [
      {"key": "a", "assessed": "rated"},
      {"key": "e", "assessed": "exam", "exam": {"bands": [{"range": "[0, 50)", "points": 1}, {"range": "[50, 100]", "points": 5}]}}
    ],
    "total": {"tiers": [{"range": "[0, 5)", "tier": 2}, {"range": "[5, 10]", "tier": 1}]}
  })json");
}

}  // namespace

TEST_CASE("exact numbers and intervals", "[domain][rubric]") {
  CHECK(af::exact::parse_decimal("0.025") == std::optional<number>(number{25, 1000}));
  CHECK(af::exact::parse_decimal("-3") == std::optional<number>(number{-3, 1}));
  CHECK_FALSE(af::exact::parse_decimal("1e5").has_value());
  CHECK_FALSE(af::exact::parse_decimal("").has_value());
  CHECK_FALSE(af::exact::parse_decimal("1.2.3").has_value());
  CHECK(af::exact::hundredths_half_up({4375, 1000}) == 438);
  CHECK(af::exact::hundredths_half_up({8, 3}) == 267);
  CHECK(af::exact::hundredths_half_up({-8, 3}) == -267);
  CHECK(af::exact::hundredths_text(8500) == "85.00");
  CHECK(af::exact::hundredths_text(5999) == "59.99");
  CHECK(af::exact::hundredths_text(7) == "0.07");
  CHECK(af::exact::hundredths_text(-5) == "-0.05");
  CHECK(af::exact::hundredths_text(INT64_MIN) == "-92233720368547758.08");
  auto i = af::exact::parse_interval("(0.025, 0.05]");
  REQUIRE(i.is_ok());
  CHECK_FALSE(i->contains({25, 1000}));
  CHECK(i->contains({2501, 100000}));
  CHECK(i->contains({5, 100}));
  CHECK_FALSE(i->contains({5001, 100000}));
  CHECK_FALSE(af::exact::parse_interval("[5, 5)").is_ok());
  CHECK_FALSE(af::exact::parse_interval("[0, inf]").is_ok());
  CHECK_FALSE(af::exact::parse_interval("0, 5").is_ok());
  CHECK_FALSE(af::exact::parse_interval("[6, 5]").is_ok());
}

TEST_CASE("competency_model: exam bands exact at every edge, also for weighted averages",
          "[domain][rubric]") {
  const auto& r = load("competency_model");
  struct row {
    std::vector<std::pair<std::int64_t, std::int64_t>> parts;  // (score, weight) hundredths
    int points;
  };
  const std::vector<row> rows = {
      {{{0, 100}}, 1},
      {{{4000, 100}}, 1},
      {{{4099, 100}}, 1},
      {{{4100, 100}}, 2},
      {{{6000, 100}}, 2},
      {{{6099, 100}}, 2},
      {{{6100, 100}}, 3},
      {{{7000, 100}}, 3},
      {{{7100, 100}}, 4},
      {{{8000, 100}}, 4},
      {{{8100, 100}}, 5},
      {{{9000, 100}}, 5},
      {{{9099, 100}}, 5},
      {{{9100, 100}}, 6},
      {{{10000, 100}}, 6},
      // Weighted averages that are not whole numbers.
      {{{4000, 100}, {4100, 100}, {4100, 100}}, 1},  // 40.67
      {{{9000, 200}, {9100, 100}}, 5},               // 90.33
      {{{9100, 100}, {9000, 100}}, 5},               // 90.5
      {{{8000, 50}, {8200, 50}}, 5},                 // exactly 81
      {{{10000, 300}, {7000, 100}}, 6},              // 92.5
      {{{6000, 70}, {6300, 30}}, 2},                 // 60.9
      {{{6000, 60}, {6300, 40}}, 3},                 // 61.2
  };
  for (const auto& x : rows) {
    rb::input in = model_case(5, 0);
    for (const auto& i : r.items)
      if (i.how == rb::assessed::exam) in.exams[i.key].parts = x.parts;
    auto s = rb::score_case(r, in);
    REQUIRE(s.is_ok());
    INFO("parts " << x.parts.size() << ", first " << x.parts[0].first);
    CHECK(item(*s, "general_knowledge").points == x.points * 100);
  }
  SECTION("the weighted average is reported to two decimals") {
    rb::input in = model_case(5, 0);
    in.exams["general_knowledge"].parts = {{4000, 100}, {4100, 100}, {4100, 100}};
    auto s = rb::score_case(r, in);
    REQUIRE(s.is_ok());
    CHECK(item(*s, "general_knowledge").exam_average == std::optional<std::int64_t>(4067));
    auto j = rb::to_json(r, *s);
    CHECK(j["exam_average"]["general_knowledge"] == 40.67);
    CHECK_FALSE(j["exam_average"].contains("position_skills"));  // a plain score has no average
  }
}

TEST_CASE("competency_model: gaps, required levels by grade, no tier", "[domain][rubric]") {
  const auto& r = load("competency_model");
  CHECK(r.items.size() == 18);
  CHECK(r.standard_score == std::optional<int>(5));
  for (auto [grade, level] : {std::pair{4, 1}, {3, 2}, {2, 3}, {1, 4}}) {
    auto levels = rb::default_required_levels(r, grade);
    CHECK(levels.size() == 18);
    CHECK(levels["execution"] == level);
  }
  rb::input in = model_case(3, 9500, 2);
  in.ratings["supervisor"]["execution"] = 6;
  in.ratings["supervisor"]["resilience"] = 0;
  in.ratings["supervisor"]["coordination"] = 5;
  auto s = rb::score_case(r, in);
  REQUIRE(s.is_ok());
  CHECK(item(*s, "execution").gap == std::optional<std::int64_t>(0));     // 6 exceeds: no gap
  CHECK(item(*s, "coordination").gap == std::optional<std::int64_t>(0));  // 5 meets the standard
  CHECK(item(*s, "communication").gap == std::optional<std::int64_t>(200));
  CHECK(item(*s, "resilience").gap == std::optional<std::int64_t>(500));
  CHECK(item(*s, "general_knowledge").points == 600);
  CHECK(item(*s, "general_knowledge").gap == std::optional<std::int64_t>(0));
  CHECK(item(*s, "needs_analysis").required_level == std::optional<int>(3));
  CHECK_FALSE(s->tier.has_value());
  // 11 rated at 3, one at 6, one at 0, one at 5 = 44; four exams at 6 = 24.
  CHECK(s->total == 6800);
  auto j = rb::to_json(r, *s);
  CHECK_FALSE(j.contains("tier"));
  CHECK(j["gap"]["resilience"] == 5.0);
  CHECK(j["required_level"]["needs_analysis"] == 3);
  SECTION("ratings outside 0..6 and exams outside 0..100 are refused, naming the item") {
    rb::input bad = model_case(3, 9500);
    bad.ratings["supervisor"]["execution"] = 7;
    CHECK(rb::score_case(r, bad).error().message() == "ratings.execution: 7 is out of range 0..6");
    bad = model_case(3, 9500);
    bad.exams["general_knowledge"].parts = {{10001, 100}};
    CHECK(rb::score_case(r, bad).error().message() ==
          "exams.general_knowledge.parts[0]: score is out of range 0..100");
    bad = model_case(3, 9500);
    bad.exams["general_knowledge"].parts = {{9000, 0}};
    CHECK(rb::score_case(r, bad).error().message() ==
          "exams.general_knowledge.parts[0]: weight must be above 0 (at most 1000)");
    bad = model_case(3, 9500);
    bad.exams.erase("position_skills");
    CHECK(rb::score_case(r, bad).error().message() == "exams.position_skills: missing");
    bad = model_case(3, 9500);
    bad.ratings["supervisor"]["general_knowledge"] = 5;
    CHECK(rb::score_case(r, bad).error().message() ==
          "ratings.general_knowledge: item is not rated (it is an exam)");
  }
}

TEST_CASE("kam_review: means per criterion over raters, spreads, area and overall means",
          "[domain][rubric]") {
  const auto& r = load("kam_review");
  CHECK(r.items.size() == 19);
  CHECK(r.areas.size() == 5);
  CHECK(r.many_raters);
  rb::input in;
  for (const auto& i : r.items) {
    in.ratings["supervisor:S1"][i.key] = 3;
    in.ratings["peer:E2"][i.key] = 3;
    in.ratings["customer:K7"][i.key] = 3;
  }
  // Customer relationships: (1,4,4) -> 3.00, spread 3; (2,3,3) -> 8/3; influence 3.
  in.ratings["supervisor:S1"]["relationship_quality"] = 1;
  in.ratings["peer:E2"]["relationship_quality"] = 4;
  in.ratings["customer:K7"]["relationship_quality"] = 4;
  in.ratings["supervisor:S1"]["customer_needs_initiative"] = 2;
  auto s = rb::score_case(r, in);
  REQUIRE(s.is_ok());
  CHECK(s->raters == 3);
  CHECK(item(*s, "relationship_quality").points == 300);
  CHECK(item(*s, "relationship_quality").spread == std::optional<std::int64_t>(300));
  CHECK(item(*s, "customer_needs_initiative").points == 267);  // 8/3
  CHECK(item(*s, "customer_needs_initiative").spread == std::optional<std::int64_t>(100));
  CHECK(item(*s, "influence").spread == std::optional<std::int64_t>(0));
  // Area: (3 + 8/3 + 3) / 3 = 26/9 = 2.888... -> 2.89; the others 3.00.
  CHECK(s->areas[0].key == "customer_relationships");
  CHECK(s->areas[0].mean == 289);
  CHECK(s->areas[1].mean == 300);
  // Overall: (26/9 + 4 x 3) / 5 = 134/45 = 2.9777... -> 2.98 (from exact area means, not rounded
  // ones).
  CHECK(s->total == 298);
  CHECK_FALSE(s->tier.has_value());
  SECTION("one rater's bad rating names the rater and the item") {
    in.ratings["peer:E2"]["influence"] = 5;
    CHECK(rb::score_case(r, in).error().message() ==
          "rater peer:E2: ratings.influence: 5 is out of range 1..4");
    in.ratings["peer:E2"]["influence"] = 3;
    in.ratings["peer:E2"].erase("business_sense");
    CHECK(rb::score_case(r, in).error().message() ==
          "rater peer:E2: ratings.business_sense: missing");
  }
}

TEST_CASE("every rubric in schemas/rubrics loads, named after its program", "[domain][rubric]") {
  auto all = rb::load_dir(ASSESSFLOW_SCHEMAS_DIR "/rubrics");
  REQUIRE(all.is_ok());
  std::vector<std::string> names;
  for (const auto& [name, r] : *all) names.push_back(name);
  CHECK(names == std::vector<std::string>{"certification", "competency50", "competency_model",
                                          "kam_review", "performance", "performance_quarter",
                                          "performance_year"});
}

TEST_CASE("broken rubrics are refused with the file and the key", "[domain][rubric]") {
  CHECK(refusal(minimal()) == "(accepted)");
  SECTION("overlapping bands") {
    auto d = minimal();
    d["items"][1]["exam"]["bands"][1]["range"] = "[40, 100]";
    CHECK(refusal(d) == "broken.json: items[1] (e).exam.bands[1]: [40, 100] overlaps [0, 50)");
  }
  SECTION("bands touching at a closed end overlap too") {
    auto d = minimal();
    d["items"][1]["exam"]["bands"][0]["range"] = "[0, 50]";
    CHECK(refusal(d) == "broken.json: items[1] (e).exam.bands[1]: [50, 100] overlaps [0, 50]");
  }
  SECTION("a gap between bands") {
    auto d = minimal();
    d["items"][1]["exam"]["bands"][1]["range"] = "(50, 100]";
    CHECK(refusal(d) ==
          "broken.json: items[1] (e).exam.bands[1]: a gap between [0, 50) and (50, 100]");
  }
  SECTION("bands that do not cover every score") {
    auto d = minimal();
    d["items"][1]["exam"]["bands"][1]["range"] = "[50, 90]";
    CHECK(refusal(d) ==
          "broken.json: items[1] (e).exam.bands: the bands leave part of [0, 100] without points");
  }
  SECTION("points off the scale") {
    auto d = minimal();
    d["items"][1]["exam"]["bands"][1]["points"] = 6;
    CHECK(refusal(d) ==
          "broken.json: items[1] (e).exam.bands[1].points: must be a whole number 1..5");
  }
  SECTION("an unknown scale") {
    auto d = minimal();
    d["scale"] = {{"min", 5}, {"max", 1}};
    CHECK(refusal(d) == "broken.json: scale: max must be above min");
    d.erase("scale");
    CHECK(refusal(d) == "broken.json: scale: missing ({\"min\": 1, \"max\": 5})");
  }
  SECTION("an unknown measure") {
    auto d = minimal();
    d["items"].push_back({{"key", "c"},
                          {"assessed", "computed"},
                          {"measure", "shoe_size"},
                          {"bands", njson::array()}});
    CHECK(refusal(d) ==
          "broken.json: items[2] (c).measure: unknown measure \"shoe_size\" (years_in_trade, "
          "sales_last_year_cny, quarter_conversion_percent, sales_completion_percent, "
          "sales_growth_percent, new_customers, repeat_purchase_percent, complaints)");
  }
  SECTION("a misspelt key") {
    auto d = minimal();
    d["items"][0]["asessed"] = "rated";
    CHECK(refusal(d) == "broken.json: items[0].asessed: unknown key");
    d = minimal();
    d["tiers"] = njson::array();
    CHECK(refusal(d) == "broken.json: tiers: unknown key");
  }
  SECTION("an item twice, or assessed somehow else") {
    auto d = minimal();
    d["items"].push_back({{"key", "a"}, {"assessed", "rated"}});
    CHECK(refusal(d) == "broken.json: items[2]: item \"a\" appears twice");
    d = minimal();
    d["items"][0]["assessed"] = "guessed";
    CHECK(refusal(d) == "broken.json: items[0] (a).assessed: must be rated, exam or computed");
  }
  SECTION("an exam with both or neither of factor and bands") {
    auto d = minimal();
    d["items"][1]["exam"]["factor"] = "0.05";
    CHECK(refusal(d) == "broken.json: items[1] (e).exam: needs exactly one of factor or bands");
  }
  SECTION("tiers that leave totals without a tier") {
    auto d = minimal();
    d["total"]["tiers"][1]["range"] = "[5, 9]";
    CHECK(refusal(d) == "broken.json: total.tiers: the bands leave part of [0, 10] without points");
  }
  SECTION("an item in an area that does not exist") {
    auto d = minimal();
    d["areas"] = {{{"key", "x"}}};
    d["items"][0]["area"] = "x";
    d["items"][1]["area"] = "y";
    CHECK(refusal(d) == "broken.json: items[1] (e).area: \"y\" is not one of the areas");
  }
  SECTION("a standard table missing a grade or naming an unknown level") {
    auto d = minimal();
    d["standard_score"] = 5;
    d["levels"] = {{"1", "junior"}, {"2", "senior"}};
    d["required_level_by_grade"] = {{"4", 1}, {"3", 2}, {"2", 2}};
    CHECK(refusal(d) == "broken.json: required_level_by_grade: grade 1 is missing");
    d["required_level_by_grade"]["1"] = 3;
    CHECK(refusal(d) == "broken.json: required_level_by_grade.1: level 3 is not one of the levels");
  }
  SECTION("not JSON, or a file named after another program") {
    CHECK(rb::parse("{", "broken.json").error().message() == "broken.json: not a JSON object");
  }
}
