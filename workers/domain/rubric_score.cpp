// rubric_score.cpp: scoring a case with a rubric: each item's points
// (computed as exact fractions, kept as hundredths rounded half up), the
// gaps to the standard, the areas' means, the total and its tier; and a
// score as JSON.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "workers/domain/rubric.h"

namespace af::rubric {
namespace {

using exact::number;

number add(const number& a, const number& b) {
  __int128 num = static_cast<__int128>(a.num) * b.den + static_cast<__int128>(b.num) * a.den;
  __int128 den = static_cast<__int128>(a.den) * b.den;
  // Keep the numbers small: divide by the gcd.
  __int128 x = num < 0 ? -num : num, y = den;
  while (y) {
    __int128 t = x % y;
    x = y;
    y = t;
  }
  if (x > 1) {
    num /= x;
    den /= x;
  }
  return {static_cast<std::int64_t>(num), static_cast<std::int64_t>(den)};
}

number divide(const number& a, std::int64_t n) { return add({0, 1}, {a.num, a.den * n}); }

// Every rater's ratings and the exams, checked before anything is scored.
status check_input(const rubric& r, const input& in) {
  if (in.ratings.empty()) return status::invalid("ratings: missing");
  if (!r.many_raters && in.ratings.size() != 1)
    return status::invalid("ratings: " + r.program + " has one rater");
  for (const auto& [rater, ratings] : in.ratings)
    if (status s = validate_ratings(r, ratings, rater_kind(rater)); !s)
      return r.many_raters ? status::invalid("rater " + rater + ": " + s.message()) : s;
  return validate_exams(r, in.exams, true);
}

// A rated item: the mean of the ratings of the raters who rate it (with
// rater weights, the weighted mean of each kind's mean over the kinds
// present), scaled to the item's weight when it has one; with many
// raters also the spread from the lowest rating to the highest. Nobody
// rated it: its no-data points and flag, or InvalidArgument.
result<number> rated_points(const item& it, const rubric& r, const input& in, item_result& res,
                            std::vector<std::string>& flags) {
  int lowest = it.scale_max, highest = it.scale_min;
  std::map<std::string, std::pair<std::int64_t, std::int64_t>> by_kind;  // kind -> (sum, count)
  std::int64_t sum = 0, count = 0;
  for (const auto& [rater, ratings] : in.ratings) {
    auto v = ratings.find(it.key);
    if (v == ratings.end()) continue;  // a kind of rater that does not rate it
    sum += v->second;
    ++count;
    auto& k = by_kind[std::string(rater_kind(rater))];
    k.first += v->second;
    ++k.second;
    lowest = std::min(lowest, v->second);
    highest = std::max(highest, v->second);
  }
  if (count == 0) {
    if (!it.no_data_points) return status::invalid(it.key + ": nobody rated it");
    flags.push_back(it.no_data_flag);
    return number::whole(*it.no_data_points);
  }
  if (r.many_raters) res.spread = static_cast<std::int64_t>(highest - lowest) * 100;
  number mean{sum, count};
  std::int64_t weights = 0;
  for (const auto& [kind, sc] : by_kind)
    if (r.rater_weights.count(kind)) weights += r.rater_weights.at(kind);
  if (weights > 0) {
    mean = number{0, 1};
    for (const auto& [kind, sc] : by_kind)
      if (r.rater_weights.count(kind))
        mean = add(mean, number{sc.first * r.rater_weights.at(kind), sc.second * weights});
  }
  if (it.weight) return number{mean.num * *it.weight, mean.den * it.scale_max};
  return mean;
}

// An exam item: its score (with parts, their weighted average) times the
// item's factor, or the points of the band the score falls in.
number exam_points(const item& it, const input& in, item_result& res) {
  const exam_input& e = in.exams.at(it.key);
  number s{e.hundredths, 100};
  if (!e.parts.empty()) {
    std::int64_t weighted = 0, weights = 0;
    for (const auto& [score, weight] : e.parts) {
      weighted += score * weight;
      weights += weight;
    }
    s = number{weighted, weights * 100};
    res.exam_average = exact::hundredths_half_up(s);
  }
  if (it.exam_factor) return number{s.num * it.exam_factor->num, s.den * it.exam_factor->den};
  return number::whole(*exact::band_value(it.exam_bands, s));
}

// A computed item: the points of the band its measure falls in; without
// the measure its no-data points and flag, or InvalidArgument.
result<number> computed_points(const item& it, const input& in, std::vector<std::string>& flags) {
  auto m = in.measures.find(it.measure);
  if (m == in.measures.end()) {
    if (!it.no_data_points)
      return status::invalid(it.key + ": no " + it.measure + " to score it from");
    flags.push_back(it.no_data_flag);
    return number::whole(*it.no_data_points);
  }
  auto v = exact::band_value(it.measure_bands, m->second);
  if (!v) return status::invalid(it.key + ": " + it.measure + " is outside every band");
  return number::whole(*v);
}

// One item's exact points, however it is assessed.
result<number> item_points(const item& it, const rubric& r, const input& in, item_result& res,
                           std::vector<std::string>& flags) {
  if (it.how == assessed::rated) return rated_points(it, r, in, res, flags);
  if (it.how == assessed::exam) return exam_points(it, in, res);
  return computed_points(it, in, flags);
}

// With a standard table: the item's required level for this case and its
// gap to the standard score.
void add_standard_gap(const rubric& r, const input& in, item_result& res) {
  if (!r.standard_score) return;
  auto lvl = in.required_levels.find(res.key);
  if (lvl != in.required_levels.end()) res.required_level = lvl->second;
  res.gap = std::max<std::int64_t>(0, *r.standard_score * 100 - res.points);
}

// The mean of an area's items' exact points.
number area_mean(const area& a, const std::vector<number>& exact_points) {
  number sum{0, 1};
  for (auto i : a.items) sum = add(sum, exact_points[i]);
  return divide(sum, static_cast<std::int64_t>(a.items.size()));
}

// Fills in the areas' means and returns the exact total: the mean of the
// areas' means, or the sum of the items' points as rounded.
number total_and_areas(const rubric& r, const std::vector<number>& exact_points, score& out) {
  number total{0, 1};
  if (r.total_is_mean_of_areas) {
    for (const auto& a : r.areas) {
      number mean = area_mean(a, exact_points);
      out.areas.push_back({a.key, exact::hundredths_half_up(mean)});
      total = add(total, mean);
    }
    return divide(total, static_cast<std::int64_t>(r.areas.size()));
  }
  for (std::size_t i = 0; i < r.items.size(); ++i) total = add(total, {out.items[i].points, 100});
  for (const auto& a : r.areas)
    out.areas.push_back({a.key, exact::hundredths_half_up(area_mean(a, exact_points))});
  return total;
}

}  // namespace

result<score> score_case(const rubric& r, const input& in) {
  if (status s = check_input(r, in); !s) return s;
  score out;
  out.raters = static_cast<int>(in.ratings.size());
  std::vector<number> exact_points;  // per item, for means
  for (const auto& it : r.items) {
    item_result res;
    res.key = it.key;
    auto points = item_points(it, r, in, res, out.flags);
    if (!points) return points.error();
    res.points = exact::hundredths_half_up(*points);
    add_standard_gap(r, in, res);
    exact_points.push_back(*points);
    out.items.push_back(std::move(res));
  }
  out.total = exact::hundredths_half_up(total_and_areas(r, exact_points, out));
  if (!r.tiers.empty()) out.tier = exact::band_value(r.tiers, number{out.total, 100});
  if (!r.bonus_bands.empty()) {
    auto fen = exact::band_value(r.bonus_bands, number{out.total, 100});
    if (fen) out.bonus_fen = *fen;
  }
  return out;
}

nlohmann::ordered_json to_json(const rubric& r, const score& s) {
  using oj = nlohmann::ordered_json;
  auto pts = [](std::int64_t h) { return static_cast<double>(h) / 100.0; };
  oj out;
  out["program"] = r.program;
  out["items"] = oj::object();
  for (const auto& i : s.items) out["items"][i.key] = pts(i.points);
  out["total"] = pts(s.total);
  if (!r.tiers.empty()) out["tier"] = s.tier ? oj(*s.tier) : oj(nullptr);
  out["flags"] = s.flags;
  if (!r.bonus_bands.empty()) out["bonus_fen"] = s.bonus_fen ? oj(*s.bonus_fen) : oj(nullptr);
  if (r.standard_score) {
    out["required_level"] = oj::object();
    out["gap"] = oj::object();
    for (const auto& i : s.items) {
      out["required_level"][i.key] = i.required_level ? oj(*i.required_level) : oj(nullptr);
      out["gap"][i.key] = pts(i.gap.value_or(0));
    }
  }
  bool averages = std::any_of(s.items.begin(), s.items.end(),
                              [](const item_result& i) { return i.exam_average.has_value(); });
  if (averages) {
    out["exam_average"] = oj::object();
    for (const auto& i : s.items)
      if (i.exam_average) out["exam_average"][i.key] = pts(*i.exam_average);
  }
  if (!s.areas.empty()) {
    out["areas"] = oj::object();
    for (const auto& a : s.areas) out["areas"][a.key] = pts(a.mean);
  }
  if (r.many_raters) {
    out["raters"] = s.raters;
    out["spread"] = oj::object();
    for (const auto& i : s.items)  // rated items someone rated
      if (i.spread) out["spread"][i.key] = pts(*i.spread);
  }
  return out;
}

}  // namespace af::rubric
