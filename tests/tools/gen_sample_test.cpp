// Runs the built assess-sample twice and checks that its output is
// reproducible and consistent (ASSESS_SAMPLE_BIN is the binary's path).
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* const sample_files[] = {"org.csv", "events.jsonl", "reviews.jsonl"};

struct temp_dir {
  fs::path path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "assess-sample-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
};

int run_sample(const std::string& args) {
  std::string command = std::string("'") + ASSESS_SAMPLE_BIN + "' " + args + " 2>/dev/null";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int generate(const fs::path& out) {
  return run_sample("--out '" + (out / "sample").string() +
                    "' --managers 9 --inquiries-per-quarter 200");
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> csv_fields(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

bool is_uuid_like(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-'
             : !std::isxdigit(static_cast<unsigned char>(s[i])) ||
                   std::isupper(static_cast<unsigned char>(s[i])))
      return false;
  }
  return true;
}

// One generated sample, shared by the test cases of one process.
const fs::path& sample_dir() {
  static temp_dir dir;
  static int status = generate(dir.path);
  REQUIRE(status == 0);
  return dir.path;
}

std::map<std::string, std::vector<std::string>> org_rows() {
  auto lines = lines_of(slurp(sample_dir() / "sample" / "org.csv"));
  std::map<std::string, std::vector<std::string>> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    auto fields = csv_fields(lines[i]);
    REQUIRE(fields.size() == 8);
    rows[fields[0]] = fields;
  }
  return rows;
}

void require_string(const json& e, const char* key) {
  INFO(e.dump());
  REQUIRE(e.contains(key));
  REQUIRE(e[key].is_string());
}

void require_amount(const json& e) {
  INFO(e.dump());
  REQUIRE(e.contains("amount_fen"));
  REQUIRE(e["amount_fen"].is_number_integer());
  REQUIRE(e["amount_fen"].get<std::int64_t>() > 0);
}

}  // namespace

TEST_CASE("assess-sample writes byte-identical files for the same options", "[tools]") {
  temp_dir second;
  REQUIRE(generate(second.path) == 0);
  for (const char* name : sample_files) {
    INFO(name);
    std::string a = slurp(sample_dir() / "sample" / name);
    REQUIRE_FALSE(a.empty());
    CHECK(a == slurp(second.path / "sample" / name));
  }
}

TEST_CASE("assess-sample refuses bad options with exit code 2", "[tools]") {
  temp_dir dir;
  CHECK(run_sample("--managers 9") == 2);
  CHECK(run_sample("--out '" + dir.path.string() + "' --managers 2") == 2);
  CHECK(run_sample("--out '" + dir.path.string() + "' --no-such-option") == 2);
}

TEST_CASE("assess-sample org.csv is a consistent organisation", "[tools]") {
  auto lines = lines_of(slurp(sample_dir() / "sample" / "org.csv"));
  REQUIRE_FALSE(lines.empty());
  CHECK(lines[0] == "id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles");
  auto rows = org_rows();
  CHECK(rows.size() == lines.size() - 1);
  int managers = 0;
  for (const auto& [id, fields] : rows) {
    INFO(id);
    if (id[0] == 'E') ++managers;
    for (int column : {4, 5})
      if (!fields[column].empty()) CHECK(rows.count(fields[column]) == 1);
  }
  CHECK(managers == 9);
  CHECK(rows.at("C0001")[7] == "chairman");
  CHECK(rows.at("H0001")[7] == "hr");
  CHECK(rows.at("A0001")[7] == "admin");
}

TEST_CASE("assess-sample events are well-formed and consistent", "[tools]") {
  auto rows = org_rows();
  std::set<std::string> ids;
  std::map<std::string, json> sales;
  std::set<std::string> refunded;
  std::map<std::string, int> per_type;
  std::string previous_at;
  for (const auto& line : lines_of(slurp(sample_dir() / "sample" / "events.jsonl"))) {
    json e = json::parse(line, nullptr, false);
    REQUIRE_FALSE(e.is_discarded());
    INFO(line);
    for (const char* key : {"type", "event_id", "manager_id", "occurred_at"})
      require_string(e, key);
    std::string type = e["type"], id = e["event_id"], manager = e["manager_id"];
    std::string at = e["occurred_at"];
    CHECK(is_uuid_like(id));
    CHECK(ids.insert(id).second);
    CHECK(manager[0] == 'E');
    CHECK(rows.count(manager) == 1);
    REQUIRE(at.size() == 25);
    CHECK(at.substr(19) == "+08:00");
    CHECK(at >= previous_at);
    previous_at = at;
    ++per_type[type];
    if (type == "sale") {
      require_amount(e);
      require_string(e, "brand");
      require_string(e, "customer_id");
      sales[id] = e;
    } else if (type == "refund") {
      require_amount(e);
      require_string(e, "brand");
      require_string(e, "refers_to");
      auto sale = sales.find(e["refers_to"].get<std::string>());
      REQUIRE(sale != sales.end());
      CHECK(sale->second["manager_id"] == e["manager_id"]);
      CHECK(sale->second["brand"] == e["brand"]);
      CHECK(sale->second["occurred_at"].get<std::string>() < at);
      CHECK(e["amount_fen"].get<std::int64_t>() <= sale->second["amount_fen"].get<std::int64_t>());
      CHECK(refunded.insert(sale->first).second);
    } else {
      REQUIRE(type == "inquiry");
      require_string(e, "customer_id");
      REQUIRE(e.contains("converted"));
      CHECK(e["converted"].is_boolean());
    }
  }
  CHECK(per_type["sale"] > 0);
  CHECK(per_type["refund"] > 0);
  CHECK(per_type["inquiry"] > 0);
}

TEST_CASE("assess-sample reviews cover every employee with a case", "[tools]") {
  auto rows = org_rows();
  std::set<std::string> expected, seen;
  for (const auto& [id, fields] : rows)
    if (!fields[4].empty() && fields[7].empty()) expected.insert(id);
  const char* rated[] = {"language",
                         "market_development",
                         "negotiation",
                         "achievement_motivation",
                         "service_orientation",
                         "initiative"};
  for (const auto& line : lines_of(slurp(sample_dir() / "sample" / "reviews.jsonl"))) {
    json r = json::parse(line, nullptr, false);
    REQUIRE_FALSE(r.is_discarded());
    INFO(line);
    CHECK(seen.insert(r.at("employee_id").get<std::string>()).second);
    for (const char* who : {"self", "supervisor"})
      for (const char* key : rated) {
        int v = r.at(who).at("ratings").at(key).get<int>();
        CHECK((v >= 1 && v <= 5));
      }
    int exam = r.at("supervisor").at("exams").at("product_knowledge").get<int>();
    CHECK((exam >= 40 && exam <= 100));
  }
  CHECK(seen == expected);
}
