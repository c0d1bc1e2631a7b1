// webhooks.h: the chat robots of the notify worker, one per business unit,
// read from a JSON file that only its owner may read (it holds robot keys):
//   {"UNIT": {"wecom": URL},
//    "UNIT": {"dingtalk": URL, "secret": S}, ...}
// A WeCom group robot's key is in its URL (".../webhook/send?key=K"); a
// DingTalk robot's is its access_token, and "secret" (optional) turns on
// its signing (robot_message.h dingtalk_signed_url). URLs are https://,
// or http:// to 127.0.0.1, localhost or [::1] only (the tests' fake
// robot). No error message holds a URL or a secret: they name the file,
// the unit and the key at fault, nothing of the values.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/status.h"

namespace af::worker {

struct robot {
  enum class kind { wecom, dingtalk };
  kind type = kind::wecom;
  std::string url;
  std::string secret;  // dingtalk only; empty: unsigned
};

// "wecom" or "dingtalk", the prefix of every error about that robot.
const char* kind_name(robot::kind k);

// OK for an https://HOST... URL, or http:// to a loopback host (127.0.0.1,
// localhost, [::1], with an optional :PORT); printable ASCII without
// spaces. The error says what is wrong without repeating the URL.
status check_robot_url(const std::string& url);

// The robots of a parsed webhooks file, keyed by unit; `name` (the file's
// path) begins every error. Invalid: not an object, a unit's value not an
// object with exactly one of "wecom" and "dingtalk", a "secret" with
// wecom or not a non-empty string, any other key, a bad URL.
result<std::map<std::string, robot>> parse_webhooks(const nlohmann::json& j,
                                                    const std::string& name);

// Reads and parses `path`. Forbidden: the file is readable or writable by
// its group or others (mode & 077). IO error: it cannot be opened or is
// not a regular file. Invalid: not JSON (the error gives the byte offset,
// never the parser's excerpt of the text), or parse_webhooks' errors.
result<std::map<std::string, robot>> load_webhooks(const std::string& path);

}  // namespace af::worker
