// Unpredictable bytes for WebSocket handshake keys and client masks
// (RFC 6455 §5.3), in statc's sources and statd's fleet peer poller.
#pragma once

#include <stddef.h>

/// Fills `buf` from getrandom(2), falling back to /dev/urandom (old kernels,
/// seccomp filters). Should both fail, the rest stays as it was: a mask is
/// still valid, only predictable.
void random_bytes(void* buf, size_t size);
