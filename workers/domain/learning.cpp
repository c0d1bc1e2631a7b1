#include "workers/domain/learning.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>

namespace af::learning {
namespace {

using json = nlohmann::json;

status bad(const std::string& src, const std::string& key, const std::string& what) {
  return status::invalid(src + ": " + key + ": " + what);
}

bool id_ok(const std::string& id) {
  return !id.empty() && id.size() <= 40 && std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-';
  });
}

}  // namespace

const activity* catalogue::find(std::string_view id) const {
  for (const auto& a : activities)
    if (a.id == id) return &a;
  return nullptr;
}

result<catalogue> parse_catalogue(std::string_view text, const std::string& src,
                                  const rubric::rubric& r) try {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "description" && it.key() != "program" && it.key() != "activities")
      return bad(src, it.key(), "unknown key");
  catalogue c;
  c.program = j.value("program", "");
  if (c.program != r.program)
    return bad(src, "program", "must be \"" + r.program + "\", whose items it teaches");
  if (r.levels.empty()) return bad(src, "program", r.program + " has no proficiency levels");
  const json& list = j.value("activities", json());
  if (!list.is_array() || list.empty()) return bad(src, "activities", "must be a non-empty array");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string key = "activities[" + std::to_string(i) + "]";
    const json& a = list[i];
    if (!a.is_object()) return bad(src, key, "must be an object");
    for (auto it = a.begin(); it != a.end(); ++it)
      if (it.key() != "id" && it.key() != "item" && it.key() != "level" && it.key() != "kind" &&
          it.key() != "title")
        return bad(src, key + "." + it.key(), "unknown key");
    activity act{a.value("id", ""), a.value("item", ""), 0, a.value("kind", ""),
                 a.value("title", "")};
    if (!id_ok(act.id)) return bad(src, key + ".id", "must be 1..40 letters, digits or -");
    if (!ids.insert(act.id).second) return bad(src, key + ".id", act.id + " appears twice");
    if (!r.find(act.item))
      return bad(src, key + ".item", "\"" + act.item + "\" is not an item of " + r.program);
    if (!a.contains("level") || !a["level"].is_number_integer() ||
        !r.levels.count(a["level"].get<int>()))
      return bad(src, key + ".level",
                 "must be a level " + std::to_string(r.levels.begin()->first) + ".." +
                     std::to_string(r.levels.rbegin()->first));
    act.level = a["level"].get<int>();
    if (act.kind != "course" && act.kind != "coaching" && act.kind != "practice")
      return bad(src, key + ".kind", "must be course, coaching or practice");
    if (act.title.empty()) return bad(src, key + ".title", "missing");
    c.activities.push_back(std::move(act));
  }
  return c;
} catch (const json::exception& e) {
  return status::invalid(src + ": a value of the wrong type: " + e.what());
}

std::vector<plan_entry> build_plan(const catalogue& c, const std::vector<item_gap>& gaps) {
  std::vector<item_gap> order;
  for (const auto& g : gaps)
    if (g.gap > 0) order.push_back(g);
  std::stable_sort(order.begin(), order.end(),
                   [](const item_gap& a, const item_gap& b) { return a.gap > b.gap; });
  std::vector<plan_entry> plan;
  for (const auto& g : order) {
    int lowest = g.gap >= 200 ? g.required_level - 1 : g.required_level;
    for (int level = lowest; level <= g.required_level; ++level)
      for (const auto& a : c.activities)
        if (a.item == g.item && a.level == level) plan.push_back({a, g.gap});
  }
  return plan;
}

}  // namespace af::learning
