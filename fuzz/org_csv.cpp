// fuzz/org_csv.cpp: the organisation CSV of `assessctl org import FILE`:
// tools::parse_csv(), the rows as assessctl sends them
// (tools::org_import_rows: the header, eight UTF-8 fields a row) and the
// engine's org.import of them, from an admin service, on an in-memory
// store holding S1 and B1, rolled back after each input.
// Invariants: nothing throws; rows re-written as CSV (every field quoted)
// parse back to the same rows; no row is one empty field (a blank line);
// the request is sent as JSON text, and the engine's reply is a JSON
// object that imports every row or refuses with a code other than
// "unavailable" (a bug or a store error).
#include <nlohmann/json.hpp>

#include "engine/admin_api.h"
#include "engine/case_service.h"
#include "engine/store.h"
#include "fuzz/fuzz_check.h"
#include "tools/assessctl/csv.h"

namespace {

using namespace af::engine;
using njson = nlohmann::json;

store open_store() {
  auto s = store::open(":memory:", ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
  if (!s) af::fuzz::fail("store::open", s.error().to_string());
  return std::move(s).value();
}

struct world {
  store db = open_store();
  program_registry programs;
  case_service cases{db, programs, 480};
  principal_registry principals;
  admin_api api{db, cases, principals, [] { return af::msg::json::object(); },
                [](const std::string&) {}};
  principal admin{"admin", false, "", {capability::admin}, "", false};
  world() {
    db.work().begin();
    for (const char* id : {"S1", "B1"}) {
      employee_row e;
      e.id = id;
      e.name = id;
      e.unit = "U1";
      e.grade = 2;
      e.joined_on = "2010-01-01";
      db.upsert_employee(e);
    }
    db.work().commit();
  }
};

std::string to_csv(const std::vector<af::tools::csv_row>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t i = 0; i < r.size(); ++i) {
      if (i) out += ',';
      out += '"';
      for (char c : r[i]) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

const std::vector<std::string> header = {"id",      "name",      "unit", "grade", "supervisor_id",
                                         "hrbp_id", "joined_on", "roles"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static world w;
  std::string_view text = af::fuzz::text_of(data, size);
  auto rows = af::tools::parse_csv(text);
  if (!rows) {
    af::fuzz::note(rows.error().message());
    FUZZ_CHECK(rows.error().message().rfind("line ", 0) == 0,
               "a refusal that names no line: " + rows.error().message());
    return 0;
  }
  for (const auto& r : *rows)
    FUZZ_CHECK(!(r.size() == 1 && r[0].empty()), "a blank line became a row");
  auto again = af::tools::parse_csv(to_csv(*rows));
  FUZZ_CHECK(again && *again == *rows, "rows written as CSV do not read back the same");

  // As assessctl's org_rows: tools::org_import_rows (the header, which is
  // put in front when the input lacks it so the fuzzer need not find it).
  std::vector<af::tools::csv_row> with_header = *rows;
  if (with_header.empty() || with_header[0] != header)
    with_header.insert(with_header.begin(), header);
  auto list = af::tools::org_import_rows(with_header);
  if (!list) {
    af::fuzz::note(list.error().message());
    FUZZ_CHECK(list.error().message().rfind("line ", 0) == 0,
               "a refusal that names no line: " + list.error().message());
    return 0;
  }
  af::msg::json request{{"cmd", "org.import"}, {"rows", *list}};
  std::string sent = request.dump();  // as admin_client sends it
  outbox out;
  w.db.work().begin();
  std::string reply = w.api.handle(w.admin, sent, 1'790'000'000, out);
  w.db.work().rollback();
  af::fuzz::note(reply);
  std::string detail = "request: " + sent.substr(0, 500) + "\nreply: " + reply.substr(0, 1000);
  auto j = njson::parse(reply, nullptr, false);
  FUZZ_CHECK(!j.is_discarded() && j.is_object() && j.contains("ok") && j["ok"].is_boolean(),
             "the reply is not an object with ok\n" + detail);
  if (j["ok"] == true) {
    FUZZ_CHECK(j["imported"] == list->size(), "the import did not take every row\n" + detail);
  } else {
    std::string error = j.value("error", "");
    std::string code = j.value("code", "");
    FUZZ_CHECK(
        code == "invalid" || code == "forbidden" || code == "not_found" || code == "conflict",
        "refused with code " + code + "\n" + detail);
    FUZZ_CHECK(!error.empty(), "a refusal without an error\n" + detail);
  }
  return 0;
}
