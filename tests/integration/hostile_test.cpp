// Hostile messages against the real engine over real sockets: each costs
// only itself (a refusal, or for a grossly oversized one its connection),
// and the engine goes on answering everyone else.
#include <catch2/catch.hpp>

#include "tests/integration/scenario.h"

using namespace af::test;

namespace {

// Sends `text` on a fresh admin REQ socket; the reply, or nullopt after `ms`.
std::optional<std::string> send_admin(const scenario& s, const std::string& text, int ms = 5000) {
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::req);
  sock.set(zmq::sockopt::linger, 0);
  sock.set(zmq::sockopt::rcvtimeo, ms);
  secure(sock, s.data(), "admin");
  sock.connect("ipc://" + s.data() + "/admin.sock");
  sock.send(zmq::buffer(text), zmq::send_flags::none);
  zmq::message_t reply;
  if (!sock.recv(reply)) return std::nullopt;
  return reply.to_string();
}

}  // namespace

TEST_CASE("deep nesting, oversized requests and events cost only themselves",
          "[integration][hardening]") {
  scenario s;
  s.generate(3, 10);
  auto engine = start_engine(s.root.path());
  s.load();
  // 200,000 levels deep (400 KB): it once overflowed the engine's stack.
  std::string deep =
      R"({"cmd":"case.show","case":)" + std::string(200000, '[') + std::string(200000, ']') + "}";
  CHECK(
      send_admin(s, deep) ==
      R"({"ok":false,"error":"request nests arrays or objects deeper than 64","code":"invalid"})");
  // Just over the 16 MiB limit: still a one-line refusal.
  std::string big = R"({"cmd":"stats","pad":")" + std::string((16u << 20) - 20, 'x') + "\"}";
  REQUIRE(big.size() > (16u << 20));
  auto refused = send_admin(s, big, 20000);
  REQUIRE(refused.has_value());
  CHECK(json::parse(*refused)["error"] ==
        "request of " + std::to_string(big.size()) + " bytes exceeds the limit");
  // Grossly oversized (over twice the limit): ZeroMQ drops it and its connection.
  std::string huge(40u << 20, ' ');
  CHECK_FALSE(send_admin(s, huge, 2000).has_value());
  // A deep event message is rejected with a reply.
  zmq::context_t ctx(1);
  zmq::socket_t ingest(ctx, zmq::socket_type::req);
  ingest.set(zmq::sockopt::linger, 0);
  ingest.set(zmq::sockopt::rcvtimeo, 5000);
  secure(ingest, s.data(), "feed");
  ingest.connect("ipc://" + s.data() + "/ingest.sock");
  std::string deep_events = std::string(100000, '[') + std::string(100000, ']');
  ingest.send(zmq::buffer(deep_events), zmq::send_flags::none);
  zmq::message_t reply;
  REQUIRE(ingest.recv(reply));
  auto acks = json::parse(reply.to_string_view());
  CHECK(acks[0]["status"] == "rejected");
  // Everyone else is still served.
  CHECK(admin(s.data(), {{"cmd", "stats"}})["ok"] == true);
  CHECK(admin(s.data(), {{"cmd", "audit"}})["audit"].size() == 2);  // the deep and the big request
}
