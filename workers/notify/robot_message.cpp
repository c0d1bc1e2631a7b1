#include "workers/notify/robot_message.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

namespace af::worker {
namespace {

constexpr std::int64_t window_ms = 60000;

std::string dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string base64(const unsigned char* bytes, std::size_t size) {
  std::string out(sodium_base64_ENCODED_LEN(size, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), bytes, size, sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Percent-encodes all but the unreserved characters of RFC 3986.
std::string url_encode(const std::string& s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// One printable line of at most 200 bytes, cut between UTF-8 characters.
std::string clip(const std::string& s) {
  std::string out;
  for (char c : s) out += (c >= 0x20 && c != 0x7f) || c < 0 ? c : ' ';
  if (out.size() > 200) {
    std::size_t end = 200;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xc0) == 0x80) --end;
    out.resize(end);
  }
  return out;
}

bool busy_errcode(robot::kind k, std::int64_t code) {
  if (code == -1) return true;
  if (k == robot::kind::wecom) return code == 45009;
  return code == 130101 || code == 410100;
}

}  // namespace

std::string wecom_body(const std::string& markdown, const std::string& chat_id) {
  std::string text = chat_id.empty() ? markdown : markdown + "\n<@" + chat_id + ">";
  return dump({{"msgtype", "markdown"}, {"markdown", {{"content", text}}}});
}

std::string dingtalk_body(const std::string& title, const std::string& markdown,
                          const std::string& chat_id) {
  std::string text = chat_id.empty() ? markdown : markdown + "\n\n@" + chat_id;
  auto ids = nlohmann::json::array();
  if (!chat_id.empty()) ids.push_back(chat_id);
  return dump({{"msgtype", "markdown"},
               {"markdown", {{"title", title}, {"text", text}}},
               {"at", {{"atUserIds", ids}, {"isAtAll", false}}}});
}

std::string dingtalk_signed_url(const std::string& url, const std::string& secret,
                                std::int64_t timestamp_ms) {
  static const int sodium = sodium_init();  // once; HMAC and base64 work without it too
  (void)sodium;
  std::string ts = std::to_string(timestamp_ms);
  std::string message = ts + "\n" + secret;
  const auto* key = reinterpret_cast<const unsigned char*>(secret.data());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key, secret.size());  // any key length
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(message.data()),
                                message.size());
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(&state, sizeof state);
  char sep = url.find('?') == std::string::npos ? '?' : '&';
  return url + sep + "timestamp=" + ts + "&sign=" + url_encode(base64(mac, sizeof mac));
}

delivery robot_answer(robot::kind k, long http_status, const std::string& body) {
  const std::string who = kind_name(k);
  if (http_status >= 500 || http_status == 429)
    return delivery::retry(who + ": HTTP " + std::to_string(http_status));
  if (http_status < 200 || http_status > 299)
    return delivery::refused(who + ": HTTP " + std::to_string(http_status));
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("errcode") ||
      !j["errcode"].is_number_integer())
    return delivery::retry(who + ": HTTP " + std::to_string(http_status) +
                           " without a JSON errcode");
  auto code = j["errcode"].get<std::int64_t>();
  if (code == 0) return delivery::ok();
  std::string why = who + ": errcode " + std::to_string(code);
  if (auto m = j.find("errmsg"); m != j.end() && m->is_string() && !m->get<std::string>().empty())
    why += ": " + clip(m->get<std::string>());
  return busy_errcode(k, code) ? delivery::retry(why) : delivery::refused(why);
}

robot_throttle::robot_throttle(int per_minute) : per_minute_(std::max(per_minute, 1)) {}

std::int64_t robot_throttle::wait_ms(const std::string& unit, std::int64_t now_ms) const {
  auto it = sends_.find(unit);
  if (it == sends_.end()) return 0;
  const auto& times = it->second;
  auto first = std::upper_bound(times.begin(), times.end(), now_ms - window_ms);
  auto last = std::upper_bound(first, times.end(), now_ms);
  auto in_window = last - first;
  if (in_window < per_minute_) return 0;
  // One more send fits once all but per_minute - 1 of them have left.
  std::int64_t leaving = *(first + (in_window - per_minute_));
  return leaving + window_ms - now_ms;
}

void robot_throttle::sent(const std::string& unit, std::int64_t now_ms) {
  auto& times = sends_[unit];
  times.insert(std::upper_bound(times.begin(), times.end(), now_ms), now_ms);
  while (!times.empty() && times.front() <= now_ms - window_ms) times.pop_front();
}

}  // namespace af::worker
