// fuzz/admin_request.cpp: admin_api::handle() of arbitrary requests, as the
// engine runs it on each message of the admin socket (DESIGN.md "Admin
// requests"), on an in-memory store set up like tests/engine/admin_fixture.h:
// the four programs and their rubrics, seven employees (S1 supervisor, B1
// HRBP, H1 hr, C1 chairman, A1 admin, E1 and E2), a competency50 cycle with
// E1's case in hrbp_review and E2's in self_review, a kam_review and a
// performance cycle, and three principals (admin, e1, erp).
// Input: a request, optionally preceded by a line "#N" choosing the caller
// (0 admin service, 1 E1, 2 S1, 3 B1, 4 H1, 5 portal, 6 observer,
// 7 worker, 8 C1, 9 ingest service). Each request runs in its own
// transaction, rolled back after it, so every input starts alike.
// Invariants: nothing throws; the reply is one line of JSON, an object
// with a boolean "ok", and a refusal has an "error" and one of the five
// codes, never "unavailable" (in a batch neither): no bug and no store
// error cost the request; every task the request queued unpacks as its type, every
// case event it publishes is JSON.
#include <nlohmann/json.hpp>

#include "base/civil_time.h"
#include "engine/admin_api.h"
#include "engine/case_service.h"
#include "engine/store.h"
#include "fuzz/fuzz_check.h"
#include "messages/types.h"
#include "workers/domain/schedule.h"

namespace {

using namespace af::engine;
using njson = nlohmann::json;
const std::string schemas = ASSESSFLOW_SCHEMAS_DIR;

store open_store() {
  auto s = store::open(":memory:", schemas + "/migrations", false);
  if (!s) af::fuzz::fail("store::open", s.error().to_string());
  return std::move(s).value();
}

program_registry load_programs() {
  program_registry programs;
  for (const char* name : {"competency50", "competency_model", "kam_review", "performance"}) {
    auto wf = load_workflow_file(schemas + "/workflows/" + name + ".json");
    if (!wf) af::fuzz::fail("workflow", wf.error().to_string());
    programs.emplace(name, std::move(wf).value());
  }
  return programs;
}

njson row(const std::string& id, const std::string& supervisor, const std::string& hrbp,
          const std::string& roles, int grade = 3) {
  return {{"id", id},
          {"name", "Name " + id},
          {"unit", "U1"},
          {"grade", grade},
          {"supervisor_id", supervisor},
          {"hrbp_id", hrbp},
          {"joined_on", "2021-03-01"},
          {"roles", roles}};
}

struct world {
  store db = open_store();
  program_registry programs = load_programs();
  case_service cases{db, programs, 480};
  principal_registry principals;
  admin_api api{db, cases, principals, [] { return af::msg::json::object(); },
                [](const std::string&) {}};
  const std::int64_t now = *af::parse_instant("2026-10-01T09:00:00+08:00");
  std::vector<principal> callers{
      {"admin", false, "", {capability::admin}, "", false},
      {"p-E1", true, "E1", {}, "", false},
      {"p-S1", true, "S1", {}, "", false},
      {"p-B1", true, "B1", {}, "", false},
      {"p-H1", true, "H1", {}, "", false},
      {"portal", false, "", {capability::portal}, "", false},
      {"observer", false, "", {capability::observer}, "", false},
      {"worker", false, "", {capability::worker_scoring, capability::worker_targets}, "", false},
      {"p-C1", true, "C1", {}, "", false},
      {"feed", false, "", {capability::ingest}, "", false},
  };

  njson setup(const njson& request) {
    outbox out;
    db.work().begin();
    std::string reply = api.handle(callers[0], request.dump(), now, out);
    db.work().commit();
    auto j = njson::parse(reply);
    if (j["ok"] != true) af::fuzz::fail("setup request refused", request.dump() + " -> " + reply);
    return j;
  }

  world() {
    load_definitions();
    setup({{"cmd", "org.import"},
           {"rows", njson::array({row("S1", "", "", "", 1), row("B1", "", "", "", 2),
                                  row("H1", "S1", "B1", "hr"), row("C1", "S1", "", "chairman"),
                                  row("A1", "S1", "", "admin"), row("E1", "S1", "B1", ""),
                                  row("E2", "S1", "B1", "", 4)})}});
    setup({{"cmd", "cycle.start"}, {"program", "competency50"}, {"period", "2026-Q3"}});
    review_and_score_e1();
    setup({{"cmd", "cycle.start"}, {"program", "kam_review"}, {"period", "2026"}});
    setup({{"cmd", "cycle.start"}, {"program", "performance"}, {"period", "2026-09"}});
    add_principals();
  }

  // The rubrics, commission plan and grade rule, and schedules, as the
  // engine loads them at its start, and its callbacks.
  void load_definitions() {
    auto rubrics = af::rubric::load_dir(schemas + "/rubrics");
    if (!rubrics) af::fuzz::fail("rubrics", rubrics.error().to_string());
    cases.set_rubrics(std::move(rubrics).value());
    auto plan = af::commission::parse_plan(af::fuzz::read_or_die(schemas + "/commission/plan.json"),
                                           "plan.json");
    if (!plan) af::fuzz::fail("plan", plan.error().to_string());
    auto rule = af::grade_review::parse_rule(
        af::fuzz::read_or_die(schemas + "/commission/grade_rule.json"), "grade_rule.json");
    if (!rule) af::fuzz::fail("grade rule", rule.error().to_string());
    plan->grades = *rule;
    cases.set_plan(std::move(plan).value());
    auto defs =
        af::schedule::parse(af::fuzz::read_or_die(schemas + "/schedules.json"), "schedules.json");
    if (!defs) af::fuzz::fail("schedules", defs.error().to_string());
    cases.set_schedules(*defs);
    api.on_schedule([](std::int64_t) { return af::msg::json::object(); });
    api.on_principals_changed([this] { principals.mark_stale(); });
  }

  // E1's self and supervisor reviews and the scoring worker's result:
  // E1's competency50 case moves on to hrbp_review.
  void review_and_score_e1() {
    const njson ratings = {{"language", 4},
                           {"market_development", 3},
                           {"negotiation", 5},
                           {"achievement_motivation", 4},
                           {"service_orientation", 4},
                           {"initiative", 3}};
    setup({{"cmd", "submit"}, {"case", 1}, {"as", "employee:E1"}, {"ratings", ratings}});
    setup({{"cmd", "submit"},
           {"case", 1},
           {"as", "supervisor:S1"},
           {"ratings", ratings},
           {"exams", {{"product_knowledge", 87}}}});
    af::msg::scoring_result r;
    r.case_id = 1;
    r.ok = true;
    r.items = {{"product_knowledge", 435},
               {"language", 400},
               {"market_development", 300},
               {"negotiation", 500},
               {"achievement_motivation", 400},
               {"service_orientation", 400},
               {"initiative", 300},
               {"years_experience", 500},
               {"sales_last_year", 400},
               {"conversion_rate", 300}};
    r.total = 3935;
    r.tier = 2;
    outbox out;
    db.work().begin();
    if (auto s = cases.apply_scoring(r, now, out); !s)
      af::fuzz::fail("setup scoring", s.to_string());
    db.work().commit();
  }

  // The principals admin, e1 and erp.
  void add_principals() {
    setup({{"cmd", "principals.add"},
           {"name", "admin"},
           {"services", "admin"},
           {"public_key", "W2?LS*I#W*7!Me+DzXg#&W(CN:0K4Yp^Gu$?fRWA"}});
    setup({{"cmd", "principals.add"},
           {"name", "e1"},
           {"person", "E1"},
           {"public_key", "Yne@$w-vo<fVvi]a<NY6T1ed:M$fCG*[IaLV{hID"}});
    setup({{"cmd", "principals.add"},
           {"name", "erp"},
           {"services", "ingest"},
           {"public_key", "rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7"}});
  }
};

const std::set<std::string> codes{"invalid", "forbidden", "not_found", "conflict", "unavailable"};

void check_result(const njson& j, const std::string& detail) {
  FUZZ_CHECK(j.is_object() && j.contains("ok") && j["ok"].is_boolean(),
             "a reply without a boolean ok\n" + detail);
  if (j["ok"] == true) {
    if (j.contains("results"))  // a batch
      for (const auto& r : j["results"]) check_result(r, detail);
    return;
  }
  FUZZ_CHECK(
      j.contains("error") && j["error"].is_string() && !j["error"].get<std::string>().empty(),
      "a refusal without an error\n" + detail);
  FUZZ_CHECK(
      j.contains("code") && j["code"].is_string() && codes.count(j["code"].get<std::string>()),
      "a refusal without a known code\n" + detail);
  // "unavailable" is a store error or an exception caught by handle_one's
  // catch-all ("request failed, nothing changed"); an in-memory store
  // neither fails nor fills up, so either is a bug. (The code, not the
  // error's words: an error may begin with the request's own text.)
  FUZZ_CHECK(j["code"] != "unavailable", "a bug or the store failed the request\n" + detail);
}

template <typename T>
void check_task(const queued_task& t) {
  af::msg::envelope e{t.type, t.version ? t.version : af::msg::current_version(t.type), 1, 0,
                      t.body};
  auto r = af::msg::unpack<T>(e);
  FUZZ_CHECK(static_cast<bool>(r), "a queued task does not unpack: " + r.error().to_string());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static world w;
  std::string_view in = af::fuzz::text_of(data, size);
  std::size_t caller = 0;
  if (in.size() >= 3 && in[0] == '#' && in[1] >= '0' && in[1] <= '9' && in[2] == '\n') {
    caller = static_cast<std::size_t>(in[1] - '0');
    in.remove_prefix(3);
  }
  outbox out;
  w.db.work().begin();
  std::string reply = w.api.handle(w.callers[caller], in, w.now, out);
  w.db.work().rollback();
  if (w.principals.stale()) w.principals.reload(w.db);

  std::string detail = "caller " + w.callers[caller].name +
                       "\nrequest: " + std::string(in.substr(0, 500)) +
                       "\nreply: " + reply.substr(0, 1500);
  af::fuzz::note(reply);
  FUZZ_CHECK(reply.find('\n') == std::string::npos, "the reply is more than one line\n" + detail);
  auto j = njson::parse(reply, nullptr, false);
  FUZZ_CHECK(!j.is_discarded(), "the reply is not JSON\n" + detail);
  check_result(j, detail);
  for (const auto& t : out.tasks) {
    if (t.body.empty()) continue;  // beyond outbox::bodies_in_memory: read from the store when sent
    switch (t.type) {
      case af::msg::message_type::scoring_task:
        check_task<af::msg::scoring_task>(t);
        break;
      case af::msg::message_type::notify_task:
        check_task<af::msg::notify_task>(t);
        break;
      case af::msg::message_type::targets_task:
        check_task<af::msg::targets_task>(t);
        break;
      default:
        af::fuzz::fail("a queued task of a worker's type", std::string(af::msg::type_name(t.type)));
    }
  }
  for (const auto& p : out.publications)
    FUZZ_CHECK(!njson::parse(p, nullptr, false).is_discarded(), "a case event is not JSON: " + p);
  return 0;
}
