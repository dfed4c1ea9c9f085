#include "metrics/services.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/test.h"
#include "metrics/sampler.h"

using metrics::KernelFiles;
using metrics::ServiceList;

namespace {

// "name state enabled" per line: one string to compare exactly.
std::string listing(const std::string& root) {
  KernelFiles files(root);
  ServiceList list;
  collect_services(files, &list);
  std::string out = std::string(service_manager_name(list.manager)) + "\n";
  for (const metrics::Service& s : list.services)
    out += s.name + " " + service_state_name(s.state) + (s.enabled ? " enabled\n" : " disabled\n");
  return out;
}

std::string make_temp_dir() {
  char tmpl[] = "/tmp/statd-services-XXXXXX";
  return mkdtemp(tmpl) ? std::string(tmpl) : std::string();
}

void write_file(const std::string& path, const std::string& content) {
  std::string dir = path.substr(0, path.rfind('/'));
  std::string cmd = "mkdir -p '" + dir + "'";
  if (system(cmd.c_str()) != 0) return;
  FILE* f = fopen(path.c_str(), "w");
  if (!f) return;
  fwrite(content.data(), 1, content.size(), f);
  fclose(f);
}

void remove_tree(const std::string& dir) {
  std::string cmd = "rm -rf '" + dir + "'";
  if (system(cmd.c_str()) != 0) fprintf(stderr, "could not remove %s\n", dir.c_str());
}

}  // namespace

TEST(services_openrc_fixture) {
  // functions.sh (a library) and README (not executable) are no services;
  // net.eth0 is a link to net.lo; inactive counts as starting.
  EXPECT_EQ(listing(test::path("fixtures/services/openrc")),
            "openrc\n"
            "agetty stopped disabled\n"
            "bootmisc stopped enabled\n"
            "chronyd starting enabled\n"
            "crond running enabled\n"
            "devfs running enabled\n"
            "dmesg running enabled\n"
            "dnsmasq stopping enabled\n"
            "hostname running enabled\n"
            "hwclock stopped enabled\n"
            "local running enabled\n"
            "localmount running enabled\n"
            "modules running enabled\n"
            "net.eth0 starting enabled\n"
            "net.lo running enabled\n"
            "networking running enabled\n"
            "nginx failed enabled\n"
            "sshd running enabled\n"
            "sysctl running enabled\n"
            "syslog running enabled\n"
            "udev running enabled\n");
}

TEST(services_runit_fixture) {
  // stat "run, want down" is stopping; oldrunsv has only supervise/pid;
  // udhcpc has no supervise/ yet; dnsmasq is only in /etc/sv (disabled).
  EXPECT_EQ(listing(test::path("fixtures/services/runit")),
            "runit\n"
            "crond stopped enabled\n"
            "dnsmasq stopped disabled\n"
            "ntpd stopping enabled\n"
            "oldrunsv running enabled\n"
            "sshd running enabled\n"
            "syslogd stopping enabled\n"
            "udhcpc unknown enabled\n");
}

TEST(services_systemd_fixture) {
  // docker's processes are in a sub-cgroup (cgroup.events still says
  // populated); getty@tty1 lives in a sub-slice; boot-efi.mount is no service;
  // dbus runs but is not enabled (static).
  EXPECT_EQ(listing(test::path("fixtures/services/systemd")),
            "systemd\n"
            "cron stopped enabled\n"
            "dbus running disabled\n"
            "docker running enabled\n"
            "getty@tty1 running enabled\n"
            "sshd running enabled\n");
}

TEST(services_none_without_an_init_system) {
  EXPECT_EQ(listing(test::path("fixtures/pc")), "none\n");
  EXPECT_EQ(listing("/nonexistent-statd-root"), "none\n");
}

TEST(services_systemd_cgroup_v1_and_runit_var_service) {
  std::string root = make_temp_dir();
  ASSERT(!root.empty());
  // cgroup v1: the named systemd hierarchy, no cgroup.events.
  write_file(root + "/run/systemd/system/.keep", "");
  std::string v1 = root + "/sys/fs/cgroup/systemd/system.slice/";
  write_file(v1 + "ntp.service/cgroup.procs", "301\n302\n");
  write_file(v1 + "rsync.service/cgroup.procs", "");
  write_file(v1 + "cgroup.procs", "");
  EXPECT_EQ(listing(root), "systemd\nntp running disabled\n");
  remove_tree(root + "/run");
  remove_tree(root + "/sys");
  // runit on Void: /var/service; the stat word is all that counts.
  write_file(root + "/var/service/agetty-tty1/supervise/stat", "run, paused\n");
  write_file(root + "/var/service/wpa/supervise/stat", "bogus\n");
  EXPECT_EQ(listing(root), "runit\nagetty-tty1 running enabled\nwpa unknown enabled\n");
  remove_tree(root);
}

TEST(services_names_and_state_words) {
  EXPECT_EQ(std::string(service_manager_name(metrics::ServiceManager::kNone)), "none");
  EXPECT_EQ(std::string(service_state_name(metrics::ServiceState::kUnknown)), "unknown");
  EXPECT_EQ(std::string(service_state_name(metrics::ServiceState::kFailed)), "failed");
}

TEST(services_sampler_caches_for_its_ttl) {
  metrics::SamplerOptions o;
  o.root = test::path("fixtures/services/runit");
  o.services_ttl_ms = 1000;
  metrics::Sampler sampler(o);
  EXPECT_EQ(sampler.services(5000).services.size(), 7u);
  uint64_t taken = sampler.samples_taken();
  EXPECT(sampler.services(5999).manager == metrics::ServiceManager::kRunit);
  EXPECT_EQ(sampler.samples_taken(), taken);
  sampler.services(6000);
  EXPECT_EQ(sampler.samples_taken(), taken + 1);
}
