// Golden frames: fixed host snapshots drawn at 80x24 and 160x50, in ASCII
// and UTF-8, compared with tests/golden/*.txt. STATC_UPDATE_GOLDEN=1
// rewrites the files (review the diff before committing it).
#include "client/views.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/test.h"
#include "client/socktop_decode.h"

namespace {

// A workstation seen over socktop for a while: history, rates, lists.
Host make_host(uint64_t* now_ms) {
  Host h("127.0.0.1:3000", "ws://127.0.0.1:3000/ws", "ws");
  std::string err;
  HostSample base;
  socktop_decode_metrics(test::read_file("fixtures/socktop/metrics-pc.json"), &base, &err);
  uint64_t t = 1000;
  for (int i = 0; i < 120; i++, t += 1000) {
    HostSample s = base;
    s.sampled_at_ms = 1795418907763ull + t;
    s.cpu_total_percent = 20 + (i * 7) % 50;
    s.cpu_core_percent = {10.0 + i % 30, 55, 80.5, 3};
    s.net[1].rx_bytes += static_cast<uint64_t>(i) * 150000;
    s.net[1].tx_bytes += static_cast<uint64_t>(i) * 20000;
    h.apply_sample(s, t);
  }
  socktop_decode_disks(test::read_file("fixtures/socktop/disks-pc.json"), &h.disks, &err);
  h.has_disks = true;
  for (uint32_t pid = 1; pid <= 60; pid++) {
    ProcRow p;
    p.pid = pid * 17;
    p.name = pid == 3 ? "tmux: server" : "proc-" + std::to_string(pid);
    p.cpu_percent = static_cast<float>((pid * 13) % 40) / 4;
    p.mem_bytes = static_cast<uint64_t>(pid) * 3 * 1024 * 1024;
    h.processes.push_back(p);
  }
  h.process_count = 60;
  h.has_processes = true;
  *now_ms = t - 1000 + 400;
  return h;
}

void check_golden(const Screen& s, const char* name) {
  std::string text = screen_to_text(s) + "\n";
  std::string relative = std::string("golden/") + name;
  std::string path = test::path(relative.c_str());
  if (getenv("STATC_UPDATE_GOLDEN")) {
    FILE* f = fopen(path.c_str(), "wb");
    if (f) {
      fwrite(text.data(), 1, text.size(), f);
      fclose(f);
    }
  }
  EXPECT_EQ(text, test::read_file(relative.c_str()));
}

void host_frame(int cols, int rows, bool utf8, const char* golden) {
  uint64_t now;
  Host h = make_host(&now);
  ViewState v;
  v.utf8 = utf8;
  Screen s(cols, rows);
  draw_host_view(s, h, &v, now);
  check_golden(s, golden);
}

}  // namespace

TEST(views_host_80x24_ascii) { host_frame(80, 24, false, "host-80x24-ascii.txt"); }
TEST(views_host_80x24_utf8) { host_frame(80, 24, true, "host-80x24-utf8.txt"); }
TEST(views_host_160x50_ascii) { host_frame(160, 50, false, "host-160x50-ascii.txt"); }
TEST(views_host_160x50_utf8) { host_frame(160, 50, true, "host-160x50-utf8.txt"); }

TEST(views_overview_80x24_and_160x50) {
  uint64_t now;
  Host a = make_host(&now);
  Host b("10.0.0.2:9100", "http://10.0.0.2:9100/metrics", "http");
  b.set_state(HostState::kDown, now - 42000, "connection refused");
  Host c("OpenWrt", "rtstat://192.168.1.1:8000", "rtstat");
  c.set_state(HostState::kUnauthorized, now - 5000, "Auth failed");
  ViewState v;
  v.overview = v.multi_host = true;
  v.selected = 1;
  v.utf8 = false;
  Screen small(80, 24);
  draw_overview(small, {&a, &b, &c}, v, now);
  check_golden(small, "overview-80x24-ascii.txt");
  v.utf8 = true;
  Screen big(160, 50);
  draw_overview(big, {&a, &b, &c}, v, now);
  check_golden(big, "overview-160x50-utf8.txt");
}

TEST(views_filter_and_sort_select_rows) {
  uint64_t now;
  Host h = make_host(&now);
  ViewState v;
  v.sort = ProcessSort::kMemory;
  std::vector<const ProcRow*> rows = visible_processes(h, v);
  ASSERT(rows.size() == 60);
  EXPECT_EQ(rows[0]->pid, 60u * 17);
  v.filter = "tmux";
  rows = visible_processes(h, v);
  ASSERT(rows.size() == 1);
  EXPECT_EQ(rows[0]->name, "tmux: server");
  v.filter.clear();
  v.sort = ProcessSort::kName;
  rows = visible_processes(h, v);
  EXPECT_EQ(rows[0]->name, "proc-1");
}
