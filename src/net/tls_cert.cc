// Built only with TLS=1: without it this file is empty, so the Makefile's
// src/*/*.cc glob (and meson's) can always compile it.
#if STATD_TLS
#include "net/tls_cert.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/reader.h"
#include "codec/der.h"
#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecp.h"
#include "mbedtls/oid.h"
#include "mbedtls/pem.h"
#include "mbedtls/pk.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/sha256.h"
#include "mbedtls/ssl.h"
#include "mbedtls/x509_crt.h"
#if defined(MBEDTLS_ERROR_C)
#include "mbedtls/error.h"
#endif

#if MBEDTLS_VERSION_NUMBER >= 0x03000000
#error "net/tls*.cc is written for mbedTLS 2.28 (Debian 12); 3.x changed the API it uses"
#endif

namespace {

constexpr uint32_t kBackdateSeconds = 5 * 60;         // clocks of small hosts drift
constexpr uint32_t kValiditySeconds = 397 * 86400;    // the CA/Browser Forum maximum
constexpr size_t kMaxPemFileBytes = 1024 * 1024;

mbedtls_ctr_drbg_context g_drbg;
bool g_drbg_seeded = false;

// The kernel's generator; /dev/urandom when getrandom(2) is missing (old
// kernels, seccomp filters).
int os_entropy(void*, unsigned char* out, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = getrandom(out + done, size - done, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
      if (fd < 0) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
      n = read(fd, out + done, size - done);
      close(fd);
      if (n <= 0) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
    }
    done += static_cast<size_t>(n);
  }
  return 0;
}

bool is_dns_name(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '.' || c == '_' || c == '*';
    if (!ok) return false;
  }
  return true;
}

// The 4 or 16 address bytes when `text` is an IP address literal.
bool parse_ip(const std::string& text, std::string* bytes) {
  if (text.find('\0') != std::string::npos) return false;  // inet_pton would stop there
  unsigned char addr[16];
  if (inet_pton(AF_INET, text.c_str(), addr) == 1) {
    bytes->assign(reinterpret_cast<char*>(addr), 4);
    return true;
  }
  std::string bare = text;
  if (bare.size() > 2 && bare.front() == '[' && bare.back() == ']') bare = bare.substr(1, bare.size() - 2);
  if (inet_pton(AF_INET6, bare.c_str(), addr) == 1) {
    bytes->assign(reinterpret_cast<char*>(addr), 16);
    return true;
  }
  return false;
}

// SubjectAltName value: SEQUENCE OF GeneralName, dNSName [2] and
// iPAddress [7] (mbedTLS 2.28 has no writer for it).
bool build_san(const TlsCertRequest& request, std::string* der, std::string* err) {
  std::string names;
  std::vector<std::string> seen;
  auto add = [&](uint8_t tag, std::string_view value) {
    std::string entry;
    der_append(&entry, tag, value);
    for (const std::string& s : seen)
      if (s == entry) return;
    seen.push_back(entry);
    names += entry;
  };
  const uint8_t kDns = 0x82, kIp = 0x87;
  add(kDns, request.hostname);
  add(kDns, "localhost");
  add(kIp, std::string_view("\x7f\x00\x00\x01", 4));
  add(kIp, std::string_view("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16));
  for (const std::string& extra : request.extra_sans) {
    std::string ip;
    if (parse_ip(extra, &ip)) {
      add(kIp, ip);
    } else if (is_dns_name(extra)) {
      add(kDns, extra);
    } else {
      *err = "extra SAN '" + extra + "' is neither an IP address nor a host name";
      return false;
    }
  }
  der->clear();
  der_append(der, 0x30, names);
  return true;
}

std::string utc_stamp(time_t t) {
  struct tm tm;
  gmtime_r(&t, &tm);
  char text[32];
  strftime(text, sizeof text, "%Y%m%d%H%M%S", &tm);
  return text;
}

std::string mbedtls_message(const char* what, int code) {
  return std::string(what) + " failed: " + tls_error_text(code);
}

// AlgorithmIdentifier ecdsa-with-SHA256 (1.2.840.10045.4.3.2), parameters absent.
const char kEcdsaSha256[] = "\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02";

// mbedTLS 2.28 writes ecdsa-with-SHA256 with NULL parameters (Mbed-TLS issue
// 2924). RFC 5758 section 3.2 says they MUST be absent, and webpki, which
// socktop's --verify-hostname uses, compares the bytes and refuses such a
// certificate (UnknownIssuer; tests/integration/tls_rustls.py). This puts the
// absent form into the TBSCertificate and the outer signatureAlgorithm and
// signs the TBSCertificate again with `key`.
bool ecdsa_algorithm_without_null(std::string_view der, mbedtls_pk_context* key, std::string* out,
                                  std::string* err) {
  *err = "re-encoding the certificate failed";
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signature }
  // TBSCertificate ::= SEQUENCE { [0] version, serialNumber, signature, ... }
  Reader input(der);
  DerElement certificate, tbs_certificate, version, serial, algorithm;
  if (!der_read(&input, &certificate) || certificate.tag != 0x30) return false;
  Reader outer(certificate.value);
  if (!der_read(&outer, &tbs_certificate) || tbs_certificate.tag != 0x30) return false;
  Reader tbs(tbs_certificate.value);
  if (!der_read(&tbs, &version) || version.tag != 0xa0) return false;
  if (!der_read(&tbs, &serial) || serial.tag != 0x02) return false;
  if (!der_read(&tbs, &algorithm) || algorithm.tag != 0x30) return false;
  std::string_view oid(kEcdsaSha256 + 2, sizeof kEcdsaSha256 - 3);
  if (algorithm.value != oid && algorithm.value != std::string(oid) + std::string("\x05\x00", 2)) return false;
  std::string_view new_algorithm(kEcdsaSha256, sizeof kEcdsaSha256 - 1);

  std::string new_tbs_body, new_tbs;
  new_tbs_body.append(version.whole).append(serial.whole).append(new_algorithm).append(tbs.rest());
  der_append(&new_tbs, 0x30, new_tbs_body);
  std::string digest = tls_sha256(new_tbs);
  unsigned char signature[MBEDTLS_PK_SIGNATURE_MAX_SIZE];
  size_t signature_len = 0;
  int rc = mbedtls_pk_sign(key, MBEDTLS_MD_SHA256, reinterpret_cast<const unsigned char*>(digest.data()),
                           digest.size(), signature, &signature_len, tls_random, nullptr);
  if (rc != 0) {
    *err = mbedtls_message("signing the certificate", rc);
    return false;
  }
  std::string bits(1, '\0');  // no unused bits
  bits.append(reinterpret_cast<const char*>(signature), signature_len);
  std::string new_body = new_tbs;
  new_body.append(new_algorithm);
  der_append(&new_body, 0x03, bits);
  out->clear();
  der_append(out, 0x30, new_body);
  err->clear();
  return true;
}

// RFC 5208 PrivateKeyInfo around the SEC1 ECPrivateKey mbedTLS writes, so
// key.pem is "BEGIN PRIVATE KEY" as upstream's and OpenSSL's are.
std::string pkcs8_wrap_p256(std::string_view sec1) {
  static const char kAlgorithm[] =
      "\x06\x07\x2a\x86\x48\xce\x3d\x02\x01"       // id-ecPublicKey
      "\x06\x08\x2a\x86\x48\xce\x3d\x03\x01\x07";  // prime256v1
  std::string algorithm, body, out;
  body.reserve(sec1.size() + 64);  // no reallocation leaves key bytes behind
  out.reserve(sec1.size() + 64);
  der_append(&algorithm, 0x30, std::string_view(kAlgorithm, sizeof kAlgorithm - 1));
  body.append("\x02\x01\x00", 3);  // version 0
  body += algorithm;
  der_append(&body, 0x04, sec1);
  der_append(&out, 0x30, body);
  tls_wipe(&body);
  return out;
}

}  // namespace

bool tls_der_to_pem(const char* label, std::string_view der, std::string* pem, std::string* err) {
  std::string header = std::string("-----BEGIN ") + label + "-----\n";
  std::string footer = std::string("-----END ") + label + "-----\n";
  size_t room = der.size() * 4 / 3 + der.size() / 48 + header.size() + footer.size() + 8;
  std::string out(room, '\0');
  size_t written = 0;
  int rc = mbedtls_pem_write_buffer(header.c_str(), footer.c_str(),
                                    reinterpret_cast<const unsigned char*>(der.data()), der.size(),
                                    reinterpret_cast<unsigned char*>(&out[0]), out.size(), &written);
  if (rc != 0) {
    tls_wipe(&out);
    *err = mbedtls_message("PEM encoding", rc);
    return false;
  }
  out.resize(written > 0 ? written - 1 : 0);  // written counts the terminating NUL
  *pem = std::move(out);
  return true;
}

namespace {

// Owns what one generation allocates; frees (and wipes) on every path.
struct CertBuilder {
  mbedtls_pk_context key;
  mbedtls_x509write_cert crt;
  mbedtls_mpi serial;
  std::string scratch;  // DER output; mbedTLS writes at the end of the buffer

  CertBuilder() : scratch(4096, '\0') {
    mbedtls_pk_init(&key);
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial);
  }
  ~CertBuilder() {
    tls_wipe(&scratch);
    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&crt);
    mbedtls_pk_free(&key);
  }
  unsigned char* buf() { return reinterpret_cast<unsigned char*>(&scratch[0]); }
  // The last `n` bytes of the scratch buffer.
  std::string_view tail(int n) {
    return std::string_view(scratch).substr(scratch.size() - static_cast<size_t>(n));
  }
};

}  // namespace

std::string tls_error_text(int code) {
  switch (code) {
    case MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION:
      return "protocol version refused (TLS 1.2 is required)";
    case MBEDTLS_ERR_SSL_NO_CIPHER_CHOSEN:
      return "no cipher suite in common (ECDHE with AES-GCM or ChaCha20-Poly1305 is required)";
    case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
      return "the peer sent a fatal alert";
    case MBEDTLS_ERR_SSL_CONN_EOF:
      return "connection closed during the TLS handshake";
    case MBEDTLS_ERR_SSL_BAD_HS_CLIENT_HELLO:
      return "not a TLS client (bad ClientHello)";
    case MBEDTLS_ERR_SSL_INVALID_RECORD:
      return "not TLS (invalid record)";
    case MBEDTLS_ERR_SSL_INVALID_MAC:
      return "TLS record failed authentication";
    case MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE:
      return "no usable cipher suite for this certificate";
  }
  char text[160];
#if defined(MBEDTLS_ERROR_C)
  char detail[120];
  mbedtls_strerror(code, detail, sizeof detail);
  snprintf(text, sizeof text, "TLS error -0x%04X: %s", static_cast<unsigned>(-code), detail);
#else
  snprintf(text, sizeof text, "TLS error -0x%04X", static_cast<unsigned>(-code));
#endif
  return text;
}

bool tls_random_ready(std::string* err) {
  if (g_drbg_seeded) return true;
  mbedtls_ctr_drbg_init(&g_drbg);
  static const char kPersonalization[] = "statd tls drbg";
  int rc = mbedtls_ctr_drbg_seed(&g_drbg, os_entropy, nullptr,
                                 reinterpret_cast<const unsigned char*>(kPersonalization),
                                 sizeof kPersonalization - 1);
  if (rc != 0) {
    mbedtls_ctr_drbg_free(&g_drbg);
    if (err) *err = mbedtls_message("seeding the random generator", rc);
    return false;
  }
  g_drbg_seeded = true;
  return true;
}

int tls_random(void*, unsigned char* out, size_t size) {
  if (!tls_random_ready(nullptr)) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  size_t done = 0;
  while (done < size) {  // CTR-DRBG hands out at most 1 KiB per call
    size_t n = size - done;
    if (n > MBEDTLS_CTR_DRBG_MAX_REQUEST) n = MBEDTLS_CTR_DRBG_MAX_REQUEST;
    int rc = mbedtls_ctr_drbg_random(&g_drbg, out + done, n);
    if (rc != 0) return rc;
    done += n;
  }
  return 0;
}

void tls_wipe(std::string* secret) {
  if (!secret->empty()) mbedtls_platform_zeroize(&(*secret)[0], secret->size());
  secret->clear();
}

std::string tls_sha256(std::string_view data) {
  unsigned char digest[32];
  mbedtls_sha256_ret(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, 0);
  return std::string(reinterpret_cast<char*>(digest), sizeof digest);
}

std::string tls_fingerprint_text(std::string_view digest) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : digest) {
    if (!out.empty()) out += ':';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

std::string tls_hex_lower(std::string_view digest) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

static int hex_value(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool tls_parse_pin(std::string_view text, std::string* digest, std::string* err) {
  Reader r(text);
  if (!r.consume("sha256:") && !r.consume("SHA256:")) {
    *err = "pin '" + std::string(text) + "' must start with sha256:";
    return false;
  }
  std::string out;
  while (out.size() < 32) {
    if (!out.empty() && r.peek() == ':') r.skip(1);
    uint8_t hi, lo;
    if (!r.u8(&hi) || !r.u8(&lo) || hex_value(hi) < 0 || hex_value(lo) < 0) break;
    out.push_back(static_cast<char>(hex_value(hi) << 4 | hex_value(lo)));
  }
  if (out.size() != 32 || !r.empty()) {
    *err = "pin '" + std::string(text) + "' must be sha256: and 64 hex digits (colons allowed)";
    return false;
  }
  *digest = std::move(out);
  return true;
}

bool tls_read_file(const std::string& path, std::string* out, std::string* err) {
  FILE* f = fopen(path.c_str(), "rbe");
  if (!f) {
    *err = "cannot open " + path + ": " + strerror(errno);
    return false;
  }
  out->clear();
  struct stat st;
  // Reserved up front: growing would leave copies of a key in freed memory.
  if (fstat(fileno(f), &st) == 0 && st.st_size > 0 &&
      static_cast<size_t>(st.st_size) <= kMaxPemFileBytes)
    out->reserve(static_cast<size_t>(st.st_size) + 1);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0 && out->size() <= kMaxPemFileBytes) out->append(buf, n);
  mbedtls_platform_zeroize(buf, sizeof buf);
  bool failed = ferror(f) != 0;
  fclose(f);
  if (failed || out->size() > kMaxPemFileBytes) {
    tls_wipe(out);
    *err = failed ? "cannot read " + path : path + " is larger than 1 MiB";
    return false;
  }
  return true;
}

bool tls_write_file_atomic(const std::string& path, std::string_view data, int mode,
                           std::string* err) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  unlink(tmp.c_str());  // a leftover of a crashed run with the same pid
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) {
    *err = "cannot create " + tmp + ": " + strerror(errno);
    return false;
  }
  bool ok = fchmod(fd, static_cast<mode_t>(mode)) == 0;  // whatever the umask was
  size_t done = 0;
  while (ok && done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) ok = false; else done += static_cast<size_t>(n);
  }
  if (ok) ok = fsync(fd) == 0;
  int saved_errno = errno;
  if (close(fd) != 0) ok = false;
  if (ok && rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    saved_errno = errno;
  }
  if (!ok) {
    unlink(tmp.c_str());
    *err = "cannot write " + path + ": " + strerror(saved_errno);
  }
  return ok;
}

// mkdir -p; the directories it creates are 0700 (the key lives there).
static bool make_private_dirs(const std::string& dir, std::string* err) {
  for (size_t slash = 1; slash != std::string::npos; slash = dir.find('/', slash + 1)) {
    std::string prefix = dir.substr(0, slash);
    if (prefix.empty() || prefix.back() == '/') continue;
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      *err = "cannot create " + prefix + ": " + strerror(errno);
      return false;
    }
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    *err = "cannot create " + dir + ": " + strerror(errno);
    return false;
  }
  struct stat st;
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    *err = dir + " is not a directory";
    return false;
  }
  return true;
}

std::string tls_local_hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

bool tls_generate_self_signed(const TlsCertRequest& request, std::string* cert_pem,
                              std::string* key_pem, std::string* err) {
  if (!tls_random_ready(err)) return false;
  if (!is_dns_name(request.hostname)) {
    *err = "host name '" + request.hostname + "' cannot go into a certificate";
    return false;
  }
  std::string san;
  if (!build_san(request, &san, err)) return false;

  CertBuilder b;
  int rc = mbedtls_pk_setup(&b.key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (rc == 0) rc = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(b.key), tls_random, nullptr);
  if (rc != 0) {
    *err = mbedtls_message("generating the P-256 key", rc);
    return false;
  }

  unsigned char serial[16];
  tls_random(nullptr, serial, sizeof serial);
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x40);  // positive, full length
  std::string subject = "CN=";
  for (char c : request.hostname) subject += c;  // is_dns_name allows no ',' to escape
  time_t now = request.now_s ? request.now_s : time(nullptr);

  mbedtls_x509write_crt_set_version(&b.crt, MBEDTLS_X509_CRT_VERSION_3);
  mbedtls_x509write_crt_set_md_alg(&b.crt, MBEDTLS_MD_SHA256);
  mbedtls_x509write_crt_set_subject_key(&b.crt, &b.key);
  mbedtls_x509write_crt_set_issuer_key(&b.crt, &b.key);
  static const unsigned char kServerAuth[] = {0x30, 0x0a, 0x06, 0x08, 0x2b, 0x06,
                                              0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
  if (rc == 0) rc = mbedtls_mpi_read_binary(&b.serial, serial, sizeof serial);
  if (rc == 0) rc = mbedtls_x509write_crt_set_serial(&b.crt, &b.serial);
  if (rc == 0) rc = mbedtls_x509write_crt_set_subject_name(&b.crt, subject.c_str());
  if (rc == 0) rc = mbedtls_x509write_crt_set_issuer_name(&b.crt, subject.c_str());
  if (rc == 0)
    rc = mbedtls_x509write_crt_set_validity(&b.crt, utc_stamp(now - kBackdateSeconds).c_str(),
                                            utc_stamp(now + kValiditySeconds).c_str());
  if (rc == 0) rc = mbedtls_x509write_crt_set_basic_constraints(&b.crt, 0, -1);
  if (rc == 0) rc = mbedtls_x509write_crt_set_key_usage(&b.crt, MBEDTLS_X509_KU_DIGITAL_SIGNATURE);
  if (rc == 0)
    rc = mbedtls_x509write_crt_set_extension(
        &b.crt, MBEDTLS_OID_EXTENDED_KEY_USAGE, MBEDTLS_OID_SIZE(MBEDTLS_OID_EXTENDED_KEY_USAGE), 0,
        kServerAuth, sizeof kServerAuth);
  if (rc == 0)
    rc = mbedtls_x509write_crt_set_extension(
        &b.crt, MBEDTLS_OID_SUBJECT_ALT_NAME, MBEDTLS_OID_SIZE(MBEDTLS_OID_SUBJECT_ALT_NAME), 0,
        reinterpret_cast<const unsigned char*>(san.data()), san.size());
  if (rc != 0) {
    *err = mbedtls_message("filling in the certificate", rc);
    return false;
  }
  int cert_len = mbedtls_x509write_crt_der(&b.crt, b.buf(), b.scratch.size(), tls_random, nullptr);
  if (cert_len <= 0) {
    *err = mbedtls_message("signing the certificate", cert_len);
    return false;
  }
  std::string cert_der;
  if (!ecdsa_algorithm_without_null(b.tail(cert_len), &b.key, &cert_der, err)) return false;
  int key_len = mbedtls_pk_write_key_der(&b.key, b.buf(), b.scratch.size());
  if (key_len <= 0) {
    *err = mbedtls_message("encoding the key", key_len);
    return false;
  }
  std::string key_der = pkcs8_wrap_p256(b.tail(key_len));
  bool ok = tls_der_to_pem("CERTIFICATE", cert_der, cert_pem, err) &&
            tls_der_to_pem("PRIVATE KEY", key_der, key_pem, err);
  tls_wipe(&key_der);
  return ok;
}

bool tls_ensure_self_signed(const std::string& dir, const TlsCertRequest& request,
                            bool* generated, std::string* err) {
  *generated = false;
  std::string cert_path = dir + "/cert.pem", key_path = dir + "/key.pem";
  if (access(cert_path.c_str(), F_OK) == 0 && access(key_path.c_str(), F_OK) == 0) return true;
  if (!make_private_dirs(dir, err)) return false;
  std::string cert_pem, key_pem;
  // The key first: once cert.pem exists both are complete.
  bool ok = tls_generate_self_signed(request, &cert_pem, &key_pem, err) &&
            tls_write_file_atomic(key_path, key_pem, 0600, err) &&
            tls_write_file_atomic(cert_path, cert_pem, 0644, err);
  tls_wipe(&key_pem);
  *generated = ok;
  return ok;
}

#endif  // STATD_TLS
