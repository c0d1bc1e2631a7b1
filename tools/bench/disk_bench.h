// disk_bench.h: what one durable write costs on this disk, the other floor
// under acknowledged ingest: fdatasync after appending to a file (the file
// grows, so the file system journals its size too) against fdatasync after
// overwriting blocks already written (a reused WAL), at 4 and 32 KiB.
#pragma once

#include <string>

namespace af::bench {

// Writes a scratch file in `dir` `rounds` times per case; prints ms per sync.
void bench_disk_sync(const std::string& dir, int rounds);

}  // namespace af::bench
