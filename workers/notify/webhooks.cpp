#include "workers/notify/webhooks.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace af::worker {
namespace {

// A unit name as one printable line of at most 64 bytes (it comes from
// the file and goes into a one-line error).
std::string printable(const std::string& s) {
  std::string out;
  for (char c : s.substr(0, 64)) out += (c >= 0x20 && c != 0x7f) || c < 0 ? c : '?';
  return out;
}

// A key worth naming in an error: short and plain, so that a robot key
// or URL pasted in the wrong place is not repeated (a WeCom key is 36
// characters, a DingTalk secret 67).
std::string key_for_error(const std::string& key) {
  bool plain = !key.empty() && key.size() <= 32;
  for (unsigned char c : key) plain = plain && (std::isalnum(c) || c == '_' || c == '-');
  return plain ? "\"" + key + "\"" : "(a key that is not a plain word)";
}

bool loopback_authority(const std::string& a) {
  for (const char* host : {"127.0.0.1", "localhost", "[::1]"}) {
    std::size_t n = std::strlen(host);
    if (a.compare(0, n, host) != 0) continue;
    if (a.size() == n) return true;
    if (a[n] != ':' || a.size() == n + 1) return false;
    return a.find_first_not_of("0123456789", n + 1) == std::string::npos;
  }
  return false;
}

result<robot> parse_unit(const nlohmann::json& v, const std::string& at) {
  if (!v.is_object())
    return status::invalid(at + "must be an object {\"wecom\": URL} or {\"dingtalk\": URL, " +
                           "\"secret\": S}");
  for (const auto& [key, value] : v.items()) {
    (void)value;
    if (key != "wecom" && key != "dingtalk" && key != "secret")
      return status::invalid(at + "unknown key " + key_for_error(key) +
                             " (wecom, dingtalk, secret)");
  }
  bool wecom = v.contains("wecom"), dingtalk = v.contains("dingtalk");
  if (wecom == dingtalk)
    return status::invalid(at + "give exactly one of \"wecom\" and \"dingtalk\"");
  robot r;
  r.type = wecom ? robot::kind::wecom : robot::kind::dingtalk;
  const std::string name = kind_name(r.type);
  const auto& url = v.at(name);
  if (!url.is_string()) return status::invalid(at + "\"" + name + "\" must be a string (a URL)");
  r.url = url.get<std::string>();
  if (status s = check_robot_url(r.url); !s)
    return status::invalid(at + "\"" + name + "\": " + s.message());
  if (v.contains("secret")) {
    if (wecom) return status::invalid(at + "\"secret\" is for dingtalk only");
    const auto& secret = v.at("secret");
    if (!secret.is_string() || secret.get<std::string>().empty())
      return status::invalid(at + "\"secret\" must be a non-empty string");
    r.secret = secret.get<std::string>();
  }
  return r;
}

}  // namespace

const char* kind_name(robot::kind k) { return k == robot::kind::wecom ? "wecom" : "dingtalk"; }

status check_robot_url(const std::string& url) {
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f)
      return status::invalid("the URL must be printable ASCII without spaces or line breaks");
  bool https = url.rfind("https://", 0) == 0, http = url.rfind("http://", 0) == 0;
  if (!https && !http) return status::invalid("not an https:// URL");
  std::size_t start = https ? 8 : 7;
  std::string authority = url.substr(start, url.find_first_of("/?#", start) - start);
  if (authority.empty() || authority[0] == ':') return status::invalid("the URL names no host");
  if (http && !loopback_authority(authority))
    return status::invalid("http:// only to 127.0.0.1, localhost or [::1]; use https://");
  return status::ok();
}

result<std::map<std::string, robot>> parse_webhooks(const nlohmann::json& j,
                                                    const std::string& name) {
  if (!j.is_object())
    return status::invalid(name + ": not a JSON object {\"UNIT\": {\"wecom\": URL}, ...}");
  std::map<std::string, robot> out;
  for (const auto& [unit, value] : j.items()) {
    auto r = parse_unit(value, name + ": unit \"" + printable(unit) + "\": ");
    if (!r) return r.error();
    out.emplace(unit, std::move(r).value());
  }
  return out;
}

result<std::map<std::string, robot>> load_webhooks(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return status::io_error(path + ": cannot read (" + std::strerror(errno) + ")");
  struct stat st {};
  std::string text;
  bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
  if (regular && (st.st_mode & 077) == 0) {
    char buf[4096];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) != 0;) {
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int e = errno;
        ::close(fd);
        return status::io_error(path + ": cannot read (" + std::strerror(e) + ")");
      }
      text.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  if (!regular) return status::io_error(path + ": not a regular file");
  if (st.st_mode & 077)
    return status::forbidden(path + ": readable by others (chmod 600 " + path +
                             "); it holds robot keys");
  try {
    return parse_webhooks(nlohmann::json::parse(text), path);
  } catch (const nlohmann::json::parse_error& e) {
    // e.what() quotes the text near the error, which may be a key.
    return status::invalid(path + ": not JSON (at byte " + std::to_string(e.byte) + ")");
  }
}

}  // namespace af::worker
