// keyring.h: DATA/keys/ and the principals of a one-machine setup
// (DESIGN.md "Identity and access"). At every start the engine makes what
// is missing: the directory (0700), its own key pair (engine.key,
// engine.key_secret) and the client pairs admin, worker, feed and gateway,
// and registers each of those principals that the database does not know
// yet with the public key in its file. Nothing is overwritten: a key an
// operator replaced or rotated stays as it is.
#pragma once

#include <string>
#include <vector>

#include "engine/store.h"
#include "messages/curve_keys.h"

namespace af::engine {

// Makes DIR/keys and the missing key pairs; returns the engine's pair.
// `log` gets one line per file made. IOError when libzmq has no CURVE or
// the directory cannot be made; the status of making or writing a pair,
// or of reading DIR/keys/engine.key_secret (InvalidArgument when it holds
// no secret key).
result<msg::key_pair> ensure_keys(const std::string& data_dir, std::vector<std::string>& log);

// Registers the default principals the store lacks (inside the caller's
// transaction), from DIR/keys/NAME.key. A default principal whose key file
// is gone is left to the operator, with a line in `log`. Throws
// sqlite_error on a storage fault.
void register_default_principals(store& db, const std::string& data_dir, const std::string& at,
                                 std::vector<std::string>& log);

// Makes DIR and every directory under it 0700 and every regular file 0600
// (the database, its WAL, notification files, keys). Returns how many
// were changed; what cannot be opened (or is a link) is skipped, never an error.
int tighten_permissions(const std::string& data_dir);

}  // namespace af::engine
