#include "engine/contacts.h"

#include <algorithm>
#include <string>

namespace af::engine {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool local_char(char c) {
  return is_alnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// Why `a` is no address, or "" when it is one.
std::string email_problem(std::string_view a) {
  if (a.size() > 254) return "longer than 254 characters";
  auto at = a.find('@');
  if (at == std::string_view::npos) return "no @";
  if (a.find('@', at + 1) != std::string_view::npos) return "more than one @";
  std::string_view local = a.substr(0, at), domain = a.substr(at + 1);
  if (local.empty() || local.size() > 64) return "the part before @ must be 1..64 characters";
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
    return "a dot at the start or end of the name, or two in a row";
  for (char c : local)
    if (c != '.' && !local_char(c)) return "a character mail servers refuse before @";
  int labels = 0;
  std::string_view last;
  for (std::size_t start = 0;;) {
    auto dot = domain.find('.', start);
    std::string_view label =
        domain.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (label.empty() || label.size() > 63) return "an empty or over-long part of the domain";
    if (label.front() == '-' || label.back() == '-') return "a domain part starts or ends with -";
    for (char c : label)
      if (!is_alnum(c) && c != '-') return "a character that is not allowed in a domain";
    ++labels;
    last = label;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (labels < 2) return "the domain needs a dot (example.com)";
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return "the domain ends in a number";
  return "";
}

}  // namespace

status email_error(std::string_view address) {
  if (address.empty()) return status::ok();
  std::string why = email_problem(address);
  if (why.empty()) return status::ok();
  return status::invalid("email: \"" + std::string(address) + "\" is not an e-mail address (" +
                         why + ")");
}

status chat_id_error(std::string_view id) {
  if (id.empty()) return status::ok();
  bool ok = id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
              return is_alnum(c) || std::string_view("._@+-").find(c) != std::string_view::npos;
            });
  if (ok) return status::ok();
  return status::invalid("chat_id: \"" + std::string(id) +
                         "\" must be 1..64 letters, digits and . _ @ + - (a WeCom user id or a "
                         "DingTalk mobile)");
}

}  // namespace af::engine
