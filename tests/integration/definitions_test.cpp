// The engine checks every program definition at start and refuses to run
// with a broken one: it exits non-zero with one line naming the file and
// the key, and opens nothing.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/integration/harness.h"

using namespace af::test;
namespace fs = std::filesystem;

namespace {

// The text of schemas/`file` with the first `from` replaced by `to`.
std::string edited(const std::string& file, const std::string& from, const std::string& to) {
  std::ifstream in(std::string(ASSESSFLOW_SCHEMAS_DIR) + "/" + file);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  text.replace(at, from.size(), to);
  return text;
}

// A copy of schemas/ in `dir` with `file` written as `text`.
std::string schemas_with(const temp_dir& dir, const std::string& file, const std::string& text) {
  fs::path copy = dir.path() + "/schemas";
  fs::copy(ASSESSFLOW_SCHEMAS_DIR, copy, fs::copy_options::recursive);
  std::ofstream(copy / file, std::ios::trunc) << text;
  return copy.string();
}

// What the engine says when it refuses to start on `file` written as
// `text`, after the path of the schemas copy.
std::string refusal_of(const std::string& file, const std::string& text) {
  temp_dir dir;
  std::string schemas = schemas_with(dir, file, text);
  std::string out;
  // Bounded: an engine that wrongly starts is stopped after 20 s.
  int rc = run("/usr/bin/timeout",
               {"20", ASSESS_ENGINE_BIN, "--data", dir.path() + "/data", "--schemas", schemas,
                "--schedule", "off"},
               &out, true);
  CHECK(rc != 0);
  CHECK_FALSE(fs::exists(dir.path() + "/data/admin.sock"));
  // "... assess-engine: <one line>": keep what follows the path of the copy.
  auto cut = out.find(schemas);
  return cut == std::string::npos ? out : out.substr(cut + schemas.size());
}

std::string refusal(const std::string& file, const std::string& from, const std::string& to) {
  return refusal_of(file, edited(file, from, to));
}

}  // namespace

TEST_CASE("the engine refuses to start with a broken definition, naming the file and the key",
          "[integration][definitions]") {
  CHECK(refusal("rubrics/competency_model.json", "\"range\": \"[41, 61)\"",
                "\"range\": \"[40, 61)\"") ==
        "/rubrics/competency_model.json: items[8] (general_knowledge).exam.bands[1]: [40, 61) "
        "overlaps [0, 41)\n");
  CHECK(refusal("rubrics/kam_review.json", "\"max\": 4", "\"max\": 0") ==
        "/rubrics/kam_review.json: scale.max: must be a whole number 1..100\n");
  CHECK(refusal("workflows/kam_review.json", "\"roles\": [\"rater\"]", "\"roles\": [\"guru\"]") ==
        "/workflows/kam_review.json: transitions[0].roles: role \"guru\" does not exist\n");
  CHECK(refusal("workflows/competency50.json", "{\"name\": \"scoring\"},",
                "{\"name\": \"scoring\"}, {\"name\": \"limbo\"},") ==
        "/workflows/competency50.json: states.limbo: is not terminal and has no way out\n");
  CHECK(refusal("workflows/performance.json", "\"days\": 5", "\"dayz\": 5") ==
        "/workflows/performance.json: states.supervisor_review.deadline.dayz: unknown key\n");
  CHECK(refusal("rubrics/competency50.json", "\"measure\": \"years_in_trade\"",
                "\"measure\": \"height\"") ==
        "/rubrics/competency50.json: items[7] (years_experience).measure: unknown measure "
        "\"height\" (years_in_trade, sales_last_year_cny, quarter_conversion_percent, "
        "sales_completion_percent, sales_growth_percent, new_customers, "
        "repeat_purchase_percent, complaints)\n");
  // Notification templates: an unknown placeholder, a result in a chat
  // text, a missing kind, a workflow's new state without a label.
  CHECK(refusal("templates/zh/case_final.json", "{{period}}", "{{periode}}") ==
        "/templates/zh/case_final.json: subject: unknown placeholder {{periode}}\n");
  CHECK(
      refusal("templates/en/deadline_missed.json", "Overdue\\n", "Overdue {{total}}\\n") ==
      "/templates/en/deadline_missed.json: chat: unknown placeholder {{total}} (a group chat sees "
      "no result)\n");
  CHECK(
      refusal("workflows/kam_review.json", "\"kind\": \"case_final\"", "\"kind\": \"kam_done\"") ==
      "/templates/zh/kam_done.json: missing (a template for every kind of notification)\n");
  CHECK(refusal("workflows/competency50.json", "{\"name\": \"scoring\"},",
                "{\"name\": \"scoring\"}, {\"name\": \"limbo\", \"terminal\": true},") ==
        "/templates/zh/labels.json: states.limbo: missing\n");
}

TEST_CASE("the engine refuses a second program whose sales check is rolled up",
          "[integration][definitions]") {
  // performance.json again under another name: two programs would answer
  // `rollup`, and the engine could not tell which one is meant.
  std::string copy = edited("workflows/performance.json", "\"program\": \"performance\"",
                            "\"program\": \"performance_copy\"");
  CHECK(refusal_of("workflows/performance_copy.json", copy) ==
        "/workflows/performance_copy.json: sales_check.rolled_up_from: performance is already the "
        "program that is rolled up (only one may be)\n");
}
