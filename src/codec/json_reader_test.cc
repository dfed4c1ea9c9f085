#include "codec/json_reader.h"

#include "base/test.h"
#include "codec/json_writer.h"

namespace {

bool parses(std::string_view text) {
  JsonValue v;
  std::string err;
  return json_parse(text, &v, &err);
}

std::string error_of(std::string_view text) {
  JsonValue v;
  std::string err;
  if (json_parse(text, &v, &err)) return "<parsed>";
  return err;
}

}  // namespace

TEST(json_reader_socktop_requests) {
  JsonValue v;
  std::string err;
  ASSERT(json_parse("{\"type\":\"metrics\"}", &v, &err));
  EXPECT(v.is_object());
  ASSERT(v.get("type") != nullptr);
  EXPECT_EQ(v.get("type")->string, std::string("metrics"));
  EXPECT(v.get("pid") == nullptr);

  ASSERT(json_parse(" {\"type\": \"process_metrics\", \"pid\": 42}\r\n", &v, &err));
  std::string_view type;
  ASSERT(v.get("type")->as_string(&type));
  EXPECT_EQ(type, std::string_view("process_metrics"));
  uint64_t pid = 0;
  ASSERT(v.get("pid")->as_u64(&pid));
  EXPECT_EQ(pid, uint64_t(42));

  ASSERT(json_parse("{\"pid\":4294967295,\"type\":\"journal_entries\",\"extra\":[1,{}]}", &v, &err));
  ASSERT(v.get("pid")->as_u64(&pid));
  EXPECT_EQ(pid, uint64_t(4294967295u));
  EXPECT_EQ(v.members.size(), size_t(3));
  EXPECT_EQ(v.members[2].first, std::string("extra"));
}

TEST(json_reader_u64_only_for_exact_integers) {
  JsonValue v;
  uint64_t n = 7;
  ASSERT(json_parse("1.5", &v, nullptr));
  EXPECT(!v.as_u64(&n));
  EXPECT_EQ(v.number, 1.5);
  ASSERT(json_parse("1e3", &v, nullptr));
  EXPECT(!v.as_u64(&n));
  EXPECT_EQ(v.number, 1000.0);
  ASSERT(json_parse("42.0", &v, nullptr));
  EXPECT(!v.as_u64(&n));
  ASSERT(json_parse("-1", &v, nullptr));
  EXPECT(!v.as_u64(&n));
  EXPECT_EQ(v.number, -1.0);
  ASSERT(json_parse("-0", &v, nullptr));
  EXPECT(!v.as_u64(&n));
  ASSERT(json_parse("0", &v, nullptr));
  EXPECT(v.as_u64(&n));
  EXPECT_EQ(n, uint64_t(0));
  ASSERT(json_parse("18446744073709551615", &v, nullptr));
  EXPECT(v.as_u64(&n));
  EXPECT_EQ(n, UINT64_MAX);
  ASSERT(json_parse("18446744073709551616", &v, nullptr));  // too big: Number only
  EXPECT(!v.as_u64(&n));
  EXPECT_EQ(v.number, 18446744073709551616.0);
  EXPECT_EQ(n, UINT64_MAX);
  ASSERT(json_parse("\"42\"", &v, nullptr));
  EXPECT(!v.as_u64(&n));
}

TEST(json_reader_numbers) {
  JsonValue v;
  ASSERT(json_parse("-12.5e-1", &v, nullptr));
  EXPECT_EQ(v.number, -1.25);
  ASSERT(json_parse("2E+2", &v, nullptr));
  EXPECT_EQ(v.number, 200.0);
  ASSERT(json_parse("0.000001", &v, nullptr));
  EXPECT_EQ(v.number, 0.000001);
  ASSERT(json_parse("1e999", &v, nullptr));  // grammatical; the value is inf
  EXPECT(v.is_number());
  EXPECT(!parses("01"));
  EXPECT(!parses("-"));
  EXPECT(!parses("+1"));
  EXPECT(!parses(".5"));
  EXPECT(!parses("1."));
  EXPECT(!parses("1e"));
  EXPECT(!parses("1e+"));
  EXPECT(!parses("0x10"));
  EXPECT(!parses("NaN"));
  EXPECT(!parses("Infinity"));
  EXPECT(!parses("-Infinity"));
}

TEST(json_reader_literals_and_containers) {
  JsonValue v;
  ASSERT(json_parse("[true,false,null,\"s\",[],{}]", &v, nullptr));
  ASSERT(v.is_array());
  ASSERT(v.items.size() == 6);
  EXPECT(v.items[0].is_bool() && v.items[0].boolean);
  EXPECT(v.items[1].is_bool() && !v.items[1].boolean);
  EXPECT(v.items[2].is_null());
  EXPECT_EQ(v.items[3].string, std::string("s"));
  EXPECT(v.items[4].is_array() && v.items[4].items.empty());
  EXPECT(v.items[5].is_object() && v.items[5].members.empty());
  EXPECT(v.get("x") == nullptr);  // not an object
  ASSERT(json_parse(" \t\n\r[ 1 , 2 ]\n", &v, nullptr));
  EXPECT_EQ(v.items.size(), size_t(2));
  EXPECT(!parses("tru"));
  EXPECT(!parses("nulll"));
  EXPECT(!parses("True"));
}

TEST(json_reader_rejects_malformed) {
  EXPECT(!parses(""));
  EXPECT(!parses("   "));
  EXPECT(!parses("[1,]"));
  EXPECT(!parses("{\"a\":1,}"));
  EXPECT(!parses("[1 2]"));
  EXPECT(!parses("{\"a\" 1}"));
  EXPECT(!parses("{a:1}"));
  EXPECT(!parses("{'a':1}"));
  EXPECT(!parses("[1] // c"));
  EXPECT(!parses("/* c */ 1"));
  EXPECT(!parses("{\"type\":\"metrics\"} x"));
  EXPECT(!parses("{\"type\":\"metrics\"}{}"));
  EXPECT(!parses("1 2"));
  EXPECT(!parses("[1"));
  EXPECT(!parses("{\"a\":1"));
  EXPECT(!parses("\"abc"));
  EXPECT(!parses("\xef\xbb\xbf{}"));            // no BOM
  EXPECT(!parses(std::string("[1]\0", 4)));
  EXPECT_EQ(error_of("[1,]"), std::string("json: unexpected character at offset 3"));
  EXPECT_EQ(error_of("{} x"), std::string("json: trailing characters after the value at offset 3"));
}

TEST(json_reader_string_escapes) {
  JsonValue v;
  ASSERT(json_parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"", &v, nullptr));
  EXPECT_EQ(v.string, std::string("a\"b\\c/d\b\f\n\r\t"));
  ASSERT(json_parse("\"\\u0041\\u00e9\\u20AC\\u0000\"", &v, nullptr));
  EXPECT_EQ(v.string, std::string("A\xc3\xa9\xe2\x82\xac\0", 7));
  ASSERT(json_parse("\"\\ud83d\\ude00\"", &v, nullptr));   // surrogate pair
  EXPECT_EQ(v.string, std::string("\xf0\x9f\x98\x80"));
  ASSERT(json_parse("\"\\uDBFF\\uDFFF\"", &v, nullptr));
  EXPECT_EQ(v.string, std::string("\xf4\x8f\xbf\xbf"));
  ASSERT(json_parse("\"\xe2\x80\xa8\"", &v, nullptr));     // raw U+2028
  EXPECT_EQ(v.string, std::string("\xe2\x80\xa8"));
  EXPECT(!parses("\"\\ud800\""));           // lone high surrogate
  EXPECT(!parses("\"\\ud800x\""));
  EXPECT(!parses("\"\\ud800\\u0041\""));    // high + non-low
  EXPECT(!parses("\"\\udc00\""));           // lone low surrogate
  EXPECT(!parses("\"\\u12\""));
  EXPECT(!parses("\"\\u12g4\""));
  EXPECT(!parses("\"\\x41\""));
  EXPECT(!parses("\"\\'\""));
  EXPECT(!parses("\"tab\there\""));         // raw control character
  EXPECT(!parses(std::string("\"\0\"", 3)));
}

TEST(json_reader_rejects_invalid_utf8) {
  EXPECT(!parses("\"\xff\""));
  EXPECT(!parses("\"\xc0\xaf\""));
  EXPECT(!parses("\"\xed\xa0\x80\""));
  EXPECT(!parses("\"\xe2\x82\""));
  EXPECT(!parses("\"\xe2\x82\\u0041\""));   // truncated sequence before an escape
  EXPECT(!parses("{\"\xff\":1}"));
  EXPECT(parses("\"\xce\xba\xf0\x9f\x98\x80\""));
}

TEST(json_reader_depth_limit) {
  std::string ok = std::string(64, '[') + std::string(64, ']');
  std::string deep = std::string(65, '[') + std::string(65, ']');
  EXPECT(parses(ok));
  EXPECT(!parses(deep));
  EXPECT_EQ(error_of(deep), std::string("json: nesting too deep at offset 64"));
  std::string objects;
  for (int i = 0; i < 64; i++) objects += "{\"a\":";
  objects += "1" + std::string(64, '}');
  EXPECT(parses(objects));
  EXPECT(!parses("{\"a\":" + objects + "}"));
  EXPECT(!parses(std::string(100000, '[')));  // no stack overflow
}

TEST(json_reader_duplicate_keys_first_wins) {
  JsonValue v;
  ASSERT(json_parse("{\"type\":\"metrics\",\"type\":\"disks\"}", &v, nullptr));
  EXPECT_EQ(v.get("type")->string, std::string("metrics"));
  EXPECT_EQ(v.members.size(), size_t(2));
}

TEST(json_reader_parses_writer_output) {
  std::string text;
  JsonWriter w(&text);
  w.begin_object().key("name").str("a\"\x01\xe2\x80\xa8").key("cpu").f32(7.9f)
      .key("n").u64(UINT64_MAX).key("l").begin_array().null().boolean(true).end_array()
      .end_object();
  JsonValue v;
  std::string err;
  ASSERT(json_parse(text, &v, &err));
  EXPECT_EQ(v.get("name")->string, std::string("a\"\x01\xe2\x80\xa8"));
  EXPECT_EQ(static_cast<float>(v.get("cpu")->number), 7.9f);
  uint64_t n;
  ASSERT(v.get("n")->as_u64(&n));
  EXPECT_EQ(n, UINT64_MAX);
  EXPECT_EQ(v.get("l")->items.size(), size_t(2));
}
