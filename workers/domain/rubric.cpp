#include "workers/domain/rubric.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

namespace af::rubric {
namespace {

using json = nlohmann::json;
using exact::number;

status bad(const std::string& src, const std::string& key, const std::string& what) {
  return status::invalid(src + ": " + key + ": " + what);
}

status unknown_keys(const json& j, const std::set<std::string>& known, const std::string& src,
                    const std::string& key) {
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key()))
      return bad(src, key.empty() ? it.key() : key + "." + it.key(), "unknown key");
  return status::ok();
}

result<int> whole(const json& j, const std::string& src, const std::string& key, int lo, int hi) {
  if (!j.is_number_integer() || j.get<long long>() < lo || j.get<long long>() > hi)
    return bad(src, key,
               "must be a whole number " + std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(j.get<long long>());
}

// [{"range": "[0, 41)", "points": 1}, ...], lowest first, contiguous,
// covering `domain`.
result<std::vector<exact::band>> parse_bands(const json& j, const char* value_key, int lo, int hi,
                                             const exact::interval& domain, const std::string& src,
                                             const std::string& key) {
  if (!j.is_array() || j.empty()) return bad(src, key, "must be a non-empty array of bands");
  std::vector<exact::band> out;
  for (std::size_t i = 0; i < j.size(); ++i) {
    std::string k = key + "[" + std::to_string(i) + "]";
    const json& b = j[i];
    if (!b.is_object())
      return bad(src, k,
                 "must be an object {\"range\": ..., \"" + std::string(value_key) + "\": ...}");
    if (status s = unknown_keys(b, {"range", value_key, "label"}, src, k); !s) return s;
    if (!b.contains("range") || !b["range"].is_string()) return bad(src, k + ".range", "missing");
    auto range = exact::parse_interval(b["range"].get<std::string>());
    if (!range) return bad(src, k + ".range", range.error().message());
    auto v = whole(b.value(value_key, json()), src, k + "." + value_key, lo, hi);
    if (!v) return v.error();
    out.push_back({*range, *v});
  }
  if (status s = exact::check_bands(out, key); !s) return status::invalid(src + ": " + s.message());
  if (!exact::covers(out, domain))
    return bad(src, key, "the bands leave part of " + domain.text + " without points");
  return out;
}

std::map<int, std::string> labels_of(const json& j) {
  std::map<int, std::string> out;
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.value().is_string()) out[std::atoi(it.key().c_str())] = it.value().get<std::string>();
  return out;
}

const exact::interval exam_domain = *exact::parse_interval("[0, 100]");

// The values a measure can take, which its bands must cover.
exact::interval measure_domain(const std::string& measure) {
  if (measure == "years_in_trade") return *exact::parse_interval("[0, inf)");
  if (measure == "quarter_conversion_percent") return *exact::parse_interval("[0, 100]");
  return *exact::parse_interval("(-inf, inf)");  // net sales may be negative
}

result<item> parse_item(const json& j, const rubric& r, const std::string& src,
                        const std::string& key) {
  if (!j.is_object()) return bad(src, key, "must be an object");
  if (status s = unknown_keys(j,
                              {"key", "group", "area", "label", "how", "assessed", "exam",
                               "measure", "bands", "no_data"},
                              src, key);
      !s)
    return s;
  item it;
  if (!j.contains("key") || !j["key"].is_string() || j["key"].get<std::string>().empty())
    return bad(src, key + ".key", "missing");
  it.key = j["key"].get<std::string>();
  std::string k = key + " (" + it.key + ")";
  it.group = j.value("group", j.value("area", ""));
  it.label = j.value("label", "");
  std::string how = j.value("assessed", "");
  if (how == "rated") {
    it.how = assessed::rated;
    if (j.contains("exam") || j.contains("measure") || j.contains("bands"))
      return bad(src, k, "a rated item has no exam, measure or bands");
  } else if (how == "exam") {
    it.how = assessed::exam;
    const json& e = j.value("exam", json());
    if (!e.is_object())
      return bad(src, k + ".exam",
                 "must say how the score becomes points: {\"factor\": ...} or {\"bands\": [...]}");
    if (status s = unknown_keys(e, {"factor", "bands"}, src, k + ".exam"); !s) return s;
    if (e.contains("factor") == e.contains("bands"))
      return bad(src, k + ".exam", "needs exactly one of factor or bands");
    if (e.contains("factor")) {
      auto f = e["factor"].is_string() ? exact::parse_decimal(e["factor"].get<std::string>())
                                       : std::nullopt;
      if (!f || f->num <= 0)
        return bad(src, k + ".exam.factor",
                   "must be a positive decimal written as text, e.g. \"0.05\"");
      it.exam_factor = *f;
      if (exact::hundredths_half_up({f->num * 100, f->den}) > r.scale_max * 100)
        return bad(
            src, k + ".exam.factor",
            "a score of 100 would give more than the scale's " + std::to_string(r.scale_max));
    } else {
      auto bands = parse_bands(e["bands"], "points", r.scale_min, r.scale_max, exam_domain, src,
                               k + ".exam.bands");
      if (!bands) return bands.error();
      it.exam_bands = std::move(bands).value();
    }
  } else if (how == "computed") {
    it.how = assessed::computed;
    it.measure = j.value("measure", "");
    if (std::find(std::begin(known_measures), std::end(known_measures), it.measure) ==
        std::end(known_measures))
      return bad(src, k + ".measure",
                 "unknown measure \"" + it.measure +
                     "\" (years_in_trade, sales_last_year_cny, quarter_conversion_percent)");
    auto bands = parse_bands(j.value("bands", json()), "points", r.scale_min, r.scale_max,
                             measure_domain(it.measure), src, k + ".bands");
    if (!bands) return bands.error();
    it.measure_bands = std::move(bands).value();
    if (j.contains("no_data")) {
      const json& nd = j["no_data"];
      if (!nd.is_object())
        return bad(src, k + ".no_data", "must be {\"points\": N, \"flag\": TEXT}");
      auto p = whole(nd.value("points", json()), src, k + ".no_data.points", 0, r.scale_max);
      if (!p) return p.error();
      it.no_data_points = *p;
      it.no_data_flag = nd.value("flag", it.key + ": no data");
    }
  } else {
    return bad(src, k + ".assessed", "must be rated, exam or computed");
  }
  return it;
}

}  // namespace

const item* rubric::find(std::string_view key) const {
  for (const auto& i : items)
    if (i.key == key) return &i;
  return nullptr;
}

bool rubric::has_exams() const {
  return std::any_of(items.begin(), items.end(),
                     [](const item& i) { return i.how == assessed::exam; });
}

// A function-try-block: a value of the wrong type that a `value()` or
// `get()` below meets throws, and is this file's error like any other.
result<rubric> parse(std::string_view text, const std::string& src) try {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  if (status s = unknown_keys(j,
                              {"program", "description", "scale", "raters", "areas", "items",
                               "total", "standard_score", "levels", "required_level_by_grade"},
                              src, "");
      !s)
    return s;
  rubric r;
  if (!j.contains("program") || !j["program"].is_string()) return bad(src, "program", "missing");
  r.program = j["program"].get<std::string>();
  const json& scale = j.value("scale", json());
  if (!scale.is_object()) return bad(src, "scale", "missing ({\"min\": 1, \"max\": 5})");
  if (status s = unknown_keys(scale, {"min", "max", "labels"}, src, "scale"); !s) return s;
  auto lo = whole(scale.value("min", json()), src, "scale.min", 0, 100);
  if (!lo) return lo.error();
  auto hi = whole(scale.value("max", json()), src, "scale.max", 1, 100);
  if (!hi) return hi.error();
  if (*hi <= *lo) return bad(src, "scale", "max must be above min");
  r.scale_min = *lo;
  r.scale_max = *hi;
  r.scale_labels = labels_of(scale.value("labels", json()));
  std::string raters = j.value("raters", "one");
  if (raters != "one" && raters != "many") return bad(src, "raters", "must be \"one\" or \"many\"");
  r.many_raters = raters == "many";

  if (!j.contains("items") || !j["items"].is_array() || j["items"].empty())
    return bad(src, "items", "must be a non-empty array");
  for (std::size_t i = 0; i < j["items"].size(); ++i) {
    auto it = parse_item(j["items"][i], r, src, "items[" + std::to_string(i) + "]");
    if (!it) return it.error();
    if (r.find(it->key))
      return bad(src, "items[" + std::to_string(i) + "]", "item \"" + it->key + "\" appears twice");
    if (r.many_raters && it->how != assessed::rated)
      return bad(src, "items[" + std::to_string(i) + "] (" + it->key + ")",
                 "with many raters every item is rated");
    r.items.push_back(std::move(it).value());
  }

  if (j.contains("areas")) {
    if (!j["areas"].is_array() || j["areas"].empty())
      return bad(src, "areas", "must be a non-empty array");
    for (std::size_t a = 0; a < j["areas"].size(); ++a) {
      const json& aj = j["areas"][a];
      std::string k = "areas[" + std::to_string(a) + "]";
      if (!aj.is_object() || !aj.contains("key") || !aj["key"].is_string())
        return bad(src, k + ".key", "missing");
      r.areas.push_back({aj["key"].get<std::string>(), aj.value("label", ""), {}});
    }
    for (std::size_t i = 0; i < r.items.size(); ++i) {
      auto a = std::find_if(r.areas.begin(), r.areas.end(),
                            [&](const area& x) { return x.key == r.items[i].group; });
      if (a == r.areas.end())
        return bad(src, "items[" + std::to_string(i) + "] (" + r.items[i].key + ").area",
                   "\"" + r.items[i].group + "\" is not one of the areas");
      a->items.push_back(i);
    }
    for (const auto& a : r.areas)
      if (a.items.empty()) return bad(src, "areas." + a.key, "has no items");
  }

  const json& total = j.value("total", json::object());
  if (!total.is_object()) return bad(src, "total", "must be an object");
  if (status s = unknown_keys(total, {"of", "tiers"}, src, "total"); !s) return s;
  std::string of = total.value("of", "sum");
  if (of == "mean_of_areas") {
    if (r.areas.empty()) return bad(src, "total.of", "mean_of_areas needs areas");
    r.total_is_mean_of_areas = true;
  } else if (of != "sum") {
    return bad(src, "total.of", "must be \"sum\" or \"mean_of_areas\"");
  }
  if (total.contains("tiers")) {
    int max_total =
        r.total_is_mean_of_areas ? r.scale_max : r.scale_max * static_cast<int>(r.items.size());
    auto domain = exact::parse_interval("[0, " + std::to_string(max_total) + "]");
    auto tiers = parse_bands(total["tiers"], "tier", 1, 9, *domain, src, "total.tiers");
    if (!tiers) return tiers.error();
    r.tiers = std::move(tiers).value();
    for (const auto& t : total["tiers"])
      if (t.contains("label") && t["label"].is_string())
        r.tier_labels[t["tier"].get<int>()] = t["label"].get<std::string>();
  }

  if (j.contains("standard_score")) {
    auto s = whole(j["standard_score"], src, "standard_score", r.scale_min, r.scale_max);
    if (!s) return s.error();
    r.standard_score = *s;
    r.levels = labels_of(j.value("levels", json()));
    if (r.levels.empty())
      return bad(src, "levels", "a standard table needs its proficiency levels");
    const json& by_grade = j.value("required_level_by_grade", json());
    if (!by_grade.is_object()) return bad(src, "required_level_by_grade", "missing");
    for (auto it = by_grade.begin(); it != by_grade.end(); ++it) {
      int grade = std::atoi(it.key().c_str());
      if (grade < 1 || grade > 4)
        return bad(src, "required_level_by_grade." + it.key(), "grades are 1..4");
      auto lvl = whole(it.value(), src, "required_level_by_grade." + it.key(), 1, 100);
      if (!lvl) return lvl.error();
      if (!r.levels.count(*lvl))
        return bad(src, "required_level_by_grade." + it.key(),
                   "level " + std::to_string(*lvl) + " is not one of the levels");
      r.required_level_by_grade[grade] = *lvl;
    }
    for (int g = 1; g <= 4; ++g)
      if (!r.required_level_by_grade.count(g))
        return bad(src, "required_level_by_grade", "grade " + std::to_string(g) + " is missing");
  } else if (j.contains("levels") || j.contains("required_level_by_grade")) {
    return bad(src, "standard_score", "levels and required levels need a standard_score");
  }
  return r;
} catch (const json::exception& e) {
  return status::invalid(src + ": a value of the wrong type: " + e.what());
}

result<rubric> load_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return status::not_found("rubric file " + path + " cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path);
}

result<rubric_set> load_dir(const std::string& dir) {
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  if (ec) return status::not_found("rubric directory " + dir + " cannot be read: " + ec.message());
  std::sort(files.begin(), files.end());
  rubric_set out;
  for (const auto& f : files) {
    auto r = load_file(f.string());
    if (!r) return r.error();
    if (r->program != f.stem().string())
      return status::invalid(f.string() + ": program: \"" + r->program +
                             "\" must match the file name");
    out.emplace(r->program, std::move(r).value());
  }
  return out;
}

namespace {

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

status validate_ratings(const rubric& r, const std::map<std::string, int>& ratings) {
  std::string range = std::to_string(r.scale_min) + ".." + std::to_string(r.scale_max);
  for (const auto& [key, value] : ratings) {
    const item* it = r.find(key);
    if (!it) return status::invalid("ratings." + key + ": unknown item");
    if (it->how != assessed::rated)
      return status::invalid("ratings." + key + ": item is not rated (it is " +
                             (it->how == assessed::exam ? "an exam" : "computed") + ")");
    if (value < r.scale_min || value > r.scale_max)
      return status::invalid("ratings." + key + ": " + std::to_string(value) + " is out of range " +
                             range);
  }
  for (const auto& it : r.items)
    if (it.how == assessed::rated && !ratings.count(it.key))
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

std::map<std::string, int> default_required_levels(const rubric& r, int grade) {
  std::map<std::string, int> out;
  auto lvl = r.required_level_by_grade.find(grade);
  if (lvl == r.required_level_by_grade.end()) return out;
  for (const auto& it : r.items) out[it.key] = lvl->second;
  return out;
}

namespace {

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

}  // namespace

result<score> score_case(const rubric& r, const input& in) {
  if (in.ratings.empty()) return status::invalid("ratings: missing");
  if (!r.many_raters && in.ratings.size() != 1)
    return status::invalid("ratings: " + r.program + " has one rater");
  for (const auto& [rater, ratings] : in.ratings)
    if (status s = validate_ratings(r, ratings); !s)
      return r.many_raters ? status::invalid("rater " + rater + ": " + s.message()) : s;
  if (status s = validate_exams(r, in.exams, true); !s) return s;
  score out;
  out.raters = static_cast<int>(in.ratings.size());
  std::vector<number> exact_points;  // per item, for means
  for (const auto& it : r.items) {
    item_result res;
    res.key = it.key;
    number points;
    if (it.how == assessed::rated) {
      int lowest = r.scale_max, highest = r.scale_min;
      std::int64_t sum = 0;
      for (const auto& [rater, ratings] : in.ratings) {
        int v = ratings.at(it.key);
        sum += v;
        lowest = std::min(lowest, v);
        highest = std::max(highest, v);
      }
      points = number{sum, static_cast<std::int64_t>(in.ratings.size())};
      if (r.many_raters) res.spread = static_cast<std::int64_t>(highest - lowest) * 100;
    } else if (it.how == assessed::exam) {
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
      if (it.exam_factor)
        points = number{s.num * it.exam_factor->num, s.den * it.exam_factor->den};
      else
        points = number::whole(*exact::band_value(it.exam_bands, s));
    } else {
      auto m = in.measures.find(it.measure);
      if (m == in.measures.end()) {
        if (!it.no_data_points)
          return status::invalid(it.key + ": no " + it.measure + " to score it from");
        points = number::whole(*it.no_data_points);
        out.flags.push_back(it.no_data_flag);
      } else {
        auto v = exact::band_value(it.measure_bands, m->second);
        if (!v) return status::invalid(it.key + ": " + it.measure + " is outside every band");
        points = number::whole(*v);
      }
    }
    res.points = exact::hundredths_half_up(points);
    if (r.standard_score) {
      auto lvl = in.required_levels.find(it.key);
      if (lvl != in.required_levels.end()) res.required_level = lvl->second;
      res.gap = std::max<std::int64_t>(0, *r.standard_score * 100 - res.points);
    }
    exact_points.push_back(points);
    out.items.push_back(std::move(res));
  }
  number total{0, 1};
  if (r.total_is_mean_of_areas) {
    for (const auto& a : r.areas) {
      number sum{0, 1};
      for (auto i : a.items) sum = add(sum, exact_points[i]);
      number mean = divide(sum, static_cast<std::int64_t>(a.items.size()));
      out.areas.push_back({a.key, exact::hundredths_half_up(mean)});
      total = add(total, mean);
    }
    total = divide(total, static_cast<std::int64_t>(r.areas.size()));
  } else {
    for (std::size_t i = 0; i < r.items.size(); ++i) total = add(total, {out.items[i].points, 100});
    for (const auto& a : r.areas) {
      number sum{0, 1};
      for (auto i : a.items) sum = add(sum, exact_points[i]);
      out.areas.push_back({a.key, exact::hundredths_half_up(
                                      divide(sum, static_cast<std::int64_t>(a.items.size())))});
    }
  }
  out.total = exact::hundredths_half_up(total);
  if (!r.tiers.empty()) out.tier = exact::band_value(r.tiers, number{out.total, 100});
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
    for (const auto& i : s.items) out["spread"][i.key] = pts(i.spread.value_or(0));
  }
  return out;
}

}  // namespace af::rubric
