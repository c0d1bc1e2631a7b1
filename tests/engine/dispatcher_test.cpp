// Tests for engine/dispatcher.h: leases, capacity, redelivery after an
// expired lease or a silent worker (at once, retry_base_ms 0; or after a
// backoff), dead tasks, kinds, and restore(). The
// send callback records (worker, frame) and the frames are decoded.
#include "engine/dispatcher.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <string>
#include <utility>
#include <vector>

#include "messages/types.h"
#include "messages/zmq_watch.h"

using af::engine::dispatcher;
using af::engine::dispatcher_config;
using af::engine::queued_task;
using af::msg::message_type;
using af::msg::worker_kind;

namespace {

struct sent {
  std::string worker;
  std::int64_t task_id = 0;
  message_type type = message_type::heartbeat;
  std::string body;
};

struct recorder {
  std::vector<std::pair<std::string, std::string>> frames;

  dispatcher::send_fn fn() {
    return [this](const std::string& worker, const std::string& frame) {
      frames.emplace_back(worker, frame);
    };
  }
  // Decodes and forgets what was sent so far.
  std::vector<sent> drain() {
    std::vector<sent> out;
    for (const auto& [worker, frame] : frames) {
      auto e = af::msg::decode(frame);
      REQUIRE(e.is_ok());
      CHECK(e->correlation_id == 0);
      CHECK(e->version == af::msg::current_version(e->type));
      out.push_back({worker, static_cast<std::int64_t>(e->id), e->type, e->body});
    }
    frames.clear();
    return out;
  }
};

queued_task scoring(std::int64_t id) {
  af::msg::scoring_task body;
  body.case_id = static_cast<std::uint64_t>(100 + id);
  body.program = "competency50";
  body.employee_id = "E" + std::to_string(id);
  body.as_of = "2026-09-30";
  return {id, message_type::scoring_task, 100 + id, 0, af::msg::pack(body).body};
}

queued_task notify(std::int64_t id) {
  af::msg::notify_task body;
  body.notification_id = "case-1-h" + std::to_string(id) + "-employee";
  body.recipient_id = "E1";
  body.case_id = 1;
  body.kind = "case_final";
  body.body_json = "{}";
  return {id, message_type::notify_task, 1, 0, af::msg::pack(body).body};
}

std::vector<std::string> summary(const std::vector<sent>& v) {
  std::vector<std::string> out;
  for (const auto& s : v) out.push_back(std::to_string(s.task_id) + "->" + s.worker);
  return out;
}

}  // namespace

// A scoring result for task `id` from connection `worker` of principal
// "worker": the task when it is taken, nullopt when refused or a duplicate.
std::optional<queued_task> take(dispatcher& d, const std::string& worker, std::int64_t id,
                                std::int64_t now, message_type type = message_type::scoring_result,
                                const std::string& principal = "worker") {
  return d.take({worker, principal, type}, id, now).task;
}

TEST_CASE("pump leases at most each worker's capacity, frames carry the task",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{10'000, 5'000, 5}, rec.fn());
  for (std::int64_t id = 1; id <= 5; ++id) d.enqueue(scoring(id));
  d.enqueue(scoring(3));  // the same id twice is queued once
  CHECK(d.queued() == 5);

  d.pump(0);  // no worker yet: nothing leaves
  CHECK(rec.frames.empty());
  CHECK(d.queued() == 5);

  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "scoring-a", 11, 0));
  REQUIRE(d.seen("w2", "worker", worker_kind::scoring, 2, "scoring-b", 12, 0));
  d.pump(0);
  auto out = rec.drain();
  // The least loaded worker gets the next task, ties to the first id.
  CHECK(summary(out) == std::vector<std::string>{"1->w1", "2->w2", "3->w1", "4->w2"});
  CHECK(d.queued() == 1);
  CHECK(d.leased() == 4);
  for (const auto& s : out) {
    INFO(s.task_id);
    CHECK(s.type == message_type::scoring_task);
    CHECK(s.body == scoring(s.task_id).body);
    af::msg::envelope e{s.type, af::msg::current_version(s.type),
                        static_cast<std::uint64_t>(s.task_id), 0, s.body};
    auto task = af::msg::unpack<af::msg::scoring_task>(e);
    REQUIRE(task.is_ok());
    CHECK(task->case_id == static_cast<std::uint64_t>(100 + s.task_id));
    CHECK(task->employee_id == "E" + std::to_string(s.task_id));
  }

  d.pump(1);  // everyone is full
  CHECK(rec.frames.empty());

  auto stats = d.stats(1);
  CHECK(stats["tasks"]["queued"] == 1);
  CHECK(stats["tasks"]["leased"] == 4);
  CHECK(stats["deliveries"]["sent"] == 4);
  REQUIRE(stats["workers"].size() == 2);
  CHECK(stats["workers"][0]["name"] == "scoring-a");
  CHECK(stats["workers"][0]["in_flight"] == 2);
  CHECK(stats["workers"][0]["capacity"] == 2);

  SECTION("take returns the task once; a second result is a duplicate") {
    auto t = take(d, "w1", 1, 5);
    REQUIRE(t.has_value());
    CHECK(t->id == 1);
    CHECK(t->case_id == 101);
    CHECK(t->attempts == 1);
    CHECK_FALSE(take(d, "w1", 1, 6).has_value());
    CHECK_FALSE(take(d, "w2", 1, 6).has_value());  // from another worker too
    CHECK_FALSE(take(d, "w1", 999, 6).has_value());
    CHECK(d.stats(6)["deliveries"]["duplicate_results"] == 3);
    CHECK(d.leased() == 3);
    d.pump(7);  // w1 has room again: task 5 goes to it
    CHECK(summary(rec.drain()) == std::vector<std::string>{"5->w1"});
    CHECK(d.queued() == 0);
  }
}

TEST_CASE("a task queued before an upgrade leaves labelled with its own body version",
          "[engine][dispatcher]") {
  std::vector<std::string> frames;
  dispatcher d(dispatcher_config{10'000, 5'000, 5},
               [&](const std::string&, const std::string& frame) { frames.push_back(frame); });
  af::msg::scoring_task old;
  old.body_version = 1;
  old.case_id = 7;
  std::ostringstream os;
  {
    cereal::PortableBinaryOutputArchive ar(os);
    ar(old);
  }
  queued_task t{1, message_type::scoring_task, 7, 0, os.str(), 1};
  d.enqueue(std::move(t));
  REQUIRE(d.seen("w1", "worker", af::msg::worker_kind::scoring, 1, "w1", 1, 0));
  d.pump(0);
  REQUIRE(frames.size() == 1);
  auto e = af::msg::decode(frames[0]);
  REQUIRE(e.is_ok());
  CHECK(e->version == 1);
  auto body = af::msg::unpack<af::msg::scoring_task>(*e);
  REQUIRE(body.is_ok());
  CHECK(body->case_id == 7);
}

TEST_CASE("an expired lease re-queues the task and the next pump redelivers it",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{1'000, 60'000, 5, 0}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 0));
  REQUIRE(d.seen("w2", "worker", worker_kind::scoring, 2, "b", 2, 0));
  d.enqueue(scoring(1));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  // Later: two more tasks, w1 keeps one of them (lease until 1500).
  d.enqueue(scoring(2));
  d.enqueue(scoring(3));
  d.pump(500);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"2->w2", "3->w1"});
  REQUIRE(take(d, "w2", 2, 600).has_value());

  CHECK(d.tick(999).empty());  // not yet
  CHECK(d.leased() == 2);
  CHECK(d.tick(1'000).empty());  // task 1's lease ends at 0 + lease_ms
  CHECK(d.leased() == 1);
  CHECK(d.queued() == 1);
  d.pump(1'000);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w2"});  // w1 still holds task 3
  CHECK(d.stats(1'000)["deliveries"]["redelivered"] == 1);

  SECTION("a result from the worker whose lease expired is refused; the lease holder's counts") {
    auto late = d.take({"w1", "worker", message_type::scoring_result}, 1, 1'100);
    CHECK_FALSE(late.task.has_value());
    CHECK(late.refused == "task 1 is not leased to this connection");
    auto t = take(d, "w2", 1, 1'200);
    REQUIRE(t.has_value());
    CHECK(t->attempts == 2);
    CHECK(d.leased() == 1);  // only task 3
  }
  SECTION("a late result for a task waiting in the queue again is refused; the task stays queued") {
    d.enqueue(scoring(4));
    d.tick(1'500);  // task 3 expires too
    CHECK(d.queued() == 2);
    auto late = d.take({"w1", "worker", message_type::scoring_result}, 3, 1'600);
    CHECK_FALSE(late.task.has_value());
    CHECK_FALSE(late.duplicate());
    CHECK(d.queued() == 2);
    d.pump(1'600);
    auto out = summary(rec.drain());
    std::sort(out.begin(), out.end());
    CHECK(out == std::vector<std::string>{"3->w1", "4->w1"});
  }
}

TEST_CASE("a worker silent past worker_timeout_ms loses its tasks", "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{60'000, 5'000, 5, 0}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 0));
  d.enqueue(scoring(1));
  d.enqueue(scoring(2));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1", "2->w1"});
  REQUIRE(d.seen("w2", "worker", worker_kind::scoring, 2, "b", 2, 100));

  REQUIRE(d.seen("w2", "worker", worker_kind::scoring, 2, "b", 2, 4'000));  // heartbeat
  CHECK(d.tick(5'000).empty());  // w1: exactly at the timeout, still alive
  CHECK(d.leased() == 2);
  REQUIRE(d.seen("w2", "worker", worker_kind::scoring, 2, "b", 2, 5'000));
  CHECK(d.tick(5'001).empty());  // w1 silent for 5001 ms: gone
  CHECK(d.leased() == 0);
  CHECK(d.queued() == 2);
  CHECK(d.stats(5'001)["workers"].size() == 1);
  d.pump(5'001);
  auto again = summary(rec.drain());
  std::sort(again.begin(), again.end());
  CHECK(again == std::vector<std::string>{"1->w2", "2->w2"});
  // The vanished worker holds no lease any more: its result is refused.
  auto gone = d.take({"w1", "worker", message_type::scoring_result}, 1, 5'002);
  CHECK_FALSE(gone.task.has_value());
  CHECK(gone.refused == "result for task 1 from a connection that said no hello");
  CHECK(take(d, "w2", 1, 5'003).has_value());
  CHECK_FALSE(take(d, "w2", 1, 5'004).has_value());  // then a duplicate
}

TEST_CASE("a result is taken only from the lease holder, its principal and of the task's kind",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 0).is_ok());
  REQUIRE(d.seen("w2", "worker", worker_kind::scoring, 1, "b", 2, 0).is_ok());
  REQUIRE(d.seen("n1", "worker", worker_kind::notify, 1, "n", 3, 0).is_ok());
  d.enqueue(scoring(1));
  d.pump(0);
  REQUIRE(summary(rec.drain()) == std::vector<std::string>{"1->w1"});

  auto other = d.take({"w2", "worker", message_type::scoring_result}, 1, 1);
  CHECK(other.refused == "task 1 is not leased to this connection");
  auto notifier = d.take({"n1", "worker", message_type::notify_result}, 1, 1);
  CHECK(notifier.refused == "task 1 is not leased to this connection");
  auto wrong_kind = d.take({"w1", "worker", message_type::notify_result}, 1, 1);
  CHECK(wrong_kind.refused == "task 1 is a scoring_task; a notify_result does not answer it");
  auto wrong_principal = d.take({"w1", "feed", message_type::scoring_result}, 1, 1);
  CHECK(wrong_principal.refused == "result from principal feed on a connection of worker");
  CHECK(d.leased() == 1);  // none of them changed anything
  CHECK(d.stats(1)["deliveries"]["duplicate_results"] == 0);

  auto right = d.take({"w1", "worker", message_type::scoring_result}, 1, 2);
  REQUIRE(right.task.has_value());
  CHECK(right.task->id == 1);
  CHECK(d.take({"w1", "worker", message_type::scoring_result}, 1, 3).duplicate());

  SECTION("a connection keeps the principal and kind it said hello as") {
    auto s = d.seen("w1", "other-worker", worker_kind::scoring, 1, "a", 1, 5);
    CHECK(s.code() == af::status_code::forbidden);
    CHECK(s.message() == "connection said hello as principal worker, not other-worker");
    auto k = d.seen("w1", "worker", worker_kind::notify, 1, "a", 1, 5);
    CHECK(k.message() == "connection said hello as a scoring worker");
    CHECK(d.stats(5)["workers"][1]["principal"] == "worker");
  }
}

TEST_CASE("after max_attempts expired leases tick returns the task as dead",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{1'000, 60'000, 3, 0}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 0));
  d.enqueue(scoring(7));
  std::int64_t t = 0;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    INFO("attempt " << attempt);
    REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, t));
    d.pump(t);
    CHECK(summary(rec.drain()) == std::vector<std::string>{"7->w1"});
    t += 1'000;
    auto dead = d.tick(t);
    if (attempt < 3) {
      CHECK(dead.empty());
      CHECK(d.queued() == 1);
    } else {
      REQUIRE(dead.size() == 1);
      CHECK(dead[0].id == 7);
      CHECK(dead[0].attempts == 3);
      CHECK(dead[0].body == scoring(7).body);
    }
  }
  CHECK(d.queued() == 0);
  CHECK(d.leased() == 0);
  d.pump(t);
  CHECK(rec.frames.empty());
  CHECK_FALSE(take(d, "w1", 7, t).has_value());  // a dead task's late result is refused
}

TEST_CASE("notify tasks only go to notify workers, scoring tasks only to scoring workers",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{}, rec.fn());
  d.enqueue(notify(1));
  d.enqueue(scoring(2));
  REQUIRE(d.seen("scorer", "worker", worker_kind::scoring, 4, "s", 1, 0));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"2->scorer"});
  CHECK(d.queued() == 1);

  REQUIRE(d.seen("notifier", "worker", worker_kind::notify, 4, "n", 2, 0));
  d.enqueue(scoring(3));
  d.pump(0);
  auto out = rec.drain();
  std::sort(out.begin(), out.end(),
            [](const sent& a, const sent& b) { return a.task_id < b.task_id; });
  CHECK(summary(out) == std::vector<std::string>{"1->notifier", "3->scorer"});
  REQUIRE(out.size() == 2);
  CHECK(out[0].type == message_type::notify_task);
  af::msg::envelope e{out[0].type, af::msg::current_version(out[0].type), 1, 0, out[0].body};
  auto n = af::msg::unpack<af::msg::notify_task>(e);
  REQUIRE(n.is_ok());
  CHECK(n->notification_id == "case-1-h1-employee");
  CHECK(af::engine::worker_kind_for(message_type::notify_task) == worker_kind::notify);
  CHECK(af::engine::worker_kind_for(message_type::scoring_task) == worker_kind::scoring);
}

TEST_CASE("restore puts a taken task back at the front of its queue", "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 0));
  d.enqueue(scoring(1));
  d.enqueue(scoring(2));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  auto t = take(d, "w1", 1, 10);
  REQUIRE(t.has_value());
  // Committing its result failed: the task must run again, before task 2.
  d.restore(*t);
  CHECK(d.queued() == 2);
  d.restore(*t);  // restoring twice does not duplicate it
  CHECK(d.queued() == 2);
  d.pump(20);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  auto again = take(d, "w1", 1, 30);
  REQUIRE(again.has_value());
  CHECK(again->attempts == 2);
  d.pump(40);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"2->w1"});
}

TEST_CASE("a worker announcing capacity 0 still gets one task at a time", "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 0, "a", 1, 0));
  d.enqueue(scoring(1));
  d.enqueue(scoring(2));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
}

TEST_CASE("a failed or expired task waits base x 2^(attempts-1), capped, half of it random",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher_config cfg{1'000, 60'000, 10, 1'000, 8'000, 42};
  dispatcher d(cfg, rec.fn());
  for (int attempts = 1; attempts <= 6; ++attempts) {
    std::int64_t full =
        std::min<std::int64_t>(8'000, 1'000LL << (attempts - 1));  // 1, 2, 4, 8, 8, 8 s
    for (int i = 0; i < 200; ++i) {
      auto wait = d.backoff_ms(attempts);
      INFO("attempts " << attempts);
      CHECK(wait >= full / 2);
      CHECK(wait <= full);
    }
  }
  // An expired lease: not offered again before the backoff is over.
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 0));
  d.enqueue(scoring(1));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 1'000));
  CHECK(d.tick(1'000).empty());  // the lease ends: back off 0.5..1 s
  CHECK(d.queued() == 1);
  CHECK(d.stats(1'000)["tasks"]["backing_off"] == 1);
  d.pump(1'000);
  d.tick(1'499);
  d.pump(1'499);
  CHECK(rec.frames.empty());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 2'000));
  d.tick(2'000);
  d.pump(2'000);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  // A retryable failure of the second delivery: 1..2 s.
  auto t = take(d, "w1", 1, 2'100);
  REQUIRE(t.has_value());
  CHECK(t->attempts == 2);
  CHECK_FALSE(d.exhausted(*t));
  d.retry_later(std::move(*t), 2'100);
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 3'000));
  d.tick(3'000);
  d.pump(3'000);
  CHECK(rec.frames.empty());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 4'100));
  d.tick(4'100);
  d.pump(4'100);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
}

TEST_CASE(
    "a task its worker did not attempt waits as long as asked, at most the cap, its attempt "
    "not counted",
    "[engine][dispatcher]") {
  recorder rec;
  dispatcher d(dispatcher_config{60'000, 60'000, 2, 1'000, 8'000, 42}, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 0));
  d.enqueue(scoring(1));
  for (int round = 0; round < 4; ++round) {  // more deferrals than max_attempts allows failures
    std::int64_t at = round * 10'000;
    REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, at));
    d.pump(at);
    CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
    auto t = take(d, "w1", 1, at + 100);
    REQUIRE(t.has_value());
    CHECK(t->attempts == 1);  // every deferral gave its attempt back
    d.defer(std::move(*t), 2'500, at + 100);
    CHECK(d.stats(at + 100)["tasks"]["backing_off"] == 1);
    d.tick(at + 2'599);
    d.pump(at + 2'599);
    CHECK(rec.frames.empty());  // not before the 2.5 s it asked for
    d.tick(at + 2'600);
  }
  // A longer wait than the cap is cut to the cap (8 s).
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 50'000));
  d.pump(50'000);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  auto t = take(d, "w1", 1, 50'000);
  REQUIRE(t.has_value());
  d.defer(std::move(*t), 3'600'000, 50'000);
  d.tick(57'999);
  d.pump(57'999);
  CHECK(rec.frames.empty());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 1, "a", 1, 58'000));
  d.tick(58'000);
  d.pump(58'000);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
}

TEST_CASE("a busy worker's heartbeats keep its leases, up to the cap, a plain heartbeat does not",
          "[engine][dispatcher]") {
  recorder rec;
  dispatcher_config cfg{10'000, 60'000, 5, 1'000, 8'000, 42};
  cfg.busy_lease_cap_ms = 25'000;
  dispatcher d(cfg, rec.fn());
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 0));
  d.enqueue(scoring(1));
  d.pump(0);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  // Busy at 8 s and 16 s: the lease runs to 18 s, then 26 s capped at 25 s.
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 8'000, true));
  CHECK(d.tick(10'000).empty());
  CHECK(d.leased() == 1);
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 16'000, true));
  CHECK(d.tick(24'999).empty());
  CHECK(d.leased() == 1);
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 24'999, true));
  d.tick(25'000);
  CHECK(d.leased() == 0);  // the cap: a worker stuck on it for good loses it
  CHECK(d.queued() == 1);
  // Not busy: a heartbeat only says the worker lives.
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 40'000));
  d.tick(40'000);
  d.pump(40'000);
  CHECK(summary(rec.drain()) == std::vector<std::string>{"1->w1"});
  REQUIRE(d.seen("w1", "worker", worker_kind::scoring, 2, "a", 1, 49'000));
  d.tick(50'000);
  CHECK(d.leased() == 0);
}

TEST_CASE("a libzmq call a signal interrupted is made again, other socket errors stay errors",
          "[engine][sockets]") {
  int calls = 0;
  auto interrupted_twice = [&] {
    if (++calls <= 2) {
      errno = EINTR;  // what libzmq reports when SIGTERM lands in its poll()
      throw zmq::error_t();
    }
    return 7;
  };
  CHECK(af::msg::retry_on_eintr(interrupted_twice) == 7);
  CHECK(calls == 3);
  auto broken = [] {
    errno = ENOTSOCK;
    throw zmq::error_t();
    return 0;
  };
  CHECK_THROWS_AS(af::msg::retry_on_eintr(broken), zmq::error_t);
}
