// admin_client.h: request/reply exchanges with the engine's admin endpoint
// under CURVE (DESIGN.md "Identity and access"). One REQ socket, made at
// the first call and kept for the next (made again after a failure).
// assessctl adds nothing the API lacks.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <zmq.hpp>

#include "base/status.h"
#include "messages/secure_client.h"

namespace af::tools {

using json = nlohmann::ordered_json;

class admin_client {
 public:
  // `keys`: where the client's key and the engine's public key are (--data
  // DIR or --key/--server-key); the default client key is `admin`.
  admin_client(std::string endpoint, msg::key_options keys, int timeout_ms);
  ~admin_client();
  // The engine's reply; IOError when it does not answer in time; Forbidden
  // within a second when the engine refuses this client's key.
  result<json> call(const json& request);
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }

 private:
  status connect();
  std::string endpoint_;
  msg::key_options key_options_;
  int timeout_ms_;
  std::optional<msg::client_keys> keys_;
  zmq::context_t ctx_{1};
  std::unique_ptr<zmq::socket_t> sock_;
  std::unique_ptr<msg::handshake_watch> watch_;
};

}  // namespace af::tools
