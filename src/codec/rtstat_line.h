// rt-stat's message grammar (../shared/spec/rtstat.md §2): a command, then
// "::"-separated arguments with backslash escapes. One parser serves both
// directions (statd reads client commands, statc reads server lines).
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct RtstatMessage {
  std::string command;            ///< as written (statd lower-cases it for matching)
  std::vector<std::string> args;  ///< unescaped
};

/// Parses one message exactly as upstream does: trim space/TAB/LF/CR/NUL/VT
/// at both ends, split at the first "::", then scan the rest: after '\' the
/// next byte is literal ('n' becomes LF), an unescaped "::" starts a new
/// argument, a lone ':' is literal, a dangling final '\' is dropped.
RtstatMessage rtstat_parse_message(std::string_view text);

/// Escapes one argument for sending (§2.2): '\' -> "\\", "::" -> "\::",
/// LF -> "\n"; also ":::" -> "\:\:\:" and a final ':' -> "\:", so that
/// parsing gives back every argument exactly.
void rtstat_escape_arg(std::string_view arg, std::string* out);
