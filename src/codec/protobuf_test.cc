#include "codec/protobuf.h"

#include "base/test.h"

namespace {

// socktop.md §8.2: Processes{process_count:2, rows:[{pid:1, name:"init",
// cpu_usage:0.5, mem_bytes:4096}]}.
const char kProcessesExample[] =
    "\x08\x02\x12\x10\x08\x01\x12\x04" "init" "\x1d\x00\x00\x00\x3f\x20\x80\x20";

bool read_error_at_end(std::string_view message) {
  ProtoReader r(message);
  uint32_t field, wire_type;
  bool error = false;
  while (r.next(&field, &wire_type, &error)) {
  }
  return error;
}

}  // namespace

TEST(protobuf_writes_socktop_example) {
  std::string out;
  ProtoWriter w(&out);
  w.varint_field(1, 2);
  size_t row = w.begin_message(2);
  w.varint_field(1, 1);
  w.bytes_field(2, "init");
  w.fixed32_float_field(3, 0.5f);
  w.varint_field(4, 4096);
  w.end_message(row);
  EXPECT_EQ(out, std::string(kProcessesExample, 20));
}

TEST(protobuf_reads_socktop_example) {
  ProtoReader top(std::string_view(kProcessesExample, 20));
  uint32_t field, wire_type;
  bool error = true;
  ASSERT(top.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 1u);
  EXPECT_EQ(wire_type, uint32_t(kProtoVarint));
  EXPECT_EQ(top.varint(), uint64_t(2));
  ASSERT(top.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 2u);
  EXPECT_EQ(wire_type, uint32_t(kProtoLengthDelimited));
  EXPECT_EQ(top.bytes().size(), size_t(16));

  ProtoReader row(top.bytes());
  ASSERT(row.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 1u);
  EXPECT_EQ(row.varint(), uint64_t(1));
  ASSERT(row.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 2u);
  EXPECT_EQ(row.bytes(), std::string_view("init"));
  ASSERT(row.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 3u);
  EXPECT_EQ(wire_type, uint32_t(kProtoFixed32));
  EXPECT_EQ(row.fixed32(), uint32_t(0x3f000000));
  EXPECT_EQ(row.fixed32_float(), 0.5f);
  ASSERT(row.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 4u);
  EXPECT_EQ(row.varint(), uint64_t(4096));
  EXPECT(!row.next(&field, &wire_type, &error));
  EXPECT(!error);

  EXPECT(!top.next(&field, &wire_type, &error));
  EXPECT(!error);
}

TEST(protobuf_long_nested_message_length_backpatched) {
  std::string out;
  ProtoWriter w(&out);
  size_t outer = w.begin_message(2);
  size_t inner = w.begin_message(7);
  w.bytes_field(1, std::string(200, 'x'));
  w.end_message(inner);
  w.end_message(outer);
  // inner: 0a c8 01 + 200 bytes = 203; outer: 3a cb 01 + 203.
  ASSERT(out.size() == 209);
  EXPECT_EQ(out.substr(0, 6), std::string("\x12\xce\x01\x3a\xcb\x01"));
  EXPECT_EQ(out.substr(6, 3), std::string("\x0a\xc8\x01"));
  std::string empty;
  ProtoWriter e(&empty);
  e.end_message(e.begin_message(1));
  EXPECT_EQ(empty, std::string("\x0a\x00", 2));
}

TEST(protobuf_varint_edges) {
  std::string out;
  ProtoWriter w(&out);
  w.varint_field(1, 0);
  w.varint_field(1, 127);
  w.varint_field(1, 128);
  w.varint_field(536870911, UINT64_MAX);  // largest field number
  EXPECT_EQ(out, std::string("\x08\x00\x08\x7f\x08\x80\x01"
                             "\xf8\xff\xff\xff\x0f"
                             "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 22));
  ProtoReader r(out);
  uint32_t field, wire_type;
  bool error;
  uint64_t expect[] = {0, 127, 128, UINT64_MAX};
  for (uint64_t v : expect) {
    ASSERT(r.next(&field, &wire_type, &error));
    EXPECT_EQ(r.varint(), v);
  }
  EXPECT_EQ(field, 536870911u);
  EXPECT(!r.next(&field, &wire_type, &error));
  EXPECT(!error);
}

TEST(protobuf_reads_fixed64_and_skips_unknown) {
  std::string msg("\x09\x01\x02\x03\x04\x05\x06\x07\x08" "\x15\xff\x00\x00\x00", 14);
  ProtoReader r(msg);
  uint32_t field, wire_type;
  bool error;
  ASSERT(r.next(&field, &wire_type, &error));
  EXPECT_EQ(wire_type, uint32_t(kProtoFixed64));
  EXPECT_EQ(r.fixed64(), uint64_t(0x0807060504030201ull));
  ASSERT(r.next(&field, &wire_type, &error));
  EXPECT_EQ(field, 2u);
  EXPECT_EQ(r.fixed32(), uint32_t(255));
  EXPECT(!r.next(&field, &wire_type, &error));
  EXPECT(!error);
}

TEST(protobuf_rejects_malformed) {
  EXPECT(!read_error_at_end(""));
  EXPECT(read_error_at_end("\x08"));                        // value missing
  EXPECT(read_error_at_end("\x08\x80"));                    // truncated varint
  EXPECT(read_error_at_end("\x80"));                        // truncated tag
  EXPECT(read_error_at_end("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01"
                           "\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x80\x00"));  // 11 bytes
  EXPECT(read_error_at_end("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02"));  // > 2^64-1
  EXPECT(read_error_at_end("\x12\x05" "abc"));             // length past end
  EXPECT(read_error_at_end("\x12\xff\xff\xff\xff\x0f"));    // huge length
  EXPECT(read_error_at_end("\x1d\x00\x00\x3f"));            // short fixed32
  EXPECT(read_error_at_end("\x09\x00\x00\x00\x00\x00\x00\x00"));  // short fixed64
  EXPECT(read_error_at_end("\x0b"));                        // wire type 3 (group start)
  EXPECT(read_error_at_end("\x0c"));                        // wire type 4 (group end)
  EXPECT(read_error_at_end("\x0e\x00"));                    // wire type 6
  EXPECT(read_error_at_end("\x0f\x00"));                    // wire type 7
  EXPECT(read_error_at_end(std::string("\x00\x00", 2)));    // field 0
  EXPECT(read_error_at_end("\x80\x80\x80\x80\x80\x01\x00"));  // field > 2^29-1
}

TEST(protobuf_error_is_sticky) {
  ProtoReader r("\x08\x01\x0f");
  uint32_t field, wire_type;
  bool error;
  EXPECT(r.next(&field, &wire_type, &error));
  EXPECT(!error);
  EXPECT(!r.next(&field, &wire_type, &error));
  EXPECT(error);
  EXPECT(!r.next(&field, &wire_type, &error));
  EXPECT(error);
}
