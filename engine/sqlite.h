// sqlite.h: a thin RAII layer over the SQLite C API. Only the engine uses
// it (it is the database's only writer). Not thread-safe; one connection
// per process, used from the event-loop thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "base/status.h"

namespace af::engine {

class statement {
 public:
  statement() = default;
  statement(sqlite3* db, std::string_view sql);  // throws sqlite_error on bad SQL
  statement(statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  statement& operator=(statement&& o) noexcept;
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  ~statement();

  // Bind by 1-based index. A std::nullopt / empty optional binds NULL.
  statement& bind(int i, std::int64_t v);
  statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  statement& bind(int i, std::string_view v);
  statement& bind(int i, const char* v) { return bind(i, std::string_view(v)); }
  statement& bind(int i, const std::string& v) { return bind(i, std::string_view(v)); }
  statement& bind_blob(int i, std::string_view v);
  statement& bind_null(int i);
  template <typename T>
  statement& bind(int i, const std::optional<T>& v) {
    return v ? bind(i, *v) : bind_null(i);
  }

  // Steps once: true while a row is available, false when done. Throws
  // sqlite_error on failure (constraint, I/O, ...), the statement reset.
  bool step();
  // Runs to completion and resets, for INSERT/UPDATE/DELETE. Throws
  // sqlite_error as step() does (the bindings then stay).
  void run();
  // Back to before the first row, every binding cleared. Never throws.
  void reset();

  [[nodiscard]] std::int64_t int64(int col) const { return sqlite3_column_int64(stmt_, col); }
  [[nodiscard]] int integer(int col) const { return sqlite3_column_int(stmt_, col); }
  [[nodiscard]] std::string text(int col) const;
  [[nodiscard]] std::string_view text_view(int col) const;
  [[nodiscard]] bool is_null(int col) const {
    return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
  }
  [[nodiscard]] std::optional<std::int64_t> opt_int64(int col) const;
  [[nodiscard]] std::optional<std::string> opt_text(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Thrown by the wrapper on any SQLite failure (`code`: the extended result
// code). The store lets it through; the engine catches it at a message's
// savepoint or its group transaction (unit_of_work.h, base/status.h).
struct sqlite_error : std::runtime_error {
  int code;
  sqlite_error(int c, const std::string& what) : std::runtime_error(what), code(c) {}
};

class database {
 public:
  // Opens (creating if missing) the file; ":memory:" for tests. The
  // connection is in multi-thread mode: use it from one thread at a time.
  // IOError naming the path when SQLite cannot open it.
  static result<database> open(const std::string& path);
  database(database&& o) noexcept : db_(o.db_), wal_frames_(std::move(o.wal_frames_)) {
    o.db_ = nullptr;
  }
  database& operator=(database&& o) noexcept;
  database(const database&) = delete;
  ~database();

  void exec(std::string_view sql);                                         // throws sqlite_error
  statement prepare(std::string_view sql) { return statement(db_, sql); }  // throws sqlite_error
  [[nodiscard]] std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
  [[nodiscard]] int changes() const { return sqlite3_changes(db_); }
  [[nodiscard]] sqlite3* handle() const { return db_; }

  // Frames in the WAL file after this connection's last commit. The WAL
  // only rewinds to its start when a write transaction begins after every
  // frame has been checkpointed; until then each commit appends (and an
  // append costs its fsync a file-size journal commit).
  [[nodiscard]] int wal_frames() const { return wal_frames_ ? *wal_frames_ : 0; }
  // A PASSIVE checkpoint through this connection, outside any transaction:
  // true when every frame is now in the database file, so the next write
  // transaction rewinds the WAL. False when busy (another checkpoint runs).
  bool checkpoint();

 private:
  explicit database(sqlite3* db);
  sqlite3* db_ = nullptr;
  std::unique_ptr<int> wal_frames_;
};

}  // namespace af::engine
