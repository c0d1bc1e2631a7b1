// assessctl events --follow against the real engine: every case event is
// printed once and in seq order, across an engine restart in the middle
// (the subscription drops, case_events.since fills the gap).
#include <catch2/catch.hpp>
#include <csignal>
#include <sstream>
#include <thread>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

std::vector<long long> seqs_in(const std::string& text) {
  std::vector<long long> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line, nullptr, false);
    if (!j.is_discarded() && j.contains("seq")) out.push_back(j["seq"].get<long long>());
  }
  return out;
}

std::vector<long long> kept_seqs(const std::string& data) {
  std::vector<long long> out;
  long long last = 0;
  while (true) {
    json page = admin(data, {{"cmd", "case_events.since"}, {"seq", last}, {"limit", 10000}});
    REQUIRE(page["ok"] == true);
    if (page["events"].empty()) return out;
    for (const auto& e : page["events"]) out.push_back(e["seq"].get<long long>());
    last = page["next_seq"].get<long long>();
  }
}

}  // namespace

TEST_CASE("events --follow prints every case event once, in order, across an engine restart",
          "[integration][events]") {
  scenario s;
  s.generate(8, 20);  // 20 cases
  auto engine = start_engine(s.root.path());
  s.load();
  std::string out_file = s.root.path() + "/followed.jsonl";
  af::tools::process follower(ASSESSCTL_BIN, {"--data", s.data(), "--json", "events", "--follow"},
                              s.root.path() + "/follower.log", out_file);
  long long cycle = s.open_cycle();  // 20 case.opened
  REQUIRE(s.submit_reviews(cycle, false, 10) == 10);
  engine.signal(SIGTERM);
  REQUIRE(engine.wait() == 0);
  auto again = start_engine(s.root.path());
  REQUIRE(s.submit_reviews(cycle, false) == 10);  // the rest, after the restart
  auto kept = kept_seqs(s.data());
  REQUIRE(kept.size() == 40);
  REQUIRE(eventually([&] { return seqs_in(read_text(out_file)).size() >= kept.size(); },
                     std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // nothing more may come
  follower.signal(SIGTERM);
  CHECK(follower.wait() == 0);
  CHECK(seqs_in(read_text(out_file)) == kept);
}
