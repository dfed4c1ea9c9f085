// KernelFiles: every file read of the collectors goes through here, under a
// root prefix ("/" on a host, a fixture directory in tests).
//
// Files read on every sample (proc/stat, hwmon inputs, ...) are opened once
// and re-read with pread(2), which saves an open and a close per file per
// sample. The number of kept descriptors is bounded; past the bound files
// are read the plain way.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <functional>  // std::less<> for the kept map
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace metrics {

class KernelFiles {
 public:
  /// `root` is "/" or a directory holding proc/ and sys/ (trailing '/'
  /// optional). `max_kept_fds` bounds the descriptors kept open.
  explicit KernelFiles(std::string_view root, size_t max_kept_fds = 256);
  ~KernelFiles();
  KernelFiles(const KernelFiles&) = delete;
  KernelFiles& operator=(const KernelFiles&) = delete;

  /// True when the root is the host's "/" (then uname(2), sysconf and
  /// statvfs(2) are used instead of fixture files).
  bool is_host_root() const { return root_ == "/"; }
  const std::string& root() const { return root_; }

  /// Root-prefixed path of `rel` ("proc/stat" → "/proc/stat").
  std::string path(std::string_view rel) const;

  /// Whole file through a kept descriptor (opened on first use, dropped and
  /// reopened once if pread fails, e.g. the device went away). At most
  /// kMaxKeptBytes are read.
  bool read_kept(std::string_view rel, std::string* out);

  /// Whole file (at most max_bytes) with open/read/close: per-pid files.
  bool read_once(std::string_view rel, std::string* out, size_t max_bytes);

  /// Closes the kept descriptors whose path starts with `prefix`.
  void forget(std::string_view prefix);
  size_t kept_count() const { return kept_.size(); }

  /// Entry names of a directory, without "." and "..", in readdir order
  /// (`names` is cleared first; its capacity is reused). False if it cannot
  /// be opened.
  bool list_dir(std::string_view rel, std::vector<std::string>* names);
  /// stat(2) follows symlinks: true for a directory or a link to one.
  bool is_dir(std::string_view rel);
  /// The text of a symlink.
  bool read_link(std::string_view rel, std::string* target);
  /// realpath(3) of the root-prefixed path (an absolute host path).
  bool resolve(std::string_view rel, std::string* resolved);

  /// System calls made so far (directory reads are counted as an open, one
  /// getdents per 32 entries plus the final empty one, and a close).
  uint64_t syscalls() const { return syscalls_; }

  static constexpr size_t kMaxKeptBytes = 1 << 20;

 private:
  struct Kept {
    int fd = -1;
    bool short_read_is_eof = true;
  };
  bool open_kept(std::string_view rel, Kept* kept);
  bool pread_all(const Kept& kept, std::string* out, size_t max_bytes);

  std::string root_;
  size_t max_kept_fds_;
  std::map<std::string, Kept, std::less<>> kept_;
  uint64_t syscalls_ = 0;
};

}  // namespace metrics
