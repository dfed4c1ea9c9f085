#include "codec/rtstat_line.h"

#include "base/test.h"

TEST(rtstat_parse_commands_and_args) {
  RtstatMessage m = rtstat_parse_message("  start\r\n");
  EXPECT_EQ(m.command, "start");
  EXPECT_EQ(m.args.size(), 0u);
  m = rtstat_parse_message("start::");
  EXPECT_EQ(m.args.size(), 0u);
  m = rtstat_parse_message("a::::b");  // rtstat.md §2.1: "a", "", "b"
  EXPECT_EQ(m.command, "a");
  ASSERT(m.args.size() == 2);
  EXPECT_EQ(m.args[0], "");
  EXPECT_EQ(m.args[1], "b");
  m = rtstat_parse_message("x::a::");  // a trailing "::" gives a final empty argument
  ASSERT(m.args.size() == 2);
  EXPECT_EQ(m.args[1], "");
  m = rtstat_parse_message("x::\\::x");
  ASSERT(m.args.size() == 1);
  EXPECT_EQ(m.args[0], "::x");
  m = rtstat_parse_message("x::a\\nb:c\\");  // \n -> LF, lone ':' literal, dangling '\' dropped
  EXPECT_EQ(m.args[0], "a\nb:c");
}

TEST(rtstat_escape_round_trip) {
  std::string out;
  rtstat_escape_arg("a\\b::c\nd", &out);
  EXPECT_EQ(out, "a\\\\b\\::c\\nd");
  RtstatMessage m = rtstat_parse_message("Push::" + out);
  ASSERT(m.args.size() == 1);
  EXPECT_EQ(m.args[0], "a\\b::c\nd");
  std::string json;
  rtstat_escape_arg("{\"k\":\"v\\\"q\"}", &json);
  RtstatMessage push = rtstat_parse_message("Push::" + json);
  ASSERT(push.args.size() == 1);
  EXPECT_EQ(push.args[0], "{\"k\":\"v\\\"q\"}");
}

// Found by fuzz/rtstat_line_fuzz.cc: "::" -> "\::" alone left ":::" as
// "\:::", which parses as ":" and a new argument; a final ':' merged with
// the next separator the same way.
TEST(rtstat_escape_colon_runs) {
  std::string out;
  rtstat_escape_arg(":::", &out);
  EXPECT_EQ(out, "\\:\\:\\:");
  std::string last;
  rtstat_escape_arg("a:", &last);
  EXPECT_EQ(last, "a\\:");
  RtstatMessage m = rtstat_parse_message("auth::" + out + "::" + last + "::x");
  ASSERT(m.args.size() == 3);
  EXPECT_EQ(m.args[0], ":::");
  EXPECT_EQ(m.args[1], "a:");
  EXPECT_EQ(m.args[2], "x");
}
