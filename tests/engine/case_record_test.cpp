// Tests for engine/case_record.h: the stored forms of reviews, ratings,
// flags and results, written and read back exactly.
#include "engine/case_record.h"

#include <catch2/catch.hpp>

using namespace af::engine;

TEST_CASE("a review's exams come back as the exact hundredths they were given",
          "[engine][case_record]") {
  review_record r;
  r.form.ratings = {{"language", 4}, {"execution", 5}};
  r.form.exams["product_knowledge"].hundredths = 8750;  // 87.5
  r.form.exams["law"].hundredths = 7;                   // 0.07: not exact in binary
  r.form.exams["safety"].hundredths = 9999;             // 99.99
  r.form.exams["general_knowledge"].parts = {{6010, 30}, {10000, 70}};
  r.form.comment = "good month";
  r.by = "S1";
  r.at = "2026-10-01T09:00:00+08:00";
  std::string text = encode_review(r);
  CHECK(
      text ==
      R"({"ratings":{"execution":5,"language":4},"exams":{"general_knowledge":{"parts":[[60.1,0.3],[100.0,0.7]]},"law":0.07,"product_knowledge":87.5,"safety":99.99},"by":"S1","at":"2026-10-01T09:00:00+08:00","comment":"good month"})");
  auto back = decode_review(text);
  REQUIRE(back);
  CHECK(back->form.ratings == r.form.ratings);
  CHECK(back->form.exams.at("product_knowledge").hundredths == 8750);
  CHECK(back->form.exams.at("law").hundredths == 7);
  CHECK(back->form.exams.at("safety").hundredths == 9999);
  CHECK(back->form.exams.at("general_knowledge").parts == r.form.exams["general_knowledge"].parts);
  CHECK(back->form.comment == "good month");
  CHECK(back->by == "S1");
  CHECK(back->at == r.at);
}

TEST_CASE("every exam score 0.00..100.00 reads back unchanged", "[engine][case_record]") {
  for (std::int64_t h = 0; h <= 10000; ++h) {
    review_record r;
    r.form.exams["x"].hundredths = h;
    auto back = decode_review(encode_review(r));
    REQUIRE(back);
    REQUIRE(back->form.exams.at("x").hundredths == h);
  }
}

TEST_CASE("a missing or unreadable stored review reads as none", "[engine][case_record]") {
  CHECK_FALSE(decode_review(std::nullopt));
  CHECK_FALSE(decode_review(std::string("not json")));
  CHECK_FALSE(decode_review(std::string("[1,2]")));
}

TEST_CASE("flags and a target check's figures round-trip", "[engine][case_record]") {
  CHECK(decode_flags(encode_flags({"self review missing", "late"})) ==
        std::vector<std::string>{"self review missing", "late"});
  CHECK(decode_flags(std::string(R"(["a", 5, "b"])")) == std::vector<std::string>{"a", "b"});
  CHECK(decode_flags(std::nullopt).empty());
  month_figures f{{"yanghe", {100000, 98000}}, {"red_wine", {0, -500}}};
  auto stored = encode_targets_result(f, R"({"met":false})");
  REQUIRE(stored);
  CHECK(
      *stored ==
      R"({"figures":{"red_wine":{"target_fen":0,"net_fen":-500},"yanghe":{"target_fen":100000,"net_fen":98000}},"month":{"met":false}})");
  CHECK(decode_figures(*stored) == f);
  CHECK_FALSE(decode_figures(std::string(R"({"items":{}})")));
  auto bad = encode_targets_result(f, "[1]");
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message() == "targets result is not a JSON object");
}

TEST_CASE("a scoring result naming an item outside the rubric is refused",
          "[engine][case_record]") {
  af::msg::scoring_result r;
  r.items = {{"language", 435}};
  auto ok = encode_scoring_result(r, {"language"}, "competency50");
  REQUIRE(ok);
  CHECK(*ok == R"({"items":{"language":4.35},"flags":[]})");
  r.items.push_back({"bribery", 500});
  auto refused = encode_scoring_result(r, {"language"}, "competency50");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message() == "result item \"bribery\" is not an item of competency50");
}
