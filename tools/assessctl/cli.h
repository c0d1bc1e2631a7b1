// cli.h: what assessctl's commands share: the global options, one-line
// failures with their exit codes, the admin client, a request sent and its
// reply printed, the files commands read, and the CLI11 setup of a command.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "messages/json_text.h"
#include "messages/secure_client.h"
#include "tools/assessctl/admin_client.h"

namespace af::tools::cli {

using json = af::msg::json;
// Turns a reply into the text a command prints (tools/assessctl/render.h).
using renderer = std::function<std::string(const json&)>;

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

// A client of the admin endpoint that --data or --admin names (it connects
// at its first call), waiting `timeout_s` for each reply; InvalidArgument
// when neither option is given.
result<std::unique_ptr<admin_client>> connect_admin(const global_options& g, int timeout_s);

// Prints a reply as JSON or through `render`; returns the exit code.
int print_reply(const global_options& g, const json& request, const json& reply,
                const renderer& render);

// Sends a request; prints the reply as JSON or through `render`.
int call(const global_options& g, const json& request, const renderer& render);

// A whole file; NotFound "cannot read PATH".
result<std::string> read_file(const std::string& path);
// A JSON file to send in a request (keys in the file's order);
// InvalidArgument "PATH: not valid JSON", or read_file's NotFound.
result<json> read_json_file(const std::string& path);
// An offline input file (a case or month file), as the offline scorer and
// commission reader take it; the same failures.
result<nlohmann::json> read_input_file(const std::string& path);

// A command of `parent` that passes the options it does not know on to
// `parent` (so --json, --data, ... work after it).
CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& help);
// A command that is a group: exactly one of its subcommands must follow.
CLI::App* add_group(CLI::App& parent, const std::string& name, const std::string& help);

}  // namespace af::tools::cli
