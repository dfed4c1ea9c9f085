#include "agent/rtstat_push.h"

#include <stdlib.h>
#include <unistd.h>

#include "base/test.h"
#include "metrics/sampler.h"

namespace {

// A writable copy of a fixture tree; advance() overlays "<tree>-t1" in place
// (see tests/fixtures/README.md) and reaps the zombie as the sampler test does.
struct RtstatFixture {
  std::string dir;
  explicit RtstatFixture(const char* tree) : tree_(tree) {
    char tmpl[] = "/tmp/statd-rtstat-XXXXXX";
    if (!mkdtemp(tmpl)) return;
    dir = tmpl;
    run("cp -a '" + test::path(("fixtures/" + tree_).c_str()) + "/.' '" + dir + "/'");
  }
  ~RtstatFixture() {
    if (!dir.empty()) run("rm -rf '" + dir + "'");
  }
  void advance() {
    run("cp -a '" + test::path(("fixtures/" + tree_ + "-t1").c_str()) + "/.' '" + dir + "/'");
    run("rm -rf '" + dir + "/proc/1600'");
  }
  void run(const std::string& cmd) {
    if (system(cmd.c_str()) != 0) test::fail(__FILE__, __LINE__, cmd);
  }

 private:
  std::string tree_;
};

metrics::SamplerOptions uncached(const std::string& root) {
  metrics::SamplerOptions o;
  o.root = root;
  o.metrics_ttl_ms = 0;
  o.processes_ttl_ms = 0;
  o.disks_ttl_ms = 0;
  o.sensors_ttl_ms = 0;
  return o;
}

std::string fraction(uint64_t num, uint64_t total) {
  std::string s;
  rtstat_append_fraction(num, total, &s);
  return s;
}

std::vector<RtstatPlugin> plugins(const char* list) {
  std::vector<RtstatPlugin> out;
  std::string err;
  if (!rtstat_parse_plugins(list, &out, &err)) test::fail(__FILE__, __LINE__, err);
  return out;
}

// The push for tests/fixtures/pc -> pc-t1, worked out by hand:
// cpu0 +20 user +5 system +70 idle +5 iowait of 100; cpu1 +40/+10/+50;
// cpu2 +5/+5/+90; cpu3 +10 user +5 system +60 idle +20 iowait +5 softirq
// (iowait counts softirq again: 25/100). Memory in kB from meminfo:
// used 16318412-3052340, apps 16318412-(3052340+412344+6540120+1024).
// Processes after 1600 is reaped: R 1500 2000; S 1 2 812 1021 1022 1700
// and D 960; the idle kworker I 1800 is in no bucket. Uptime 123457 s.
const char* kPcPush =
    "{\"cpu_stat\":{"
    "\"cpu0\":{\"usage\":0.3,\"user\":0.2,\"system\":0.05,\"iowait\":0.05},"
    "\"cpu1\":{\"usage\":0.5,\"user\":0.4,\"system\":0.1,\"iowait\":0},"
    "\"cpu2\":{\"usage\":0.1,\"user\":0.05,\"system\":0.05,\"iowait\":0},"
    "\"cpu3\":{\"usage\":0.4,\"user\":0.1,\"system\":0.1,\"iowait\":0.25}},"
    "\"meminfo\":{\"memory\":{\"total\":16318412,\"used\":13266072,\"free\":3052340,"
    "\"apps\":6312584,\"buffers\":412344,\"cached\":6540120,\"swapCached\":1024},"
    "\"swap\":{\"total\":2097148,\"used\":16384,\"free\":2080764}},"
    "\"processes\":{\"all\":9,\"running\":2,\"sleep\":7,\"stopped\":0,\"zombie\":0},"
    "\"uptime\":{\"time\":\"10:01:02\",\"uptime\":\"1 day, 10:17\",\"users\":\"2\","
    "\"la1\":\"0.52\",\"la5\":\"0.58\",\"la15\":\"0.59\"}}";

}  // namespace

TEST(rtstat_push_fraction_rounding) {
  EXPECT_EQ(fraction(57, 200), "0.29");  // 0.285: half away from zero
  EXPECT_EQ(fraction(1, 8), "0.13");     // 0.125
  EXPECT_EQ(fraction(1, 3), "0.33");
  EXPECT_EQ(fraction(2, 3), "0.67");
  EXPECT_EQ(fraction(7, 100), "0.07");
  EXPECT_EQ(fraction(50, 100), "0.5");
  EXPECT_EQ(fraction(10, 100), "0.1");
  EXPECT_EQ(fraction(0, 100), "0");
  EXPECT_EQ(fraction(100, 100), "1");
  EXPECT_EQ(fraction(199, 200), "1");    // 0.995 rounds up to 1
  EXPECT_EQ(fraction(1, 201), "0");      // 0.004975
  EXPECT_EQ(fraction(1, 200), "0.01");   // 0.005
  EXPECT_EQ(fraction(5, 0), "0");        // no time passed
  EXPECT_EQ(fraction(3, 2), "1");        // clamped
  EXPECT_EQ(fraction(uint64_t(1) << 62, uint64_t(1) << 63), "0.5");  // no overflow
  EXPECT_EQ(fraction(UINT64_MAX / 3, UINT64_MAX), "0.33");
  EXPECT_EQ(fraction(UINT64_MAX - 1, UINT64_MAX), "1");
}

TEST(rtstat_push_uptime_text_forms) {
  EXPECT_EQ(rtstat_uptime_text(4 * 60 + 59.9), "4 min");
  EXPECT_EQ(rtstat_uptime_text(0), "0 min");
  EXPECT_EQ(rtstat_uptime_text(3 * 3600 + 4 * 60), "3:04");
  EXPECT_EQ(rtstat_uptime_text(12 * 3600 + 4 * 60), "12:04");
  EXPECT_EQ(rtstat_uptime_text(86400 + 10 * 3600), "1 day, 10:00");
  EXPECT_EQ(rtstat_uptime_text(5 * 86400 + 3 * 3600 + 4 * 60), "5 days,  3:04");
  EXPECT_EQ(rtstat_uptime_text(2 * 86400 + 5 * 60), "2 days, 5 min");
  EXPECT_EQ(rtstat_uptime_text(86400), "1 day, 0 min");
  EXPECT_EQ(rtstat_uptime_text(-1), "0 min");
}

TEST(rtstat_push_clock_text) {
  struct tm t = {};
  t.tm_hour = 9;
  t.tm_min = 5;
  t.tm_sec = 7;
  EXPECT_EQ(rtstat_clock_text(t), "09:05:07");
  t.tm_hour = 23;
  t.tm_min = 59;
  t.tm_sec = 60;  // leap second
  EXPECT_EQ(rtstat_clock_text(t), "23:59:60");
}

TEST(rtstat_push_strings_never_hold_double_colon) {
  std::string out;
  rtstat_append_json_string("a::b:c:::d", &out);
  EXPECT_EQ(out, "\"a\\u003a\\u003ab:c\\u003a\\u003a\\u003ad\"");
  out.clear();
  rtstat_append_json_string("10:01:02 \"x\"\n", &out);
  EXPECT_EQ(out, "\"10:01:02 \\\"x\\\"\\n\"");
  EXPECT_EQ(rtstat_protect_colons("{\"k\":\"::\"}"), "{\"k\":\"\\u003a\\u003a\"}");
}

TEST(rtstat_push_php_numbers) {
  std::string out;
  rtstat_append_number(38.0, &out);
  out += ' ';
  rtstat_append_number(45.5, &out);
  out += ' ';
  rtstat_append_number(0.07, &out);
  out += ' ';
  rtstat_append_number(-0.0, &out);
  out += ' ';
  rtstat_append_number(100, &out);
  EXPECT_EQ(out, "38 45.5 0.07 0 100");
}

TEST(rtstat_push_plugin_list) {
  std::vector<RtstatPlugin> p = plugins(kRtstatDefaultPlugins);
  ASSERT(p.size() == 4);
  EXPECT(p[0] == RtstatPlugin::kCpuStat && p[3] == RtstatPlugin::kUptime);
  // Built-ins keep upstream's order; extras follow in the order given.
  p = plugins(" top_processes, uptime,network ,meminfo,network");
  ASSERT(p.size() == 4);
  EXPECT(p[0] == RtstatPlugin::kMeminfo);
  EXPECT(p[1] == RtstatPlugin::kUptime);
  EXPECT(p[2] == RtstatPlugin::kTopProcesses);
  EXPECT(p[3] == RtstatPlugin::kNetwork);
  std::vector<RtstatPlugin> out;
  std::string err;
  EXPECT(!rtstat_parse_plugins("cpu_stat,disks", &out, &err));
  EXPECT_EQ(err, "unknown rt-stat plugin 'disks' (known: cpu_stat meminfo processes uptime "
                 "network filesystems temperatures top_processes hostname)");
  EXPECT(rtstat_parse_plugins("", &out, &err));
  EXPECT_EQ(out.size(), 0u);
}

TEST(rtstat_push_pc_fixture_two_states) {
  RtstatFixture fx("pc");
  metrics::Sampler sampler(uncached(fx.dir));
  RtstatBaseline baseline;
  rtstat_take_baseline(sampler.system(0), 1000, &baseline);
  fx.advance();
  RtstatPushInput in;
  in.system = &sampler.system(10000);
  in.processes = &sampler.processes(10000);
  in.clock = "10:01:02";
  in.now_ms = 2000;
  std::string json;
  rtstat_push_json(in, plugins(kRtstatDefaultPlugins), &baseline, &json);
  EXPECT_EQ(json, kPcPush);
  // The baseline moved to this push: nothing changed since, all zero.
  json.clear();
  in.now_ms = 3000;
  rtstat_push_json(in, plugins("cpu_stat"), &baseline, &json);
  EXPECT_EQ(json, "{\"cpu_stat\":{\"cpu0\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0},"
                  "\"cpu1\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0},"
                  "\"cpu2\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0},"
                  "\"cpu3\":{\"usage\":0,\"user\":0,\"system\":0,\"iowait\":0}}}");
}

TEST(rtstat_push_self_counts_as_sleeping) {
  metrics::Sampler sampler(uncached(test::path("fixtures/pc")));
  RtstatPushInput in;
  in.system = &sampler.system(0);
  in.processes = &sampler.processes(0);
  in.self_pid = 1500;  // the one R process of the fixture
  RtstatBaseline baseline;
  std::string json;
  rtstat_push_json(in, plugins("processes"), &baseline, &json);
  EXPECT_EQ(json, "{\"processes\":{\"all\":9,\"running\":0,\"sleep\":8,\"stopped\":0,\"zombie\":1}}");
}

TEST(rtstat_push_extra_plugins_after_uptime) {
  RtstatFixture fx("pc");
  metrics::Sampler sampler(uncached(fx.dir));
  sampler.processes(0);
  RtstatBaseline baseline;
  rtstat_take_baseline(sampler.system(0), 1000, &baseline);
  fx.advance();
  RtstatPushInput in;
  in.system = &sampler.system(10000);
  in.processes = &sampler.processes(10000);
  in.filesystems = &sampler.filesystems(10000);
  in.clock = "10:01:02";
  in.now_ms = 3000;  // 2 s after the baseline
  in.commands.emplace_back("weather", "{\"sky\":\"a::b\"}");
  in.commands.emplace_back("x::y", "7");
  std::string json;
  rtstat_push_json(in, plugins("uptime,network,filesystems,temperatures,top_processes"),
                   &baseline, &json);
  const char* expected =
      "{\"uptime\":{\"time\":\"10:01:02\",\"uptime\":\"1 day, 10:17\",\"users\":\"2\","
      "\"la1\":\"0.52\",\"la5\":\"0.58\",\"la15\":\"0.59\"},"
      // eth0 +1250000 / +250000 bytes in 2 s, lo +1000 each.
      "\"network\":{\"lo\":{\"rx\":500,\"tx\":500},\"eth0\":{\"rx\":625000,\"tx\":125000},"
      "\"docker0\":{\"rx\":0,\"tx\":0}},"
      // statvfs.txt: frsize 4096, so kB = blocks * 4; used = blocks - bfree.
      // In mount order (the tmpfs on /tmp twice is one entry).
      "\"filesystems\":[{\"mountpoint\":\"/run\",\"size\":1631844,\"used\":1044,\"avail\":1630800},"
      "{\"mountpoint\":\"/\",\"size\":492000000,\"used\":252000000,\"avail\":214800000},"
      "{\"mountpoint\":\"/run/lock\",\"size\":5120,\"used\":0,\"avail\":5120},"
      "{\"mountpoint\":\"/tmp\",\"size\":8159220,\"used\":39220,\"avail\":8120000},"
      "{\"mountpoint\":\"/boot/efi\",\"size\":523248,\"used\":43248,\"avail\":480000},"
      "{\"mountpoint\":\"/home\",\"size\":492000000,\"used\":252000000,\"avail\":214800000},"
      "{\"mountpoint\":\"/mnt/My Backup\",\"size\":976760000,\"used\":576760000,\"avail\":351200000},"
      "{\"mountpoint\":\"/run/user/1000\",\"size\":1631840,\"used\":40,\"avail\":1631800}],"
      // gotop's sensor names; integral degrees without ".0".
      "\"temperatures\":{\"nvme_composite\":38.85,\"nvme_sensor1\":41.85,\"coretemp_packageid0\":45,"
      "\"coretemp_core0\":43,\"coretemp_core1\":44,\"acpitz\":27.8,\"amdgpu_edge\":52},"
      // pid 1700: +120 of 400 jiffies, 1500: +20; then the idle ones by pid.
      "\"top_processes\":[{\"pid\":1700,\"name\":\"python3\",\"cpu\":30},"
      "{\"pid\":1500,\"name\":\"a) b\",\"cpu\":5},{\"pid\":1,\"name\":\"systemd\",\"cpu\":0},"
      "{\"pid\":2,\"name\":\"kthreadd\",\"cpu\":0},{\"pid\":812,\"name\":\"sshd\",\"cpu\":0}],"
      "\"weather\":{\"sky\":\"a\\u003a\\u003ab\"},\"x\\u003a\\u003ay\":7}";
  EXPECT_EQ(json, expected);
  EXPECT(json.find("::") == std::string::npos);
}
