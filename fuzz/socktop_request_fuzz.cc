// socktop_parse_request over arbitrary text: the JSON form is only taken
// for text that starts (after whitespace) with '{', the plain form only
// for socktop's exact request strings, and a pid is always one written in
// the input (strict decimal in both forms, so its digits appear verbatim).
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <string_view>

#include "agent/socktop.h"
#include "base/str.h"

namespace {

// The plain form: "get_process_metrics:" or "get_journal_entries:", an
// optional '+', then decimal digits of the pid.
bool plain_pid_request(std::string_view text, std::string_view prefix, uint32_t pid) {
  if (!str_starts_with(text, prefix)) return false;
  std::string_view digits = text.substr(prefix.size());
  if (str_starts_with(digits, "+")) digits.remove_prefix(1);
  uint64_t v;
  return str_to_u64(digits, &v, UINT32_MAX) && v == pid;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  SocktopRequest req = socktop_parse_request(text);
  // Also for kInvalid: a JSON object with an unknown type is an invalid
  // request in the JSON form (answered with no reply either way).
  if (req.json_form && !str_starts_with(str_trim(text), "{")) abort();
  if (req.kind == SocktopRequest::kInvalid) return 0;
  bool has_pid = req.kind == SocktopRequest::kProcessMetrics ||
                 req.kind == SocktopRequest::kJournalEntries;
  if (!has_pid && req.pid != 0) abort();
  if (has_pid && text.find(std::to_string(req.pid)) == std::string_view::npos) abort();

  if (req.json_form) return 0;
  switch (req.kind) {
    case SocktopRequest::kMetrics:
      if (text != "get_metrics") abort();
      break;
    case SocktopRequest::kDisks:
      if (text != "get_disks") abort();
      break;
    case SocktopRequest::kProcesses:
      if (text != "get_processes") abort();
      break;
    case SocktopRequest::kServices:
      if (text != "get_services") abort();
      break;
    case SocktopRequest::kProcessMetrics:
      if (!plain_pid_request(text, "get_process_metrics:", req.pid)) abort();
      break;
    case SocktopRequest::kJournalEntries:
      if (!plain_pid_request(text, "get_journal_entries:", req.pid)) abort();
      break;
    case SocktopRequest::kInvalid:
      break;
  }
  return 0;
}
