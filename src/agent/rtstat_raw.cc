#include "agent/rtstat_raw.h"

#include "agent/rtstat.h"
#include "base/reader.h"
#include "base/str.h"
#include "net/conn.h"

namespace {

// What an HTTP client sends first; redis refuses the same on its text port.
const std::string_view kHttpStarts[] = {"GET ", "POST ", "HEAD ", "PUT ", "Host:"};

bool looks_like_http(std::string_view start) {
  for (std::string_view pattern : kHttpStarts)
    if (start.size() >= pattern.size() && str_equal_ci(start.substr(0, pattern.size()), pattern))
      return true;
  return false;
}

}  // namespace

RtstatRawEvent rtstat_raw_next(std::string_view input, std::string_view* line, size_t* consumed) {
  Reader r(input);
  std::string_view text;
  bool complete = r.until('\n', &text);
  if (!complete) text = input;
  if (looks_like_http(text)) return RtstatRawEvent::kHttp;
  if (text.size() > kRtstatRawMaxLineBytes) return RtstatRawEvent::kTooLong;
  if (!complete) return RtstatRawEvent::kNeedMore;
  if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
  *line = text;
  *consumed = r.offset();
  return RtstatRawEvent::kLine;
}

bool rtstat_raw_process(Conn* conn, RtstatSession* session) {
  while (!conn->closed() && conn->queued_output() == 0 && !conn->input().empty()) {
    std::string_view line;
    size_t used = 0;
    switch (rtstat_raw_next(conn->input(), &line, &used)) {
      case RtstatRawEvent::kNeedMore:
        return false;
      case RtstatRawEvent::kHttp:
      case RtstatRawEvent::kTooLong:
        conn->close_now();
        return true;
      case RtstatRawEvent::kLine:
        // The line views the input buffer, which replies do not touch.
        session->on_line(line);
        conn->consume(used);
        break;
    }
  }
  return false;
}
