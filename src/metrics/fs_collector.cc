#include "metrics/fs_collector.h"

#include <stdio.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "base/reader.h"
#include "metrics/proc_parsers.h"
#include "metrics/text_scan.h"

namespace metrics {

bool statvfs_host(const std::string& root, const std::string& mountpoint, FsSizes* out) {
  std::string path = root;
  if (!path.empty() && path.back() == '/') path.pop_back();
  path += mountpoint;
  struct statvfs st;
  if (statvfs(path.c_str(), &st) != 0) return false;
  out->fragment_bytes = st.f_frsize ? st.f_frsize : st.f_bsize;
  out->blocks = st.f_blocks;
  out->blocks_free = st.f_bfree;
  out->blocks_avail = st.f_bavail;
  out->files = st.f_files;
  out->files_free = st.f_ffree;
  return true;
}

bool statvfs_fixture(const std::string& root, const std::string& mountpoint,
                     FsSizes* out) {
  KernelFiles files(root, 0);
  std::string text;
  if (!files.read_once("statvfs.txt", &text, 1 << 20)) return false;
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view name;
    if (!scan_token(&line, &name) || name[0] == '#') continue;
    if (decode_octal_escapes(name) != mountpoint) continue;
    uint64_t v[6];
    for (uint64_t& value : v) {
      std::string_view token;
      if (!scan_token(&line, &token) || !parse_decimal_u64(token, &value)) return false;
    }
    out->fragment_bytes = v[0];
    out->blocks = v[1];
    out->blocks_free = v[2];
    out->blocks_avail = v[3];
    out->files = v[4];
    out->files_free = v[5];
    return true;
  }
  return false;
}

StatvfsFn default_statvfs_fn(const KernelFiles& files) {
  if (files.is_host_root()) return statvfs_host;
  std::string marker = files.path("statvfs.txt");
  return access(marker.c_str(), R_OK) == 0 ? statvfs_fixture : statvfs_host;
}

bool fstype_is_ignored(std::string_view fstype) {
  static const char* const kIgnored[] = {
      "autofs",   "binfmt_misc", "bpf",        "cgroup",     "cgroup2",    "configfs",
      "debugfs",  "devpts",      "devtmpfs",   "erofs",      "fusectl",    "hugetlbfs",
      "iso9660",  "mqueue",      "nsfs",       "overlay",    "proc",       "procfs",
      "pstore",   "ramfs",       "rpc_pipefs", "securityfs", "selinuxfs",  "squashfs",
      "sysfs",    "tracefs"};
  for (const char* name : kIgnored) {
    if (fstype == name) return true;
  }
  return false;
}

bool mountpoint_is_ignored(std::string_view mountpoint) {
  // Whole subtrees (the directory itself included).
  for (std::string_view dir : {"/dev", "/proc", "/sys"}) {
    if (mountpoint == dir || has_prefix(mountpoint, std::string(dir) + "/")) return true;
  }
  // Only what lies below (".+"): the directory itself is kept.
  for (std::string_view dir :
       {"/run/credentials/", "/var/lib/docker/", "/var/lib/containers/storage/"}) {
    if (has_prefix(mountpoint, dir) && mountpoint.size() > dir.size()) return true;
  }
  return false;
}

bool collect_filesystems(KernelFiles& files, StatvfsFn statvfs_fn, std::string* buf,
                         std::vector<Filesystem>* out) {
  out->clear();
  std::vector<MountEntry> mounts;
  if (!files.read_kept("proc/mounts", buf) || !parse_mounts(*buf, &mounts, nullptr)) {
    return false;
  }
  for (const MountEntry& m : mounts) {
    if (fstype_is_ignored(m.fstype) || mountpoint_is_ignored(m.mountpoint)) continue;
    Filesystem fs;
    fs.device = m.device;
    fs.mountpoint = m.mountpoint;
    fs.fstype = m.fstype;
    fs.readonly = mount_has_option(m.options, "ro");
    Filesystem* slot = nullptr;
    for (Filesystem& seen : *out) {
      if (seen.mountpoint == fs.mountpoint) slot = &seen;
    }
    if (slot) {
      *slot = std::move(fs);
    } else {
      out->push_back(std::move(fs));
    }
  }
  for (Filesystem& fs : *out) {
    FsSizes sizes;
    if (!statvfs_fn(files.root(), fs.mountpoint, &sizes)) {
      fs.device_error = true;
      continue;
    }
    fs.size_bytes = sizes.blocks * sizes.fragment_bytes;
    fs.free_bytes = sizes.blocks_free * sizes.fragment_bytes;
    fs.avail_bytes = sizes.blocks_avail * sizes.fragment_bytes;
    fs.files = sizes.files;
    fs.files_free = sizes.files_free;
  }
  return true;
}

}  // namespace metrics
