#include "agent/plugin_spec.h"

#include <stdlib.h>
#include <unistd.h>

#include "agent/options.h"
#include "base/test.h"

TEST(plugin_spec_name_rules) {
  std::string err;
  EXPECT(plugin_name_check("gpu_fan2", &err));
  EXPECT(plugin_name_check("_", &err));
  EXPECT(!plugin_name_check("", &err));
  EXPECT_EQ(err, "plugin name is empty");
  EXPECT(!plugin_name_check("Fan", &err));
  EXPECT_EQ(err, "plugin name 'Fan' may only hold a-z, 0-9 and _");
  EXPECT(!plugin_name_check("a-b", &err));
  EXPECT(!plugin_name_check("a b", &err));
  EXPECT(!plugin_name_check("uptime", &err));
  EXPECT_EQ(err, "plugin name 'uptime' is a built-in rt-stat key");
  for (const char* builtin : {"cpu_stat", "meminfo", "processes", "network", "filesystems",
                              "temperatures", "top_processes"})
    EXPECT(!plugin_name_check(builtin, &err));
  EXPECT(plugin_name_check("uptime2", &err));
  EXPECT(plugin_name_check(std::string(64, 'x'), &err));
  EXPECT(!plugin_name_check(std::string(65, 'x'), &err));
  EXPECT_EQ(err, "plugin name is longer than 64 bytes");
}

TEST(plugin_spec_add_checks_command_and_duplicates) {
  std::vector<PluginSpec> specs;
  std::string err;
  EXPECT(plugin_spec_add(&specs, "a", "echo 1", &err));
  EXPECT(!plugin_spec_add(&specs, "a", "echo 2", &err));
  EXPECT_EQ(err, "plugin 'a' is declared twice");
  EXPECT(!plugin_spec_add(&specs, "b", "", &err));
  EXPECT_EQ(err, "plugin 'b' has no command");
  EXPECT(!plugin_spec_add(&specs, "c", std::string_view("x\0y", 3), &err));
  ASSERT(specs.size() == 1u);
  EXPECT_EQ(specs[0].name, "a");
  EXPECT_EQ(specs[0].command, "echo 1");
}

TEST(plugin_spec_add_assignment_splits_at_first_equals) {
  std::vector<PluginSpec> specs;
  std::string err;
  EXPECT(plugin_spec_add_assignment(&specs, "fans = echo a=b", &err));
  EXPECT(plugin_spec_add_assignment(&specs, "x=true", &err));
  EXPECT(!plugin_spec_add_assignment(&specs, "nothing", &err));
  EXPECT_EQ(err, "expected NAME=COMMAND");
  EXPECT(!plugin_spec_add_assignment(&specs, "Bad=true", &err));
  ASSERT(specs.size() == 2u);
  EXPECT_EQ(specs[0].name, "fans");
  EXPECT_EQ(specs[0].command, "echo a=b");
  EXPECT_EQ(specs[1].command, "true");
}

TEST(plugin_spec_options_read_config_lines_then_command_line) {
  char path[] = "/tmp/statd_plugin_spec_XXXXXX";
  int fd = mkstemp(path);
  ASSERT(fd >= 0);
  const char text[] =
      "# plugins\n"
      "plugin fans = echo '{\"fan\": 1}'\n"
      "plugin\tdisk_2=printf '%s' \"a=b\"\n"
      "max-clients = 5\n";
  ASSERT(write(fd, text, sizeof text - 1) == static_cast<ssize_t>(sizeof text - 1));
  close(fd);
  char arg0[] = "statd", arg1[] = "-c", arg3[] = "--plugin", arg4[] = "cli=echo 1";
  char* argv[] = {arg0, arg1, path, arg3, arg4, nullptr};
  StatdOptions opts;
  OptionsResult result = statd_parse_options(5, argv, &opts);
  unlink(path);
  EXPECT(result == OptionsResult::kRun);
  EXPECT_EQ(opts.max_clients, 5u);
  ASSERT(opts.plugins.size() == 3u);
  EXPECT_EQ(opts.plugins[0].name, "fans");
  EXPECT_EQ(opts.plugins[0].command, "echo '{\"fan\": 1}'");
  EXPECT_EQ(opts.plugins[1].name, "disk_2");
  EXPECT_EQ(opts.plugins[1].command, "printf '%s' \"a=b\"");
  EXPECT_EQ(opts.plugins[2].name, "cli");
  EXPECT_EQ(opts.plugins[2].command, "echo 1");
}
