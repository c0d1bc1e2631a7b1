// unit_of_work.h: the engine's group transaction, the one place that says
// BEGIN, SAVEPOINT, RELEASE, ROLLBACK and COMMIT.
//
// A group is begin(), then one savepoint per message, then commit().
// Savepoints nest to any depth: inside a message's savepoint a bulk action
// opens one per case, and a worker's result one for its own effects; each
// release() or rollback_to() ends the innermost one open. A message (or a
// case) that fails is rolled back to its savepoint alone. State kept in
// memory beside the database (dedup fingerprints, the known employees, the
// scheduler's last periods, tasks taken from the dispatcher) registers an
// undo with on_rollback(); the undos of a savepoint run, newest first,
// when it is rolled back, and every undo of the group runs when the group is.
//
// SQLite may roll the whole transaction back on its own after SQLITE_FULL,
// SQLITE_IOERR, SQLITE_NOMEM or SQLITE_BUSY (sqlite3_get_autocommit() is
// true again). Then the group is lost: savepoint(), release() and
// rollback_to() throw transaction_lost instead of starting and committing
// a new implicit transaction, so the caller fails the whole group and
// tells every client in it "not applied, retry". Nothing is ever RELEASEd
// into a transaction the group did not begin.
#pragma once

#include <sqlite3.h>

#include <cstddef>
#include <functional>
#include <vector>

#include "engine/sqlite.h"

namespace af::engine {

// The group's transaction is gone: SQLite rolled it back on its own.
struct transaction_lost : sqlite_error {
  explicit transaction_lost(const std::string& when)
      : sqlite_error(SQLITE_ABORT, "the store rolled the transaction back on its own (" + when +
                                       "); nothing in it applied") {}
};

class unit_of_work {
 public:
  explicit unit_of_work(sqlite3* db);

  // BEGIN IMMEDIATE. Throws sqlite_error (SQLITE_BUSY: another writer).
  void begin();
  // A transaction is open (begun here, and SQLite still holds it).
  [[nodiscard]] bool open() const { return begun_ && !sqlite3_get_autocommit(db_); }
  // The group was begun and SQLite has since rolled it back on its own.
  [[nodiscard]] bool lost() const { return begun_ && sqlite3_get_autocommit(db_); }

  // Opens a savepoint inside the innermost one open (or the group): one
  // message's, or one case's within it. Throws transaction_lost when the
  // group is gone.
  void savepoint();
  // Ends the innermost savepoint, keeping its changes in the enclosing
  // savepoint (or the group); its undos now belong to the enclosing
  // level. Throws transaction_lost when the group is gone (nothing kept).
  void release();
  // Undoes the innermost savepoint and ends it: its undos run, newest
  // first, then the database returns to it; the enclosing levels keep
  // theirs. Throws transaction_lost when the group is gone (its undos have run).
  void rollback_to();

  // An undo of an in-memory change made at the current level.
  void on_rollback(std::function<void()> undo) { undos_.push_back(std::move(undo)); }

  // COMMIT. On failure rolls back, runs every undo and rethrows.
  void commit();
  // ROLLBACK if SQLite still holds the transaction; runs every undo.
  void rollback() noexcept;

 private:
  void run_undos(std::size_t from) noexcept;
  void check_held(const char* when) const;
  sqlite3* db_;
  statement begin_, commit_, rollback_, savepoint_, release_, rollback_to_;
  bool begun_ = false;
  std::vector<std::size_t> marks_;  // undos_.size() at each open savepoint
  std::vector<std::function<void()>> undos_;
};

}  // namespace af::engine
