// case_reviews.cpp: what case_service keeps for the review programs beyond
// one rater's form. The competency model's standard table (DOMAIN.md
// program 2): the required level of every item by grade, from the rubric
// until adjusted; an adjustment (raters propose a level for an item and
// grade, the applied level is the mean rounded half up) at most once per
// program and business year, every change kept with who proposed what, the
// mean, before and after (`assessctl standards`). And the further raters
// of a key account review (program 4): peers and customers' representatives.
#include <algorithm>
#include <cctype>

#include "engine/case_service.h"

namespace af::engine {

std::map<std::string, int> case_service::required_levels(const case_row& c) {
  auto r = rubrics_.find(c.program);
  if (r == rubrics_.end() || !r->second.standard_score) return {};
  auto e = db_.find_employee(c.employee_id);
  int grade = e ? e->grade : 4;
  auto levels = rubric::default_required_levels(r->second, grade);
  for (const auto& [key, level] : db_.standard_levels(c.program))
    if (key.second == grade && levels.count(key.first)) levels[key.first] = level;
  return levels;
}

result<std::string> case_service::standards_program(const std::optional<std::string>& named) const {
  if (named) return *named;
  std::vector<std::string> with_table;
  for (const auto& [program, r] : rubrics_)
    if (r.standard_score) with_table.push_back(program);
  if (with_table.size() == 1) return with_table.front();
  if (with_table.empty()) return status::invalid("program: no program has a standard table");
  std::string names;
  for (const auto& p : with_table) names += (names.empty() ? "" : ", ") + p;
  return status::invalid("program: give one of " + names);
}

result<json> case_service::standards(const std::string& program) {
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

result<json> case_service::adjust_standards(const std::string& program, const json& changes,
                                            const std::string& as, std::int64_t now) {
  auto who = parse_actor(as);
  if (!who) return who.error();
  auto person = db_.find_employee(who->id);
  if (!person) return status::forbidden("as: unknown employee \"" + who->id + "\"");
  if (who->claimed != role::hr && who->claimed != role::admin)
    return status::forbidden("only hr or admin may adjust the standard table");
  if (status s = authorize({}, who->claimed, who->id, org_roles_of(person->roles)); !s) return s;
  auto r = rubrics_.find(program);
  if (r == rubrics_.end() || !r->second.standard_score)
    return status::invalid("program: \"" + program + "\" has no standard table");
  const rubric::rubric& rub = r->second;
  int year = local_date(now, tz_).year;
  for (const auto& c : db_.standard_changes(program))
    if (c.business_year == year)
      return status::conflict("the standard table of " + program +
                              " was already adjusted in business year " + std::to_string(year) +
                              " (at " + c.at + "); the next adjustment is possible from " +
                              std::to_string(year + 1) + "-01-01");
  if (!changes.is_array() || changes.empty())
    return status::invalid("changes: must be a non-empty array");
  auto current = db_.standard_levels(program);
  std::vector<store::standard_change> out;
  std::set<std::pair<std::string, int>> seen;
  int lowest = rub.levels.begin()->first, highest = rub.levels.rbegin()->first;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::string key = "changes[" + std::to_string(i) + "]";
    const json& c = changes[i];
    if (!c.is_object()) return status::invalid(key + ": must be {item, grade, proposals}");
    std::string item = c.value("item", "");
    if (!rub.find(item)) return status::invalid(key + ".item: unknown item \"" + item + "\"");
    const json& grade = c.value("grade", json());
    if (!grade.is_number_integer() || grade.get<int>() < 1 || grade.get<int>() > 4)
      return status::invalid(key + ".grade: must be 1..4");
    if (!seen.insert({item, grade.get<int>()}).second)
      return status::invalid(key + ": " + item + " at grade " + std::to_string(grade.get<int>()) +
                             " appears twice");
    const json& proposals = c.value("proposals", json());
    if (!proposals.is_array() || proposals.empty())
      return status::invalid(key + ".proposals: must be a non-empty array of {by, level}");
    std::int64_t sum = 0;
    std::set<std::string> raters;
    for (std::size_t p = 0; p < proposals.size(); ++p) {
      std::string pk = key + ".proposals[" + std::to_string(p) + "]";
      const json& pr = proposals[p];
      if (!pr.is_object() || !pr.contains("by") || !pr["by"].is_string())
        return status::invalid(pk + ".by: missing");
      std::string by = pr["by"].get<std::string>();
      if (!db_.find_employee(by))
        return status::invalid(pk + ".by: unknown employee \"" + by + "\"");
      if (!raters.insert(by).second) return status::invalid(pk + ".by: " + by + " proposes twice");
      const json& level = pr.value("level", json());
      if (!level.is_number_integer() || level.get<int>() < lowest || level.get<int>() > highest)
        return status::invalid(pk + ".level: must be a level " + std::to_string(lowest) + ".." +
                               std::to_string(highest));
      sum += level.get<int>();
    }
    auto n = static_cast<std::int64_t>(proposals.size());
    store::standard_change change;
    change.item = item;
    change.grade = grade.get<int>();
    change.proposals_json = proposals.dump();
    change.mean = exact::hundredths_half_up({sum, n});
    change.after = static_cast<int>((sum * 2 + n) /
                                    (2 * n));  // round half up of sum / n (levels are positive)
    auto adjusted = current.find({item, change.grade});
    change.before =
        adjusted != current.end() ? adjusted->second : rub.required_level_by_grade.at(change.grade);
    change.by = who->to_string();
    change.at = at(now);
    change.business_year = year;
    out.push_back(change);
  }
  json applied = json::array();
  for (const auto& c : out) {
    db_.add_standard_change(program, c);
    db_.set_standard_level(program, c.item, c.grade, c.after);
    applied.push_back({{"item", c.item},
                       {"grade", c.grade},
                       {"mean", msg::points(c.mean)},
                       {"before", c.before},
                       {"after", c.after}});
  }
  return json{{"program", program}, {"business_year", year}, {"changes", applied}};
}

result<json> case_service::add_raters(std::int64_t case_id, const json& raters,
                                      const std::string& as, const std::string& principal,
                                      std::int64_t now) {
  auto who = parse_actor(as);
  if (!who) return who.error();
  auto c = db_.find_case(case_id);
  if (!c) return status::not_found("case " + std::to_string(case_id) + " does not exist");
  auto person = db_.find_employee(who->id);
  if (!person) return status::forbidden("as: unknown employee \"" + who->id + "\"");
  if (who->claimed != role::supervisor && who->claimed != role::hrbp && who->claimed != role::hr &&
      who->claimed != role::admin)
    return status::forbidden("raters are named by the case's supervisor or HRBP, hr or admin");
  if (status s = authorize({c->employee_id, c->supervisor_id, c->hrbp_id, {}}, who->claimed,
                           who->id, org_roles_of(person->roles));
      !s)
    return s;
  auto r = rubrics_.find(c->program);
  if (r == rubrics_.end() || !r->second.many_raters)
    return status::invalid("case " + std::to_string(case_id) + ": " + c->program +
                           " has one rater, the supervisor");
  auto defined = programs_.find(c->program);
  if (defined == programs_.end())
    return status::conflict("case " + std::to_string(case_id) + ": its program " + c->program +
                            " is no longer defined");
  const workflow& wf = defined->second;
  auto state = wf.find_state(c->state);
  if (!state || wf.initial() != *state)
    return status::conflict("raters can be named while the case is in " +
                            wf.state_name(wf.initial()) + ", not " + c->state);
  if (!raters.is_array() || raters.empty() || raters.size() > 50)
    return status::invalid("raters: must be an array of 1..50 {id, kind, name}");
  std::vector<store::rater_row> rows;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < raters.size(); ++i) {
    std::string key = "raters[" + std::to_string(i) + "]";
    const json& x = raters[i];
    if (!x.is_object()) return status::invalid(key + ": must be {id, kind, name}");
    std::string id = x.value("id", ""), kind = x.value("kind", ""), name = x.value("name", "");
    if (id.empty() || id.size() > 40 || !std::all_of(id.begin(), id.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
        }))
      return status::invalid(key + ".id: must be 1..40 letters, digits, - or _");
    if (!ids.insert(id).second) return status::invalid(key + ".id: " + id + " appears twice");
    if (kind == "peer") {
      auto peer = db_.find_employee(id);
      if (!peer || !peer->active)
        return status::invalid(key + ".id: unknown or inactive employee \"" + id + "\"");
      if (id == c->employee_id)
        return status::invalid(key + ".id: " + id + " is the employee under review");
      if (id == c->supervisor_id)
        return status::invalid(key + ".id: " + id + " is the supervisor, who rates anyway");
      if (name.empty()) name = peer->name;
    } else if (kind == "customer") {
      if (name.empty() || name.size() > 200)
        return status::invalid(key + ".name: a customer's representative needs a name");
      if (db_.find_employee(id))
        return status::invalid(key + ".id: " + id + " is an employee; name them as a peer");
    } else {
      return status::invalid(key + ".kind: must be peer or customer");
    }
    rows.push_back({kind + ":" + id, name, who->to_string(), at(now)});
  }
  for (const auto& existing : db_.raters(case_id))
    for (const auto& row : rows)
      if (rater_id(existing.rater) == rater_id(row.rater))
        return status::conflict("raters: " + row.rater + " is already a rater of case " +
                                std::to_string(case_id));
  for (const auto& row : rows) db_.add_rater(case_id, row);
  db_.add_history(case_id, at(now), c->state, c->state, "raters", who->to_string(),
                  std::to_string(rows.size()) + " rater(s) named", principal);
  json out = json::array();
  for (const auto& row : db_.raters(case_id))
    out.push_back({{"rater", row.rater}, {"name", row.name}});
  return json{{"case", case_id}, {"raters", out}};
}

}  // namespace af::engine
