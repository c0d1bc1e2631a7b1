// dashboard.h: the read-only dashboard under / (DESIGN.md "HTTP gateway
// and metrics"). Signing in posts a bearer token, kept in an HttpOnly,
// SameSite=Strict cookie (Secure under TLS); every page is built from
// admin requests sent with that token, so it shows exactly what the
// token's principal may read, and a token the engine refuses (revoked,
// rotated) signs the browser out. Pages: the cycles (/), a cycle
// (/cycles/ID), a case (/cases/ID); /login and /logout.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tools/gateway/dashboard_pages.h"
#include "tools/gateway/engine_link.h"
#include "tools/gateway/http_server.h"
#include "tools/gateway/routes.h"

namespace af::gateway {

// The cookie that holds the token.
inline constexpr const char* session_cookie = "af_token";

// The value of cookie `name` in a Cookie header; empty when absent.
std::string cookie_value(std::string_view header, std::string_view name);

class dashboard {
 public:
  explicit dashboard(engine_link& engine) : engine_(engine) {}
  void handle(const http_request& req, const peer_info& peer, const route_match& m,
              std::string_view query, respond answer);

 private:
  void sign_in(const http_request& req, const peer_info& peer, std::string_view query,
               respond answer);
  void cycle(const std::string& token, long long id, page_lang l, bool tls, respond answer);
  // Every page of a cycle's cases, then `done` with them (or the refusal).
  void all_cases(const std::string& token, long long cycle, msg::json acc, long long after,
                 page_lang l, const respond& answer, std::function<void(engine_reply)> done);
  // A cycle page lists at most this many cases (its pages stop there).
  static constexpr std::size_t max_page_cases = 20000;
  engine_link& engine_;
};

}  // namespace af::gateway
