#include "metrics/kernel_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics/text_scan.h"

namespace metrics {

// A seq_file that prints one record per line (net/dev, diskstats, mounts)
// fills at most one page of records per read, so a short read does not mean
// the end: those are read until pread returns 0. Everything else (sysfs
// attributes, single-record proc files, regular files) returns the whole
// content at once, and a short read saves the second call.
static bool short_read_is_eof(std::string_view rel) {
  if (has_prefix(rel, "proc/net/") || rel == "proc/diskstats") return false;
  if (has_suffix(rel, "/mounts") || has_suffix(rel, "/mountinfo")) return false;
  if (has_suffix(rel, "/maps") || has_suffix(rel, "/smaps")) return false;
  return true;
}

KernelFiles::KernelFiles(std::string_view root, size_t max_kept_fds)
    : root_(root), max_kept_fds_(max_kept_fds) {
  if (root_.empty()) root_ = "/";
  if (root_.back() != '/') root_ += '/';
}

KernelFiles::~KernelFiles() {
  for (auto& entry : kept_) close(entry.second.fd);
}

std::string KernelFiles::path(std::string_view rel) const {
  while (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
  std::string p = root_;
  p += rel;
  return p;
}

bool KernelFiles::open_kept(std::string_view rel, Kept* kept) {
  syscalls_++;
  int fd = open(path(rel).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  kept->fd = fd;
  kept->short_read_is_eof = short_read_is_eof(rel);
  return true;
}

bool KernelFiles::pread_all(const Kept& kept, std::string* out,
                            size_t max_bytes) {
  size_t want = out->capacity() < 4096 ? 4096 : out->capacity();
  if (want > max_bytes) want = max_bytes;
  out->resize(want);
  size_t got = 0;
  for (;;) {
    syscalls_++;
    ssize_t n = pread(kept.fd, &(*out)[got], out->size() - got,
                      static_cast<off_t>(got));
    if (n < 0) {
      if (errno == EINTR) continue;
      out->clear();
      return false;
    }
    got += static_cast<size_t>(n);
    if (n == 0) break;
    if (got < out->size()) {
      if (kept.short_read_is_eof) break;
      continue;
    }
    if (out->size() >= max_bytes) break;  // truncated at the cap
    size_t grown = out->size() * 2;
    out->resize(grown > max_bytes ? max_bytes : grown);
  }
  out->resize(got);
  return true;
}

bool KernelFiles::read_kept(std::string_view rel, std::string* out) {
  auto it = kept_.find(rel);
  if (it == kept_.end()) {
    if (kept_.size() >= max_kept_fds_) return read_once(rel, out, kMaxKeptBytes);
    Kept kept;
    if (!open_kept(rel, &kept)) {
      out->clear();
      return false;
    }
    it = kept_.emplace(std::string(rel), kept).first;
  }
  if (pread_all(it->second, out, kMaxKeptBytes)) return true;
  // The file went away under the descriptor (hot-unplugged device,
  // renamed interface): reopen once by path.
  syscalls_++;
  close(it->second.fd);
  if (open_kept(rel, &it->second)) {
    if (pread_all(it->second, out, kMaxKeptBytes)) return true;
    syscalls_++;
    close(it->second.fd);
  }
  kept_.erase(it);
  return false;
}

bool KernelFiles::read_once(std::string_view rel, std::string* out,
                            size_t max_bytes) {
  Kept once;
  if (!open_kept(rel, &once)) {
    out->clear();
    return false;
  }
  bool ok = pread_all(once, out, max_bytes);
  syscalls_++;
  close(once.fd);
  return ok;
}

void KernelFiles::forget(std::string_view prefix) {
  for (auto it = kept_.begin(); it != kept_.end();) {
    if (has_prefix(it->first, prefix)) {
      syscalls_++;
      close(it->second.fd);
      it = kept_.erase(it);
    } else {
      ++it;
    }
  }
}

bool KernelFiles::list_dir(std::string_view rel, std::vector<std::string>* names) {
  names->clear();
  syscalls_++;
  DIR* dir = opendir(path(rel).c_str());
  if (!dir) return false;
  size_t entries = 0;
  while (struct dirent* entry = readdir(dir)) {
    entries++;
    std::string_view name(entry->d_name);
    if (name == "." || name == "..") continue;
    names->emplace_back(name);
  }
  syscalls_ += entries / 32 + 2;  // getdents batches, the final one, close
  closedir(dir);
  return true;
}

bool KernelFiles::is_dir(std::string_view rel) {
  struct stat st;
  syscalls_++;
  return stat(path(rel).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool KernelFiles::read_link(std::string_view rel, std::string* target) {
  char buf[PATH_MAX];
  syscalls_++;
  ssize_t n = readlink(path(rel).c_str(), buf, sizeof buf);
  if (n < 0 || static_cast<size_t>(n) >= sizeof buf) return false;
  target->assign(buf, static_cast<size_t>(n));
  return true;
}

bool KernelFiles::resolve(std::string_view rel, std::string* resolved) {
  char buf[PATH_MAX];
  syscalls_ += 4;  // realpath walks the components; a rough count
  if (!realpath(path(rel).c_str(), buf)) return false;
  resolved->assign(buf);
  return true;
}

}  // namespace metrics
