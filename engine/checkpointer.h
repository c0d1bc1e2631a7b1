// checkpointer.h: moves WAL checkpoints off the event loop. The engine's
// connection runs with wal_autocheckpoint off; this thread, on its own
// connection, copies committed WAL frames into the database every
// `interval` (PASSIVE: it never blocks the writer). Without it a commit
// now and then pays for a whole checkpoint, a latency spike of many ms.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace af::engine {

class checkpointer {
 public:
  // Starts the thread. A database it cannot open leaves it idle (no
  // checkpoints, no error): the engine only loses the off-loop copying.
  checkpointer(std::string db_path, std::chrono::milliseconds interval);
  ~checkpointer();  // stops and joins; a last checkpoint runs first
  checkpointer(const checkpointer&) = delete;
  checkpointer& operator=(const checkpointer&) = delete;
  // Checkpoints that completed so far (from any thread).
  [[nodiscard]] long checkpoints() const { return done_; }

 private:
  void run();
  std::string path_;
  std::chrono::milliseconds interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<long> done_{0};
  std::thread thread_;
};

}  // namespace af::engine
