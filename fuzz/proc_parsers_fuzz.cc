// Feeds one input to every pure /proc parser of src/metrics/.
#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "metrics/pid_parsers.h"
#include "metrics/proc_parsers.h"
#include "metrics/text_scan.h"

using namespace metrics;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string err;

  CpuStat stat;
  if (parse_proc_stat(text, &stat, &err) && stat.cores.size() != stat.core_ids.size()) {
    __builtin_trap();
  }
  MemInfo mem;
  if (parse_meminfo(text, &mem, &err)) (void)mem.used_bytes();
  LoadAvg load;
  parse_loadavg(text, &load, &err);
  double uptime = 0;
  parse_uptime(text, &uptime, &err);
  std::vector<NetDev> net;
  parse_net_dev(text, &net, &err);
  std::vector<DiskIo> disks;
  parse_diskstats(text, &disks, &err);
  std::vector<MountEntry> mounts;
  if (parse_mounts(text, &mounts, &err)) {
    for (const MountEntry& m : mounts) mount_has_option(m.options, "ro");
  }
  (void)utmp_count_users(text);

  PidStat pid_stat;
  if (parse_pid_stat(text, &pid_stat, &err) && pid_stat.comm.size() > size) __builtin_trap();
  PidStatus status;
  parse_pid_status(text, &status, &err);
  PidIo io;
  parse_pid_io(text, &io, &err);
  if (join_cmdline(text).size() > size) __builtin_trap();
  if (decode_octal_escapes(text).size() > size) __builtin_trap();
  return 0;
}
