// assess-worker-notify: delivers notifications exactly once into
// DATA/notifications/<recipient>.jsonl (or --outbox DIR). The tasks that
// arrive together are written, made durable with one sync, and only then
// acknowledged.
#include <fmt/core.h>

#include <chrono>

#include "base/civil_time.h"
#include "workers/common/worker_loop.h"
#include "workers/notify/notify_sink.h"

int main(int argc, char** argv) {
  using namespace af;
  CLI::App app{
      "assess-worker-notify: writes each notification once to a per-recipient JSON-lines outbox"};
  worker::worker_options o;
  worker::add_worker_options(app, o);
  std::string outbox, tz = "Asia/Shanghai";
  app.add_option("--outbox", outbox, "Directory of the per-recipient files [DATA/notifications]");
  app.add_option("--tz", tz, "Zone of the delivered_at stamps")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  auto offset = parse_utc_offset(tz);
  if (!offset) {
    fmt::print(stderr,
               "assess-worker-notify: --tz: \"{}\" is not Asia/Shanghai or an offset like +08:00\n",
               tz);
    return 2;
  }
  if (outbox.empty()) {
    if (o.data_dir.empty()) {
      fmt::print(stderr, "assess-worker-notify: give --outbox DIR or --data DIR\n");
      return 2;
    }
    outbox = o.data_dir + "/notifications";
  }
  worker::notify_sink sink(outbox);
  worker::batch_handler handle = [&](const std::vector<msg::envelope>& tasks) {
    auto now = std::chrono::duration_cast<std::chrono::seconds>(
        std::chrono::system_clock::now().time_since_epoch());
    std::string at = format_instant(now.count(), *offset);
    std::vector<msg::notify_result> results(tasks.size());
    for (std::size_t i = 0; i < tasks.size(); ++i) {
      auto task = msg::unpack<msg::notify_task>(tasks[i]);
      if (!task) {
        results[i].error = task.error().message();
        continue;
      }
      results[i].notification_id = task->notification_id;
      if (task->channel !=
          "file") {  // permanent: the task is dead, visible in `tasks --state dead`
        results[i].error = "channel " + task->channel +
                           ": not supported by this notify worker (it delivers to the file "
                           "channel only)";
        continue;
      }
      auto written = sink.deliver(
          {task->notification_id, task->recipient_id, task->kind, task->case_id, task->body_json},
          at, false);
      if (!written) {  // the outbox could not be written: it may be writable later
        results[i].error = written.error().message();
        results[i].retryable = true;
        continue;
      }
      results[i].ok = true;
      results[i].already_delivered = !*written;
    }
    if (status s = sink.sync(); !s)  // nothing is acknowledged that is not durable
      for (auto& r : results)
        r = {r.notification_id, false, false, s.message(), r.body_version, true};
    std::vector<msg::envelope> out;
    for (const auto& r : results) out.push_back(msg::pack(r));
    return out;
  };
  return worker::run_worker(o, msg::worker_kind::notify, handle);
}
