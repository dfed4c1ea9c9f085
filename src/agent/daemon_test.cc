#include "agent/daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/test.h"

namespace {

std::string scratch_dir() {
  char tmpl[] = "/tmp/daemon_test.XXXXXX";
  return mkdtemp(tmpl) ? tmpl : "";
}

std::string slurp(const std::string& path) {
  FILE* f = fopen(path.c_str(), "r");
  if (!f) return "<missing>";
  char buf[64];
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  return std::string(buf, n);
}

}  // namespace

TEST(daemon_pidfile_write_read_remove) {
  std::string dir = scratch_dir();
  ASSERT(!dir.empty());
  std::string path = dir + "/statd.pid";
  std::string err;
  EXPECT_EQ(pidfile_read(path), 0);
  ASSERT(pidfile_write(path, 4242, &err));
  EXPECT_EQ(slurp(path), "4242\n");
  EXPECT_EQ(access((path + ".tmp").c_str(), F_OK), -1);  // renamed, not left over
  EXPECT_EQ(pidfile_read(path), 4242);
  pidfile_remove(path, 4243);  // another statd's: left alone
  EXPECT_EQ(slurp(path), "4242\n");
  pidfile_remove(path, 4242);
  EXPECT_EQ(slurp(path), "<missing>");
  EXPECT(!pidfile_write(dir + "/no/such/dir/statd.pid", 1, &err));
  EXPECT_EQ(err, dir + "/no/such/dir/statd.pid.tmp: No such file or directory");
  rmdir(dir.c_str());
}

TEST(daemon_pidfile_read_rejects_junk) {
  std::string dir = scratch_dir();
  std::string path = dir + "/statd.pid";
  for (const char* text : {"", "\n", "abc\n", "0\n", "-5\n", "99999999999\n"}) {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT(f);
    fputs(text, f);
    fclose(f);
    EXPECT_EQ(pidfile_read(path), 0);
  }
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(daemon_pidfile_check_free_ignores_stale_and_other_programs) {
  std::string dir = scratch_dir();
  std::string path = dir + "/statd.pid";
  std::string err;
  EXPECT(pidfile_check_free(path, &err));  // missing
  ASSERT(pidfile_write(path, getpid(), &err));
  EXPECT(pidfile_check_free(path, &err));  // ourselves
  ASSERT(pidfile_write(path, getppid(), &err));
  EXPECT(pidfile_check_free(path, &err));  // alive, but not called statd
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  ASSERT(pidfile_write(path, child, &err));
  EXPECT(pidfile_check_free(path, &err));  // gone
  unlink(path.c_str());
  rmdir(dir.c_str());
}

TEST(daemon_privdrop_lookup) {
  PrivUser user;
  std::string err;
  ASSERT(privdrop_lookup("root", &user, &err));
  EXPECT_EQ(user.uid, 0u);
  EXPECT_EQ(user.gid, 0u);
  EXPECT_EQ(user.name, "root");
  EXPECT(!privdrop_lookup("no-such-user-x", &user, &err));
  EXPECT_EQ(err, "unknown user 'no-such-user-x'");
}

// The switch itself, in a child so the test runner keeps its ids.
TEST(daemon_privdrop_apply_to_nobody_in_child) {
  PrivUser nobody;
  std::string err;
  ASSERT(privdrop_lookup("nobody", &nobody, &err));
  pid_t child = fork();
  if (child == 0) {
    bool ok = privdrop_apply(nobody, &err);
    uid_t r, e, s;
    getresuid(&r, &e, &s);
    // 0: switched; 1: apply failed; 2: ids wrong; 3: refused as non-root (expected then).
    if (!ok) _exit(err.find("needs root") != std::string::npos ? 3 : 1);
    _exit(r == nobody.uid && e == nobody.uid && s == nobody.uid && setuid(0) != 0 ? 0 : 2);
  }
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), geteuid() == 0 ? 0 : 3);
}
