#include "engine/keyring.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "engine/principals.h"

namespace af::engine {
namespace fs = std::filesystem;

result<msg::key_pair> ensure_keys(const std::string& data_dir, std::vector<std::string>& log) {
  if (!msg::curve_available())
    return status::io_error(
        "this libzmq was built without CURVE (zmq_has(\"curve\") is false); "
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
    bool has_public = fs::exists(base + ".key", ec),
         has_secret = fs::exists(base + ".key_secret", ec);
    if (has_public || has_secret) continue;  // made before (or placed by an operator): kept
    auto pair = msg::make_key_pair();
    if (!pair) return pair.error();
    if (status s = msg::write_certificates(dir, name, *pair); !s) return s;
    log.push_back("made key pair " + base + ".key / .key_secret");
  }
  auto engine = msg::read_certificate(dir + "/engine.key_secret");
  if (!engine) return engine.error();
  if (engine->secret_key.empty())
    return status::invalid(dir + "/engine.key_secret holds no secret-key");
  return engine;
}

void register_default_principals(store& db, const std::string& data_dir, const std::string& at,
                                 std::vector<std::string>& log) {
  for (const auto& d : default_principals) {
    if (db.find_principal(d.name)) continue;
    std::string file = data_dir + "/keys/" + d.name + ".key";
    auto key = msg::read_certificate(file);
    if (!key) {
      log.push_back("principal " + std::string(d.name) +
                    " not registered: " + key.error().message());
      continue;
    }
    if (auto holder = db.principal_of_key(key->public_key)) {
      log.push_back("principal " + std::string(d.name) + " not registered: its key in " + file +
                    " belongs to principal " + *holder);
      continue;
    }
    db.insert_principal(
        {d.name, "service", "", d.capabilities, key->public_key, at, "engine", std::nullopt});
    log.push_back("registered principal " + std::string(d.name) + " (" + d.capabilities +
                  ") with " + file);
  }
}

int tighten_permissions(const std::string& data_dir) {
  int changed = 0;
  // Through a descriptor opened without following links, so a link put in
  // place of a file is never followed to what it points at. Files keep
  // their owner bits (0600 for everything the engine writes), and lose
  // every group and other bit.
  auto fix = [&](const fs::path& p, bool dir) {
    int fd =
        ::open(p.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | (dir ? O_DIRECTORY : 0));
    if (fd < 0) return;
    struct stat st {};
    if (::fstat(fd, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode))) {
      mode_t want = dir ? 0700 : (st.st_mode & 0700);
      if ((st.st_mode & 07777) != want && ::fchmod(fd, want) == 0) ++changed;
    }
    ::close(fd);
  };
  fix(data_dir, true);
  std::error_code ec;
  fs::recursive_directory_iterator it(data_dir, fs::directory_options::skip_permission_denied, ec),
      end;
  while (!ec && it != end) {
    std::error_code
        gone;  // a file removed meanwhile (a worker replaced it): skipped, the walk goes on
    auto type = it->symlink_status(gone).type();
    if (type == fs::file_type::directory)
      fix(it->path(), true);
    else if (type == fs::file_type::regular)
      fix(it->path(), false);
    it.increment(ec);
  }
  return changed;
}

}  // namespace af::engine
