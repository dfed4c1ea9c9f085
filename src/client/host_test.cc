#include "client/host.h"

#include "base/test.h"

static HostSample net_sample(uint64_t at_ms, uint64_t rx, uint64_t tx) {
  HostSample s;
  s.sampled_at_ms = at_ms;
  s.has_net = true;
  s.net = {{"eth0", rx, tx}};
  s.has_cpu = true;
  s.cpu_total_percent = 10;
  return s;
}

TEST(host_rates_from_source_timestamps) {
  Host h("a", "ws://a:3000/ws", "socktop");
  h.apply_sample(net_sample(10000, 1000, 500), 1);
  EXPECT(!h.has_rates);
  EXPECT(h.state == HostState::kLive);
  h.apply_sample(net_sample(12000, 5000, 2500), 999999);  // local clock ignored
  ASSERT(h.has_rates);
  EXPECT(h.rx_bytes_per_s == 2000.0);
  EXPECT(h.tx_bytes_per_s == 1000.0);
  // A cached reply repeats sampled_at_ms: no new rate, no new history point.
  h.apply_sample(net_sample(12000, 5000, 2500), 1000000);
  EXPECT_EQ(h.rx_history.size(), 1u);
  EXPECT_EQ(h.cpu_history.size(), 2u);
  // A counter reset (reboot) does not produce a huge or negative rate.
  h.apply_sample(net_sample(13000, 10, 10), 1000001);
  EXPECT_EQ(h.rx_history.size(), 1u);
  h.apply_sample(net_sample(14000, 1010, 10), 1000002);
  EXPECT(h.rx_bytes_per_s == 1000.0);
}

TEST(host_rates_from_local_clock_without_timestamps) {
  Host h("b", "http://b/metrics", "prometheus");
  h.apply_sample(net_sample(0, 0, 0), 5000);
  h.apply_sample(net_sample(0, 3000, 0), 5500);
  ASSERT(h.has_rates);
  EXPECT(h.rx_bytes_per_s == 6000.0);
}

TEST(host_history_keeps_newest) {
  History hist;
  for (int i = 0; i < 300; i++) hist.push(i);
  EXPECT_EQ(hist.size(), History::kCapacity);
  EXPECT(hist.at(0) == 300.0 - History::kCapacity);
  EXPECT(hist.newest() == 299.0);
}

TEST(host_json_marks_absent_groups_null) {
  Host h("c", "rtstat://c:8000", "rtstat");
  h.set_state(HostState::kDown, 0, "connection refused");
  std::string out;
  hosts_write_json({&h}, 4000, &out);
  EXPECT(out.find("\"state\":\"down\"") != std::string::npos);
  EXPECT(out.find("\"error\":\"connection refused\"") != std::string::npos);
  EXPECT(out.find("\"state_age_s\":4") != std::string::npos);
  EXPECT(out.find("\"mem_total_bytes\":null") != std::string::npos);
  EXPECT(out.find("\"load\":null") != std::string::npos);
  EXPECT(out.back() == '\n');
}
