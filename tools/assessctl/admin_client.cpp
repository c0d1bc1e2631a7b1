#include "tools/assessctl/admin_client.h"

#include <fmt/core.h>

#include <chrono>

namespace af::tools {

admin_client::admin_client(std::string endpoint, msg::key_options keys, int timeout_ms)
    : endpoint_(std::move(endpoint)), key_options_(std::move(keys)), timeout_ms_(timeout_ms) {
  if (key_options_.default_name.empty()) key_options_.default_name = "admin";
}

admin_client::~admin_client() {
  watch_.reset();
  sock_.reset();
}

status admin_client::connect() {
  if (!keys_) {
    auto k =
        msg::load_client_keys(key_options_, std::chrono::milliseconds(timeout_ms_),
                              [](const std::string& line) { fmt::print(stderr, "{}\n", line); });
    if (!k) return k.error();
    keys_ = *k;
  }
  watch_.reset();
  sock_ = std::make_unique<zmq::socket_t>(ctx_, zmq::socket_type::req);
  sock_->set(zmq::sockopt::linger, 0);
  sock_->set(zmq::sockopt::sndtimeo, timeout_ms_);
  msg::make_curve_client(*sock_, *keys_);
  watch_ = std::make_unique<msg::handshake_watch>(*sock_);
  try {
    sock_->connect(endpoint_);
  } catch (const zmq::error_t& e) {
    sock_.reset();
    return status::io_error("engine endpoint " + endpoint_ + ": " + e.what());
  }
  return status::ok();
}

result<json> admin_client::call(const json& request) {
  if (!sock_)
    if (status s = connect(); !s) return s;
  auto fail = [this](status s) -> result<json> {
    watch_.reset();
    sock_.reset();  // a REQ socket that lost its reply cannot send again
    return s;
  };
  std::string text = request.dump();
  if (!sock_->send(zmq::buffer(text), zmq::send_flags::none))
    return fail(status::io_error("cannot send to the engine at " + endpoint_));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  while (true) {
    zmq::pollitem_t items[] = {{sock_->handle(), 0, ZMQ_POLLIN, 0}};
    zmq::poll(items, 1, std::chrono::milliseconds(50));
    if (items[0].revents & ZMQ_POLLIN) break;
    if (watch_->poll(std::chrono::milliseconds(0)) == msg::handshake_watch::outcome::refused)
      return fail(status::forbidden(msg::refused_key_message(endpoint_, *keys_)));
    if (std::chrono::steady_clock::now() >= deadline)
      return fail(status::io_error("no answer from the engine at " + endpoint_ + " within " +
                                   std::to_string(timeout_ms_ / 1000) +
                                   " s (is assess-engine running?)"));
  }
  zmq::message_t reply;
  if (!sock_->recv(reply, zmq::recv_flags::dontwait))
    return fail(status::io_error("lost the reply from " + endpoint_));
  json j = json::parse(reply.to_string_view(), nullptr, false);
  if (j.is_discarded()) return status::corruption("the engine's reply is not JSON");
  return j;
}

}  // namespace af::tools
