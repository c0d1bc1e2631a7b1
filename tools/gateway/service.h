// service.h: what the gateway does with one HTTP request: find its route,
// take the caller's bearer token, turn the request into an admin request
// that carries the token, send it to the engine and map the reply to an
// HTTP status (DESIGN.md "HTTP gateway and metrics"). The gateway decides
// no right itself: the engine answers as the token's principal.
#pragma once

#include <set>
#include <string>

#include "tools/gateway/dashboard.h"
#include "tools/gateway/engine_link.h"
#include "tools/gateway/gateway_metrics.h"
#include "tools/gateway/http_server.h"
#include "tools/gateway/token_guard.h"

namespace af::gateway {

// "Bearer af_..." -> the token; empty when the header is missing or not a
// bearer token of the shape assessctl makes.
std::string bearer_token_of(const http_request& req);

class gateway_service {
 public:
  // `metrics` (may be null) counts every request this handles and serves /metrics.
  gateway_service(engine_link& engine, gateway_metrics* metrics);

  // The server's request handler.
  void handle(const http_request& req, const peer_info& peer, respond answer);

 private:
  void route_request(const http_request& req, const peer_info& peer, std::string_view& route_name,
                     respond answer);

  engine_link& engine_;
  gateway_metrics* metrics_;
  dashboard pages_;
  token_guard guard_;
  std::set<std::string> trusted_;  // SHA-256 of tokens the engine accepted (token_guard bypass)
  std::string openapi_text_;       // made once: the route table does not change
};

}  // namespace af::gateway
