// The JSON Schemas in schemas/events/ and the engine's validation must say
// the same: every schema's required field is required by the engine, its
// integer minimums are the engine's, and a schema-valid event is accepted.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/event_validation.h"

using njson = nlohmann::json;

namespace {

njson sample_value(const std::string& field, const njson& spec) {
  if (spec.contains("const")) return spec["const"];
  if (spec.contains("enum")) return spec["enum"].back();
  if (field == "occurred_at") return "2026-07-10T10:00:00+08:00";
  if (field == "period") return "2026-07";
  if (field == "manager_id") return "E1";
  std::string type = spec.value("type", "");
  if (type == "integer") return spec.value("minimum", 0) + 1000;
  if (type == "boolean") return true;
  return "x-" + field;
}

af::status validate(const njson& event) {
  simdjson::dom::parser parser;
  std::string text = event.dump();
  simdjson::dom::element e;
  REQUIRE_FALSE(parser.parse(text).get(e));
  af::engine::stored_event out;
  std::string id;
  return af::engine::validate_event(
      e, [](std::string_view m) { return m == "E1"; }, out, id);
}

}  // namespace

TEST_CASE("every event schema agrees with the engine's validation", "[engine][ingest][schema]") {
  int schemas = 0;
  for (const auto& file : std::filesystem::directory_iterator(ASSESSFLOW_SCHEMAS_DIR "/events")) {
    std::ifstream in(file.path());
    njson schema = njson::parse(in);
    ++schemas;
    std::string type = schema["properties"]["type"]["const"];
    INFO(file.path().filename().string());
    njson event = njson::object();
    for (const auto& field : schema["required"])
      event[field.get<std::string>()] =
          sample_value(field, schema["properties"][field.get<std::string>()]);
    CHECK(validate(event).is_ok());
    for (const auto& field_json : schema["required"]) {
      std::string field = field_json;
      njson missing = event;
      missing.erase(field);
      auto s = validate(missing);
      INFO("without " << field);
      CHECK_FALSE(s.is_ok());
      if (field != "type") CHECK(s.message() == field + ": missing");
      const njson& spec = schema["properties"][field];
      if (spec.contains("minimum")) {
        njson below = event;
        below[field] = spec["minimum"].get<long long>() - 1;
        CHECK_FALSE(validate(below).is_ok());
        below[field] = spec["minimum"].get<long long>();
        CHECK(validate(below).is_ok());
      }
      if (spec.contains("maximum")) {
        njson above = event;
        above[field] = spec["maximum"].get<long long>() + 1;
        CHECK(validate(above).message() ==
              field + ": must be at most 10^12 fen, got 1000000000001");
        above[field] = spec["maximum"].get<long long>();
        CHECK(validate(above).is_ok());
      }
      if (spec.value("type", "") == "string" && field != "type") {
        njson wrong = event;
        wrong[field] = 5;
        CHECK_FALSE(validate(wrong).is_ok());
      }
    }
    // Each optional property: accepted when valid (with what it depends
    // on), refused when of the wrong type, outside its enum or its range.
    for (const auto& [field, spec] : schema["properties"].items()) {
      if (std::find(schema["required"].begin(), schema["required"].end(), field) !=
          schema["required"].end())
        continue;
      INFO("optional " << field);
      njson with = event;
      with[field] = sample_value(field, spec);
      if (schema.contains("dependentRequired") && schema["dependentRequired"].contains(field))
        for (const auto& other : schema["dependentRequired"][field])
          with[other.get<std::string>()] = sample_value(other, schema["properties"][other]);
      if (with.value("origin", "") == "personal" && !with.contains("cases") &&
          !with.contains("bottles"))
        with["cases"] = 1;
      CHECK(validate(with).is_ok());
      njson wrong = with;
      wrong[field] =
          spec.contains("enum") || spec.value("type", "") == "string" ? njson(5) : njson("five");
      CHECK_FALSE(validate(wrong).is_ok());
      if (spec.contains("enum")) {
        wrong[field] = "something-else";
        CHECK(validate(wrong).message().rfind(field + ": \"something-else\" is not one of ", 0) ==
              0);
      }
      if (spec.contains("minimum")) {
        wrong[field] = spec["minimum"].get<long long>() - 1;
        CHECK_FALSE(validate(wrong).is_ok());
        wrong[field] = spec["maximum"].get<long long>() + 1;
        CHECK_FALSE(validate(wrong).is_ok());
        wrong[field] = spec["maximum"].get<long long>();
        CHECK(validate(wrong).is_ok());
      }
    }
  }
  CHECK(schemas == 9);
  CHECK(validate({{"type", "mystery"}, {"event_id", "x"}, {"manager_id", "E1"}}).message() ==
        "type: unknown event type \"mystery\"");
}
