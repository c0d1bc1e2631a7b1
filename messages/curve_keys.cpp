#include "messages/curve_keys.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace af::msg {
namespace {

// pyzmq's banners (zmq/auth/certs.py), so either tool's files look alike.
constexpr const char* public_banner =
    "#   ****  Generated on {} by assessflow  ****\n"
    "#   ZeroMQ CURVE Public Certificate\n"
    "#   Exchange securely, or use a secure mechanism to verify the contents\n"
    "#   of this file after exchange. Store public certificates in your home\n"
    "#   directory, in the .curve subdirectory.\n\n";
constexpr const char* secret_banner =
    "#   ****  Generated on {} by assessflow  ****\n"
    "#   ZeroMQ CURVE **Secret** Certificate\n"
    "#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.\n\n";

std::string banner(const char* pattern) {
  std::time_t now = std::time(nullptr);
  char when[32];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", std::gmtime(&now));
  std::string out(pattern);
  out.replace(out.find("{}"), 2, when);
  return out;
}

status write_new_file(const std::string& path, const std::string& text) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return status::conflict(path + " already exists; not overwritten");
    return status::io_error("cannot create " + path + ": " + std::strerror(errno));
  }
  ::fchmod(fd, 0600);  // whatever the umask
  std::size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      return status::io_error("cannot write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return status::io_error("cannot write " + path);
  return status::ok();
}

// The value of `key = "..."` as pyzmq reads it: after the first '=',
// stripped of blanks and quotes.
std::string value_after_equals(const std::string& line) {
  auto eq = line.find('=');
  if (eq == std::string::npos) return {};
  std::string v = line.substr(eq + 1);
  auto strip = [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '\''; };
  while (!v.empty() && strip(v.front())) v.erase(v.begin());
  while (!v.empty() && strip(v.back())) v.pop_back();
  return v;
}

}  // namespace

bool curve_available() { return zmq_has("curve") != 0; }

result<key_pair> make_key_pair() {
  if (!curve_available())
    return status::io_error("this libzmq was built without CURVE (zmq_has(\"curve\") is false)");
  char pub[41], sec[41];
  if (zmq_curve_keypair(pub, sec) != 0)
    return status::io_error(std::string("zmq_curve_keypair: ") + zmq_strerror(zmq_errno()));
  return key_pair{pub, sec};
}

bool is_z85_key(const std::string& z85) {
  if (z85.size() != 40) return false;
  std::uint8_t raw[32];
  return zmq_z85_decode(raw, z85.c_str()) != nullptr;
}

status write_certificates(const std::string& dir, const std::string& name, const key_pair& keys) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return status::io_error("cannot create " + dir + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  std::string base = (fs::path(dir) / name).string();
  for (const char* ext : {".key", ".key_secret"})
    if (fs::exists(base + ext, ec))
      return status::conflict(base + ext + " already exists; not overwritten");
  std::string pub =
      banner(public_banner) + "metadata\ncurve\n    public-key = \"" + keys.public_key + "\"\n";
  std::string sec = banner(secret_banner) + "metadata\ncurve\n    public-key = \"" +
                    keys.public_key + "\"\n    secret-key = \"" + keys.secret_key + "\"\n";
  if (status s = write_new_file(base + ".key", pub); !s) return s;
  return write_new_file(base + ".key_secret", sec);
}

result<key_pair> read_certificate(const std::string& path) {
  std::ifstream in(path);
  if (!in) return status::not_found("key file " + path + " not found");
  key_pair out;
  std::string line;
  bool has_secret_line = false;
  while (std::getline(in, line)) {
    auto first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || line[first] == '#') continue;
    line = line.substr(first);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.rfind("public-key", 0) == 0) out.public_key = value_after_equals(line);
    if (line.rfind("secret-key", 0) == 0) {
      out.secret_key = value_after_equals(line);
      has_secret_line = true;
    }
  }
  if (!is_z85_key(out.public_key))
    return status::invalid("key file " + path + " holds no valid public-key");
  if (has_secret_line && !is_z85_key(out.secret_key))
    return status::invalid("key file " + path + " holds no valid secret-key");
  return out;
}

}  // namespace af::msg
