#include "tools/bench/startup_bench.h"

#include <fmt/core.h>
#include <sqlite3.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>

namespace af::bench {
namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

void exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string why = err ? err : "?";
    sqlite3_free(err);
    throw std::runtime_error("sqlite: " + why);
  }
}

}  // namespace

void bench_startup(bench_env& env, std::size_t events) {
  env.import_org(1000);
  double empty_mib = env.engine_peak_rss_mib();
  env.stop();

  auto t = clock_type::now();
  sqlite3* db = nullptr;
  if (sqlite3_open((env.data() + "/assessflow.db").c_str(), &db) != SQLITE_OK)
    throw std::runtime_error("cannot open the store");
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "BEGIN");
  // Random fingerprints, as XXH3 gives: the set does not care what they hash.
  exec(db, fmt::format("INSERT INTO events (event_id, fp_hi, fp_lo, type, manager_id, occurred_at, "
                       "customer_id, converted, "
                       "received_at, source) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + "
                       "1 FROM n WHERE i < {}) "
                       "SELECT 'bench-' || i, random(), random(), 'inquiry', printf('M%06d', i % "
                       "1000), 1780000000, 'K1', 0, "
                       "1780000000, 'feed' FROM n",
                       events));
  exec(db, "COMMIT");
  exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
  fmt::print("startup: wrote {} stored events in {:.1f} s\n", events, seconds_since(t));

  t = clock_type::now();
  env.start_engine();
  double up_s = seconds_since(t);
  json stats = env.admin({{"cmd", "stats"}});
  auto stored = stats["ingest"]["events_stored"].get<long long>();
  double mib = env.engine_peak_rss_mib();
  fmt::print(
      "startup: {} stored events loaded; the engine answered {:.2f} s after it was started\n",
      stored, up_s);
  fmt::print(
      "startup: engine peak RSS {:.0f} MiB ({:.0f} MiB with no events): {:.1f} bytes per stored "
      "event\n",
      mib, empty_mib, (mib - empty_mib) * 1024 * 1024 / static_cast<double>(events));
}

}  // namespace af::bench
