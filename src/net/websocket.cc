#include "net/websocket.h"

#include "base/reader.h"
#include "codec/base64.h"
#include "codec/sha1.h"

std::string ws_accept_key(std::string_view client_key) {
  std::string text(client_key);
  text += "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";  // RFC 6455 §1.3
  uint8_t digest[20];
  sha1(text.data(), text.size(), digest);
  return base64_encode(std::string_view(reinterpret_cast<char*>(digest), sizeof digest));
}

static void write_header(std::string* out, uint8_t opcode, uint64_t n, bool fin, bool masked) {
  out->push_back(static_cast<char>((fin ? 0x80 : 0) | opcode));
  uint8_t mask_bit = masked ? 0x80 : 0;
  if (n < 126) {
    out->push_back(static_cast<char>(mask_bit | n));
  } else if (n <= 0xffff) {
    out->push_back(static_cast<char>(mask_bit | 126));
    out->push_back(static_cast<char>(n >> 8));
    out->push_back(static_cast<char>(n));
  } else {
    out->push_back(static_cast<char>(mask_bit | 127));
    for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(n >> shift));
  }
}

void ws_write_frame_header(std::string* out, uint8_t opcode, uint64_t length, bool fin) {
  write_header(out, opcode, length, fin, false);
}

void ws_write_frame(std::string* out, uint8_t opcode, std::string_view payload, bool fin,
                    const uint8_t* mask) {
  uint64_t n = payload.size();
  write_header(out, opcode, n, fin, mask != nullptr);
  if (!mask) {
    out->append(payload);
    return;
  }
  out->append(reinterpret_cast<const char*>(mask), 4);
  size_t start = out->size();
  out->append(payload);
  for (size_t i = 0; i < n; i++) (*out)[start + i] ^= static_cast<char>(mask[i & 3]);
}

void ws_write_close(std::string* out, uint16_t code, std::string_view reason,
                    const uint8_t* mask) {
  if (code == 0) {
    ws_write_frame(out, kWsClose, {}, true, mask);
    return;
  }
  std::string payload;
  payload.push_back(static_cast<char>(code >> 8));
  payload.push_back(static_cast<char>(code));
  payload.append(reason.substr(0, 123));
  ws_write_frame(out, kWsClose, payload, true, mask);
}

WsEvent WsReceiver::error(uint16_t code) {
  WsEvent ev;
  ev.kind = WsEvent::kError;
  ev.close_code = code;
  return ev;
}

// Close codes a peer may send (RFC 6455 §7.4): 1000-1003, 1007-1011,
// 3000-4999. 1004-1006, 1015 and the rest are reserved or local-only.
static bool close_code_allowed(uint16_t code) {
  if (code >= 1000 && code <= 1003) return true;
  if (code >= 1007 && code <= 1011) return true;
  return code >= 3000 && code <= 4999;
}

static void unmask(std::string_view masked, const uint8_t key[4], std::string* out) {
  size_t start = out->size();
  out->append(masked);
  for (size_t i = 0; i < masked.size(); i++) (*out)[start + i] ^= static_cast<char>(key[i & 3]);
}

WsEvent WsReceiver::next(std::string_view input, size_t* consumed) {
  *consumed = 0;
  Reader r(input);
  uint8_t b0, b1;
  if (!r.u8(&b0) || !r.u8(&b1)) return WsEvent();
  bool fin = b0 & 0x80;
  uint8_t opcode = b0 & 0x0f;
  bool masked = b1 & 0x80;
  uint64_t length = b1 & 0x7f;
  if (b0 & 0x70) return error(kWsCloseProtocolError);  // no extension negotiated
  bool control = opcode & 0x08;
  if (control ? opcode > kWsPong : opcode > kWsBinary) return error(kWsCloseProtocolError);
  if (masked != expect_masked_) return error(kWsCloseProtocolError);
  if (control && (!fin || length > 125)) return error(kWsCloseProtocolError);
  // "The minimal number of bytes MUST be used to encode the length" (§5.2):
  // a sender's MUST like the 64-bit form's clear top bit, so both fail alike.
  if (length == 126) {
    uint16_t n16;
    if (!r.be16(&n16)) return WsEvent();
    length = n16;
    if (length < 126) return error(kWsCloseProtocolError);
  } else if (length == 127) {
    if (!r.be64(&length)) return WsEvent();
    if (length >> 63 || length <= 0xffff) return error(kWsCloseProtocolError);
  }
  // Check the cap before waiting for the payload, so a peer cannot make us
  // buffer a huge frame first. message_ still holds the previous message
  // until a new one starts: only an open one counts.
  size_t open_bytes = in_message_ ? message_.size() : 0;
  if (!control && open_bytes + length > max_message_) return error(kWsCloseTooBig);
  uint8_t key[4] = {0, 0, 0, 0};
  if (masked) {
    for (uint8_t& k : key)
      if (!r.u8(&k)) return WsEvent();
  }
  std::string_view payload;
  if (!r.bytes(length, &payload)) return WsEvent();
  *consumed = r.offset();

  WsEvent ev;
  if (control) {
    control_.clear();
    unmask(payload, key, &control_);
    ev.payload = control_;
    if (opcode == kWsPing) { ev.kind = WsEvent::kPing; return ev; }
    if (opcode == kWsPong) { ev.kind = WsEvent::kPong; return ev; }
    ev.kind = WsEvent::kClose;
    ev.close_code = kWsCloseNoStatus;
    if (control_.size() == 1) return error(kWsCloseProtocolError);
    if (control_.size() >= 2) {
      ev.close_code = static_cast<uint16_t>(static_cast<uint8_t>(control_[0]) << 8 |
                                            static_cast<uint8_t>(control_[1]));
      if (!close_code_allowed(ev.close_code)) return error(kWsCloseProtocolError);
      if (!utf8_valid(std::string_view(control_).substr(2))) return error(kWsCloseInvalidData);
    }
    return ev;
  }

  if (opcode == kWsContinuation) {
    if (!in_message_) return error(kWsCloseProtocolError);
  } else {
    if (in_message_) return error(kWsCloseProtocolError);
    in_message_ = true;
    message_opcode_ = opcode;
    // A big message earlier must not pin its buffer for the connection's life.
    if (message_.capacity() > 4096) std::string().swap(message_);
    message_.clear();
    utf8_.reset();
  }
  size_t start = message_.size();
  unmask(payload, key, &message_);
  // Validate text as it arrives (fail fast on the first bad fragment).
  if (message_opcode_ == kWsText &&
      !utf8_.feed(std::string_view(message_).substr(start)))
    return error(kWsCloseInvalidData);
  if (!fin) return WsEvent();  // consumed a fragment; nothing to report yet
  if (message_opcode_ == kWsText && !utf8_.complete()) return error(kWsCloseInvalidData);
  in_message_ = false;
  ev.kind = WsEvent::kMessage;
  ev.opcode = message_opcode_;
  ev.payload = message_;
  return ev;
}
