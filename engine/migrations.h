// migrations.h: versioned schema migrations from schemas/migrations/.
// A file NNN_name.sql is migration NNN; PRAGMA user_version is the highest
// one applied. Each migration runs in its own transaction.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "engine/sqlite.h"

namespace af::engine {

struct migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// Reads and orders the migrations. NotFound when `dir` is not a directory
// or holds no migration; InvalidArgument on a gap or a bad name.
result<std::vector<migration>> load_migrations(const std::string& dir);

// Brings the database up to the newest migration. Refuses (Corruption) a
// database whose version is newer than the newest known migration; a failed
// migration (IOError naming it) leaves the database at the previous
// version. Returns the resulting version. Throws sqlite_error when the
// database's version cannot be read.
result<int> migrate(database& db, const std::vector<migration>& migrations);

}  // namespace af::engine
