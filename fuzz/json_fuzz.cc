// json_parse on arbitrary bytes; whatever parses must survive a trip
// through JsonWriter and parse again to the same shape.
#include <stdint.h>
#include <stdlib.h>

#include "codec/json_reader.h"
#include "codec/json_writer.h"

namespace {

void write_value(const JsonValue& v, JsonWriter* w) {
  switch (v.type) {
    case JsonValue::Type::Null: w->null(); break;
    case JsonValue::Type::Bool: w->boolean(v.boolean); break;
    case JsonValue::Type::Number:
      if (v.is_u64) w->u64(v.u64); else w->f64(v.number);
      break;
    case JsonValue::Type::String: w->str(v.string); break;
    case JsonValue::Type::Array:
      w->begin_array();
      for (const auto& item : v.items) write_value(item, w);
      w->end_array();
      break;
    case JsonValue::Type::Object:
      w->begin_object();
      for (const auto& member : v.members) {
        w->key(member.first);
        write_value(member.second, w);
      }
      w->end_object();
      break;
  }
}

bool same_shape(const JsonValue& a, const JsonValue& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case JsonValue::Type::Null: return true;
    case JsonValue::Type::Bool: return a.boolean == b.boolean;
    case JsonValue::Type::Number:
      if (a.is_u64 != b.is_u64) return false;
      return a.is_u64 ? a.u64 == b.u64 : true;  // inf became 0: values may differ
    case JsonValue::Type::String: return a.string == b.string;
    case JsonValue::Type::Array:
      if (a.items.size() != b.items.size()) return false;
      for (size_t i = 0; i < a.items.size(); i++) {
        if (!same_shape(a.items[i], b.items[i])) return false;
      }
      return true;
    case JsonValue::Type::Object:
      if (a.members.size() != b.members.size()) return false;
      for (size_t i = 0; i < a.members.size(); i++) {
        if (a.members[i].first != b.members[i].first) return false;
        if (!same_shape(a.members[i].second, b.members[i].second)) return false;
      }
      return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  JsonValue value;
  std::string err;
  if (!json_parse(text, &value, &err)) {
    if (err.empty()) abort();
    return 0;
  }
  std::string again;
  JsonWriter writer(&again);
  write_value(value, &writer);
  JsonValue reparsed;
  if (!json_parse(again, &reparsed, &err)) abort();
  if (!same_shape(value, reparsed)) abort();
  return 0;
}
