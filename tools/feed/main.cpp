// assess-feed: publishes a JSON-lines file of external events to the
// engine's ingest endpoint in batches (one JSON array per message, several
// messages in flight), and prints a summary of the acknowledgements.
// Re-running it on the same file is safe: the engine answers repeated
// event ids as duplicates.
#include <fmt/core.h>
#include <simdjson.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <zmq.hpp>

#include "messages/secure_client.h"

namespace {

using steady = std::chrono::steady_clock;

struct feed_options {
  std::string data_dir, ingest_ep, file;
  std::string key_file, server_key_file;  // --key, --server-key
  std::size_t batch = 500, window = 8;
  int timeout_s = 30;
  bool as_json = false, quiet = false;
};

void add_options(CLI::App& app, feed_options& o) {
  app.add_option("FILE", o.file, "JSON-lines file, one event per line")->required();
  app.add_option("--data", o.data_dir,
                 "Engine data directory (ingest endpoint ipc://DATA/ingest.sock)");
  app.add_option("--ingest", o.ingest_ep, "Ingest endpoint, e.g. tcp://host:5555");
  app.add_option("--key", o.key_file,
                 "This publisher's key pair (FILE.key_secret) [DATA/keys/feed.key_secret]");
  app.add_option("--server-key", o.server_key_file,
                 "The engine's public key (FILE.key) [DATA/keys/engine.key]");
  app.add_option("--batch", o.batch, "Events per message")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--window", o.window, "Messages in flight")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for an acknowledgement")
      ->capture_default_str();
  app.add_flag("--json", o.as_json, "Print the summary as JSON");
  app.add_flag("--quiet", o.quiet, "No progress lines");
}

// "[##########..........]  50%  102,367/204,735 events  210,553/s"
std::string progress_bar(std::size_t done, std::size_t total, double rate) {
  constexpr int width = 30;
  double frac = total ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  int filled = static_cast<int>(frac * width);
  return fmt::format("[{}{}] {:3.0f}%  {}/{} events  {:.0f}/s", std::string(filled, '#'),
                     std::string(width - filled, '.'), 100.0 * frac, done, total, rate);
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::size_t i =
      std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<long>(i), v.end());
  return v[i];
}

struct summary {
  long long accepted = 0, duplicate = 0, rejected = 0, invalid_lines = 0;
  std::map<std::string, long long> reasons;
};

void count_reply(std::string_view text, summary& s) {
  auto reply = nlohmann::json::parse(text, nullptr, false);
  if (!reply.is_array()) {
    ++s.rejected;
    ++s.reasons["reply is not a JSON array"];
    return;
  }
  for (const auto& r : reply) {
    std::string st = r.value("status", "");
    if (st == "accepted")
      ++s.accepted;
    else if (st == "duplicate")
      ++s.duplicate;
    else {
      ++s.rejected;
      std::string why = r.value("error", "");
      ++s.reasons[why.substr(0, why.find('"'))];  // group by the field part of the error
    }
  }
}

// The file's events, one a line. A line that is not JSON would spoil its
// whole batch: it is refused here (counted in `s`) and not sent.
std::vector<std::string> read_events(std::ifstream& in, bool quiet, summary& s) {
  std::vector<std::string> lines;
  simdjson::dom::parser parser;
  std::string line;
  long long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::element e;
    if (parser.parse(line).get(e)) {
      ++s.invalid_lines;
      ++s.rejected;
      ++s.reasons["line is not valid JSON"];
      if (!quiet) fmt::print(stderr, "assess-feed: line {}: not valid JSON, not sent\n", line_no);
      continue;
    }
    lines.push_back(std::move(line));
  }
  return lines;
}

// The messages of one run: sent, in flight and acknowledged.
struct progress {
  std::size_t next = 0;  // the first line not sent yet
  std::size_t in_flight = 0, acked_events = 0, sent_messages = 0, acked_messages = 0;
  std::vector<steady::time_point> sent_at;  // per message
  std::vector<double> latency_ms;           // per acknowledged message
};

// Sends batches until `window` messages are in flight or every line is sent.
void fill_window(zmq::socket_t& sock, const std::vector<std::string>& lines, const feed_options& o,
                 progress& p) {
  while (p.in_flight < o.window && p.next < lines.size()) {
    std::string msg = "[";
    std::size_t end = std::min(lines.size(), p.next + o.batch);
    for (std::size_t i = p.next; i < end; ++i) (msg += (i == p.next ? "" : ",")) += lines[i];
    msg += "]";
    sock.send(zmq::message_t(), zmq::send_flags::sndmore);
    sock.send(zmq::buffer(msg), zmq::send_flags::none);
    p.sent_at.push_back(steady::now());
    ++p.sent_messages;
    p.next = end;
    ++p.in_flight;
  }
}

// Waits for the next ack, checking every 50 ms whether the engine refused
// the key. False, after printing why, when it did or no ack came in time.
bool wait_for_ack(zmq::socket_t& sock, af::msg::handshake_watch& handshakes,
                  const af::msg::client_keys& keys, const feed_options& o, const progress& p,
                  std::size_t events) {
  auto deadline = steady::now() + std::chrono::seconds(o.timeout_s);
  zmq::pollitem_t items[] = {{sock.handle(), 0, ZMQ_POLLIN, 0}};
  while (zmq::poll(items, 1, std::chrono::milliseconds(50)) == 0) {
    if (handshakes.poll(std::chrono::milliseconds(0)) ==
        af::msg::handshake_watch::outcome::refused) {
      fmt::print(stderr, "assess-feed: {}\n", af::msg::refused_key_message(o.ingest_ep, keys));
      return false;
    }
    if (steady::now() >= deadline) {
      fmt::print(
          stderr,
          "assess-feed: no acknowledgement from {} within {} s; {} of {} events acknowledged\n",
          o.ingest_ep, o.timeout_s, p.acked_events, events);
      return false;
    }
  }
  return true;
}

// Receives the ack that is there and counts its events into `s`.
void receive_ack(zmq::socket_t& sock, progress& p, summary& s) {
  zmq::message_t delimiter, body;
  (void)sock.recv(delimiter);
  if (delimiter.more())
    (void)sock.recv(body);
  else
    body = std::move(delimiter);
  --p.in_flight;
  // Replies come back in order: this one answers message number acked_messages.
  p.latency_ms.push_back(
      std::chrono::duration<double, std::milli>(steady::now() - p.sent_at[p.acked_messages++])
          .count());
  long long before = s.accepted + s.duplicate + s.rejected;
  count_reply(body.to_string_view(), s);
  p.acked_events += static_cast<std::size_t>(s.accepted + s.duplicate + s.rejected - before);
}

void print_summary(const feed_options& o, const summary& s, const progress& p, std::size_t events,
                   double secs) {
  if (o.as_json) {
    nlohmann::ordered_json j{
        {"file", o.file},
        {"events", events + s.invalid_lines},
        {"accepted", s.accepted},
        {"duplicate", s.duplicate},
        {"rejected", s.rejected},
        {"reasons", s.reasons},
        {"seconds", secs},
        {"messages", p.sent_messages},
        {"ack_latency_ms",
         {{"p50", percentile(p.latency_ms, 0.5)}, {"p99", percentile(p.latency_ms, 0.99)}}}};
    fmt::print("{}\n", j.dump(2));
    return;
  }
  fmt::print(
      "{}: {} events in {:.2f} s: {} accepted, {} duplicate, {} rejected; ack latency p50 {:.2f} "
      "ms, p99 {:.2f} ms\n",
      o.file, events + s.invalid_lines, secs, s.accepted, s.duplicate, s.rejected,
      percentile(p.latency_ms, 0.5), percentile(p.latency_ms, 0.99));
  for (const auto& [why, n] : s.reasons) fmt::print("  rejected {}: {}\n", n, why);
}

// Publishes `lines` with `window` messages in flight and prints the
// summary; the exit code: 0, 1 when the engine refused the key or went
// silent, 3 when it rejected an event.
int publish(const feed_options& o, const std::vector<std::string>& lines,
            const af::msg::client_keys& keys, summary& s) {
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::dealer);
  sock.set(zmq::sockopt::linger, 0);
  af::msg::make_curve_client(sock, keys);
  af::msg::handshake_watch handshakes(sock);
  sock.connect(o.ingest_ep);
  auto start = steady::now(), last_report = start;
  bool tty = ::isatty(2) != 0;
  progress p;
  while (p.next < lines.size() || p.in_flight > 0) {
    fill_window(sock, lines, o, p);
    if (!wait_for_ack(sock, handshakes, keys, o, p, lines.size())) return 1;
    receive_ack(sock, p, s);
    auto now = steady::now();
    if (!o.quiet && now - last_report >
                        (tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000))) {
      double secs = std::chrono::duration<double>(now - start).count();
      std::string bar =
          progress_bar(p.acked_events, lines.size(), static_cast<double>(p.acked_events) / secs);
      if (tty)
        fmt::print(stderr, "\r{}", bar);
      else
        fmt::print(stderr, "assess-feed: {}\n", bar);
      last_report = now;
    }
  }
  if (!o.quiet && tty)
    fmt::print(stderr, "\r{}\n", progress_bar(p.acked_events, lines.size(), 0).substr(0, 60));
  print_summary(o, s, p, lines.size(),
                std::chrono::duration<double>(steady::now() - start).count());
  return s.rejected > 0 ? 3 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"assess-feed: publish a JSON-lines file of sales events to assess-engine"};
  feed_options o;
  add_options(app, o);
  CLI11_PARSE(app, argc, argv);
  if (o.ingest_ep.empty()) {
    if (o.data_dir.empty()) {
      fmt::print(stderr, "assess-feed: give --data DIR or --ingest EP\n");
      return 2;
    }
    o.ingest_ep = "ipc://" + o.data_dir + "/ingest.sock";
  }
  std::ifstream in(o.file);
  if (!in) {
    fmt::print(stderr, "assess-feed: cannot read {}\n", o.file);
    return 1;
  }
  summary s;
  std::vector<std::string> lines = read_events(in, o.quiet, s);
  auto keys = af::msg::load_client_keys(
      {o.data_dir, o.key_file, o.server_key_file, "feed"}, std::chrono::seconds(o.timeout_s),
      [](const std::string& waiting) { fmt::print(stderr, "assess-feed: {}\n", waiting); });
  if (!keys) {
    fmt::print(stderr, "assess-feed: {}\n", keys.error().message());
    return 1;
  }
  return publish(o, lines, *keys, s);
}
