// RFC 6455 framing for both ends: the handshake key, frame writing, and a
// receiver that turns bytes into whole messages and control events while
// enforcing the protocol rules (masking, fragmentation, reserved bits,
// control-frame limits, UTF-8 of text messages, message size cap).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>

#include "codec/utf8.h"

enum WsOpcode : uint8_t {
  kWsContinuation = 0x0,
  kWsText = 0x1,
  kWsBinary = 0x2,
  kWsClose = 0x8,
  kWsPing = 0x9,
  kWsPong = 0xA,
};

// Close codes (RFC 6455 §7.4.1).
constexpr uint16_t kWsCloseNormal = 1000;
constexpr uint16_t kWsCloseGoingAway = 1001;
constexpr uint16_t kWsCloseProtocolError = 1002;
constexpr uint16_t kWsCloseUnsupported = 1003;
constexpr uint16_t kWsCloseNoStatus = 1005;   // never sent on the wire
constexpr uint16_t kWsCloseInvalidData = 1007;
constexpr uint16_t kWsClosePolicy = 1008;
constexpr uint16_t kWsCloseTooBig = 1009;

/// Sec-WebSocket-Accept for a client's Sec-WebSocket-Key.
std::string ws_accept_key(std::string_view client_key);

/// Appends one frame. A client passes a 4-byte mask (RFC 6455 requires
/// client frames to be masked); a server passes nullptr.
void ws_write_frame(std::string* out, uint8_t opcode, std::string_view payload,
                    bool fin = true, const uint8_t* mask = nullptr);
/// Appends just the header of an unmasked (server) frame whose payload of
/// `length` bytes the caller sends next.
void ws_write_frame_header(std::string* out, uint8_t opcode, uint64_t length, bool fin = true);
/// A Close frame with a code (and optional reason); code 0 = empty payload.
void ws_write_close(std::string* out, uint16_t code, std::string_view reason = {},
                    const uint8_t* mask = nullptr);

/// What WsReceiver::next() found.
struct WsEvent {
  enum Kind { kNone, kMessage, kPing, kPong, kClose, kError } kind = kNone;
  uint8_t opcode = 0;        ///< kWsText or kWsBinary for kMessage
  std::string_view payload;  ///< valid until the next call to next()
  uint16_t close_code = 0;   ///< kClose: the peer's code (1005 if none); kError: code to send
};

class WsReceiver {
 public:
  /// `expect_masked`: a server requires masked frames, a client unmasked.
  WsReceiver(bool expect_masked, size_t max_message_bytes)
      : expect_masked_(expect_masked), max_message_(max_message_bytes) {}

  /// Decodes from the front of `input`; *consumed says how many bytes were
  /// used (the caller drops them). Returns kNone when more input is needed;
  /// then *consumed may still be > 0 (a fragment was absorbed), so callers
  /// loop until kNone with nothing consumed.
  /// After kError or kClose the receiver must not be fed again.
  WsEvent next(std::string_view input, size_t* consumed);

  /// Bytes of a message being assembled from fragments (for memory caps).
  size_t pending_bytes() const { return message_.size(); }

 private:
  WsEvent error(uint16_t code);

  bool expect_masked_;
  size_t max_message_;
  bool in_message_ = false;      // a fragmented message is open
  uint8_t message_opcode_ = 0;
  std::string message_;          // fragments so far
  std::string control_;          // unmasked control payload
  Utf8Validator utf8_;
};
