// Tests for engine/case_service.h and engine/admin_api.h: a whole
// competency50 case driven through the admin API (as assessctl and other
// clients do), on a temporary store, each request in its own transaction.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;
using af::msg::message_type;

namespace {

const std::int64_t now = start_instant;
const std::string now_text = "2026-10-01T09:00:00+08:00";

}  // namespace

TEST_CASE("org.import loads the organisation, cycle.start opens exactly the right cases",
          "[engine][cases]") {
  fixture f;
  auto r = f.ok({{"cmd", "org.import"}, {"rows", small_org()}});
  CHECK(r == njson{{"ok", true}, {"imported", 7}, {"created", 7}, {"updated", 0}});
  CHECK(f.imported == std::vector<std::string>{"S1", "B1", "H1", "C1", "A1", "E1", "E2"});
  auto e1 = f.db.find_employee("E1");
  REQUIRE(e1.has_value());
  CHECK(e1->supervisor_id == "S1");
  CHECK(e1->hrbp_id == "B1");
  CHECK(e1->grade == 3);
  CHECK(f.db.find_employee("H1")->roles == std::set<af::engine::role>{af::engine::role::hr});

  // Re-import updates, never duplicates.
  auto again = f.ok({{"cmd", "org.import"}, {"rows", small_org()}});
  CHECK(again["created"] == 0);
  CHECK(again["updated"] == 7);
  CHECK(f.db.employees(std::nullopt).size() == 7);

  auto cycle = f.ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  CHECK(cycle["opened"] == 2);
  auto list = f.ok({{"cmd", "cases"}})["cases"];
  REQUIRE(list.size() == 2);
  std::set<std::string> who;
  for (const auto& c : list) {
    who.insert(c["employee_id"].get<std::string>());
    CHECK(c["state"] == "self_review");
    CHECK(c["program"] == "competency50");
    CHECK(c["period"] == "2026-Q3");
    CHECK(c["tier"].is_null());
  }
  // Not S1 and B1 (no supervisor), not H1, C1, A1 (hr, chairman, admin).
  CHECK(who == std::set<std::string>{"E1", "E2"});
  auto c1 = f.show(f.case_of("E1"));
  CHECK(c1["as_of"] == "2026-09-30");
  CHECK(c1["supervisor_id"] == "S1");
  CHECK(c1["hrbp_id"] == "B1");
  CHECK(c1["employee_name"] == "Name E1");
  CHECK(f.last.tasks.empty());

  auto twice = f.ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  CHECK(twice["opened"] == 0);
  CHECK(twice["cycle"] == cycle["cycle"]);
  CHECK(all_cases(f.db).size() == 2);

  SECTION("bad cycle requests") {
    CHECK(f.refused({{"cmd", "cycle.start"}, {"program", "nope"}, {"period", "2026-Q3"}}) ==
          "program: unknown program \"nope\"");
    CHECK(f.refused({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q5"}}) ==
          "period: \"2026-Q5\" is not 2026-07, 2026-Q3 or 2026");
    CHECK(f.refused({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-07"}}) ==
          "period: competency50 does not run for a period like 2026-07");
    CHECK(f.refused({{"cmd", "cycle.start"}, {"program", "competency50"}}) == "period: missing");
    CHECK(f.refused({{"cmd", "cycle.start"},
                     {"program", "competency50"},
                     {"period", "2026-Q4"},
                     {"unit", "U9"}}) == "unit: no employees in unit \"U9\"");
    CHECK(all_cases(f.db).size() == 2);
  }
  SECTION("a cycle of another period opens new cases") {
    auto year = f.ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026"}});
    CHECK(year["opened"] == 2);
    CHECK(year["cycle"] != cycle["cycle"]);
    CHECK(f.show(all_cases(f.db)[2].id)["as_of"] == "2026-12-31");
  }
}

TEST_CASE(
    "contacts: e-mail and chat id are imported, kept by a file without them, changed by one with "
    "them",
    "[engine][cases]") {
  fixture f;
  auto x1 = row("X1", "", "", "");
  x1["email"] = "wang.fang+hr@sales-east.example.com.cn";
  x1["chat_id"] = "13800138000";
  f.ok({{"cmd", "org.import"}, {"rows", njson::array({x1})}});
  CHECK(f.db.find_employee("X1")->email == "wang.fang+hr@sales-east.example.com.cn");
  CHECK(f.db.find_employee("X1")->chat_id == "13800138000");
  f.ok({{"cmd", "org.import"}, {"rows", njson::array({row("X1", "", "", "")})}});  // no columns
  CHECK(f.db.find_employee("X1")->email == "wang.fang+hr@sales-east.example.com.cn");
  x1["email"] = "";  // the column given empty: no address any more
  x1["chat_id"] = "wangfang";
  f.ok({{"cmd", "org.import"}, {"rows", njson::array({x1})}});
  CHECK(f.db.find_employee("X1")->email.empty());
  CHECK(f.db.find_employee("X1")->chat_id == "wangfang");
}

TEST_CASE("invalid org rows are refused with row and field, and nothing is imported",
          "[engine][cases]") {
  fixture f;
  auto valid = row("X1", "", "", "");
  struct bad_row {
    const char* what;
    njson row;
    std::string error;
  };
  auto with = [](njson r, const char* key, njson v) {
    r[key] = std::move(v);
    return r;
  };
  const std::vector<bad_row> cases = {
      {"grade 5", row("E9", "X1", "", "", 5), "row 2 (E9): grade: must be 1..4, got 5"},
      {"grade text", with(row("E9", "X1", "", ""), "grade", "x"),
       "row 2 (E9): grade: must be 1..4, got \"x\""},
      {"bad joined_on", row("E9", "X1", "", "", 3, "2021-02-30"),
       "row 2 (E9): joined_on: \"2021-02-30\" is not YYYY-MM-DD"},
      {"unknown role", row("E9", "X1", "", "hr;boss"),
       "row 2 (E9): roles: \"boss\" is not hr, chairman or admin"},
      {"employee is not an org role", row("E9", "X1", "", "employee"),
       "row 2 (E9): roles: \"employee\" is not hr, chairman or admin"},
      {"unknown supervisor_id", row("E9", "Z9", "", ""),
       "row 2 (E9): supervisor_id: unknown employee \"Z9\""},
      {"unknown hrbp_id", row("E9", "X1", "Z8", ""),
       "row 2 (E9): hrbp_id: unknown employee \"Z8\""},
      {"duplicate id", row("X1", "", "", ""), "row 2 (X1): id: appears twice in the file"},
      {"missing name", with(row("E9", "X1", "", ""), "name", ""), "row 2: name: missing"},
      {"own supervisor", row("E9", "E9", "", ""),
       "row 2 (E9): supervisor_id: an employee cannot supervise themself"},
      {"email without @", with(row("E9", "X1", "", ""), "email", "wang.example.com"),
       "row 2 (E9): email: \"wang.example.com\" is not an e-mail address (no @)"},
      {"email with two @", with(row("E9", "X1", "", ""), "email", "a@b@example.com"),
       "row 2 (E9): email: \"a@b@example.com\" is not an e-mail address (more than one @)"},
      {"email with a space", with(row("E9", "X1", "", ""), "email", "wang fang@example.com"),
       "row 2 (E9): email: \"wang fang@example.com\" is not an e-mail address (a character mail "
       "servers refuse before @)"},
      {"email with a double dot", with(row("E9", "X1", "", ""), "email", "wang..fang@example.com"),
       "row 2 (E9): email: \"wang..fang@example.com\" is not an e-mail address (a dot at the "
       "start or end of the name, or two in a row)"},
      {"email without a domain dot", with(row("E9", "X1", "", ""), "email", "wang@localhost"),
       "row 2 (E9): email: \"wang@localhost\" is not an e-mail address (the domain needs a dot "
       "(example.com))"},
      {"email domain with -", with(row("E9", "X1", "", ""), "email", "wang@-corp.cn"),
       "row 2 (E9): email: \"wang@-corp.cn\" is not an e-mail address (a domain part starts or "
       "ends with -)"},
      {"email with Chinese", with(row("E9", "X1", "", ""), "email", "王芳@example.com"),
       "row 2 (E9): email: \"王芳@example.com\" is not an e-mail address (a character mail "
       "servers refuse before @)"},
      {"email to an IP", with(row("E9", "X1", "", ""), "email", "wang@10.0.0.1"),
       "row 2 (E9): email: \"wang@10.0.0.1\" is not an e-mail address (the domain ends in a "
       "number)"},
      {"email too long", with(row("E9", "X1", "", ""), "email", std::string(65, 'a') + "@x.cn"),
       "row 2 (E9): email: \"" + std::string(65, 'a') +
           "@x.cn\" is not an e-mail address (the part before @ must be 1..64 characters)"},
      {"email a number", with(row("E9", "X1", "", ""), "email", 7), "row 2: email: must be text"},
      {"chat_id with a space", with(row("E9", "X1", "", ""), "chat_id", "wang fang"),
       "row 2 (E9): chat_id: \"wang fang\" must be 1..64 letters, digits and . _ @ + - (a WeCom "
       "user id or a DingTalk mobile)"},
  };
  for (const auto& c : cases) {
    INFO(c.what);
    CHECK(f.refused({{"cmd", "org.import"}, {"rows", njson::array({valid, c.row})}}) == c.error);
    CHECK(f.db.employees(std::nullopt).empty());
  }
  CHECK(f.imported.empty());
  CHECK(f.refused({{"cmd", "org.import"}}) == "rows: missing (an array of employees)");
  CHECK(f.refused({{"cmd", "org.import"}, {"rows", njson::array({1})}}) ==
        "row 1: must be an object");
  // The valid row alone goes in.
  f.ok({{"cmd", "org.import"}, {"rows", njson::array({valid})}});
  CHECK(f.db.employees(std::nullopt).size() == 1);
}

TEST_CASE("a competency50 case from self review to final, and the chairman's adjustment",
          "[engine][cases]") {
  fixture f;
  f.import_org();
  // Sales figures scoring needs: last year's net sales and this quarter's inquiries.
  f.db.work().begin();
  f.db.add_monthly("E1", "2025-03", {150'000'000, 0, 0, 0});
  f.db.add_monthly("E1", "2025-11", {2'000'000, 1'000'000, 0, 0});
  f.db.add_monthly("E1", "2026-01", {999, 0, 0, 0});  // not last year
  f.db.add_monthly("E1", "2026-07", {0, 0, 12'000, 10});
  f.db.add_monthly("E1", "2026-09", {0, 0, 8'000, 5});
  f.db.add_monthly("E1", "2026-10", {0, 0, 1, 1});  // not this quarter
  f.db.work().commit();
  f.start_cycle();
  const std::int64_t id = f.case_of("E1");

  // Self review by the employee.
  auto self = f.ok({{"cmd", "submit"}, {"case", id}, {"as", "employee:E1"}, {"ratings", ratings}});
  CHECK(self["state"] == "supervisor_review");
  CHECK(f.last.tasks.empty());
  CHECK(f.show(id)["self_review"]["ratings"] == ratings);
  CHECK(f.show(id)["self_review"]["by"] == "E1");

  // The wrong people are refused, by name.
  CHECK(f.refused({{"cmd", "submit"}, {"case", id}, {"as", "employee:E2"}, {"ratings", ratings}}) ==
        "E2 is not the employee of this case (E1 is)");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", id},
                   {"as", "supervisor:B1"},
                   {"ratings", ratings},
                   {"exams", exams}}) == "B1 is not the supervisor of this case (S1 is)");
  CHECK(f.refused({{"cmd", "submit"}, {"case", id}, {"as", "employee:E1"}, {"ratings", ratings}}) ==
        "employee may not submit a case in supervisor_review (only supervisor)");
  CHECK(
      f.refused({{"cmd", "submit"}, {"case", id}, {"as", "supervisor:Z9"}, {"ratings", ratings}}) ==
      "as: unknown employee \"Z9\"");
  CHECK(f.refused({{"cmd", "approve"}, {"case", id}, {"as", "boss:S1"}}) ==
        "as: unknown role \"boss\" (employee, supervisor, hrbp, hr, chairman, admin, rater)");
  CHECK(f.refused(
            {{"cmd", "submit"}, {"case", 999}, {"as", "supervisor:S1"}, {"ratings", ratings}}) ==
        "case 999 does not exist");

  // A rating of 6 is refused, naming the item; nothing changes.
  auto six = ratings;
  six["language"] = 6;
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", id},
                   {"as", "supervisor:S1"},
                   {"ratings", six},
                   {"exams", exams}}) == "ratings.language: 6 is out of range 1..5");
  CHECK(f.last.tasks.empty());
  auto unchanged = f.show(id);
  CHECK(unchanged["state"] == "supervisor_review");
  CHECK(unchanged["supervisor_review"].is_null());
  CHECK(unchanged["history"].size() == 2);
  CHECK(f.db.queued_tasks().empty());
  CHECK(
      f.refused({{"cmd", "submit"}, {"case", id}, {"as", "supervisor:S1"}, {"ratings", ratings}}) ==
      "exams is required to submit a case in supervisor_review");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", id},
                   {"as", "supervisor:S1"},
                   {"ratings", ratings},
                   {"exams", {{"product_knowledge", 101}}}}) ==
        "exams.product_knowledge: score is out of range 0..100");

  // The supervisor's review: to scoring, with a scoring task in the outbox.
  auto sup = f.ok({{"cmd", "submit"},
                   {"case", id},
                   {"as", "supervisor:S1"},
                   {"ratings", ratings},
                   {"exams", exams}});
  CHECK(sup["state"] == "scoring");
  auto sup_tasks = f.last.tasks;
  auto sup_publications = f.last.publications;
  CHECK(f.show(id)["supervisor_review"]["ratings"] == ratings);
  CHECK(f.show(id)["self_minus_supervisor"] == njson{{"achievement_motivation", 0},
                                                     {"initiative", 0},
                                                     {"language", 0},
                                                     {"market_development", 0},
                                                     {"negotiation", 0},
                                                     {"service_orientation", 0}});
  REQUIRE(sup_tasks.size() == 1);
  const queued_task task = sup_tasks[0];
  CHECK(task.type == message_type::scoring_task);
  CHECK(task.case_id == id);
  auto input = unpack<af::msg::scoring_task>(task);
  CHECK(input.case_id == static_cast<std::uint64_t>(id));
  CHECK(input.program == "competency50");
  CHECK(input.employee_id == "E1");
  CHECK(input.joined_on == "2021-03-01");
  CHECK(input.as_of == "2026-09-30");
  CHECK(input.ratings == std::map<std::string, std::int32_t>{{"achievement_motivation", 4},
                                                             {"initiative", 3},
                                                             {"language", 4},
                                                             {"market_development", 3},
                                                             {"negotiation", 5},
                                                             {"service_orientation", 4}});
  CHECK(input.exam_hundredths == std::map<std::string, std::int32_t>{{"product_knowledge", 8700}});
  CHECK(input.sales_last_year_fen == 150'000'000 + 2'000'000 - 1'000'000);
  CHECK(input.quarter_inquiries == 20'000);
  CHECK(input.quarter_converted == 15);
  auto stored = f.db.queued_tasks();
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].id == task.id);
  CHECK(stored[0].kind == "scoring");
  CHECK(stored[0].payload == task.body);
  CHECK(sup_publications.size() == 1);

  // The worker's result: to hrbp_review.
  REQUIRE(f.apply_scoring(design_result(id)).is_ok());
  auto scored = f.show(id);
  CHECK(scored["state"] == "hrbp_review");
  CHECK(scored["total"] == 39.35);
  CHECK(scored["tier"] == 2);
  CHECK(scored["items"]["product_knowledge"] == 4.35);
  CHECK(scored["items"]["conversion_rate"] == 3.0);
  CHECK(scored["items"].size() == 10);
  CHECK(scored["history"].back()["actor"] == "system:scoring");
  // A redelivered result for the same case changes nothing.
  auto twice = f.apply_scoring(design_result(id));
  CHECK(twice.code() == af::status_code::conflict);
  CHECK(twice.message() == "scored is not possible in state hrbp_review");
  CHECK(f.show(id)["history"].size() == 4);

  // HRBP consolidation, then HR returns it to the supervisor.
  CHECK(f.refused({{"cmd", "approve"}, {"case", id}, {"as", "hr:H1"}}) ==
        "hr may not approve a case in hrbp_review (only hrbp)");
  CHECK(f.ok({{"cmd", "approve"}, {"case", id}, {"as", "hrbp:B1"}})["state"] == "hr_review");
  CHECK(f.refused({{"cmd", "return"}, {"case", id}, {"as", "hr:H1"}}) ==
        "comment is required to return a case in hr_review");
  CHECK(f.refused({{"cmd", "return"}, {"case", id}, {"as", "hr:H1"}, {"comment", ""}}) ==
        "comment is required to return a case in hr_review");
  CHECK(f.refused({{"cmd", "return"}, {"case", id}, {"as", "hr:E2"}, {"comment", "x"}}) ==
        "E2 does not hold the hr role");
  auto returned =
      f.ok({{"cmd", "return"}, {"case", id}, {"as", "hr:H1"}, {"comment", "check the exam"}});
  CHECK(returned["state"] == "supervisor_review");
  auto returned_tasks = f.last.tasks;
  CHECK(f.show(id)["history"].back()["reason"] == "check the exam");
  REQUIRE(returned_tasks.size() == 1);
  auto back = unpack<af::msg::notify_task>(returned_tasks[0]);
  CHECK(back.recipient_id == "S1");
  CHECK(back.kind == "case_returned");
  CHECK(njson::parse(back.body_json)["reason"] == "check the exam");

  // Round two, to final.
  f.ok({{"cmd", "submit"},
        {"case", id},
        {"as", "supervisor:S1"},
        {"ratings", ratings},
        {"exams", exams}});
  REQUIRE(f.last.tasks.size() == 1);
  CHECK(f.last.tasks[0].id != task.id);
  REQUIRE(f.apply_scoring(design_result(id)).is_ok());
  f.ok({{"cmd", "approve"}, {"case", id}, {"as", "hrbp:B1"}});
  auto final_case = f.ok({{"cmd", "approve"}, {"case", id}, {"as", "hr:H1"}});
  CHECK(final_case["state"] == "final");
  REQUIRE(f.last.tasks.size() == 3);
  std::vector<std::string> recipients;
  std::set<std::string> ids;
  for (const auto& t : f.last.tasks) {
    CHECK(t.type == message_type::notify_task);
    auto n = unpack<af::msg::notify_task>(t);
    recipients.push_back(n.recipient_id);
    ids.insert(n.notification_id);
    CHECK(n.kind == "case_final");
    CHECK(n.case_id == static_cast<std::uint64_t>(id));
    auto body = njson::parse(n.body_json);
    CHECK(body["tier"] == 2);
    CHECK(body["total"] == 39.35);
    CHECK(body["state"] == "final");
  }
  CHECK(recipients == std::vector<std::string>{"E1", "S1", "B1"});
  CHECK(ids.size() == 3);
  CHECK(f.refused({{"cmd", "approve"}, {"case", id}, {"as", "hr:H1"}}) ==
        "approve is not possible in state final");

  // The chairman adjusts the tier: the computed one stays recorded.
  CHECK(f.refused({{"cmd", "adjust"}, {"case", id}, {"as", "chairman:C1"}, {"tier", 1}}) ==
        "reason is required to adjust a case in final");
  CHECK(
      f.refused(
          {{"cmd", "adjust"}, {"case", id}, {"as", "chairman:C1"}, {"tier", 5}, {"reason", "x"}}) ==
      "tier: must be a whole number 1..4, got 5");
  CHECK(
      f.refused(
          {{"cmd", "adjust"}, {"case", id}, {"as", "chairman:H1"}, {"tier", 1}, {"reason", "x"}}) ==
      "H1 does not hold the chairman role");
  auto adjusted = f.ok({{"cmd", "adjust"},
                        {"case", id},
                        {"as", "chairman:C1"},
                        {"tier", 1},
                        {"reason", "calibration"}});
  CHECK(adjusted["state"] == "final");
  CHECK(adjusted["tier"] == 2);
  CHECK(adjusted["adjusted_tier"] == 1);
  auto adjust_tasks = f.last.tasks;
  CHECK(f.show(id)["adjust_reason"] == "calibration");
  REQUIRE(adjust_tasks.size() == 3);
  for (const auto& t : adjust_tasks) {
    auto n = unpack<af::msg::notify_task>(t);
    CHECK(n.kind == "tier_adjusted");
    CHECK(njson::parse(n.body_json)["adjusted_tier"] == 1);
    CHECK(ids.insert(n.notification_id).second);  // distinct from the earlier ones
  }

  // The full history, in order, each entry with at, from, to, actor.
  auto history = f.show(id)["history"];
  std::vector<std::string> steps;
  for (const auto& h : history) {
    CHECK(h["at"] == now_text);
    steps.push_back((h["from"].is_null() ? std::string("-") : h["from"].get<std::string>()) + " -" +
                    h["action"].get<std::string>() + "-> " + h["to"].get<std::string>() + " by " +
                    h["actor"].get<std::string>());
  }
  CHECK(steps == std::vector<std::string>{
                     "- -open-> self_review by admin",
                     "self_review -submit-> supervisor_review by employee:E1",
                     "supervisor_review -submit-> scoring by supervisor:S1",
                     "scoring -scored-> hrbp_review by system:scoring",
                     "hrbp_review -approve-> hr_review by hrbp:B1",
                     "hr_review -return-> supervisor_review by hr:H1",
                     "supervisor_review -submit-> scoring by supervisor:S1",
                     "scoring -scored-> hrbp_review by system:scoring",
                     "hrbp_review -approve-> hr_review by hrbp:B1",
                     "hr_review -approve-> final by hr:H1",
                     "final -adjust-> final by chairman:C1",
                 });
  CHECK(history[0]["reason"] == "cycle 1");
  CHECK(history.back()["reason"] == "calibration");
  // The other case never moved.
  CHECK(f.state(f.case_of("E2")) == "self_review");
}

TEST_CASE("a scoring result that is not ok leaves the case in scoring", "[engine][cases]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto id = f.case_of("E1");
  f.ok({{"cmd", "submit"}, {"case", id}, {"as", "employee:E1"}, {"ratings", ratings}});
  f.ok({{"cmd", "submit"},
        {"case", id},
        {"as", "supervisor:S1"},
        {"ratings", ratings},
        {"exams", exams}});
  af::msg::scoring_result bad;
  bad.case_id = static_cast<std::uint64_t>(id);
  bad.ok = false;
  bad.error = "ratings.language: missing";
  auto s = f.apply_scoring(bad);
  CHECK(s.code() == af::status_code::invalid_argument);
  CHECK(s.message() ==
        "case " + std::to_string(id) + " cannot be scored: ratings.language: missing");
  CHECK(f.state(id) == "scoring");
  af::msg::scoring_result unknown = design_result(999);
  CHECK(f.apply_scoring(unknown).code() == af::status_code::not_found);
}

TEST_CASE("bulk approve acts on every matching case", "[engine][cases]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1"), e2 = f.case_of("E2");
  f.to_hrbp_review(e1, "E1");
  f.to_hrbp_review(e2, "E2");
  auto r = f.ok({{"cmd", "approve"}, {"as", "hrbp:B1"}, {"state", "hrbp_review"}});
  CHECK(r["matched"] == 2);
  CHECK(r["applied"] == njson::array({e1, e2}));
  CHECK(r["refused"] == njson::array());
  CHECK(f.state(e1) == "hr_review");
  CHECK(f.state(e2) == "hr_review");
  // Nothing left in hrbp_review: the same request matches nothing.
  auto none = f.ok({{"cmd", "approve"}, {"as", "hrbp:B1"}, {"state", "hrbp_review"}});
  CHECK(none["matched"] == 0);
  // HR approves both; a refused case in the bulk is reported, others apply.
  auto wrong = f.ok({{"cmd", "approve"}, {"as", "hr:H1"}, {"state", "self_review"}});
  CHECK(wrong["matched"] == 0);
  auto all = f.ok({{"cmd", "approve"}, {"as", "hr:H1"}, {"state", "hr_review"}});
  CHECK(all["applied"].size() == 2);
  CHECK(f.last.tasks.size() == 6);  // three notifications per case
  CHECK(f.refused({{"cmd", "approve"}, {"as", "hr:H1"}}) ==
        "case: missing (or give state, unit or cycle to act on many cases)");
}

TEST_CASE("bulk approve reports the cases it could not act on", "[engine][cases]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1"), e2 = f.case_of("E2");
  f.to_hrbp_review(e1, "E1");
  // E2 waits in self_review: an admin's bulk approve over the cycle refuses it.
  auto r = f.ok({{"cmd", "approve"}, {"as", "hrbp:B1"}, {"cycle", 1}});
  CHECK(r["matched"] == 2);
  CHECK(r["applied"] == njson::array({e1}));
  REQUIRE(r["refused"].size() == 1);
  CHECK(r["refused"][0]["case"] == e2);
  CHECK(r["refused"][0]["error"] == "approve is not possible in state self_review");
  CHECK(f.state(e1) == "hr_review");
  CHECK(f.state(e2) == "self_review");
  CHECK(f.show(e2)["history"].size() == 1);
}

TEST_CASE("batch: one result per request, a refused one does not stop the others",
          "[engine][cases]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1"), e2 = f.case_of("E2");
  auto r =
      f.ok({{"cmd", "batch"},
            {"requests",
             njson::array({
                 {{"cmd", "submit"}, {"case", e1}, {"as", "employee:E2"}, {"ratings", ratings}},
                 {{"cmd", "submit"}, {"case", e1}, {"as", "employee:E1"}, {"ratings", ratings}},
                 {{"cmd", "batch"}, {"requests", njson::array()}},
                 {{"cmd", "submit"}, {"case", e2}, {"as", "employee:E2"}, {"ratings", ratings}},
             })}});
  REQUIRE(r["results"].size() == 4);
  CHECK(r["results"][0] == njson{{"ok", false},
                                 {"error", "E2 is not the employee of this case (E1 is)"},
                                 {"code", "forbidden"}});
  CHECK(r["results"][1]["ok"] == true);
  CHECK(r["results"][1]["state"] == "supervisor_review");
  CHECK(r["results"][2] == njson{{"ok", false},
                                 {"error", "cmd: a batch cannot contain a batch"},
                                 {"code", "invalid"}});
  CHECK(r["results"][3]["ok"] == true);
  CHECK(f.state(e1) == "supervisor_review");
  CHECK(f.state(e2) == "supervisor_review");
  CHECK(f.show(e1)["history"].size() == 2);  // the refused one left no line
  CHECK(f.refused({{"cmd", "batch"}}) == "requests: missing (an array of requests)");
}

TEST_CASE("malformed requests get one-line errors", "[engine][cases]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto id = f.case_of("E1");
  CHECK(f.raw("{\"cmd\":\"fly\"}") ==
        R"({"ok":false,"error":"cmd: unknown command \"fly\"","code":"invalid"})");
  CHECK(f.raw("{\"cmd\": \"submit\", ") ==
        R"({"ok":false,"error":"request is not valid JSON","code":"invalid"})");
  CHECK(f.raw("[1,2]") ==
        R"({"ok":false,"error":"request must be a JSON object with a \"cmd\"","code":"invalid"})");
  CHECK(f.refused({{"as", "employee:E1"}}) == "cmd: missing");
  CHECK(f.refused({{"cmd", 7}}) == "cmd: missing");
  CHECK(f.refused({{"cmd", "scored"}, {"case", id}, {"as", "admin:A1"}}) ==
        "cmd: unknown command \"scored\"");
  CHECK(f.refused({{"cmd", "submit"}, {"case", id}, {"as", "employee:E1"}, {"ratings", "4,3,5"}}) ==
        "ratings: must be an object of item: score");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", id},
                   {"as", "employee:E1"},
                   {"ratings", {{"language", "4"}}}}) ==
        "ratings.language: must be a whole number 1..5, got \"4\"");
  CHECK(f.refused({{"cmd", "submit"},
                   {"case", id},
                   {"as", "employee:E1"},
                   {"ratings", {{"language", 4.5}}}}) ==
        "ratings.language: must be a whole number 1..5, got 4.5");
  CHECK(f.refused(
            {{"cmd", "submit"}, {"case", "abc"}, {"as", "employee:E1"}, {"ratings", ratings}}) ==
        "case: must be a case id number, got \"abc\"");
  CHECK(f.refused({{"cmd", "submit"}, {"case", id}, {"as", 5}, {"ratings", ratings}}) ==
        "as: must be text, got 5");
  CHECK(f.refused({{"cmd", "submit"}, {"case", id}, {"ratings", ratings}}) ==
        "as: missing (write ROLE or ROLE:EMPLOYEE_ID, e.g. supervisor:S2001)");
  CHECK(f.refused({{"cmd", "submit"}, {"case", id}, {"as", "employee"}, {"ratings", ratings}}) ==
        "as: \"employee\" must name whom principal admin acts for (ROLE:EMPLOYEE_ID)");
  CHECK(f.refused({{"cmd", "case.show"}, {"case", 999}}) == "case 999 does not exist");
  CHECK(f.refused({{"cmd", "cases"}, {"state", 3}}) == "state: must be text, got 3");
  // None of it touched the case.
  auto c = f.show(id);
  CHECK(c["state"] == "self_review");
  CHECK(c["history"].size() == 1);
  // A case id given as text is fine.
  CHECK(f.ok({{"cmd", "case.show"}, {"case", std::to_string(id)}})["id"] == id);
}

TEST_CASE("sales and stats through the admin API", "[engine][cases]") {
  fixture f;
  f.import_org();
  f.db.work().begin();
  f.db.add_monthly("E1", "2026-07", {1000, 100, 4, 1});
  f.db.add_monthly("E1", "2026-09", {500, 0, 1, 1});
  f.db.work().commit();
  auto s = f.ok({{"cmd", "sales"}, {"manager_id", "E1"}, {"period", "2026-Q3"}});
  CHECK(s == njson{{"ok", true},
                   {"manager_id", "E1"},
                   {"period", "2026-Q3"},
                   {"sales_fen", 1500},
                   {"refunds_fen", 100},
                   {"net_fen", 1400},
                   {"inquiries", 5},
                   {"converted", 2}});
  CHECK(f.refused({{"cmd", "sales"}, {"manager_id", "Z1"}, {"period", "2026-Q3"}}) ==
        "manager_id: unknown manager \"Z1\"");
  f.start_cycle();
  auto st = f.ok({{"cmd", "stats"}});
  CHECK(st["cases"] == njson{{"self_review", 2}});
}

TEST_CASE("cases lists page by page with limit and after", "[engine][admin]") {
  fixture f;
  f.ok({{"cmd", "org.import"}, {"rows", small_org()}});
  f.ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  f.ok({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q4"}});
  auto all = f.ok({{"cmd", "cases"}});
  REQUIRE(all["cases"].size() == 4);
  CHECK_FALSE(all.contains("next_after"));  // no limit: everything, one reply
  std::vector<std::int64_t> ids;
  for (const auto& c : all["cases"]) ids.push_back(c["id"].get<std::int64_t>());

  auto first = f.ok({{"cmd", "cases"}, {"limit", 3}});
  REQUIRE(first["cases"].size() == 3);
  CHECK(first["cases"][0]["id"] == ids[0]);
  CHECK(first["next_after"] == ids[2]);
  auto second = f.ok({{"cmd", "cases"}, {"limit", 3}, {"after", ids[2]}});
  REQUIRE(second["cases"].size() == 1);
  CHECK(second["cases"][0]["id"] == ids[3]);
  CHECK_FALSE(second.contains("next_after"));  // the last page
  // A page that ends exactly on the last case says nothing follows.
  auto exact = f.ok({{"cmd", "cases"}, {"limit", 4}});
  CHECK(exact["cases"].size() == 4);
  CHECK_FALSE(exact.contains("next_after"));
  // Filters apply before paging.
  auto q4 = f.ok({{"cmd", "cases"}, {"period", "2026-Q4"}, {"limit", 1}});
  REQUIRE(q4["cases"].size() == 1);
  CHECK(q4["cases"][0]["period"] == "2026-Q4");
  CHECK(q4["next_after"] == q4["cases"][0]["id"]);

  CHECK(f.refused({{"cmd", "cases"}, {"limit", 0}}) ==
        "limit: must be a whole number from 1 to 10000");
  CHECK(f.refused({{"cmd", "cases"}, {"limit", "ten"}}) ==
        "limit: must be a whole number from 1 to 10000");
  CHECK(f.refused({{"cmd", "cases"}, {"limit", 10001}}) ==
        "limit: must be a whole number from 1 to 10000");
  CHECK(f.ok({{"cmd", "cases"}, {"limit", 10000}})["cases"].size() == 4);
  CHECK(f.refused({{"cmd", "cases"}, {"after", -1}}) ==
        "after: must be a case id number (list the cases above it)");
  CHECK(f.refused({{"cmd", "cases"}, {"after", 1.5}}) ==
        "after: must be a case id number (list the cases above it)");
}
