/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator's portable core (chacha.c): RFC 8439's ChaCha20 block
 * test vectors, then the properties the generator relies on. Built into
 * test images and, alone, for the host under ASan/UBSan
 * (tests/test_host_random.py).
 */
#include <string.h>
#include <cairn/random.h>
#include <cairn/test.h>

static const uint8_t rfc_2_3_2[64] = {
	0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
	0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4,
	0xc7, 0xd1, 0xf4, 0xc7, 0x33, 0xc0, 0x68, 0x03,
	0x04, 0x22, 0xaa, 0x9a, 0xc3, 0xd4, 0x6c, 0x4e,
	0xd2, 0x82, 0x64, 0x46, 0x07, 0x9f, 0xaa, 0x09,
	0x14, 0xc2, 0xd7, 0x05, 0xd9, 0x8b, 0x02, 0xa2,
	0xb5, 0x12, 0x9c, 0xd1, 0xde, 0x16, 0x4e, 0xb9,
	0xcb, 0xd0, 0x83, 0xe8, 0xa2, 0x50, 0x3c, 0x4e,
};

/* RFC 8439 A.1, test vector 1: all-zero key, nonce and counter. */
static const uint8_t rfc_a_1_1[64] = {
	0x76, 0xb8, 0xe0, 0xad, 0xa0, 0xf1, 0x3d, 0x90,
	0x40, 0x5d, 0x6a, 0xe5, 0x53, 0x86, 0xbd, 0x28,
	0xbd, 0xd2, 0x19, 0xb8, 0xa0, 0x8d, 0xed, 0x1a,
	0xa8, 0x36, 0xef, 0xcc, 0x8b, 0x77, 0x0d, 0xc7,
	0xda, 0x41, 0x59, 0x7c, 0x51, 0x57, 0x48, 0x8d,
	0x77, 0x24, 0xe0, 0x3f, 0xb8, 0xd8, 0x4a, 0x37,
	0x6a, 0x43, 0xb8, 0xf4, 0x15, 0x18, 0xa1, 0x1c,
	0xc3, 0x87, 0xb6, 0x69, 0xb2, 0xee, 0x65, 0x86,
};

/* The index of the first differing byte, or -1: a readable failure. */
static int first_diff(const uint8_t *a, const uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return (int)i;
	return -1;
}

CN_TEST(random, chacha20_block_rfc8439_2_3_2)
{
	/* Key 00:01:...:1f, nonce 00:00:00:09:00:00:00:4a:00:00:00:00. */
	uint32_t key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 };
	uint8_t out[64];
	int i;

	for (i = 0; i < 8; i++)
		key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 |
			 (uint32_t)(4 * i + 2) << 16 |
			 (uint32_t)(4 * i + 3) << 24;
	cn_random_chacha20_block(key, 1, nonce, out);
	CN_EXPECT_EQ(first_diff(out, rfc_2_3_2, 64), -1);
}

CN_TEST(random, chacha20_block_rfc8439_a_1_vector_1)
{
	uint32_t key[8] = { 0 }, nonce[3] = { 0 };
	uint8_t out[64];

	cn_random_chacha20_block(key, 0, nonce, out);
	CN_EXPECT_EQ(first_diff(out, rfc_a_1_1, 64), -1);
}

CN_TEST(random, same_seed_same_output_other_seed_other_output)
{
	struct cn_random_ctx a, b, c;
	uint8_t x[100], y[100], z[100];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&c, 0, sizeof(c));
	cn_random_ctx_mix(&a, "seed one", 8);
	cn_random_ctx_mix(&b, "seed one", 8);
	cn_random_ctx_mix(&c, "seed two", 8);
	cn_random_ctx_generate(&a, x, sizeof(x));
	cn_random_ctx_generate(&b, y, sizeof(y));
	cn_random_ctx_generate(&c, z, sizeof(z));
	CN_EXPECT_EQ(first_diff(x, y, sizeof(x)), -1);
	CN_EXPECT_NE(first_diff(x, z, sizeof(x)), -1);
}

CN_TEST(random, key_changes_after_every_request)
{
	struct cn_random_ctx a;
	uint32_t before[8];
	uint8_t x[16], y[16];

	memset(&a, 0, sizeof(a));
	cn_random_ctx_mix(&a, "k", 1);
	memcpy(before, a.key, sizeof(before));
	cn_random_ctx_generate(&a, x, sizeof(x));
	CN_EXPECT_NE(memcmp(before, a.key, sizeof(before)), 0);
	/* Two requests never repeat each other. */
	cn_random_ctx_generate(&a, y, sizeof(y));
	CN_EXPECT_NE(first_diff(x, y, sizeof(x)), -1);
}

CN_TEST(random, output_is_never_the_key)
{
	struct cn_random_ctx a;
	uint32_t key[8];
	uint8_t x[64 * 3];
	size_t i;

	memset(&a, 0, sizeof(a));
	cn_random_ctx_mix(&a, "another seed", 12);
	cn_random_ctx_generate(&a, x, sizeof(x));
	memcpy(key, a.key, sizeof(key));
	for (i = 0; i + sizeof(key) <= sizeof(x); i++)
		CN_EXPECT_NE(memcmp(x + i, key, sizeof(key)), 0);
}

CN_TEST(random, mixing_changes_the_stream_even_with_zeros)
{
	struct cn_random_ctx a, b;
	uint8_t x[32], y[32], zero[40] = { 0 };

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	cn_random_ctx_mix(&a, "s", 1);
	cn_random_ctx_mix(&b, "s", 1);
	/* Zeros still move the key on (the one-way step runs). */
	cn_random_ctx_mix(&b, zero, sizeof(zero));
	cn_random_ctx_generate(&a, x, sizeof(x));
	cn_random_ctx_generate(&b, y, sizeof(y));
	CN_EXPECT_NE(first_diff(x, y, sizeof(x)), -1);
}

CN_TEST(random, odd_lengths_are_a_prefix_of_the_same_stream)
{
	struct cn_random_ctx a, b;
	uint8_t x[200], y[200];

	memset(&a, 0, sizeof(a));
	cn_random_ctx_mix(&a, "p", 1);
	b = a;
	cn_random_ctx_generate(&a, x, 200);
	cn_random_ctx_generate(&b, y, 131);	/* partial last block */
	CN_EXPECT_EQ(first_diff(x, y, 131), -1);
	cn_random_ctx_generate(&b, y, 0);	/* nothing out, still rekeys */
	CN_EXPECT_NE(memcmp(a.key, b.key, sizeof(a.key)), 0);
}

CN_TEST(random, bytes_look_uniform)
{
	struct cn_random_ctx a;
	static uint8_t x[64 * 1024];
	unsigned int count[256] = { 0 }, lo = ~0u, hi = 0;
	size_t i;

	memset(&a, 0, sizeof(a));
	cn_random_ctx_mix(&a, "u", 1);
	cn_random_ctx_generate(&a, x, sizeof(x));
	for (i = 0; i < sizeof(x); i++)
		count[x[i]]++;
	for (i = 0; i < 256; i++) {
		if (count[i] < lo)
			lo = count[i];
		if (count[i] > hi)
			hi = count[i];
	}
	/* 256 expected per value; +-35% is ~9 standard deviations. */
	CN_EXPECT_GT(lo, 166u);
	CN_EXPECT_LT(hi, 346u);
}
