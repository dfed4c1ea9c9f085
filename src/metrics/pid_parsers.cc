#include "metrics/pid_parsers.h"

#include "base/reader.h"
#include "metrics/text_scan.h"

namespace metrics {

static bool fail(std::string* err, const char* message) {
  if (err) *err = message;
  return false;
}

bool parse_pid_stat(std::string_view text, PidStat* out, std::string* err) {
  *out = PidStat();
  size_t open = text.find('(');
  size_t close = text.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) {
    return fail(err, "pid stat: no (comm)");
  }
  if (!parse_decimal_u32(trim_blank(text.substr(0, open)), &out->pid)) {
    return fail(err, "pid stat: bad pid");
  }
  out->comm.assign(text.substr(open + 1, close - open - 1));

  // Fields 3.. of proc(5), numbered from 3 = state.
  constexpr size_t kFirst = 3, kPpid = 4, kUtime = 14, kStime = 15,
                   kThreads = 20, kStart = 22, kVsize = 23, kRss = 24;
  Reader r(text.substr(close + 1));
  std::string_view token;
  size_t field = kFirst;
  for (; field <= kRss && scan_token(&r, &token); field++) {
    if (field == kFirst) {
      if (token.size() != 1) return fail(err, "pid stat: bad state");
      out->state = token[0];
      continue;
    }
    uint64_t value = 0;
    // Some fields are signed (priority, nice, itrealvalue): only read the
    // unsigned ones we keep.
    bool wanted = field == kPpid || field == kUtime || field == kStime ||
                  field == kThreads || field == kStart || field == kVsize ||
                  field == kRss;
    if (!wanted) continue;
    if (!parse_decimal_u64(token, &value)) return fail(err, "pid stat: bad number");
    if (field == kPpid) out->ppid = static_cast<uint32_t>(value);
    if (field == kUtime) out->utime_jiffies = value;
    if (field == kStime) out->stime_jiffies = value;
    if (field == kThreads) out->num_threads = static_cast<uint32_t>(value);
    if (field == kStart) out->start_ticks = value;
    if (field == kVsize) out->vsize_bytes = value;
    if (field == kRss) out->rss_pages = value;
  }
  if (field <= kRss) return fail(err, "pid stat: too few fields");
  return true;
}

// status escapes '\n' and '\\' in Name: (fs/proc/array.c, proc_task_name).
static std::string unescape_status_name(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == 'n' || s[i + 1] == '\\')) {
      out += s[i + 1] == 'n' ? '\n' : '\\';
      i++;
    } else {
      out += s[i];
    }
  }
  return out;
}

// "VmRSS:\t   1234 kB" → bytes.
static bool parse_kb_value(Reader* line, uint64_t* bytes) {
  std::string_view number, unit;
  uint64_t kb = 0;
  if (!scan_token(line, &number) || !parse_decimal_u64(number, &kb)) return false;
  if (!scan_token(line, &unit) || unit != "kB" || kb > UINT64_MAX / 1024) return false;
  *bytes = kb * 1024;
  return true;
}

// "Uid:\t1000\t1000\t1000\t1000": real, effective, saved, fs.
static bool parse_id_pair(Reader* line, uint32_t* real, uint32_t* effective) {
  std::string_view a, b;
  return scan_token(line, &a) && parse_decimal_u32(a, real) &&
         scan_token(line, &b) && parse_decimal_u32(b, effective);
}

bool parse_pid_status(std::string_view text, PidStatus* out, std::string* err) {
  *out = PidStatus();
  Reader r(text);
  std::string_view line_text;
  bool any = false;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view key, value;
    if (!line.until(':', &key)) continue;
    any = true;
    if (key == "Name") {
      out->name = unescape_status_name(trim_blank(line.rest()));
    } else if (key == "Uid") {
      out->has_uid = parse_id_pair(&line, &out->uid, &out->euid);
    } else if (key == "Gid") {
      uint32_t egid = 0;
      out->has_gid = parse_id_pair(&line, &out->gid, &egid);
    } else if (key == "Threads") {
      out->has_threads = scan_token(&line, &value) && parse_decimal_u32(value, &out->threads);
    } else if (key == "VmRSS") {
      out->has_vm_rss = parse_kb_value(&line, &out->vm_rss_bytes);
    } else if (key == "VmSize") {
      out->has_vm_size = parse_kb_value(&line, &out->vm_size_bytes);
    }
  }
  if (!any) return fail(err, "pid status: no fields");
  return true;
}

bool parse_pid_io(std::string_view text, PidIo* out, std::string* err) {
  *out = PidIo();
  unsigned seen = 0;
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view key, number;
    uint64_t value = 0;
    if (!line.until(':', &key) || !scan_token(&line, &number) ||
        !parse_decimal_u64(number, &value)) {
      continue;
    }
    if (key == "rchar") { out->rchar = value; seen |= 1; }
    if (key == "wchar") { out->wchar = value; seen |= 2; }
    if (key == "read_bytes") { out->read_bytes = value; seen |= 4; }
    if (key == "write_bytes") { out->write_bytes = value; seen |= 8; }
  }
  if (seen != 15) return fail(err, "pid io: missing counters");
  return true;
}

std::string join_cmdline(std::string_view bytes) {
  while (!bytes.empty() && bytes.back() == '\0') bytes.remove_suffix(1);
  std::string out(bytes);
  for (char& c : out) {
    if (c == '\0') c = ' ';
  }
  return out;
}

const char* process_state_name(char state) {
  switch (state) {
    case 'R': return "Running";
    case 'S': return "Sleeping";
    case 'D': return "Disk Sleep";
    case 'Z': return "Zombie";
    case 'T': return "Stopped";
    case 't': return "Tracing";
    case 'X': case 'x': return "Dead";
    case 'I': return "Idle";
    case 'K': return "Wakekill";
    case 'W': return "Waking";
    case 'P': return "Parked";
    default: return "Unknown";
  }
}

}  // namespace metrics
