// event_commands.cpp: assessctl events [--since SEQ] [--follow] [--events EP]:
// the case events after SEQ, one line each (JSON lines with --json). With
// --follow it then subscribes to the events endpoint and asks
// `case_events.since` again every few seconds and whenever the engine was
// away, printing each seq once and in order, so a slow or restarted
// subscriber (or engine) loses nothing the retention keeps.
#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <optional>
#include <zmq.hpp>

#include "messages/json_text.h"
#include "messages/secure_client.h"
#include "tools/assessctl/admin_client.h"
#include "tools/assessctl/commands.h"
#include "tools/assessctl/render.h"

namespace af::tools::cli {
namespace {

using steady = std::chrono::steady_clock;

volatile std::sig_atomic_t stop_following = 0;

void print_event(const global_options& g, const json& e) {
  fmt::print("{}", g.as_json ? af::msg::dump_fixed2(e) + "\n" : render_event(e));
  std::fflush(stdout);
}

// Prints every kept event after `last`, page by page; advances `last`.
// The engine's refusal (not_found past the retention) ends with its code.
result<bool> catch_up(admin_client& client, const global_options& g, long long& last) {
  while (true) {
    auto reply = client.call({{"cmd", "case_events.since"}, {"seq", last}, {"limit", 1000}});
    if (!reply) return reply.error();
    if (!reply->value("ok", false))
      return status::not_found(
          reply->value("error", std::string("the engine refused case_events.since")));
    const json& events = (*reply)["events"];
    for (const auto& e : events) {
      long long seq = e["seq"].get<long long>();
      if (seq <= last) continue;
      print_event(g, e);
      last = seq;
    }
    if (events.empty()) return true;
  }
}

// Connects `sub` to the events endpoint (--events, or DATA's) for the case events.
void subscribe(zmq::socket_t& sub, const af::msg::client_keys& keys, const global_options& g,
               const std::string& events_ep) {
  sub.set(zmq::sockopt::linger, 0);
  sub.set(zmq::sockopt::subscribe, "case");
  af::msg::make_curve_client(sub, keys);
  sub.connect(events_ep.empty() ? "ipc://" + g.data_dir + "/events.sock" : events_ep);
}

// The next event published within 200 ms; nothing on a timeout, a message
// that is no event, or a signal (EINTR: Ctrl-C or SIGTERM, seen by the
// caller's loop).
std::optional<json> receive_event(zmq::socket_t& sub) {
  zmq::message_t topic, body;
  try {
    zmq::pollitem_t item{static_cast<void*>(sub), 0, ZMQ_POLLIN, 0};
    zmq::poll(&item, 1, std::chrono::milliseconds(200));
    if (!(item.revents & ZMQ_POLLIN)) return std::nullopt;
    if (!sub.recv(topic, zmq::recv_flags::dontwait)) return std::nullopt;
    if (!topic.more() || !sub.recv(body, zmq::recv_flags::dontwait)) return std::nullopt;
  } catch (const zmq::error_t& e) {
    if (e.num() != EINTR) throw;
    return std::nullopt;
  }
  json e = json::parse(body.to_string_view(), nullptr, false);
  if (e.is_discarded() || !e.contains("seq") || !e["seq"].is_number_integer()) return std::nullopt;
  return e;
}

// Prints the events after `last` as they happen until SIGINT or SIGTERM:
// published ones as they come, with a catch-up every 3 s (every second
// while the engine is away) and before any event that is not the next seq.
int follow_events(admin_client& client, const global_options& g, long long last,
                  const std::string& events_ep) {
  std::signal(SIGINT, [](int) { stop_following = 1; });
  std::signal(SIGTERM, [](int) { stop_following = 1; });
  auto keys = af::msg::load_client_keys(g.keys(), std::chrono::seconds(0));
  if (!keys) return fail(keys.error());
  zmq::context_t ctx(1);
  zmq::socket_t sub(ctx, zmq::socket_type::sub);
  subscribe(sub, *keys, g, events_ep);
  bool away = false;  // the engine did not answer the last catch-up
  auto next_catch_up = steady::now();
  while (!stop_following) {
    if (steady::now() >= next_catch_up) {
      auto done = catch_up(client, g, last);
      if (!done && done.error().code() == af::status_code::not_found) return fail(done.error());
      if (!done && !away)
        fmt::print(stderr, "assessctl: the engine is not answering ({}); retrying\n",
                   done.error().message());
      away = !done;
      next_catch_up = steady::now() + std::chrono::seconds(away ? 1 : 3);
    }
    auto e = receive_event(sub);
    if (!e) continue;
    long long seq = (*e)["seq"].get<long long>();
    if (seq <= last) continue;
    // Not the next one: something between may have been missed (a seq
    // without an event is rare), so fetch it in order first. When that
    // fails the event waits too: printing it would skip the gap for good.
    if (seq != last + 1 && !catch_up(client, g, last)) {
      away = true;
      next_catch_up = steady::now() + std::chrono::seconds(1);
      continue;
    }
    if (seq > last) {
      print_event(g, *e);
      last = seq;
    }
  }
  return 0;
}

int print_events(const global_options& g, long long since, bool follow,
                 const std::string& events_ep) {
  // Following, a catch-up the engine never answers (sent as it stopped)
  // is asked again after 3 s rather than --timeout: nothing waits on it.
  auto client = connect_admin(g, follow ? std::min(g.timeout_s, 3) : g.timeout_s);
  if (!client) return fail(client.error());
  long long last = since;
  if (follow) return follow_events(**client, g, last, events_ep);
  auto done = catch_up(**client, g, last);
  return done ? 0 : fail(done.error());
}

}  // namespace

void add_events_command(CLI::App& app, const global_options& g, int& code) {
  static long long since = 0;
  static bool follow = false;
  static std::string events_ep;
  auto* events = add_command(
      app, "events", "Case events after a seq (opened, transitions, overdue, cycles unfinished)");
  events->add_option("--since", since, "Events after this seq (0: the oldest kept)")
      ->capture_default_str();
  events->add_flag("--follow", follow,
                   "Then keep printing new events as they happen, losing none (Ctrl-C ends)");
  events->add_option("--events", events_ep,
                     "The engine's events endpoint (PUB) [ipc://DATA/events.sock]");
  events->callback([&] { code = print_events(g, since, follow, events_ep); });
}

}  // namespace af::tools::cli
