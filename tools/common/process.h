// process.h: child processes and temporary directories, for the
// integration tests and the benchmark drivers, which start the real engine
// and workers.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace af::tools {

// A fresh directory under /tmp, removed (with everything in it) at the end,
// unless ASSESSFLOW_KEEP_TMP is set (to read a failed run's logs).
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A child process; its stderr goes to `log`. Killed with SIGKILL if still
// running when destroyed.
class process {
 public:
  // stdout goes to `out` when given, else to /dev/null.
  process(const std::string& binary, const std::vector<std::string>& args, const std::string& log,
          const std::string& out = "/dev/null");
  process(process&& o) noexcept : pid_(o.pid_) { o.pid_ = -1; }
  ~process();
  void signal(int sig);
  // Waits for exit; returns the exit code (128+signal when killed), or -1 on timeout.
  int wait(std::chrono::milliseconds timeout = std::chrono::seconds(20));
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
};

}  // namespace af::tools
