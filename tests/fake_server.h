// fake_server.h: a test server of tests/tools/ (fake_smtp.py, fake_robot.py)
// started as a child process with Debian's /usr/bin/python3 on 127.0.0.1:
// it prints its port first and records what it receives as JSON lines in
// DIR/NAME.jsonl (its log DIR/NAME.log). Killed at the end of its scope.
#pragma once

#include <chrono>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "tools/common/process.h"

namespace af::test {

class fake_server {
 public:
  // Runs ASSESSFLOW_TEST_TOOLS/SCRIPT --record DIR/NAME.jsonl ARGS...;
  // throws if it prints no port within 10 s.
  fake_server(const std::string& dir, const std::string& script, std::vector<std::string> args,
              const std::string& name = "")
      : base_(dir + "/" + (name.empty() ? script : name)),
        proc_("/usr/bin/python3", command(script, base_ + ".jsonl", std::move(args)),
              base_ + ".log", base_ + ".port") {
    for (int i = 0; i < 500; ++i) {
      std::ifstream in(base_ + ".port");
      std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      if (text.find('\n') != std::string::npos) {
        port_ = std::stoi(text);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error(script + " printed no port; see " + base_ + ".log");
  }

  [[nodiscard]] int port() const { return port_; }
  // SCHEME://127.0.0.1:PORT
  [[nodiscard]] std::string url(const std::string& scheme) const {
    return scheme + "://127.0.0.1:" + std::to_string(port_);
  }
  // SIGTERM, then its exit code (0: it stopped cleanly).
  int stop() {
    proc_.signal(15);
    return proc_.wait();
  }
  // Everything recorded so far, one JSON value per line.
  [[nodiscard]] std::vector<nlohmann::json> lines() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(base_ + ".jsonl");
    for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
    return out;
  }

 private:
  static std::vector<std::string> command(const std::string& script, const std::string& record,
                                          std::vector<std::string> args) {
    args.insert(args.begin(),
                {std::string(ASSESSFLOW_TEST_TOOLS) + "/" + script, "--record", record});
    return args;
  }
  std::string base_;
  tools::process proc_;
  int port_ = 0;
};

}  // namespace af::test
