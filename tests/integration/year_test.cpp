// A whole year on the simulated clock: the organisation of year_data.h
// from 29 December 2025 to the certification of January 2027, with the real
// engine, workers and tools. Each month the sales system publishes the
// month's events at its end (assess-feed); the engine (--schedule on, at
// 200,000 times real speed) opens the cycles on the 1st and everybody acts
// at once. The clock skips the quiet weeks between: the engine is stopped
// once a month's cycles are final and started again two days before the
// next month ends, which also proves every cycle survives a restart.
// Twelve monthly cycles with their events, four quarterly appraisals (one
// appealed and changed by HR) and the annual one, competency50, the
// competency model of 2025 and 2026, kam_review; then HR opens the
// certification of 2026 at real speed: one provisional manager passes the
// re-exam at exactly 60, one fails it at 59 and, at grade 4, is eliminated;
// and the inventory of 2026 against 2025. Every figure is worked out by
// hand in the comments from DOMAIN.md and the shipped rule files.
#include <fmt/format.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "base/civil_time.h"
#include "tests/integration/harness.h"
#include "tests/integration/year_data.h"

using namespace af::test;

namespace {

const std::set<std::string> terminal = {"final", "cancelled"};

// assessctl with the data directory; its exit code, output in `out`.
int ctl(const std::string& data, std::vector<std::string> args, std::string* out = nullptr) {
  args.insert(args.begin(), {"--data", data});
  if (out) out->clear();
  return run(ASSESSCTL_BIN, args, out, true);
}

std::string write_file(const temp_dir& root, const std::string& name, const std::string& text) {
  std::string path = root.path() + "/" + name;
  std::ofstream(path) << text;
  return path;
}

std::int64_t engine_clock(const std::string& data) {
  return *af::parse_instant(admin(data, {{"cmd", "stats"}})["clock"].get<std::string>());
}

json c50_ratings(const std::string& e) {
  int r = e == "E1" ? 5 : 4;
  return {{"language", r},
          {"market_development", r},
          {"negotiation", r},
          {"achievement_motivation", r},
          {"service_orientation", r},
          {"initiative", r}};
}

json kam_ratings() {
  json out = json::object();
  for (const auto& k : af::test::year::rated_items("kam_review")) out[k] = 3;
  return out;
}

int year_of(const std::string& period) { return std::stoi(period.substr(0, 4)); }

// The requests of one case in its state: what its people do now.
void act_on(const json& c, json& requests) {
  const std::string state = c["state"], program = c["program"], period = c["period"];
  const std::string e = c["employee_id"],
                    sup = "supervisor:" + c["supervisor_id"].get<std::string>();
  const json id = c["id"];
  auto submit = [&](const std::string& as, const json& ratings) {
    json r{{"cmd", "submit"}, {"case", id}, {"as", as}, {"ratings", ratings}};
    requests.push_back(r);
    return &requests.back();
  };
  namespace y = af::test::year;
  if (program == "competency50" && (state == "self_review" || state == "supervisor_review")) {
    json* r = submit(state == "self_review" ? "employee:" + e : sup, c50_ratings(e));
    if (state == "supervisor_review") (*r)["exams"] = {{"product_knowledge", e == "E1" ? 100 : 80}};
  }
  if (program == "competency_model" && (state == "self_review" || state == "supervisor_review")) {
    json* r = submit(state == "self_review" ? "employee:" + e : sup,
                     y::competency_model_ratings(e, year_of(period)));
    if (state == "supervisor_review") (*r)["exams"] = y::competency_model_exams(e, year_of(period));
  }
  if (program == "performance" && state == "supervisor_review")
    submit(sup, {{"customer_satisfaction", 4}, {"teamwork", 4}, {"learning", 4}});
  if (program == "kam_review" && state == "rating") submit(sup, kam_ratings());
  const bool appraisal = program == "performance_quarter" || program == "performance_year";
  if (!appraisal) return;
  if (state == "self_appraisal")
    submit("employee:" + e, {{"teamwork", 4}, {"learning", 4}, {"professional_ability", 4}});
  if (state == "rating") {
    if (e == "E6" && program == "performance_year") {  // a customer's survey: good (3 of 4)
      requests.push_back({{"cmd", "raters.add"},
                          {"case", id},
                          {"as", sup},
                          {"raters", {{{"id", "K-61"}, {"kind", "customer"}, {"name", "Hotel"}}}}});
      requests.push_back({{"cmd", "rate"},
                          {"case", id},
                          {"as", "rater:K-61"},
                          {"ratings", {{"customer_satisfaction", 3}}}});
    }
    submit(sup, y::supervisor_appraisal(e, period));
  }
  if (state == "interview")
    requests.push_back(
        {{"cmd", "interview"}, {"case", id}, {"as", sup}, {"notes", "the period's figures"}});
  const bool appealed = e == "E2" && period == "2026-Q2";
  if (state == "feedback")
    requests.push_back(appealed
                           ? json{{"cmd", "appeal"},
                                  {"case", id},
                                  {"as", "employee:" + e},
                                  {"reason", "I ran the team's trainings in May"}}
                           : json{{"cmd", "acknowledge"}, {"case", id}, {"as", "employee:" + e}});
  if (state == "appeal")
    requests.push_back({{"cmd", "resolve"},
                        {"case", id},
                        {"as", "hr:H1"},
                        {"ratings", y::supervisor_appraisal(e, "2026-Q1")},
                        {"reason", "training records confirm the appeal"}});
}

// One round of everybody doing what they do, in one batch; false when
// nothing is left open. Every action must be accepted.
bool act(const std::string& data) {
  const json listed = admin(data, {{"cmd", "cases"}});
  json requests = json::array();
  bool open = false;
  for (const auto& c : listed["cases"]) {
    if (terminal.count(c["state"].get<std::string>())) continue;
    open = true;
    act_on(c, requests);
  }
  if (!open) return false;
  requests.push_back({{"cmd", "approve"}, {"as", "hrbp:B1"}, {"state", "hrbp_review"}});
  requests.push_back({{"cmd", "approve"}, {"as", "hr:H1"}, {"state", "hr_review"}});
  const json reply = admin(data, {{"cmd", "batch"}, {"requests", requests}});
  REQUIRE(reply["ok"] == true);
  for (std::size_t i = 0; i + 2 < requests.size(); ++i) {
    INFO(requests[i].dump() << " -> " << reply["results"][i].dump());
    REQUIRE(reply["results"][i]["ok"] == true);
  }
  return true;
}

// The last period each program opened, from the engine's schedule.
std::map<std::string, std::string> last_opened(const std::string& data) {
  std::map<std::string, std::string> out;
  const json schedule = admin(data, {{"cmd", "schedule"}});
  for (const auto& p : schedule["programs"])
    if (p["last"].is_object())
      out[p["program"].get<std::string>()] = p["last"]["period"].get<std::string>();
  return out;
}

// What must have opened on the 1st after month (y, m).
std::map<std::string, std::string> due_after(int y, int m) {
  std::map<std::string, std::string> out{{"performance", fmt::format("{}-{:02}", y, m)}};
  if (m % 3 == 0) {
    out["competency50"] = out["performance_quarter"] = fmt::format("{}-Q{}", y, m / 3);
  }
  if (m == 12) {
    for (const char* p : {"competency_model", "kam_review", "performance_year"})
      out[p] = std::to_string(y);
  }
  return out;
}

// The month (y, m) at its end: HR's changes to the org, the month's events,
// then the cycles of the 1st run until every case is final.
void run_month(const temp_dir& root, int y, int m) {
  const std::string data = root.path() + "/data";
  const int last_day = af::days_in_month(y, m);
  const std::string start = fmt::format("{}-{:02}-{:02}T00:00:00+08:00", y, m, last_day - 1);
  const std::int64_t first_of_next = *af::parse_instant(
      fmt::format("{}-{:02}-{:02}T00:00:00+08:00", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1));
  INFO("month " << y << "-" << m);
  auto engine = start_engine(
      root.path(), {"--schedule", "on", "--clock-start", start, "--clock-rate", "200000"});
  auto scoring = start_worker(ASSESS_SCORING_BIN, root.path());
  auto targets = start_worker(ASSESS_TARGETS_BIN, root.path());
  auto notify = start_worker(ASSESS_NOTIFY_BIN, root.path());
  const std::string date = start.substr(0, 10);
  if ((y == 2026 && m == 1) || (y == 2026 && m == 7)) {
    std::string csv = write_file(root, "org-" + date + ".csv", af::test::year::org_csv(date));
    REQUIRE(ctl(data, {"org", "import", csv}) == 0);
  }
  if (y == 2026) {
    std::string events = af::test::year::events_of_month(y, m).dump();
    std::string file = root.path() + "/events-" + date + ".jsonl";
    std::ofstream out(file);
    for (const auto& e : json::parse(events)) out << e.dump() << "\n";
    out.close();
    REQUIRE(run(ASSESS_FEED_BIN, {"--data", data, "--quiet", file}) == 0);
  }
  REQUIRE(engine_clock(data) < first_of_next);  // the month's events came before its cycles
  const auto due = due_after(y, m);
  auto real_start = std::chrono::steady_clock::now();
  for (;;) {
    // The schedule first: cases listed after it include every cycle it opened.
    auto opened = last_opened(data);
    bool open = act(data);
    bool all_due = true;
    for (const auto& [program, period] : due) all_due &= opened[program] == period;
    if (all_due && !open) break;
    std::string waiting;
    const json listed = admin(data, {{"cmd", "cases"}});
    for (const auto& c : listed["cases"])
      if (!terminal.count(c["state"].get<std::string>()))
        waiting += c["program"].get<std::string>() + ":" + c["state"].get<std::string>() + " ";
    for (const auto& [program, period] : due)
      if (opened[program] != period) waiting += "not opened: " + program + " " + period + " ";
    INFO("waiting for " << waiting);
    REQUIRE(std::chrono::steady_clock::now() - real_start < std::chrono::seconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Everybody acted within the day the cycles opened: nobody was chased.
  CHECK(engine_clock(data) < first_of_next + 86'400);
  engine.signal(SIGTERM);
  REQUIRE(engine.wait() == 0);
  for (auto* w : {&scoring, &targets, &notify}) {
    w->signal(SIGTERM);
    CHECK(w->wait() == 0);  // a stop signal during a wait is a clean stop, not an abort
  }
}

json show(const std::string& data, const json& id) {
  return admin(data, {{"cmd", "case.show"}, {"case", id}});
}

// employee -> case of `program` in `period`
std::map<std::string, json> cases_of(const std::string& data, const std::string& program,
                                     const std::string& period) {
  std::map<std::string, json> out;
  const json listed = admin(data, {{"cmd", "cases"}, {"program", program}, {"period", period}});
  for (const auto& c : listed["cases"]) out[c["employee_id"]] = c;
  return out;
}

struct appraisal_result {
  double total;
  long long bonus_fen;
  int tier;
  bool operator==(const appraisal_result& o) const {
    return total == o.total && bonus_fen == o.bonus_fen && tier == o.tier;
  }
};

std::map<std::string, appraisal_result> appraisals(const std::string& data,
                                                   const std::string& program,
                                                   const std::string& period) {
  std::map<std::string, appraisal_result> out;
  for (const auto& [e, c] : cases_of(data, program, period)) {
    json s = show(data, c["id"]);
    INFO(program << " " << period << " " << e << ": " << s["state"]);
    CHECK(s["state"] == "final");
    out[e] = {s["total"].get<double>(), s["bonus_fen"].get<long long>(), s["tier"].get<int>()};
  }
  return out;
}

}  // namespace

TEST_CASE(
    "a simulated year: monthly, quarterly and annual appraisals, the competency model, "
    "certification with a re-exam, the inventory against the year before",
    "[integration][year]") {
  temp_dir root;
  const std::string data = root.path() + "/data";
  {  // HR imports the organisation; the sales system has published 2025.
    auto engine = start_engine(root.path(),
                               {"--clock-start", "2025-12-29T09:00:00+08:00", "--clock-rate", "1"});
    std::string csv = write_file(root, "org.csv", af::test::year::org_csv("2025-12-29"));
    REQUIRE(ctl(data, {"org", "import", csv}) == 0);
    std::ofstream out(root.path() + "/events-2025.jsonl");
    for (int m = 1; m <= 12; ++m)
      for (const auto& e : af::test::year::events_of_month(2025, m)) out << e.dump() << "\n";
    out.close();
    REQUIRE(run(ASSESS_FEED_BIN, {"--data", data, "--quiet", root.path() + "/events-2025.jsonl"}) ==
            0);
    engine.signal(SIGTERM);
    REQUIRE(engine.wait() == 0);
  }
  run_month(root, 2025, 12);
  for (int m = 1; m <= 12; ++m) run_month(root, 2026, m);

  // Certification at real speed, two weeks after the annual results.
  auto engine = start_engine(root.path(), {"--schedule", "on", "--clock-start",
                                           "2027-01-15T09:00:00+08:00", "--clock-rate", "1"});
  auto scoring = start_worker(ASSESS_SCORING_BIN, root.path());

  {  // what opened and what finished
    std::map<std::string, int> per_program;
    const json all = admin(data, {{"cmd", "cases"}});
    for (const auto& c : all["cases"]) {
      ++per_program[c["program"].get<std::string>()];
      INFO(c.dump());
      CHECK(c["state"] == "final");
    }
    // 5 managers at the 2025 cycles, E5 from January 2026 on.
    CHECK(per_program == std::map<std::string, int>{{"competency50", 5 + 4 * 6},
                                                    {"competency_model", 5 + 6},
                                                    {"kam_review", 5 + 6},
                                                    {"performance", 5 + 12 * 6},
                                                    {"performance_quarter", 5 + 4 * 6},
                                                    {"performance_year", 5 + 6}});
    const json schedule = admin(data, {{"cmd", "schedule"}});
    for (const auto& p : schedule["programs"]) CHECK(p["opened_late"].empty());
  }

  // The monthly cycles: the targets worker's figures from each month's
  // events (one brand, a target of 10,000,000 fen; schemas/commission).
  // Every month without display, outlet or banquet events costs 90 stores
  // short x 20 CNY (50 + 10 in each of 4 key townships) and 1,000 outlets
  // short x 15 CNY: 1,680,000 fen, plus 50 CNY per banquet of the month's
  // target (69 over the year).
  {
    json may = show(data, cases_of(data, "performance", "2026-05")["E1"]["id"]);
    CHECK(may["month"]["met"] == true);
    CHECK(may["month"]["brands"][0]["commission_fen"] == 360'000);  // 12,000,000 x 3%
    CHECK(may["month"]["total_fen"] == 360'000 - 1'680'000 - 6 * 5'000);
    json march = show(data, cases_of(data, "performance", "2026-03")["E3"]["id"]);
    CHECK(march["month"]["met"] == false);  // 90%: 70% of the rate
    CHECK(march["month"]["brands"][0]["commission_fen"] == 189'000);
    CHECK(march["month"]["consecutive_misses"] == 3);  // the third miss: 300 CNY
    CHECK(march["month"]["total_fen"] == 189'000 - 1'680'000 - 4 * 5'000 - 30'000);
    json e1 = admin(data, {{"cmd", "rollup"}, {"manager_id", "E1"}, {"period", "2026"}});
    CHECK(e1["months_appraised"] == 12);
    CHECK(e1["months_met"] == 12);
    CHECK(e1["commission_fen"] == 12 * 360'000);
    CHECK(e1["total_fen"] == 12 * (360'000 - 1'680'000) - 69 * 5'000);
    CHECK(e1["net_sales_fen"] == 144'000'000);
    CHECK(e1["growth"] == 20.0);
    json e3 = admin(data, {{"cmd", "rollup"}, {"manager_id", "E3"}, {"period", "2026"}});
    CHECK(e3["months_met"] == 0);
    CHECK(e3["commission_fen"] == 12 * 189'000);
    CHECK(e3["total_fen"] == 12 * (189'000 - 1'680'000) - 69 * 5'000 - 4 * 30'000);
    // The grade proposals of the annual results (schemas/commission/grade_rule.json).
    CHECK(e1["appraisal_total"] == 86.0);
    CHECK(e1["competency_tier"] == 2);  // 2026-Q4: 30 + 5 + 5 years + 3 (1.2M CNY) + 0
    CHECK(e1["proposed_grade"] == 2);
    CHECK(e3["appraisal_total"] == 48.0);
    CHECK(e3["proposed_grade"] == 4);
  }

  // The quarterly appraisals (schemas/rubrics/performance_quarter.json):
  // sales against target 30/25/18, growth 10/5/0 (E5 no base: 5), new
  // customers, repeat purchases, complaints, no customer survey (10), the
  // supervisor's teamwork, learning and professional ability. E1: 30 + 10 +
  // 7 (3 new) + 4 (2 of 5 repeat) + 5 + 10 + 20 = 86.
  using result = appraisal_result;
  const result e1q{86.0, 250'000, 2}, e2q{71.0, 100'000, 3}, e3q{56.0, 0, 4}, e4q{76.0, 250'000, 2},
      e5q{70.0, 100'000, 3}, e6q{78.8, 250'000, 2};
  CHECK(appraisals(data, "performance_quarter", "2026-Q1") ==
        std::map<std::string, result>{
            {"E1", e1q}, {"E2", e2q}, {"E3", e3q}, {"E4", e4q}, {"E5", e5q}, {"E6", e6q}});
  // Q2: E2's complaint (3 points, not 5) and the appeal: the supervisor's
  // 1, 1, 1 (4 points: 57, below 60) changed by HR to 4, 4, 4 (16: 69); E6's
  // two new customers in May (4) and 2 of 4 repeat (7).
  CHECK(appraisals(data, "performance_quarter", "2026-Q2") ==
        std::map<std::string, result>{{"E1", e1q},
                                      {"E2", {69.0, 100'000, 3}},
                                      {"E3", e3q},
                                      {"E4", e4q},
                                      {"E5", e5q},
                                      {"E6", {79.8, 250'000, 2}}});
  // Q3: E4's two complaints in August (1 point).
  CHECK(appraisals(data, "performance_quarter", "2026-Q3") ==
        std::map<std::string, result>{{"E1", e1q},
                                      {"E2", e2q},
                                      {"E3", e3q},
                                      {"E4", {72.0, 100'000, 3}},
                                      {"E5", e5q},
                                      {"E6", e6q}});
  CHECK(appraisals(data, "performance_quarter", "2026-Q4") ==
        std::map<std::string, result>{
            {"E1", e1q}, {"E2", e2q}, {"E3", e3q}, {"E4", e4q}, {"E5", e5q}, {"E6", e6q}});
  {  // The appeal in E2's history, with the ratings HR replaced.
    json q2 = show(data, cases_of(data, "performance_quarter", "2026-Q2")["E2"]["id"]);
    std::vector<std::string> actions;
    for (const auto& h : q2["history"]) actions.push_back(h["action"].get<std::string>());
    CHECK(actions == std::vector<std::string>{"open", "submit", "submit", "scored", "approve",
                                              "interview", "appeal", "change", "scored"});
    CHECK(q2["history"][6]["reason"] == "I ran the team's trainings in May");
  }
  // The annual appraisal (performance_year.json: growth 15/7, survey 6 when
  // none): E1 30 + 15 + 10 (12 new) + 0 (2 of 14 repeat) + 5 + 6 + 20 = 86;
  // E6's customer rated good: 10 x 3/4 = 7.5, so 30 + 7 + 4 + 7 + 5 + 7.5 +
  // 18.8 = 79.3.
  CHECK(appraisals(data, "performance_year", "2026") ==
        std::map<std::string, result>{{"E1", {86.0, 1'500'000, 2}},
                                      {"E2", {67.0, 500'000, 3}},
                                      {"E3", {48.0, 0, 4}},
                                      {"E4", {73.0, 500'000, 3}},
                                      {"E5", {71.0, 500'000, 3}},
                                      {"E6", {79.3, 1'500'000, 2}}});

  // Certification of 2026 (schemas/certification/rule.json), opened by HR.
  std::string out;
  REQUIRE(ctl(data, {"cycle", "start", "--program", "certification", "--period", "2026"}, &out) ==
          0);
  // 6 cycles of 2025, 12 monthly, 4 x 2 quarterly, 3 annual: the 30th
  CHECK_THAT(out, Catch::StartsWith("cycle 30: opened 6 cases"));
  auto outcomes = [&] {
    std::map<std::string, std::string> o;
    for (const auto& [e, c] : cases_of(data, "certification", "2026"))
      o[e] =
          show(data, c["id"])["outcome"].get<std::string>() + " " + c["state"].get<std::string>();
    return o;
  };
  CHECK(outcomes() == std::map<std::string, std::string>{
                          {"E1", "recommended_for_promotion hr_review"},  // no item below 5, 86
                          {"E2", "certified hr_review"},                  // 3 items below 5, 67
                          {"E3", "provisional hr_review"},                // 4 items below 5, 48
                          {"E4", "provisional hr_review"},  // execution 2, below the floor of 3
                          {"E5", "certified hr_review"},    // 71 is short of promotion's 85
                          {"E6", "certified hr_review"}});
  REQUIRE(ctl(data, {"approve", "--state", "hr_review", "--as", "hr:H1"}) == 0);
  auto certification = cases_of(data, "certification", "2026");
  CHECK(certification["E3"]["state"] == "re_exam");
  CHECK(certification["E4"]["state"] == "re_exam");
  // E3's learning plan: four gaps of 1 at level 2 (grade 3).
  REQUIRE(ctl(data, {"--json", "plan", "show", "E3"}, &out) == 0);
  json plan = json::parse(out);
  std::set<std::string> planned_items;
  for (const auto& a : plan["activities"]) {
    planned_items.insert(a["item"].get<std::string>());
    CHECK(a["gap"] == 1.0);
    CHECK(a["level"] == 2);
  }
  CHECK(planned_items ==
        std::set<std::string>{"communication", "coordination", "execution", "resilience"});
  // The re-exams: exactly the pass mark of 60 for E3, 59 for E4.
  auto re_exam = [&](const std::string& e, const std::string& sup, int score) {
    std::string file =
        write_file(root, "re_exam_" + e + ".json", json{{"exams", {{"re_exam", score}}}}.dump());
    return ctl(
        data,
        {"submit", certification[e]["id"].dump(), "--as", "supervisor:" + sup, "--ratings", file},
        &out);
  };
  REQUIRE(re_exam("E3", "S1", 60) == 0);
  REQUIRE(re_exam("E4", "S2", 59) == 0);
  CHECK(outcomes() == std::map<std::string, std::string>{
                          {"E1", "recommended_for_promotion final"},
                          {"E2", "certified final"},
                          {"E3", "certified hr_review"},
                          {"E4", "eliminated hr_review"},  // grade 4 and failed the re-exam
                          {"E5", "certified final"},
                          {"E6", "certified final"}});
  REQUIRE(ctl(data, {"approve", "--state", "hr_review", "--as", "hr:H1"}) == 0);
  REQUIRE(ctl(data, {"cases", "--program", "certification"}, &out) == 0);
  CHECK_THAT(out, Catch::Contains(" E4       华北事业部") &&
                      Catch::Contains("final              eliminated\n"));

  // The inventory of 2026 against 2025 (the competency model's items).
  REQUIRE(ctl(data, {"inventory", "--period", "2026", "--format", "json"}, &out) == 0);
  json inv = json::parse(out);
  CHECK(inv["previous_period"] == "2025");
  CHECK(inv["grades_known_from"] == "2025-12-29");
  std::map<std::string, json> people, units;
  for (const auto& p : inv["people"]) people[p["employee_id"]] = p;
  for (const auto& u : inv["units"]) units[u["unit"]] = u;
  REQUIRE(people.size() == 6);
  auto item = [](const json& rows, const std::string& key) {
    for (const auto& r : rows)
      if (r["item"] == key) return r;
    return json();
  };
  json e1_exec = item(people["E1"]["items"], "execution");
  CHECK(e1_exec == json{{"item", "execution"},
                        {"score", 5.0},
                        {"previous_score", 4.0},
                        {"gap", 0.0},
                        {"previous_gap", 1.0},
                        {"change", 1.0}});
  CHECK(item(people["E1"]["items"], "professional_knowledge")["change"] == 1.0);  // 85 -> 95
  CHECK(item(people["E4"]["items"], "execution")["change"] == -2.0);
  CHECK(item(people["E5"]["items"], "execution")["previous_score"].is_null());  // joined in 2026
  CHECK(item(people["E5"]["items"], "execution")["change"].is_null());
  CHECK(people["E3"]["certification"]["outcome"] == "certified");
  CHECK(people["E4"]["certification"]["outcome"] == "eliminated");
  CHECK(people["E5"]["grade_movement"] == json::array({"first"}));
  CHECK(people["E6"]["grade_movement"] == json::array({"promoted"}));
  CHECK(people["E6"]["grade"] == 2);
  json east = units["华东事业部"], north = units["华北事业部"];
  CHECK(east["people"] == 3);
  CHECK(item(east["items"], "execution") == json{{"item", "execution"},
                                                 {"mean_score", 4.33},           // (5 + 4 + 4) / 3
                                                 {"previous_mean_score", 4.67},  // (4 + 5 + 5) / 3
                                                 {"mean_gap", 0.67},
                                                 {"previous_mean_gap", 0.33}});
  CHECK(east["certification"] == json{{"certified", 2}, {"recommended_for_promotion", 1}});
  CHECK(east["promoted"] == 0);
  CHECK(item(north["items"], "execution") == json{{"item", "execution"},
                                                  {"mean_score", 4.0},           // (2 + 5 + 5) / 3
                                                  {"previous_mean_score", 4.5},  // E5 had none
                                                  {"mean_gap", 1.0},
                                                  {"previous_mean_gap", 0.5}});
  CHECK(north["certification"] == json{{"certified", 2}, {"eliminated", 1}});
  CHECK(north["promoted"] == 1);
  CHECK(north["demoted"] == 0);

  // Nobody was chased all year: every reminder would have been a failure
  // of the people this test plays, or of the engine's clock.
  for (const auto& e : af::test::year::managers()) {
    std::ifstream in(data + "/notifications/" + e + ".jsonl");
    std::string line;
    int results = 0;
    while (std::getline(in, line)) {
      json n = json::parse(line);
      INFO(e << ": " << line);
      CHECK(n["kind"] != "deadline_reminder");
      results += n["kind"] == "case_final";
    }
    CHECK(results > 0);
  }
  scoring.signal(SIGTERM);
  scoring.wait();
  engine.signal(SIGTERM);
  CHECK(engine.wait() == 0);
}
