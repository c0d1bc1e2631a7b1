#include "engine/workflow.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "workers/domain/certification.h"

namespace af::engine {
namespace {

using json = nlohmann::json;

constexpr std::string_view action_names[] = {
    "submit", "approve",   "return",      "adjust", "cancel", "scored", "recheck", "expire",
    "rate",   "interview", "acknowledge", "appeal", "uphold", "change", "overrule"};

// The task a workflow file's "task" names: only the workers a transition
// may start (notifications are emitted by "notify").
std::optional<msg::message_type> workflow_task(const std::string& kind) {
  if (kind == "scoring") return msg::message_type::scoring_task;
  if (kind == "targets") return msg::message_type::targets_task;
  return std::nullopt;
}

std::string join(const std::vector<role>& roles) {
  std::string out;
  for (role r : roles) out += (out.empty() ? "" : ", ") + std::string(role_name(r));
  return out;
}

status bad(const std::string& source, const std::string& key, const std::string& what) {
  return status::invalid(source + ": " + key + ": " + what);
}

// Reads a string or an array of strings.
std::vector<std::string> strings_of(const json& j) {
  std::vector<std::string> out;
  if (j.is_string()) out.push_back(j.get<std::string>());
  if (j.is_array())
    for (const auto& e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

result<std::vector<emit_def>> parse_emits(const json& list, const std::string& src,
                                          const std::string& key) {
  std::vector<emit_def> out;
  if (!list.is_array()) return bad(src, key, "must be an array");
  for (const auto& e : list) {
    emit_def em;
    if (e.contains("task")) {
      std::string kind = e.value("task", "");
      auto task = workflow_task(kind);
      if (!task) return bad(src, key, "unknown task kind \"" + kind + "\"");
      em.task = *task;
    } else if (e.contains("evaluate")) {
      em.what = emit_def::kind::evaluate;
      em.notification = e.value("evaluate", "");
      if (em.notification != "certification")
        return bad(src, key, "unknown evaluation \"" + em.notification + "\" (certification)");
    } else if (e.contains("notify")) {
      em.what = emit_def::kind::notify;
      em.notification = e.value("kind", "notice");
      for (const auto& r : strings_of(e["notify"])) {
        auto parsed = parse_role(r);
        if (!parsed || *parsed == role::system)
          return bad(src, key + ".notify", "role \"" + r + "\" cannot be notified");
        em.recipients.push_back(*parsed);
      }
    } else {
      return bad(src, key,
                 "each emit is {\"task\": K}, {\"notify\": [roles]} or {\"evaluate\": E}");
    }
    out.push_back(std::move(em));
  }
  return out;
}

result<std::vector<role>> parse_roles(const json& j, const std::string& src,
                                      const std::string& key) {
  std::vector<role> out;
  if (!j.is_array() && !j.is_string()) return bad(src, key, "must be a list of roles");
  for (const auto& r : strings_of(j)) {
    auto parsed = parse_role(r);
    if (!parsed) return bad(src, key, "role \"" + r + "\" does not exist");
    if (*parsed == role::system) return bad(src, key, "the system role cannot be told or act late");
    out.push_back(*parsed);
  }
  return out;
}

// Whole, positive hours or days.
result<std::int64_t> positive_whole(const json& j, const std::string& src, const std::string& key,
                                    bool zero_ok) {
  if (!j.is_number_integer() || j.get<long long>() < (zero_ok ? 0 : 1) || j.get<long long>() > 3660)
    return bad(src, key,
               zero_ok ? "must be a whole number 0..3660" : "must be a whole number 1..3660");
  return static_cast<std::int64_t>(j.get<long long>());
}

result<sales_check_def> parse_sales_check(const json& j, const std::string& src,
                                          const workflow& wf) {
  if (!j.is_object()) return bad(src, "sales_check", "must be an object");
  static const std::set<std::string> known{"shown", "notified", "late_flag_in", "rolled_up_from"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key())) return bad(src, "sales_check." + it.key(), "unknown key");
  sales_check_def d;
  d.shown = strings_of(j.value("shown", json::array()));
  d.notified = strings_of(j.value("notified", json::array()));
  for (const auto& name : strings_of(j.value("late_flag_in", json::array()))) {
    auto st = wf.find_state(name);
    if (!st) return bad(src, "sales_check.late_flag_in", "unknown state \"" + name + "\"");
    d.late_flag_in.push_back(*st);
  }
  if (j.contains("rolled_up_from")) {
    auto st = j["rolled_up_from"].is_string()
                  ? wf.find_state(j["rolled_up_from"].get<std::string>())
                  : std::nullopt;
    if (!st) return bad(src, "sales_check.rolled_up_from", "must name a declared state");
    d.rolled_up_from = *st;
  }
  return d;
}

result<deadline_def> parse_deadline(const json& j, const std::string& src, const std::string& key) {
  if (!j.is_object()) return bad(src, key, "must be an object");
  static const std::set<std::string> known{
      "days", "hours", "until", "remind_before_hours", "owners", "at_deadline", "escalate_to"};
  for (auto it = j.begin(); it != j.end(); ++it)
    if (!known.count(it.key())) return bad(src, key + "." + it.key(), "unknown key");
  deadline_def d;
  int lengths = static_cast<int>(j.contains("days")) + static_cast<int>(j.contains("hours")) +
                static_cast<int>(j.contains("until"));
  if (lengths != 1) return bad(src, key, "needs exactly one of days, hours or until");
  if (j.contains("until")) {
    if (j["until"] != "cycle_end")
      return bad(src, key + ".until", "must be \"cycle_end\" (the end of the run window)");
    d.from = deadline_def::base::cycle_end;
  } else {
    bool days = j.contains("days");
    auto n =
        positive_whole(j[days ? "days" : "hours"], src, key + (days ? ".days" : ".hours"), false);
    if (!n) return n.error();
    d.after_seconds = *n * (days ? 86400 : 3600);
  }
  if (j.contains("remind_before_hours")) {
    auto n = positive_whole(j["remind_before_hours"], src, key + ".remind_before_hours", true);
    if (!n) return n.error();
    d.remind_before_seconds = *n * 3600;
    if (d.from == deadline_def::base::entry && d.remind_before_seconds >= d.after_seconds)
      return bad(src, key + ".remind_before_hours", "must be shorter than the deadline itself");
  }
  auto owners = parse_roles(j.value("owners", json()), src, key + ".owners");
  if (!owners) return owners.error();
  d.owners = std::move(owners).value();
  if (d.owners.empty()) return bad(src, key + ".owners", "names nobody who must act");
  std::string then = j.value("at_deadline", "");
  if (then == "expire")
    d.at_deadline = deadline_def::outcome::expire;
  else if (then == "escalate")
    d.at_deadline = deadline_def::outcome::escalate;
  else
    return bad(src, key + ".at_deadline", "must be \"expire\" or \"escalate\"");
  if (j.contains("escalate_to")) {
    if (d.at_deadline != deadline_def::outcome::escalate)
      return bad(src, key + ".escalate_to", "only an escalating deadline tells anyone");
    auto to = parse_roles(j["escalate_to"], src, key + ".escalate_to");
    if (!to) return to.error();
    d.escalate_to = std::move(to).value();
  }
  return d;
}

}  // namespace

deadline_times plan_deadline(const deadline_def& d, std::int64_t entered_at,
                             std::int64_t cycle_due_at) {
  deadline_times t;
  t.due_at = d.from == deadline_def::base::entry ? entered_at + d.after_seconds : cycle_due_at;
  if (d.remind_before_seconds > 0 && t.due_at > entered_at)
    t.remind_at = std::max(entered_at, t.due_at - d.remind_before_seconds);
  return t;
}

std::optional<action> parse_action(std::string_view s) {
  for (std::size_t i = 0; i < std::size(action_names); ++i)
    if (action_names[i] == s) return static_cast<action>(i);
  return std::nullopt;
}
std::string_view action_name(action a) { return action_names[static_cast<int>(a)]; }

std::optional<state_id> workflow::find_state(std::string_view name) const {
  for (std::size_t i = 0; i < states_.size(); ++i)
    if (states_[i] == name) return static_cast<state_id>(i);
  return std::nullopt;
}

// The steps of workflow::parse, each filling or checking part of `wf`.
// A value of the wrong type throws json::exception, which parse() turns
// into this file's error.
struct workflow::parsing {
  static status states(workflow& wf, const json& j, const std::string& src);
  static status state(workflow& wf, const json& s, const std::string& src);
  static status periods(workflow& wf, const json& j, const std::string& src);
  static status transitions(workflow& wf, const json& j, const std::string& src);
  static status transition(workflow& wf, const json& t, const std::string& key,
                           const std::string& src);
  // Every state but a terminal one has a way out.
  static status exits(const workflow& wf, const std::string& src);
  // A "when_outcome" guard can hold: something in the workflow evaluates.
  static status guards(const workflow& wf, const std::string& src);
};

// A function-try-block: a value of the wrong type that a `value()` or
// `get()` below meets throws, and is this file's error like any other.
result<workflow> workflow::parse(std::string_view text, const std::string& src) try {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return status::invalid(src + ": not a JSON object");
  workflow wf;
  if (!j.contains("program") || !j["program"].is_string()) return bad(src, "program", "missing");
  wf.program_ = j["program"].get<std::string>();
  if (status s = parsing::states(wf, j, src); !s) return s;
  auto initial = wf.find_state(j.value("initial", ""));
  if (!initial) return bad(src, "initial", "is not a declared state");
  wf.initial_ = *initial;
  if (status s = parsing::periods(wf, j, src); !s) return s;
  if (j.contains("sales_check")) {
    auto check = parse_sales_check(j["sales_check"], src, wf);
    if (!check) return check.error();
    wf.sales_check_ = std::move(check).value();
  }
  if (status s = parsing::transitions(wf, j, src); !s) return s;
  if (status s = wf.check_deadlines(src); !s) return s;
  if (status s = parsing::exits(wf, src); !s) return s;
  if (status s = parsing::guards(wf, src); !s) return s;
  return wf;
} catch (const json::exception& e) {
  return status::invalid(src + ": a value of the wrong type: " + e.what());
}

status workflow::parsing::states(workflow& wf, const json& j, const std::string& src) {
  if (!j.contains("states") || !j["states"].is_array() || j["states"].empty())
    return bad(src, "states", "must be a non-empty array");
  for (const auto& s : j["states"])
    if (status st = state(wf, s, src); !st) return st;
  if (wf.states_.size() > 250) return bad(src, "states", "too many states");
  return status::ok();
}

status workflow::parsing::state(workflow& wf, const json& s, const std::string& src) {
  if (!s.is_object() || !s.contains("name") || !s["name"].is_string())
    return bad(src, "states", "each state needs a name");
  std::string name = s["name"].get<std::string>();
  if (wf.find_state(name)) return bad(src, "states." + name, "declared twice");
  wf.states_.push_back(name);
  wf.terminal_.push_back(s.value("terminal", false));
  auto enter = parse_emits(s.value("on_enter", json::array()), src, "states." + name + ".on_enter");
  if (!enter) return enter.error();
  wf.on_enter_.push_back(std::move(enter).value());
  std::optional<deadline_def> deadline;
  if (s.contains("deadline")) {
    if (wf.terminal_.back())
      return bad(src, "states." + name + ".deadline", "a terminal state has no deadline");
    auto parsed = parse_deadline(s["deadline"], src, "states." + name + ".deadline");
    if (!parsed) return parsed.error();
    deadline = std::move(parsed).value();
  }
  wf.deadlines_.push_back(std::move(deadline));
  return status::ok();
}

status workflow::parsing::periods(workflow& wf, const json& j, const std::string& src) {
  for (const auto& p : strings_of(j.value("periods", json::array({"month", "quarter", "year"})))) {
    if (p == "month")
      wf.periods_.push_back(period_kind::month);
    else if (p == "quarter")
      wf.periods_.push_back(period_kind::quarter);
    else if (p == "year")
      wf.periods_.push_back(period_kind::year);
    else
      return bad(src, "periods", "unknown period kind \"" + p + "\"");
  }
  return status::ok();
}

status workflow::parsing::transitions(workflow& wf, const json& j, const std::string& src) {
  if (!j.contains("transitions") || !j["transitions"].is_array())
    return bad(src, "transitions", "must be an array");
  int index = 0;
  for (const auto& t : j["transitions"]) {
    std::string key = "transitions[" + std::to_string(index++) + "]";
    if (status s = transition(wf, t, key, src); !s) return s;
  }
  return status::ok();
}

// One entry of "transitions": one transition_def for each of its `from` states.
status workflow::parsing::transition(workflow& wf, const json& t, const std::string& key,
                                     const std::string& src) {
  if (!t.is_object()) return bad(src, key, "must be an object");
  auto act = parse_action(t.value("action", ""));
  if (!act) return bad(src, key + ".action", "unknown action \"" + t.value("action", "") + "\"");
  auto to = wf.find_state(t.value("to", ""));
  if (!to) return bad(src, key + ".to", "unknown state \"" + t.value("to", "") + "\"");
  transition_def def;
  def.act = *act;
  def.to = *to;
  for (const auto& r : strings_of(t.value("roles", json::array()))) {
    auto parsed = parse_role(r);
    if (!parsed) return bad(src, key + ".roles", "role \"" + r + "\" does not exist");
    def.roles.push_back(*parsed);
  }
  if (def.roles.empty()) return bad(src, key + ".roles", "names nobody who may act");
  def.requires_fields = strings_of(t.value("requires", json::array()));
  if (t.contains("flag") && (!t["flag"].is_string() || t["flag"].get<std::string>().empty()))
    return bad(src, key + ".flag", "must be a non-empty text");
  def.flag = t.value("flag", "");
  if (t.contains("when_outcome") &&
      (!t["when_outcome"].is_string() || t["when_outcome"].get<std::string>().empty()))
    return bad(src, key + ".when_outcome", "must be a non-empty text");
  def.when_outcome = t.value("when_outcome", "");
  if (!def.when_outcome.empty() && !certification::parse_outcome(def.when_outcome)) {
    std::string known;
    for (auto o : certification::all_outcomes)
      known += (known.empty() ? "" : ", ") + std::string(certification::outcome_name(o));
    return bad(src, key + ".when_outcome",
               "\"" + def.when_outcome + "\" is not an outcome (" + known + ")");
  }
  auto emits = parse_emits(t.value("emit", json::array()), src, key + ".emit");
  if (!emits) return emits.error();
  def.emits = std::move(emits).value();
  auto froms = strings_of(t.value("from", json()));
  if (froms.empty()) return bad(src, key + ".from", "missing");
  for (const auto& f : froms) {
    auto from = wf.find_state(f);
    if (!from) return bad(src, key + ".from", "unknown state \"" + f + "\"");
    for (const auto& other : wf.transitions_)
      if (other.from == *from && other.act == def.act && other.when_outcome == def.when_outcome)
        return bad(src, key,
                   "a second \"" + std::string(action_name(def.act)) + "\" from " + f +
                       (def.when_outcome.empty() ? "" : " when " + def.when_outcome));
    def.from = *from;
    wf.transitions_.push_back(def);
  }
  return status::ok();
}

bool evaluates(const std::vector<emit_def>& emits) {
  return std::any_of(emits.begin(), emits.end(),
                     [](const emit_def& e) { return e.what == emit_def::kind::evaluate; });
}

status workflow::parsing::guards(const workflow& wf, const std::string& src) {
  bool guarded = false, evaluated = false;
  for (const auto& t : wf.transitions_) {
    guarded |= !t.when_outcome.empty();
    evaluated |= evaluates(t.emits);
  }
  for (const auto& enter : wf.on_enter_) evaluated |= evaluates(enter);
  if (guarded && !evaluated)
    return bad(src, "transitions",
               "a \"when_outcome\" guard needs an {\"evaluate\": E} emit in the workflow");
  return status::ok();
}

status workflow::parsing::exits(const workflow& wf, const std::string& src) {
  for (state_id s = 0; s < wf.states_.size(); ++s) {
    if (wf.terminal_[s]) continue;
    bool has_exit = std::any_of(wf.transitions_.begin(), wf.transitions_.end(),
                                [&](const transition_def& t) { return t.from == s && t.to != s; });
    if (!has_exit) return bad(src, "states." + wf.states_[s], "is not terminal and has no way out");
  }
  return status::ok();
}

// Each deadline's owners can act in its state; an expiring deadline has the
// system's `expire` transition to take, and only such a state has one.
status workflow::check_deadlines(const std::string& src) const {
  for (state_id s = 0; s < states_.size(); ++s) {
    std::string key = "states." + states_[s] + ".deadline";
    const transition_def* expire = nullptr;
    for (const auto& t : transitions_)
      if (t.from == s && t.act == action::expire) expire = &t;
    if (!deadlines_[s]) {
      if (expire)
        return bad(src, "states." + states_[s],
                   "has an expire transition but no deadline that expires");
      continue;
    }
    const deadline_def& d = *deadlines_[s];
    for (role owner : d.owners) {
      bool acts =
          std::any_of(transitions_.begin(), transitions_.end(), [&](const transition_def& t) {
            return t.from == s && t.act != action::cancel &&
                   std::count(t.roles.begin(), t.roles.end(), owner);
          });
      if (!acts)
        return bad(src, key + ".owners",
                   std::string(role_name(owner)) + " cannot act in " + states_[s]);
    }
    if (d.at_deadline == deadline_def::outcome::expire) {
      if (!expire)
        return bad(src, key + ".at_deadline",
                   "expire needs an expire transition from " + states_[s]);
      if (expire->roles != std::vector<role>{role::system})
        return bad(src, key + ".at_deadline",
                   "the expire transition from " + states_[s] + " must be the system's alone");
    } else if (expire) {
      return bad(src, "states." + states_[s],
                 "has an expire transition but its deadline escalates");
    }
  }
  return status::ok();
}

result<workflow> load_workflow_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return status::not_found("workflow file " + path + " cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return workflow::parse(ss.str(), path);
}

case_place place_of(const program_registry& programs, const std::string& program,
                    std::string_view state_name) {
  auto it = programs.find(program);
  if (it == programs.end()) return {};
  return {&it->second, it->second.find_state(state_name)};
}

result<const transition_def*> decide(const workflow& wf, state_id current, action act,
                                     role actor_role, const std::set<std::string>& provided,
                                     std::string_view outcome) {
  const transition_def *found = nullptr, *guarded = nullptr;
  for (const auto& t : wf.transitions())
    if (t.from == current && t.act == act) {
      if (t.when_outcome.empty()) found = &t;
      if (!outcome.empty() && t.when_outcome == outcome) guarded = &t;
    }
  if (guarded) found = guarded;
  if (!found)
    return status::conflict(std::string(action_name(act)) + " is not possible in state " +
                            wf.state_name(current));
  if (std::find(found->roles.begin(), found->roles.end(), actor_role) == found->roles.end())
    return status::forbidden(std::string(role_name(actor_role)) + " may not " +
                             std::string(action_name(act)) + " a case in " +
                             wf.state_name(current) + " (only " + join(found->roles) + ")");
  for (const auto& field : found->requires_fields)
    if (!provided.count(field))
      return status::invalid(field + " is required to " + std::string(action_name(act)) +
                             " a case in " + wf.state_name(current));
  return found;
}

status authorize(const case_parties& p, role claimed, const std::string& id,
                 const std::set<role>& org_roles) {
  auto holder = [&]() -> const std::string* {
    switch (claimed) {
      case role::employee:
        return &p.employee_id;
      case role::supervisor:
        return &p.supervisor_id;
      case role::hrbp:
        return &p.hrbp_id;
      default:
        return nullptr;
    }
  }();
  if (claimed == role::system) return status::forbidden("the system role is reserved for workers");
  if (claimed == role::rater) {
    for (const auto& r : p.raters)
      if (rater_id(r) == id) return status::ok();
    return status::forbidden(id + " is not a rater of this case");
  }
  if (holder) {
    if (holder->empty())
      return status::forbidden("the case has no " + std::string(role_name(claimed)));
    if (*holder != id)
      return status::forbidden(id + " is not the " + std::string(role_name(claimed)) +
                               " of this case (" + *holder + " is)");
    return status::ok();
  }
  if (!org_roles.count(claimed))
    return status::forbidden(id + " does not hold the " + std::string(role_name(claimed)) +
                             " role");
  return status::ok();
}

}  // namespace af::engine
