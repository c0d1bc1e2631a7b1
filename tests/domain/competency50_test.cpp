// The 50-point competency assessment of DOMAIN.md program 1, as the
// product scores it: the rubric file schemas/rubrics/competency50.json
// through the generic scorer (domain/rubric.h). Every boundary is
// asserted with exact values; a last test compares the scorer with a
// hand-written reference (competency50_reference.h) on random cases.
// Points are hundredths (4.35 -> 435).
#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <string>

#include "tests/domain/competency50_reference.h"
#include "workers/domain/rubric.h"

using af::civil_date;

namespace {

// The reference's input and score types, scored through the rubric.
namespace via_rubric {

using af::reference::competency50::input;
using af::reference::competency50::item_keys;
using af::reference::competency50::rated_keys;
using af::reference::competency50::score;
constexpr std::string_view flag_no_inquiries = af::reference::competency50::flag_no_inquiries;

const af::rubric::rubric& rubric() {
  static const af::rubric::rubric r = [] {
    auto loaded = af::rubric::load_file(ASSESSFLOW_SCHEMAS_DIR "/rubrics/competency50.json");
    if (!loaded) FAIL(loaded.error().to_string());
    return std::move(loaded).value();
  }();
  return r;
}

af::result<score> score_case(const input& in) {
  af::rubric::input r;
  r.ratings["supervisor"] = in.ratings;
  for (const auto& [key, h] : in.exam_hundredths) r.exams[key].hundredths = h;
  auto measures = af::rubric::standard_measures(in.joined_on, in.as_of, in.sales_last_year_fen,
                                                in.quarter_inquiries, in.quarter_converted);
  if (!measures) return measures.error();
  r.measures = *measures;
  auto s = af::rubric::score_case(rubric(), r);
  if (!s) return s.error();
  score out;
  for (const auto& i : s->items) out.items.push_back({i.key, static_cast<int>(i.points)});
  out.total = static_cast<int>(s->total);
  out.tier = s->tier.value_or(0);
  out.flags = s->flags;
  return out;
}

int band(const std::vector<af::exact::band>& bands, af::exact::number v) {
  auto b = af::exact::band_value(bands, v);
  REQUIRE(b.has_value());
  return *b;
}
int tier_for_total(int total) { return band(rubric().tiers, {total, 100}); }
int years_points(int y) {
  return band(rubric().find("years_experience")->measure_bands, af::exact::number::whole(y));
}
int sales_points(std::int64_t fen) {
  return band(rubric().find("sales_last_year")->measure_bands, {fen, 100});
}
int conversion_points(std::int64_t inquiries, std::int64_t converted) {
  if (inquiries == 0) return *rubric().find("conversion_rate")->no_data_points;
  return band(rubric().find("conversion_rate")->measure_bands, {converted * 100, inquiries});
}
int exam_points(int h) {
  auto f = *rubric().find("product_knowledge")->exam_factor;
  return static_cast<int>(af::exact::hundredths_half_up({h * f.num, 100 * f.den}));
}

}  // namespace via_rubric

namespace c50 = via_rubric;

constexpr std::int64_t cny = 100;  // fen per CNY

// The offline scoring input of DESIGN.md ("Offline scoring input").
c50::input design_example() {
  c50::input in;
  in.joined_on = {2021, 3, 1};
  in.as_of = {2026, 9, 30};
  in.ratings = {{"language", 4},
                {"market_development", 3},
                {"negotiation", 5},
                {"achievement_motivation", 4},
                {"service_orientation", 4},
                {"initiative", 3}};
  in.exam_hundredths = {{"product_knowledge", 8700}};
  in.sales_last_year_fen = 150000000;
  in.quarter_inquiries = 20000;
  in.quarter_converted = 15;
  return in;
}

int points_of(const c50::score& s, std::string_view key) {
  for (const auto& item : s.items)
    if (item.key == key) return item.points;
  FAIL("item " << key << " missing from the score");
  return -1;
}

c50::score score_ok(const c50::input& in) {
  auto r = c50::score_case(in);
  INFO((r ? std::string("ok") : r.error().to_string()));
  REQUIRE(r.is_ok());
  return r.value();
}

// Runs score_case expecting InvalidArgument whose message names `key`.
std::string expect_invalid(const c50::input& in, const std::string& key) {
  auto r = c50::score_case(in);
  REQUIRE_FALSE(r.is_ok());
  af::status s = r.error();
  INFO("error: " << s.to_string());
  CHECK(s.code() == af::status_code::invalid_argument);
  CHECK(s.message().find(key) != std::string::npos);
  return s.message();
}

bool has_flag(const c50::score& s, std::string_view flag) {
  return std::find(s.flags.begin(), s.flags.end(), flag) != s.flags.end();
}

}  // namespace

TEST_CASE("competency50 tiers at 26, 36 and 46 points", "[domain]") {
  CHECK(c50::tier_for_total(0) == 4);
  CHECK(c50::tier_for_total(2599) == 4);
  CHECK(c50::tier_for_total(2600) == 3);
  CHECK(c50::tier_for_total(3599) == 3);
  CHECK(c50::tier_for_total(3600) == 2);
  CHECK(c50::tier_for_total(4599) == 2);
  CHECK(c50::tier_for_total(4600) == 1);
  CHECK(c50::tier_for_total(5000) == 1);
}

TEST_CASE("competency50 years in the trade points", "[domain]") {
  SECTION("by whole years") {
    CHECK(c50::years_points(0) == 1);
    CHECK(c50::years_points(1) == 2);
    CHECK(c50::years_points(2) == 3);
    CHECK(c50::years_points(3) == 4);
    CHECK(c50::years_points(4) == 5);
    CHECK(c50::years_points(5) == 5);
    CHECK(c50::years_points(30) == 5);
  }
  SECTION("the anniversary day counts, the day before does not") {
    c50::input in = design_example();
    in.as_of = {2026, 9, 30};
    struct row {
      civil_date joined;
      int points;
    };
    for (row r : {row{{2026, 9, 30}, 100},    // joined on as_of: 0 years
                  row{{2025, 10, 1}, 100},    // 0 years (anniversary tomorrow)
                  row{{2025, 9, 30}, 200},    // exactly 1 year
                  row{{2024, 10, 1}, 200},    // 1 year, day before the 2nd anniversary
                  row{{2024, 9, 30}, 300},    // exactly 2 years
                  row{{2023, 10, 1}, 300},    // day before the 3rd anniversary
                  row{{2023, 9, 30}, 400},    // exactly 3 years
                  row{{2022, 10, 1}, 400},    // day before the 4th anniversary
                  row{{2022, 9, 30}, 500},    // exactly 4 years
                  row{{2027, 1, 1}, 100}}) {  // joined after as_of: no years
      in.joined_on = r.joined;
      INFO("joined_on " << af::format_date(r.joined));
      CHECK(points_of(score_ok(in), "years_experience") == r.points);
    }
  }
  SECTION("a 29 February joiner reaches the anniversary on 1 March") {
    c50::input in = design_example();
    in.joined_on = {2024, 2, 29};
    in.as_of = {2026, 2, 28};
    CHECK(points_of(score_ok(in), "years_experience") == 200);  // 1 year
    in.as_of = {2026, 3, 1};
    CHECK(points_of(score_ok(in), "years_experience") == 300);  // 2 years
  }
}

TEST_CASE("competency50 sales last year points", "[domain]") {
  CHECK(c50::sales_points(0) == 1);
  CHECK(c50::sales_points(-100) == 1);  // refunds exceed sales
  CHECK(c50::sales_points(500'000 * cny - 1) == 1);
  CHECK(c50::sales_points(500'000 * cny) == 2);
  CHECK(c50::sales_points(1'000'000 * cny - 1) == 2);
  CHECK(c50::sales_points(1'000'000 * cny) == 3);
  CHECK(c50::sales_points(1'500'000 * cny - 1) == 3);
  CHECK(c50::sales_points(1'500'000 * cny) == 4);
  CHECK(c50::sales_points(2'000'000 * cny) == 4);  // still level 2
  CHECK(c50::sales_points(2'000'000 * cny + 1) == 5);
  CHECK(c50::sales_points(100'000'000 * cny) == 5);
  SECTION("through score_case") {
    c50::input in = design_example();
    in.sales_last_year_fen = 2'000'000 * cny;
    CHECK(points_of(score_ok(in), "sales_last_year") == 400);
    in.sales_last_year_fen = 2'000'000 * cny + 1;
    CHECK(points_of(score_ok(in), "sales_last_year") == 500);
    in.sales_last_year_fen = 500'000 * cny - 1;
    CHECK(points_of(score_ok(in), "sales_last_year") == 100);
  }
}

TEST_CASE("competency50 conversion rate points at every boundary", "[domain]") {
  // 40000 inquiries: 10 = 0.025%, 20 = 0.05%, 30 = 0.075%, 40 = 0.1%.
  constexpr std::int64_t n = 40000;
  CHECK(c50::conversion_points(n, 0) == 1);
  CHECK(c50::conversion_points(n, 10) == 1);  // exactly 0.025%
  CHECK(c50::conversion_points(n, 11) == 2);  // just above
  CHECK(c50::conversion_points(n, 20) == 2);  // exactly 0.05%
  CHECK(c50::conversion_points(n, 21) == 3);  // just above
  CHECK(c50::conversion_points(n, 30) == 3);  // exactly 0.075%
  CHECK(c50::conversion_points(n, 31) == 4);  // just above
  CHECK(c50::conversion_points(n, 40) == 4);  // exactly 0.1%
  CHECK(c50::conversion_points(n, 41) == 5);  // just above
  CHECK(c50::conversion_points(n, n) == 5);
  SECTION("exact comparison, no rounding: a hair above a boundary counts") {
    // 1000 of 4,000,000 is exactly 0.025%; of 3,999,999 it is a hair above.
    CHECK(c50::conversion_points(4'000'001, 1000) == 1);
    CHECK(c50::conversion_points(4'000'000, 1000) == 1);
    CHECK(c50::conversion_points(3'999'999, 1000) == 2);
    CHECK(c50::conversion_points(3'999'999, 3000) == 4);
    CHECK(c50::conversion_points(4'000'000, 3000) == 3);
  }
  SECTION("no inquiries: 0 points") { CHECK(c50::conversion_points(0, 0) == 0); }
  SECTION("through score_case, with the no-data flag only when there are no inquiries") {
    c50::input in = design_example();
    in.quarter_inquiries = 0;
    in.quarter_converted = 0;
    c50::score s = score_ok(in);
    CHECK(points_of(s, "conversion_rate") == 0);
    CHECK(has_flag(s, c50::flag_no_inquiries));
    CHECK(s.flags.size() == 1);

    in.quarter_inquiries = n;
    in.quarter_converted = 0;
    s = score_ok(in);
    CHECK(points_of(s, "conversion_rate") == 100);
    CHECK_FALSE(has_flag(s, c50::flag_no_inquiries));
    CHECK(s.flags.empty());

    in.quarter_converted = 41;
    CHECK(points_of(score_ok(in), "conversion_rate") == 500);
  }
}

TEST_CASE("competency50 product knowledge is exam x 5%, half up", "[domain]") {
  CHECK(c50::exam_points(8700) == 435);  // 87 -> 4.35
  CHECK(c50::exam_points(0) == 0);
  CHECK(c50::exam_points(10000) == 500);  // 100 -> 5.00
  CHECK(c50::exam_points(8750) == 438);   // 87.5 -> 4.375 -> 4.38
  CHECK(c50::exam_points(8749) == 437);   // 4.3745 -> 4.37
  CHECK(c50::exam_points(8730) == 437);   // 4.365 -> 4.37
  CHECK(c50::exam_points(8729) == 436);   // 4.3645 -> 4.36
  CHECK(c50::exam_points(10) == 1);       // 0.1 -> 0.005 -> 0.01
  CHECK(c50::exam_points(9) == 0);        // 0.0045 -> 0.00
  SECTION("through score_case") {
    c50::input in = design_example();
    for (auto [exam, points] :
         {std::pair{8700, 435}, std::pair{0, 0}, std::pair{10000, 500}, std::pair{8750, 438}}) {
      in.exam_hundredths["product_knowledge"] = exam;
      INFO("exam hundredths " << exam);
      CHECK(points_of(score_ok(in), "product_knowledge") == points);
    }
  }
}

TEST_CASE("competency50 scores the DESIGN.md worked example", "[domain]") {
  c50::score s = score_ok(design_example());
  REQUIRE(s.items.size() == c50::item_keys.size());
  for (std::size_t i = 0; i < c50::item_keys.size(); ++i)
    CHECK(s.items[i].key == c50::item_keys[i]);
  CHECK(points_of(s, "product_knowledge") == 435);
  CHECK(points_of(s, "language") == 400);
  CHECK(points_of(s, "market_development") == 300);
  CHECK(points_of(s, "negotiation") == 500);
  CHECK(points_of(s, "achievement_motivation") == 400);
  CHECK(points_of(s, "service_orientation") == 400);
  CHECK(points_of(s, "initiative") == 300);
  CHECK(points_of(s, "years_experience") == 500);  // 5 years since 2021-03-01
  CHECK(points_of(s, "sales_last_year") == 400);   // 1,500,000 CNY
  CHECK(points_of(s, "conversion_rate") == 300);   // 15/20000 = exactly 0.075%
  CHECK(s.total == 3935);
  CHECK(s.tier == 2);
  CHECK(s.flags.empty());
  int sum = 0;
  for (const auto& item : s.items) sum += item.points;
  CHECK(sum == s.total);
}

TEST_CASE("competency50 total at the tier boundaries through score_case", "[domain]") {
  c50::input in = design_example();
  for (auto& [key, value] : in.ratings) value = 5;  // 3000
  in.joined_on = {2000, 1, 1};                      // 500
  in.sales_last_year_fen = 3'000'000 * cny;         // 500
  in.quarter_inquiries = 1000;
  in.quarter_converted = 2;  // 0.2% -> 500
  SECTION("full marks") {
    in.exam_hundredths["product_knowledge"] = 10000;
    c50::score s = score_ok(in);
    CHECK(s.total == 5000);
    CHECK(s.tier == 1);
  }
  SECTION("46.00 is tier 1, 45.99 tier 2") {
    in.exam_hundredths["product_knowledge"] = 2000;  // 1.00
    CHECK(score_ok(in).total == 4600);
    CHECK(score_ok(in).tier == 1);
    in.exam_hundredths["product_knowledge"] = 1980;  // 0.99
    CHECK(score_ok(in).total == 4599);
    CHECK(score_ok(in).tier == 2);
  }
  SECTION("lowest possible score") {
    for (auto& [key, value] : in.ratings) value = 1;  // 600
    in.joined_on = in.as_of;                          // 100
    in.sales_last_year_fen = 0;                       // 100
    in.quarter_inquiries = 0;                         // 0
    in.quarter_converted = 0;
    in.exam_hundredths["product_knowledge"] = 0;  // 0
    c50::score s = score_ok(in);
    CHECK(s.total == 800);
    CHECK(s.tier == 4);
  }
}

TEST_CASE("competency50 rejects invalid input naming the item", "[domain]") {
  c50::input in = design_example();
  SECTION("ratings outside 1..5") {
    for (const auto key : c50::rated_keys) {
      for (int bad : {0, 6, -1, 100}) {
        c50::input b = in;
        b.ratings[std::string(key)] = bad;
        INFO(key << " = " << bad);
        expect_invalid(b, std::string(key));
      }
    }
  }
  SECTION("ratings 1 and 5 are accepted") {
    for (int ok : {1, 5}) {
      in.ratings["language"] = ok;
      CHECK(points_of(score_ok(in), "language") == ok * 100);
    }
  }
  SECTION("a missing rated item") {
    for (const auto key : c50::rated_keys) {
      c50::input b = in;
      b.ratings.erase(std::string(key));
      INFO("missing " << key);
      std::string m = expect_invalid(b, std::string(key));
      CHECK(m.find("missing") != std::string::npos);
    }
  }
  SECTION("no ratings at all") {
    in.ratings.clear();
    expect_invalid(in, "language");
  }
  SECTION("an unknown item") {
    in.ratings["charisma"] = 3;
    std::string m = expect_invalid(in, "charisma");
    CHECK(m.find("unknown") != std::string::npos);
  }
  SECTION("a computed item given a rating") {
    for (const char* key : {"years_experience", "sales_last_year", "conversion_rate"}) {
      c50::input b = in;
      b.ratings[key] = 3;
      INFO(key);
      expect_invalid(b, key);
    }
  }
  SECTION("the exam item given a rating") {
    in.ratings["product_knowledge"] = 4;
    expect_invalid(in, "product_knowledge");
  }
  SECTION("a missing exam") {
    in.exam_hundredths.clear();
    std::string m = expect_invalid(in, "product_knowledge");
    CHECK(m.find("missing") != std::string::npos);
  }
  SECTION("an exam out of 0..100") {
    for (int bad : {-1, 10001, 20000, -10000}) {
      c50::input b = in;
      b.exam_hundredths["product_knowledge"] = bad;
      INFO("exam hundredths " << bad);
      expect_invalid(b, "product_knowledge");
    }
  }
  SECTION("an unknown exam") {
    in.exam_hundredths["sales_theory"] = 80;
    expect_invalid(in, "sales_theory");
  }
  SECTION("more conversions than inquiries") {
    in.quarter_inquiries = 10;
    in.quarter_converted = 11;
    expect_invalid(in, "quarter_converted");
    in.quarter_inquiries = 0;
    in.quarter_converted = 1;
    expect_invalid(in, "quarter_converted");
  }
  SECTION("negative inquiry counts") {
    c50::input b = in;
    b.quarter_inquiries = -1;
    b.quarter_converted = 0;
    expect_invalid(b, "sales");
    b = in;
    b.quarter_converted = -1;
    expect_invalid(b, "sales");
  }
  SECTION("converted equal to inquiries is accepted") {
    in.quarter_inquiries = 7;
    in.quarter_converted = 7;
    CHECK(points_of(score_ok(in), "conversion_rate") == 500);
  }
}

TEST_CASE("competency50: the rubric scorer agrees with the hand-written reference on random cases",
          "[domain]") {
  std::mt19937_64 rng(20261123);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int n = 0; n < 5000; ++n) {
    af::reference::competency50::input in;
    in.as_of = {2026, 9, 30};
    in.joined_on = {pick(2015, 2027), pick(1, 12), pick(1, 28)};
    for (auto key : af::reference::competency50::rated_keys)
      in.ratings[std::string(key)] = pick(1, 5);
    in.exam_hundredths["product_knowledge"] = pick(0, 10000);
    in.sales_last_year_fen = static_cast<std::int64_t>(pick(-1000, 300000)) * 1000 + pick(0, 999);
    in.quarter_inquiries = pick(0, 3) == 0 ? 0 : pick(1, 50000);
    in.quarter_converted = in.quarter_inquiries
                               ? pick(0, std::min<int>(100, static_cast<int>(in.quarter_inquiries)))
                               : 0;
    auto want = af::reference::competency50::score_case(in);
    auto got = via_rubric::score_case(in);
    REQUIRE(want.is_ok());
    REQUIRE(got.is_ok());
    INFO("case " << n);
    CHECK(got->total == want->total);
    CHECK(got->tier == want->tier);
    CHECK(got->flags == want->flags);
    for (std::size_t i = 0; i < want->items.size(); ++i)
      CHECK(got->items[i].points == want->items[i].points);
  }
}
