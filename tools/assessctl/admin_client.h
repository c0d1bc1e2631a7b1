// admin_client.h: one request/reply exchange with the engine's admin
// endpoint (a REQ socket per call). assessctl adds nothing the API lacks.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "workers/domain/status.h"

namespace af::tools {

using json = nlohmann::ordered_json;

class admin_client {
 public:
  admin_client(std::string endpoint, int timeout_ms) : endpoint_(std::move(endpoint)), timeout_ms_(timeout_ms) {}
  // The engine's reply, or IOError when it does not answer in time.
  result<json> call(const json& request) const;
  [[nodiscard]] const std::string& endpoint() const { return endpoint_; }

 private:
  std::string endpoint_;
  int timeout_ms_;
};

}  // namespace af::tools
