// standards_view.cpp: the competency model's standard table as it stands
// (`assessctl standards`): each item's required level by grade, adjusted
// where an adjustment applied, the level names, and every change made.
#include "engine/case_views.h"

namespace af::engine {

result<msg::json> case_views::standards(const std::string& program) {
  auto r = rubrics_.find(program);
  if (r == rubrics_.end() || !r->second.standard_score)
    return status::invalid("program: \"" + program + "\" has no standard table");
  auto adjusted = db_.standard_levels(program);
  json table = json::array();
  for (const auto& item : r->second.items) {
    json levels = json::object();
    for (int grade = 4; grade >= 1; --grade) {
      auto a = adjusted.find({item.key, grade});
      levels[std::to_string(grade)] =
          a != adjusted.end() ? a->second : r->second.required_level_by_grade.at(grade);
    }
    table.push_back({{"item", item.key}, {"group", item.group}, {"levels", levels}});
  }
  json history = json::array();
  for (const auto& c : db_.standard_changes(program))
    history.push_back({{"business_year", c.business_year},
                       {"item", c.item},
                       {"grade", c.grade},
                       {"proposals", json::parse(c.proposals_json, nullptr, false)},
                       {"mean", msg::points(c.mean)},
                       {"before", c.before},
                       {"after", c.after},
                       {"by", c.by},
                       {"at", c.at}});
  json levels = json::object();
  for (const auto& [n, name] : r->second.levels) levels[std::to_string(n)] = name;
  return json{{"program", program}, {"levels", levels}, {"table", table}, {"history", history}};
}

}  // namespace af::engine
