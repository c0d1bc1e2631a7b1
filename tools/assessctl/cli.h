// cli.h: what assessctl's commands share: the global options, one-line
// failures with their exit codes, and a request sent and its reply printed.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "messages/json_text.h"
#include "messages/secure_client.h"
#include "tools/assessctl/admin_client.h"

namespace af::tools::cli {

using json = af::msg::json;

struct global_options {
  std::string data_dir, admin_ep;
  std::string key_file, server_key_file;  // --key, --server-key
  bool as_json = false;
  int timeout_s = 30;
  [[nodiscard]] af::msg::key_options keys() const {
    return {data_dir, key_file, server_key_file, "admin"};
  }
};

// Exit codes: 1 a failure, 2 bad usage, 3 refused (code "forbidden", or a key the engine does not
// accept).
inline constexpr int exit_forbidden = 3;

// Prints "assessctl: <error>" to stderr; returns `code`.
int fail(const std::string& error, int code = 1);
int fail(const af::status& s);  // 3 for Forbidden

std::string admin_endpoint(const global_options& g);

// Prints a reply as JSON or through `render`; returns the exit code.
int print_reply(const global_options& g, const json& request, const json& reply,
                const std::function<std::string(const json&)>& render);

// Sends a request; prints the reply as JSON or through `render`.
int call(const global_options& g, const json& request,
         const std::function<std::string(const json&)>& render);

// assessctl principals add|list|revoke|rotate and assessctl audit
// (tools/assessctl/principal_commands.cpp).
void add_principal_commands(CLI::App& app, const global_options& g, int& code);
// assessctl tasks [retry] (tools/assessctl/task_commands.cpp).
void add_task_commands(CLI::App& app, const global_options& g, int& code);
// assessctl events [--since] [--follow] (tools/assessctl/event_commands.cpp).
void add_event_commands(CLI::App& app, const global_options& g, int& code);

}  // namespace af::tools::cli
