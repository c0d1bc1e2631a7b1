#include "tools/assessctl/admin_client.h"

#include <zmq.hpp>

namespace af::tools {

result<json> admin_client::call(const json& request) const {
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::req);
  sock.set(zmq::sockopt::linger, 0);
  sock.set(zmq::sockopt::rcvtimeo, timeout_ms_);
  sock.set(zmq::sockopt::sndtimeo, timeout_ms_);
  try {
    sock.connect(endpoint_);
    std::string text = request.dump();
    if (!sock.send(zmq::buffer(text), zmq::send_flags::none))
      return status::io_error("cannot send to the engine at " + endpoint_);
    zmq::message_t reply;
    if (!sock.recv(reply, zmq::recv_flags::none))
      return status::io_error("no answer from the engine at " + endpoint_ + " within " +
                              std::to_string(timeout_ms_ / 1000) + " s (is assess-engine running?)");
    json j = json::parse(reply.to_string_view(), nullptr, false);
    if (j.is_discarded()) return status::corruption("the engine's reply is not JSON");
    return j;
  } catch (const zmq::error_t& e) {
    return status::io_error("engine endpoint " + endpoint_ + ": " + e.what());
  }
}

}  // namespace af::tools
