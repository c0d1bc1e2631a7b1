// fault_vfs.cpp: a SQLite VFS shim that fails writes and syncs on purpose,
// loaded only by test runs (`assess-engine --fault-vfs libassess_fault_vfs.so`),
// the way SQLite's own test VFSes inject faults. It wraps the default VFS
// and registers itself as the default, so every connection of the process
// (the engine's and its checkpointer's) goes through it; the engine's
// syncer calls assess_fault_fdatasync() instead of fdatasync(2), so the WAL
// sync fails here too.
//
// ASSESS_FAULT chooses the fault (unset: none, every call passes through):
//   write:N        the Nth write to a database or WAL file fails (SQLITE_IOERR_WRITE)
//   sync:N         the Nth sync (SQLite's or the syncer's) fails (EIO)
//   commit-sync:N  the Nth WAL sync of the engine's syncer (a group commit's)
//                  fails (EIO); the checkpointer's syncs, whose timing no
//                  test controls, are not counted
//   full-while:P   every write fails with SQLITE_FULL (ENOSPC) while file P exists
//   power-loss     writes to database and WAL files stay in this process's
//                  memory until that file is synced: a SIGKILL then loses
//                  exactly what a power cut would (everything after the last
//                  successful sync); reads, sizes and truncation see them
// Counts start at 1 and cover every connection of the process.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

enum class fault { none, write, sync, commit_sync, full_while, power_loss };
fault kind = fault::none;
long long nth = 0;
std::string full_flag;
std::atomic<long long> writes{0}, syncs{0};

// power-loss: what was written to one file since its last sync, shared by
// every connection that opens the path. Whole 4 KiB blocks, read from the
// file the first time one is written.
constexpr sqlite3_int64 block = 4096;
struct pending_writes {
  std::mutex mu;
  bool sized = false;
  sqlite3_int64 size = 0;                             // the file's size as SQLite sees it
  std::map<sqlite3_int64, std::vector<char>> blocks;  // block number -> its bytes
};
std::mutex overlays_mu;
std::map<std::string, std::shared_ptr<pending_writes>> overlays;

std::shared_ptr<pending_writes> overlay_of(const std::string& path) {
  std::lock_guard<std::mutex> lock(overlays_mu);
  auto& o = overlays[path];
  if (!o) o = std::make_shared<pending_writes>();
  return o;
}

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim;

struct shim_file {
  sqlite3_file base;
  sqlite3_file* real;       // follows this struct in the same allocation
  bool counted;             // a main database or WAL file
  pending_writes* pending;  // power-loss mode: its unsynced writes (owned by overlays)
};
sqlite3_io_methods shim_methods;

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<shim_file*>(f)->real; }

pending_writes* pending_of(sqlite3_file* f) { return reinterpret_cast<shim_file*>(f)->pending; }

// Callers hold p.mu.
void ensure_sized(pending_writes& p, sqlite3_file* real) {
  if (p.sized) return;
  sqlite3_int64 n = 0;
  real->pMethods->xFileSize(real, &n);
  p.size = n;
  p.sized = true;
}
std::vector<char>& block_of(pending_writes& p, sqlite3_file* real, sqlite3_int64 b) {
  auto it = p.blocks.find(b);
  if (it != p.blocks.end()) return it->second;
  std::vector<char> bytes(block, 0);
  if (b * block < p.size)
    real->pMethods->xRead(real, bytes.data(), static_cast<int>(block),
                          b * block);  // short: zero-filled
  return p.blocks.emplace(b, std::move(bytes)).first->second;
}
int overlay_write(pending_writes& p, sqlite3_file* real, const char* data, int n,
                  sqlite3_int64 off) {
  std::lock_guard<std::mutex> lock(p.mu);
  ensure_sized(p, real);
  for (sqlite3_int64 done = 0; done < n;) {
    sqlite3_int64 at = off + done, b = at / block, in = at % block;
    sqlite3_int64 take = std::min<sqlite3_int64>(block - in, n - done);
    std::memcpy(block_of(p, real, b).data() + in, data + done, static_cast<std::size_t>(take));
    done += take;
  }
  p.size = std::max(p.size, off + n);
  return SQLITE_OK;
}
int overlay_read(pending_writes& p, sqlite3_file* real, char* out, int n, sqlite3_int64 off) {
  std::lock_guard<std::mutex> lock(p.mu);
  ensure_sized(p, real);
  sqlite3_int64 have = std::clamp<sqlite3_int64>(p.size - off, 0, n);
  for (sqlite3_int64 done = 0; done < have;) {
    sqlite3_int64 at = off + done, b = at / block, in = at % block;
    sqlite3_int64 take = std::min<sqlite3_int64>(block - in, have - done);
    auto it = p.blocks.find(b);
    if (it != p.blocks.end()) {
      std::memcpy(out + done, it->second.data() + in, static_cast<std::size_t>(take));
    } else {
      int rc = real->pMethods->xRead(real, out + done, static_cast<int>(take), at);
      if (rc != SQLITE_OK && rc != SQLITE_IOERR_SHORT_READ) return rc;
    }
    done += take;
  }
  if (have < n) {
    std::memset(out + have, 0, static_cast<std::size_t>(n - have));
    return SQLITE_IOERR_SHORT_READ;
  }
  return SQLITE_OK;
}
// Writes what is pending to the file itself (the caller syncs it next).
int overlay_flush(pending_writes& p, sqlite3_file* real) {
  std::lock_guard<std::mutex> lock(p.mu);
  if (!p.sized) return SQLITE_OK;
  for (const auto& [b, bytes] : p.blocks) {
    sqlite3_int64 at = b * block;
    if (at >= p.size) continue;
    int n = static_cast<int>(std::min<sqlite3_int64>(block, p.size - at));
    if (int rc = real->pMethods->xWrite(real, bytes.data(), n, at); rc != SQLITE_OK) return rc;
  }
  sqlite3_int64 real_size = 0;
  real->pMethods->xFileSize(real, &real_size);
  if (real_size > p.size) real->pMethods->xTruncate(real, p.size);
  p.blocks.clear();
  p.sized = false;
  return SQLITE_OK;
}

// The same for the engine's syncer, which holds only a descriptor of the WAL.
bool flush_to_fd(pending_writes& p, int fd) {
  std::lock_guard<std::mutex> lock(p.mu);
  if (!p.sized) return true;
  int wfd = ::open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_WRONLY | O_CLOEXEC);
  if (wfd < 0) return false;
  bool ok = true;
  for (const auto& [b, bytes] : p.blocks) {
    sqlite3_int64 at = b * block;
    if (at >= p.size) continue;
    auto n = static_cast<std::size_t>(std::min<sqlite3_int64>(block, p.size - at));
    if (::pwrite(wfd, bytes.data(), n, at) != static_cast<ssize_t>(n)) ok = false;
  }
  struct stat st {};
  if (ok && ::fstat(wfd, &st) == 0 && st.st_size > p.size && ::ftruncate(wfd, p.size) != 0)
    ok = false;
  ::close(wfd);
  if (ok) {
    p.blocks.clear();
    p.sized = false;
  }
  return ok;
}

bool disk_full() { return kind == fault::full_while && ::access(full_flag.c_str(), F_OK) == 0; }

int shim_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  if (reinterpret_cast<shim_file*>(f)->counted) {
    long long k = ++writes;
    if (kind == fault::write && k == nth) return SQLITE_IOERR_WRITE;
    if (disk_full()) return SQLITE_FULL;
  }
  if (pending_writes* w = pending_of(f))
    return overlay_write(*w, real_of(f), static_cast<const char*>(p), n, off);
  return real_of(f)->pMethods->xWrite(real_of(f), p, n, off);
}
int shim_sync(sqlite3_file* f, int flags) {
  if (reinterpret_cast<shim_file*>(f)->counted && kind == fault::sync && ++syncs == nth)
    return SQLITE_IOERR_FSYNC;
  if (pending_writes* w = pending_of(f))
    if (int rc = overlay_flush(*w, real_of(f)); rc != SQLITE_OK) return rc;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int shim_close(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
  f->pMethods = nullptr;
  return rc;
}
int shim_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) {
  if (pending_writes* w = pending_of(f))
    return overlay_read(*w, real_of(f), static_cast<char*>(p), n, off);
  return real_of(f)->pMethods->xRead(real_of(f), p, n, off);
}
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (pending_writes* w = pending_of(f)) {  // applied to the file at its next sync
    std::lock_guard<std::mutex> lock(w->mu);
    ensure_sized(*w, real_of(f));
    w->size = size;
    for (auto it = w->blocks.lower_bound((size + block - 1) / block); it != w->blocks.end();)
      it = w->blocks.erase(it);
    if (size % block)
      if (auto it = w->blocks.find(size / block); it != w->blocks.end())
        std::fill(it->second.begin() + size % block, it->second.end(), 0);
    return SQLITE_OK;
  }
  return real_of(f)->pMethods->xTruncate(real_of(f), size);
}
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) {
  if (pending_writes* w = pending_of(f)) {
    std::lock_guard<std::mutex> lock(w->mu);
    ensure_sized(*w, real_of(f));
    *size = w->size;
    return SQLITE_OK;
  }
  return real_of(f)->pMethods->xFileSize(real_of(f), size);
}
int shim_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int shim_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int shim_check_lock(sqlite3_file* f, int* out) {
  return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
int shim_control(sqlite3_file* f, int op, void* arg) {
  return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
int shim_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int shim_caps(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int shim_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, p);
}
int shim_shm_lock(sqlite3_file* f, int off, int n, int flags) {
  return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags);
}
void shim_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int shim_shm_unmap(sqlite3_file* f, int del) {
  return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}
int shim_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) {
  if (pending_of(f)) {  // no memory map: it would show the file without its pending writes
    *p = nullptr;
    return SQLITE_OK;
  }
  return real_of(f)->pMethods->xFetch(real_of(f), off, n, p);
}
int shim_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  return real_of(f)->pMethods->xUnfetch(real_of(f), off, p);
}

int shim_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* s = reinterpret_cast<shim_file*>(f);
  s->real = reinterpret_cast<sqlite3_file*>(s + 1);
  s->counted = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0;
  s->pending = kind == fault::power_loss && s->counted && name ? overlay_of(name).get() : nullptr;
  int rc = real_vfs->xOpen(real_vfs, name, s->real, flags, out_flags);
  if (rc != SQLITE_OK || !s->real->pMethods) {
    f->pMethods = nullptr;
    return rc;
  }
  if (shim_methods.iVersion == 0) {  // the first file tells which methods the real VFS has
    shim_methods = *s->real->pMethods;
    shim_methods.xClose = shim_close;
    shim_methods.xRead = shim_read;
    shim_methods.xWrite = shim_write;
    shim_methods.xTruncate = shim_truncate;
    shim_methods.xSync = shim_sync;
    shim_methods.xFileSize = shim_file_size;
    shim_methods.xLock = shim_lock;
    shim_methods.xUnlock = shim_unlock;
    shim_methods.xCheckReservedLock = shim_check_lock;
    shim_methods.xFileControl = shim_control;
    shim_methods.xSectorSize = shim_sector;
    shim_methods.xDeviceCharacteristics = shim_caps;
    if (shim_methods.iVersion >= 2) {
      shim_methods.xShmMap = shim_shm_map;
      shim_methods.xShmLock = shim_shm_lock;
      shim_methods.xShmBarrier = shim_shm_barrier;
      shim_methods.xShmUnmap = shim_shm_unmap;
    }
    if (shim_methods.iVersion >= 3) {
      shim_methods.xFetch = shim_fetch;
      shim_methods.xUnfetch = shim_unfetch;
    }
  }
  f->pMethods = &shim_methods;
  return SQLITE_OK;
}

int shim_delete(sqlite3_vfs*, const char* name, int sync_dir) {
  {  // a deleted file's pending writes go with it (a WAL is deleted at the last close)
    std::lock_guard<std::mutex> lock(overlays_mu);
    overlays.erase(name);
  }
  return real_vfs->xDelete(real_vfs, name, sync_dir);
}

}  // namespace

extern "C" {

// Registers the shim as the default VFS; reads ASSESS_FAULT. 0 on success.
int assess_fault_install() {
  if (real_vfs) return 0;
  real_vfs = sqlite3_vfs_find(nullptr);
  if (!real_vfs) return 1;
  if (const char* spec = std::getenv("ASSESS_FAULT")) {
    std::string s = spec;
    auto colon = s.find(':');
    std::string what = s.substr(0, colon),
                arg = colon == std::string::npos ? "" : s.substr(colon + 1);
    if (what == "write")
      kind = fault::write;
    else if (what == "sync")
      kind = fault::sync;
    else if (what == "commit-sync")
      kind = fault::commit_sync;
    else if (what == "full-while")
      kind = fault::full_while;
    else if (what == "power-loss")
      kind = fault::power_loss;
    else
      return 2;
    if (kind == fault::full_while)
      full_flag = arg;
    else if (kind != fault::power_loss)
      nth = std::atoll(arg.c_str());
    if ((kind == fault::write || kind == fault::sync || kind == fault::commit_sync) && nth <= 0)
      return 2;
  }
  shim = *real_vfs;
  shim.zName = "assess_fault";
  shim.szOsFile = static_cast<int>(sizeof(shim_file)) + real_vfs->szOsFile;
  shim.xOpen = shim_open;
  shim.xDelete = shim_delete;
  shim.pNext = nullptr;
  return sqlite3_vfs_register(&shim, 1) == SQLITE_OK ? 0 : 1;
}

// The engine's WAL sync, with the same counting as SQLite's syncs; in
// power-loss mode it first writes the file's pending writes.
int assess_fault_fdatasync(int fd) {
  if ((kind == fault::sync || kind == fault::commit_sync) && ++syncs == nth) {
    errno = EIO;
    return -1;
  }
  if (kind == fault::power_loss) {
    char path[PATH_MAX];
    ssize_t n = ::readlink(("/proc/self/fd/" + std::to_string(fd)).c_str(), path, sizeof path - 1);
    if (n <= 0) return -1;
    std::shared_ptr<pending_writes> w;
    {
      std::lock_guard<std::mutex> lock(overlays_mu);
      auto it = overlays.find(std::string(path, static_cast<std::size_t>(n)));
      if (it != overlays.end()) w = it->second;
    }
    if (w && !flush_to_fd(*w, fd)) return -1;
  }
  return ::fdatasync(fd);
}

}  // extern "C"
