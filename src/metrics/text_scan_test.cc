#include "metrics/text_scan.h"

#include "base/test.h"

using namespace metrics;

TEST(text_scan_lines_and_tokens) {
  Reader r(std::string_view("a  b\tc\nlast"));
  std::string_view line, token;
  ASSERT(scan_line(&r, &line));
  EXPECT_EQ(line, "a  b\tc");
  Reader words(line);
  ASSERT(scan_token(&words, &token));
  EXPECT_EQ(token, "a");
  ASSERT(scan_token(&words, &token));
  EXPECT_EQ(token, "b");
  ASSERT(scan_token(&words, &token));
  EXPECT_EQ(token, "c");
  EXPECT(!scan_token(&words, &token));
  ASSERT(scan_line(&r, &line));
  EXPECT_EQ(line, "last");
  EXPECT(!scan_line(&r, &line));
}

TEST(text_scan_decimal_limits) {
  uint64_t v = 0;
  EXPECT(parse_decimal_u64("18446744073709551615", &v));
  EXPECT_EQ(v, 18446744073709551615ull);
  EXPECT(!parse_decimal_u64("18446744073709551616", &v));
  EXPECT(!parse_decimal_u64("", &v));
  EXPECT(!parse_decimal_u64("12a", &v));
  EXPECT(!parse_decimal_u64("-1", &v));
  uint32_t u = 0;
  EXPECT(parse_decimal_u32("4294967295", &u));
  EXPECT_EQ(u, 4294967295u);
  EXPECT(!parse_decimal_u32("4294967296", &u));
  int64_t i = 0;
  EXPECT(parse_decimal_i64("-12500", &i));
  EXPECT_EQ(i, -12500);
  EXPECT(!parse_decimal_i64("-", &i));
}

TEST(text_scan_decimal_double) {
  double d = 0;
  EXPECT(parse_decimal_double("0.52", &d));
  EXPECT(d > 0.5199999 && d < 0.5200001);
  EXPECT(parse_decimal_double("123456.78", &d));
  EXPECT(d > 123456.7799 && d < 123456.7801);
  EXPECT(parse_decimal_double("3", &d));
  EXPECT_EQ(d, 3.0);
  EXPECT(parse_decimal_double("-1.5", &d));
  EXPECT_EQ(d, -1.5);
  EXPECT(!parse_decimal_double("1.", &d));
  EXPECT(!parse_decimal_double(".", &d));
  EXPECT(!parse_decimal_double("1e5", &d));
  EXPECT(!parse_decimal_double("", &d));
}

TEST(text_scan_octal_escapes) {
  EXPECT_EQ(decode_octal_escapes("/mnt/My\\040Backup"), "/mnt/My Backup");
  EXPECT_EQ(decode_octal_escapes("a\\011b\\012c\\134d"), "a\tb\nc\\d");
  // Not an escape: kept as is.
  EXPECT_EQ(decode_octal_escapes("x\\09y\\"), "x\\09y\\");
  EXPECT_EQ(decode_octal_escapes("\\04"), "\\04");
}

TEST(text_scan_small_helpers) {
  EXPECT_EQ(trim_blank(" \tabc\r\n"), "abc");
  EXPECT_EQ(lower_ascii("Package ID 0"), "package id 0");
  uint32_t n = 0;
  EXPECT(number_after_prefix("hwmon12", "hwmon", &n));
  EXPECT_EQ(n, 12u);
  EXPECT(!number_after_prefix("hwmon", "hwmon", &n));
  EXPECT(!number_after_prefix("card0-DP-1", "card", &n));
  EXPECT(has_suffix("temp1_input", "_input"));
  EXPECT(!has_suffix("in", "_input"));
}

TEST(text_scan_decimal_double_is_correctly_rounded) {
  // /proc/loadavg's "1.17" must become the double nearest 1.17, or it
  // prints back as 1.1700000000000002.
  double v = 0;
  EXPECT(metrics::parse_decimal_double("1.17", &v));
  EXPECT(v == 1.17);
  EXPECT(metrics::parse_decimal_double("12345.67", &v));
  EXPECT(v == 12345.67);
  EXPECT(metrics::parse_decimal_double("0.1234567890123456789", &v));
  EXPECT(v == 0.1234567890123456789);
  EXPECT(metrics::parse_decimal_double("-2.5", &v));
  EXPECT(v == -2.5);
}
