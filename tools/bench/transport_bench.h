// transport_bench.h: the floor under one-event-per-request ingest. A bare
// ROUTER that answers every request at once (no parsing, no store, no
// fsync) with the same DEALER clients as ingest-single: what ZeroMQ round
// trips alone allow on this machine, so the engine's figures can be read
// against it.
#pragma once

#include <string>

namespace af::bench {

// `clients` DEALER threads, `in_flight` requests outstanding each, against
// an in-process ROUTER echo on an ipc:// endpoint in `dir`; prints round trips/s.
void bench_transport_floor(const std::string& dir, int clients, int in_flight, double seconds);

}  // namespace af::bench
