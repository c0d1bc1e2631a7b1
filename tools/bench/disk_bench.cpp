#include "tools/bench/disk_bench.h"

#include <fcntl.h>
#include <fmt/core.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <vector>

namespace af::bench {
namespace {

// Mean milliseconds per write+fdatasync of `bytes` at successive offsets,
// appending to an empty file or overwriting one already that long.
double sync_ms(const std::string& path, std::size_t bytes, int rounds, bool overwrite) {
  int fd = ::open(path.c_str(), O_CREAT | O_WRONLY | (overwrite ? 0 : O_TRUNC) | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot open " + path);
  std::vector<char> block(bytes, 'x');
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < rounds; ++i) {
    auto at = static_cast<off_t>(static_cast<std::size_t>(i) * bytes);
    if (::pwrite(fd, block.data(), bytes, at) != static_cast<ssize_t>(bytes) ||
        ::fdatasync(fd) != 0) {
      ::close(fd);
      throw std::runtime_error("cannot write and sync " + path);
    }
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  ::close(fd);
  return ms / rounds;
}

}  // namespace

void bench_disk_sync(const std::string& dir, int rounds) {
  const std::string path = dir + "/sync-probe.dat";
  for (std::size_t kib : {4, 32}) {
    double append = sync_ms(path, kib * 1024, rounds, false);    // grows the file from empty
    double overwrite = sync_ms(path, kib * 1024, rounds, true);  // the same blocks again
    fmt::print(
        "disk-sync: {} KiB writes, {} each: append + fdatasync {:.3f} ms, overwrite + fdatasync "
        "{:.3f} ms\n",
        kib, rounds, append, overwrite);
  }
  ::unlink(path.c_str());
}

}  // namespace af::bench
