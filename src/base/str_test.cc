#include "base/str.h"

#include "base/test.h"

TEST(str_to_u64_strict) {
  uint64_t v = 0;
  EXPECT(str_to_u64("4294967295", &v, UINT32_MAX));
  EXPECT_EQ(v, 4294967295ull);
  EXPECT(!str_to_u64("4294967296", &v, UINT32_MAX));
  EXPECT(str_to_u64("18446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  EXPECT(!str_to_u64("18446744073709551616", &v));
  EXPECT(!str_to_u64("", &v));
  EXPECT(!str_to_u64("+1", &v));
  EXPECT(!str_to_u64("1 ", &v));
}

TEST(str_list_has_tokens) {
  EXPECT(str_list_has("keep-alive, Upgrade", "upgrade"));
  EXPECT(str_list_has("gzip;q=1.0, identity", "gzip"));
  EXPECT(!str_list_has("x-gzip", "gzip"));
  EXPECT(!str_list_has("", "gzip"));
}

TEST(str_url_decode_and_query) {
  std::string out;
  EXPECT(str_url_decode("a%20b+c%2B", &out));
  EXPECT_EQ(out, "a b c+");
  EXPECT(!str_url_decode("%4", &out));
  EXPECT(!str_url_decode("%zz", &out));
  EXPECT(str_query_param("x=1&token=s%26cret&y", "token", &out));
  EXPECT_EQ(out, "s&cret");
  EXPECT(str_query_param("y&token=", "token", &out));
  EXPECT_EQ(out, "");
  EXPECT(!str_query_param("tokenx=1", "token", &out));
}

TEST(str_const_time_compare) {
  EXPECT(str_equal_const_time("secret", "secret"));
  EXPECT(!str_equal_const_time("secret", "secreT"));
  EXPECT(!str_equal_const_time("secret", "secret1"));
  EXPECT(!str_equal_const_time("", "x"));
  EXPECT(str_equal_const_time("", ""));
}

TEST(str_appendf_long) {
  std::string s = "x";
  str_appendf(&s, "%0300d", 7);
  EXPECT_EQ(s.size(), 301u);
  EXPECT_EQ(s.back(), '7');
}

TEST(str_cat_joins_pieces) {
  std::string name = "pi";
  EXPECT_EQ(str_cat({"peer '", name, "' is declared twice"}), std::string("peer 'pi' is declared twice"));
  EXPECT_EQ(str_cat({}), std::string());
  EXPECT_EQ(str_cat({"", std::string_view("a\0b", 3), ""}), std::string("a\0b", 3));
}
