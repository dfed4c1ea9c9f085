#include "codec/der.h"

bool der_read(Reader* r, DerElement* out) {
  Reader probe = *r;  // consumed only on success
  uint8_t tag = 0, first = 0;
  if (!probe.u8(&tag) || !probe.u8(&first)) return false;
  size_t length = first;
  if (first == 0x81) {
    uint8_t n = 0;
    if (!probe.u8(&n)) return false;
    length = n;
  } else if (first == 0x82) {
    uint16_t n = 0;
    if (!probe.be16(&n)) return false;
    length = n;
  } else if (first & 0x80) {
    return false;  // indefinite (0x80) or longer than 64 KiB
  }
  std::string_view start = r->rest();
  if (!probe.bytes(length, &out->value)) return false;
  out->tag = tag;
  out->whole = start.substr(0, probe.offset() - r->offset());
  *r = probe;
  return true;
}

void der_append(std::string* out, uint8_t tag, std::string_view value) {
  out->push_back(static_cast<char>(tag));
  size_t n = value.size();
  if (n >= 0x100) {
    out->push_back('\x82');
    out->push_back(static_cast<char>(n >> 8));
  } else if (n >= 0x80) {
    out->push_back('\x81');
  }
  out->push_back(static_cast<char>(n & 0xff));
  out->append(value);
}
