#include "agent/rtstat_raw.h"

#include <string>

#include "base/test.h"

namespace {

// Runs the framing over `input` like the connection does; returns the lines
// joined by '|' and what stopped it.
std::string frame(std::string input) {
  std::string out;
  for (;;) {
    std::string_view line;
    size_t used = 0;
    RtstatRawEvent ev = rtstat_raw_next(input, &line, &used);
    if (ev == RtstatRawEvent::kNeedMore) return out + "<more:" + input + ">";
    if (ev == RtstatRawEvent::kHttp) return out + "<http>";
    if (ev == RtstatRawEvent::kTooLong) return out + "<long>";
    out += std::string(line) + "|";
    input.erase(0, used);
  }
}

}  // namespace

TEST(rtstat_raw_lines) {
  EXPECT_EQ(frame("version\nstart\r\n\r\n\nsta"), "version|start|||<more:sta>");
  EXPECT_EQ(frame("a\r\r\n"), "a\r|<more:>");  // only one trailing CR is stripped
  EXPECT_EQ(frame(""), "<more:>");
}

TEST(rtstat_raw_http_guard) {
  EXPECT_EQ(frame("GET / HTTP/1.1\r\n"), "<http>");
  EXPECT_EQ(frame("GET "), "<http>");         // at once, before the line ends
  EXPECT_EQ(frame("GE"), "<more:GE>");
  EXPECT_EQ(frame("POST /x"), "<http>");
  EXPECT_EQ(frame("HEAD /"), "<http>");
  EXPECT_EQ(frame("PUT /"), "<http>");
  EXPECT_EQ(frame("version\nhost: example"), "version|<http>");
  EXPECT_EQ(frame("Host:"), "<http>");
  EXPECT_EQ(frame("GET\nget\nhostname\n"), "GET|get|hostname|<more:>");
  EXPECT_EQ(frame(" GET /\n"), " GET /|<more:>");  // only at a line start
}

TEST(rtstat_raw_line_cap) {
  std::string ok(kRtstatRawMaxLineBytes, 'x');
  EXPECT_EQ(frame(ok + "\n"), ok + "|<more:>");
  EXPECT_EQ(frame(ok + "x"), "<long>");
  EXPECT_EQ(frame(ok + "x\n"), "<long>");
  EXPECT_EQ(frame("version\n" + ok + "xx"), "version|<long>");
}
