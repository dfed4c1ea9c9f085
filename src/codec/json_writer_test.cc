#include "codec/json_writer.h"

#include <math.h>
#include <string.h>
#include <stdlib.h>

#include "base/test.h"

namespace {

std::string f32_text(float v) {
  std::string out;
  JsonWriter(&out).f32(v);
  return out;
}

std::string f64_text(double v) {
  std::string out;
  JsonWriter(&out).f64(v);
  return out;
}

std::string str_text(std::string_view v) {
  std::string out;
  JsonWriter(&out).str(v);
  return out;
}

}  // namespace

TEST(json_writer_f32_shortest_roundtrip) {
  EXPECT_EQ(f32_text(7.9f), std::string("7.9"));
  EXPECT_EQ(f32_text(0.5f), std::string("0.5"));
  EXPECT_EQ(f32_text(48.3f), std::string("48.3"));
  EXPECT_EQ(f32_text(-1.5f), std::string("-1.5"));
  // Integral values keep ".0", as upstream's serde/ryu prints them.
  EXPECT_EQ(f32_text(0.0f), std::string("0.0"));
  EXPECT_EQ(f32_text(-0.0f), std::string("0.0"));
  EXPECT_EQ(f32_text(8.0f), std::string("8.0"));
  EXPECT_EQ(f32_text(100.0f), std::string("100.0"));
  EXPECT_EQ(f32_text(16777216.0f), std::string("16777216.0"));
  EXPECT_EQ(f32_text(0.001234f), std::string("0.001234"));
  EXPECT_EQ(f32_text(1e-6f), std::string("0.000001"));
  EXPECT_EQ(f32_text(1e-7f), std::string("1e-7"));
  EXPECT_EQ(strtof("1e-7", nullptr), 1e-7f);
  EXPECT_EQ(f32_text(1.5e-7f), std::string("1.5e-7"));
  EXPECT_EQ(f32_text(1e13f), std::string("1e13"));
  EXPECT_EQ(f32_text(3.4028235e38f), std::string("3.4028235e38"));
  EXPECT_EQ(f32_text(1e-45f), std::string("1e-45"));      // smallest subnormal
  EXPECT_EQ(f32_text(0.1f), std::string("0.1"));          // not 0.100000001
  EXPECT_EQ(f32_text(16777217.0f), std::string("16777216.0"));
}

TEST(json_writer_f32_every_output_reads_back) {
  // A spread of bit patterns: each must print and parse back to itself.
  for (uint32_t bits = 1; bits < 0x7F800000; bits += 0x00123457) {
    float v;
    memcpy(&v, &bits, sizeof v);
    std::string text = f32_text(v);
    if (strtof(text.c_str(), nullptr) != v) {
      EXPECT_EQ(text, std::string("<round-trip>"));
      break;
    }
  }
}

TEST(json_writer_non_finite_becomes_zero) {
  EXPECT_EQ(f32_text(NAN), std::string("0.0"));
  EXPECT_EQ(f32_text(INFINITY), std::string("0.0"));
  EXPECT_EQ(f32_text(-INFINITY), std::string("0.0"));
  EXPECT_EQ(f64_text(NAN), std::string("0.0"));
  EXPECT_EQ(f64_text(-HUGE_VAL), std::string("0.0"));
}

TEST(json_writer_f64_shortest_roundtrip) {
  EXPECT_EQ(f64_text(0.1), std::string("0.1"));
  EXPECT_EQ(f64_text(0.1 + 0.2), std::string("0.30000000000000004"));
  EXPECT_EQ(f64_text(1.0), std::string("1.0"));
  EXPECT_EQ(f64_text(1e15), std::string("1000000000000000.0"));
  EXPECT_EQ(f64_text(1e16), std::string("1e16"));
  EXPECT_EQ(f64_text(1.5e300), std::string("1.5e300"));
  EXPECT_EQ(f64_text(0.0001), std::string("0.0001"));
  EXPECT_EQ(f64_text(0.00001), std::string("0.00001"));
  EXPECT_EQ(f64_text(0.000001), std::string("1e-6"));
  EXPECT_EQ(f64_text(5e-324), std::string("5e-324"));
  EXPECT_EQ(f64_text(1.7976931348623157e308), std::string("1.7976931348623157e308"));
  EXPECT_EQ(f64_text(-2.5), std::string("-2.5"));
}

TEST(json_writer_integers) {
  std::string out;
  JsonWriter w(&out);
  w.begin_array().u64(0).u64(UINT64_MAX).i64(INT64_MIN).i64(-1).i64(42).end_array();
  EXPECT_EQ(out, std::string("[0,18446744073709551615,-9223372036854775808,-1,42]"));
}

TEST(json_writer_string_escapes) {
  EXPECT_EQ(str_text("a\"b\\c/d"), std::string("\"a\\\"b\\\\c/d\""));
  EXPECT_EQ(str_text("\n\r\t\b\f"), std::string("\"\\n\\r\\t\\b\\f\""));
  EXPECT_EQ(str_text(std::string("\x00\x01\x1f\x7f", 4)),
            std::string("\"\\u0000\\u0001\\u001f\x7f\""));
  // U+2028/U+2029 are legal in JSON strings and pass through as UTF-8.
  EXPECT_EQ(str_text("\xe2\x80\xa8\xe2\x80\xa9"), std::string("\"\xe2\x80\xa8\xe2\x80\xa9\""));
  EXPECT_EQ(str_text("\xf0\x9f\x98\x80"), std::string("\"\xf0\x9f\x98\x80\""));
  EXPECT_EQ(str_text("nginx\xff\xfe"), std::string("\"nginx\xef\xbf\xbd\xef\xbf\xbd\""));
  EXPECT_EQ(str_text("a\xc3\"b"), std::string("\"a\xef\xbf\xbd\\\"b\""));
  EXPECT_EQ(str_text(""), std::string("\"\""));
}

TEST(json_writer_keys_escaped_too) {
  std::string out;
  JsonWriter(&out).begin_object().key("a\"\n\xff").null().end_object();
  EXPECT_EQ(out, std::string("{\"a\\\"\\n\xef\xbf\xbd\":null}"));
}

TEST(json_writer_empty_and_nested_containers) {
  std::string out;
  JsonWriter w(&out);
  w.begin_object()
      .key("a").begin_array().end_array()
      .key("b").begin_object().end_object()
      .key("c").begin_array()
          .begin_array().u64(1).end_array()
          .begin_object().key("d").boolean(true).key("e").boolean(false).end_object()
          .null()
      .end_array()
      .key("f").str("x")
      .end_object();
  EXPECT_EQ(out, std::string(
      "{\"a\":[],\"b\":{},\"c\":[[1],{\"d\":true,\"e\":false},null],\"f\":\"x\"}"));
}

TEST(json_writer_socktop_metrics_example) {
  // socktop.md §6 example, byte for byte (372 bytes).
  std::string out;
  JsonWriter w(&out);
  w.begin_object();
  w.key("sampled_at_ms").u64(1786752000123ull);
  w.key("cpu_total").f32(7.9f);
  w.key("cpu_per_core").begin_array().f32(10.5f).f32(3.1f).f32(8.0f).f32(9.9f).end_array();
  w.key("mem_total").u64(16624189440ull);
  w.key("mem_used").u64(5211594752ull);
  w.key("swap_total").u64(4294963200ull);
  w.key("swap_used").u64(0);
  w.key("hostname").str("rpi5");
  w.key("cpu_temp_c").f32(48.3f);
  w.key("disks").begin_array().end_array();
  w.key("networks").begin_array();
  w.begin_object().key("name").str("lo").key("received").u64(1048576).key("transmitted").u64(1048576).end_object();
  w.begin_object().key("name").str("eth0").key("received").u64(987654321).key("transmitted").u64(123456789).end_object();
  w.end_array();
  w.key("top_processes").begin_array().end_array();
  w.key("gpus").null();
  w.end_object();
  EXPECT_EQ(out, std::string(
      "{\"sampled_at_ms\":1786752000123,\"cpu_total\":7.9,\"cpu_per_core\":[10.5,3.1,8.0,9.9],"
      "\"mem_total\":16624189440,\"mem_used\":5211594752,\"swap_total\":4294963200,"
      "\"swap_used\":0,\"hostname\":\"rpi5\",\"cpu_temp_c\":48.3,\"disks\":[],"
      "\"networks\":[{\"name\":\"lo\",\"received\":1048576,\"transmitted\":1048576},"
      "{\"name\":\"eth0\",\"received\":987654321,\"transmitted\":123456789}],"
      "\"top_processes\":[],\"gpus\":null}"));
  EXPECT_EQ(out.size(), size_t(372));
}

TEST(json_writer_appends_to_existing_output) {
  std::string out = "prefix:";
  JsonWriter(&out).begin_array().u64(1).end_array();
  EXPECT_EQ(out, std::string("prefix:[1]"));
}

// The short-decimal fast path must agree with a plain search for the
// shortest %g text that reads back (the reference here), digit for digit.
static std::string reference_digits(double v) {
  char buf[40];
  for (int p = 1; p <= 17; p++) {
    snprintf(buf, sizeof buf, "%.*e", p - 1, v);
    if (strtod(buf, nullptr) == v) break;
  }
  std::string d;
  for (const char* c = buf; *c && *c != 'e'; c++)
    if (*c != '.') d += *c;
  while (d.size() > 1 && d.back() == '0') d.pop_back();
  return d;
}

TEST(json_f64_fast_path_matches_reference_search) {
  uint64_t state = 88172645463325252ull;
  auto next = [&state]() { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; };
  int checked = 0;
  for (int i = 0; i < 20000; i++) {
    double v;
    switch (i % 4) {
      case 0: v = static_cast<double>(next() % 100000000) / 100; break;   // jiffies / 100
      case 1: v = static_cast<double>(next() % 1000000000000ull); break;  // counters
      case 2: v = static_cast<double>(next() % 100000) / 1000; break;
      default: v = static_cast<double>(next() >> 11) / 9007199254740992.0 * 1000; break;
    }
    if (v == 0) continue;
    std::string text;
    json_format_f64(v, &text);
    EXPECT_EQ(strtod(text.c_str(), nullptr), v);
    std::string digits;
    for (char c : text) {
      if (c == 'e') break;
      if (c >= '0' && c <= '9') digits += c;
    }
    while (digits.size() > 1 && digits[0] == '0') digits.erase(0, 1);
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    EXPECT_EQ(digits, reference_digits(v));
    checked++;
  }
  EXPECT(checked > 19000);
}
