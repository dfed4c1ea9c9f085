// Certificates for the TLS layer (net/tls.h): the self-signed certificate statd
// generates on first start, the files it lives in, SHA-256 fingerprints and
// `--pin sha256:...` parsing, and the one random generator of the process.
//
// Compiled only with TLS=1 (STATD_TLS); the declarations need no mbedTLS header.
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <string>
#include <string_view>
#include <vector>

/// What goes into a generated certificate.
struct TlsCertRequest {
  std::string hostname;                 ///< CN and first DNS SAN
  std::vector<std::string> extra_sans;  ///< IP if it parses as one, else DNS
  time_t now_s = 0;                     ///< validity is now-5min .. now+397days
};

/// Generates an ECDSA P-256 key and a self-signed X.509 v3 certificate
/// (SHA-256, not a CA, SANs: DNS hostname, DNS localhost, IP 127.0.0.1,
/// IP ::1, then the extra entries). The key is PKCS#8 PEM.
bool tls_generate_self_signed(const TlsCertRequest& request, std::string* cert_pem,
                              std::string* key_pem, std::string* err);

/// Makes sure `dir`/cert.pem and `dir`/key.pem exist: both present means
/// they are used as they are (never rotated, even expired); otherwise both
/// are generated and written atomically (directory created 0700, key 0600).
/// *generated tells which happened.
bool tls_ensure_self_signed(const std::string& dir, const TlsCertRequest& request,
                            bool* generated, std::string* err);

/// The host name for CN and SAN (gethostname, "localhost" when unset).
std::string tls_local_hostname();

/// SHA-256 of `data` (32 bytes).
std::string tls_sha256(std::string_view data);

/// "AB:CD:..." (upper-case hex with colons), as `openssl x509 -fingerprint
/// -sha256` prints it.
std::string tls_fingerprint_text(std::string_view digest);

/// "abcd..." (lower-case hex, no colons): the form `--pin sha256:` shows.
std::string tls_hex_lower(std::string_view digest);

/// Parses "sha256:HEX" (64 hex digits, upper or lower case, colons between
/// bytes allowed) into the 32-byte digest.
bool tls_parse_pin(std::string_view text, std::string* digest, std::string* err);

/// DER to PEM ("-----BEGIN <label>-----", base64 in 64-column lines).
bool tls_der_to_pem(const char* label, std::string_view der, std::string* pem, std::string* err);

/// The whole file; false with a message naming `path`.
bool tls_read_file(const std::string& path, std::string* out, std::string* err);

/// Writes through a temporary file in the same directory and rename(2), so a
/// reader sees the old file or the new one, never a torn one.
bool tls_write_file_atomic(const std::string& path, std::string_view data, int mode,
                           std::string* err);

/// A short text for an mbedTLS error code (the common handshake failures in
/// words; others as "TLS error -0xNNNN", with mbedTLS's text when it has one).
std::string tls_error_text(int mbedtls_code);

/// Overwrites a string that held key material before it is freed.
void tls_wipe(std::string* secret);

/// mbedTLS's f_rng: a CTR-DRBG seeded once from getrandom(2) on first use,
/// shared by every TLS context of the process (one thread). Returns 0 or an
/// mbedTLS error.
int tls_random(void* unused, unsigned char* out, size_t size);

/// True once the generator is seeded (seeds it now if needed).
bool tls_random_ready(std::string* err);
