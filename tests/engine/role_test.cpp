// Tests for engine/role.h: role names, and org roles parsed once from the
// org CSV's text and stored back as text.
#include "engine/role.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "engine/sqlite.h"
#include "engine/store.h"
#include "tests/engine/test_support.h"

using af::engine::role;
using roles = std::set<role>;

TEST_CASE("every role's name parses back to that role, and other names are unknown",
          "[engine][role]") {
  for (role r : {role::employee, role::supervisor, role::hrbp, role::hr, role::chairman,
                 role::admin, role::system, role::rater})
    CHECK(af::engine::parse_role(af::engine::role_name(r)) == r);
  CHECK(af::engine::role_name(role::hrbp) == "hrbp");
  CHECK_FALSE(af::engine::parse_role("").has_value());
  CHECK_FALSE(af::engine::parse_role("HR").has_value());
  CHECK_FALSE(af::engine::parse_role("hr ").has_value());
}

TEST_CASE("org roles are hr, chairman and admin joined by semicolons", "[engine][role]") {
  using af::engine::org_roles_error;
  using af::engine::parse_org_roles;
  CHECK(org_roles_error("", "row 2 (E1)").is_ok());
  CHECK(org_roles_error("hr;chairman;admin", "row 2 (E1)").is_ok());
  CHECK(org_roles_error("admin;", "row 2 (E1)").is_ok());
  CHECK(org_roles_error("boss", "row 2 (E1)").message() ==
        "row 2 (E1): roles: \"boss\" is not hr, chairman or admin");
  CHECK(org_roles_error("hr;supervisor", "row 3 (E2)").message() ==
        "row 3 (E2): roles: \"supervisor\" is not hr, chairman or admin");
  CHECK(org_roles_error("hr;;admin", "row 4").message() ==
        "row 4: roles: \"\" is not hr, chairman or admin");
  CHECK(org_roles_error("hr;boss", "row 4").code() == af::status_code::invalid_argument);

  CHECK(parse_org_roles("") == roles{});
  CHECK(parse_org_roles("admin;hr") == roles{role::hr, role::admin});
  CHECK(parse_org_roles("chairman;") == roles{role::chairman});
  CHECK(parse_org_roles("hr;supervisor") == roles{role::hr});

  CHECK(af::engine::org_roles_text({}) == "");
  CHECK(af::engine::org_roles_text({role::admin, role::hr}) == "hr;admin");
  CHECK(af::engine::org_roles_text({role::chairman}) == "chairman");
}

TEST_CASE("the store keeps org roles as their text and reads them back as roles",
          "[engine][role][store]") {
  af::engine::testing::temp_dir dir;
  std::string path = dir.file("assessflow.db");
  {
    auto db = af::engine::store::open(path, ASSESSFLOW_SCHEMAS_DIR "/migrations", false);
    REQUIRE(db);
    af::engine::employee_row e;
    e.id = "H1";
    e.name = "HR one";
    e.unit = "U1";
    e.joined_on = "2020-01-01";
    e.roles = {role::admin, role::hr};
    db->upsert_employee(e);
    CHECK(db->find_employee("H1")->roles == roles{role::hr, role::admin});
    REQUIRE(db->holders_of(role::admin).size() == 1);
    CHECK(db->holders_of(role::chairman).empty());
  }
  auto raw = af::engine::database::open(path);
  REQUIRE(raw);
  auto q = raw->prepare("SELECT roles FROM employees WHERE id = 'H1'");
  REQUIRE(q.step());
  CHECK(q.text(0) == "hr;admin");
}
