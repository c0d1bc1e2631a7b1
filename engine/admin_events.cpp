// admin_events.cpp: case_events.since, the durable side of the events
// endpoint. A subscriber that was slow, away or restarted asks for every
// case event after the last seq it saw and misses nothing the retention
// still keeps; a seq from before the retention is not_found, naming the
// oldest kept, so it knows it has lost some.
#include "engine/admin_api.h"

namespace af::engine {

result<json> admin_api::case_events_since(const json& req) {
  if (!req.contains("seq") || !req["seq"].is_number_integer() || req["seq"].get<std::int64_t>() < 0)
    return status::invalid("seq: must be the last seq seen (0 for the oldest kept)");
  std::int64_t seq = req["seq"].get<std::int64_t>();
  auto limit = limit_of(req, 1000, max_event_rows);
  if (!limit) return limit.error();
  std::int64_t purged = db_.events_purged_through();
  if (seq > 0 && seq < purged)  // events after it are gone: the caller has lost some
    return status::not_found("seq " + std::to_string(seq) +
                             " is older than the oldest case event kept (" +
                             std::to_string(purged + 1) + "); events are kept " +
                             std::to_string(event_retention_days_) + " days");
  json events = json::array();
  std::int64_t next = std::max(seq, seq == 0 ? purged : seq);
  for (auto& [id, text] : db_.case_events_after(std::max(seq, purged), *limit)) {
    json e = json::parse(text, nullptr, false);
    if (e.is_discarded() || !e.is_object()) continue;  // never written so by the engine
    json with{{"seq", id}};
    for (auto it = e.begin(); it != e.end(); ++it) with[it.key()] = it.value();
    events.push_back(std::move(with));
    next = id;
  }
  return json{{"events", events}, {"next_seq", next}};
}

}  // namespace af::engine
