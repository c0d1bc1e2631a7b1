// csv.h: reads RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "workers/domain/status.h"

namespace af::tools {

using csv_row = std::vector<std::string>;
// InvalidArgument naming the line for an unterminated quote.
result<std::vector<csv_row>> parse_csv(std::string_view text);

}  // namespace af::tools
