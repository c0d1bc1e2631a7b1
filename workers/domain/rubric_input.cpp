// rubric_input.cpp: what a case brings to be scored, read and checked
// against a rubric: exams read from JSON, the standard measures computed
// items use, and the validation of one rater's ratings and of the exams.
#include <cmath>
#include <nlohmann/json.hpp>

#include "workers/domain/rubric.h"

namespace af::rubric {
namespace {

using json = nlohmann::json;
using exact::number;

// A score 0..100 with at most two decimals, as hundredths.
result<std::int64_t> exam_hundredths_of(const json& v, const std::string& where) {
  if (!v.is_number()) return status::invalid(where + ": must be a number 0..100, got " + v.dump());
  double d = v.get<double>();
  if (!(d >= 0 && d <= 100)) return status::invalid(where + ": score is out of range 0..100");
  double h = d * 100;
  if (std::fabs(h - std::round(h)) > 1e-6) return status::invalid(where + ": at most two decimals");
  return static_cast<std::int64_t>(std::llround(h));
}

}  // namespace

// exams: {"product_knowledge": 87.5} or {"general_knowledge": {"parts":
// [[score, weight], ...]}}: scores 0..100, weights above 0, two decimals.
result<std::map<std::string, exam_input>> read_exams(const json& j) {
  if (!j.is_object()) return status::invalid("exams: must be an object of item: score");
  std::map<std::string, exam_input> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    std::string where = "exams." + it.key();
    const auto& v = it.value();
    exam_input e;
    if (v.is_object()) {
      const json& parts = v.contains("parts") ? v["parts"] : json();
      if (!parts.is_array() || parts.empty() || parts.size() > 50)
        return status::invalid(where + ".parts: must be an array of 1..50 [score, weight]");
      for (std::size_t i = 0; i < parts.size(); ++i) {
        std::string pw = where + ".parts[" + std::to_string(i) + "]";
        if (!parts[i].is_array() || parts[i].size() != 2)
          return status::invalid(pw + ": must be [score, weight]");
        auto score = exam_hundredths_of(parts[i][0], pw);
        if (!score) return score.error();
        const json& w = parts[i][1];
        if (!w.is_number() || !(w.get<double>() > 0) || w.get<double>() > 1000)
          return status::invalid(pw + ": weight must be above 0 (at most 1000)");
        double wh = w.get<double>() * 100;
        if (std::fabs(wh - std::round(wh)) > 1e-6)
          return status::invalid(pw + ": weight has at most two decimals");
        e.parts.emplace_back(*score, static_cast<std::int64_t>(std::llround(wh)));
      }
    } else {
      auto score = exam_hundredths_of(v, where);
      if (!score) return score.error();
      e.hundredths = *score;
    }
    out[it.key()] = std::move(e);
  }
  return out;
}

result<std::map<std::string, number>> standard_measures(civil_date joined_on, civil_date as_of,
                                                        std::int64_t sales_fen,
                                                        std::int64_t inquiries,
                                                        std::int64_t converted) {
  if (inquiries < 0 || converted < 0)
    return status::invalid("sales: inquiry counts must not be negative");
  if (converted > inquiries)
    return status::invalid("sales.quarter_converted: more conversions than inquiries");
  std::map<std::string, number> m;
  m["years_in_trade"] = number::whole(joined_on > as_of ? 0 : whole_years(joined_on, as_of));
  m["sales_last_year_cny"] = number{sales_fen, 100};
  if (inquiries > 0) m["quarter_conversion_percent"] = number{converted * 100, inquiries};
  return m;
}

status validate_ratings(const rubric& r, const std::map<std::string, int>& ratings,
                        std::string_view kind) {
  for (const auto& [key, value] : ratings) {
    const item* it = r.find(key);
    if (!it) return status::invalid("ratings." + key + ": unknown item");
    if (it->how != assessed::rated)
      return status::invalid("ratings." + key + ": item is not rated (it is " +
                             (it->how == assessed::exam ? "an exam" : "computed") + ")");
    if (!rates(*it, kind))
      return status::invalid("ratings." + key + ": not rated by a " + std::string(kind));
    if (value < it->scale_min || value > it->scale_max)
      return status::invalid("ratings." + key + ": " + std::to_string(value) + " is out of range " +
                             std::to_string(it->scale_min) + ".." + std::to_string(it->scale_max));
  }
  for (const auto& it : r.items)
    if (rates(it, kind) && !ratings.count(it.key))
      return status::invalid("ratings." + it.key + ": missing");
  return status::ok();
}

status validate_exams(const rubric& r, const std::map<std::string, exam_input>& exams,
                      bool required) {
  for (const auto& [key, e] : exams) {
    const item* it = r.find(key);
    if (!it || it->how != assessed::exam)
      return status::invalid("exams." + key + ": unknown exam item");
    if (e.parts.empty()) {
      if (e.hundredths < 0 || e.hundredths > 10000)
        return status::invalid("exams." + key + ": score is out of range 0..100");
      continue;
    }
    if (e.parts.size() > 50) return status::invalid("exams." + key + ".parts: at most 50 parts");
    for (std::size_t i = 0; i < e.parts.size(); ++i) {
      std::string k = "exams." + key + ".parts[" + std::to_string(i) + "]";
      if (e.parts[i].first < 0 || e.parts[i].first > 10000)
        return status::invalid(k + ": score is out of range 0..100");
      if (e.parts[i].second <= 0 || e.parts[i].second > 100000)
        return status::invalid(k + ": weight must be above 0 (at most 1000)");
    }
  }
  if (required)
    for (const auto& it : r.items)
      if (it.how == assessed::exam && !exams.count(it.key))
        return status::invalid("exams." + it.key + ": missing");
  return status::ok();
}

}  // namespace af::rubric
