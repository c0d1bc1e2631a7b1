// zmq_retry.h: libzmq calls made again when a signal interrupted them.
// libzmq's send, recv and ZMQ_EVENTS first process the socket's commands
// with a poll(), which a signal caught meanwhile (SIGTERM, SIGINT)
// interrupts; they then fail with EINTR before taking or sending anything,
// and cppzmq throws it. Shared by the engine and the workers.
#pragma once

#include <cerrno>
#include <zmq.hpp>

namespace af::msg {

// Calls f again while it fails with EINTR; other errors are thrown.
template <class F>
auto retry_on_eintr(F&& f) {
  for (;;) {
    try {
      return f();
    } catch (const zmq::error_t& e) {
      if (e.num() != EINTR) throw;
    }
  }
}

// The socket's ZMQ_EVENTS (ZMQ_POLLIN, ZMQ_POLLOUT).
inline int socket_events(zmq::socket_t& s) {
  return retry_on_eintr([&] { return s.get(zmq::sockopt::events); });
}

// s.send(buf, flags), made again when interrupted.
inline zmq::send_result_t send_retrying(zmq::socket_t& s, zmq::const_buffer buf,
                                        zmq::send_flags flags) {
  return retry_on_eintr([&] { return s.send(buf, flags); });
}

}  // namespace af::msg
