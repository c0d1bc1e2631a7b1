#include "engine/event_validation.h"

#include <array>

#include "base/civil_time.h"
#include "workers/domain/commission.h"

namespace af::engine {
namespace {

// count: an integer >= 1; whole: an integer >= 0; choice: one of `choices`.
enum class field_type { text, positive_fen, fen, boolean, month, count, whole, choice };

struct field_spec {
  std::string_view name;
  field_type type;
  bool optional = false;
  std::vector<std::string_view> choices = {};
};

struct type_spec {
  event_type type;
  std::vector<field_spec> fields;  // beyond event_id, manager_id, occurred_at
};

const std::vector<type_spec>& type_specs() {
  static const std::vector<type_spec> specs = {
      {event_type::sale,
       {{"amount_fen", field_type::positive_fen},
        {"brand", field_type::text},
        {"customer_id", field_type::text}}},
      {event_type::refund,
       {{"amount_fen", field_type::positive_fen},
        {"brand", field_type::text},
        {"refers_to", field_type::text}}},
      {event_type::inquiry,
       {{"customer_id", field_type::text}, {"converted", field_type::boolean}}},
      {event_type::target_set,
       {{"period", field_type::month},
        {"brand", field_type::text},
        {"target_fen", field_type::fen}}},
      {event_type::outlet_opened,
       {{"store_id", field_type::text},
        {"area", field_type::choice, true, {"county", "township"}},
        {"store_type", field_type::choice, true, {"tobacco_liquor", "hotel", "supermarket"}}}},
      {event_type::display_store_checked,
       {{"store_id", field_type::text},
        {"passed", field_type::boolean, true},
        {"township", field_type::text, true}}},
      {event_type::banquet_held,
       {{"store_id", field_type::text},
        {"origin", field_type::choice, true, {"personal", "shop"}},
        {"product",
         field_type::choice,
         true,
         {std::begin(commission::banquet_products), std::end(commission::banquet_products)}},
        {"cases", field_type::count, true},
        {"bottles", field_type::count, true},
        {"tables", field_type::whole, true}}},
      {event_type::inspection_failed,
       {{"store_id", field_type::text},
        {"finding",
         field_type::choice,
         false,
         {std::begin(commission::inspection_findings),
          std::end(commission::inspection_findings)}}}},
      {event_type::complaint, {{"customer_id", field_type::text}}},
  };
  return specs;
}

std::string describe(simdjson::dom::element_type t) {
  switch (t) {
    case simdjson::dom::element_type::ARRAY:
      return "an array";
    case simdjson::dom::element_type::OBJECT:
      return "an object";
    case simdjson::dom::element_type::INT64:
    case simdjson::dom::element_type::UINT64:
      return "an integer";
    case simdjson::dom::element_type::DOUBLE:
      return "a number with a fraction";
    case simdjson::dom::element_type::STRING:
      return "a string";
    case simdjson::dom::element_type::BOOL:
      return "a boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
  }
  return "something else";
}

status read_text(simdjson::dom::object obj, std::string_view name, std::size_t max_len,
                 std::string& out) {
  simdjson::dom::element e;
  if (obj[name].get(e)) return status::invalid(std::string(name) + ": missing");
  std::string_view v;
  if (e.get(v))
    return status::invalid(std::string(name) + ": must be a string, got " + describe(e.type()));
  if (v.empty()) return status::invalid(std::string(name) + ": must not be empty");
  if (v.size() > max_len)
    return status::invalid(std::string(name) + ": longer than " + std::to_string(max_len) +
                           " bytes");
  for (unsigned char c : v)
    if (c < 0x20) return status::invalid(std::string(name) + ": contains a control character");
  out.assign(v);
  return status::ok();
}

status read_fen(simdjson::dom::object obj, std::string_view name, bool positive,
                std::int64_t& out) {
  simdjson::dom::element e;
  if (obj[name].get(e)) return status::invalid(std::string(name) + ": missing");
  std::int64_t v = 0;
  if (e.get(v)) {
    return status::invalid(std::string(name) + ": must be an integer number of fen, got " +
                           describe(e.type()));
  }
  if (positive && v <= 0)
    return status::invalid(std::string(name) + ": must be > 0, got " + std::to_string(v));
  if (!positive && v < 0)
    return status::invalid(std::string(name) + ": must be >= 0, got " + std::to_string(v));
  if (v > max_fen)  // 10 billion CNY: so no sum of a manager's month can overflow
    return status::invalid(std::string(name) + ": must be at most 10^12 fen, got " +
                           std::to_string(v));
  out = v;
  return status::ok();
}

// The member of stored_event that a text field (or a choice) fills.
std::optional<std::string>& text_member(stored_event& e, std::string_view name) {
  if (name == "brand") return e.brand;
  if (name == "customer_id") return e.customer_id;
  if (name == "refers_to") return e.refers_to;
  if (name == "area") return e.area;
  if (name == "store_type") return e.store_type;
  if (name == "township") return e.township;
  if (name == "origin") return e.origin;
  if (name == "product") return e.product;
  if (name == "finding") return e.finding;
  return e.store_id;
}

// The member an integer or boolean field fills.
std::optional<std::int64_t>& number_member(stored_event& e, std::string_view name) {
  if (name == "amount_fen") return e.amount_fen;
  if (name == "target_fen") return e.target_fen;
  if (name == "passed") return e.passed;
  if (name == "cases") return e.cases;
  if (name == "bottles") return e.bottles;
  if (name == "tables") return e.tables;
  return e.converted;
}

status read_count(simdjson::dom::element e, std::string_view name, std::int64_t least,
                  std::int64_t& out) {
  std::int64_t v = 0;
  if (e.get(v))
    return status::invalid(std::string(name) + ": must be a whole number, got " +
                           describe(e.type()));
  if (v < least || v > 1'000'000)
    return status::invalid(std::string(name) + ": must be " + std::to_string(least) +
                           "..1000000, got " + std::to_string(v));
  out = v;
  return status::ok();
}

status read_choice(simdjson::dom::object obj, const field_spec& f, std::string& out) {
  if (status s = read_text(obj, f.name, 64, out); !s) return s;
  for (auto c : f.choices)
    if (c == out) return status::ok();
  std::string choices;
  for (auto c : f.choices) choices += (choices.empty() ? "" : ", ") + std::string(c);
  return status::invalid(std::string(f.name) + ": \"" + out + "\" is not one of " + choices);
}

status read_field(simdjson::dom::object obj, const field_spec& f, stored_event& out) {
  simdjson::dom::element present;
  bool absent = obj[f.name].get(present) != simdjson::SUCCESS;
  if (absent && f.optional) return status::ok();  // left empty
  if (absent && (f.type == field_type::count || f.type == field_type::whole))
    return status::invalid(std::string(f.name) + ": missing");
  std::string text;
  std::int64_t number = 0;
  switch (f.type) {
    case field_type::positive_fen:
    case field_type::fen:
      if (status s = read_fen(obj, f.name, f.type == field_type::positive_fen, number); !s)
        return s;
      number_member(out, f.name) = number;
      return status::ok();
    case field_type::count:
    case field_type::whole:
      if (status s = read_count(present, f.name, f.type == field_type::count ? 1 : 0, number); !s)
        return s;
      number_member(out, f.name) = number;
      return status::ok();
    case field_type::boolean: {
      simdjson::dom::element e;
      if (obj[f.name].get(e)) return status::invalid(std::string(f.name) + ": missing");
      bool b = false;
      if (e.get(b))
        return status::invalid(std::string(f.name) + ": must be true or false, got " +
                               describe(e.type()));
      number_member(out, f.name) = b ? 1 : 0;
      return status::ok();
    }
    case field_type::month: {
      if (status s = read_text(obj, f.name, 16, text); !s) return s;
      auto p = period::parse(text);
      if (!p || p->kind != period_kind::month)
        return status::invalid(std::string(f.name) + ": must be a month like \"2026-07\", got \"" +
                               text + "\"");
      out.period = text;
      return status::ok();
    }
    case field_type::choice:
      if (status s = read_choice(obj, f, text); !s) return s;
      text_member(out, f.name) = text;
      return status::ok();
    case field_type::text:
      break;
  }
  if (status s = read_text(obj, f.name, max_string_field_length, text); !s) return s;
  text_member(out, f.name) = text;
  return status::ok();
}

// What one field cannot say alone: a banquet's origin and product go
// together, it uses cases or bottles (not both), and one the manager
// developed says how many.
status check_banquet(const stored_event& e) {
  if (e.origin.has_value() != e.product.has_value())
    return status::invalid(std::string(e.origin ? "product" : "origin") +
                           ": a banquet gives origin and product together, or neither");
  if (e.cases && e.bottles) return status::invalid("bottles: give cases or bottles, not both");
  if (e.origin == "personal" && !e.cases && !e.bottles)
    return status::invalid("cases: a personal banquet needs cases or bottles");
  return status::ok();
}

}  // namespace

status validate_event(simdjson::dom::element element, const manager_lookup& known_manager,
                      stored_event& out, std::string& event_id) {
  simdjson::dom::object obj;
  if (element.get(obj))
    return status::invalid("event: must be a JSON object, got " + describe(element.type()));
  std::string_view id;
  if (!obj["event_id"].get(id) && !id.empty() && id.size() <= max_event_id_length)
    event_id.assign(id);
  if (status s = read_text(obj, "event_id", max_event_id_length, out.event_id); !s) return s;
  std::string type;
  if (status s = read_text(obj, "type", 64, type); !s) return s;
  auto parsed = parse_event_type(type);
  if (!parsed) return status::invalid("type: unknown event type \"" + type + "\"");
  const type_spec* spec = nullptr;
  for (const auto& t : type_specs())
    if (t.type == *parsed) spec = &t;
  out.type = *parsed;
  if (status s = read_text(obj, "manager_id", max_string_field_length, out.manager_id); !s)
    return s;
  if (!known_manager(out.manager_id))
    return status::invalid("manager_id: unknown manager \"" + out.manager_id + "\"");
  std::string when;
  if (status s = read_text(obj, "occurred_at", 64, when); !s) return s;
  auto instant = parse_instant(when);
  if (!instant)
    return status::invalid(
        "occurred_at: must be ISO 8601 with an offset, like 2026-07-03T10:00:00+08:00, got \"" +
        when + "\"");
  out.occurred_at = *instant;
  for (const auto& f : spec->fields)
    if (status s = read_field(obj, f, out); !s) return s;
  if (out.type == event_type::banquet_held) return check_banquet(out);
  return status::ok();
}

}  // namespace af::engine
