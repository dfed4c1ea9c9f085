// Built only with TLS=1: without it this file is empty, so the Makefile's
// src/*/*.cc glob (and meson's) can always compile it.
#if STATD_TLS
#include "net/tls.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <algorithm>

#include "mbedtls/platform_util.h"
#include "mbedtls/ssl.h"
#include "mbedtls/ssl_ciphersuites.h"
#include "mbedtls/x509_crt.h"
#include "net/tls_cert.h"

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#error "net/tls*.cc is written for mbedTLS 2.28 (Debian 12); 3.x changed the API it uses"
#endif

namespace {

// ECDHE with an AEAD only: what rustls (socktop) offers, nothing with CBC or
// static RSA. ECDSA first: statd's own certificate is P-256.
const int kCipherSuites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    0};

const mbedtls_ecp_group_id kCurves[] = {
#if defined(MBEDTLS_ECP_DP_CURVE25519_ENABLED)
    MBEDTLS_ECP_DP_CURVE25519,
#endif
    MBEDTLS_ECP_DP_SECP256R1,
#if defined(MBEDTLS_ECP_DP_SECP384R1_ENABLED)
    MBEDTLS_ECP_DP_SECP384R1,
#endif
    MBEDTLS_ECP_DP_NONE};

// No SHA-1 signatures.
const int kSignatureHashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512,
                                MBEDTLS_MD_NONE};

constexpr size_t kMaxRecordPlaintext = 16384;
constexpr size_t kMaxEarlyPlaintext = 16384;
constexpr int kSocketError = -0x004C;  // the value of MBEDTLS_ERR_NET_RECV_FAILED

bool parse_certificates(const std::string& path, mbedtls_x509_crt* chain, std::string* err) {
  std::string text;
  if (!tls_read_file(path, &text, err)) return false;
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    *err = path + ": no certificate in the file";
    return false;
  }
  // PEM must be NUL-terminated and its length must count the NUL.
  int rc = mbedtls_x509_crt_parse(chain, reinterpret_cast<const unsigned char*>(text.c_str()),
                                  text.size() + 1);
  if (rc != 0) {
    *err = rc > 0 ? path + ": " + std::to_string(rc) + " certificate(s) could not be parsed"
                  : path + ": " + tls_error_text(rc);
    return false;
  }
  if (chain->raw.len == 0) {
    *err = path + ": no certificate in the file";
    return false;
  }
  return true;
}

void apply_common_config(mbedtls_ssl_config* conf) {
  mbedtls_ssl_conf_rng(conf, tls_random, nullptr);
  mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_ciphersuites(conf, kCipherSuites);
  mbedtls_ssl_conf_curves(conf, kCurves);
  mbedtls_ssl_conf_sig_hashes(conf, kSignatureHashes);
#if defined(MBEDTLS_SSL_RENEGOTIATION)
  mbedtls_ssl_conf_renegotiation(conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
  mbedtls_ssl_conf_session_tickets(conf, MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
}

std::string_view cert_der(const mbedtls_x509_crt* crt) {
  return std::string_view(reinterpret_cast<const char*>(crt->raw.p), crt->raw.len);
}

// "::1" and "[::1]" and "10.0.0.1" give the address bytes; DNS names do not.
bool ip_literal(std::string_view name, std::string* bytes) {
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  if (name.find('\0') != std::string_view::npos) return false;  // inet_pton would stop there
  std::string text(name);
  unsigned char addr[16];
  if (inet_pton(AF_INET, text.c_str(), addr) == 1) {
    bytes->assign(reinterpret_cast<char*>(addr), 4);
    return true;
  }
  if (inet_pton(AF_INET6, text.c_str(), addr) == 1) {
    bytes->assign(reinterpret_cast<char*>(addr), 16);
    return true;
  }
  return false;
}

bool has_ip_san(const mbedtls_x509_crt* crt, std::string_view ip) {
  const uint8_t kIpAddressTag = MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7;
  for (const mbedtls_x509_sequence* san = &crt->subject_alt_names; san; san = san->next) {
    if (san->buf.p && san->buf.tag == kIpAddressTag &&
        std::string_view(reinterpret_cast<const char*>(san->buf.p), san->buf.len) == ip)
      return true;
  }
  return false;
}

std::string describe_flags(uint32_t flags) {
  std::string out;
  auto add = [&](uint32_t bit, const char* text) {
    if (!(flags & bit)) return;
    if (!out.empty()) out += ", ";
    out += text;
  };
  add(MBEDTLS_X509_BADCERT_NOT_TRUSTED, "not signed by a CA in the CA file");
  add(MBEDTLS_X509_BADCERT_CN_MISMATCH, "does not name the host");
  add(MBEDTLS_X509_BADCERT_EXPIRED, "expired");
  add(MBEDTLS_X509_BADCERT_FUTURE, "not valid yet");
  add(MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY,
      "weak signature or key");
  add(MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE,
      "not meant for a TLS server");
  if (out.empty()) out = "rejected";
  return out;
}

}  // namespace

// ---------------------------------------------------------------- server

struct TlsServerState {
  mbedtls_ssl_config conf;
  mbedtls_x509_crt chain;
  mbedtls_pk_context key;
  bool ready = false;
  bool generated = false;
  std::string cert_path;
  std::string leaf_digest;
  uint64_t handshake_failures = 0;
  uint64_t handshakes_completed = 0;

  TlsServerState() {
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&chain);
    mbedtls_pk_init(&key);
  }
  ~TlsServerState() {
    mbedtls_ssl_config_free(&conf);
    mbedtls_x509_crt_free(&chain);
    mbedtls_pk_free(&key);
  }
};

TlsServerContext::TlsServerContext() : state_(new TlsServerState) {}
TlsServerContext::~TlsServerContext() = default;

bool TlsServerContext::init(const TlsServerOptions& options, std::string* err) {
  state_.reset(new TlsServerState);
  TlsServerState& s = *state_;
  if (!tls_random_ready(err)) return false;
  std::string cert_path = options.cert_file, key_path = options.key_file;
  if (cert_path.empty() != key_path.empty()) {
    *err = "--cert and --key go together";
    return false;
  }
  if (cert_path.empty()) {
    if (options.state_dir.empty()) {
      *err = "no certificate: give --cert and --key, or a state directory to generate one in";
      return false;
    }
    TlsCertRequest request;
    request.hostname = options.hostname.empty() ? tls_local_hostname() : options.hostname;
    request.extra_sans = options.extra_sans;
    if (!tls_ensure_self_signed(options.state_dir, request, &s.generated, err)) return false;
    cert_path = options.state_dir + "/cert.pem";
    key_path = options.state_dir + "/key.pem";
  }
  if (!parse_certificates(cert_path, &s.chain, err)) return false;
  std::string key_text;
  if (!tls_read_file(key_path, &key_text, err)) return false;
  int rc = mbedtls_pk_parse_key(&s.key, reinterpret_cast<const unsigned char*>(key_text.c_str()),
                                key_text.size() + 1, nullptr, 0);
  tls_wipe(&key_text);
  if (rc != 0) {
    *err = key_path + ": " + tls_error_text(rc);
    return false;
  }
  if (mbedtls_pk_check_pair(&s.chain.pk, &s.key) != 0) {
    *err = key_path + " is not the key of " + cert_path;
    return false;
  }
  rc = mbedtls_ssl_config_defaults(&s.conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
                                   MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc == 0) {
    apply_common_config(&s.conf);
    mbedtls_ssl_conf_authmode(&s.conf, MBEDTLS_SSL_VERIFY_NONE);  // no client certificates
    rc = mbedtls_ssl_conf_own_cert(&s.conf, &s.chain, &s.key);
  }
  if (rc != 0) {
    *err = "TLS configuration: " + tls_error_text(rc);
    return false;
  }
  s.cert_path = cert_path;
  s.leaf_digest = tls_sha256(cert_der(&s.chain));
  s.ready = true;
  return true;
}

bool TlsServerContext::generated() const { return state_->generated; }
std::string TlsServerContext::cert_path() const { return state_->cert_path; }
std::string TlsServerContext::fingerprint_sha256() const {
  return tls_fingerprint_text(state_->leaf_digest);
}
std::string TlsServerContext::pin_option() const {
  return "--pin sha256:" + tls_hex_lower(state_->leaf_digest);
}
uint64_t TlsServerContext::handshake_failures() const { return state_->handshake_failures; }
uint64_t TlsServerContext::handshakes_completed() const { return state_->handshakes_completed; }

std::string TlsServerContext::cert_pem() const {
  std::string pem, err;
  if (state_->ready) tls_der_to_pem("CERTIFICATE", cert_der(&state_->chain), &pem, &err);
  return pem;
}

// ---------------------------------------------------------------- client

enum class TrustMode { kNone, kPins, kCaFile };

struct TlsClientState {
  mbedtls_ssl_config conf;
  mbedtls_x509_crt pinned;  // kPins: certificates compared by DER
  mbedtls_x509_crt cas;     // kCaFile: trust anchors
  std::vector<std::string> pinned_digests;
  TrustMode mode = TrustMode::kNone;
  bool ready = false;

  TlsClientState() {
    mbedtls_ssl_config_init(&conf);
    mbedtls_x509_crt_init(&pinned);
    mbedtls_x509_crt_init(&cas);
  }
  ~TlsClientState() {
    mbedtls_ssl_config_free(&conf);
    mbedtls_x509_crt_free(&pinned);
    mbedtls_x509_crt_free(&cas);
  }
};

TlsClientContext::TlsClientContext() : state_(new TlsClientState) {}
TlsClientContext::~TlsClientContext() = default;

bool TlsClientContext::init(const TlsClientOptions& options, std::string* err) {
  state_.reset(new TlsClientState);
  TlsClientState& s = *state_;
  if (!tls_random_ready(err)) return false;
  bool pins = !options.pin_cert_file.empty() || !options.pin_sha256.empty();
  if (pins && !options.ca_file.empty()) {
    *err = "a CA file (host name verification) cannot be combined with pinned certificates";
    return false;
  }
  if (!options.pin_cert_file.empty() && !parse_certificates(options.pin_cert_file, &s.pinned, err))
    return false;
  for (const std::string& pin : options.pin_sha256) {
    std::string digest;
    if (!tls_parse_pin(pin, &digest, err)) return false;
    s.pinned_digests.push_back(digest);
  }
  if (!options.ca_file.empty() && !parse_certificates(options.ca_file, &s.cas, err)) return false;
  s.mode = pins ? TrustMode::kPins : !options.ca_file.empty() ? TrustMode::kCaFile : TrustMode::kNone;

  int rc = mbedtls_ssl_config_defaults(&s.conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                       MBEDTLS_SSL_PRESET_DEFAULT);
  if (rc != 0) {
    *err = "TLS configuration: " + tls_error_text(rc);
    return false;
  }
  apply_common_config(&s.conf);
  if (s.mode == TrustMode::kCaFile) {
    mbedtls_ssl_conf_authmode(&s.conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&s.conf, &s.cas, nullptr);
  } else {
    // Pins replace chain validation: the per-connection verify callback
    // accepts or rejects the leaf (a non-zero return aborts the handshake).
    mbedtls_ssl_conf_authmode(&s.conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
  }
  s.ready = true;
  return true;
}

// ---------------------------------------------------------------- session

struct TlsSession {
  mbedtls_ssl_context ssl;
  bool setup_ok = false;
  int fd = -1;
  int socket_errno = 0;
  bool handshake_done = false;
  bool failed = false;
  bool eof = false;
  uint64_t bytes_received = 0;
  size_t write_pending = 0;  // length of the record mbedTLS encrypted but could not send
  std::string early;         // plaintext written before the handshake finished
  std::string error;
  TlsServerState* server = nullptr;
  // client side
  const TlsClientState* client = nullptr;
  std::string server_ip;  // address bytes when the server name is an IP literal
  std::string verify_error;
  bool leaf_accepted = false;

  TlsSession() { mbedtls_ssl_init(&ssl); }
  ~TlsSession() {
    // Conn closes on POLLERR/POLLHUP or a deadline without asking us: a peer
    // that aborts (its alert and a reset arrive together) or stalls mid-way
    // still counts as a failed handshake.
    if (server && setup_ok && !handshake_done && !failed && bytes_received > 0)
      server->handshake_failures++;
    mbedtls_ssl_free(&ssl);
    tls_wipe(&early);
  }
};

namespace {

int bio_send(void* ctx, const unsigned char* buf, size_t len) {
  TlsSession* s = static_cast<TlsSession*>(ctx);
  for (;;) {
    ssize_t n = ::send(s->fd, buf, len, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<int>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return MBEDTLS_ERR_SSL_WANT_WRITE;
    s->socket_errno = errno;
    return kSocketError;
  }
}

int bio_recv(void* ctx, unsigned char* buf, size_t len) {
  TlsSession* s = static_cast<TlsSession*>(ctx);
  for (;;) {
    ssize_t n = ::recv(s->fd, buf, len, 0);
    if (n >= 0) {
      s->bytes_received += static_cast<uint64_t>(n);
      return static_cast<int>(n);  // 0: end of stream
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return MBEDTLS_ERR_SSL_WANT_READ;
    s->socket_errno = errno;
    return kSocketError;
  }
}

// Called by mbedTLS for each certificate of the server's chain, the leaf
// (depth 0) last. Pins judge the leaf alone; the CA mode keeps mbedTLS's
// verdict and adds the IP SAN check mbedTLS 2.28 lacks.
int verify_server(void* ctx, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
  TlsSession* s = static_cast<TlsSession*>(ctx);
  TrustMode mode = s->client->mode;
  if (depth > 0) {
    if (mode != TrustMode::kCaFile) *flags = 0;  // pins judge the leaf alone
    else if (*flags != 0) s->verify_error = "a CA certificate of the chain is " + describe_flags(*flags);
    return 0;
  }
  std::string digest = tls_sha256(cert_der(crt));
  std::string presented = "the server's certificate has SHA-256 fingerprint " +
                          tls_fingerprint_text(digest);
  if (mode == TrustMode::kCaFile) {
    if (!s->server_ip.empty() && !has_ip_san(crt, s->server_ip))
      *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    if (*flags != 0) s->verify_error = "certificate " + describe_flags(*flags) + "; " + presented;
    else s->leaf_accepted = true;
    return 0;
  }
  if (mode == TrustMode::kPins) {
    for (const mbedtls_x509_crt* pin = &s->client->pinned; pin && pin->raw.len; pin = pin->next) {
      if (cert_der(pin) == cert_der(crt)) s->leaf_accepted = true;
    }
    for (const std::string& pin : s->client->pinned_digests) {
      if (pin == digest) s->leaf_accepted = true;
    }
    if (s->leaf_accepted) {
      *flags = 0;  // expiry and host name do not matter to a pin
      return 0;
    }
    s->verify_error = "certificate matches none of the pinned ones; " + presented;
    return MBEDTLS_ERR_X509_CERT_VERIFY_FAILED;
  }
  s->verify_error = "server certificate not trusted: no --pin or CA file given; " + presented +
                    "; if `statd --print-cert` on the server shows the same, connect with "
                    "--pin sha256:" + tls_hex_lower(digest);
  return MBEDTLS_ERR_X509_CERT_VERIFY_FAILED;
}

void fail_session(TlsSession* s, int code) {
  s->failed = true;
  if (!s->verify_error.empty()) {
    s->error = s->verify_error;
  } else if (code == kSocketError) {
    s->error = std::string("socket error: ") + strerror(s->socket_errno);
  } else {
    s->error = tls_error_text(code);
  }
  // A connection closed before its first byte is a port probe, not a failed handshake.
  bool probe = code == MBEDTLS_ERR_SSL_CONN_EOF && s->bytes_received == 0;
  if (s->server && !s->handshake_done && !probe) s->server->handshake_failures++;
}

// Runs the handshake as far as the socket allows: 1 done, 0 not yet, -1 failed.
int advance_handshake(TlsSession* s) {
  if (s->handshake_done) return 1;
  int rc = mbedtls_ssl_handshake(&s->ssl);
  if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
  if (rc == 0 && s->client && !s->leaf_accepted) {
    // Never reached (the callback aborts first); a guard against a config mistake.
    s->verify_error = s->verify_error.empty() ? "server certificate was not checked" : s->verify_error;
    rc = MBEDTLS_ERR_X509_CERT_VERIFY_FAILED;
  }
  if (rc != 0) {
    fail_session(s, rc);
    return -1;
  }
  s->handshake_done = true;
  if (s->server) s->server->handshakes_completed++;
  return 1;
}

// Encrypts and sends up to one record from `data`: bytes taken, 0 would block
// (call again with the same bytes), -1 failed.
long write_record(TlsSession* s, const char* data, size_t size) {
  const unsigned char* bytes = reinterpret_cast<const unsigned char*>(data);
  if (s->write_pending == 0 && s->ssl.out_left != 0) {
    // Output mbedTLS queued on its own (an alert): a zero-length write only
    // flushes it, so our bytes are not mistaken for the pending record.
    int rc = mbedtls_ssl_write(&s->ssl, bytes, 0);
    if (rc == MBEDTLS_ERR_SSL_WANT_WRITE) return 0;
    if (rc < 0) {
      fail_session(s, rc);
      return -1;
    }
  }
  if (size == 0 && s->write_pending == 0) return 0;  // no empty records
  // After WANT_WRITE mbedTLS must be called again with the same length: it
  // then flushes the record it already encrypted and reports that length.
  size_t n = s->write_pending ? s->write_pending : std::min(size, kMaxRecordPlaintext);
  if (n > size) {
    s->error = "TLS write retried with fewer bytes than before";
    s->failed = true;
    return -1;
  }
  int rc = mbedtls_ssl_write(&s->ssl, bytes, n);
  if (rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
    s->write_pending = n;
    return 0;
  }
  s->write_pending = 0;
  if (rc == MBEDTLS_ERR_SSL_WANT_READ) return 0;
  if (rc < 0) {
    fail_session(s, rc);
    return -1;
  }
  return rc;
}

// Sends what was written before the handshake finished. False on failure;
// s->early stays non-empty while the socket is full.
bool flush_early(TlsSession* s) {
  while (!s->early.empty()) {
    long n = write_record(s, s->early.data(), s->early.size());
    if (n < 0) return false;
    if (n == 0) return true;
    s->early.erase(0, static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

TlsTransport::TlsTransport(std::unique_ptr<TlsSession> session) : session_(std::move(session)) {}

TlsTransport::~TlsTransport() = default;

bool TlsTransport::handshake_done() const { return session_->handshake_done; }
const std::string& TlsTransport::error() const { return session_->error; }

bool TlsTransport::transport_wants_write() const {
  const TlsSession& s = *session_;
  if (s.failed) return false;
  return s.ssl.out_left != 0 || (s.handshake_done && !s.early.empty());
}

bool TlsTransport::transport_buffered_input() const {
  return !session_->failed && mbedtls_ssl_get_bytes_avail(&session_->ssl) > 0;
}

long TlsTransport::transport_read(int fd, char* buf, size_t size) {
  TlsSession* s = session_.get();
  s->fd = fd;
  if (s->failed || !s->setup_ok) return -1;
  if (s->eof) return -2;
  int hs = advance_handshake(s);
  if (hs <= 0) return hs;
  if (!flush_early(s)) return -1;
  // Stop at the end of a record: the next one stays in the socket, where
  // poll() sees it, instead of half in our buffer where it would not.
  size_t got = 0;
  while (got < size) {
    int rc = mbedtls_ssl_read(&s->ssl, reinterpret_cast<unsigned char*>(buf + got), size - got);
    if (rc > 0) {
      got += static_cast<size_t>(rc);
      if (mbedtls_ssl_get_bytes_avail(&s->ssl) == 0) break;
      continue;
    }
    if (rc == MBEDTLS_ERR_SSL_WANT_READ || rc == MBEDTLS_ERR_SSL_WANT_WRITE) break;
    if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY || rc == MBEDTLS_ERR_SSL_CONN_EOF) {
      s->eof = true;
      return got > 0 ? static_cast<long>(got) : -2;
    }
    fail_session(s, rc);
    return got > 0 ? static_cast<long>(got) : -1;
  }
  return static_cast<long>(got);
}

long TlsTransport::transport_write(int fd, const char* buf, size_t size) {
  TlsSession* s = session_.get();
  s->fd = fd;
  if (s->failed || !s->setup_ok) return -1;
  int hs = advance_handshake(s);
  if (hs < 0) return -1;
  if (hs == 0) {
    // Kept until the handshake is done; Conn then needs no POLLOUT meanwhile.
    size_t n = std::min(size, kMaxEarlyPlaintext - s->early.size());
    s->early.append(buf, n);
    return static_cast<long>(n);
  }
  if (!flush_early(s)) return -1;
  if (!s->early.empty()) return 0;
  return write_record(s, buf, size);
}

TlsServerTransport::TlsServerTransport(TlsServerContext* context)
    : TlsTransport(std::unique_ptr<TlsSession>(new TlsSession)) {
  TlsSession* s = session_.get();
  s->server = context->state_.get();
  if (!s->server->ready) {
    s->error = "TLS server context not initialised";
    return;
  }
  int rc = mbedtls_ssl_setup(&s->ssl, &s->server->conf);
  mbedtls_ssl_set_bio(&s->ssl, s, bio_send, bio_recv, nullptr);
  if (rc != 0) s->error = tls_error_text(rc);
  s->setup_ok = rc == 0;
}

TlsClientTransport::TlsClientTransport(TlsClientContext* context, std::string_view server_name)
    : TlsTransport(std::unique_ptr<TlsSession>(new TlsSession)) {
  TlsSession* s = session_.get();
  s->client = context->state_.get();
  if (!s->client->ready) {
    s->error = "TLS client context not initialised";
    return;
  }
  int rc = mbedtls_ssl_setup(&s->ssl, &s->client->conf);
  mbedtls_ssl_set_bio(&s->ssl, s, bio_send, bio_recv, nullptr);
  if (server_name.empty() || server_name.find('\0') != std::string_view::npos) {
    s->error = "bad server name";
    return;
  }
  // SNI carries DNS names only (RFC 6066); mbedTLS also checks this name
  // against the certificate in the CA mode, so an IP is checked by us.
  if (rc == 0 && !ip_literal(server_name, &s->server_ip))
    rc = mbedtls_ssl_set_hostname(&s->ssl, std::string(server_name).c_str());
  if (rc == 0) mbedtls_ssl_set_verify(&s->ssl, verify_server, s);
  if (rc != 0) s->error = tls_error_text(rc);
  s->setup_ok = rc == 0;
}

bool tls_print_cert(const TlsServerOptions& options, FILE* out, std::string* err) {
  TlsServerContext context;
  if (!context.init(options, err)) return false;
  fprintf(out, "certificate: %s%s\nsha256 fingerprint: %s\nstatc option: %s\n%s",
          context.cert_path().c_str(), context.generated() ? " (generated now)" : "",
          context.fingerprint_sha256().c_str(), context.pin_option().c_str(),
          context.cert_pem().c_str());
  return true;
}

#endif  // STATD_TLS
