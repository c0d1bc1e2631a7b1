// rubric_load.cpp: reading a rubric file (schemas/rubrics/*.json) into a
// rubric value and validating it as it is read: the scale, the items and
// how each is assessed, the areas, the total and its tiers, and the
// competency model's standard table; load_file and load_dir around it.
// Every refusal names the file and the key (rubric.h, parse).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "workers/domain/rubric.h"

namespace af::rubric {
namespace {

using json = nlohmann::json;

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
  if (measure == "quarter_conversion_percent" || measure == "repeat_purchase_percent")
    return *exact::parse_interval("[0, 100]");
  if (measure == "new_customers" || measure == "complaints")
    return *exact::parse_interval("[0, inf)");
  // Net sales, and so completion and growth, may be negative.
  return *exact::parse_interval("(-inf, inf)");
}

// An exam item's "exam": {"factor": "0.05"} or {"bands": [...]}; `k`
// names the item.
status parse_exam(const json& j, const rubric& r, const std::string& src, const std::string& k,
                  item& it) {
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
      return bad(src, k + ".exam.factor",
                 "a score of 100 would give more than the scale's " + std::to_string(r.scale_max));
    return status::ok();
  }
  auto bands = parse_bands(e["bands"], "points", r.scale_min, r.scale_max, exam_domain, src,
                           k + ".exam.bands");
  if (!bands) return bands.error();
  it.exam_bands = std::move(bands).value();
  return status::ok();
}

// "no_data": {"points": N, "flag": TEXT}: what a computed item scores
// without its measure, a rated item when none of its raters rated it.
status parse_no_data(const json& j, const std::string& src, const std::string& k, int max_points,
                     item& it) {
  if (!j.contains("no_data")) return status::ok();
  const json& nd = j["no_data"];
  if (!nd.is_object()) return bad(src, k + ".no_data", "must be {\"points\": N, \"flag\": TEXT}");
  auto p = whole(nd.value("points", json()), src, k + ".no_data.points", 0, max_points);
  if (!p) return p.error();
  it.no_data_points = *p;
  it.no_data_flag = nd.value("flag", it.key + ": no data");
  return status::ok();
}

// A computed item's measure, its bands and what it scores without data.
status parse_computed(const json& j, const rubric& r, const std::string& src, const std::string& k,
                      item& it) {
  it.measure = j.value("measure", "");
  if (std::find(std::begin(known_measures), std::end(known_measures), it.measure) ==
      std::end(known_measures)) {
    std::string names;
    for (auto m : known_measures) names += (names.empty() ? "" : ", ") + std::string(m);
    return bad(src, k + ".measure", "unknown measure \"" + it.measure + "\" (" + names + ")");
  }
  // With a weight the bands give 0..weight points, else points on the scale.
  int lo = it.weight ? 0 : r.scale_min, hi = it.weight ? *it.weight : r.scale_max;
  auto bands = parse_bands(j.value("bands", json()), "points", lo, hi, measure_domain(it.measure),
                           src, k + ".bands");
  if (!bands) return bands.error();
  it.measure_bands = std::move(bands).value();
  return parse_no_data(j, src, k, it.weight.value_or(r.scale_max), it);
}

// A rated item's own "scale" (else the rubric's) and "rated_by" (kinds of
// rater; absent: every rater).
status parse_rated(const json& j, const rubric& r, const std::string& src, const std::string& k,
                   item& it) {
  if (j.contains("exam") || j.contains("measure") || j.contains("bands"))
    return bad(src, k, "a rated item has no exam, measure or bands");
  it.scale_min = r.scale_min;
  it.scale_max = r.scale_max;
  if (j.contains("scale")) {
    const json& scale = j["scale"];
    if (!scale.is_object()) return bad(src, k + ".scale", "must be {\"min\": 1, \"max\": 4}");
    if (status s = unknown_keys(scale, {"min", "max", "labels"}, src, k + ".scale"); !s) return s;
    auto lo = whole(scale.value("min", json()), src, k + ".scale.min", 0, 100);
    if (!lo) return lo.error();
    auto hi = whole(scale.value("max", json()), src, k + ".scale.max", 1, 100);
    if (!hi) return hi.error();
    if (*hi <= *lo) return bad(src, k + ".scale", "max must be above min");
    it.scale_min = *lo;
    it.scale_max = *hi;
    it.scale_labels = labels_of(scale.value("labels", json()));
  }
  if (j.contains("rated_by")) {
    if (!j["rated_by"].is_array() || j["rated_by"].empty())
      return bad(src, k + ".rated_by", "must be a non-empty list of supervisor, peer, customer");
    for (const auto& kind : j["rated_by"]) {
      std::string name = kind.is_string() ? kind.get<std::string>() : kind.dump();
      if (name != "supervisor" && name != "peer" && name != "customer")
        return bad(src, k + ".rated_by", "\"" + name + "\" is not supervisor, peer or customer");
      it.rated_by.push_back(name);
    }
  }
  return parse_no_data(j, src, k, it.weight.value_or(r.scale_max), it);
}

result<item> parse_item(const json& j, const rubric& r, const std::string& src,
                        const std::string& key) {
  if (!j.is_object()) return bad(src, key, "must be an object");
  if (status s = unknown_keys(j,
                              {"key", "group", "area", "label", "how", "assessed", "exam",
                               "measure", "bands", "no_data", "rated_by", "scale", "weight"},
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
  if (j.contains("weight")) {
    auto w = whole(j["weight"], src, k + ".weight", 1, 100);
    if (!w) return w.error();
    it.weight = *w;
  }
  std::string how = j.value("assessed", "");
  if (how != "rated" && (j.contains("rated_by") || j.contains("scale")))
    return bad(src, k, "only a rated item has rated_by or its own scale");
  if (how == "rated") {
    it.how = assessed::rated;
    if (status s = parse_rated(j, r, src, k, it); !s) return s;
  } else if (how == "exam") {
    if (it.weight) return bad(src, k + ".weight", "an exam item has no weight");
    it.how = assessed::exam;
    if (status s = parse_exam(j, r, src, k, it); !s) return s;
  } else if (how == "computed") {
    it.how = assessed::computed;
    if (status s = parse_computed(j, r, src, k, it); !s) return s;
  } else {
    return bad(src, k + ".assessed", "must be rated, exam or computed");
  }
  return it;
}

// "scale": {"min": 1, "max": 5, "labels": {...}}.
status parse_scale(const json& j, rubric& r, const std::string& src) {
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
  return status::ok();
}

// "raters": "one" (the default) or "many"; with many, "rater_weights":
// {"supervisor": 70, "peer": 30}.
status parse_raters(const json& j, rubric& r, const std::string& src) {
  std::string raters = j.value("raters", "one");
  if (raters != "one" && raters != "many") return bad(src, "raters", "must be \"one\" or \"many\"");
  r.many_raters = raters == "many";
  if (!j.contains("rater_weights")) return status::ok();
  const json& w = j["rater_weights"];
  if (!r.many_raters) return bad(src, "rater_weights", "only with many raters");
  if (!w.is_object() || w.empty())
    return bad(src, "rater_weights", "must be an object of kind: weight");
  for (auto it = w.begin(); it != w.end(); ++it) {
    if (it.key() != "supervisor" && it.key() != "peer" && it.key() != "customer")
      return bad(src, "rater_weights." + it.key(), "is not supervisor, peer or customer");
    auto n = whole(it.value(), src, "rater_weights." + it.key(), 1, 100);
    if (!n) return n.error();
    r.rater_weights[it.key()] = *n;
  }
  return status::ok();
}

// "items": each key once; with many raters every item is rated.
status parse_items(const json& j, rubric& r, const std::string& src) {
  if (!j.contains("items") || !j["items"].is_array() || j["items"].empty())
    return bad(src, "items", "must be a non-empty array");
  for (std::size_t i = 0; i < j["items"].size(); ++i) {
    auto it = parse_item(j["items"][i], r, src, "items[" + std::to_string(i) + "]");
    if (!it) return it.error();
    if (r.find(it->key))
      return bad(src, "items[" + std::to_string(i) + "]", "item \"" + it->key + "\" appears twice");
    if (r.many_raters && it->how == assessed::exam)
      return bad(src, "items[" + std::to_string(i) + "] (" + it->key + ")",
                 "with many raters no item is an exam");
    r.items.push_back(std::move(it).value());
  }
  return status::ok();
}

// "areas", optional: every item in one of them, none of them empty.
status parse_areas(const json& j, rubric& r, const std::string& src) {
  if (!j.contains("areas")) return status::ok();
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
  return status::ok();
}

// A weighted total: every item has a weight, no item is an exam, the
// weights add up to 100.
status check_weights(const rubric& r, const std::string& src) {
  int sum = 0;
  for (std::size_t i = 0; i < r.items.size(); ++i) {
    std::string k = "items[" + std::to_string(i) + "] (" + r.items[i].key + ")";
    if (r.items[i].how == assessed::exam)
      return bad(src, k, "a weighted total scores rated and computed items, not exams");
    if (!r.items[i].weight) return bad(src, k + ".weight", "missing (the total is weighted)");
    sum += *r.items[i].weight;
  }
  if (sum != 100)
    return bad(src, "items", "the weights add up to " + std::to_string(sum) + ", not 100");
  return status::ok();
}

// "total": {"of": "sum" | "mean_of_areas" | "weighted", "tiers": [...],
// "bonus": [...]}; the tiers and the bonus bands cover every total the
// items can add up to.
status parse_total(const json& j, rubric& r, const std::string& src) {
  const json& total = j.value("total", json::object());
  if (!total.is_object()) return bad(src, "total", "must be an object");
  if (status s = unknown_keys(total, {"of", "tiers", "bonus"}, src, "total"); !s) return s;
  std::string of = total.value("of", "sum");
  if (of == "mean_of_areas") {
    if (r.areas.empty()) return bad(src, "total.of", "mean_of_areas needs areas");
    r.total_is_mean_of_areas = true;
  } else if (of == "weighted") {
    if (status s = check_weights(r, src); !s) return s;
    r.total_is_weighted = true;
  } else if (of != "sum") {
    return bad(src, "total.of", "must be \"sum\", \"mean_of_areas\" or \"weighted\"");
  }
  if (!r.total_is_weighted)
    for (const auto& it : r.items)
      if (it.weight) return bad(src, "items (" + it.key + ").weight", "only with a weighted total");
  int max_total = r.total_is_weighted        ? 100
                  : r.total_is_mean_of_areas ? r.scale_max
                                             : r.scale_max * static_cast<int>(r.items.size());
  auto domain = exact::parse_interval("[0, " + std::to_string(max_total) + "]");
  if (total.contains("tiers")) {
    auto tiers = parse_bands(total["tiers"], "tier", 1, 9, *domain, src, "total.tiers");
    if (!tiers) return tiers.error();
    r.tiers = std::move(tiers).value();
    for (const auto& t : total["tiers"])
      if (t.contains("label") && t["label"].is_string())
        r.tier_labels[t["tier"].get<int>()] = t["label"].get<std::string>();
  }
  if (total.contains("bonus")) {
    auto bonus = parse_bands(total["bonus"], "fen", 0, 100000000, *domain, src, "total.bonus");
    if (!bonus) return bonus.error();
    r.bonus_bands = std::move(bonus).value();
  }
  return status::ok();
}

// The competency model's "standard_score", "levels" and
// "required_level_by_grade" (grades 1..4, each a known level): all three
// or none.
status parse_standard_table(const json& j, rubric& r, const std::string& src) {
  if (!j.contains("standard_score")) {
    if (j.contains("levels") || j.contains("required_level_by_grade"))
      return bad(src, "standard_score", "levels and required levels need a standard_score");
    return status::ok();
  }
  auto s = whole(j["standard_score"], src, "standard_score", r.scale_min, r.scale_max);
  if (!s) return s.error();
  r.standard_score = *s;
  r.levels = labels_of(j.value("levels", json()));
  if (r.levels.empty()) return bad(src, "levels", "a standard table needs its proficiency levels");
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
  return status::ok();
}

}  // namespace

// A function-try-block: a value of the wrong type that a `value()` or
// `get()` in a parse_* above meets throws, and is this file's error like
// any other.
result<rubric> parse(std::string_view text, const std::string& src) try {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  if (status s =
          unknown_keys(j,
                       {"program", "description", "scale", "raters", "rater_weights", "areas",
                        "items", "total", "standard_score", "levels", "required_level_by_grade"},
                       src, "");
      !s)
    return s;
  rubric r;
  if (!j.contains("program") || !j["program"].is_string()) return bad(src, "program", "missing");
  r.program = j["program"].get<std::string>();
  if (status s = parse_scale(j, r, src); !s) return s;
  if (status s = parse_raters(j, r, src); !s) return s;
  if (status s = parse_items(j, r, src); !s) return s;
  if (status s = parse_areas(j, r, src); !s) return s;
  if (status s = parse_total(j, r, src); !s) return s;
  if (status s = parse_standard_table(j, r, src); !s) return s;
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

}  // namespace af::rubric
