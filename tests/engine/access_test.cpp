// Tests for engine/access.h (who may send what, act as whom, see which
// case), the admin API's principals.* and audit requests, and what an
// existing database becomes when it meets migration 007.
#include "engine/access.h"

#include <catch2/catch.hpp>
#include <filesystem>

#include "engine/ingest.h"
#include "messages/curve_keys.h"
#include "tests/engine/admin_fixture.h"

using namespace af::engine::testing;
using af::engine::capability;
using af::engine::case_view;
using af::engine::gate;
using af::engine::principal;
using af::engine::role;
using af::engine::viewer;

namespace {

principal person(const std::string& employee) {
  return {"p-" + employee, true, employee, {}, "", false};
}
principal service(std::set<capability> caps) {
  return {"svc", false, "", std::move(caps), "", false};
}

af::engine::case_row a_case() {
  af::engine::case_row c;
  c.id = 7;
  c.employee_id = "E1";
  c.supervisor_id = "S1";
  c.hrbp_id = "B1";
  return c;
}

std::string key() { return af::msg::make_key_pair()->public_key; }

}  // namespace

TEST_CASE("every command has a gate, and an unknown one has none", "[engine][access]") {
  for (const char* cmd : {"stats", "schedule", "standards"})
    CHECK(af::engine::gate_of(cmd) == gate::anyone);
  for (const char* cmd : {"cases", "case.show", "sales", "rollup"})
    CHECK(af::engine::gate_of(cmd) == gate::reader);
  for (const char* cmd : {"submit", "approve", "return", "adjust", "cancel", "rate", "raters.add"})
    CHECK(af::engine::gate_of(cmd) == gate::actor);
  for (const char* cmd : {"report", "overdue", "grades"})
    CHECK(af::engine::gate_of(cmd) == gate::reporter);
  for (const char* cmd : {"org.import", "cycle.start", "standards.adjust"})
    CHECK(af::engine::gate_of(cmd) == gate::org_manager);
  for (const char* cmd :
       {"principals.add", "principals.list", "principals.revoke", "principals.rotate", "audit"})
    CHECK(af::engine::gate_of(cmd) == gate::admin);
  CHECK_FALSE(af::engine::gate_of("scored").has_value());  // workers only, never over the admin API
  CHECK_FALSE(af::engine::gate_of("fly").has_value());
}

TEST_CASE("the gates follow DESIGN.md's table", "[engine][access]") {
  principal e1 = person("E1"), h1 = person("H1"), a1 = person("A1"), b1 = person("B1");
  principal observer = service({capability::observer}), portal = service({capability::portal}),
            admin = service({capability::admin}), feed = service({capability::ingest}),
            worker = service({capability::worker_scoring, capability::worker_notify});
  viewer employee{&e1, {}, false}, hr{&h1, {role::hr}, false},
      admin_person{&a1, {role::admin}, false}, hrbp{&b1, {}, true}, obs{&observer, {}, false},
      por{&portal, {}, false}, adm{&admin, {}, false}, fee{&feed, {}, false},
      wor{&worker, {}, false};
  auto passes = [](const viewer& v, gate g) { return af::engine::pass_gate(v, g, "x").is_ok(); };
  // who:                      employee hr    admin  hrbp   observer portal admin-svc ingest worker
  std::vector<std::pair<gate, std::vector<bool>>> table = {
      {gate::anyone, {true, true, true, true, true, true, true, true, true}},
      {gate::reader, {true, true, true, true, true, true, true, true, true}},
      {gate::actor, {true, true, true, true, false, true, true, false, false}},
      {gate::reporter, {false, true, true, true, true, true, true, false, false}},
      {gate::org_manager, {false, true, true, false, false, true, true, false, false}},
      {gate::admin, {false, false, true, false, false, false, true, false, false}},
  };
  std::vector<const viewer*> who = {&employee, &hr,  &admin_person, &hrbp, &obs,
                                    &por,      &adm, &fee,          &wor};
  for (const auto& [g, row] : table)
    for (std::size_t i = 0; i < who.size(); ++i) {
      INFO("gate " << static_cast<int>(g) << ", caller " << i);
      CHECK(passes(*who[i], g) == row[i]);
    }
  CHECK(af::engine::pass_gate(fee, gate::admin, "principals.add").message() ==
        "principal svc (service: ingest) may not send principals.add (needs the admin role or the "
        "admin capability)");
  // Who reads every case.
  CHECK_FALSE(employee.sees_all());
  CHECK_FALSE(hrbp.sees_all());
  CHECK(hr.sees_all());
  CHECK(viewer{&e1, {role::chairman}, false}.sees_all());
  CHECK(obs.sees_all());
  CHECK(por.sees_all());
  CHECK_FALSE(fee.sees_all());
  CHECK_FALSE(wor.sees_all());
}

TEST_CASE(
    "a person acts only as its own employee, a portal or admin for anyone, other services for "
    "nobody",
    "[engine][access]") {
  principal e1 = person("E1"), portal = service({capability::portal}),
            admin = service({capability::admin}), feed = service({capability::ingest});
  viewer me{&e1, {}, false}, por{&portal, {}, false}, adm{&admin, {}, false}, fee{&feed, {}, false};
  using af::engine::resolve_as;
  CHECK(*resolve_as(me, std::string("employee")) == "employee:E1");
  CHECK(*resolve_as(me, std::string("supervisor:E1")) == "supervisor:E1");
  CHECK(resolve_as(me, std::string("supervisor:S1")).error().message() ==
        "principal p-E1 may not act as S1");
  CHECK(resolve_as(me, std::string("supervisor:S1")).error().code() == af::status_code::forbidden);
  CHECK(resolve_as(me, std::nullopt).error().code() == af::status_code::invalid_argument);
  CHECK(resolve_as(me, std::string("")).error().code() == af::status_code::invalid_argument);
  CHECK(*resolve_as(por, std::string("rater:K-17")) == "rater:K-17");
  CHECK(*resolve_as(adm, std::string("hr:H1")) == "hr:H1");
  CHECK(resolve_as(adm, std::string("hr")).error().code() == af::status_code::invalid_argument);
  CHECK(resolve_as(fee, std::string("hr:H1")).error().message() ==
        "principal svc (service: ingest) may not act for anyone");
}

TEST_CASE(
    "a case is seen whole by its parties and those who read everything, by a rater only while "
    "rating",
    "[engine][access]") {
  auto c = a_case();
  principal e1 = person("E1"), s1 = person("S1"), b1 = person("B1"), e2 = person("E2"),
            h1 = person("H1"), feed = service({capability::ingest}),
            observer = service({capability::observer});
  using af::engine::view_of;
  CHECK(view_of({&e1, {}, false}, c, false) == case_view::full);
  CHECK(view_of({&s1, {}, false}, c, false) == case_view::full);
  CHECK(view_of({&b1, {}, true}, c, false) == case_view::full);
  CHECK(view_of({&h1, {role::hr}, false}, c, false) == case_view::full);
  CHECK(view_of({&observer, {}, false}, c, false) == case_view::full);
  CHECK(view_of({&e2, {}, false}, c, false) == case_view::hidden);
  CHECK(view_of({&e2, {}, false}, c, true) == case_view::rating);
  CHECK(view_of({&feed, {}, false}, c, false) == case_view::hidden);
  CHECK(view_of({&feed, {}, false}, c, true) == case_view::hidden);
  c.hrbp_id.clear();  // a case without an HRBP is nobody's with an empty id
  principal nobody = person("");
  CHECK(view_of({&nobody, {}, false}, c, false) == case_view::hidden);

  af::engine::employee_row e{"E1", "n", "U1", 3, "S1", "B1", "2021-03-01", {}, true};
  CHECK(af::engine::may_see_employee({&e1, {}, false}, e));
  CHECK(af::engine::may_see_employee({&s1, {}, false}, e));
  CHECK(af::engine::may_see_employee({&b1, {}, true}, e));
  CHECK_FALSE(af::engine::may_see_employee({&e2, {}, false}, e));
  CHECK(af::engine::may_see_employee({&h1, {role::hr}, false}, e));
  CHECK_FALSE(af::engine::may_see_employee({&feed, {}, false}, e));
}

TEST_CASE("a bulk action is checked case by case under the rules of a single one",
          "[engine][access]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1"), e2 = f.case_of("E2");
  f.to_hrbp_review(e1, "E1");
  f.to_hrbp_review(e2, "E2");
  f.as_person("S1");  // their supervisor, not their HRBP: each case refuses, nothing moves
  auto none = f.ok({{"cmd", "approve"}, {"as", "hrbp"}, {"state", "hrbp_review"}});
  CHECK(none["matched"] == 2);
  CHECK(none["applied"].empty());
  CHECK(none["refused"][0] == njson{{"case", e1},
                                    {"error", "S1 is not the hrbp of this case (B1 is)"},
                                    {"code", "forbidden"}});
  CHECK(f.state(e1) == "hrbp_review");
  f.as_person("B1");
  auto both = f.ok({{"cmd", "approve"}, {"as", "hrbp"}, {"state", "hrbp_review"}});
  CHECK(both["applied"] == njson::array({e1, e2}));
  CHECK(f.state(e1) == "hr_review");
  // An employee's bulk action counts and names only cases they may see.
  f.as_person("E2");
  auto own = f.ok({{"cmd", "approve"}, {"as", "employee"}, {"state", "hr_review"}});
  CHECK(own["matched"] == 1);
  CHECK(own["refused"][0]["case"] == e2);
  // HR may approve everything in hr_review; the history names the principal.
  f.as_person("H1");
  CHECK(f.ok({{"cmd", "approve"}, {"as", "hr"}, {"state", "hr_review"}})["applied"].size() == 2);
  auto history = f.show(e1)["history"];
  CHECK(history.back()["actor"] == "hr:H1");
  CHECK(history.back()["principal"] == "p-H1");
}

TEST_CASE(
    "organisation changes: HR, admin, and a portal acting for HR, chairman and admin roles need "
    "admin",
    "[engine][access]") {
  fixture f;
  f.import_org();
  auto rows = small_org();
  rows[5]["name"] = "Renamed";  // E1
  f.as_person("H1");
  CHECK(f.ok({{"cmd", "org.import"}, {"rows", rows}})["updated"] == 7);
  rows[6]["roles"] = "chairman";  // E2
  CHECK(f.refused_with("forbidden", {{"cmd", "org.import"}, {"rows", rows}}) ==
        "granting the chairman role (E2) needs the admin role or the admin capability; principal "
        "p-H1 has neither");
  f.as_person("A1");
  f.ok({{"cmd", "org.import"}, {"rows", rows}});
  rows[6]["roles"] = "";
  f.as_person("H1");
  CHECK(f.refused_with("forbidden", {{"cmd", "org.import"}, {"rows", rows}})
            .rfind("removing the chairman role (E2)", 0) == 0);

  f.as_service("hr-portal", {capability::portal});
  CHECK(
      f.refused_with("invalid", {{"cmd", "org.import"}, {"rows", rows}}).rfind("as: missing", 0) ==
      0);
  CHECK(
      f.refused_with("forbidden", {{"cmd", "org.import"}, {"as", "employee:E1"}, {"rows", rows}}) ==
      "principal hr-portal acts for employee:E1: an active employee holding the hr or admin role, "
      "claimed as such, "
      "is needed");
  CHECK(f.refused_with("forbidden", {{"cmd", "org.import"}, {"as", "employee:H1"}, {"rows", rows}})
            .rfind("principal hr-portal acts for employee:H1:", 0) ==
        0);  // H1 holds hr, but acts as an employee
  CHECK(f.refused_with("forbidden", {{"cmd", "org.import"}, {"as", "hr:H1"}, {"rows", rows}})
            .rfind("removing the chairman", 0) == 0);
  rows[6]["roles"] = "chairman";
  CHECK(f.ok({{"cmd", "org.import"}, {"as", "hr:H1"}, {"rows", rows}})["imported"] == 7);
  auto opened = f.ok({{"cmd", "cycle.start"},
                      {"as", "hr:H1"},
                      {"program", "competency50"},
                      {"period", "2026-Q3"}});
  CHECK(opened["opened"] == 1);  // E2 holds the chairman role now: only E1 is assessed
  f.as_person("E1");
  CHECK(f.refused_with(
            "forbidden",
            {{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q4"}}) ==
        "principal p-E1 (person E1) may not send cycle.start (needs the hr or admin role or the "
        "admin capability)");
}

TEST_CASE("an `as` that is not text is refused, on every command that takes one",
          "[engine][access]") {
  fixture f;
  f.import_org();
  f.start_cycle();
  auto e1 = f.case_of("E1");  // the admin service passes every gate: the `as` itself is refused
  for (const char* cmd : {"raters.add", "submit", "approve", "standards.adjust", "cycle.start"}) {
    INFO(cmd);
    CHECK(f.refused_with("invalid", {{"cmd", cmd},
                                     {"case", e1},
                                     {"as", 1},
                                     {"program", "competency50"},
                                     {"period", "2026-Q4"}})
              .rfind("as: must be text", 0) == 0);
  }
  CHECK(f.state(e1) == "self_review");
}

TEST_CASE("a batch holds at most 10,000 requests", "[engine][access]") {
  fixture f;
  njson requests = njson::array();
  for (int i = 0; i < 10001; ++i) requests.push_back({{"cmd", "stats"}});
  CHECK(f.refused_with("invalid", {{"cmd", "batch"}, {"requests", requests}}) ==
        "requests: 10001 requests, at most 10000 in one batch");
  requests.erase(requests.begin());
  CHECK(f.ok({{"cmd", "batch"}, {"requests", requests}})["results"].size() == 10000);
}

TEST_CASE("principals.add, list, revoke and rotate refuse what they must, naming why",
          "[engine][access]") {
  fixture f;
  f.import_org();
  std::string k1 = key(), k2 = key();
  CHECK(f.refused_with("invalid", {{"cmd", "principals.add"},
                                   {"name", "bad name"},
                                   {"services", "observer"},
                                   {"public_key", k1}}) ==
        "name: \"bad name\" must be 1..64 of A-Z a-z 0-9 . _ - and not \"engine\"");
  CHECK(f.refused_with("invalid", {{"cmd", "principals.add"},
                                   {"name", "engine"},
                                   {"services", "observer"},
                                   {"public_key", k1}})
            .rfind("name: \"engine\"", 0) == 0);
  CHECK(f.refused_with("invalid", {{"cmd", "principals.add"}, {"name", "x"}, {"public_key", k1}}) ==
        "give either person (an employee id) or services (capabilities)");
  CHECK(f.refused_with("invalid", {{"cmd", "principals.add"},
                                   {"name", "x"},
                                   {"person", "E1"},
                                   {"services", "admin"},
                                   {"public_key", k1}}) ==
        "give either person (an employee id) or services (capabilities)");
  CHECK(f.refused_with(
            "invalid",
            {{"cmd", "principals.add"}, {"name", "x"}, {"person", "E99"}, {"public_key", k1}}) ==
        "person: unknown employee \"E99\"");
  CHECK(f.refused_with("invalid", {{"cmd", "principals.add"},
                                   {"name", "x"},
                                   {"services", "ingest,root"},
                                   {"public_key", k1}}) ==
        "services: capability \"root\" is not one of ingest, worker:scoring, worker:targets, "
        "worker:notify, portal, "
        "observer, admin, gateway");
  CHECK(f.refused_with("invalid", {{"cmd", "principals.add"},
                                   {"name", "x"},
                                   {"services", "observer"},
                                   {"public_key", "short"}}) ==
        "public_key: not a 40-character Z85 CURVE public key");
  auto added = f.ok({{"cmd", "principals.add"},
                     {"name", "erp"},
                     {"services", njson::array({"ingest", "observer"})},
                     {"public_key", k1}});
  CHECK(added["capabilities"] == "ingest,observer");
  CHECK(added["created_by"] == "admin");
  CHECK(f.refused_with("conflict", {{"cmd", "principals.add"},
                                    {"name", "erp"},
                                    {"services", "observer"},
                                    {"public_key", k2}}) == "name: principal erp exists");
  CHECK(f.refused_with("conflict", {{"cmd", "principals.add"},
                                    {"name", "erp2"},
                                    {"services", "observer"},
                                    {"public_key", k1}}) ==
        "public_key: already registered (principal erp)");
  f.ok({{"cmd", "principals.add"}, {"name", "a1"}, {"person", "A1"}, {"public_key", k2}});

  // Rotation retires the old key for good: it cannot be registered again.
  std::string k3 = key();
  CHECK(f.ok({{"cmd", "principals.rotate"}, {"name", "erp"}, {"public_key", k3}})["public_key"] ==
        k3);
  CHECK(f.refused_with("conflict", {{"cmd", "principals.add"},
                                    {"name", "erp3"},
                                    {"services", "observer"},
                                    {"public_key", k1}}) ==
        "public_key: already registered (principal erp)");
  f.principals.reload(f.db);
  CHECK(f.principals.by_key(k1) == nullptr);
  CHECK(f.principals.holder_of(k1) == "erp");
  CHECK(f.principals.by_key(k3)->name == "erp");

  // Revocation; the last admin (the A1 person counts: A1 holds the admin role) stays.
  CHECK(f.refused_with("not_found", {{"cmd", "principals.revoke"}, {"name", "nobody"}}) ==
        "principal nobody does not exist");
  f.ok({{"cmd", "principals.revoke"}, {"name", "erp"}});
  CHECK(f.refused_with("conflict", {{"cmd", "principals.revoke"}, {"name", "erp"}})
            .rfind("principal erp was revoked at ", 0) == 0);
  CHECK(f.refused_with("conflict",
                       {{"cmd", "principals.rotate"}, {"name", "erp"}, {"public_key", key()}})
            .rfind("principal erp was revoked at ", 0) == 0);
  CHECK(f.refused_with("conflict", {{"cmd", "principals.revoke"}, {"name", "a1"}}) ==
        "principal a1 is the last admin; make another before revoking it");
  auto list = f.ok({{"cmd", "principals.list"}})["principals"];
  REQUIRE(list.size() == 2);
  CHECK(list[0]["name"] == "a1");
  CHECK(list[0]["kind"] == "person");
  CHECK(list[1]["revoked_at"].is_string());
  for (const auto& p : list) CHECK_FALSE(p.dump().find("secret") != std::string::npos);

  // Every refusal above is in the audit, with the command and the reason.
  auto audit = f.ok({{"cmd", "audit"}, {"principal", "admin"}})["audit"];
  CHECK(audit.size() == 14);
  CHECK(audit[0]["command"] == "principals.add");
  CHECK(audit[0]["endpoint"] == "admin");
  CHECK(audit[0]["reason"] ==
        "name: \"bad name\" must be 1..64 of A-Z a-z 0-9 . _ - and not \"engine\"");
  CHECK(f.ok({{"cmd", "audit"}, {"limit", 2}})["audit"].size() == 2);
  CHECK(f.ok({{"cmd", "audit"}, {"since", "2026-10-02"}})["audit"].empty());
  CHECK(f.ok({{"cmd", "audit"}, {"since", "2026-10-01T08:00:00+08:00"}})["audit"].size() == 14);
  CHECK(f.refused_with("invalid", {{"cmd", "audit"}, {"since", "yesterday"}}) ==
        "since: \"yesterday\" is not an ISO 8601 instant (2026-12-01T09:00:00+08:00) or a date");
  f.as_person("E1");
  CHECK(f.refused_with("forbidden", {{"cmd", "audit"}}) ==
        "principal p-E1 (person E1) may not send audit (needs the admin role or the admin "
        "capability)");
  // Old rows go; the purge keeps the rest.
  f.db.work().begin();
  CHECK(f.db.purge_audit(f.now - 3600) == 0);
  CHECK(f.db.purge_audit(f.now + 1) == 16);
  f.db.work().commit();
}

TEST_CASE("a database from before principals: its events belong to feed and stay deduplicated",
          "[engine][access]") {
  temp_dir dir;
  std::string path = dir.file("assessflow.db");
  std::string old_migrations = dir.file("migrations-006");
  std::filesystem::create_directories(old_migrations);
  for (const auto& e : std::filesystem::directory_iterator(ASSESSFLOW_SCHEMAS_DIR "/migrations"))
    if (e.path().filename().string() < "007")
      std::filesystem::copy_file(e.path(), old_migrations + "/" + e.path().filename().string());
  const std::string sale =
      R"({"type":"sale","event_id":"old-1","manager_id":"E1","occurred_at":"2026-08-03T10:00:00+08:00","amount_fen":500,"brand":"yanghe","customer_id":"K1"})";
  {
    // Version 6: events as an older engine stored them, fingerprinted by id alone.
    auto db = af::engine::store::open(path, old_migrations, false);
    REQUIRE(db.is_ok());
  }
  {
    af::engine::database raw = std::move(af::engine::database::open(path).value());
    // As that engine wrote it (today's store writes columns it did not have).
    raw.exec(
        "INSERT INTO employees (id, name, unit, grade, joined_on) VALUES ('E1', 'n', 'U1', 3, "
        "'2021-03-01')");
    auto fp = af::engine::ingest::fingerprint_of("feed", "old-1");
    raw.exec(
        "INSERT INTO events (event_id, fp_hi, fp_lo, type, manager_id, occurred_at, amount_fen, "
        "brand, received_at) "
        "VALUES ('old-1', " +
        std::to_string(static_cast<std::int64_t>(fp.hi)) + ", " +
        std::to_string(static_cast<std::int64_t>(fp.lo)) +
        ", 'sale', 'E1', 1785722400, 500, 'yanghe', 0)");
  }
  auto db = open_store(path);  // migration 007
  af::engine::ingest in(db, shanghai, 1 << 20);
  in.load();
  CHECK(in.fingerprints() == 1);
  db.work().begin();
  CHECK(in.handle(sale, start_instant, "feed") == R"([{"event_id":"old-1","status":"duplicate"}])");
  CHECK(in.handle(sale, start_instant, "erp") == R"([{"event_id":"old-1","status":"accepted"}])");
  // A refund names a sale of its own source: crm has none called old-1; feed has.
  std::string refund =
      R"({"type":"refund","event_id":"r-1","manager_id":"E1","occurred_at":"2026-08-04T10:00:00+08:00","amount_fen":500,"brand":"yanghe","refers_to":"old-1"})";
  CHECK(
      in.handle(refund, start_instant, "crm") ==
      R"([{"event_id":"r-1","status":"rejected","error":"refers_to: no sale \"old-1\" is known"}])");
  CHECK(in.handle(refund, start_instant, "feed") == R"([{"event_id":"r-1","status":"accepted"}])");
  CHECK(in.handle(refund, start_instant, "feed") == R"([{"event_id":"r-1","status":"duplicate"}])");
  in.flush();
  db.work().commit();
  in.committed();
  af::engine::database raw = std::move(af::engine::database::open(path).value());
  auto q = raw.prepare("SELECT source, count(*) FROM events GROUP BY source ORDER BY source");
  std::vector<std::string> rows;
  while (q.step()) rows.push_back(q.text(0) + "=" + std::to_string(q.int64(1)));
  CHECK(rows == std::vector<std::string>{"erp=1", "feed=2"});
}

TEST_CASE("cycles lists each cycle with its cases per state, counted as the caller may see them",
          "[engine][access]") {
  fixture f;
  f.import_org();
  std::int64_t id = f.start_cycle();
  f.submit_reviews(f.case_of("E1"), "E1", ratings, exams);
  auto all = f.ok({{"cmd", "cycles"}})["cycles"];
  REQUIRE(all.size() == 1);
  CHECK(all[0]["id"] == id);
  CHECK(all[0]["program"] == "competency50");
  CHECK(all[0]["period"] == "2026-Q3");
  CHECK(all[0]["unit"].is_null());
  CHECK(all[0]["cases"] == 2);
  CHECK(all[0]["finished"] == 0);
  CHECK(all[0]["states"] == njson{{"scoring", 1}, {"self_review", 1}});
  f.as_person("S1");  // the supervisor of both
  CHECK(f.ok({{"cmd", "cycles"}})["cycles"][0]["cases"] == 2);
  f.as_person("E2");  // their own case only
  auto own = f.ok({{"cmd", "cycles"}})["cycles"];
  REQUIRE(own.size() == 1);
  CHECK(own[0]["cases"] == 1);
  CHECK(own[0]["states"] == njson{{"self_review", 1}});
  f.as_person("C1");  // the chairman sees every case
  CHECK(f.ok({{"cmd", "cycles"}})["cycles"][0]["cases"] == 2);
  f.as_service("erp", {af::engine::capability::ingest});  // a party to nothing
  CHECK(f.ok({{"cmd", "cycles"}})["cycles"].empty());
}
