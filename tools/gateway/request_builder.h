// request_builder.h: from an HTTP request that matched a route to the
// admin request the engine answers, and from the engine's reply to the
// HTTP status (DESIGN.md "HTTP gateway and metrics"). Nothing from the
// client is trusted: every path and query value is percent-decoded
// strictly and must be UTF-8, numbers must be whole decimal numbers, the
// body must be one JSON object of bounded nesting that names neither
// "cmd" nor "token" nor a field the path already gives. Pure: no I/O.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"
#include "messages/json_text.h"
#include "tools/gateway/routes.h"

namespace af::gateway {

using msg::json;

// The longest path or query value accepted, in bytes after decoding.
inline constexpr std::size_t max_param_bytes = 256;

// "%E5%BB%BA+x" -> "建 x" ('+' is a space only in a query). Invalid for a
// bad escape, a NUL byte or text that is not UTF-8.
result<std::string> percent_decode(std::string_view text, bool plus_is_space);

// The admin request for `m` (its route must be an admin route): the
// route's command, its path values, the query TARGET_QUERY (the part
// after '?', may be empty) and, for a route with a JSON body, `body`.
// The caller adds the token. Invalid with a one-line reason naming the
// parameter at fault.
result<json> admin_request(const route_match& m, std::string_view query, std::string_view body);

// The HTTP status of an admin reply: 200 for ok, else by its "code"
// (invalid 400, forbidden 403, not_found 404, conflict 409, unavailable
// 503; anything else 500); 401 when the engine refused the token.
int http_status_of(const json& reply);

// An error body in the admin reply's shape: {"ok": false, "error", "code"}.
json error_body(std::string_view error, std::string_view code);

}  // namespace af::gateway
