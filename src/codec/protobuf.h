// proto3 wire format: just enough to write and read socktop.Processes
// (socktop.md §8) and to skip anything else.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <string_view>

#include "base/reader.h"

enum ProtoWireType : uint32_t {
  kProtoVarint = 0,
  kProtoFixed64 = 1,
  kProtoLengthDelimited = 2,
  kProtoFixed32 = 5,
};

/// Appends fields to *out. Writes exactly what it is told: omitting
/// default values (as upstream does) is the caller's decision.
class ProtoWriter {
 public:
  explicit ProtoWriter(std::string* out) : out_(out) {}

  void varint_field(uint32_t field, uint64_t v);
  /// Wire type 5, IEEE-754 bits little-endian.
  void fixed32_float_field(uint32_t field, float v);
  void bytes_field(uint32_t field, std::string_view v);

  /// Starts a nested message; returns the mark to pass to end_message(),
  /// which back-patches the length. Nesting is allowed.
  size_t begin_message(uint32_t field);
  void end_message(size_t mark);

 private:
  void tag(uint32_t field, uint32_t wire_type);
  void varint(uint64_t v);

  std::string* out_;
};

/// Appends the base-128 varint encoding of v to *out.
void proto_append_varint(uint64_t v, std::string* out);

/// Walks the fields of one message (not into nested ones: open a new
/// ProtoReader over bytes() for that).
class ProtoReader {
 public:
  explicit ProtoReader(std::string_view message) : r_(message) {}

  /// Next field: false at clean end; sets *error on malformed input
  /// (truncated varint, >10 byte varint or one above 2^64-1, field 0 or above
  /// 2^29-1, length past end, wire types 3/4/6/7). Once an error is seen it
  /// keeps returning false with *error set.
  bool next(uint32_t* field, uint32_t* wire_type, bool* error);

  /// The current field's value, for the wire type next() reported.
  uint64_t varint() const { return value_; }
  uint32_t fixed32() const { return static_cast<uint32_t>(value_); }
  uint64_t fixed64() const { return value_; }
  float fixed32_float() const;
  std::string_view bytes() const { return bytes_; }

 private:
  bool read_varint(uint64_t* out);

  Reader r_;
  bool failed_ = false;
  uint64_t value_ = 0;
  std::string_view bytes_;
};
