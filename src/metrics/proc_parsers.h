// Pure parsers for the system-wide kernel text formats (proc(5)), one per
// format. Each reads a byte span through Reader, never touches the file
// system, and fills its output from scratch.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "metrics/snapshot.h"

namespace metrics {

/// /proc/stat: cpu lines, ctxt, intr (the total), processes, btime,
/// procs_running, procs_blocked. False without an aggregate "cpu" line.
bool parse_proc_stat(std::string_view text, CpuStat* out, std::string* err);

/// /proc/meminfo. False without MemTotal.
bool parse_meminfo(std::string_view text, MemInfo* out, std::string* err);

/// /proc/loadavg: "0.52 0.58 0.59 2/1234 56789".
bool parse_loadavg(std::string_view text, LoadAvg* out, std::string* err);

/// /proc/uptime: the first number, seconds since boot.
bool parse_uptime(std::string_view text, double* uptime_s, std::string* err);

/// /proc/net/dev: one NetDev per interface line (up is left false).
bool parse_net_dev(std::string_view text, std::vector<NetDev>* out,
                   std::string* err);

/// /proc/diskstats (Documentation/admin-guide/iostats.rst): 11 or more
/// counters per line; the 4-counter partition lines of 2.6.25- kernels are
/// accepted too. Discard/flush counters are ignored.
bool parse_diskstats(std::string_view text, std::vector<DiskIo>* out,
                     std::string* err);

/// One line of /proc/mounts, octal escapes (\040 ...) decoded.
struct MountEntry {
  std::string device, mountpoint, fstype, options;
};
/// /proc/mounts (same format as /etc/fstab, fstab(5)).
bool parse_mounts(std::string_view text, std::vector<MountEntry>* out,
                  std::string* err);
/// True when the comma-separated mount options contain `option` ("ro").
bool mount_has_option(std::string_view options, std::string_view option);

/// Size of a glibc utmp record on x86_64, arm, aarch64 and mips.
constexpr size_t kUtmpRecordBytes = 384;
/// Logged-in users in a utmp file: records of type USER_PROCESS (7) with a
/// non-empty ut_user, as procps' uptime counts them. ut_type is a short in
/// host byte order (the file was written by this host's libc).
uint32_t utmp_count_users(std::string_view bytes);

}  // namespace metrics
