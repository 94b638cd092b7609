/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The image's generator (random.c): getrandom() and getentropy() flags
 * and errors, the sources, and that a registered source is drawn from.
 */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>
#include <cairn/random.h>
#include <cairn/test.h>

#define ERR(call) ((call) < 0 ? -errno : 0)

static int all_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

CN_TEST(random, getrandom_fills_and_returns_the_length)
{
	uint8_t a[300], b[300];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	CN_EXPECT_EQ(getrandom(a, sizeof(a), 0), (ssize_t)sizeof(a));
	CN_EXPECT_EQ(getrandom(b, sizeof(b), GRND_NONBLOCK),
		     (ssize_t)sizeof(b));
	CN_EXPECT_FALSE(all_zero(a + 268, 32));	/* the tail is written */
	CN_EXPECT_NE(memcmp(a, b, sizeof(a)), 0);
	CN_EXPECT_EQ(getrandom(a, 16, GRND_RANDOM), 16);
	CN_EXPECT_EQ(getrandom(a, 16, GRND_INSECURE | GRND_NONBLOCK), 16);
	CN_EXPECT_EQ(getrandom(NULL, 0, 0), 0);
}

CN_TEST(random, getrandom_rejects_bad_flags_and_buffers)
{
	uint8_t a[8];

	CN_EXPECT_EQ(ERR(getrandom(a, sizeof(a), 0x8)), -EINVAL);
	CN_EXPECT_EQ(ERR(getrandom(a, sizeof(a), ~0u)), -EINVAL);
	CN_EXPECT_EQ(ERR(getrandom(a, sizeof(a),
				   GRND_RANDOM | GRND_INSECURE)), -EINVAL);
	CN_EXPECT_EQ(ERR(getrandom(NULL, 4, 0)), -EFAULT);
}

CN_TEST(random, getentropy_limits)
{
	uint8_t a[257];

	CN_EXPECT_EQ(getentropy(a, 256), 0);
	CN_EXPECT_EQ(ERR(getentropy(a, 257)), -EIO);
	CN_EXPECT_EQ(ERR(getentropy(NULL, 1)), -EFAULT);
	CN_EXPECT_EQ(getentropy(a, 0), 0);
}

/*
 * The test images boot with -cpu max, whose RDRAND/RDSEED (x86_64) and
 * RNDR (arm64) QEMU implements from the host's getrandom().
 */
CN_TEST(random, the_cpu_source_is_used_and_trusted)
{
	char names[64];

	CN_EXPECT_TRUE(cn_random_trusted());
	cn_random_sources(names, sizeof(names));
	CN_EXPECT_EQ(strncmp(names, "cpu", 3), 0);
}

static unsigned int fake_reads;

static ssize_t fake_read(struct cn_random_source *s, void *buf, size_t len)
{
	fake_reads++;
	memset(buf, 0xa5, len);
	return (ssize_t)len;
}

static struct cn_random_source fake = { .name = "fake", .read = fake_read };

CN_TEST(random, a_registered_source_is_drawn_from_and_named)
{
	char names[64], small[6];
	uint8_t b[4];

	CN_EXPECT_EQ(cn_random_source_register(NULL), -EINVAL);
	CN_ASSERT_EQ(cn_random_source_register(&fake), 0);
	CN_EXPECT_EQ(fake_reads, 0u);
	cn_random_bytes(b, sizeof(b));
	CN_EXPECT_GT(fake_reads, 0u);
	/* Not again at once: devices are asked once a minute. */
	fake_reads = 0;
	cn_random_bytes(b, sizeof(b));
	CN_EXPECT_EQ(fake_reads, 0u);
	cn_random_sources(names, sizeof(names));
	CN_EXPECT_TRUE(strstr(names, "fake") != NULL);
	cn_random_sources(small, sizeof(small));	/* truncated whole */
	CN_EXPECT_EQ(strlen(small) < sizeof(small), 1);
}
