#include "tools/gateway/engine_link.h"

#include <fmt/format.h>

#include <boost/asio/post.hpp>
#include <cstring>

namespace af::gateway {

namespace {

engine_reply unavailable(const std::string& why) {
  json body{{"ok", false}, {"error", why}, {"code", "unavailable"}};
  std::string text = body.dump();
  return {std::move(body), std::move(text)};
}

}  // namespace

engine_link::engine_link(boost::asio::io_context& io, zmq::context_t& ctx,
                         const msg::client_keys& keys, const std::string& endpoint,
                         std::chrono::milliseconds timeout)
    : io_(io), socket_(ctx, zmq::socket_type::dealer), timeout_(timeout), endpoint_(endpoint) {
  msg::make_curve_client(socket_, keys);
  socket_.set(zmq::sockopt::linger, 0);
  // Queue only to a connection that is up: a request sent while the engine
  // is away is refused at once instead of being applied after its caller
  // was told it failed.
  socket_.set(zmq::sockopt::immediate, 1);
  socket_.set(zmq::sockopt::sndhwm, 10000);
  socket_.set(zmq::sockopt::rcvhwm, 10000);
  handshakes_ = std::make_unique<msg::handshake_watch>(socket_);
  socket_.connect(endpoint);
  watch_ = std::make_unique<msg::zmq_watch>(io_, socket_, [this] { drain(); });
  watch_->start();
}

engine_link::~engine_link() { stop(); }

msg::handshake_watch::outcome engine_link::await_handshake(std::chrono::milliseconds wait) {
  auto until = std::chrono::steady_clock::now() + wait;
  auto got = handshakes_->poll(std::chrono::milliseconds(0));
  while (got == msg::handshake_watch::outcome::pending && std::chrono::steady_clock::now() < until)
    got = handshakes_->poll(std::chrono::milliseconds(100));
  return got;
}

void engine_link::answer_later(reply_handler done, engine_reply reply) {
  // Never inside request(): the caller may be a coroutine still suspending.
  boost::asio::post(io_, [done = std::move(done), reply = std::move(reply)]() mutable {
    done(std::move(reply));
  });
}

void engine_link::request(const json& request, reply_handler done) {
  if (stopped_) return answer_later(std::move(done), unavailable("the gateway is shutting down"));
  std::uint64_t tag = next_tag_++;
  std::string body = request.dump();
  bool sent = false;
  try {
    if (msg::send_retrying(socket_, zmq::buffer(&tag, sizeof tag),
                           zmq::send_flags::sndmore | zmq::send_flags::dontwait))
      sent = msg::send_retrying(socket_, zmq::buffer(body), zmq::send_flags::dontwait).has_value();
  } catch (const zmq::error_t&) {
    sent = false;
  }
  watch_->recheck();  // a send may consume the descriptor's edge
  if (!sent)
    return answer_later(std::move(done),
                        unavailable("the engine at " + endpoint_ +
                                    " is not connected or not keeping up; nothing was sent, "
                                    "retry shortly"));
  auto timer = std::make_unique<boost::asio::steady_timer>(io_, timeout_);
  timer->async_wait([this, tag](const boost::system::error_code& ec) {
    if (ec) return;  // answered in time
    finish(tag, unavailable(fmt::format("the engine did not answer within {:g} s; the request "
                                        "may still be applied, check before retrying",
                                        timeout_.count() / 1000.0)));
  });
  pending_.emplace(tag, pending{std::move(done), std::move(timer)});
}

void engine_link::drain() {
  for (int n = 0; n < 256; ++n) {
    std::vector<zmq::message_t> frames;
    try {
      frames = msg::receive_frames(socket_);
    } catch (const zmq::error_t&) {
      return;
    }
    if (frames.empty()) return;
    if (frames.size() != 2 || frames[0].size() != sizeof(std::uint64_t)) continue;
    std::uint64_t tag = 0;
    std::memcpy(&tag, frames[0].data(), sizeof tag);
    engine_reply reply{json::parse(frames[1].to_string_view(), nullptr, false),
                       frames[1].to_string()};
    if (reply.body.is_discarded() || !reply.body.is_object())
      reply = unavailable("the engine's reply was not a JSON object");
    finish(tag, std::move(reply));
  }
}

void engine_link::finish(std::uint64_t tag, engine_reply reply) {
  auto it = pending_.find(tag);
  if (it == pending_.end()) return;  // timed out before; dropped
  auto done = std::move(it->second.done);
  it->second.timer->cancel();
  pending_.erase(it);
  done(std::move(reply));
}

void engine_link::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (watch_) watch_->stop();
  auto left = std::move(pending_);
  pending_.clear();
  for (auto& [tag, p] : left) {
    p.timer->cancel();
    answer_later(std::move(p.done), unavailable("the gateway is shutting down"));
  }
}

}  // namespace af::gateway
