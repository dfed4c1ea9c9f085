// Running statd as a service: -d (background with a readiness report to the
// parent), --pidfile, --syslog and --user (a verified, permanent privilege drop).
// statd_main calls prepare() before it builds the Agent, started() once the
// listeners are open and finish() after a clean shutdown.
#pragma once

#include <stdint.h>
#include <sys/types.h>

#include <string>

#include "agent/options.h"

/// A user to switch to, looked up once before anything is bound.
struct PrivUser {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
};

/// Looks `name` up in the user database; false with "unknown user 'NAME'".
bool privdrop_lookup(const std::string& name, PrivUser* out, std::string* err);

/// Switches to `user` for good: supplementary groups, gid and uid (real,
/// effective and saved), then checks that root cannot be regained and sets
/// PR_SET_NO_NEW_PRIVS. Not being root is fine when `user` is ourselves; any
/// other user then is an error. Fails closed: false means "do not go on".
bool privdrop_apply(const PrivUser& user, std::string* err);

/// The pid a pidfile holds, or 0 when it is missing, empty or not a number.
pid_t pidfile_read(const std::string& path);
/// False (with a message) when `path` names a live process called statd other
/// than ourselves.
bool pidfile_check_free(const std::string& path, std::string* err);
/// Writes "PID\n" through a temporary file and rename(), so a reader never
/// sees a half-written pidfile.
bool pidfile_write(const std::string& path, pid_t pid, std::string* err);
/// Removes the pidfile if it still holds `pid`; when its directory is not
/// writable any more (after --user) it is emptied instead.
void pidfile_remove(const std::string& path, pid_t pid);

/// Raises the soft open-files limit (up to the hard one) so that `needed`
/// descriptors fit. False when the hard limit is lower: *limit is then what
/// we have (connections beyond it wait in the listen backlog; the listener
/// pauses instead of spinning, net/listener.h).
bool fd_limit_fit(uint64_t needed, uint64_t* limit);

class Daemon {
 public:
  /// Opens syslog, looks up --user, checks the pidfile and, with -d, forks:
  /// the parent waits in here for started() or the child's exit and never
  /// returns. Makes opts->root absolute first (-d changes to /). False: exit 2.
  bool prepare(StatdOptions* opts);
  /// Writes the pidfile, drops privileges, then with -d detaches stdio and
  /// tells the waiting parent to exit 0. False: exit 2 (the message is out).
  bool started();
  /// Removes the pidfile after a clean shutdown.
  void finish();

 private:
  const StatdOptions* opts_ = nullptr;
  PrivUser user_;
  int ready_fd_ = -1;  ///< -d: the pipe the waiting parent reads
  bool wrote_pidfile_ = false;
};
