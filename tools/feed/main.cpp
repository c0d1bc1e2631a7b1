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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"assess-feed: publish a JSON-lines file of sales events to assess-engine"};
  std::string data_dir, ingest_ep, file;
  std::size_t batch = 500, window = 8;
  int timeout_s = 30;
  bool as_json = false, quiet = false;
  app.add_option("FILE", file, "JSON-lines file, one event per line")->required();
  app.add_option("--data", data_dir,
                 "Engine data directory (ingest endpoint ipc://DATA/ingest.sock)");
  app.add_option("--ingest", ingest_ep, "Ingest endpoint, e.g. tcp://host:5555");
  std::string key_file, server_key_file;
  app.add_option("--key", key_file,
                 "This publisher's key pair (FILE.key_secret) [DATA/keys/feed.key_secret]");
  app.add_option("--server-key", server_key_file,
                 "The engine's public key (FILE.key) [DATA/keys/engine.key]");
  app.add_option("--batch", batch, "Events per message")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--window", window, "Messages in flight")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--timeout", timeout_s, "Seconds to wait for an acknowledgement")
      ->capture_default_str();
  app.add_flag("--json", as_json, "Print the summary as JSON");
  app.add_flag("--quiet", quiet, "No progress lines");
  CLI11_PARSE(app, argc, argv);
  if (ingest_ep.empty()) {
    if (data_dir.empty()) {
      fmt::print(stderr, "assess-feed: give --data DIR or --ingest EP\n");
      return 2;
    }
    ingest_ep = "ipc://" + data_dir + "/ingest.sock";
  }
  std::ifstream in(file);
  if (!in) {
    fmt::print(stderr, "assess-feed: cannot read {}\n", file);
    return 1;
  }
  std::vector<std::string> lines;
  summary s;
  simdjson::dom::parser parser;
  std::string line;
  long long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    simdjson::dom::element e;
    if (parser.parse(line).get(e)) {  // would spoil its whole batch: refuse it here
      ++s.invalid_lines;
      ++s.rejected;
      ++s.reasons["line is not valid JSON"];
      if (!quiet) fmt::print(stderr, "assess-feed: line {}: not valid JSON, not sent\n", line_no);
      continue;
    }
    lines.push_back(std::move(line));
  }

  auto keys = af::msg::load_client_keys(
      {data_dir, key_file, server_key_file, "feed"}, std::chrono::seconds(timeout_s),
      [](const std::string& waiting) { fmt::print(stderr, "assess-feed: {}\n", waiting); });
  if (!keys) {
    fmt::print(stderr, "assess-feed: {}\n", keys.error().message());
    return 1;
  }
  zmq::context_t ctx(1);
  zmq::socket_t sock(ctx, zmq::socket_type::dealer);
  sock.set(zmq::sockopt::linger, 0);
  af::msg::make_curve_client(sock, *keys);
  af::msg::handshake_watch handshakes(sock);
  sock.connect(ingest_ep);
  using steady = std::chrono::steady_clock;
  auto start = steady::now(), last_report = start;
  bool tty = ::isatty(2) != 0;
  std::size_t next = 0, in_flight = 0, acked_events = 0, sent_messages = 0, acked_messages = 0;
  std::vector<steady::time_point> sent_at;
  std::vector<double> latency_ms;
  while (next < lines.size() || in_flight > 0) {
    while (in_flight < window && next < lines.size()) {
      std::string msg = "[";
      std::size_t end = std::min(lines.size(), next + batch);
      for (std::size_t i = next; i < end; ++i) (msg += (i == next ? "" : ",")) += lines[i];
      msg += "]";
      sock.send(zmq::message_t(), zmq::send_flags::sndmore);
      sock.send(zmq::buffer(msg), zmq::send_flags::none);
      sent_at.push_back(steady::now());
      ++sent_messages;
      next = end;
      ++in_flight;
    }
    // Waits for the next ack, checking every 50 ms whether the engine refused the key.
    auto deadline = steady::now() + std::chrono::seconds(timeout_s);
    zmq::pollitem_t items[] = {{sock.handle(), 0, ZMQ_POLLIN, 0}};
    while (zmq::poll(items, 1, std::chrono::milliseconds(50)) == 0) {
      if (handshakes.poll(std::chrono::milliseconds(0)) ==
          af::msg::handshake_watch::outcome::refused) {
        fmt::print(stderr, "assess-feed: {}\n", af::msg::refused_key_message(ingest_ep, *keys));
        return 1;
      }
      if (steady::now() >= deadline) {
        fmt::print(
            stderr,
            "assess-feed: no acknowledgement from {} within {} s; {} of {} events acknowledged\n",
            ingest_ep, timeout_s, acked_events, lines.size());
        return 1;
      }
    }
    zmq::message_t delimiter, body;
    (void)sock.recv(delimiter);
    if (delimiter.more())
      (void)sock.recv(body);
    else
      body = std::move(delimiter);
    --in_flight;
    // Replies come back in order: this one answers message number acked_messages.
    latency_ms.push_back(
        std::chrono::duration<double, std::milli>(steady::now() - sent_at[acked_messages++])
            .count());
    long long before = s.accepted + s.duplicate + s.rejected;
    count_reply(body.to_string_view(), s);
    acked_events += static_cast<std::size_t>(s.accepted + s.duplicate + s.rejected - before);
    auto now = steady::now();
    if (!quiet && now - last_report >
                      (tty ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000))) {
      double secs = std::chrono::duration<double>(now - start).count();
      std::string bar =
          progress_bar(acked_events, lines.size(), static_cast<double>(acked_events) / secs);
      if (tty)
        fmt::print(stderr, "\r{}", bar);
      else
        fmt::print(stderr, "assess-feed: {}\n", bar);
      last_report = now;
    }
  }
  if (!quiet && tty)
    fmt::print(stderr, "\r{}\n", progress_bar(acked_events, lines.size(), 0).substr(0, 60));
  double secs = std::chrono::duration<double>(steady::now() - start).count();
  if (as_json) {
    nlohmann::ordered_json j{
        {"file", file},
        {"events", lines.size() + s.invalid_lines},
        {"accepted", s.accepted},
        {"duplicate", s.duplicate},
        {"rejected", s.rejected},
        {"reasons", s.reasons},
        {"seconds", secs},
        {"messages", sent_messages},
        {"ack_latency_ms",
         {{"p50", percentile(latency_ms, 0.5)}, {"p99", percentile(latency_ms, 0.99)}}}};
    fmt::print("{}\n", j.dump(2));
  } else {
    fmt::print(
        "{}: {} events in {:.2f} s: {} accepted, {} duplicate, {} rejected; ack latency p50 {:.2f} "
        "ms, p99 {:.2f} ms\n",
        file, lines.size() + s.invalid_lines, secs, s.accepted, s.duplicate, s.rejected,
        percentile(latency_ms, 0.5), percentile(latency_ms, 0.99));
    for (const auto& [why, n] : s.reasons) fmt::print("  rejected {}: {}\n", n, why);
  }
  return s.rejected > 0 ? 3 : 0;
}
