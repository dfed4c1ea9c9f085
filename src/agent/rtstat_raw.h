// rt-stat over raw TCP (../shared/spec/rtstat.md §1): framing by line and
// the cross-protocol guard, separate from the connection so tests can feed
// bytes directly.
#pragma once

#include <stddef.h>

#include <string_view>

class Conn;
class RtstatSession;

/// Longest accepted line (bytes before the LF); a longer one closes the
/// connection: no rt-stat command needs more.
constexpr size_t kRtstatRawMaxLineBytes = 4096;

enum class RtstatRawEvent {
  kNeedMore,  ///< no complete line yet
  kLine,      ///< *line holds one line
  kHttp,      ///< the line starts like an HTTP request or header
  kTooLong,   ///< over kRtstatRawMaxLineBytes
};

/// Looks at the front of `input`. For kLine, *line is the text before the
/// LF without a trailing CR and *consumed counts the LF. HTTP is recognised
/// as soon as the line's first bytes are "GET ", "POST ", "HEAD ", "PUT " or
/// "Host:" (any case), without waiting for the end of the line.
RtstatRawEvent rtstat_raw_next(std::string_view input, std::string_view* line, size_t* consumed);

/// Feeds every complete line of conn->input() to the session; closes the
/// connection on kHttp or kTooLong (returns true then, so the caller can
/// count a protocol error). Stops while output is queued (the caller
/// resumes on drain).
bool rtstat_raw_process(Conn* conn, RtstatSession* session);
