// A 50-case competency50 cycle from start to final through real processes:
// engine, scoring and notify workers, assessctl, assess-feed, assess-drive.
// Every case's items, total and tier are checked against the scoring rules
// applied independently to the sample files.
#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/domain/competency50_reference.h"
#include "tests/integration/scenario.h"

using namespace af::test;
namespace fs = std::filesystem;

namespace {

struct expected_inputs {
  std::map<std::string, std::string> joined_on;  // employee -> date
  std::map<std::string, long long> net_2025;     // manager -> fen
  std::map<std::string, std::pair<long long, long long>>
      q3_2026;  // manager -> inquiries, converted
};

// Reads org.csv and events.jsonl without any project code: every event
// carries +08:00, so its local month is the first 7 characters.
expected_inputs read_inputs(const scenario& s) {
  expected_inputs in;
  std::ifstream org(s.sample() + "/org.csv");
  std::string line;
  std::getline(org, line);
  while (std::getline(org, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string field;
    while (std::getline(ss, field, ',')) f.push_back(field);
    in.joined_on[f[0]] = f[6];
  }
  std::ifstream events(s.sample() + "/events.jsonl");
  while (std::getline(events, line)) {
    auto e = json::parse(line);
    std::string month = e["occurred_at"].get<std::string>().substr(0, 7);
    std::string m = e["manager_id"].get<std::string>();
    std::string type = e["type"].get<std::string>();
    if (month.substr(0, 4) == "2025" && type == "sale")
      in.net_2025[m] += e["amount_fen"].get<long long>();
    if (month.substr(0, 4) == "2025" && type == "refund")
      in.net_2025[m] -= e["amount_fen"].get<long long>();
    if (type == "inquiry" && month >= "2026-07" && month <= "2026-09") {
      in.q3_2026[m].first += 1;
      in.q3_2026[m].second += e["converted"].get<bool>() ? 1 : 0;
    }
  }
  return in;
}

}  // namespace

TEST_CASE("a 50-case competency50 cycle runs from start to final", "[integration][cycle]") {
  scenario s;
  s.generate(38, 1200);  // 38 managers + 12 supervisors, directors and HRBPs = 50 cases
  auto engine = start_engine(s.root.path());
  auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
  auto notify = start_worker(ASSESS_NOTIFY_BIN, s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(states_of(s.data(), cycle) == std::map<std::string, int>{{"self_review", 50}});

  REQUIRE(run(ASSESS_DRIVE_BIN,
              {"--data", s.data(), "--cycle", std::to_string(cycle), "--reviews",
               s.sample() + "/reviews.jsonl", "--hr", "H0001", "--no-print", "--quiet"}) == 0);
  CHECK(states_of(s.data(), cycle) == std::map<std::string, int>{{"final", 50}});

  auto inputs = read_inputs(s);
  auto reviews = s.reviews();
  std::set<int> tiers_seen;
  json cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  for (const auto& c : cases["cases"]) {
    auto shown = admin(s.data(), {{"cmd", "case.show"}, {"case", c["id"]}});
    std::string e = shown["employee_id"].get<std::string>();
    INFO("case " << c["id"] << " employee " << e);
    af::reference::competency50::input in;
    in.joined_on = *af::parse_date(inputs.joined_on.at(e));
    in.as_of = *af::parse_date("2026-09-30");
    const json& sup = reviews.at(e)["supervisor"];
    for (const auto& [k, v] : sup["ratings"].items()) in.ratings[k] = v.get<int>();
    in.exam_hundredths["product_knowledge"] = sup["exams"]["product_knowledge"].get<int>() * 100;
    in.sales_last_year_fen = inputs.net_2025[e];
    in.quarter_inquiries = inputs.q3_2026[e].first;
    in.quarter_converted = inputs.q3_2026[e].second;
    auto expected = af::reference::competency50::score_case(in);
    REQUIRE(expected);
    for (const auto& item : expected->items)
      CHECK(std::lround(shown["items"][item.key].get<double>() * 100) == item.points);
    CHECK(std::lround(shown["total"].get<double>() * 100) == expected->total);
    CHECK(shown["tier"].get<int>() == expected->tier);
    tiers_seen.insert(expected->tier);
    CHECK(shown["flags"].size() == expected->flags.size());
    std::vector<std::string> steps;
    for (const auto& h : shown["history"])
      steps.push_back(h["action"].get<std::string>() + ">" + h["to"].get<std::string>());
    CHECK(steps == std::vector<std::string>{"open>self_review", "submit>supervisor_review",
                                            "submit>scoring", "scored>hrbp_review",
                                            "approve>hr_review", "approve>final"});
  }
  CHECK(tiers_seen.size() >= 3);

  // assessctl cases: everything by default (fetched page by page), or one
  // page with --limit, the next with --after.
  std::string out;  // run() appends to it
  REQUIRE(run(ASSESSCTL_BIN,
              {"--data", s.data(), "cases", "--cycle", std::to_string(cycle), "--json"},
              &out) == 0);
  CHECK(json::parse(out).size() == 50);
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "cases", "--limit", "20", "--json"}, &out) == 0);
  json page = json::parse(out);
  REQUIRE(page["cases"].size() == 20);
  CHECK(page["next_after"] == page["cases"][19]["id"]);
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN,
              {"--data", s.data(), "cases", "--limit", "40", "--after", page["next_after"].dump()},
              &out) == 0);
  CHECK(out.find("30 cases\n") != std::string::npos);  // 50 - 20: the last page
  CHECK(out.find("more follow") == std::string::npos);
  out.clear();
  REQUIRE(run(ASSESSCTL_BIN,
              {"--data", s.data(), "cases", "--limit", "10", "--after", page["next_after"].dump()},
              &out) == 0);
  CHECK(out.find("more follow: list them with --after " + page["next_after"].dump()) ==
        std::string::npos);
  CHECK(out.find("more follow: list them with --after ") != std::string::npos);
  CHECK(run(ASSESSCTL_BIN, {"--data", s.data(), "cases", "--limit", "0"}) != 0);

  std::set<std::string> ids;
  int lines = 0;
  for (const auto& f : fs::directory_iterator(s.data() + "/notifications")) {
    std::ifstream in(f.path());
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      ids.insert(json::parse(line)["notification_id"].get<std::string>());
    }
  }
  CHECK(lines == 150);  // employee, supervisor and HRBP of each of 50 cases
  CHECK(ids.size() == 150);

  engine.signal(SIGTERM);
  CHECK(engine.wait() == 0);
}
