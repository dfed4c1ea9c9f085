#include "base/clock.h"

#include <time.h>

static uint64_t read_ms(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

uint64_t clock_monotonic_ms() { return read_ms(CLOCK_MONOTONIC); }
uint64_t clock_wall_ms() { return read_ms(CLOCK_REALTIME); }

uint64_t clock_process_cpu_ns() {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000ull + ts.tv_nsec;
}
