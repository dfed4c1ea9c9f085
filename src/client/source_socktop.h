// Reads a socktop agent (statd or the original) over its WebSocket API:
// string requests only (every agent version understands them), one at a
// time on one connection, replies decoded per ../shared/spec/socktop.md §16.
#pragma once

#include <string>

#include "client/socktop_decode.h"
#include "client/source.h"
#include "net/http_response.h"
#include "net/websocket.h"

class SocktopSource : public Source {
 public:
  SocktopSource(Loop* loop, Host* host, Url url, SourceOptions opts);

 protected:
  void on_connected() override;
  void on_input() override;
  void on_tick() override;
  bool on_peer_closed() override;
  bool on_reply_late() override;

 protected:
  // The fleet source reuses the handshake and frame loop through these.
  virtual void send_next();
  virtual void handle_message(bool binary, std::string_view payload);
  bool got_reply_ = false;           // any message on this connection

 private:
  enum class Request { kNone, kMetrics, kProcesses, kDisks, kDetail };

  void send_frame(uint8_t opcode, std::string_view payload);
  void send_close(uint16_t code);  ///< masked Close; 0: no code

  std::string key_;                  // Sec-WebSocket-Key we sent
  bool open_ = false;                // handshake done
  HttpResponseParser handshake_{64 * 1024};
  WsReceiver ws_{false, kSocktopMaxReplyBytes};
  Request pending_ = Request::kNone; // the request whose reply is awaited
  bool metrics_due_ = false;
  uint64_t processes_at_ms_ = 0, disks_at_ms_ = 0, detail_at_ms_ = 0;
  uint32_t detail_pid_sent_ = 0;
};
