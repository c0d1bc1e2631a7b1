// engine_sockets.cpp: the engine's four ZeroMQ sockets: their limits (high-
// water marks, message sizes), CURVE as servers, binding, and receiving and
// replying to routed requests.
#include "engine/engine.h"

namespace af::engine {

void engine::set_hwm(zmq::socket_t& s, int send, int receive) {
  s.set(zmq::sockopt::sndhwm, send);
  s.set(zmq::sockopt::rcvhwm, receive);
}

void engine::secure(zmq::socket_t& s, const char* domain) {
  s.set(zmq::sockopt::curve_server, true);
  s.set(zmq::sockopt::curve_secretkey, engine_key_.secret_key);
  s.set(zmq::sockopt::zap_domain, domain);
}

status engine::bind() {
  if (status s = zap_.bind(); !s) return s;  // before any CURVE socket, or libzmq admits everyone
  for (auto* s : {&ingest_sock_, &admin_sock_, &tasks_sock_, &events_sock_})
    s->set(zmq::sockopt::linger, 1000);
  // High-water marks, per peer (ZeroMQ counts messages): what a slow or
  // silent peer can make the engine hold. Replies to a peer that does not
  // read them are dropped past the mark; requests past it wait in the
  // peer's kernel buffers. README "Bounded memory" gives the bytes.
  set_hwm(ingest_sock_, 10'000,
          256);  // replies ~100 B; events up to 2 x 1 MiB each, typically under 1 KiB
  set_hwm(admin_sock_, 64, 16);        // replies up to a 10,000-row page; requests up to 2 x 16 MiB
  set_hwm(tasks_sock_, 1'000, 1'000);  // tasks and results; a worker holds at most its capacity
  set_hwm(
      events_sock_, events_hwm,
      16);  // case events ~300 B; a subscriber that falls behind catches up with case_events.since
  // Twice each endpoint's own limit: a message a little over it still
  // arrives and gets its one-line refusal; only a grossly oversized one
  // costs its sender the connection (ZeroMQ drops it unread).
  ingest_sock_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(2 * cfg_.max_message_bytes));
  admin_sock_.set(zmq::sockopt::maxmsgsize, static_cast<std::int64_t>(2 * max_admin_message_bytes));
  tasks_sock_.set(zmq::sockopt::maxmsgsize,
                  static_cast<std::int64_t>(2 * (msg::max_body_size + msg::header_size)));
  events_sock_.set(zmq::sockopt::maxmsgsize, std::int64_t{64 * 1024});  // subscriptions only
  secure(ingest_sock_, "ingest");
  secure(admin_sock_, "admin");
  secure(tasks_sock_, "tasks");
  secure(events_sock_, "events");
  std::pair<zmq::socket_t*, const std::string*> binds[] = {{&ingest_sock_, &cfg_.ingest_ep},
                                                           {&admin_sock_, &cfg_.admin_ep},
                                                           {&tasks_sock_, &cfg_.tasks_ep},
                                                           {&events_sock_, &cfg_.events_ep}};
  for (auto& [sock, ep] : binds) {
    try {
      sock->bind(*ep);
    } catch (const zmq::error_t& e) {
      return status::io_error("cannot bind " + *ep + ": " + e.what());
    }
  }
  events_bound_ = events_sock_.get(zmq::sockopt::last_endpoint);
  return status::ok();
}

std::vector<engine::request> engine::receive_batch(zmq::socket_t& s, std::size_t limit) {
  std::vector<request> out;
  while (out.size() < limit) {
    std::vector<zmq::message_t> frames = receive_frames(s);
    if (frames.empty()) break;
    if (frames.size() < 2) continue;  // no routing id and body: not a request
    request r;
    r.body = std::move(frames.back());
    if (const char* key = zmq_msg_gets(r.body.handle(), "User-Id")) r.key = key;
    frames.pop_back();
    for (auto& f : frames) r.route.push_back(f.to_string());
    out.push_back(std::move(r));
  }
  return out;
}

bool engine::has_message(zmq::socket_t& s) { return (socket_events(s) & ZMQ_POLLIN) != 0; }

void engine::reply(zmq::socket_t& s, const std::vector<std::string>& route, std::string_view body) {
  for (const auto& frame : route)
    send_retrying(s, zmq::buffer(frame), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
  send_retrying(s, zmq::buffer(body), zmq::send_flags::dontwait);
}

}  // namespace af::engine
