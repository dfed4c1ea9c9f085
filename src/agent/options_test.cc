// statd's socktop-compatible switches: the environment and --enableSSL
// decide the main listeners and the generated certificate's extra names.
#include "agent/options.h"

#include <stdlib.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

#include "base/test.h"

namespace {

const char* const kSocktopEnv[] = {"SOCKTOP_PORT", "SOCKTOP_ENABLE_SSL", "SOCKTOP_AGENT_EXTRA_SANS",
                                   "SOCKTOP_TOKEN", "STATD_TOKEN"};

// Parses `args` (after "statd") with exactly the given SOCKTOP_* variables set.
OptionsResult parse(std::vector<std::string> args, StatdOptions* opts,
                    std::vector<std::pair<const char*, const char*>> env = {}) {
  for (const char* name : kSocktopEnv) unsetenv(name);
  for (const auto& [name, value] : env) setenv(name, value, 1);
  args.insert(args.begin(), "statd");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  OptionsResult result = statd_parse_options(static_cast<int>(args.size()), argv.data(), opts);
  for (const char* name : kSocktopEnv) unsetenv(name);
  return result;
}

using Addresses = std::vector<std::string>;

}  // namespace

TEST(options_default_listeners_plain_and_socktop_tls) {
  StatdOptions plain;
  ASSERT(parse({}, &plain) == OptionsResult::kRun);
  EXPECT(!plain.tls);
  EXPECT(statd_listen_addresses(plain) == Addresses({"0.0.0.0:3000", "[::]:3000"}));

  StatdOptions flag;
  ASSERT(parse({"--enableSSL"}, &flag) == OptionsResult::kRun);
  EXPECT(flag.tls && flag.socktop_tls);
  EXPECT(statd_listen_addresses(flag) == Addresses({"0.0.0.0:8443", "[::]:8443"}));

  // statd's own --tls keeps port 3000: only socktop's switch moves it.
  StatdOptions own;
  ASSERT(parse({"--tls"}, &own) == OptionsResult::kRun);
  EXPECT(own.tls && !own.socktop_tls);
  EXPECT(statd_listen_addresses(own) == Addresses({"0.0.0.0:3000", "[::]:3000"}));
}

TEST(options_socktop_enable_ssl_environment) {
  StatdOptions env;
  ASSERT(parse({}, &env, {{"SOCKTOP_ENABLE_SSL", "1"}}) == OptionsResult::kRun);
  EXPECT(env.tls);
  EXPECT(statd_listen_addresses(env) == Addresses({"0.0.0.0:8443", "[::]:8443"}));

  // Exactly "1", as socktop_agent reads it.
  for (const char* value : {"true", "yes", "0", ""}) {
    StatdOptions other;
    ASSERT(parse({}, &other, {{"SOCKTOP_ENABLE_SSL", value}}) == OptionsResult::kRun);
    EXPECT(!other.tls);
  }

  // An explicit port wins over 8443, from the environment or the command line.
  StatdOptions with_port;
  ASSERT(parse({}, &with_port, {{"SOCKTOP_ENABLE_SSL", "1"}, {"SOCKTOP_PORT", "9443"}}) == OptionsResult::kRun);
  EXPECT(with_port.tls);
  EXPECT(statd_listen_addresses(with_port) == Addresses({"0.0.0.0:9443", "[::]:9443"}));
  StatdOptions with_listen;
  ASSERT(parse({"--enableSSL", "-l", "127.0.0.1:4443"}, &with_listen) == OptionsResult::kRun);
  EXPECT(statd_listen_addresses(with_listen) == Addresses({"127.0.0.1:4443"}));
}

TEST(options_socktop_extra_sans_environment) {
  StatdOptions opts;
  ASSERT(parse({"--tls-san", "cli.example"}, &opts,
               {{"SOCKTOP_AGENT_EXTRA_SANS", " mon.lan,10.0.0.5,, fd00::7 "}}) == OptionsResult::kRun);
  EXPECT(opts.tls_sans == Addresses({"mon.lan", "10.0.0.5", "fd00::7", "cli.example"}));
  EXPECT(!opts.tls);  // names alone do not turn TLS on
}

TEST(options_enable_ssl_in_a_config_file) {
  char path[] = "/tmp/statd_options_XXXXXX";
  int fd = mkstemp(path);
  ASSERT(fd >= 0);
  const char text[] = "enableSSL = on\n";
  ASSERT(write(fd, text, sizeof text - 1) == static_cast<ssize_t>(sizeof text - 1));
  close(fd);
  StatdOptions opts;
  OptionsResult result = parse({"-c", path}, &opts);
  unlink(path);
  ASSERT(result == OptionsResult::kRun);
  EXPECT(opts.tls && opts.socktop_tls);
  EXPECT(statd_listen_addresses(opts) == Addresses({"0.0.0.0:8443", "[::]:8443"}));
}

TEST(options_tls_state_directory) {
  const char* saved_home = getenv("HOME");
  const char* saved_xdg = getenv("XDG_CONFIG_HOME");
  std::string home = saved_home ? saved_home : "", xdg = saved_xdg ? saved_xdg : "";
  StatdOptions opts;
  EXPECT_EQ(tls_state_dir(opts, true), "/var/lib/statd/tls");
  setenv("XDG_CONFIG_HOME", "/tmp/xdg", 1);
  setenv("HOME", "/home/pi", 1);
  EXPECT_EQ(tls_state_dir(opts, false), "/tmp/xdg/statd/tls");
  unsetenv("XDG_CONFIG_HOME");
  EXPECT_EQ(tls_state_dir(opts, false), "/home/pi/.config/statd/tls");
  opts.tls_dir = "/etc/statd/tls";  // --tls-dir wins for everyone
  EXPECT_EQ(tls_state_dir(opts, true), "/etc/statd/tls");
  EXPECT_EQ(tls_state_dir(opts, false), "/etc/statd/tls");
  if (saved_home) setenv("HOME", home.c_str(), 1);
  else unsetenv("HOME");
  if (saved_xdg) setenv("XDG_CONFIG_HOME", xdg.c_str(), 1);
}
