/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cn_lwip_chksum (chksum.c) against the definition, a 16-bit word at a
 * time in memory order: every start alignment, every length up to a
 * full frame, sums that carry many times, and the RFC 1071 example.
 * Built for the host under ASan/UBSan (tests/test_host_lwip.py).
 */
#include <stdint.h>
#include <string.h>
#include <cairn/lwip_chksum.h>
#include <cairn/test.h>

static uint16_t reference(const uint8_t *p, int len)
{
	uint32_t sum = 0;
	uint16_t w;
	int i;

	for (i = 0; i + 1 < len; i += 2) {
		memcpy(&w, p + i, 2);
		sum += w;
	}
	if (len & 1) {
		w = 0;
		memcpy(&w, p + len - 1, 1);
		sum += w;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint8_t buf[65536 + 16];

static void fill(uint32_t seed)
{
	size_t i;

	for (i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (uint8_t)(seed >> 16);
	}
}

CN_TEST(lwip_chksum, every_alignment_and_length_up_to_a_frame)
{
	unsigned int off, bad = 0;
	int len;

	fill(1);
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 1514; len++)
			if (cn_lwip_chksum(buf + off, len) !=
			    reference(buf + off, len))
				bad++;
	CN_EXPECT_EQ(bad, 0u);
}

CN_TEST(lwip_chksum, all_ones_carry_through_64_kib)
{
	memset(buf, 0xff, sizeof(buf));
	CN_EXPECT_EQ(cn_lwip_chksum(buf, 65535), reference(buf, 65535));
	CN_EXPECT_EQ(cn_lwip_chksum(buf + 3, 65533), reference(buf + 3, 65533));
	fill(7);
	CN_EXPECT_EQ(cn_lwip_chksum(buf + 1, 65535), reference(buf + 1, 65535));
}

CN_TEST(lwip_chksum, rfc1071_example_and_nothing)
{
	/* RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2 in
	 * big-endian words; as stored in memory it reads back the same. */
	static const uint8_t ex[] = { 0x00, 0x01, 0xf2, 0x03,
				      0xf4, 0xf5, 0xf6, 0xf7 };
	uint16_t s = cn_lwip_chksum(ex, sizeof(ex));
	const uint8_t *b = (const uint8_t *)&s;

	CN_EXPECT_EQ(b[0], 0xddu);
	CN_EXPECT_EQ(b[1], 0xf2u);
	CN_EXPECT_EQ(cn_lwip_chksum(ex, 0), 0u);
	CN_EXPECT_EQ(cn_lwip_chksum(ex, -1), 0u);
}
