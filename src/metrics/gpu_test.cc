#include "metrics/gpu.h"

#include "base/test.h"

using namespace metrics;

TEST(gpu_drm_amdgpu_card) {
  KernelFiles files(test::path("fixtures/pc"));
  GpuCollector collector;
  std::vector<Gpu> gpus;
  collector.collect(files, 0, &gpus);
  ASSERT(gpus.size() == 1);  // card0-DP-1 and renderD128 are not cards
  EXPECT_EQ(gpus[0].name, "AMD Radeon RX 6800 XT");
  EXPECT_EQ(gpus[0].vendor, "AMD");
  EXPECT_EQ(gpus[0].busy_percent, 17u);
  EXPECT_EQ(gpus[0].vram_used_bytes, 1073741824u);
  EXPECT_EQ(gpus[0].vram_total_bytes, 17163091968ull);
  EXPECT(gpus[0].has_temp);
  EXPECT_EQ(gpus[0].temp_c, 52.0);
  uint64_t before = files.syscalls();
  collector.collect(files, 1500, &gpus);
  EXPECT_EQ(files.syscalls() - before, 4u);  // busy, used, total, temperature
  EXPECT_EQ(gpus.size(), 1u);
}

TEST(gpu_none_on_rpi) {
  KernelFiles files(test::path("fixtures/rpi"));
  GpuCollector collector;
  std::vector<Gpu> gpus;
  collector.collect(files, 0, &gpus);
  EXPECT_EQ(gpus.size(), 0u);
}

TEST(gpu_vendor_names) {
  EXPECT_EQ(gpu_vendor_name("0x1002\n"), "AMD");
  EXPECT_EQ(gpu_vendor_name("0x8086"), "Intel");
  EXPECT_EQ(gpu_vendor_name("0x10DE"), "NVIDIA");
  EXPECT_EQ(gpu_vendor_name("0x1af4"), "0x1af4");
}
