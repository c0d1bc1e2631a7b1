// http_server.h: HTTP/1.1 over TCP, or over TLS when given a context, on
// one Asio io_context (Boost.Beast). It knows nothing of routes: each
// request goes to the handler, which answers once, perhaps later (after
// the engine replied).
//
// Limits, each answered as HTTP says: a header block over
// `header_bytes` or a body over `body_bytes` is 413 and the connection
// closes; a malformed request is 400 and closes; a connection idle or
// slow to send its request for `idle` is closed; beyond `max_connections`
// a new connection is answered 503 and closed. Keep-alive as the client
// asks. shutdown() stops accepting, closes idle connections, lets each
// request being handled finish (answered with "Connection: close") and
// then calls `drained`.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace af::gateway {

struct server_limits {
  std::size_t header_bytes = 16 * 1024;
  std::size_t body_bytes = 1024 * 1024;
  std::chrono::seconds idle{30};
  std::size_t max_connections = 512;
  // Told the status of each request refused before the handler saw it
  // (400 malformed, 413 too large, 503 too many connections), for metrics.
  std::function<void(unsigned status)> on_refused;
};

using http_request = boost::beast::http::request<boost::beast::http::string_body>;

struct http_reply {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beside the common ones
  // The engine refused the caller's token (whatever the status shows: a
  // page redirects to the sign-in); the gateway counts it (token_guard.h).
  bool token_refused = false;
};

// What the server knows of the connection a request came on.
struct peer_info {
  std::string address;  // "127.0.0.1"
  bool tls = false;
};

using respond = std::function<void(http_reply)>;
using request_handler = std::function<void(const http_request&, const peer_info&, respond)>;

class http_server {
 public:
  // `tls` null: plain HTTP. The context must outlive the server.
  http_server(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& listen,
              boost::asio::ssl::context* tls, server_limits limits, request_handler handler);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // The address actually bound (port 0 picks a free one).
  [[nodiscard]] boost::asio::ip::tcp::endpoint local_endpoint() const;
  void start();
  void shutdown(std::function<void()> drained);
  [[nodiscard]] std::size_t connections() const { return sessions_.size(); }

  // Internal to the sessions (http_server.cpp).
  struct session_slot;

 private:
  void accept_next();
  void on_session_end(std::uint64_t id);

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer retry_;  // the next accept after a failed one
  boost::asio::ssl::context* tls_;
  server_limits limits_;
  request_handler handler_;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, std::shared_ptr<session_slot>> sessions_;
  bool stopping_ = false;
  std::function<void()> drained_;
};

// The reply every server sends for `status` with a JSON error body.
http_reply json_error_reply(unsigned status, const std::string& error, const std::string& code);

}  // namespace af::gateway
