// routes.h: the gateway's HTTP surface as data (DESIGN.md "HTTP gateway
// and metrics"). Each route names its method, its path template, the admin
// command it becomes and the parameters it takes; request_builder.h turns
// a matched request into that admin request, openapi.h describes the same
// table, and the README's route table lists it. Pure: no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace af::gateway {

enum class route_kind {
  admin,    // forwarded to the engine with the caller's token
  openapi,  // the OpenAPI document, no token
  metrics,  // Prometheus text, no token
  page,     // a dashboard page (HTML)
};

enum class param_type { integer, text };

struct route_param {
  std::string_view name;  // in the path template ({case}) or the query (?cycle=)
  param_type type;
  bool required;
  std::string_view admin_field;  // its name in the admin request ("case", "manager_id")
  std::string_view about;        // one line for the OpenAPI document
};

struct route {
  std::string_view method;  // GET or POST
  std::string_view path;    // "/v1/cases/{case}/submit"
  std::string_view name;    // stable label for metrics and logs: "case.submit"
  route_kind kind;
  std::string_view command;  // the admin "cmd" (admin routes)
  std::string_view summary;  // one line for the OpenAPI document and the README
  std::vector<route_param> path_params;
  std::vector<route_param> query_params;
  bool json_body = false;       // a POST whose JSON object body joins the admin request
  std::string_view body_about;  // the body's fields, for the OpenAPI document
};

// Every route, in the README's order.
const std::vector<route>& routes();

// A request's path split at '/' (no empty segments but the root's).
struct route_match {
  const route* matched = nullptr;
  std::vector<std::pair<std::string, std::string>> path_values;  // raw (still percent-encoded)
  // Methods the path answers to when `matched` is null but the path exists.
  std::vector<std::string_view> allowed;
};

// The route for METHOD and PATH (the part before '?'). `matched` null and
// `allowed` empty: no such path; `allowed` non-empty: the wrong method.
route_match find_route(std::string_view method, std::string_view path);

}  // namespace af::gateway
