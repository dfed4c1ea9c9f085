#include "agent/sandbox.h"

#include <errno.h>
#include <string.h>

#if defined(__linux__)
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

#if defined(__x86_64__)
#define SANDBOX_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_AUDIT_ARCH AUDIT_ARCH_AARCH64
#elif defined(__arm__)
#define SANDBOX_AUDIT_ARCH AUDIT_ARCH_ARM
#elif defined(__i386__)
#define SANDBOX_AUDIT_ARCH AUDIT_ARCH_I386
#elif defined(__riscv) && __riscv_xlen == 64
#define SANDBOX_AUDIT_ARCH AUDIT_ARCH_RISCV64
#endif
#endif

std::string sandbox_conflict(const StatdOptions& opts) {
  // Both fork and exec commands (a shell, fleetctl) that would inherit the filter.
  if (!opts.plugins.empty())
    return "cannot be used with command plugins (--plugin, 'plugin NAME = COMMAND'): their commands would inherit the filter";
  if (!opts.fleetctl.empty()) return "cannot be used with --fleetctl: it would inherit the filter";
  // The filter allows socket() for AF_UNIX only.
  if (!opts.peers.empty()) return "cannot be used with peers (--peer, 'peer NAME = URL'): polling them needs TCP sockets";
  return "";
}

#if defined(__linux__) && defined(SANDBOX_AUDIT_ARCH)

namespace {

// What statd does once listening, measured with strace -f over the
// integration suite (glibc and musl builds, with and without TLS): each C
// library picks its own calls for the same function (musl's stdio uses
// readv/writev, glibc's stat is newfstatat), so both sets are here. Names a
// platform lacks drop out through the #ifdefs. Not here on purpose: clone,
// fork, execve, kill, ptrace, ioctl, bind, listen, setuid and the rest of
// start-up. socket is only allowed for AF_UNIX (syslog reconnecting), mmap
// and mprotect only without PROT_EXEC (see build_program).
const int kAllowed[] = {
    // Descriptors and files: sockets, /proc, /sys, the pidfile at exit.
    SYS_read, SYS_write, SYS_readv, SYS_writev, SYS_pread64, SYS_close, SYS_lseek, SYS_openat,
    SYS_fcntl, SYS_getdents64, SYS_fstatfs, SYS_statfs, SYS_readlinkat, SYS_fstat, SYS_unlinkat,
    SYS_faccessat,
#ifdef SYS_newfstatat
    SYS_newfstatat,
#endif
#ifdef SYS_open
    SYS_open, SYS_stat, SYS_lstat, SYS_readlink, SYS_unlink, SYS_access,
#endif
#ifdef SYS_statx
    SYS_statx,
#endif
#ifdef SYS_fcntl64
    SYS_fcntl64, SYS_fstat64, SYS_stat64, SYS_lstat64, SYS_fstatat64, SYS_statfs64, SYS_fstatfs64,
    SYS__llseek,
#endif
    // The loop (epoll; glibc's epoll_wait is its own call, musl's goes
    // through epoll_pwait) and its sockets.
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#endif
    SYS_epoll_pwait, SYS_epoll_ctl,
#ifdef SYS_poll
    SYS_poll,
#endif
#ifdef SYS_accept
    SYS_accept,
#endif
#ifdef SYS_socketcall
    SYS_socketcall,  // i386 C libraries may still multiplex socket calls here
#endif
    SYS_ppoll, SYS_accept4, SYS_recvfrom, SYS_sendto, SYS_recvmsg, SYS_sendmsg,
    SYS_setsockopt, SYS_getsockopt, SYS_getsockname, SYS_getpeername, SYS_shutdown, SYS_connect,
    // Memory (malloc), time, identity, leaving.
    SYS_brk, SYS_munmap, SYS_mremap, SYS_madvise,
#ifdef SYS_clock_gettime
    SYS_clock_gettime, SYS_gettimeofday,
#endif
#ifdef SYS_clock_gettime32
    SYS_clock_gettime32, SYS_gettimeofday_time32,  // 32-bit time64 targets (armhf, mips)
#endif
#ifdef SYS_time
    SYS_time,
#endif
#ifdef SYS_clock_gettime64
    SYS_clock_gettime64, SYS_ppoll_time64,
#endif
    SYS_getpid, SYS_gettid, SYS_uname, SYS_sysinfo, SYS_getrandom, SYS_futex,
    SYS_rt_sigprocmask, SYS_rt_sigreturn, SYS_restart_syscall, SYS_exit, SYS_exit_group,
#if defined(__SANITIZE_ADDRESS__)
    // AddressSanitizer's leak check at exit stops the world from a cloned
    // thread that ptraces the process and lists /proc/self/task; its report
    // asks whether stderr is a terminal (sanitizer builds only).
    SYS_clone, SYS_ptrace, SYS_wait4, SYS_prctl, SYS_sched_yield, SYS_sigaltstack, SYS_rt_sigaction,
    SYS_getppid, SYS_tgkill, SYS_nanosleep, SYS_clock_nanosleep, SYS_ioctl,
#ifdef SYS_getdents
    SYS_getdents,
#endif
#endif
};

// The syscall's argument `index`, low 32 bits.
constexpr uint32_t arg_low(int index) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return offsetof(seccomp_data, args) + 8 * index;
#else
  return offsetof(seccomp_data, args) + 8 * index + 4;
#endif
}

sock_filter stmt(uint16_t code, uint32_t k) { return BPF_STMT(code, k); }
sock_filter jump(uint16_t code, uint32_t k, uint8_t jt, uint8_t jf) { return BPF_JUMP(code, k, jt, jf); }

// Layout: arch check; x32 check; one "jeq nr -> allow" per allowed call;
// the argument checks (socket, mmap, mprotect), each 5 instructions ending
// in allow or trap; trap; allow. Jump offsets are 8 bits: the list is
// short enough (checked in sandbox_install).
std::vector<sock_filter> build_program() {
  std::vector<sock_filter> p;
  const uint32_t kTrap = SECCOMP_RET_TRAP, kAllow = SECCOMP_RET_ALLOW;
  p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)));
  p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_AUDIT_ARCH, 1, 0));
  p.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
  p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)));
#if defined(__x86_64__)
  // x32 calls share x86-64's arch value: numbers with this bit are theirs.
  p.push_back(jump(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1));
  p.push_back(stmt(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
#endif
  struct Checked { long nr; uint32_t arg; uint32_t mask; bool equal; };
  // socket(AF_UNIX, ...) only; mmap/mprotect never with PROT_EXEC.
  std::vector<Checked> checked = {{SYS_socket, arg_low(0), AF_UNIX, true},
                                  {SYS_mprotect, arg_low(2), PROT_EXEC, false}};
#ifdef SYS_mmap
  checked.push_back({SYS_mmap, arg_low(2), PROT_EXEC, false});
#endif
#ifdef SYS_mmap2
  checked.push_back({SYS_mmap2, arg_low(2), PROT_EXEC, false});
#endif
  const size_t n = sizeof kAllowed / sizeof kAllowed[0];
  const size_t checks_len = checked.size() * 5;
  // From the jeq at index i of the allow list: past the rest of the list,
  // the argument checks and the trap, to the final allow.
  for (size_t i = 0; i < n; i++)
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(kAllowed[i]),
                     static_cast<uint8_t>(n - i - 1 + checks_len + 1), 0));
  for (const Checked& ch : checked) {
    // Not this call: on to the next check (or the trap after the last).
    p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, static_cast<uint32_t>(ch.nr), 0, 4));
    p.push_back(stmt(BPF_LD | BPF_W | BPF_ABS, ch.arg));
    // equal: allow when arg == mask; else allow when no bit of mask is set.
    if (ch.equal) p.push_back(jump(BPF_JMP | BPF_JEQ | BPF_K, ch.mask, 0, 1));
    else p.push_back(jump(BPF_JMP | BPF_JSET | BPF_K, ch.mask, 1, 0));
    p.push_back(stmt(BPF_RET | BPF_K, kAllow));
    p.push_back(stmt(BPF_RET | BPF_K, kTrap));
  }
  p.push_back(stmt(BPF_RET | BPF_K, kTrap));
  p.push_back(stmt(BPF_RET | BPF_K, kAllow));
  return p;
}

// SIGSYS from the filter: say which call, then leave. Only write and
// _exit here: both are on the list, nothing else is safe in a handler.
void on_sigsys(int, siginfo_t* info, void*) {
  char text[80] = "statd: --sandbox: system call ";
  size_t len = strlen(text);
  char digits[12];
  int nd = 0;
  unsigned nr = static_cast<unsigned>(info->si_syscall);
  do {
    digits[nd++] = static_cast<char>('0' + nr % 10);
    nr /= 10;
  } while (nr && nd < 12);
  while (nd > 0) text[len++] = digits[--nd];
  const char tail[] = " is not allowed\n";
  memcpy(text + len, tail, sizeof tail - 1);
  len += sizeof tail - 1;
  ssize_t ignored = write(2, text, len);
  (void)ignored;
  _exit(kSandboxExitStatus);
}

}  // namespace

bool sandbox_install(std::string* err) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGSYS, &sa, nullptr) != 0) {
    *err = std::string("sigaction(SIGSYS): ") + strerror(errno);
    return false;
  }
  constexpr size_t allowed = sizeof kAllowed / sizeof kAllowed[0];
  static_assert(allowed + 5 * 4 < 256, "allow list too long for 8-bit BPF jumps");
  std::vector<sock_filter> program = build_program();
  sock_fprog prog;
  prog.len = static_cast<unsigned short>(program.size());
  prog.filter = program.data();
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) != 0) {
    *err = std::string("cannot install the seccomp filter: ") + strerror(errno);
    return false;
  }
  return true;
}

#else

bool sandbox_install(std::string* err) {
  *err = "seccomp filters are only supported on Linux (x86-64, AArch64, ARM, i386, RISC-V 64)";
  return false;
}

#endif
