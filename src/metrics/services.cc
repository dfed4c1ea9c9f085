#include "metrics/services.h"

#include <sys/stat.h>

#include <algorithm>
#include <iterator>

#include "base/reader.h"
#include "base/str.h"
#include "metrics/text_scan.h"

namespace metrics {

const char* service_manager_name(ServiceManager manager) {
  switch (manager) {
    case ServiceManager::kOpenrc: return "openrc";
    case ServiceManager::kRunit: return "runit";
    case ServiceManager::kSystemd: return "systemd";
    case ServiceManager::kNone: break;
  }
  return "none";
}

const char* service_state_name(ServiceState state) {
  switch (state) {
    case ServiceState::kRunning: return "running";
    case ServiceState::kStopped: return "stopped";
    case ServiceState::kFailed: return "failed";
    case ServiceState::kStarting: return "starting";
    case ServiceState::kStopping: return "stopping";
    case ServiceState::kUnknown: break;
  }
  return "unknown";
}

namespace {

using Names = std::vector<std::string>;

// Entry names of a directory, sorted, without hidden ones (".keep",
// editors' leftovers); empty when the directory is missing.
void sorted_names(KernelFiles& files, std::string_view rel, Names* out) {
  if (!files.list_dir(rel, out)) out->clear();
  out->erase(std::remove_if(out->begin(), out->end(),
                            [](const std::string& n) { return n.empty() || n[0] == '.'; }),
             out->end());
  std::sort(out->begin(), out->end());
}

bool contains(const Names& sorted, std::string_view name) {
  return std::binary_search(sorted.begin(), sorted.end(), name,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

std::string join(std::string_view dir, std::string_view name) {
  std::string rel(dir);
  rel += '/';
  rel += name;
  return rel;
}

bool is_executable_file(KernelFiles& files, std::string_view rel) {
  struct stat st;
  return stat(files.path(rel).c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

void add(ServiceList* out, std::string name, ServiceState state, bool enabled) {
  Service s;
  s.name = std::move(name);
  s.state = state;
  s.enabled = enabled;
  out->services.push_back(std::move(s));
}

// --- OpenRC ---------------------------------------------------------------

// OpenRC keeps one directory per state under /run/openrc, holding a link
// per service. started/starting/stopping/inactive exclude each other;
// "failed" marks a service whose last start failed (it is then stopped).
// "inactive" (started, waiting for something such as a network link) is
// reported as starting.
void collect_openrc(KernelFiles& files, ServiceList* out) {
  static const struct {
    const char* dir;
    ServiceState state;
  } kStateDirs[] = {
      {"run/openrc/starting", ServiceState::kStarting},
      {"run/openrc/stopping", ServiceState::kStopping},
      {"run/openrc/started", ServiceState::kRunning},
      {"run/openrc/inactive", ServiceState::kStarting},
      {"run/openrc/failed", ServiceState::kFailed},
  };
  constexpr size_t kStates = sizeof kStateDirs / sizeof kStateDirs[0];
  Names in_state[kStates];
  for (size_t i = 0; i < kStates; i++) sorted_names(files, kStateDirs[i].dir, &in_state[i]);
  // Enabled: in a runlevel the host enters on boot.
  Names enabled, level;
  for (const char* dir : {"etc/runlevels/sysinit", "etc/runlevels/boot", "etc/runlevels/default"}) {
    sorted_names(files, dir, &level);
    enabled.insert(enabled.end(), level.begin(), level.end());
  }
  std::sort(enabled.begin(), enabled.end());
  Names scripts;
  sorted_names(files, "etc/init.d", &scripts);
  for (std::string& name : scripts) {
    // functions.sh is the shell library the scripts source, not a service.
    if (name == "functions.sh" || !is_executable_file(files, join("etc/init.d", name))) continue;
    ServiceState state = ServiceState::kStopped;
    for (size_t i = 0; i < kStates; i++) {
      if (!contains(in_state[i], name)) continue;
      state = kStateDirs[i].state;
      break;
    }
    bool on = contains(enabled, name);
    add(out, std::move(name), state, on);
  }
}

// --- runit / BusyBox runsv -----------------------------------------------

const char* const kRunitServiceDirs[] = {"etc/service", "var/service", "run/runit/service",
                                         "etc/runit/runsvdir/default"};

// runsv writes supervise/stat as "run", "down" or "finish", optionally
// followed by ", paused", ", got TERM", ", want down" and a newline.
ServiceState parse_runsv_stat(std::string_view text) {
  Reader r(text);
  std::string_view word;
  if (!r.until(',', &word)) word = r.rest();
  word = str_trim(word);
  if (word == "run") return text.find("want down") != std::string_view::npos ? ServiceState::kStopping
                                                                              : ServiceState::kRunning;
  if (word == "finish") return ServiceState::kStopping;
  if (word == "down") return ServiceState::kStopped;
  return ServiceState::kUnknown;
}

ServiceState runit_state(KernelFiles& files, const std::string& service_dir, std::string* buf) {
  if (files.read_once(service_dir + "/supervise/stat", buf, 256)) return parse_runsv_stat(*buf);
  // Older runsv builds write only supervise/pid (empty while down).
  uint64_t pid;
  if (files.read_once(service_dir + "/supervise/pid", buf, 32) && str_to_u64(str_trim(*buf), &pid) && pid > 0)
    return ServiceState::kRunning;
  return ServiceState::kUnknown;  // no runsv supervises it (yet)
}

// Enabled services are the directories (or links to them) in the service
// directory runsvdir watches. Void and Artix keep the available ones in
// /etc/sv or /etc/runit/sv: those not linked are listed as stopped and
// disabled.
void collect_runit(KernelFiles& files, const char* service_dir, ServiceList* out) {
  Names enabled, available, more;
  sorted_names(files, service_dir, &enabled);
  enabled.erase(std::remove_if(enabled.begin(), enabled.end(),
                               [&](const std::string& n) { return !files.is_dir(join(service_dir, n)); }),
                enabled.end());
  for (const char* dir : {"etc/sv", "etc/runit/sv"}) {
    if (dir == std::string_view(service_dir)) continue;
    sorted_names(files, dir, &more);
    for (std::string& n : more)
      if (!contains(enabled, n) && files.is_dir(join(dir, n))) available.push_back(std::move(n));
  }
  std::string buf;
  for (std::string& name : enabled) {
    ServiceState state = runit_state(files, join(service_dir, name), &buf);
    add(out, std::move(name), state, true);
  }
  for (std::string& name : available) add(out, std::move(name), ServiceState::kStopped, false);
}

// --- systemd --------------------------------------------------------------

// Without D-Bus, a running service is a unit cgroup with processes in it:
// cgroup v2 says so in cgroup.events ("populated 1", which counts
// sub-cgroups too); the v1 named hierarchy only has cgroup.procs.
bool cgroup_populated(KernelFiles& files, const std::string& rel, std::string* buf) {
  if (files.read_once(rel + "/cgroup.events", buf, 256)) {
    Reader r(*buf);
    std::string_view line;
    while (r.until('\n', &line) || (!r.empty() && r.bytes(r.remaining(), &line)))
      if (str_trim(line) == "populated 1") return true;
    return false;
  }
  return files.read_once(rel + "/cgroup.procs", buf, 64) && !str_trim(*buf).empty();
}

constexpr int kMaxSliceDepth = 4;

// Templated instances live in sub-slices (system-getty.slice/getty@tty1.service).
void running_units(KernelFiles& files, const std::string& dir, int depth, std::string* buf,
                   Names* running) {
  Names entries;
  sorted_names(files, dir, &entries);
  for (const std::string& name : entries) {
    std::string rel = join(dir, name);
    if (has_suffix(name, ".service")) {
      if (files.is_dir(rel) && cgroup_populated(files, rel, buf))
        running->push_back(name.substr(0, name.size() - 8));
    } else if (has_suffix(name, ".slice") && depth < kMaxSliceDepth && files.is_dir(rel)) {
      running_units(files, rel, depth + 1, buf, running);
    }
  }
}

const char* const kSystemSlices[] = {"sys/fs/cgroup/system.slice", "sys/fs/cgroup/unified/system.slice",
                                     "sys/fs/cgroup/systemd/system.slice"};

// Enabled: a link in /etc/systemd/system/<target>.wants or .requires, which
// is what `systemctl enable` makes. Failed units leave no trace in files
// (the state lives in systemd's memory), so "failed" is never reported.
void collect_systemd(KernelFiles& files, ServiceList* out) {
  Names running, enabled, links;
  std::string buf;
  for (const char* slice : kSystemSlices) {
    if (!files.is_dir(slice)) continue;
    running_units(files, slice, 0, &buf, &running);
    break;
  }
  Names dirs;
  sorted_names(files, "etc/systemd/system", &dirs);
  for (const std::string& d : dirs) {
    if (!has_suffix(d, ".wants") && !has_suffix(d, ".requires")) continue;
    sorted_names(files, join("etc/systemd/system", d), &links);
    for (const std::string& l : links)
      if (has_suffix(l, ".service") && l.size() > 8 && l[l.size() - 9] != '@')
        enabled.push_back(l.substr(0, l.size() - 8));
  }
  std::sort(running.begin(), running.end());
  std::sort(enabled.begin(), enabled.end());
  Names all;
  std::set_union(running.begin(), running.end(), enabled.begin(), enabled.end(), std::back_inserter(all));
  all.erase(std::unique(all.begin(), all.end()), all.end());
  for (std::string& name : all) {
    ServiceState state = contains(running, name) ? ServiceState::kRunning : ServiceState::kStopped;
    bool on = contains(enabled, name);
    add(out, std::move(name), state, on);
  }
}

}  // namespace

void collect_services(KernelFiles& files, ServiceList* out) {
  out->manager = ServiceManager::kNone;
  out->services.clear();
  if (files.is_dir("run/openrc")) {
    out->manager = ServiceManager::kOpenrc;
    collect_openrc(files, out);
  } else if (files.is_dir("run/systemd/system")) {
    out->manager = ServiceManager::kSystemd;
    collect_systemd(files, out);
  } else {
    for (const char* dir : kRunitServiceDirs) {
      if (!files.is_dir(dir)) continue;
      out->manager = ServiceManager::kRunit;
      collect_runit(files, dir, out);
      break;
    }
  }
  // Sorted by name, ties in collection order (so unique() below keeps the
  // first); std::sort with that tiebreak is 2 KB smaller than stable_sort.
  std::vector<Service>& list = out->services;
  for (size_t i = 0; i < list.size(); i++) list[i].order = static_cast<uint32_t>(i);
  std::sort(list.begin(), list.end(), [](const Service& a, const Service& b) {
    int c = a.name.compare(b.name);
    return c != 0 ? c < 0 : a.order < b.order;
  });
  // A name seen twice (runit: in both service dirs) keeps its first entry.
  out->services.erase(std::unique(out->services.begin(), out->services.end(),
                                  [](const Service& a, const Service& b) { return a.name == b.name; }),
                      out->services.end());
  if (out->services.size() > kMaxServices) out->services.resize(kMaxServices);
}

}  // namespace metrics
