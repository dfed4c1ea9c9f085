// Turns what a command plugin printed into the JSON statd pushes: the
// output must be one JSON value; it is parsed (so a broken plugin cannot
// corrupt a push line) and written back compactly on one line.
#pragma once

#include <string>
#include <string_view>

#include "codec/json_reader.h"
#include "codec/json_writer.h"

/// Writes `value` through `w` (compact). False with *err for a number JSON
/// output cannot hold (a literal too large for a double); `w` may then
/// hold a partial value.
bool json_write_value(const JsonValue& value, JsonWriter* w, std::string* err);

/// `stdout_text` as one compact JSON value in *json (replaced). False with
/// *err ("bad JSON: ...") when it is not exactly one valid JSON value.
bool plugin_output_to_json(std::string_view stdout_text, std::string* json, std::string* err);

/// {"error":"<message>"}
std::string plugin_error_json(std::string_view message);
