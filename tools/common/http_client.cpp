#include "tools/common/http_client.h"

#include <sys/socket.h>
#include <sys/time.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>

namespace af::tools {

namespace {

// Blocking reads and writes give up after `seconds` (Beast's expiry covers
// only asynchronous operations).
void time_limit(boost::asio::ip::tcp::socket& s, int seconds) {
  timeval tv{seconds, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

}  // namespace

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

struct http_connection::impl {
  asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
};

http_connection::http_connection(int port) : impl_(std::make_unique<impl>()) {
  impl_->stream.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  time_limit(impl_->stream.socket(), 30);
}

http_connection::~http_connection() {
  boost::system::error_code ec;
  impl_->stream.socket().close(ec);
}

http_result http_connection::send(const std::string& method, const std::string& target,
                                  const std::string& token, const std::string& body,
                                  const std::vector<std::pair<std::string, std::string>>& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  http_result out;
  boost::system::error_code ec;
  http::write(impl_->stream, req, ec);
  if (ec) return out;
  http::response<http::string_body> res;
  http::read(impl_->stream, impl_->buffer, res, ec);
  if (ec) return out;
  out.status = static_cast<int>(res.result_int());
  out.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(field.value());
  }
  return out;
}

http_result http_call(int port, const std::string& method, const std::string& target,
                      const std::string& token, const std::string& body) {
  http_connection c(port);
  return c.send(method, target, token, body, {{"Connection", "close"}});
}

std::string raw_exchange(int port, const std::string& bytes) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(
      tcp::endpoint(asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)));
  time_limit(stream.socket(), 5);
  boost::system::error_code ec;
  asio::write(stream, asio::buffer(bytes), ec);
  std::string got;
  char chunk[4096];
  for (;;) {
    auto n = stream.read_some(asio::buffer(chunk), ec);
    got.append(chunk, n);
    if (ec) break;
  }
  return got;
}

}  // namespace af::tools
