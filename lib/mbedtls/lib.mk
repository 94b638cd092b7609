# SPDX-License-Identifier: BSD-3-Clause
# Cairn's port (this folder) and Mbed TLS itself, compiled from the Debian
# source package in the cache ($(mbedtls-src), set by the top Makefile).
# Every unit sees the same configuration header.
lib-$(CONFIG_LIB_MBEDTLS) += mbedtls mbedtls-core
mbedtls-srcs-y := port.c x25519.c p256.c ecp_mul.c \
	ecdsa_sign.c
mbedtls-srcs-$(CONFIG_LIB_MBEDTLS_TEST) += tests/test_mbedtls.c
global-cflags-$(CONFIG_LIB_MBEDTLS) += \
	-DMBEDTLS_CONFIG_FILE='"cairn/mbedtls_config.h"' \
	$(if $(mbedtls-src),-I$(mbedtls-src)/include)

# The files of library/ that hold code under our configuration (the other
# 48 compile to nothing; leaving them out saves a third of the build).
mbedtls-core-dir := $(mbedtls-src)/library
mbedtls-core-srcs-y := aes.c aesce.c aesni.c asn1parse.c asn1write.c \
	base64.c bignum.c bignum_core.c chacha20.c chachapoly.c cipher.c \
	cipher_wrap.c constant_time.c ctr_drbg.c ecdh.c ecdsa.c ecp.c \
	ecp_curves.c entropy.c error.c gcm.c hkdf.c hmac_drbg.c md.c \
	mps_reader.c oid.c pem.c pk.c pk_ecc.c pk_wrap.c pkparse.c pkwrite.c \
	platform.c platform_util.c poly1305.c psa_crypto.c psa_crypto_aead.c \
	psa_crypto_cipher.c psa_crypto_client.c \
	psa_crypto_driver_wrappers_no_static.c psa_crypto_ecp.c \
	psa_crypto_hash.c psa_crypto_mac.c psa_crypto_random.c \
	psa_crypto_rsa.c psa_crypto_slot_management.c psa_util.c sha256.c \
	sha512.c ssl_ciphersuites.c ssl_msg.c ssl_ticket.c ssl_tls.c \
	ssl_tls12_server.c ssl_tls13_generic.c ssl_tls13_keys.c \
	ssl_tls13_server.c threading.c version.c version_features.c x509.c \
	x509_crt.c
# Not Unix: no getpid() fork check, no /dev/urandom (the host compiler
# says __unix__, as it says __linux__, which the Makefile drops already).
mbedtls-core-cflags-y := -U__unix__ -U__unix -Uunix \
	-Wno-missing-prototypes -Wno-sign-compare -Wno-unused-but-set-variable

# The files that ask for scalar multiplications on a TLS server's path
# call ecp_mul.c's instead of ecp.c's (which keeps its own names and is
# their fallback): X25519 and P-256's k G in this folder's arithmetic.
$(addprefix $(O)/ext/mbedtls-core/,ecdh.o ecdsa.o pk_ecc.o psa_crypto_ecp.o): \
	mbedtls-core-cflags-y += -Dmbedtls_ecp_mul=cn_mbedtls_ecp_mul \
	-Dmbedtls_ecp_mul_restartable=cn_mbedtls_ecp_mul_restartable
