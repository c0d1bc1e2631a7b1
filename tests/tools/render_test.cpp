// assessctl's text rendering of admin replies, on fixed replies: exact lines.
#include "tools/assessctl/render.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "workers/domain/rubric.h"

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
                {"notifications",
                 {{"file", {{"sent", 40}, {"retried", 0}, {"failed", 0}, {"deferred", 0}}},
                  {"smtp", {{"sent", 38}, {"retried", 2}, {"failed", 1}, {"deferred", 4}}}}},
                {"warnings", json::array({"2 active people have no email or chat_id"})},
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
        "notifications file: sent=40 retried=0 failed=0 deferred=0\n"
        "notifications smtp: sent=38 retried=2 failed=1 deferred=4\n"
        "clock: 2026-11-23T10:00:00+08:00\n"
        "workers: 1\n"
        "  notify   notify-1                 pid 42       in flight 3/512  seen 120 ms ago\n"
        "warning: 2 active people have no email or chat_id\n");
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

TEST_CASE("a level chart draws a case against the standard table as scored and as it is now",
          "[tools][render][chart]") {
  auto rubrics = af::rubric::load_dir(ASSESSFLOW_SCHEMAS_DIR "/rubrics");
  REQUIRE(rubrics);
  const auto& model = rubrics->at("competency_model");
  json scored = {{"program", "competency_model"}, {"grade", 3}};
  json table = {{"table", json::array()}};
  for (const auto& item : model.items) {
    scored["items"][item.key] = 5.0;
    scored["required_level"][item.key] = 2;  // grade 3: intermediate
    table["table"].push_back(
        {{"item", item.key}, {"levels", {{"4", 1}, {"3", item.key == "execution" ? 3 : 2}}}});
  }
  scored["items"]["execution"] = 6.0;      // exceeded intermediate: 2 x 6 / 5
  scored["items"]["communication"] = 3.0;  // mostly met: 2 x 3 / 5
  auto svg = af::tools::render_level_chart(model, scored, table, "competency_model 2026 - E1");
  REQUIRE(svg);
  CHECK_THAT(*svg, Catch::Contains(">execution (2.4; standard was 2, now 3)</text>"));
  CHECK_THAT(*svg, Catch::Contains(">communication and listening (1.2)</text>"));
  CHECK_THAT(*svg, Catch::Contains(">written expression (2.0)</text>"));
  CHECK_THAT(*svg, Catch::Contains("grade 3: proficiency levels 1..4; estimated level = required "
                                   "level x score / 5"));
  CHECK_THAT(*svg, Catch::Contains(">standard when scored</text>"));
  CHECK_THAT(*svg, Catch::Contains(">standard now</text>"));
  CHECK_THAT(*svg, Catch::Contains(">estimated level</text>"));
  // Two outlines, the first dashed; no standard circle (the table is the standard).
  CHECK_THAT(*svg, Catch::Contains("stroke=\"#d62728\" stroke-width=\"2\" stroke-dasharray"));
  CHECK_THAT(*svg, Catch::Contains("class=\"outline\""));
  CHECK_THAT(*svg, !Catch::Contains("<circle class=\"standard\""));
  // The first item's spoke points straight up: level 2 of a 0..5 scale is
  // 2/5 of the 230-pixel radius above the centre (400, 390).
  CHECK_THAT(*svg, Catch::Contains("<polygon class=\"outline\" points=\"400.00,298.00 "));

  json unknown = scored;
  unknown["grade"] = nullptr;
  CHECK(af::tools::render_level_chart(model, unknown, table, "t").error().message() ==
        "the case's grade is unknown (opened before grades were kept with cases)");
  json unscored = scored;
  unscored.erase("required_level");
  CHECK(af::tools::render_level_chart(model, unscored, table, "t").error().message() ==
        "the case has no required levels (not scored yet?)");
  json short_table = table;
  short_table["table"].erase(0);
  CHECK(af::tools::render_level_chart(model, scored, short_table, "t").error().message() ==
        "the standard table has no item achievement_orientation");
  CHECK(af::tools::render_level_chart(rubrics->at("kam_review"), scored, table, "t")
            .error()
            .message() == "kam_review has no standard table to draw against");
}

TEST_CASE("money is shown to the fen exactly, negative totals and fines included",
          "[tools][render]") {
  json month = {{"period", "2026-07"},
                {"brands", json::array({{{"brand", "yanghe"},
                                         {"completion", 53.33},
                                         {"rate_factor", 0.7},
                                         {"commission_fen", 336000}}})},
                {"met", false},
                {"commission_fen", 336000},
                {"penalty_fen", 1494000},
                {"rewards_fen", 46000},
                {"fines_fen", 3000},
                {"total_fen", -1115000},
                {"lines", json::array({"inspection, not_restocked at 1 store: fine 30.00 CNY"})}};
  CHECK(af::tools::render_commission(month) ==
        "  yanghe       completion   53.33%  factor 0.70  commission 3360.00 CNY\n"
        "  inspection, not_restocked at 1 store: fine 30.00 CNY\n"
        "2026-07 not met: commission 3360.00 + rewards 460.00 - penalties 14940.00 - fines 30.00 "
        "= -11150.00 CNY\n");
  json big = month;
  big["total_fen"] = 9007199254740993LL;  // 2^53 + 1: a double would lose the last fen
  CHECK_THAT(af::tools::render_commission(big), Catch::EndsWith("= 90071992547409.93 CNY\n"));
  json sales = {{"manager_id", "E1"}, {"period", "2026-07"}, {"sales_fen", 5}, {"refunds_fen", 105},
                {"net_fen", -100},    {"inquiries", 0},      {"converted", 0}};
  CHECK(af::tools::render_sales(sales) ==
        "E1 2026-07: sales 0.05 CNY, refunds 1.05 CNY, net -1.00 CNY; inquiries 0, converted 0\n");
}

TEST_CASE("grades text: each change and the counts, saying since when grades are known",
          "[tools][render]") {
  // Names are padded by display width: 王伟 takes four columns, as Li takes two.
  json r = {{"period", "2027"},
            {"unit", nullptr},
            {"known_from", "2026-12-01"},
            {"changes", json::array({{{"employee_id", "E1001"},
                                      {"name", "王伟"},
                                      {"unit", "U1"},
                                      {"from", 3},
                                      {"to", 2},
                                      {"movement", "promoted"},
                                      {"at", "2027-01-05T15:30:00+08:00"},
                                      {"by", "hr:H1"}},
                                     {{"employee_id", "E1002"},
                                      {"name", "Li"},
                                      {"unit", "U2"},
                                      {"from", nullptr},
                                      {"to", 4},
                                      {"movement", "first"},
                                      {"at", "2027-02-01T09:00:00+08:00"},
                                      {"by", "admin"}}})},
            {"promoted", 1},
            {"demoted", 0},
            {"first", 1}};
  CHECK(af::tools::render_grades(r) ==
        "grade changes in 2027 (recorded since 2026-12-01; earlier ones are unknown)\n"
        "  E1001    王伟             U1            3 -> 2  promoted  2027-01-05T15:30:00+08:00  by "
        "hr:H1\n"
        "  E1002    Li               U2            - -> 4  first     2027-02-01T09:00:00+08:00  by "
        "admin\n"
        "promoted 1, demoted 0, first grades 1\n");
}

TEST_CASE("cycle list text: a line per cycle with finished of all and cases per state",
          "[tools][render]") {
  json reply = {{"ok", true},
                {"cycles", json::array({{{"id", 1},
                                         {"program", "competency50"},
                                         {"period", "2026-Q3"},
                                         {"unit", nullptr},
                                         {"cases", 50},
                                         {"finished", 48},
                                         {"states", {{"final", 48}, {"hr_review", 2}}}},
                                        {{"id", 2},
                                         {"program", "performance"},
                                         {"period", "2026-10"},
                                         {"unit", "East"},
                                         {"cases", 0},
                                         {"finished", 0},
                                         {"states", json::object()}}})}};
  CHECK(af::tools::render_cycles(reply) ==
        "   1  competency50         2026-Q3  all      48/50 finished  final 48, hr_review 2\n"
        "   2  performance          2026-10  East     0/0 finished  \n");
  CHECK(af::tools::render_cycles({{"cycles", json::array()}}) == "no cycles\n");
}
