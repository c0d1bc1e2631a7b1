// outbox.h: what a unit of work produces besides its rows: tasks to hand
// to workers and case events to publish. Both are written (tasks) or kept
// (publications) during the transaction and leave only after the commit.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "messages/envelope.h"

namespace af::engine {

struct queued_task {
  std::int64_t id = 0;
  msg::message_type type = msg::message_type::scoring_task;
  std::int64_t case_id = 0;
  int attempts = 0;
  std::string body;           // cereal body of the task message
  std::uint16_t version = 0;  // the body's layout; 0: this build's (msg::current_version)
};

struct outbox {
  std::vector<queued_task> tasks;
  std::vector<std::string> publications;  // JSON case events for the PUB socket, each with its seq

  // Queues `event` (a JSON object's text, as stored) for publication with
  // its sequence number (the id of the history row that keeps it) first.
  void publish(std::int64_t seq, const std::string& event) {
    std::string text = "{\"seq\":" + std::to_string(seq);
    if (event.size() > 2)
      text += "," + event.substr(1);
    else
      text += "}";
    publications.push_back(std::move(text));
  }

  // Bodies kept in memory per unit of work; beyond them a task carries no
  // body and the dispatcher reads it from the tasks table when it sends it
  // (a bulk approval of 100,000 cases would otherwise hold 300,000
  // notification bodies until its commit).
  static constexpr std::size_t bodies_in_memory = 20'000;
  void add_task(queued_task t) {
    if (tasks.size() >= bodies_in_memory) std::string().swap(t.body);
    tasks.push_back(std::move(t));
  }

  void append(outbox&& o) {
    for (auto& t : o.tasks) add_task(std::move(t));
    for (auto& p : o.publications) publications.push_back(std::move(p));
  }
  void clear() {
    tasks.clear();
    publications.clear();
  }
};

// Task kinds as stored in tasks.kind: "scoring", "targets", "notify"
// (task_kind_of answers "scoring" for any other type; task_type_of nullopt
// for any other kind).
std::string_view task_kind_of(msg::message_type t);
std::optional<msg::message_type> task_type_of(std::string_view kind);

}  // namespace af::engine
