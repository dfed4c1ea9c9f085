#include "codec/rtstat_line.h"

#include "base/reader.h"

static bool is_trimmed(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\v';
}

RtstatMessage rtstat_parse_message(std::string_view text) {
  while (!text.empty() && is_trimmed(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_trimmed(text.back())) text.remove_suffix(1);
  RtstatMessage msg;
  size_t sep = text.find("::");
  msg.command = std::string(text.substr(0, sep));
  // "start" and "start::" both have no arguments.
  if (sep == std::string_view::npos || sep + 2 == text.size()) return msg;
  Reader r(text.substr(sep + 2));
  std::string arg;
  uint8_t c;
  while (r.u8(&c)) {
    if (c == '\\') {
      uint8_t next;
      if (!r.u8(&next)) break;  // dangling backslash: dropped
      arg.push_back(next == 'n' ? '\n' : static_cast<char>(next));
    } else if (c == ':' && r.peek() == ':') {
      r.skip(1);
      msg.args.push_back(std::move(arg));
      arg.clear();
    } else {
      arg.push_back(static_cast<char>(c));
    }
  }
  msg.args.push_back(std::move(arg));
  return msg;
}

void rtstat_escape_arg(std::string_view arg, std::string* out) {
  for (size_t i = 0; i < arg.size(); i++) {
    char c = arg[i];
    if (c == '\\') {
      out->append("\\\\");
    } else if (c == ':' && (i + 1 == arg.size() || arg[i + 1] == ':')) {
      // Every ":" followed by ":", so no unescaped "::" is left even in
      // ":::" (upstream's "\::" for "::" would leave one); and a final one,
      // which a following "::" separator would otherwise join.
      out->append("\\:");
    } else if (c == '\n') {
      out->append("\\n");
    } else {
      out->push_back(c);
    }
  }
}
