#include "messages/secure_client.h"

#include <atomic>
#include <filesystem>
#include <thread>

namespace af::msg {

class handshake_watch::monitor : public zmq::monitor_t {
 public:
  outcome state = outcome::pending;
  int accepted = 0, refused = 0;
  void on_event_handshake_failed_auth(const zmq_event_t&, const char*) override {
    state = outcome::refused;
    ++refused;
  }
  void on_event_handshake_succeeded(const zmq_event_t&, const char*) override {
    state = outcome::accepted;
    ++accepted;
  }
};

handshake_watch::handshake_watch(zmq::socket_t& s) : monitor_(std::make_unique<monitor>()) {
  static std::atomic<unsigned> next{0};
  std::string addr = "inproc://assessflow-handshake-" + std::to_string(++next);
  monitor_->init(s, addr, ZMQ_EVENT_HANDSHAKE_FAILED_AUTH | ZMQ_EVENT_HANDSHAKE_SUCCEEDED);
}

handshake_watch::~handshake_watch() = default;

handshake_watch::outcome handshake_watch::poll(std::chrono::milliseconds timeout) {
  if (monitor_->check_event(static_cast<int>(timeout.count())))
    while (monitor_->check_event(0)) {  // what else is already there: the newest event decides
    }
  return monitor_->state;
}

int handshake_watch::accepted_count() const { return monitor_->accepted; }
int handshake_watch::refused_count() const { return monitor_->refused; }

handshake_watch::outcome handshake_watch::last() const { return monitor_->state; }

result<client_keys> key_paths(const key_options& o) {
  client_keys k;
  if (!o.key_file.empty())
    k.key_file = o.key_file;
  else if (!o.data_dir.empty())
    k.key_file = o.data_dir + "/keys/" + o.default_name + ".key_secret";
  if (!o.server_key_file.empty())
    k.server_key_file = o.server_key_file;
  else if (!o.data_dir.empty())
    k.server_key_file = o.data_dir + "/keys/engine.key";
  if (k.key_file.empty() || k.server_key_file.empty())
    return status::invalid(
        "give --data DIR (keys in DIR/keys/) or both --key FILE.key_secret and --server-key "
        "FILE.key");
  return k;
}

result<client_keys> load_client_keys(const key_options& o, std::chrono::milliseconds wait,
                                     const std::function<void(const std::string&)>& on_wait) {
  auto paths = key_paths(o);
  if (!paths) return paths.error();
  client_keys k = *paths;
  auto deadline = std::chrono::steady_clock::now() + wait;
  bool told = false;
  while (true) {
    std::error_code ec;
    bool there =
        std::filesystem::exists(k.key_file, ec) && std::filesystem::exists(k.server_key_file, ec);
    if (there) break;
    if (wait.count() >= 0 && std::chrono::steady_clock::now() >= deadline) {
      std::string missing =
          std::filesystem::exists(k.server_key_file, ec) ? k.key_file : k.server_key_file;
      return status::not_found("key file " + missing +
                               " not found (the engine makes DIR/keys/ at its first start)");
    }
    if (!told && on_wait)
      on_wait("waiting for the key files " + k.key_file + " and " + k.server_key_file);
    told = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto mine = read_certificate(k.key_file);
  if (!mine) return mine.error();
  if (mine->secret_key.empty())
    return status::invalid("key file " + k.key_file +
                           " holds no secret-key (give the .key_secret file)");
  auto server = read_certificate(k.server_key_file);
  if (!server) return server.error();
  k.client = *mine;
  k.server_public = server->public_key;
  return k;
}

void make_curve_client(zmq::socket_t& s, const client_keys& keys) {
  s.set(zmq::sockopt::curve_serverkey, keys.server_public);
  s.set(zmq::sockopt::curve_publickey, keys.client.public_key);
  s.set(zmq::sockopt::curve_secretkey, keys.client.secret_key);
}

std::string refused_key_message(const std::string& endpoint, const client_keys& keys) {
  return "the engine at " + endpoint + " did not accept key " + keys.key_file +
         " (unknown or revoked)";
}

}  // namespace af::msg
