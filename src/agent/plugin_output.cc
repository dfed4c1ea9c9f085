#include "agent/plugin_output.h"

#include <cmath>

namespace {

bool write_number(const JsonValue& v, JsonWriter* w, std::string* err) {
  if (v.is_u64) {
    w->u64(v.u64);
    return true;
  }
  if (!std::isfinite(v.number)) {
    *err = "number out of range";
    return false;
  }
  // Whole numbers stay whole ("-3", "1000" for 1e3): JsonWriter::f64 would
  // add ".0". Below 2^53 a double holds every integer exactly.
  if (v.number == std::floor(v.number) && std::fabs(v.number) < 9007199254740992.0) {
    w->i64(static_cast<int64_t>(v.number));
    return true;
  }
  w->f64(v.number);
  return true;
}

}  // namespace

bool json_write_value(const JsonValue& value, JsonWriter* w, std::string* err) {
  // json_parse() limits nesting to kJsonMaxDepth, so recursion is bounded.
  switch (value.type) {
    case JsonValue::Type::Null: w->null(); return true;
    case JsonValue::Type::Bool: w->boolean(value.boolean); return true;
    case JsonValue::Type::Number: return write_number(value, w, err);
    case JsonValue::Type::String: w->str(value.string); return true;
    case JsonValue::Type::Array:
      w->begin_array();
      for (const JsonValue& item : value.items)
        if (!json_write_value(item, w, err)) return false;
      w->end_array();
      return true;
    case JsonValue::Type::Object:
      w->begin_object();
      for (const auto& member : value.members) {
        w->key(member.first);
        if (!json_write_value(member.second, w, err)) return false;
      }
      w->end_object();
      return true;
  }
  return false;
}

bool plugin_output_to_json(std::string_view stdout_text, std::string* json, std::string* err) {
  JsonValue value;
  std::string why;
  std::string out;
  JsonWriter w(&out);
  if (!json_parse(stdout_text, &value, &why) || !json_write_value(value, &w, &why)) {
    // json_parse() says "json: ..."; the "bad JSON: " prefix already says it.
    std::string_view reason = why;
    if (reason.substr(0, 6) == "json: ") reason.remove_prefix(6);
    *err = "bad JSON: " + std::string(reason);
    return false;
  }
  json->swap(out);
  return true;
}

std::string plugin_error_json(std::string_view message) {
  std::string out;
  JsonWriter(&out).begin_object().key("error").str(message).end_object();
  return out;
}
