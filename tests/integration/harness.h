// harness.h: real processes for integration tests: a temp data dir, the
// engine and workers started as child processes on ipc:// endpoints in it,
// admin calls over the real socket, and waiting with a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "tools/common/process.h"

namespace af::test {

using af::tools::process;
using af::tools::temp_dir;

using json = nlohmann::ordered_json;

// Runs a program to completion; returns its exit code, stdout (and stderr
// when `with_stderr`) into `out`.
int run(const std::string& binary, const std::vector<std::string>& args, std::string* out = nullptr,
        bool with_stderr = false);

// One admin request to ipc://DATA/admin.sock with the `admin` key from
// DATA/keys; throws on a timeout.
json admin(const std::string& data_dir, const json& request, int timeout_ms = 20000);
// The same with another client key pair (FILE.key_secret); nullopt when no
// reply came within `timeout_ms` (e.g. the key is refused).
std::optional<json> admin_with_key(const std::string& data_dir, const std::string& key_file,
                                   const json& request, int timeout_ms = 5000);
// Makes `s` a CURVE client of the engine in DATA with DATA/keys/NAME.key_secret
// (or `key_file` when given).
void secure(zmq::socket_t& s, const std::string& data_dir, const std::string& name,
            const std::string& key_file = "");

// Polls `ready` every 20 ms until it holds; false after `timeout`.
bool eventually(const std::function<bool()>& ready,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Starts the engine on DATA with extra flags and waits until it answers.
process start_engine(const std::string& data_dir, const std::vector<std::string>& extra = {});
process start_worker(const std::string& binary, const std::string& data_dir,
                     const std::vector<std::string>& extra = {});

// The whole text of a file ("" when it cannot be read).
std::string read_text(const std::string& path);

// Counts cases of a cycle per state.
std::map<std::string, int> states_of(const std::string& data_dir, long long cycle);

}  // namespace af::test
