// A quarterly appraisal through the real engine and scoring worker and
// assessctl's commands, on the sample organisation and its year of sales
// events: self-appraisal, a customer's survey and a colleague named and
// rating, the supervisor's rating, HR's approval, the interview, an appeal
// resolved by changing the ratings (scored again), and another case
// acknowledged. The indicators the worker computed are checked against the
// engine's own sales figures for the quarter.
#include <catch2/catch.hpp>
#include <fstream>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

std::string ratings_file(const scenario& s, const std::string& name, const json& ratings) {
  std::string path = s.root.path() + "/" + name + ".json";
  std::ofstream(path) << json{{"ratings", ratings}}.dump();
  return path;
}

// assessctl with the data directory; its exit code, output in `out`.
int ctl(const scenario& s, std::vector<std::string> args, std::string* out = nullptr,
        bool want_stderr = false) {
  args.insert(args.begin(), {"--data", s.data()});
  if (out) out->clear();
  return run(ASSESSCTL_BIN, args, out, want_stderr);
}

std::string state_of(const scenario& s, long long id) {
  return admin(s.data(), {{"cmd", "case.show"}, {"case", id}})["state"].get<std::string>();
}

}  // namespace

TEST_CASE("a quarterly appraisal runs through assessctl: raters, interview, appeal, change",
          "[integration][appraisal]") {
  scenario s;
  s.generate(8, 10);
  auto engine = start_engine(s.root.path(),
                             {"--clock-start", "2026-10-02T09:00:00+08:00", "--clock-rate", "1"});
  auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
  s.load();
  std::string out;
  REQUIRE(ctl(s, {"cycle", "start", "--program", "performance_quarter", "--period", "2026-Q3"},
              &out) == 0);
  const json cases = admin(s.data(), {{"cmd", "cases"}, {"program", "performance_quarter"}});
  REQUIRE(cases["cases"].size() == 20);
  const json& first = cases["cases"][0];
  const json& second = cases["cases"][1];
  long long id = first["id"].get<long long>(), other = second["id"].get<long long>();
  std::string e = first["employee_id"], sup = first["supervisor_id"];
  std::string peer = second["employee_id"];
  const json mine = {{"teamwork", 5}, {"learning", 5}, {"professional_ability", 5}};
  REQUIRE(ctl(s, {"submit", std::to_string(id), "--as", "employee:" + e, "--ratings",
                  ratings_file(s, "self", mine)}) == 0);
  REQUIRE(ctl(s, {"raters", "add", std::to_string(id), "--as", "supervisor:" + sup, "--customer",
                  "K-17=Wang, Jinling Hotel", "--peer", peer}) == 0);
  REQUIRE(ctl(s, {"rate", std::to_string(id), "--as", "rater:K-17", "--ratings",
                  ratings_file(s, "survey", {{"customer_satisfaction", 4}})}) == 0);
  CHECK(ctl(s,
            {"rate", std::to_string(id), "--as", "rater:" + peer, "--ratings",
             ratings_file(s, "wrong", {{"customer_satisfaction", 4}})},
            &out, true) == 1);
  CHECK(out == "assessctl: ratings.customer_satisfaction: not rated by a peer\n");
  REQUIRE(ctl(s, {"rate", std::to_string(id), "--as", "rater:" + peer, "--ratings",
                  ratings_file(s, "peer",
                               {{"teamwork", 2}, {"learning", 3}, {"professional_ability", 4}})}) ==
          0);
  const json main_rating = {{"teamwork", 4}, {"learning", 3}, {"professional_ability", 5}};
  for (long long c : {id, other}) {
    std::string employee = c == id ? e : peer;
    if (c == other)
      REQUIRE(ctl(s, {"submit", std::to_string(c), "--as", "employee:" + employee, "--ratings",
                      ratings_file(s, "self2", mine)}) == 0);
    std::string supervisor = c == id ? sup : second["supervisor_id"].get<std::string>();
    REQUIRE(ctl(s, {"submit", std::to_string(c), "--as", "supervisor:" + supervisor, "--ratings",
                    ratings_file(s, "main", main_rating)}) == 0);
  }
  REQUIRE(eventually(
      [&] { return state_of(s, id) == "hr_review" && state_of(s, other) == "hr_review"; }));

  // The indicators came from the quarter's events: the same net sales the engine reports.
  json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", id}});
  json sales = admin(s.data(), {{"cmd", "sales"}, {"manager_id", e}, {"period", "2026-Q3"}});
  CHECK(shown["indicators"]["net_sales_fen"] == sales["net_fen"]);
  CHECK(shown["items"]["customer_satisfaction"] == 15.0);  // 4 of 4
  CHECK(shown["items"]["teamwork"] == 5.44);               // (0.7 x 4 + 0.3 x 2) / 5 x 8
  CHECK(shown["items"]["professional_ability"] == 5.64);
  CHECK(shown["self_minus_supervisor"]["learning"] == 2);
  CHECK(shown["bonus_fen"].is_number_integer());

  for (long long c : {id, other}) {
    std::string supervisor = c == id ? sup : second["supervisor_id"].get<std::string>();
    REQUIRE(ctl(s, {"approve", std::to_string(c), "--as", "hr:H0001"}) == 0);
    REQUIRE(ctl(s,
                {"interview", std::to_string(c), "--as", "supervisor:" + supervisor, "--notes",
                 "went through the quarter"},
                &out) == 0);
    CHECK(out ==
          "case " + std::to_string(c) + ": now feedback (tier " + shown["tier"].dump() + ")\n");
  }
  REQUIRE(ctl(s, {"acknowledge", std::to_string(other), "--as", "employee:" + peer}) == 0);
  CHECK(state_of(s, other) == "final");

  REQUIRE(ctl(s, {"appeal", std::to_string(id), "--as", "employee:" + e, "--reason",
                  "I ran the trainings"}) == 0);
  CHECK(ctl(s, {"resolve", std::to_string(id), "--as", "hr:H0001", "--reason", "x"}, &out, true) ==
        1);
  CHECK(out == "assessctl: give --uphold or --change RATINGS_FILE\n");
  CHECK(
      ctl(s,
          {"resolve", std::to_string(id), "--as", "supervisor:" + sup, "--uphold", "--reason", "x"},
          &out, true) == 3);  // a refusal of rights exits 3
  CHECK(out == "assessctl: supervisor may not uphold a case in appeal (only hr)\n");
  const json changed = {{"teamwork", 5}, {"learning", 4}, {"professional_ability", 5}};
  REQUIRE(ctl(s, {"resolve", std::to_string(id), "--as", "hr:H0001", "--change",
                  ratings_file(s, "changed", changed), "--reason", "training records"}) == 0);
  REQUIRE(eventually([&] { return state_of(s, id) == "final"; }));
  shown = admin(s.data(), {{"cmd", "case.show"}, {"case", id}});
  CHECK(shown["items"]["teamwork"] == 6.56);  // (0.7 x 5 + 0.3 x 2) / 5 x 8
  CHECK(shown["items"]["learning"] == 4.44);
  std::vector<std::string> actions;
  for (const auto& h : shown["history"]) actions.push_back(h["action"].get<std::string>());
  CHECK(actions == std::vector<std::string>{"open", "submit", "raters", "rate", "rate", "submit",
                                            "scored", "approve", "interview", "appeal", "change",
                                            "scored"});
  std::string text;
  REQUIRE(ctl(s, {"case", "show", std::to_string(id)}, &text) == 0);
  CHECK_THAT(text, Catch::Contains("  bonus "));
  CHECK_THAT(text, Catch::Contains("indicators: sales "));
  CHECK_THAT(text, Catch::Contains("training records (the supervisor's ratings were "));
}
