// Durable case events (engine/admin_events.cpp): every published event
// carries its seq (its history row's id) and is kept, so case_events.since
// answers what a subscriber missed, page by page; past the retention it
// answers not_found naming the oldest kept; only readers of every case may ask.
#include <catch2/catch.hpp>

#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;

TEST_CASE("case events carry a seq, are kept and are answered after any seq, page by page",
          "[engine][case_events]") {
  fixture f;
  f.import_org();
  std::int64_t cycle = f.start_cycle();
  REQUIRE(cycle > 0);
  std::vector<std::string> published =
      f.last.publications;         // the cycle's case.opened events, as the PUB socket sends them
  REQUIRE(published.size() == 2);  // E1 and E2
  std::int64_t id = f.case_of("E1");
  f.now += 3600;  // an hour later
  f.ok({{"cmd", "submit"}, {"case", id}, {"as", "employee:E1"}, {"ratings", ratings}});
  REQUIRE(f.last.publications.size() == 1);
  published.push_back(f.last.publications.front());

  njson all = f.ok({{"cmd", "case_events.since"}, {"seq", 0}});
  REQUIRE(all["events"].size() == 3);
  for (std::size_t i = 0; i < published.size(); ++i) {
    INFO(i);
    CHECK(all["events"][i] == njson::parse(published[i]));  // what was published, seq first
  }
  const njson& submitted = all["events"][2];
  CHECK(submitted["event"] == "case.transition");
  CHECK(submitted["case"] == id);
  CHECK(submitted["from"] == "self_review");
  CHECK(submitted["to"] == "supervisor_review");
  CHECK(all["next_seq"] == submitted["seq"]);
  std::int64_t seq1 = all["events"][0]["seq"].get<std::int64_t>();
  CHECK(all["events"][1]["seq"].get<std::int64_t>() > seq1);
  CHECK(submitted["seq"].get<std::int64_t>() > all["events"][1]["seq"].get<std::int64_t>());

  njson page = f.ok({{"cmd", "case_events.since"}, {"seq", seq1}, {"limit", 1}});
  REQUIRE(page["events"].size() == 1);
  CHECK(page["events"][0] == all["events"][1]);
  CHECK(page["next_seq"] == all["events"][1]["seq"]);
  njson rest = f.ok({{"cmd", "case_events.since"}, {"seq", page["next_seq"]}});
  REQUIRE(rest["events"].size() == 1);
  CHECK(rest["events"][0] == submitted);
  njson none = f.ok({{"cmd", "case_events.since"}, {"seq", all["next_seq"]}});
  CHECK(none["events"].empty());
  CHECK(none["next_seq"] == all["next_seq"]);
  CHECK(f.refused_with("invalid", {{"cmd", "case_events.since"}}) ==
        "seq: must be the last seq seen (0 for the oldest kept)");
  CHECK(f.refused_with("invalid", {{"cmd", "case_events.since"}, {"seq", 0}, {"limit", 10001}}) ==
        "limit: must be a whole number from 1 to 10000");

  SECTION("past the retention a seq is not_found, naming the oldest kept") {
    f.db.work().begin();
    // Everything opened at the cycle's start is older than this cutoff; the submit is not.
    CHECK(f.db.purge_case_events("2026-10-01T09:30:00+08:00", 10'000) > 0);
    f.db.work().commit();
    std::int64_t oldest = f.db.events_purged_through() + 1;
    CHECK(f.refused_with("not_found", {{"cmd", "case_events.since"}, {"seq", seq1}}) ==
          "seq " + std::to_string(seq1) + " is older than the oldest case event kept (" +
              std::to_string(oldest) + "); events are kept 30 days");
    njson kept = f.ok({{"cmd", "case_events.since"}, {"seq", 0}});
    REQUIRE(kept["events"].size() == 1);
    CHECK(kept["events"][0] == submitted);
    CHECK(f.show(id)["history"].size() == 2);  // the history itself stays
  }
  SECTION("only readers of every case may ask") {
    f.as_person("E1");
    CHECK(f.refused_with("forbidden", {{"cmd", "case_events.since"}, {"seq", 0}}) ==
          "principal p-E1 (person E1) may not send case_events.since (needs the hr, chairman or "
          "admin role, or an "
          "observer, portal or admin principal)");
    f.as_service("watcher", {af::engine::capability::observer});
    CHECK(f.ok({{"cmd", "case_events.since"}, {"seq", 0}})["events"].size() == 3);
  }
}
