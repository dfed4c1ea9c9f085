#include "metrics/sensors.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "base/test.h"

using namespace metrics;

TEST(sensors_pc_hwmon_and_zones) {
  KernelFiles files(test::path("fixtures/pc"));
  SensorsCollector collector;
  Sensors s;
  collector.collect(files, 0, &s);
  ASSERT(s.hwmon.size() == 7);
  EXPECT_EQ(s.hwmon[0].chip, "nvme_nvme0");
  EXPECT_EQ(s.hwmon[0].chip_name, "nvme");
  EXPECT_EQ(s.hwmon[0].sensor, "temp1");
  EXPECT_EQ(s.hwmon[0].label, "Composite");
  EXPECT_EQ(s.hwmon[0].celsius, 38.85);
  EXPECT_EQ(s.hwmon[1].label, "Sensor 1");
  EXPECT_EQ(s.hwmon[2].chip, "platform_coretemp_0");
  EXPECT_EQ(s.hwmon[2].label, "Package id 0");
  EXPECT_EQ(s.hwmon[2].celsius, 45.0);
  EXPECT_EQ(s.hwmon[4].sensor, "temp3");
  EXPECT_EQ(s.hwmon[4].label, "Core 1");
  EXPECT_EQ(s.hwmon[5].chip, "thermal_thermal_zone0");
  EXPECT_EQ(s.hwmon[5].chip_name, "acpitz");
  EXPECT_EQ(s.hwmon[5].label, "");
  EXPECT_EQ(s.hwmon[5].celsius, 27.8);
  EXPECT_EQ(s.hwmon[6].chip, "0000:00:01_0_0000:01:00_0");
  ASSERT(s.zones.size() == 2);
  EXPECT_EQ(s.zones[0].zone, 0u);
  EXPECT_EQ(s.zones[0].type, "acpitz");
  EXPECT_EQ(s.zones[1].type, "x86_pkg_temp");
  EXPECT_EQ(s.zones[1].celsius, 45.0);
}

TEST(sensors_no_relisting_between_discoveries) {
  KernelFiles files(test::path("fixtures/pc"));
  SensorsCollector collector(60000);
  Sensors s;
  collector.collect(files, 1000, &s);
  uint64_t before = files.syscalls();
  collector.collect(files, 2000, &s);
  EXPECT_EQ(files.syscalls() - before, 9u);  // one pread per input, 7 + 2
  EXPECT_EQ(s.hwmon.size(), 7u);
  before = files.syscalls();
  collector.collect(files, 61000, &s);  // rediscovery lists the directories again
  EXPECT(files.syscalls() - before > 9);
  EXPECT_EQ(s.hwmon.size(), 7u);
}

TEST(sensors_rpi_skips_chips_without_temperature) {
  KernelFiles files(test::path("fixtures/rpi"));
  SensorsCollector collector;
  Sensors s;
  collector.collect(files, 0, &s);
  ASSERT(s.hwmon.size() == 1);  // rpi_volt has no temp*_input
  EXPECT_EQ(s.hwmon[0].chip_name, "cpu_thermal");
  EXPECT_EQ(s.hwmon[0].chip, "thermal_thermal_zone0");
  EXPECT_EQ(s.hwmon[0].celsius, 48.312);
  ASSERT(s.zones.size() == 1);
  EXPECT_EQ(s.zones[0].type, "cpu-thermal");
}

TEST(sensors_chip_label_rules) {
  EXPECT_EQ(hwmon_clean_name("coretemp.0"), "coretemp_0");
  EXPECT_EQ(hwmon_clean_name("0000:00:18.3"), "0000:00:18_3");
  EXPECT_EQ(hwmon_clean_name(" My-Chip!\n"), "my_chip");
  EXPECT_EQ(hwmon_clean_name("__"), "");
  // Without a device link: the name file, else the directory name.
  char tmpl[] = "/tmp/statd-hwmon-XXXXXX";
  ASSERT(mkdtemp(tmpl));
  std::string root = tmpl;
  std::string dir = root + "/sys/class/hwmon/hwmon5";
  std::string cmd = "mkdir -p '" + dir + "'";
  ASSERT(system(cmd.c_str()) == 0);
  KernelFiles files(root);
  EXPECT_EQ(hwmon_chip_label(files, "sys/class/hwmon/hwmon5", "Virtual Sensor"), "virtual_sensor");
  EXPECT_EQ(hwmon_chip_label(files, "sys/class/hwmon/hwmon5", ""), "hwmon5");
  cmd = "rm -rf '" + root + "'";
  EXPECT(system(cmd.c_str()) == 0);
}

TEST(sensors_cpu_temperature_rule) {
  double c = 0;
  std::string buf;
  for (const char* tree : {"pc", "rpi", "router"}) {
    KernelFiles files(test::path((std::string("fixtures/") + tree).c_str()));
    SensorsCollector collector;
    Sensors s;
    collector.collect(files, 0, &s);
    ASSERT(cpu_temperature(s, &c));
    if (std::string(tree) == "pc") EXPECT_EQ(c, 45.0);  // coretemp package id 0
    if (std::string(tree) == "rpi") EXPECT_EQ(c, 48.312);  // "cpu_thermal temp1"
    if (std::string(tree) == "router") EXPECT_EQ(c, 51.234);  // zone cpu-thermal
  }
  Sensors amd;
  HwmonTemp t;
  t.chip_name = "k10temp";
  t.sensor = "temp1";
  t.label = "Tctl";
  t.celsius = 61.5;
  amd.hwmon.push_back(t);
  ASSERT(cpu_temperature(amd, &c));
  EXPECT_EQ(c, 61.5);
  Sensors none;
  t.chip_name = "nvme";
  t.label = "Composite";
  none.hwmon.push_back(t);
  EXPECT(!cpu_temperature(none, &c));
}

TEST(sensors_gotop_names) {
  KernelFiles files(test::path("fixtures/pc"));
  SensorsCollector collector;
  Sensors s;
  collector.collect(files, 0, &s);
  std::vector<GotopTemp> temps;
  gotop_temperatures(s, &temps);
  const char* names[] = {"nvme_composite", "nvme_sensor1", "coretemp_packageid0",
                         "coretemp_core0", "coretemp_core1", "acpitz", "amdgpu_edge"};
  ASSERT(temps.size() == 7);
  for (size_t i = 0; i < 7; i++) EXPECT_EQ(temps[i].name, names[i]);
  EXPECT_EQ(temps[2].celsius, 45.0);

  KernelFiles rpi(test::path("fixtures/rpi"));
  collector = SensorsCollector();
  collector.collect(rpi, 0, &s);
  gotop_temperatures(s, &temps);
  ASSERT(temps.size() == 1);
  EXPECT_EQ(temps[0].name, "cpu_thermal");

  // No hwmon at all: thermal zone types, sanitised.
  KernelFiles router(test::path("fixtures/router"));
  collector = SensorsCollector();
  collector.collect(router, 0, &s);
  gotop_temperatures(s, &temps);
  ASSERT(temps.size() == 1);
  EXPECT_EQ(temps[0].name, "cpu_thermal");
  EXPECT_EQ(temps[0].celsius, 51.234);

  Sensors twins;
  HwmonTemp t;
  t.chip_name = "acpitz";
  twins.hwmon.push_back(t);
  twins.hwmon.push_back(t);
  t.chip_name = "drivetemp";
  t.label = "SATA-1 (top)";
  twins.hwmon.push_back(t);
  gotop_temperatures(twins, &temps);
  ASSERT(temps.size() == 3);
  EXPECT_EQ(temps[0].name, "acpitz");
  EXPECT_EQ(temps[1].name, "acpitz_2");
  EXPECT_EQ(temps[2].name, "drivetemp_sata_1_top_");
}
