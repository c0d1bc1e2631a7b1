// The WAL under steady load: the loop rewinds it, and a reader outside the
// engine that pins an old snapshot (an operator's sqlite3 shell in a
// transaction) neither stalls the engine nor makes it checkpoint after
// every commit; once the reader lets go, the WAL starts again.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <zmq.hpp>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

// Sends `n` one-event messages, 16 in flight; returns how many were accepted.
int send_inquiries(const std::string& data, const std::string& prefix, int n) {
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::dealer);
  sock.set(zmq::sockopt::linger, 0);
  sock.set(zmq::sockopt::rcvtimeo, 5000);
  secure(sock, data, "feed");
  sock.connect("ipc://" + data + "/ingest.sock");
  int sent = 0, received = 0, accepted = 0;
  while (received < n) {
    while (sent < n && sent - received < 16) {
      std::string ev =
          R"({"type":"inquiry","event_id":")" + prefix + std::to_string(sent) +
          R"(","manager_id":"E1001","occurred_at":"2026-08-01T10:00:00+08:00","customer_id":"K1","converted":false})";
      sock.send(zmq::buffer(ev), zmq::send_flags::none);
      ++sent;
    }
    zmq::message_t reply;
    if (!sock.recv(reply)) break;
    ++received;
    if (reply.to_string().find("\"accepted\"") != std::string::npos) ++accepted;
  }
  return accepted;
}

}  // namespace

TEST_CASE("a reader pinning the WAL slows no commit and costs no checkpoint per commit",
          "[integration][wal]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(s.root.path(), {"--wal-rewind-frames", "64"});
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "org", "import", s.sample() + "/org.csv"}) == 0);
  REQUIRE(send_inquiries(s.data(), "warm-", 2000) == 2000);

  // An outside reader holds a snapshot: the WAL cannot start again. It
  // begins right after a commit, so its snapshot holds WAL frames (a reader
  // that begins once the checkpointer has copied the whole WAL reads the
  // database file alone and pins nothing).
  sqlite3* reader = nullptr;
  REQUIRE(sqlite3_open_v2((s.data() + "/assessflow.db").c_str(), &reader, SQLITE_OPEN_READONLY,
                          nullptr) == SQLITE_OK);
  REQUIRE(send_inquiries(s.data(), "last-warm-", 1) == 1);
  REQUIRE(sqlite3_exec(reader, "BEGIN; SELECT count(*) FROM events;", nullptr, nullptr, nullptr) ==
          SQLITE_OK);
  json before = admin(s.data(), {{"cmd", "stats"}});
  CHECK(before["durability"]["wal_rewinds"].get<int>() >= 1);
  REQUIRE(send_inquiries(s.data(), "pinned-", 3000) == 3000);
  json pinned = admin(s.data(), {{"cmd", "stats"}});
  auto d0 = before["durability"], d1 = pinned["durability"];
  long commits = pinned["ingest"]["commits"].get<long>() - before["ingest"]["commits"].get<long>();
  long tries = d1["wal_rewind_tries"].get<long>() - d0["wal_rewind_tries"].get<long>();
  INFO(commits << " commits, " << tries << " checkpoint tries, WAL " << d1["wal_frames"]
               << " frames");
  CHECK(d1["wal_rewinds"] == d0["wal_rewinds"]);  // pinned: no restart
  CHECK(d1["wal_frames"].get<long>() > 64);
  CHECK(commits > 20);
  // One try per 64 new frames at most, not one per commit.
  CHECK(tries <= d1["wal_frames"].get<long>() / 64 + 1);
  CHECK(tries < commits);

  // Released, the next long WAL is rewound again.
  sqlite3_exec(reader, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(reader);
  REQUIRE(send_inquiries(s.data(), "after-", 3000) == 3000);
  json after = admin(s.data(), {{"cmd", "stats"}});
  CHECK(after["durability"]["wal_rewinds"].get<int>() > d1["wal_rewinds"].get<int>());
  json sales = admin(s.data(), {{"cmd", "sales"}, {"manager_id", "E1001"}, {"period", "2026-08"}});
  CHECK(sales["inquiries"].get<int>() >= 8000);
}
