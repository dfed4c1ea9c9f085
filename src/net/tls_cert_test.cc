// Built only with TLS=1 (see tls_cert.cc).
#if STATD_TLS
#include "net/tls_cert.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/test.h"
#include "mbedtls/oid.h"
#include "mbedtls/pk.h"
#include "mbedtls/x509_crt.h"

static std::string make_temp_dir() {
  char tmpl[] = "/tmp/statd-tls-cert-XXXXXX";
  return mkdtemp(tmpl) ? tmpl : "";
}

static void remove_tree(const std::string& dir) {
  std::string cmd = "rm -rf '" + dir + "'";
  if (system(cmd.c_str()) != 0) fprintf(stderr, "could not remove %s\n", dir.c_str());
}

static int mode_of(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

static std::string read_all(const std::string& path) {
  std::string text, err;
  tls_read_file(path, &text, &err);
  return text;
}

TEST(tls_cert_sha256_and_fingerprint_text) {
  std::string digest = tls_sha256("abc");  // FIPS 180-2 test vector
  EXPECT_EQ(tls_hex_lower(digest), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(tls_fingerprint_text(digest),
            "BA:78:16:BF:8F:01:CF:EA:41:41:40:DE:5D:AE:22:23:B0:03:61:A3:96:17:7A:9C:B4:10:FF:61:F2:00:15:AD");
}

TEST(tls_cert_wipe_zeroes_in_place) {
  // Key text is zeroed where it lies, then the string is emptied; its buffer
  // (kept by clear()) holds no key byte afterwards.
  std::string key = "-----BEGIN PRIVATE KEY----- and more than the short-string buffer";
  size_t size = key.size();
  const char* where = key.data();
  tls_wipe(&key);
  EXPECT(key.empty());
  ASSERT(key.data() == where);
  EXPECT_EQ(std::string(where, size), std::string(size, '\0'));
  std::string empty;
  tls_wipe(&empty);
  EXPECT(empty.empty());
}

TEST(tls_cert_parse_pin_forms) {
  std::string hex = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  std::string digest, err;
  ASSERT(tls_parse_pin("sha256:" + hex, &digest, &err));
  EXPECT_EQ(digest, tls_sha256("abc"));
  digest.clear();
  ASSERT(tls_parse_pin("SHA256:" + tls_fingerprint_text(tls_sha256("abc")), &digest, &err));
  EXPECT_EQ(digest, tls_sha256("abc"));

  EXPECT(!tls_parse_pin(hex, &digest, &err));
  EXPECT_EQ(err, "pin '" + hex + "' must start with sha256:");
  EXPECT(!tls_parse_pin("sha256:" + hex.substr(1), &digest, &err));
  EXPECT(!tls_parse_pin("sha256:" + hex + "00", &digest, &err));
  EXPECT(!tls_parse_pin("sha256:" + hex + ":", &digest, &err));
  EXPECT(!tls_parse_pin("sha256:" + hex.substr(0, 62) + "g0", &digest, &err));
  EXPECT(!tls_parse_pin("sha256:", &digest, &err));
  EXPECT_EQ(err, "pin 'sha256:' must be sha256: and 64 hex digits (colons allowed)");
}

TEST(tls_cert_write_file_atomic_sets_mode) {
  std::string dir = make_temp_dir();
  ASSERT(!dir.empty());
  mode_t old_umask = umask(0);  // the mode must not depend on the umask
  std::string path = dir + "/key.pem", err;
  ASSERT(tls_write_file_atomic(path, "first", 0600, &err));
  EXPECT_EQ(mode_of(path), 0600);
  ASSERT(tls_write_file_atomic(path, "second", 0600, &err));
  umask(old_umask);
  EXPECT_EQ(read_all(path), "second");
  EXPECT_EQ(mode_of(path + ".tmp." + std::to_string(getpid())), -1);  // no leftover
  EXPECT(!tls_write_file_atomic(dir + "/missing/x", "x", 0600, &err));
  EXPECT(err.find("cannot create " + dir + "/missing/x.tmp.") == 0);
  remove_tree(dir);
}

TEST(tls_cert_generates_files_once) {
  std::string dir = make_temp_dir();
  ASSERT(!dir.empty());
  std::string state = dir + "/state/tls";  // both levels created
  TlsCertRequest request;
  request.hostname = "box.example";
  bool generated = false;
  std::string err;
  ASSERT(tls_ensure_self_signed(state, request, &generated, &err));
  EXPECT(generated);
  EXPECT_EQ(mode_of(state), 0700);
  EXPECT_EQ(mode_of(dir + "/state"), 0700);
  EXPECT_EQ(mode_of(state + "/key.pem"), 0600);
  EXPECT_EQ(mode_of(state + "/cert.pem"), 0644);
  std::string cert = read_all(state + "/cert.pem"), key = read_all(state + "/key.pem");
  EXPECT(cert.find("-----BEGIN CERTIFICATE-----\n") == 0);
  EXPECT(cert.find("-----END CERTIFICATE-----\n") == cert.size() - 26);
  EXPECT(key.find("-----BEGIN PRIVATE KEY-----\n") == 0);  // PKCS#8

  // Both present: reused byte for byte.
  ASSERT(tls_ensure_self_signed(state, request, &generated, &err));
  EXPECT(!generated);
  EXPECT_EQ(read_all(state + "/cert.pem"), cert);
  EXPECT_EQ(read_all(state + "/key.pem"), key);

  // One missing: both are made again.
  unlink((state + "/key.pem").c_str());
  ASSERT(tls_ensure_self_signed(state, request, &generated, &err));
  EXPECT(generated);
  EXPECT(read_all(state + "/cert.pem") != cert);
  remove_tree(dir);
}

static bool has_san(const mbedtls_x509_crt& crt, uint8_t tag, std::string_view value) {
  for (const mbedtls_x509_sequence* s = &crt.subject_alt_names; s; s = s->next)
    if (s->buf.tag == tag && std::string_view(reinterpret_cast<const char*>(s->buf.p), s->buf.len) == value)
      return true;
  return false;
}

TEST(tls_cert_generated_certificate_fields) {
  TlsCertRequest request;
  request.hostname = "box.example";
  request.extra_sans = {"10.1.2.3", "monitor.lan", "fe80::1", "localhost"};
  request.now_s = 1700000000;  // 2023-11-14 22:13:20 UTC
  std::string cert_pem, key_pem, err;
  ASSERT(tls_generate_self_signed(request, &cert_pem, &key_pem, &err));

  mbedtls_x509_crt crt;
  mbedtls_x509_crt_init(&crt);
  ASSERT(mbedtls_x509_crt_parse(&crt, reinterpret_cast<const unsigned char*>(cert_pem.c_str()),
                                cert_pem.size() + 1) == 0);
  EXPECT_EQ(crt.version, 3);
  EXPECT_EQ(crt.sig_md, MBEDTLS_MD_SHA256);
  EXPECT(mbedtls_pk_get_type(&crt.pk) == MBEDTLS_PK_ECKEY);
  EXPECT(mbedtls_pk_ec(crt.pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1);
  EXPECT_EQ(crt.ca_istrue, 0);
  EXPECT(crt.ext_types & MBEDTLS_X509_EXT_BASIC_CONSTRAINTS);
  EXPECT(mbedtls_x509_crt_check_extended_key_usage(&crt, MBEDTLS_OID_SERVER_AUTH,
                                                   MBEDTLS_OID_SIZE(MBEDTLS_OID_SERVER_AUTH)) == 0);
  char subject[128];
  mbedtls_x509_dn_gets(subject, sizeof subject, &crt.subject);
  EXPECT_EQ(std::string(subject), "CN=box.example");
  // now - 5 min .. now + 397 days
  EXPECT_EQ(crt.valid_from.year, 2023); EXPECT_EQ(crt.valid_from.mon, 11); EXPECT_EQ(crt.valid_from.day, 14);
  EXPECT_EQ(crt.valid_from.hour, 22); EXPECT_EQ(crt.valid_from.min, 8); EXPECT_EQ(crt.valid_from.sec, 20);
  EXPECT_EQ(crt.valid_to.year, 2024); EXPECT_EQ(crt.valid_to.mon, 12); EXPECT_EQ(crt.valid_to.day, 15);
  EXPECT_EQ(crt.valid_to.hour, 22); EXPECT_EQ(crt.valid_to.min, 13); EXPECT_EQ(crt.valid_to.sec, 20);

  int count = 0;
  for (const mbedtls_x509_sequence* s = &crt.subject_alt_names; s; s = s->next) count++;
  EXPECT_EQ(count, 7);  // "localhost" only once
  EXPECT(has_san(crt, 0x82, "box.example"));
  EXPECT(has_san(crt, 0x82, "localhost"));
  EXPECT(has_san(crt, 0x87, std::string_view("\x7f\0\0\x01", 4)));
  EXPECT(has_san(crt, 0x87, std::string_view("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16)));
  EXPECT(has_san(crt, 0x87, std::string_view("\x0a\x01\x02\x03", 4)));
  EXPECT(has_san(crt, 0x82, "monitor.lan"));
  EXPECT(has_san(crt, 0x87, std::string_view("\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01", 16)));

  mbedtls_pk_context key;
  mbedtls_pk_init(&key);
  ASSERT(mbedtls_pk_parse_key(&key, reinterpret_cast<const unsigned char*>(key_pem.c_str()),
                              key_pem.size() + 1, nullptr, 0) == 0);
  EXPECT(mbedtls_pk_check_pair(&crt.pk, &key) == 0);
  mbedtls_pk_free(&key);

  // ecdsa-with-SHA256 without parameters (RFC 5758 3.2), in the
  // TBSCertificate and outside it, and the signature over the TBSCertificate
  // as it now is.
  std::string_view der(reinterpret_cast<const char*>(crt.raw.p), crt.raw.len);
  std::string_view absent("\x30\x0a\x06\x08\x2a\x86\x48\xce\x3d\x04\x03\x02", 12);
  size_t first = der.find(absent);
  EXPECT(first != std::string_view::npos && der.find(absent, first + 1) != std::string_view::npos);
  EXPECT_EQ(der.find(std::string_view("\x2a\x86\x48\xce\x3d\x04\x03\x02\x05\x00", 10)),
            std::string_view::npos);
  std::string digest = tls_sha256(std::string_view(reinterpret_cast<const char*>(crt.tbs.p), crt.tbs.len));
  EXPECT(mbedtls_pk_verify(&crt.pk, MBEDTLS_MD_SHA256, reinterpret_cast<const unsigned char*>(digest.data()),
                           digest.size(), crt.sig.p, crt.sig.len) == 0);
  mbedtls_x509_crt_free(&crt);
}

TEST(tls_cert_rejects_bad_names) {
  TlsCertRequest request;
  request.hostname = "box.example";
  request.extra_sans = {"not a name"};
  std::string cert_pem, key_pem, err;
  EXPECT(!tls_generate_self_signed(request, &cert_pem, &key_pem, &err));
  EXPECT_EQ(err, "extra SAN 'not a name' is neither an IP address nor a host name");
  request.extra_sans.clear();
  request.hostname = "a,b";
  EXPECT(!tls_generate_self_signed(request, &cert_pem, &key_pem, &err));
  EXPECT_EQ(err, "host name 'a,b' cannot go into a certificate");
}

#endif  // STATD_TLS
