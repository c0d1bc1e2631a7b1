#include "engine/checkpointer.h"

#include <sqlite3.h>

namespace af::engine {

checkpointer::checkpointer(std::string db_path, std::chrono::milliseconds interval)
    : path_(std::move(db_path)), interval_(interval), thread_([this] { run(); }) {}

checkpointer::~checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void checkpointer::run() {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
      SQLITE_OK) {
    sqlite3_close(db);
    return;
  }
  sqlite3_busy_timeout(db, 1000);
  // Until a connection has read the database it does not know it is in WAL
  // mode, and a checkpoint through it does nothing.
  sqlite3_exec(db, "PRAGMA journal_mode", nullptr, nullptr, nullptr);
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    bool stopping = cv_.wait_for(lock, interval_, [this] { return stop_; });
    lock.unlock();
    int log_frames = 0, copied = 0;
    int rc =
        sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &copied);
    if (rc == SQLITE_OK) ++done_;
    lock.lock();
    if (stopping) break;
  }
  sqlite3_close(db);
}

}  // namespace af::engine
