// test_support.h: small helpers shared by the engine tests: a unique
// temporary directory removed at the end of the test, file writing, and
// the cases of a store as a vector.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/store.h"

namespace af::engine::testing {

// Every case matching `f`, collected (the store itself only streams them).
inline std::vector<case_row> all_cases(store& db, const case_filter& f = {}) {
  std::vector<case_row> out;
  db.for_each_case(f, [&](const case_row& c) { out.push_back(c); });
  return out;
}

// A fresh directory under the system temp dir, removed with everything in
// it when the object goes out of scope.
class temp_dir {
 public:
  temp_dir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    auto base = std::filesystem::temp_directory_path();
    for (int tries = 0; tries < 100; ++tries) {
      auto candidate = base / ("assessflow-etest-" + std::to_string(::getpid()) + "-" +
                               std::to_string(counter++) + "-" + std::to_string(rd()));
      if (std::filesystem::create_directory(candidate)) {
        path_ = candidate;
        return;
      }
    }
    throw std::runtime_error("cannot create a temporary directory");
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace af::engine::testing
