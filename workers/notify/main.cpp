// assess-worker-notify: delivers each notification task on its channel
// (workers/notify/notifier.h): the file channel into
// DATA/notifications/<recipient>.jsonl (or --outbox DIR), e-mail over SMTP
// with --smtp-url, and the WeCom and DingTalk group robots of --webhooks.
#include <curl/curl.h>
#include <fmt/core.h>
#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "base/civil_time.h"
#include "workers/common/worker_loop.h"
#include "workers/notify/notifier.h"

#ifndef ASSESSFLOW_SCHEMAS_DIR
#define ASSESSFLOW_SCHEMAS_DIR "schemas"
#endif

namespace {

// The first line of a file only its owner may read (it holds a password).
af::result<std::string> read_secret(const std::string& path, const std::string& option) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return af::status::not_found(option + ": " + path + ": no such file");
  if (st.st_mode & 077)
    return af::status::invalid(option + ": " + path + ": readable by others (chmod 600 " + path +
                               "); it holds a password");
  std::ifstream in(path);
  std::string line;
  if (!in || !std::getline(in, line)) return af::status::invalid(option + ": " + path + ": empty");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  if (line.empty()) return af::status::invalid(option + ": " + path + ": empty");
  return line;
}

std::int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace af;
  CLI::App app{
      "assess-worker-notify: delivers each notification once: to a per-recipient JSON-lines "
      "outbox, by e-mail (SMTP) and to the group robots of business units"};
  worker::worker_options o;
  worker::add_worker_options(app, o);
  std::string outbox, tz = "Asia/Shanghai",
                      templates = std::string(ASSESSFLOW_SCHEMAS_DIR) + "/templates", lang = "zh",
                      password_file, webhooks;
  worker::smtp_config smtp;
  app.add_option("--outbox", outbox, "Directory of the per-recipient files [DATA/notifications]");
  app.add_option("--tz", tz, "The company's zone: stamps and e-mail dates")->capture_default_str();
  app.add_option("--templates", templates,
                 "Directory of the notification templates (LANG/KIND.json)")
      ->capture_default_str();
  app.add_option("--lang", lang, "Language of the texts")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  app.add_option("--smtp-url", smtp.url,
                 "E-mail by SMTP: smtp://HOST:PORT (STARTTLS when offered) or smtps://HOST:PORT");
  app.add_option("--smtp-from", smtp.from, "The sender address of the e-mails");
  app.add_option("--smtp-user", smtp.user, "SMTP login (then TLS is required)");
  app.add_option("--smtp-password-file", password_file,
                 "File (mode 600) whose first line is the SMTP password");
  app.add_option("--smtp-ca-file", smtp.ca_file, "PEM certificates to verify the SMTP server with");
  app.add_option("--webhooks", webhooks,
                 "JSON file (mode 600) of the group robots by business unit: "
                 "{\"UNIT\": {\"wecom\": URL} | {\"dingtalk\": URL, \"secret\": S}}");
  CLI11_PARSE(app, argc, argv);
  auto fail = [](const std::string& why) {
    fmt::print(stderr, "assess-worker-notify: {}\n", why);
    return 2;
  };
  auto offset = parse_utc_offset(tz);
  if (!offset) return fail("--tz: \"" + tz + "\" is not Asia/Shanghai or an offset like +08:00");
  if (outbox.empty()) {
    if (o.data_dir.empty()) return fail("give --outbox DIR or --data DIR");
    outbox = o.data_dir + "/notifications";
  }
  worker::notifier_config cfg;
  cfg.outbox = outbox;
  cfg.tz_offset_minutes = *offset;
  if (!password_file.empty()) {
    auto password = read_secret(password_file, "--smtp-password-file");
    if (!password) return fail(password.error().message());
    smtp.password = *password;
  }
  if (smtp.url.empty() && (!smtp.from.empty() || !smtp.user.empty() || !password_file.empty()))
    return fail("--smtp-from, --smtp-user and --smtp-password-file need --smtp-url");
  if (!smtp.url.empty()) cfg.smtp = smtp;
  if (!webhooks.empty()) {
    auto robots = worker::load_webhooks(webhooks);
    if (!robots) return fail("--webhooks: " + robots.error().message());
    cfg.robots = std::move(robots).value();
  }
  if (cfg.smtp || !cfg.robots.empty()) {
    auto set = notice::template_set::load(templates, lang);
    if (!set) return fail("--templates: " + set.error().message());
    cfg.templates = std::move(set).value();
  }
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) return fail("libcurl could not start");
  auto made = worker::notifier::make(std::move(cfg));
  if (!made) return fail(made.error().message());
  auto& notifier = **made;
  if (!smtp.url.empty())
    fmt::print(stderr, "assess-worker-notify: e-mail through {} as {}\n", smtp.url, smtp.from);
  worker::batch_handler handle = [&](const std::vector<msg::envelope>& tasks) {
    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] {
      return static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::steady_clock::now() - started)
                                           .count());
    };
    std::vector<msg::envelope> out;
    for (const auto& r : notifier.handle(tasks, unix_ms(), elapsed)) out.push_back(msg::pack(r));
    return out;
  };
  int rc = worker::run_worker(o, msg::worker_kind::notify, handle);
  curl_global_cleanup();
  return rc;
}
