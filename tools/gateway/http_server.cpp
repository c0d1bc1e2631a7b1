#include "tools/gateway/http_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "messages/json_text.h"

namespace af::gateway {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using asio::use_awaitable;
using tcp = asio::ip::tcp;

// What shutdown() needs of a live session: whether it waits for a request
// (then it may be closed at once) and how to close it.
struct http_server::session_slot {
  bool reading = true;
  std::function<void()> cancel;
};

http_reply json_error_reply(unsigned status, const std::string& error, const std::string& code) {
  msg::json body{{"ok", false}, {"error", error}, {"code", code}};
  return {status, "application/json", body.dump() + "\n", {}};
}

namespace {

http::response<http::string_body> to_response(http_reply r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  res.set(http::field::server, "assess-gateway");
  std::string type = r.content_type;
  if (type.rfind("text/", 0) == 0 || type == "application/json") type += "; charset=utf-8";
  res.set(http::field::content_type, type);
  res.set(http::field::cache_control, "no-store");
  res.set("X-Content-Type-Options", "nosniff");
  for (auto& [name, value] : r.headers) res.set(name, value);
  res.keep_alive(keep_alive);
  res.body() = std::move(r.body);
  res.prepare_payload();
  return res;
}

// Awaits the handler's one answer, always delivered through a post so the
// coroutine is never resumed inside its own suspension.
template <class Token>
auto async_handle(const request_handler& handler, const http_request& req, const peer_info& peer,
                  asio::any_io_executor ex, Token&& token) {
  return asio::async_initiate<Token, void(http_reply)>(
      [&handler, &req, &peer, ex](auto completion) {
        auto shared = std::make_shared<decltype(completion)>(std::move(completion));
        auto answer = [shared, ex](http_reply r) {
          asio::post(ex,
                     [shared, r = std::move(r)]() mutable { std::move (*shared)(std::move(r)); });
        };
        try {
          handler(req, peer, answer);
        } catch (const std::exception&) {  // never a stack trace to the client
          answer(json_error_reply(500, "internal error; nothing was changed by the gateway",
                                  "unavailable"));
        }
      },
      token);
}

beast::tcp_stream& lowest(beast::tcp_stream& s) { return s; }
beast::tcp_stream& lowest(beast::ssl_stream<beast::tcp_stream>& s) { return s.next_layer(); }

// After refusing a request whose rest is still arriving: stop sending and
// read what the client still sends (up to 4 MiB, 2 s), so that closing does
// not reset the connection before the client has read the refusal.
awaitable<void> discard_rest(beast::tcp_stream& s) {
  boost::system::error_code ec;
  s.socket().shutdown(tcp::socket::shutdown_send, ec);
  s.expires_after(std::chrono::seconds(2));
  std::vector<char> scratch(64 * 1024);
  for (std::size_t total = 0; !ec && total < 4 * 1024 * 1024;)
    total +=
        co_await s.async_read_some(asio::buffer(scratch), asio::redirect_error(use_awaitable, ec));
}
awaitable<void> discard_rest(beast::ssl_stream<beast::tcp_stream>&) { co_return; }

template <class Stream>
awaitable<void> serve(Stream& stream, const server_limits& limits, const request_handler& handler,
                      peer_info peer, http_server::session_slot& slot, const bool& stopping) {
  beast::flat_buffer buffer;  // no cap of its own: the parser's limits bound it
  auto ex = co_await asio::this_coro::executor;
  for (;;) {
    slot.reading = true;
    if (stopping) break;
    http::request_parser<http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(limits.header_bytes));
    parser.body_limit(limits.body_bytes);
    lowest(stream).expires_after(limits.idle);
    boost::system::error_code ec;
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(use_awaitable, ec));
    if (!ec && parser.get()[http::field::expect] == "100-continue" && !parser.is_done()) {
      http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
      co_await http::async_write(stream, go_on, asio::redirect_error(use_awaitable, ec));
    }
    if (!ec && !parser.is_done())
      co_await http::async_read(stream, buffer, parser, asio::redirect_error(use_awaitable, ec));
    slot.reading = false;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::eof ||
        ec == asio::error::connection_reset)
      break;
    if (ec) {
      bool too_large = ec == http::error::body_limit || ec == http::error::header_limit ||
                       ec == http::error::buffer_overflow;
      auto reply =
          too_large
              ? json_error_reply(413,
                                 "request too large: headers at most " +
                                     std::to_string(limits.header_bytes) + " bytes, body at most " +
                                     std::to_string(limits.body_bytes) + " bytes",
                                 "invalid")
              : json_error_reply(400, "malformed HTTP request: " + ec.message(), "invalid");
      if (limits.on_refused) limits.on_refused(reply.status);
      auto res = to_response(std::move(reply), 11, false);
      lowest(stream).expires_after(std::chrono::seconds(5));
      co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
      if (!ec) co_await discard_rest(stream);
      break;
    }
    http_request req = parser.release();
    lowest(stream).expires_never();  // the engine link's timeout bounds the answer
    http_reply reply = co_await async_handle(handler, req, peer, ex, use_awaitable);
    bool keep_alive = req.keep_alive() && !stopping;
    auto res = to_response(std::move(reply), req.version(), keep_alive);
    lowest(stream).expires_after(limits.idle);
    co_await http::async_write(stream, res, asio::redirect_error(use_awaitable, ec));
    if (ec || !keep_alive) break;
  }
}

awaitable<void> close(beast::tcp_stream& s) {
  boost::system::error_code ec;
  s.socket().shutdown(tcp::socket::shutdown_send, ec);
  s.close();
  co_return;
}

awaitable<void> close(beast::ssl_stream<beast::tcp_stream>& s) {
  boost::system::error_code ec;
  s.next_layer().expires_after(std::chrono::seconds(2));
  co_await s.async_shutdown(asio::redirect_error(use_awaitable, ec));
  s.next_layer().close();
}

// One connection from accept to close. The server outlives its sessions.
awaitable<void> run_session(asio::ssl::context* tls, const server_limits& limits,
                            const request_handler& handler, const bool& stopping,
                            std::shared_ptr<http_server::session_slot> slot, peer_info peer,
                            bool full, tcp::socket socket) {
  beast::tcp_stream plain(std::move(socket));
  if (full) {
    if (limits.on_refused) limits.on_refused(503);
    auto res = to_response(
        json_error_reply(503, "too many connections; retry shortly", "unavailable"), 11, false);
    boost::system::error_code ec;
    plain.expires_after(std::chrono::seconds(2));
    if (!tls) co_await http::async_write(plain, res, asio::redirect_error(use_awaitable, ec));
    co_await close(plain);
  } else if (!tls) {
    slot->cancel = [&plain] { plain.cancel(); };
    co_await serve(plain, limits, handler, peer, *slot, stopping);
    co_await close(plain);
  } else {
    beast::ssl_stream<beast::tcp_stream> secure(std::move(plain), *tls);
    slot->cancel = [&secure] { secure.next_layer().cancel(); };
    secure.next_layer().expires_after(limits.idle);
    boost::system::error_code ec;
    co_await secure.async_handshake(asio::ssl::stream_base::server,
                                    asio::redirect_error(use_awaitable, ec));
    if (!ec) {
      co_await serve(secure, limits, handler, peer, *slot, stopping);
      co_await close(secure);
    }
  }
  slot->cancel = nullptr;
}

}  // namespace

http_server::http_server(asio::io_context& io, const tcp::endpoint& listen, asio::ssl::context* tls,
                         server_limits limits, request_handler handler)
    : io_(io),
      acceptor_(io),
      retry_(io),
      tls_(tls),
      limits_(std::move(limits)),
      handler_(std::move(handler)) {
  acceptor_.open(listen.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(listen);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

http_server::~http_server() = default;

tcp::endpoint http_server::local_endpoint() const { return acceptor_.local_endpoint(); }

void http_server::start() { accept_next(); }

void http_server::accept_next() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      boost::system::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto where = socket.remote_endpoint(ignored);
      peer_info peer{where.address().to_string(), tls_ != nullptr};
      std::uint64_t id = next_id_++;
      auto slot = std::make_shared<session_slot>();
      sessions_.emplace(id, slot);
      bool full = sessions_.size() > limits_.max_connections;
      asio::co_spawn(
          io_, run_session(tls_, limits_, handler_, stopping_, slot, peer, full, std::move(socket)),
          [this, id](std::exception_ptr) { on_session_end(id); });
    } else {  // out of descriptors, say: try again shortly instead of spinning
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([this](const boost::system::error_code& e) {
        if (!e && acceptor_.is_open()) accept_next();
      });
      return;
    }
    accept_next();
  });
}

void http_server::on_session_end(std::uint64_t id) {
  sessions_.erase(id);
  if (stopping_ && sessions_.empty() && drained_) {
    auto done = std::move(drained_);
    drained_ = nullptr;
    done();
  }
}

void http_server::shutdown(std::function<void()> drained) {
  stopping_ = true;
  drained_ = std::move(drained);
  boost::system::error_code ec;
  acceptor_.close(ec);
  retry_.cancel();
  for (auto& [id, slot] : sessions_)
    if (slot->reading && slot->cancel) slot->cancel();
  if (sessions_.empty() && drained_) {
    auto done = std::move(drained_);
    drained_ = nullptr;
    asio::post(io_, std::move(done));
  }
}

}  // namespace af::gateway
