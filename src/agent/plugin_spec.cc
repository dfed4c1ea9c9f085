#include "agent/plugin_spec.h"

#include "base/str.h"

namespace {

// rt-stat's own top-level keys (rtstat.md §6) and the ones statd adds.
const char* const kBuiltinKeys[] = {"cpu_stat",    "meminfo",      "processes",    "uptime",
                                    "network",     "filesystems",  "temperatures", "top_processes"};

bool name_char_ok(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

}  // namespace

bool plugin_name_check(std::string_view name, std::string* err) {
  if (name.empty()) {
    *err = "plugin name is empty";
    return false;
  }
  if (name.size() > kPluginNameMaxBytes) {
    *err = "plugin name is longer than " + std::to_string(kPluginNameMaxBytes) + " bytes";
    return false;
  }
  for (char c : name) {
    if (!name_char_ok(c)) {
      *err = "plugin name '" + std::string(name) + "' may only hold a-z, 0-9 and _";
      return false;
    }
  }
  for (const char* builtin : kBuiltinKeys) {
    if (name == builtin) {
      *err = "plugin name '" + std::string(name) + "' is a built-in rt-stat key";
      return false;
    }
  }
  return true;
}

bool plugin_spec_add(std::vector<PluginSpec>* specs, std::string_view name,
                     std::string_view command, std::string* err) {
  if (!plugin_name_check(name, err)) return false;
  if (command.empty()) {
    *err = "plugin '" + std::string(name) + "' has no command";
    return false;
  }
  if (command.find('\0') != std::string_view::npos) {
    *err = "plugin '" + std::string(name) + "': command holds a NUL byte";
    return false;
  }
  for (const PluginSpec& s : *specs) {
    if (s.name == name) {
      *err = "plugin '" + std::string(name) + "' is declared twice";
      return false;
    }
  }
  specs->push_back(PluginSpec{std::string(name), std::string(command)});
  return true;
}

bool plugin_spec_add_assignment(std::vector<PluginSpec>* specs, std::string_view assignment,
                                std::string* err) {
  size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    *err = "expected NAME=COMMAND";
    return false;
  }
  return plugin_spec_add(specs, str_trim(assignment.substr(0, eq)),
                         str_trim(assignment.substr(eq + 1)), err);
}
