/* mbedTLS 2.28 configuration for `make static TLS=1` (mk/mbedtls.mk): only what
 * src/net/tls*.cc use, so the musl static statd/statc stay small. It replaces
 * mbedtls/config.h entirely (MBEDTLS_CONFIG_FILE), for the library objects and for
 * our own objects alike: struct layouts depend on it.
 *
 *   TLS 1.2 client and server; no TLS 1.0/1.1, no DTLS, no renegotiation, no
 *   session tickets or cache; key exchange ECDHE-ECDSA and ECDHE-RSA over
 *   X25519, P-256 and P-384; AES-GCM and ChaCha20-Poly1305; SHA-256/384/512;
 *   RSA (PKCS#1 v1.5 and PSS) to verify servers with RSA certificates; X.509
 *   parsing and writing (statd's self-signed certificate); PEM; a CTR-DRBG fed by
 *   getrandom(2) in tls_cert.cc (so no entropy module). No error strings
 *   (MBEDTLS_ERROR_C): tls.cc prints the codes it does not describe itself. */
#ifndef STATD_MBEDTLS_CONFIG_H
#define STATD_MBEDTLS_CONFIG_H

/* System support */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_AESNI_C /* x86-64 only; ignored elsewhere */

/* Symmetric crypto and hashes */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_FEWER_TABLES /* 2 KiB of tables instead of 8; AES-NI does not use them */
#define MBEDTLS_GCM_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C /* also SHA-384 */
#define MBEDTLS_CTR_DRBG_C

/* Public key */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C

/* Encodings and X.509 */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_PEM_WRITE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CREATE_C
#define MBEDTLS_X509_CRT_WRITE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE

/* TLS */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_ALL_ALERT_MESSAGES
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE
/* The same list tls.cc configures: only these suites are compiled in. */
#define MBEDTLS_SSL_CIPHERSUITES                              \
  MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,            \
      MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,        \
      MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,  \
      MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,          \
      MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,          \
      MBEDTLS_TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256

#include "mbedtls/check_config.h"

#endif /* STATD_MBEDTLS_CONFIG_H */
