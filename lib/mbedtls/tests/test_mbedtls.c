/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mbed TLS's own self-tests of what TLS uses in Cairn's configuration,
 * run in the image (so with Cairn's compiler flags, picolibc and, for
 * AES, the CPU's AES instructions where QEMU offers them), and PSA crypto
 * starting from lib/random.
 */
#include <string.h>
#include <cairn/mbedtls.h>
#include <cairn/random.h>
#include <cairn/test.h>
#include <mbedtls/aes.h>
#include <mbedtls/chacha20.h>
#include <mbedtls/chachapoly.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/poly1305.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <psa/crypto.h>

CN_TEST(mbedtls, sha256_self_test)
{
	CN_EXPECT_EQ(mbedtls_sha256_self_test(0), 0);
}

CN_TEST(mbedtls, sha512_self_test)
{
	CN_EXPECT_EQ(mbedtls_sha512_self_test(0), 0);
}

CN_TEST(mbedtls, aes_self_test)
{
	CN_EXPECT_EQ(mbedtls_aes_self_test(0), 0);
}

CN_TEST(mbedtls, gcm_self_test)
{
	CN_EXPECT_EQ(mbedtls_gcm_self_test(0), 0);
}

CN_TEST(mbedtls, chacha20_poly1305_self_tests)
{
	CN_EXPECT_EQ(mbedtls_chacha20_self_test(0), 0);
	CN_EXPECT_EQ(mbedtls_poly1305_self_test(0), 0);
	CN_EXPECT_EQ(mbedtls_chachapoly_self_test(0), 0);
}

CN_TEST(mbedtls, ctr_drbg_self_test)
{
	CN_EXPECT_EQ(mbedtls_ctr_drbg_self_test(0), 0);
}

CN_TEST(mbedtls, ecp_self_test)
{
	CN_EXPECT_EQ(mbedtls_ecp_self_test(0), 0);
}

CN_TEST(mbedtls, psa_starts_on_a_trusted_generator)
{
	uint8_t a[32], b[32];

	CN_ASSERT_TRUE(cn_random_trusted());
	CN_ASSERT_EQ(cn_mbedtls_ready(), 0);
	CN_EXPECT_EQ(cn_mbedtls_ready(), 0);		/* once */
	CN_EXPECT_EQ(psa_generate_random(a, sizeof(a)), PSA_SUCCESS);
	CN_EXPECT_EQ(psa_generate_random(b, sizeof(b)), PSA_SUCCESS);
	CN_EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
	CN_EXPECT_EQ(cn_mbedtls_rng(NULL, a, sizeof(a)), 0);
}

/* RFC 7748, section 6.1: Alice's and Bob's X25519 keys and their secret. */
static const uint8_t alice_priv[32] = {
	0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d, 0x3c, 0x16, 0xc1,
	0x72, 0x51, 0xb2, 0x66, 0x45, 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0,
	0x99, 0x2a, 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a };
static const uint8_t alice_pub[32] = {
	0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54, 0x74, 0x8b, 0x7d,
	0xdc, 0xb4, 0x3e, 0xf7, 0x5a, 0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38,
	0x1a, 0xf4, 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a };
static const uint8_t bob_pub[32] = {
	0xde, 0x9e, 0xdb, 0x7d, 0x7b, 0x7d, 0xc1, 0xb4, 0xd3, 0x5b, 0x61,
	0xc2, 0xec, 0xe4, 0x35, 0x37, 0x3f, 0x83, 0x43, 0xc8, 0x5b, 0x78,
	0x67, 0x4d, 0xad, 0xfc, 0x7e, 0x14, 0x6f, 0x88, 0x2b, 0x4f };
static const uint8_t shared[32] = {
	0x4a, 0x5d, 0x9d, 0x5b, 0xa4, 0xce, 0x2d, 0xe1, 0x72, 0x8e, 0x3b,
	0xf4, 0x80, 0x35, 0x0f, 0x25, 0xe0, 0x7e, 0x21, 0xc9, 0x47, 0xd1,
	0x9e, 0x33, 0x76, 0xf0, 0x9b, 0x3c, 0x1e, 0x16, 0x17, 0x42 };
/* RFC 7748, section 5.2: a point that is not the base point. */
static const uint8_t k1[32] = {
	0xa5, 0x46, 0xe3, 0x6b, 0xf0, 0x52, 0x7c, 0x9d, 0x3b, 0x16, 0x15,
	0x4b, 0x82, 0x46, 0x5e, 0xdd, 0x62, 0x14, 0x4c, 0x0a, 0xc1, 0xfc,
	0x5a, 0x18, 0x50, 0x6a, 0x22, 0x44, 0xba, 0x44, 0x9a, 0xc4 };
static const uint8_t u1[32] = {
	0xe6, 0xdb, 0x68, 0x67, 0x58, 0x30, 0x30, 0xdb, 0x35, 0x94, 0xc1,
	0xa4, 0x24, 0xb1, 0x5f, 0x7c, 0x72, 0x66, 0x24, 0xec, 0x26, 0xb3,
	0x35, 0x3b, 0x10, 0xa9, 0x03, 0xa6, 0xd0, 0xab, 0x1c, 0x4c };
static const uint8_t out1[32] = {
	0xc3, 0xda, 0x55, 0x37, 0x9d, 0xe9, 0xc6, 0x90, 0x8e, 0x94, 0xea,
	0x4d, 0xf2, 0x8d, 0x08, 0x4f, 0x32, 0xec, 0xcf, 0x03, 0x49, 0x1c,
	0x71, 0xf7, 0x54, 0xb4, 0x07, 0x55, 0x77, 0xa2, 0x85, 0x52 };

static psa_key_id_t x25519_key(const uint8_t priv[32])
{
	psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
	psa_key_id_t id = 0;

	psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(
				     PSA_ECC_FAMILY_MONTGOMERY));
	psa_set_key_bits(&a, 255);
	psa_set_key_usage_flags(&a, PSA_KEY_USAGE_DERIVE);
	psa_set_key_algorithm(&a, PSA_ALG_ECDH);
	if (psa_import_key(&a, priv, 32, &id) != PSA_SUCCESS)
		return 0;
	return id;
}

/* X25519 through PSA, as TLS 1.3 does it (x25519.c's ladder under it). */
CN_TEST(mbedtls, x25519_matches_rfc7748)
{
	uint8_t out[32], zero[32] = { 0 };
	size_t len = 0;
	psa_key_id_t id;

	CN_ASSERT_EQ(cn_mbedtls_ready(), 0);
	id = x25519_key(alice_priv);
	CN_ASSERT_NE(id, 0);
	CN_EXPECT_EQ(psa_export_public_key(id, out, sizeof(out), &len),
		     PSA_SUCCESS);
	CN_EXPECT_EQ(len, 32);
	CN_EXPECT_EQ(memcmp(out, alice_pub, 32), 0);
	CN_EXPECT_EQ(psa_raw_key_agreement(PSA_ALG_ECDH, id, bob_pub, 32, out,
					   sizeof(out), &len), PSA_SUCCESS);
	CN_EXPECT_EQ(memcmp(out, shared, 32), 0);
	/* The point of order 1 (u = 0) gives no secret: an error. */
	CN_EXPECT_NE(psa_raw_key_agreement(PSA_ALG_ECDH, id, zero, 32, out,
					   sizeof(out), &len), PSA_SUCCESS);
	psa_destroy_key(id);
	id = x25519_key(k1);
	CN_ASSERT_NE(id, 0);
	CN_EXPECT_EQ(psa_raw_key_agreement(PSA_ALG_ECDH, id, u1, 32, out,
					   sizeof(out), &len), PSA_SUCCESS);
	CN_EXPECT_EQ(memcmp(out, out1, 32), 0);
	psa_destroy_key(id);
}
