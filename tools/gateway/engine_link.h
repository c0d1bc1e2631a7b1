// engine_link.h: the gateway's one connection to the engine's admin
// endpoint: a CURVE DEALER socket driven by the gateway's io_context,
// many requests in flight, each sent as frames [tag, body] and answered as
// [tag, reply] (the admin ROUTER echoes the frames before the body).
//
// Every request is answered exactly once, on the io_context: with the
// engine's reply, or with an "unavailable" reply when it cannot be sent
// (no connection to the engine, or its queue is full) or no reply comes
// within the timeout. A request that timed out may still have been
// applied; the reply says so, and a late answer is dropped.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "messages/json_text.h"
#include "messages/secure_client.h"
#include "messages/zmq_watch.h"

namespace af::gateway {

using msg::json;

// The engine's answer, parsed and as the engine wrote it (numbers with
// two decimals), so it can be passed on without writing it again.
struct engine_reply {
  json body;
  std::string text;
};

class engine_link {
 public:
  using reply_handler = std::function<void(engine_reply reply)>;

  engine_link(boost::asio::io_context& io, zmq::context_t& ctx, const msg::client_keys& keys,
              const std::string& endpoint, std::chrono::milliseconds timeout);
  ~engine_link();
  engine_link(const engine_link&) = delete;
  engine_link& operator=(const engine_link&) = delete;

  // Sends `request` (a JSON object) and calls `done` once with the reply.
  void request(const json& request, reply_handler done);

  // Waits up to `wait` for the CURVE handshake with the engine: accepted,
  // refused (the gateway's key is unknown or revoked) or still pending.
  msg::handshake_watch::outcome await_handshake(std::chrono::milliseconds wait);

  // Answers every pending request as unavailable and stops reading.
  void stop();

  [[nodiscard]] std::size_t in_flight() const { return pending_.size(); }

 private:
  struct pending {
    reply_handler done;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  void drain();
  void finish(std::uint64_t tag, engine_reply reply);
  void answer_later(reply_handler done, engine_reply reply);

  boost::asio::io_context& io_;
  zmq::socket_t socket_;
  std::unique_ptr<msg::handshake_watch> handshakes_;
  std::unique_ptr<msg::zmq_watch> watch_;
  std::chrono::milliseconds timeout_;
  std::string endpoint_;
  std::uint64_t next_tag_ = 1;
  std::map<std::uint64_t, pending> pending_;
  bool stopped_ = false;
};

}  // namespace af::gateway
