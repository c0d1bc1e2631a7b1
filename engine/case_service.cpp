#include "engine/case_service.h"

#include <algorithm>
#include <cmath>

#include "base/checked.h"
#include "base/civil_time.h"

namespace af::engine {
std::set<role> org_roles_of(const std::string& roles) {
  std::set<role> out;
  std::size_t start = 0;
  while (start <= roles.size()) {
    std::size_t end = roles.find(';', start);
    if (end == std::string::npos) end = roles.size();
    if (auto r = parse_role(roles.substr(start, end - start))) out.insert(*r);
    start = end + 1;
  }
  return out;
}

namespace {

// ratings: {"language": 4, ...}: whole numbers only.
result<std::map<std::string, int>> read_ratings(const json& j) {
  if (!j.is_object()) return status::invalid("ratings: must be an object of item: score");
  std::map<std::string, int> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const auto& v = it.value();
    if (!v.is_number_integer())
      return status::invalid("ratings." + it.key() + ": must be a whole number 1..5, got " +
                             v.dump());
    auto n = v.get<long long>();
    out[it.key()] = n < -1000 ? -1000 : n > 1000 ? 1000 : static_cast<int>(n);
  }
  return out;
}

// An exam as stored in a review: a number, or {"parts": [[score, weight], ...]}.
json exam_json(const rubric::exam_input& e) {
  if (e.parts.empty()) return msg::points(e.hundredths);
  json parts = json::array();
  for (const auto& [score, weight] : e.parts)
    parts.push_back({msg::points(score), msg::points(weight)});
  return json{{"parts", parts}};
}

json parse_stored(const std::optional<std::string>& text) {
  if (!text) return nullptr;
  return json::parse(*text, nullptr, false);
}

std::string month_before(const std::string& month, int back) {
  auto p = period::parse(month);
  for (int i = 0; i < back; ++i) p = p->previous();
  return p->to_string();
}

}  // namespace

result<actor> parse_actor(const std::string& as) {
  auto colon = as.find(':');
  if (as.empty())
    return status::invalid("as: missing (write ROLE:EMPLOYEE_ID, e.g. supervisor:S2001)");
  if (colon == std::string::npos || colon + 1 == as.size())
    return status::invalid("as: \"" + as + "\" is not ROLE:EMPLOYEE_ID");
  auto r = parse_role(as.substr(0, colon));
  if (!r || *r == role::system)
    return status::invalid("as: unknown role \"" + as.substr(0, colon) +
                           "\" (employee, supervisor, hrbp, hr, chairman, admin, rater)");
  return actor{*r, as.substr(colon + 1)};
}

json case_service::summary(const case_row& c, case_view view) {
  bool scores = view == case_view::full;
  return json{
      {"id", c.id},
      {"program", c.program},
      {"period", c.period},
      {"employee_id", c.employee_id},
      {"unit", c.unit},
      {"supervisor_id", c.supervisor_id},
      {"hrbp_id", c.hrbp_id.empty() ? json(nullptr) : json(c.hrbp_id)},
      {"state", c.state},
      {"tier", scores && c.tier ? json(*c.tier) : json(nullptr)},
      {"adjusted_tier", scores && c.adjusted_tier ? json(*c.adjusted_tier) : json(nullptr)}};
}

result<json> case_service::open_cycle(const std::string& program, const std::string& period_text,
                                      const std::optional<std::string>& unit, const std::string& by,
                                      std::int64_t now, outbox& out, std::optional<civil_date> due,
                                      const std::string& by_principal) {
  auto wf = programs_.find(program);
  if (wf == programs_.end()) return status::invalid("program: unknown program \"" + program + "\"");
  auto p = period::parse(period_text);
  if (!p) return status::invalid("period: \"" + period_text + "\" is not 2026-07, 2026-Q3 or 2026");
  const auto& kinds = wf->second.period_kinds();
  if (std::find(kinds.begin(), kinds.end(), p->kind) == kinds.end())
    return status::invalid("period: " + program + " does not run for a period like " + period_text);
  if (unit && !db_.has_employees(unit))
    return status::invalid("unit: no employees in unit \"" + *unit + "\"");
  civil_date today = local_date(now, tz_);
  if (due && *due < today)
    return status::invalid("due: " + format_date(*due) + " has already passed");
  auto cycle = db_.find_cycle(program, p->to_string(), unit);
  if (!cycle) {
    const schedule::definition* sched = nullptr;
    for (const auto& d : schedules_)
      if (d.program == program) sched = &d;
    civil_date last_day = due ? *due : schedule::cycle_due_date(sched, *p, today);
    cycle = db_.insert_cycle(program, p->to_string(), unit, at(now), by,
                             local_midnight(add_days(last_day, 1), tz_));
  }
  int opened = 0;
  db_.for_each_employee(unit, [&](const employee_row& e) {  // streamed: 100,000 rows need no vector
    auto roles = org_roles_of(e.roles);
    if (!e.active || e.supervisor_id.empty() || roles.count(role::hr) ||
        roles.count(role::chairman) || roles.count(role::admin))
      return;
    case_row c;
    c.cycle_id = *cycle;
    c.program = program;
    c.period = p->to_string();
    c.employee_id = e.id;
    c.unit = e.unit;
    c.supervisor_id = e.supervisor_id;
    c.hrbp_id = e.hrbp_id;
    c.as_of = format_date(p->last_day());
    c.state = wf->second.state_name(wf->second.initial());
    c.updated_at = at(now);
    if (auto d = deadline_for(c, wf->second, wf->second.initial(), now)) {
      c.remind_at = d->remind_at;
      c.due_at = d->due_at;
    }
    auto id = db_.insert_case(c);
    if (!id) return;  // this employee already has this case
    ++opened;
    c.id = *id;
    std::string event =
        json{{"event", "case.opened"}, {"case", *id},   {"program", program}, {"period", c.period},
             {"employee_id", e.id},    {"to", c.state}, {"at", c.updated_at}}
            .dump();
    std::int64_t h = db_.add_history(*id, c.updated_at, "", c.state, "open", by,
                                     "cycle " + std::to_string(*cycle), by_principal, event);
    emit(c, wf->second.on_enter(wf->second.initial()), h, "", c.updated_at, out);
    out.publish(h, event);
  });
  json reply{{"cycle", *cycle}, {"opened", opened}};
  if (auto row = db_.find_cycle_row(*cycle); row && row->due_at)
    reply["due"] = format_date(local_date(*row->due_at - 1, tz_));
  return reply;
}

result<json> case_service::act(std::int64_t case_id, action act, const std::string& as,
                               const std::string& principal, const json& req, std::int64_t now,
                               outbox& out) {
  auto who = parse_actor(as);
  if (!who) return who.error();
  auto c = db_.find_case(case_id);
  if (!c) return status::not_found("case " + std::to_string(case_id) + " does not exist");
  case_parties parties{c->employee_id, c->supervisor_id, c->hrbp_id, {}};
  std::set<role> org_roles;
  if (who->claimed == role::rater) {  // a customer's representative is no employee
    for (const auto& r : db_.raters(c->id)) parties.raters.push_back(r.rater);
  } else {
    auto person = db_.find_employee(who->id);
    if (!person) return status::forbidden("as: unknown employee \"" + who->id + "\"");
    if (person->active) org_roles = org_roles_of(person->roles);  // one who left holds no role
  }
  if (status s = authorize(parties, who->claimed, who->id, org_roles); !s) return s;
  auto defined = programs_.find(c->program);
  if (defined == programs_.end())
    return status::conflict("case " + std::to_string(case_id) + ": its program " + c->program +
                            " is no longer defined (schemas/workflows/" + c->program + ".json)");
  const workflow& wf = defined->second;
  auto state = wf.find_state(c->state);
  if (!state)
    return status::corruption("case " + std::to_string(case_id) + " is in unknown state " +
                              c->state);
  std::set<std::string> provided;
  for (auto it = req.begin(); it != req.end(); ++it)
    if (!it.value().is_null() && !(it.value().is_string() && it.value().get<std::string>().empty()))
      provided.insert(it.key());
  auto decided = decide(wf, *state, act, who->claimed, provided);
  if (!decided) return decided.error();
  const transition_def& t = **decided;

  std::string reason = req.value("comment", req.value("reason", std::string()));
  if (act == action::submit || act == action::rate) {
    auto ratings = read_ratings(req.at("ratings"));
    if (!ratings) return ratings.error();
    std::map<std::string, rubric::exam_input> exams;
    if (req.contains("exams") && !req["exams"].is_null()) {
      auto e = rubric::read_exams(req["exams"]);
      if (!e) return e.error();
      exams = *e;
    }
    bool by_supervisor = who->claimed == role::supervisor;
    if (status s = validate_submit(*c, who->claimed, *ratings, exams); !s) return s;
    json stored{{"ratings", *ratings}, {"exams", json::object()}, {"by", who->id}, {"at", at(now)}};
    for (const auto& [k, v] : exams) stored["exams"][k] = exam_json(v);
    if (req.contains("comment") && req["comment"].is_string()) stored["comment"] = req["comment"];
    if (rubrics_.count(c->program) && rubrics_.at(c->program).many_raters) {
      // One row per rater; the supervisor's closes the rating.
      std::string rater = "supervisor:" + who->id;
      if (who->claimed == role::rater)
        for (const auto& r : parties.raters)
          if (rater_id(r) == who->id) rater = r;
      db_.set_rating(c->id,
                     {rater, json(*ratings).dump(), at(now),
                      stored.contains("comment") ? std::optional<std::string>(stored["comment"])
                                                 : std::nullopt});
    } else if (by_supervisor) {
      db_.set_review(c->id, stored.dump());
      c->review_json = stored.dump();
    } else {
      db_.set_self(c->id, stored.dump());
    }
  } else if (act == action::adjust) {
    const json& tier = req.at("tier");
    if (!tier.is_number_integer() || tier.get<long long>() < 1 || tier.get<long long>() > 4)
      return status::invalid("tier: must be a whole number 1..4, got " + tier.dump());
    if (!req.at("reason").is_string()) return status::invalid("reason: must be text");
    db_.set_adjustment(c->id, tier.get<int>(), reason);
  } else if (provided.count("comment") && !req["comment"].is_string()) {
    return status::invalid("comment: must be text");
  }
  if (act == action::approve && t.to != t.from && wf.is_terminal(t.to)) {
    if (auto changed = late_change(*c)) {
      // Sales or refunds arrived after the target check: re-check first.
      auto recheck = decide(wf, *state, action::recheck, role::system, {});
      if (recheck) {
        transition(*c, wf, **recheck, "system:late-events", principal, *changed, now, out);
        json j = summary(*c);
        j["note"] = "not approved: " + *changed +
                    "; the month is being re-checked, approve again when it is back in " +
                    wf.state_name(*state);
        return j;
      }
    }
  }
  transition(*c, wf, t, who->to_string(), principal, reason, now, out);
  if (act == action::adjust) c->adjusted_tier = req.at("tier").get<int>();
  return summary(*c);
}

void case_service::transition(case_row& c, const workflow& wf, const transition_def& t,
                              const std::string& actor, const std::string& principal,
                              const std::string& reason, std::int64_t now, outbox& out) {
  std::string from = c.state;
  c.state = wf.state_name(t.to);
  std::string when = at(now);
  if (from != c.state) {
    auto d = deadline_for(c, wf, t.to, now);
    db_.set_state(c.id, c.state, when, d ? d->remind_at : std::nullopt,
                  d ? std::optional<std::int64_t>(d->due_at) : std::nullopt);
  }
  std::string event = json{
      {"event", "case.transition"},
      {"case", c.id},
      {"program", c.program},
      {"period", c.period},
      {"employee_id", c.employee_id},
      {"from", from},
      {"to", c.state},
      {"action", std::string(action_name(t.act))},
      {"actor", actor},
      {"at", when}}.dump();
  std::int64_t history_id = db_.add_history(
      c.id, when, from, c.state, std::string(action_name(t.act)), actor, reason, principal, event);
  if (!t.flag.empty()) add_flag(c, t.flag);
  emit(c, t.emits, history_id, reason, when, out);
  if (from != c.state) emit(c, wf.on_enter(t.to), history_id, reason, when, out);
  out.publish(history_id, event);
}

void case_service::emit(const case_row& c, const std::vector<emit_def>& emits,
                        std::int64_t history_id, const std::string& reason, const std::string& when,
                        outbox& out, const json& extra) {
  for (const auto& e : emits) {
    if (e.what == emit_def::kind::task) {
      bool targets = e.task_kind == "targets";
      auto body = targets ? msg::pack(targets_input(c)).body : msg::pack(scoring_input(c)).body;
      auto id = db_.insert_task(e.task_kind, c.id, body, when);
      out.add_task({id, targets ? msg::message_type::targets_task : msg::message_type::scoring_task,
                    c.id, 0, std::move(body)});
      continue;
    }
    auto fresh = db_.find_case(c.id);  // with the scores and tiers written so far
    json body{{"case", c.id},       {"program", c.program},
              {"period", c.period}, {"employee_id", c.employee_id},
              {"state", c.state},   {"kind", e.notification},
              {"as", nullptr},      {"at", when}};
    if (fresh && fresh->total) body["total"] = msg::points(*fresh->total);
    if (fresh && fresh->tier) body["tier"] = *fresh->tier;
    if (fresh && fresh->adjusted_tier) body["adjusted_tier"] = *fresh->adjusted_tier;
    if (const auto* check = sales_check_of(c.program); check && fresh && fresh->result_json) {
      json stored = json::parse(*fresh->result_json, nullptr, false);
      if (stored.is_object())
        for (const auto& m : check->notified)
          body[m] = stored.contains(m) ? stored[m] : json(nullptr);
    }
    if (!reason.empty()) body["reason"] = reason;
    if (extra.is_object())
      for (auto it = extra.begin(); it != extra.end(); ++it) body[it.key()] = it.value();
    std::string id_prefix =
        "case-" + std::to_string(c.id) + "-h" + std::to_string(history_id) + "-";
    for (role r : e.recipients) {
      body["as"] = std::string(role_name(r));
      for (const auto& [to, suffix] : recipients(c, r)) {
        msg::notify_task n{id_prefix + std::string(role_name(r)) + suffix, to,
                           static_cast<std::uint64_t>(c.id), e.notification,
                           msg::dump_fixed2(body)};
        auto payload = msg::pack(n).body;
        auto id = db_.insert_task("notify", c.id, payload, when);
        out.add_task({id, msg::message_type::notify_task, c.id, 0, std::move(payload)});
      }
    }
  }
}

std::vector<std::pair<std::string, std::string>> case_service::recipients(const case_row& c,
                                                                          role r) {
  switch (r) {
    case role::employee:
      return {{c.employee_id, ""}};
    case role::supervisor:
      return {{c.supervisor_id, ""}};
    case role::hrbp:
      if (c.hrbp_id.empty()) return {};
      return {{c.hrbp_id, ""}};
    case role::system:
    case role::rater:
      return {};  // raters are not told (customers have no address yet)
    default: {    // an org role: everyone who holds it
      std::vector<std::pair<std::string, std::string>> out;
      for (const auto& e : db_.holders_of(std::string(role_name(r))))
        out.emplace_back(e.id, "-" + e.id);
      return out;
    }
  }
}

status case_service::validate_submit(const case_row& c, role who,
                                     const std::map<std::string, int>& ratings,
                                     const std::map<std::string, rubric::exam_input>& exams) {
  auto r = rubrics_.find(c.program);
  if (r == rubrics_.end())
    return status::invalid("program " + c.program + " has no rubric to check reviews against");
  if (status s = rubric::validate_ratings(r->second, ratings); !s) return s;
  if (!exams.empty() && !r->second.has_exams())
    return status::invalid("exams: " + c.program + " has no exams");
  // Exam scores count from the supervisor; a self review may carry them.
  return rubric::validate_exams(r->second, exams, who == role::supervisor);
}

msg::targets_task case_service::targets_input(const case_row& c) {
  msg::targets_task t;
  t.case_id = static_cast<std::uint64_t>(c.id);
  t.manager_id = c.employee_id;
  t.period = c.period;
  for (const auto& b :
       db_.brand_months(c.employee_id, c.period))  // refunds <= sales: the difference fits
    t.brands.push_back(
        {b.brand, b.target_fen, b.sales_fen - b.refunds_fen, plan_.rate_for(b.brand)});
  // The months before, newest first, as far back as they have targets.
  std::vector<commission::month_totals> before;
  for (int back = 1; back <= 24; ++back) {
    checked::sum target("a month's target of " + c.employee_id),
        net("a month's net sales of " + c.employee_id);
    for (const auto& b : db_.brand_months(c.employee_id, month_before(c.period, back))) {
      target += b.target_fen;
      net += b.sales_fen - b.refunds_fen;
    }
    before.push_back({target.value(), net.value()});
    if (target.value() == 0) break;
  }
  t.previous_months_met = commission::previous_months_met(before);
  auto a = db_.activity(c.employee_id, c.period);
  t.display_stores = static_cast<std::int32_t>(a.display_checked);
  t.outlets_new = static_cast<std::int32_t>(a.outlets_opened);
  t.banquets = static_cast<std::int32_t>(a.banquets);
  t.outlets_target = plan_.outlets_target_per_month;
  return t;
}

const sales_check_def* case_service::sales_check_of(const std::string& program) const {
  auto wf = programs_.find(program);
  if (wf == programs_.end() || !wf->second.sales_check()) return nullptr;
  return &*wf->second.sales_check();
}

std::optional<std::string> case_service::late_change(const case_row& c) {
  if (!sales_check_of(c.program) || !c.result_json) return std::nullopt;
  json stored = json::parse(*c.result_json, nullptr, false);
  if (!stored.is_object() || !stored.contains("figures")) return std::nullopt;
  json now = json::object();
  for (const auto& b : db_.brand_months(c.employee_id, c.period))
    now[b.brand] = {{"target_fen", b.target_fen}, {"net_fen", b.sales_fen - b.refunds_fen}};
  if (now == stored["figures"]) return std::nullopt;
  return "sales or targets of " + c.period + " changed after the target check";
}

result<case_service::system_step> case_service::worker_step(std::uint64_t case_id, bool ok,
                                                            const std::string& error,
                                                            const std::string& verb) {
  auto c = db_.find_case(static_cast<std::int64_t>(case_id));
  if (!c) return status::not_found(verb + " result for unknown case " + std::to_string(case_id));
  auto defined = programs_.find(c->program);
  if (defined == programs_.end())
    return status::invalid("case " + std::to_string(case_id) + ": its program " + c->program +
                           " is no longer defined");
  const workflow& wf = defined->second;
  auto state = wf.find_state(c->state);
  if (!state) return status::corruption("case in unknown state " + c->state);
  auto decided = decide(wf, *state, action::scored, role::system, {});
  if (!decided) return decided.error();  // e.g. cancelled meanwhile: the result is dropped
  if (!ok)
    return status::invalid("case " + std::to_string(case_id) + " cannot be " + verb + ": " + error);
  return system_step{std::move(*c), &wf, *decided};
}

status case_service::apply_targets(const msg::targets_result& r, const msg::targets_task& input,
                                   std::int64_t now, outbox& out, const std::string& principal) {
  auto step = worker_step(r.case_id, r.ok, r.error, "checked");
  if (!step) return step.error();
  auto& [c, wf, t] = *step;
  if (!msg::valid_utf8(r.result_json) || !msg::json_depth_within(r.result_json))
    return status::invalid("targets result is not UTF-8 JSON nesting at most " +
                           std::to_string(msg::max_json_depth) + " deep");
  json month = json::parse(r.result_json, nullptr, false);
  if (!month.is_object()) return status::invalid("targets result is not a JSON object");
  json figures = json::object();
  for (const auto& b : input.brands)
    figures[b.name] = {{"target_fen", b.target_fen}, {"net_fen", b.sales_fen}};
  json result{{"figures", figures}, {"month", month}};
  db_.set_result_json(c.id, result.dump());
  transition(c, *wf, *t, "system:targets", principal, "", now, out);
  return status::ok();
}

msg::scoring_task case_service::scoring_input(const case_row& c) {
  msg::scoring_task t;
  t.case_id = static_cast<std::uint64_t>(c.id);
  t.program = c.program;
  t.employee_id = c.employee_id;
  if (auto e = db_.find_employee(c.employee_id)) t.joined_on = e->joined_on;
  t.as_of = c.as_of;
  json review = parse_stored(c.review_json);
  if (review.is_object()) {
    for (auto it = review["ratings"].begin(); it != review["ratings"].end(); ++it)
      t.ratings[it.key()] = it.value().get<int>();
    for (auto it = review["exams"].begin(); it != review["exams"].end(); ++it) {
      if (!it.value().is_object()) {
        t.exam_hundredths[it.key()] = static_cast<int>(std::lround(it.value().get<double>() * 100));
        continue;
      }
      for (const auto& part : it.value()["parts"])
        t.exam_parts[it.key()].emplace_back(
            static_cast<std::int32_t>(std::lround(part[0].get<double>() * 100)),
            static_cast<std::int32_t>(std::lround(part[1].get<double>() * 100)));
    }
  }
  for (const auto& [item, level] : required_levels(c)) t.required_levels[item] = level;
  for (const auto& r : db_.ratings(c.id)) {
    json ratings = json::parse(r.ratings_json, nullptr, false);
    if (ratings.is_object())
      for (auto it = ratings.begin(); it != ratings.end(); ++it)
        t.rater_ratings[r.rater][it.key()] = it.value().get<int>();
  }
  auto as_of = parse_date(c.as_of).value_or(civil_date{});
  int last_year = as_of.year - 1;
  auto year = db_.monthly_sum(c.employee_id, std::to_string(last_year) + "-01",
                              std::to_string(last_year) + "-12");
  auto q = period::quarter_of(as_of);
  auto quarter = db_.monthly_sum(c.employee_id, period::month_of(q.first_day()).to_string(),
                                 period::month_of(q.last_day()).to_string());
  t.sales_last_year_fen = year.net_fen();
  t.quarter_inquiries = quarter.inquiries;
  t.quarter_converted = quarter.converted;
  return t;
}

status case_service::apply_scoring(const msg::scoring_result& r, std::int64_t now, outbox& out,
                                   const std::string& principal) {
  auto step = worker_step(r.case_id, r.ok, r.error, "scored");
  if (!step) return step.error();
  auto& [c, wf, t] = *step;
  // A worker's result is input like any other: checked before it is stored.
  auto rub = rubrics_.find(c.program);
  if (rub == rubrics_.end())
    return status::invalid("program " + c.program + " has no rubric to check the result against");
  std::set<std::string> keys;
  for (const auto& item : rub->second.items) keys.insert(item.key);
  for (const auto& [key, points] : r.items)
    if (!keys.count(key))
      return status::invalid("result item \"" +
                             (msg::valid_utf8(key) ? key.substr(0, 64) : std::string("?")) +
                             "\" is not an item of " + c.program);
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
  db_.set_result(c.id, msg::dump_fixed2(result), r.total,
                 r.tier ? std::optional<std::int64_t>(r.tier) : std::nullopt);
  transition(c, *wf, *t, "system:scoring", principal, "", now, out);
  return status::ok();
}

bool case_service::rates_now(const case_row& c, const std::string& employee_id) {
  if (employee_id.empty()) return false;
  auto wf = programs_.find(c.program);
  if (wf == programs_.end()) return false;
  auto state = wf->second.find_state(c.state);
  if (!state) return false;
  bool rater_may_act = false;
  for (const auto& t : wf->second.transitions())
    if (t.from == *state && std::find(t.roles.begin(), t.roles.end(), role::rater) != t.roles.end())
      rater_may_act = true;
  if (!rater_may_act) return false;
  for (const auto& r : db_.raters(c.id))
    if (r.rater == "peer:" + employee_id) return true;
  return false;
}

result<json> case_service::show(std::int64_t case_id, case_view view) {
  auto c = db_.find_case(case_id);
  if (!c || view == case_view::hidden)
    return status::not_found("case " + std::to_string(case_id) + " does not exist");
  json j = summary(*c, view);
  j["as_of"] = c->as_of;
  if (auto e = db_.find_employee(c->employee_id)) j["employee_name"] = e->name;
  if (view == case_view::rating) {  // a further rater: what to rate, nobody's ratings or results
    j["view"] = "rater";
    j["deadline"] =
        c->due_at ? json{{"state", c->state}, {"due_at", at(*c->due_at)}} : json(nullptr);
    return j;
  }
  json result = parse_stored(c->result_json);
  j["items"] = result.is_object() && result.contains("items") ? result["items"] : json::object();
  j["flags"] = result.is_object() && result.contains("flags") ? result["flags"] : json::array();
  // The program's further figures, as scoring left them.
  for (const char* key : {"required_level", "gap", "exam_average", "areas", "spread", "raters"})
    if (result.is_object() && result.contains(key)) j[key] = result[key];
  if (c->flags)  // set by the workflow, e.g. "self review missing"
    for (const auto& f : json::parse(*c->flags, nullptr, false))
      if (f.is_string()) j["flags"].push_back(f);
  j["overdue_since"] = c->overdue_since ? json(*c->overdue_since) : json(nullptr);
  if (c->due_at)
    j["deadline"] = {{"state", c->state},
                     {"due_at", at(*c->due_at)},
                     {"remind_at", c->remind_at ? json(at(*c->remind_at)) : json(nullptr)},
                     {"reminded", c->deadline_stage >= 1},
                     {"passed", c->deadline_stage >= 2}};
  else
    j["deadline"] = nullptr;
  if (const auto* check = sales_check_of(c->program)) {
    for (const auto& m : check->shown)
      j[m] = result.is_object() && result.contains(m) ? result[m] : json(nullptr);
    auto wf = programs_.find(c->program);
    auto state = wf->second.find_state(c->state);
    if (state && std::count(check->late_flag_in.begin(), check->late_flag_in.end(), *state))
      if (auto changed = late_change(*c))
        j["flags"].push_back("late events after " + c->state + ": " + *changed);
  }
  j["total"] = c->total ? msg::points(*c->total) : json(nullptr);
  j["adjust_reason"] = c->adjust_reason ? json(*c->adjust_reason) : json(nullptr);
  json self = parse_stored(c->self_json), review = parse_stored(c->review_json);
  j["self_review"] = self;
  j["supervisor_review"] = review;
  json diff = json::object();
  if (self.is_object() && review.is_object())
    for (auto it = review["ratings"].begin(); it != review["ratings"].end(); ++it)
      if (self["ratings"].contains(it.key()))
        diff[it.key()] = self["ratings"][it.key()].get<int>() - it.value().get<int>();
  j["self_minus_supervisor"] = diff;
  if (rubrics_.count(c->program) && rubrics_.at(c->program).many_raters) {
    json raters = json::array();
    std::map<std::string, std::string> rated_at;
    for (const auto& r : db_.ratings(case_id)) rated_at[r.rater] = r.at;
    raters.push_back({{"rater", "supervisor:" + c->supervisor_id},
                      {"name", nullptr},
                      {"rated_at", rated_at.count("supervisor:" + c->supervisor_id)
                                       ? json(rated_at["supervisor:" + c->supervisor_id])
                                       : json(nullptr)}});
    for (const auto& r : db_.raters(case_id))
      raters.push_back(
          {{"rater", r.rater},
           {"name", r.name},
           {"rated_at", rated_at.count(r.rater) ? json(rated_at[r.rater]) : json(nullptr)}});
    j["rater_list"] = raters;
  }
  json history = json::array();
  for (const auto& h : db_.history(case_id))
    history.push_back({{"at", h.at},
                       {"from", h.from_state.empty() ? json(nullptr) : json(h.from_state)},
                       {"to", h.to_state},
                       {"action", h.action},
                       {"actor", h.actor},
                       {"principal", h.principal.empty() ? json(nullptr) : json(h.principal)},
                       {"reason", h.reason.empty() ? json(nullptr) : json(h.reason)}});
  j["history"] = history;
  return j;
}

result<json> case_service::rollup(const std::string& manager_id, const std::string& period_text) {
  auto p = period::parse(period_text);
  if (!p || p->kind == period_kind::month)
    return status::invalid("period: a roll-up is for a quarter (2026-Q3) or a year (2026)");
  auto who = db_.find_employee(manager_id);
  if (!who) return status::not_found("manager_id: unknown manager \"" + manager_id + "\"");
  // Final performance cases of the period, by month.
  std::map<std::string, json> finals;
  case_filter f;
  for (const auto& [name, wf] : programs_)
    if (wf.sales_check() && wf.sales_check()->rolled_up_from) {
      f.program = name;
      f.state = wf.state_name(*wf.sales_check()->rolled_up_from);
    }
  if (!f.program)
    return status::not_found("rollup: no program's workflow has sales_check.rolled_up_from");
  db_.for_each_case(f, [&](const case_row& c) {
    if (c.employee_id == manager_id && p->contains(*parse_date(c.as_of)))
      finals[c.period] = parse_stored(c.result_json);
  });
  json months = json::array();
  std::string of = " of " + manager_id + " in " + p->to_string();
  checked::sum commission("the commission" + of), penalty("the penalties" + of),
      rewards("the rewards" + of), total("the total pay" + of), net("the net sales" + of),
      target("the target" + of);
  int met = 0, appraised = 0;
  std::vector<std::string> missing;
  for (auto m = period::month_of(p->first_day()); p->contains(m.first_day()); m = m.next()) {
    std::string month = m.to_string();
    for (const auto& b : db_.brand_months(manager_id, month)) {
      net += b.sales_fen - b.refunds_fen;
      target += b.target_fen;
    }
    auto it = finals.find(month);
    if (it == finals.end() || !it->second.is_object()) {
      missing.push_back(month);
      continue;
    }
    const json& r = it->second["month"];
    ++appraised;
    met += r.value("met", false) ? 1 : 0;
    commission += r.value("commission_fen", std::int64_t{0});
    penalty += r.value("penalty_fen", std::int64_t{0});
    rewards += r.value("rewards_fen", std::int64_t{0});
    total += r.value("total_fen", std::int64_t{0});
    months.push_back({{"month", month},
                      {"met", r.value("met", false)},
                      {"total_fen", r.value("total_fen", std::int64_t{0})}});
  }
  period year_before = *p;
  year_before.year -= 1;
  auto before = db_.monthly_sum(manager_id, period::month_of(year_before.first_day()).to_string(),
                                period::month_of(year_before.last_day()).to_string());
  json out{{"manager_id", manager_id},
           {"period", p->to_string()},
           {"months_appraised", appraised},
           {"months_met", met},
           {"commission_fen", commission.value()},
           {"penalty_fen", penalty.value()},
           {"rewards_fen", rewards.value()},
           {"total_fen", total.value()},
           {"net_sales_fen", net.value()},
           {"target_fen", target.value()},
           {"net_sales_year_before_fen", before.net_fen()},
           {"months", months},
           {"months_without_final_appraisal", missing}};
  std::optional<__int128> growth_bp;  // 128 bits: (net - before) x 10,000 may not fit in 64
  if (before.net_fen() > 0)
    growth_bp = (static_cast<__int128>(net.value()) - before.net_fen()) * 10000 / before.net_fen();
  out["growth"] = growth_bp ? json(static_cast<double>(*growth_bp) / 100.0) : json(nullptr);
  if (p->kind == period_kind::year) {
    auto proposal = commission::propose_grade(plan_.grades, who->grade, met, appraised, growth_bp);
    out["grade"] = who->grade;
    out["proposed_grade"] = proposal.proposed_grade;
    out["proposal"] = proposal.text;
  }
  return out;
}

result<json> case_service::sales(const std::string& manager_id, const std::string& period_text) {
  auto p = period::parse(period_text);
  if (!p) return status::invalid("period: \"" + period_text + "\" is not 2026-07, 2026-Q3 or 2026");
  if (!db_.find_employee(manager_id))
    return status::not_found("manager_id: unknown manager \"" + manager_id + "\"");
  auto f = db_.monthly_sum(manager_id, period::month_of(p->first_day()).to_string(),
                           period::month_of(p->last_day()).to_string());
  return json{{"manager_id", manager_id}, {"period", p->to_string()},
              {"sales_fen", f.sales_fen}, {"refunds_fen", f.refunds_fen},
              {"net_fen", f.net_fen()},   {"inquiries", f.inquiries},
              {"converted", f.converted}};
}

}  // namespace af::engine
