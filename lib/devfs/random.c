/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator behind /dev/random, /dev/urandom and getentropy():
 * ChaCha20 (20 rounds, 256-bit key, 64-bit block counter) in "fast key
 * erasure" style: after every request the next block becomes the key, so
 * the state never lets anyone recompute earlier output.
 *
 * Seeding: 256 bits from the CPU's random number generator
 * (cn_arch_random_u64(): RDSEED, else RDRAND on x86_64) on first use, and
 * another 256 bits mixed into the key before every request, when the CPU
 * has one. Without it (the fallback) the key comes once from the cycle
 * counter's jitter over busy loops, the RTC and the boot clock:
 * unpredictable enough for hash seeds and test data, not for secrets; a
 * warning says so at first use.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cairn/arch.h>
#include <cairn/devfs.h>
#include <cairn/log.h>
#include <cairn/plat.h>
#include <cairn/vfs_fs.h>

static uint32_t key[8];
static uint64_t counter;
static bool seeded, hw;

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)						\
	do {							\
		a += b; d ^= a; d = ROTL(d, 16);		\
		c += d; b ^= c; b = ROTL(b, 12);		\
		a += b; d ^= a; d = ROTL(d, 8);			\
		c += d; b ^= c; b = ROTL(b, 7);			\
	} while (0)

static void chacha_block(uint64_t ctr, uint32_t out[16])
{
	uint32_t x[16];
	int i;

	x[0] = 0x61707865;		/* "expand 32-byte k" */
	x[1] = 0x3320646e;
	x[2] = 0x79622d32;
	x[3] = 0x6b206574;
	memcpy(&x[4], key, sizeof(key));
	x[12] = (uint32_t)ctr;
	x[13] = (uint32_t)(ctr >> 32);
	x[14] = x[15] = 0;		/* nonce: the key changes instead */
	memcpy(out, x, sizeof(x));
	for (i = 0; i < 10; i++) {
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (i = 0; i < 16; i++)
		out[i] += x[i];
}

/* out[0..n) from the CPU's generator: 0, or -ENODEV when it has none. */
static int hw_seed(uint32_t *out, unsigned int n)
{
	uint64_t v;
	unsigned int i;

	for (i = 0; i < n; i += 2) {
		if (!cn_arch_random_u64(&v))
			return -ENODEV;
		out[i] = (uint32_t)v;
		if (i + 1 < n)
			out[i + 1] = (uint32_t)(v >> 32);
	}
	return 0;
}

/* Clock jitter: the cycle counter read around loops whose length varies a little. */
static void seed_from_clocks(void)
{
	volatile uint32_t sink = 0;
	uint64_t t, prev = cn_arch_cycles();
	int i, j;

	key[0] ^= (uint32_t)cn_plat_rtc_seconds();
	key[1] ^= (uint32_t)cn_plat_time_ns();
	for (i = 0; i < 256; i++) {
		for (j = 0; j < (int)(prev & 63) + 16; j++)
			sink += (uint32_t)j * 2654435761u;
		t = cn_arch_cycles();
		key[i & 7] = ROTL(key[i & 7], 5) ^ (uint32_t)(t - prev) ^
			     (uint32_t)(t >> 32);
		prev = t;
	}
	(void)sink;
}

static void seed(void)
{
	hw = hw_seed(key, 8) == 0;
	if (!hw) {
		seed_from_clocks();
		cn_pr_warn("no hardware random generator: /dev/urandom is "
			   "seeded from clock jitter only (fine for hash "
			   "seeds, not for keys)");
	}
	seeded = true;
}

void cn_devfs_random(void *buf, size_t len)
{
	uint32_t block[16], fresh[8];
	unsigned char *p = buf;
	size_t n;
	int i;

	cn_vfs_lock();
	if (!seeded)
		seed();
	if (hw && hw_seed(fresh, 8) == 0)
		for (i = 0; i < 8; i++)
			key[i] ^= fresh[i];
	while (len) {
		chacha_block(counter++, block);
		n = len < sizeof(block) ? len : sizeof(block);
		memcpy(p, block, n);
		p += n;
		len -= n;
	}
	chacha_block(counter++, block);
	memcpy(key, block, sizeof(key));	/* erase the key just used */
	memset(block, 0, sizeof(block));
	cn_vfs_unlock();
}

bool cn_devfs_random_hw(void)
{
	if (!seeded) {
		uint8_t b;

		cn_devfs_random(&b, 1);
	}
	return hw;
}

/* As Linux and the BSDs: at most 256 bytes per call. */
int getentropy(void *buf, size_t len)
{
	if (len > 256) {
		errno = EIO;
		return -1;
	}
	cn_devfs_random(buf, len);
	return 0;
}
