// http_client.h: a small blocking HTTP/1.1 client (Boost.Beast) for the
// gateway's integration tests and its benchmark: one keep-alive connection, or raw bytes
// sent on a fresh one to see what a malformed request gets.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace af::tools {

struct http_result {
  int status = 0;  // 0: no answer (connection closed or timed out)
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  [[nodiscard]] nlohmann::ordered_json json() const {
    return nlohmann::ordered_json::parse(body, nullptr, false);
  }
  [[nodiscard]] std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

class http_connection {
 public:
  explicit http_connection(int port);
  ~http_connection();
  http_connection(const http_connection&) = delete;
  http_connection& operator=(const http_connection&) = delete;

  // One request on this connection; `token` becomes "Authorization: Bearer".
  http_result send(const std::string& method, const std::string& target,
                   const std::string& token = "", const std::string& body = "",
                   const std::vector<std::pair<std::string, std::string>>& headers = {});

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// One request on a fresh connection.
http_result http_call(int port, const std::string& method, const std::string& target,
                      const std::string& token = "", const std::string& body = "");

// Writes `bytes` on a fresh connection and returns everything read back
// until the server closes it (or 5 s pass).
std::string raw_exchange(int port, const std::string& bytes);

}  // namespace af::tools
