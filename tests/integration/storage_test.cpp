// The store failing under the real engine: a transaction SQLite rolls back
// on its own (here a trigger's RAISE(ROLLBACK), the way SQLITE_FULL or an
// I/O error may end it) fails the whole group, every client in it is told
// "not applied, retry" (unavailable), nothing in it is kept, and the engine
// goes on.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "tests/integration/scenario.h"

using namespace af::test;
namespace fs = std::filesystem;

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

TEST_CASE(
    "a group the store rolls back on its own is not applied, every client is told to retry, the "
    "engine goes on",
    "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string manager = s.reviews().begin()->first;
  auto stored = [&] {
    return admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
  };
  long long before = stored();
  exec_beside(s.data() + "/assessflow.db",
              "CREATE TRIGGER poison BEFORE INSERT ON events WHEN NEW.event_id = 'poison' "
              "BEGIN SELECT RAISE(ROLLBACK, 'injected fault'); END");

  json reply = publish(s, "[" + sale("good-1", manager) + "," + sale("poison", manager) + "]");
  CHECK(reply == json::parse(R"([{"event_id":null,"status":"rejected",)"
                             R"("error":"not applied: the store could not commit; retry"}])"));
  CHECK(stored() == before);  // good-1 is not kept either
  // Retried without the poison: accepted, once.
  CHECK(publish(s, sale("good-1", manager)) ==
        json::parse(R"([{"event_id":"good-1","status":"accepted"}])"));
  CHECK(publish(s, sale("good-1", manager)) ==
        json::parse(R"([{"event_id":"good-1","status":"duplicate"}])"));
  CHECK(stored() == before + 1);
  // An admin request that writes goes on working in the next group.
  CHECK(admin(s.data(),
              {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}})["ok"] ==
        true);
}

namespace {

// Runs the engine with the fault module and ASSESS_FAULT=spec (inherited by the child).
process start_faulty(const scenario& s, const std::string& spec,
                     std::vector<std::string> extra = {}) {
  ::setenv("ASSESS_FAULT", spec.c_str(), 1);
  extra.insert(extra.end(), {"--fault-vfs", ASSESS_FAULT_VFS});
  auto p = start_engine(s.root.path(), extra);
  ::unsetenv("ASSESS_FAULT");
  return p;
}

}  // namespace

TEST_CASE(
    "a failed WAL sync is final: nothing after it is acknowledged, the engine exits 1, a restart "
    "keeps every acknowledged event once",
    "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  {
    auto first = start_engine(s.root.path());
    s.load();
  }  // org and events, then a clean stop
  std::string manager = s.reviews().begin()->first;
  long long before = 0;
  {
    auto engine = start_engine(s.root.path());
    before = admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
  }
  // The 20th group commit's WAL sync fails: some events are acknowledged
  // first. (Counting every sync would let the checkpointer's, whose timing
  // varies, take the failure instead.)
  auto engine = start_faulty(s, "commit-sync:20", {"--sync", "full"});
  std::vector<std::string> acked;
  json refusal;
  for (int i = 0; i < 200 && refusal.is_null(); ++i) {
    std::string id = "after-" + std::to_string(i);
    json r = publish(s, sale(id, manager));
    if (r[0]["status"] == "accepted")
      acked.push_back(id);
    else
      refusal = r;
  }
  REQUIRE_FALSE(refusal.is_null());
  CHECK(refusal[0]["error"] ==
        "not acknowledged: the WAL could not be synced and the engine is stopping; retry once it "
        "is back (a repeat is a duplicate)");
  CHECK(engine.wait() == 1);
  std::string log = read_text(s.root.path() + "/engine.log");
  CHECK(log.find("failed: Input/output error; nothing more is acknowledged") != std::string::npos);
  CHECK(log.find("stopped after a failed WAL sync") != std::string::npos);
  REQUIRE_FALSE(acked.empty());

  // Restarted (the shutdown was not clean: the database is checked first), every
  // acknowledged event is there exactly once.
  auto again = start_engine(s.root.path());
  CHECK(read_text(s.root.path() + "/engine.log").find("did not shut down cleanly: checking") !=
        std::string::npos);
  long long stored =
      admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
  CHECK(stored >= before + static_cast<long long>(acked.size()));
  CHECK(stored <= before + static_cast<long long>(acked.size()) +
                      1);  // the refused one may have reached the disk
  for (const auto& id : acked) CHECK(publish(s, sale(id, manager))[0]["status"] == "duplicate");
}

TEST_CASE("disk full: writes are refused saying so while reads work, and resume once space is back",
          "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  std::string flag = s.root.path() + "/disk-is-full";
  auto engine = start_faulty(s, "full-while:" + flag);
  s.load();
  std::string manager = s.reviews().begin()->first;
  { std::ofstream(flag) << "full"; }
  json refused = publish(s, sale("while-full", manager));
  CHECK(refused[0]["status"] == "rejected");
  CHECK(refused[0]["error"] == "not applied: the disk is full; retry once space is freed");
  json stats = admin(s.data(), {{"cmd", "stats"}});  // a read
  CHECK(stats["ok"] == true);
  json started =
      admin(s.data(), {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  CHECK(started["ok"] == false);
  CHECK(started["code"] == "unavailable");
  CHECK(started["error"] == "not applied: the disk is full; retry once space is freed");
  fs::remove(flag);
  CHECK(publish(s, sale("while-full", manager))[0]["status"] == "accepted");
  CHECK(admin(s.data(),
              {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}})["ok"] ==
        true);
}

TEST_CASE(
    "another process holding the write lock delays requests without failing them or stalling the "
    "loop",
    "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(s.root.path());
  s.load();
  sqlite3* outsider = nullptr;
  REQUIRE(sqlite3_open((s.data() + "/assessflow.db").c_str(), &outsider) == SQLITE_OK);
  REQUIRE(sqlite3_exec(outsider, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
  // Held for 6 s: longer than the 5 s busy timeout the loop once waited inside, which then failed
  // the group.
  std::thread release([outsider] {
    std::this_thread::sleep_for(std::chrono::seconds(6));
    sqlite3_exec(outsider, "ROLLBACK", nullptr, nullptr, nullptr);
  });
  auto start = std::chrono::steady_clock::now();
  json started =
      admin(s.data(), {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
  auto waited = std::chrono::steady_clock::now() - start;
  release.join();
  sqlite3_close(outsider);
  CHECK(started["ok"] == true);
  CHECK(waited >= std::chrono::seconds(5));
  CHECK(read_text(s.root.path() + "/engine.log")
            .find("the database is locked by another process; requests wait") != std::string::npos);
}

TEST_CASE(
    "a corrupt database stops the engine before it serves or writes, after --check or an unclean "
    "shutdown",
    "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  {
    auto engine = start_engine(s.root.path());
    s.load();
    engine.signal(SIGTERM);  // a clean stop: everything checkpointed into the database file
    REQUIRE(engine.wait() == 0);
  }
  CHECK(read_text(s.data() + "/engine.lock").empty());  // the mark of a clean shutdown
  std::string db = s.data() + "/assessflow.db";
  REQUIRE(fs::file_size(db) > 8 * 4096);
  {  // pages 3 to 8 overwritten
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(2 * 4096);
    std::string junk(6 * 4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto size = fs::file_size(db);
  auto modified = fs::last_write_time(db);
  std::string out;
  int rc = run(ASSESS_ENGINE_BIN, {"--data", s.data(), "--sync", "normal", "--check"}, &out, true);
  CHECK(rc == 1);
  CHECK(out.find("assessflow.db is corrupt (quick_check: ") != std::string::npos);
  CHECK(out.find("not serving and nothing written: restore it from a backup") != std::string::npos);
  CHECK(fs::file_size(db) == size);
  CHECK(fs::last_write_time(db) == modified);
  // Without --check, after an engine that did not shut down cleanly (engine.lock still names it).
  { std::ofstream(s.data() + "/engine.lock") << "12345\n"; }
  out.clear();
  CHECK(run(ASSESS_ENGINE_BIN, {"--data", s.data(), "--sync", "normal"}, &out, true) == 1);
  CHECK(out.find("the last engine did not shut down cleanly: checking") != std::string::npos);
  CHECK(out.find("assessflow.db is corrupt (quick_check: ") != std::string::npos);
  CHECK(fs::last_write_time(db) == modified);
}

TEST_CASE("a write failing at any of several points loses no acknowledged event and doubles none",
          "[integration][storage]") {
  scenario s;
  s.generate(3, 10);
  {
    auto first = start_engine(s.root.path());
    s.load();
  }
  std::string manager = s.reviews().begin()->first;
  long long stored_before = 0;
  {
    auto engine = start_engine(s.root.path());
    stored_before = admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
  }
  std::set<std::string> acked;
  int sent = 0;
  for (int nth : {5, 40, 90}) {
    auto engine = start_faulty(s, "write:" + std::to_string(nth), {"--sync", "full"});
    int refused = 0;
    for (int i = 0; i < 60; ++i) {
      std::string id = "w" + std::to_string(nth) + "-" + std::to_string(i);
      ++sent;
      json r = publish(s, sale(id, manager));
      if (r[0]["status"] == "accepted")
        acked.insert(id);
      else
        ++refused;
    }
    INFO("write " << nth);
    CHECK(refused >= 1);  // the failed write cost some message its acknowledgement
    CHECK(refused < 60);  // ... and the engine went on
    engine.signal(SIGTERM);
    engine.wait();
  }
  auto engine = start_engine(s.root.path());
  long long stored =
      admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
  CHECK(stored ==
        stored_before + static_cast<long long>(acked.size()));  // refused ones were rolled back
  for (const auto& id : acked) CHECK(publish(s, sale(id, manager))[0]["status"] == "duplicate");
}

TEST_CASE(
    "power lost at random points of a cycle with events streaming: every acknowledged write is "
    "kept once, nothing doubled",
    "[integration][storage]") {
  scenario s;
  s.generate(8, 20);  // 20 cases
  {
    auto first = start_engine(s.root.path());
    s.load();
  }
  std::string manager = s.reviews().begin()->first;
  long long stored_before = 0;
  long long cycle = 0;
  {
    auto engine = start_engine(s.root.path());
    stored_before = admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
    cycle = s.open_cycle();
  }
  auto all = s.reviews();
  std::set<std::string> acked_events;
  std::set<long long> acked_submits;
  int unsure_events = 0;
  std::mt19937 rng(20261201);
  for (int round = 0; round < 6; ++round) {
    // Writes stay in the engine's memory until synced: SIGKILL is a power cut.
    auto engine = start_faulty(s, "power-loss", {"--sync", "full"});
    auto worker = start_worker(ASSESS_SCORING_BIN, s.root.path());
    auto cases =
        admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}, {"state", "self_review"}})["cases"];
    int cut_after = 10 + static_cast<int>(rng() % 40);  // operations before the power goes
    std::size_t next_case = 0;
    for (int op = 0; op < cut_after; ++op) {
      if (op % 4 == 3 && next_case < cases.size()) {
        const json& c = cases[next_case++];
        std::string e = c["employee_id"].get<std::string>();
        json reply = admin(s.data(), {{"cmd", "submit"},
                                      {"case", c["id"]},
                                      {"as", "employee:" + e},
                                      {"ratings", all.at(e)["self"]["ratings"]}});
        if (reply.value("ok", false)) acked_submits.insert(c["id"].get<long long>());
      } else {
        std::string id = "p" + std::to_string(round) + "-" + std::to_string(op);
        if (publish(s, sale(id, manager))[0]["status"] == "accepted")
          acked_events.insert(id);
        else
          ++unsure_events;
      }
    }
    // The power goes while one more event is on its way.
    std::thread last([&] {
      zmq::context_t ctx(1);
      zmq::socket_t sock(ctx, zmq::socket_type::dealer);
      sock.set(zmq::sockopt::linger, 0);
      secure(sock, s.data(), "feed");
      sock.connect("ipc://" + s.data() + "/ingest.sock");
      sock.send(zmq::str_buffer(""), zmq::send_flags::sndmore);
      sock.send(zmq::buffer(sale("p" + std::to_string(round) + "-cut", manager)),
                zmq::send_flags::none);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    });
    engine.signal(SIGKILL);
    last.join();
    engine.wait();
    ++unsure_events;
  }
  auto engine = start_engine(s.root.path());
  long long stored =
      admin(s.data(), {{"cmd", "stats"}})["ingest"]["events_stored"].get<long long>();
  CHECK(stored >= stored_before + static_cast<long long>(acked_events.size()));
  CHECK(stored <= stored_before + static_cast<long long>(acked_events.size()) + unsure_events);
  for (const auto& id : acked_events)
    CHECK(publish(s, sale(id, manager))[0]["status"] == "duplicate");
  auto cases = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}})["cases"];
  CHECK(cases.size() == 20);  // the cycle opened once
  for (const auto& c : cases) {
    json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", c["id"]}});
    std::map<std::string, int> steps;
    for (const auto& h : shown["history"])
      ++steps[h["action"].get<std::string>() + ">" + h["to"].get<std::string>()];
    for (const auto& [step, n] : steps) {
      INFO("case " << c["id"] << " step " << step);
      CHECK(n == 1);  // no transition applied twice
    }
    if (acked_submits.count(c["id"].get<long long>()))
      CHECK(c["state"] != "self_review");  // none lost
  }
  INFO(acked_events.size() << " events and " << acked_submits.size() << " reviews acknowledged");
  CHECK(acked_submits.size() >= 6);
}
