// secure_client.h: how every client program reaches the engine under CURVE
// (DESIGN.md "Identity and access"): its key pair and the engine's public
// key, found from --data DIR (DIR/keys/NAME.key_secret and
// DIR/keys/engine.key) or given as --key FILE.key_secret and
// --server-key FILE.key; and a watch on the socket's handshakes, so that a
// key the engine refuses is a clear one-line error within a second
// instead of a silent hang.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <zmq.hpp>

#include "messages/curve_keys.h"

namespace af::msg {

struct client_keys {
  std::string key_file;         // the client's .key_secret, named in errors
  std::string server_key_file;  // the engine's .key
  key_pair client;
  std::string server_public;
};

struct key_options {
  std::string data_dir;         // DIR: DIR/keys/<default_name>.key_secret and DIR/keys/engine.key
  std::string key_file;         // --key: overrides the client's default
  std::string server_key_file;  // --server-key: overrides DIR/keys/engine.key
  std::string default_name;     // admin, worker, feed
};

// Where the key files are: the overrides, else under DIR/keys. Invalid when
// neither --data nor both --key and --server-key are given.
result<client_keys> key_paths(const key_options& o);

// Reads both key files. While a file is missing (the engine makes its keys
// at its first start), waits for it: at most `wait` (negative: forever),
// calling `on_wait` once with a line to show. NotFound after `wait`;
// Invalid for a file that is there but not a usable certificate.
result<client_keys> load_client_keys(const key_options& o, std::chrono::milliseconds wait,
                                     const std::function<void(const std::string&)>& on_wait = {});

// Makes `s` a CURVE client of the engine with these keys; call before connect.
void make_curve_client(zmq::socket_t& s, const client_keys& keys);

// "the engine at EP did not accept key FILE (unknown or revoked)"
std::string refused_key_message(const std::string& endpoint, const client_keys& keys);

// Watches one socket's CURVE handshakes through its monitor. Create it
// before connect() so no event is missed. Not thread-safe.
class handshake_watch {
 public:
  enum class outcome { pending, accepted, refused };
  handshake_watch(zmq::socket_t& s);
  ~handshake_watch();
  handshake_watch(const handshake_watch&) = delete;
  handshake_watch& operator=(const handshake_watch&) = delete;

  // Waits at most `timeout` for a handshake event (zero: takes only those
  // already there), then returns the newest outcome: `refused` when the
  // engine refused the key (its ZAP answered 400), `accepted` when a
  // handshake succeeded, `pending` while neither happened yet.
  outcome poll(std::chrono::milliseconds timeout);
  [[nodiscard]] outcome last() const;
  // Handshakes seen so far (a client reconnects, and handshakes again).
  [[nodiscard]] int accepted_count() const;
  [[nodiscard]] int refused_count() const;

 private:
  class monitor;
  std::unique_ptr<monitor> monitor_;
};

}  // namespace af::msg
