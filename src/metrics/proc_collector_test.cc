#include "metrics/proc_collector.h"

#include "base/test.h"

using namespace metrics;

static const Process* find_pid(const ProcessList& list, uint32_t pid) {
  for (const Process& p : list.rows) {
    if (p.pid == pid) return &p;
  }
  return nullptr;
}

TEST(proc_collector_pc_rows_and_counts) {
  KernelFiles files(test::path("fixtures/pc"));
  ProcessCollector collector;
  ProcessList list;
  collector.collect(files, &list);
  EXPECT_EQ(list.rows.size(), 10u);
  EXPECT_EQ(list.running, 1u);
  EXPECT_EQ(list.sleeping, 6u);
  EXPECT_EQ(list.disk_sleep, 1u);
  EXPECT_EQ(list.zombie, 1u);
  EXPECT_EQ(list.idle, 1u);
  EXPECT_EQ(list.stopped, 0u);
  EXPECT_EQ(list.other, 0u);
  EXPECT_EQ(list.threads, 12u);
  const Process* odd = find_pid(list, 1500);
  ASSERT(odd);
  EXPECT_EQ(odd->name, "a) b");
  EXPECT_EQ(odd->state, 'R');
  EXPECT_EQ(odd->ppid, 1022u);
  EXPECT_EQ(odd->uid, 1000u);
  EXPECT_EQ(odd->rss_bytes, 512u * 4096);
  EXPECT_EQ(odd->vsize_bytes, 10485760u);
  EXPECT_EQ(odd->utime_jiffies, 300u);
  EXPECT_EQ(odd->stime_jiffies, 50u);
  EXPECT_EQ(odd->start_ticks, 12000000u);
  EXPECT_EQ(odd->cpu_percent, 0.0f);
  const Process* tmux = find_pid(list, 1021);
  ASSERT(tmux);
  EXPECT_EQ(tmux->name, "tmux: server");
  const Process* python = find_pid(list, 1700);
  ASSERT(python);
  EXPECT_EQ(python->threads, 3u);
  EXPECT_EQ(python->rss_bytes, 104857600u);
  const Process* kthread = find_pid(list, 2);
  ASSERT(kthread);
  EXPECT_EQ(kthread->rss_bytes, 0u);
  EXPECT_EQ(kthread->uid, 0u);
}

TEST(proc_collector_router_many_small) {
  KernelFiles files(test::path("fixtures/router"));
  ProcessCollector collector;
  ProcessList list;
  collector.collect(files, &list);
  EXPECT_EQ(list.rows.size(), 25u);
  EXPECT_EQ(list.idle, 1u);
  EXPECT_EQ(list.sleeping, 24u);
  const Process* dnsmasq = find_pid(list, 3100);
  ASSERT(dnsmasq);
  EXPECT_EQ(dnsmasq->uid, 453u);
  EXPECT_EQ(dnsmasq->rss_bytes, 200u * 4096);
}

static Process make(uint32_t pid, uint64_t start, uint64_t utime, uint64_t stime) {
  Process p;
  p.pid = pid;
  p.start_ticks = start;
  p.utime_jiffies = utime;
  p.stime_jiffies = stime;
  return p;
}

TEST(proc_collector_cpu_tracker) {
  ProcessCpuTracker tracker;
  ProcessList list;
  list.rows = {make(10, 1, 100, 0), make(20, 1, 50, 50), make(30, 1, 0, 0)};
  tracker.update(1000, &list);
  EXPECT_EQ(list.rows[0].cpu_percent, 0.0f);  // first sight
  EXPECT_EQ(tracker.tracked(), 3u);
  // 200 jiffies later: pid 10 used 20 (10 %), pid 20 was reused (new start
  // time), pid 30 died, pid 40 is new.
  list.rows = {make(40, 9, 500, 500), make(10, 1, 110, 10), make(20, 7, 60, 60)};
  tracker.update(1200, &list);
  EXPECT_EQ(list.rows[0].cpu_percent, 0.0f);
  EXPECT_EQ(list.rows[1].cpu_percent, 10.0f);
  EXPECT_EQ(list.rows[2].cpu_percent, 0.0f);
  EXPECT_EQ(tracker.tracked(), 3u);
  // More than the whole machine (a counter glitch) is clamped.
  list.rows = {make(10, 1, 500, 10)};
  tracker.update(1300, &list);
  EXPECT_EQ(list.rows[0].cpu_percent, 100.0f);
  EXPECT_EQ(tracker.tracked(), 1u);
  // No time passed: 0, not a division by zero.
  list.rows = {make(10, 1, 600, 10)};
  tracker.update(1300, &list);
  EXPECT_EQ(list.rows[0].cpu_percent, 0.0f);
}

TEST(proc_collector_detail_with_threads) {
  KernelFiles files(test::path("fixtures/pc"));
  ProcessDetail d;
  ASSERT(collect_process_detail(files, 1700, &d));
  EXPECT_EQ(d.process.pid, 1700u);
  EXPECT_EQ(d.process.name, "python3");
  EXPECT_EQ(d.process.ppid, 1022u);
  EXPECT_EQ(d.process.uid, 1000u);
  EXPECT_EQ(d.gid, 1000u);
  EXPECT_EQ(d.process.threads, 3u);
  EXPECT_EQ(d.command, "/usr/bin/python3 -m http.server 8000");
  EXPECT(d.has_io);
  EXPECT_EQ(d.rchar, 123456789u);
  EXPECT_EQ(d.wchar, 23456789u);
  EXPECT_EQ(d.read_bytes, 4096000u);
  EXPECT_EQ(d.write_bytes, 8192u);
  EXPECT(d.has_exe);
  EXPECT_EQ(d.exe, "/usr/bin/python3.11");
  EXPECT(d.has_cwd);
  EXPECT_EQ(d.cwd, "/home/alice/www");
  ASSERT(d.threads.size() == 3);
  EXPECT_EQ(d.threads[0].tid, 1700u);
  EXPECT_EQ(d.threads[1].tid, 1701u);
  EXPECT_EQ(d.threads[1].name, "worker-1");
  EXPECT_EQ(d.threads[1].state, 'R');
  EXPECT_EQ(d.threads[1].utime_jiffies, 600u);
  EXPECT_EQ(d.threads[2].stime_jiffies, 40u);
  EXPECT_EQ(d.children.size(), 0u);
}

TEST(proc_collector_detail_children) {
  KernelFiles files(test::path("fixtures/pc"));
  ProcessDetail d;
  ASSERT(collect_process_detail(files, 1022, &d));
  EXPECT_EQ(d.command, "-bash");
  EXPECT(!d.has_io);
  EXPECT(!d.has_exe);
  EXPECT_EQ(d.exe, "");
  ASSERT(d.children.size() == 3);
  EXPECT_EQ(d.children[0].process.pid, 1500u);
  EXPECT_EQ(d.children[0].process.name, "a) b");
  EXPECT_EQ(d.children[0].command, "./a) b --flag");
  EXPECT(d.children[0].has_io);
  EXPECT_EQ(d.children[1].process.state, 'Z');
  EXPECT_EQ(d.children[2].process.pid, 1700u);
  EXPECT_EQ(d.children[2].threads.size(), 0u);  // one level only
  EXPECT(!collect_process_detail(files, 99999, &d));
  EXPECT(!collect_process_detail(files, 0, &d));
}

TEST(proc_collector_units) {
  KernelFiles fixture(test::path("fixtures/pc"));
  EXPECT_EQ(page_size_bytes(fixture), 4096u);
  EXPECT_EQ(clock_ticks_per_second(fixture), 100u);
  KernelFiles host("/");
  EXPECT(page_size_bytes(host) >= 4096);
  EXPECT(clock_ticks_per_second(host) > 0);
}
