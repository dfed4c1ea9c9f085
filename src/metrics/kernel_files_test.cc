#include "metrics/kernel_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "base/test.h"

using metrics::KernelFiles;

static std::string make_temp_dir() {
  char tmpl[] = "/tmp/statd-kf-XXXXXX";
  return mkdtemp(tmpl) ? std::string(tmpl) : std::string();
}

static void write_file(const std::string& path, const std::string& content) {
  FILE* f = fopen(path.c_str(), "w");  // in place: kept descriptors see it
  if (!f) return;
  fwrite(content.data(), 1, content.size(), f);
  fclose(f);
}

static void remove_tree(const std::string& dir) {
  std::string cmd = "rm -rf '" + dir + "'";
  if (system(cmd.c_str()) != 0) fprintf(stderr, "could not remove %s\n", dir.c_str());
}

TEST(kernel_files_paths) {
  KernelFiles host("/");
  EXPECT(host.is_host_root());
  EXPECT_EQ(host.path("proc/stat"), "/proc/stat");
  KernelFiles fixture("tests/fixtures/pc");
  EXPECT(!fixture.is_host_root());
  EXPECT_EQ(fixture.path("proc/stat"), "tests/fixtures/pc/proc/stat");
  EXPECT_EQ(fixture.path("/proc/stat"), "tests/fixtures/pc/proc/stat");
}

TEST(kernel_files_read_kept_uses_one_pread) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string out;
  ASSERT(files.read_kept("proc/loadavg", &out));
  EXPECT_EQ(out, "0.52 0.58 0.59 2/1234 56789\n");
  EXPECT_EQ(files.kept_count(), 1u);
  EXPECT_EQ(files.syscalls(), 2u);  // open + pread
  ASSERT(files.read_kept("proc/loadavg", &out));
  EXPECT_EQ(out, "0.52 0.58 0.59 2/1234 56789\n");
  EXPECT_EQ(files.syscalls(), 3u);  // one pread
  // Multi-record proc files are read until pread returns 0.
  ASSERT(files.read_kept("proc/net/dev", &out));
  EXPECT_EQ(files.syscalls(), 6u);
  EXPECT(!files.read_kept("proc/no-such-file", &out));
  EXPECT_EQ(out, "");
  EXPECT_EQ(files.kept_count(), 2u);
}

TEST(kernel_files_kept_sees_rewrites_and_growth) {
  std::string dir = make_temp_dir();
  ASSERT(!dir.empty());
  write_file(dir + "/value", "41000\n");
  KernelFiles files(dir);
  std::string out;
  ASSERT(files.read_kept("value", &out));
  EXPECT_EQ(out, "41000\n");
  write_file(dir + "/value", "7\n");
  ASSERT(files.read_kept("value", &out));
  EXPECT_EQ(out, "7\n");
  std::string big(10000, 'x');
  write_file(dir + "/value", big);
  ASSERT(files.read_kept("value", &out));
  EXPECT_EQ(out.size(), 10000u);
  EXPECT(out == big);
  remove_tree(dir);
}

TEST(kernel_files_failed_pread_drops_descriptor) {
  // open(2) succeeds on a directory but pread fails (EISDIR): the kept
  // descriptor is dropped after one reopen attempt.
  KernelFiles files(test::path("fixtures/pc"));
  std::string out;
  EXPECT(!files.read_kept("proc", &out));
  EXPECT_EQ(files.kept_count(), 0u);
}

TEST(kernel_files_bounded_kept_descriptors) {
  KernelFiles files(test::path("fixtures/pc"), 2);
  std::string out;
  ASSERT(files.read_kept("proc/loadavg", &out));
  ASSERT(files.read_kept("proc/uptime", &out));
  ASSERT(files.read_kept("proc/sys/kernel/hostname", &out));
  EXPECT_EQ(out, "workstation\n");
  EXPECT_EQ(files.kept_count(), 2u);
  files.forget("proc/up");
  EXPECT_EQ(files.kept_count(), 1u);
}

TEST(kernel_files_read_once_truncates) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string out;
  ASSERT(files.read_once("proc/loadavg", &out, 5));
  EXPECT_EQ(out, "0.52 ");
  EXPECT_EQ(files.kept_count(), 0u);
  EXPECT_EQ(files.syscalls(), 3u);  // open, pread, close
}

TEST(kernel_files_directories_and_links) {
  KernelFiles files(test::path("fixtures/pc"));
  std::vector<std::string> names;
  ASSERT(files.list_dir("sys/class/net", &names));
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names.size(), 3u);
  if (names.size() == 3) {
    EXPECT_EQ(names[0], "docker0");
    EXPECT_EQ(names[1], "eth0");
    EXPECT_EQ(names[2], "lo");
  }
  EXPECT(!files.list_dir("sys/class/nothing", &names));
  EXPECT(files.is_dir("sys/block/nvme0n1"));  // a symlink to a directory
  EXPECT(!files.is_dir("sys/block/nvme0n1p1"));
  std::string target;
  ASSERT(files.read_link("sys/class/hwmon/hwmon1", &target));
  EXPECT_EQ(target, "../../devices/platform/coretemp.0/hwmon/hwmon1");
  std::string resolved;
  ASSERT(files.resolve("sys/class/hwmon/hwmon1/device", &resolved));
  std::string_view tail = "/sys/devices/platform/coretemp.0";
  ASSERT(resolved.size() > tail.size());
  EXPECT_EQ(resolved.substr(resolved.size() - tail.size()), tail);
  EXPECT_EQ(resolved[0], '/');
}
