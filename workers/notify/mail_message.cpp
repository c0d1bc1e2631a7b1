#include "workers/notify/mail_message.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cstring>
#include <ctime>

namespace af::worker {
namespace {

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

bool plain_ascii(const std::string& s, bool display_name) {
  for (unsigned char c : s)
    if (c < 0x20 || c > 0x7e || (display_name && std::strchr("()<>[]:;@\\,.\"", c))) return false;
  return s.find("=?") == std::string::npos;
}

// The length of the UTF-8 sequence that starts with byte `c` (1 for a
// stray continuation byte, so a malformed text still advances).
std::size_t sequence_length(unsigned char c) {
  if (c >= 0xf0) return 4;
  if (c >= 0xe0) return 3;
  if (c >= 0xc0) return 2;
  return 1;
}

}  // namespace

std::string rfc2047_words(const std::string& utf8, bool display_name) {
  if (plain_ascii(utf8, display_name)) return utf8;
  // 45 bytes make 60 base64 characters: "=?UTF-8?B?" + 60 + "?=" is 72 <= 75.
  constexpr std::size_t max_bytes = 45;
  std::string out;
  std::size_t start = 0;
  while (start < utf8.size()) {
    std::size_t end = start;
    while (end < utf8.size()) {
      std::size_t next = end + sequence_length(static_cast<unsigned char>(utf8[end]));
      if (next > utf8.size()) next = utf8.size();
      if (next - start > max_bytes) break;
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(std::string_view(utf8).substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string rfc5322_date(std::int64_t unix_seconds, int offset_minutes) {
  std::time_t local = static_cast<std::time_t>(unix_seconds + std::int64_t{offset_minutes} * 60);
  std::tm tm{};
  ::gmtime_r(&local, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} {}{:02d}{:02d}", days[tm.tm_wday],
                     tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
}

status check_mail_address(const std::string& a) {
  auto at = a.rfind('@');
  if (a.empty() || a.size() > 254 || at == std::string::npos || at == 0 || at + 1 == a.size())
    return status::invalid("\"" + a + "\" is not an e-mail address (local@domain)");
  for (unsigned char c : a)
    if (c <= 0x20 || c > 0x7e || c == '<' || c == '>' || c == ',' || c == '"' || c == '\\')
      return status::invalid("e-mail address: byte 0x" + fmt::format("{:02x}", c) +
                             " is not allowed (printable ASCII without spaces, <>,\"\\)");
  return status::ok();
}

status check_message_id(const std::string& id) {
  if (id.size() < 5 || id.size() > 250 || id.front() != '<' || id.back() != '>' ||
      id.find('@') == std::string::npos)
    return status::invalid("Message-ID \"" + id + "\" is not <left@right>");
  for (std::size_t i = 1; i + 1 < id.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(id[i]);
    if (c <= 0x20 || c > 0x7e || c == '<' || c == '>')
      return status::invalid("Message-ID: byte 0x" + fmt::format("{:02x}", c) + " is not allowed");
  }
  return status::ok();
}

std::vector<std::string> mail_headers(const mail& m) {
  std::string to =
      m.to_name.empty() ? "<" + m.to + ">" : rfc2047_words(m.to_name, true) + " <" + m.to + ">";
  std::vector<std::string> h{"Date: " + m.date,
                             "From: <" + m.from + ">",
                             "To: " + to,
                             "Subject: " + rfc2047_words(m.subject),
                             "Message-ID: " + m.message_id,
                             "Auto-Submitted: auto-generated",
                             "X-Auto-Response-Suppress: All"};
  if (!m.key.empty()) h.push_back("X-Assessflow-Key: " + m.key);
  return h;
}

}  // namespace af::worker
