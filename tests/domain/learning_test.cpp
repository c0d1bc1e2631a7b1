// The learning catalogue (schemas/learning/catalogue.json) and the plan a
// manager's gaps give (workers/domain/learning.h): the shipped catalogue
// loads against the competency model; broken ones are refused naming the
// key; the plan's order and levels at the gap of exactly 2 points.
#include "workers/domain/learning.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/domain/rubric_files.h"

namespace lr = af::learning;
using njson = nlohmann::json;

namespace {

std::string shipped() {
  std::ifstream in(ASSESSFLOW_SCHEMAS_DIR "/learning/catalogue.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const af::rubric::rubric& model() { return af::rubric::testing::schema_rubric("competency_model"); }

std::string refusal(const njson& doc) {
  auto c = lr::parse_catalogue(doc.dump(), "c.json", model());
  return c ? std::string("(accepted)") : c.error().message();
}

njson minimal() {
  return {
      {"program", "competency_model"},
      {"activities",
       {{{"id", "A-1"}, {"item", "execution"}, {"level", 1}, {"kind", "course"}, {"title", "t"}},
        {{"id", "A-2"}, {"item", "execution"}, {"level", 2}, {"kind", "coaching"}, {"title", "t"}},
        {{"id", "B-2"},
         {"item", "resilience"},
         {"level", 2},
         {"kind", "practice"},
         {"title", "t"}}}}};
}

std::vector<std::string> ids(const std::vector<lr::plan_entry>& plan) {
  std::vector<std::string> out;
  for (const auto& e : plan) out.push_back(e.what.id);
  return out;
}

}  // namespace

TEST_CASE("the shipped catalogue covers every competency item at every level",
          "[domain][learning]") {
  auto c = lr::parse_catalogue(shipped(), "catalogue.json", model());
  REQUIRE(c);
  CHECK(c->activities.size() == 90);
  for (const auto& item : model().items)
    for (int level = 1; level <= 4; ++level) {
      INFO(item.key << " level " << level);
      bool found = false;
      for (const auto& a : c->activities) found |= a.item == item.key && a.level == level;
      CHECK(found);
    }
  REQUIRE(c->find("COM-2P"));
  CHECK(c->find("COM-2P")->kind == "practice");
  CHECK(c->find("NOPE") == nullptr);
}

TEST_CASE("broken catalogues are refused naming the key", "[domain][learning]") {
  CHECK(refusal(minimal()) == "(accepted)");
  auto d = minimal();
  d["program"] = "kam_review";
  CHECK(refusal(d) == "c.json: program: must be \"competency_model\", whose items it teaches");
  d = minimal();
  d["activities"][1]["id"] = "A-1";
  CHECK(refusal(d) == "c.json: activities[1].id: A-1 appears twice");
  d = minimal();
  d["activities"][2]["item"] = "charm";
  CHECK(refusal(d) == "c.json: activities[2].item: \"charm\" is not an item of competency_model");
  d = minimal();
  d["activities"][0]["level"] = 5;
  CHECK(refusal(d) == "c.json: activities[0].level: must be a level 1..4");
  d = minimal();
  d["activities"][0]["kind"] = "webinar";
  CHECK(refusal(d) == "c.json: activities[0].kind: must be course, coaching or practice");
  d = minimal();
  d["activities"][0]["id"] = "a b";
  CHECK(refusal(d) == "c.json: activities[0].id: must be 1..40 letters, digits or -");
  d = minimal();
  d["activities"][0]["cost"] = 100;
  CHECK(refusal(d) == "c.json: activities[0].cost: unknown key");
  d = minimal();
  d["activities"][0].erase("title");
  CHECK(refusal(d) == "c.json: activities[0].title: missing");
}

TEST_CASE("a plan: largest gap first, the level below only from a gap of 2", "[domain][learning]") {
  auto c = lr::parse_catalogue(minimal().dump(), "c.json", model());
  REQUIRE(c);
  // Required level 2: a gap of 1.99 takes level 2 only, exactly 2.00 also level 1.
  CHECK(ids(lr::build_plan(*c, {{"execution", 199, 2}})) == std::vector<std::string>{"A-2"});
  CHECK(ids(lr::build_plan(*c, {{"execution", 200, 2}})) == std::vector<std::string>{"A-1", "A-2"});
  CHECK(ids(lr::build_plan(*c, {{"resilience", 100, 2}, {"execution", 300, 2}})) ==
        std::vector<std::string>{"A-1", "A-2", "B-2"});
  CHECK(ids(lr::build_plan(*c, {{"resilience", 100, 2}, {"execution", 100, 2}})) ==
        std::vector<std::string>{"B-2", "A-2"});             // equal gaps keep the items' order
  CHECK(lr::build_plan(*c, {{"execution", 0, 2}}).empty());  // no gap, nothing to learn
  CHECK(ids(lr::build_plan(*c, {{"execution", 400, 1}})) == std::vector<std::string>{"A-1"});
  CHECK(lr::build_plan(*c, {{"execution", 100, 2}})[0].gap == 100);
}
