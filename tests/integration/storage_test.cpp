// The store failing under the real engine: a transaction SQLite rolls back
// on its own (here a trigger's RAISE(ROLLBACK), the way SQLITE_FULL or an
// I/O error may end it) fails the whole group, every client in it is told
// "not applied, retry" (unavailable), nothing in it is kept, and the engine
// goes on.
#include <catch2/catch.hpp>
#include <sqlite3.h>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

void exec_beside(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  INFO(sqlite3_errmsg(db));
  sqlite3_close(db);
  REQUIRE(rc == SQLITE_OK);
}

// One ingest message on a fresh REQ socket: the engine's reply.
json publish(const scenario& s, const std::string& text) {
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::req);
  sock.set(zmq::sockopt::linger, 0);
  sock.set(zmq::sockopt::rcvtimeo, 10000);
  secure(sock, s.data(), "feed");
  sock.connect("ipc://" + s.data() + "/ingest.sock");
  sock.send(zmq::buffer(text), zmq::send_flags::none);
  zmq::message_t reply;
  REQUIRE(sock.recv(reply));
  return json::parse(reply.to_string_view());
}

std::string sale(const std::string& id, const std::string& manager) {
  return R"({"type":"sale","event_id":")" + id + R"(","manager_id":")" + manager +
         R"(","occurred_at":"2026-07-03T10:00:00+08:00","amount_fen":500,"brand":"yanghe","customer_id":"K1"})";
}

}  // namespace

TEST_CASE("a group the store rolls back on its own is not applied, every client is told to retry, the engine goes on",
          "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string manager = s.reviews().begin()->first;
  auto stored = [&] { return admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>(); };
  long long before = stored();
  exec_beside(s.data() + "/assessflow.db",
              "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.event_id = 'poison' "
              "BEGIN SELECT RAISE(ROLLBACK, 'injected fault'); END");

  json reply = publish(s, "[" + sale("good-1", manager) + "," + sale("poison", manager) + "]");
  CHECK(reply == json::parse(R"([{"event_id":null,"status":"rejected",)"
                             R"("error":"not applied: the store could not commit; retry"}])"));
  CHECK(stored() == before);  // good-1 is not kept either
  // Retried without the poison: accepted, once.
  CHECK(publish(s, sale("good-1", manager)) == json::parse(R"([{"event_id":"good-1","status":"accepted"}])"));
  CHECK(publish(s, sale("good-1", manager)) == json::parse(R"([{"event_id":"good-1","status":"duplicate"}])"));
  CHECK(stored() == before + 1);
  // An admin request that writes goes on working in the next group.
  CHECK(admin(s.data(), {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}})["ok"] == true);
}
