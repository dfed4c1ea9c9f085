# `make static TLS=1`: mbedTLS compiled with musl-gcc. Included by mk/static.mk (its
# TLS=1 hook). Debian's libmbedtls.a cannot be used: it is built for glibc and
# references glibc's fortified __memcpy_chk and friends (shared/BUILD-NOTES.md).
#
#   build/mbedtls/download/   Debian's source package, fetched once by
#                             mk/fetch-mbedtls.sh (`apt-get source --download-only`,
#                             adding a deb-src entry first when apt has none)
#   build/mbedtls/src/        its orig tarball, unpacked
#   build/static/mbedtls/     the objects and libmbedtls.a, rebuilt when
#                             mk/mbedtls_config.h changes
#
# mk/mbedtls_config.h is the whole configuration (MBEDTLS_CONFIG_FILE): the library
# and our own objects must see the same one, since struct layouts depend on it.

MBEDTLS_DIR     := $(BUILD)/mbedtls
MBEDTLS_SRC     := $(MBEDTLS_DIR)/src
MBEDTLS_OBJDIR  := $(STATIC_DIR)/mbedtls
MBEDTLS_LIB     := $(MBEDTLS_OBJDIR)/libmbedtls.a
MBEDTLS_CONFIG  := mk/mbedtls_config.h
MBEDTLS_FETCHED := $(MBEDTLS_SRC)/library/ssl_tls.c
MBEDTLS_FLAGS    = -isystem $(MBEDTLS_SRC)/include \
    -DMBEDTLS_CONFIG_FILE='"$(abspath $(MBEDTLS_CONFIG))"'

# The library/*.c files the configuration uses (the others would compile to nothing).
MBEDTLS_MODULES := aes aesni asn1parse asn1write base64 bignum chacha20 chachapoly \
    cipher cipher_wrap constant_time ctr_drbg ecdh ecdsa ecp ecp_curves gcm md oid \
    pem pk pk_wrap pkparse pkwrite platform_util poly1305 rsa rsa_internal sha256 \
    sha512 ssl_ciphersuites ssl_cli ssl_msg ssl_srv ssl_tls x509 x509_create \
    x509_crt x509write_crt
MBEDTLS_OBJS := $(MBEDTLS_MODULES:%=$(MBEDTLS_OBJDIR)/%.o)

STATIC_TLS      := 1
STATIC_INCLUDES += $(MBEDTLS_FLAGS)
STATIC_LIBS     += $(MBEDTLS_LIB)

$(MBEDTLS_FETCHED):
	@echo "  FETCH   mbedtls (Debian source package, into $(MBEDTLS_DIR))"
	$(Q)mk/fetch-mbedtls.sh $(MBEDTLS_SRC)

$(MBEDTLS_OBJDIR)/%.o: $(MBEDTLS_CONFIG) mk/mbedtls.mk | $(MBEDTLS_FETCHED)
	@mkdir -p $(@D)
	@echo "  CC      mbedtls/library/$*.c (static)"
	$(Q)$(MUSL_GCC) $(STATIC_OPT) -ffunction-sections -fdata-sections $(MBEDTLS_FLAGS) \
	  -c $(MBEDTLS_SRC)/library/$*.c -o $@

$(MBEDTLS_LIB): $(MBEDTLS_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^

# Every static object depends on BUILD_FLAGS: the headers are there before any
# compiles. tls*.cc include mbedTLS headers, so they follow the configuration.
$(STATIC_DIR)/BUILD_FLAGS: | $(MBEDTLS_FETCHED)
$(patsubst src/%.cc,$(STATIC_OBJDIR)/%.o,$(wildcard src/net/tls*.cc)): $(MBEDTLS_CONFIG)
$(STATIC_DIR)/statd $(STATIC_DIR)/statc: $(MBEDTLS_LIB)
