// CRC-32 as used by gzip, zip and PNG (polynomial 0xEDB88320, reflected).
#pragma once

#include <stddef.h>
#include <stdint.h>

/// Continues a CRC-32 over `size` more bytes. Start with crc = 0; the result
/// of one call is the `crc` argument of the next, so data may come in pieces.
uint32_t crc32_update(uint32_t crc, const void* data, size_t size);
