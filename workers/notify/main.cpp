// assess-worker-notify: delivers notifications exactly once into
// DATA/notifications/<recipient>.jsonl (or --outbox DIR).
#include <chrono>
#include <fmt/core.h>

#include "workers/common/worker_loop.h"
#include "workers/domain/civil_time.h"
#include "workers/notify/notify_sink.h"

int main(int argc, char** argv) {
  using namespace af;
  CLI::App app{"assess-worker-notify: writes each notification once to a per-recipient JSON-lines outbox"};
  worker::worker_options o;
  worker::add_worker_options(app, o);
  std::string outbox;
  app.add_option("--outbox", outbox, "Directory of the per-recipient files [DATA/notifications]");
  CLI11_PARSE(app, argc, argv);
  if (outbox.empty()) {
    if (o.data_dir.empty()) {
      fmt::print(stderr, "assess-worker-notify: give --outbox DIR or --data DIR\n");
      return 2;
    }
    outbox = o.data_dir + "/notifications";
  }
  worker::notify_sink sink(outbox);
  return worker::run_worker(o, msg::worker_kind::notify, [&](const msg::envelope& e) {
    msg::notify_result r;
    auto task = msg::unpack<msg::notify_task>(e);
    if (!task) {
      r.error = task.error().message();
      return msg::pack(r);
    }
    r.notification_id = task->notification_id;
    auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch());
    auto written = sink.deliver({task->notification_id, task->recipient_id, task->kind, task->case_id, task->body_json},
                                format_instant(now.count(), 8 * 60));
    if (!written) {
      r.error = written.error().message();
      return msg::pack(r);
    }
    r.ok = true;
    r.already_delivered = !*written;
    return msg::pack(r);
  });
}
