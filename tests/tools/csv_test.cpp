// The org CSV as assessctl org import reads it (tools/assessctl/csv.h):
// the eight columns, optionally email and chat_id after them.
#include "tools/assessctl/csv.h"

#include <catch2/catch.hpp>

using af::tools::org_import_rows;
using af::tools::parse_csv;

namespace {

std::string refusal(const std::string& text) {
  auto rows = parse_csv(text);
  REQUIRE(rows.is_ok());
  auto r = org_import_rows(*rows);
  return r.is_ok() ? "(accepted)" : r.error().message();
}

const std::string header = "id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles";

}  // namespace

TEST_CASE("org CSV: the contact columns are optional and come after roles", "[tools][csv]") {
  auto rows = parse_csv("\xEF\xBB\xBF" + header +
                        ",email,chat_id\r\nE1,王芳,华东事业部,3,S1,B1,2020-06-01,,wang@example.cn,"
                        "13800138000\r\n");
  REQUIRE(rows.is_ok());
  auto r = org_import_rows(*rows);
  REQUIRE(r.is_ok());
  CHECK((*r)[0]["email"] == "wang@example.cn");
  CHECK((*r)[0]["chat_id"] == "13800138000");
  CHECK((*r)[0]["name"] == "王芳");

  auto without = org_import_rows(*parse_csv(header + "\nE1,王芳,U,3,,,2020-06-01,\n"));
  REQUIRE(without.is_ok());
  CHECK_FALSE((*without)[0].contains("email"));  // the engine keeps what it had
  auto email_only = org_import_rows(*parse_csv(header + ",email\nE1,王芳,U,3,,,2020-06-01,,\n"));
  REQUIRE(email_only.is_ok());
  CHECK((*email_only)[0]["email"] == "");  // given, empty: the address is removed
  CHECK_FALSE((*email_only)[0].contains("chat_id"));
}

TEST_CASE("org CSV: a wrong header or row is refused naming it", "[tools][csv]") {
  const std::string expected =
      "the header must be id,name,unit,grade,supervisor_id,hrbp_id,joined_on,roles, optionally "
      "followed by email and chat_id";
  CHECK(refusal("id,name\n") == expected);
  CHECK(refusal(header + ",phone\n") == expected + " (column 9 is \"phone\")");
  CHECK(refusal(header + ",email,email\n") == expected + " (column 10 is \"email\")");
  CHECK(refusal(header + ",email\nE1,A,U,3,,,2020-06-01,\n") == "line 2: 8 fields, expected 9");
  CHECK(refusal(header + "\nE1,A,U,3,,,2020-06-01,,x@y.cn\n") == "line 2: 9 fields, expected 8");
  CHECK(refusal(header + ",email\nE1,A,U,3,,,2020-06-01,,\xB3\xC2@y.cn\n") ==
        "line 2: email is not UTF-8 text (save the file as UTF-8)");
}
