// A small JSON DOM (RFC 8259, strict) for statc and for socktop's JSON
// request form.
#pragma once

#include <stdint.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct JsonValue {
  enum class Type { Null, Bool, Number, String, Array, Object };

  Type type = Type::Null;
  bool boolean = false;
  double number = 0;      // every Number; may be ±inf for huge literals
  bool is_u64 = false;    // the literal is a non-negative integer (no
  uint64_t u64 = 0;       // fraction, no exponent) that fits in 64 bits
  std::string string;
  std::vector<JsonValue> items;                               // Array
  std::vector<std::pair<std::string, JsonValue>> members;     // Object, input order

  bool is_null() const { return type == Type::Null; }
  bool is_bool() const { return type == Type::Bool; }
  bool is_number() const { return type == Type::Number; }
  bool is_string() const { return type == Type::String; }
  bool is_array() const { return type == Type::Array; }
  bool is_object() const { return type == Type::Object; }

  /// The first member named `key`; nullptr if absent or not an object.
  const JsonValue* get(std::string_view key) const;
  /// Only exact non-negative integer literals ("42", not "42.0" or "4.2e1").
  bool as_u64(uint64_t* out) const;
  /// Any Number.
  bool as_double(double* out) const;
  /// A String, as a view into this value.
  bool as_string(std::string_view* out) const;
};

/// Maximum nesting of arrays and objects json_parse() accepts.
constexpr int kJsonMaxDepth = 64;

/// Parses exactly one JSON value (plus surrounding whitespace) from `text`.
/// Strict RFC 8259: no trailing commas, comments, leading zeros, NaN or
/// raw control characters; \u escapes with surrogate pairs (lone
/// surrogates rejected); strings must be valid UTF-8; nesting at most
/// kJsonMaxDepth. On failure fills *err (if given) with the reason and
/// the byte offset.
bool json_parse(std::string_view text, JsonValue* out, std::string* err);
