// Tests for engine/workflow.h: the competency50 workflow definition as data
// (schemas/workflows/competency50.json), the pure state machine decide(),
// the validation of broken definitions, and authorize().
#include "engine/workflow.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "engine/outbox.h"

using af::status_code;
using af::engine::action;
using af::engine::authorize;
using af::engine::case_parties;
using af::engine::decide;
using af::engine::emit_def;
using af::engine::role;
using af::engine::transition_def;
using af::engine::workflow;

namespace {

const std::string definition_path = ASSESSFLOW_SCHEMAS_DIR "/workflows/competency50.json";

const workflow& competency50() {
  static const workflow wf = [] {
    auto r = af::engine::load_workflow_file(definition_path);
    if (!r) FAIL("cannot load " << definition_path << ": " << r.error().to_string());
    return std::move(r).value();
  }();
  return wf;
}

const std::vector<role> all_roles = {role::employee, role::supervisor, role::hrbp,  role::hr,
                                     role::chairman, role::admin,      role::system};
const std::vector<action> all_actions = {action::submit,  action::approve, action::return_case,
                                         action::adjust,  action::cancel,  action::scored,
                                         action::recheck, action::expire};

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

std::string roles_text(const std::vector<role>& roles) {
  std::vector<std::string> names;
  for (role r : roles) names.emplace_back(af::engine::role_name(r));
  return join(names, ",");
}

std::string emits_text(const std::vector<emit_def>& emits) {
  std::vector<std::string> parts;
  for (const auto& e : emits) {
    if (e.what == emit_def::kind::task)
      parts.push_back("task " + std::string(af::engine::task_kind_of(e.task)));
    else
      parts.push_back("notify " + roles_text(e.recipients) + ": " + e.notification);
  }
  return join(parts, "; ");
}

// "self_review --submit by employee--> supervisor_review"
std::string dump(const workflow& wf, const transition_def& t) {
  std::string out = wf.state_name(t.from) + " --" + std::string(af::engine::action_name(t.act)) +
                    " by " + roles_text(t.roles) + "--> " + wf.state_name(t.to);
  if (!t.requires_fields.empty()) out += " requires " + join(t.requires_fields, ",");
  if (!t.emits.empty()) out += " emits [" + emits_text(t.emits) + "]";
  return out;
}

// The competency50 flow as DOMAIN.md / DESIGN.md describe it, written out
// independently of the JSON file.
struct expected_transition {
  std::string from;
  action act;
  role who;
  std::string to;
  std::vector<std::string> requires_fields;
  std::string emits;
};

const std::vector<expected_transition>& expected_table() {
  static const std::vector<expected_transition> table = {
      {"self_review", action::submit, role::employee, "supervisor_review", {"ratings"}, ""},
      {"self_review",
       action::expire,
       role::system,
       "supervisor_review",
       {},
       "notify employee,supervisor: self_review_missing"},
      {"supervisor_review",
       action::submit,
       role::supervisor,
       "scoring",
       {"ratings", "exams"},
       "task scoring"},
      {"scoring", action::scored, role::system, "hrbp_review", {}, ""},
      {"hrbp_review", action::approve, role::hrbp, "hr_review", {}, ""},
      {"hr_review",
       action::approve,
       role::hr,
       "final",
       {},
       "notify employee,supervisor,hrbp: case_final"},
      {"hr_review",
       action::return_case,
       role::hr,
       "supervisor_review",
       {"comment"},
       "notify supervisor: case_returned"},
      {"final",
       action::adjust,
       role::chairman,
       "final",
       {"tier", "reason"},
       "notify employee,supervisor,hrbp: tier_adjusted"},
      {"self_review", action::cancel, role::admin, "cancelled", {"reason"}, ""},
      {"supervisor_review", action::cancel, role::admin, "cancelled", {"reason"}, ""},
      {"scoring", action::cancel, role::admin, "cancelled", {"reason"}, ""},
      {"hrbp_review", action::cancel, role::admin, "cancelled", {"reason"}, ""},
      {"hr_review", action::cancel, role::admin, "cancelled", {"reason"}, ""},
  };
  return table;
}

const expected_transition* expected_for(const std::string& from, action act) {
  for (const auto& e : expected_table())
    if (e.from == from && e.act == act) return &e;
  return nullptr;
}

af::engine::state_id state(const workflow& wf, const std::string& name) {
  auto s = wf.find_state(name);
  REQUIRE(s.has_value());
  return *s;
}

std::set<std::string> fields(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

}  // namespace

TEST_CASE("competency50 definition loads with the documented states", "[engine][workflow]") {
  const workflow& wf = competency50();
  CHECK(wf.program() == "competency50");
  REQUIRE(wf.state_count() == 7);
  std::vector<std::string> names;
  for (af::engine::state_id s = 0; s < wf.state_count(); ++s) names.push_back(wf.state_name(s));
  CHECK(names == std::vector<std::string>{"self_review", "supervisor_review", "scoring",
                                          "hrbp_review", "hr_review", "final", "cancelled"});
  CHECK(wf.state_name(wf.initial()) == "self_review");
  for (af::engine::state_id s = 0; s < wf.state_count(); ++s) {
    INFO(wf.state_name(s));
    bool terminal = wf.state_name(s) == "final" || wf.state_name(s) == "cancelled";
    CHECK(wf.is_terminal(s) == terminal);
  }
  CHECK(wf.period_kinds() ==
        std::vector<af::period_kind>{af::period_kind::quarter, af::period_kind::year});
  CHECK_FALSE(wf.find_state("nowhere").has_value());
}

TEST_CASE("competency50 transition table, as a readable dump", "[engine][workflow]") {
  const workflow& wf = competency50();
  std::vector<std::string> got;
  for (const auto& t : wf.transitions()) got.push_back(dump(wf, t));
  std::vector<std::string> want = {
      "self_review --submit by employee--> supervisor_review requires ratings",
      "self_review --expire by system--> supervisor_review emits [notify employee,supervisor: "
      "self_review_missing]",
      "supervisor_review --submit by supervisor--> scoring requires ratings,exams emits [task "
      "scoring]",
      "scoring --scored by system--> hrbp_review",
      "hrbp_review --approve by hrbp--> hr_review",
      "hr_review --approve by hr--> final emits [notify employee,supervisor,hrbp: case_final]",
      "hr_review --return by hr--> supervisor_review requires comment emits [notify supervisor: "
      "case_returned]",
      "final --adjust by chairman--> final requires tier,reason emits [notify "
      "employee,supervisor,hrbp: tier_adjusted]",
      "self_review --cancel by admin--> cancelled requires reason",
      "supervisor_review --cancel by admin--> cancelled requires reason",
      "scoring --cancel by admin--> cancelled requires reason",
      "hrbp_review --cancel by admin--> cancelled requires reason",
      "hr_review --cancel by admin--> cancelled requires reason",
  };
  CHECK(got == want);
}

TEST_CASE("decide: every allowed transition goes where the table says", "[engine][workflow]") {
  const workflow& wf = competency50();
  for (const auto& e : expected_table()) {
    std::string label = e.from + " --" + std::string(af::engine::action_name(e.act)) + " by " +
                        std::string(af::engine::role_name(e.who)) + "--> " + e.to;
    INFO(label);
    auto r = decide(wf, state(wf, e.from), e.act, e.who, fields(e.requires_fields));
    REQUIRE(r.is_ok());
    const transition_def* t = *r;
    CHECK(wf.state_name(t->from) == e.from);
    CHECK(t->act == e.act);
    CHECK(wf.state_name(t->to) == e.to);
    CHECK(t->requires_fields == e.requires_fields);
    CHECK(emits_text(t->emits) == e.emits);
    // Extra fields never hurt.
    auto more = fields(e.requires_fields);
    more.insert("unrelated");
    auto again = decide(wf, state(wf, e.from), e.act, e.who, more);
    REQUIRE(again.is_ok());
    CHECK(*again == t);
  }
}

TEST_CASE("decide: every (state, action) pair outside the table is a Conflict",
          "[engine][workflow]") {
  const workflow& wf = competency50();
  int refused = 0, allowed = 0;
  const std::set<std::string> everything = {"ratings", "exams", "comment", "tier", "reason"};
  for (af::engine::state_id s = 0; s < wf.state_count(); ++s) {
    for (action a : all_actions) {
      if (expected_for(wf.state_name(s), a)) {
        ++allowed;
        continue;
      }
      std::string what =
          std::string(af::engine::action_name(a)) + " is not possible in state " + wf.state_name(s);
      INFO(what);
      for (role r : all_roles) {
        auto d = decide(wf, s, a, r, everything);
        REQUIRE_FALSE(d.is_ok());
        CHECK(d.error().code() == status_code::conflict);
        CHECK(d.error().message() == what);
      }
      ++refused;
    }
  }
  CHECK(allowed == 13);
  CHECK(refused == 7 * 8 - 13);
  // Two terminal states refuse everything but the chairman's adjust of final.
  auto cancelled = decide(wf, state(wf, "cancelled"), action::cancel, role::admin, {"reason"});
  REQUIRE_FALSE(cancelled.is_ok());
  CHECK(cancelled.error().message() == "cancel is not possible in state cancelled");
}

TEST_CASE("decide: every wrong role is Forbidden, naming the role", "[engine][workflow]") {
  const workflow& wf = competency50();
  int checked = 0;
  for (const auto& e : expected_table()) {
    for (role r : all_roles) {
      if (r == e.who) continue;
      std::string want = std::string(af::engine::role_name(r)) + " may not " +
                         std::string(af::engine::action_name(e.act)) + " a case in " + e.from +
                         " (only " + std::string(af::engine::role_name(e.who)) + ")";
      INFO(want);
      auto d = decide(wf, state(wf, e.from), e.act, r, fields(e.requires_fields));
      REQUIRE_FALSE(d.is_ok());
      CHECK(d.error().code() == status_code::forbidden);
      CHECK(d.error().message() == want);
      ++checked;
    }
  }
  CHECK(checked == 13 * 6);
  // Spot check of one message in full.
  auto d = decide(wf, state(wf, "hr_review"), action::approve, role::hrbp, {});
  REQUIRE_FALSE(d.is_ok());
  CHECK(d.error().message() == "hrbp may not approve a case in hr_review (only hr)");
}

TEST_CASE("decide: a missing required field is InvalidArgument naming the field",
          "[engine][workflow]") {
  const workflow& wf = competency50();
  int checked = 0;
  for (const auto& e : expected_table()) {
    for (const auto& missing : e.requires_fields) {
      auto given = fields(e.requires_fields);
      given.erase(missing);
      std::string want = missing + " is required to " +
                         std::string(af::engine::action_name(e.act)) + " a case in " + e.from;
      INFO(want);
      auto d = decide(wf, state(wf, e.from), e.act, e.who, given);
      REQUIRE_FALSE(d.is_ok());
      CHECK(d.error().code() == status_code::invalid_argument);
      CHECK(d.error().message() == want);
      ++checked;
    }
  }
  CHECK(checked == 1 + 2 + 1 + 2 + 5);

  SECTION("return without a comment") {
    auto d = decide(wf, state(wf, "hr_review"), action::return_case, role::hr, {});
    REQUIRE_FALSE(d.is_ok());
    CHECK(d.error().message() == "comment is required to return a case in hr_review");
  }
  SECTION("adjust without tier, then without reason") {
    auto no_tier = decide(wf, state(wf, "final"), action::adjust, role::chairman, {"reason"});
    REQUIRE_FALSE(no_tier.is_ok());
    CHECK(no_tier.error().message() == "tier is required to adjust a case in final");
    auto no_reason = decide(wf, state(wf, "final"), action::adjust, role::chairman, {"tier"});
    REQUIRE_FALSE(no_reason.is_ok());
    CHECK(no_reason.error().message() == "reason is required to adjust a case in final");
  }
  SECTION("a supervisor submission without exams") {
    auto d =
        decide(wf, state(wf, "supervisor_review"), action::submit, role::supervisor, {"ratings"});
    REQUIRE_FALSE(d.is_ok());
    CHECK(d.error().message() == "exams is required to submit a case in supervisor_review");
  }
}

TEST_CASE("role and action names round-trip", "[engine][workflow]") {
  for (role r : all_roles) CHECK(af::engine::parse_role(af::engine::role_name(r)) == r);
  for (action a : all_actions) CHECK(af::engine::parse_action(af::engine::action_name(a)) == a);
  CHECK(af::engine::action_name(action::return_case) == "return");
  CHECK_FALSE(af::engine::parse_role("boss").has_value());
  CHECK_FALSE(af::engine::parse_action("return_case").has_value());
}

namespace {

using njson = nlohmann::json;

// The smallest valid definition; each broken case mutates a copy of it.
njson minimal() {
  return njson::parse(R"({
    "program": "p",
    "initial": "a",
    "states": [{"name": "a"}, {"name": "b"}, {"name": "done", "terminal": true}],
    "transitions": [
      {"from": "a", "action": "submit", "roles": ["employee"], "to": "b"},
      {"from": "b", "action": "approve", "roles": ["hr"], "to": "done", "emit": [{"task": "scoring"}]}
    ]
  })");
}

std::string refusal(const njson& definition) {
  auto r = workflow::parse(definition.dump(), "broken.json");
  if (r.is_ok()) return "(accepted)";
  CHECK(r.error().code() == status_code::invalid_argument);
  return r.error().message();
}

}  // namespace

TEST_CASE("workflow::parse accepts the minimal definition", "[engine][workflow]") {
  auto r = workflow::parse(minimal().dump(), "minimal.json");
  REQUIRE(r.is_ok());
  CHECK(r->program() == "p");
  CHECK(r->transitions().size() == 2);
  CHECK(dump(*r, r->transitions()[1]) == "b --approve by hr--> done emits [task scoring]");
  // periods default to all three kinds.
  CHECK(r->period_kinds().size() == 3);
}

TEST_CASE("workflow::parse refuses broken definitions, naming the source and key",
          "[engine][workflow]") {
  SECTION("unknown state in to") {
    auto d = minimal();
    d["transitions"][0]["to"] = "nowhere";
    CHECK(refusal(d) == "broken.json: transitions[0].to: unknown state \"nowhere\"");
  }
  SECTION("unknown state in from") {
    auto d = minimal();
    d["transitions"][1]["from"] = "nowhere";
    CHECK(refusal(d) == "broken.json: transitions[1].from: unknown state \"nowhere\"");
  }
  SECTION("unknown state in a list of from") {
    auto d = minimal();
    d["transitions"][1]["from"] = {"b", "limbo"};
    CHECK(refusal(d) == "broken.json: transitions[1].from: unknown state \"limbo\"");
  }
  SECTION("missing from") {
    auto d = minimal();
    d["transitions"][0].erase("from");
    CHECK(refusal(d) == "broken.json: transitions[0].from: missing");
  }
  SECTION("unknown role") {
    auto d = minimal();
    d["transitions"][0]["roles"] = {"employee", "boss"};
    CHECK(refusal(d) == "broken.json: transitions[0].roles: role \"boss\" does not exist");
  }
  SECTION("no role at all") {
    auto d = minimal();
    d["transitions"][0]["roles"] = njson::array();
    CHECK(refusal(d) == "broken.json: transitions[0].roles: names nobody who may act");
  }
  SECTION("unknown action") {
    auto d = minimal();
    d["transitions"][1]["action"] = "fly";
    CHECK(refusal(d) == "broken.json: transitions[1].action: unknown action \"fly\"");
  }
  SECTION("duplicate state") {
    auto d = minimal();
    d["states"].push_back({{"name", "b"}});
    CHECK(refusal(d) == "broken.json: states.b: declared twice");
  }
  SECTION("initial is not a state") {
    auto d = minimal();
    d["initial"] = "start";
    CHECK(refusal(d) == "broken.json: initial: is not a declared state");
  }
  SECTION("a non-terminal state with no way out") {
    auto d = minimal();
    d["states"].push_back({{"name", "stuck"}});
    CHECK(refusal(d) == "broken.json: states.stuck: is not terminal and has no way out");
  }
  SECTION("a self-loop is not a way out") {
    auto d = minimal();
    d["states"].push_back({{"name", "loop"}});
    d["transitions"].push_back(
        {{"from", "loop"}, {"action", "adjust"}, {"roles", {"chairman"}}, {"to", "loop"}});
    CHECK(refusal(d) == "broken.json: states.loop: is not terminal and has no way out");
  }
  SECTION("a duplicated (from, action)") {
    auto d = minimal();
    d["transitions"].push_back(
        {{"from", "a"}, {"action", "submit"}, {"roles", {"supervisor"}}, {"to", "done"}});
    CHECK(refusal(d) == "broken.json: transitions[2]: a second \"submit\" from a");
  }
  SECTION("a duplicated (from, action) inside one list of from") {
    auto d = minimal();
    d["transitions"][0]["from"] = {"a", "a"};
    CHECK(refusal(d) == "broken.json: transitions[0]: a second \"submit\" from a");
  }
  SECTION("unknown task kind") {
    auto d = minimal();
    d["transitions"][1]["emit"] = {{{"task", "baking"}}};
    CHECK(refusal(d) == "broken.json: transitions[1].emit: unknown task kind \"baking\"");
  }
  SECTION("notify the system role") {
    auto d = minimal();
    d["transitions"][1]["emit"] = {{{"notify", {"system"}}}};
    CHECK(refusal(d) ==
          "broken.json: transitions[1].emit.notify: role \"system\" cannot be notified");
  }
  SECTION("an emit that is neither task nor notify") {
    auto d = minimal();
    d["transitions"][1]["emit"] = {{{"mail", "x"}}};
    CHECK(refusal(d) ==
          "broken.json: transitions[1].emit: each emit is {\"task\": K}, "
          "{\"notify\": [roles]} or {\"evaluate\": E}");
    d["transitions"][1]["emit"] = {{{"evaluate", "horoscope"}}};
    CHECK(refusal(d) ==
          "broken.json: transitions[1].emit: unknown evaluation \"horoscope\" (certification)");
  }
  SECTION("guards: one transition per state, action and outcome") {
    auto d = minimal();
    auto guarded = d["transitions"][1];
    guarded["when_outcome"] = "provisional";
    d["transitions"].push_back(guarded);
    CHECK(refusal(d) ==
          "broken.json: transitions: a \"when_outcome\" guard needs an {\"evaluate\": E} emit "
          "in the workflow");
    d["states"][0]["on_enter"] = {{{"evaluate", "certification"}}};
    CHECK(refusal(d) == "(accepted)");
    auto misspelt = d;
    misspelt["transitions"].back()["when_outcome"] = "provisonal";
    CHECK(refusal(misspelt) ==
          "broken.json: transitions[2].when_outcome: \"provisonal\" is not an outcome "
          "(certified, recommended_for_promotion, provisional, demoted, eliminated, "
          "no_competency_result)");
    d["transitions"].push_back(guarded);
    CHECK_THAT(refusal(d), Catch::EndsWith(" when provisional"));
    d = minimal();
    d["transitions"][1]["when_outcome"] = "";
    CHECK(refusal(d) == "broken.json: transitions[1].when_outcome: must be a non-empty text");
  }
  SECTION("unknown period kind") {
    auto d = minimal();
    d["periods"] = {"week"};
    CHECK(refusal(d) == "broken.json: periods: unknown period kind \"week\"");
  }
  SECTION("no program") {
    auto d = minimal();
    d.erase("program");
    CHECK(refusal(d) == "broken.json: program: missing");
  }
  SECTION("no states") {
    auto d = minimal();
    d["states"] = njson::array();
    CHECK(refusal(d) == "broken.json: states: must be a non-empty array");
  }
  SECTION("no transitions") {
    auto d = minimal();
    d.erase("transitions");
    CHECK(refusal(d) == "broken.json: transitions: must be an array");
  }
  SECTION("not JSON") {
    auto r = workflow::parse("{\"program\": \"p\", states: [", "broken.json");
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error().code() == status_code::invalid_argument);
    CHECK(r.error().message() == "broken.json: not a JSON object");
  }
  SECTION("JSON but not an object") {
    auto r = workflow::parse("[1, 2]", "broken.json");
    REQUIRE_FALSE(r.is_ok());
    CHECK(r.error().message() == "broken.json: not a JSON object");
  }
}

TEST_CASE("load_workflow_file names a missing file", "[engine][workflow]") {
  auto r = af::engine::load_workflow_file("/nonexistent/dir/flow.json");
  REQUIRE_FALSE(r.is_ok());
  CHECK(r.error().code() == status_code::not_found);
  CHECK(r.error().message() == "workflow file /nonexistent/dir/flow.json cannot be read");
}

TEST_CASE("authorize: case parties must be the case's own people", "[engine][workflow]") {
  const case_parties parties{"E1", "S1", "B1"};
  const std::set<role> none;

  CHECK(authorize(parties, role::employee, "E1", none).is_ok());
  CHECK(authorize(parties, role::supervisor, "S1", none).is_ok());
  CHECK(authorize(parties, role::hrbp, "B1", none).is_ok());

  struct refused_case {
    role claimed;
    std::string who, message;
  };
  const std::vector<refused_case> refused = {
      {role::employee, "E2", "E2 is not the employee of this case (E1 is)"},
      {role::employee, "S1", "S1 is not the employee of this case (E1 is)"},
      {role::supervisor, "S2", "S2 is not the supervisor of this case (S1 is)"},
      {role::supervisor, "E1", "E1 is not the supervisor of this case (S1 is)"},
      {role::hrbp, "B2", "B2 is not the hrbp of this case (B1 is)"},
      {role::hrbp, "S1", "S1 is not the hrbp of this case (B1 is)"},
  };
  for (const auto& r : refused) {
    INFO(r.message);
    auto s = authorize(parties, r.claimed, r.who, none);
    CHECK(s.code() == status_code::forbidden);
    CHECK(s.message() == r.message);
  }
  // Org roles do not make anyone a party of a case.
  auto hr_as_supervisor = authorize(parties, role::supervisor, "H1", {role::hr, role::admin});
  CHECK(hr_as_supervisor.code() == status_code::forbidden);
  CHECK(hr_as_supervisor.message() == "H1 is not the supervisor of this case (S1 is)");

  SECTION("a case without an HRBP has no hrbp to act") {
    auto s = authorize({"E1", "S1", ""}, role::hrbp, "B1", none);
    CHECK(s.code() == status_code::forbidden);
    CHECK(s.message() == "the case has no hrbp");
    auto empty_id = authorize({"E1", "S1", ""}, role::hrbp, "", none);
    CHECK(empty_id.code() == status_code::forbidden);
  }
}

TEST_CASE("authorize: hr, chairman and admin need the org role, system is refused",
          "[engine][workflow]") {
  const case_parties parties{"E1", "S1", "B1"};
  for (role r : {role::hr, role::chairman, role::admin}) {
    std::string name(af::engine::role_name(r));
    INFO(name);
    CHECK(authorize(parties, r, "X1", {r}).is_ok());
    CHECK(authorize(parties, r, "X1", {role::hr, role::chairman, role::admin}).is_ok());
    auto without = authorize(parties, r, "X1", {});
    CHECK(without.code() == status_code::forbidden);
    CHECK(without.message() == "X1 does not hold the " + name + " role");
    // Being a party of the case gives no org role.
    auto party = authorize(parties, r, "S1", {});
    CHECK(party.code() == status_code::forbidden);
    CHECK(party.message() == "S1 does not hold the " + name + " role");
  }
  auto hr_not_chairman = authorize(parties, role::chairman, "H1", {role::hr});
  CHECK(hr_not_chairman.code() == status_code::forbidden);
  CHECK(hr_not_chairman.message() == "H1 does not hold the chairman role");

  auto system = authorize(parties, role::system, "E1", {role::hr, role::chairman, role::admin});
  CHECK(system.code() == status_code::forbidden);
  CHECK(system.message() == "the system role is reserved for workers");
}

TEST_CASE("competency50 deadlines as the workflow file defines them",
          "[engine][workflow][deadline]") {
  using af::engine::deadline_def;
  const workflow& wf = competency50();
  const auto& self = wf.deadline(state(wf, "self_review"));
  REQUIRE(self.has_value());
  CHECK(self->from == deadline_def::base::entry);
  CHECK(self->after_seconds == 5 * 86400);
  CHECK(self->remind_before_seconds == 24 * 3600);
  CHECK(self->owners == std::vector<role>{role::employee});
  CHECK(self->at_deadline == deadline_def::outcome::expire);
  const auto& sup = wf.deadline(state(wf, "supervisor_review"));
  REQUIRE(sup.has_value());
  CHECK(sup->at_deadline == deadline_def::outcome::escalate);
  CHECK(sup->escalate_to == std::vector<role>{role::hrbp});
  const auto& hr = wf.deadline(state(wf, "hr_review"));
  REQUIRE(hr.has_value());
  CHECK(hr->from == deadline_def::base::cycle_end);
  CHECK_FALSE(wf.deadline(state(wf, "scoring")).has_value());
  CHECK_FALSE(wf.deadline(state(wf, "final")).has_value());
  // The expire transition flags the case.
  auto expire = decide(wf, state(wf, "self_review"), action::expire, role::system, {});
  REQUIRE(expire.is_ok());
  CHECK((*expire)->flag == "self review missing");
  // Nobody but the system may expire a case.
  auto by_admin = decide(wf, state(wf, "self_review"), action::expire, role::admin, {});
  REQUIRE_FALSE(by_admin.is_ok());
  CHECK(by_admin.error().code() == status_code::forbidden);
}

TEST_CASE("plan_deadline: due and reminder instants", "[engine][workflow][deadline]") {
  using af::engine::deadline_def;
  deadline_def d;
  d.after_seconds = 5 * 86400;
  d.remind_before_seconds = 24 * 3600;
  auto t = af::engine::plan_deadline(d, 1'000'000, 0);
  CHECK(t.due_at == 1'000'000 + 432'000);
  REQUIRE(t.remind_at.has_value());
  CHECK(*t.remind_at == 1'000'000 + 432'000 - 86'400);
  SECTION(
      "until the cycle's end: entered less than the reminder time before it, reminded at once") {
    d.from = deadline_def::base::cycle_end;
    auto late = af::engine::plan_deadline(d, 2'000'000, 2'000'000 + 3600);
    CHECK(late.due_at == 2'003'600);
    CHECK(late.remind_at == std::optional<std::int64_t>(2'000'000));
  }
  SECTION("entered after the cycle's end: due already, no reminder") {
    d.from = deadline_def::base::cycle_end;
    auto past = af::engine::plan_deadline(d, 2'000'000, 1'999'999);
    CHECK(past.due_at == 1'999'999);
    CHECK_FALSE(past.remind_at.has_value());
  }
  SECTION("no reminder configured") {
    d.remind_before_seconds = 0;
    CHECK_FALSE(af::engine::plan_deadline(d, 0, 0).remind_at.has_value());
  }
}

TEST_CASE("workflow::parse refuses broken deadlines, naming the key",
          "[engine][workflow][deadline]") {
  auto with_deadline = [](njson deadline) {
    auto d = minimal();
    d["states"][0]["deadline"] = std::move(deadline);
    return d;
  };
  const njson good = {{"days", 5},
                      {"remind_before_hours", 24},
                      {"owners", {"employee"}},
                      {"at_deadline", "escalate"},
                      {"escalate_to", {"hrbp"}}};
  CHECK(refusal(with_deadline(good)) == "(accepted)");
  SECTION("no length, or two") {
    auto g = good;
    g.erase("days");
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline: needs exactly one of days, hours or until");
    g["days"] = 2;
    g["hours"] = 3;
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline: needs exactly one of days, hours or until");
  }
  SECTION("a length that is not a positive whole number") {
    auto g = good;
    g["days"] = 0;
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.days: must be a whole number 1..3660");
    g["days"] = 2.5;
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.days: must be a whole number 1..3660");
  }
  SECTION("until something other than the cycle's end") {
    auto g = good;
    g.erase("days");
    g["until"] = "friday";
    CHECK(
        refusal(with_deadline(g)) ==
        "broken.json: states.a.deadline.until: must be \"cycle_end\" (the end of the run window)");
  }
  SECTION("a reminder no earlier than the state starts") {
    auto g = good;
    g["remind_before_hours"] = 120;
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.remind_before_hours: must be shorter than the deadline "
          "itself");
  }
  SECTION("a misspelt key") {
    auto g = good;
    g["remind_before_hour"] = 24;
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.remind_before_hour: unknown key");
  }
  SECTION("owners who do not exist, cannot act there, or nobody") {
    auto g = good;
    g["owners"] = {"boss"};
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.owners: role \"boss\" does not exist");
    g["owners"] = {"supervisor"};
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.owners: supervisor cannot act in a");
    g["owners"] = njson::array();
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.owners: names nobody who must act");
  }
  SECTION("an unknown outcome") {
    auto g = good;
    g["at_deadline"] = "panic";
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.at_deadline: must be \"expire\" or \"escalate\"");
  }
  SECTION("expire without an expire transition, or one anyone may take") {
    auto g = good;
    g.erase("escalate_to");
    g["at_deadline"] = "expire";
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.at_deadline: expire needs an expire transition from a");
    auto d = with_deadline(g);
    d["transitions"].push_back(
        {{"from", "a"}, {"action", "expire"}, {"roles", {"system", "admin"}}, {"to", "b"}});
    CHECK(refusal(d) ==
          "broken.json: states.a.deadline.at_deadline: the expire transition from a must be the "
          "system's alone");
    d["transitions"][2]["roles"] = {"system"};
    CHECK(refusal(d) == "(accepted)");
  }
  SECTION("an expire transition from a state whose deadline escalates, or that has none") {
    auto d = with_deadline(good);
    d["transitions"].push_back(
        {{"from", "a"}, {"action", "expire"}, {"roles", {"system"}}, {"to", "b"}});
    CHECK(refusal(d) ==
          "broken.json: states.a: has an expire transition but its deadline escalates");
    d["states"][0].erase("deadline");
    CHECK(refusal(d) ==
          "broken.json: states.a: has an expire transition but no deadline that expires");
  }
  SECTION("a deadline on a terminal state") {
    auto d = minimal();
    d["states"][2]["deadline"] = good;
    CHECK(refusal(d) == "broken.json: states.done.deadline: a terminal state has no deadline");
  }
  SECTION("escalating to the system, or escalate_to on an expiring deadline") {
    auto g = good;
    g["escalate_to"] = {"system"};
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.escalate_to: the system role cannot be told or act late");
    g["at_deadline"] = "expire";
    g["escalate_to"] = {"hrbp"};
    CHECK(refusal(with_deadline(g)) ==
          "broken.json: states.a.deadline.escalate_to: only an escalating deadline tells anyone");
  }
  SECTION("an empty flag") {
    auto d = minimal();
    d["transitions"][0]["flag"] = "";
    CHECK(refusal(d) == "broken.json: transitions[0].flag: must be a non-empty text");
  }
}

TEST_CASE("sales_check: what a sales-checked program's workflow declares, and its refusals",
          "[engine][workflow]") {
  auto perf = af::engine::load_workflow_file(ASSESSFLOW_SCHEMAS_DIR "/workflows/performance.json");
  REQUIRE(perf.is_ok());
  REQUIRE(perf->sales_check());
  CHECK(perf->sales_check()->shown == std::vector<std::string>{"month", "figures"});
  CHECK(perf->sales_check()->notified == std::vector<std::string>{"month"});
  REQUIRE(perf->sales_check()->late_flag_in.size() == 1);
  CHECK(perf->state_name(perf->sales_check()->late_flag_in[0]) == "final");
  REQUIRE(perf->sales_check()->rolled_up_from);
  CHECK(perf->state_name(*perf->sales_check()->rolled_up_from) == "final");
  auto c50 = af::engine::load_workflow_file(ASSESSFLOW_SCHEMAS_DIR "/workflows/competency50.json");
  REQUIRE(c50.is_ok());
  CHECK_FALSE(c50->sales_check());

  auto d = minimal();
  d["sales_check"] = {{"shown", {"month"}}, {"late_flag_in", {"done"}}, {"rolled_up_from", "done"}};
  CHECK(refusal(d) == "(accepted)");
  d["sales_check"]["late_flag_in"] = {"nowhere"};
  CHECK(refusal(d) == "broken.json: sales_check.late_flag_in: unknown state \"nowhere\"");
  d["sales_check"] = {{"rolled_up_from", 3}};
  CHECK(refusal(d) == "broken.json: sales_check.rolled_up_from: must name a declared state");
  d["sales_check"] = {{"rolled_up", true}};
  CHECK(refusal(d) == "broken.json: sales_check.rolled_up: unknown key");
  d["sales_check"] = "yes";
  CHECK(refusal(d) == "broken.json: sales_check: must be an object");
}
