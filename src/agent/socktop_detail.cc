// get_process_metrics:<pid> (socktop.md §9): one process in detail, its
// children one level deep, and its threads.
#include "agent/agent.h"
#include "agent/socktop.h"
#include "base/clock.h"
#include "codec/json_writer.h"
#include "metrics/pid_parsers.h"
#include "metrics/sampler.h"

namespace {

struct DetailContext {
  uint64_t ticks_per_second;
  uint64_t boot_time_s;
  uint32_t cores;
  const metrics::ProcessList* list;
};

uint64_t jiffies_to_us(uint64_t jiffies, uint64_t hz) { return jiffies * 1000000ull / hz; }

float per_core_cpu(const DetailContext& ctx, uint32_t pid) {
  // The sampler's share of the whole machine, rescaled to upstream's
  // per-core scale (100 = one core busy).
  for (const metrics::Process& p : ctx.list->rows)
    if (p.pid == pid) return p.cpu_percent * static_cast<float>(ctx.cores);
  return 0;
}

void write_process(JsonWriter& w, const DetailContext& ctx, const metrics::ProcessDetail& d,
                   bool is_target) {
  const metrics::Process& p = d.process;
  w.begin_object();
  w.key("pid").u64(p.pid);
  w.key("name").str(p.name);
  w.key("command").str(d.command);
  w.key("cpu_usage").f32(per_core_cpu(ctx, p.pid));
  w.key("mem_bytes").u64(p.rss_bytes);
  w.key("virtual_mem_bytes").u64(p.vsize_bytes);
  w.key("shared_mem_bytes").null();
  w.key("thread_count").u64(p.threads);
  w.key("fd_count").null();
  w.key("status").str(metrics::process_state_name(p.state));
  w.key("parent_pid").u64(p.ppid);
  w.key("user_id").u64(p.uid);
  w.key("group_id").u64(d.gid);
  w.key("start_time").u64(ctx.boot_time_s + p.start_ticks / ctx.ticks_per_second);
  w.key("cpu_time_user").u64(jiffies_to_us(p.utime_jiffies, ctx.ticks_per_second));
  w.key("cpu_time_system").u64(jiffies_to_us(p.stime_jiffies, ctx.ticks_per_second));
  // Upstream: rchar/wchar for the target, storage bytes for children.
  w.key("read_bytes");
  if (d.has_io) w.u64(is_target ? d.rchar : d.read_bytes); else w.null();
  w.key("write_bytes");
  if (d.has_io) w.u64(is_target ? d.wchar : d.write_bytes); else w.null();
  w.key("working_directory");
  if (d.has_cwd) w.str(d.cwd); else w.null();
  w.key("executable_path");
  if (d.has_exe) w.str(d.exe); else w.null();
  w.key("child_processes").begin_array();
  for (const metrics::ProcessDetail& c : d.children) write_process(w, ctx, c, false);
  w.end_array();
  w.key("threads").begin_array();
  for (const metrics::ThreadDetail& t : d.threads) {
    w.begin_object();
    w.key("tid").u64(t.tid);
    w.key("name").str(t.name);
    w.key("cpu_time_user").u64(jiffies_to_us(t.utime_jiffies, ctx.ticks_per_second));
    w.key("cpu_time_system").u64(jiffies_to_us(t.stime_jiffies, ctx.ticks_per_second));
    w.key("status").str(metrics::process_state_name(t.state));
    w.end_object();
  }
  w.end_array();
  w.end_object();
}

}  // namespace

bool socktop_process_metrics_json(Agent* agent, uint32_t pid, std::string* out) {
  metrics::ProcessDetail detail;
  metrics::KernelFiles& files = agent->sampler.files();
  if (!metrics::collect_process_detail(files, pid, &detail)) return false;
  uint64_t now = agent->loop.now_ms();
  const metrics::System& s = agent->sampler.system(now);
  DetailContext ctx;
  ctx.ticks_per_second = metrics::clock_ticks_per_second(files);
  if (ctx.ticks_per_second == 0) ctx.ticks_per_second = 100;
  ctx.boot_time_s = s.cpu.boot_time_s;
  ctx.cores = s.cpu.cores.empty() ? 1 : static_cast<uint32_t>(s.cpu.cores.size());
  ctx.list = &agent->sampler.processes(now);
  JsonWriter w(out);
  w.begin_object();
  w.key("process");
  write_process(w, ctx, detail, true);
  w.key("cached_at").u64(clock_wall_ms() / 1000);
  w.end_object();
  return true;
}
