#include "metrics/disk_list.h"

#include "base/test.h"
#include "metrics/fs_collector.h"
#include "metrics/sensors.h"

using namespace metrics;

static void build_for(const char* tree, std::vector<BlockDisk>* out) {
  KernelFiles files(test::path((std::string("fixtures/") + tree).c_str()));
  std::string buf;
  std::vector<Filesystem> fs;
  collect_filesystems(files, statvfs_fixture, &buf, &fs);
  SensorsCollector sensors_collector;
  Sensors sensors;
  sensors_collector.collect(files, 0, &sensors);
  build_disk_list(files, fs, sensors, out);
}

TEST(disk_list_partition_test) {
  KernelFiles pc(test::path("fixtures/pc")), rpi(test::path("fixtures/rpi"));
  std::string parent;
  ASSERT(partition_parent(pc, "nvme0n1p2", &parent));
  EXPECT_EQ(parent, "nvme0n1");
  ASSERT(partition_parent(pc, "sda1", &parent));
  EXPECT_EQ(parent, "sda");
  ASSERT(partition_parent(rpi, "mmcblk0p1", &parent));
  EXPECT_EQ(parent, "mmcblk0");
  EXPECT(!partition_parent(rpi, "zram1", &parent));  // whole disk (1.50 got it wrong)
  EXPECT(!partition_parent(pc, "nvme0n1", &parent));
  EXPECT(!partition_parent(pc, "nvme1n1p1", &parent));  // no such parent
  EXPECT(!partition_parent(pc, "root", &parent));
  EXPECT(!partition_parent(pc, "../sda1", &parent));
  EXPECT(!partition_parent(pc, "mapper/vg-root", &parent));
  EXPECT(!partition_parent(pc, "", &parent));
}

TEST(disk_list_pc) {
  std::vector<BlockDisk> disks;
  build_for("pc", &disks);
  ASSERT(disks.size() == 5);  // /home repeats /dev/nvme0n1p2; tmpfs is left out
  EXPECT_EQ(disks[0].name, "/dev/nvme0n1");
  EXPECT(!disks[0].is_partition);
  EXPECT_EQ(disks[0].total_bytes, 503808000000ull + 535805952ull);
  EXPECT_EQ(disks[0].available_bytes, 219955200000ull + 491520000ull);
  EXPECT(disks[0].has_temperature);
  EXPECT_EQ(disks[0].temperature_c, 38.85);
  EXPECT_EQ(disks[1].name, "/dev/nvme0n1p1");
  EXPECT(disks[1].is_partition);
  EXPECT_EQ(disks[1].total_bytes, 535805952u);
  EXPECT_EQ(disks[2].name, "/dev/nvme0n1p2");
  EXPECT(disks[2].is_partition);
  EXPECT_EQ(disks[2].temperature_c, 38.85);
  EXPECT_EQ(disks[3].name, "/dev/sda");
  EXPECT(!disks[3].has_temperature);
  EXPECT_EQ(disks[3].total_bytes, 1000202240000ull);
  EXPECT_EQ(disks[4].name, "/dev/sda1");
  EXPECT(disks[4].is_partition);
}

TEST(disk_list_rpi_whole_disk_zram_last) {
  std::vector<BlockDisk> disks;
  build_for("rpi", &disks);
  ASSERT(disks.size() == 4);
  EXPECT_EQ(disks[0].name, "/dev/mmcblk0");
  EXPECT_EQ(disks[0].total_bytes, 31023169536ull + 535822336ull);
  EXPECT_EQ(disks[0].available_bytes, 19156992000ull + 449536000ull);
  EXPECT_EQ(disks[1].name, "/dev/mmcblk0p1");
  EXPECT_EQ(disks[2].name, "/dev/mmcblk0p2");
  EXPECT_EQ(disks[3].name, "/dev/zram1");
  EXPECT(!disks[3].is_partition);
  EXPECT_EQ(disks[3].total_bytes, 50331648u);
  EXPECT_EQ(disks[3].available_bytes, 43008000u);
}

TEST(disk_list_router_overlay_device) {
  std::vector<BlockDisk> disks;
  build_for("router", &disks);
  ASSERT(disks.size() == 1);
  EXPECT_EQ(disks[0].name, "/dev/ubi0_2");
  EXPECT(!disks[0].is_partition);
  EXPECT_EQ(disks[0].total_bytes, 19750u * 4096);
}

TEST(disk_list_second_nvme_temperature) {
  KernelFiles files(test::path("fixtures/pc"));
  std::vector<Filesystem> fs(1);
  fs[0].device = "/dev/nvme1n1";  // a whole-disk filesystem (no sys/block entry here)
  fs[0].fstype = "xfs";
  fs[0].size_bytes = 100;
  Sensors sensors;
  HwmonTemp t;
  t.chip_name = "nvme";
  t.label = "Composite";
  t.celsius = 30;
  sensors.hwmon.push_back(t);
  t.celsius = 40;
  sensors.hwmon.push_back(t);
  std::vector<BlockDisk> disks;
  build_disk_list(files, fs, sensors, &disks);
  ASSERT(disks.size() == 1);
  EXPECT(disks[0].has_temperature);
  EXPECT_EQ(disks[0].temperature_c, 40.0);
}
