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
