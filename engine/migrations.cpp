#include "engine/migrations.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace af::engine {

result<std::vector<migration>> load_migrations(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return status::not_found("migrations directory " + dir + " not found");
  std::vector<migration> out;
  for (const auto& entry : fs::directory_iterator(dir)) {
    std::string file = entry.path().filename().string();
    if (entry.path().extension() != ".sql") continue;
    // All three of NNN must be digits: "01a_x.sql" would otherwise pass as 1.
    if (file.size() < 5 || file[3] != '_' ||
        !std::all_of(file.begin(), file.begin() + 3,
                     [](unsigned char c) { return std::isdigit(c) != 0; }))
      return status::invalid(file + ": migration files are named NNN_name.sql");
    std::ifstream in(entry.path());
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back({std::stoi(file.substr(0, 3)), file, ss.str()});
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.version < b.version; });
  for (std::size_t i = 0; i < out.size(); ++i)
    if (out[i].version != static_cast<int>(i) + 1)
      return status::invalid(out[i].name +
                             ": migrations must be numbered 001, 002, ... without gaps");
  if (out.empty()) return status::not_found("no migrations in " + dir);
  return out;
}

result<int> migrate(database& db, const std::vector<migration>& migrations) {
  auto q = db.prepare("PRAGMA user_version");
  q.step();
  int current = q.integer(0);
  int newest = migrations.empty() ? 0 : migrations.back().version;
  if (current > newest)
    return status::corruption("database schema version " + std::to_string(current) +
                              " is newer than this engine knows (" + std::to_string(newest) +
                              "); use a newer assess-engine");
  for (const auto& m : migrations) {
    if (m.version <= current) continue;
    try {
      db.exec("BEGIN IMMEDIATE");
      db.exec(m.sql);
      db.exec("PRAGMA user_version = " + std::to_string(m.version));
      db.exec("COMMIT");
    } catch (const sqlite_error& e) {
      try {
        db.exec("ROLLBACK");
      } catch (const sqlite_error&) {
      }
      return status::io_error("migration " + m.name + " failed: " + e.what());
    }
    current = m.version;
  }
  return current;
}

}  // namespace af::engine
