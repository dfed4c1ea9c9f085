#include "client/socktop_decode.h"

#include <stdio.h>

#include "base/test.h"

static std::string read_fixture(const char* name) {
  return test::read_file((std::string("fixtures/socktop/") + name).c_str());
}

TEST(socktop_decode_metrics_text_reply) {
  std::string bytes;
  std::string err;
  ASSERT(socktop_reply_bytes(false, read_fixture("metrics-pc.json"), &bytes, &err));
  HostSample s;
  ASSERT(socktop_decode_metrics(bytes, &s, &err));
  EXPECT_EQ(s.hostname, "workstation");
  EXPECT_EQ(s.mem_total_bytes, 16710053888ull);
  EXPECT_EQ(s.mem_used_bytes, 6119325696ull);
  EXPECT_EQ(s.swap_used_bytes, 16777216ull);
  EXPECT_EQ(s.cpu_core_percent.size(), 4u);
  EXPECT_EQ(s.sampled_at_ms, 1795418907763ull);
  ASSERT(s.net.size() == 3);
  EXPECT_EQ(s.net[1].name, "eth0");
  EXPECT_EQ(s.net[1].rx_bytes, 987654321ull);
  ASSERT(s.has_temps && s.temps.size() == 1);
  EXPECT(s.temps[0].celsius == 45.0);
  EXPECT(!s.has_load && !s.has_uptime);  // not in socktop's protocol: absent, not zero
}

TEST(socktop_decode_metrics_gzip_binary_reply) {
  std::string bytes, err;
  ASSERT(socktop_reply_bytes(true, read_fixture("metrics-many-interfaces.json.gz"), &bytes, &err));
  EXPECT_EQ(bytes.size(), 2644u);
  HostSample s;
  ASSERT(socktop_decode_metrics(bytes, &s, &err));
  EXPECT_EQ(s.net.size(), 40u);
  EXPECT_EQ(s.net[39].tx_bytes, 78000u);
  EXPECT_EQ(s.cpu_core_percent.size(), 16u);
  EXPECT(s.cpu_core_percent[15] == 15.0);
}

TEST(socktop_decode_metrics_rejects_missing_required_key) {
  HostSample s;
  std::string err;
  EXPECT(!socktop_decode_metrics("{\"cpu_total\":1}", &s, &err));
  EXPECT_EQ(err, "missing key 'cpu_per_core'");
  EXPECT(!socktop_decode_metrics("[1]", &s, &err));
  EXPECT(!socktop_decode_metrics("{", &s, &err));
}

TEST(socktop_decode_disks_reply) {
  std::vector<DiskRow> disks;
  std::string err;
  ASSERT(socktop_decode_disks(read_fixture("disks-pc.json"), &disks, &err));
  ASSERT(!disks.empty());
  EXPECT_EQ(disks[0].name, "/dev/nvme0n1");
  EXPECT(!disks[0].is_partition);
  EXPECT(disks[1].is_partition);
  EXPECT(disks[0].total_bytes >= disks[1].total_bytes);
  // 1.50 fields missing: defaults (null temperature, not a partition).
  ASSERT(socktop_decode_disks("[{\"name\":\"/dev/sda1\",\"total\":10,\"available\":4}]", &disks, &err));
  EXPECT(!disks[0].has_temperature && !disks[0].is_partition);
}

TEST(socktop_decode_processes_raw_gzip_and_legacy) {
  uint64_t count = 0;
  std::vector<ProcRow> rows;
  std::string err, bytes;
  ASSERT(socktop_reply_bytes(true, read_fixture("processes-pc.bin"), &bytes, &err));
  ASSERT(socktop_decode_processes(bytes, false, &count, &rows, &err));
  EXPECT_EQ(count, rows.size());
  EXPECT(count > 0);

  ASSERT(socktop_reply_bytes(true, read_fixture("processes-400.pb.gz"), &bytes, &err));
  ASSERT(socktop_decode_processes(bytes, false, &count, &rows, &err));
  EXPECT_EQ(count, 400u);
  ASSERT(rows.size() == 400);
  EXPECT_EQ(rows[399].pid, 1399u);
  EXPECT_EQ(rows[399].name, "worker-399");
  EXPECT(rows[399].cpu_percent == 2.25f);
  EXPECT_EQ(rows[399].mem_bytes, 4096u * 399);

  ASSERT(socktop_decode_processes(read_fixture("processes-legacy.json"), true, &count, &rows, &err));
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(rows[1].name, "sshd");
  EXPECT(rows[1].cpu_percent == 1.25f);
}

TEST(socktop_decode_processes_spec_example_and_bad_utf8) {
  // socktop.md §8.2's 20 bytes.
  std::string example("\x08\x02\x12\x10\x08\x01\x12\x04init\x1d\x00\x00\x00\x3f\x20\x80\x20", 20);
  uint64_t count;
  std::vector<ProcRow> rows;
  std::string err;
  ASSERT(socktop_decode_processes(example, false, &count, &rows, &err));
  EXPECT_EQ(count, 2u);
  ASSERT(rows.size() == 1);
  EXPECT_EQ(rows[0].name, "init");
  EXPECT(rows[0].cpu_percent == 0.5f);
  EXPECT_EQ(rows[0].mem_bytes, 4096u);
  std::string bad("\x12\x04\x12\x02\xff\xfe", 6);  // a name that is not UTF-8
  EXPECT(!socktop_decode_processes(bad, false, &count, &rows, &err));
}

TEST(socktop_decode_process_detail_and_error_object) {
  const char* json =
      "{\"process\":{\"pid\":42,\"name\":\"sshd\",\"command\":\"/usr/sbin/sshd -D\",\"cpu_usage\":150.5,"
      "\"mem_bytes\":4096,\"virtual_mem_bytes\":8192,\"shared_mem_bytes\":null,\"thread_count\":3,"
      "\"fd_count\":null,\"status\":\"Sleeping\",\"parent_pid\":1,\"user_id\":0,\"group_id\":0,"
      "\"start_time\":1700000000,\"cpu_time_user\":1500000,\"cpu_time_system\":250000,"
      "\"read_bytes\":10,\"write_bytes\":20,\"working_directory\":\"/\",\"executable_path\":null,"
      "\"child_processes\":[],\"threads\":[]},\"cached_at\":1700000100}";
  ProcDetail d;
  std::string err;
  ASSERT(socktop_decode_process_detail(json, &d, &err));
  EXPECT_EQ(d.pid, 42u);
  EXPECT_EQ(d.command, "/usr/sbin/sshd -D");
  EXPECT(d.cpu_percent == 150.5);
  EXPECT_EQ(d.thread_count, 3u);
  EXPECT_EQ(d.cpu_time_user_us, 1500000u);
  EXPECT(d.has_io && d.write_bytes == 20);
  EXPECT(d.error.empty());
  ASSERT(socktop_decode_process_detail(
      "{\"error\":\"Process 9 not found\",\"request\":\"get_process_metrics\",\"pid\":9}", &d, &err));
  EXPECT_EQ(d.error, "Process 9 not found");
  EXPECT(!socktop_decode_process_detail("{\"process\":{\"pid\":1}}", &d, &err));
}
