// --sandbox: a seccomp-BPF allow-list installed once statd is listening,
// so that a bug an attacker can reach can do no more than statd itself
// does while serving: read /proc and /sys, accept, read and write sockets.
#pragma once

#include <string>

#include "agent/options.h"

/// Why --sandbox cannot go with these options ("" when it can): command
/// plugins and --fleetctl fork and exec programs that would inherit the filter.
std::string sandbox_conflict(const StatdOptions& opts);

/// Installs the filter for good (no new privileges, then the BPF program).
/// Afterwards a system call outside the list writes
/// "statd: --sandbox: system call N is not allowed" to stderr and ends the
/// process with exit status 159 (128 + SIGSYS); a call made through another
/// ABI than the native one (x32, 32-bit on 64) kills it at once. False,
/// with *err, on a platform without seccomp or when the kernel refuses.
bool sandbox_install(std::string* err);

/// The exit status after a forbidden system call.
constexpr int kSandboxExitStatus = 159;
