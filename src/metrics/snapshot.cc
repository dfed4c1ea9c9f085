#include "metrics/snapshot.h"

namespace metrics {

uint64_t MemInfo::used_bytes() const {
  // Kernels before 3.14 have no MemAvailable: estimate it the way the
  // kernel's own formula starts, from the free and reclaimable pages.
  uint64_t available = available_bytes;
  if (!has_available) {
    available = free_bytes + buffers_bytes + cached_bytes + sreclaimable_bytes;
  }
  return total_bytes > available ? total_bytes - available : 0;
}

uint64_t MemInfo::swap_used_bytes() const {
  return swap_total_bytes > swap_free_bytes ? swap_total_bytes - swap_free_bytes : 0;
}

}  // namespace metrics
