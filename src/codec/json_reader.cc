#include "codec/json_reader.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/reader.h"
#include "codec/utf8.h"

const JsonValue* JsonValue::get(std::string_view key) const {
  if (type != Type::Object) return nullptr;
  for (const auto& member : members) {
    if (member.first == key) return &member.second;
  }
  return nullptr;
}

bool JsonValue::as_u64(uint64_t* out) const {
  if (type != Type::Number || !is_u64) return false;
  *out = u64;
  return true;
}

bool JsonValue::as_double(double* out) const {
  if (type != Type::Number) return false;
  *out = number;
  return true;
}

bool JsonValue::as_string(std::string_view* out) const {
  if (type != Type::String) return false;
  *out = string;
  return true;
}

namespace {

bool is_digit(int c) { return c >= '0' && c <= '9'; }

void append_utf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += char(cp);
  } else if (cp < 0x800) {
    *out += char(0xC0 | (cp >> 6));
    *out += char(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += char(0xE0 | (cp >> 12));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  } else {
    *out += char(0xF0 | (cp >> 18));
    *out += char(0x80 | ((cp >> 12) & 0x3F));
    *out += char(0x80 | ((cp >> 6) & 0x3F));
    *out += char(0x80 | (cp & 0x3F));
  }
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view text) : text_(text), r_(text) {}

  bool parse_document(JsonValue* out, std::string* err) {
    skip_whitespace();
    bool ok = parse_value(out, 0);
    if (ok) {
      skip_whitespace();
      if (!r_.empty()) ok = fail("trailing characters after the value");
    }
    if (!ok && err) {
      char buf[96];
      snprintf(buf, sizeof buf, "json: %s at offset %zu", error_, error_offset_);
      *err = buf;
    }
    return ok;
  }

 private:
  bool fail(const char* what) {
    error_ = what;
    error_offset_ = r_.offset();
    return false;
  }

  void skip_whitespace() {
    for (;;) {
      int c = r_.peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      r_.skip(1);
    }
  }

  bool parse_value(JsonValue* out, int depth) {
    switch (r_.peek()) {
      case '{': return parse_object(out, depth + 1);
      case '[': return parse_array(out, depth + 1);
      case '"':
        out->type = JsonValue::Type::String;
        return parse_string(&out->string);
      case 't':
        out->type = JsonValue::Type::Bool;
        out->boolean = true;
        return r_.consume("true") || fail("invalid literal");
      case 'f':
        out->type = JsonValue::Type::Bool;
        out->boolean = false;
        return r_.consume("false") || fail("invalid literal");
      case 'n':
        out->type = JsonValue::Type::Null;
        return r_.consume("null") || fail("invalid literal");
      case -1: return fail("unexpected end of input");
      default:
        if (r_.peek() == '-' || is_digit(r_.peek())) return parse_number(out);
        return fail("unexpected character");
    }
  }

  bool parse_object(JsonValue* out, int depth) {
    if (depth > kJsonMaxDepth) return fail("nesting too deep");
    out->type = JsonValue::Type::Object;
    r_.skip(1);  // '{'
    skip_whitespace();
    if (r_.consume("}")) return true;
    for (;;) {
      if (r_.peek() != '"') return fail("expected a member name");
      out->members.emplace_back();
      auto& member = out->members.back();
      if (!parse_string(&member.first)) return false;
      skip_whitespace();
      if (!r_.consume(":")) return fail("expected ':'");
      skip_whitespace();
      if (!parse_value(&member.second, depth)) return false;
      skip_whitespace();
      if (r_.consume("}")) return true;
      if (!r_.consume(",")) return fail("expected ',' or '}'");
      skip_whitespace();
    }
  }

  bool parse_array(JsonValue* out, int depth) {
    if (depth > kJsonMaxDepth) return fail("nesting too deep");
    out->type = JsonValue::Type::Array;
    r_.skip(1);  // '['
    skip_whitespace();
    if (r_.consume("]")) return true;
    for (;;) {
      out->items.emplace_back();
      if (!parse_value(&out->items.back(), depth)) return false;
      skip_whitespace();
      if (r_.consume("]")) return true;
      if (!r_.consume(",")) return fail("expected ',' or ']'");
      skip_whitespace();
    }
  }

  bool parse_hex4(uint32_t* out) {
    std::string_view hex;
    if (!r_.bytes(4, &hex)) return fail("truncated \\u escape");
    uint32_t v = 0;
    for (char c : hex) {
      int digit;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      else return fail("bad hex digit in \\u escape");
      v = v << 4 | uint32_t(digit);
    }
    *out = v;
    return true;
  }

  bool parse_escape(std::string* out) {
    uint8_t c;
    if (!r_.u8(&c)) return fail("unterminated string");
    switch (c) {
      case '"': *out += '"'; return true;
      case '\\': *out += '\\'; return true;
      case '/': *out += '/'; return true;
      case 'b': *out += '\b'; return true;
      case 'f': *out += '\f'; return true;
      case 'n': *out += '\n'; return true;
      case 'r': *out += '\r'; return true;
      case 't': *out += '\t'; return true;
      case 'u': break;
      default: return fail("invalid escape");
    }
    uint32_t cp;
    if (!parse_hex4(&cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return fail("lone low surrogate");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low;
      if (!r_.consume("\\u")) return fail("lone high surrogate");
      if (!parse_hex4(&low)) return false;
      if (low < 0xDC00 || low > 0xDFFF) return fail("lone high surrogate");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    append_utf8(cp, out);
    return true;
  }

  bool parse_string(std::string* out) {
    r_.skip(1);  // opening quote
    for (;;) {
      uint8_t c;
      if (!r_.u8(&c)) return fail("unterminated string");
      if (c == '"') break;
      if (c == '\\') {
        if (!parse_escape(out)) return false;
      } else if (c < 0x20) {
        return fail("control character in string");
      } else {
        *out += char(c);
      }
    }
    // Escapes always produce whole, valid sequences that start with a
    // non-continuation byte, so checking the decoded text checks the raw
    // bytes between them.
    if (!utf8_valid(*out)) return fail("invalid UTF-8 in string");
    return true;
  }

  bool parse_digits() {
    if (!is_digit(r_.peek())) return fail("expected a digit");
    while (is_digit(r_.peek())) r_.skip(1);
    return true;
  }

  bool parse_number(JsonValue* out) {
    size_t start = r_.offset();
    bool negative = r_.consume("-");
    bool integral = true;
    if (r_.consume("0")) {
      if (is_digit(r_.peek())) return fail("leading zero in number");
    } else if (!parse_digits()) {
      return false;
    }
    if (r_.consume(".")) {
      integral = false;
      if (!parse_digits()) return false;
    }
    if (r_.peek() == 'e' || r_.peek() == 'E') {
      integral = false;
      r_.skip(1);
      if (!r_.consume("+")) r_.consume("-");
      if (!parse_digits()) return false;
    }
    std::string literal(text_.substr(start, r_.offset() - start));
    out->type = JsonValue::Type::Number;
    out->number = strtod(literal.c_str(), nullptr);
    if (!negative && integral) {
      uint64_t v = 0;
      bool fits = true;
      for (char c : literal) {
        uint64_t digit = uint64_t(c - '0');
        if (v > (UINT64_MAX - digit) / 10) {
          fits = false;
          break;
        }
        v = v * 10 + digit;
      }
      out->is_u64 = fits;
      out->u64 = fits ? v : 0;
    }
    return true;
  }

  std::string_view text_;
  Reader r_;
  const char* error_ = "";
  size_t error_offset_ = 0;
};

}  // namespace

bool json_parse(std::string_view text, JsonValue* out, std::string* err) {
  *out = JsonValue();
  JsonParser parser(text);
  return parser.parse_document(out, err);
}
