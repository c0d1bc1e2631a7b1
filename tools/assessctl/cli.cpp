#include "tools/assessctl/cli.h"

#include <fmt/core.h>

#include <fstream>
#include <sstream>

namespace af::tools::cli {
namespace {

// Parses `path` as JSON of type Json (ordered or not).
template <typename Json>
result<Json> parse_json_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return text.error();
  Json j = Json::parse(*text, nullptr, false);
  if (j.is_discarded()) return af::status::invalid(path + ": not valid JSON");
  return j;
}

}  // namespace

int fail(const std::string& error, int code) {
  fmt::print(stderr, "assessctl: {}\n", error);
  return code;
}

int fail(const af::status& s) {
  return fail(s.message(), s.code() == af::status_code::forbidden ? exit_forbidden : 1);
}

std::string admin_endpoint(const global_options& g) {
  return g.admin_ep.empty() ? "ipc://" + g.data_dir + "/admin.sock" : g.admin_ep;
}

result<std::unique_ptr<admin_client>> connect_admin(const global_options& g, int timeout_s) {
  if (g.admin_ep.empty() && g.data_dir.empty())
    return af::status::invalid("give --data DIR or --admin EP to reach the engine");
  return std::make_unique<admin_client>(admin_endpoint(g), g.keys(), timeout_s * 1000);
}

int print_reply(const global_options& g, const json& request, const json& reply,
                const renderer& render) {
  if (!reply.value("ok", false)) {
    if (g.as_json) fmt::print("{}\n", af::msg::dump_fixed2(reply));
    return fail(reply.value("error", std::string("the engine refused the request")),
                reply.value("code", std::string()) == "forbidden" ? exit_forbidden : 1);
  }
  if (g.as_json) {
    json body = reply;
    body.erase("ok");
    if (request["cmd"] == "cases" && !request.contains("limit")) body = body["cases"];
    fmt::print("{}\n", af::msg::dump_fixed2(body, 2));
  } else {
    fmt::print("{}", render(reply));
  }
  return 0;
}

int call(const global_options& g, const json& request, const renderer& render) {
  auto client = connect_admin(g, g.timeout_s);
  if (!client) return fail(client.error());
  auto reply = (*client)->call(request);
  if (!reply) return fail(reply.error());
  return print_reply(g, request, *reply, render);
}

result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return af::status::not_found("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

result<json> read_json_file(const std::string& path) { return parse_json_file<json>(path); }

result<nlohmann::json> read_input_file(const std::string& path) {
  return parse_json_file<nlohmann::json>(path);
}

CLI::App* add_command(CLI::App& parent, const std::string& name, const std::string& help) {
  return parent.add_subcommand(name, help)->fallthrough();
}

CLI::App* add_group(CLI::App& parent, const std::string& name, const std::string& help) {
  return add_command(parent, name, help)->require_subcommand(1);
}

}  // namespace af::tools::cli
