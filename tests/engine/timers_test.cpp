// Tests for deadlines (engine/timers.h, engine/case_deadlines.cpp) on a
// fake clock: the fixture's `now` is moved by hand. competency50 as its
// workflow file defines it: self review 5 days then expire, supervisor
// review 5 days then escalate to the HRBP, HRBP 3 days, HR until the end
// of the run window; reminders 24 hours before.
#include "engine/timers.h"

#include <catch2/catch.hpp>

#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;
using af::msg::notify_task;

namespace {

std::int64_t at(const char* iso) { return *af::parse_instant(iso); }

struct timer_fixture : fixture {
  af::engine::timers timers{db, cases};
  std::vector<std::string> log;

  // Moves the clock and fires what is due, in one transaction, as the engine does.
  bool fire(std::int64_t when) {
    now = when;
    last.clear();
    if (!timers.anything_due(now)) return false;
    db.work().begin();
    log = timers.fire_due(now, last);
    db.work().commit();
    return true;
  }
  // The notifications the last step produced: "recipient kind".
  std::vector<std::string> notes() {
    std::vector<std::string> out;
    for (const auto& t : last.tasks)
      if (t.type == af::msg::message_type::notify_task) {
        auto n = unpack<notify_task>(t);
        out.push_back(n.recipient_id + " " + n.kind);
      }
    std::sort(out.begin(), out.end());
    return out;
  }
  // The body of the last step's first notification of this kind.
  njson note(const std::string& kind) {
    for (const auto& t : last.tasks)
      if (t.type == af::msg::message_type::notify_task && unpack<notify_task>(t).kind == kind)
        return njson::parse(unpack<notify_task>(t).body_json);
    FAIL("no " << kind << " notification");
    return {};
  }
  std::vector<std::string> actions(std::int64_t id) {
    std::vector<std::string> out;
    const njson shown = show(id);
    for (const auto& h : shown["history"])
      out.push_back(h["action"].get<std::string>() + " by " + h["actor"].get<std::string>());
    return out;
  }
};

}  // namespace

TEST_CASE("a cycle is due at the end of its run window, a late or explicit one at its own",
          "[engine][timers]") {
  timer_fixture f;
  f.import_org();
  auto r = f.ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  CHECK(r["due"] == "2026-10-10");
  CHECK(f.db.find_cycle_row(r["cycle"].get<std::int64_t>())->due_at ==
        at("2026-10-11T00:00:00+08:00"));
  SECTION("opened by hand after the window: ten days from the day it opens") {
    f.now = at("2026-11-23T15:00:00+08:00");
    auto late = f.ok({{"cmd", "cycle.start"},
                      {"program", "competency50"},
                      {"period", "2026-Q3"},
                      {"unit", "U1"}});
    CHECK(late["due"] == "2026-12-02");
  }
  SECTION("an explicit due date") {
    auto due = f.ok({{"cmd", "cycle.start"},
                     {"program", "competency50"},
                     {"period", "2026-Q2"},
                     {"due", "2026-10-20"}});
    CHECK(due["due"] == "2026-10-20");
    CHECK(f.refused({{"cmd", "cycle.start"},
                     {"program", "competency50"},
                     {"period", "2026-Q1"},
                     {"due", "2026-09-30"}}) == "due: 2026-09-30 has already passed");
    CHECK(f.refused({{"cmd", "cycle.start"},
                     {"program", "competency50"},
                     {"period", "2026-Q1"},
                     {"due", "10/20"}}) == "due: \"10/20\" is not a date like 2026-10-10");
    CHECK(f.refused({{"cmd", "cycle.start"},
                     {"program", "competency50"},
                     {"period", "2026-Q1"},
                     {"due", 20}}) == "due: must be text, got 20");
    CHECK(f.db.find_cycle("competency50", "2026-Q1", std::nullopt) == std::nullopt);
  }
}

TEST_CASE("reminders, an expired self review and an escalated supervisor review",
          "[engine][timers]") {
  timer_fixture f;
  f.import_org();
  f.start_cycle();  // 2026-10-01 09:00 Shanghai
  const auto e1 = f.case_of("E1"), e2 = f.case_of("E2");
  auto shown = f.show(e1);
  CHECK(shown["deadline"]["state"] == "self_review");
  CHECK(shown["deadline"]["due_at"] == "2026-10-06T09:00:00+08:00");
  CHECK(shown["deadline"]["remind_at"] == "2026-10-05T09:00:00+08:00");

  // One second before the reminder: nothing is due.
  CHECK_FALSE(f.fire(at("2026-10-05T08:59:59+08:00")));
  // At the reminder: each employee is reminded, once.
  REQUIRE(f.fire(at("2026-10-05T09:00:00+08:00")));
  CHECK(f.notes() == std::vector<std::string>{"E1 deadline_reminder", "E2 deadline_reminder"});
  auto reminder = f.note("deadline_reminder");
  CHECK(reminder["due_at"] == "2026-10-06T09:00:00+08:00");
  CHECK(reminder["state"] == "self_review");
  CHECK(f.log == std::vector<std::string>{"timers: 2 reminders sent, 0 deadlines passed"});
  CHECK_FALSE(f.fire(at("2026-10-05T09:00:01+08:00")));
  CHECK(f.actions(e1) == std::vector<std::string>{"open by admin", "remind by system:timer"});

  // E1 reviews themself in time; E2 does not.
  f.now = at("2026-10-05T10:00:00+08:00");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", ratings}});
  CHECK(f.show(e1)["deadline"]["due_at"] == "2026-10-10T10:00:00+08:00");

  // E2's self review expires at its deadline: the case proceeds, flagged.
  CHECK_FALSE(f.fire(at("2026-10-06T08:59:59+08:00")));
  REQUIRE(f.fire(at("2026-10-06T09:00:00+08:00")));
  CHECK(f.notes() == std::vector<std::string>{"E2 self_review_missing", "S1 self_review_missing"});
  auto c2 = f.show(e2);
  CHECK(c2["state"] == "supervisor_review");
  CHECK(c2["flags"] == njson::array({"self review missing"}));
  CHECK(c2["history"].back()["action"] == "expire");
  CHECK(c2["history"].back()["actor"] == "system:timer");
  CHECK(c2["history"].back()["reason"] == "self_review was due 2026-10-06T09:00:00+08:00");
  // The supervisor's five days start when the case reaches them.
  CHECK(c2["deadline"]["due_at"] == "2026-10-11T09:00:00+08:00");
  CHECK(f.show(e1)["flags"] == njson::array());

  // E1's supervisor review is reminded, then escalated to the HRBP (while
  // S1 is reminded of E2's, due a day later).
  REQUIRE(f.fire(at("2026-10-09T10:00:00+08:00")));
  CHECK(f.notes() == std::vector<std::string>{"S1 deadline_reminder"});
  REQUIRE(f.fire(at("2026-10-10T10:00:00+08:00")));
  CHECK(f.notes() == std::vector<std::string>{"B1 deadline_missed", "S1 deadline_reminder"});
  auto missed = f.note("deadline_missed");
  CHECK(missed["waiting_on"] == njson::array({"supervisor:S1"}));
  CHECK(missed["due_at"] == "2026-10-10T10:00:00+08:00");
  auto c1 = f.show(e1);
  CHECK(c1["state"] == "supervisor_review");
  CHECK(c1["overdue_since"] == "2026-10-10T10:00:00+08:00");
  CHECK(c1["deadline"]["passed"] == true);
  CHECK(c1["history"].back()["action"] == "escalate");
  CHECK(c1["history"].back()["reason"] ==
        "overdue: supervisor_review was due 2026-10-10T10:00:00+08:00 (waiting on supervisor:S1)");
  CHECK_FALSE(f.fire(at("2026-10-10T12:00:00+08:00")));  // escalated once

  // The overdue list, by unit and role.
  auto overdue = f.ok({{"cmd", "overdue"}});
  REQUIRE(overdue["cases"].size() == 1);
  CHECK(overdue["cases"][0]["id"] == e1);
  CHECK(overdue["cases"][0]["roles"] == njson::array({"supervisor"}));
  CHECK(overdue["cases"][0]["waiting_on"] == njson::array({"supervisor:S1"}));
  CHECK(overdue["cases"][0]["overdue_hours"] == 2);
  CHECK(overdue["by_unit_role"] ==
        njson::array({{{"unit", "U1"}, {"role", "supervisor"}, {"cases", 1}}}));
  CHECK(f.ok({{"cmd", "overdue"}, {"role", "hr"}})["cases"].empty());
  CHECK(f.ok({{"cmd", "overdue"}, {"unit", "U2"}})["cases"].empty());
  CHECK(f.refused({{"cmd", "overdue"}, {"role", "boss"}}) ==
        "role: unknown role \"boss\" (employee, supervisor, hrbp, hr, chairman, admin)");

  // The supervisor acts at last: no longer overdue.
  f.ok({{"cmd", "submit"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"ratings", ratings},
        {"exams", exams}});
  CHECK(f.show(e1)["overdue_since"].is_null());
  CHECK(f.show(e1)["deadline"].is_null());  // scoring has no deadline
  CHECK(f.ok({{"cmd", "overdue"}})["cases"].empty());
}

TEST_CASE(
    "after downtime a passed deadline fires once, without its stale reminder, and HR hears of an "
    "unfinished cycle",
    "[engine][timers]") {
  timer_fixture f;
  f.import_org();
  auto cycle = f.start_cycle();
  const auto e1 = f.case_of("E1"), e2 = f.case_of("E2");
  f.now = at("2026-10-02T09:00:00+08:00");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", ratings}});
  f.ok({{"cmd", "submit"}, {"case", e2}, {"as", "employee:E2"}, {"ratings", ratings}});
  // The engine is down from 2026-10-02 to 2026-10-12: both supervisor
  // deadlines (10-07 09:00) and the window's end (10-11 00:00) passed.
  REQUIRE(f.fire(at("2026-10-12T08:00:00+08:00")));
  CHECK(f.notes() == std::vector<std::string>{"B1 deadline_missed", "B1 deadline_missed",
                                              "H1 cycle_unfinished"});
  CHECK(f.log == std::vector<std::string>{"timers: 0 reminders sent, 2 deadlines passed",
                                          "timers: cycle " + std::to_string(cycle) +
                                              " (competency50 2026-Q3): 2 of 2 cases still open "
                                              "when its window ended (2026-10-10); "
                                              "reported to HR (1)"});
  auto report = f.note("cycle_unfinished");
  CHECK(report["open"] == 2);
  CHECK(report["cases"] == 2);
  CHECK(report["open_by_state"] == njson{{"supervisor_review", 2}});
  CHECK(report["open_by_unit"] == njson{{"U1", 2}});
  CHECK(report["window_end"] == "2026-10-10");
  CHECK(f.actions(e1) == std::vector<std::string>{"open by admin", "submit by employee:E1",
                                                  "escalate by system:timer"});
  CHECK_FALSE(f.fire(at("2026-10-20T00:00:00+08:00")));  // nothing fires twice

  // Cases reaching HR review after the window are overdue at once.
  for (auto id : {e1, e2}) {
    f.ok({{"cmd", "submit"},
          {"case", id},
          {"as", "supervisor:S1"},
          {"ratings", ratings},
          {"exams", exams}});
    REQUIRE(f.apply_scoring(design_result(id)).is_ok());
    f.ok({{"cmd", "approve"}, {"case", id}, {"as", "hrbp:B1"}});
  }
  CHECK(f.show(e1)["deadline"]["due_at"] == "2026-10-11T00:00:00+08:00");
  REQUIRE(f.fire(f.now));
  CHECK(f.notes().empty());  // HR review escalates to nobody: HR already heard
  auto overdue = f.ok({{"cmd", "overdue"}, {"role", "hr"}});
  CHECK(overdue["cases"].size() == 2);
  CHECK(overdue["cases"][0]["waiting_on"] == njson::array({"hr:H1"}));
  CHECK(overdue["by_unit_role"] == njson::array({{{"unit", "U1"}, {"role", "hr"}, {"cases", 2}}}));
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  CHECK(f.ok({{"cmd", "overdue"}})["cases"].size() == 1);
}

TEST_CASE("a cycle finished inside its window is not reported", "[engine][timers]") {
  timer_fixture f;
  f.import_org();
  f.start_cycle();
  for (const auto& e : {"E1", "E2"})
    f.ok({{"cmd", "cancel"},
          {"case", f.case_of(e)},
          {"as", "admin:A1"},
          {"reason", "left the company"}});
  REQUIRE(f.fire(at("2026-10-11T00:00:00+08:00")));
  CHECK(f.notes().empty());
  REQUIRE(f.log.size() == 1);
  CHECK_THAT(f.log[0],
             Catch::EndsWith("every case finished by the end of its window (2026-10-10)"));
  CHECK_FALSE(f.fire(at("2026-10-12T00:00:00+08:00")));
}
