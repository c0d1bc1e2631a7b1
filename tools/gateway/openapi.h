// openapi.h: the OpenAPI 3.0 document of the gateway, generated from the
// route table (routes.h) so the two cannot drift apart. Pure.
#pragma once

#include "messages/json_text.h"

namespace af::gateway {

// The document GET /v1/openapi.json serves.
msg::json openapi_document();

}  // namespace af::gateway
