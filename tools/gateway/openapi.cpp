#include "tools/gateway/openapi.h"

#include <cctype>
#include <string>

#include "tools/gateway/routes.h"

namespace af::gateway {

namespace {

using msg::json;

json parameter(const route_param& p, const char* in) {
  return json{{"name", std::string(p.name)},
              {"in", in},
              {"required", p.required || std::string(in) == "path"},
              {"description", std::string(p.about)},
              {"schema", p.type == param_type::integer
                             ? json{{"type", "integer"}, {"format", "int64"}, {"minimum", 0}}
                             : json{{"type", "string"}, {"maxLength", 256}}}};
}

json error_response(const char* what) {
  return json{
      {"description", what},
      {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json operation(const route& r) {
  std::string id = std::string(r.name);
  for (char& c : id)
    if (c == '.') c = '_';
  json op{{"operationId", id}, {"summary", std::string(r.summary)}};
  json params = json::array();
  for (const auto& p : r.path_params) params.push_back(parameter(p, "path"));
  for (const auto& p : r.query_params) params.push_back(parameter(p, "query"));
  if (!params.empty()) op["parameters"] = params;
  if (r.json_body)
    op["requestBody"] = {{"required", false},
                         {"description", "a JSON object with the admin request's fields: " +
                                             std::string(r.body_about)},
                         {"content",
                          {{"application/json",
                            {{"schema", {{"type", "object"}, {"additionalProperties", true}}}}}}}};
  json responses;
  if (r.kind == route_kind::admin) {
    responses["200"] = {
        {"description", "the admin reply: ok true and the result beside it"},
        {"content",
         {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Reply"}}}}}}}};
    responses["400"] = error_response("invalid: a parameter or the body is wrong");
    responses["401"] = error_response("no token, or one the engine does not know or has revoked");
    responses["403"] = error_response("forbidden: the token's principal may not do this");
    responses["404"] = error_response("not found, or not visible to the token's principal");
    responses["409"] = error_response("conflict: the case is not in a state for this");
    responses["413"] = error_response("request headers or body too large");
    responses["503"] = error_response("unavailable: the engine is away, busy or failed to store");
  } else {
    responses["200"] = {{"description", std::string(r.summary)}};
    op["security"] = json::array();
  }
  op["responses"] = responses;
  return op;
}

}  // namespace

json openapi_document() {
  json paths = json::object();
  for (const auto& r : routes()) {
    if (r.kind == route_kind::page) continue;
    std::string method(r.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    paths[std::string(r.path)][method] = operation(r);
  }
  json error_schema{
      {"type", "object"},
      {"required", {"ok", "error", "code"}},
      {"properties",
       {{"ok", {{"type", "boolean"}, {"enum", {false}}}},
        {"error", {{"type", "string"}}},
        {"code",
         {{"type", "string"},
          {"enum", {"invalid", "forbidden", "not_found", "conflict", "unavailable"}}}}}}};
  json reply_schema{{"type", "object"},
                    {"required", {"ok"}},
                    {"properties", {{"ok", {{"type", "boolean"}}}}},
                    {"additionalProperties", true}};
  return json{
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "assessflow gateway"},
        {"version", "1"},
        {"description",
         "The assessflow admin API over HTTP. Every /v1/ route but this document needs "
         "Authorization: Bearer TOKEN (assessctl principals add NAME ... --token); the engine "
         "answers as the token's principal, with exactly its rights."}}},
      {"paths", paths},
      {"components",
       {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}}}},
        {"schemas", {{"Error", error_schema}, {"Reply", reply_schema}}}}},
      {"security", json::array({json{{"bearer", json::array()}}})}};
}

}  // namespace af::gateway
