#include "agent/addr_limits.h"

#include <netinet/in.h>
#include <string.h>

bool operator==(const AddrKey& a, const AddrKey& b) { return memcmp(a.bytes, b.bytes, sizeof a.bytes) == 0; }

AddrKey addr_key_from_sockaddr(const sockaddr_storage& peer) {
  AddrKey key;
  if (peer.ss_family == AF_INET) {
    const auto* a4 = reinterpret_cast<const sockaddr_in*>(&peer);
    key.bytes[10] = key.bytes[11] = 0xff;
    memcpy(key.bytes + 12, &a4->sin_addr, 4);
  } else if (peer.ss_family == AF_INET6) {
    memcpy(key.bytes, &reinterpret_cast<const sockaddr_in6*>(&peer)->sin6_addr, 16);
  }
  return key;
}

AddrLimits::Entry* AddrLimits::find(const AddrKey& key) {
  for (Entry& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

const AddrLimits::Entry* AddrLimits::find(const AddrKey& key) const {
  for (const Entry& e : entries_)
    if (e.key == key) return &e;
  return nullptr;
}

uint64_t AddrLimits::longest_lockout_ms() const {
  return config_.lockout_ms << config_.max_lockout_doublings;
}

// An address is worth remembering while it holds a connection, has
// failures in the current window, serves a lockout, or could still have
// its next lockout doubled (within longest_lockout_ms of the last one).
bool AddrLimits::idle(const Entry& e, uint64_t now_ms) const {
  if (e.unauthenticated > 0) return false;
  if (e.failures > 0 && now_ms < e.window_start_ms + config_.auth_window_ms) return false;
  if (e.lockout_count > 0 && now_ms < e.locked_until_ms + longest_lockout_ms()) return false;
  return true;
}

void AddrLimits::drop_if_idle(Entry* entry, uint64_t now_ms) {
  if (!idle(*entry, now_ms)) return;
  *entry = entries_.back();  // order does not matter
  entries_.pop_back();
}

AddrLimits::Entry* AddrLimits::find_or_add(const AddrKey& key, uint64_t now_ms) {
  if (Entry* e = find(key)) return e;
  if (entries_.size() >= config_.capacity) {
    // First forget what has expired, then the least recently used address
    // without a connection (its auth state is lost: the price of a bound).
    for (size_t i = entries_.size(); i-- > 0;) drop_if_idle(&entries_[i], now_ms);
    if (entries_.size() >= config_.capacity) {
      Entry* oldest = nullptr;
      for (Entry& e : entries_)
        if (e.unauthenticated == 0 && (!oldest || e.last_used_ms < oldest->last_used_ms)) oldest = &e;
      if (!oldest) return nullptr;
      *oldest = entries_.back();
      entries_.pop_back();
    }
  }
  Entry e;
  e.key = key;
  e.last_used_ms = now_ms;
  entries_.push_back(e);
  return &entries_.back();
}

bool AddrLimits::admit(const AddrKey& key, uint64_t now_ms, AddrTicket* ticket) {
  ticket->key = key;
  ticket->counted = false;
  if (config_.max_unauthenticated == 0) return true;
  Entry* e = find_or_add(key, now_ms);
  if (!e || e->unauthenticated >= config_.max_unauthenticated) {
    refused_connections_++;
    if (e) e->last_used_ms = now_ms;
    return false;
  }
  e->unauthenticated++;
  e->last_used_ms = now_ms;
  ticket->counted = true;
  return true;
}

void AddrLimits::release(AddrTicket* ticket) {
  if (!ticket->counted) return;
  ticket->counted = false;
  Entry* e = find(ticket->key);
  if (!e || e->unauthenticated == 0) return;  // cannot happen: counted entries are never evicted
  e->unauthenticated--;
  drop_if_idle(e, e->last_used_ms);
}

AuthVerdict AddrLimits::auth_attempt(const AddrKey& key, bool token_ok, uint64_t now_ms) {
  if (config_.auth_fail_limit == 0) return token_ok ? AuthVerdict::kAccepted : AuthVerdict::kRejected;
  Entry* e = find(key);
  if (e && now_ms < e->locked_until_ms) {
    locked_out_attempts_++;
    e->last_used_ms = now_ms;
    return AuthVerdict::kLockedOut;
  }
  if (token_ok) {
    if (e) {
      e->failures = 0;
      e->lockout_count = 0;
      e->locked_until_ms = 0;
      drop_if_idle(e, now_ms);
    }
    return AuthVerdict::kAccepted;
  }
  e = e ? e : find_or_add(key, now_ms);
  if (!e) return AuthVerdict::kRejected;  // table full of connection holders: not tracked
  e->last_used_ms = now_ms;
  if (e->failures == 0 || now_ms >= e->window_start_ms + config_.auth_window_ms) {
    e->failures = 0;
    e->window_start_ms = now_ms;
  }
  // Quiet for the longest lockout since the last one: start doubling afresh.
  if (e->lockout_count > 0 && now_ms >= e->locked_until_ms + longest_lockout_ms()) e->lockout_count = 0;
  if (++e->failures >= config_.auth_fail_limit) {
    uint32_t doublings = e->lockout_count < config_.max_lockout_doublings ? e->lockout_count
                                                                          : config_.max_lockout_doublings;
    e->locked_until_ms = now_ms + (config_.lockout_ms << doublings);
    e->lockout_count++;
    e->failures = 0;
    lockouts_++;
  }
  return AuthVerdict::kRejected;
}

uint64_t AddrLimits::lockout_left_ms(const AddrKey& key, uint64_t now_ms) const {
  const Entry* e = find(key);
  return e && now_ms < e->locked_until_ms ? e->locked_until_ms - now_ms : 0;
}
