// The quarterly performance appraisal through the admin API (DOMAIN.md
// program 3; schemas/workflows/performance_quarter.json): the quarter's
// figures read from the store's aggregates into the scoring task, the
// employee's self-appraisal, customers' surveys and a colleague as further
// raters, the supervisor's main rating, the weighted total with its bonus,
// HR's approval, the interview record, an appeal resolved by changing the
// ratings (scored again), and the feedback deadline at which a result
// stands as acknowledged. Scoring is the worker's own function on the
// task the engine emits; deadlines fire through engine/timers.h.
#include <catch2/catch.hpp>

#include "engine/timers.h"
#include "tests/engine/scoring_fixture.h"

using namespace af::engine::testing;

namespace {

std::int64_t at(const char* iso) { return *af::parse_instant(iso); }

struct appraisal_fixture : scoring_fixture {
  af::engine::timers timers{db, cases};

  void fire(std::int64_t when) {
    now = when;
    last.clear();
    db.work().begin();
    timers.fire_due(now, last);
    db.work().commit();
  }
  // E1's quarter: target 100,000 CNY met exactly (net of a refund), 80,000
  // a year earlier, four customers of whom three new, two complaints.
  void e1_figures() {
    db.work().begin();
    const std::pair<const char*, std::int64_t> months[] = {
        {"2026-07", 4'000'000}, {"2026-08", 3'000'000}, {"2026-09", 3'000'000}};
    for (auto [month, target] : months)
      db.apply_target("E1", month, "yanghe", target, at("2026-07-01T00:00:00+08:00"),
                      std::string("t-") + month);
    db.add_monthly("E1", "2026-07", {4'000'000, 0, 0, 0});
    db.add_monthly("E1", "2026-08", {3'500'000, 500'000, 0, 0});
    db.add_monthly("E1", "2026-09", {3'000'000, 0, 0, 0});
    db.add_monthly("E1", "2026-10", {9'000'000, 0, 0, 0});  // the next quarter: not counted
    db.add_monthly("E1", "2025-08", {8'000'000, 0, 0, 0});
    db.add_customer_month("E1", "K-old", "2026-03");
    db.add_customer_month("E1", "K-old", "2026-07");
    db.add_customer_month("E1", "K-a", "2026-07");
    db.add_customer_month("E1", "K-b", "2026-08");
    db.add_customer_month("E1", "K-c", "2026-09");
    af::engine::store::activity_counts complaints;
    complaints.complaints = 2;
    db.add_activity("E1", "2026-08", complaints);
    db.work().commit();
  }
};

const njson self_ratings = {{"teamwork", 5}, {"learning", 5}, {"professional_ability", 5}};
const njson supervisor_ratings = {{"teamwork", 4}, {"learning", 3}, {"professional_ability", 5}};

}  // namespace

TEST_CASE("a quarterly appraisal: figures, 360 raters, weighted total, bonus, interview, appeal",
          "[engine][appraisal]") {
  appraisal_fixture f;
  f.import_org();
  f.e1_figures();
  f.now = at("2026-10-01T09:00:00+08:00");
  auto opened =
      f.ok({{"cmd", "cycle.start"}, {"program", "performance_quarter"}, {"period", "2026-Q3"}});
  CHECK(opened["opened"] == 2);  // E1 and E2: the others hold roles or have no supervisor
  auto e1 = f.case_of("E1");
  CHECK(f.state(e1) == "self_appraisal");

  // The employee's self-appraisal rates what the supervisor rates.
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", e1},
                   {"as", "employee:E1"},
                   {"ratings", {{"teamwork", 5}, {"learning", 5}}}}) ==
        "ratings.professional_ability: missing");
  njson with_survey = self_ratings;
  with_survey["customer_satisfaction"] = 4;
  CHECK(f.refused(
            {{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", with_survey}}) ==
        "ratings.customer_satisfaction: not rated by a supervisor");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", self_ratings}});
  CHECK(f.state(e1) == "rating");

  // Customers' representatives and a colleague are named and rate.
  f.ok({{"cmd", "raters.add"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"raters",
         {{{"id", "K-17"}, {"kind", "customer"}, {"name", "Wang, Jinling Hotel"}},
          {{"id", "K-18"}, {"kind", "customer"}, {"name", "Li, Suguo Supermarket"}},
          {{"id", "E2"}, {"kind", "peer"}}}}});
  CHECK(f.refused({{"cmd", "rate"},
                   {"case", e1},
                   {"as", "rater:K-17"},
                   {"ratings", {{"customer_satisfaction", 4}, {"teamwork", 4}}}}) ==
        "ratings.teamwork: not rated by a customer");
  CHECK(f.refused({{"cmd", "rate"},
                   {"case", e1},
                   {"as", "rater:K-17"},
                   {"ratings", {{"customer_satisfaction", 5}}}}) ==
        "ratings.customer_satisfaction: 5 is out of range 1..4");
  f.ok({{"cmd", "rate"},
        {"case", e1},
        {"as", "rater:K-17"},
        {"ratings", {{"customer_satisfaction", 4}}}});
  f.ok({{"cmd", "rate"},
        {"case", e1},
        {"as", "rater:K-18"},
        {"ratings", {{"customer_satisfaction", 3}}}});
  f.ok({{"cmd", "rate"},
        {"case", e1},
        {"as", "rater:E2"},
        {"ratings", {{"teamwork", 2}, {"learning", 3}, {"professional_ability", 4}}}});

  // The supervisor's rating closes the rating; the task carries the quarter's figures.
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "supervisor:S1"}, {"ratings", supervisor_ratings}});
  auto task = f.score_last();
  CHECK(task.has_figures);
  CHECK(task.net_sales_fen == 10'000'000);
  CHECK(task.target_fen == 10'000'000);
  CHECK(task.net_sales_year_before_fen == 8'000'000);
  CHECK(task.customers == 4);
  CHECK(task.new_customers == 3);
  CHECK(task.repeat_customers == 1);
  CHECK(task.complaints == 2);
  auto c = f.show(e1);
  CHECK(c["state"] == "hr_review");
  CHECK(c["items"]["sales_target"] == 25.0);    // met: exactly 100%
  CHECK(c["items"]["sales_growth"] == 10.0);    // +25%
  CHECK(c["items"]["new_customers"] == 7.0);    // 3
  CHECK(c["items"]["repeat_purchase"] == 0.0);  // 1 of 4: 25%
  CHECK(c["items"]["complaints"] == 1.0);       // 2
  CHECK(c["items"]["customer_satisfaction"] == 13.13);
  CHECK(c["items"]["teamwork"] == 5.44);  // (0.7 x 4 + 0.3 x 2) / 5 x 8
  CHECK(c["items"]["learning"] == 3.6);
  CHECK(c["items"]["professional_ability"] == 5.64);
  CHECK(c["total"] == 70.81);
  CHECK(c["tier"] == 3);
  CHECK(c["bonus_fen"] == 100'000);
  CHECK(c["indicators"]["sales"] == "met");
  CHECK(c["indicators"]["completion_percent"] == 100.0);
  CHECK(c["indicators"]["growth_percent"] == 25.0);
  CHECK(c["indicators"]["repeat_purchase_percent"] == 25.0);
  CHECK(c["indicators"]["complaints"] == 2);
  CHECK(c["self_minus_supervisor"] ==
        njson{{"learning", 2}, {"professional_ability", 0}, {"teamwork", 1}});

  // HR approves; the supervisor holds the interview and records it.
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  CHECK(f.state(e1) == "interview");
  CHECK(f.refused({{"cmd", "interview"}, {"case", e1}, {"as", "supervisor:S1"}}) ==
        "notes is required to interview a case in interview");
  CHECK(f.refused({{"cmd", "interview"}, {"case", e1}, {"as", "hr:H1"}, {"notes", "x"}}) ==
        "hr may not interview a case in interview (only supervisor)");
  f.ok({{"cmd", "interview"},
        {"case", e1},
        {"as", "supervisor:S1"},
        {"notes", "Met the target; repeat purchases are the thing to work on."}});
  c = f.show(e1);
  CHECK(c["state"] == "feedback");
  CHECK(c["history"].back()["action"] == "interview");
  CHECK(c["history"].back()["reason"] ==
        "Met the target; repeat purchases are the thing to work on.");

  // The employee appeals; HR changes the supervisor's ratings; scored again.
  CHECK(f.refused({{"cmd", "appeal"}, {"case", e1}, {"as", "employee:E1"}}) ==
        "reason is required to appeal a case in feedback");
  f.ok({{"cmd", "appeal"},
        {"case", e1},
        {"as", "employee:E1"},
        {"reason", "I ran the autumn trainings: learning deserves more"}});
  CHECK(f.state(e1) == "appeal");
  CHECK(f.refused({{"cmd", "acknowledge"}, {"case", e1}, {"as", "employee:E1"}}) ==
        "acknowledge is not possible in state appeal");
  const njson changed = {{"teamwork", 5}, {"learning", 4}, {"professional_ability", 5}};
  CHECK(f.refused({{"cmd", "resolve"}, {"case", e1}, {"as", "hr:H1"}, {"reason", "x"}}) ==
        "resolve: give either uphold (the result stands) or ratings (the supervisor's, changed)");
  CHECK(f.refused({{"cmd", "resolve"},
                   {"case", e1},
                   {"as", "hr:H1"},
                   {"uphold", true},
                   {"ratings", changed},
                   {"reason", "x"}}) ==
        "resolve: give either uphold (the result stands) or ratings (the supervisor's, changed)");
  CHECK(f.refused({{"cmd", "resolve"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"uphold", true},
                   {"reason", "x"}}) == "supervisor may not uphold a case in appeal (only hr)");
  CHECK(f.refused({{"cmd", "resolve"}, {"case", e1}, {"as", "hr:H1"}, {"ratings", changed}}) ==
        "reason is required to change a case in appeal");
  f.ok({{"cmd", "resolve"},
        {"case", e1},
        {"as", "hr:H1"},
        {"ratings", changed},
        {"reason", "training records confirm it"}});
  f.score_last();  // the change is scored again (rescoring)
  c = f.show(e1);
  CHECK(c["state"] == "final");
  CHECK(c["items"]["teamwork"] == 6.56);  // (0.7 x 5 + 0.3 x 2) / 5 x 8
  CHECK(c["items"]["learning"] == 4.44);  // (0.7 x 4 + 0.3 x 3) / 5 x 6
  CHECK(c["total"] == 72.77);
  CHECK(c["bonus_fen"] == 100'000);
  std::vector<std::string> actions;
  for (const auto& h : c["history"]) actions.push_back(h["action"].get<std::string>());
  CHECK(actions == std::vector<std::string>{"open", "submit", "raters", "rate", "rate", "rate",
                                            "submit", "scored", "approve", "interview", "appeal",
                                            "change", "scored"});
  const auto& change = c["history"][11];
  CHECK(change["actor"] == "hr:H1");
  CHECK(change["reason"] ==
        "training records confirm it (the supervisor's ratings were "
        "{\"learning\":3,\"professional_ability\":5,\"teamwork\":4})");
}

TEST_CASE(
    "an appraisal without figures or surveys, a missed self-appraisal, and a result that "
    "stands at the feedback deadline",
    "[engine][appraisal]") {
  appraisal_fixture f;
  f.import_org();
  f.now = at("2026-10-01T09:00:00+08:00");
  f.ok({{"cmd", "cycle.start"}, {"program", "performance_quarter"}, {"period", "2026-Q3"}});
  auto e2 = f.case_of("E2");
  f.fire(at("2026-10-04T09:00:01+08:00"));  // 3 days: the self-appraisal expires
  auto c = f.show(e2);
  CHECK(c["state"] == "rating");
  CHECK(c["flags"] == njson{"self appraisal missing"});
  f.ok({{"cmd", "submit"},
        {"case", e2},
        {"as", "supervisor:S1"},
        {"ratings", {{"teamwork", 3}, {"learning", 3}, {"professional_ability", 3}}}});
  f.score_last();
  c = f.show(e2);
  CHECK(c["items"]["sales_target"] == 0.0);
  CHECK(c["items"]["sales_growth"] == 5.0);
  CHECK(c["items"]["repeat_purchase"] == 0.0);
  CHECK(c["items"]["complaints"] == 5.0);
  CHECK(c["items"]["customer_satisfaction"] == 10.0);
  CHECK(c["total"] == 32.0);
  CHECK(c["tier"] == 4);
  CHECK(c["bonus_fen"] == 0);
  CHECK(c["indicators"]["sales"] == "no_target");
  CHECK(c["indicators"]["growth_percent"].is_null());
  CHECK(c["flags"] == njson{"sales_target: no sales target in the period",
                            "sales_growth: no sales in the same period a year earlier",
                            "repeat_purchase: no customers in the period",
                            "customer_satisfaction: no customer survey", "self appraisal missing"});
  f.ok({{"cmd", "approve"}, {"case", e2}, {"as", "hr:H1"}});
  f.now = at("2026-10-05T10:00:00+08:00");
  f.ok({{"cmd", "interview"}, {"case", e2}, {"as", "supervisor:S1"}, {"notes", "talked it over"}});
  // Raters are named only while raters rate.
  CHECK(f.refused_with("conflict",
                       {{"cmd", "raters.add"},
                        {"case", e2},
                        {"as", "supervisor:S1"},
                        {"raters", {{{"id", "K-1"}, {"kind", "customer"}, {"name", "K"}}}}}) ==
        "raters can be named while the case is in self_appraisal or rating, not feedback");
  f.fire(at("2026-10-10T10:00:00+08:00"));  // 5 days after the interview
  c = f.show(e2);
  CHECK(c["state"] == "final");
  CHECK(c["history"].back()["action"] == "expire");
  CHECK(c["flags"].back() == "acknowledged at the deadline");
  CHECK(f.refused({{"cmd", "appeal"}, {"case", e2}, {"as", "employee:E2"}, {"reason", "late"}}) ==
        "appeal is not possible in state final");
}

TEST_CASE("who may interview, acknowledge, appeal and resolve", "[engine][appraisal][access]") {
  appraisal_fixture f;
  f.import_org();
  f.now = at("2026-10-01T09:00:00+08:00");
  f.ok({{"cmd", "cycle.start"}, {"program", "performance_quarter"}, {"period", "2026-Q3"}});
  auto e1 = f.case_of("E1");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", self_ratings}});
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "supervisor:S1"}, {"ratings", supervisor_ratings}});
  f.score_last();
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  f.ok({{"cmd", "interview"}, {"case", e1}, {"as", "supervisor:S1"}, {"notes", "n"}});
  // Another employee does not see the case, so cannot act on it.
  f.as_person("E2");
  CHECK(f.refused_with("not_found", {{"cmd", "acknowledge"}, {"case", e1}, {"as", "employee"}}) ==
        "case " + std::to_string(e1) + " does not exist");
  CHECK(
      f.refused_with("forbidden", {{"cmd", "acknowledge"}, {"case", e1}, {"as", "employee:E1"}}) ==
      "principal p-E2 may not act as E1");
  // The supervisor may not acknowledge for the employee.
  f.as_person("S1");
  CHECK(f.refused_with("forbidden", {{"cmd", "acknowledge"}, {"case", e1}, {"as", "supervisor"}}) ==
        "supervisor may not acknowledge a case in feedback (only employee)");
  // An observer acts for nobody.
  f.as_service("watcher", {af::engine::capability::observer});
  CHECK(
      f.refused_with(
          "forbidden",
          {{"cmd", "resolve"}, {"case", e1}, {"as", "hr:H1"}, {"uphold", true}, {"reason", "x"}}) ==
      "principal watcher (service: observer) may not send resolve (it acts for nobody; actions "
      "need a person, portal or admin principal)");
  f.as_person("E1");
  f.ok({{"cmd", "appeal"}, {"case", e1}, {"as", "employee"}, {"reason", "too low"}});
  f.as_person("H1");
  f.ok({{"cmd", "resolve"},
        {"case", e1},
        {"as", "hr"},
        {"uphold", true},
        {"reason", "the figures stand"}});
  f.as_person("E1");
  auto c = f.show(e1);
  CHECK(c["state"] == "final");
  CHECK(c["history"].back()["action"] == "uphold");
  CHECK(c["history"].back()["reason"] == "the figures stand");
  CHECK(c["history"].back()["principal"] == "p-H1");
}
