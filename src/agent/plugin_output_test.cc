#include "agent/plugin_output.h"

#include "base/test.h"

namespace {

std::string compact(std::string_view text) {
  std::string json, err;
  if (!plugin_output_to_json(text, &json, &err)) return "ERR " + err;
  return json;
}

}  // namespace

TEST(plugin_output_compacts_every_kind_of_value) {
  EXPECT_EQ(compact("{\"a\": 1}\n"), "{\"a\":1}");
  EXPECT_EQ(compact(" [ true , false , null , \"x\\u00e9\\n\" ] "), "[true,false,null,\"x\xc3\xa9\\n\"]");
  EXPECT_EQ(compact("{\"n\": {\"m\": [ ]}, \"o\": {}, \"n\": 2}"), "{\"n\":{\"m\":[]},\"o\":{},\"n\":2}");
  EXPECT_EQ(compact("\"just a string\""), "\"just a string\"");
  EXPECT_EQ(compact("42"), "42");
}

TEST(plugin_output_numbers_keep_their_value) {
  EXPECT_EQ(compact("[18446744073709551615, -3, 1e3, 2.0, 0.5, -0.25, 1.5e300, 1e-7, -0]"),
            "[18446744073709551615,-3,1000,2,0.5,-0.25,1.5e300,1e-7,0]");
  EXPECT_EQ(compact("[-9007199254740993]"), "[-9007199254740992.0]");
  EXPECT_EQ(compact("[1e999]"), "ERR bad JSON: number out of range");
}

TEST(plugin_output_error_json_escapes) {
  EXPECT_EQ(plugin_error_json("exit status 1: \"x\"\n"), "{\"error\":\"exit status 1: \\\"x\\\"\\n\"}");
}

TEST(plugin_output_rejects_what_is_not_one_json_value) {
  EXPECT_EQ(compact("nope\n"), "ERR bad JSON: invalid literal at offset 0");
  EXPECT_EQ(compact(""), "ERR bad JSON: unexpected end of input at offset 0");
  EXPECT_EQ(compact("{\"a\":1} {\"b\":2}"), "ERR bad JSON: trailing characters after the value at offset 8");
  EXPECT_EQ(compact("{\"a\":1,}"), "ERR bad JSON: expected a member name at offset 7");
}
