// The notification sink writes each id once per recipient file, also when
// two workers share the directory, and survives a torn last line.
#include "workers/notify/notify_sink.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tools/common/process.h"

using af::worker::notification;
using af::worker::notify_sink;

namespace {

std::vector<nlohmann::json> lines_of(const std::string& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

notification note(const std::string& id, const std::string& to) {
  return {id, to, "case_final", 7, R"({"case":7,"tier":2})"};
}

}  // namespace

TEST_CASE("a notification is written once, however often it is delivered", "[workers][notify]") {
  af::tools::temp_dir dir;
  notify_sink sink(dir.path() + "/out");
  auto first = sink.deliver(note("n1", "E1001"), "2026-10-01T09:00:00+08:00", false);
  REQUIRE(first.is_ok());
  CHECK(*first == true);
  REQUIRE(sink.sync().is_ok());
  auto again = sink.deliver(note("n1", "E1001"), "2026-10-01T09:05:00+08:00");
  REQUIRE(again.is_ok());
  CHECK(*again == false);
  auto lines = lines_of(sink.path_for("E1001"));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0]["notification_id"] == "n1");
  CHECK(lines[0]["recipient"] == "E1001");
  CHECK(lines[0]["kind"] == "case_final");
  CHECK(lines[0]["body"]["tier"] == 2);
  CHECK(lines[0]["delivered_at"] == "2026-10-01T09:00:00+08:00");
}

TEST_CASE("two workers sharing the outbox never write an id twice", "[workers][notify]") {
  af::tools::temp_dir dir;
  notify_sink a(dir.path()), b(dir.path());
  REQUIRE(*a.deliver(note("n1", "S2001"), "t") == true);
  REQUIRE(*b.deliver(note("n2", "S2001"), "t") == true);
  CHECK(*b.deliver(note("n1", "S2001"), "t") == false);  // b reads what a appended
  CHECK(*a.deliver(note("n2", "S2001"), "t") == false);
  CHECK(lines_of(a.path_for("S2001")).size() == 2);
}

TEST_CASE("a torn last line is not taken for a delivered notification", "[workers][notify]") {
  af::tools::temp_dir dir;
  notify_sink sink(dir.path());
  std::string path = sink.path_for("E1");
  { std::ofstream(path) << R"({"notification_id":"n1","recipient":"E1")"; }  // a crash mid-write
  notify_sink fresh(dir.path());
  CHECK(*fresh.deliver(note("n1", "E1"), "t") == true);
}

TEST_CASE("recipient ids become safe file names", "[workers][notify]") {
  notify_sink sink("/x");
  CHECK(sink.path_for("E1001") == "/x/E1001.jsonl");
  CHECK(sink.path_for("../etc/passwd") == "/x/%2e%2e%2fetc%2fpasswd.jsonl");
}

TEST_CASE("many recipients in one batch are made durable together", "[workers][notify]") {
  af::tools::temp_dir dir;
  notify_sink sink(dir.path());
  for (int i = 0; i < 50; ++i)
    REQUIRE(
        sink.deliver(note("n" + std::to_string(i), "E" + std::to_string(i)), "t", false).is_ok());
  REQUIRE(sink.sync().is_ok());
  int files = 0;
  for (const auto& f : std::filesystem::directory_iterator(dir.path()))
    files += f.path().extension() == ".jsonl";
  CHECK(files == 50);
}

TEST_CASE("the sink keeps the ids of a bounded number of recipients, and still writes each id once",
          "[workers][notify]") {
  af::tools::temp_dir dir;
  notify_sink sink(dir.path() + "/out", 2);
  for (int r = 0; r < 5; ++r) {
    auto wrote = sink.deliver(note("n" + std::to_string(r), "E" + std::to_string(r)),
                              "2026-10-01T09:00:00+08:00");
    REQUIRE(wrote.is_ok());
    CHECK(*wrote);
    CHECK(sink.indexed_files() <= 2);
  }
  // E0's ids were forgotten: read from its file again, the repeat is still refused.
  auto again = sink.deliver(note("n0", "E0"), "2026-10-01T09:05:00+08:00");
  REQUIRE(again.is_ok());
  CHECK(*again == false);
  CHECK(lines_of(sink.path_for("E0")).size() == 1);
  CHECK(sink.indexed_files() == 2);
}
