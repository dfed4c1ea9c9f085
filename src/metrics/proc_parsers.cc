#include "metrics/proc_parsers.h"

#include "base/reader.h"
#include "metrics/text_scan.h"

namespace metrics {

static bool fail(std::string* err, const char* message) {
  if (err) *err = message;
  return false;
}

// Reads up to `max` decimal tokens of the rest of a line into `values`.
static size_t scan_numbers(Reader* line, uint64_t* values, size_t max) {
  size_t count = 0;
  std::string_view token;
  while (count < max && scan_token(line, &token)) {
    if (!parse_decimal_u64(token, &values[count])) break;
    count++;
  }
  return count;
}

static bool parse_cpu_times(Reader* line, CpuTimes* out) {
  uint64_t v[10] = {};
  // user nice system idle appeared first; later kernels appended the rest.
  if (scan_numbers(line, v, 10) < 4) return false;
  out->user = v[0];
  out->nice = v[1];
  out->system = v[2];
  out->idle = v[3];
  out->iowait = v[4];
  out->irq = v[5];
  out->softirq = v[6];
  out->steal = v[7];
  out->guest = v[8];
  out->guest_nice = v[9];
  return true;
}

static bool scan_one_number(Reader* line, uint64_t* out) {
  std::string_view token;
  return scan_token(line, &token) && parse_decimal_u64(token, out);
}

bool parse_proc_stat(std::string_view text, CpuStat* out, std::string* err) {
  out->cores.clear();
  out->core_ids.clear();
  out->all = CpuTimes();
  out->context_switches = out->interrupts = out->forks = out->boot_time_s = 0;
  out->procs_running = out->procs_blocked = 0;
  bool have_all = false;
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view key;
    if (!scan_token(&line, &key)) continue;
    uint64_t value = 0;
    uint32_t cpu_id = 0;
    if (key == "cpu") {
      if (!parse_cpu_times(&line, &out->all)) return fail(err, "proc/stat: bad cpu line");
      have_all = true;
    } else if (number_after_prefix(key, "cpu", &cpu_id)) {
      CpuTimes times;
      if (!parse_cpu_times(&line, &times)) return fail(err, "proc/stat: bad cpuN line");
      out->cores.push_back(times);
      out->core_ids.push_back(cpu_id);
    } else if (!scan_one_number(&line, &value)) {
      continue;  // a key we do not know, or no number after it
    } else if (key == "ctxt") {
      out->context_switches = value;
    } else if (key == "intr") {
      out->interrupts = value;
    } else if (key == "processes") {
      out->forks = value;
    } else if (key == "btime") {
      out->boot_time_s = value;
    } else if (key == "procs_running") {
      out->procs_running = static_cast<uint32_t>(value);
    } else if (key == "procs_blocked") {
      out->procs_blocked = static_cast<uint32_t>(value);
    }
  }
  if (!have_all) return fail(err, "proc/stat: no cpu line");
  return true;
}

bool parse_meminfo(std::string_view text, MemInfo* out, std::string* err) {
  std::vector<MemField> fields;
  fields.swap(out->fields);
  fields.clear();
  *out = MemInfo();
  out->fields.swap(fields);
  bool have_total = false;
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view name, number, unit;
    if (!line.until(':', &name) || name.empty()) continue;
    if (!scan_token(&line, &number)) continue;
    MemField field;
    if (!parse_decimal_u64(number, &field.value)) continue;
    if (scan_token(&line, &unit) && unit == "kB") {
      if (field.value > UINT64_MAX / 1024) continue;
      field.value *= 1024;
      field.bytes = true;
    }
    field.name.assign(name);
    uint64_t v = field.value;
    if (name == "MemTotal") {
      out->total_bytes = v;
      have_total = true;
    } else if (name == "MemFree") {
      out->free_bytes = v;
    } else if (name == "MemAvailable") {
      out->available_bytes = v;
      out->has_available = true;
    } else if (name == "Buffers") {
      out->buffers_bytes = v;
    } else if (name == "Cached") {
      out->cached_bytes = v;
    } else if (name == "SwapCached") {
      out->swap_cached_bytes = v;
    } else if (name == "SwapTotal") {
      out->swap_total_bytes = v;
    } else if (name == "SwapFree") {
      out->swap_free_bytes = v;
    } else if (name == "Shmem") {
      out->shmem_bytes = v;
    } else if (name == "SReclaimable") {
      out->sreclaimable_bytes = v;
    }
    out->fields.push_back(std::move(field));
  }
  if (!have_total) return fail(err, "proc/meminfo: no MemTotal");
  return true;
}

bool parse_loadavg(std::string_view text, LoadAvg* out, std::string* err) {
  *out = LoadAvg();
  Reader r(text);
  std::string_view load1, load5, load15, tasks;
  if (!scan_token(&r, &load1) || !scan_token(&r, &load5) || !scan_token(&r, &load15) ||
      !parse_decimal_double(load1, &out->load1) ||
      !parse_decimal_double(load5, &out->load5) ||
      !parse_decimal_double(load15, &out->load15)) {
    return fail(err, "proc/loadavg: bad load averages");
  }
  // "running/total" is missing on nothing we know, but keep the loads if so.
  if (scan_token(&r, &tasks)) {
    size_t slash = tasks.find('/');
    if (slash != std::string_view::npos) {
      parse_decimal_u32(tasks.substr(0, slash), &out->runnable);
      parse_decimal_u32(tasks.substr(slash + 1), &out->total_tasks);
    }
  }
  return true;
}

bool parse_uptime(std::string_view text, double* uptime_s, std::string* err) {
  Reader r(text);
  std::string_view first;
  if (!scan_token(&r, &first) || !parse_decimal_double(first, uptime_s)) {
    *uptime_s = 0;
    return fail(err, "proc/uptime: bad number");
  }
  return true;
}

bool parse_net_dev(std::string_view text, std::vector<NetDev>* out,
                   std::string* err) {
  out->clear();
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view name;
    // The two header lines have no ':'; interface names cannot contain one.
    if (!line.until(':', &name)) continue;
    name = trim_blank(name);
    if (name.empty()) continue;
    uint64_t v[16] = {};
    if (scan_numbers(&line, v, 16) != 16) return fail(err, "proc/net/dev: short line");
    NetDev dev;
    dev.name.assign(name);
    dev.rx_bytes = v[0];
    dev.rx_packets = v[1];
    dev.rx_errs = v[2];
    dev.rx_drop = v[3];
    dev.rx_fifo = v[4];
    dev.rx_frame = v[5];
    dev.rx_compressed = v[6];
    dev.rx_multicast = v[7];
    dev.tx_bytes = v[8];
    dev.tx_packets = v[9];
    dev.tx_errs = v[10];
    dev.tx_drop = v[11];
    dev.tx_fifo = v[12];
    dev.tx_colls = v[13];
    dev.tx_carrier = v[14];
    dev.tx_compressed = v[15];
    out->push_back(std::move(dev));
  }
  return true;
}

bool parse_diskstats(std::string_view text, std::vector<DiskIo>* out,
                     std::string* err) {
  out->clear();
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view major, minor, name;
    if (!scan_token(&line, &major)) continue;  // blank line
    if (!scan_token(&line, &minor) || !scan_token(&line, &name)) {
      return fail(err, "proc/diskstats: short line");
    }
    uint64_t v[11] = {};
    size_t count = scan_numbers(&line, v, 11);
    DiskIo disk;
    disk.name.assign(name);
    if (count == 11) {
      disk.reads_completed = v[0];
      disk.reads_merged = v[1];
      disk.sectors_read = v[2];
      disk.read_time_ms = v[3];
      disk.writes_completed = v[4];
      disk.writes_merged = v[5];
      disk.sectors_written = v[6];
      disk.write_time_ms = v[7];
      disk.io_now = v[8];
      disk.io_time_ms = v[9];
      disk.io_weighted_ms = v[10];
    } else if (count == 4) {
      // Partition lines before 2.6.25: reads, sectors read, writes, sectors written.
      disk.reads_completed = v[0];
      disk.sectors_read = v[1];
      disk.writes_completed = v[2];
      disk.sectors_written = v[3];
    } else {
      return fail(err, "proc/diskstats: bad counters");
    }
    out->push_back(std::move(disk));
  }
  return true;
}

bool parse_mounts(std::string_view text, std::vector<MountEntry>* out,
                  std::string* err) {
  out->clear();
  Reader r(text);
  std::string_view line_text;
  while (scan_line(&r, &line_text)) {
    Reader line(line_text);
    std::string_view device, mountpoint, fstype, options;
    if (!scan_token(&line, &device)) continue;
    if (!scan_token(&line, &mountpoint) || !scan_token(&line, &fstype)) {
      return fail(err, "proc/mounts: short line");
    }
    scan_token(&line, &options);  // always present on Linux; optional in fstab
    MountEntry entry;
    entry.device = decode_octal_escapes(device);
    entry.mountpoint = decode_octal_escapes(mountpoint);
    entry.fstype = decode_octal_escapes(fstype);
    entry.options = decode_octal_escapes(options);
    out->push_back(std::move(entry));
  }
  return true;
}

bool mount_has_option(std::string_view options, std::string_view option) {
  Reader r(options);
  std::string_view item;
  while (!r.empty()) {
    if (!r.until(',', &item)) r.bytes(r.remaining(), &item);
    if (item == option) return true;
  }
  return false;
}

uint32_t utmp_count_users(std::string_view bytes) {
  constexpr uint16_t kUserProcess = 7;
  constexpr size_t kUserOffset = 44;  // short type, pad, pid, line[32], id[4]
  uint32_t users = 0;
  Reader r(bytes);
  std::string_view record;
  while (r.bytes(kUtmpRecordBytes, &record)) {
    Reader fields(record);
    std::string_view type_bytes, user;
    if (!fields.bytes(2, &type_bytes)) break;
    uint8_t b0 = static_cast<uint8_t>(type_bytes[0]);
    uint8_t b1 = static_cast<uint8_t>(type_bytes[1]);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    uint16_t type = static_cast<uint16_t>(b0 << 8 | b1);
#else
    uint16_t type = static_cast<uint16_t>(b1 << 8 | b0);
#endif
    if (!fields.skip(kUserOffset - 2) || !fields.bytes(1, &user)) break;
    if (type == kUserProcess && user[0] != '\0') users++;
  }
  return users;
}

}  // namespace metrics
