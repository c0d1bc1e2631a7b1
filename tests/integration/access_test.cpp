// Identity and access through the real engine, real CURVE sockets and the
// real tools (DESIGN.md "Identity and access"): who may connect, who may
// act as whom, who sees which case, what a revoked key can still do
// (nothing), and that every refusal is audited.
#include <sqlite3.h>
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "messages/curve_keys.h"
#include "messages/secure_client.h"
#include "messages/types.h"
#include "tests/integration/scenario.h"

using namespace af::test;
namespace fs = std::filesystem;

namespace {

// assessctl principals add NAME FLAGS --out ROOT/keys-NAME; returns the secret key file.
std::string make_principal(const scenario& s, const std::string& name,
                           const std::vector<std::string>& flags) {
  std::vector<std::string> args{"--data", s.data(), "principals", "add", name};
  args.insert(args.end(), flags.begin(), flags.end());
  args.insert(args.end(), {"--out", s.root.path() + "/keys-" + name});
  std::string out;
  int rc = run(ASSESSCTL_BIN, args, &out, true);
  INFO(out);
  REQUIRE(rc == 0);
  return s.root.path() + "/keys-" + name + "/" + name + ".key_secret";
}

// One request with a key; fails the test when no reply comes.
json as(const scenario& s, const std::string& key_file, const json& request) {
  auto reply = admin_with_key(s.data(), key_file, request);
  INFO(request.dump());
  REQUIRE(reply.has_value());
  return *reply;
}

std::set<std::string> employees_of(const json& cases) {
  std::set<std::string> out;
  for (const auto& c : cases["cases"]) out.insert(c["employee_id"].get<std::string>());
  return out;
}

// The audit rows of a principal, as "command: reason".
std::vector<std::string> audit_of(const scenario& s, const std::string& principal) {
  json r = admin(s.data(), {{"cmd", "audit"}, {"principal", principal}});
  std::vector<std::string> out;
  for (const auto& row : r["audit"])
    out.push_back(row["endpoint"].get<std::string>() + " " + row["command"].get<std::string>() +
                  ": " + row["reason"].get<std::string>());
  return out;
}

// The rows of a query on the engine's database, as "a|b" lines.
std::string query(const scenario& s, const std::string& sql) {
  sqlite3* db = nullptr;
  std::string out;
  if (sqlite3_open_v2((s.data() + "/assessflow.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) ==
      SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK)
      while (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < sqlite3_column_count(st); ++i) {
          if (i) out += "|";
          auto* t = sqlite3_column_text(st, i);
          out += t ? reinterpret_cast<const char*>(t) : "";
        }
        out += "\n";
      }
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return out;
}

int mode_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return -1;
  return static_cast<int>(st.st_mode & 0777);
}

// A fresh key pair the engine has never seen.
std::string unregistered_key(const scenario& s) {
  auto pair = af::msg::make_key_pair();
  REQUIRE(pair.is_ok());
  REQUIRE(af::msg::write_certificates(s.root.path() + "/stranger", "stranger", *pair).is_ok());
  return s.root.path() + "/stranger/stranger.key_secret";
}

// Whether a REQ socket (`key_file`, or no CURVE at all when empty) gets any reply on `ep` within
// `ms`.
bool answered(const scenario& s, const std::string& ep, const std::string& key_file, int ms = 800) {
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::req);
  sock.set(zmq::sockopt::linger, 0);
  sock.set(zmq::sockopt::rcvtimeo, ms);
  if (!key_file.empty()) secure(sock, s.data(), "admin", key_file);
  sock.connect("ipc://" + s.data() + "/" + ep + ".sock");
  sock.send(zmq::str_buffer(R"({"cmd":"stats"})"), zmq::send_flags::dontwait);
  zmq::message_t reply;
  return sock.recv(reply).has_value();
}

}  // namespace

TEST_CASE("an unregistered key and a client without CURVE get no reply on any endpoint",
          "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string stranger = unregistered_key(s);
  for (const char* ep : {"admin", "ingest", "tasks"}) {
    INFO(ep);
    CHECK_FALSE(answered(s, ep, stranger));
    CHECK_FALSE(answered(s, ep, ""));
  }
  // The client learns why at once, from its socket monitor.
  zmq::context_t ctx(1);
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  secure(sub, s.data(), "admin", stranger);
  af::msg::handshake_watch watch(sub);
  sub.set(zmq::sockopt::subscribe, "");
  sub.set(zmq::sockopt::rcvtimeo, 500);
  sub.connect("ipc://" + s.data() + "/events.sock");
  CHECK(watch.poll(std::chrono::seconds(2)) == af::msg::handshake_watch::outcome::refused);
  s.open_cycle();  // case events are published: the stranger hears none
  zmq::message_t m;
  CHECK_FALSE(sub.recv(m).has_value());
  // An unknown key never connects, so it leaves no audit row; the admin's key still works.
  CHECK(admin(s.data(), {{"cmd", "audit"}})["audit"].empty());
  CHECK(admin(s.data(), {{"cmd", "stats"}})["access"]["handshakes_refused"].get<int>() >= 4);
}

TEST_CASE(
    "a revoked key is refused on its live connection and at once on a new one, rotation replaces a "
    "key",
    "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string watcher = make_principal(s, "watcher", {"--service", "observer"});
  CHECK(mode_of(watcher) == 0600);
  CHECK(mode_of(s.root.path() + "/keys-watcher") == 0700);

  zmq::context_t ctx(1);
  zmq::socket_t live(ctx, zmq::socket_type::dealer);
  live.set(zmq::sockopt::rcvtimeo, 5000);
  secure(live, s.data(), "admin", watcher);
  live.connect("ipc://" + s.data() + "/admin.sock");
  auto ask = [&](const json& req) {
    live.send(zmq::message_t(), zmq::send_flags::sndmore);
    live.send(zmq::buffer(req.dump()), zmq::send_flags::none);
    zmq::message_t delimiter, body;
    REQUIRE(live.recv(delimiter));
    REQUIRE(live.recv(body));
    return json::parse(body.to_string_view());
  };
  CHECK(ask({{"cmd", "stats"}})["ok"] == true);

  std::string out;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "principals", "revoke", "watcher"}, &out, true) ==
          0);
  CHECK(out == "revoked watcher\n");
  // The same connection, its next message:
  json refused = ask({{"cmd", "stats"}});
  CHECK(refused == json{{"ok", false},
                        {"error", "this key is revoked or was rotated"},
                        {"code", "forbidden"}});
  auto rows = audit_of(s, "watcher");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].rfind("admin message: key ", 0) == 0);

  // A new connection with it: one clear line, exit 3, long before the 30 s timeout.
  auto t0 = std::chrono::steady_clock::now();
  std::string err;
  CHECK(run(ASSESSCTL_BIN, {"--data", s.data(), "--key", watcher, "stats"}, &err, true) == 3);
  CHECK(err == "assessctl: the engine at ipc://" + s.data() + "/admin.sock did not accept key " +
                   watcher + " (unknown or revoked)\n");
  CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds(5));
  err.clear();
  CHECK(run(ASSESS_FEED_BIN, {"--data", s.data(), "--key", watcher, s.sample() + "/events.jsonl"},
            &err, true) == 1);
  CHECK(err.find("assess-feed: the engine at ipc://" + s.data() +
                 "/ingest.sock did not accept key " + watcher + " (unknown or revoked)\n") !=
        std::string::npos);
  {
    auto w = start_worker(ASSESS_SCORING_BIN, s.root.path(), {"--key", watcher});
    CHECK(w.wait(std::chrono::seconds(10)) == 3);
    std::ifstream log(s.root.path() + "/worker-assess-worker-scoring.log");
    std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    CHECK(text.find("did not accept key " + watcher + " (unknown or revoked)") !=
          std::string::npos);
  }
  // Names are never reused; a revoked principal cannot be revoked or rotated again.
  err.clear();
  CHECK(run(ASSESSCTL_BIN,
            {"--data", s.data(), "principals", "add", "watcher", "--service", "observer", "--out",
             s.root.path() + "/again"},
            &err, true) == 1);
  CHECK(err.find("principal watcher exists (revoked; names are never reused)") !=
        std::string::npos);

  // Rotation: the old key stops, the new one works, for the same principal.
  std::string auditor = make_principal(s, "auditor", {"--service", "observer"});
  REQUIRE(run(ASSESSCTL_BIN,
              {"--data", s.data(), "principals", "rotate", "auditor", "--out",
               s.root.path() + "/rotated"},
              &out, true) == 0);
  CHECK_FALSE(admin_with_key(s.data(), auditor, {{"cmd", "stats"}}, 1000).has_value());
  CHECK(as(s, s.root.path() + "/rotated/auditor.key_secret", {{"cmd", "stats"}})["ok"] == true);

  // The last admin stays.
  err.clear();
  CHECK(run(ASSESSCTL_BIN, {"--data", s.data(), "principals", "revoke", "admin"}, &err, true) == 1);
  CHECK(err == "assessctl: principal admin is the last admin; make another before revoking it\n");
  json list = admin(s.data(), {{"cmd", "principals.list"}});
  std::map<std::string, std::string> state;
  for (const auto& p : list["principals"])
    state[p["name"]] = p["revoked_at"].is_null() ? "active" : "revoked";
  CHECK(state == std::map<std::string, std::string>{{"admin", "active"},
                                                    {"auditor", "active"},
                                                    {"feed", "active"},
                                                    {"gateway", "active"},
                                                    {"watcher", "revoked"},
                                                    {"worker", "active"}});
}

TEST_CASE("people act only as themselves and in roles they hold, every refusal is audited",
          "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  std::string e1001 = make_principal(s, "e1001", {"--person", "E1001"});
  std::string s2001 = make_principal(s, "s2001", {"--person", "S2001"});
  std::string h0001 = make_principal(s, "h0001", {"--person", "H0001"});
  std::map<std::string, long long> case_of;
  json listed = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  for (const auto& c : listed["cases"])
    case_of[c["employee_id"].get<std::string>()] = c["id"].get<long long>();
  json ratings = s.reviews().at("E1001")["self"]["ratings"];

  auto submit = [&](const std::string& key, long long id, const std::string& as_text) {
    json req{{"cmd", "submit"}, {"case", id}, {"ratings", ratings}};
    if (!as_text.empty()) req["as"] = as_text;
    return as(s, key, req);
  };
  json other = submit(e1001, case_of["E1007"], "employee:E1007");
  CHECK(other == json{{"ok", false},
                      {"error", "principal e1001 may not act as E1007"},
                      {"code", "forbidden"}});
  json not_supervisor = submit(e1001, case_of["E1001"], "supervisor");
  CHECK(not_supervisor["error"] == "E1001 is not the supervisor of this case (S2001 is)");
  CHECK(not_supervisor["code"] == "forbidden");
  json not_hr = as(s, e1001, {{"cmd", "approve"}, {"case", case_of["E1001"]}, {"as", "hr"}});
  CHECK(not_hr["error"] == "E1001 does not hold the hr role");
  json no_as = submit(e1001, case_of["E1001"], "");
  CHECK(no_as["code"] == "invalid");
  // Acting as themself, with or without the id:
  json mine = submit(e1001, case_of["E1001"], "employee");
  REQUIRE(mine["ok"] == true);
  CHECK(mine["state"] == "supervisor_review");
  json review = s.reviews().at("E1001")["supervisor"];
  json sup = as(s, s2001,
                {{"cmd", "submit"},
                 {"case", case_of["E1001"]},
                 {"as", "supervisor:S2001"},
                 {"ratings", review["ratings"]},
                 {"exams", review["exams"]}});
  CHECK(sup["state"] == "scoring");
  json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", case_of["E1001"]}});
  REQUIRE(shown["history"].size() == 3);
  CHECK(shown["history"][0]["principal"] == "admin");  // opened by the admin key
  CHECK(shown["history"][1]["actor"] == "employee:E1001");
  CHECK(shown["history"][1]["principal"] == "e1001");
  CHECK(shown["history"][2]["principal"] == "s2001");
  // Through assessctl a refusal exits 3.
  std::string err;
  CHECK(run(ASSESSCTL_BIN,
            {"--data", s.data(), "--key", e1001, "approve", std::to_string(case_of["E1001"]),
             "--as", "hrbp"},
            &err, true) == 3);
  CHECK(err == "assessctl: E1001 is not the hrbp of this case (B4001 is)\n");
  // A case they may not see does not exist for them (exit 1, not_found).
  err.clear();
  CHECK(run(ASSESSCTL_BIN,
            {"--data", s.data(), "--key", e1001, "approve", std::to_string(case_of["E1007"]),
             "--as", "hrbp"},
            &err, true) == 1);
  CHECK(err == "assessctl: case " + std::to_string(case_of["E1007"]) + " does not exist\n");

  // Organisation changes: not for an employee; HR may, but not grant or remove chairman or admin.
  json row{{"id", "E1002"},
           {"name", "Renamed"},
           {"unit", "环保事业部"},
           {"grade", 3},
           {"supervisor_id", "S2003"},
           {"hrbp_id", "B4002"},
           {"joined_on", "2022-10-01"},
           {"roles", ""}};
  json by_employee = as(s, e1001, {{"cmd", "org.import"}, {"rows", json::array({row})}});
  CHECK(by_employee ==
        json{{"ok", false},
             {"error",
              "principal e1001 (person E1001) may not send org.import (needs the hr or admin "
              "role or the admin capability)"},
             {"code", "forbidden"}});
  CHECK(as(s, h0001, {{"cmd", "org.import"}, {"rows", json::array({row})}})["ok"] == true);
  json chairman_row = row;
  chairman_row["roles"] = "chairman";
  json grant = as(s, h0001, {{"cmd", "org.import"}, {"rows", json::array({chairman_row})}});
  CHECK(grant ==
        json{{"ok", false},
             {"error",
              "granting the chairman role (E1002) needs the admin role or the admin capability; "
              "principal h0001 has neither"},
             {"code", "forbidden"}});
  CHECK(admin(s.data(), {{"cmd", "org.import"}, {"rows", json::array({chairman_row})}})["ok"] ==
        true);  // admin may
  json remove = as(s, h0001, {{"cmd", "org.import"}, {"rows", json::array({row})}});
  CHECK(remove["error"].get<std::string>().rfind("removing the chairman role (E1002)", 0) == 0);

  auto rows = audit_of(s, "e1001");
  CHECK(rows ==
        std::vector<std::string>{
            "admin submit: principal e1001 may not act as E1007",
            "admin submit: E1001 is not the supervisor of this case (S2001 is)",
            "admin approve: E1001 does not hold the hr role",
            "admin submit: as: missing (write ROLE or ROLE:EMPLOYEE_ID, e.g. supervisor:S2001)",
            "admin approve: E1001 is not the hrbp of this case (B4001 is)",
            "admin approve: case " + std::to_string(case_of["E1007"]) + " does not exist",
            "admin org.import: principal e1001 (person E1001) may not send org.import (needs the "
            "hr or admin "
            "role or the admin capability)"});
  CHECK(audit_of(s, "h0001").size() == 2);
  // `assessctl audit` prints them, newest last.
  std::string text;
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "audit", "--principal", "h0001"}, &text) == 0);
  CHECK(text.find("h0001          admin   org.import         removing the chairman role (E1002)") !=
        std::string::npos);

  // A worker's key reads nothing and acts for nobody.
  std::string worker = s.data() + "/keys/worker.key_secret";
  CHECK(as(s, worker, {{"cmd", "stats"}})["ok"] == true);
  CHECK(as(s, worker, {{"cmd", "cases"}})["cases"].empty());
  CHECK(as(s, worker, {{"cmd", "case.show"}, {"case", case_of["E1001"]}})["code"] == "not_found");
  CHECK(
      as(s, worker, {{"cmd", "approve"}, {"case", case_of["E1001"]}, {"as", "hr:H0001"}})["code"] ==
      "forbidden");
  CHECK(as(s, worker, {{"cmd", "principals.list"}})["code"] == "forbidden");
}

TEST_CASE(
    "each reader sees only the cases they may: employee, supervisor, HRBP, HR and an observer",
    "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(s.submit_reviews(cycle, false) == 20);
  json all = admin(s.data(), {{"cmd", "cases"}, {"cycle", cycle}});
  REQUIRE(all["cases"].size() == 20);
  // Who may see what, from the cases themselves: a party to the case.
  auto parties = [&](const std::string& id) {
    std::set<std::string> out;
    for (const auto& c : all["cases"])
      if (c["employee_id"] == id || c["supervisor_id"] == id || c["hrbp_id"] == id)
        out.insert(c["employee_id"]);
    return out;
  };
  std::map<std::string, std::string> key;
  for (const char* who : {"E1001", "S2001", "B4001", "H0001"}) {
    std::string name = who;
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    key[who] = make_principal(s, name, {"--person", who});
  }
  key["observer"] = make_principal(s, "dashboard", {"--service", "observer"});

  CHECK(employees_of(as(s, key["E1001"], {{"cmd", "cases"}})) == std::set<std::string>{"E1001"});
  CHECK(employees_of(as(s, key["S2001"], {{"cmd", "cases"}})) == parties("S2001"));
  CHECK(parties("S2001") == std::set<std::string>{"E1001", "E1007", "S2001"});
  CHECK(employees_of(as(s, key["B4001"], {{"cmd", "cases"}})) == parties("B4001"));
  CHECK(parties("B4001").size() == 7);
  CHECK(employees_of(as(s, key["H0001"], {{"cmd", "cases"}})).size() == 20);
  CHECK(employees_of(as(s, key["observer"],
                        {{
                             "cmd",
                             "cases",
                         },
                         {"cycle", cycle}}))
            .size() == 20);
  // Paging over a party's cases still pages.
  json page = as(s, key["B4001"], {{"cmd", "cases"}, {"limit", 5}});
  CHECK(page["cases"].size() <= 5);

  long long e1007 = 0, e1001 = 0;
  for (const auto& c : all["cases"]) {
    if (c["employee_id"] == "E1007") e1007 = c["id"];
    if (c["employee_id"] == "E1001") e1001 = c["id"];
  }
  json hidden = as(s, key["E1001"], {{"cmd", "case.show"}, {"case", e1007}});
  CHECK(hidden == json{{"ok", false},
                       {"error", "case " + std::to_string(e1007) + " does not exist"},
                       {"code", "not_found"}});
  CHECK(as(s, key["E1001"], {{"cmd", "case.show"}, {"case", e1001}})["self_review"]["ratings"]
            .is_object());
  CHECK(as(s, key["S2001"], {{"cmd", "case.show"}, {"case", e1007}})["ok"] == true);
  CHECK(as(s, key["observer"], {{"cmd", "case.show"}, {"case", e1007}})["ok"] == true);
  // Sales and roll-ups the same way.
  CHECK(as(s, key["E1001"],
           {{"cmd", "sales"}, {"manager_id", "E1001"}, {"period", "2025"}})["ok"] == true);
  CHECK(as(s, key["E1001"],
           {{"cmd", "sales"}, {"manager_id", "E1007"}, {"period", "2025"}})["code"] == "not_found");
  CHECK(as(s, key["S2001"],
           {{"cmd", "sales"}, {"manager_id", "E1007"}, {"period", "2025"}})["ok"] == true);
  CHECK(as(s, key["S2001"],
           {{"cmd", "rollup"}, {"manager_id", "E1002"}, {"period", "2025"}})["code"] ==
        "not_found");
  // Reports: not for an employee or a supervisor; an HRBP's counts only their employees.
  CHECK(as(s, key["E1001"], {{"cmd", "report"}, {"cycle", cycle}})["code"] == "forbidden");
  CHECK(as(s, key["S2001"], {{"cmd", "overdue"}})["code"] == "forbidden");
  int of_b4001 = 0;
  for (const auto& c : all["cases"]) of_b4001 += c["hrbp_id"] == "B4001";
  CHECK(of_b4001 == 6);
  CHECK(as(s, key["B4001"], {{"cmd", "report"}, {"cycle", cycle}})["cases"] == of_b4001);
  CHECK(as(s, key["H0001"], {{"cmd", "report"}, {"cycle", cycle}})["cases"] == 20);
  CHECK(as(s, key["observer"], {{"cmd", "report"}, {"cycle", cycle}})["cases"] == 20);
  // An observer reads but does not act.
  CHECK(as(s, key["observer"], {{"cmd", "approve"}, {"case", e1001}, {"as", "hr:H0001"}})["code"] ==
        "forbidden");
}

TEST_CASE("a result from a connection without the lease, or of the wrong kind, changes nothing",
          "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path(), {"--lease-ms", "60000"});
  s.load();
  long long cycle = s.open_cycle();
  REQUIRE(s.submit_reviews(cycle, false) == 20);
  REQUIRE(s.submit_reviews(cycle, true) == 20);  // all 20 wait in scoring; no scoring worker runs

  zmq::context_t ctx(1);
  auto worker_socket = [&](zmq::socket_t& sock) {
    sock.set(zmq::sockopt::linger, 0);
    sock.set(zmq::sockopt::rcvtimeo, 5000);
    secure(sock, s.data(), "worker");
    sock.connect("ipc://" + s.data() + "/tasks.sock");
  };
  auto send = [](zmq::socket_t& sock, const af::msg::envelope& e) {
    std::string frame = af::msg::encode(e);
    sock.send(zmq::buffer(frame), zmq::send_flags::none);
  };
  zmq::socket_t holder(ctx, zmq::socket_type::dealer), other(ctx, zmq::socket_type::dealer);
  worker_socket(holder);
  worker_socket(other);
  send(holder, af::msg::pack(af::msg::worker_hello{af::msg::worker_kind::scoring, "holder", 1, 1}));
  zmq::message_t frame;
  REQUIRE(holder.recv(frame));  // its one leased task
  auto task = af::msg::decode({frame.data<char>(), frame.size()});
  REQUIRE(task.is_ok());
  auto body = af::msg::unpack<af::msg::scoring_task>(*task);
  REQUIRE(body.is_ok());
  long long case_id = static_cast<long long>(body->case_id);
  af::msg::scoring_result result;
  result.case_id = body->case_id;
  result.ok = true;
  result.items = {{"product_knowledge", 435}};
  result.total = 4000;
  result.tier = 2;
  auto answer = af::msg::pack(result, 0, task->id);

  // Another connection of the same worker principal, with a hello of its own, answers it:
  send(other, af::msg::pack(af::msg::worker_hello{af::msg::worker_kind::scoring, "other", 2, 0}));
  send(other, answer);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The holder answers with the wrong kind of result:
  af::msg::notify_result wrong;
  wrong.ok = true;
  send(holder, af::msg::pack(wrong, 0, task->id));
  // And a key without worker capabilities cannot reach the task socket at all.
  zmq::socket_t feed(ctx, zmq::socket_type::dealer);
  secure(feed, s.data(), "feed");
  af::msg::handshake_watch feed_watch(feed);
  feed.connect("ipc://" + s.data() + "/tasks.sock");
  CHECK(feed_watch.poll(std::chrono::seconds(2)) == af::msg::handshake_watch::outcome::refused);

  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  json shown = admin(s.data(), {{"cmd", "case.show"}, {"case", case_id}});
  CHECK(shown["state"] == "scoring");
  CHECK(shown["total"].is_null());
  auto rows = audit_of(s, "worker");
  REQUIRE_FALSE(rows.empty());  // at most one a minute per principal and endpoint
  CHECK(rows[0] == "tasks scoring_result: task " + std::to_string(task->id) +
                       " is not leased to this connection");
  CHECK(audit_of(s, "feed") ==
        std::vector<std::string>{
            "tasks connect: the tasks endpoint admits worker:* principals only"});

  // The holder's own answer of the right kind is applied, once.
  send(holder, answer);
  REQUIRE(eventually([&] {
    return admin(s.data(), {{"cmd", "case.show"}, {"case", case_id}})["state"] == "hrbp_review";
  }));
  CHECK(admin(s.data(), {{"cmd", "case.show"}, {"case", case_id}})["total"] == 40.0);

  // A worker whose key is revoked is offered nothing more: the engine forgets its connection.
  std::string w2 = make_principal(s, "w2", {"--service", "worker:scoring"});
  zmq::socket_t revoked(ctx, zmq::socket_type::dealer);
  revoked.set(zmq::sockopt::linger, 0);
  revoked.set(zmq::sockopt::rcvtimeo, 5000);
  secure(revoked, s.data(), "worker", w2);
  revoked.connect("ipc://" + s.data() + "/tasks.sock");
  send(revoked, af::msg::pack(af::msg::worker_hello{af::msg::worker_kind::scoring, "w2", 3, 4}));
  REQUIRE(revoked.recv(frame));  // it holds leases now
  auto principals_of_workers = [&] {
    std::set<std::string> out;
    json stats =
        admin(s.data(), {{"cmd", "stats"}});  // kept: a range-for over a temporary's member dangles
    for (const auto& w : stats["workers"]) out.insert(w["principal"].get<std::string>());
    return out;
  };
  CHECK(principals_of_workers().count("w2") == 1);
  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "principals", "revoke", "w2"}) == 0);
  CHECK(principals_of_workers().count("w2") == 0);
  json stats = admin(s.data(), {{"cmd", "stats"}});
  CHECK(stats["tasks"]["leased"].get<int>() <= 2);  // the holder's and the other's, none of w2's
}

TEST_CASE(
    "the events endpoint admits only readers of every case, and a revoked subscriber is cut off",
    "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string e1001 = make_principal(s, "e1001", {"--person", "E1001"});
  std::string h0001 = make_principal(s, "h0001", {"--person", "H0001"});
  std::string dashboard = make_principal(s, "dashboard", {"--service", "observer"});
  zmq::context_t ctx(1);
  struct subscriber {
    zmq::socket_t sock;
    std::unique_ptr<af::msg::handshake_watch> watch;
  };
  auto subscribe = [&](const std::string& key) {
    subscriber sub{zmq::socket_t(ctx, zmq::socket_type::sub), nullptr};
    sub.sock.set(zmq::sockopt::linger, 0);
    sub.sock.set(zmq::sockopt::rcvtimeo, 300);
    sub.sock.set(zmq::sockopt::subscribe, "case");
    secure(sub.sock, s.data(), "admin", key);
    sub.watch = std::make_unique<af::msg::handshake_watch>(sub.sock);
    sub.sock.connect("ipc://" + s.data() + "/events.sock");
    return sub;
  };
  // How many case events reach the subscriber within a short wait.
  auto drain = [](subscriber& sub) {
    int n = 0;
    zmq::message_t m;
    while (sub.sock.recv(m)) n += !m.more();
    return n;
  };
  subscriber employee = subscribe(e1001), hr = subscribe(h0001), observer = subscribe(dashboard);
  CHECK(employee.watch->poll(std::chrono::seconds(2)) ==
        af::msg::handshake_watch::outcome::refused);
  CHECK(hr.watch->poll(std::chrono::seconds(2)) == af::msg::handshake_watch::outcome::accepted);
  CHECK(observer.watch->poll(std::chrono::seconds(2)) ==
        af::msg::handshake_watch::outcome::accepted);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // subscriptions reach the engine
  long long first = s.open_cycle("2026-Q2");
  (void)first;
  CHECK(drain(hr) == 20);
  CHECK(drain(observer) == 20);
  CHECK(drain(employee) == 0);
  CHECK(audit_of(s, "e1001") ==
        std::vector<std::string>{
            "events connect: the events endpoint admits only principals that may read every case"});

  REQUIRE(run(ASSESSCTL_BIN, {"--data", s.data(), "principals", "revoke", "dashboard"}) == 0);
  // Every subscriber handshakes again: HR is admitted, the revoked observer is not.
  int hr_handshakes = hr.watch->accepted_count();
  INFO("observer handshakes: " << observer.watch->accepted_count() << " accepted, "
                               << observer.watch->refused_count() << " refused");
  CHECK(eventually(
      [&] {
        return observer.watch->poll(std::chrono::milliseconds(50)) ==
               af::msg::handshake_watch::outcome::refused;
      },
      std::chrono::seconds(5)));
  REQUIRE(eventually(
      [&] {
        hr.watch->poll(std::chrono::milliseconds(50));
        return hr.watch->accepted_count() > hr_handshakes;
      },
      std::chrono::seconds(5)));
  // A SUB socket sends its subscriptions down a new connection only when
  // its owner touches it (as any subscriber's receive loop does).
  for (int i = 0; i < 5; ++i) {
    (void)hr.sock.get(zmq::sockopt::events);
    std::this_thread::sleep_for(std::chrono::milliseconds(60));
  }
  s.open_cycle("2026-Q1");
  CHECK(drain(hr) == 20);
  CHECK(drain(observer) == 0);

  // H0001 loses the hr role: the events endpoint judges every subscriber again.
  std::ifstream org(s.sample() + "/org.csv");
  std::string header, line;
  std::getline(org, header);
  json h_row;
  while (std::getline(org, line))
    if (line.rfind("H0001,", 0) == 0) {
      std::vector<std::string> f;
      std::stringstream ss(line);
      for (std::string v; std::getline(ss, v, ',');) f.push_back(v);
      f.resize(8);
      h_row = {{"id", f[0]},
               {"name", f[1]},
               {"unit", f[2]},
               {"grade", f[3]},
               {"supervisor_id", f[4]},
               {"hrbp_id", f[5]},
               {"joined_on", f[6]},
               {"roles", ""}};
    }
  REQUIRE(admin(s.data(), {{"cmd", "org.import"}, {"rows", json::array({h_row})}})["ok"] == true);
  CHECK(eventually(
      [&] {
        return hr.watch->poll(std::chrono::milliseconds(50)) ==
               af::msg::handshake_watch::outcome::refused;
      },
      std::chrono::seconds(5)));
}

TEST_CASE(
    "first start makes DATA/keys and tightens every file under DATA, a worker started first waits "
    "for its key",
    "[integration][access]") {
  scenario s;
  fs::create_directories(s.data() + "/notifications/old");
  { std::ofstream(s.data() + "/notifications/E9.jsonl") << "{}\n"; }
  fs::permissions(s.data(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(s.data() + "/notifications/E9.jsonl",
                  fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read |
                      fs::perms::others_read);
  // A worker started before the engine has made its keys waits for them.
  auto worker = start_worker(ASSESS_SCORING_BIN, s.root.path());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto engine = start_engine(s.root.path());
  REQUIRE(eventually([&] { return admin(s.data(), {{"cmd", "stats"}})["workers"].size() == 1; }));
  CHECK(admin(s.data(), {{"cmd", "stats"}})["workers"][0]["principal"] == "worker");

  CHECK(mode_of(s.data()) == 0700);
  CHECK(mode_of(s.data() + "/keys") == 0700);
  for (const char* name : {"engine", "admin", "worker", "feed", "gateway"}) {
    INFO(name);
    CHECK(mode_of(s.data() + "/keys/" + name + ".key_secret") == 0600);
    auto pair = af::msg::read_certificate(s.data() + "/keys/" + name + ".key_secret");
    REQUIRE(pair.is_ok());
    CHECK(af::msg::read_certificate(s.data() + "/keys/" + name + ".key")->public_key ==
          pair->public_key);
  }
  CHECK(mode_of(s.data() + "/notifications") == 0700);
  CHECK(mode_of(s.data() + "/notifications/old") == 0700);
  CHECK(mode_of(s.data() + "/notifications/E9.jsonl") == 0600);
  CHECK(mode_of(s.data() + "/assessflow.db") == 0600);
  // The default principals are registered once, with the keys in their files.
  json list = admin(s.data(), {{"cmd", "principals.list"}});
  std::map<std::string, std::string> caps;
  for (const auto& p : list["principals"]) caps[p["name"]] = p["capabilities"];
  CHECK(caps == std::map<std::string, std::string>{
                    {"admin", "admin"},
                    {"feed", "ingest"},
                    {"gateway", "gateway"},
                    {"worker", "worker:scoring,worker:targets,worker:notify"}});
  // No secret in the database.
  std::ifstream secret(s.data() + "/keys/admin.key_secret");
  std::string text((std::istreambuf_iterator<char>(secret)), std::istreambuf_iterator<char>());
  auto pos = text.find("secret-key = \"");
  REQUIRE(pos != std::string::npos);
  std::string secret_z85 = text.substr(pos + 14, 40);
  CHECK(query(s, "SELECT count(*) FROM principals WHERE public_key = '" + secret_z85 + "'") ==
        "0\n");
  CHECK(query(s, "SELECT count(*) FROM principals") == "4\n");
}

TEST_CASE("events come from principals with ingest, each source has its own event ids",
          "[integration][access]") {
  scenario s;
  s.generate(8, 100);
  auto engine = start_engine(s.root.path());
  s.load();
  std::string erp = make_principal(s, "erp", {"--service", "ingest"});
  std::string observer = make_principal(s, "dashboard", {"--service", "observer"});
  zmq::context_t ctx(1);
  auto publish = [&](const std::string& key, const std::string& text) {
    zmq::socket_t sock(ctx, zmq::socket_type::req);
    sock.set(zmq::sockopt::linger, 0);
    sock.set(zmq::sockopt::rcvtimeo, 5000);
    secure(sock, s.data(), "feed", key);
    sock.connect("ipc://" + s.data() + "/ingest.sock");
    sock.send(zmq::buffer(text), zmq::send_flags::none);
    zmq::message_t reply;
    REQUIRE(sock.recv(reply));
    return json::parse(reply.to_string_view());
  };
  json before = admin(s.data(), {{"cmd", "sales"}, {"manager_id", "E1001"}, {"period", "2026-08"}});
  std::string sale =
      R"({"type":"sale","event_id":"sale-1","manager_id":"E1001","occurred_at":"2026-08-03T10:00:00+08:00","amount_fen":1000,"brand":"yanghe","customer_id":"K1"})";
  json refused = publish(observer, sale);
  CHECK(refused ==
        json::array({{{"event_id", nullptr},
                      {"status", "rejected"},
                      {"error",
                       "principal dashboard (service: observer) may not publish events (needs the "
                       "ingest capability)"}}}));
  CHECK(publish("", sale)[0]["status"] == "accepted");   // feed's sale-1
  CHECK(publish(erp, sale)[0]["status"] == "accepted");  // erp's sale-1: another event
  CHECK(publish(erp, sale)[0]["status"] == "duplicate");
  CHECK(publish("", sale)[0]["status"] == "duplicate");
  // A refund names a sale of its own source.
  std::string refund =
      R"({"type":"refund","event_id":"refund-1","manager_id":"E1001","occurred_at":"2026-08-04T10:00:00+08:00","amount_fen":1000,"brand":"yanghe","refers_to":"sale-2"})";
  std::string feed_sale_2 = sale;
  feed_sale_2.replace(feed_sale_2.find("sale-1"), 6, "sale-2");
  CHECK(publish("", feed_sale_2)[0]["status"] == "accepted");
  json cross = publish(erp, refund);
  CHECK(cross[0]["status"] == "rejected");
  CHECK(cross[0]["error"] == "refers_to: no sale \"sale-2\" is known");
  CHECK(publish("", refund)[0]["status"] == "accepted");
  json after = admin(s.data(), {{"cmd", "sales"}, {"manager_id", "E1001"}, {"period", "2026-08"}});
  CHECK(after["sales_fen"].get<long long>() - before["sales_fen"].get<long long>() ==
        3000);  // feed's 2, erp's 1
  CHECK(after["refunds_fen"].get<long long>() - before["refunds_fen"].get<long long>() == 1000);
  CHECK(query(s,
              "SELECT source, count(*) FROM events WHERE event_id LIKE 'sale-%' GROUP BY source "
              "ORDER BY source") == "erp|1\nfeed|2\n");
  CHECK(audit_of(s, "dashboard").size() == 1);
}
