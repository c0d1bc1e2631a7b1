// case_reviews.cpp: what case_service keeps for the review programs beyond
// one rater's form. The competency model's standard table (DOMAIN.md
// program 2): the required level of every item by grade, from the rubric
// until adjusted; an adjustment (raters propose a level for an item and
// grade, the applied level is the mean rounded half up) at least 12 months
// after the program's last one ("one business year"), every change kept
// with who proposed what (managers or outside experts), the mean, before
// and after (`assessctl standards`). And the further raters
// of a key account review (program 4): peers and customers' representatives.
#include <algorithm>
#include <cctype>

#include "engine/case_service.h"

namespace af::engine {

civil_date next_adjustment_from(civil_date last) {
  civil_date next{last.year + 1, last.month, last.day};
  next.day = std::min(next.day, days_in_month(next.year, next.month));  // 29 Feb -> 28 Feb
  return next;
}

std::map<std::string, int> case_service::required_levels(const case_row& c) {
  auto r = rubrics_.find(c.program);
  if (r == rubrics_.end() || !r->second.standard_score) return {};
  // The grade the case opened at; for a case from before migration 009,
  // the employee's grade now.
  auto e = c.grade ? std::nullopt : db_.find_employee(c.employee_id);
  int grade = c.grade ? *c.grade : e ? e->grade : 4;
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

result<standards_adjusted> case_service::adjust_standards(
    const std::string& program, const result<std::vector<standard_change_input>>& changes,
    const std::string& as, std::int64_t now) {
  auto who = parse_actor(as);
  if (!who) return who.error();
  auto person = db_.find_employee(who->id);
  if (!person) return status::forbidden("as: unknown employee \"" + who->id + "\"");
  if (who->claimed != role::hr && who->claimed != role::admin)
    return status::forbidden("only hr or admin may adjust the standard table");
  if (status s = authorize({}, who->claimed, who->id, person->roles); !s) return s;
  auto r = rubrics_.find(program);
  if (r == rubrics_.end() || !r->second.standard_score)
    return status::invalid("program: \"" + program + "\" has no standard table");
  civil_date today = local_date(now, tz_);
  int year = today.year;
  auto history = db_.standard_changes(program);
  if (!history.empty()) {
    const std::string& last = history.back().at;
    civil_date next = next_adjustment_from(local_date(parse_instant(last).value_or(0), tz_));
    if (days_from_civil(today) < days_from_civil(next))
      return status::conflict("the standard table of " + program + " was last adjusted at " + last +
                              "; adjustments are at least 12 months apart, the next is "
                              "possible from " +
                              format_date(next));
  }
  if (!changes) return changes.error();
  auto current = db_.standard_levels(program);
  standards_adjusted done{program, year, {}};
  std::set<std::pair<std::string, int>> seen;
  for (std::size_t i = 0; i < changes->size(); ++i) {
    std::string key = "changes[" + std::to_string(i) + "]";
    const standard_change_input& in = (*changes)[i];
    if (!r->second.find(in.item))
      return status::invalid(key + ".item: unknown item \"" + in.item + "\"");
    if (in.grade < 1 || in.grade > 4) return status::invalid(key + ".grade: must be 1..4");
    if (!seen.insert({in.item, in.grade}).second)
      return status::invalid(key + ": " + in.item + " at grade " + std::to_string(in.grade) +
                             " appears twice");
    auto change = proposed_change(r->second, in, key, current);
    if (!change) return change.error();
    change->by = who->to_string();
    change->at = at(now);
    change->business_year = year;
    done.changes.push_back(std::move(*change));
  }
  for (const auto& c : done.changes) {
    db_.add_standard_change(program, c);
    db_.set_standard_level(program, c.item, c.grade, c.after);
  }
  return done;
}

result<store::standard_change> case_service::proposed_change(
    const rubric::rubric& rub, const standard_change_input& in, const std::string& key,
    const std::map<std::pair<std::string, int>, int>& current) {
  if (!in.proposals) return in.proposals.error();
  const auto& proposals = *in.proposals;
  int lowest = rub.levels.begin()->first, highest = rub.levels.rbegin()->first;
  std::int64_t sum = 0;
  std::set<std::string> raters;
  for (std::size_t p = 0; p < proposals.size(); ++p) {
    std::string pk = key + ".proposals[" + std::to_string(p) + "]";
    const standard_proposal& pr = proposals[p];
    if (!pr.expert.empty()) {
      if (pr.expert.size() > 200 || std::any_of(pr.expert.begin(), pr.expert.end(), [](char ch) {
            return static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f;
          }))
        return status::invalid(pk + ".expert: a name of at most 200 bytes, one line");
      if (!raters.insert("expert:" + pr.expert).second)
        return status::invalid(pk + ".expert: " + pr.expert + " proposes twice");
    } else if (!db_.find_employee(pr.by)) {
      return status::invalid(pk + ".by: unknown employee \"" + pr.by + "\"");
    } else if (!raters.insert(pr.by).second) {
      return status::invalid(pk + ".by: " + pr.by + " proposes twice");
    }
    if (pr.level < lowest || pr.level > highest)
      return status::invalid(pk + ".level: must be a level " + std::to_string(lowest) + ".." +
                             std::to_string(highest));
    sum += pr.level;
  }
  auto n = static_cast<std::int64_t>(proposals.size());
  store::standard_change change;
  change.item = in.item;
  change.grade = in.grade;
  change.proposals_json = encode_proposals(proposals);
  change.mean = exact::hundredths_half_up({sum, n});
  // Round half up of sum / n (levels are positive).
  change.after = static_cast<int>((sum * 2 + n) / (2 * n));
  auto adjusted = current.find({in.item, in.grade});
  change.before =
      adjusted != current.end() ? adjusted->second : rub.required_level_by_grade.at(in.grade);
  return change;
}

result<std::vector<store::rater_row>> case_service::add_raters(
    std::int64_t case_id, const result<std::vector<rater_input>>& raters, const std::string& as,
    const std::string& principal, std::int64_t now) {
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
                           who->id, person->roles);
      !s)
    return s;
  auto r = rubrics_.find(c->program);
  if (r == rubrics_.end() || !r->second.many_raters)
    return status::invalid("case " + std::to_string(case_id) + ": " + c->program +
                           " has one rater, the supervisor");
  auto [defined, state] = place_of(programs_, c->program, c->state);
  if (!defined)
    return status::conflict("case " + std::to_string(case_id) + ": its program " + c->program +
                            " is no longer defined");
  const workflow& wf = *defined;
  // Raters are named while raters may rate: in a state with a rater's transition.
  std::set<state_id> rating;
  for (const auto& t : wf.transitions())
    if (std::find(t.roles.begin(), t.roles.end(), role::rater) != t.roles.end())
      rating.insert(t.from);
  std::string rating_states;
  for (state_id s : rating)
    rating_states += (rating_states.empty() ? "" : " or ") + wf.state_name(s);
  if (!state || !rating.count(*state))
    return status::conflict("raters can be named while the case is in " + rating_states + ", not " +
                            c->state);
  if (!raters) return raters.error();
  std::vector<store::rater_row> rows;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < raters->size(); ++i) {
    std::string key = "raters[" + std::to_string(i) + "]";
    const std::string& id = (*raters)[i].id;
    if (id.empty() || id.size() > 40 || !std::all_of(id.begin(), id.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
        }))
      return status::invalid(key + ".id: must be 1..40 letters, digits, - or _");
    if (!ids.insert(id).second) return status::invalid(key + ".id: " + id + " appears twice");
    auto row = named_rater(*c, (*raters)[i], key, *who, now);
    if (!row) return row.error();
    rows.push_back(std::move(*row));
  }
  for (const auto& existing : db_.raters(case_id))
    for (const auto& row : rows)
      if (rater_id(existing.rater) == rater_id(row.rater))
        return status::conflict("raters: " + row.rater + " is already a rater of case " +
                                std::to_string(case_id));
  for (const auto& row : rows) db_.add_rater(case_id, row);
  db_.add_history(case_id, at(now), c->state, c->state, "raters", who->to_string(),
                  std::to_string(rows.size()) + " rater(s) named", principal);
  return db_.raters(case_id);
}

result<store::rater_row> case_service::named_rater(const case_row& c, const rater_input& in,
                                                   const std::string& key, const actor& by,
                                                   std::int64_t now) {
  const std::string& id = in.id;
  std::string name = in.name;
  if (in.kind == "peer") {
    auto peer = db_.find_employee(id);
    if (!peer || !peer->active)
      return status::invalid(key + ".id: unknown or inactive employee \"" + id + "\"");
    if (id == c.employee_id)
      return status::invalid(key + ".id: " + id + " is the employee under review");
    if (id == c.supervisor_id)
      return status::invalid(key + ".id: " + id + " is the supervisor, who rates anyway");
    if (name.empty()) name = peer->name;
  } else if (in.kind == "customer") {
    if (name.empty() || name.size() > 200)
      return status::invalid(key + ".name: a customer's representative needs a name");
    if (db_.find_employee(id))
      return status::invalid(key + ".id: " + id + " is an employee; name them as a peer");
  } else {
    return status::invalid(key + ".kind: must be peer or customer");
  }
  return store::rater_row{in.kind + ":" + id, name, by.to_string(), at(now)};
}

}  // namespace af::engine
