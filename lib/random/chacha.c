/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The generator's portable core: the ChaCha20 block function (RFC 8439,
 * 2.3) and the keyed state that mixes seed material in and generates with
 * fast key erasure. No lock, no platform: random.c adds those in an
 * image, tests/host/build.py builds this file alone for the host.
 */
#include <string.h>
#include <cairn/random.h>

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)						\
	do {							\
		a += b; d ^= a; d = ROTL(d, 16);		\
		c += d; b ^= c; b = ROTL(b, 12);		\
		a += b; d ^= a; d = ROTL(d, 8);			\
		c += d; b ^= c; b = ROTL(b, 7);			\
	} while (0)

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void cn_random_chacha20_block(const uint32_t key[8], uint32_t counter,
			      const uint32_t nonce[3], uint8_t out[64])
{
	uint32_t s[16], x[16];
	int i;

	s[0] = 0x61707865;		/* "expand 32-byte k" */
	s[1] = 0x3320646e;
	s[2] = 0x79622d32;
	s[3] = 0x6b206574;
	for (i = 0; i < 8; i++)
		s[4 + i] = key[i];
	s[12] = counter;
	s[13] = nonce[0];
	s[14] = nonce[1];
	s[15] = nonce[2];
	memcpy(x, s, sizeof(x));
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
		put_le32(out + 4 * i, x[i] + s[i]);
	memset(x, 0, sizeof(x));
	memset(s, 0, sizeof(s));
}

/*
 * The block counter is 64 bits: its low half is the RFC's counter, its
 * high half the first nonce word. The other two nonce words tell the
 * generator's uses apart, so that a mixing step never produces a block
 * that generation could also produce.
 */
#define USE_OUTPUT	0
#define USE_MIX		0x78696d	/* "mix" */

static void block(struct cn_random_ctx *c, uint32_t use, uint8_t out[64])
{
	uint32_t nonce[3] = { (uint32_t)(c->counter >> 32), use, 0 };

	cn_random_chacha20_block(c->key, (uint32_t)c->counter, nonce, out);
	c->counter++;
}

static void rekey(struct cn_random_ctx *c, uint32_t use)
{
	uint8_t b[64];
	int i;

	block(c, use, b);
	for (i = 0; i < 8; i++)
		c->key[i] = get_le32(b + 4 * i);
	c->counter = 0;
	memset(b, 0, sizeof(b));
}

void cn_random_ctx_mix(struct cn_random_ctx *c, const void *seed, size_t len)
{
	const uint8_t *p = seed;
	uint8_t piece[32];
	size_t n;
	int i;

	while (len) {
		n = len < sizeof(piece) ? len : sizeof(piece);
		memset(piece, 0, sizeof(piece));
		memcpy(piece, p, n);
		for (i = 0; i < 8; i++)
			c->key[i] ^= get_le32(piece + 4 * i);
		rekey(c, USE_MIX);
		p += n;
		len -= n;
	}
	memset(piece, 0, sizeof(piece));
}

void cn_random_ctx_generate(struct cn_random_ctx *c, void *buf, size_t len)
{
	uint8_t b[64], *p = buf;
	size_t n;

	while (len) {
		if (len >= sizeof(b)) {
			block(c, USE_OUTPUT, p);
			n = sizeof(b);
		} else {
			block(c, USE_OUTPUT, b);
			n = len;
			memcpy(p, b, n);
		}
		p += n;
		len -= n;
	}
	memset(b, 0, sizeof(b));
	rekey(c, USE_OUTPUT);	/* erase the key that made this output */
}
