#include "net/websocket.h"

#include "base/test.h"

static const uint8_t kMask[4] = {1, 2, 3, 4};

static std::string client_frame(uint8_t first_byte, std::string_view payload) {
  std::string f;
  ws_write_frame(&f, first_byte & 0x0f, payload, first_byte & 0x80, kMask);
  return f;
}

TEST(ws_accept_key_rfc6455_example) {
  EXPECT_EQ(ws_accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(ws_masked_request_bytes_match_spec) {
  // socktop.md §8.2: "get_metrics" with mask 01 02 03 04.
  std::string f = client_frame(0x81, "get_metrics");
  EXPECT_EQ(f, std::string("\x81\x8b\x01\x02\x03\x04\x66\x67\x77\x5b\x6c\x67\x77\x76\x68\x61\x70", 17));
}

TEST(ws_server_frame_lengths) {
  std::string f;
  ws_write_frame(&f, kWsBinary, std::string(125, 'a'));
  EXPECT_EQ(f.size(), 127u);
  f.clear();
  ws_write_frame(&f, kWsBinary, std::string(126, 'a'));
  EXPECT_EQ(f.substr(0, 4), std::string("\x82\x7e\x00\x7e", 4));
  f.clear();
  ws_write_frame(&f, kWsBinary, std::string(70000, 'a'));
  EXPECT_EQ(f.substr(0, 10), std::string("\x82\x7f\x00\x00\x00\x00\x00\x01\x11\x70", 10));
}

TEST(ws_receiver_whole_message_byte_by_byte) {
  WsReceiver rx(true, 1024);
  std::string f = client_frame(0x81, "get_metrics");
  std::string buf;
  WsEvent ev;
  for (size_t i = 0; i < f.size(); i++) {
    buf.push_back(f[i]);
    size_t used;
    ev = rx.next(buf, &used);
    buf.erase(0, used);
    if (i + 1 < f.size()) EXPECT(ev.kind == WsEvent::kNone);
  }
  EXPECT(ev.kind == WsEvent::kMessage);
  EXPECT_EQ(ev.opcode, kWsText);
  EXPECT_EQ(ev.payload, "get_metrics");
}

TEST(ws_receiver_fragments_with_interleaved_ping) {
  WsReceiver rx(true, 1024);
  std::string in = client_frame(0x01, "get_") + client_frame(0x89, "hi") + client_frame(0x80, "disks");
  size_t used;
  WsEvent ev = rx.next(in, &used);
  EXPECT(ev.kind == WsEvent::kNone);
  ASSERT(used > 0);
  in.erase(0, used);
  ev = rx.next(in, &used);
  EXPECT(ev.kind == WsEvent::kPing);
  EXPECT_EQ(ev.payload, "hi");
  in.erase(0, used);
  ev = rx.next(in, &used);
  EXPECT(ev.kind == WsEvent::kMessage);
  EXPECT_EQ(ev.payload, "get_disks");
  EXPECT_EQ(used, in.size());
}

static uint16_t error_code(WsReceiver& rx, const std::string& in) {
  std::string buf = in;
  for (int i = 0; i < 10; i++) {
    size_t used;
    WsEvent ev = rx.next(buf, &used);
    buf.erase(0, used);
    if (ev.kind == WsEvent::kError) return ev.close_code;
    if (ev.kind == WsEvent::kNone && used == 0) return 0;
  }
  return 0;
}

TEST(ws_receiver_protocol_errors) {
  {
    WsReceiver rx(true, 1024);  // unmasked client frame
    std::string f;
    ws_write_frame(&f, kWsText, "x");
    EXPECT_EQ(error_code(rx, f), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // RSV1 without an extension
    std::string f = client_frame(0x81, "x");
    f[0] = static_cast<char>(0xC1);
    EXPECT_EQ(error_code(rx, f), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // reserved opcode 3 and 0xB
    EXPECT_EQ(error_code(rx, client_frame(0x83, "x")), kWsCloseProtocolError);
    WsReceiver rx2(true, 1024);
    EXPECT_EQ(error_code(rx2, client_frame(0x8B, "x")), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // fragmented ping
    EXPECT_EQ(error_code(rx, client_frame(0x09, "x")), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // continuation without a start
    EXPECT_EQ(error_code(rx, client_frame(0x80, "x")), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // new text while a message is open
    EXPECT_EQ(error_code(rx, client_frame(0x01, "a") + client_frame(0x81, "b")), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // ping payload > 125
    EXPECT_EQ(error_code(rx, client_frame(0x89, std::string(126, 'p'))), kWsCloseProtocolError);
  }
  {
    WsReceiver rx(true, 1024);  // close with a 1-byte payload, and a reserved code
    EXPECT_EQ(error_code(rx, client_frame(0x88, "x")), kWsCloseProtocolError);
    WsReceiver rx2(true, 1024);
    EXPECT_EQ(error_code(rx2, client_frame(0x88, std::string("\x03\xed", 2))), kWsCloseProtocolError);
  }
}

TEST(ws_receiver_invalid_utf8_and_size) {
  {
    WsReceiver rx(true, 1024);
    EXPECT_EQ(error_code(rx, client_frame(0x81, "\xc0\xaf")), kWsCloseInvalidData);
  }
  {
    // A code point split across fragments is fine; an unfinished one at the end is not.
    WsReceiver rx(true, 1024);
    std::string in = client_frame(0x01, "\xe2\x82") + client_frame(0x80, "\xac");
    size_t used;
    WsEvent ev = rx.next(in, &used);
    in.erase(0, used);
    ev = rx.next(in, &used);
    EXPECT(ev.kind == WsEvent::kMessage);
    EXPECT_EQ(ev.payload, "\xe2\x82\xac");
    WsReceiver rx2(true, 1024);
    EXPECT_EQ(error_code(rx2, client_frame(0x81, "\xe2\x82")), kWsCloseInvalidData);
  }
  {
    // The cap is enforced from the header, before the payload arrives.
    WsReceiver rx(true, 100);
    std::string f = client_frame(0x82, std::string(101, 'x'));
    EXPECT_EQ(error_code(rx, f.substr(0, 4)), kWsCloseTooBig);
  }
}

TEST(ws_receiver_close_codes) {
  WsReceiver rx(true, 1024);
  std::string in = client_frame(0x88, std::string("\x03\xe8", 2) + "bye");
  size_t used;
  WsEvent ev = rx.next(in, &used);
  EXPECT(ev.kind == WsEvent::kClose);
  EXPECT_EQ(ev.close_code, 1000);
  WsReceiver rx2(true, 1024);
  in = client_frame(0x88, "");
  ev = rx2.next(in, &used);
  EXPECT(ev.kind == WsEvent::kClose);
  EXPECT_EQ(ev.close_code, kWsCloseNoStatus);
}

// Found by the conformance suite (tests/conformance, case 9.1.2): the cap
// counted the previous, finished message, so a full-size message followed
// by a small one was refused with 1009.
TEST(ws_receiver_cap_is_per_message) {
  WsReceiver rx(true, 100);
  std::string in = client_frame(0x81, std::string(100, 'a')) + client_frame(0x81, "get_metrics");
  size_t used;
  WsEvent ev = rx.next(in, &used);
  EXPECT(ev.kind == WsEvent::kMessage);
  EXPECT_EQ(ev.payload.size(), 100u);
  in.erase(0, used);
  ev = rx.next(in, &used);
  EXPECT(ev.kind == WsEvent::kMessage);
  EXPECT_EQ(ev.payload, "get_metrics");
  EXPECT_EQ(used, in.size());
  // Fragments still add up: 60 + 41 bytes is over.
  WsReceiver rx2(true, 100);
  EXPECT_EQ(error_code(rx2, client_frame(0x01, std::string(60, 'a')) + client_frame(0x80, std::string(41, 'b'))),
            kWsCloseTooBig);
}

// RFC 6455 §5.2: lengths use the shortest form; a longer one is a protocol error.
TEST(ws_receiver_non_minimal_lengths) {
  const std::string key("\x01\x02\x03\x04", 4);
  WsReceiver rx(true, 1 << 20);  // 5 bytes in the 16-bit form
  EXPECT_EQ(error_code(rx, std::string("\x81\xfe\x00\x05", 4) + key + "hello"), kWsCloseProtocolError);
  WsReceiver rx2(true, 1 << 20);  // 65535 bytes in the 64-bit form
  EXPECT_EQ(error_code(rx2, std::string("\x82\xff\x00\x00\x00\x00\x00\x00\xff\xff", 10) + key),
            kWsCloseProtocolError);
  WsReceiver rx3(true, 1 << 20);  // the smallest of each form is fine
  std::string f126 = client_frame(0x82, std::string(126, 'x'));
  EXPECT_EQ(static_cast<uint8_t>(f126[1]), 0xfeu);
  size_t used;
  EXPECT(rx3.next(f126, &used).kind == WsEvent::kMessage);
  std::string f64k = client_frame(0x82, std::string(65536, 'y'));
  EXPECT_EQ(static_cast<uint8_t>(f64k[1]), 0xffu);
  EXPECT(rx3.next(f64k, &used).kind == WsEvent::kMessage);
  EXPECT_EQ(used, f64k.size());
}
