#include "metrics/disk_list.h"

#include <algorithm>

#include "metrics/text_scan.h"

namespace metrics {

static std::string_view strip_trailing_digits(std::string_view s) {
  while (!s.empty() && s.back() >= '0' && s.back() <= '9') s.remove_suffix(1);
  return s;
}

bool partition_parent(KernelFiles& files, std::string_view name, std::string* parent) {
  if (name.empty() || name.find('/') != std::string_view::npos || name == "." ||
      name == "..") {
    return false;
  }
  std::string dir = "sys/block/";
  if (files.is_dir(dir + std::string(name))) return false;  // a whole disk
  std::string_view no_digits = strip_trailing_digits(name);
  if (no_digits.size() == name.size() || no_digits.empty()) return false;
  // "nvme0n1p2" → "nvme0n1" first; "sdp1" (the 16th SCSI disk) falls
  // through to "sdp".
  if (has_suffix(no_digits, "p") && no_digits.size() > 1) {
    std::string_view candidate = no_digits.substr(0, no_digits.size() - 1);
    if (files.is_dir(dir + std::string(candidate))) {
      parent->assign(candidate);
      return true;
    }
  }
  if (files.is_dir(dir + std::string(no_digits))) {
    parent->assign(no_digits);
    return true;
  }
  return false;
}

bool disk_list_skips_fstype(std::string_view fstype) {
  for (const char* name : {"tmpfs", "devtmpfs", "ramfs", "rootfs", "sysfs", "proc",
                           "cgroup", "cgroup2", "pstore", "squashfs", "rpc_pipefs",
                           "iso9660", "nfs", "nfs4", "cifs", "smb3"}) {
    if (fstype == name) return true;
  }
  return false;
}

// Device names ("nvme0n1") that carry each NVMe Composite temperature.
static std::vector<std::pair<std::string, double>> nvme_temperatures(const Sensors& s) {
  std::vector<std::pair<std::string, double>> out;
  for (const HwmonTemp& t : s.hwmon) {
    if (t.chip_name == "nvme" && t.label == "Composite") {
      out.emplace_back("nvme" + std::to_string(out.size()) + "n1", t.celsius);
    }
  }
  return out;
}

namespace {
struct Group {
  BlockDisk parent;
  std::string parent_short;
  std::vector<BlockDisk> partitions;
};
}  // namespace

void build_disk_list(KernelFiles& files, const std::vector<Filesystem>& filesystems,
                     const Sensors& sensors, std::vector<BlockDisk>* out) {
  out->clear();
  auto temps = nvme_temperatures(sensors);
  auto apply_temperature = [&temps](std::string_view short_name, BlockDisk* disk) {
    for (const auto& t : temps) {
      if (t.first == short_name) {
        disk->has_temperature = true;
        disk->temperature_c = t.second;
      }
    }
  };

  std::vector<std::string> seen_sources;
  std::vector<Group> groups;
  std::vector<BlockDisk> others;
  for (const Filesystem& fs : filesystems) {
    if (fs.device_error || disk_list_skips_fstype(fs.fstype)) continue;
    if (std::find(seen_sources.begin(), seen_sources.end(), fs.device) != seen_sources.end()) {
      continue;
    }
    seen_sources.push_back(fs.device);
    BlockDisk disk;
    disk.name = fs.device;
    disk.total_bytes = fs.size_bytes;
    disk.available_bytes = fs.avail_bytes;
    std::string_view full(fs.device);
    std::string_view prefix = has_prefix(full, "/dev/") ? full.substr(0, 5) : std::string_view();
    std::string_view short_name = full.substr(prefix.size());
    std::string parent;
    if (!partition_parent(files, short_name, &parent)) {
      apply_temperature(short_name, &disk);
      others.push_back(std::move(disk));
      continue;
    }
    disk.is_partition = true;
    apply_temperature(parent, &disk);
    Group* group = nullptr;
    for (Group& g : groups) {
      if (g.parent_short == parent) group = &g;
    }
    if (!group) {
      groups.emplace_back();
      group = &groups.back();
      group->parent_short = parent;
      group->parent.name = std::string(prefix) + parent;
      apply_temperature(parent, &group->parent);
    }
    group->parent.total_bytes += disk.total_bytes;
    group->parent.available_bytes += disk.available_bytes;
    group->partitions.push_back(std::move(disk));
  }

  std::sort(groups.begin(), groups.end(),
            [](const Group& a, const Group& b) { return a.parent.name < b.parent.name; });
  for (Group& g : groups) {
    std::sort(g.partitions.begin(), g.partitions.end(),
              [](const BlockDisk& a, const BlockDisk& b) { return a.name < b.name; });
    out->push_back(std::move(g.parent));
    for (BlockDisk& p : g.partitions) out->push_back(std::move(p));
  }
  for (BlockDisk& d : others) out->push_back(std::move(d));
}

}  // namespace metrics
