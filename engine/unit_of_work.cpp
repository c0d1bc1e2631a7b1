#include "engine/unit_of_work.h"

namespace af::engine {

unit_of_work::unit_of_work(sqlite3* db)
    : db_(db),
      begin_(db, "BEGIN IMMEDIATE"),
      commit_(db, "COMMIT"),
      rollback_(db, "ROLLBACK"),
      savepoint_(db, "SAVEPOINT message"),
      release_(db, "RELEASE message"),
      rollback_to_(db, "ROLLBACK TO message") {}

void unit_of_work::check_held(const char* when) const {
  if (sqlite3_get_autocommit(db_)) throw transaction_lost(when);
}

void unit_of_work::begin() {
  begin_.run();
  begun_ = true;
  marks_.clear();
  undos_.clear();
}

void unit_of_work::savepoint() {
  check_held("before a savepoint");  // SAVEPOINT outside a transaction would begin one
  savepoint_.run();
  marks_.push_back(undos_.size());
}

void unit_of_work::release() {
  check_held("before a release");  // RELEASE would commit a transaction the group did not begin
  release_.run();
  if (!marks_.empty()) marks_.pop_back();
}

void unit_of_work::rollback_to() {
  std::size_t mark = marks_.empty() ? 0 : marks_.back();
  if (!marks_.empty()) marks_.pop_back();
  run_undos(mark);
  check_held("rolling back a message");
  rollback_to_.run();
  release_.run();
}

void unit_of_work::commit() {
  try {
    check_held("at commit");
    commit_.run();
  } catch (...) {
    rollback();
    throw;
  }
  begun_ = false;
  marks_.clear();
  undos_.clear();
}

void unit_of_work::rollback() noexcept {
  if (!sqlite3_get_autocommit(db_)) {
    try {
      rollback_.run();
    } catch (
        const sqlite_error&) {  // SQLite ends the transaction even when ROLLBACK reports an error
    }
  }
  run_undos(0);
  marks_.clear();
  begun_ = false;
}

void unit_of_work::run_undos(std::size_t from) noexcept {
  while (undos_.size() > from) {
    auto undo = std::move(undos_.back());
    undos_.pop_back();
    try {
      undo();
    } catch (...) {  // an undo restores memory only; it has nothing to report
    }
  }
}

}  // namespace af::engine
