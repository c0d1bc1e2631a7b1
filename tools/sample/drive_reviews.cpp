// assess-drive: plays every person's part in a cycle through the admin
// API, in batches (one transaction per batch): self reviews, supervisor
// reviews, then the HRBPs' and HR's bulk approvals, waiting for scoring in
// between. Reviews come from a reviews.jsonl of assess-sample, or are made
// up deterministically from the employee id (for benchmarks).
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "messages/json_text.h"
#include "tools/assessctl/admin_client.h"
#include "tools/assessctl/render.h"

namespace {

using af::msg::json;
using steady = std::chrono::steady_clock;

struct options {
  std::string data_dir, admin_ep, reviews_file, hr_id;
  std::string key_file, server_key_file;  // --key, --server-key
  long long cycle = 0;
  std::size_t batch = 500;
  int timeout_s = 600;
  bool quiet = false, print = true;
};

std::map<std::string, json> load_reviews(const std::string& path) {
  std::map<std::string, json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("employee_id")) out[j["employee_id"].get<std::string>()] = j;
  }
  return out;
}

// A deterministic review for an employee without one in the file.
json made_up_review(const std::string& id, bool supervisor) {
  std::size_t h = std::hash<std::string>{}(id);
  json ratings;
  int i = 0;
  for (const char* key : {"language", "market_development", "negotiation", "achievement_motivation",
                          "service_orientation", "initiative"})
    ratings[key] = 1 + static_cast<int>((h >> (4 * i++)) % 5);
  json r{{"ratings", ratings}};
  if (supervisor) r["exams"] = {{"product_knowledge", 40 + static_cast<int>(h % 61)}};
  return r;
}

class driver {
 public:
  explicit driver(const options& o)
      : o_(o),
        client_(o.admin_ep.empty() ? "ipc://" + o.data_dir + "/admin.sock" : o.admin_ep,
                {o.data_dir, o.key_file, o.server_key_file, "admin"}, o.timeout_s * 1000) {
    if (!o.reviews_file.empty()) reviews_ = load_reviews(o.reviews_file);
  }

  json call(const json& req) {
    auto r = client_.call(req);
    if (!r) throw std::runtime_error(r.error().message());
    if (!r->value("ok", false)) throw std::runtime_error(r->value("error", std::string("refused")));
    return *r;
  }

  // Every case of the cycle in `state` (or all), a page at a time.
  json cases(const std::string& state) {
    json req{{"cmd", "cases"}, {"cycle", o_.cycle}, {"limit", 10000}};
    if (!state.empty()) req["state"] = state;
    json all = json::array();
    while (true) {
      json page = call(req);
      for (auto& c : page["cases"]) all.push_back(std::move(c));
      if (!page.contains("next_after")) return all;
      req["after"] = page["next_after"];
    }
  }

  // Sends one request per case in `state`, `batch` per transaction.
  void submit_all(const std::string& state, bool supervisor) {
    json list = cases(state);
    std::vector<json> requests;
    for (const auto& c : list) {
      std::string employee = c["employee_id"].get<std::string>();
      json review;
      if (auto it = reviews_.find(employee); it != reviews_.end())
        review = it->second[supervisor ? "supervisor" : "self"];
      else
        review = made_up_review(employee, supervisor);
      json req{{"cmd", "submit"}, {"case", c["id"]}, {"ratings", review["ratings"]}};
      req["as"] = supervisor ? "supervisor:" + c["supervisor_id"].get<std::string>()
                             : "employee:" + employee;
      if (review.contains("exams")) req["exams"] = review["exams"];
      requests.push_back(std::move(req));
    }
    send_batches(requests, supervisor ? "supervisor reviews" : "self reviews");
  }

  void send_batches(const std::vector<json>& requests, const std::string& what) {
    std::size_t refused = 0;
    for (std::size_t i = 0; i < requests.size(); i += o_.batch) {
      json batch = json::array();
      for (std::size_t k = i; k < std::min(requests.size(), i + o_.batch); ++k)
        batch.push_back(requests[k]);
      json reply = call({{"cmd", "batch"}, {"requests", batch}});
      for (const auto& r : reply["results"])
        if (!r.value("ok", false)) {
          if (refused++ < 5)
            fmt::print(stderr, "assess-drive: refused: {}\n", r.value("error", std::string()));
        }
    }
    if (!o_.quiet)
      fmt::print(stderr, "assess-drive: {} {} sent, {} refused\n", requests.size(), what, refused);
  }

  // Waits until no case of the cycle is in `state`.
  void wait_until_none_in(const std::string& state) {
    auto deadline = steady::now() + std::chrono::seconds(o_.timeout_s);
    auto last = steady::now();
    while (true) {
      auto n = cases(state).size();
      if (n == 0) return;
      if (steady::now() > deadline)
        throw std::runtime_error(
            fmt::format("{} cases still in {} after {} s", n, state, o_.timeout_s));
      if (!o_.quiet && steady::now() - last > std::chrono::seconds(2)) {
        fmt::print(stderr, "assess-drive: waiting: {} cases in {}\n", n, state);
        last = steady::now();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  // Each HRBP (then HR) approves all its cases in bulk.
  void approve_all(const std::string& state, bool by_hrbp) {
    std::set<std::string> approvers;
    for (const auto& c : cases(state))
      approvers.insert(by_hrbp ? c["hrbp_id"].get<std::string>() : o_.hr_id);
    std::vector<json> requests;
    for (const auto& a : approvers)
      requests.push_back({{"cmd", "approve"},
                          {"as", (by_hrbp ? "hrbp:" : "hr:") + a},
                          {"state", state},
                          {"cycle", o_.cycle}});
    send_batches(requests, by_hrbp ? "HRBP bulk approvals" : "HR bulk approvals");
  }

  // Waits until every task (notifications included) has been delivered.
  void wait_for_idle_tasks() {
    auto deadline = steady::now() + std::chrono::seconds(o_.timeout_s);
    while (true) {
      json t = call({{"cmd", "stats"}})["tasks"];
      if (t.value("queued", 0) == 0 && t.value("leased", 0) == 0) return;
      if (steady::now() > deadline)
        throw std::runtime_error("tasks still outstanding after the timeout");
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  int run() {
    auto start = steady::now();
    submit_all("self_review", false);
    submit_all("supervisor_review", true);
    wait_until_none_in("scoring");
    approve_all("hrbp_review", true);
    approve_all("hr_review", false);
    wait_for_idle_tasks();
    double secs = std::chrono::duration<double>(steady::now() - start).count();
    json all{{"cases", cases("")}};
    std::size_t final_n = 0;
    for (const auto& c : all["cases"]) final_n += c["state"] == "final";
    if (o_.print) fmt::print("{}", af::tools::render_cases(all));
    fmt::print(stderr, "assess-drive: cycle {}: {} of {} cases final in {:.2f} s\n", o_.cycle,
               final_n, all["cases"].size(), secs);
    return final_n == all["cases"].size() ? 0 : 1;
  }

 private:
  options o_;
  af::tools::admin_client client_;
  std::map<std::string, json> reviews_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "assess-drive: run a cycle's reviews and approvals through the admin API (scripted people)"};
  options o;
  app.add_option("--data", o.data_dir, "Engine data directory");
  app.add_option("--admin", o.admin_ep, "Admin endpoint");
  app.add_option("--key", o.key_file,
                 "Client key pair (FILE.key_secret) [DATA/keys/admin.key_secret]");
  app.add_option("--server-key", o.server_key_file,
                 "The engine's public key (FILE.key) [DATA/keys/engine.key]");
  app.add_option("--cycle", o.cycle, "Cycle id")->required();
  app.add_option("--reviews", o.reviews_file,
                 "reviews.jsonl from assess-sample (else made-up ratings)");
  app.add_option("--hr", o.hr_id, "Employee id of the HR reviewer")->required();
  app.add_option("--batch", o.batch, "Requests per transaction")->capture_default_str();
  app.add_option("--timeout", o.timeout_s, "Seconds to wait for scoring")->capture_default_str();
  app.add_flag("--quiet", o.quiet, "No progress lines");
  bool no_print = false;
  app.add_flag("--no-print", no_print, "Do not print the cases at the end");
  CLI11_PARSE(app, argc, argv);
  o.print = !no_print;
  if (o.data_dir.empty() && o.admin_ep.empty()) {
    fmt::print(stderr, "assess-drive: give --data DIR or --admin EP\n");
    return 2;
  }
  try {
    return driver(o).run();
  } catch (const std::exception& e) {
    fmt::print(stderr, "assess-drive: {}\n", e.what());
    return 1;
  }
}
