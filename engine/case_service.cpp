// case_service.cpp: opening a cycle, one action on a case, and a worker's
// result applied. Deadlines are in case_deadlines.cpp, the standard table
// and further raters in case_reviews.cpp; what the world is told is
// written by case_messages.h, what is stored by case_record.h.
#include "engine/case_service.h"

#include <algorithm>

#include "base/checked.h"
#include "base/civil_time.h"
#include "engine/appraisal_input.h"
#include "engine/case_messages.h"
#include "engine/case_parties.h"
#include "engine/certification_input.h"
#include "engine/notifications.h"
#include "engine/process_input.h"
#include "engine/sales_check.h"

namespace af::engine {
namespace {

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

result<cycle_opened> case_service::open_cycle(const std::string& program,
                                              const std::string& period_text,
                                              const std::optional<std::string>& unit,
                                              const std::string& by, std::int64_t now, outbox& out,
                                              std::optional<civil_date> due,
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
  cycle_opened reply{*cycle, 0, std::nullopt};
  db_.for_each_employee(unit, [&](const employee_row& e) {  // streamed: 100,000 rows need no vector
    if (open_case(program, wf->second, *cycle, *p, e, by, by_principal, now, out)) ++reply.opened;
  });
  if (auto row = db_.find_cycle_row(*cycle); row && row->due_at)
    reply.due = local_date(*row->due_at - 1, tz_);
  return reply;
}

bool case_service::open_case(const std::string& program, const workflow& wf, std::int64_t cycle,
                             const period& p, const employee_row& e, const std::string& by,
                             const std::string& by_principal, std::int64_t now, outbox& out) {
  if (!e.active || e.supervisor_id.empty() || e.roles.count(role::hr) ||
      e.roles.count(role::chairman) || e.roles.count(role::admin))
    return false;
  case_row c;
  c.cycle_id = cycle;
  c.program = program;
  c.period = p.to_string();
  c.employee_id = e.id;
  c.unit = e.unit;
  c.supervisor_id = e.supervisor_id;
  c.hrbp_id = e.hrbp_id;
  c.grade = e.grade;
  c.as_of = format_date(p.last_day());
  c.state = wf.state_name(wf.initial());
  c.updated_at = at(now);
  if (auto d = deadline_for(c, wf, wf.initial(), now)) {
    c.remind_at = d->remind_at;
    c.due_at = d->due_at;
  }
  auto id = db_.insert_case(c);
  if (!id) return false;  // this employee already has this case
  c.id = *id;
  if (census_) census_->opened(db_.work(), c.program, c.state);
  std::string event = case_opened_event(c);
  std::int64_t h = db_.add_history(*id, c.updated_at, "", c.state, "open", by,
                                   "cycle " + std::to_string(cycle), by_principal, event);
  emit(c, wf.on_enter(wf.initial()), h, "", c.updated_at, out);
  out.publish(h, event);
  return true;
}

result<action_done> case_service::act(std::int64_t case_id, action act, const std::string& as,
                                      const std::string& principal, const action_request& req,
                                      std::int64_t now, outbox& out) {
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
    if (person->active) org_roles = person->roles;  // one who left holds no role
  }
  if (status s = authorize(parties, who->claimed, who->id, org_roles); !s) return s;
  auto [defined, state] = place_of(programs_, c->program, c->state);
  if (!defined)
    return status::conflict("case " + std::to_string(case_id) + ": its program " + c->program +
                            " is no longer defined (schemas/workflows/" + c->program + ".json)");
  const workflow& wf = *defined;
  if (!state)
    return status::corruption("case " + std::to_string(case_id) + " is in unknown state " +
                              c->state);
  auto decided = decide(wf, *state, act, who->claimed, req.provided, outcome_of(c->result_json));
  if (!decided) return decided.error();
  const transition_def& t = **decided;

  if (!req.text_fields) return req.text_fields;
  if (act == action::approve && evaluates(wf.on_enter(*state)))
    if (auto changed = redecide_certification(db_, rubrics_, certification_, *c)) {
      // HR would approve a decision whose grounds changed: decided again, shown first.
      std::string when = at(now);
      std::string event = case_transition_event(*c, c->state, "redecide", "system", when);
      out.publish(db_.add_history(c->id, when, c->state, c->state, "redecide",
                                  "system:changed-results", *changed, principal, event),
                  event);
      c->result_json = db_.find_case(c->id)->result_json;
      return action_done{std::move(*c), "not approved: " + *changed + "; approve again to confirm"};
    }
  std::string reason = req.reason;
  if (act == action::change) reason = changed_ratings_note(*c, reason);
  if (act == action::submit || act == action::rate || act == action::change) {
    if (status s = store_review(*c, *who, parties, req, now); !s) return s;
  } else if (act == action::adjust) {
    if (status s = store_adjustment(*c, req); !s) return s;
  } else if (act == action::overrule) {
    if (status s = store_overrule(*c, *who, req); !s) return s;
  }
  if (act == action::approve && t.to != t.from && wf.is_terminal(t.to)) {
    if (auto changed = late_sales_change(db_, programs_, *c)) {
      // Sales or refunds arrived after the target check: re-check first.
      auto recheck = decide(wf, *state, action::recheck, role::system, {});
      if (recheck) {
        transition(*c, wf, **recheck, "system:late-events", principal, *changed, now, out);
        return action_done{
            std::move(*c),
            "not approved: " + *changed +
                "; the month is being re-checked, approve again when it is back in " +
                wf.state_name(*state)};
      }
    }
  }
  transition(*c, wf, t, who->to_string(), principal, reason, now, out);
  if (act == action::adjust) c->adjusted_tier = *req.tier;
  return action_done{std::move(*c), std::nullopt};
}

std::string case_service::changed_ratings_note(const case_row& c, const std::string& reason) {
  std::string before;
  for (const auto& r : db_.ratings(c.id))
    if (r.rater == "supervisor:" + c.supervisor_id) before = r.ratings_json;
  if (before.empty())
    if (auto review = decode_review(c.review_json)) before = encode_ratings(review->form.ratings);
  return reason + " (the supervisor's ratings were " + (before.empty() ? "none" : before) + ")";
}

status case_service::store_review(case_row& c, const actor& who, const case_parties& parties,
                                  const action_request& req, std::int64_t now) {
  if (!req.review) return req.review.error();
  const review_form& form = *req.review;
  // The rating row of a many-rater case: the rater's own, the supervisor's
  // for the supervisor and for HR changing it on an appeal.
  std::string rater =
      who.claimed == role::hr ? "supervisor:" + c.supervisor_id : "supervisor:" + who.id;
  if (who.claimed == role::rater)
    for (const auto& r : parties.raters)
      if (rater_id(r) == who.id) rater = r;
  std::string kind(who.claimed == role::rater ? rubric::rater_kind(rater) : "supervisor");
  // Exams count from the supervisor, or HR where HR enters them (a re-exam).
  bool exams_required = who.claimed == role::supervisor || who.claimed == role::hr;
  if (status s = validate_submit(c, kind, exams_required, form); !s) return s;
  if (rubrics_.count(c.program) && rubrics_.at(c.program).many_raters &&
      who.claimed != role::employee) {
    // One row per rater; the supervisor's closes the rating. (The
    // employee's self-appraisal is kept as the self review, below.)
    db_.set_rating(c.id, {rater, encode_ratings(form.ratings), at(now), form.comment});
    return status::ok();
  }
  std::string stored = encode_review({form, who.id, at(now)});
  if (who.claimed == role::supervisor || who.claimed == role::hr) {
    db_.set_review(c.id, stored);
    c.review_json = stored;  // the scoring task queued by this step reads it
  } else {
    db_.set_self(c.id, stored);
  }
  return status::ok();
}

status case_service::store_overrule(const case_row& c, const actor& who,
                                    const action_request& req) {
  auto to = certification::parse_outcome(req.outcome);
  if (!to || *to == certification::outcome::no_competency_result ||
      *to == certification::outcome::provisional)  // a final case takes no re-exam
    return status::invalid("outcome: \"" + req.outcome +
                           "\" is not one of certified, recommended_for_promotion, demoted, "
                           "eliminated");
  msg::json result = c.result_json ? msg::json::parse(*c.result_json, nullptr, false) : msg::json();
  if (!result.is_object() || !result.contains("outcome"))
    return status::conflict("case " + std::to_string(c.id) + " has no outcome to overrule");
  if (result["outcome"] == "no_competency_result")
    return status::conflict("case " + std::to_string(c.id) +
                            " has no competency result: it cannot be certified");
  result["overruled"] = {
      {"from", result["outcome"]}, {"by", who.to_string()}, {"reason", req.reason}};
  result["outcome"] = std::string(certification::outcome_name(*to));
  db_.set_result_json(c.id, msg::dump_fixed2(result));
  return status::ok();
}

status case_service::store_adjustment(const case_row& c, const action_request& req) {
  if (!req.tier) return req.tier.error();
  db_.set_adjustment(c.id, *req.tier, req.reason);
  return status::ok();
}

void case_service::transition(case_row& c, const workflow& wf, const transition_def& t,
                              const std::string& actor, const std::string& principal,
                              const std::string& reason, std::int64_t now, outbox& out) {
  bool moves = t.from != t.to;
  const std::string& from = wf.state_name(t.from);
  c.state = wf.state_name(t.to);
  std::string when = at(now);
  if (moves) {
    auto d = deadline_for(c, wf, t.to, now);
    db_.set_state(c.id, c.state, when, d ? d->remind_at : std::nullopt,
                  d ? std::optional<std::int64_t>(d->due_at) : std::nullopt);
    if (census_) census_->moved(db_.work(), c.program, from, c.state);
  }
  std::string action(action_name(t.act));
  std::string event = case_transition_event(c, from, action, actor, when);
  std::int64_t history_id =
      db_.add_history(c.id, when, from, c.state, action, actor, reason, principal, event);
  if (!t.flag.empty()) add_flag(c, t.flag);
  emit(c, t.emits, history_id, reason, when, out);
  if (moves) emit(c, wf.on_enter(t.to), history_id, reason, when, out);
  out.publish(history_id, event);
}

void case_service::emit(const case_row& c, const std::vector<emit_def>& emits,
                        std::int64_t history_id, const std::string& reason, const std::string& when,
                        outbox& out, const notice_extra& extra) {
  for (const auto& e : emits) {
    if (e.what == emit_def::kind::task) {
      queue_task(c, e.task, when, out);
      continue;
    }
    if (e.what == emit_def::kind::evaluate) {  // "certification", the one evaluation
      auto stored = db_.find_case(c.id);       // with the review this step stored
      if (stored) evaluate_certification(db_, rubrics_, certification_, *stored);
      continue;
    }
    auto stored = db_.find_case(c.id);  // with the scores and tiers written so far
    case_notice notice{&c,
                       stored ? &*stored : nullptr,
                       e.notification,
                       when,
                       reason,
                       {},
                       extra.due_at,
                       extra.waiting_on};
    if (const auto* check = sales_check_of(programs_, c.program))
      notice.result_members = check->notified;
    if (auto person = db_.find_employee(c.employee_id)) notice.employee_name = person->name;
    std::string id_prefix =
        "case-" + std::to_string(c.id) + "-h" + std::to_string(history_id) + "-";
    for (role r : e.recipients) {
      std::string as(role_name(r));
      std::string body = case_notice_body(notice, as);
      for (const auto& [to, suffix] : holders_on_case(db_, c, r)) {
        msg::notify_task n;
        n.notification_id = id_prefix + as + suffix;
        n.recipient_id = to;
        n.case_id = static_cast<std::uint64_t>(c.id);
        n.kind = e.notification;
        n.body_json = body;
        queue_notification(db_, out, n, when);
      }
    }
  }
}

void case_service::queue_task(const case_row& c, msg::message_type type, const std::string& when,
                              outbox& out) {
  bool targets = type == msg::message_type::targets_task;
  auto body = targets ? msg::pack(targets_input(c)).body : msg::pack(scoring_input(c)).body;
  auto id = db_.insert_task(type, c.id, body, when);
  out.add_task({id, type, c.id, 0, std::move(body)});
}

status case_service::validate_submit(const case_row& c, std::string_view kind, bool exams_required,
                                     const review_form& form) {
  auto r = rubrics_.find(c.program);
  if (r == rubrics_.end())
    return status::invalid("program " + c.program + " has no rubric to check reviews against");
  if (status s = rubric::validate_ratings(r->second, form.ratings, kind); !s) return s;
  if (!form.exams.empty() && !r->second.has_exams())
    return status::invalid("exams: " + c.program + " has no exams");
  // Exam scores count from the supervisor; a self review may carry them.
  return rubric::validate_exams(r->second, form.exams, exams_required);
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
  add_process_indicators(db_, plan_, t);
  return t;
}

result<case_service::system_step> case_service::worker_step(std::uint64_t case_id, bool ok,
                                                            const std::string& error,
                                                            const std::string& verb) {
  auto c = db_.find_case(static_cast<std::int64_t>(case_id));
  if (!c) return status::not_found(verb + " result for unknown case " + std::to_string(case_id));
  auto [defined, state] = place_of(programs_, c->program, c->state);
  if (!defined)
    return status::invalid("case " + std::to_string(case_id) + ": its program " + c->program +
                           " is no longer defined");
  const workflow& wf = *defined;
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
  month_figures figures;
  for (const auto& b : input.brands) figures[b.name] = {b.target_fen, b.sales_fen};
  auto stored = encode_targets_result(figures, r.result_json);
  if (!stored) return stored.error();
  db_.set_result_json(c.id, *stored);
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
  if (auto review = decode_review(c.review_json)) {
    t.ratings = review->form.ratings;
    for (const auto& [item, exam] : review->form.exams) {
      if (exam.parts.empty()) {
        t.exam_hundredths[item] = static_cast<int>(exam.hundredths);
        continue;
      }
      for (const auto& [score, weight] : exam.parts)
        t.exam_parts[item].emplace_back(static_cast<std::int32_t>(score),
                                        static_cast<std::int32_t>(weight));
    }
  }
  for (const auto& [item, level] : required_levels(c)) t.required_levels[item] = level;
  for (const auto& r : db_.ratings(c.id)) t.rater_ratings[r.rater] = decode_ratings(r.ratings_json);
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
  auto r = rubrics_.find(c.program);
  auto p = period::parse(c.period);
  if (r != rubrics_.end() && r->second.uses_appraisal_measures() && p)
    add_appraisal_figures(db_, *p, t);
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
  auto stored = encode_scoring_result(r, keys, c.program);
  if (!stored) return stored.error();
  db_.set_result(c.id, *stored, r.total,
                 r.tier ? std::optional<std::int64_t>(r.tier) : std::nullopt);
  transition(c, *wf, *t, "system:scoring", principal, "", now, out);
  return status::ok();
}

bool case_service::rates_now(const case_row& c, const std::string& employee_id) {
  if (employee_id.empty()) return false;
  auto [wf, state] = place_of(programs_, c.program, c.state);
  if (!state) return false;
  bool rater_may_act = false;
  for (const auto& t : wf->transitions())
    if (t.from == *state && std::find(t.roles.begin(), t.roles.end(), role::rater) != t.roles.end())
      rater_may_act = true;
  if (!rater_may_act) return false;
  for (const auto& r : db_.raters(c.id))
    if (r.rater == "peer:" + employee_id) return true;
  return false;
}

}  // namespace af::engine
