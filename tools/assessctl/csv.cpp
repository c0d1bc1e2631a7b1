#include "tools/assessctl/csv.h"

#include <algorithm>

#include "messages/json_text.h"

namespace af::tools {

result<std::vector<csv_row>> parse_csv(std::string_view text) {
  std::vector<csv_row> rows;
  csv_row row;
  std::string field;
  bool quoted = false, field_started = false;
  int line = 1;
  auto end_field = [&] {
    row.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    if (!(row.size() == 1 && row[0].empty())) rows.push_back(std::move(row));
    row.clear();
  };
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // a UTF-8 BOM from spreadsheets
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && !field_started) {
      quoted = field_started = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n') {
      end_row();
      ++line;
    } else if (c != '\r') {
      field += c;
      field_started = true;
    }
  }
  if (quoted)
    return status::invalid("line " + std::to_string(line) + ": a quoted field is not closed");
  if (field_started || !row.empty()) end_row();
  return rows;
}

result<nlohmann::ordered_json> org_import_rows(const std::vector<csv_row>& rows) {
  static const std::vector<std::string> required = {
      "id", "name", "unit", "grade", "supervisor_id", "hrbp_id", "joined_on", "roles"};
  static const std::string expected =
      "the header must be id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles, optionally "
      "followed by email and chat_id";
  if (rows.empty() || rows[0].size() < required.size() ||
      !std::equal(required.begin(), required.end(), rows[0].begin()))
    return status::invalid(expected);
  const csv_row& header = rows[0];
  for (std::size_t c = required.size(); c < header.size(); ++c)
    if ((header[c] != "email" && header[c] != "chat_id") ||
        std::find(header.begin(), header.begin() + static_cast<std::ptrdiff_t>(c), header[c]) !=
            header.begin() + static_cast<std::ptrdiff_t>(c))
      return status::invalid(expected + " (column " + std::to_string(c + 1) + " is \"" + header[c] +
                             "\")");
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const auto& r = rows[i];
    if (r.size() != header.size())
      return status::invalid("line " + std::to_string(i + 1) + ": " + std::to_string(r.size()) +
                             " fields, expected " + std::to_string(header.size()));
    nlohmann::ordered_json row;
    for (std::size_t c = 0; c < header.size(); ++c) {
      // A file saved as GBK or Latin-1 once made the request's dump() throw out of assessctl.
      if (!msg::valid_utf8(r[c]))
        return status::invalid("line " + std::to_string(i + 1) + ": " + header[c] +
                               " is not UTF-8 text (save the file as UTF-8)");
      row[header[c]] = r[c];
    }
    out.push_back(row);
  }
  return out;
}

}  // namespace af::tools
