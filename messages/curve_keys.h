// curve_keys.h: CURVE key pairs and their files (DESIGN.md "Identity and
// access"). Key files use the ZeroMQ certificate format that pyzmq's
// zmq.auth.create_certificates writes and zmq.auth.load_certificate reads:
// NAME.key holds the public key, NAME.key_secret the public and the secret
// key, both Z85 (40 characters). Files written here are mode 0600; a
// directory made here is 0700.
#pragma once

#include <string>

#include "base/status.h"

namespace af::msg {

struct key_pair {
  std::string public_key;  // Z85
  std::string secret_key;  // Z85; empty when read from a public certificate
};

// Whether this libzmq was built with CURVE (zmq_has("curve")).
bool curve_available();

// A fresh pair from libzmq (zmq_curve_keypair); IOError without CURVE.
result<key_pair> make_key_pair();

// Whether `z85` is a 40-character Z85 text that decodes to a 32-byte key.
bool is_z85_key(const std::string& z85);

// Writes DIR/NAME.key and DIR/NAME.key_secret (0600), creating DIR (0700)
// if it is missing. Never overwrites: Conflict if either file exists.
status write_certificates(const std::string& dir, const std::string& name, const key_pair& keys);

// Reads a certificate: the public key and, from a .key_secret file, the
// secret key. NotFound when the file is missing; Invalid when it holds no
// valid public key (or a secret file no valid secret key).
result<key_pair> read_certificate(const std::string& path);

}  // namespace af::msg
