#include "client/views.h"

#include <stdio.h>
#include <string.h>

#include <algorithm>

#include "client/widgets.h"

const char* process_sort_name(ProcessSort sort) {
  switch (sort) {
    case ProcessSort::kCpu: return "cpu";
    case ProcessSort::kMemory: return "mem";
    case ProcessSort::kPid: return "pid";
    case ProcessSort::kName: return "name";
  }
  return "?";
}

namespace {

Style fg(const ViewState& v, uint8_t color, uint8_t attrs = 0) {
  return v.color ? style_fg(color, attrs) : style_fg(kColorDefault, attrs);
}

Style state_style(const ViewState& v, HostState s) {
  switch (s) {
    case HostState::kLive: return fg(v, kColorGreen);
    case HostState::kConnecting: return fg(v, kColorYellow);
    default: return fg(v, kColorRed, kAttrBold);
  }
}

// "live", "connecting", "down 42s: connection refused", "unauthorized".
std::string state_text(const Host& h, uint64_t now_ms) {
  char age[kFormatBufBytes];
  std::string text = host_state_name(h.state);
  if (h.state == HostState::kDown || h.state == HostState::kUnauthorized) {
    text += " since ";
    text += format_duration((now_ms - h.state_since_ms) / 1000, age);
    if (!h.error.empty()) text += ": " + h.error;
  }
  return text;
}

std::string title_of(const Host& h) {
  return h.last.hostname.empty() ? h.label : h.last.hostname;
}

// One "label [bar] text" gauge; a missing value shows "n/a" and no bar.
void gauge(Screen& s, const ViewState& v, int x, int y, int width, const char* label,
           double percent, const std::string& text) {
  s.put(x, y, label, fg(v, kColorCyan, kAttrBold));
  int bar_x = x + 5;
  int text_w = static_cast<int>(text.size()) + 1;
  int bar_w = width - 5 - text_w;
  if (percent < 0) {
    s.put(bar_x, y, "n/a", fg(v, kColorDefault, kAttrDim));
    return;
  }
  if (bar_w > 2) {
    draw_bar(s, bar_x, y, bar_w, percent / 100, fg(v, load_color(percent / 100)),
             fg(v, kColorDefault, kAttrDim), v.utf8);
  }
  s.put(x + width - text_w + 1, y, text);
}

std::string bytes_pair(uint64_t used, uint64_t total) {
  char a[kFormatBufBytes], b[kFormatBufBytes];
  return std::string(format_bytes(used, a)) + "/" + format_bytes(total, b);
}

void copy_history(const History& h, std::vector<double>* out) {
  out->clear();
  for (size_t i = 0; i < h.size(); i++) out->push_back(h.at(i));
}

void draw_header(Screen& s, const Host& h, const ViewState& v, uint64_t now_ms) {
  char buf[kFormatBufBytes];
  s.fill(0, 0, s.cols(), 1, " ", fg(v, kColorDefault, kAttrReverse));
  Style bar = fg(v, kColorDefault, kAttrReverse);
  std::string left = " " + title_of(h);
  if (h.last.has_uptime) left += std::string("  up ") + format_duration(static_cast<uint64_t>(h.last.uptime_s), buf);
  if (h.last.has_load) {
    char load[64];
    snprintf(load, sizeof load, "  load %.2f %.2f %.2f", h.last.load1, h.last.load5, h.last.load15);
    left += load;
  }
  if (h.tls) left += "  [tls]";
  if (h.token) left += "  [token]";
  int x = s.put(0, 0, left, style_fg(bar.fg, kAttrReverse | kAttrBold));
  std::string right = state_text(h, now_ms);
  if (h.state == HostState::kLive && h.updates) {
    char age[32];
    snprintf(age, sizeof age, "  %.1fs ago ", (now_ms - h.updated_ms) / 1000.0);
    right += age;
  } else {
    right += " ";
  }
  int rx = s.cols() - static_cast<int>(right.size());
  if (rx < x + 1) rx = x + 1;
  Style st = state_style(v, h.state);
  st.attrs |= kAttrReverse;
  s.put(rx, 0, right, st);
}

// CPU: total history graph on the left, per-core bars on the right.
int draw_cpu(Screen& s, const Host& h, const ViewState& v, int y, int height) {
  char pct[kFormatBufBytes];
  const HostSample& m = h.last;
  int cols = s.cols();
  std::string title = "CPU ";
  title += m.has_cpu ? format_percent(m.cpu_total_percent, pct) : "n/a";
  s.put(0, y, title, fg(v, kColorCyan, kAttrBold));
  size_t cores = m.cpu_core_percent.size();
  int core_cols = cols >= 120 ? 3 : cores > 8 && cols >= 80 ? 2 : 1;
  int core_w = cols >= 120 ? 24 : 20;
  int core_rows = cores ? static_cast<int>((cores + core_cols - 1) / core_cols) : 0;
  int graph_h = std::max(height - 1, 1);
  if (core_rows > graph_h + 1) core_rows = graph_h + 1;  // extra cores do not fit: shown as "+N"
  int right_w = cores ? core_cols * core_w : 0;
  int graph_w = cols - right_w - 1;
  std::vector<double> hist;
  copy_history(h.cpu_history, &hist);
  if (graph_w > 4) {
    draw_braille_graph(s, 0, y + 1, graph_w, graph_h, hist.data(), hist.size(), 100, v.utf8,
                       fg(v, kColorGreen));
  }
  size_t shown = 0;
  for (int c = 0; c < core_cols; c++) {
    for (int r = 0; r < core_rows; r++) {
      size_t i = static_cast<size_t>(c * core_rows + r);
      if (i >= cores) break;
      int x = cols - right_w + c * core_w;
      char label[24];
      snprintf(label, sizeof label, "%3zu", i);
      s.put(x, y + r, label, fg(v, kColorDefault, kAttrDim));
      double p = m.cpu_core_percent[i];
      draw_bar(s, x + 4, y + r, core_w - 10, p / 100, fg(v, load_color(p / 100)),
               fg(v, kColorDefault, kAttrDim), v.utf8);
      s.put(x + core_w - 5, y + r, format_percent(p, pct));
      shown++;
    }
  }
  if (shown < cores) {
    char more[24];
    snprintf(more, sizeof more, "+%zu", cores - shown);
    s.put(cols - static_cast<int>(strlen(more)), y + core_rows, more, fg(v, kColorDefault, kAttrDim));
  }
  return std::max(graph_h + 1, core_rows);
}

void draw_memory_and_net(Screen& s, const Host& h, const ViewState& v, int y) {
  const HostSample& m = h.last;
  int half = s.cols() / 2;
  char pct[kFormatBufBytes];
  std::string mem = m.has_mem ? bytes_pair(m.mem_used_bytes, m.mem_total_bytes)
                              : (m.mem_used_percent >= 0 ? format_percent(m.mem_used_percent, pct) : "");
  gauge(s, v, 0, y, half - 1, "Mem", m.mem_used_percent, mem);
  std::string swap = m.has_swap ? bytes_pair(m.swap_used_bytes, m.swap_total_bytes)
                                : (m.swap_used_percent >= 0 ? format_percent(m.swap_used_percent, pct) : "");
  gauge(s, v, 0, y + 1, half - 1, "Swap", m.swap_used_percent, swap);
  // Network: rates and their histories.
  char rate[kFormatBufBytes];
  std::vector<double> hist;
  const char* labels[2] = {"Rx", "Tx"};
  const History* histories[2] = {&h.rx_history, &h.tx_history};
  double rates[2] = {h.rx_bytes_per_s, h.tx_bytes_per_s};
  for (int i = 0; i < 2; i++) {
    s.put(half, y + i, labels[i], fg(v, kColorCyan, kAttrBold));
    std::string text = h.has_rates ? format_rate(rates[i], rate) : (m.has_net ? "..." : "n/a");
    s.put(half + 3, y + i, text);
    copy_history(*histories[i], &hist);
    int w = s.cols() - half - 12;
    if (w > 4 && h.has_rates)
      draw_sparkline(s, half + 12, y + i, w, hist.data(), hist.size(), 0, v.utf8,
                     fg(v, i == 0 ? kColorGreen : kColorMagenta));
  }
}

void draw_temps(Screen& s, const Host& h, const ViewState& v, int y) {
  s.put(0, y, "Temp", fg(v, kColorCyan, kAttrBold));
  if (!h.last.has_temps || h.last.temps.empty()) {
    s.put(5, y, "n/a", fg(v, kColorDefault, kAttrDim));
    return;
  }
  int x = 5;
  for (const TempReading& t : h.last.temps) {
    char text[96];
    snprintf(text, sizeof text, "%s %.0f%sC  ", t.name.c_str(), t.celsius, v.utf8 ? "\xc2\xb0" : "");
    Style st = fg(v, t.celsius >= 80 ? kColorRed : t.celsius >= 65 ? kColorYellow : kColorDefault);
    if (x + text_cells(text) > s.cols()) break;
    x += s.put(x, y, text, st);
  }
}

int draw_disks(Screen& s, const Host& h, const ViewState& v, int y, int max_rows) {
  if (!h.has_disks || max_rows <= 0) return 0;
  int rows = 0;
  int name_w = s.cols() >= 120 ? 32 : 20;
  for (const DiskRow& d : h.disks) {
    if (rows >= max_rows) break;
    char size[kFormatBufBytes], pct[kFormatBufBytes];
    uint64_t used = d.total_bytes > d.available_bytes ? d.total_bytes - d.available_bytes : 0;
    double p = d.total_bytes ? 100.0 * used / d.total_bytes : 0;
    std::string name = (d.is_partition ? " " : "") + d.name;
    if (static_cast<int>(name.size()) > name_w) name = name.substr(0, name_w - 1) + "~";
    s.put(0, y + rows, name, d.is_partition ? Style() : fg(v, kColorDefault, kAttrBold));
    s.put(name_w + 1, y + rows, format_bytes(d.total_bytes, size));
    int bar_w = s.cols() - name_w - 22;
    if (bar_w > 3) draw_bar(s, name_w + 8, y + rows, bar_w, p / 100, fg(v, load_color(p / 100)),
                            fg(v, kColorDefault, kAttrDim), v.utf8);
    s.put(s.cols() - 13, y + rows, format_percent(p, pct));
    if (d.has_temperature) {
      char t[16];
      snprintf(t, sizeof t, "%.0fC", d.temperature_c);
      s.put(s.cols() - 6, y + rows, t);
    }
    rows++;
  }
  return rows;
}

}  // namespace

std::vector<const ProcRow*> visible_processes(const Host& host, const ViewState& view) {
  std::vector<const ProcRow*> rows;
  for (const ProcRow& p : host.processes)
    if (view.filter.empty() || p.name.find(view.filter) != std::string::npos) rows.push_back(&p);
  auto by = [&view](const ProcRow* a, const ProcRow* b) {
    switch (view.sort) {
      case ProcessSort::kCpu:
        if (a->cpu_percent != b->cpu_percent) return a->cpu_percent > b->cpu_percent;
        break;
      case ProcessSort::kMemory:
        if (a->mem_bytes != b->mem_bytes) return a->mem_bytes > b->mem_bytes;
        break;
      case ProcessSort::kName:
        if (a->name != b->name) return a->name < b->name;
        break;
      case ProcessSort::kPid:
        break;
    }
    return a->pid < b->pid;
  };
  std::stable_sort(rows.begin(), rows.end(), by);
  return rows;
}

static void draw_processes(Screen& s, const Host& h, ViewState& v, int y, int rows) {
  if (rows < 2) return;
  char head[160];
  std::string filter = v.filter.empty() && !v.editing_filter ? "" : "  filter: " + v.filter + (v.editing_filter ? "_" : "");
  snprintf(head, sizeof head, "%7s %-*s %6s %7s", "PID", s.cols() - 24, "NAME", "CPU%", "MEM");
  s.fill(0, y, s.cols(), 1, " ", fg(v, kColorDefault, kAttrReverse));
  s.put(0, y, head, fg(v, kColorDefault, kAttrReverse | kAttrBold));
  std::string info = std::string(" sort:") + process_sort_name(v.sort) + filter + " ";
  if (h.has_processes) info = " " + std::to_string(h.process_count) + " procs" + info;
  s.put(s.cols() - static_cast<int>(info.size()) - 15, y, info, fg(v, kColorDefault, kAttrReverse));
  if (!h.has_processes) {
    s.put(0, y + 1, "  no process list from this source", fg(v, kColorDefault, kAttrDim));
    return;
  }
  std::vector<const ProcRow*> list = visible_processes(h, v);
  size_t page = static_cast<size_t>(rows - 1);
  if (v.process_cursor >= list.size()) v.process_cursor = list.empty() ? 0 : list.size() - 1;
  if (v.process_cursor < v.scroll) v.scroll = v.process_cursor;
  if (v.process_cursor >= v.scroll + page) v.scroll = v.process_cursor - page + 1;
  for (int r = 0; r + 1 < rows; r++) {
    size_t i = v.scroll + static_cast<size_t>(r);
    if (i >= list.size()) break;
    const ProcRow* p = list[i];
    char mem[kFormatBufBytes], line[64];
    snprintf(line, sizeof line, "%7u ", p->pid);
    bool selected = i == v.process_cursor;
    Style st = selected ? fg(v, kColorDefault, kAttrReverse) : Style();
    if (selected) s.fill(0, y + 1 + r, s.cols(), 1, " ", st);
    s.put(0, y + 1 + r, line, st);
    s.put(8, y + 1 + r, p->name, selected ? st : fg(v, kColorDefault, kAttrBold));
    snprintf(line, sizeof line, "%6.1f %7s", p->cpu_percent, format_bytes(p->mem_bytes, mem));
    s.put(s.cols() - 14, y + 1 + r, line, st);
  }
}

void draw_host_view(Screen& s, const Host& h, ViewState* view, uint64_t now_ms) {
  ViewState& v = *view;
  s.clear();
  int rows = s.rows();
  draw_header(s, h, v, now_ms);
  // Rows: header 1, cpu (graph), mem/net 2, temps 1, disks, processes, footer 1.
  int cpu_h = rows >= 40 ? 9 : rows >= 30 ? 6 : 4;
  int y = 1;
  y += draw_cpu(s, h, v, y, cpu_h);
  draw_memory_and_net(s, h, v, y);
  y += 2;
  draw_temps(s, h, v, y);
  y += 1;
  int disk_rows = rows >= 40 ? 6 : 3;
  y += draw_disks(s, h, v, y, std::min(disk_rows, rows - y - 4));
  draw_processes(s, h, v, y, rows - y - 1);
  s.put(0, rows - 1, " q quit  h help  s sort  / filter  arrows scroll" , fg(v, kColorDefault, kAttrDim));
  if (v.multi_host) s.put(s.cols() - 15, rows - 1, "Esc all hosts", fg(v, kColorDefault, kAttrDim));
}

void draw_overview(Screen& s, const std::vector<const Host*>& hosts, const ViewState& v,
                   uint64_t now_ms) {
  s.clear();
  char title[64];
  snprintf(title, sizeof title, " statc: %zu hosts", hosts.size());
  s.fill(0, 0, s.cols(), 1, " ", fg(v, kColorDefault, kAttrReverse));
  s.put(0, 0, title, fg(v, kColorDefault, kAttrReverse | kAttrBold));
  int wide = s.cols() >= 120;
  int name_w = wide ? 24 : 16;
  int bar_w = wide ? 20 : 10;
  int y = 2;
  for (size_t i = 0; i < hosts.size() && y < s.rows() - 1; i++, y++) {
    const Host& h = *hosts[i];
    bool selected = i == v.selected;
    Style row = selected ? fg(v, kColorDefault, kAttrReverse) : Style();
    if (selected) s.fill(0, y, s.cols(), 1, " ", row);
    std::string name = title_of(h);
    if (static_cast<int>(name.size()) > name_w) name = name.substr(0, name_w - 1) + "~";
    s.put(0, y, selected ? ">" : " ", row);
    s.put(2, y, name, selected ? row : fg(v, kColorDefault, kAttrBold));
    int x = name_w + 3;
    if (h.state != HostState::kLive) {
      Style st = state_style(v, h.state);
      if (selected) st.attrs |= kAttrReverse;
      s.put(x, y, state_text(h, now_ms), st);
      continue;
    }
    const HostSample& m = h.last;
    char pct[kFormatBufBytes], rate[kFormatBufBytes], rate2[kFormatBufBytes];
    s.put(x, y, "cpu", row);
    draw_bar(s, x + 4, y, bar_w, m.has_cpu ? m.cpu_total_percent / 100 : 0,
             fg(v, load_color(m.cpu_total_percent / 100)), fg(v, kColorDefault, kAttrDim), v.utf8);
    s.put(x + 5 + bar_w, y, m.has_cpu ? format_percent(m.cpu_total_percent, pct) : "n/a", row);
    x += bar_w + 11;
    s.put(x, y, "mem", row);
    double mp = m.mem_used_percent;
    draw_bar(s, x + 4, y, bar_w, mp >= 0 ? mp / 100 : 0, fg(v, load_color(mp / 100)),
             fg(v, kColorDefault, kAttrDim), v.utf8);
    s.put(x + 5 + bar_w, y, mp >= 0 ? format_percent(mp, pct) : "n/a", row);
    x += bar_w + 11;
    char extra[128] = "";
    int n = 0;
    if (m.has_load) n += snprintf(extra + n, sizeof extra - n, "load %.2f  ", m.load1);
    if (h.has_rates)
      n += snprintf(extra + n, sizeof extra - n, "rx %s tx %s  ", format_rate(h.rx_bytes_per_s, rate),
                    format_rate(h.tx_bytes_per_s, rate2));
    if (m.has_temps && !m.temps.empty()) snprintf(extra + n, sizeof extra - n, "%.0fC", m.temps[0].celsius);
    s.put(x, y, extra, row);
  }
  s.put(0, s.rows() - 1, " q quit  h help  arrows select  Enter open", fg(v, kColorDefault, kAttrDim));
}

void draw_help(Screen& s, const ViewState& v) {
  static const char* const kLines[] = {
      "statc keys",
      "",
      "  q, Ctrl-C   quit",
      "  h, ?        this help (any key closes it)",
      "  Up/Down     select a host (overview) or a process",
      "  PgUp/PgDn   scroll the process table",
      "  Enter       open the selected host, or a process's details",
      "  Home        first process",
      "  Esc         back to the overview",
      "  s           sort processes: cpu, mem, pid, name",
      "  c m p n     sort by cpu, memory, pid, name",
      "  /           filter processes by name (Enter or Esc ends)",
      "  Ctrl-L      redraw the whole screen",
  };
  int w = 58, h = static_cast<int>(sizeof kLines / sizeof kLines[0]) + 2;
  int x0 = std::max((s.cols() - w) / 2, 0), y0 = std::max((s.rows() - h) / 2, 0);
  s.fill(x0, y0, w, h, " ", fg(v, kColorDefault, kAttrReverse));
  for (int i = 0; i + 2 < h; i++)
    s.put(x0 + 2, y0 + 1 + i, kLines[i], fg(v, kColorDefault, kAttrReverse | (i == 0 ? kAttrBold : 0)));
}

void draw_process_detail(Screen& s, const Host& h, const ViewState& v) {
  std::vector<std::string> lines;
  char buf[160], a[kFormatBufBytes], b[kFormatBufBytes];
  if (!h.detail_supported && !h.has_detail) {
    lines.push_back("This source has no per-process details (socktop agents do).");
  } else if (!h.has_detail) {
    snprintf(buf, sizeof buf, "Asking for process %u...", h.detail_pid);
    lines.push_back(buf);
  } else if (!h.detail.error.empty()) {
    lines.push_back(h.detail.error);
  } else {
    const ProcDetail& d = h.detail;
    snprintf(buf, sizeof buf, "%s  (pid %u, parent %u, uid %u)", d.name.c_str(), d.pid, d.parent_pid, d.user_id);
    lines.push_back(buf);
    lines.push_back(d.command.empty() ? "(no command line)" : d.command);
    snprintf(buf, sizeof buf, "status %s   threads %u   children %zu", d.status.c_str(), d.thread_count, d.children);
    lines.push_back(buf);
    snprintf(buf, sizeof buf, "cpu %.1f%% of a core   user %.2fs   system %.2fs", d.cpu_percent,
             d.cpu_time_user_us / 1e6, d.cpu_time_system_us / 1e6);
    lines.push_back(buf);
    snprintf(buf, sizeof buf, "memory %s resident, %s virtual", format_bytes(d.mem_bytes, a),
             format_bytes(d.virtual_mem_bytes, b));
    lines.push_back(buf);
    if (d.has_io) {
      snprintf(buf, sizeof buf, "i/o %s read, %s written", format_bytes(d.read_bytes, a), format_bytes(d.write_bytes, b));
      lines.push_back(buf);
    }
  }
  lines.push_back("");
  lines.push_back("Esc closes");
  int w = std::min(s.cols() - 2, 76), height = static_cast<int>(lines.size()) + 2;
  int x0 = std::max((s.cols() - w) / 2, 0), y0 = std::max((s.rows() - height) / 2, 0);
  Style box = fg(v, kColorDefault, kAttrReverse);
  s.fill(x0, y0, w, height, " ", box);
  for (size_t i = 0; i < lines.size(); i++) {
    std::string line = lines[i];
    if (static_cast<int>(line.size()) > w - 4) line = line.substr(0, w - 5) + "~";
    s.put(x0 + 2, y0 + 1 + static_cast<int>(i), line, i == 0 ? fg(v, kColorDefault, kAttrReverse | kAttrBold) : box);
  }
}

namespace {

// "machines (3)" and the table under it; returns the rows used.
int draw_fleet_table(Screen& s, const ViewState& v, const char* title, const FleetFeedTable& t,
                     int y, int max_rows) {
  if (max_rows <= 0) return 0;
  std::string heading = std::string(title) + " (" + std::to_string(t.items.size()) + ")";
  if (!t.received) heading = std::string(title) + " (waiting for the first snapshot)";
  s.put(0, y, heading, fg(v, kColorCyan, kAttrBold));
  if (!t.received) return 1;
  std::vector<std::string> lines =
      fleet_table_lines(t, static_cast<size_t>(s.cols()), static_cast<size_t>(max_rows - 1));
  for (size_t i = 0; i < lines.size(); i++)
    s.put(0, y + 1 + static_cast<int>(i), lines[i], i == 0 ? fg(v, kColorDefault, kAttrBold) : Style());
  return 1 + static_cast<int>(lines.size());
}

}  // namespace

void draw_fleet_view(Screen& s, const Host& h, const ViewState& v, uint64_t now_ms) {
  s.clear();
  draw_header(s, h, v, now_ms);
  const FleetModel& m = h.fleet_model;
  int y = 1, bottom = s.rows() - 1;  // the last row is the footer
  if (!h.fleet_error.empty()) bottom--;
  // Machines get what they need up to half the space; units the rest.
  int space = bottom - y - 1;  // one blank row between the tables
  int machine_need = 2 + static_cast<int>(m.machine.items.size());
  int unit_need = 2 + static_cast<int>(m.unit.items.size());
  int machine_rows = std::min(machine_need, std::max(space / 2, space - unit_need));
  y += draw_fleet_table(s, v, "machines", m.machine, y, machine_rows) + 1;
  draw_fleet_table(s, v, "units", m.unit, y, bottom - y);
  if (!h.fleet_error.empty()) s.put(0, bottom, h.fleet_error, fg(v, kColorRed, kAttrBold));
  s.put(0, s.rows() - 1, " q quit", fg(v, kColorDefault, kAttrDim));
}
