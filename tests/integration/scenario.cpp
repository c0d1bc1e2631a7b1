#include "tests/integration/scenario.h"

#include <fstream>
#include <stdexcept>

namespace af::test {

void scenario::generate(int managers, int inquiries) {
  if (run(ASSESS_SAMPLE_BIN, {"--out", sample(), "--managers", std::to_string(managers),
                              "--inquiries-per-quarter", std::to_string(inquiries)}) != 0)
    throw std::runtime_error("assess-sample failed");
}

void scenario::load() {
  if (run(ASSESSCTL_BIN, {"--data", data(), "org", "import", sample() + "/org.csv"}) != 0)
    throw std::runtime_error("org import failed");
  if (run(ASSESS_FEED_BIN, {"--data", data(), "--quiet", sample() + "/events.jsonl"}) != 0)
    throw std::runtime_error("assess-feed failed");
}

long long scenario::open_cycle(const std::string& period) {
  auto r = admin(data(), {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", period}});
  if (!r.value("ok", false)) throw std::runtime_error("cycle.start: " + r.dump());
  return r["cycle"].get<long long>();
}

std::map<std::string, json> scenario::reviews() const {
  std::map<std::string, json> out;
  std::ifstream in(sample() + "/reviews.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto j = json::parse(line);
    out[j["employee_id"].get<std::string>()] = j;
  }
  return out;
}

int scenario::submit_reviews(long long cycle, bool supervisor, int limit) {
  auto all = reviews();
  json requests = json::array();
  auto cases = admin(data(), {{"cmd", "cases"},
                              {"cycle", cycle},
                              {"state", supervisor ? "supervisor_review" : "self_review"}});
  for (const auto& c : cases["cases"]) {
    if (static_cast<int>(requests.size()) >= limit) break;
    std::string e = c["employee_id"].get<std::string>();
    const json& r = all.at(e)[supervisor ? "supervisor" : "self"];
    json req{{"cmd", "submit"}, {"case", c["id"]}, {"ratings", r["ratings"]}};
    req["as"] =
        supervisor ? "supervisor:" + c["supervisor_id"].get<std::string>() : "employee:" + e;
    if (r.contains("exams")) req["exams"] = r["exams"];
    requests.push_back(req);
  }
  int ok = 0;
  json reply = admin(data(), {{"cmd", "batch"}, {"requests", requests}});
  for (const auto& r : reply["results"]) ok += r.value("ok", false);
  return ok;
}

}  // namespace af::test
