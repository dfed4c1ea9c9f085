// Decoding socktop agent replies (../shared/spec/socktop.md §4-§8) into
// statc's host model. Pure functions over bytes, so recorded replies test
// them and a fuzzer can hammer them.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <vector>

#include "client/host.h"

/// Caps on what an agent may make us hold.
constexpr size_t kSocktopMaxReplyBytes = 16 * 1024 * 1024;
constexpr size_t kSocktopMaxProcesses = 100000;

/// The reply's bytes as the client reads them (§4): Text as is; Binary
/// gunzipped when it starts 1f 8b, else as is.
bool socktop_reply_bytes(bool binary, std::string_view payload, std::string* out,
                         std::string* err);

/// get_metrics JSON. Required keys missing make the reply invalid, as in
/// socktop's own client; optional ones (cpu_temp_c, sampled_at_ms) may be
/// absent or null.
bool socktop_decode_metrics(std::string_view json, HostSample* out, std::string* err);

/// get_disks JSON array.
bool socktop_decode_disks(std::string_view json, std::vector<DiskRow>* out, std::string* err);

/// get_process_metrics:<pid>: the detail object, or the agent's error
/// object (then out->error is set and the call still succeeds).
bool socktop_decode_process_detail(std::string_view json, ProcDetail* out, std::string* err);

/// get_processes: protobuf socktop.Processes, or the legacy JSON shape when
/// protobuf decoding fails or the reply was Text (§8.3).
bool socktop_decode_processes(std::string_view bytes, bool was_text, uint64_t* count,
                              std::vector<ProcRow>* out, std::string* err);
