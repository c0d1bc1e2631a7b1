#include "tests/domain/competency50_reference.h"

#include <algorithm>

namespace af::reference::competency50 {
namespace {

constexpr std::int64_t yuan = 100;  // fen per CNY

bool is_rated(std::string_view key) {
  return std::find(rated_keys.begin(), rated_keys.end(), key) != rated_keys.end();
}

}  // namespace

status validate_review(const std::map<std::string, int>& ratings,
                       const std::map<std::string, int>& exams, bool exams_required) {
  for (const auto& [key, value] : ratings) {
    if (!is_rated(key)) {
      if (std::find(item_keys.begin(), item_keys.end(), key) != item_keys.end())
        return status::invalid("ratings." + key + ": item is not rated (it is " +
                               (key == exam_key ? "an exam" : "computed") + ")");
      return status::invalid("ratings." + key + ": unknown item");
    }
    if (value < 1 || value > 5)
      return status::invalid("ratings." + key + ": " + std::to_string(value) +
                             " is out of range 1..5");
  }
  for (auto key : rated_keys)
    if (!ratings.count(std::string(key)))
      return status::invalid("ratings." + std::string(key) + ": missing");
  for (const auto& [key, value] : exams) {
    if (key != exam_key) return status::invalid("exams." + key + ": unknown exam item");
    if (value < 0 || value > 10000)
      return status::invalid("exams." + key + ": score is out of range 0..100");
  }
  if (exams_required && !exams.count(std::string(exam_key)))
    return status::invalid("exams." + std::string(exam_key) + ": missing");
  return status::ok();
}

namespace {

status validate(const input& in) {
  if (status s = validate_review(in.ratings, in.exam_hundredths, true); !s) return s;
  if (in.quarter_inquiries < 0 || in.quarter_converted < 0)
    return status::invalid("sales: inquiry counts must not be negative");
  if (in.quarter_converted > in.quarter_inquiries)
    return status::invalid("sales.quarter_converted: more conversions than inquiries");
  return status::ok();
}

}  // namespace

int tier_for_total(int total) {
  if (total >= 4600) return 1;
  if (total >= 3600) return 2;
  if (total >= 2600) return 3;
  return 4;
}

// Level 1: y < 2 (y < 1 -> 1, else 2); level 2: 2 <= y < 4 (y < 3 -> 3, else 4);
// level 3: y >= 4 -> 5.
int years_points(int y) {
  if (y >= 4) return 5;
  if (y >= 3) return 4;
  if (y >= 2) return 3;
  if (y >= 1) return 2;
  return 1;
}

// Level 1: s < 1,000,000 CNY (>= 500,000 -> 2, else 1); level 2:
// 1,000,000 <= s <= 2,000,000 (>= 1,500,000 -> 4, else 3); level 3: s > 2,000,000.
int sales_points(std::int64_t fen) {
  if (fen > 2'000'000 * yuan) return 5;
  if (fen >= 1'500'000 * yuan) return 4;
  if (fen >= 1'000'000 * yuan) return 3;
  if (fen >= 500'000 * yuan) return 2;
  return 1;
}

// r = converted / inquiries, compared exactly in integers.
// Level 1: r <= 0.05% (r > 0.025% -> 2, else 1); level 2: 0.05% < r <= 0.1%
// (r > 0.075% -> 4, else 3); level 3: r > 0.1%. No inquiries -> 0.
int conversion_points(std::int64_t inquiries, std::int64_t converted) {
  if (inquiries <= 0) return 0;
  if (converted * 1000 > inquiries) return 5;      // > 0.1%
  if (converted * 4000 > inquiries * 3) return 4;  // > 0.075%
  if (converted * 2000 > inquiries) return 3;      // > 0.05%
  if (converted * 4000 > inquiries) return 2;      // > 0.025%
  return 1;
}

// points = score x 5%, in hundredths: hundredths(score) / 20, rounded half up.
int exam_points(int exam_hundredths) { return (exam_hundredths + 10) / 20; }

result<score> score_case(const input& in) {
  if (status s = validate(in); !s) return s;
  score out;
  for (auto key : item_keys) {
    std::string k(key);
    int points = 0;
    if (key == exam_key) {
      points = exam_points(in.exam_hundredths.at(k));
    } else if (is_rated(key)) {
      points = in.ratings.at(k) * 100;
    } else if (key == "years_experience") {
      points = years_points(whole_years(in.joined_on, in.as_of)) * 100;
    } else if (key == "sales_last_year") {
      points = sales_points(in.sales_last_year_fen) * 100;
    } else {  // conversion_rate
      points = conversion_points(in.quarter_inquiries, in.quarter_converted) * 100;
      if (in.quarter_inquiries == 0) out.flags.emplace_back(flag_no_inquiries);
    }
    out.items.push_back({k, points});
    out.total += points;
  }
  out.tier = tier_for_total(out.total);
  return out;
}

}  // namespace af::reference::competency50
