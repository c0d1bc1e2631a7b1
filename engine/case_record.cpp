#include "engine/case_record.h"

#include "base/exact.h"
#include "messages/json_text.h"

namespace af::engine {
namespace {

using json = msg::json;

json exam_json(const rubric::exam_input& e) {
  if (e.parts.empty()) return msg::points(e.hundredths);
  json parts = json::array();
  for (const auto& [score, weight] : e.parts)
    parts.push_back({msg::points(score), msg::points(weight)});
  return json{{"parts", parts}};
}

// A stored number (written from hundredths) back to hundredths, from its
// shortest decimal text: 87.5 -> 8750. Not a number: 0.
std::int64_t hundredths_of(const json& v) {
  if (!v.is_number()) return 0;
  auto d = exact::parse_decimal(v.dump());
  return d ? exact::hundredths_half_up(*d) : 0;
}

rubric::exam_input exam_of(const json& v) {
  rubric::exam_input e;
  if (!v.is_object()) {
    e.hundredths = hundredths_of(v);
    return e;
  }
  if (v.contains("parts") && v["parts"].is_array())
    for (const auto& part : v["parts"])
      if (part.is_array() && part.size() == 2)
        e.parts.emplace_back(hundredths_of(part[0]), hundredths_of(part[1]));
  return e;
}

std::map<std::string, int> ratings_of(const json& j) {
  std::map<std::string, int> out;
  if (!j.is_object()) return out;
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.value().is_number_integer()) out[it.key()] = it.value().get<int>();
  return out;
}

json parse_object(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  json j = json::parse(*text, nullptr, false);
  return j.is_object() ? j : json(nullptr);
}

}  // namespace

std::string encode_review(const review_record& r) {
  json stored{{"ratings", r.form.ratings}, {"exams", json::object()}, {"by", r.by}, {"at", r.at}};
  for (const auto& [k, v] : r.form.exams) stored["exams"][k] = exam_json(v);
  if (r.form.comment) stored["comment"] = *r.form.comment;
  return stored.dump();
}

std::optional<review_record> decode_review(const std::optional<std::string>& text) {
  json j = parse_object(text);
  if (!j.is_object()) return std::nullopt;
  review_record r;
  r.form.ratings = ratings_of(j.value("ratings", json()));
  if (j.contains("exams") && j["exams"].is_object())
    for (auto it = j["exams"].begin(); it != j["exams"].end(); ++it)
      r.form.exams[it.key()] = exam_of(it.value());
  if (j.contains("comment") && j["comment"].is_string())
    r.form.comment = j["comment"].get<std::string>();
  if (j.contains("by") && j["by"].is_string()) r.by = j["by"].get<std::string>();
  if (j.contains("at") && j["at"].is_string()) r.at = j["at"].get<std::string>();
  return r;
}

std::string encode_ratings(const std::map<std::string, int>& ratings) {
  return json(ratings).dump();
}

std::map<std::string, int> decode_ratings(const std::string& text) {
  return ratings_of(json::parse(text, nullptr, false));
}

std::vector<std::string> decode_flags(const std::optional<std::string>& text) {
  std::vector<std::string> out;
  if (!text) return out;
  json j = json::parse(*text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& f : j)
    if (f.is_string()) out.push_back(f.get<std::string>());
  return out;
}

std::string encode_flags(const std::vector<std::string>& flags) { return json(flags).dump(); }

result<std::string> encode_targets_result(const month_figures& figures,
                                          const std::string& month_json) {
  if (!msg::valid_utf8(month_json) || !msg::json_depth_within(month_json))
    return status::invalid("targets result is not UTF-8 JSON nesting at most " +
                           std::to_string(msg::max_json_depth) + " deep");
  json month = json::parse(month_json, nullptr, false);
  if (!month.is_object()) return status::invalid("targets result is not a JSON object");
  json by_brand = json::object();
  for (const auto& [brand, f] : figures)
    by_brand[brand] = {{"target_fen", f.target_fen}, {"net_fen", f.net_fen}};
  return json{{"figures", by_brand}, {"month", month}}.dump();
}

std::optional<month_figures> decode_figures(const std::optional<std::string>& result_text) {
  json stored = parse_object(result_text);
  if (!stored.is_object() || !stored.contains("figures") || !stored["figures"].is_object())
    return std::nullopt;
  month_figures out;
  for (auto it = stored["figures"].begin(); it != stored["figures"].end(); ++it) {
    const json& f = it.value();
    if (!f.is_object()) return std::nullopt;
    out[it.key()] = {f.value("target_fen", std::int64_t{0}), f.value("net_fen", std::int64_t{0})};
  }
  return out;
}

std::string encode_proposals(const std::vector<standard_proposal>& proposals) {
  json out = json::array();
  for (const auto& p : proposals)
    out.push_back(p.expert.empty() ? json{{"by", p.by}, {"level", p.level}}
                                   : json{{"expert", p.expert}, {"level", p.level}});
  return out.dump();
}

result<std::string> encode_scoring_result(const msg::scoring_result& r,
                                          const std::set<std::string>& items,
                                          const std::string& program) {
  for (const auto& [key, points] : r.items)
    if (!items.count(key))
      return status::invalid("result item \"" +
                             (msg::valid_utf8(key) ? key.substr(0, 64) : std::string("?")) +
                             "\" is not an item of " + program);
  for (const auto& flag : r.flags)
    if (!msg::valid_utf8(flag) || flag.size() > 500)
      return status::invalid("result flag is not UTF-8 text of at most 500 bytes");
  if (!msg::valid_utf8(r.detail_json) || !msg::json_depth_within(r.detail_json))
    return status::invalid("result detail is not UTF-8 JSON nesting at most " +
                           std::to_string(msg::max_json_depth) + " deep");
  json result{{"items", json::object()}, {"flags", r.flags}};
  for (const auto& [key, points] : r.items) result["items"][key] = msg::points(points);
  // The program's further figures: required levels and gaps, area means, spreads.
  json detail = r.detail_json.empty() ? json::object() : json::parse(r.detail_json, nullptr, false);
  if (!detail.is_object()) return status::invalid("result detail is not a JSON object");
  for (auto it = detail.begin(); it != detail.end(); ++it) result[it.key()] = it.value();
  return msg::dump_fixed2(result);
}

std::string outcome_of(const std::optional<std::string>& result_text) {
  if (!result_text) return "";
  auto j = json::parse(*result_text, nullptr, false);
  if (!j.is_object() || !j.contains("outcome") || !j["outcome"].is_string()) return "";
  return j["outcome"].get<std::string>();
}

}  // namespace af::engine
