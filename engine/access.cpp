#include "engine/access.h"

namespace af::engine {
namespace {

const std::string no_employee;

}  // namespace

bool viewer::sees_all() const {
  if (!who) return false;
  if (who->person)
    return org_roles.count(role::hr) || org_roles.count(role::chairman) ||
           org_roles.count(role::admin);
  return who->has(capability::observer) || who->has(capability::portal) ||
         who->has(capability::admin);
}

bool viewer::is_admin() const {
  if (!who) return false;
  return who->person ? org_roles.count(role::admin) != 0 : who->has(capability::admin);
}

bool viewer::manages_org() const { return is_admin() || (person() && org_roles.count(role::hr)); }

const std::string& viewer::employee_id() const {
  return who && who->person ? who->employee_id : no_employee;
}

std::optional<gate> gate_of(std::string_view cmd) {
  if (cmd == "stats" || cmd == "schedule" || cmd == "standards") return gate::anyone;
  if (cmd == "cases" || cmd == "case.show" || cmd == "sales" || cmd == "rollup" ||
      cmd == "plan.show" || cmd == "cycles")
    return gate::reader;
  if (cmd == "report" || cmd == "overdue" || cmd == "grades" || cmd == "inventory")
    return gate::reporter;
  if (cmd == "org.import" || cmd == "cycle.start" || cmd == "standards.adjust")
    return gate::org_manager;
  if (cmd == "principals.add" || cmd == "principals.list" || cmd == "principals.revoke" ||
      cmd == "principals.rotate" || cmd == "audit" || cmd == "tasks.retry")
    return gate::admin;
  if (cmd == "tasks") return gate::operations;
  if (cmd == "case_events.since") return gate::every_case;
  if (cmd == "submit" || cmd == "approve" || cmd == "return" || cmd == "adjust" ||
      cmd == "cancel" || cmd == "rate" || cmd == "raters.add" || cmd == "interview" ||
      cmd == "acknowledge" || cmd == "appeal" || cmd == "resolve" || cmd == "plan.done" ||
      cmd == "overrule")
    return gate::actor;
  return std::nullopt;
}

status pass_gate(const viewer& v, gate g, std::string_view cmd) {
  if (!v.who) return status::forbidden("no principal");
  auto refuse = [&](const std::string& needs) {
    return status::forbidden("principal " + v.who->describe() + " may not send " +
                             std::string(cmd) + " (" + needs + ")");
  };
  switch (g) {
    case gate::anyone:
    case gate::reader:
      return status::ok();
    case gate::actor:
      if (v.person() || v.who->has(capability::portal) || v.who->has(capability::admin))
        return status::ok();
      return refuse("it acts for nobody; actions need a person, portal or admin principal");
    case gate::reporter:
      if (v.sees_all() || (v.person() && v.is_hrbp)) return status::ok();
      return refuse(
          "needs the hr, chairman or admin role, an HRBP, or an observer, portal or admin "
          "principal");
    case gate::org_manager:
      // A portal acts for a person: that person's roles are checked once `as` is resolved.
      if (v.manages_org() || v.who->has(capability::portal)) return status::ok();
      return refuse("needs the hr or admin role or the admin capability");
    case gate::admin:
      if (v.is_admin()) return status::ok();
      return refuse("needs the admin role or the admin capability");
    case gate::every_case:
      if (v.sees_all()) return status::ok();
      return refuse(
          "needs the hr, chairman or admin role, or an observer, portal or admin principal");
    case gate::operations:
      if (v.is_admin() || v.who->has(capability::observer)) return status::ok();
      return refuse("needs the admin role, the admin capability or an observer principal");
  }
  return refuse("unknown");
}

result<std::string> resolve_as(const viewer& v, const std::optional<std::string>& as) {
  if (!as || as->empty())
    return status::invalid("as: missing (write ROLE or ROLE:EMPLOYEE_ID, e.g. supervisor:S2001)");
  if (!v.who) return status::forbidden("no principal");
  auto colon = as->find(':');
  if (v.person()) {
    if (colon == std::string::npos) return *as + ":" + v.who->employee_id;
    std::string id = as->substr(colon + 1);
    if (id != v.who->employee_id)
      return status::forbidden("principal " + v.who->name + " may not act as " + id);
    return *as;
  }
  if (!v.who->has(capability::portal) && !v.who->has(capability::admin))
    return status::forbidden("principal " + v.who->describe() + " may not act for anyone");
  if (colon == std::string::npos)
    return status::invalid("as: \"" + *as + "\" must name whom principal " + v.who->name +
                           " acts for (ROLE:EMPLOYEE_ID)");
  return *as;
}

case_view view_of(const viewer& v, const case_row& c, bool rates_now) {
  if (v.sees_all()) return case_view::full;
  const std::string& me = v.employee_id();
  if (me.empty()) return case_view::hidden;
  if (c.employee_id == me || c.supervisor_id == me || (!c.hrbp_id.empty() && c.hrbp_id == me))
    return case_view::full;
  return rates_now ? case_view::rating : case_view::hidden;
}

bool may_see_employee(const viewer& v, const employee_row& e) {
  if (v.sees_all()) return true;
  const std::string& me = v.employee_id();
  return !me.empty() && (e.id == me || e.supervisor_id == me || e.hrbp_id == me);
}

}  // namespace af::engine
