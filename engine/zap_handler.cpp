#include "engine/zap_handler.h"

#include <vector>

namespace af::engine {

zap_handler::zap_handler(boost::asio::io_context& io, zmq::context_t& ctx, decide_fn decide)
    : socket_(ctx, zmq::socket_type::rep), decide_(std::move(decide)), io_(io) {
  socket_.set(zmq::sockopt::linger, 0);
}

status zap_handler::bind() {
  try {
    socket_.bind("inproc://zeromq.zap.01");
  } catch (const zmq::error_t& e) {
    return status::io_error(std::string("cannot bind the ZAP handler: ") + e.what());
  }
  return status::ok();
}

void zap_handler::start() {
  watch_ = std::make_unique<zmq_watch>(io_, socket_, [this] { drain(); });
  watch_->start();
}

void zap_handler::stop() {
  if (watch_) watch_->stop();
}

void zap_handler::recheck() {
  if (watch_) watch_->recheck();
}

void zap_handler::drain() {
  // A REP socket: each request is answered before the next is read.
  for (int handled = 0; handled < 256; ++handled) {
    std::vector<zmq::message_t> frames = receive_frames(socket_);
    if (frames.empty()) return;
    // version, request id, domain, address, routing id, mechanism, credentials...
    std::string version = frames.size() > 0 ? frames[0].to_string() : "";
    std::string request_id = frames.size() > 1 ? frames[1].to_string() : "";
    zap_verdict v;
    if (frames.size() < 7 || version != "1.0") {
      v.reason = "malformed ZAP request";
    } else if (frames[5].to_string_view() != "CURVE" || frames[6].size() != 32) {
      v.reason = "only CURVE clients are admitted";
    } else {
      char z85[41];
      zmq_z85_encode(z85, frames[6].data<std::uint8_t>(), 32);
      zap_request r{frames[2].to_string(), frames[3].to_string(), std::string(z85, 40)};
      v = decide_(r);
      if (v.admit) {
        ++admitted_;
        send_retrying(socket_, zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
        send_retrying(socket_, zmq::buffer(request_id), zmq::send_flags::sndmore);
        send_retrying(socket_, zmq::str_buffer("200"), zmq::send_flags::sndmore);
        send_retrying(socket_, zmq::str_buffer("OK"), zmq::send_flags::sndmore);
        send_retrying(socket_, zmq::buffer(r.public_key), zmq::send_flags::sndmore);  // User-Id
        send_retrying(socket_, zmq::str_buffer(""), zmq::send_flags::none);
        continue;
      }
    }
    ++refused_;
    send_retrying(socket_, zmq::str_buffer("1.0"), zmq::send_flags::sndmore);
    send_retrying(socket_, zmq::buffer(request_id), zmq::send_flags::sndmore);
    send_retrying(socket_, zmq::str_buffer("400"), zmq::send_flags::sndmore);
    send_retrying(socket_, zmq::buffer(v.reason.substr(0, 200)), zmq::send_flags::sndmore);
    send_retrying(socket_, zmq::str_buffer(""), zmq::send_flags::sndmore);
    send_retrying(socket_, zmq::str_buffer(""), zmq::send_flags::none);
  }
}

}  // namespace af::engine
