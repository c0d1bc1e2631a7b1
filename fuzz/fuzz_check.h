// fuzz_check.h: what every fuzz target shares. A broken invariant prints
// what broke and aborts, which libFuzzer (and the replay main) report as a
// crash with the input that caused it; so does any exception that escapes
// LLVMFuzzerTestOneInput (std::terminate).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

namespace af::fuzz {

[[noreturn]] inline void fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "\nfuzz invariant broken: %.*s\n  %.*s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(std::min<std::size_t>(detail.size(), 2000)),
               detail.data());
  std::abort();
}

// The input as text. Never a null pointer, even when empty: a message the
// engine receives is a ZeroMQ frame, whose data() is never null either
// (simdjson's parse(nullptr, 0) is a memcpy from null).
inline std::string_view text_of(const std::uint8_t* data, std::size_t size) {
  static const char empty[1] = {0};
  return data ? std::string_view(reinterpret_cast<const char*>(data), size)
              : std::string_view(empty, 0);
}

// ASSESSFLOW_FUZZ_VERBOSE=1: targets print what each input led to (to see
// what a seed reaches; never while fuzzing, it is slow).
inline bool verbose() {
  static const bool on = std::getenv("ASSESSFLOW_FUZZ_VERBOSE") != nullptr;
  return on;
}
inline void note(std::string_view what) {
  if (verbose())
    std::fprintf(stderr, "  -> %.*s\n", static_cast<int>(std::min<std::size_t>(what.size(), 400)),
                 what.data());
}

// A file the target needs to set itself up (schemas/); aborts if missing.
inline std::string read_or_die(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read a file the target needs", path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace af::fuzz

#define FUZZ_CHECK(cond, detail)                               \
  do {                                                         \
    if (!(cond)) ::af::fuzz::fail(#cond, std::string(detail)); \
  } while (0)
