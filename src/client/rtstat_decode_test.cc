#include "client/rtstat_decode.h"

#include "base/test.h"

TEST(rtstat_decode_spec_example) {
  // rtstat.md §6.5, verbatim.
  const char* json =
      "{\"cpu_stat\":{\"cpu0\":{\"usage\":0.12,\"user\":0.08,\"system\":0.04,\"iowait\":0},"
      "\"cpu1\":{\"usage\":0.05,\"user\":0.03,\"system\":0.02,\"iowait\":0}},"
      "\"meminfo\":{\"memory\":{\"total\":8052084,\"used\":5123456,\"free\":2928628,\"apps\":2345678,"
      "\"buffers\":123456,\"cached\":2500000,\"swapCached\":0},\"swap\":{\"total\":2097148,\"used\":0,"
      "\"free\":2097148}},\"processes\":{\"all\":187,\"running\":1,\"sleep\":186,\"stopped\":0,"
      "\"zombie\":0},\"uptime\":{\"time\":\"10:01:02\",\"uptime\":\"5 days,  3:04\",\"users\":\"2\","
      "\"la1\":\"0.00\",\"la5\":\"0.01\",\"la15\":\"0.05\"}}";
  HostSample s;
  uint64_t count = 0;
  bool has_count = false;
  std::string err;
  ASSERT(rtstat_decode_push(json, &s, &count, &has_count, &err));
  ASSERT(s.cpu_core_percent.size() == 2);
  EXPECT(s.cpu_core_percent[0] == 12.0);
  EXPECT(s.cpu_total_percent == 8.5);
  EXPECT_EQ(s.mem_total_bytes, 8052084ull * 1024);
  EXPECT_EQ(s.mem_used_bytes, 2345678ull * 1024);
  EXPECT_EQ(s.swap_total_bytes, 2097148ull * 1024);
  EXPECT(s.has_load && s.load15 == 0.05);
  EXPECT(s.has_uptime && s.uptime_s == (5 * 24 * 60 + 3 * 60 + 4) * 60.0);
  EXPECT(has_count && count == 187);
  EXPECT(!s.has_net);
}

TEST(rtstat_decode_uptime_forms) {
  double t;
  EXPECT(rtstat_parse_uptime("4 min", &t) && t == 240);
  EXPECT(rtstat_parse_uptime("3:04", &t) && t == 184 * 60);
  EXPECT(rtstat_parse_uptime("1 day, 10:00", &t) && t == 34 * 3600);
  EXPECT(rtstat_parse_uptime("2 days, 5 min", &t) && t == 2 * 86400 + 300);
  EXPECT(!rtstat_parse_uptime("", &t));
  EXPECT(!rtstat_parse_uptime("soon", &t));
}

TEST(rtstat_decode_requires_meminfo) {
  HostSample s;
  uint64_t count;
  bool has;
  std::string err;
  EXPECT(!rtstat_decode_push("{\"cpu_stat\":{}}", &s, &count, &has, &err));
  EXPECT(!rtstat_decode_push("[]", &s, &count, &has, &err));
}
