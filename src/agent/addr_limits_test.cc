#include "agent/addr_limits.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "base/test.h"

static AddrKey v4(const char* text) {
  sockaddr_storage s;
  memset(&s, 0, sizeof s);
  auto* a = reinterpret_cast<sockaddr_in*>(&s);
  a->sin_family = AF_INET;
  inet_pton(AF_INET, text, &a->sin_addr);
  return addr_key_from_sockaddr(s);
}

static AddrKey v6(const char* text) {
  sockaddr_storage s;
  memset(&s, 0, sizeof s);
  auto* a = reinterpret_cast<sockaddr_in6*>(&s);
  a->sin6_family = AF_INET6;
  inet_pton(AF_INET6, text, &a->sin6_addr);
  return addr_key_from_sockaddr(s);
}

static AddrLimitsConfig config(uint32_t per_address, uint32_t fail_limit, size_t capacity = 320) {
  AddrLimitsConfig c;
  c.max_unauthenticated = per_address;
  c.auth_fail_limit = fail_limit;
  c.auth_window_ms = 60000;
  c.lockout_ms = 1000;
  c.max_lockout_doublings = 3;
  c.capacity = capacity;
  return c;
}

TEST(addr_limits_ipv4_is_the_same_key_as_its_mapped_ipv6) {
  EXPECT(v4("10.1.2.3") == v6("::ffff:10.1.2.3"));
  EXPECT(!(v4("10.1.2.3") == v4("10.1.2.4")));
  EXPECT(!(v6("fe80::1") == v6("fe80::2")));
  AddrKey k = v4("192.168.0.1");
  EXPECT_EQ(k.bytes[12], 192);
  EXPECT_EQ(k.bytes[15], 1);
}

TEST(addr_limits_caps_connections_per_address_until_released) {
  AddrLimits limits(config(2, 0));
  AddrTicket a, b, c, other;
  EXPECT(limits.admit(v4("10.0.0.1"), 1, &a));
  EXPECT(limits.admit(v4("10.0.0.1"), 2, &b));
  EXPECT(!limits.admit(v4("10.0.0.1"), 3, &c));
  EXPECT(!c.counted);
  EXPECT(limits.admit(v4("10.0.0.2"), 3, &other));
  EXPECT_EQ(limits.refused_connections(), 1u);
  EXPECT_EQ(limits.tracked_addresses(), 2u);
  // Authenticating (or closing) frees the place; releasing twice is harmless.
  limits.release(&a);
  limits.release(&a);
  EXPECT(limits.admit(v4("10.0.0.1"), 4, &c));
  EXPECT(!limits.admit(v4("10.0.0.1"), 5, &a));
  limits.release(&b);
  limits.release(&c);
  limits.release(&other);
  EXPECT_EQ(limits.tracked_addresses(), 0u);
}

TEST(addr_limits_zero_cap_counts_nothing) {
  AddrLimits limits(config(0, 0));
  AddrTicket t;
  for (int i = 0; i < 100; i++) EXPECT(limits.admit(v4("10.0.0.1"), i, &t));
  EXPECT(!t.counted);
  EXPECT_EQ(limits.tracked_addresses(), 0u);
}

TEST(addr_limits_locks_out_after_the_failure_limit) {
  AddrLimits limits(config(0, 3));
  AddrKey k = v4("10.0.0.9");
  EXPECT(limits.auth_attempt(k, false, 1000) == AuthVerdict::kRejected);
  EXPECT(limits.auth_attempt(k, false, 1100) == AuthVerdict::kRejected);
  EXPECT_EQ(limits.lockout_left_ms(k, 1100), 0u);
  EXPECT(limits.auth_attempt(k, false, 1200) == AuthVerdict::kRejected);  // the third: locks
  EXPECT_EQ(limits.lockouts(), 1u);
  EXPECT_EQ(limits.lockout_left_ms(k, 1200), 1000u);
  // Even the right token is refused while locked out; another address is not.
  EXPECT(limits.auth_attempt(k, true, 1500) == AuthVerdict::kLockedOut);
  EXPECT(limits.auth_attempt(v4("10.0.0.10"), true, 1500) == AuthVerdict::kAccepted);
  EXPECT_EQ(limits.locked_out_attempts(), 1u);
  EXPECT_EQ(limits.lockout_left_ms(k, 1500), 700u);
  // After it: the right token is accepted and forgets the address.
  EXPECT(limits.auth_attempt(k, true, 2200) == AuthVerdict::kAccepted);
  EXPECT_EQ(limits.tracked_addresses(), 0u);
}

TEST(addr_limits_lockouts_double_up_to_the_bound) {
  AddrLimits limits(config(0, 1));  // every failure locks: 1 s, 2 s, 4 s, 8 s, 8 s
  AddrKey k = v6("2001:db8::1");
  uint64_t now = 10000;
  const uint64_t expected[] = {1000, 2000, 4000, 8000, 8000};
  for (uint64_t want : expected) {
    EXPECT(limits.auth_attempt(k, false, now) == AuthVerdict::kRejected);
    EXPECT_EQ(limits.lockout_left_ms(k, now), want);
    now += want;  // the first moment it is allowed again
  }
  EXPECT_EQ(limits.lockouts(), 5u);
  // Quiet for the longest lockout (8 s) after the last one: back to 1 s.
  now += 8000;
  EXPECT(limits.auth_attempt(k, false, now) == AuthVerdict::kRejected);
  EXPECT_EQ(limits.lockout_left_ms(k, now), 1000u);
}

TEST(addr_limits_failures_outside_the_window_do_not_add_up) {
  AddrLimits limits(config(0, 2));
  AddrKey k = v4("10.0.0.3");
  EXPECT(limits.auth_attempt(k, false, 0 + 5) == AuthVerdict::kRejected);
  EXPECT(limits.auth_attempt(k, false, 60005) == AuthVerdict::kRejected);  // a new window
  EXPECT_EQ(limits.lockouts(), 0u);
  EXPECT(limits.auth_attempt(k, false, 60006) == AuthVerdict::kRejected);
  EXPECT_EQ(limits.lockouts(), 1u);
}

TEST(addr_limits_disabled_auth_limit_only_reports_the_token) {
  AddrLimits limits(config(0, 0));
  AddrKey k = v4("10.0.0.4");
  for (int i = 0; i < 50; i++) EXPECT(limits.auth_attempt(k, false, i) == AuthVerdict::kRejected);
  EXPECT(limits.auth_attempt(k, true, 99) == AuthVerdict::kAccepted);
  EXPECT_EQ(limits.tracked_addresses(), 0u);
}

TEST(addr_limits_table_stays_bounded_under_an_address_spray) {
  AddrLimits limits(config(4, 3, 8));
  AddrTicket held[3];
  for (int i = 0; i < 3; i++) EXPECT(limits.admit(v4("10.9.9.9"), 1, &held[i]));
  AddrKey locked = v4("10.8.8.8");
  for (int i = 0; i < 3; i++) limits.auth_attempt(locked, false, 2);
  EXPECT(limits.lockout_left_ms(locked, 2) > 0);
  // 1,000 other addresses fail once each: the table never exceeds 8 and
  // the address holding connections is never forgotten.
  char text[32];
  for (int i = 0; i < 1000; i++) {
    snprintf(text, sizeof text, "10.1.%d.%d", i / 256, i % 256);
    limits.auth_attempt(v4(text), false, 10 + i);
    EXPECT(limits.tracked_addresses() <= 8u);
  }
  AddrTicket fourth, fifth;
  EXPECT(limits.admit(v4("10.9.9.9"), 2000, &fourth));
  EXPECT(!limits.admit(v4("10.9.9.9"), 2000, &fifth));
  // The locked address was the least recently used: forgotten (the cost of a bound).
  EXPECT_EQ(limits.lockout_left_ms(locked, 500), 0u);
}

TEST(addr_limits_full_table_of_connection_holders_refuses_new_addresses) {
  AddrLimits limits(config(1, 3, 2));
  AddrTicket a, b, c;
  EXPECT(limits.admit(v4("10.0.0.1"), 1, &a));
  EXPECT(limits.admit(v4("10.0.0.2"), 1, &b));
  EXPECT(!limits.admit(v4("10.0.0.3"), 1, &c));
  EXPECT_EQ(limits.refused_connections(), 1u);
  // Failures from an untracked address are still rejected, just not counted.
  EXPECT(limits.auth_attempt(v4("10.0.0.3"), false, 1) == AuthVerdict::kRejected);
  limits.release(&a);
  EXPECT(limits.admit(v4("10.0.0.3"), 2, &c));
}
