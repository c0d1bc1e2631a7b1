// engine_internal.h: what the engine's source files (engine*.cpp) share and
// nothing else includes: the replies to the clients of a group that did not
// become durable, and the process clock that leases run on.
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <string_view>

namespace af::engine {

// What every client of a group that could not commit is told.
inline constexpr std::string_view not_applied_ingest =
    R"([{"event_id":null,"status":"rejected","error":"not applied: the store could not commit; retry"}])";
inline constexpr std::string_view not_applied_admin =
    R"({"ok":false,"error":"not applied: the store could not commit; retry","code":"unavailable"})";
inline constexpr std::string_view disk_full_ingest =
    R"([{"event_id":null,"status":"rejected","error":"not applied: the disk is full; retry once space is freed"}])";
inline constexpr std::string_view disk_full_admin =
    R"({"ok":false,"error":"not applied: the disk is full; retry once space is freed","code":"unavailable"})";
inline bool is_disk_full(int sqlite_code) { return (sqlite_code & 0xff) == SQLITE_FULL; }
// ... and of a group committed when a WAL sync failed: it may or may not be on disk.
inline constexpr std::string_view not_durable_ingest =
    R"json([{"event_id":null,"status":"rejected","error":"not acknowledged: the WAL could not be synced and the engine is stopping; retry once it is back (a repeat is a duplicate)"}])json";
inline constexpr std::string_view not_durable_admin =
    R"({"ok":false,"error":"not acknowledged: the WAL could not be synced and the engine is stopping; check and retry once it is back","code":"unavailable"})";

// Leases, heartbeats and worker liveness are about processes, so they run
// on real monotonic time, never on the business clock (which a simulated
// --clock-rate may run thousands of times faster).
inline std::int64_t steady_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace af::engine
