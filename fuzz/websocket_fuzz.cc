// WsReceiver over arbitrary bytes, driven the way Client::handle_ws drives
// it (loop next(), drop what it consumed, stop at kNone with nothing
// consumed, at kError and at kClose), in both modes and with small message
// caps. Checked: consumed stays inside the input, messages respect the cap,
// text is valid UTF-8, close/error codes are ones RFC 6455 allows, and the
// events do not depend on how the bytes were split into reads.
// Then a round trip: a message written with ws_write_frame as fragments
// (with Pings between them), split at fuzz-chosen points, must come out
// whole and unchanged.
//
// Input: byte 0 = flags and cap, byte 1 = seed for the read sizes, rest = data.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>
#include <vector>

#include "codec/utf8.h"
#include "net/websocket.h"

namespace {

struct Event {
  WsEvent::Kind kind;
  uint8_t opcode;
  std::string payload;
  uint16_t close_code;

  bool operator==(const Event& o) const {
    return kind == o.kind && opcode == o.opcode && payload == o.payload &&
           close_code == o.close_code;
  }
};

// Read sizes 1..max_chunk from a small LCG, so a run is reproducible.
struct Splitter {
  uint32_t state;
  size_t max_chunk;
  size_t next_size() {
    state = state * 1103515245u + 12345u;
    return 1 + (state >> 16) % max_chunk;
  }
};

bool close_code_ok(uint16_t code) {
  return code == kWsCloseNoStatus || (code >= 1000 && code <= 1003) ||
         (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

void check_event(const WsEvent& ev, size_t max_message_bytes, const WsReceiver& rx) {
  switch (ev.kind) {
    case WsEvent::kNone:
      break;
    case WsEvent::kMessage:
      if (ev.opcode != kWsText && ev.opcode != kWsBinary) abort();
      if (ev.payload.size() > max_message_bytes) abort();
      if (ev.opcode == kWsText && !utf8_valid(ev.payload)) abort();
      break;
    case WsEvent::kPing:
    case WsEvent::kPong:
      if (ev.payload.size() > 125) abort();
      break;
    case WsEvent::kClose:
      if (ev.payload.size() > 125 || !close_code_ok(ev.close_code)) abort();
      if (ev.payload.size() >= 2 && !utf8_valid(ev.payload.substr(2))) abort();
      break;
    case WsEvent::kError:
      if (ev.close_code != kWsCloseProtocolError && ev.close_code != kWsCloseInvalidData &&
          ev.close_code != kWsCloseTooBig)
        abort();
      break;
  }
  if (rx.pending_bytes() > max_message_bytes) abort();
}

// Delivers `stream` in reads of splitter-chosen sizes (whole when splitter is
// null) into a connection buffer and runs handle_ws's loop after each read.
std::vector<Event> receive(std::string_view stream, bool expect_masked,
                           size_t max_message_bytes, Splitter* splitter) {
  WsReceiver rx(expect_masked, max_message_bytes);
  std::vector<Event> events;
  std::string buffer;  // the connection's input
  size_t delivered = 0;
  while (delivered < stream.size()) {
    size_t n = splitter ? splitter->next_size() : stream.size();
    if (n > stream.size() - delivered) n = stream.size() - delivered;
    buffer.append(stream.substr(delivered, n));
    delivered += n;
    for (;;) {
      size_t used = 12345;
      WsEvent ev = rx.next(buffer, &used);
      if (used > buffer.size()) abort();
      check_event(ev, max_message_bytes, rx);
      if (ev.kind != WsEvent::kNone) {
        events.push_back(Event{ev.kind, ev.opcode, std::string(ev.payload), ev.close_code});
      }
      buffer.erase(0, used);
      if (ev.kind == WsEvent::kError || ev.kind == WsEvent::kClose) return events;
      if (ev.kind == WsEvent::kNone && used == 0) break;
    }
  }
  return events;
}

void fuzz_receiver(std::string_view stream, uint8_t flags, uint8_t seed) {
  static const size_t kCaps[] = {0, 1, 2, 125, 126, 127, 1000, 4096};
  size_t cap = kCaps[flags & 7];
  for (bool expect_masked : {true, false}) {
    std::vector<Event> whole = receive(stream, expect_masked, cap, nullptr);
    Splitter split{seed, 1 + static_cast<size_t>(flags >> 3)};
    std::vector<Event> pieces = receive(stream, expect_masked, cap, &split);
    if (whole != pieces) abort();
  }
}

// Writes `message` as fragments (sizes from the splitter) with a Ping after
// every fragment but the last, then expects the receiver to give back the
// Pings and the whole message, or a 1009 error when the cap is too small.
void round_trip(std::string_view message, uint8_t flags, uint8_t seed) {
  bool masked = flags & 1;
  bool text = (flags & 2) && utf8_valid(message);
  uint8_t opcode = text ? kWsText : kWsBinary;
  const uint8_t key[4] = {seed, static_cast<uint8_t>(seed * 7 + 1),
                          static_cast<uint8_t>(seed ^ 0x5a), flags};
  Splitter split{static_cast<uint32_t>(seed) << 8 | flags, 1 + message.size() / 3};

  std::string stream;
  std::vector<Event> expected;
  size_t at = 0;
  int fragments = 0;
  do {
    size_t n = split.next_size() - 1;  // empty fragments are legal too
    if (n > message.size() - at) n = message.size() - at;
    bool fin = at + n == message.size() || fragments == 20;
    if (fin) n = message.size() - at;
    ws_write_frame(&stream, fragments == 0 ? opcode : kWsContinuation,
                   message.substr(at, n), fin, masked ? key : nullptr);
    at += n;
    fragments++;
    if (!fin) {
      std::string ping = "ping " + std::to_string(fragments);
      ws_write_frame(&stream, kWsPing, ping, true, masked ? key : nullptr);
      expected.push_back(Event{WsEvent::kPing, 0, ping, 0});
    }
  } while (at < message.size());
  expected.push_back(Event{WsEvent::kMessage, opcode, std::string(message), 0});

  Splitter reads{seed, 1 + static_cast<size_t>(flags >> 2)};
  std::vector<Event> got = receive(stream, masked, message.size(), &reads);
  if (got != expected) abort();

  // One byte under the cap: the message must be refused as too big.
  if (!message.empty()) {
    got = receive(stream, masked, message.size() - 1, nullptr);
    if (got.empty() || got.back().kind != WsEvent::kError ||
        got.back().close_code != kWsCloseTooBig)
      abort();
    for (const Event& e : got)
      if (e.kind == WsEvent::kMessage) abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint8_t flags = data[0], seed = data[1];
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  fuzz_receiver(rest, flags, seed);
  round_trip(rest, flags, seed);
  return 0;
}
