// Time sources. The loop and the caches use the monotonic clock; replies
// that carry a timestamp use the wall clock.
#pragma once

#include <stdint.h>

/// Milliseconds on CLOCK_MONOTONIC (never jumps; not epoch based).
uint64_t clock_monotonic_ms();
/// Milliseconds since the Unix epoch (CLOCK_REALTIME).
uint64_t clock_wall_ms();
/// Nanoseconds of CPU time this process has used (user + system).
uint64_t clock_process_cpu_ns();
