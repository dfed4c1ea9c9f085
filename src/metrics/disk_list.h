// The disk list of socktop's get_disks (socktop.md §7): mounted block
// filesystems deduplicated by source, partitions grouped under synthesized
// parent entries, NVMe temperatures attached.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "metrics/kernel_files.h"
#include "metrics/snapshot.h"

namespace metrics {

struct BlockDisk {
  std::string name;  ///< mount source ("/dev/nvme0n1p2") or synthesized parent
  uint64_t total_bytes = 0, available_bytes = 0;
  bool has_temperature = false;
  double temperature_c = 0;
  bool is_partition = false;
};

/// socktop 1.60's partition test for a device name without "/dev/": a
/// partition iff sys/block/<name> is not a directory and sys/block/<parent>
/// is, parent = name without a trailing "p<digits>" (nvme0n1p2, mmcblk0p1)
/// or without trailing digits (sda1). Names holding '/' are never
/// partitions (and never reach the file system).
bool partition_parent(KernelFiles& files, std::string_view name, std::string* parent);

/// Filesystem types socktop's disk list leaves out on top of the collector's
/// own filter (sysinfo's defaults: tmpfs, network filesystems, ...).
bool disk_list_skips_fstype(std::string_view fstype);

/// Builds the list: parents sorted by name, each followed by its partitions
/// (sorted by name), then the other mounts (whole-disk filesystems such as
/// zram1) in mount order. NVMe "Composite" sensors, in hwmon order, give
/// the temperature of nvme0n1, nvme1n1, ... and of their partitions.
void build_disk_list(KernelFiles& files, const std::vector<Filesystem>& filesystems,
                     const Sensors& sensors, std::vector<BlockDisk>* out);

}  // namespace metrics
