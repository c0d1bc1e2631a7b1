// csv.h: reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace af::tools {

using csv_row = std::vector<std::string>;
// InvalidArgument naming the line for an unterminated quote.
result<std::vector<csv_row>> parse_csv(std::string_view text);

// An organisation CSV's rows as org.import takes them (assessctl org
// import): the header id,name,unit,grade,supervisor_id,hrbp_id,joined_on,
// roles, optionally followed by email and chat_id (a file without them
// leaves the stored contacts as they are), then as many fields a row, each
// UTF-8 text (a request is JSON).
// InvalidArgument naming the line.
result<nlohmann::ordered_json> org_import_rows(const std::vector<csv_row>& rows);

}  // namespace af::tools
