/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mbed TLS's own self-tests of what TLS uses in Cairn's configuration,
 * run in the image (so with Cairn's compiler flags, picolibc and, for
 * AES, the CPU's AES instructions where QEMU offers them), and PSA crypto
 * starting from lib/random.
 */
#include <stdio.h>
#include <string.h>
#include <cairn/mbedtls.h>
#include <cairn/random.h>
#include <cairn/test.h>
#include <cairn/timer.h>
#include <mbedtls/aes.h>
#include <mbedtls/chacha20.h>
#include <mbedtls/chachapoly.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/gcm.h>
#include <mbedtls/poly1305.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>
#include <psa/crypto.h>
#include "ecp_fast.h"

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

/* P-256: a key pair, a peer's public key and their secret, made by
 * OpenSSL (openssl genpkey / pkeyutl -derive), not by Mbed TLS. */
static const uint8_t p256_a_priv[32] = {
	0x7d, 0x73, 0xdf, 0xba, 0xc4, 0x36, 0x2b, 0xff, 0x0e, 0x15, 0xa5,
	0x8f, 0xdd, 0x54, 0xcd, 0xd2, 0x03, 0x27, 0x9c, 0x84, 0x0a, 0xbb,
	0x56, 0x4b, 0x2a, 0xdc, 0x5f, 0xb6, 0x19, 0xf7, 0xa2, 0x88 };
static const uint8_t p256_a_pub[65] = {
	0x04, 0x3a, 0x43, 0x43, 0x93, 0x38, 0x25, 0x00, 0xc9, 0x75, 0x54,
	0x0f, 0x5e, 0x05, 0x1a, 0x95, 0x76, 0x39, 0xb8, 0x95, 0x49, 0xad,
	0xfe, 0x62, 0xb4, 0xb4, 0x10, 0x84, 0x34, 0x84, 0xd6, 0x18, 0x56,
	0xf5, 0xce, 0xff, 0xf5, 0x8d, 0x09, 0x99, 0x76, 0xbf, 0x89, 0x6a,
	0xc6, 0x9d, 0x12, 0xd6, 0x38, 0x1a, 0x7c, 0x2c, 0x80, 0x79, 0x96,
	0xfe, 0x2c, 0x50, 0xec, 0x4b, 0x2d, 0x76, 0x87, 0x14, 0x92 };
static const uint8_t p256_b_pub[65] = {
	0x04, 0x36, 0x38, 0xaf, 0x29, 0x87, 0x1c, 0xab, 0xc2, 0x73, 0x3f,
	0xe6, 0xcb, 0x70, 0x6a, 0xfd, 0x8c, 0xe2, 0x6f, 0x5a, 0x6a, 0x37,
	0xcf, 0xb4, 0xa2, 0x44, 0xd7, 0x6c, 0xe1, 0xfa, 0x03, 0x32, 0x44,
	0x40, 0x15, 0x7e, 0xd3, 0xe0, 0xa9, 0x2b, 0xd1, 0x36, 0x97, 0x0a,
	0xd0, 0x77, 0xfd, 0x1d, 0xe3, 0x68, 0x74, 0x43, 0x83, 0x1a, 0x62,
	0x65, 0xff, 0x59, 0x88, 0x73, 0xa3, 0xc5, 0x7d, 0xe9, 0xce };
static const uint8_t p256_shared[32] = {
	0xa2, 0x31, 0xa6, 0xc6, 0xd7, 0xb0, 0x69, 0xbc, 0xbd, 0x42, 0x81,
	0x56, 0xf2, 0x72, 0x2a, 0x36, 0xdc, 0x64, 0x46, 0xab, 0x8b, 0xca,
	0x0b, 0x2c, 0x0e, 0x0d, 0xb7, 0xaf, 0x52, 0x07, 0x27, 0x27 };

static psa_key_id_t p256_key(psa_key_usage_t usage, psa_algorithm_t alg)
{
	psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
	psa_key_id_t id = 0;

	psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
	psa_set_key_bits(&a, 256);
	psa_set_key_usage_flags(&a, usage);
	psa_set_key_algorithm(&a, alg);
	if (psa_import_key(&a, p256_a_priv, 32, &id) != PSA_SUCCESS)
		return 0;
	return id;
}

/* P-256 through PSA (p256.c's point arithmetic under Mbed TLS's comb):
 * the public key (a multiple of G), a shared secret (of another point)
 * and an ECDSA signature that verifies, as TLS uses them. */
CN_TEST(mbedtls, p256_matches_openssl)
{
	const psa_algorithm_t ecdsa = PSA_ALG_ECDSA(PSA_ALG_SHA_256);
	uint8_t out[65], hash[32], sig[64];
	size_t len = 0, slen = 0;
	psa_key_id_t id;

	CN_ASSERT_EQ(cn_mbedtls_ready(), 0);
	id = p256_key(PSA_KEY_USAGE_DERIVE, PSA_ALG_ECDH);
	CN_ASSERT_NE(id, 0);
	CN_EXPECT_EQ(psa_export_public_key(id, out, sizeof(out), &len),
		     PSA_SUCCESS);
	CN_EXPECT_EQ(len, 65);
	CN_EXPECT_EQ(memcmp(out, p256_a_pub, 65), 0);
	CN_EXPECT_EQ(psa_raw_key_agreement(PSA_ALG_ECDH, id, p256_b_pub, 65,
					   out, sizeof(out), &len),
		     PSA_SUCCESS);
	CN_EXPECT_EQ(len, 32);
	CN_EXPECT_EQ(memcmp(out, p256_shared, 32), 0);
	psa_destroy_key(id);
	id = p256_key(PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH,
		      ecdsa);
	CN_ASSERT_NE(id, 0);
	memset(hash, 0x5a, sizeof(hash));
	CN_EXPECT_EQ(psa_sign_hash(id, ecdsa, hash, 32, sig, sizeof(sig),
				   &slen), PSA_SUCCESS);
	CN_EXPECT_EQ(psa_verify_hash(id, ecdsa, hash, 32, sig, slen),
		     PSA_SUCCESS);
	hash[0] ^= 1;
	CN_EXPECT_NE(psa_verify_hash(id, ecdsa, hash, 32, sig, slen),
		     PSA_SUCCESS);
	psa_destroy_key(id);
}

/*
 * The fixed-base tables and the whole-ladder X25519 (ecp_mul.c, the
 * tail of x25519.c and p256.c) against Mbed TLS's own multiplication
 * (ecp.c's ladder and comb, which this file calls under their own
 * names), for edge scalars and random ones; and the time of each, one
 * line on the console per curve (the figures doc/bench/https.md cites).
 */
#define FB_RANDOM 24

static int mul_both(mbedtls_ecp_group *grp, const mbedtls_mpi *k,
		    const mbedtls_ecp_point *P, uint64_t ns[2])
{
	mbedtls_ecp_point a, b;
	uint64_t t0, t1, t2;
	int rc;

	mbedtls_ecp_point_init(&a);
	mbedtls_ecp_point_init(&b);
	t0 = cn_time_ns();
	rc = cn_mbedtls_ecp_mul(grp, &a, k, P, cn_mbedtls_rng, NULL);
	t1 = cn_time_ns();
	if (!rc)
		rc = mbedtls_ecp_mul(grp, &b, k, P, cn_mbedtls_rng, NULL);
	t2 = cn_time_ns();
	if (!rc && mbedtls_ecp_point_cmp(&a, &b))
		rc = -1;
	if (!rc && grp->id == MBEDTLS_ECP_DP_CURVE25519 &&
	    mbedtls_ecp_check_pubkey(grp, &a))
		rc = -2;
	ns[0] += t1 - t0;
	ns[1] += t2 - t1;
	mbedtls_ecp_point_free(&a);
	mbedtls_ecp_point_free(&b);
	return rc;
}

static void clamp25519(uint8_t k[32])
{
	k[0] &= 248;
	k[31] &= 127;
	k[31] |= 64;
}

CN_TEST(mbedtls, x25519_fixed_base_and_ladder_match_mbedtls)
{
	/* RFC 7748, section 5.2: k = u = 9, then k, u = X25519(k, u), k. */
	static const uint8_t iter1[32] = {
		0x42, 0x2c, 0x8e, 0x7a, 0x62, 0x27, 0xd7, 0xbc, 0xa1, 0x35,
		0x0b, 0x3e, 0x2b, 0xb7, 0x27, 0x9f, 0x78, 0x97, 0xb8, 0x7b,
		0xb6, 0x85, 0x4b, 0x78, 0x3c, 0x60, 0xe8, 0x03, 0x11, 0xae,
		0x30, 0x79 };
	static const uint8_t iter1000[32] = {
		0x68, 0x4c, 0xf5, 0x9b, 0xa8, 0x33, 0x09, 0x55, 0x28, 0x00,
		0xef, 0x56, 0x6f, 0x2f, 0x4d, 0x3c, 0x1c, 0x38, 0x87, 0xc4,
		0x93, 0x60, 0xe3, 0x87, 0x5f, 0x2e, 0xb9, 0x4d, 0x99, 0x53,
		0x2c, 0x51 };
	mbedtls_ecp_group grp;
	mbedtls_ecp_point P;
	mbedtls_mpi k;
	uint8_t kb[32], u[32], out[32], rnd[32];
	uint64_t base_ns[2] = { 0, 0 }, var_ns[2] = { 0, 0 }, t0;
	int i, j;

	CN_ASSERT_EQ(cn_mbedtls_ready(), 0);
	memset(kb, 0, 32);
	kb[0] = 9;
	clamp25519(kb);
	CN_EXPECT_EQ(cn_mbedtls_x25519_base(out, kb), 0);
	CN_EXPECT_EQ(memcmp(out, iter1, 32), 0);
	memset(u, 0, 32);
	u[0] = 9;
	CN_EXPECT_EQ(cn_mbedtls_x25519(out, kb, u, NULL), 0);
	CN_EXPECT_EQ(memcmp(out, iter1, 32), 0);
	memset(kb, 0, 32);
	kb[0] = 9;
	t0 = cn_time_ns();
	for (i = 0; i < 1000; i++) {
		uint8_t kc[32];

		memcpy(kc, kb, 32);
		clamp25519(kc);
		CN_ASSERT_EQ(cn_mbedtls_x25519(out, kc, u, i & 1 ? rnd : NULL),
			     0);
		memcpy(u, kb, 32);
		memcpy(kb, out, 32);
		memset(rnd, i, 32);
	}
	t0 = cn_time_ns() - t0;
	CN_EXPECT_EQ(memcmp(kb, iter1000, 32), 0);

	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&P);
	mbedtls_mpi_init(&k);
	CN_ASSERT_EQ(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_CURVE25519),
		     0);
	for (i = 0; i < 6 + FB_RANDOM; i++) {
		/* Edge scalars: 2^254, 2^255 - 8, 2^254 + 8, alternating
		 * bits, every nibble 8 (the recoding's carries), 2^254 +
		 * 2^253; then random ones (Mbed TLS's key generation). */
		memset(kb, 0, 32);
		if (i == 1)
			memset(kb, 0xff, 32);
		if (i == 2)
			kb[0] = 8;
		if (i == 3)
			memset(kb, 0xaa, 32);
		if (i == 4)
			memset(kb, 0x88, 32);
		if (i == 5)
			kb[31] = 0x20;
		clamp25519(kb);
		if (i < 6)
			CN_ASSERT_EQ(mbedtls_mpi_read_binary_le(&k, kb, 32), 0);
		else
			CN_ASSERT_EQ(mbedtls_ecp_gen_privkey(&grp, &k,
					cn_mbedtls_rng, NULL), 0);
		CN_EXPECT_EQ(mul_both(&grp, &k, &grp.G, base_ns), 0);
		/* The same scalar on a random point: k' G for a random k'. */
		if (i >= 6) {
			mbedtls_mpi k2;

			mbedtls_mpi_init(&k2);
			CN_ASSERT_EQ(mbedtls_ecp_gen_privkey(&grp, &k2,
					cn_mbedtls_rng, NULL), 0);
			CN_ASSERT_EQ(mbedtls_ecp_mul(&grp, &P, &k2, &grp.G,
					cn_mbedtls_rng, NULL), 0);
			mbedtls_mpi_free(&k2);
			CN_EXPECT_EQ(mul_both(&grp, &k, &P, var_ns), 0);
		}
	}
	/* A low-order point is refused, as by Mbed TLS (u = 1, order 4). */
	CN_ASSERT_EQ(mbedtls_mpi_lset(&P.MBEDTLS_PRIVATE(X), 1), 0);
	CN_EXPECT_NE(cn_mbedtls_ecp_mul(&grp, &P, &k, &P, cn_mbedtls_rng, NULL),
		     0);
	j = FB_RANDOM + 6;
	printf("mbedtls: X25519 k*B: fixed-base %llu us, Mbed TLS ladder %llu us;"
	       " k*P: ladder %llu us, Mbed TLS %llu us; RFC 7748 x1000 %llu us\n",
	       (unsigned long long)(base_ns[0] / j / 1000),
	       (unsigned long long)(base_ns[1] / j / 1000),
	       (unsigned long long)(var_ns[0] / FB_RANDOM / 1000),
	       (unsigned long long)(var_ns[1] / FB_RANDOM / 1000),
	       (unsigned long long)(t0 / 1000));
	mbedtls_mpi_free(&k);
	mbedtls_ecp_point_free(&P);
	mbedtls_ecp_group_free(&grp);
}

CN_TEST(mbedtls, p256_fixed_base_matches_mbedtls_comb)
{
	mbedtls_ecp_group grp;
	mbedtls_mpi k;
	uint8_t kb[32];
	uint64_t ns[2] = { 0, 0 };
	int i, n = 9 + FB_RANDOM;

	CN_ASSERT_EQ(cn_mbedtls_ready(), 0);
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&k);
	CN_ASSERT_EQ(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1),
		     0);
	for (i = 0; i < n; i++) {
		/* 1, 2, 8, 16, 17, n - 1 (the last digit's carry), n - 2,
		 * every nibble 8, 2^255; then random ones. */
		memset(kb, 0, 32);
		switch (i) {
		case 0: kb[31] = 1; break;
		case 1: kb[31] = 2; break;
		case 2: kb[31] = 8; break;
		case 3: kb[31] = 16; break;
		case 4: kb[31] = 17; break;
		case 5: case 6:
			CN_ASSERT_EQ(mbedtls_mpi_write_binary(&grp.N, kb, 32),
				     0);
			kb[31] = (uint8_t)(kb[31] - (i - 4));
			break;
		case 7: memset(kb, 0x88, 32); break;
		case 8: kb[0] = 0x80; break;
		}
		if (i < 9)
			CN_ASSERT_EQ(mbedtls_mpi_read_binary(&k, kb, 32), 0);
		else
			CN_ASSERT_EQ(mbedtls_ecp_gen_privkey(&grp, &k,
					cn_mbedtls_rng, NULL), 0);
		CN_EXPECT_EQ(mul_both(&grp, &k, &grp.G, ns), 0);
	}
	/* 0 and n are no scalars: refused as by Mbed TLS. */
	{
		mbedtls_ecp_point R;

		mbedtls_ecp_point_init(&R);
		CN_ASSERT_EQ(mbedtls_mpi_lset(&k, 0), 0);
		CN_EXPECT_NE(cn_mbedtls_ecp_mul(&grp, &R, &k, &grp.G,
						cn_mbedtls_rng, NULL), 0);
		CN_EXPECT_NE(cn_mbedtls_ecp_mul(&grp, &R, &grp.N, &grp.G,
						cn_mbedtls_rng, NULL), 0);
		mbedtls_ecp_point_free(&R);
	}
	printf("mbedtls: P-256 k*G: fixed-base %llu us, Mbed TLS comb %llu us\n",
	       (unsigned long long)(ns[0] / n / 1000),
	       (unsigned long long)(ns[1] / n / 1000));
	mbedtls_mpi_free(&k);
	mbedtls_ecp_group_free(&grp);
}
/*
 * ECDSA P-256 signatures (ecdsa_sign.c, p256.c): RFC 6979's vector
 * (A.2.5, SHA-256, "sample"), through Mbed TLS's deterministic signing as
 * TLS calls it; then signatures with random keys and hashes that Mbed
 * TLS's own verification (its generic code) accepts, and refuses once a
 * bit of the hash changes.
 */
CN_TEST(mbedtls, ecdsa_p256_sign_matches_rfc6979_and_verifies)
{
	static const uint8_t x[32] = {
		0xc9, 0xaf, 0xa9, 0xd8, 0x45, 0xba, 0x75, 0x16, 0x6b, 0x5c,
		0x21, 0x57, 0x67, 0xb1, 0xd6, 0x93, 0x4e, 0x50, 0xc3, 0xdb,
		0x36, 0xe8, 0x9b, 0x12, 0x7b, 0x8a, 0x62, 0x2b, 0x12, 0x0f,
		0x67, 0x21 };
	static const uint8_t want_r[32] = {
		0xef, 0xd4, 0x8b, 0x2a, 0xac, 0xb6, 0xa8, 0xfd, 0x11, 0x40,
		0xdd, 0x9c, 0xd4, 0x5e, 0x81, 0xd6, 0x9d, 0x2c, 0x87, 0x7b,
		0x56, 0xaa, 0xf9, 0x91, 0xc3, 0x4d, 0x0e, 0xa8, 0x4e, 0xaf,
		0x37, 0x16 };
	static const uint8_t want_s[32] = {
		0xf7, 0xcb, 0x1c, 0x94, 0x2d, 0x65, 0x7c, 0x41, 0xd4, 0x36,
		0xc7, 0xa1, 0xb6, 0xe2, 0x9f, 0x65, 0xf3, 0xe9, 0x00, 0xdb,
		0xb9, 0xaf, 0xf4, 0x06, 0x4d, 0xc4, 0xab, 0x2f, 0x84, 0x3a,
		0xcd, 0xa8 };
	mbedtls_ecp_group grp;
	mbedtls_ecp_point Q;
	mbedtls_mpi d, r, s;
	uint8_t hash[32], b[32];
	uint64_t t0, ns = 0;
	int i;

	CN_ASSERT_EQ(cn_mbedtls_ready(), 0);
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&Q);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	CN_ASSERT_EQ(mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1),
		     0);
	CN_ASSERT_EQ(mbedtls_sha256((const uint8_t *)"sample", 6, hash, 0), 0);
	CN_ASSERT_EQ(mbedtls_mpi_read_binary(&d, x, 32), 0);
	CN_ASSERT_EQ(mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash, 32,
			MBEDTLS_MD_SHA256, cn_mbedtls_rng, NULL), 0);
	CN_ASSERT_EQ(mbedtls_mpi_write_binary(&r, b, 32), 0);
	CN_EXPECT_EQ(memcmp(b, want_r, 32), 0);
	CN_ASSERT_EQ(mbedtls_mpi_write_binary(&s, b, 32), 0);
	CN_EXPECT_EQ(memcmp(b, want_s, 32), 0);
	for (i = 0; i < FB_RANDOM; i++) {
		CN_ASSERT_EQ(mbedtls_ecp_gen_keypair(&grp, &d, &Q,
				cn_mbedtls_rng, NULL), 0);
		CN_ASSERT_EQ(cn_mbedtls_rng(NULL, hash, 32), 0);
		if (i == 0)
			memset(hash, 0xff, 32);		/* e >= n */
		t0 = cn_time_ns();
		CN_ASSERT_EQ(mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash,
				32, MBEDTLS_MD_SHA256, cn_mbedtls_rng, NULL), 0);
		ns += cn_time_ns() - t0;
		CN_EXPECT_EQ(mbedtls_ecdsa_verify(&grp, hash, 32, &Q, &r, &s),
			     0);
		hash[i & 31] ^= 1;
		CN_EXPECT_NE(mbedtls_ecdsa_verify(&grp, hash, 32, &Q, &r, &s),
			     0);
	}
	/* A key out of range is refused. */
	CN_EXPECT_NE(mbedtls_ecdsa_sign(&grp, &r, &s, &grp.N, hash, 32,
					cn_mbedtls_rng, NULL), 0);
	printf("mbedtls: ECDSA P-256 deterministic signature %llu us\n",
	       (unsigned long long)(ns / FB_RANDOM / 1000));
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_ecp_point_free(&Q);
	mbedtls_ecp_group_free(&grp);
}
