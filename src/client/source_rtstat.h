// Reads an rt-stat server over its raw TCP text protocol
// (../shared/spec/rtstat.md §9): wait for Welcome::, send auth, interval and
// start one command per write (the original server takes a TCP read as one
// message), then decode every Push:: line.
#pragma once

#include <string>
#include <vector>

#include "client/source.h"

constexpr size_t kRtstatMaxLineBytes = 1024 * 1024;
/// Gap between commands, so the original server sees them as separate reads.
constexpr uint32_t kRtstatCommandGapMs = 250;

class RtstatSource : public Source {
 public:
  RtstatSource(Loop* loop, Host* host, Url url, SourceOptions opts);
  ~RtstatSource() override;

 protected:
  void on_connected() override;
  void on_input() override;
  void on_tick() override;

 private:
  static void on_gap(void* self);
  void send_next_command();
  void handle_line(std::string_view line);

  bool welcomed_ = false;
  std::vector<std::string> commands_;  // still to send after the Welcome
  TimerId gap_timer_;
  uint64_t last_push_ms_ = 0;
};
