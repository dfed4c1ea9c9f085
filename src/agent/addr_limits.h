// Per-address bookkeeping for statd's limits: how many unauthenticated
// connections each peer address holds (--max-clients-per-address) and how
// many wrong tokens it sent lately (--auth-fail-limit, --auth-lockout).
//
// One table of at most `capacity` addresses, allocated as addresses appear.
// An address leaves it as soon as it holds no connection and no auth state;
// when the table is full the least recently used address without an open
// connection is forgotten, so a spray of source addresses costs a fixed
// amount of memory (and can at worst make statd forget an old lockout).
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include <vector>

/// A peer address: the 16 bytes of an IPv6 address; IPv4 as ::ffff:a.b.c.d,
/// so a v4-mapped peer on a [::] listener is the same address.
struct AddrKey {
  uint8_t bytes[16] = {};
};
bool operator==(const AddrKey& a, const AddrKey& b);

AddrKey addr_key_from_sockaddr(const sockaddr_storage& peer);

struct AddrLimitsConfig {
  uint32_t max_unauthenticated = 16;  ///< connections per address; 0: no cap
  uint32_t auth_fail_limit = 5;       ///< wrong tokens per window before a lockout; 0: off
  uint64_t auth_window_ms = 60 * 1000;
  uint64_t lockout_ms = 10 * 1000;    ///< the first lockout; each next one doubles
  uint32_t max_lockout_doublings = 6; ///< so at most lockout_ms * 64
  size_t capacity = 320;              ///< addresses tracked at once
};

/// One connection's place in its address's count; the connection keeps it
/// and hands it back with release().
struct AddrTicket {
  AddrKey key;
  bool counted = false;
};

enum class AuthVerdict { kAccepted, kRejected, kLockedOut };

class AddrLimits {
 public:
  explicit AddrLimits(const AddrLimitsConfig& config) : config_(config) {}

  /// At accept: counts the connection against its address. False (nothing
  /// counted, the refusal counted) when the address already holds
  /// max_unauthenticated connections, or the table is full of addresses
  /// that all hold connections.
  bool admit(const AddrKey& key, uint64_t now_ms, AddrTicket* ticket);
  /// The connection authenticated or closed: it no longer counts. Safe to
  /// call twice.
  void release(AddrTicket* ticket);

  /// A token was presented from `key`; `token_ok` says whether it was
  /// right. kLockedOut while the address serves a lockout (the token is not
  /// even considered); otherwise kAccepted or kRejected, and failures are
  /// counted: auth_fail_limit of them within auth_window_ms lock the
  /// address out. A success forgets the address's failures and lockouts.
  AuthVerdict auth_attempt(const AddrKey& key, bool token_ok, uint64_t now_ms);
  /// What is left of the address's lockout (0: none).
  uint64_t lockout_left_ms(const AddrKey& key, uint64_t now_ms) const;

  size_t tracked_addresses() const { return entries_.size(); }
  uint64_t refused_connections() const { return refused_connections_; }
  uint64_t lockouts() const { return lockouts_; }
  uint64_t locked_out_attempts() const { return locked_out_attempts_; }

 private:
  struct Entry {
    AddrKey key;
    uint32_t unauthenticated = 0;
    uint32_t failures = 0;         ///< within the window that began at window_start_ms
    uint32_t lockout_count = 0;    ///< lockouts so far: the next one is this many doublings
    uint64_t window_start_ms = 0;
    uint64_t locked_until_ms = 0;
    uint64_t last_used_ms = 0;
  };

  Entry* find(const AddrKey& key);
  const Entry* find(const AddrKey& key) const;
  /// Finds or adds the address; null when the table is full of addresses
  /// that hold connections.
  Entry* find_or_add(const AddrKey& key, uint64_t now_ms);
  bool idle(const Entry& entry, uint64_t now_ms) const;
  /// Drops the entry when it holds nothing worth remembering.
  void drop_if_idle(Entry* entry, uint64_t now_ms);
  uint64_t longest_lockout_ms() const;

  AddrLimitsConfig config_;
  std::vector<Entry> entries_;
  uint64_t refused_connections_ = 0;
  uint64_t lockouts_ = 0;
  uint64_t locked_out_attempts_ = 0;
};
