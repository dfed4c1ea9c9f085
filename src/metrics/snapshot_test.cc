#include "metrics/snapshot.h"

#include "base/test.h"

using metrics::MemInfo;

TEST(snapshot_mem_used_from_available) {
  MemInfo mem;
  mem.total_bytes = 1000;
  mem.available_bytes = 300;
  mem.free_bytes = 100;
  mem.has_available = true;
  EXPECT_EQ(mem.used_bytes(), 700u);
}

TEST(snapshot_mem_used_without_available) {
  MemInfo mem;
  mem.total_bytes = 1000;
  mem.free_bytes = 100;
  mem.buffers_bytes = 50;
  mem.cached_bytes = 200;
  mem.sreclaimable_bytes = 30;
  EXPECT_EQ(mem.used_bytes(), 620u);
}

TEST(snapshot_swap_used_never_negative) {
  MemInfo mem;
  mem.swap_total_bytes = 0;
  mem.swap_free_bytes = 0;
  EXPECT_EQ(mem.swap_used_bytes(), 0u);
  mem.swap_total_bytes = 4096;
  mem.swap_free_bytes = 1024;
  EXPECT_EQ(mem.swap_used_bytes(), 3072u);
}
