// The monthly performance appraisal through real processes: events in,
// the targets worker's check with exact fen values, the supervisor's
// review, a late sale forcing a re-check before HR's approval is final,
// the notification with the month's figures, and a late-events flag after
// final.
#include <catch2/catch.hpp>
#include <fstream>
#include <zmq.hpp>

#include "tests/integration/harness.h"

using namespace af::test;

namespace {

json ingest(const std::string& data, const json& events) {
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, zmq::socket_type::req);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::rcvtimeo, 10000);
  secure(s, data, "feed");
  s.connect("ipc://" + data + "/ingest.sock");
  std::string text = events.dump();
  s.send(zmq::buffer(text), zmq::send_flags::none);
  zmq::message_t reply;
  REQUIRE(s.recv(reply));
  return json::parse(reply.to_string_view());
}

json event(const std::string& type, const std::string& id, const std::string& when) {
  return {{"type", type}, {"event_id", id}, {"manager_id", "E1"}, {"occurred_at", when}};
}

json sale(const std::string& id, long long fen, const std::string& when) {
  json e = event("sale", id, when);
  e["amount_fen"] = fen;
  e["brand"] = "yanghe";
  e["customer_id"] = "K1";
  return e;
}

json target(const std::string& id, const std::string& month, long long fen) {
  json e = event("target_set", id, month + "-01T09:00:00+08:00");
  e["period"] = month;
  e["brand"] = "yanghe";
  e["target_fen"] = fen;
  return e;
}

std::string state_of(const std::string& data, long long id) {
  return admin(data, {{"cmd", "case.show"}, {"case", id}})["state"].get<std::string>();
}

}  // namespace

TEST_CASE("a monthly performance case: target check, review, late sale re-check, final",
          "[integration][performance]") {
  temp_dir root;
  std::string data = root.path() + "/data";
  auto engine = start_engine(root.path());
  auto targets = start_worker(ASSESS_TARGETS_BIN, root.path());
  auto notify = start_worker(ASSESS_NOTIFY_BIN, root.path());
  json rows = json::array({
      {{"id", "H1"},
       {"name", "HR"},
       {"unit", "HR"},
       {"grade", 1},
       {"joined_on", "2010-01-01"},
       {"roles", "hr"}},
      {{"id", "S1"}, {"name", "Sup"}, {"unit", "U"}, {"grade", 1}, {"joined_on", "2012-01-01"}},
      {{"id", "B1"}, {"name", "HRBP"}, {"unit", "HR"}, {"grade", 2}, {"joined_on", "2012-01-01"}},
      {{"id", "E1"},
       {"name", "Mgr"},
       {"unit", "U"},
       {"grade", 3},
       {"supervisor_id", "S1"},
       {"hrbp_id", "B1"},
       {"joined_on", "2021-03-01"}},
  });
  REQUIRE(admin(data, {{"cmd", "org.import"}, {"rows", rows}})["ok"] == true);

  // May met, June missed; July: 53.33% of target, 47 display stores (10 in
  // each key township but 南智邱, 7 there), 12 new outlets (8 county, 4
  // township), 3 banquets (one personal with 2 cases of haizhilan), one store
  // found not restocked. The plan is the shipped one (schemas/commission).
  json events =
      json::array({target("t5", "2026-05", 1000), sale("s5", 1000, "2026-05-10T10:00:00+08:00"),
                   target("t6", "2026-06", 1000), target("t7", "2026-07", 30'000'000),
                   sale("s7", 16'000'000, "2026-07-10T10:00:00+08:00")});
  const char* townships[] = {"位伯", "新垒头", "旧城", "南智邱"};
  for (int i = 0; i < 47; ++i) {
    json e = event("display_store_checked", "d" + std::to_string(i), "2026-07-11T10:00:00+08:00");
    e["store_id"] = "D" + std::to_string(i);
    if (i < 37) e["township"] = townships[i / 10];
    events.push_back(e);
  }
  for (int i = 0; i < 12; ++i) {
    json e = event("outlet_opened", "o" + std::to_string(i), "2026-07-12T10:00:00+08:00");
    e["store_id"] = "O" + std::to_string(i);
    e["area"] = i < 8 ? "county" : "township";
    events.push_back(e);
  }
  for (int i = 0; i < 3; ++i) {
    json e = event("banquet_held", "b" + std::to_string(i), "2026-07-13T18:00:00+08:00");
    e["store_id"] = "B" + std::to_string(i);
    if (i == 0) {
      e["origin"] = "personal";
      e["product"] = "haizhilan";
      e["cases"] = 2;
    }
    events.push_back(e);
  }
  json found = event("inspection_failed", "i1", "2026-07-14T10:00:00+08:00");
  found["store_id"] = "D3";
  found["finding"] = "not_restocked";
  events.push_back(found);
  for (const auto& ack : ingest(data, events)) REQUIRE(ack["status"] == "accepted");

  auto opened =
      admin(data, {{"cmd", "cycle.start"}, {"program", "performance"}, {"period", "2026-07"}});
  REQUIRE(opened["opened"] == 1);
  long long id = admin(data, {{"cmd", "cases"}, {"cycle", opened["cycle"]}})["cases"][0]["id"]
                     .get<long long>();
  REQUIRE(eventually([&] { return state_of(data, id) == "supervisor_review"; }));
  json shown = admin(data, {{"cmd", "case.show"}, {"case", id}});
  CHECK(shown["month"]["brands"][0]["completion"].get<double>() == Approx(53.33));
  CHECK(shown["month"]["brands"][0]["commission_fen"] == 336'000);  // 16,000,000 x 3% x 0.7
  CHECK(shown["month"]["consecutive_misses"] == 2);                 // June and July: no penalty yet
  // 3 display stores short of 50 and 3 in 南智邱 x 20 CNY; (500 - 8) county
  // and (500 - 4) township outlets short x 15 CNY; July's 3 banquets met.
  CHECK(shown["month"]["penalty_fen"] == 6 * 2'000 + (492 + 496) * 1'500);
  CHECK(shown["month"]["rewards_fen"] == 12 * 3'000 + 2 * 5'000);  // 12 outlets, 2 cases
  CHECK(shown["month"]["fines_fen"] == 3'000);                     // one store not restocked
  CHECK(shown["month"]["total_fen"] == 336'000 + 46'000 - 1'494'000 - 3'000);

  auto bad =
      admin(data, {{"cmd", "submit"},
                   {"case", id},
                   {"as", "supervisor:S1"},
                   {"ratings", {{"customer_satisfaction", 4}, {"teamwork", 6}, {"learning", 3}}}});
  CHECK(bad["error"] == "ratings.teamwork: 6 is out of range 1..5");
  REQUIRE(admin(data, {{"cmd", "submit"},
                       {"case", id},
                       {"as", "supervisor:S1"},
                       {"ratings",
                        {{"customer_satisfaction", 4}, {"teamwork", 5}, {"learning", 3}}}})["ok"] ==
          true);
  REQUIRE(state_of(data, id) == "hr_review");

  // A late July sale: HR's approval sends the month through a re-check first.
  REQUIRE(ingest(data, json::array(
                           {sale("s7b", 14'000'000, "2026-07-28T10:00:00+08:00")}))[0]["status"] ==
          "accepted");
  auto first = admin(data, {{"cmd", "approve"}, {"case", id}, {"as", "hr:H1"}});
  REQUIRE(first["ok"] == true);
  CHECK(first["state"] == "recheck");
  CHECK(first["note"].get<std::string>().find("changed after the target check") !=
        std::string::npos);
  REQUIRE(eventually([&] { return state_of(data, id) == "hr_review"; }));
  shown = admin(data, {{"cmd", "case.show"}, {"case", id}});
  CHECK(shown["month"]["met"] == true);
  CHECK(shown["month"]["brands"][0]["commission_fen"] == 900'000);  // 30,000,000 x 3%
  CHECK(shown["month"]["total_fen"] == 900'000 + 46'000 - 1'494'000 - 3'000);
  REQUIRE(admin(data, {{"cmd", "approve"}, {"case", id}, {"as", "hr:H1"}})["state"] == "final");

  // The manager's notification carries the month's figures.
  REQUIRE(eventually([&] { return std::ifstream(data + "/notifications/E1.jsonl").good(); }));
  REQUIRE(eventually([&] {
    std::ifstream in(data + "/notifications/E1.jsonl");
    std::string line;
    return static_cast<bool>(std::getline(in, line));
  }));
  std::ifstream in(data + "/notifications/E1.jsonl");
  std::string line;
  std::getline(in, line);
  CHECK(json::parse(line)["body"]["month"]["total_fen"] == -551'000);

  // A refund after final is flagged on the case for HR, not lost.
  json r = event("refund", "r1", "2026-07-30T10:00:00+08:00");
  r["amount_fen"] = 1'000'000;
  r["brand"] = "yanghe";
  r["refers_to"] = "s7";
  REQUIRE(ingest(data, json::array({r}))[0]["status"] == "accepted");
  shown = admin(data, {{"cmd", "case.show"}, {"case", id}});
  REQUIRE(shown["flags"].size() == 1);
  CHECK(shown["flags"][0].get<std::string>().find("late events after final") == 0);
  // Roll-ups: the quarter and the year, with the grade rule's proposal.
  json q3 = admin(data, {{"cmd", "rollup"}, {"manager_id", "E1"}, {"period", "2026-Q3"}});
  REQUIRE(q3["ok"] == true);
  CHECK(q3["months_appraised"] == 1);
  CHECK(q3["months_met"] == 1);
  CHECK(q3["total_fen"] == -551'000);
  CHECK(q3["commission_fen"] == 900'000);
  CHECK(q3["net_sales_fen"] == 29'000'000);  // 16M + 14M - the 1M refund
  CHECK(q3["growth"].is_null());             // nothing a year earlier
  CHECK(q3["months_without_final_appraisal"] == json::array({"2026-08", "2026-09"}));
  json year = admin(data, {{"cmd", "rollup"}, {"manager_id", "E1"}, {"period", "2026"}});
  CHECK(year["grade"] == 3);
  CHECK(year["months_met"] == 1);
  CHECK(year["proposed_grade"] == 3);  // months alone propose nothing: no annual appraisal yet
  CHECK(year["proposal"] == "keep grade 3");
  CHECK(year["proposal_why"] == "no final performance_year appraisal");
  CHECK(admin(data, {{"cmd", "rollup"}, {"manager_id", "E1"}, {"period", "2026-07"}})["error"] ==
        "period: a roll-up is for a quarter (2026-Q3) or a year (2026)");

  std::vector<std::string> steps;
  for (const auto& h : shown["history"])
    steps.push_back(h["action"].get<std::string>() + ">" + h["to"].get<std::string>());
  CHECK(steps == std::vector<std::string>{"open>target_check", "scored>supervisor_review",
                                          "submit>hr_review", "recheck>recheck", "scored>hr_review",
                                          "approve>final"});
}
