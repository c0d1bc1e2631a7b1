// assess-gateway: HTTP/1.1 (and HTTPS) in front of the engine's admin API
// (DESIGN.md "HTTP gateway and metrics"). One io_context drives the
// listening socket, every connection, the engine link and the signals.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <memory>
#include <optional>

#include "messages/secure_client.h"
#include "tools/gateway/engine_link.h"
#include "tools/gateway/http_server.h"
#include "tools/gateway/service.h"

namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct gateway_options {
  std::string data_dir, admin_ep, key_file, server_key_file;
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert, tls_key;
  double engine_timeout_s = 10;
  std::size_t max_connections = 512;
};

void log_line(const std::string& line) { fmt::print(stderr, "assess-gateway: {}\n", line); }

// "127.0.0.1:8080", "[::1]:8080", "localhost:8080" -> an endpoint.
std::optional<tcp::endpoint> parse_listen(asio::io_context& io, const std::string& text,
                                          std::string& why) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    why = "--listen " + text + ": give HOST:PORT, e.g. 127.0.0.1:8080";
    return std::nullopt;
  }
  std::string host = text.substr(0, colon), port = text.substr(colon + 1);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  tcp::resolver resolver(io);
  auto found =
      resolver.resolve(host, port, tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || found.empty()) {
    why = "--listen " + text + ": " + (ec ? ec.message() : "no address");
    return std::nullopt;
  }
  return found.begin()->endpoint();
}

std::unique_ptr<asio::ssl::context> make_tls(const gateway_options& o, std::string& why) {
  auto ctx = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                   asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                   asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(o.tls_cert, ec);
  if (ec) {
    why = "--tls-cert " + o.tls_cert + ": " + ec.message();
    return nullptr;
  }
  ctx->use_private_key_file(o.tls_key, asio::ssl::context::pem, ec);
  if (ec) {
    why =
        "--tls-key " + o.tls_key + ": " + ec.message() + " (or it does not match the certificate)";
    return nullptr;
  }
  return ctx;
}

int run(const gateway_options& o) {
  asio::io_context io(1);
  std::string why;
  auto listen = parse_listen(io, o.listen, why);
  if (!listen) return log_line(why), 2;
  bool tls = !o.tls_cert.empty();
  if (!tls && !listen->address().is_loopback()) {
    log_line("--listen " + o.listen +
             ": without --tls-cert and --tls-key the gateway listens on loopback only "
             "(127.0.0.1 or ::1), so that tokens never cross a network in clear text");
    return 2;
  }
  std::unique_ptr<asio::ssl::context> tls_ctx;
  if (tls && !(tls_ctx = make_tls(o, why))) return log_line(why), 2;

  af::msg::key_options ko{o.data_dir, o.key_file, o.server_key_file, "gateway"};
  auto keys = af::msg::load_client_keys(ko, std::chrono::seconds(30), log_line);
  if (!keys) return log_line(keys.error().message()), 1;
  std::string admin_ep = o.admin_ep.empty() ? "ipc://" + o.data_dir + "/admin.sock" : o.admin_ep;

  zmq::context_t zmq_ctx(1);
  auto timeout = std::chrono::milliseconds(static_cast<long long>(o.engine_timeout_s * 1000));
  af::gateway::engine_link engine(io, zmq_ctx, *keys, admin_ep, timeout);
  switch (engine.await_handshake(std::chrono::seconds(5))) {
    case af::msg::handshake_watch::outcome::refused:
      log_line(af::msg::refused_key_message(admin_ep, *keys));
      return 1;
    case af::msg::handshake_watch::outcome::pending:
      log_line("the engine at " + admin_ep +
               " does not answer yet; requests get 503 until it does");
      break;
    case af::msg::handshake_watch::outcome::accepted:
      break;
  }

  std::optional<af::gateway::http_server> server;
  af::gateway::gateway_metrics metrics(
      [&] { return server ? static_cast<double>(server->connections()) : 0.0; },
      [&] { return static_cast<double>(engine.in_flight()); });
  af::gateway::gateway_service service(engine, &metrics);
  af::gateway::server_limits limits;
  limits.max_connections = o.max_connections;
  limits.on_refused = [&metrics](unsigned status) { metrics.refused(status); };
  try {
    server.emplace(
        io, *listen, tls_ctx.get(), limits,
        [&service](const af::gateway::http_request& req, const af::gateway::peer_info& peer,
                   af::gateway::respond answer) { service.handle(req, peer, std::move(answer)); });
  } catch (const boost::system::system_error& e) {
    log_line("--listen " + o.listen + ": " + e.code().message());
    return 1;
  }
  server->start();
  auto bound = server->local_endpoint();
  std::string host = bound.address().is_v6() ? "[" + bound.address().to_string() + "]"
                                             : bound.address().to_string();
  log_line(fmt::format("listening on {}://{}:{} (engine {})", tls ? "https" : "http", host,
                       bound.port(), admin_ep));

  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::steady_timer deadline(io);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (ec) return;
    log_line(fmt::format("shutting down: {} connection(s), {} request(s) at the engine",
                         server->connections(), engine.in_flight()));
    server->shutdown([&] {
      engine.stop();
      io.stop();
    });
    // Whatever is still running after this is cut off.
    deadline.expires_after(timeout + std::chrono::seconds(2));
    deadline.async_wait([&](const boost::system::error_code& e) {
      if (!e) io.stop();
    });
  });
  for (;;) {  // a bug in one handler costs its request, never the gateway
    try {
      io.run();
      break;
    } catch (const std::exception& e) {
      log_line(std::string("internal error, the request was dropped: ") + e.what());
    }
  }
  log_line("stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"assess-gateway: the admin API over HTTP (DESIGN.md \"HTTP gateway and metrics\")"};
  gateway_options o;
  app.add_option("--data", o.data_dir,
                 "Engine data directory: admin endpoint ipc://DATA/admin.sock, keys in DATA/keys");
  app.add_option("--listen", o.listen, "HOST:PORT to serve (loopback only without TLS)")
      ->capture_default_str();
  auto* cert = app.add_option("--tls-cert", o.tls_cert, "PEM certificate chain: serve HTTPS");
  auto* key = app.add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert");
  cert->needs(key);
  key->needs(cert);
  app.add_option("--admin", o.admin_ep, "The engine's admin endpoint, e.g. tcp://host:5556");
  app.add_option("--key", o.key_file, "The gateway's FILE.key_secret (default DATA/keys/gateway)");
  app.add_option("--server-key", o.server_key_file, "The engine's FILE.key (default DATA/keys)");
  app.add_option("--engine-timeout", o.engine_timeout_s,
                 "Seconds to wait for the engine's answer before 503")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  app.add_option("--max-connections", o.max_connections, "Open connections at most")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  if (o.data_dir.empty() &&
      (o.admin_ep.empty() || o.key_file.empty() || o.server_key_file.empty())) {
    log_line("give --data DIR, or --admin EP with --key and --server-key");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  return run(o);
}
