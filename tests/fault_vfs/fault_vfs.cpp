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
//   full-while:P   every write fails with SQLITE_FULL (ENOSPC) while file P exists
// Counts start at 1 and cover every connection of the process.
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

enum class fault { none, write, sync, full_while };
fault kind = fault::none;
long long nth = 0;
std::string full_flag;
std::atomic<long long> writes{0}, syncs{0};

sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim;

struct shim_file {
  sqlite3_file base;
  sqlite3_file* real;  // follows this struct in the same allocation
  bool counted;        // a main database or WAL file
};
sqlite3_io_methods shim_methods;

sqlite3_file* real_of(sqlite3_file* f) { return reinterpret_cast<shim_file*>(f)->real; }

bool disk_full() { return kind == fault::full_while && ::access(full_flag.c_str(), F_OK) == 0; }

int shim_write(sqlite3_file* f, const void* p, int n, sqlite3_int64 off) {
  if (reinterpret_cast<shim_file*>(f)->counted) {
    long long k = ++writes;
    if (kind == fault::write && k == nth) return SQLITE_IOERR_WRITE;
    if (disk_full()) return SQLITE_FULL;
  }
  return real_of(f)->pMethods->xWrite(real_of(f), p, n, off);
}
int shim_sync(sqlite3_file* f, int flags) {
  if (reinterpret_cast<shim_file*>(f)->counted && kind == fault::sync && ++syncs == nth) return SQLITE_IOERR_FSYNC;
  return real_of(f)->pMethods->xSync(real_of(f), flags);
}
int shim_close(sqlite3_file* f) {
  sqlite3_file* r = real_of(f);
  int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
  f->pMethods = nullptr;
  return rc;
}
int shim_read(sqlite3_file* f, void* p, int n, sqlite3_int64 off) { return real_of(f)->pMethods->xRead(real_of(f), p, n, off); }
int shim_truncate(sqlite3_file* f, sqlite3_int64 size) { return real_of(f)->pMethods->xTruncate(real_of(f), size); }
int shim_file_size(sqlite3_file* f, sqlite3_int64* size) { return real_of(f)->pMethods->xFileSize(real_of(f), size); }
int shim_lock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xLock(real_of(f), l); }
int shim_unlock(sqlite3_file* f, int l) { return real_of(f)->pMethods->xUnlock(real_of(f), l); }
int shim_check_lock(sqlite3_file* f, int* out) { return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out); }
int shim_control(sqlite3_file* f, int op, void* arg) { return real_of(f)->pMethods->xFileControl(real_of(f), op, arg); }
int shim_sector(sqlite3_file* f) { return real_of(f)->pMethods->xSectorSize(real_of(f)); }
int shim_caps(sqlite3_file* f) { return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f)); }
int shim_shm_map(sqlite3_file* f, int pg, int sz, int extend, void volatile** p) {
  return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, extend, p);
}
int shim_shm_lock(sqlite3_file* f, int off, int n, int flags) { return real_of(f)->pMethods->xShmLock(real_of(f), off, n, flags); }
void shim_shm_barrier(sqlite3_file* f) { real_of(f)->pMethods->xShmBarrier(real_of(f)); }
int shim_shm_unmap(sqlite3_file* f, int del) { return real_of(f)->pMethods->xShmUnmap(real_of(f), del); }
int shim_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** p) { return real_of(f)->pMethods->xFetch(real_of(f), off, n, p); }
int shim_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return real_of(f)->pMethods->xUnfetch(real_of(f), off, p); }

int shim_open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  auto* s = reinterpret_cast<shim_file*>(f);
  s->real = reinterpret_cast<sqlite3_file*>(s + 1);
  s->counted = (flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_WAL)) != 0;
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
    std::string what = s.substr(0, colon), arg = colon == std::string::npos ? "" : s.substr(colon + 1);
    if (what == "write") kind = fault::write;
    else if (what == "sync") kind = fault::sync;
    else if (what == "full-while") kind = fault::full_while;
    else return 2;
    if (kind == fault::full_while) full_flag = arg;
    else nth = std::atoll(arg.c_str());
    if (kind != fault::full_while && nth <= 0) return 2;
  }
  shim = *real_vfs;
  shim.zName = "assess_fault";
  shim.szOsFile = static_cast<int>(sizeof(shim_file)) + real_vfs->szOsFile;
  shim.xOpen = shim_open;
  shim.pNext = nullptr;
  return sqlite3_vfs_register(&shim, 1) == SQLITE_OK ? 0 : 1;
}

// The engine's WAL sync, with the same counting as SQLite's syncs.
int assess_fault_fdatasync(int fd) {
  if (kind == fault::sync && ++syncs == nth) {
    errno = EIO;
    return -1;
  }
  return ::fdatasync(fd);
}

}  // extern "C"
