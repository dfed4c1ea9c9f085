// TLS for statd (server) and statc (client) on mbedTLS 2.28, as a ConnTransport
// under net/conn.h, so Conn and the protocols above it never see TLS.
//
// Built only with TLS=1 (`make TLS=1` defines STATD_TLS=1 and links mbedTLS);
// without it tls.cc compiles to nothing and these declarations are unused.
// This header includes no mbedTLS header.
//
// Protocol: TLS 1.2 only (Debian 12's mbedTLS 2.28 has TLS 1.3 only as an
// experimental option, off in its build); TLS 1.0/1.1 refused; ECDHE with
// AES-GCM or ChaCha20-Poly1305 only; no renegotiation, no session tickets.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "net/conn.h"

/// Where statd's certificate comes from.
struct TlsServerOptions {
  std::string cert_file;  ///< --cert: PEM (or DER), the leaf first; a chain may follow
  std::string key_file;   ///< --key: its private key (PEM or DER: PKCS#8, SEC1, PKCS#1)
  /// Without --cert/--key: cert.pem and key.pem are generated here on first
  /// start (directory 0700, key 0600) and reused as they are afterwards.
  std::string state_dir;
  std::string hostname;                 ///< CN/SAN of a generated cert; "" = gethostname()
  std::vector<std::string> extra_sans;  ///< more SANs of a generated cert
};

struct TlsServerState;

/// The server side's configuration: certificate, key and TLS settings. One per
/// process; it must outlive every TlsServerTransport made from it.
class TlsServerContext {
 public:
  TlsServerContext();
  ~TlsServerContext();
  TlsServerContext(const TlsServerContext&) = delete;
  TlsServerContext& operator=(const TlsServerContext&) = delete;

  /// Loads (or first generates) the certificate and key. The key's PEM text
  /// is wiped from memory once parsed.
  bool init(const TlsServerOptions& options, std::string* err);

  /// True when init() generated a new certificate (worth a log line).
  bool generated() const;
  std::string cert_path() const;
  /// The leaf certificate as PEM.
  std::string cert_pem() const;
  /// SHA-256 of the leaf's DER, "AB:CD:...", as `openssl x509 -fingerprint -sha256`.
  std::string fingerprint_sha256() const;
  /// What statc needs to pin this certificate: "--pin sha256:<64 hex>".
  std::string pin_option() const;

  /// Handshakes that failed (bad client, wrong protocol version, no common
  /// cipher, rejected certificate); a connection closed before sending a byte
  /// does not count. For the agent's metrics.
  uint64_t handshake_failures() const;
  uint64_t handshakes_completed() const;

 private:
  friend class TlsServerTransport;
  std::unique_ptr<TlsServerState> state_;
};

/// How statc decides to trust a server. At least one way must be given, or
/// every connection fails with a message that shows the server's fingerprint
/// and the `--pin sha256:...` that would accept it.
struct TlsClientOptions {
  /// Accept a leaf certificate byte-identical (DER) to one in this PEM file
  /// (several allowed, for rotation). Expiry and host name are not checked;
  /// the handshake signature still is. An empty file is an error.
  std::string pin_cert_file;
  /// Accept a leaf whose SHA-256 is one of these ("sha256:HEX", colons allowed).
  std::vector<std::string> pin_sha256;
  /// Ordinary verification: a chain to a CA in this PEM file, valid now, and
  /// naming the host (DNS or IP SAN). Cannot be combined with the pins.
  std::string ca_file;
};

struct TlsClientState;

/// statc's TLS configuration, shared by all its connections; must outlive them.
class TlsClientContext {
 public:
  TlsClientContext();
  ~TlsClientContext();
  TlsClientContext(const TlsClientContext&) = delete;
  TlsClientContext& operator=(const TlsClientContext&) = delete;

  bool init(const TlsClientOptions& options, std::string* err);

 private:
  friend class TlsClientTransport;
  std::unique_ptr<TlsClientState> state_;
};

struct TlsSession;

/// One TLS connection under a Conn: non-blocking, the handshake runs inside
/// transport_read/transport_write (0 = "would block", never blocks).
///
/// How Conn must drive it:
/// - transport_read is called when poll() reports POLLIN. It handles one TLS
///   record per call (mbedTLS reads exactly one record from the socket; the
///   next stays in the kernel, so poll() reports it). It returns 0 during the
///   handshake and for records without application data.
/// - transport_write accepts at most one record (16 KiB) per call. 0 means
///   "call again with the same bytes" (mbedTLS holds the encrypted record); Conn
///   does that by queueing them, which also makes it wait for POLLOUT.
/// - Before the handshake is done, transport_write keeps up to 16 KiB of
///   plaintext and sends it when the handshake completes (statc writes its
///   request right after connect()).
/// Two cases poll() cannot announce; see transport_wants_write() and
/// transport_buffered_input() (the hooks proposed for ConnTransport).
class TlsTransport : public ConnTransport {
 public:
  ~TlsTransport() override;

  long transport_read(int fd, char* buf, size_t size) override;
  long transport_write(int fd, const char* buf, size_t size) override;

  bool handshake_done() const;
  /// Why the connection failed ("" while nothing did); for logs and statc's status.
  const std::string& error() const;
  /// mbedTLS holds output the socket did not take (a handshake flight, or
  /// early plaintext not sent yet): the fd needs POLLOUT even with nothing
  /// queued in Conn; then call transport_read (it also flushes).
  bool transport_wants_write() const override;
  /// Decrypted bytes are waiting inside mbedTLS (a record larger than the last
  /// read's room): call transport_read again without waiting for POLLIN.
  bool transport_buffered_input() const override;
  bool transport_established() const override { return handshake_done(); }

 protected:
  explicit TlsTransport(std::unique_ptr<TlsSession> session);
  std::unique_ptr<TlsSession> session_;
};

/// A connection accepted by statd.
class TlsServerTransport final : public TlsTransport {
 public:
  explicit TlsServerTransport(TlsServerContext* context);
};

/// statc's connection to `server_name` (SNI when it is a DNS name; the name
/// checked with TlsClientOptions::ca_file; "[::1]" brackets are accepted).
class TlsClientTransport final : public TlsTransport {
 public:
  TlsClientTransport(TlsClientContext* context, std::string_view server_name);
};

/// statd --print-cert: loads (or first generates) the certificate as statd
/// would and prints its path, SHA-256 fingerprint, the statc option that pins
/// it, and the PEM.
bool tls_print_cert(const TlsServerOptions& options, FILE* out, std::string* err);
