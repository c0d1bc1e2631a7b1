// zap_handler.h: the engine's ZAP handler (ZeroMQ RFC 27). Every engine
// socket is a CURVE server; libzmq asks this handler, over
// inproc://zeromq.zap.01, whether to admit each connecting client key. The
// handler runs on the engine's io_context (a REP socket watched like the
// others), answers 200 with the client's public key (Z85) as the User-Id,
// which every message of that connection then carries, or 400.
//
// The decision is the engine's (`decide`): the handler only speaks the
// protocol. Anything that is not a well-formed CURVE request is refused.
#pragma once

#include <boost/asio/io_context.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "base/status.h"
#include "messages/zmq_watch.h"

namespace af::engine {

// The socket plumbing every engine socket shares (messages/zmq_watch.h).
using msg::receive_frames;
using msg::retry_on_eintr;
using msg::send_retrying;
using msg::socket_events;
using msg::zmq_watch;

struct zap_request {
  std::string domain;      // the socket's ZMQ_ZAP_DOMAIN: ingest, admin, tasks, events
  std::string address;     // the peer's address, for logs
  std::string public_key;  // Z85
};

struct zap_verdict {
  bool admit = false;
  std::string reason;  // why not, for the status text
};

class zap_handler {
 public:
  using decide_fn = std::function<zap_verdict(const zap_request&)>;
  zap_handler(boost::asio::io_context& io, zmq::context_t& ctx, decide_fn decide);
  // Binds inproc://zeromq.zap.01; must happen before any CURVE socket binds.
  // IOError when that endpoint cannot be bound.
  status bind();
  // Answers requests on the io_context from now on.
  void start();
  // Answers nothing more; idempotent, and harmless before start().
  void stop();
  // Posts a drain if a request waits (after sends on other sockets).
  void recheck();

  [[nodiscard]] std::int64_t admitted() const { return admitted_; }
  [[nodiscard]] std::int64_t refused() const { return refused_; }

 private:
  void drain();
  zmq::socket_t socket_;
  decide_fn decide_;
  boost::asio::io_context& io_;
  std::unique_ptr<zmq_watch> watch_;
  std::int64_t admitted_ = 0, refused_ = 0;
};

}  // namespace af::engine
