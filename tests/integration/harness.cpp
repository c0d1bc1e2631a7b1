#include "tests/integration/harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <zmq.hpp>

#include "messages/secure_client.h"

extern char** environ;

namespace af::test {
namespace fs = std::filesystem;
using af::tools::process;

int run(const std::string& binary, const std::vector<std::string>& args, std::string* out,
        bool with_stderr) {
  std::string cmd = "'" + binary + "'";
  for (const auto& a : args) cmd += " '" + a + "'";
  cmd += with_stderr ? " 2>&1" : " 2>/dev/null";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0)
    if (out) out->append(buf, n);
  int st = ::pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void secure(zmq::socket_t& s, const std::string& data_dir, const std::string& name,
            const std::string& key_file) {
  auto keys = af::msg::load_client_keys({data_dir, key_file, "", name}, std::chrono::seconds(20));
  if (!keys) throw std::runtime_error(keys.error().message());
  af::msg::make_curve_client(s, *keys);
}

std::optional<json> admin_with_key(const std::string& data_dir, const std::string& key_file,
                                   const json& request, int timeout_ms) {
  zmq::context_t ctx(1);
  zmq::socket_t s(ctx, zmq::socket_type::req);
  s.set(zmq::sockopt::linger, 0);
  s.set(zmq::sockopt::rcvtimeo, timeout_ms);
  secure(s, data_dir, "admin", key_file);
  s.connect("ipc://" + data_dir + "/admin.sock");
  std::string text = request.dump();
  s.send(zmq::buffer(text), zmq::send_flags::none);
  zmq::message_t reply;
  if (!s.recv(reply)) return std::nullopt;
  return json::parse(reply.to_string_view());
}

json admin(const std::string& data_dir, const json& request, int timeout_ms) {
  auto reply = admin_with_key(data_dir, "", request, timeout_ms);
  if (!reply) throw std::runtime_error("no admin reply to " + request.dump().substr(0, 80));
  return *reply;
}

bool eventually(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return ready();
}

process start_engine(const std::string& data_dir, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--data", data_dir + "/data"};
  if (std::find(extra.begin(), extra.end(), "--sync") == extra.end())
    args.insert(args.end(), {"--sync", "normal"});
  if (std::find(extra.begin(), extra.end(), "--schedule") == extra.end())
    args.insert(args.end(), {"--schedule", "off"});
  args.insert(args.end(), extra.begin(), extra.end());
  process p(ASSESS_ENGINE_BIN, args, data_dir + "/engine.log");
  bool up = eventually(
      [&] {
        try {
          return admin(data_dir + "/data", {{"cmd", "stats"}}, 200).value("ok", false);
        } catch (const std::exception&) {
          return false;
        }
      },
      std::chrono::seconds(20));
  if (!up) throw std::runtime_error("engine did not come up; see " + data_dir + "/engine.log");
  return p;
}

process start_worker(const std::string& binary, const std::string& data_dir,
                     const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--data", data_dir + "/data", "--heartbeat-ms", "200"};
  args.insert(args.end(), extra.begin(), extra.end());
  return process(binary, args,
                 data_dir + "/worker-" + fs::path(binary).filename().string() + ".log");
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::map<std::string, int> states_of(const std::string& data, long long cycle) {
  std::map<std::string, int> out;
  json reply = admin(data, {{"cmd", "cases"}, {"cycle", cycle}});
  for (const auto& c : reply["cases"]) ++out[c["state"].get<std::string>()];
  return out;
}

}  // namespace af::test
