#include "codec/protobuf.h"

#include <string.h>

void proto_append_varint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    *out += char(0x80 | (v & 0x7F));
    v >>= 7;
  }
  *out += char(v);
}

void ProtoWriter::tag(uint32_t field, uint32_t wire_type) {
  varint((uint64_t(field) << 3) | wire_type);
}

void ProtoWriter::varint(uint64_t v) { proto_append_varint(v, out_); }

void ProtoWriter::varint_field(uint32_t field, uint64_t v) {
  tag(field, kProtoVarint);
  varint(v);
}

void ProtoWriter::fixed32_float_field(uint32_t field, float v) {
  uint32_t bits;
  memcpy(&bits, &v, sizeof bits);
  tag(field, kProtoFixed32);
  for (int i = 0; i < 4; i++) *out_ += char((bits >> (8 * i)) & 0xFF);
}

void ProtoWriter::bytes_field(uint32_t field, std::string_view v) {
  tag(field, kProtoLengthDelimited);
  varint(v.size());
  out_->append(v);
}

size_t ProtoWriter::begin_message(uint32_t field) {
  tag(field, kProtoLengthDelimited);
  // One placeholder length byte: most nested messages (process rows) are
  // under 128 bytes; longer ones get the extra bytes inserted at the end.
  *out_ += '\0';
  return out_->size();
}

void ProtoWriter::end_message(size_t mark) {
  std::string length;
  proto_append_varint(out_->size() - mark, &length);
  out_->replace(mark - 1, 1, length);
}

bool ProtoReader::read_varint(uint64_t* out) {
  uint64_t v = 0;
  for (int i = 0; i < 10; i++) {
    uint8_t b;
    if (!r_.u8(&b)) return false;  // truncated
    // The 10th byte holds bit 63 only; anything more overflows 64 bits.
    if (i == 9 && b > 1) return false;
    v |= uint64_t(b & 0x7F) << (7 * i);
    if (b < 0x80) {
      *out = v;
      return true;
    }
  }
  return false;  // longer than 10 bytes
}

bool ProtoReader::next(uint32_t* field, uint32_t* wire_type, bool* error) {
  *error = failed_;
  if (failed_ || r_.empty()) return false;
  failed_ = true;  // until this field has been read completely
  *error = true;
  uint64_t key;
  if (!read_varint(&key)) return false;
  uint64_t number = key >> 3;
  if (number == 0 || number > 0x1FFFFFFF) return false;
  *field = uint32_t(number);
  *wire_type = uint32_t(key & 7);
  switch (*wire_type) {
    case kProtoVarint:
      if (!read_varint(&value_)) return false;
      break;
    case kProtoFixed64: {
      uint32_t low, high;
      if (!r_.le32(&low) || !r_.le32(&high)) return false;
      value_ = (uint64_t(high) << 32) | low;
      break;
    }
    case kProtoFixed32: {
      uint32_t v;
      if (!r_.le32(&v)) return false;
      value_ = v;
      break;
    }
    case kProtoLengthDelimited: {
      uint64_t length;
      if (!read_varint(&length)) return false;
      if (length > r_.remaining()) return false;
      r_.bytes(size_t(length), &bytes_);
      value_ = length;
      break;
    }
    default:
      return false;  // 3/4 (groups, not in proto3) and 6/7 (undefined)
  }
  failed_ = false;
  *error = false;
  return true;
}

float ProtoReader::fixed32_float() const {
  uint32_t bits = fixed32();
  float v;
  memcpy(&v, &bits, sizeof v);
  return v;
}
