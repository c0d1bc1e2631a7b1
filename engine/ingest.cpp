#include "engine/ingest.h"

#include <xxhash.h>

#include <cstdio>
#include <map>

#include "engine/event_validation.h"
#include "workers/domain/civil_time.h"

namespace af::engine {
namespace {

void append_result(std::string& out, const std::string& event_id, std::string_view status_word,
                   std::string_view error = {}) {
  if (out.size() > 1) out += ',';
  out += "{\"event_id\":";
  if (event_id.empty()) out += "null";
  else append_json_string(out, event_id);
  out += ",\"status\":\"";
  out += status_word;
  out += '"';
  if (!error.empty()) {
    out += ",\"error\":";
    append_json_string(out, error);
  }
  out += '}';
}

std::string single_rejection(std::string_view error) {
  std::string out = "[";
  append_result(out, "", "rejected", error);
  return out + "]";
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static const char hex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20) {
      out += "\\u00";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += ch;
    }
  }
  out += '"';
}

ingest::ingest(store& db, int tz, std::size_t max_bytes)
    : db_(db), tz_offset_minutes_(tz), max_message_bytes_(max_bytes) {}

fingerprint ingest::fingerprint_of(std::string_view id) {
  XXH128_hash_t h = XXH3_128bits(id.data(), id.size());
  return {h.high64, h.low64};
}

void ingest::load() {
  seen_.reserve(static_cast<std::size_t>(db_.event_count()) + 1024);
  db_.for_each_fingerprint([this](std::uint64_t hi, std::uint64_t lo) { seen_.insert({hi, lo}); });
  db_.for_each_employee_id([this](const std::string& id) { employees_.insert(id); });
}

std::string ingest::handle(std::string_view message, std::int64_t now) {
  ++pending_counts_.messages;
  if (message.size() > max_message_bytes_) {
    ++pending_counts_.rejected;
    return single_rejection("message of " + std::to_string(message.size()) + " bytes exceeds the limit of " +
                            std::to_string(max_message_bytes_) + " bytes");
  }
  simdjson::dom::element root;
  if (auto err = parser_.parse(message.data(), message.size()).get(root)) {
    ++pending_counts_.rejected;
    return single_rejection(std::string("message is not valid JSON: ") + simdjson::error_message(err));
  }
  return handle_events(root, now);
}

std::string ingest::handle_events(simdjson::dom::element root, std::int64_t now) {
  std::vector<simdjson::dom::element> events;
  simdjson::dom::array arr;
  if (!root.get(arr)) {
    for (auto e : arr) events.push_back(e);
  } else {
    events.push_back(root);
  }
  auto known = [this](std::string_view id) { return employees_.find(id) != employees_.end(); };
  std::string reply = "[";
  delta_map deltas;
  std::vector<fingerprint> added;
  ingest_counts counts;
  db_.savepoint();
  try {
    for (auto element : events) {
      stored_event ev;
      std::string id;
      if (status s = validate_event(element, known, ev, id); !s) {
        append_result(reply, id, "rejected", s.message());
        ++counts.rejected;
        continue;
      }
      fingerprint fp = fingerprint_of(ev.event_id);
      if (seen_.contains(fp)) {
        append_result(reply, id, "duplicate");
        ++counts.duplicate;
        continue;
      }
      ev.fp_hi = fp.hi;
      ev.fp_lo = fp.lo;
      db_.insert_event(ev, now);
      seen_.insert(fp);
      added.push_back(fp);
      civil_date day = local_date(ev.occurred_at, tz_offset_minutes_);
      auto& d = deltas[{ev.manager_id, day.year * 100 + day.month}];
      if (ev.type == "sale") d.sales_fen += *ev.amount_fen;
      if (ev.type == "refund") d.refunds_fen += *ev.amount_fen;
      if (ev.type == "inquiry") {
        d.inquiries += 1;
        d.converted += *ev.converted;
      }
      append_result(reply, id, "accepted");
      ++counts.accepted;
    }
    db_.release();
  } catch (const sqlite_error& e) {
    db_.rollback_to();
    for (const auto& fp : added) seen_.erase(fp);
    pending_counts_.rejected += static_cast<std::int64_t>(events.size());
    std::string failed = "[";
    for (std::size_t i = 0; i < events.size(); ++i)
      append_result(failed, "", "rejected", std::string("store error, nothing applied: ") + e.what());
    return failed + "]";
  }
  pending_.insert(pending_.end(), added.begin(), added.end());
  for (const auto& [key, d] : deltas) {
    auto& total = pending_deltas_[key];
    total.sales_fen += d.sales_fen;
    total.refunds_fen += d.refunds_fen;
    total.inquiries += d.inquiries;
    total.converted += d.converted;
  }
  pending_counts_.accepted += counts.accepted;
  pending_counts_.duplicate += counts.duplicate;
  pending_counts_.rejected += counts.rejected;
  return reply + "]";
}

void ingest::flush() {
  char month[16];
  for (const auto& [key, d] : pending_deltas_) {
    if (!d.sales_fen && !d.refunds_fen && !d.inquiries) continue;
    std::snprintf(month, sizeof month, "%04d-%02d", key.second / 100, key.second % 100);
    db_.add_monthly(key.first, month, d);
  }
  pending_deltas_.clear();
}

void ingest::committed() {
  pending_.clear();
  ++counts_.commits;
  counts_.messages += pending_counts_.messages;
  counts_.accepted += pending_counts_.accepted;
  counts_.duplicate += pending_counts_.duplicate;
  counts_.rejected += pending_counts_.rejected;
  pending_counts_ = {};
}

void ingest::rolled_back() {
  for (const auto& fp : pending_) seen_.erase(fp);
  pending_.clear();
  pending_deltas_.clear();
  pending_counts_ = {};
}

}  // namespace af::engine
