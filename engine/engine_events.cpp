// engine_events.cpp: what leaves the engine after a commit is durable:
// tasks handed to the dispatcher and case events published on the events
// endpoint, and rebinding that endpoint so every subscriber is judged again.
#include <fmt/core.h>

#include <thread>

#include "engine/engine.h"
#include "engine/engine_internal.h"

namespace af::engine {

void engine::after_commit(outbox& out) {
  for (auto& t : out.tasks) dispatcher_.enqueue(std::move(t));
  for (const auto& p : out.publications) {
    send_retrying(events_sock_, zmq::str_buffer("case"),
                  zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    send_retrying(events_sock_, zmq::buffer(p), zmq::send_flags::dontwait);
  }
  dispatcher_.pump(steady_ms());
  recheck_all();
}

void engine::rebind_events() {
  // A new socket in place of the old: closing a socket ends every
  // connection it has, so each subscriber reconnects and ZAP judges it
  // again. (A closed socket's ipc listener leaves its file, which the new
  // bind replaces; a tcp port may take a moment to be free: retried.)
  auto started = std::chrono::steady_clock::now();
  events_sock_.set(zmq::sockopt::linger, 0);
  events_sock_.close();
  events_sock_ = zmq::socket_t(zctx_, zmq::socket_type::pub);
  events_sock_.set(zmq::sockopt::linger, 1000);
  set_hwm(events_sock_, events_hwm, 16);
  events_sock_.set(zmq::sockopt::maxmsgsize, std::int64_t{64 * 1024});
  secure(events_sock_, "events");
  std::string error;
  for (auto give_up = started + std::chrono::seconds(2);;) {
    try {
      events_sock_.bind(events_bound_);
      error.clear();
      break;
    } catch (const zmq::error_t& e) {
      error = e.what();
    }
    if (std::chrono::steady_clock::now() >= give_up) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (error.empty())
    log_line(
        fmt::format("events endpoint {} rebound in {:.1f} ms: every subscriber authenticates again",
                    events_bound_, ms));
  else
    log_line("events endpoint " + events_bound_ + ": cannot bind again: " + error +
             " (no subscriber is admitted)");
}

}  // namespace af::engine
