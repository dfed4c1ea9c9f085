// Mounted filesystems: proc/mounts plus statvfs(2), filtered the way
// node_exporter filters them by default (pseudo filesystems and mount
// points under /dev, /proc, /sys are skipped; tmpfs is kept).
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "metrics/kernel_files.h"
#include "metrics/snapshot.h"

namespace metrics {

/// What statvfs(2) says about one mount point.
struct FsSizes {
  uint64_t fragment_bytes = 0;  ///< f_frsize: the unit of the block counts
  uint64_t blocks = 0, blocks_free = 0, blocks_avail = 0;
  uint64_t files = 0, files_free = 0;
};

/// Injectable statvfs: `root` is KernelFiles::root(), `mountpoint` as in
/// the mount table ("/boot/efi").
using StatvfsFn = bool (*)(const std::string& root, const std::string& mountpoint,
                           FsSizes* out);

/// statvfs(2) of root + mountpoint.
bool statvfs_host(const std::string& root, const std::string& mountpoint, FsSizes* out);

/// Fixture stand-in: reads <root>/statvfs.txt, lines
/// "<mountpoint> <frsize> <blocks> <bfree> <bavail> <files> <ffree>" with
/// the mount point escaped as in /proc/mounts; '#' lines are comments. A
/// mount point without a line fails like an unreachable filesystem.
bool statvfs_fixture(const std::string& root, const std::string& mountpoint,
                     FsSizes* out);

/// statvfs_host for "/" or any root without statvfs.txt, else statvfs_fixture.
StatvfsFn default_statvfs_fn(const KernelFiles& files);

/// node_exporter's default fs-types-exclude list (plus ramfs).
bool fstype_is_ignored(std::string_view fstype);
/// node_exporter's default mount-points-exclude:
/// ^/(dev|proc|run/credentials/.+|sys|var/lib/docker/.+|var/lib/containers/storage/.+)($|/)
bool mountpoint_is_ignored(std::string_view mountpoint);

/// Reads proc/mounts, drops ignored entries, keeps one entry per mount
/// point (the last mounted one, which is the one statvfs sees) at the
/// position of the first, and fills the sizes. A failing statvfs leaves the
/// sizes 0 and sets device_error.
bool collect_filesystems(KernelFiles& files, StatvfsFn statvfs_fn, std::string* buf,
                         std::vector<Filesystem>* out);

}  // namespace metrics
