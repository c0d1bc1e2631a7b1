// fuzz/ingest_message.cpp: ingest::handle() of arbitrary messages, as the
// engine runs it on each message of the ingest socket (DESIGN.md "External
// events"), on an in-memory store that knows managers E1, E2 and S1 and a
// committed sale "s-0" of E1 (yanghe, 10000 fen) from source feed.
// Input: one or more messages separated by a line "--"; they share one
// transaction (as a group commit does), alternate between sources feed and
// erp, and are flushed, then rolled back (the unit of work's undo rolls
// ingest's memory back too) so every input starts alike.
// Invariants: nothing throws (flush included); every reply is a JSON array
// with one result per event of its message (one for a message that is not
// JSON or not an array), each {"event_id": string|null, "status":
// accepted|duplicate|rejected, "error" when rejected}; no result says a
// store error or a bug cost the message ("nothing applied").
#include <simdjson.h>

#include <nlohmann/json.hpp>

#include "engine/ingest.h"
#include "fuzz/fuzz_check.h"

namespace {

using namespace af::engine;
constexpr std::int64_t now = 1'790'000'000;
constexpr std::size_t max_bytes = 1u << 20;  // the engine's default --max-message-bytes

store open_store() {
  auto s = store::open(":memory:", ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  if (!s) af::fuzz::fail("store::open", s.error().to_string());
  return std::move(s).value();
}

struct world {
  store db = open_store();
  ingest ing{db, 480, max_bytes};
  simdjson::dom::parser counter;  // how many events a message holds
  world() {
    db.work().begin();
    for (const char* id : {"E1", "E2", "S1"}) {
      employee_row e;
      e.id = id;
      e.name = id;
      e.unit = "U1";
      e.grade = 3;
      e.joined_on = "2020-01-01";
      db.upsert_employee(e);
    }
    db.work().commit();
    ing.load();
    db.work().begin();
    std::string r = ing.handle(
        R"({"type":"sale","event_id":"s-0","manager_id":"E1","occurred_at":"2026-07-10T10:00:00+08:00",)"
        R"("amount_fen":10000,"brand":"yanghe","customer_id":"C1"})",
        now, "feed");
    ing.flush();
    db.work().commit();
    ing.committed();
    if (r.find("accepted") == std::string::npos)
      af::fuzz::fail("the setup sale is not accepted", r);
  }
};

// How many results a message's reply holds, and whether it is JSON at all.
std::pair<std::size_t, bool> events_in(world& w, std::string_view message) {
  if (message.size() > max_bytes) return {1, false};
  simdjson::dom::element root;
  if (w.counter.parse(message.data(), message.size()).get(root)) return {1, false};
  simdjson::dom::array arr;
  if (root.get(arr)) return {1, true};
  return {arr.size(), true};
}

void check_reply(world& w, std::string_view message, const std::string& reply) {
  std::string detail =
      "message: " + std::string(message.substr(0, 300)) + "\nreply: " + reply.substr(0, 1000);
  auto j = nlohmann::json::parse(reply, nullptr, false);
  FUZZ_CHECK(!j.is_discarded() && j.is_array(), "the reply is not a JSON array\n" + detail);
  auto [events, json] = events_in(w, message);
  FUZZ_CHECK(j.size() == events,
             "the reply has " + std::to_string(j.size()) + " results\n" + detail);
  for (const auto& r : j) {
    FUZZ_CHECK(r.is_object() && r.contains("event_id") &&
                   (r["event_id"].is_string() || r["event_id"].is_null()),
               "a result without an event_id\n" + detail);
    FUZZ_CHECK(r.contains("status") && r["status"].is_string(),
               "a result without a status\n" + detail);
    std::string status = r["status"].get<std::string>();
    FUZZ_CHECK(status == "accepted" || status == "duplicate" || status == "rejected",
               "status " + status + "\n" + detail);
    if (status == "rejected") {
      FUZZ_CHECK(
          r.contains("error") && r["error"].is_string() && !r["error"].get<std::string>().empty(),
          "a rejection without an error\n" + detail);
      // ingest's catch-all: "store error, nothing applied: ..." or "error,
      // nothing applied: ...", only ever for a message that is JSON (the
      // refusal of one that is not may begin with the message's own text).
      const std::string error = r["error"].get<std::string>();
      if (json)
        FUZZ_CHECK(error.rfind("store error, nothing applied", 0) != 0 &&
                       error.rfind("error, nothing applied", 0) != 0,
                   "a store error or a bug cost the message\n" + detail);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static world w;
  std::string_view in = af::fuzz::text_of(data, size);
  w.db.work().begin();
  for (int i = 0;; ++i) {
    std::size_t cut = in.find("\n--\n");
    std::string_view message = in.substr(0, cut);
    std::string reply = w.ing.handle(message, now, i % 2 == 0 ? "feed" : "erp");
    af::fuzz::note(reply);
    check_reply(w, message, reply);
    if (cut == std::string_view::npos) break;
    in.remove_prefix(cut + 4);
  }
  w.ing.flush();
  w.db.work().rollback();  // its undo calls ing.rolled_back()
  return 0;
}
