/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cairn's configuration of Mbed TLS 3.6 (MBEDTLS_CONFIG_FILE, given to
 * every unit of an image that selects lib/mbedtls): a TLS server and
 * nothing more. TLS 1.2 and 1.3; key exchange by ECDHE over X25519 and
 * P-256; ECDSA P-256 certificates; AES-GCM and ChaCha20-Poly1305; session
 * tickets; ALPN. No RSA, no CBC, no SHA-1 signatures, no renegotiation,
 * no static-RSA or PSK-only key exchange, no DTLS, no client side.
 *
 * Platform: entropy only from lib/random through mbedtls_hardware_poll()
 * (port.c), which fails while the generator is untrusted; time from
 * time() (the RTC) and lib/time's monotonic clock; memory from malloc;
 * mutexes from lib/sched (threading_alt.h), since connections may run in
 * several threads.
 */
#ifndef CAIRN_MBEDTLS_CONFIG_H
#define CAIRN_MBEDTLS_CONFIG_H

/* Platform */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MS_TIME_ALT	/* port.c: lib/time's clock */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#define MBEDTLS_THREADING_C
#define MBEDTLS_THREADING_ALT
#define MBEDTLS_DEPRECATED_REMOVED
#define MBEDTLS_SELF_TEST
#define MBEDTLS_ERROR_C
#define MBEDTLS_VERSION_C

/* Symmetric: AES (with AES-NI / Armv8 crypto where the CPU has them), GCM,
 * ChaCha20-Poly1305. */
#define MBEDTLS_AES_C
/* Each is compiled only on its own architecture (Mbed TLS checks), and
 * used only when the CPU says it has the instructions. */
#define MBEDTLS_AESNI_C
#define MBEDTLS_AESCE_C
#define MBEDTLS_GCM_C
#define MBEDTLS_CHACHA20_C
#define MBEDTLS_POLY1305_C
#define MBEDTLS_CHACHAPOLY_C
#define MBEDTLS_CIPHER_C

/* Hashes: SHA-256 and SHA-384 (TLS 1.3's two suites' hashes) */
#define MBEDTLS_MD_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HKDF_C

/* Random: CTR_DRBG over the entropy module; deterministic ECDSA */
#define MBEDTLS_ENTROPY_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_ECDSA_DETERMINISTIC

/* Public key: ECC only */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
/* X25519's ladder step and inversion in x25519.c (5 x 51-bit limbs),
 * P-256's point doubling and mixed addition in p256.c (Montgomery, 4 x 64
 * bits); whole X25519 multiplications and P-256's k G go to the same
 * files through ecp_mul.c (see lib.mk), ECDSA signatures to ecdsa_sign.c;
 * the rest of ECP is Mbed TLS's own. */
#define MBEDTLS_ECP_INTERNAL_ALT
#define MBEDTLS_ECP_DOUBLE_ADD_MXZ_ALT
#define MBEDTLS_ECP_NORMALIZE_MXZ_ALT
#define MBEDTLS_ECP_DOUBLE_JAC_ALT
#define MBEDTLS_ECP_ADD_MIXED_ALT
#define MBEDTLS_ECDSA_SIGN_ALT
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_PK_WRITE_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C

/* PSA: TLS 1.3 needs it */
#define MBEDTLS_PSA_CRYPTO_C

/* TLS server */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_SRV_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_PSK_EPHEMERAL_ENABLED
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE
#define MBEDTLS_SSL_ENCRYPT_THEN_MAC
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_TICKET_C
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE	/* TLS 1.3 requires it */

/* Records: full 16 KiB in, 16 KiB out (what clients send unasked). */
#define MBEDTLS_SSL_IN_CONTENT_LEN	16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN	16384

#endif
