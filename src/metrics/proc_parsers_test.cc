#include "metrics/proc_parsers.h"

#include "base/test.h"
#include "metrics/kernel_files.h"

using namespace metrics;

static std::string fixture(const char* tree, const char* rel) {
  KernelFiles files(test::path((std::string("fixtures/") + tree).c_str()));
  std::string out;
  files.read_once(rel, &out, 1 << 20);
  return out;
}

TEST(proc_parsers_stat_pc) {
  CpuStat stat;
  std::string err;
  ASSERT(parse_proc_stat(fixture("pc", "proc/stat"), &stat, &err));
  EXPECT_EQ(stat.cores.size(), 4u);
  EXPECT_EQ(stat.core_ids.size(), 4u);
  EXPECT_EQ(stat.all.user, 42000u);
  EXPECT_EQ(stat.all.idle, 319000u);
  EXPECT_EQ(stat.all.iowait, 2734u);
  EXPECT_EQ(stat.all.total(), 377004u);
  if (stat.cores.size() == 4) {
    EXPECT_EQ(stat.cores[3].iowait, 1234u);
    EXPECT_EQ(stat.cores[0].softirq, 200u);
    EXPECT_EQ(stat.core_ids[3], 3u);
  }
  EXPECT_EQ(stat.context_switches, 123456789u);
  EXPECT_EQ(stat.interrupts, 98765432u);
  EXPECT_EQ(stat.forks, 54321u);
  EXPECT_EQ(stat.boot_time_s, 1700000000u);
  EXPECT_EQ(stat.procs_running, 2u);
  EXPECT_EQ(stat.procs_blocked, 1u);
}

TEST(proc_parsers_stat_offline_cpu_and_old_kernel) {
  CpuStat stat;
  // cpu1 offline; 2.4-era lines with only four counters.
  ASSERT(parse_proc_stat("cpu 10 0 5 100\ncpu0 5 0 2 50\ncpu2 5 0 3 50\n", &stat, nullptr));
  EXPECT_EQ(stat.cores.size(), 2u);
  EXPECT_EQ(stat.core_ids[1], 2u);
  EXPECT_EQ(stat.cores[1].system, 3u);
  EXPECT_EQ(stat.all.iowait, 0u);
  std::string err;
  EXPECT(!parse_proc_stat("intr 5\nctxt 7\n", &stat, &err));
  EXPECT_EQ(err, "proc/stat: no cpu line");
  EXPECT(!parse_proc_stat("cpu 1 2\n", &stat, &err));
}

TEST(proc_parsers_meminfo_pc) {
  MemInfo mem;
  ASSERT(parse_meminfo(fixture("pc", "proc/meminfo"), &mem, nullptr));
  EXPECT_EQ(mem.total_bytes, 16710053888ull);  // 16318412 kB
  EXPECT_EQ(mem.free_bytes, 3052340ull * 1024);
  EXPECT_EQ(mem.available_bytes, 10590728192ull);
  EXPECT(mem.has_available);
  EXPECT_EQ(mem.buffers_bytes, 412344ull * 1024);
  EXPECT_EQ(mem.cached_bytes, 6540120ull * 1024);
  EXPECT_EQ(mem.swap_cached_bytes, 1024ull * 1024);
  EXPECT_EQ(mem.swap_total_bytes, 2147479552ull);
  EXPECT_EQ(mem.swap_free_bytes, 2080764ull * 1024);
  EXPECT_EQ(mem.shmem_bytes, 345600ull * 1024);
  EXPECT_EQ(mem.sreclaimable_bytes, 512000ull * 1024);
  EXPECT_EQ(mem.used_bytes(), 16710053888ull - 10590728192ull);
  EXPECT_EQ(mem.fields.size(), 54u);
  bool saw_hugepages = false, saw_active_anon = false;
  for (const MemField& f : mem.fields) {
    if (f.name == "HugePages_Total") {
      saw_hugepages = true;
      EXPECT(!f.bytes);
      EXPECT_EQ(f.value, 0u);
    }
    if (f.name == "Active(anon)") {
      saw_active_anon = true;
      EXPECT(f.bytes);
      EXPECT_EQ(f.value, 4012344ull * 1024);
    }
  }
  EXPECT(saw_hugepages);
  EXPECT(saw_active_anon);
}

TEST(proc_parsers_meminfo_router_and_old_kernel) {
  MemInfo mem;
  ASSERT(parse_meminfo(fixture("router", "proc/meminfo"), &mem, nullptr));
  EXPECT_EQ(mem.total_bytes, 233116ull * 1024);
  EXPECT_EQ(mem.swap_total_bytes, 0u);
  EXPECT_EQ(mem.swap_used_bytes(), 0u);
  EXPECT_EQ(mem.fields.size(), 21u);
  // A 3.10 kernel: no MemAvailable.
  ASSERT(parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 10 kB\nCached: 20 kB\n",
                       &mem, nullptr));
  EXPECT(!mem.has_available);
  EXPECT_EQ(mem.available_bytes, 0u);
  EXPECT_EQ(mem.used_bytes(), (1000u - 130u) * 1024);
  std::string err;
  EXPECT(!parse_meminfo("MemFree: 1 kB\n", &mem, &err));
  EXPECT_EQ(err, "proc/meminfo: no MemTotal");
}

TEST(proc_parsers_loadavg_uptime) {
  LoadAvg load;
  ASSERT(parse_loadavg(fixture("pc", "proc/loadavg"), &load, nullptr));
  EXPECT_EQ(load.load1, 0.52);
  EXPECT_EQ(load.load5, 0.58);
  EXPECT_EQ(load.load15, 0.59);
  EXPECT_EQ(load.runnable, 2u);
  EXPECT_EQ(load.total_tasks, 1234u);
  EXPECT(!parse_loadavg("0.1 x 0.3 1/2 3\n", &load, nullptr));
  double uptime = 0;
  ASSERT(parse_uptime(fixture("pc", "proc/uptime"), &uptime, nullptr));
  EXPECT(uptime > 123456.779 && uptime < 123456.781);
  EXPECT(!parse_uptime("", &uptime, nullptr));
}

TEST(proc_parsers_net_dev_pc) {
  std::vector<NetDev> devs;
  ASSERT(parse_net_dev(fixture("pc", "proc/net/dev"), &devs, nullptr));
  ASSERT(devs.size() == 3);
  EXPECT_EQ(devs[0].name, "lo");
  EXPECT_EQ(devs[1].name, "eth0");
  EXPECT_EQ(devs[2].name, "docker0");
  EXPECT_EQ(devs[1].rx_bytes, 987654321u);
  EXPECT_EQ(devs[1].rx_packets, 812345u);
  EXPECT_EQ(devs[1].rx_drop, 12u);
  EXPECT_EQ(devs[1].rx_multicast, 3456u);
  EXPECT_EQ(devs[1].tx_bytes, 123456789u);
  EXPECT_EQ(devs[1].tx_packets, 456789u);
  EXPECT(!devs[1].up);
  // Counters wider than the column run into the colon on old kernels.
  ASSERT(parse_net_dev("h\nh\n  eth1:12345678901 2 0 0 0 0 0 0 3 4 0 0 0 0 0 0\n", &devs, nullptr));
  ASSERT(devs.size() == 1);
  EXPECT_EQ(devs[0].name, "eth1");
  EXPECT_EQ(devs[0].rx_bytes, 12345678901ull);
  EXPECT_EQ(devs[0].tx_packets, 4u);
  EXPECT(!parse_net_dev("  eth1: 1 2 3\n", &devs, nullptr));
}

TEST(proc_parsers_diskstats_pc) {
  std::vector<DiskIo> disks;
  ASSERT(parse_diskstats(fixture("pc", "proc/diskstats"), &disks, nullptr));
  ASSERT(disks.size() == 6);
  EXPECT_EQ(disks[0].name, "nvme0n1");
  EXPECT_EQ(disks[0].reads_completed, 345678u);
  EXPECT_EQ(disks[0].sectors_read, 45678912u);
  EXPECT_EQ(disks[0].writes_completed, 234567u);
  EXPECT_EQ(disks[0].sectors_written, 34567890u);
  EXPECT_EQ(disks[0].io_now, 0u);
  EXPECT_EQ(disks[0].io_time_ms, 345678u);
  EXPECT_EQ(disks[0].io_weighted_ms, 358023u);
  EXPECT_EQ(disks[4].name, "sda1");
  EXPECT_EQ(disks[5].name, "loop0");
  // Linux 4.18 (15 counters) and the 4-counter partition lines of 2.6.
  ASSERT(parse_diskstats("   8 0 sda 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
                         "   8 1 sda1 40 320 50 400\n",
                         &disks, nullptr));
  ASSERT(disks.size() == 2);
  EXPECT_EQ(disks[0].io_weighted_ms, 11u);
  EXPECT_EQ(disks[1].reads_completed, 40u);
  EXPECT_EQ(disks[1].sectors_read, 320u);
  EXPECT_EQ(disks[1].writes_completed, 50u);
  EXPECT_EQ(disks[1].sectors_written, 400u);
  EXPECT(!parse_diskstats("8 0 sda 1 2 3\n", &disks, nullptr));
}

TEST(proc_parsers_mounts_pc) {
  std::vector<MountEntry> mounts;
  ASSERT(parse_mounts(fixture("pc", "proc/mounts"), &mounts, nullptr));
  ASSERT(mounts.size() == 28);
  EXPECT_EQ(mounts[5].device, "/dev/nvme0n1p2");
  EXPECT_EQ(mounts[5].mountpoint, "/");
  EXPECT_EQ(mounts[5].fstype, "ext4");
  EXPECT_EQ(mounts[5].options, "rw,relatime,errors=remount-ro");
  EXPECT_EQ(mounts[23].mountpoint, "/mnt/My Backup");
  EXPECT(mount_has_option(mounts[23].options, "ro"));
  EXPECT(!mount_has_option(mounts[5].options, "ro"));
  EXPECT(!mount_has_option("rw,errors=remount-ro", "ro"));
  EXPECT(mount_has_option("ro", "ro"));
  EXPECT(!parse_mounts("/dev/sda1 /mnt\n", &mounts, nullptr));
}

TEST(proc_parsers_utmp_users) {
  EXPECT_EQ(utmp_count_users(fixture("pc", "var/run/utmp")), 2u);
  EXPECT_EQ(utmp_count_users(fixture("rpi", "var/run/utmp")), 1u);
  EXPECT_EQ(utmp_count_users(""), 0u);
  std::string record(kUtmpRecordBytes, '\0');
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
  record[1] = 7;
#else
  record[0] = 7;
#endif
  record[44] = 'x';
  EXPECT_EQ(utmp_count_users(record + record), 2u);
  EXPECT_EQ(utmp_count_users(record + record.substr(0, 100)), 1u);  // torn tail
  record[44] = '\0';
  EXPECT_EQ(utmp_count_users(record), 0u);  // USER_PROCESS without a name
}
