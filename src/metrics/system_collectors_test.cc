#include "metrics/system_collectors.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/test.h"

using namespace metrics;

TEST(system_collectors_pc_basics) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string buf;
  CpuStat cpu;
  ASSERT(collect_cpu(files, &buf, &cpu));
  EXPECT_EQ(cpu.cores.size(), 4u);
  MemInfo mem;
  ASSERT(collect_mem(files, &buf, &mem));
  EXPECT_EQ(mem.total_bytes, 16710053888ull);
  LoadAvg load;
  ASSERT(collect_load(files, &buf, &load));
  EXPECT_EQ(load.load15, 0.59);
  double uptime = 0;
  ASSERT(collect_uptime(files, &buf, &uptime));
  EXPECT(uptime > 123456 && uptime < 123457);
  EXPECT_EQ(collect_users(files, &buf), 2u);
}

TEST(system_collectors_uname_from_fixture) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string buf;
  Uname u;
  ASSERT(collect_uname(files, &buf, &u));
  EXPECT_EQ(u.sysname, "Linux");
  EXPECT_EQ(u.nodename, "workstation");
  EXPECT_EQ(u.release, "6.1.0-18-amd64");
  EXPECT_EQ(u.version, "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)");
  EXPECT_EQ(u.machine, "x86_64");
  EXPECT_EQ(u.domainname, "(none)");
  KernelFiles router(test::path("fixtures/router"));
  ASSERT(collect_uname(router, &buf, &u));
  EXPECT_EQ(u.nodename, "OpenWrt");
  EXPECT_EQ(u.release, "5.15.137");
  EXPECT_EQ(u.machine, "aarch64");
}

TEST(system_collectors_uname_host) {
  KernelFiles files("/");
  std::string buf;
  Uname u;
  ASSERT(collect_uname(files, &buf, &u));
  EXPECT_EQ(u.sysname, "Linux");
  EXPECT(!u.release.empty());
  EXPECT(!u.domainname.empty());
}

TEST(system_collectors_users_missing_utmp) {
  KernelFiles files(test::path("fixtures/router"));
  std::string buf;
  EXPECT_EQ(collect_users(files, &buf), 0u);
}

TEST(system_collectors_net_operstate) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string buf;
  NetCollector net;
  std::vector<NetDev> devs;
  ASSERT(net.collect(files, &buf, &devs));
  ASSERT(devs.size() == 3);
  EXPECT_EQ(devs[0].name, "lo");
  EXPECT(!devs[0].up);  // operstate "unknown", as node_exporter reports it
  EXPECT(devs[1].up);
  EXPECT(!devs[2].up);  // docker0 "down"
  EXPECT_EQ(devs[1].tx_bytes, 123456789u);
  EXPECT_EQ(files.kept_count(), 4u);  // net/dev + three operstate files
  uint64_t before = files.syscalls();
  ASSERT(net.collect(files, &buf, &devs));
  EXPECT_EQ(files.syscalls() - before, 5u);  // 2 preads of net/dev, 3 operstate
}

TEST(system_collectors_net_list_change_drops_old_descriptors) {
  char tmpl[] = "/tmp/statd-net-XXXXXX";
  ASSERT(mkdtemp(tmpl));
  std::string dir = tmpl;
  std::string cmd = "cp -a '" + test::path("fixtures/pc") + "/.' '" + dir + "/'";
  ASSERT(system(cmd.c_str()) == 0);
  KernelFiles files(dir);
  std::string buf;
  NetCollector net;
  std::vector<NetDev> devs;
  ASSERT(net.collect(files, &buf, &devs));
  EXPECT_EQ(files.kept_count(), 4u);
  FILE* f = fopen((dir + "/proc/net/dev").c_str(), "w");
  ASSERT(f);
  fputs("h\nh\n  eth0: 5 1 0 0 0 0 0 0 6 1 0 0 0 0 0 0\n", f);
  fclose(f);
  ASSERT(net.collect(files, &buf, &devs));
  ASSERT(devs.size() == 1);
  EXPECT_EQ(devs[0].rx_bytes, 5u);
  EXPECT(devs[0].up);
  EXPECT_EQ(files.kept_count(), 2u);
  cmd = "rm -rf '" + dir + "'";
  EXPECT(system(cmd.c_str()) == 0);
}

TEST(system_collectors_diskstats_raw_list) {
  KernelFiles files(test::path("fixtures/rpi"));
  std::string buf;
  std::vector<DiskIo> disks;
  ASSERT(collect_diskstats(files, &buf, &disks));
  ASSERT(disks.size() == 7);
  EXPECT_EQ(disks[0].name, "ram0");
  EXPECT_EQ(disks[2].name, "mmcblk0");
  EXPECT_EQ(disks[2].sectors_read, 1234567u);
  size_t kept = 0;
  for (const DiskIo& d : disks) kept += diskstats_is_ignored(d.name) ? 0 : 1;
  EXPECT_EQ(kept, 3u);  // mmcblk0, mmcblk0p1, mmcblk0p2 (node_exporter keeps mmc partitions)
}

TEST(system_collectors_diskstats_ignore_rule) {
  for (const char* name : {"sda1", "sdz15", "hda2", "vda1", "xvdb3", "nvme0n1p1",
                           "nvme12n3p45", "loop0", "loop17", "ram0", "zram1", "fd0"}) {
    if (!diskstats_is_ignored(name)) test::fail(__FILE__, __LINE__, name);
  }
  for (const char* name : {"sda", "vdb", "xvda", "nvme0n1", "mmcblk0", "mmcblk0p1", "dm-0",
                           "md0", "sd", "loop", "ram", "nvme0n1p", "sda1x", "sr0",
                           "ubiblock0_1", "mtdblock3"}) {
    if (diskstats_is_ignored(name)) test::fail(__FILE__, __LINE__, name);
  }
}

TEST(system_collectors_cpu_percent_hand_computed) {
  KernelFiles t0(test::path("fixtures/pc")), t1(test::path("fixtures/pc-t1"));
  std::string buf;
  CpuStat before, after;
  ASSERT(collect_cpu(t0, &buf, &before));
  ASSERT(collect_cpu(t1, &buf, &after));
  // 400 ticks in total, of which idle 270 and iowait 25: busy 105.
  EXPECT_EQ(cpu_busy_percent(before.all, after.all), 26.25f);
  ASSERT(after.cores.size() == 4);
  EXPECT_EQ(cpu_busy_percent(before.cores[0], after.cores[0]), 25.0f);
  EXPECT_EQ(cpu_busy_percent(before.cores[1], after.cores[1]), 50.0f);
  EXPECT_EQ(cpu_busy_percent(before.cores[2], after.cores[2]), 10.0f);
  EXPECT_EQ(cpu_busy_percent(before.cores[3], after.cores[3]), 20.0f);
  EXPECT_EQ(cpu_busy_percent(after.all, after.all), 0.0f);
  EXPECT_EQ(cpu_busy_percent(after.all, before.all), 0.0f);  // counters went back
}

TEST(system_collectors_cpu_percent_iowait_going_back) {
  CpuTimes a, b;
  a.user = 100; a.idle = 100; a.iowait = 50;
  b.user = 150; b.idle = 190; b.iowait = 40;  // Δtotal 130, Δ(idle+iowait) 80
  EXPECT_EQ(cpu_busy_percent(a, b), static_cast<float>(50.0 / 130.0 * 100));
}
