// socktop's agent protocol on /ws (../shared/spec/socktop.md): the five
// text requests and the README's JSON form, answered under the 768-byte
// rule with JSON, gzip(JSON) or protobuf.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>

class Agent;
class Client;

/// Replies larger than this go out gzip-compressed in a Binary frame.
constexpr size_t kSocktopCompressAbove = 768;

/// get_metrics' reply encoded once per sample: with the default 250 ms
/// sample lifetime, a thousand clients polling each second cost four
/// encodings (and gzips) a second instead of a thousand.
struct SocktopMetricsCache {
  uint64_t sample = 0;  ///< Sampler::samples_taken() the text was built from
  std::string json;
  std::string gzip;     ///< gzip(json), made on first need for this sample
};

/// Handles one WebSocket message on /ws; sends zero or one reply.
void socktop_handle_message(Agent* agent, Client* client, uint8_t opcode,
                            std::string_view payload);

// Reply bodies, separate from the transport so tests can check them.
void socktop_metrics_json(Agent* agent, std::string* out);
void socktop_disks_json(Agent* agent, std::string* out);
void socktop_processes_protobuf(Agent* agent, std::string* out);
/// False when the pid does not exist (the caller sends the error object).
bool socktop_process_metrics_json(Agent* agent, uint32_t pid, std::string* out);
/// statd's get_services extension (docs/extensions.md):
/// {"manager":"openrc","services":[{"name":..,"state":..,"enabled":..},..]}.
void socktop_services_json(Agent* agent, std::string* out);

struct SocktopRequest {
  enum Kind { kInvalid, kMetrics, kDisks, kProcesses, kProcessMetrics, kJournalEntries, kServices } kind = kInvalid;
  uint32_t pid = 0;
  bool json_form = false;  ///< {"type":...}: JSON replies go uncompressed as Text
};

/// Parses a Text message in either form; kInvalid means "no reply".
SocktopRequest socktop_parse_request(std::string_view text);
