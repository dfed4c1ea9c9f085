// What a `plugin NAME = COMMAND` config line (or --plugin NAME=COMMAND)
// declares, and the rules a plugin name follows. The name is the key under
// which rt-stat pushes the plugin's output, so it must not shadow a
// built-in key.
#pragma once

#include <string>
#include <string_view>
#include <vector>

struct PluginSpec {
  std::string name;     ///< [a-z0-9_]+
  std::string command;  ///< run as /bin/sh -c COMMAND
};

/// Longest plugin name accepted.
constexpr size_t kPluginNameMaxBytes = 64;

/// True when `name` is 1..kPluginNameMaxBytes of [a-z0-9_] and not one of
/// rt-stat's built-in keys (cpu_stat, meminfo, processes, uptime, network,
/// filesystems, temperatures, top_processes).
bool plugin_name_check(std::string_view name, std::string* err);

/// Checks name and command (not empty, no NUL) and that no plugin of that
/// name is declared yet, then appends {name, command} to *specs.
bool plugin_spec_add(std::vector<PluginSpec>* specs, std::string_view name,
                     std::string_view command, std::string* err);

/// Same from one "NAME=COMMAND" text (the --plugin value; spaces around
/// '=' allowed).
bool plugin_spec_add_assignment(std::vector<PluginSpec>* specs, std::string_view assignment,
                                std::string* err);
