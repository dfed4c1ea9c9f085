#include "metrics/fs_collector.h"

#include "base/test.h"

using namespace metrics;

TEST(fs_collector_pc_filter_and_sizes) {
  KernelFiles files(test::path("fixtures/pc"));
  EXPECT(default_statvfs_fn(files) == statvfs_fixture);
  std::string buf;
  std::vector<Filesystem> fs;
  ASSERT(collect_filesystems(files, default_statvfs_fn(files), &buf, &fs));
  ASSERT(fs.size() == 8);
  const char* mountpoints[] = {"/run", "/", "/run/lock", "/tmp", "/boot/efi",
                               "/home", "/mnt/My Backup", "/run/user/1000"};
  for (size_t i = 0; i < 8; i++) EXPECT_EQ(fs[i].mountpoint, mountpoints[i]);
  EXPECT_EQ(fs[1].device, "/dev/nvme0n1p2");
  EXPECT_EQ(fs[1].fstype, "ext4");
  EXPECT_EQ(fs[1].size_bytes, 503808000000ull);
  EXPECT_EQ(fs[1].free_bytes, 245760000000ull);
  EXPECT_EQ(fs[1].avail_bytes, 219955200000ull);
  EXPECT_EQ(fs[1].files, 7700000u);
  EXPECT_EQ(fs[1].files_free, 7000000u);
  EXPECT(!fs[1].readonly);
  EXPECT(!fs[1].device_error);
  // /tmp was mounted twice: the later (rw) mount is the one that counts.
  EXPECT_EQ(fs[3].fstype, "tmpfs");
  EXPECT(!fs[3].readonly);
  EXPECT_EQ(fs[4].size_bytes, 535805952u);
  EXPECT_EQ(fs[4].files, 0u);
  EXPECT_EQ(fs[6].device, "/dev/sda1");
  EXPECT(fs[6].readonly);
  EXPECT_EQ(fs[6].size_bytes, 1000202240000ull);
}

TEST(fs_collector_router_and_rpi) {
  std::string buf;
  std::vector<Filesystem> fs;
  KernelFiles router(test::path("fixtures/router"));
  ASSERT(collect_filesystems(router, statvfs_fixture, &buf, &fs));
  ASSERT(fs.size() == 2);  // overlay "/", squashfs "/rom" and /dev are skipped
  EXPECT_EQ(fs[0].mountpoint, "/tmp");
  EXPECT_EQ(fs[1].device, "/dev/ubi0_2");
  EXPECT_EQ(fs[1].fstype, "ubifs");
  EXPECT_EQ(fs[1].size_bytes, 19750u * 4096);
  EXPECT_EQ(fs[1].avail_bytes, 17500u * 4096);
  KernelFiles rpi(test::path("fixtures/rpi"));
  ASSERT(collect_filesystems(rpi, statvfs_fixture, &buf, &fs));
  ASSERT(fs.size() == 5);
  EXPECT_EQ(fs[2].mountpoint, "/boot/firmware");
  EXPECT_EQ(fs[2].size_bytes, 1046528u * 512);
  EXPECT_EQ(fs[3].device, "/dev/zram1");
}

static bool statvfs_fails_for_home(const std::string& root, const std::string& mountpoint,
                                   FsSizes* out) {
  if (mountpoint == "/home") return false;
  return statvfs_fixture(root, mountpoint, out);
}

TEST(fs_collector_statvfs_failure_marks_device_error) {
  KernelFiles files(test::path("fixtures/pc"));
  std::string buf;
  std::vector<Filesystem> fs;
  ASSERT(collect_filesystems(files, statvfs_fails_for_home, &buf, &fs));
  ASSERT(fs.size() == 8);
  EXPECT(fs[5].device_error);
  EXPECT_EQ(fs[5].size_bytes, 0u);
  EXPECT(!fs[4].device_error);
  FsSizes sizes;
  EXPECT(!statvfs_fixture(test::path("fixtures/pc"), "/nowhere", &sizes));
}

TEST(fs_collector_ignore_rules) {
  for (const char* mp : {"/dev", "/dev/shm", "/proc", "/proc/sys/fs/binfmt_misc", "/sys",
                         "/sys/fs/cgroup", "/run/credentials/getty.service",
                         "/var/lib/docker/overlay2/x/merged",
                         "/var/lib/containers/storage/overlay"}) {
    if (!mountpoint_is_ignored(mp)) test::fail(__FILE__, __LINE__, mp);
  }
  for (const char* mp : {"/", "/devices", "/system", "/run", "/run/credentials",
                         "/var/lib/docker", "/home"}) {
    if (mountpoint_is_ignored(mp)) test::fail(__FILE__, __LINE__, mp);
  }
  EXPECT(fstype_is_ignored("overlay"));
  EXPECT(fstype_is_ignored("squashfs"));
  EXPECT(fstype_is_ignored("cgroup2"));
  EXPECT(fstype_is_ignored("ramfs"));
  EXPECT(!fstype_is_ignored("tmpfs"));
  EXPECT(!fstype_is_ignored("ext4"));
  EXPECT(!fstype_is_ignored("ubifs"));
}

TEST(fs_collector_host_statvfs) {
  FsSizes sizes;
  ASSERT(statvfs_host("/", "/", &sizes));
  EXPECT(sizes.blocks > 0);
  EXPECT(sizes.fragment_bytes > 0);
  KernelFiles host("/");
  EXPECT(default_statvfs_fn(host) == statvfs_host);
}
