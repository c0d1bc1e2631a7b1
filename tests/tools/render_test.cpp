// assessctl's text rendering of admin replies, on fixed replies: exact lines.
#include "tools/assessctl/render.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

using json = nlohmann::json;

TEST_CASE("stats text shows cases, tasks, ingest, durability and workers", "[tools][render]") {
  json stats = {{"ok", true},
                {"cases", {{"final", 48}, {"hr_review", 2}}},
                {"tasks", {{"queued", 0}, {"dead", 1}}},
                {"ingest",
                 {{"messages", 900},
                  {"accepted", 1500},
                  {"duplicate", 3},
                  {"rejected", 2},
                  {"events_stored", 1500},
                  {"commits", 200}}},
                {"durability",
                 {{"wal_syncs", 180},
                  {"mean_sync_ms", 0.4321},
                  {"wal_frames", 1234},
                  {"wal_rewinds", 7},
                  {"wal_rewind_max_ms", 3.25}}},
                {"clock", "2026-11-23T10:00:00+08:00"},
                {"workers", json::array({{{"kind", "notify"},
                                          {"name", "notify-1"},
                                          {"pid", 42},
                                          {"in_flight", 3},
                                          {"capacity", 512},
                                          {"last_seen_ms_ago", 120}}})}};
  CHECK(af::tools::render_stats(stats) ==
        "cases: final=48 hr_review=2\n"
        "tasks: dead=1 queued=0\n"
        "ingest: messages=900 accepted=1500 duplicate=3 rejected=2 stored=1500\n"
        "durability: 200 group commits (4.5 ingest messages each), 180 WAL syncs of 0.432 ms on "
        "average, WAL 1234 pages, "
        "rewound 7 times (longest 3.2 ms)\n"
        "clock: 2026-11-23T10:00:00+08:00\n"
        "workers: 1\n"
        "  notify   notify-1                 pid 42       in flight 3/512  seen 120 ms ago\n");
}

TEST_CASE("a cases page says how to list the next one", "[tools][render]") {
  json page = {{"ok", true},
               {"cases", json::array({{{"id", 7},
                                       {"program", "competency50"},
                                       {"period", "2026-Q3"},
                                       {"employee_id", "E1"},
                                       {"unit", "U1"},
                                       {"state", "final"},
                                       {"tier", 2},
                                       {"adjusted_tier", nullptr}}})},
               {"next_after", 7}};
  std::string text = af::tools::render_cases(page);
  CHECK(text.find("1 cases\nmore follow: list them with --after 7\n") != std::string::npos);
  page.erase("next_after");
  CHECK(af::tools::render_cases(page).find("more follow") == std::string::npos);
}
