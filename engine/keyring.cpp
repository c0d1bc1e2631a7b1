#include "engine/keyring.h"

#include <sys/stat.h>

#include <filesystem>

#include "engine/principals.h"

namespace af::engine {
namespace fs = std::filesystem;

result<msg::key_pair> ensure_keys(const std::string& data_dir, std::vector<std::string>& log) {
  if (!msg::curve_available())
    return status::io_error("this libzmq was built without CURVE (zmq_has(\"curve\") is false); "
                            "install Debian's libzmq5, which has it");
  std::string dir = data_dir + "/keys";
  std::error_code ec;
  if (!fs::exists(dir, ec)) {
    fs::create_directories(dir, ec);
    if (ec) return status::io_error("cannot create " + dir + ": " + ec.message());
    log.push_back("made " + dir + "/");
  }
  ::chmod(dir.c_str(), 0700);
  std::vector<std::string> names{"engine"};
  for (const auto& d : default_principals) names.emplace_back(d.name);
  for (const auto& name : names) {
    std::string base = dir + "/" + name;
    bool has_public = fs::exists(base + ".key", ec), has_secret = fs::exists(base + ".key_secret", ec);
    if (has_public || has_secret) continue;  // made before (or placed by an operator): kept
    auto pair = msg::make_key_pair();
    if (!pair) return pair.error();
    if (status s = msg::write_certificates(dir, name, *pair); !s) return s;
    log.push_back("made key pair " + base + ".key / .key_secret");
  }
  auto engine = msg::read_certificate(dir + "/engine.key_secret");
  if (!engine) return engine.error();
  if (engine->secret_key.empty()) return status::invalid(dir + "/engine.key_secret holds no secret-key");
  return engine;
}

status register_default_principals(store& db, const std::string& data_dir, const std::string& at,
                                   std::vector<std::string>& log) {
  for (const auto& d : default_principals) {
    if (db.find_principal(d.name)) continue;
    std::string file = data_dir + "/keys/" + d.name + ".key";
    auto key = msg::read_certificate(file);
    if (!key) {
      log.push_back("principal " + std::string(d.name) + " not registered: " + key.error().message());
      continue;
    }
    if (auto holder = db.principal_of_key(key->public_key)) {
      log.push_back("principal " + std::string(d.name) + " not registered: its key in " + file +
                    " belongs to principal " + *holder);
      continue;
    }
    db.insert_principal({d.name, "service", "", d.capabilities, key->public_key, at, "engine", std::nullopt});
    log.push_back("registered principal " + std::string(d.name) + " (" + d.capabilities + ") with " + file);
  }
  return status::ok();
}

int tighten_permissions(const std::string& data_dir) {
  int changed = 0;
  auto fix = [&](const fs::path& p, mode_t want) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0) return;
    if ((st.st_mode & 07777) == want) return;
    if (::chmod(p.c_str(), want) == 0) ++changed;
  };
  fix(data_dir, 0700);
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(data_dir, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    auto type = it->symlink_status(ec).type();
    if (type == fs::file_type::directory) fix(it->path(), 0700);
    else if (type == fs::file_type::regular) fix(it->path(), 0600);
  }
  return changed;
}

}  // namespace af::engine
