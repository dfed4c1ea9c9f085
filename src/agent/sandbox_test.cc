#include "agent/sandbox.h"

#if defined(__linux__) && (defined(__x86_64__) || defined(__aarch64__))
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "base/test.h"

namespace {

struct ChildResult {
  int exit_status = -1;
  std::string output;  // the child's stdout and stderr
};

// Runs fn in a child with the sandbox installed; output goes to a pipe.
ChildResult run_sandboxed(void (*fn)(int out_fd)) {
  ChildResult r;
  int fds[2];
  if (pipe(fds) != 0) return r;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    dup2(fds[1], 2);
    std::string err;
    if (!sandbox_install(&err)) _exit(3);
    fn(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  char buf[512];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) r.output.append(buf, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + WTERMSIG(status);
  return r;
}

std::string forbidden(long nr) {
  return "statd: --sandbox: system call " + std::to_string(nr) + " is not allowed\n";
}

void say(int fd, const char* text) {
  ssize_t ignored = write(fd, text, strlen(text));
  (void)ignored;
}

}  // namespace

TEST(sandbox_allows_what_statd_does_and_traps_the_rest) {
  ChildResult r = run_sandboxed([](int out) {
    // Serving: /proc files, memory, time, a local socket for syslog.
    int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
    char status[4096] = {};
    ssize_t n = fd >= 0 ? pread(fd, status, sizeof status - 1, 0) : -1;
    close(fd);
    say(out, n > 0 && strstr(status, "\nSeccomp:\t2\n") ? "mode 2;" : "no mode;");
    void* p = mmap(nullptr, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    say(out, p != MAP_FAILED && munmap(p, 1 << 20) == 0 ? "mmap;" : "no mmap;");
    int unix_socket = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    say(out, unix_socket >= 0 ? "unix;" : "no unix;");
    say(out, getpid() > 0 ? "pid\n" : "no pid\n");
    syscall(SYS_mkdirat, AT_FDCWD, "/nonexistent-sandbox-test", 0700);
    say(out, "survived\n");
  });
  EXPECT_EQ(r.output, "mode 2;mmap;unix;pid\n" + forbidden(SYS_mkdirat));
  EXPECT_EQ(r.exit_status, kSandboxExitStatus);
}

TEST(sandbox_traps_inet_sockets_exec_mappings_and_execve) {
  ChildResult inet = run_sandboxed([](int) { socket(AF_INET, SOCK_STREAM, 0); });
  EXPECT_EQ(inet.output, forbidden(SYS_socket));
  EXPECT_EQ(inet.exit_status, kSandboxExitStatus);
  ChildResult exec_map = run_sandboxed([](int) {
    mmap(nullptr, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  });
  EXPECT_EQ(exec_map.output, forbidden(SYS_mmap));
  EXPECT_EQ(exec_map.exit_status, kSandboxExitStatus);
  ChildResult exec_prot = run_sandboxed([](int) {
    static char page[4096] __attribute__((aligned(4096)));
    mprotect(page, sizeof page, PROT_READ | PROT_EXEC);
  });
  EXPECT_EQ(exec_prot.output, forbidden(SYS_mprotect));
  ChildResult execve_call = run_sandboxed([](int) {
    char* const argv[] = {const_cast<char*>("/bin/true"), nullptr};
    execve("/bin/true", argv, argv + 1);
  });
  EXPECT_EQ(execve_call.output, forbidden(SYS_execve));
  EXPECT_EQ(execve_call.exit_status, kSandboxExitStatus);
}

TEST(sandbox_conflicts_with_command_plugins) {
  StatdOptions opts;
  EXPECT_EQ(sandbox_conflict(opts), "");
  std::string err;
  ASSERT(plugin_spec_add_assignment(&opts.plugins, "fans=echo 1", &err));
  EXPECT(sandbox_conflict(opts).find("command plugins") != std::string::npos);
}
#endif
