// Qualification certification through the admin API (DOMAIN.md, seed 004;
// schemas/workflows/certification.json, schemas/certification/rule.json):
// outcomes decided on opening from the year's final competency_model
// result and performance_year appraisal, at their edges; HR's approval of
// every outcome; the provisional path through a re-exam (passed at exactly
// 60, failed below, missed at the deadline) to certified, demoted or
// eliminated; the chairman's overrule with a reason; a manager without a
// competency result, who cannot be certified.
#include <catch2/catch.hpp>

#include "engine/timers.h"
#include "tests/engine/scoring_fixture.h"

using namespace af::engine::testing;

namespace {

struct certification_fixture : scoring_fixture {
  af::engine::timers timers{db, cases};

  // A final performance_year case of 2026 for `employee` with `total` (hundredths).
  std::int64_t annual_appraisal(const std::string& employee, std::int64_t total) {
    db.work().begin();
    auto cycle = db.insert_cycle("performance_year", "2026", std::nullopt, "t", "admin", 0);
    af::engine::case_row c;
    c.cycle_id = cycle;
    c.program = "performance_year";
    c.period = "2026";
    c.employee_id = employee;
    c.unit = "U1";
    c.supervisor_id = "S1";
    c.as_of = "2026-12-31";
    c.state = "final";
    c.updated_at = "t";
    auto id = db.insert_case(c);
    db.set_result(*id, "{}", total, 2);
    db.work().commit();
    return *id;
  }
  // A competency_model result: every item 5 but `ratings`, exams 85/95/85/91 (5, 6, 5, 6).
  void model(const std::string& employee, const njson& ratings) {
    final_competency_model(employee, 5, ratings,
                           {{"general_knowledge", 85},
                            {"professional_knowledge", 95},
                            {"position_knowledge", 85},
                            {"position_skills", 91}});
  }
  std::int64_t open_certification() {
    now = *af::parse_instant("2027-01-12T09:00:00+08:00");
    return ok({{"cmd", "cycle.start"}, {"program", "certification"}, {"period", "2026"}})["cycle"]
        .get<std::int64_t>();
  }
  std::int64_t certification_of(const std::string& employee) {
    const njson listed = ok({{"cmd", "cases"}, {"program", "certification"}});
    for (const auto& c : listed["cases"])
      if (c["employee_id"] == employee) return c["id"].get<std::int64_t>();
    FAIL("no certification case for " << employee);
    return 0;
  }
  std::string outcome(std::int64_t id) { return show(id)["outcome"].get<std::string>(); }
};

}  // namespace

TEST_CASE(
    "certification: recommended for promotion, no competency result, HR approval, the "
    "chairman's overrule",
    "[engine][certification]") {
  certification_fixture f;
  f.import_org();
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  f.model("E1", njson::object());  // no item below the standard
  f.annual_appraisal("E1", 8500);  // exactly the promotion total
  f.open_certification();
  auto e1 = f.certification_of("E1"), e2 = f.certification_of("E2");
  auto c1 = f.show(e1);
  CHECK(c1["state"] == "hr_review");
  CHECK(c1["outcome"] == "recommended_for_promotion");
  CHECK(c1["reasons"] == njson{"0 item(s) below the standard, appraisal 85.00"});
  CHECK(c1["appraisal_total"] == 85.0);
  auto c2 = f.show(e2);
  CHECK(c2["outcome"] == "no_competency_result");
  // Lists carry the outcome of a decided case, and nothing new on others.
  const njson listed = f.ok({{"cmd", "cases"}});
  std::map<std::string, std::string> listed_outcomes;
  for (const auto& c : listed["cases"])
    listed_outcomes[c["program"].get<std::string>() + " " + c["employee_id"].get<std::string>()] =
        c.value("outcome", "-");
  CHECK(listed_outcomes ==
        std::map<std::string, std::string>{{"certification E1", "recommended_for_promotion"},
                                           {"certification E2", "no_competency_result"},
                                           {"competency_model E1", "-"},
                                           {"competency_model E2", "-"},
                                           {"performance_year E1", "-"}});
  CHECK(c2["reasons"] == njson{"no final competency_model result: cannot be certified"});
  CHECK(f.refused({{"cmd", "approve"}, {"case", e1}, {"as", "hrbp:B1"}}) ==
        "hrbp may not approve a case in hr_review (only hr)");
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  f.ok({{"cmd", "approve"}, {"case", e2}, {"as", "hr:H1"}});
  CHECK(f.state(e1) == "final");
  CHECK(f.state(e2) == "final");

  CHECK(f.refused({{"cmd", "overrule"},
                   {"case", e1},
                   {"as", "hr:H1"},
                   {"outcome", "certified"},
                   {"reason", "x"}}) == "hr may not overrule a case in final (only chairman)");
  CHECK(f.refused(
            {{"cmd", "overrule"}, {"case", e1}, {"as", "chairman:C1"}, {"outcome", "certified"}}) ==
        "reason is required to overrule a case in final");
  CHECK(f.refused({{"cmd", "overrule"},
                   {"case", e1},
                   {"as", "chairman:C1"},
                   {"outcome", "knighted"},
                   {"reason", "x"}}) ==
        "outcome: \"knighted\" is not one of certified, recommended_for_promotion, demoted, "
        "eliminated");
  CHECK(f.refused({{"cmd", "overrule"},
                   {"case", e1},
                   {"as", "chairman:C1"},
                   {"outcome", "provisional"},
                   {"reason", "x"}}) ==
        "outcome: \"provisional\" is not one of certified, recommended_for_promotion, demoted, "
        "eliminated");
  CHECK(f.refused_with("conflict", {{"cmd", "overrule"},
                                    {"case", e2},
                                    {"as", "chairman:C1"},
                                    {"outcome", "certified"},
                                    {"reason", "x"}}) ==
        "case " + std::to_string(e2) + " has no competency result: it cannot be certified");
  f.ok({{"cmd", "overrule"},
        {"case", e1},
        {"as", "chairman:C1"},
        {"outcome", "certified"},
        {"reason", "promotions wait for the new unit"}});
  c1 = f.show(e1);
  CHECK(c1["outcome"] == "certified");
  CHECK(c1["overruled"] == njson{{"from", "recommended_for_promotion"},
                                 {"by", "chairman:C1"},
                                 {"reason", "promotions wait for the new unit"}});
  CHECK(c1["history"].back()["action"] == "overrule");
}

TEST_CASE("certification edges: the item floor of 3, 3 items below the standard, a total of 60",
          "[engine][certification]") {
  auto decided = [](const njson& ratings, std::int64_t total) {
    certification_fixture f;
    f.import_org();
    f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
    f.model("E1", ratings);
    f.annual_appraisal("E1", total);
    f.open_certification();
    return f.outcome(f.certification_of("E1"));
  };
  CHECK(decided({{"execution", 3}}, 6000) == "certified");    // exactly the floor and the total
  CHECK(decided({{"execution", 2}}, 9000) == "provisional");  // below the floor
  CHECK(decided({{"execution", 4}}, 5999) == "provisional");  // the total just below 60
  CHECK(decided({{"execution", 4}, {"resilience", 4}, {"communication", 4}}, 9000) ==
        "certified");  // 3 below the standard: allowed, but no promotion
  CHECK(decided({{"execution", 4}, {"resilience", 4}, {"communication", 4}, {"coordination", 4}},
                9000) == "provisional");                 // 4 below
  CHECK(decided(njson::object(), 8499) == "certified");  // promotion needs 85
}

TEST_CASE("provisional: a re-exam at exactly 60 certifies, below it eliminates a grade-4 manager",
          "[engine][certification]") {
  certification_fixture f;
  f.import_org();
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  f.model("E1", {{"execution", 2}});  // grade 3, an item below 3
  f.annual_appraisal("E1", 7000);
  f.model("E2", njson::object());  // grade 4, performance short
  f.annual_appraisal("E2", 5000);
  f.open_certification();
  auto e1 = f.certification_of("E1"), e2 = f.certification_of("E2");
  CHECK(f.show(e1)["reasons"] == njson{"1 item(s) below 3.00", "a learning plan and a re-exam"});
  CHECK(f.show(e2)["reasons"] ==
        njson{"appraisal 50.00 below 60.00", "a learning plan and a re-exam"});
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  f.ok({{"cmd", "approve"}, {"case", e2}, {"as", "hr:H1"}});
  CHECK(f.state(e1) == "re_exam");
  CHECK(f.show(e1)["deadline"]["due_at"] == "2027-03-13T09:00:00+08:00");  // 60 days
  // The learning plan for the re-exam comes from the same competency result.
  CHECK(f.ok({{"cmd", "plan.show"}, {"employee_id", "E1"}})["activities"][0]["id"] == "EXE-1");
  CHECK(f.refused({{"cmd", "submit"}, {"case", e1}, {"as", "supervisor:S1"}}) ==
        "exams is required to submit a case in re_exam");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", e1},
                   {"as", "supervisor:S1"},
                   {"exams", {{"re_exam", 101}}}}) ==
        "exams.re_exam: score is out of range 0..100");
  f.ok({{"cmd", "submit"}, {"case", e1}, {"as", "supervisor:S1"}, {"exams", {{"re_exam", 60}}}});
  auto c1 = f.show(e1);
  CHECK(c1["state"] == "hr_review");
  CHECK(c1["outcome"] == "certified");
  CHECK(c1["first_outcome"] == "provisional");
  CHECK(c1["re_exam"] == 60.0);
  CHECK(c1["reasons"] == njson{"re-exam 60.00 at least 60.00"});
  CHECK(f.refused({{"cmd", "submit"}, {"case", e2}, {"as", "hr:H1"}, {"exams", njson::object()}}) ==
        "exams.re_exam: missing");  // HR enters the re-exam like the supervisor
  f.ok({{"cmd", "submit"},
        {"case", e2},
        {"as", "hr:H1"},
        {"exams", {{"re_exam", {{"parts", {{59.98, 1}, {60, 1}}}}}}}});  // a weighted 59.99
  auto c2 = f.show(e2);
  CHECK(c2["outcome"] == "eliminated");
  CHECK(c2["reasons"] == njson{"re-exam 59.99 below 60.00", "grade 4 is the lowest: eliminated"});
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  f.ok({{"cmd", "approve"}, {"case", e2}, {"as", "hr:H1"}});
  CHECK(f.state(e1) == "final");
  CHECK(f.state(e2) == "final");
}

TEST_CASE("provisional: a re-exam missed by its deadline demotes", "[engine][certification]") {
  certification_fixture f;
  f.import_org();
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  f.model("E1", {{"execution", 2}});
  f.annual_appraisal("E1", 7000);
  f.open_certification();
  auto e1 = f.certification_of("E1");
  f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  f.now = *af::parse_instant("2027-03-13T09:00:01+08:00");
  f.db.work().begin();
  f.last.clear();
  f.timers.fire_due(f.now, f.last);
  f.db.work().commit();
  auto c = f.show(e1);
  CHECK(c["state"] == "hr_review");
  CHECK(c["outcome"] == "demoted");
  CHECK(c["reasons"] == njson{"no re-exam by the deadline"});
  CHECK(c["flags"].back() == "re-exam missed");
}

TEST_CASE("certification: HR's approval decides again when the results changed since opening",
          "[engine][certification]") {
  certification_fixture f;
  f.import_org();
  f.now = *af::parse_instant("2027-01-05T09:00:00+08:00");
  f.model("E1", njson::object());
  auto appraisal = f.annual_appraisal("E1", 8500);
  f.open_certification();
  auto e1 = f.certification_of("E1");
  CHECK(f.outcome(e1) == "recommended_for_promotion");
  // The annual appraisal was appealed and HR's change scored it 70.00.
  f.db.work().begin();
  f.db.set_result(appraisal, "{}", 7000, 2);
  f.db.work().commit();
  auto first = f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  CHECK(first["state"] == "hr_review");
  CHECK(first["note"] ==
        "not approved: the results it was decided on changed: now certified, was "
        "recommended_for_promotion (0 item(s) below the standard, appraisal 70.00); approve "
        "again to confirm");
  auto c = f.show(e1);
  CHECK(c["outcome"] == "certified");
  CHECK(c["appraisal_total"] == 70.0);
  CHECK(c["history"].back()["action"] == "redecide");
  CHECK(c["history"].back()["actor"] == "system:changed-results");
  // Approved as decided now; a second approval decides nothing again.
  auto second = f.ok({{"cmd", "approve"}, {"case", e1}, {"as", "hr:H1"}});
  CHECK(second["state"] == "final");
  CHECK_FALSE(second.contains("note"));
  CHECK(f.outcome(e1) == "certified");
}
