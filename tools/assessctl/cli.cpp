#include "tools/assessctl/cli.h"

#include <fmt/core.h>

namespace af::tools::cli {

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

// Prints a reply as JSON or through `render`; returns the exit code.
int print_reply(const global_options& g, const json& request, const json& reply,
                const std::function<std::string(const json&)>& render) {
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

// Sends a request; prints the reply as JSON or through `render`.
int call(const global_options& g, const json& request,
         const std::function<std::string(const json&)>& render) {
  if (g.admin_ep.empty() && g.data_dir.empty())
    return fail("give --data DIR or --admin EP to reach the engine");
  af::tools::admin_client client(admin_endpoint(g), g.keys(), g.timeout_s * 1000);
  auto reply = client.call(request);
  if (!reply) return fail(reply.error());
  return print_reply(g, request, *reply, render);
}

}  // namespace af::tools::cli
