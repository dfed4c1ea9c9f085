#include "metrics/sampler.h"

#include <stdlib.h>
#include <unistd.h>

#include "base/test.h"

using namespace metrics;

// A writable copy of a fixture tree; advance() overlays the "-t1" state in
// place (cp rewrites existing files, so kept descriptors see the change).
struct FixtureCopy {
  std::string dir;
  explicit FixtureCopy(const char* tree) : tree_(tree) {
    char tmpl[] = "/tmp/statd-sampler-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir = tmpl;
    run("cp -a '" + test::path(("fixtures/" + tree_).c_str()) + "/.' '" + dir + "/'");
  }
  ~FixtureCopy() {
    if (!dir.empty()) run("rm -rf '" + dir + "'");
  }
  void advance() {
    run("cp -a '" + test::path(("fixtures/" + tree_ + "-t1").c_str()) + "/.' '" + dir + "/'");
  }
  void run(const std::string& cmd) {
    if (system(cmd.c_str()) != 0) test::fail(__FILE__, __LINE__, cmd);
  }

 private:
  std::string tree_;
};

static SamplerOptions fixture_options(const std::string& root) {
  SamplerOptions o;
  o.root = root;
  return o;
}

TEST(sampler_ttl_caching) {
  Sampler sampler(fixture_options(test::path("fixtures/pc")));
  EXPECT_EQ(sampler.samples_taken(), 0u);
  sampler.system(1000);
  EXPECT_EQ(sampler.samples_taken(), 1u);
  sampler.system(1249);  // within 250 ms
  EXPECT_EQ(sampler.samples_taken(), 1u);
  sampler.system(1250);
  EXPECT_EQ(sampler.samples_taken(), 2u);
  sampler.filesystems(1000);
  sampler.disk_list(1999);  // shares the disks TTL
  sampler.filesystems(1999);
  EXPECT_EQ(sampler.samples_taken(), 3u);
  sampler.processes(1000);
  sampler.processes(2499);
  EXPECT_EQ(sampler.samples_taken(), 4u);
  sampler.processes(2500);
  EXPECT_EQ(sampler.samples_taken(), 5u);
  sampler.system(900);  // the caller's clock went back: sample again
  EXPECT_EQ(sampler.samples_taken(), 6u);
}

TEST(sampler_pc_system_contents) {
  Sampler sampler(fixture_options(test::path("fixtures/pc")));
  const System& s = sampler.system(0);
  EXPECT(s.sampled_at_ms > 1600000000000ull);
  EXPECT_EQ(s.hostname, "workstation");
  EXPECT_EQ(s.uname.machine, "x86_64");
  EXPECT_EQ(s.users, 2u);
  EXPECT_EQ(s.cpu.cores.size(), 4u);
  EXPECT_EQ(s.cpu_core_percent.size(), 4u);
  EXPECT_EQ(s.cpu_total_percent, 0.0f);  // first sample
  EXPECT_EQ(s.mem.total_bytes, 16710053888ull);
  EXPECT_EQ(s.load.load1, 0.52);
  EXPECT_EQ(s.net.size(), 3u);
  EXPECT_EQ(s.disks.size(), 6u);
  EXPECT_EQ(s.sensors.hwmon.size(), 7u);
  EXPECT_EQ(s.gpus.size(), 1u);
  const std::vector<BlockDisk>& disks = sampler.disk_list(0);
  ASSERT(disks.size() == 5);
  EXPECT_EQ(disks[0].temperature_c, 38.85);
}

TEST(sampler_cpu_percent_between_states) {
  FixtureCopy copy("pc");
  Sampler sampler(fixture_options(copy.dir));
  sampler.system(0);
  copy.advance();
  const System& s = sampler.system(1000);
  EXPECT_EQ(s.cpu_total_percent, 26.25f);
  ASSERT(s.cpu_core_percent.size() == 4);
  EXPECT_EQ(s.cpu_core_percent[0], 25.0f);
  EXPECT_EQ(s.cpu_core_percent[1], 50.0f);
  EXPECT_EQ(s.cpu_core_percent[2], 10.0f);
  EXPECT_EQ(s.cpu_core_percent[3], 20.0f);
  EXPECT_EQ(s.net[1].rx_bytes, 988904321u);  // eth0 +1.25 MB
  EXPECT_EQ(s.disks[0].sectors_read, 45686912u);
  EXPECT(s.uptime_s > 123457.7 && s.uptime_s < 123457.8);
}

TEST(sampler_cpu_percent_rpi_and_router) {
  struct Case {
    const char* tree;
    float total;
    std::vector<float> cores;
  };
  const Case cases[] = {{"rpi", 21.25f, {25.0f, 10.0f, 50.0f, 0.0f}},
                        {"router", 20.0f, {30.0f, 10.0f}}};
  for (const Case& c : cases) {
    FixtureCopy copy(c.tree);
    Sampler sampler(fixture_options(copy.dir));
    sampler.system(0);
    copy.advance();
    const System& s = sampler.system(1000);
    EXPECT_EQ(s.cpu_total_percent, c.total);
    ASSERT(s.cpu_core_percent.size() == c.cores.size());
    for (size_t i = 0; i < c.cores.size(); i++) EXPECT_EQ(s.cpu_core_percent[i], c.cores[i]);
  }
}

TEST(sampler_process_cpu_and_dead_pids) {
  FixtureCopy copy("pc");
  Sampler sampler(fixture_options(copy.dir));
  const ProcessList& first = sampler.processes(0);
  EXPECT_EQ(first.rows.size(), 10u);
  EXPECT_EQ(sampler.tracked_processes(), 10u);
  copy.advance();
  copy.run("rm -rf '" + copy.dir + "/proc/1600'");  // the zombie was reaped
  const ProcessList& list = sampler.processes(2000);
  EXPECT_EQ(list.rows.size(), 10u);  // -1600, +2000
  EXPECT_EQ(list.zombie, 0u);
  EXPECT_EQ(sampler.tracked_processes(), 10u);
  bool saw_1600 = false;
  for (const Process& p : list.rows) {
    if (p.pid == 1600) saw_1600 = true;
    if (p.pid == 1500) EXPECT_EQ(p.cpu_percent, 5.0f);   // 20 of 400 jiffies
    if (p.pid == 1700) EXPECT_EQ(p.cpu_percent, 30.0f);  // 120 of 400
    if (p.pid == 2000) EXPECT_EQ(p.cpu_percent, 0.0f);   // first sight
    if (p.pid == 1) EXPECT_EQ(p.cpu_percent, 0.0f);      // idle
  }
  EXPECT(!saw_1600);
}

TEST(sampler_syscall_budget) {
  Sampler sampler(fixture_options(test::path("fixtures/pc")));
  sampler.system(0);  // discovery, opens
  uint64_t before = sampler.files().syscalls();
  sampler.system(2000);  // sensors and GPU are stale too
  uint64_t used = sampler.files().syscalls() - before;
  // stat, meminfo, loadavg, uptime 4 + uname 6 + utmp 1 + net/dev 2 +
  // operstate 3 + diskstats 2 + hwmon/thermal 9 + DRM 4 = 31.
  EXPECT_EQ(used, 31u);
  EXPECT(used <= 40);
  before = sampler.files().syscalls();
  sampler.system(2500);  // sensors still fresh
  EXPECT_EQ(sampler.files().syscalls() - before, 18u);
}

TEST(sampler_options_switch_off_sensors_and_gpu) {
  SamplerOptions o = fixture_options(test::path("fixtures/pc"));
  o.temperature = false;
  o.gpu = false;
  Sampler sampler(o);
  const System& s = sampler.system(0);
  EXPECT_EQ(s.sensors.hwmon.size(), 0u);
  EXPECT_EQ(s.sensors.zones.size(), 0u);
  EXPECT_EQ(s.gpus.size(), 0u);
  const std::vector<BlockDisk>& disks = sampler.disk_list(0);
  ASSERT(disks.size() == 5);
  EXPECT(!disks[0].has_temperature);
}

TEST(sampler_router_fixture) {
  Sampler sampler(fixture_options(test::path("fixtures/router")));
  const System& s = sampler.system(0);
  EXPECT_EQ(s.cpu.cores.size(), 2u);
  EXPECT_EQ(s.mem.swap_total_bytes, 0u);
  EXPECT_EQ(s.users, 0u);
  EXPECT_EQ(s.net.size(), 4u);
  EXPECT_EQ(s.sensors.hwmon.size(), 0u);
  EXPECT_EQ(s.sensors.zones.size(), 1u);
  EXPECT_EQ(sampler.filesystems(0).size(), 2u);
  EXPECT_EQ(sampler.processes(0).rows.size(), 25u);
}

TEST(sampler_live_host_sanity) {
  Sampler sampler(SamplerOptions{});
  const System& s = sampler.system(0);
  EXPECT(s.mem.total_bytes > 0);
  EXPECT(!s.cpu.cores.empty());
  EXPECT(s.cpu.all.total() > 0);
  EXPECT(s.uptime_s > 0);
  EXPECT(!s.hostname.empty());
  EXPECT_EQ(s.uname.sysname, "Linux");
  EXPECT(!s.net.empty());
  const System& again = sampler.system(1000);
  EXPECT(again.cpu_total_percent >= 0 && again.cpu_total_percent <= 100);
  const ProcessList& procs = sampler.processes(0);
  bool saw_init = false, saw_self = false;
  uint32_t self = static_cast<uint32_t>(getpid());
  for (const Process& p : procs.rows) {
    if (p.pid == 1) saw_init = true;
    if (p.pid == self) {
      saw_self = true;
      EXPECT(p.rss_bytes > 0);
      EXPECT(p.threads >= 1);
    }
  }
  EXPECT(saw_init);
  EXPECT(saw_self);
  EXPECT(!sampler.filesystems(0).empty());
  ProcessDetail detail;
  ASSERT(collect_process_detail(sampler.files(), self, &detail));
  EXPECT(detail.has_exe);
  EXPECT(!detail.threads.empty());
}
