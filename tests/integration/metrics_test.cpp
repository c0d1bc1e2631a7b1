// The engine's GET /metrics (--metrics) through a real engine, workers and
// the sample feed: exact figures against what was done and against the
// admin API's stats, the case census surviving a restart, and promtool's
// lint of the exposition.
#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <regex>

#include "tests/integration/scenario.h"
#include "tools/common/http_client.h"

using namespace af::test;

namespace {

// The engine's metrics port from its log line "metrics: http://127.0.0.1:PORT/metrics".
int metrics_port(const scenario& s) {
  std::regex line(R"(metrics: http://127\.0\.0\.1:(\d+)/metrics)");
  std::smatch m;
  std::string log = read_text(s.root.path() + "/engine.log");
  REQUIRE(std::regex_search(log, m, line));
  return std::stoi(m[1]);
}

// The value of one sample line "NAME{LABELS} VALUE" of the exposition; -1 when absent.
double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

std::string scrape(int port) {
  auto r = af::tools::http_call(port, "GET", "/metrics");
  REQUIRE(r.status == 200);
  return r.body;
}

long lines_with(const std::string& file, const std::string& needle) {
  std::ifstream in(file);
  long n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("engine metrics: events, cases, admin requests and workers counted exactly",
          "[integration][metrics]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path(), {"--metrics", "127.0.0.1:0", "--sync", "full"});
  auto scoring = start_worker(ASSESS_SCORING_BIN, s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(s.submit_reviews(cycle, false, 5) == 5);
  CHECK(admin(s.data(), {{"cmd", "case.show"}, {"case", 999999}})["code"] == "not_found");
  int port = metrics_port(s);

  std::string text;
  REQUIRE(eventually([&] {  // refreshed once a second
    text = scrape(port);
    return sample(text, R"(assess_cases{program="competency50",state="supervisor_review"})") == 5 &&
           sample(text, R"(assess_workers_connected{kind="scoring"})") == 1;
  }));
  INFO(text);
  CHECK(sample(text, R"(assess_cases{program="competency50",state="self_review"})") == 15);
  std::string events = s.sample() + "/events.jsonl";
  CHECK(sample(text, R"(assess_events_total{outcome="accepted",type="sale"})") ==
        lines_with(events, R"("type":"sale")"));
  CHECK(sample(text, R"(assess_events_total{outcome="accepted",type="refund"})") ==
        lines_with(events, R"("type":"refund")"));
  CHECK(sample(text, R"(assess_events_total{outcome="accepted",type="inquiry"})") ==
        lines_with(events, R"("type":"inquiry")"));
  json stats = admin(s.data(), {{"cmd", "stats"}});
  CHECK(sample(text, "assess_ingest_messages_total") == stats["ingest"]["messages"].get<double>());
  CHECK(sample(text, R"(assess_admin_requests_total{command="case.show",outcome="not_found"})") ==
        1);
  CHECK(sample(text, R"(assess_admin_requests_total{command="cycle.start",outcome="ok"})") == 1);
  CHECK(sample(text, R"(assess_workers_connected{kind="notify"})") == 0);
  CHECK(sample(text, "assess_group_commit_messages_count") > 0);
  CHECK(sample(text, "assess_wal_sync_duration_seconds_count") > 0);
  CHECK(sample(text, R"(assess_dead_tasks{kind="scoring"})") == 0);

  // A duplicate and a rejected event, by type.
  std::string extra = s.root.path() + "/two.jsonl";
  {
    std::ofstream(extra)
        << read_text(events).substr(0, read_text(events).find('\n') + 1)
        << R"({"type":"complaint","event_id":"x1","manager_id":"NOBODY","occurred_at":"2026-07-01T10:00:00+08:00","customer_id":"K"})"
        << "\n";
  }
  std::string out;
  run(ASSESS_FEED_BIN, {"--data", s.data(), "--quiet", extra}, &out, true);
  std::string first_type =
      json::parse(read_text(events).substr(0, read_text(events).find('\n')))["type"];
  REQUIRE(eventually([&] {
    text = scrape(port);
    return sample(text, R"(assess_events_total{outcome="rejected",type="complaint"})") == 1;
  }));
  CHECK(sample(text, "assess_events_total{outcome=\"duplicate\",type=\"" + first_type + "\"}") ==
        1);

  // promtool lints the exposition.
  std::string file = s.root.path() + "/metrics.txt";
  { std::ofstream(file) << text; }
  out.clear();
  int rc = run("/bin/sh", {"-c", "/usr/bin/promtool check metrics < " + file}, &out, true);
  INFO(out);
  CHECK(rc == 0);
  CHECK(out == "");

  // After a restart the census is counted again from the store.
  engine.signal(SIGTERM);
  REQUIRE(engine.wait() == 0);
  auto again = start_engine(s.root.path(), {"--metrics", "127.0.0.1:0"});
  int port2 = 0;
  REQUIRE(eventually([&] {
    std::regex line(R"(metrics: http://127\.0\.0\.1:(\d+)/metrics)");
    std::string log = read_text(s.root.path() + "/engine.log");
    std::smatch m;
    std::string::const_iterator from = log.begin();
    while (std::regex_search(from, log.cend(), m, line)) {
      port2 = std::stoi(m[1]);
      from = m.suffix().first;
    }
    return port2 != 0 && port2 != port;
  }));
  text = scrape(port2);
  CHECK(sample(text, R"(assess_cases{program="competency50",state="self_review"})") == 15);
  CHECK(sample(text, R"(assess_cases{program="competency50",state="supervisor_review"})") == 5);
}

TEST_CASE("engine metrics: an address in use is a clear error at start", "[integration][metrics]") {
  scenario s;
  s.generate(8, 100);
  auto first = start_engine(s.root.path(), {"--metrics", "127.0.0.1:0"});
  int port = metrics_port(s);
  scenario other;
  other.generate(8, 100);
  std::string out;
  int rc = run(ASSESS_ENGINE_BIN,
               {"--data", other.data(), "--schedule", "off", "--metrics",
                "127.0.0.1:" + std::to_string(port)},
               &out, true);
  CHECK(rc != 0);
  CHECK(out.find("--metrics 127.0.0.1:" + std::to_string(port) + ": cannot listen there") !=
        std::string::npos);
}
