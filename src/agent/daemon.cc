#include "agent/daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/log.h"
#include "base/str.h"

namespace {

std::string errno_text(const char* what) { return std::string(what) + ": " + strerror(errno); }

// The first line of a small file, without its newline ("" if unreadable).
std::string read_first_line(const std::string& path) {
  FILE* f = fopen(path.c_str(), "re");
  if (!f) return "";
  char buf[64];
  std::string line = fgets(buf, sizeof buf, f) ? buf : "";
  fclose(f);
  return std::string(str_trim(line));
}

// -d, in the parent: wait until the child says it is listening (one byte) or
// exits, and leave with 0 or the child's status. Errors the child printed have
// already reached our shared stderr.
[[noreturn]] void wait_for_child(pid_t child, int ready_fd) {
  char byte;
  ssize_t n;
  do n = read(ready_fd, &byte, 1);
  while (n < 0 && errno == EINTR);
  if (n == 1) _exit(0);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) _exit(WEXITSTATUS(status));
  fprintf(stderr, "statd: the daemon stopped before it was ready\n");
  _exit(1);
}

}  // namespace

bool privdrop_lookup(const std::string& name, PrivUser* out, std::string* err) {
  errno = 0;
  const passwd* pw = getpwnam(name.c_str());
  if (!pw) {
    *err = errno ? str_cat({"unknown user '", name, "' (", strerror(errno), ")"}) : str_cat({"unknown user '", name, "'"});
    return false;
  }
  out->name = name;
  out->uid = pw->pw_uid;
  out->gid = pw->pw_gid;
  return true;
}

bool privdrop_apply(const PrivUser& user, std::string* err) {
  if (geteuid() != 0) {
    // Nothing to switch: only "stay who you are" can succeed.
    if (getuid() != user.uid || geteuid() != user.uid) {
      *err = str_cat({"switching to user '", user.name, "' needs root (running as uid ", std::to_string(geteuid()), ")"});
      return false;
    }
  } else {
    if (initgroups(user.name.c_str(), user.gid) != 0) { *err = errno_text("initgroups"); return false; }
    if (setresgid(user.gid, user.gid, user.gid) != 0) { *err = errno_text("setresgid"); return false; }
    if (setresuid(user.uid, user.uid, user.uid) != 0) { *err = errno_text("setresuid"); return false; }
  }
  // Trust nothing: read the ids back and make sure root is out of reach.
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0 ||
      ruid != user.uid || euid != user.uid || suid != user.uid ||
      rgid != user.gid || egid != user.gid || sgid != user.gid) {
    *err = "the user and group ids are not all " + user.name + "'s after the switch";
    return false;
  }
  if (user.uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
    *err = "root could be regained after switching to " + user.name;
    return false;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1) {
    *err = errno_text("prctl(PR_SET_NO_NEW_PRIVS)");
    return false;
  }
  return true;
}

pid_t pidfile_read(const std::string& path) {
  uint64_t pid;
  if (!str_to_u64(read_first_line(path), &pid, INT_MAX) || pid == 0) return 0;
  return static_cast<pid_t>(pid);
}

bool pidfile_check_free(const std::string& path, std::string* err) {
  pid_t pid = pidfile_read(path);
  if (pid == 0 || pid == getpid()) return true;
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;  // stale
  if (read_first_line("/proc/" + std::to_string(pid) + "/comm") != "statd") return true;
  *err = str_cat({"statd is already running as pid ", std::to_string(pid), " (pidfile ", path, ")"});
  return false;
}

bool pidfile_write(const std::string& path, pid_t pid, std::string* err) {
  std::string tmp = path + ".tmp";
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) { *err = errno_text(tmp.c_str()); return false; }
  std::string text = std::to_string(pid) + "\n";
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  if (!ok) *err = errno_text(tmp.c_str());
  if (close(fd) != 0 && ok) { *err = errno_text(tmp.c_str()); ok = false; }
  if (ok && rename(tmp.c_str(), path.c_str()) != 0) { *err = errno_text(path.c_str()); ok = false; }
  if (!ok) unlink(tmp.c_str());
  return ok;
}

void pidfile_remove(const std::string& path, pid_t pid) {
  if (pidfile_read(path) != pid) return;  // a newer statd's, or gone
  if (unlink(path.c_str()) == 0 || errno == ENOENT) return;
  // --user took away the directory's write permission; an empty pidfile
  // names nobody, which is as good for init scripts.
  if (truncate(path.c_str(), 0) != 0) log_warn("cannot remove %s: %s", path.c_str(), strerror(errno));
}

bool fd_limit_fit(uint64_t needed, uint64_t* limit) {
  rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return true;  // nothing we can do about it
  *limit = lim.rlim_cur;
  if (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur >= needed) return true;
  rlim_t want = lim.rlim_max == RLIM_INFINITY || lim.rlim_max >= needed ? needed : lim.rlim_max;
  lim.rlim_cur = want;
  if (setrlimit(RLIMIT_NOFILE, &lim) == 0) *limit = want;
  return *limit >= needed;
}

bool Daemon::prepare(StatdOptions* opts) {
  opts_ = opts;
  if (opts->syslog) log_use_syslog("statd");
  // Every client is a descriptor; so are the listeners, the loop, plugin
  // pipes and fleet peers (the 32 leave room for those and for /proc reads).
  uint64_t needed = uint64_t{opts->max_clients} + opts->peers.size() + 32, limit = 0;
  if (!fd_limit_fit(needed, &limit))
    log_warn("the open-files limit (%llu) is below the %llu descriptors --max-clients %u "
             "needs: connections beyond it wait (raise the hard limit, ulimit -Hn, or "
             "lower --max-clients)", static_cast<unsigned long long>(limit),
             static_cast<unsigned long long>(needed), opts->max_clients);
  std::string err;
  if (!opts->user.empty() && !privdrop_lookup(opts->user, &user_, &err)) {
    fprintf(stderr, "statd: --user: %s\n", err.c_str());
    return false;
  }
  if (!opts->pidfile.empty() && !pidfile_check_free(opts->pidfile, &err)) {
    fprintf(stderr, "statd: %s\n", err.c_str());
    return false;
  }
  if (!opts->daemon) return true;
  // The daemon works from / (it must not keep a mount busy); --root is read
  // lazily, so it has to be absolute by then.
  if (!opts->root.empty() && opts->root[0] != '/') {
    char resolved[PATH_MAX];
    if (!realpath(opts->root.c_str(), resolved)) {
      fprintf(stderr, "statd: --root %s: %s\n", opts->root.c_str(), strerror(errno));
      return false;
    }
    opts->root = resolved;
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    fprintf(stderr, "statd: -d: %s\n", errno_text("pipe").c_str());
    return false;
  }
  pid_t child = fork();
  if (child < 0) {
    fprintf(stderr, "statd: -d: %s\n", errno_text("fork").c_str());
    return false;
  }
  if (child > 0) {
    close(pipe_fds[1]);
    wait_for_child(child, pipe_fds[0]);
  }
  close(pipe_fds[0]);
  ready_fd_ = pipe_fds[1];
  setsid();  // no controlling terminal, our own session: a closed shell cannot SIGHUP us
  return true;
}

bool Daemon::started() {
  std::string err;
  if (!opts_->pidfile.empty()) {
    if (!pidfile_write(opts_->pidfile, getpid(), &err)) {
      fprintf(stderr, "statd: --pidfile: %s\n", err.c_str());
      return false;
    }
    wrote_pidfile_ = true;
    // Owned by the user we become, so finish() can at least empty it.
    if (!opts_->user.empty() && geteuid() == 0 && chown(opts_->pidfile.c_str(), user_.uid, user_.gid) != 0)
      log_warn("chown %s: %s", opts_->pidfile.c_str(), strerror(errno));
  }
  if (!opts_->user.empty()) {
    if (!privdrop_apply(user_, &err)) {
      fprintf(stderr, "statd: --user %s: %s\n", opts_->user.c_str(), err.c_str());
      finish();
      return false;
    }
    log_info("running as user %s (uid %u, gid %u)", user_.name.c_str(), unsigned(user_.uid),
             unsigned(user_.gid));
  }
  if (ready_fd_ >= 0) {
    if (chdir("/") != 0) log_warn("chdir /: %s", strerror(errno));
    int null_fd = open("/dev/null", O_RDWR);
    if (null_fd >= 0) {
      for (int fd = 0; fd <= 2; fd++) dup2(null_fd, fd);
      if (null_fd > 2) close(null_fd);
    }
    ssize_t n = write(ready_fd_, "1", 1);
    (void)n;  // the parent may be gone; nothing to do about it
    close(ready_fd_);
    ready_fd_ = -1;
  }
  return true;
}

void Daemon::finish() {
  if (wrote_pidfile_) pidfile_remove(opts_->pidfile, getpid());
  wrote_pidfile_ = false;
}
