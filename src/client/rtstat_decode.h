// Decoding rt-stat push payloads (../shared/spec/rtstat.md §6, §9) into
// statc's host model: cpu fractions become percent, kB become bytes, the
// uptime and load strings become numbers. rt-stat has no network, disk or
// process list; those stay absent.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

#include "client/host.h"

/// `json` is the unescaped argument of a Push:: line.
bool rtstat_decode_push(std::string_view json, HostSample* out, uint64_t* process_count,
                        bool* has_process_count, std::string* err);

/// procps uptime text ("4 min", "3:04", "1 day, 10:00", "5 days,  3:04",
/// "2 days, 5 min") to seconds; false when it does not look like one.
bool rtstat_parse_uptime(std::string_view text, double* seconds);
