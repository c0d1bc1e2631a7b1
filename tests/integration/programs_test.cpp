// The competency model and the key account review run as cycles through
// the real engine and scoring worker, from opening to final, with the
// sample organisation: definitions and rubrics as data, raters named and
// rating through assessctl, results checked against DOMAIN.md by hand.
#include <catch2/catch.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

const std::vector<std::string> model_rated = {
    "achievement_orientation", "resilience",           "communication",
    "written_expression",      "interpersonal",        "execution",
    "emotional_control",       "coordination",         "information_gathering",
    "needs_analysis",          "customized_strategy",  "proactive_marketing",
    "customer_retention",      "customer_relationship"};

const std::vector<std::string> kam_items = {"relationship_quality",
                                            "customer_needs_initiative",
                                            "influence",
                                            "customer_understanding",
                                            "products_and_services",
                                            "industry_solutions",
                                            "organisation_and_processes",
                                            "customer_dialogue",
                                            "oral_presentation",
                                            "written_material",
                                            "account_plan_quality",
                                            "finding_issues",
                                            "gathering_information",
                                            "structuring_and_concluding",
                                            "analytical_skill",
                                            "business_sense",
                                            "managing_own_work",
                                            "team_leadership",
                                            "cross_department_cooperation"};

json all_at(const std::vector<std::string>& items, int v) {
  json r = json::object();
  for (const auto& k : items) r[k] = v;
  return r;
}

void finish(const scenario& s, long long cycle, int cases) {
  REQUIRE(eventually([&] { return states_of(s.data(), cycle)["hrbp_review"] == cases; }));
  json requests = json::array();
  for (const char* b : {"hrbp:B4001", "hrbp:B4002", "hrbp:B4003", "hrbp:H0001"})
    requests.push_back({{"cmd", "approve"}, {"as", b}, {"cycle", cycle}, {"state", "hrbp_review"}});
  requests.push_back(
      {{"cmd", "approve"}, {"as", "hr:H0001"}, {"cycle", cycle}, {"state", "hr_review"}});
  admin(s.data(), {{"cmd", "batch"}, {"requests", requests}});
  CHECK(states_of(s.data(), cycle) == std::map<std::string, int>{{"final", cases}});
}

std::map<std::string, int> grades(const scenario& s) {
  std::map<std::string, int> out;
  std::ifstream in(s.sample() + "/org.csv");
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::string field;
    for (char ch : line + ",") {
      if (ch == ',') {
        f.push_back(field);
        field.clear();
      } else {
        field += ch;
      }
    }
    out[f[0]] = std::stoi(f[3]);
  }
  return out;
}

// ">communication and listening (L)" as the level chart labels it.
std::string fmt_level(double level) {
  char text[64];
  std::snprintf(text, sizeof text, ">communication and listening (%.1f)", level);
  return text;
}

}  // namespace

TEST_CASE("a competency_model cycle and a kam_review cycle run to final through the engine",
          "[integration][programs]") {
  scenario s;
  s.generate(8, 10);  // 20 cases per cycle
  auto engine = start_engine(s.root.path(),
                             {"--clock-start", "2027-01-04T09:00:00+08:00", "--clock-rate", "1"});
  auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "org", "import", s.sample() + "/org.csv"}) == 0);
  const auto grade_of = grades(s);
  {  // Every employee's first grade is on record from the import on.
    std::string moves;
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "grades", "--period", "2027"}, &moves) == 0);
    CHECK_THAT(moves, Catch::StartsWith("grade changes in 2027 (recorded since 2027-01-04; "
                                        "earlier ones are unknown)\n"));
    CHECK_THAT(moves, Catch::EndsWith("promoted 0, demoted 0, first grades " +
                                      std::to_string(grade_of.size()) + "\n"));
  }

  SECTION("competency_model") {
    // The standard table, adjusted once this business year through assessctl.
    std::string changes = s.root.path() + "/changes.json";
    std::ofstream(changes) << R"([{"item": "execution", "grade": 3, "proposals": [
        {"by": "S2001", "level": 2}, {"by": "S2002", "level": 3}, {"by": "D3001", "level": 3}]}])";
    std::string out;
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "standards", "adjust", "--as", "hr:H0001", "--input", changes},
                &out) == 0);
    CHECK_THAT(out, Catch::Contains("execution                  grade 3  mean 2.67  level 2 -> 3"));
    CHECK(run(ASSESSCTL_BIN,
              {"--data", s.data(), "standards", "adjust", "--as", "hr:H0001", "--input", changes},
              &out, true) == 1);
    std::string table;
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "standards"}, &table) == 0);
    CHECK_THAT(table,
               Catch::Contains("  execution                        1       3       3       4\n"));
    CHECK_THAT(table, Catch::Contains("execution                  grade 3: 2 -> 3 (mean 2.67 of "
                                      "S2001=2, S2002=3, D3001=3) by hr:H0001"));
    auto cycle = admin(
        s.data(), {{"cmd", "cycle.start"}, {"program", "competency_model"}, {"period", "2026"}});
    REQUIRE(cycle["ok"] == true);
    REQUIRE(cycle["opened"] == 20);
    long long id = cycle["cycle"].get<long long>();
    const json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", id}});
    json requests = json::array();
    for (const auto& c : cases["cases"])
      requests.push_back({{"cmd", "submit"},
                          {"case", c["id"]},
                          {"as", "employee:" + c["employee_id"].get<std::string>()},
                          {"ratings", all_at(model_rated, 5)}});
    for (const auto& c : cases["cases"]) {
      json ratings = all_at(model_rated, 3);
      ratings["execution"] = 6;
      requests.push_back({{"cmd", "submit"},
                          {"case", c["id"]},
                          {"as", "supervisor:" + c["supervisor_id"].get<std::string>()},
                          {"ratings", ratings},
                          {"exams",
                           {{"general_knowledge", {{"parts", {{40, 1}, {41, 1}, {41, 1}}}}},
                            {"professional_knowledge", {{"parts", {{90, 0.5}, {92, 0.5}}}}},
                            {"position_knowledge", 60.5},
                            {"position_skills", 81}}}});
    }
    json reply = admin(s.data(), {{"cmd", "batch"}, {"requests", requests}});
    for (const auto& r : reply["results"]) CHECK(r["ok"] == true);
    finish(s, id, 20);
    for (const auto& c : cases["cases"]) {
      json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", c["id"]}});
      std::string e = c["employee_id"].get<std::string>();
      INFO(e << " grade " << grade_of.at(e));
      int required = 5 - grade_of.at(e);  // grade 4 -> 1 ... grade 1 -> 4
      if (grade_of.at(e) == 3)
        CHECK(shown["required_level"]["execution"] == 3);  // the adjusted table
      else
        CHECK(shown["required_level"]["execution"] == required);
      CHECK(shown["required_level"]["communication"] == required);
      CHECK(shown["items"]["general_knowledge"] == 1.0);       // 40.67
      CHECK(shown["items"]["professional_knowledge"] == 6.0);  // 91
      CHECK(shown["items"]["position_knowledge"] == 2.0);      // 60.5
      CHECK(shown["items"]["position_skills"] == 5.0);         // 81
      CHECK(shown["gap"]["communication"] == 2.0);
      CHECK(shown["gap"]["execution"] == 0.0);
      CHECK(shown["gap"]["general_knowledge"] == 4.0);
      CHECK(shown["self_minus_supervisor"]["communication"] == 2);
      CHECK(shown["total"] == 13 * 3 + 6 + 1 + 6 + 2 + 5);
      CHECK(shown["tier"].is_null());
    }
    // case show highlights self - supervisor differences of 2 or more (self 5, supervisor 3 or 6).
    std::string shown_text;
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "case", "show",
                 std::to_string(cases["cases"][0]["id"].get<long long>())},
                &shown_text) == 0);
    CHECK_THAT(shown_text, Catch::Contains("communication                     3.00      5          "
                                           " 3     +2         3   2.00  <-- differs by 2+"));
    CHECK_THAT(shown_text,
               Catch::Contains("execution                         6.00      5           6     -1"));
    // The cycle report in its three formats.
    std::string csv, text, js;
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "report", "--cycle", std::to_string(id), "--format", "csv"},
                &csv) == 0);
    CHECK_THAT(csv,
               Catch::StartsWith("section,group,key,value\ncycle,competency_model,period,2026\n"));
    CHECK_THAT(csv, Catch::Contains("item,communication,mean_gap,2.00\n"));
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "report", "--cycle", std::to_string(id)},
                &text) == 0);
    CHECK_THAT(text, Catch::Contains("20 cases, 20 final"));
    CHECK_THAT(text, Catch::Contains("general_knowledge                1.00  gap 4.00"));
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "report", "--cycle", std::to_string(id), "--format", "json"},
                &js) == 0);
    CHECK(json::parse(js)["final"] == 20);
    // A case's radar chart, drawn from the engine's case and rendered by librsvg.
    std::string svg = s.root.path() + "/case.svg", drawn;
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "chart",
                 std::to_string(cases["cases"][0]["id"].get<long long>()), "--out", svg}) == 0);
    std::ifstream svg_in(svg);
    drawn.assign(std::istreambuf_iterator<char>(svg_in), std::istreambuf_iterator<char>());
    CHECK_THAT(drawn, Catch::Contains("<title>competency_model 2026 - " +
                                      cases["cases"][0]["employee_id"].get<std::string>()));
    CHECK_THAT(drawn, Catch::Contains("<circle class=\"standard\""));
    REQUIRE(run("/usr/bin/rsvg-convert", {svg, "-o", s.root.path() + "/case.png"}) == 0);
    // The same case in proficiency levels, against the table as scored and as it is now.
    std::string first = std::to_string(cases["cases"][0]["id"].get<long long>());
    std::string levels_svg = s.root.path() + "/levels.svg";
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "chart", first, "--levels", "--out", levels_svg}) == 0);
    std::ifstream levels_in(levels_svg);
    std::string levels((std::istreambuf_iterator<char>(levels_in)),
                       std::istreambuf_iterator<char>());
    const std::string& e0 = cases["cases"][0]["employee_id"].get_ref<const std::string&>();
    CHECK_THAT(levels, Catch::Contains("grade " + std::to_string(grade_of.at(e0)) +
                                       ": proficiency levels 1..4"));
    CHECK_THAT(levels, Catch::Contains(">standard when scored</text>"));
    CHECK_THAT(levels, Catch::Contains(">standard now</text>"));
    // communication scored 3 against its required level: 3/5 of it.
    CHECK_THAT(levels, Catch::Contains(fmt_level(3.0 * (5 - grade_of.at(e0)) / 5)));
    REQUIRE(run("/usr/bin/rsvg-convert", {levels_svg, "-o", s.root.path() + "/levels.png"}) == 0);
    std::string refused;
    CHECK(run(ASSESSCTL_BIN,
              {"--data", s.data(), "chart", "--input", changes, "--levels", "--out", levels_svg},
              &refused, true) == 1);
    CHECK_THAT(refused, Catch::Contains("--levels draws a case of the engine against its standard "
                                        "table: give a CASE id"));
    // The learning plan from the gaps: general_knowledge (gap 4) first, then
    // position_knowledge (3), then the rated items at 3 (2 each); the level
    // the grade requires and the one below.
    int required = 5 - grade_of.at(e0);
    std::string plan;
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "plan", "show", e0}, &plan) == 0);
    std::string first_activity =
        required > 1 ? "GEN-" + std::to_string(required - 1) : "GEN-" + std::to_string(required);
    CHECK_THAT(plan, Catch::Contains("competency result 2026"));
    CHECK_THAT(plan, Catch::Contains("  " + first_activity + " "));
    CHECK_THAT(plan, Catch::EndsWith(" done\n"));
    CHECK_THAT(plan, Catch::Contains("\n0 of "));
    std::string supervisor = cases["cases"][0]["supervisor_id"].get<std::string>();
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "plan", "done", e0, first_activity, "--as",
                 "supervisor:" + supervisor},
                &plan) == 0);
    CHECK_THAT(plan, Catch::Contains(" by supervisor:" + supervisor));
    CHECK_THAT(plan, Catch::Contains("\n1 of "));
    CHECK(run(ASSESSCTL_BIN,
              {"--data", s.data(), "plan", "done", e0, "NOPE-1", "--as", "employee:" + e0},
              &refused, true) == 1);
    CHECK_THAT(refused,
               Catch::EndsWith("assessctl: activity: \"NOPE-1\" is not in " + e0 + "'s plan\n"));
    // The inventory as CSV for Excel: a byte-order mark, the header, a row
    // per person and item, the unit's name (Chinese) intact.
    std::string inventory;
    REQUIRE(run(ASSESSCTL_BIN,
                {"--data", s.data(), "inventory", "--period", "2026", "--format", "csv"},
                &inventory) == 0);
    CHECK_THAT(inventory, Catch::StartsWith("\xEF\xBB\xBFperiod,unit,employee_id,name,grade,item,"
                                            "score,previous_score,change,gap,previous_gap,"
                                            "certification,grade_movement\r\n"));
    std::string unit = cases["cases"][0]["unit"].get<std::string>();
    CHECK_THAT(inventory, Catch::Contains("2026," + unit + "," + e0 + ","));
    CHECK_THAT(inventory, Catch::Contains(",communication,3.00,,,2.00,,,"));
    CHECK_THAT(inventory, Catch::Contains("2026," + unit + ",(unit),,,communication,3.00,,,2.00,"));
    std::string inventory_text;
    REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "inventory", "--period", "2026"},
                &inventory_text) == 0);
    CHECK_THAT(inventory_text,
               Catch::StartsWith("inventory 2026 against 2025 (competency_model)\n"));
  }

  SECTION("kam_review") {
    auto cycle =
        admin(s.data(), {{"cmd", "cycle.start"}, {"program", "kam_review"}, {"period", "2026"}});
    REQUIRE(cycle["ok"] == true);
    long long id = cycle["cycle"].get<long long>();
    const json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", id}});
    REQUIRE(cases["cases"].size() == 20);
    std::string peer_file = s.root.path() + "/peer.json",
                customer_file = s.root.path() + "/customer.json";
    json peer = all_at(kam_items, 4), customer = all_at(kam_items, 2);
    std::ofstream(peer_file) << json{{"ratings", peer}}.dump();
    std::ofstream(customer_file) << json{{"ratings", customer}}.dump();
    json closes = json::array();
    for (const auto& c : cases["cases"]) {
      std::string e = c["employee_id"].get<std::string>(),
                  sup = c["supervisor_id"].get<std::string>();
      std::string case_id = std::to_string(c["id"].get<long long>());
      std::string peer_id = e == "E1001" ? "E1002" : "E1001";
      if (peer_id == sup) peer_id = "E1003";
      std::string customer_id = "K-" + e;
      REQUIRE(run(ASSESSCTL_BIN,
                  {"--data", s.data(), "raters", "add", case_id, "--as", "supervisor:" + sup,
                   "--peer", peer_id, "--customer", customer_id + "=Representative of " + e}) == 0);
      REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "rate", case_id, "--as", "rater:" + peer_id,
                                  "--ratings", peer_file}) == 0);
      REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "rate", case_id, "--as",
                                  "rater:" + customer_id, "--ratings", customer_file}) == 0);
      closes.push_back({{"cmd", "submit"},
                        {"case", c["id"]},
                        {"as", "supervisor:" + sup},
                        {"ratings", all_at(kam_items, 3)}});
    }
    std::string err;
    CHECK(run(ASSESSCTL_BIN,
              {"--data", s.data(), "rate", std::to_string(cases["cases"][0]["id"].get<long long>()),
               "--as", "rater:E9999", "--ratings", peer_file},
              &err, true) == 3);  // forbidden
    CHECK(err == "assessctl: E9999 is not a rater of this case\n");
    admin(s.data(), {{"cmd", "batch"}, {"requests", closes}});
    finish(s, id, 20);
    for (const auto& c : cases["cases"]) {
      json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", c["id"]}});
      CHECK(shown["raters"] == 3);
      CHECK(shown["items"]["influence"] == 3.0);  // (4 + 2 + 3) / 3
      CHECK(shown["spread"]["influence"] == 2.0);
      CHECK(shown["areas"]["problem_solving"] == 3.0);
      CHECK(shown["total"] == 3.0);
      CHECK(shown["rater_list"].size() == 3);
    }
  }
  engine.signal(SIGTERM);
  CHECK(engine.wait() == 0);
  scoring.signal(SIGTERM);
  scoring.wait();
}
