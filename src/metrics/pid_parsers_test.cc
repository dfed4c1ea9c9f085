#include "metrics/pid_parsers.h"

#include "base/test.h"
#include "metrics/kernel_files.h"

using namespace metrics;

static std::string pc_file(const std::string& rel) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string out;
  files.read_once(rel, &out, 1 << 16);
  return out;
}

TEST(pid_parsers_stat_with_parenthesis_in_comm) {
  PidStat stat;
  std::string err;
  ASSERT(parse_pid_stat(pc_file("proc/1500/stat"), &stat, &err));
  EXPECT_EQ(stat.pid, 1500u);
  EXPECT_EQ(stat.comm, "a) b");
  EXPECT_EQ(stat.state, 'R');
  EXPECT_EQ(stat.ppid, 1022u);
  EXPECT_EQ(stat.utime_jiffies, 300u);
  EXPECT_EQ(stat.stime_jiffies, 50u);
  EXPECT_EQ(stat.num_threads, 1u);
  EXPECT_EQ(stat.start_ticks, 12000000u);
  EXPECT_EQ(stat.vsize_bytes, 10485760u);
  EXPECT_EQ(stat.rss_pages, 512u);
}

TEST(pid_parsers_stat_space_and_threads) {
  PidStat stat;
  ASSERT(parse_pid_stat(pc_file("proc/1021/stat"), &stat, nullptr));
  EXPECT_EQ(stat.comm, "tmux: server");
  EXPECT_EQ(stat.state, 'S');
  ASSERT(parse_pid_stat(pc_file("proc/1700/stat"), &stat, nullptr));
  EXPECT_EQ(stat.num_threads, 3u);
  EXPECT_EQ(stat.rss_pages, 25600u);
  // The worst comm the kernel allows: ") (" inside, 15 bytes.
  ASSERT(parse_pid_stat("77 () ( ) ) S 1 77 77 0 -1 0 0 0 0 0 9 8 0 0 20 0 2 0 55 4096 3\n",
                        &stat, nullptr));
  EXPECT_EQ(stat.comm, ") ( ) ");
  EXPECT_EQ(stat.utime_jiffies, 9u);
  EXPECT_EQ(stat.num_threads, 2u);
  EXPECT_EQ(stat.rss_pages, 3u);
}

TEST(pid_parsers_stat_rejects_garbage) {
  PidStat stat;
  std::string err;
  EXPECT(!parse_pid_stat("", &stat, &err));
  EXPECT(!parse_pid_stat("12 (x) S 1 2 3", &stat, &err));
  EXPECT_EQ(err, "pid stat: too few fields");
  EXPECT(!parse_pid_stat("12 x) S 1", &stat, &err));
  EXPECT(!parse_pid_stat("x (a) S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22",
                         &stat, &err));
  EXPECT(!parse_pid_stat("1 )( S", &stat, &err));
}

TEST(pid_parsers_status_fields) {
  PidStatus status;
  ASSERT(parse_pid_status(pc_file("proc/1700/status"), &status, nullptr));
  EXPECT_EQ(status.name, "python3");
  EXPECT(status.has_uid);
  EXPECT_EQ(status.uid, 1000u);
  EXPECT_EQ(status.euid, 1000u);
  EXPECT_EQ(status.gid, 1000u);
  EXPECT(status.has_threads);
  EXPECT_EQ(status.threads, 3u);
  EXPECT(status.has_vm_rss);
  EXPECT_EQ(status.vm_rss_bytes, 104857600u);
  EXPECT_EQ(status.vm_size_bytes, 800000000u / 1024 * 1024);
  ASSERT(parse_pid_status(pc_file("proc/1021/status"), &status, nullptr));
  EXPECT_EQ(status.name, "tmux: server");
  // A kernel thread has no Vm* lines.
  ASSERT(parse_pid_status(pc_file("proc/2/status"), &status, nullptr));
  EXPECT_EQ(status.uid, 0u);
  EXPECT(!status.has_vm_rss);
  ASSERT(parse_pid_status("Name:\tline\\nbreak\\\\x\nUid:\t5\t6\t6\t6\n", &status, nullptr));
  EXPECT_EQ(status.name, "line\nbreak\\x");
  EXPECT_EQ(status.uid, 5u);
  EXPECT_EQ(status.euid, 6u);
  EXPECT(!parse_pid_status("nothing here", &status, nullptr));
}

TEST(pid_parsers_io_and_cmdline) {
  PidIo io;
  ASSERT(parse_pid_io(pc_file("proc/1700/io"), &io, nullptr));
  EXPECT_EQ(io.rchar, 123456789u);
  EXPECT_EQ(io.wchar, 23456789u);
  EXPECT_EQ(io.read_bytes, 4096000u);
  EXPECT_EQ(io.write_bytes, 8192u);
  EXPECT(!parse_pid_io("rchar: 1\nwchar: 2\n", &io, nullptr));
  EXPECT_EQ(join_cmdline(pc_file("proc/1700/cmdline")), "/usr/bin/python3 -m http.server 8000");
  EXPECT_EQ(join_cmdline(pc_file("proc/2/cmdline")), "");
  EXPECT_EQ(join_cmdline(std::string("a\0\0b\0\0", 6)), "a  b");
}

TEST(pid_parsers_state_names) {
  EXPECT_EQ(std::string(process_state_name('R')), "Running");
  EXPECT_EQ(std::string(process_state_name('S')), "Sleeping");
  EXPECT_EQ(std::string(process_state_name('D')), "Disk Sleep");
  EXPECT_EQ(std::string(process_state_name('Z')), "Zombie");
  EXPECT_EQ(std::string(process_state_name('T')), "Stopped");
  EXPECT_EQ(std::string(process_state_name('I')), "Idle");
  EXPECT_EQ(std::string(process_state_name('?')), "Unknown");
}
