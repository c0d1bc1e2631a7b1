// A whole quarter on the simulated clock (assess-engine --clock-start
// --clock-rate): from 30 September 2026 to New Year's morning at 200,000
// times real speed, with the real engine and workers and scripted people.
// The scheduler opens the Q3 competency50 and quarterly appraisal cycles
// and four monthly performance cycles on their window starts, and on New
// Year's Day the Q4 cycles and the three annual programs' cycles; two
// employees never review themselves (their cases proceed, flagged), one
// supervisor never reviews (escalated to the HRBP, overdue), everyone else
// acts at once (an appraisal's interview is held and its result
// acknowledged). At the end: what opened, what finished, who was
// reminded, who was told.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "base/civil_time.h"
#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

const std::set<std::string> forgetful = {"E1002", "E1003"};  // never submit a self review
const std::string lazy_supervisor = "S2001";  // supervises E1001 and E1007; never reviews

std::vector<json> delivered_to(const std::string& data, const std::string& recipient) {
  std::vector<json> out;
  std::ifstream in(data + "/notifications/" + recipient + ".jsonl");
  std::string line;
  while (std::getline(in, line)) out.push_back(json::parse(line));
  return out;
}

// One round of everybody doing what they do: a batch of submissions and
// bulk approvals over the admin socket.
void act(const scenario& s, const std::map<std::string, json>& reviews) {
  json requests = json::array();
  const json open = admin(s.data(), {{"cmd", "cases"}});
  std::set<std::string> hrbps;
  for (const auto& c : open["cases"]) {
    std::string state = c["state"].get<std::string>(), e = c["employee_id"].get<std::string>();
    std::string sup = c["supervisor_id"].get<std::string>();
    bool competency = c["program"] == "competency50";
    if (state == "self_review" && !forgetful.count(e))
      requests.push_back({{"cmd", "submit"},
                          {"case", c["id"]},
                          {"as", "employee:" + e},
                          {"ratings", reviews.at(e)["self"]["ratings"]}});
    const json appraisal{{"teamwork", 4}, {"learning", 3}, {"professional_ability", 4}};
    if (state == "self_appraisal" && !forgetful.count(e))
      requests.push_back(
          {{"cmd", "submit"}, {"case", c["id"]}, {"as", "employee:" + e}, {"ratings", appraisal}});
    if (state == "rating" && sup != lazy_supervisor)
      requests.push_back({{"cmd", "submit"},
                          {"case", c["id"]},
                          {"as", "supervisor:" + sup},
                          {"ratings", appraisal}});
    if (state == "interview")
      requests.push_back({{"cmd", "interview"},
                          {"case", c["id"]},
                          {"as", "supervisor:" + sup},
                          {"notes", "went through the quarter's figures"}});
    if (state == "feedback")
      requests.push_back({{"cmd", "acknowledge"}, {"case", c["id"]}, {"as", "employee:" + e}});
    if (state == "supervisor_review" && sup != lazy_supervisor) {
      json req{{"cmd", "submit"}, {"case", c["id"]}, {"as", "supervisor:" + sup}};
      if (competency) {
        req["ratings"] = reviews.at(e)["supervisor"]["ratings"];
        req["exams"] = reviews.at(e)["supervisor"]["exams"];
      } else {
        req["ratings"] = {{"customer_satisfaction", 4}, {"teamwork", 4}, {"learning", 3}};
      }
      requests.push_back(req);
    }
    if (state == "hrbp_review" && c["hrbp_id"].is_string())
      hrbps.insert(c["hrbp_id"].get<std::string>());
  }
  for (const auto& b : hrbps)
    requests.push_back({{"cmd", "approve"}, {"as", "hrbp:" + b}, {"state", "hrbp_review"}});
  requests.push_back({{"cmd", "approve"}, {"as", "hr:H0001"}, {"state", "hr_review"}});
  admin(s.data(), {{"cmd", "batch"}, {"requests", requests}});
}

std::int64_t engine_clock(const scenario& s) {
  return *af::parse_instant(admin(s.data(), {{"cmd", "stats"}})["clock"].get<std::string>());
}

}  // namespace

TEST_CASE(
    "a simulated quarter: cycles open on schedule, late reviews are chased, HR hears what is "
    "unfinished",
    "[integration][quarter]") {
  scenario s;
  s.generate(8, 10);  // 20 people with a supervisor
  {                   // the organisation and a year of sales, loaded the day before, at real speed
    auto engine = start_engine(s.root.path(),
                               {"--clock-start", "2026-09-30T12:00:00+08:00", "--clock-rate", "1"});
    s.load();
    engine.signal(SIGTERM);
    REQUIRE(engine.wait() == 0);
  }
  const auto reviews = s.reviews();
  const std::int64_t end = *af::parse_instant("2027-01-01T06:00:00+08:00");
  {
    auto engine =
        start_engine(s.root.path(), {"--schedule", "on", "--clock-start",
                                     "2026-09-30T23:00:00+08:00", "--clock-rate", "200000"});
    auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
    auto targets = start_worker(ASSESS_TARGETS_BIN, s.root.path());
    auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path());
    auto real_start = std::chrono::steady_clock::now();
    while (engine_clock(s) < end) {
      act(s, reviews);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      REQUIRE(std::chrono::steady_clock::now() - real_start < std::chrono::minutes(3));
    }
    engine.signal(SIGTERM);
    REQUIRE(engine.wait() == 0);
    // Let the notify worker finish what the engine handed it.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    for (auto* w : {&scoring, &targets, &notify}) {
      w->signal(SIGTERM);
      w->wait();
    }
  }
  // Inspect at New Year's morning, at real speed.
  auto engine = start_engine(s.root.path(),
                             {"--clock-start", "2027-01-01T06:00:00+08:00", "--clock-rate", "1"});
  auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path());

  // Every cycle opened on its window start, once, none late.
  json sched = admin(s.data(), {{"cmd", "schedule"}});
  for (const auto& p : sched["programs"]) {
    CHECK(p["opened_late"].empty());
    if (p["program"] == "performance") CHECK(p["last"]["period"] == "2026-12");
    if (p["program"] == "competency50" || p["program"] == "performance_quarter")
      CHECK(p["last"]["period"] == "2026-Q4");
    if (p["program"] == "competency_model" || p["program"] == "kam_review" ||
        p["program"] == "performance_year") {
      CHECK(p["last"]["period"] == "2026");  // annual: opened on New Year's Day
      CHECK(p["last"]["opened_at"] < std::string("2027-01-01T06"));
      CHECK(p["next"]["window_start"] == "2028-01-01");
    }
  }
  std::map<std::string, std::map<std::string, int>> by_cycle;  // "program period" -> state -> cases
  const json all = admin(s.data(), {{"cmd", "cases"}});
  for (const auto& c : all["cases"])
    ++by_cycle[c["program"].get<std::string>() + " " + c["period"].get<std::string>()]
              [c["state"].get<std::string>()];
  CHECK(by_cycle.size() == 11);
  for (const auto& key : {"competency_model 2026", "kam_review 2026", "performance_year 2026",
                          "performance_quarter 2026-Q4"}) {
    int n = 0;
    for (const auto& [state, count] : by_cycle[key]) n += count;
    CHECK(n == 20);
  }
  // The lazy supervisor's two cases are all that is left of Q3 and of each
  // month whose deadlines have passed.
  for (const auto& key : {"competency50 2026-Q3", "performance 2026-09", "performance 2026-10",
                          "performance 2026-11"}) {
    INFO(key);
    CHECK(by_cycle[key] == std::map<std::string, int>{{"final", 18}, {"supervisor_review", 2}});
  }
  CHECK(by_cycle["performance_quarter 2026-Q3"] ==
        std::map<std::string, int>{{"final", 18}, {"rating", 2}});
  CHECK(by_cycle["competency50 2026-Q4"].size() >= 1);
  int december = 0;
  for (const auto& [state, n] : by_cycle["performance 2026-12"]) december += n;
  CHECK(december == 20);

  // Cases of forgetful employees proceeded without a self review, flagged;
  // the lazy supervisor's are overdue, escalated once.
  int escalated = 0;
  for (const auto& c : all["cases"]) {
    if (c["period"] == "2026-Q4" || c["period"] == "2026-12" || c["period"] == "2026")
      continue;  // opened hours ago
    json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", c["id"]}});
    std::string e = c["employee_id"].get<std::string>();
    int expire = 0, escalate = 0;
    for (const auto& h : shown["history"]) {
      expire += h["action"] == "expire";
      escalate += h["action"] == "escalate";
    }
    INFO(c["program"] << " " << c["period"] << " " << e);
    bool flagged = false;
    for (const auto& f : shown["flags"])
      flagged |= f == "self review missing" || f == "self appraisal missing";
    bool forgot = (c["program"] == "competency50" || c["program"] == "performance_quarter") &&
                  forgetful.count(e);
    CHECK(flagged == forgot);
    CHECK(expire == (forgot ? 1 : 0));
    bool lazy = c["supervisor_id"] == lazy_supervisor;
    CHECK(escalate == (lazy ? 1 : 0));
    CHECK(shown["overdue_since"].is_null() == !lazy);
    escalated += escalate;
  }
  CHECK(escalated == 10);
  json overdue = admin(s.data(), {{"cmd", "overdue"}});
  REQUIRE(overdue["by_unit_role"].size() == 1);
  CHECK(overdue["by_unit_role"][0]["role"] == "supervisor");
  CHECK(overdue["by_unit_role"][0]["cases"] == 10);

  REQUIRE(eventually([&] { return delivered_to(s.data(), "H0001").size() >= 5; },
                     std::chrono::seconds(10)));
  // HR heard of each cycle whose window ended unfinished, once.
  std::multiset<std::string> reports;
  for (const auto& n : delivered_to(s.data(), "H0001"))
    if (n["kind"] == "cycle_unfinished") {
      reports.insert(n["body"]["program"].get<std::string>() + " " +
                     n["body"]["period"].get<std::string>());
      CHECK(n["body"]["open"] == 2);
    }
  CHECK(reports == std::multiset<std::string>{"competency50 2026-Q3", "performance 2026-09",
                                              "performance 2026-10", "performance 2026-11",
                                              "performance_quarter 2026-Q3"});
  // The lazy supervisor was reminded before each deadline; the HRBPs told after.
  int reminded = 0;
  for (const auto& n : delivered_to(s.data(), lazy_supervisor))
    reminded += n["kind"] == "deadline_reminder";
  CHECK(reminded == 10);
  int told = 0;
  for (const auto& c : all["cases"])
    if (c["supervisor_id"] == lazy_supervisor)
      for (const auto& n : delivered_to(s.data(), c["hrbp_id"].get<std::string>()))
        told += n["kind"] == "deadline_missed" && n["case"] == c["id"];
  CHECK(told == 10);
  // The forgetful were reminded of their Q3 self review, then told it expired.
  for (const auto& e : forgetful) {
    std::vector<std::string> kinds;
    for (const auto& n : delivered_to(s.data(), e))
      if (n["body"]["program"] == "competency50" && n["body"]["period"] == "2026-Q3")
        kinds.push_back(n["kind"]);
    CHECK(std::count(kinds.begin(), kinds.end(), "deadline_reminder") == 1);
    CHECK(std::count(kinds.begin(), kinds.end(), "self_review_missing") == 1);
  }
  notify.signal(SIGTERM);
  notify.wait();
  engine.signal(SIGTERM);
  CHECK(engine.wait() == 0);
}
