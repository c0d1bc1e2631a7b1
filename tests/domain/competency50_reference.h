// competency50_reference.h: the 50-point competency assessment (DOMAIN.md
// program 1) written out by hand, independently of the rubric file
// schemas/rubrics/competency50.json and the generic scorer that the
// product uses: tests score the same inputs both ways and compare.
// Points are hundredths (4.35 -> 435).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/civil_time.h"
#include "base/status.h"

namespace af::reference::competency50 {

// The ten items in the order of the rubric (DESIGN.md keys).
inline constexpr std::array<std::string_view, 10> item_keys = {"product_knowledge",
                                                               "language",
                                                               "market_development",
                                                               "negotiation",
                                                               "achievement_motivation",
                                                               "service_orientation",
                                                               "initiative",
                                                               "years_experience",
                                                               "sales_last_year",
                                                               "conversion_rate"};
// The six items a rater scores 1..5.
inline constexpr std::array<std::string_view, 6> rated_keys = {"language",
                                                               "market_development",
                                                               "negotiation",
                                                               "achievement_motivation",
                                                               "service_orientation",
                                                               "initiative"};
// The one exam item (score 0..100, points = score x 5%).
inline constexpr std::string_view exam_key = "product_knowledge";

inline constexpr std::string_view flag_no_inquiries =
    "conversion_rate: no data (no inquiries in quarter)";

struct input {
  civil_date joined_on;
  civil_date as_of;
  std::map<std::string, int> ratings;          // rated item -> 1..5
  std::map<std::string, int> exam_hundredths;  // exam item -> 0..10000 (87.5 -> 8750)
  std::int64_t sales_last_year_fen = 0;        // net of refunds, calendar year before as_of's
  std::int64_t quarter_inquiries = 0;          // in the calendar quarter holding as_of
  std::int64_t quarter_converted = 0;
};

struct item_score {
  std::string key;
  int points = 0;  // hundredths, 0..500
};

struct score {
  std::vector<item_score> items;  // in item_keys order
  int total = 0;                  // hundredths, 0..5000
  int tier = 4;                   // 1 (fully competent) .. 4 (not competent)
  std::vector<std::string> flags;
};

// Validates the input (every rated item present and 1..5, the exam present
// and 0..100, no unknown keys, counts not negative) and scores it. On bad
// input returns InvalidArgument naming the item.
result<score> score_case(const input& in);

// The pieces, exposed for tests and reports.
int tier_for_total(int total_hundredths);                               // 46/36/26 boundaries
int years_points(int whole_years);                                      // 1..5
int sales_points(std::int64_t net_fen);                                 // 1..5
int conversion_points(std::int64_t inquiries, std::int64_t converted);  // 0..5
int exam_points(int exam_hundredths);                                   // hundredths, half up

}  // namespace af::reference::competency50

namespace af::reference::competency50 {
// Checks a review's ratings (all six rated items, 1..5, no others) and, when
// `exams_required`, its exams (product_knowledge 0..100). Self reviews pass
// false: their exams are kept but never count.
status validate_review(const std::map<std::string, int>& ratings,
                       const std::map<std::string, int>& exam_hundredths, bool exams_required);
}  // namespace af::reference::competency50
